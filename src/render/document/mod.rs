//! The data a template reads from `/data.json`: a unit's figures joined with the codebook's
//! labels, and the chosen fact sheets with their labels resolved.
//!
//! These types are the whole interface between Rust and the templates: the contract a
//! template designer works against. It carries a [`DATA_VERSION`], its JSON Schema is
//! generated from these types (`report templates schema`, with these doc comments as the
//! field descriptions), and docs/templates.md walks through it. They hold aggregated,
//! privacy-checked numbers only.

mod factsheet;
mod report;

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::Serialize;

pub use factsheet::{DocumentationView, Factsheet, ProviderView};
pub use report::Additions;

use crate::Lang;
use crate::aggregate::{Direction, Significance, Summary};
use crate::date::ReportDate;
use crate::markdown::Block;
use crate::survey::{Better, Code, Codebook, End};

/// The version of the template data. It changes whenever a field is removed, renamed or
/// changes its meaning, so a custom template can check what it was written for.
pub const DATA_VERSION: u32 = 3;

/// The basis report of one unit (a municipality or a school): `/data.json` of
/// `basisrapport.typ`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReportData {
    /// The version of this data format (2); it changes whenever a field is removed, renamed
    /// or changes its meaning.
    pub version: u32,
    /// The language of the report's texts: `da` or `en`.
    pub lang: Lang,
    /// The codebook's and report.yaml's texts that have no translation into `lang` and are
    /// printed in Danish, sorted; empty in a Danish report. The built-in templates mark every
    /// place one is printed, alone or inside a sentence, as Danish (`text(lang: "da")`,
    /// `lang="da"`), so a screen reader reads it with Danish pronunciation.
    pub untranslated: Vec<String>,
    /// The date the report carries, `YYYY-MM-DD`.
    pub date: ReportDate,
    /// What the report is about.
    pub unit: UnitView,
    /// The survey the report is about.
    pub survey: SurveyView,
    /// The privacy threshold: nothing about fewer respondents is published.
    pub min_cell: u32,
    /// The smallest difference, in percentage points, that the report marks.
    pub relevant_difference: f64,
    /// How many of the unit's pupils took part.
    pub respondents: RespondentsView,
    /// The groups the unit is compared with, in the chosen order; the first is the main one.
    pub comparisons: Vec<ComparisonView>,
    /// The background variables the unit is broken down by, in order.
    pub breakdowns: Vec<BreakdownView>,
    /// The codes outside the percentage base, e.g. "Ved ikke".
    pub missing: Vec<Label>,
    /// Who took part: respondents per breakdown value, and the response rate.
    pub participation: Participation,
    /// The publisher's look, from report.yaml; every field `null` without it.
    pub branding: BrandingView,
    /// The rounds of the trends, oldest first, ending with this one; empty without earlier
    /// rounds (each indicator then has a `trend` with one entry per round).
    pub rounds: Vec<u16>,
    /// The report's chapters: the codebook's themes with the questions the data have.
    pub themes: Vec<ThemeView>,
    /// The fact sheets to append, in the order chosen.
    pub interventions: Vec<Factsheet>,
    /// `full` (every question's table) or `key-figures` (the short report: overview,
    /// differences and the library, no question chapters).
    pub kind: ReportKind,
    /// Where the unit differs significantly from its main comparison.
    pub differences: DifferencesView,
    /// What the summary states besides the differences: clear changes and gaps.
    pub headlines: HeadlinesView,
    /// The library as inspiration: for each theme with a concern, the catalogue's
    /// interventions on related themes whose target ages fit the survey's.
    pub library: LibraryView,
}

/// Which report a unit gets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ReportKind {
    /// The basis report: overview, differences, library, a chapter per theme with every
    /// question's table, the chosen fact sheets.
    #[default]
    Full,
    /// The key-figures report (nøgletalsrapport): the codebook's key indicators only, with
    /// their comparisons, trends, gender and grade gaps, differences and library.
    KeyFigures,
}

impl ReportKind {
    /// The names `--kind` takes.
    pub const KEYS: [&'static str; 2] = ["full", "key-figures"];

    /// How its files' names begin: `basisrapport` or `noegletal`.
    pub fn file_prefix(self) -> &'static str {
        match self {
            ReportKind::Full => "basisrapport",
            ReportKind::KeyFigures => "noegletal",
        }
    }

    /// The figures a report of this kind shows, states and suggests from: every question's
    /// for the full report, the key indicators' ([`crate::survey::Question::key`]) for the
    /// key-figures report. Their tests are the full report's (the false discovery rate is
    /// controlled over every indicator), so a figure carries the same mark in both.
    pub fn figures<'a>(self, summary: &'a Summary, codebook: &Codebook) -> Cow<'a, Summary> {
        match self {
            ReportKind::Full => Cow::Borrowed(summary),
            ReportKind::KeyFigures => {
                let mut shown = summary.clone();
                shown
                    .questions
                    .retain(|figures| codebook.questions().any(|q| q.id == figures.id && q.key));
                Cow::Owned(shown)
            }
        }
    }
}

impl std::str::FromStr for ReportKind {
    type Err = String;

    fn from_str(key: &str) -> Result<ReportKind, String> {
        match key {
            "full" => Ok(ReportKind::Full),
            "key-figures" => Ok(ReportKind::KeyFigures),
            other => Err(format!(
                "unknown report kind `{other}` (known: {})",
                ReportKind::KEYS.join(", ")
            )),
        }
    }
}

/// The unit's significant differences from its main comparison, strengths and concerns apart,
/// each list largest difference first.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct DifferencesView {
    /// The main comparison's label (`null` for `all`, which the template names); `null` too
    /// when the report has no comparison.
    pub against: Option<String>,
    /// How many headline indicators were tested against it.
    pub tested: usize,
    /// Significantly better than the main comparison.
    pub strengths: Vec<DifferenceView>,
    /// Significantly worse.
    pub concerns: Vec<DifferenceView>,
    /// Significantly higher or lower where the codebook does not say which is better.
    pub other: Vec<DifferenceView>,
    /// Too few answers to tell whether there is a relevant difference.
    pub unclear: Vec<DifferenceView>,
    /// The largest difference on any tested indicator, marked or not.
    pub largest: Option<DifferenceView>,
}

/// One significant difference.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DifferenceView {
    /// The question's id.
    pub question: String,
    /// Its theme's title.
    pub theme: String,
    /// Completes "Andel der …".
    pub indicator: String,
    /// The unit's indicator as printed, e.g. `18 %`.
    pub unit_text: String,
    /// The main comparison's indicator as printed.
    pub comparison_text: String,
    /// Unit minus comparison in percentage points as printed, with its sign.
    pub difference_text: String,
    /// `higher` or `lower`: the unit against the comparison.
    pub significance: Significance,
    /// `better`, `worse` or `neutral`.
    pub direction: Direction,
    /// The rounds' indicators as printed ("2024: 15 % · 2026: 18 %"), with earlier rounds.
    pub trend_text: Option<String>,
}

/// What the summary on the report's first pages states besides the differences, each only
/// where the figures support it ([`crate::aggregate::changes`], [`crate::aggregate::gaps`]).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HeadlinesView {
    /// The indicators that changed clearly and relevantly since the round before, largest
    /// change first; empty without earlier rounds.
    pub changes: Vec<ChangeView>,
    /// The widest clear and relevant gaps between the unit's own groups of one breakdown
    /// (e.g. girls and boys), largest first.
    pub gaps: Vec<GapView>,
}

/// An indicator that changed clearly since the round before.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ChangeView {
    /// The question's id.
    pub question: String,
    /// Completes "Andel der …".
    pub indicator: String,
    /// The round before.
    pub previous_round: u16,
    /// The unit's indicator then and now, as printed.
    pub previous_text: String,
    pub current_text: String,
    /// Now minus then, as printed (`+7`).
    pub change_text: String,
    /// `higher` or `lower`.
    pub significance: Significance,
    /// `better`, `worse` or `neutral`.
    pub direction: Direction,
}

/// A clear gap between two of the unit's groups.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GapView {
    /// The question's id.
    pub question: String,
    /// Completes "Andel der …".
    pub indicator: String,
    /// The breakdown's id and title (`gender`, "Køn").
    pub breakdown: String,
    pub breakdown_title: String,
    /// The group with the higher indicator: its code, its label and its indicator as
    /// printed.
    pub high: Code,
    pub high_label: String,
    pub high_text: String,
    /// The group with the lower indicator.
    pub low: Code,
    pub low_label: String,
    pub low_text: String,
    /// High minus low as printed, in percentage points (`+13`).
    pub difference_text: String,
}

/// Interventions from the library on the themes where the unit does worse.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct LibraryView {
    /// The survey's ages the interventions were chosen for, as printed ("13–16 år"); `null`
    /// where the codebook tells neither ages nor grades (then no age filter was applied).
    pub ages_text: Option<String>,
    /// One entry per codebook theme with a concern and related interventions, in codebook
    /// order.
    pub themes: Vec<LibraryThemeView>,
    /// Every intervention the themes name, once, in the order they are first named (their
    /// fact sheets; only a few fields are printed in the list).
    pub interventions: Vec<Factsheet>,
}

/// The library's interventions for one codebook theme.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LibraryThemeView {
    /// The codebook theme's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The ids of the fitting interventions (in `LibraryView.interventions`), best first.
    pub interventions: Vec<String>,
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
    /// How many pupils of the unit were invited, if known.
    pub invited: Option<u32>,
    /// report.yaml's texts without a translation into the report's language (see
    /// [`ReportData::untranslated`]).
    pub untranslated: Vec<String>,
}

/// The publisher's branding as the template reads it.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct BrandingView {
    /// The publishing organisation's name, for the cover.
    pub organisation: Option<String>,
    /// The logo's path in the Typst world (`image(data.branding.logo)`), if there is one.
    pub logo: Option<String>,
    /// The primary colour, `#rrggbb`.
    pub colour: Option<String>,
    /// A contact line for the cover.
    pub contact: Option<String>,
    /// A preface as Markdown blocks, printed after the summary.
    pub preface: Option<Vec<Block>>,
}

/// The unit a report is about.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UnitView {
    /// `municipality` or `school`.
    pub level: crate::aggregate::Level,
    /// The unit's name as the survey file gives it.
    pub name: String,
    /// For a school, its municipality.
    pub municipality: Option<String>,
}

/// How many of the unit's pupils took part.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RespondentsView {
    /// The unit's respondents (at least `min_cell`).
    pub unit: u32,
    /// The same, as printed.
    pub unit_text: String,
}

/// A comparison group and its size.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ComparisonView {
    /// `all`, `region`, `municipality` or a custom group's id.
    pub id: String,
    /// Its name; `null` for `all`, which the template names in the report's language.
    pub label: Option<String>,
    /// Its municipalities whose figures are published (those it sums).
    pub municipalities: usize,
    /// Its municipalities whose figures are withheld, left out.
    pub excluded: usize,
    /// The respondents it sums, as printed.
    pub respondents_text: String,
}

/// A background variable the report breaks the unit down by.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BreakdownView {
    /// E.g. `gender`; breakdown groups name it as their `id`.
    pub id: String,
    /// Its name in the report's language, e.g. "Køn".
    pub title: String,
    /// Whether the comparisons are standardised to the unit's mix by it (report.yaml
    /// `standardise:`): each comparison's `standardised` figure is then adjusted for it
    /// where the figures allow.
    pub standardised: bool,
}

/// Who took part, as printed in "Om undersøgelsen".
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Participation {
    /// How many pupils were invited, if report.yaml says.
    pub invited_text: Option<String>,
    /// Respondents as a share of those invited, e.g. "78 %".
    pub rate_text: Option<String>,
    /// Respondents per breakdown value ("–" where withheld).
    pub groups: Vec<CountText>,
}

/// A breakdown group of the respondents table and its count as text.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CountText {
    #[serde(flatten)]
    pub group: GroupId,
    /// The count as printed: a number, or "–" where withheld.
    pub text: String,
    /// Whether the count is withheld (the same mark whatever the reason).
    pub withheld: bool,
}

/// Stand-alone fact sheets: `/data.json` of `factsheets.typ`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FactsheetsData {
    /// The version of this data format, as in the basis report's data.
    pub version: u32,
    /// The language of the fixed texts and labels: `da` or `en`.
    pub lang: Lang,
    /// The date the sheets carry, `YYYY-MM-DD`.
    pub date: ReportDate,
    /// The fact sheets, one per page, in the order asked for.
    pub interventions: Vec<Factsheet>,
}

/// The survey a report is about.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SurveyView {
    /// The codebook's short machine name, e.g. `udskoling`.
    pub id: String,
    /// The survey's title in the report's language.
    pub title: String,
    /// The survey round (year).
    pub round: u16,
}

/// A code and its label.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Label {
    /// The code as it stands in the survey file.
    pub code: Code,
    /// Its label in the report's language.
    pub label: String,
}

/// A chapter of the report: a theme of the codebook with the questions the data have.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ThemeView {
    /// The theme's id in the codebook.
    pub id: String,
    /// The chapter title in the report's language.
    pub title: String,
    /// Its questions that the data have, in codebook order.
    pub questions: Vec<QuestionView>,
}

/// One question with its figures per group.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct QuestionView {
    /// The question's id in the codebook.
    pub id: String,
    /// The question as asked, in the report's language.
    pub text: String,
    /// `single`, `multiple`, `numeric` or `index`.
    pub kind: crate::survey::Kind,
    /// Whether its table has a column for the missing codes ("ved ikke", not in the base).
    pub missing_column: bool,
    /// Whether its table has a mean column.
    pub mean_column: bool,
    /// Completes "Andel der …"; absent when the question has no headline indicator.
    pub indicator: Option<String>,
    /// Whether a higher indicator is better (`higher`) or worse (`lower`) for the children;
    /// `null` where neither can be said.
    pub better: Option<Better>,
    /// Whether the codebook names the indicator as key (`key: true`). When it names none,
    /// every headline indicator is key, so the key-figures report is never empty.
    pub key: bool,
    /// Which end of `categories` is the best answer for the children (`first`, `last`);
    /// `null` where the codebook does not say. Bars run in the same colours from the best to
    /// the worst answer in every question.
    pub best: Option<End>,
    /// The labels of the options (or bins) that `percent` refers to, in order.
    pub categories: Vec<String>,
    /// The unit of a numeric question's values, e.g. "timer".
    pub unit: Option<String>,
    /// The items an index is built from.
    pub items: Vec<String>,
    /// The rows of the question's table: the unit first, then the comparisons, then the
    /// breakdowns' groups (find them by `role`, not by position).
    pub groups: Vec<GroupView>,
    /// The unit's indicator against the main (first) comparison.
    pub significance: Option<Significance>,
    /// What that difference means: `better`, `worse`, `neutral`; `null` if not significant.
    pub direction: Option<Direction>,
    /// Unit minus main comparison indicator in percentage points, if both are shown.
    pub difference: Option<f64>,
    /// The difference as text ("–" if either is withheld or there is no indicator).
    pub difference_text: String,
    /// The unit's indicator over the rounds, with earlier rounds.
    pub trend: Option<TrendView>,
}

/// What a group is to the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The unit the report is about.
    Unit,
    /// A group the unit is compared with.
    Comparison,
    /// The unit's respondents with one value of a background variable.
    Breakdown,
}

/// Which group a row describes.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GroupId {
    /// `unit`, `comparison` or `breakdown`.
    pub role: Role,
    /// For the unit its level (`municipality`, `school`); for a comparison its id (`all`,
    /// `region`, …); for a breakdown group the background variable (`gender`, `grade`, …).
    pub id: String,
    /// The value's code, for breakdown groups.
    pub code: Option<Code>,
    /// The name to print: the unit's or comparison's name or the value's label; `null` for
    /// the comparison `all`, which the template names in the report's language.
    pub label: Option<String>,
}

/// One group's figures, aligned with the question's options; `None` where withheld (or, for
/// the shares, where the group has no answers to take them of).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GroupView {
    #[serde(flatten)]
    pub group: GroupId,
    /// Whether the figures are withheld (the same mark whatever the reason).
    pub withheld: bool,
    /// Valid answers (the percentage base); for multiple choice, respondents who answered.
    pub n: Option<u32>,
    /// Percent of valid answers, one per option, in option order.
    pub percent: Option<Vec<f64>>,
    /// Percent of non-blank answers, one per missing code, in code order.
    pub missing: Option<Vec<f64>>,
    /// The headline indicator in percent, if the question has one.
    pub indicator: Option<f64>,
    /// The mean value of a numeric or index question.
    pub mean: Option<f64>,
    /// For a comparison in a standardised report: its indicator as if it had the unit's mix
    /// by the standardised breakdowns (from published figures only; see docs/formats.md, "Standardised comparisons"),
    /// which `difference` and `against` compare the unit with; `null` where the report does
    /// not standardise or the figures do not allow it (the group's own indicator is used).
    pub standardised: Option<f64>,
    /// For a comparison: how many municipalities it sums for this question.
    pub municipalities: Option<usize>,
    /// For a comparison: the unit's indicator against it (without the unit).
    pub against: Option<Significance>,
    /// For a comparison: what a significant difference means for the children (`better`,
    /// `worse`, or `neutral` where the codebook does not say); `null` where not significant.
    pub direction: Option<Direction>,
    /// For a comparison: the unit's indicator minus this group's (its `standardised` one
    /// where there is one), in percentage points, where both are published. The mark of `against` belongs beside this difference,
    /// never beside the group's own figure (which describes the group, not the unit).
    pub difference: Option<f64>,
    /// The same figures as the report prints them ("–" where withheld or missing).
    pub text: GroupText,
}

/// A group's figures as text in the report's language, ready to print.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GroupText {
    /// `n` with thousands separators, or `–` where withheld.
    pub n: String,
    /// Each percentage rounded to a whole number, without the sign.
    pub percent: Vec<String>,
    /// Each missing code's share rounded, without the sign.
    pub missing: Vec<String>,
    /// The indicator with its sign, e.g. `69 %`.
    pub indicator: String,
    /// The mean with one decimal, in the report's decimal style.
    pub mean: String,
    /// The indicator's 95 % interval, e.g. `58–66`; empty where there is none.
    pub interval: String,
    /// For a comparison: the indicator the unit is compared with as printed (`standardised`
    /// where there is one, else `indicator`); empty for the unit and its breakdown groups.
    /// The printed difference is the unit's printed indicator minus this.
    pub compared: String,
    /// For a comparison: `difference` as printed, the difference of the two printed whole
    /// percentages with its sign (`+11`, `−3`, `0`), `–` where either is withheld or missing;
    /// empty for the unit and its breakdown groups.
    pub difference: String,
}

/// The unit's indicator over the rounds.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TrendView {
    /// Oldest first, ending with this round.
    pub rounds: Vec<RoundView>,
    /// This round minus the round before, where both are published.
    pub change: Option<f64>,
    /// The change as printed, with its sign, e.g. `+3`; `–` where there is none.
    pub change_text: String,
    /// This round against the round before.
    pub significance: Option<Significance>,
    /// What the change means: `better`, `worse`, `neutral`; `null` if not significant.
    pub direction: Option<Direction>,
}

/// The unit's indicator in one round; `null` where that round withholds it (a gap).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RoundView {
    /// The round (year).
    pub round: u16,
    /// The indicator in percent, or `null` where withheld or absent.
    pub indicator: Option<f64>,
    /// The indicator as printed, `–` where withheld.
    pub text: String,
}
