//! Loading a catalogue: `themes.yaml` at the top, fact sheets (`*.yaml`, `*.yml`) anywhere
//! below it, in sorted order — from a directory, or from the copy bundled in the binary.
//! Problems are collected per file, so one broken fact sheet does not hide the others and does
//! not block reports that do not use it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::check::check_intervention;
use super::model::Intervention;
use super::{Catalogue, ThemeDef};
use crate::finding::{Finding, Location, Locator, parse_yaml};
use crate::input::{InputError, YAML_LIMIT, read_text};

/// The theme taxonomy's file name, directly in the catalogue directory.
pub(crate) const THEMES_FILE: &str = "themes.yaml";

/// How the bundled catalogue's files are named in messages.
pub const BUNDLED: &str = "<bundled catalogue>";

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));
}

/// Why a catalogue could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error(transparent)]
    Read(#[from] InputError),
    #[error("cannot walk the catalogue directory: {0}")]
    Walk(#[from] walkdir::Error),
    #[error("{0} has no {THEMES_FILE}")]
    NoThemes(PathBuf),
}

/// A catalogue file: where it is (for messages) and its text.
struct File {
    path: PathBuf,
    /// Path relative to the catalogue root.
    relative: String,
    text: String,
}

impl Catalogue {
    /// Loads and checks every file of the catalogue in `dir`.
    pub fn load(dir: &Path) -> Result<Catalogue, CatalogueError> {
        let mut files = Vec::new();
        for entry in WalkDir::new(dir).sort_by_file_name().follow_links(false) {
            let entry = entry?;
            let path = entry.path();
            if !entry.file_type().is_file() || !is_yaml(path) {
                continue;
            }
            let text = read_text(path, YAML_LIMIT)?;
            let relative = path
                .strip_prefix(dir)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            files.push(File {
                path: path.to_owned(),
                relative,
                text,
            });
        }
        Catalogue::from_files(files).ok_or_else(|| CatalogueError::NoThemes(dir.to_owned()))
    }

    /// The catalogue bundled in the binary (the repository's `catalogue/` at build time).
    pub fn bundled() -> Catalogue {
        let files = bundled::FILES
            .iter()
            .map(|(relative, text)| File {
                path: Path::new(BUNDLED).join(relative),
                relative: (*relative).to_owned(),
                text: (*text).to_owned(),
            })
            .collect();
        Catalogue::from_files(files).expect("the bundled catalogue has a theme taxonomy")
    }

    /// Parses and checks the files; `None` without a theme taxonomy.
    fn from_files(files: Vec<File>) -> Option<Catalogue> {
        let (themes_file, sheets): (Vec<File>, Vec<File>) =
            files.into_iter().partition(|f| f.relative == THEMES_FILE);
        let themes_file = themes_file.into_iter().next()?;
        let mut general = Vec::new();
        let themes = parse_themes(&themes_file.text, &themes_file.path, &mut general);

        let mut interventions = Vec::new();
        let mut problems: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
        for file in sheets {
            let stem = file
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut findings = Vec::new();
            // Problems are filed under the file stem and, if it differs, the id inside.
            let mut keys = vec![stem.clone()];
            match parse_yaml::<Intervention>(&file.text, &file.path) {
                Ok(intervention) => {
                    check_intervention(
                        &intervention,
                        &stem,
                        &file.text,
                        &file.path,
                        &themes,
                        &mut findings,
                    );
                    if intervention.id.0 != stem {
                        keys.push(intervention.id.0.clone());
                    }
                    interventions.push((file.path, intervention));
                }
                Err(finding) => findings.push(finding),
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
                        Location::at(1, 1),
                        format!("id `{}` is also used by {}", b.id, first.display()),
                    ));
            }
        }
        let mut interventions: Vec<Intervention> =
            interventions.into_iter().map(|(_, i)| i).collect();
        interventions.dedup_by(|a, b| a.id == b.id);

        Some(Catalogue {
            themes,
            interventions,
            problems,
            general,
        })
    }
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext == "yaml" || ext == "yml")
}

/// Parses the taxonomy; problems go to `findings` and leave an empty or partial list.
fn parse_themes(text: &str, path: &Path, findings: &mut Vec<Finding>) -> Vec<ThemeDef> {
    let themes: Vec<ThemeDef> = match parse_yaml(text, path) {
        Ok(themes) => themes,
        Err(finding) => {
            findings.push(finding);
            return Vec::new();
        }
    };
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut locator = Locator::new(text);
    for theme in &themes {
        let count = seen.entry(theme.id.0.as_str()).or_insert(0);
        *count += 1;
        if *count > 1 {
            // The repeated definition's own `id:` line (an alias repeats the first one).
            let mut location = locator.entry("id", &theme.id.0, *count - 1);
            if location == Location::default() {
                location = locator.entry("id", &theme.id.0, 0);
            }
            findings.push(Finding::new(
                path,
                location,
                format!("theme `{}` is defined twice", theme.id),
            ));
        }
    }
    themes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_catalogue_is_complete_and_clean() {
        let bundled = Catalogue::bundled();
        let on_disk =
            Catalogue::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue")).unwrap();
        assert!(bundled.interventions.len() >= 25);
        assert_eq!(bundled.interventions.len(), on_disk.interventions.len());
        let findings: Vec<String> = bundled
            .findings()
            .iter()
            .map(std::string::ToString::to_string)
            .collect();
        assert!(findings.is_empty(), "{findings:#?}");
    }
}
