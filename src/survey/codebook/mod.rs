//! The codebook: what each column of a survey file means (background variables and the
//! breakdowns reports show, questions, answer codes and their labels, the headline
//! indicators), with every reader-facing text in Danish and optionally English.
//!
//! YAML is read into private serde types ([`raw`]) and then checked and converted into the
//! typed [`Codebook`], so every later stage can rely on its rules (see docs/formats.md).

mod raw;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Findings, Locator, parse_yaml};
use crate::input::{InputError, YAML_LIMIT, read_text};
use crate::{Lang, Text};
use raw::{Anchor, Problem, RawCodebook};

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
    pub title: Text,
    /// The survey round (year).
    pub round: u16,
    /// The respondents' ages (`from`, `to`) as the codebook states them; `None` where it
    /// does not (the grades may tell, see [`Codebook::grades`]).
    pub ages: Option<(u8, u8)>,
    pub background: Background,
    /// Codes that mean "no valid answer" (e.g. "Ved ikke"); they are outside the percentage base.
    pub missing: BTreeMap<Code, Text>,
    pub themes: Vec<Theme>,
}

/// The background columns of the survey file.
#[derive(Debug, Clone)]
pub struct Background {
    /// Column with a respondent id, if the file has one.
    pub respondent: Option<String>,
    /// Column holding the municipality name.
    pub municipality: String,
    /// Column holding the school name, if the file has one (needed for school reports).
    pub school: Option<String>,
    /// The coded background variables, in the order reports show them.
    pub breakdowns: Vec<Breakdown>,
}

impl Background {
    /// The breakdowns reports show (some are only read and checked).
    pub fn shown(&self) -> impl Iterator<Item = &Breakdown> {
        self.breakdowns.iter().filter(|b| b.show)
    }
}

/// A coded background variable (gender, grade, age band, …) that reports break down by.
#[derive(Debug, Clone)]
pub struct Breakdown {
    /// A short name, e.g. `gender`; `--data-out` names groups `<id>:<code>`.
    pub id: String,
    pub column: String,
    /// What readers see as the variable's name, e.g. "Køn".
    pub title: Text,
    pub values: BTreeMap<Code, Text>,
    /// False for a variable that is read and checked but not shown in reports.
    pub show: bool,
}

/// A chapter of the report.
#[derive(Debug, Clone)]
pub struct Theme {
    pub id: String,
    pub title: Text,
    /// The catalogue themes (ids in the catalogue's themes.yaml) this chapter relates to.
    pub library: Vec<String>,
    pub questions: Vec<Question>,
}

/// A question of any kind.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: QuestionId,
    pub text: Text,
    /// What the indicator measures, completing "Andel der …"; `None` if the question has none.
    pub indicator: Option<Text>,
    /// Whether a higher indicator is better or worse for the children; `None` where neither
    /// can be said.
    pub better: Option<Better>,
    /// One of the few indicators the codebook names as key (`key: true`), or, where it names
    /// none, any headline indicator: the key-figures report selects these, and the gender and
    /// grade view shows them.
    pub key: bool,
    pub kind: QuestionKind,
}

/// Which direction of an indicator is good news.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Higher,
    Lower,
}

/// One end of a question's answers (options or bins) in their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum End {
    First,
    Last,
}

impl End {
    fn opposite(self) -> End {
        match self {
            End::First => End::Last,
            End::Last => End::First,
        }
    }
}

/// What a question's answers are and how they are summarised.
#[derive(Debug, Clone)]
pub enum QuestionKind {
    /// One code per respondent; the indicator is the share of valid answers in `positive`.
    Single {
        options: BTreeMap<Code, Text>,
        positive: Vec<Code>,
    },
    /// One 0/1 column per option (`<id>_<code>`); figures are the share of respondents who
    /// ticked each option, the indicator the share who ticked any of `positive`.
    Multiple {
        options: BTreeMap<Code, Text>,
        positive: Vec<Code>,
    },
    /// A number per respondent, shown in `bins` with its mean; the indicator is the share of
    /// valid values at or above `threshold`.
    Numeric {
        bins: Vec<Bin>,
        range: ValueRange,
        threshold: Option<f64>,
        unit: Option<Text>,
    },
    /// A score summed over item columns (e.g. WHO-5) and multiplied by `multiplier`; shown
    /// like a numeric question. A respondent gets a score only if every item is answered.
    Index {
        items: Vec<Item>,
        scores: BTreeMap<Code, Text>,
        multiplier: f64,
        bins: Vec<Bin>,
        threshold: Option<f64>,
    },
}

/// The name of a question's kind, as the codebook's `kind:` and the template data write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Single,
    Multiple,
    Numeric,
    Index,
}

impl QuestionKind {
    /// The kind's name.
    pub fn name(&self) -> Kind {
        match self {
            QuestionKind::Single { .. } => Kind::Single,
            QuestionKind::Multiple { .. } => Kind::Multiple,
            QuestionKind::Numeric { .. } => Kind::Numeric,
            QuestionKind::Index { .. } => Kind::Index,
        }
    }

    /// Whether the codebook's missing codes ("ved ikke") are answers to this kind: a ticked
    /// box or a score summed over items has none. Counting, tables and the template's
    /// missing column all follow this one rule.
    pub fn has_missing_codes(&self) -> bool {
        matches!(
            self,
            QuestionKind::Single { .. } | QuestionKind::Numeric { .. }
        )
    }

    /// Whether the kind's figures include a mean (numbers and scores).
    pub fn has_mean(&self) -> bool {
        matches!(
            self,
            QuestionKind::Numeric { .. } | QuestionKind::Index { .. }
        )
    }
}

/// A bin of a numeric distribution: values below `below` (and at or above the previous bin's
/// bound); the last bin has no bound.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bin {
    #[serde(default)]
    pub below: Option<f64>,
    pub label: Text,
}

/// The valid values of a numeric question, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueRange {
    pub min: f64,
    pub max: f64,
}

/// One item (column) of an index.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub text: Text,
}

impl Question {
    /// Which end of its answers is the best for the children: the end its headline indicator
    /// counts where more is better, the other where less is. `None` where the codebook does
    /// not say which is better, where the indicator's answers are not at one end of the
    /// scale, and for multiple choice (its answers are no scale). Charts draw the answers from
    /// the best to the worst in the same colours in every question.
    pub fn best_end(&self) -> Option<End> {
        let counted = match &self.kind {
            QuestionKind::Single { options, positive } => {
                let first = options.keys().next()?;
                let last = options.keys().next_back()?;
                match (positive.contains(first), positive.contains(last)) {
                    (true, false) => End::First,
                    (false, true) => End::Last,
                    _ => return None,
                }
            }
            QuestionKind::Numeric {
                threshold: Some(_), ..
            }
            | QuestionKind::Index {
                threshold: Some(_), ..
            } => End::Last,
            _ => return None,
        };
        match self.better? {
            Better::Higher => Some(counted),
            Better::Lower => Some(counted.opposite()),
        }
    }

    /// The labels of the categories the question's figures are given for (options, or bins),
    /// in `lang`.
    pub fn categories(&self, lang: Lang) -> Vec<&str> {
        match &self.kind {
            QuestionKind::Single { options, .. } | QuestionKind::Multiple { options, .. } => {
                options.values().map(|label| label.get(lang)).collect()
            }
            QuestionKind::Numeric { bins, .. } | QuestionKind::Index { bins, .. } => {
                bins.iter().map(|b| b.label.get(lang)).collect()
            }
        }
    }

    /// Adds the question's texts to `texts` (see [`Codebook::texts`]).
    fn texts_into<'a>(&'a self, texts: &mut Vec<&'a Text>) {
        let Question {
            id: _,
            text,
            indicator,
            better: _,
            key: _,
            kind,
        } = self;
        texts.push(text);
        texts.extend(indicator);
        let labels = |bins: &'a [Bin]| bins.iter().map(|Bin { below: _, label }| label);
        match kind {
            QuestionKind::Single {
                options,
                positive: _,
            }
            | QuestionKind::Multiple {
                options,
                positive: _,
            } => texts.extend(options.values()),
            QuestionKind::Numeric {
                bins,
                range: _,
                threshold: _,
                unit,
            } => {
                texts.extend(labels(bins));
                texts.extend(unit);
            }
            QuestionKind::Index {
                items,
                scores,
                multiplier: _,
                bins,
                threshold: _,
            } => {
                texts.extend(items.iter().map(|Item { id: _, text }| text));
                texts.extend(scores.values());
                texts.extend(labels(bins));
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
    #[error(transparent)]
    Read(#[from] InputError),
    #[error("{0}")]
    Syntax(Finding),
    #[error("{findings}")]
    Invalid { findings: Findings },
}

impl Codebook {
    /// Every text the codebook gives readers: titles, labels, questions, indicators, units.
    /// The patterns name every field, so a text added to the model must be listed here
    /// before the code compiles: an English report marks the ones without a translation as
    /// Danish ([`Text::untranslated`]), and none may be missed.
    pub fn texts(&self) -> Vec<&Text> {
        let Codebook {
            survey: _,
            title,
            round: _,
            ages: _,
            background,
            missing,
            themes,
        } = self;
        let mut texts = vec![title];
        texts.extend(missing.values());
        for Breakdown {
            id: _,
            column: _,
            title,
            values,
            show: _,
        } in &background.breakdowns
        {
            texts.push(title);
            texts.extend(values.values());
        }
        for Theme {
            id: _,
            title,
            library: _,
            questions,
        } in themes
        {
            texts.push(title);
            for question in questions {
                question.texts_into(&mut texts);
            }
        }
        texts
    }

    /// Reads and checks a codebook file.
    pub fn load(path: &Path) -> Result<Codebook, CodebookError> {
        let text = read_text(path, YAML_LIMIT)?;
        Codebook::parse(&text, path)
    }

    /// Parses and checks codebook YAML; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Codebook, CodebookError> {
        let raw: RawCodebook = parse_yaml(text, path).map_err(CodebookError::Syntax)?;
        let mut problems = Vec::new();
        let codebook = raw.check(&mut problems);
        if problems.is_empty() {
            return Ok(codebook);
        }
        let mut locator = Locator::new(text);
        let findings = problems
            .into_iter()
            .map(|Problem { anchor, message }| {
                let location = match anchor {
                    Anchor::Key(key) => locator.key(key),
                    Anchor::Entry(id, nth) => locator.entry("id", &id, nth),
                };
                Finding::new(path, location, message)
            })
            .collect();
        Err(CodebookError::Invalid {
            findings: Findings(findings),
        })
    }

    /// The school grades of the respondents (lowest, highest): the codes of the breakdown
    /// `grade`, where there is one and its codes are grades (0 = børnehaveklasse … 10).
    pub fn grades(&self) -> Option<(u8, u8)> {
        let grade = self
            .background
            .breakdowns
            .iter()
            .find(|b| b.id == "grade")?;
        let codes: Vec<u8> = grade
            .values
            .keys()
            .map(|code| u8::try_from(code.0).ok().filter(|&g| g <= 10))
            .collect::<Option<_>>()?;
        Some((*codes.iter().min()?, *codes.iter().max()?))
    }

    /// Every question in report order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.themes.iter().flat_map(|theme| theme.questions.iter())
    }
}

#[cfg(test)]
mod tests;
