//! The codebook: what each column of a survey file means (background variables, questions,
//! answer codes and their labels, the headline indicators).
//!
//! YAML is read into private serde types and then checked and converted into the typed
//! [`Codebook`], so every later stage can rely on its rules (see docs/formats.md).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::scale::MAX_CODES;
use crate::finding::{Finding, Findings, locate_entry, locate_key};

/// An integer answer code as it stands in the survey file.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct Code(pub u16);

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A question id; for single-choice and numeric questions also the name of its column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QuestionId(pub String);

impl fmt::Display for QuestionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// A checked codebook.
#[derive(Debug, Clone)]
pub struct Codebook {
    /// Short machine name of the survey, e.g. `udskoling`.
    pub survey: String,
    /// The survey's title as readers see it.
    pub title: String,
    /// The title in English, for `--lang en` (else `title` is used).
    pub title_en: Option<String>,
    /// The survey round (year).
    pub round: u16,
    pub background: Background,
    /// Codes that mean "no valid answer" (e.g. "Ved ikke"); they are outside the percentage base.
    pub missing: BTreeMap<Code, String>,
    pub themes: Vec<Theme>,
}

/// The background columns of the survey file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Background {
    /// Column with a respondent id, if the file has one.
    #[serde(default)]
    pub respondent: Option<String>,
    /// Column holding the municipality name.
    pub municipality: String,
    /// Column holding the school name, if the file has one.
    #[serde(default)]
    pub school: Option<String>,
    pub grade: Breakdown,
    pub gender: Breakdown,
}

/// A coded background variable that reports break down by.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Breakdown {
    pub column: String,
    pub values: BTreeMap<Code, String>,
}

/// A chapter of the report.
#[derive(Debug, Clone)]
pub struct Theme {
    pub id: String,
    pub title: String,
    /// The title in English, for `--lang en`.
    pub title_en: Option<String>,
    pub questions: Vec<Question>,
}

/// A question of any kind.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: QuestionId,
    pub text: String,
    /// The question in English, for `--lang en` (else `text` is shown as it is).
    pub text_en: Option<String>,
    /// What the indicator measures, completing "Andel der …"; `None` if the question has none.
    pub indicator: Option<String>,
    /// The indicator text in English, for `--lang en` (completing "Share who …").
    pub indicator_en: Option<String>,
    pub kind: QuestionKind,
}

/// What a question's answers are and how they are summarised.
#[derive(Debug, Clone)]
pub enum QuestionKind {
    /// One code per respondent; the indicator is the share of valid answers in `positive`.
    Single {
        options: BTreeMap<Code, String>,
        positive: Vec<Code>,
    },
    /// One 0/1 column per option (`<id>_<code>`); figures are the share of respondents who
    /// ticked each option, the indicator the share who ticked any of `positive`.
    Multiple {
        options: BTreeMap<Code, String>,
        positive: Vec<Code>,
    },
    /// A number per respondent, shown in `bins` with its mean; the indicator is the share of
    /// valid values at or above `threshold`.
    Numeric {
        bins: Vec<Bin>,
        range: ValueRange,
        threshold: Option<f64>,
        unit: Option<String>,
        /// The unit in English, for `--lang en`.
        unit_en: Option<String>,
    },
    /// A score summed over item columns (e.g. WHO-5) and multiplied by `multiplier`; shown
    /// like a numeric question. A respondent gets a score only if every item is answered.
    Index {
        items: Vec<Item>,
        scores: BTreeMap<Code, String>,
        multiplier: f64,
        bins: Vec<Bin>,
        threshold: Option<f64>,
    },
}

/// A bin of a numeric distribution: values below `below` (and at or above the previous bin's
/// bound); the last bin has no bound.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bin {
    #[serde(default)]
    pub below: Option<f64>,
    pub label: String,
}

/// The valid values of a numeric question, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueRange {
    pub min: f64,
    pub max: f64,
}

/// One item (column) of an index.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub text: String,
    /// The item in English, for `--lang en`.
    #[serde(default)]
    pub text_en: Option<String>,
}

impl Question {
    /// The labels of the categories the question's figures are given for: options, or bins.
    pub fn categories(&self) -> Vec<&str> {
        match &self.kind {
            QuestionKind::Single { options, .. } | QuestionKind::Multiple { options, .. } => {
                options.values().map(String::as_str).collect()
            }
            QuestionKind::Numeric { bins, .. } | QuestionKind::Index { bins, .. } => {
                bins.iter().map(|b| b.label.as_str()).collect()
            }
        }
    }

    /// The survey columns this question reads.
    pub fn columns(&self) -> Vec<String> {
        match &self.kind {
            QuestionKind::Single { .. } | QuestionKind::Numeric { .. } => vec![self.id.0.clone()],
            QuestionKind::Multiple { options, .. } => options
                .keys()
                .map(|code| format!("{}_{code}", self.id))
                .collect(),
            QuestionKind::Index { items, .. } => items.iter().map(|i| i.id.clone()).collect(),
        }
    }
}

/// Why a codebook could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CodebookError {
    #[error("cannot read codebook {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Syntax(Finding),
    #[error("{findings}")]
    Invalid { findings: Findings },
}

impl Codebook {
    /// Reads and checks a codebook file.
    pub fn load(path: &Path) -> Result<Codebook, CodebookError> {
        let text = std::fs::read_to_string(path).map_err(|source| CodebookError::Read {
            path: path.to_owned(),
            source,
        })?;
        Codebook::parse(&text, path)
    }

    /// Parses and checks codebook YAML; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Codebook, CodebookError> {
        let raw: RawCodebook = serde_yaml::from_str(text)
            .map_err(|error| CodebookError::Syntax(Finding::of_yaml(path, &error)))?;
        let mut problems = Vec::new();
        let codebook = raw.check(&mut problems);
        if problems.is_empty() {
            return Ok(codebook);
        }
        let findings = problems
            .into_iter()
            .map(|Problem { anchor, message }| {
                let location = match anchor {
                    Anchor::Key(key) => locate_key(text, key),
                    Anchor::Entry(id, nth) => locate_entry(text, "id", &id, nth),
                };
                Finding::new(path, location, message)
            })
            .collect();
        Err(CodebookError::Invalid {
            findings: Findings(findings),
        })
    }

    /// Every question in report order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.themes.iter().flat_map(|theme| theme.questions.iter())
    }
}

/// Where in the YAML a problem is.
enum Anchor {
    /// The first `key:`.
    Key(&'static str),
    /// The `nth` (0-based) `id: <id>` entry: a theme or question.
    Entry(String, usize),
}

/// A codebook rule that is broken, and where.
struct Problem {
    anchor: Anchor,
    message: String,
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCodebook {
    survey: String,
    title: String,
    #[serde(default)]
    title_en: Option<String>,
    round: u16,
    background: Background,
    #[serde(default)]
    missing: BTreeMap<Code, String>,
    themes: Vec<RawTheme>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    id: String,
    title: String,
    #[serde(default)]
    title_en: Option<String>,
    questions: Vec<RawQuestion>,
}

/// Every field any kind may use; [`RawQuestion::check`] says which belong to which kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: QuestionId,
    text: String,
    #[serde(default)]
    text_en: Option<String>,
    #[serde(default)]
    kind: RawKind,
    #[serde(default)]
    options: BTreeMap<Code, String>,
    #[serde(default)]
    positive: Vec<Code>,
    #[serde(default)]
    indicator: Option<String>,
    #[serde(default)]
    indicator_en: Option<String>,
    #[serde(default)]
    bins: Vec<Bin>,
    #[serde(default)]
    range: Option<ValueRange>,
    #[serde(default)]
    threshold: Option<f64>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    unit_en: Option<String>,
    #[serde(default)]
    items: Vec<Item>,
    #[serde(default)]
    multiplier: Option<f64>,
}

impl RawCodebook {
    fn check(self, problems: &mut Vec<Problem>) -> Codebook {
        let mut columns = BTreeSet::new();
        let background = [
            ("municipality", Some(&self.background.municipality)),
            ("grade", Some(&self.background.grade.column)),
            ("gender", Some(&self.background.gender.column)),
            ("respondent", self.background.respondent.as_ref()),
            ("school", self.background.school.as_ref()),
        ];
        for (key, column) in background {
            let Some(column) = column else { continue };
            if !columns.insert(column.clone()) {
                problems.push(Problem::new(
                    Anchor::Key(key),
                    format!("column `{column}` is used twice in `background`"),
                ));
            }
        }
        for (name, breakdown) in [
            ("grade", &self.background.grade),
            ("gender", &self.background.gender),
        ] {
            if breakdown.values.is_empty() {
                problems.push(Problem::new(
                    Anchor::Key(name),
                    format!("background `{name}` has no values"),
                ));
            }
            if breakdown.values.len() >= MAX_CODES {
                problems.push(Problem::new(
                    Anchor::Key(name),
                    format!("background `{name}` has too many values"),
                ));
            }
        }
        // How often each id has been written so far (as a theme or a question id), to point at
        // the right `id:` line; duplicates are judged among themes and among questions.
        let mut seen: std::collections::BTreeMap<String, usize> = BTreeMap::new();
        let (mut theme_ids, mut question_ids) = (BTreeSet::new(), BTreeSet::new());
        let mut occurrence = |id: &str| {
            let count = seen.entry(id.to_owned()).or_insert(0);
            *count += 1;
            *count - 1
        };
        let themes = self
            .themes
            .into_iter()
            .map(|theme| {
                let nth = occurrence(&theme.id);
                let anchor = || Anchor::Entry(theme.id.clone(), nth);
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
                let questions = theme
                    .questions
                    .into_iter()
                    .map(|raw| {
                        let nth = occurrence(&raw.id.0);
                        let anchor = || Anchor::Entry(raw.id.0.clone(), nth);
                        if !question_ids.insert(raw.id.0.clone()) {
                            problems.push(Problem::new(
                                anchor(),
                                format!("question `{}` is defined twice", raw.id),
                            ));
                        }
                        let id = raw.id.0.clone();
                        let question = raw.check(&self.missing, |message| {
                            problems.push(Problem::new(Anchor::Entry(id.clone(), nth), message));
                        });
                        for column in question.columns() {
                            if !columns.insert(column.clone()) {
                                problems.push(Problem::new(
                                    Anchor::Entry(question.id.0.clone(), nth),
                                    format!(
                                        "question `{}`: column `{column}` is also used elsewhere",
                                        question.id
                                    ),
                                ));
                            }
                        }
                        question
                    })
                    .collect();
                Theme {
                    id: theme.id,
                    title: theme.title,
                    title_en: theme.title_en,
                    questions,
                }
            })
            .collect();
        Codebook {
            survey: self.survey,
            title: self.title,
            title_en: self.title_en,
            round: self.round,
            background: self.background,
            missing: self.missing,
            themes,
        }
    }
}

impl RawQuestion {
    fn check(self, missing: &BTreeMap<Code, String>, mut report: impl FnMut(String)) -> Question {
        let id = self.id.clone();
        let mut problem = |message: String| report(format!("question `{id}`: {message}"));
        let kind_name = match self.kind {
            RawKind::Single => "single",
            RawKind::Multiple => "multiple",
            RawKind::Numeric => "numeric",
            RawKind::Index => "index",
        };
        let mut unused = |field: &str, present: bool| {
            if present {
                problem(format!("`{field}` does not apply to `kind: {kind_name}`"));
            }
        };
        match self.kind {
            RawKind::Single | RawKind::Multiple => {
                unused("bins", !self.bins.is_empty());
                unused("range", self.range.is_some());
                unused("threshold", self.threshold.is_some());
                unused("unit", self.unit.is_some());
                unused("unit_en", self.unit_en.is_some());
                unused("items", !self.items.is_empty());
                unused("multiplier", self.multiplier.is_some());
            }
            RawKind::Numeric => {
                unused("options", !self.options.is_empty());
                unused("positive", !self.positive.is_empty());
                unused("items", !self.items.is_empty());
                unused("multiplier", self.multiplier.is_some());
            }
            RawKind::Index => {
                unused("positive", !self.positive.is_empty());
                unused("range", self.range.is_some());
                unused("unit", self.unit.is_some());
                unused("unit_en", self.unit_en.is_some());
            }
        }

        if matches!(
            self.kind,
            RawKind::Single | RawKind::Multiple | RawKind::Index
        ) {
            if self.options.is_empty() {
                problem("has no options".to_owned());
            }
            for (code, label) in &self.options {
                if label.trim().is_empty() {
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
        if matches!(self.kind, RawKind::Numeric | RawKind::Index) {
            check_bins(&self.bins, &mut problem);
        }

        let kind = match self.kind {
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
                    unit: self.unit,
                    unit_en: self.unit_en,
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
                QuestionKind::Index {
                    items: self.items,
                    scores: self.options,
                    multiplier,
                    bins: self.bins,
                    threshold: self.threshold,
                }
            }
        };
        Question {
            id: self.id,
            text: self.text,
            text_en: self.text_en,
            indicator: self.indicator,
            indicator_en: self.indicator_en,
            kind,
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
        if bin.label.trim().is_empty() {
            problem(format!("bin {} has no label", i + 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
survey: test
title: "Test"
round: 2026
background:
  municipality: kommune
  grade: {column: klassetrin, values: {7: "7. klasse"}}
  gender: {column: koen, values: {1: "Dreng", 2: "Pige"}}
missing: {98: "Ved ikke"}
themes:
  - id: trivsel
    title: "Trivsel"
    questions:
      - id: q01
        text: "Hvordan har du det?"
        options: {1: "Godt", 2: "Skidt"}
        positive: [1]
        indicator: "har det godt"
"#;

    fn parse(text: &str) -> Result<Codebook, CodebookError> {
        Codebook::parse(text, Path::new("c.yaml"))
    }

    #[test]
    fn parses_a_minimal_codebook() {
        let codebook = parse(MINIMAL).unwrap();
        assert_eq!(codebook.questions().count(), 1);
        assert_eq!(codebook.missing[&Code(98)], "Ved ikke");
    }

    #[test]
    fn unknown_key_names_file_line_and_column() {
        let text = MINIMAL.replace("round: 2026", "round: 2026\nrunde: 1");
        let message = parse(&text).unwrap_err().to_string();
        assert!(message.starts_with("c.yaml:5:1: "), "{message}");
        assert!(message.contains("unknown field `runde`"), "{message}");
    }

    #[test]
    fn reports_every_semantic_problem() {
        let text = MINIMAL.replace("positive: [1]", "positive: [3]").replace(
            "{1: \"Godt\", 2: \"Skidt\"}",
            "{1: \"Godt\", 98: \"Skidt\"}",
        );
        let message = parse(&text).unwrap_err().to_string();
        assert!(
            message.contains("positive code 3 is not among its options"),
            "{message}"
        );
        assert!(
            message.contains("option 98 is also a `missing` code"),
            "{message}"
        );
    }

    #[test]
    fn a_theme_and_a_question_may_share_an_id_but_not_two_questions() {
        let text = MINIMAL.replace("- id: q01", "- id: trivsel");
        assert!(parse(&text).is_ok());
        let twice = MINIMAL.replace(
            "        indicator: \"har det godt\"\n",
            "        indicator: \"har det godt\"\n      - {id: q01, text: \"Igen\", options: {1: \"Ja\"}}\n",
        );
        let message = parse(&twice).unwrap_err().to_string();
        assert!(
            message.contains("question `q01` is defined twice"),
            "{message}"
        );
    }

    #[test]
    fn bins_and_missing_codes_together_fit_a_scale() {
        let missing: Vec<String> = (1000..1010).map(|c| format!("{c}: \"M{c}\"")).collect();
        let bins: Vec<String> = (1..250)
            .map(|b| format!("{{below: {b}, label: \"{b}\"}}"))
            .chain(["{label: \"mange\"}".to_owned()])
            .collect();
        let text = MINIMAL
            .replace("{98: \"Ved ikke\"}", &format!("{{{}}}", missing.join(", ")))
            .replace(
                "options: {1: \"Godt\", 2: \"Skidt\"}\n        positive: [1]\n        indicator: \"har det godt\"",
                &format!(
                    "kind: numeric\n        range: {{min: 0, max: 300}}\n        bins: [{}]",
                    bins.join(", ")
                ),
            );
        let message = parse(&text).unwrap_err().to_string();
        assert!(
            message.contains("has more than 255 codes including `missing`"),
            "{message}"
        );
    }

    #[test]
    fn other_kinds_parse_into_their_variants() {
        let text = format!(
            "{MINIMAL}{}",
            r#"
      - id: q02
        kind: multiple
        text: "Hvad går du til?"
        options: {1: "Sport", 2: "Musik"}
      - id: q03
        kind: numeric
        text: "Hvor mange timer sov du?"
        range: {min: 0, max: 24}
        bins: [{below: 7, label: "Under 7"}, {label: "7 eller flere"}]
        threshold: 7
        indicator: "sov mindst 7 timer"
      - id: who5
        kind: index
        text: "WHO-5"
        items: [{id: w1, text: "Glad"}, {id: w2, text: "Rolig"}]
        options: {0: "Aldrig", 5: "Altid"}
        multiplier: 10
        bins: [{below: 50, label: "Lav"}, {label: "Høj"}]
"#
        );
        let codebook = parse(&text).unwrap();
        let kinds: Vec<&QuestionKind> = codebook.questions().map(|q| &q.kind).collect();
        assert!(matches!(kinds[1], QuestionKind::Multiple { .. }));
        assert!(matches!(
            kinds[2],
            QuestionKind::Numeric {
                threshold: Some(7.0),
                ..
            }
        ));
        assert!(matches!(
            kinds[3],
            QuestionKind::Index {
                multiplier: 10.0,
                ..
            }
        ));
        let columns: Vec<Vec<String>> = codebook.questions().map(Question::columns).collect();
        assert_eq!(columns[1], ["q02_1", "q02_2"]);
        assert_eq!(columns[3], ["w1", "w2"]);
    }

    #[test]
    fn kind_specific_fields_are_checked() {
        let text = format!(
            "{MINIMAL}{}",
            r#"
      - id: q03
        kind: numeric
        text: "Timer"
        options: {1: "x"}
        bins: [{label: "Alle"}, {below: 3, label: "Få"}]
        threshold: 7
"#
        );
        let message = parse(&text).unwrap_err().to_string();
        assert!(
            message.contains("`options` does not apply to `kind: numeric`"),
            "{message}"
        );
        assert!(
            message.contains("only the last bin may omit `below`"),
            "{message}"
        );
        assert!(message.contains("needs a `range: {min, max}`"), "{message}");
        assert!(
            message.contains("has a `threshold` but no `indicator` text"),
            "{message}"
        );
    }
}
