//! The codebook: what each column of a survey file means (background variables, questions,
//! answer codes and their labels, the headline indicators).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::scale::MAX_CODES;
use crate::finding::Location;

/// An integer answer code as it stands in the survey file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Code(pub u16);

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A question id; also the name of the question's column in the survey file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QuestionId(pub String);

impl fmt::Display for QuestionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A codebook as written in YAML (see docs/formats.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Codebook {
    /// Short machine name of the survey, e.g. `udskoling`.
    pub survey: String,
    /// The survey's title as readers see it.
    pub title: String,
    /// The survey round (year).
    pub round: u16,
    pub background: Background,
    /// Codes that mean "no valid answer" (e.g. "Ved ikke"); they are outside the percentage base.
    #[serde(default)]
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
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub id: String,
    pub title: String,
    pub questions: Vec<Question>,
}

/// A single-choice question.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: QuestionId,
    pub text: String,
    /// Answer codes and their labels, shown in code order.
    pub options: BTreeMap<Code, String>,
    /// Codes that count toward the headline indicator.
    #[serde(default)]
    pub positive: Vec<Code>,
    /// What the indicator measures, completing "Andel der …".
    #[serde(default)]
    pub indicator: Option<String>,
}

/// Why a codebook could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CodebookError {
    #[error("cannot read codebook {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}{location}: {message}")]
    Syntax {
        path: PathBuf,
        location: Location,
        message: String,
    },
    #[error("{path}: {} problem(s):\n  {}", problems.len(), problems.join("\n  "))]
    Invalid {
        path: PathBuf,
        problems: Vec<String>,
    },
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
        let codebook: Codebook =
            serde_yaml::from_str(text).map_err(|error| CodebookError::Syntax {
                path: path.to_owned(),
                location: Location::of_yaml(&error),
                message: error.to_string(),
            })?;
        let problems = codebook.problems();
        if problems.is_empty() {
            Ok(codebook)
        } else {
            Err(CodebookError::Invalid {
                path: path.to_owned(),
                problems,
            })
        }
    }

    /// Every question in report order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.themes.iter().flat_map(|theme| theme.questions.iter())
    }

    /// Checks the rules serde cannot express; returns every problem found.
    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut columns = BTreeSet::new();
        let background = [
            Some(&self.background.municipality),
            Some(&self.background.grade.column),
            Some(&self.background.gender.column),
            self.background.respondent.as_ref(),
            self.background.school.as_ref(),
        ];
        for column in background.into_iter().flatten() {
            if !columns.insert(column.as_str()) {
                problems.push(format!("column `{column}` is used twice in `background`"));
            }
        }
        for (name, breakdown) in [
            ("grade", &self.background.grade),
            ("gender", &self.background.gender),
        ] {
            if breakdown.values.is_empty() {
                problems.push(format!("background `{name}` has no values"));
            }
        }
        let mut theme_ids = BTreeSet::new();
        for theme in &self.themes {
            if !theme_ids.insert(theme.id.as_str()) {
                problems.push(format!("theme `{}` is defined twice", theme.id));
            }
            if theme.questions.is_empty() {
                problems.push(format!("theme `{}` has no questions", theme.id));
            }
        }
        for question in self.questions() {
            let id = &question.id;
            if !columns.insert(id.0.as_str()) {
                problems.push(format!(
                    "question `{id}` is defined twice or clashes with a background column"
                ));
            }
            if question.options.is_empty() {
                problems.push(format!("question `{id}` has no options"));
            }
            if question.options.len() + self.missing.len() > MAX_CODES {
                problems.push(format!(
                    "question `{id}` has more than {MAX_CODES} codes including `missing`"
                ));
            }
            for (code, label) in &question.options {
                if label.trim().is_empty() {
                    problems.push(format!("question `{id}`: option {code} has no label"));
                }
                if self.missing.contains_key(code) {
                    problems.push(format!(
                        "question `{id}`: option {code} is also a `missing` code"
                    ));
                }
            }
            for code in &question.positive {
                if !question.options.contains_key(code) {
                    problems.push(format!(
                        "question `{id}`: positive code {code} is not among its options"
                    ));
                }
            }
            match (&question.indicator, question.positive.is_empty()) {
                (Some(_), true) => problems.push(format!(
                    "question `{id}` has an `indicator` text but no `positive` codes"
                )),
                (None, false) => problems.push(format!(
                    "question `{id}` has `positive` codes but no `indicator` text"
                )),
                _ => {}
            }
        }
        problems
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

    #[test]
    fn parses_a_minimal_codebook() {
        let codebook = Codebook::parse(MINIMAL, Path::new("c.yaml")).unwrap();
        assert_eq!(codebook.questions().count(), 1);
        assert_eq!(codebook.missing[&Code(98)], "Ved ikke");
    }

    #[test]
    fn unknown_key_names_file_line_and_column() {
        let text = MINIMAL.replace("round: 2026", "round: 2026\nrunde: 1");
        let error = Codebook::parse(&text, Path::new("c.yaml")).unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("c.yaml:5:1: "), "{message}");
        assert!(message.contains("unknown field `runde`"), "{message}");
    }

    #[test]
    fn reports_every_semantic_problem() {
        let text = MINIMAL.replace("positive: [1]", "positive: [3]").replace(
            "{1: \"Godt\", 2: \"Skidt\"}",
            "{1: \"Godt\", 98: \"Skidt\"}",
        );
        let message = Codebook::parse(&text, Path::new("c.yaml"))
            .unwrap_err()
            .to_string();
        assert!(message.contains("positive code 3 is not among its options"));
        assert!(message.contains("option 98 is also a `missing` code"));
    }
}
