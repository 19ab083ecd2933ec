//! The guesses a draft codebook is made of: which columns are background (by their names and
//! labels), which codes mean "no answer", and what kind of question every other column is.
//! Each guess carries the reason a person should check it.

use std::collections::{BTreeMap, BTreeSet};

mod background;
mod missing;
mod questions;

use super::columns::{Column, Columns};
use crate::survey::scale::MAX_CODES;
use crate::survey::source::parse_code;
use background::background;
use missing::{declared_missing, sentinel_missing};
use questions::{multiple_choice_groups, question};

/// A text the draft has, or `None` where a person must write it.
pub(super) type Label = Option<String>;

/// The background column chosen for a role, and why.
#[derive(Debug, Clone)]
pub(super) struct Pick {
    pub(super) column: String,
    /// What to check about the guess.
    pub(super) check: String,
}

/// A coded background column (grade, gender).
#[derive(Debug, Clone)]
pub(super) struct Coded {
    pub(super) pick: Pick,
    pub(super) values: Vec<(u16, Label)>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Background {
    pub(super) respondent: Option<Pick>,
    pub(super) municipality: Option<Pick>,
    pub(super) school: Option<Pick>,
    pub(super) grade: Option<Coded>,
    pub(super) gender: Option<Coded>,
}

#[derive(Debug, Clone)]
pub(super) enum Kind {
    Single {
        options: Vec<(u16, Label)>,
    },
    Multiple {
        options: Vec<(u16, Label)>,
    },
    Numeric {
        range: (f64, f64),
        bins: Vec<(Option<f64>, String)>,
    },
}

#[derive(Debug, Clone)]
pub(super) struct Question {
    pub(super) id: String,
    pub(super) text: Label,
    pub(super) kind: Kind,
    /// What to check about this question.
    pub(super) checks: Vec<String>,
}

#[derive(Debug, Clone)]
pub(super) struct Theme {
    pub(super) id: String,
    pub(super) questions: Vec<Question>,
}

/// Everything the draft says, before it is written as YAML.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub(super) background: Background,
    pub(super) missing: Vec<(u16, Label)>,
    /// Why the missing codes are what they are.
    pub(super) missing_check: Option<String>,
    pub(super) themes: Vec<Theme>,
    /// Columns left out, each with why.
    pub(super) skipped: Vec<(String, String)>,
    /// Notes about the guesses that belong to no single line.
    pub(super) notes: Vec<String>,
}

impl Plan {
    pub(super) fn of(columns: &Columns) -> Plan {
        let mut notes = Vec::new();
        let background = background(columns, &mut notes);
        let taken: BTreeSet<&str> = [
            &background.respondent,
            &background.municipality,
            &background.school,
        ]
        .into_iter()
        .flatten()
        .map(|pick| pick.column.as_str())
        .chain(
            [&background.grade, &background.gender]
                .into_iter()
                .flatten()
                .map(|coded| coded.pick.column.as_str()),
        )
        .collect();
        let candidates: Vec<&Column> = columns
            .columns
            .iter()
            .filter(|c| !taken.contains(c.name.as_str()))
            .collect();
        let groups = multiple_choice_groups(columns, &candidates);
        let grouped: BTreeSet<&str> = groups
            .iter()
            .flat_map(|group| group.members.iter().map(|(_, c)| c.name.as_str()))
            .collect();
        let coded: Vec<&Column> = candidates
            .iter()
            .copied()
            .filter(|c| !grouped.contains(c.name.as_str()))
            .collect();
        let (missing, missing_check) = if columns.described {
            declared_missing(&coded, &mut notes)
        } else {
            sentinel_missing(&coded)
        };
        let missing_codes: BTreeSet<u16> = missing.iter().map(|(code, _)| *code).collect();

        let mut skipped = Vec::new();
        let mut questions: Vec<(usize, Question)> = Vec::new();
        for group in &groups {
            questions.push((group.position, group.question(columns)));
        }
        for column in coded {
            let position = columns
                .columns
                .iter()
                .position(|c| c.name == column.name)
                .unwrap_or(usize::MAX);
            match question(column, &missing_codes) {
                Ok(question) => questions.push((position, question)),
                Err(why) => skipped.push((column.name.clone(), why)),
            }
        }
        questions.sort_by_key(|(position, _)| *position);
        Plan {
            background,
            missing,
            missing_check,
            themes: themes(questions.into_iter().map(|(_, q)| q).collect()),
            skipped,
            notes,
        }
    }
}

/// A column's value labels of answer codes.
pub(super) fn value_labels(column: &Column) -> Vec<(u16, String)> {
    column
        .described
        .values
        .iter()
        .filter_map(|(value, label)| Some((parse_code(value.as_bytes())?, label.clone())))
        .filter(|(_, label)| !label.trim().is_empty())
        .collect()
}

/// The theme of the questions whose ids share no beginning with another question's.
const OTHER: &str = "tema";

/// Questions grouped into themes by the letters their ids begin with (`op1`…`op6` and
/// `mast1`…`mast7` become themes `op` and `mast`), in the order first seen; questions alone
/// with their letters (`age`, `marital`) share one theme, where the first of them is.
fn themes(questions: Vec<Question>) -> Vec<Theme> {
    let letters = |question: &Question| -> String {
        question
            .id
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect::<String>()
            .to_lowercase()
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for question in &questions {
        *counts.entry(letters(question)).or_insert(0) += 1;
    }
    let mut themes: Vec<Theme> = Vec::new();
    for question in questions {
        let own = letters(&question);
        let id = if own.is_empty() || counts[&own] < 2 {
            OTHER.to_owned()
        } else {
            own
        };
        match themes.iter_mut().find(|t| t.id == id) {
            Some(theme) => theme.questions.push(question),
            None => themes.push(Theme {
                id,
                questions: vec![question],
            }),
        }
    }
    themes
}
