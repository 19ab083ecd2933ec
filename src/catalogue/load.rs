//! Loading a catalogue directory: `themes.yaml` at the top, fact sheets (`*.yaml`, `*.yml`)
//! anywhere below it, walked in sorted order. Problems are collected per file, so one broken
//! fact sheet does not hide the others and does not block reports that do not use it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::check::check_intervention;
use super::model::Intervention;
use super::{Catalogue, ThemeDef};
use crate::finding::{Finding, Location};

/// The theme taxonomy's file name, directly in the catalogue directory.
pub const THEMES_FILE: &str = "themes.yaml";

/// Why a catalogue directory could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot walk the catalogue directory: {0}")]
    Walk(#[from] walkdir::Error),
}

impl Catalogue {
    /// Loads and checks every file of the catalogue in `dir`.
    pub fn load(dir: &Path) -> Result<Catalogue, CatalogueError> {
        let themes_path = dir.join(THEMES_FILE);
        let themes_text = read(&themes_path)?;
        let mut general = Vec::new();
        let themes = parse_themes(&themes_text, &themes_path, &mut general);

        let mut interventions = Vec::new();
        let mut problems: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
        let walk = WalkDir::new(dir).sort_by_file_name().follow_links(false);
        for entry in walk {
            let entry = entry?;
            let path = entry.path();
            let is_yaml = path
                .extension()
                .is_some_and(|ext| ext == "yaml" || ext == "yml");
            if !entry.file_type().is_file() || !is_yaml || path == themes_path {
                continue;
            }
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = read(path)?;
            let mut findings = Vec::new();
            // Problems are filed under the file stem and, if it differs, the id inside.
            let mut keys = vec![stem.clone()];
            match serde_yaml::from_str::<Intervention>(&text) {
                Ok(intervention) => {
                    check_intervention(&intervention, &stem, &text, path, &themes, &mut findings);
                    if intervention.id.0 != stem {
                        keys.push(intervention.id.0.clone());
                    }
                    interventions.push((path.to_owned(), intervention));
                }
                Err(error) => findings.push(Finding::new(
                    path,
                    Location::of_yaml(&error),
                    error.to_string(),
                )),
            }
            if !findings.is_empty() {
                for key in keys {
                    problems
                        .entry(key)
                        .or_default()
                        .extend(findings.iter().cloned());
                }
            }
        }

        interventions.sort_by(|a, b| a.1.id.cmp(&b.1.id));
        for pair in interventions.windows(2) {
            let ((first, a), (second, b)) = (&pair[0], &pair[1]);
            if a.id == b.id {
                problems
                    .entry(b.id.0.clone())
                    .or_default()
                    .push(Finding::new(
                        second,
                        Location::default(),
                        format!("id `{}` is also used by {}", b.id, first.display()),
                    ));
            }
        }
        let mut interventions: Vec<Intervention> =
            interventions.into_iter().map(|(_, i)| i).collect();
        interventions.dedup_by(|a, b| a.id == b.id);

        Ok(Catalogue {
            themes,
            interventions,
            problems,
            general,
        })
    }
}

fn read(path: &Path) -> Result<String, CatalogueError> {
    std::fs::read_to_string(path).map_err(|source| CatalogueError::Read {
        path: path.to_owned(),
        source,
    })
}

/// Parses the taxonomy; problems go to `findings` and leave an empty or partial list.
fn parse_themes(text: &str, path: &Path, findings: &mut Vec<Finding>) -> Vec<ThemeDef> {
    let themes: Vec<ThemeDef> = match serde_yaml::from_str(text) {
        Ok(themes) => themes,
        Err(error) => {
            findings.push(Finding::new(
                path,
                Location::of_yaml(&error),
                error.to_string(),
            ));
            return Vec::new();
        }
    };
    let mut seen = BTreeSet::new();
    for theme in &themes {
        if !seen.insert(&theme.id) {
            findings.push(Finding::new(
                path,
                Location::default(),
                format!("theme `{}` is defined twice", theme.id),
            ));
        }
    }
    themes
}
