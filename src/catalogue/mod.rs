//! The intervention library: the theme taxonomy and one YAML fact sheet per intervention,
//! loaded from a directory and checked as a whole.

mod check;
pub mod load;
pub mod model;
pub mod search;

use std::collections::{BTreeMap, BTreeSet};

pub use load::CatalogueError;
pub use model::{Intervention, InterventionId, ThemeId};

use crate::Lang;
use crate::finding::{Finding, Findings};

/// A theme of the taxonomy in `themes.yaml`.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeDef {
    pub id: ThemeId,
    pub da: String,
    pub en: String,
}

impl ThemeDef {
    /// The theme's label in `lang`.
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Da => &self.da,
            Lang::En => &self.en,
        }
    }
}

/// A loaded, checked catalogue; interventions are sorted by id.
///
/// Fact sheets with problems stay listed (so editors see them), but cannot be selected for a
/// report until their problems are fixed.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub themes: Vec<ThemeDef>,
    pub interventions: Vec<Intervention>,
    /// Problems per fact sheet, keyed by file stem (= the id the file should have).
    problems: BTreeMap<String, Vec<Finding>>,
    /// Problems that concern the whole catalogue (the theme taxonomy).
    general: Vec<Finding>,
}

/// Why interventions could not be selected for a report.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum SelectError {
    #[error(transparent)]
    Unknown(#[from] UnknownIntervention),
    #[error("the fact sheet of `{id}` has problems (run `report catalogue check`):\n{findings}")]
    Invalid { id: String, findings: Findings },
}

/// An intervention id that is not in the catalogue, with the closest existing ids.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error(
    "unknown intervention `{id}`{} (see `report catalogue list`)",
    crate::suggest::did_you_mean(.suggestions)
)]
pub struct UnknownIntervention {
    pub id: String,
    pub suggestions: Vec<String>,
}

impl Catalogue {
    /// The intervention with `id`.
    pub fn get(&self, id: &str) -> Option<&Intervention> {
        self.interventions
            .binary_search_by(|i| i.id.0.as_str().cmp(id))
            .ok()
            .map(|index| &self.interventions[index])
    }

    /// Every problem found while loading, each once, in file and line order.
    pub fn findings(&self) -> Vec<&Finding> {
        let mut findings: Vec<&Finding> = self
            .general
            .iter()
            .chain(self.problems.values().flatten())
            .collect();
        findings.sort();
        findings.dedup();
        findings
    }

    /// The interventions with `ids`, in the order given, each once. An id whose fact sheet
    /// has problems, or whose theme taxonomy has, is refused with those problems.
    pub fn select<'a, 'i>(
        &'a self,
        ids: impl IntoIterator<Item = &'i str>,
    ) -> Result<Vec<&'a Intervention>, SelectError> {
        let mut seen = BTreeSet::new();
        let mut selected = Vec::new();
        for id in ids {
            if !seen.insert(id) {
                continue;
            }
            let problems: Vec<Finding> = self
                .general
                .iter()
                .chain(self.problems.get(id).into_iter().flatten())
                .cloned()
                .collect();
            if !problems.is_empty() {
                return Err(SelectError::Invalid {
                    id: id.to_owned(),
                    findings: Findings(problems),
                });
            }
            selected.push(self.find(id)?);
        }
        Ok(selected)
    }

    /// The intervention `id`, or an error naming the closest ids.
    pub fn find(&self, id: &str) -> Result<&Intervention, UnknownIntervention> {
        self.get(id).ok_or_else(|| UnknownIntervention {
            id: id.to_owned(),
            suggestions: crate::suggest::closest(
                id,
                self.interventions.iter().map(|i| i.id.0.as_str()),
            )
            .into_iter()
            .map(str::to_owned)
            .collect(),
        })
    }

    /// The JSON Schema of a fact sheet, with this catalogue's theme ids as the allowed
    /// themes, so YAML editors can complete and check fact sheets.
    pub fn json_schema(&self) -> serde_json::Value {
        let mut schema = schemars::schema_for!(Intervention).to_value();
        let ids: Vec<&str> = self.themes.iter().map(|t| t.id.0.as_str()).collect();
        if let Some(theme) = schema.pointer_mut("/$defs/ThemeId") {
            theme["enum"] = serde_json::json!(ids);
        }
        schema["title"] = serde_json::json!("Fact sheet of the report intervention catalogue");
        schema
    }

    /// The label of a theme id in `lang` (the id itself if unknown, which checks rule out).
    pub fn theme_label<'a>(&'a self, id: &'a ThemeId, lang: Lang) -> &'a str {
        self.themes
            .iter()
            .find(|theme| &theme.id == id)
            .map_or(id.0.as_str(), |theme| theme.label(lang))
    }
}
