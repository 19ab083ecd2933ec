//! The data a template reads from `/data.json`: the summary's figures joined with the
//! codebook's labels, and the chosen fact sheets with their labels resolved.
//!
//! These types are the whole interface between Rust and the templates (documented in
//! docs/formats.md). They hold aggregated, privacy-checked numbers only.

use serde::Serialize;

use crate::Lang;
use crate::aggregate::{Group, Significance, Summary, Trend};
use crate::catalogue::Catalogue;
use crate::catalogue::model::{self, Intervention};
use crate::date::ReportDate;
use crate::markdown::{self, Block};
use crate::survey::{Code, Codebook, QuestionKind};

/// The basis report of one municipality.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub lang: Lang,
    pub date: ReportDate,
    pub municipality: String,
    pub survey: Survey,
    pub min_cell: u32,
    pub respondents: crate::aggregate::Respondents,
    /// The codes outside the percentage base, e.g. "Ved ikke".
    pub missing: Vec<Label>,
    pub themes: Vec<Theme>,
    pub interventions: Vec<Factsheet>,
}

/// Stand-alone fact sheets.
#[derive(Debug, Clone, Serialize)]
pub struct Factsheets {
    pub lang: Lang,
    pub date: ReportDate,
    pub interventions: Vec<Factsheet>,
}

/// The survey a report is about.
#[derive(Debug, Clone, Serialize)]
pub struct Survey {
    pub id: String,
    pub title: String,
    pub round: u16,
}

/// A code and its label.
#[derive(Debug, Clone, Serialize)]
pub struct Label {
    pub code: Code,
    pub label: String,
}

/// A chapter of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Theme {
    pub id: String,
    pub title: String,
    pub questions: Vec<Question>,
}

/// One question with its figures per group.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    pub text: String,
    /// `single`, `multiple`, `numeric` or `index`.
    pub kind: &'static str,
    /// Completes "Andel der …"; absent when the question has no headline indicator.
    pub indicator: Option<String>,
    /// The labels of the options (or bins) that `percent` refers to, in order.
    pub categories: Vec<String>,
    /// The unit of a numeric question's values, e.g. "timer".
    pub unit: Option<String>,
    /// The items an index is built from.
    pub items: Vec<String>,
    pub groups: Vec<GroupFigures>,
    /// The municipality's indicator against the rest of the benchmark.
    pub significance: Option<Significance>,
    pub previous: Option<Trend>,
}

/// Which kind of group a row of figures describes; the template names municipality and
/// benchmark in the report's language, and uses `label` for the others.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupKind {
    Municipality,
    Benchmark,
    Gender,
    Grade,
}

/// One group's figures, aligned with the question's options; `None` where suppressed.
#[derive(Debug, Clone, Serialize)]
pub struct GroupFigures {
    pub kind: GroupKind,
    pub label: Option<String>,
    pub n: Option<u32>,
    /// Percent of valid answers, one per option, in option order.
    pub percent: Option<Vec<f64>>,
    /// Percent of non-blank answers, one per missing code, in code order.
    pub missing: Option<Vec<f64>>,
    pub indicator: Option<f64>,
    pub mean: Option<f64>,
}

/// A fact sheet with every label resolved to the report's language.
#[derive(Debug, Clone, Serialize)]
pub struct Factsheet {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub themes: Vec<String>,
    pub age: Option<model::AgeRange>,
    pub who: String,
    pub settings: Vec<&'static str>,
    pub types: Vec<&'static str>,
    pub format: Option<model::Format>,
    pub provider: Provider,
    pub partners: Vec<String>,
    pub documentation: Documentation,
    pub description: Vec<Block>,
    pub recommendations: Option<Vec<Block>>,
    pub links: Vec<model::Link>,
    pub reviewed: Option<String>,
}

/// The provider with its kind as a label.
#[derive(Debug, Clone, Serialize)]
pub struct Provider {
    pub name: String,
    pub kind: &'static str,
    pub url: Option<String>,
}

/// The self-reported documentation level as a label, with the provider's note.
#[derive(Debug, Clone, Serialize)]
pub struct Documentation {
    pub level: &'static str,
    pub label: &'static str,
    pub note: Option<String>,
}

impl Report {
    /// Joins a municipality's summary with the codebook's labels and the chosen fact sheets.
    pub fn new(
        codebook: &Codebook,
        summary: &Summary,
        interventions: &[&Intervention],
        catalogue: &Catalogue,
        lang: Lang,
        date: ReportDate,
    ) -> Report {
        // The summary has the questions the data have, in codebook order.
        let mut figures = summary.questions.iter().peekable();
        let themes = codebook
            .themes
            .iter()
            .map(|theme| Theme {
                id: theme.id.clone(),
                title: theme.title.clone(),
                questions: theme
                    .questions
                    .iter()
                    .filter_map(|question| {
                        let figures = figures.next_if(|f| f.id == question.id)?;
                        Some(Question::new(codebook, question, figures))
                    })
                    .collect(),
            })
            .filter(|theme| !theme.questions.is_empty())
            .collect();
        Report {
            lang,
            date,
            municipality: summary.municipality.clone(),
            survey: Survey {
                id: codebook.survey.clone(),
                title: codebook.title.clone(),
                round: codebook.round,
            },
            min_cell: summary.min_cell,
            respondents: summary.respondents.clone(),
            missing: labels(&codebook.missing),
            themes,
            interventions: interventions
                .iter()
                .map(|i| Factsheet::new(i, catalogue, lang))
                .collect(),
        }
    }
}

impl Factsheets {
    /// Fact sheets for printing on their own.
    pub fn new(
        interventions: &[&Intervention],
        catalogue: &Catalogue,
        lang: Lang,
        date: ReportDate,
    ) -> Factsheets {
        Factsheets {
            lang,
            date,
            interventions: interventions
                .iter()
                .map(|i| Factsheet::new(i, catalogue, lang))
                .collect(),
        }
    }
}

fn labels(map: &std::collections::BTreeMap<Code, String>) -> Vec<Label> {
    map.iter()
        .map(|(code, label)| Label {
            code: *code,
            label: label.clone(),
        })
        .collect()
}

impl Question {
    fn new(
        codebook: &Codebook,
        question: &crate::survey::Question,
        figures: &crate::aggregate::QuestionSummary,
    ) -> Question {
        let (kind, unit, items) = match &question.kind {
            QuestionKind::Single { .. } => ("single", None, Vec::new()),
            QuestionKind::Multiple { .. } => ("multiple", None, Vec::new()),
            QuestionKind::Numeric { unit, .. } => ("numeric", unit.clone(), Vec::new()),
            QuestionKind::Index { items, .. } => (
                "index",
                None,
                items.iter().map(|i| i.text.clone()).collect(),
            ),
        };
        Question {
            id: question.id.0.clone(),
            text: question.text.clone(),
            kind,
            indicator: question.indicator.clone(),
            categories: question
                .categories()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            unit,
            items,
            groups: figures
                .groups
                .iter()
                .map(|group| group_figures(codebook, group))
                .collect(),
            significance: figures.significance,
            previous: figures.previous.clone(),
        }
    }
}

fn group_figures(codebook: &Codebook, group: &crate::aggregate::GroupFigures) -> GroupFigures {
    let background = &codebook.background;
    let (kind, label) = match group.group {
        Group::Municipality => (GroupKind::Municipality, None),
        Group::Benchmark => (GroupKind::Benchmark, None),
        Group::Gender(code) => (GroupKind::Gender, background.gender.values.get(&code)),
        Group::Grade(code) => (GroupKind::Grade, background.grade.values.get(&code)),
    };
    let figures = group.figures.as_ref();
    GroupFigures {
        kind,
        label: label.cloned(),
        n: figures.map(|f| f.n),
        percent: figures.map(|f| f.percent.values().copied().collect()),
        missing: figures.map(|f| f.missing.values().copied().collect()),
        indicator: figures.and_then(|f| f.indicator),
        mean: figures.and_then(|f| f.mean),
    }
}

impl Factsheet {
    /// Resolves an intervention's labels and parses its Markdown.
    pub fn new(intervention: &Intervention, catalogue: &Catalogue, lang: Lang) -> Factsheet {
        let i = intervention;
        Factsheet {
            id: i.id.0.clone(),
            name: i.name.clone(),
            summary: i.summary.clone(),
            themes: i
                .themes
                .iter()
                .map(|theme| catalogue.theme_label(theme, lang).to_owned())
                .collect(),
            age: i.target.age,
            who: i.target.who.clone(),
            settings: i.settings.iter().map(|s| s.label(lang)).collect(),
            types: i.kinds.iter().map(|k| k.label(lang)).collect(),
            format: i.format.clone(),
            provider: Provider {
                name: i.provider.name.clone(),
                kind: i.provider.kind.label(lang),
                url: i.provider.url.clone(),
            },
            partners: i.partners.clone(),
            documentation: Documentation {
                level: i.documentation.level.key(),
                label: i.documentation.level.label(lang),
                note: i.documentation.note.clone(),
            },
            description: markdown::parse(&i.description).blocks,
            recommendations: i
                .recommendations
                .as_deref()
                .map(|text| markdown::parse(text).blocks),
            links: i.links.clone(),
            reviewed: i.reviewed.clone(),
        }
    }
}
