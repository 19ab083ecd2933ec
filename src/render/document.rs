//! The data a template reads from `/data.json`: the summary's figures joined with the
//! codebook's labels, and the chosen fact sheets with their labels resolved.
//!
//! These types are the whole interface between Rust and the templates: the contract a
//! template designer works against. It carries a [`DATA_VERSION`], its JSON Schema is
//! generated from these types (`report templates schema`, with these doc comments as the
//! field descriptions), and docs/templates.md walks through it. They hold aggregated,
//! privacy-checked numbers only.

use schemars::JsonSchema;
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

/// The version of the template data. It changes whenever a field is removed, renamed or
/// changes its meaning, so a custom template can check what it was written for.
pub const DATA_VERSION: u32 = 1;

/// The basis report of one municipality: `/data.json` of `basisrapport.typ`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReportData {
    /// The version of this data format (1); it changes whenever a field is removed, renamed
    /// or changes its meaning.
    pub version: u32,
    /// The language of the report's texts: `da` or `en`.
    pub lang: Lang,
    /// The date the report carries, `YYYY-MM-DD`.
    pub date: ReportDate,
    /// The reported municipality's name.
    pub municipality: String,
    pub survey: SurveyView,
    /// The privacy threshold: nothing about fewer respondents is published.
    pub min_cell: u32,
    pub respondents: RespondentsView,
    /// The respondent counts as printed.
    pub respondents_text: RespondentsText,
    /// The codes outside the percentage base, e.g. "Ved ikke".
    pub missing: Vec<Label>,
    /// Who took part: respondents per gender and grade, and the response rate.
    pub participation: Participation,
    pub branding: BrandingView,
    pub themes: Vec<ThemeView>,
    /// The fact sheets to append, in the order chosen.
    pub interventions: Vec<Factsheet>,
}

/// The JSON Schema of the data of a basis report (`report = true`) or of stand-alone fact
/// sheets, with the data version, for template designers and their editors.
pub fn json_schema(report: bool) -> serde_json::Value {
    let (mut schema, title) = if report {
        (
            schemars::schema_for!(ReportData).to_value(),
            "Template data of a basis report (/data.json of basisrapport.typ)",
        )
    } else {
        (
            schemars::schema_for!(FactsheetsData).to_value(),
            "Template data of stand-alone fact sheets (/data.json of factsheets.typ)",
        )
    };
    schema["title"] = serde_json::json!(title);
    schema["properties"]["version"]["const"] = serde_json::json!(DATA_VERSION);
    schema
}

/// How the report is presented beyond its figures, set up by the analyst (report.yaml).
#[derive(Debug, Clone, Default)]
pub struct Presentation {
    pub branding: BrandingView,
    /// How many pupils of the municipality were invited, if known.
    pub invited: Option<u32>,
}

/// The publisher's branding as the template reads it.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct BrandingView {
    pub organisation: Option<String>,
    /// The logo's path in the Typst world, if there is one.
    pub logo: Option<String>,
    /// `#rrggbb`.
    pub colour: Option<String>,
    pub contact: Option<String>,
    pub preface: Option<Vec<Block>>,
}

/// How many took part.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RespondentsView {
    /// The municipality's respondents (at least `min_cell`).
    pub municipality: u32,
    /// Respondents of every municipality with at least `min_cell` of them.
    pub benchmark: u32,
    /// How many municipalities `benchmark` counts.
    pub benchmark_municipalities: usize,
    /// Municipalities in the data with fewer than `min_cell` respondents, left out.
    pub excluded_municipalities: usize,
}

/// Who took part, as printed in "Om undersøgelsen".
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Participation {
    /// How many pupils were invited, if report.yaml says.
    pub invited_text: Option<String>,
    /// Respondents as a share of those invited, e.g. "78 %".
    pub rate_text: Option<String>,
    /// Respondents per gender and grade ("færre end 5" or "–" where withheld).
    pub groups: Vec<CountText>,
}

/// A breakdown group of the respondents table and its count as text.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CountText {
    #[serde(flatten)]
    pub group: GroupId,
    /// The count as printed: a number, "færre end 5" / "fewer than 5", or "–".
    pub text: String,
    /// Why the count is withheld, if it is.
    pub withheld: Option<Withheld>,
}

/// Respondent counts as text in the report's language.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RespondentsText {
    pub municipality: String,
    pub benchmark: String,
}

/// Stand-alone fact sheets: `/data.json` of `factsheets.typ`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FactsheetsData {
    /// The version of this data format, as in the basis report's data.
    pub version: u32,
    pub lang: Lang,
    pub date: ReportDate,
    pub interventions: Vec<Factsheet>,
}

/// The survey a report is about.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SurveyView {
    /// The codebook's short machine name, e.g. `udskoling`.
    pub id: String,
    pub title: String,
    /// The survey round (year).
    pub round: u16,
}

/// A code and its label.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Label {
    pub code: Code,
    pub label: String,
}

/// A chapter of the report: a theme of the codebook with the questions the data have.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ThemeView {
    pub id: String,
    pub title: String,
    pub questions: Vec<QuestionView>,
}

/// One question with its figures per group.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct QuestionView {
    /// The question's id in the codebook.
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
    /// The rows of the question's table: the unit first, then the comparisons, then the
    /// breakdowns' groups (find them by `role`, not by position).
    pub groups: Vec<GroupView>,
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

/// What a group is to the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The unit the report is about (the municipality).
    Unit,
    /// A group the unit is compared with ("Alle kommuner").
    Comparison,
    /// The unit's respondents with one value of a background variable.
    Breakdown,
}

/// Which group a row describes.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GroupId {
    pub role: Role,
    /// For the unit its level (`municipality`); for a comparison its id (`all`); for a
    /// breakdown group the background variable (`gender`, `grade`).
    pub id: String,
    /// The value's code, for breakdown groups.
    pub code: Option<Code>,
    /// The name to print: the unit's name or the value's label; `null` for the comparison
    /// `all`, which the template names in the report's language.
    pub label: Option<String>,
}

/// One group's figures, aligned with the question's options; `None` where withheld (or, for
/// the shares, where the group has no answers to take them of).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GroupView {
    #[serde(flatten)]
    pub group: GroupId,
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
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GroupText {
    pub n: String,
    pub percent: Vec<String>,
    pub missing: Vec<String>,
    pub indicator: String,
    pub mean: String,
}

/// The municipality's indicator in an earlier round, with its texts.
#[derive(Debug, Clone, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, Serialize, JsonSchema)]
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
    pub provider: ProviderView,
    pub partners: Vec<String>,
    pub documentation: DocumentationView,
    pub description: Vec<Block>,
    pub recommendations: Option<Vec<Block>>,
    pub links: Vec<model::Link>,
    pub reviewed: Option<String>,
}

/// The provider with its kind as a label.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ProviderView {
    pub name: String,
    pub kind: &'static str,
    pub url: Option<String>,
}

/// The self-reported documentation level as a label, with the provider's note.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DocumentationView {
    pub level: &'static str,
    pub label: &'static str,
    pub note: Option<String>,
    /// Where the level is stated.
    pub source: Option<model::Source>,
}

impl ReportData {
    /// Joins a municipality's summary with the codebook's labels and the chosen fact sheets.
    pub fn new(
        codebook: &Codebook,
        summary: &Summary,
        interventions: Vec<Factsheet>,
        presentation: &Presentation,
        lang: Lang,
        date: ReportDate,
    ) -> ReportData {
        // The summary has the questions the data have, in codebook order.
        let mut figures = summary.questions.iter().peekable();
        let themes = codebook
            .themes
            .iter()
            .map(|theme| ThemeView {
                id: theme.id.clone(),
                title: in_lang(&theme.title, &theme.title_en, lang),
                questions: theme
                    .questions
                    .iter()
                    .filter_map(|question| {
                        let figures = figures.next_if(|f| f.id == question.id)?;
                        Some(QuestionView::new(
                            codebook,
                            &summary.municipality,
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
        let respondents = &summary.respondents;
        ReportData {
            version: DATA_VERSION,
            lang,
            date,
            municipality: summary.municipality.clone(),
            survey: SurveyView {
                id: codebook.survey.clone(),
                title: in_lang(&codebook.title, &codebook.title_en, lang),
                round: codebook.round,
            },
            min_cell: summary.min_cell,
            respondents: RespondentsView {
                municipality: respondents.municipality,
                benchmark: respondents.benchmark,
                benchmark_municipalities: respondents.benchmark_municipalities,
                excluded_municipalities: respondents.excluded_municipalities,
            },
            respondents_text: RespondentsText {
                municipality: numbers::count(summary.respondents.municipality, lang),
                benchmark: numbers::count(summary.respondents.benchmark, lang),
            },
            missing: labels(&codebook.missing),
            participation: participation(codebook, summary, presentation.invited, lang),
            branding: presentation.branding.clone(),
            themes,
            interventions,
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
            .map(|count| CountText {
                group: group_id(background, &summary.municipality, count.group),
                text: match count.n {
                    Ok(n) => numbers::count(n, lang),
                    Err(Withheld::Primary) => numbers::fewer_than(summary.min_cell, lang),
                    Err(Withheld::Secondary) => SUPPRESSED.to_owned(),
                },
                withheld: count.n.err(),
            })
            .collect(),
    }
}

/// A group's role, id and label (the municipality's name, or a breakdown value's label from
/// the codebook).
fn group_id(background: &Background, municipality: &str, group: Group) -> GroupId {
    let breakdown =
        |id: &str, code: Code, values: &std::collections::BTreeMap<Code, String>| GroupId {
            role: Role::Breakdown,
            id: id.to_owned(),
            code: Some(code),
            label: values.get(&code).cloned(),
        };
    match group {
        Group::Municipality => GroupId {
            role: Role::Unit,
            id: "municipality".to_owned(),
            code: None,
            label: Some(municipality.to_owned()),
        },
        Group::Benchmark => GroupId {
            role: Role::Comparison,
            id: "all".to_owned(),
            code: None,
            label: None,
        },
        Group::Gender(code) => breakdown("gender", code, &background.gender.values),
        Group::Grade(code) => breakdown("grade", code, &background.grade.values),
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

impl QuestionView {
    fn new(
        codebook: &Codebook,
        municipality: &str,
        question: &crate::survey::Question,
        figures: &crate::aggregate::QuestionSummary,
        min_cell: u32,
        lang: Lang,
    ) -> QuestionView {
        let categories: Vec<String> = question
            .categories()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let groups: Vec<GroupView> = figures
            .groups
            .iter()
            .map(|group| {
                group_figures(
                    codebook,
                    municipality,
                    group,
                    categories.len(),
                    min_cell,
                    lang,
                )
            })
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
        QuestionView {
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
    municipality: &str,
    group: &crate::aggregate::GroupFigures,
    categories: usize,
    min_cell: u32,
    lang: Lang,
) -> GroupView {
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
    GroupView {
        group: group_id(&codebook.background, municipality, group.group),
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
        }
    }
}
