//! The data a template reads from `/data.json`: the summary's figures joined with the
//! codebook's labels, and the chosen fact sheets with their labels resolved.
//!
//! These types are the whole interface between Rust and the templates (documented in
//! docs/formats.md). They hold aggregated, privacy-checked numbers only.

use serde::Serialize;

use crate::Lang;
use crate::aggregate::{Group, Significance, Summary, Withheld};
use crate::catalogue::Catalogue;
use crate::catalogue::model::{self, Intervention};
use crate::date::ReportDate;
use crate::markdown::{self, Block};
use crate::render::numbers;
use crate::survey::codebook::Background;
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
    /// The respondent counts as printed.
    pub respondents_text: RespondentsText,
    /// The codes outside the percentage base, e.g. "Ved ikke".
    pub missing: Vec<Label>,
    /// Who took part: respondents per gender and grade, and the response rate.
    pub participation: Participation,
    pub branding: BrandingView,
    pub themes: Vec<Theme>,
    pub interventions: Vec<Factsheet>,
}

/// How the report is presented beyond its figures, set up by the analyst (report.yaml).
#[derive(Debug, Clone, Default)]
pub struct Presentation {
    pub branding: BrandingView,
    /// How many pupils of the municipality were invited, if known.
    pub invited: Option<u32>,
}

/// The publisher's branding as the template reads it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BrandingView {
    pub organisation: Option<String>,
    /// The logo's path in the Typst world, if there is one.
    pub logo: Option<String>,
    /// `#rrggbb`.
    pub colour: Option<String>,
    pub contact: Option<String>,
    pub preface: Option<Vec<Block>>,
}

/// Who took part, as printed in "Om undersøgelsen".
#[derive(Debug, Clone, Serialize)]
pub struct Participation {
    pub invited_text: Option<String>,
    /// Respondents as a share of those invited, e.g. "78 %".
    pub rate_text: Option<String>,
    /// Respondents per gender and grade ("færre end 5" or "–" where withheld).
    pub groups: Vec<CountText>,
}

/// A group and its count as text.
#[derive(Debug, Clone, Serialize)]
pub struct CountText {
    pub kind: GroupKind,
    pub label: String,
    pub text: String,
    pub withheld: Option<Withheld>,
}

/// Respondent counts as text in the report's language.
#[derive(Debug, Clone, Serialize)]
pub struct RespondentsText {
    pub municipality: String,
    pub benchmark: String,
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
    /// How many municipalities the benchmark sums for this question.
    pub benchmark_municipalities: usize,
    /// The municipality's indicator against the rest of the benchmark.
    pub significance: Option<Significance>,
    /// Municipality minus benchmark indicator in percentage points, if both are shown.
    pub difference: Option<f64>,
    /// The difference as text ("–" if either is suppressed or there is no indicator).
    pub difference_text: String,
    pub previous: Option<TrendView>,
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

/// One group's figures, aligned with the question's options; `None` where withheld (or, for
/// the shares, where the group has no answers to take them of).
#[derive(Debug, Clone, Serialize)]
pub struct GroupFigures {
    pub kind: GroupKind,
    pub label: Option<String>,
    /// Why the figures are withheld, if they are.
    pub withheld: Option<Withheld>,
    pub n: Option<u32>,
    /// Percent of valid answers, one per option, in option order.
    pub percent: Option<Vec<f64>>,
    /// Percent of non-blank answers, one per missing code, in code order.
    pub missing: Option<Vec<f64>>,
    pub indicator: Option<f64>,
    pub mean: Option<f64>,
    /// The same figures as the report prints them ("–" where withheld or missing; n is
    /// "<5" where the group is withheld for having fewer than 5 answers).
    pub text: GroupText,
}

/// A group's figures as text in the report's language, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct GroupText {
    pub n: String,
    pub percent: Vec<String>,
    pub missing: Vec<String>,
    pub indicator: String,
    pub mean: String,
}

/// The municipality's indicator in an earlier round, with its texts.
#[derive(Debug, Clone, Serialize)]
pub struct TrendView {
    pub round: u16,
    pub indicator: f64,
    pub change: f64,
    pub significance: Significance,
    pub indicator_text: String,
    pub change_text: String,
}

/// What a withheld or missing figure prints as.
const SUPPRESSED: &str = "–";

/// A fact sheet with every label resolved to the report's language.
#[derive(Debug, Clone, Serialize)]
pub struct Factsheet {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub themes: Vec<String>,
    pub age: Option<model::AgeRange>,
    /// The stated grades, printed as grades (never as ages).
    pub grades: Option<model::GradeRange>,
    /// `grades` as readers write them in the report's language: "7.–9. klasse", "grades 7–9".
    pub grades_text: Option<String>,
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
    /// Where the level is stated.
    pub source: Option<model::Source>,
}

impl Report {
    /// Joins a municipality's summary with the codebook's labels and the chosen fact sheets.
    pub fn new(
        codebook: &Codebook,
        summary: &Summary,
        interventions: &[&Intervention],
        catalogue: &Catalogue,
        presentation: &Presentation,
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
                title: in_lang(&theme.title, &theme.title_en, lang),
                questions: theme
                    .questions
                    .iter()
                    .filter_map(|question| {
                        let figures = figures.next_if(|f| f.id == question.id)?;
                        Some(Question::new(
                            codebook,
                            question,
                            figures,
                            summary.min_cell,
                            lang,
                        ))
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
                title: in_lang(&codebook.title, &codebook.title_en, lang),
                round: codebook.round,
            },
            min_cell: summary.min_cell,
            respondents: summary.respondents.clone(),
            respondents_text: RespondentsText {
                municipality: numbers::count(summary.respondents.municipality, lang),
                benchmark: numbers::count(summary.respondents.benchmark, lang),
            },
            missing: labels(&codebook.missing),
            participation: participation(codebook, summary, presentation.invited, lang),
            branding: presentation.branding.clone(),
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

/// The English text where the report is in English and the codebook has one.
fn in_lang(text: &str, english: &Option<String>, lang: Lang) -> String {
    match (lang, english) {
        (Lang::En, Some(english)) => english.clone(),
        _ => text.to_owned(),
    }
}

/// Respondents per group and the response rate, as text.
fn participation(
    codebook: &Codebook,
    summary: &Summary,
    invited: Option<u32>,
    lang: Lang,
) -> Participation {
    let respondents = summary.respondents.municipality;
    let background = &codebook.background;
    Participation {
        invited_text: invited.map(|n| numbers::count(n, lang)),
        rate_text: invited
            .filter(|&n| n > 0)
            .map(|n| numbers::percent_text(f64::from(respondents) * 100.0 / f64::from(n))),
        groups: summary
            .respondents
            .groups
            .iter()
            .map(|count| {
                let (kind, label) = group_view(background, count.group);
                CountText {
                    kind,
                    label: label.cloned().unwrap_or_default(),
                    text: match count.n {
                        Ok(n) => numbers::count(n, lang),
                        Err(Withheld::Primary) => numbers::fewer_than(summary.min_cell, lang),
                        Err(Withheld::Secondary) => SUPPRESSED.to_owned(),
                    },
                    withheld: count.n.err(),
                }
            })
            .collect(),
    }
}

/// A group's kind and, for gender and grade groups, its label from the codebook.
fn group_view(background: &Background, group: Group) -> (GroupKind, Option<&String>) {
    match group {
        Group::Municipality => (GroupKind::Municipality, None),
        Group::Benchmark => (GroupKind::Benchmark, None),
        Group::Gender(code) => (GroupKind::Gender, background.gender.values.get(&code)),
        Group::Grade(code) => (GroupKind::Grade, background.grade.values.get(&code)),
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
        min_cell: u32,
        lang: Lang,
    ) -> Question {
        let categories: Vec<String> = question
            .categories()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let groups: Vec<GroupFigures> = figures
            .groups
            .iter()
            .map(|group| group_figures(codebook, group, categories.len(), min_cell, lang))
            .collect();
        let indicator_of = |group: Group| {
            figures
                .groups
                .iter()
                .find(|g| g.group == group)
                .and_then(|g| g.figures.as_ref().ok())
                .and_then(|f| f.indicator)
        };
        let difference = match (
            indicator_of(Group::Municipality),
            indicator_of(Group::Benchmark),
        ) {
            (Some(home), Some(all)) => Some(home - all),
            _ => None,
        };
        let difference_text = difference.map_or_else(|| SUPPRESSED.to_owned(), numbers::difference);
        let (kind, unit, items) = match &question.kind {
            QuestionKind::Single { .. } => ("single", None, Vec::new()),
            QuestionKind::Multiple { .. } => ("multiple", None, Vec::new()),
            QuestionKind::Numeric { unit, unit_en, .. } => (
                "numeric",
                unit.as_ref().map(|unit| in_lang(unit, unit_en, lang)),
                Vec::new(),
            ),
            QuestionKind::Index { items, .. } => (
                "index",
                None,
                items
                    .iter()
                    .map(|item| in_lang(&item.text, &item.text_en, lang))
                    .collect(),
            ),
        };
        Question {
            id: question.id.0.clone(),
            text: in_lang(&question.text, &question.text_en, lang),
            kind,
            indicator: question
                .indicator
                .as_ref()
                .map(|text| in_lang(text, &question.indicator_en, lang)),
            categories,
            unit,
            items,
            groups,
            benchmark_municipalities: figures.benchmark_municipalities,
            significance: figures.significance,
            difference,
            difference_text,
            previous: figures.previous.as_ref().map(|trend| TrendView {
                round: trend.round,
                indicator: trend.indicator,
                change: trend.change,
                significance: trend.significance,
                indicator_text: numbers::percent_text(trend.indicator),
                change_text: numbers::difference(trend.change),
            }),
        }
    }
}

fn group_figures(
    codebook: &Codebook,
    group: &crate::aggregate::GroupFigures,
    categories: usize,
    min_cell: u32,
    lang: Lang,
) -> GroupFigures {
    let (kind, label) = group_view(&codebook.background, group.group);
    let figures = group.figures.as_ref().ok();
    let shares = |values: &std::collections::BTreeMap<crate::survey::Code, f64>| {
        (!values.is_empty()).then(|| values.values().copied().collect::<Vec<f64>>())
    };
    let percent: Option<Vec<f64>> = figures.and_then(|f| shares(&f.percent));
    let missing: Option<Vec<f64>> = figures.and_then(|f| shares(&f.missing));
    let texts = |values: &Option<Vec<f64>>, count: usize| match values {
        Some(values) => values.iter().map(|&v| numbers::percent(v)).collect(),
        None => vec![SUPPRESSED.to_owned(); count],
    };
    let or_dash = |text: Option<String>| text.unwrap_or_else(|| SUPPRESSED.to_owned());
    let n = match &group.figures {
        Ok(f) => numbers::count(f.n, lang),
        Err(Withheld::Primary) => format!("<{min_cell}"),
        Err(Withheld::Secondary) => SUPPRESSED.to_owned(),
    };
    let text = GroupText {
        n,
        percent: texts(&percent, categories),
        missing: texts(&missing, codebook.missing.len()),
        indicator: or_dash(figures.and_then(|f| f.indicator).map(numbers::percent_text)),
        mean: or_dash(
            figures
                .and_then(|f| f.mean)
                .map(|m| numbers::decimal(m, lang)),
        ),
    };
    GroupFigures {
        kind,
        label: label.cloned(),
        withheld: group.figures.as_ref().err().copied(),
        n: figures.map(|f| f.n),
        percent,
        missing,
        indicator: figures.and_then(|f| f.indicator),
        mean: figures.and_then(|f| f.mean),
        text,
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
            grades: i.target.grades,
            grades_text: i.target.grades.map(|grades| grades.label(lang)),
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
                source: i.documentation.source.clone(),
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
