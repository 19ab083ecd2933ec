//! The codebook as written in YAML, and the rules that turn it into a [`Codebook`]: each
//! broken rule becomes a [`Problem`] anchored where the YAML says it, so all are reported.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::{
    Background, Better, Bin, Breakdown, Code, Codebook, Item, Question, QuestionId, QuestionKind,
    Theme, ValueRange,
};
use crate::Text;
use crate::survey::scale::MAX_CODES;

/// Where in the YAML a problem is.
pub(super) enum Anchor {
    /// The first `key:`.
    Key(&'static str),
    /// The `nth` (0-based) `id: <id>` entry: a breakdown, theme or question.
    Entry(String, usize),
}

/// A codebook rule that is broken, and where.
pub(super) struct Problem {
    pub(super) anchor: Anchor,
    pub(super) message: String,
}

impl Problem {
    fn new(anchor: Anchor, message: impl Into<String>) -> Problem {
        Problem {
            anchor,
            message: message.into(),
        }
    }
}

/// The kinds of question, as written in YAML.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawKind {
    #[default]
    Single,
    Multiple,
    Numeric,
    Index,
}

impl RawKind {
    fn name(self) -> &'static str {
        match self {
            RawKind::Single => "single",
            RawKind::Multiple => "multiple",
            RawKind::Numeric => "numeric",
            RawKind::Index => "index",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCodebook {
    survey: String,
    title: Text,
    /// Older codebooks give the English title here; `title: {da, en}` is the same.
    #[serde(default)]
    title_en: Option<String>,
    round: u16,
    /// The ages of the respondents (`[from, to]`), where the grades do not say.
    #[serde(default)]
    ages: Option<[u8; 2]>,
    background: RawBackground,
    #[serde(default)]
    missing: BTreeMap<Code, Text>,
    themes: Vec<RawTheme>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBackground {
    #[serde(default)]
    respondent: Option<String>,
    municipality: String,
    #[serde(default)]
    school: Option<String>,
    /// Shorthands for the breakdowns `gender` and `grade`, written before `breakdowns:`
    /// existed; they come first, in this order.
    #[serde(default)]
    gender: Option<RawBreakdown>,
    #[serde(default)]
    grade: Option<RawBreakdown>,
    #[serde(default)]
    breakdowns: Vec<RawBreakdown>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBreakdown {
    /// Required in `breakdowns:`; given by the key for `gender:` and `grade:`.
    #[serde(default)]
    id: Option<String>,
    column: String,
    #[serde(default)]
    title: Option<Text>,
    values: BTreeMap<Code, Text>,
    #[serde(default = "shown")]
    show: bool,
}

fn shown() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    id: String,
    title: Text,
    #[serde(default)]
    title_en: Option<String>,
    #[serde(default)]
    library: Vec<String>,
    questions: Vec<RawQuestion>,
}

/// Every field any kind may use; [`RawQuestion::check`] says which belong to which kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: QuestionId,
    text: Text,
    #[serde(default)]
    text_en: Option<String>,
    #[serde(default)]
    kind: RawKind,
    #[serde(default)]
    options: BTreeMap<Code, Text>,
    #[serde(default)]
    positive: Vec<Code>,
    #[serde(default)]
    indicator: Option<Text>,
    #[serde(default)]
    indicator_en: Option<String>,
    #[serde(default)]
    better: Option<Better>,
    /// One of the survey's key indicators (the key-figures report shows only these).
    #[serde(default)]
    key: bool,
    #[serde(default)]
    bins: Vec<Bin>,
    #[serde(default)]
    range: Option<ValueRange>,
    #[serde(default)]
    threshold: Option<f64>,
    #[serde(default)]
    unit: Option<Text>,
    #[serde(default)]
    unit_en: Option<String>,
    #[serde(default)]
    items: Vec<RawItem>,
    #[serde(default)]
    multiplier: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: String,
    text: Text,
    #[serde(default)]
    text_en: Option<String>,
}

/// A text with the English version of an older `<field>_en` key merged in.
fn with_english(
    mut text: Text,
    english: Option<String>,
    field: &str,
    problem: &mut impl FnMut(String),
) -> Text {
    if let Some(english) = english {
        if text.en.is_some() {
            problem(format!(
                "`{field}` has an English text and `{field}_en` gives another; keep one"
            ));
        }
        text.en = Some(english);
    }
    text
}

/// Counts how often each id has been written so far (as a breakdown, theme or question id),
/// to point at the right `id:` line.
#[derive(Default)]
struct Occurrences(BTreeMap<String, usize>);

impl Occurrences {
    /// The anchor of the next `id: <id>` entry.
    fn next(&mut self, id: &str) -> (String, usize) {
        let count = self.0.entry(id.to_owned()).or_insert(0);
        *count += 1;
        (id.to_owned(), *count - 1)
    }
}

/// A codebook that names no key indicator has every headline indicator as key, so the
/// key-figures report is never empty: decided once here, so every later stage reads
/// [`Question::key`] alone.
fn mark_keys(themes: &mut [Theme]) {
    let questions = || themes.iter().flat_map(|t| &t.questions);
    if questions().any(|q| q.key) {
        return;
    }
    for question in themes.iter_mut().flat_map(|t| &mut t.questions) {
        question.key = question.indicator.is_some();
    }
}

impl RawCodebook {
    pub(super) fn check(self, problems: &mut Vec<Problem>) -> Codebook {
        let mut occurrences = Occurrences::default();
        let mut columns = BTreeSet::new();
        let background = self
            .background
            .check(&mut occurrences, &mut columns, problems);
        let title = with_english(self.title, self.title_en, "title", &mut |message| {
            problems.push(Problem::new(Anchor::Key("title"), message));
        });
        let mut themes = check_themes(
            self.themes,
            &self.missing,
            &mut occurrences,
            &mut columns,
            problems,
        );
        mark_keys(&mut themes);
        let ages = self.ages.map(|[from, to]| {
            if from > to {
                problems.push(Problem::new(
                    Anchor::Key("ages"),
                    format!("`ages: [{from}, {to}]`: the first age must not be above the second"),
                ));
            }
            (from.min(to), from.max(to))
        });
        Codebook {
            survey: self.survey,
            title,
            round: self.round,
            ages,
            background,
            missing: self.missing,
            themes,
        }
    }
}

impl RawBackground {
    /// The background columns, each used once, and the breakdowns: the shorthands first,
    /// then the list, with unique ids and values that fit a scale.
    fn check(
        self,
        occurrences: &mut Occurrences,
        columns: &mut BTreeSet<String>,
        problems: &mut Vec<Problem>,
    ) -> Background {
        for (key, column) in [
            ("municipality", Some(&self.municipality)),
            ("respondent", self.respondent.as_ref()),
            ("school", self.school.as_ref()),
        ] {
            if let Some(column) = column
                && !columns.insert(column.clone())
            {
                problems.push(Problem::new(
                    Anchor::Key(key),
                    format!("column `{column}` is used twice in `background`"),
                ));
            }
        }
        let shorthands = [
            (self.gender, "gender", Text::new("Køn", "Gender")),
            (self.grade, "grade", Text::new("Klassetrin", "Grade")),
        ];
        let mut breakdowns = Vec::new();
        for (raw, key, title) in shorthands {
            if let Some(raw) = raw {
                let breakdown = raw.into_breakdown(key.to_owned(), title);
                breakdowns.push((Anchor::Key(key), breakdown));
            }
        }
        for raw in self.breakdowns {
            let Some(id) = raw.id.clone() else {
                problems.push(Problem::new(
                    Anchor::Key("breakdowns"),
                    format!("the breakdown of column `{}` has no `id`", raw.column),
                ));
                continue;
            };
            let (id, nth) = occurrences.next(&id);
            let title = Text::from(id.as_str());
            breakdowns.push((
                Anchor::Entry(id.clone(), nth),
                raw.into_breakdown(id, title),
            ));
        }
        let mut ids = BTreeSet::new();
        let breakdowns = breakdowns
            .into_iter()
            .map(|(anchor, breakdown)| {
                let mut problem =
                    |message: String| problems.push(Problem::new(anchor_of(&anchor), message));
                check_breakdown(&breakdown, &mut ids, columns, &mut problem);
                breakdown
            })
            .collect();
        Background {
            respondent: self.respondent,
            municipality: self.municipality,
            school: self.school,
            breakdowns,
        }
    }
}

/// A copy of an anchor (anchors are cheap; problems need their own).
fn anchor_of(anchor: &Anchor) -> Anchor {
    match anchor {
        Anchor::Key(key) => Anchor::Key(key),
        Anchor::Entry(id, nth) => Anchor::Entry(id.clone(), *nth),
    }
}

impl RawBreakdown {
    /// The breakdown, titled by its own `title` or else `title`.
    fn into_breakdown(self, id: String, title: Text) -> Breakdown {
        Breakdown {
            id,
            column: self.column,
            title: self.title.unwrap_or(title),
            values: self.values,
            show: self.show,
        }
    }
}

/// A breakdown's id and column are unique, its values fit a scale and have labels.
fn check_breakdown(
    breakdown: &Breakdown,
    ids: &mut BTreeSet<String>,
    columns: &mut BTreeSet<String>,
    problem: &mut impl FnMut(String),
) {
    let id = &breakdown.id;
    if !ids.insert(id.clone()) {
        problem(format!("breakdown `{id}` is defined twice"));
    }
    if !columns.insert(breakdown.column.clone()) {
        problem(format!(
            "column `{}` is used twice in `background`",
            breakdown.column
        ));
    }
    if breakdown.values.is_empty() {
        problem(format!("background `{id}` has no values"));
    }
    if breakdown.values.len() >= MAX_CODES {
        problem(format!("background `{id}` has too many values"));
    }
    for (code, label) in &breakdown.values {
        if label.is_blank() {
            problem(format!("background `{id}`: value {code} has no label"));
        }
    }
}

/// The themes and their questions: ids unique among themes and among questions (a theme
/// and a question may share one), columns used once.
fn check_themes(
    themes: Vec<RawTheme>,
    missing: &BTreeMap<Code, Text>,
    occurrences: &mut Occurrences,
    columns: &mut BTreeSet<String>,
    problems: &mut Vec<Problem>,
) -> Vec<Theme> {
    let (mut theme_ids, mut question_ids) = (BTreeSet::new(), BTreeSet::new());
    themes
        .into_iter()
        .map(|theme| {
            let (id, nth) = occurrences.next(&theme.id);
            let anchor = || Anchor::Entry(id.clone(), nth);
            if !theme_ids.insert(theme.id.clone()) {
                problems.push(Problem::new(
                    anchor(),
                    format!("theme `{}` is defined twice", theme.id),
                ));
            }
            if theme.questions.is_empty() {
                problems.push(Problem::new(
                    anchor(),
                    format!("theme `{}` has no questions", theme.id),
                ));
            }
            let title = with_english(theme.title, theme.title_en, "title", &mut |message| {
                problems.push(Problem::new(anchor(), message));
            });
            let questions = theme
                .questions
                .into_iter()
                .map(|raw| {
                    let (id, nth) = occurrences.next(&raw.id.0);
                    let mut problem = |message: String| {
                        problems.push(Problem::new(Anchor::Entry(id.clone(), nth), message));
                    };
                    if !question_ids.insert(raw.id.0.clone()) {
                        problem(format!("question `{}` is defined twice", raw.id));
                    }
                    let question = raw.check(missing, &mut problem);
                    for column in question.columns() {
                        if !columns.insert(column.clone()) {
                            problem(format!(
                                "question `{}`: column `{column}` is also used elsewhere",
                                question.id
                            ));
                        }
                    }
                    question
                })
                .collect();
            Theme {
                id: theme.id,
                title,
                library: theme.library,
                questions,
            }
        })
        .collect()
}

impl RawQuestion {
    fn check(self, missing: &BTreeMap<Code, Text>, report: &mut impl FnMut(String)) -> Question {
        let id = self.id.clone();
        let mut problem = |message: String| report(format!("question `{id}`: {message}"));
        self.check_fields_of_kind(&mut problem);
        self.check_options(missing, &mut problem);
        self.check_indicator(&mut problem);
        let text = with_english(
            self.text.clone(),
            self.text_en.clone(),
            "text",
            &mut problem,
        );
        let indicator = self.indicator.clone().map(|indicator| {
            with_english(
                indicator,
                self.indicator_en.clone(),
                "indicator",
                &mut problem,
            )
        });
        let (better, key) = (self.better, self.key);
        Question {
            id: self.id.clone(),
            text,
            indicator,
            better,
            key,
            kind: self.into_kind(&mut problem),
        }
    }

    /// Fields that do not belong to the question's kind.
    fn check_fields_of_kind(&self, problem: &mut impl FnMut(String)) {
        let kind = self.kind.name();
        let mut unused = |field: &str, present: bool| {
            if present {
                problem(format!("`{field}` does not apply to `kind: {kind}`"));
            }
        };
        let (numeric, index) = (
            matches!(self.kind, RawKind::Numeric),
            matches!(self.kind, RawKind::Index),
        );
        let choice = !numeric && !index;
        unused("bins", choice && !self.bins.is_empty());
        unused("range", (choice || index) && self.range.is_some());
        unused("threshold", choice && self.threshold.is_some());
        unused("unit", (choice || index) && self.unit.is_some());
        unused("unit_en", (choice || index) && self.unit_en.is_some());
        unused("items", (choice || numeric) && !self.items.is_empty());
        unused(
            "multiplier",
            (choice || numeric) && self.multiplier.is_some(),
        );
        unused("options", numeric && !self.options.is_empty());
        unused("positive", (numeric || index) && !self.positive.is_empty());
    }

    /// Options (or scores) with labels, not clashing with missing codes, and a scale that
    /// fits in a byte.
    fn check_options(&self, missing: &BTreeMap<Code, Text>, problem: &mut impl FnMut(String)) {
        if self.kind != RawKind::Numeric {
            if self.options.is_empty() {
                problem("has no options".to_owned());
            }
            for (code, label) in &self.options {
                if label.is_blank() {
                    problem(format!("option {code} has no label"));
                }
                if self.kind != RawKind::Multiple && missing.contains_key(code) {
                    problem(format!("option {code} is also a `missing` code"));
                }
            }
        }
        // A question's scale holds its options (or bins) and then the missing codes.
        if self.options.len().max(self.bins.len()) + missing.len() > MAX_CODES {
            problem(format!(
                "has more than {MAX_CODES} codes including `missing`"
            ));
        }
        for code in &self.positive {
            if !self.options.contains_key(code) {
                problem(format!("positive code {code} is not among its options"));
            }
        }
    }

    /// An indicator text exactly where something is measured, and a direction only for an
    /// indicator.
    fn check_indicator(&self, problem: &mut impl FnMut(String)) {
        let (measures, what) = match self.kind {
            RawKind::Single | RawKind::Multiple => (!self.positive.is_empty(), "`positive` codes"),
            RawKind::Numeric | RawKind::Index => (self.threshold.is_some(), "a `threshold`"),
        };
        match (&self.indicator, measures) {
            (Some(_), false) => problem(format!("has an `indicator` text but no {what}")),
            (None, true) => problem(format!("has {what} but no `indicator` text")),
            _ => {}
        }
        if self.indicator_en.is_some() && self.indicator.is_none() {
            problem("has an `indicator_en` text but no `indicator`".to_owned());
        }
        if self.better.is_some() && self.indicator.is_none() {
            problem("has `better` but no `indicator`".to_owned());
        }
        if self.key && self.indicator.is_none() {
            problem("is a `key` indicator but has no `indicator`".to_owned());
        }
        if matches!(self.kind, RawKind::Numeric | RawKind::Index) {
            check_bins(&self.bins, problem);
        }
    }

    /// The question's kind with its fields.
    fn into_kind(self, problem: &mut impl FnMut(String)) -> QuestionKind {
        match self.kind {
            RawKind::Single => QuestionKind::Single {
                options: self.options,
                positive: self.positive,
            },
            RawKind::Multiple => QuestionKind::Multiple {
                options: self.options,
                positive: self.positive,
            },
            RawKind::Numeric => {
                let range = self.range.unwrap_or_else(|| {
                    problem("needs a `range: {min, max}` of valid values".to_owned());
                    ValueRange { min: 0.0, max: 0.0 }
                });
                if range.min > range.max {
                    problem(format!("range {}–{} is reversed", range.min, range.max));
                }
                QuestionKind::Numeric {
                    bins: self.bins,
                    range,
                    threshold: self.threshold,
                    unit: self
                        .unit
                        .map(|unit| with_english(unit, self.unit_en, "unit", problem)),
                }
            }
            RawKind::Index => {
                if self.items.is_empty() {
                    problem("has no `items`".to_owned());
                }
                let multiplier = self.multiplier.unwrap_or(1.0);
                if !(multiplier.is_finite() && multiplier > 0.0) {
                    problem(format!("multiplier {multiplier} must be a positive number"));
                }
                let items = self
                    .items
                    .into_iter()
                    .map(|item| Item {
                        text: with_english(item.text, item.text_en, "text", problem),
                        id: item.id,
                    })
                    .collect();
                QuestionKind::Index {
                    items,
                    scores: self.options,
                    multiplier,
                    bins: self.bins,
                    threshold: self.threshold,
                }
            }
        }
    }
}

/// Bins need labels and increasing bounds, and only the last may be open.
fn check_bins(bins: &[Bin], problem: &mut impl FnMut(String)) {
    if bins.is_empty() {
        problem("needs `bins`".to_owned());
        return;
    }
    if bins.len() >= MAX_CODES {
        problem("has too many bins".to_owned());
    }
    let mut previous = f64::NEG_INFINITY;
    for (i, bin) in bins.iter().enumerate() {
        let last = i + 1 == bins.len();
        match (bin.below, last) {
            (Some(bound), _) if !bound.is_finite() || bound <= previous => {
                problem(format!("bin `{}`: bounds must increase", bin.label));
            }
            (Some(bound), _) => previous = bound,
            (None, false) => problem(format!(
                "bin `{}`: only the last bin may omit `below`",
                bin.label
            )),
            (None, true) => {}
        }
        if bin.label.is_blank() {
            problem(format!("bin {} has no label", i + 1));
        }
    }
}
