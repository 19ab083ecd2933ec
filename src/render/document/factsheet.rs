//! A fact sheet as templates read it: every label resolved to the report's language and
//! the Markdown parsed into blocks.

use schemars::JsonSchema;
use serde::Serialize;

use crate::Lang;
use crate::catalogue::Catalogue;
use crate::catalogue::model::{self, Intervention};
use crate::markdown::{self, Block};

/// A fact sheet with every label resolved to the report's language.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Factsheet {
    /// The intervention's id (its file name in the catalogue).
    pub id: String,
    pub name: String,
    /// One or two sentences under the name.
    pub summary: String,
    /// Its main themes' labels in the sheet's language.
    pub themes: Vec<String>,
    /// The labels of the themes it also touches.
    pub secondary_themes: Vec<String>,
    /// Whether its target group fits the report's respondents (ages or grades, see
    /// `report catalogue`); always true for a fact sheet on its own. A sheet the analyst
    /// appended although it does not fit gets a plain note.
    pub fits: bool,
    /// The ages the provider states, if any.
    pub age: Option<model::AgeRange>,
    /// The stated grades, printed as grades (never as ages).
    pub grades: Option<model::GradeRange>,
    /// `age` as readers write it in the sheet's language: "13–16 år", "13–16 years".
    pub age_text: Option<String>,
    /// `grades` as readers write them in the report's language: "7.–9. klasse", "grades 7–9".
    pub grades_text: Option<String>,
    /// Who it is for, in the provider's words.
    pub who: String,
    /// Where it takes place, as labels.
    pub settings: Vec<&'static str>,
    /// The forms it takes, as labels.
    pub types: Vec<&'static str>,
    /// How it runs: sessions, frequency, duration.
    pub format: Option<model::Format>,
    pub provider: ProviderView,
    /// Organisations it works with.
    pub partners: Vec<String>,
    pub documentation: DocumentationView,
    /// What it is, as Markdown blocks.
    pub description: Vec<Block>,
    /// Advice for local use, as Markdown blocks.
    pub recommendations: Option<Vec<Block>>,
    /// Further material.
    pub links: Vec<model::Link>,
    /// When the catalogue editors last checked the facts, `YYYY-MM-DD`.
    pub reviewed: Option<String>,
    /// The language the provider's own texts are written in (`da`, `en`): its name,
    /// summary, who, format, note, partners, description and recommendations. Labels are in
    /// the report's language; a template marks the sheet's own texts where the two differ,
    /// so a screen reader reads a Danish sheet in an English report as Danish.
    pub language: &'static str,
}

/// The provider with its kind as a label.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ProviderView {
    pub name: String,
    /// What kind of organisation it is, as a label.
    pub kind: &'static str,
    /// Its own web site.
    pub url: Option<String>,
}

/// The self-reported documentation level as a label, with the provider's note.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DocumentationView {
    /// The level's key, e.g. `effect-rct` or `not-stated`.
    pub level: &'static str,
    /// The level as a label in the sheet's language.
    pub label: &'static str,
    /// The provider's own words about it.
    pub note: Option<String>,
    /// Where the level is stated.
    pub source: Option<model::Source>,
}

impl Factsheet {
    /// Resolves an intervention's labels and parses its Markdown.
    pub fn new(intervention: &Intervention, catalogue: &Catalogue, lang: Lang) -> Factsheet {
        let i = intervention;
        let labels = |themes: &[model::ThemeId]| {
            themes
                .iter()
                .map(|theme| catalogue.theme_label(theme, lang).to_owned())
                .collect()
        };
        Factsheet {
            id: i.id.0.clone(),
            name: i.name.clone(),
            summary: i.summary.clone(),
            themes: labels(&i.themes),
            secondary_themes: labels(&i.secondary_themes),
            fits: true,
            age: i.target.age,
            grades: i.target.grades,
            age_text: i.target.age.map(|age| age.label(lang)),
            grades_text: i.target.grades.map(|grades| grades.label(lang)),
            who: i.target.who.clone(),
            settings: i.settings.iter().map(|s| s.label(lang)).collect(),
            types: i.kinds.iter().map(|k| k.label(lang)).collect(),
            format: i.format.clone(),
            provider: ProviderView {
                name: i.provider.name.clone(),
                kind: i.provider.kind.label(lang),
                url: i.provider.url.clone(),
            },
            partners: i.partners.clone(),
            documentation: DocumentationView {
                level: i.documentation.level.key(),
                label: i.documentation.level.label(lang),
                note: i.documentation.note.clone(),
                source: i.documentation.source.clone(),
            },
            description: markdown::parse(&i.description).blocks,
            recommendations: i
                .recommendations
                .as_deref()
                .map(|text| markdown::parse(text).blocks),
            links: i.links.clone(),
            reviewed: i.reviewed.clone(),
            language: i.language.key(),
        }
    }
}
