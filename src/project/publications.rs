//! Every publication of a survey round together. The same survey file published under two
//! codebooks (one that hides gender, one that adds a breakdown) is one set of pupils in two
//! sets of tables; protected one codebook at a time, the two together can disclose what
//! each withholds. So the round's codebooks are joined into one system: every breakdown
//! any of them shows is an axis (a breakdown is its column) and every question any of them
//! asks is a question (a question is its columns). Every group a publication can publish —
//! a unit, whole or narrowed to one value of one of its breakdowns — is a group of the union,
//! so one disclosure-control pattern over the union protects all of them, and each build
//! projects it onto its own codebook's groups
//! ([`Pattern::project`](crate::aggregate::Pattern::project)).
//!
//! The union is built from the declared list alone, in its order, so every build, batch and
//! shard of the round computes the same pattern, whichever codebook it is for.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;

use crate::Text;
use crate::survey::{Background, Breakdown, Code, Codebook, Question, QuestionKind, Theme};

/// The most inner cells a unit may have (the tally numbers cells in 32 bits).
const MAX_INNER_CELLS: usize = 1 << 16;

/// Why the declared publications cannot be protected together.
#[derive(Debug, thiserror::Error)]
pub enum PublicationError {
    #[error(
        "codebook {} is not among the publications declared {declared} ({}): add it, so all \
         reports of the round are protected together",
        codebook.display(),
        files(declared_files)
    )]
    Undeclared {
        codebook: PathBuf,
        /// Where the list was declared: "in report.yaml" or "with --publication".
        declared: String,
        declared_files: Vec<PathBuf>,
    },
    #[error(
        "{} and {} name different municipality columns (`{first}` and `{second}`); the \
         publications of a round must count the same municipalities",
        first_file.display(),
        second_file.display()
    )]
    Municipality {
        first_file: PathBuf,
        first: String,
        second_file: PathBuf,
        second: String,
    },
    #[error(
        "{} and {} name different school columns (`{first}` and `{second}`); the \
         publications of a round must count the same schools",
        first_file.display(),
        second_file.display()
    )]
    School {
        first_file: PathBuf,
        first: String,
        second_file: PathBuf,
        second: String,
    },
    #[error(
        "column `{column}` has the codes {} in {} but {} in {}; every publication of a round \
         must give a background column the same codes",
        codes(first),
        first_file.display(),
        codes(second),
        second_file.display()
    )]
    BreakdownCodes {
        column: String,
        first_file: PathBuf,
        first: Vec<Code>,
        second_file: PathBuf,
        second: Vec<Code>,
    },
    #[error(
        "column `{column}` is a background column in {} but question `{question}` reads it in \
         {}; every publication of a round must read a column alike",
        background_file.display(),
        question_file.display()
    )]
    BackgroundQuestion {
        column: String,
        background_file: PathBuf,
        question: String,
        question_file: PathBuf,
    },
    #[error(
        "column `{column}` is read as {first} in {} but as {second} in {}; every publication \
         of a round must read a column alike",
        first_file.display(),
        second_file.display()
    )]
    Question {
        column: String,
        first_file: PathBuf,
        first: String,
        second_file: PathBuf,
        second: String,
    },
    #[error(
        "{} has the missing codes {} but {} has {}; every publication of a round must count \
         the same answers as valid",
        first_file.display(),
        codes(first),
        second_file.display(),
        codes(second)
    )]
    MissingCodes {
        first_file: PathBuf,
        first: Vec<Code>,
        second_file: PathBuf,
        second: Vec<Code>,
    },
    #[error(
        "the breakdowns of all publications together have {cells} combinations of values; \
         at most {MAX_INNER_CELLS} can be protected together"
    )]
    TooManyCells { cells: usize },
}

fn files(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn codes(codes: &[Code]) -> String {
    if codes.is_empty() {
        return "none".to_owned();
    }
    codes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The round's publications joined into one codebook, for disclosure control only.
#[derive(Debug, Clone)]
pub(crate) struct Union {
    codebook: Codebook,
}

/// What a question counts as valid and non-blank answers: two questions that read a column
/// alike give the same counts, whatever their texts, labels, bins or indicators.
#[derive(Debug, Clone, PartialEq)]
enum Reading {
    Single(Vec<Code>),
    Multiple(Vec<Code>),
    Numeric {
        min: f64,
        max: f64,
    },
    Index {
        items: Vec<String>,
        scores: Vec<Code>,
    },
}

impl Reading {
    fn of(question: &Question) -> Reading {
        match &question.kind {
            QuestionKind::Single { options, .. } => {
                Reading::Single(options.keys().copied().collect())
            }
            QuestionKind::Multiple { options, .. } => {
                Reading::Multiple(options.keys().copied().collect())
            }
            QuestionKind::Numeric { range, .. } => Reading::Numeric {
                min: range.min,
                max: range.max,
            },
            QuestionKind::Index { items, scores, .. } => Reading::Index {
                items: items
                    .iter()
                    .map(|i| i.id.clone())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                scores: scores.keys().copied().collect(),
            },
        }
    }

    /// Whether the codebook's `missing:` codes count in the question's answers.
    fn uses_missing(&self) -> bool {
        !matches!(self, Reading::Multiple(_))
    }
}

impl fmt::Display for Reading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reading::Single(options) => write!(f, "a single choice of {}", codes(options)),
            Reading::Multiple(options) => write!(f, "a multiple choice of {}", codes(options)),
            Reading::Numeric { min, max } => write!(f, "a number from {min} to {max}"),
            Reading::Index { items, scores } => write!(
                f,
                "an index of {} scored {}",
                items.join(", "),
                codes(scores)
            ),
        }
    }
}

/// Who claims a column of the survey file.
#[derive(Debug, Clone, Copy)]
enum Claim {
    /// A background column of publication `file`.
    Background { file: usize },
    /// Union question `question`, first asked by publication `file`.
    Question { file: usize, question: usize },
}

impl Union {
    /// Joins `publications` (each codebook with its file, in the declared order), refusing
    /// two that read a column differently.
    pub(crate) fn of(publications: &[(PathBuf, Codebook)]) -> Result<Union, PublicationError> {
        let (first_file, first) = &publications[0];
        let mut columns: BTreeMap<String, Claim> = BTreeMap::new();
        let mut school: Option<(usize, String)> = None;
        // Every breakdown column's codes, with the publication that first defined it.
        let mut codes: BTreeMap<String, (usize, Vec<Code>)> = BTreeMap::new();
        let mut breakdowns: Vec<Breakdown> = Vec::new();
        for (file, (path, codebook)) in publications.iter().enumerate() {
            let background = &codebook.background;
            if background.municipality != first.background.municipality {
                return Err(PublicationError::Municipality {
                    first_file: first_file.clone(),
                    first: first.background.municipality.clone(),
                    second_file: path.clone(),
                    second: background.municipality.clone(),
                });
            }
            if let Some(column) = &background.school {
                match &school {
                    Some((earlier, name)) if name != column => {
                        return Err(PublicationError::School {
                            first_file: publications[*earlier].0.clone(),
                            first: name.clone(),
                            second_file: path.clone(),
                            second: column.clone(),
                        });
                    }
                    Some(_) => {}
                    None => school = Some((file, column.clone())),
                }
            }
            for breakdown in &background.breakdowns {
                let these: Vec<Code> = breakdown.values.keys().copied().collect();
                match codes.get(&breakdown.column) {
                    Some((earlier, those)) if *those != these => {
                        return Err(PublicationError::BreakdownCodes {
                            column: breakdown.column.clone(),
                            first_file: publications[*earlier].0.clone(),
                            first: those.clone(),
                            second_file: path.clone(),
                            second: these,
                        });
                    }
                    Some(_) => {}
                    None => {
                        codes.insert(breakdown.column.clone(), (file, these));
                    }
                }
                if breakdown.show && !breakdowns.iter().any(|b| b.column == breakdown.column) {
                    breakdowns.push(breakdown.clone());
                }
            }
            let background_columns = std::iter::once(&background.municipality)
                .chain(&background.school)
                .chain(&background.respondent)
                .chain(background.breakdowns.iter().map(|b| &b.column));
            for column in background_columns {
                columns
                    .entry(column.clone())
                    .or_insert(Claim::Background { file });
            }
        }
        let cells = breakdowns
            .iter()
            .try_fold(1usize, |cells, b| cells.checked_mul(b.values.len() + 1))
            .unwrap_or(usize::MAX);
        if cells > MAX_INNER_CELLS {
            return Err(PublicationError::TooManyCells { cells });
        }

        let mut questions: Vec<(usize, Question)> = Vec::new();
        for (file, (path, codebook)) in publications.iter().enumerate() {
            for question in codebook.questions() {
                let reading = Reading::of(question);
                let mut known = None;
                for column in question.columns() {
                    match columns.get(&column) {
                        None => {}
                        Some(&Claim::Background { file: owner }) => {
                            return Err(PublicationError::BackgroundQuestion {
                                column,
                                background_file: publications[owner].0.clone(),
                                question: question.id.0.clone(),
                                question_file: path.clone(),
                            });
                        }
                        Some(&Claim::Question {
                            file: owner,
                            question: index,
                        }) => {
                            let earlier = &questions[index].1;
                            let theirs = Reading::of(earlier);
                            if earlier.id != question.id || theirs != reading {
                                return Err(PublicationError::Question {
                                    column,
                                    first_file: publications[owner].0.clone(),
                                    first: format!("question `{}`, {theirs}", earlier.id),
                                    second_file: path.clone(),
                                    second: format!("question `{}`, {reading}", question.id),
                                });
                            }
                            known = Some(index);
                        }
                    }
                }
                if known.is_none() {
                    let index = questions.len();
                    for column in question.columns() {
                        columns.insert(
                            column,
                            Claim::Question {
                                file,
                                question: index,
                            },
                        );
                    }
                    questions.push((file, question.clone()));
                }
            }
        }

        // Every publication whose questions count missing codes must have the same ones.
        let mut missing: Option<(usize, &BTreeMap<Code, Text>)> = None;
        for (file, (path, codebook)) in publications.iter().enumerate() {
            if !codebook.questions().any(|q| Reading::of(q).uses_missing()) {
                continue;
            }
            match missing {
                Some((earlier, codes)) if !codes.keys().eq(codebook.missing.keys()) => {
                    return Err(PublicationError::MissingCodes {
                        first_file: publications[earlier].0.clone(),
                        first: codes.keys().copied().collect(),
                        second_file: path.clone(),
                        second: codebook.missing.keys().copied().collect(),
                    });
                }
                Some(_) => {}
                None => missing = Some((file, &codebook.missing)),
            }
        }

        for breakdown in &mut breakdowns {
            breakdown.show = true;
        }
        Ok(Union {
            codebook: Codebook {
                survey: first.survey.clone(),
                title: first.title.clone(),
                round: first.round,
                ages: None,
                background: Background {
                    // Respondent ids are each publication's own check; the union only counts.
                    respondent: None,
                    municipality: first.background.municipality.clone(),
                    school: school.map(|(_, column)| column),
                    breakdowns,
                },
                missing: missing.map(|(_, codes)| codes.clone()).unwrap_or_default(),
                themes: vec![Theme {
                    id: "publications".to_owned(),
                    title: Text::default(),
                    library: Vec::new(),
                    questions: questions.into_iter().map(|(_, q)| q).collect(),
                }],
            },
        })
    }

    /// The union as one codebook (to read and count the survey with).
    pub(crate) fn codebook(&self) -> &Codebook {
        &self.codebook
    }

    /// For each axis of a tally of `publication` (its shown breakdowns, in order), the axis of
    /// the union's tally that counts the same column.
    pub(crate) fn axes_of(&self, publication: &Codebook) -> Vec<usize> {
        let union = &self.codebook.background.breakdowns;
        publication
            .background
            .shown()
            .map(|b| {
                union
                    .iter()
                    .position(|u| u.column == b.column)
                    .expect("every shown breakdown of a publication is in the union")
            })
            .collect()
    }

    /// For each question of `publication`, the union's question of the same id.
    pub(crate) fn questions_of(&self, publication: &Codebook) -> Vec<usize> {
        publication
            .questions()
            .map(|q| {
                self.codebook
                    .questions()
                    .position(|u| u.id == q.id)
                    .expect("every question of a publication is in the union")
            })
            .collect()
    }

    /// True when a tally of `publication` is a tally of the union: the same axes and the
    /// same questions in the same order, so its own pattern is the union's.
    pub(crate) fn is_counted_by(&self, publication: &Codebook) -> bool {
        let axes = self.axes_of(publication);
        axes.len() == self.codebook.background.breakdowns.len()
            && axes.iter().enumerate().all(|(i, &axis)| i == axis)
            && self
                .codebook
                .questions()
                .map(|q| &q.id)
                .eq(publication.questions().map(|q| &q.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = r#"
survey: t
title: T
round: 2026
background:
  municipality: kommune
  gender: {column: koen, values: {1: "Dreng", 2: "Pige"}}
  grade: {column: klasse, values: {7: "7.", 8: "8."}}
missing: {98: "Ved ikke"}
themes:
  - id: a
    title: A
    questions:
      - {id: q1, text: "?", options: {1: "Ja", 2: "Nej"}, positive: [1], indicator: "ja"}
      - {id: q2, text: "?", options: {1: "Ja", 2: "Nej"}}
"#;

    /// B hides gender and asks one question of A's (with other texts) and one of its own.
    const B: &str = r#"
survey: t
title: T uden køn
round: 2026
background:
  municipality: kommune
  grade: {column: klasse, values: {7: "7. klasse", 8: "8. klasse"}}
  breakdowns:
    - {id: udd, column: udd, title: "Uddannelse", values: {1: "A", 2: "B", 3: "C"}}
missing: {98: "Ved ikke"}
themes:
  - id: b
    title: B
    questions:
      - {id: q2, text: "Andet?", options: {1: "Ja!", 2: "Nej!"}, positive: [2], indicator: "nej"}
      - {id: q3, text: "?", kind: multiple, options: {1: "X", 2: "Y"}}
"#;

    fn parse(name: &str, text: &str) -> (PathBuf, Codebook) {
        let path = PathBuf::from(name);
        let codebook = Codebook::parse(text, &path).unwrap();
        (path, codebook)
    }

    fn union(list: &[(&str, &str)]) -> Result<Union, PublicationError> {
        let publications: Vec<(PathBuf, Codebook)> =
            list.iter().map(|(name, text)| parse(name, text)).collect();
        Union::of(&publications)
    }

    fn columns(union: &Union) -> Vec<&str> {
        let breakdowns = &union.codebook().background.breakdowns;
        breakdowns.iter().map(|b| b.column.as_str()).collect()
    }

    fn ids(union: &Union) -> Vec<&str> {
        union
            .codebook()
            .questions()
            .map(|q| q.id.0.as_str())
            .collect()
    }

    #[test]
    fn the_union_has_every_breakdown_and_question_once_in_the_declared_order() {
        let union = union(&[("a.yaml", A), ("b.yaml", B)]).unwrap();
        assert_eq!(columns(&union), ["koen", "klasse", "udd"]);
        assert_eq!(ids(&union), ["q1", "q2", "q3"]);
        let (_, a) = parse("a.yaml", A);
        let (_, b) = parse("b.yaml", B);
        assert_eq!(union.axes_of(&a), [0, 1]);
        assert_eq!(union.axes_of(&b), [1, 2]);
        assert_eq!(union.questions_of(&a), [0, 1]);
        assert_eq!(union.questions_of(&b), [1, 2]);
        // A lacks `udd`, so neither is counted by the union's tally.
        assert!(!union.is_counted_by(&a) && !union.is_counted_by(&b));

        let reversed = super::tests::union(&[("b.yaml", B), ("a.yaml", A)]).unwrap();
        assert_eq!(columns(&reversed), ["klasse", "udd", "koen"]);
        assert_eq!(reversed.axes_of(&a), [2, 0]);
    }

    #[test]
    fn a_publication_that_has_it_all_is_counted_by_the_union() {
        let alone = union(&[("a.yaml", A)]).unwrap();
        let (_, a) = parse("a.yaml", A);
        assert!(alone.is_counted_by(&a));
        // B without its own breakdown and question: everything it has, A has.
        let smaller = B
            .replace(
                "  breakdowns:\n    - {id: udd, column: udd, title: \"Uddannelse\", values: {1: \"A\", 2: \"B\", 3: \"C\"}}\n",
                "",
            )
            .replace("      - {id: q3, text: \"?\", kind: multiple, options: {1: \"X\", 2: \"Y\"}}\n", "");
        let union = union(&[("a.yaml", A), ("b.yaml", &smaller)]).unwrap();
        let (_, b) = parse("b.yaml", &smaller);
        assert!(union.is_counted_by(&a));
        assert!(!union.is_counted_by(&b));
        assert_eq!(union.axes_of(&b), [1]);
    }

    #[test]
    fn hidden_breakdowns_are_no_axes_but_their_codes_must_agree() {
        let hidden = B.replace("3: \"C\"}}", "3: \"C\"}, show: false}");
        let union = union(&[("a.yaml", A), ("b.yaml", &hidden)]).unwrap();
        assert_eq!(columns(&union), ["koen", "klasse"]);
        let other = B.replace(
            "{7: \"7. klasse\", 8: \"8. klasse\"}",
            "{7: \"7.\", 9: \"9.\"}",
        );
        let error = super::tests::union(&[("a.yaml", A), ("b.yaml", &other)])
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "column `klasse` has the codes 7, 8 in a.yaml but 7, 9 in b.yaml; every publication \
             of a round must give a background column the same codes"
        );
    }

    #[test]
    fn a_column_read_differently_is_refused_naming_both_files() {
        let options = B.replace(
            "{1: \"Ja!\", 2: \"Nej!\"}",
            "{1: \"Ja!\", 2: \"Nej!\", 3: \"Måske\"}",
        );
        let error = union(&[("a.yaml", A), ("b.yaml", &options)])
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "column `q2` is read as question `q2`, a single choice of 1, 2 in a.yaml but as \
             question `q2`, a single choice of 1, 2, 3 in b.yaml; every publication of a round \
             must read a column alike"
        );
        // The same id as another kind of question.
        let numeric = format!(
            "{B}      - {{id: q1, text: \"?\", kind: numeric, range: {{min: 0, max: 9}}, bins: [{{label: alle}}]}}\n"
        );
        let error = union(&[("a.yaml", A), ("b.yaml", &numeric)])
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(
                "column `q1` is read as question `q1`, a single choice of 1, 2 in a.yaml but as \
                 question `q1`, a number from 0 to 9 in b.yaml"
            ),
            "{error}"
        );
        // Another question on the same column: an index with A's question as an item.
        let index = format!(
            "{B}      - {{id: idx, text: \"?\", kind: index, items: [{{id: q1, text: \"a\"}}], \
             options: {{0: \"nej\", 1: \"ja\"}}, multiplier: 1, bins: [{{label: alle}}]}}\n"
        );
        let error = union(&[("a.yaml", A), ("b.yaml", &index)])
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(
                "column `q1` is read as question `q1`, a single choice of 1, 2 in a.yaml but as \
                 question `idx`, an index of q1 scored 0, 1 in b.yaml"
            ),
            "{error}"
        );
        // A breakdown column that another codebook reads as a question.
        let background = B.replace("column: udd,", "column: q1,");
        let error = union(&[("a.yaml", A), ("b.yaml", &background)])
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(
                "column `q1` is a background column in b.yaml but question `q1` reads it in a.yaml"
            ),
            "{error}"
        );
    }

    #[test]
    fn other_missing_codes_or_units_are_refused() {
        let missing = B.replace(
            "missing: {98: \"Ved ikke\"}",
            "missing: {98: \"Ved ikke\", 99: \"Vil ikke\"}",
        );
        let error = union(&[("a.yaml", A), ("b.yaml", &missing)])
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("a.yaml has the missing codes 98 but b.yaml has 98, 99"),
            "{error}"
        );
        let municipality = B.replace("municipality: kommune", "municipality: kommunenavn");
        let error = union(&[("a.yaml", A), ("b.yaml", &municipality)])
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("a.yaml and b.yaml name different municipality columns (`kommune` and `kommunenavn`)"),
            "{error}"
        );
    }
}
