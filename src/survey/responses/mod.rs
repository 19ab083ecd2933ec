//! Respondent-level survey results, read into compact columns (one byte per answer) in one
//! pass, with every data problem recorded in a [`Quality`] report.
//!
//! Rows never leave this module's types except through [`crate::aggregate`], which turns
//! them into counts.

mod builder;
mod decode;

use std::path::PathBuf;

use super::codebook::Codebook;
use super::quality::{Quality, SourceInfo};
use super::scale::{BLANK, Scale};
use super::source::{self, SourceError};
use builder::TableBuilder;

/// The stored answers to one question.
#[derive(Debug, Clone)]
pub enum Answers {
    /// Single choice: each respondent's slot in the question's [`Scale`], or [`BLANK`].
    Coded(Vec<u8>),
    /// Multiple choice: per option, each respondent's 0 (not ticked), 1 (ticked) or [`BLANK`].
    Ticks(Vec<Vec<u8>>),
    /// Numeric and index questions: each respondent's slot (bin or missing code, or
    /// [`BLANK`]) and value (meaningful where the slot is a bin).
    Valued { slots: Vec<u8>, values: Vec<f32> },
}

impl Answers {
    /// Adds a numeric or index answer: its bin's slot and its value.
    fn push_valued(&mut self, slot: u8, value: f32) {
        if let Answers::Valued { slots, values } = self {
            slots.push(slot);
            values.push(value);
        }
    }

    fn push_blank(&mut self) {
        match self {
            Answers::Coded(slots) => slots.push(BLANK),
            Answers::Ticks(ticks) => ticks.iter_mut().for_each(|t| t.push(BLANK)),
            Answers::Valued { slots, values } => {
                slots.push(BLANK);
                values.push(f32::NAN);
            }
        }
    }

    /// True when respondent `row` gave no answer at all.
    pub fn is_blank(&self, row: usize) -> bool {
        match self {
            Answers::Coded(slots) | Answers::Valued { slots, .. } => slots[row] == BLANK,
            Answers::Ticks(ticks) => ticks.iter().all(|t| t[row] == BLANK),
        }
    }
}

/// A school, identified by its municipality and its name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct School {
    /// Index into [`Responses::municipalities`].
    pub municipality: u16,
    pub name: String,
}

/// The school of a row whose school is not given.
pub const NO_SCHOOL: u32 = u32::MAX;

/// Survey answers stored by column. A million respondents × 100 single-choice questions
/// take 100 MB.
#[derive(Debug, Clone)]
pub struct Responses {
    /// Municipality names (Unicode NFC, trimmed), sorted; rows refer to them by index.
    municipalities: Vec<String>,
    municipality: Vec<u16>,
    /// Schools sorted by municipality and name; rows refer to them by index, or [`NO_SCHOOL`].
    schools: Vec<School>,
    school: Vec<u32>,
    /// One column per codebook breakdown: each row's slot in the breakdown's scale, or
    /// [`BLANK`] when unknown.
    breakdowns: Vec<Vec<u8>>,
    breakdown_scales: Vec<Scale>,
    /// One entry per codebook question ([`Codebook::questions`] order); `None` where no file
    /// has the question's columns.
    answers: Vec<Option<Answers>>,
    /// A 64-bit hash of every respondent id, sorted and each once: enough to tell whether
    /// two files hold the same respondents, without keeping the ids.
    respondent_ids: Vec<u64>,
}

/// Why survey files could not be read at all (problems in cells are in [`Quality`]).
#[derive(Debug, thiserror::Error)]
pub enum ResponsesError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("{}: the file has no column {}", path.display(), quoted(columns))]
    MissingColumns { path: PathBuf, columns: Vec<String> },
    #[error("{}: column `{column}` appears twice in the header", path.display())]
    DuplicateColumn { path: PathBuf, column: String },
    #[error("{}: more than {} municipalities (or schools); is `{column}` the right column?", path.display(), u16::MAX)]
    TooManyUnits { path: PathBuf, column: String },
}

fn quoted(columns: &[impl AsRef<str>]) -> String {
    columns
        .iter()
        .map(|c| format!("`{}`", c.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Responses {
    /// Reads one or more survey files (CSV or spreadsheets; `sheet` picks a spreadsheet's
    /// sheet, else the first) against a codebook. Rows of all files are concatenated.
    pub fn read(
        paths: &[PathBuf],
        codebook: &Codebook,
        sheet: Option<&str>,
    ) -> Result<(Responses, Quality), ResponsesError> {
        let mut builder = TableBuilder::new(codebook);
        for path in paths {
            let before = builder.rows();
            let dialect = source::read(path, sheet, &mut builder)?;
            let rows = builder.rows() - before;
            builder.quality().sources.push(SourceInfo {
                path: path.clone(),
                dialect,
                rows,
            });
        }
        builder.finish()
    }

    /// Number of respondents.
    pub fn len(&self) -> usize {
        self.municipality.len()
    }

    /// True when there are no respondents.
    pub fn is_empty(&self) -> bool {
        self.municipality.is_empty()
    }

    /// The municipality names in the data, sorted.
    pub fn municipalities(&self) -> &[String] {
        &self.municipalities
    }

    /// The index of each row's municipality in [`Responses::municipalities`].
    pub fn municipality_column(&self) -> &[u16] {
        &self.municipality
    }

    /// The schools in the data, sorted by municipality and name (empty without a school
    /// column).
    pub fn schools(&self) -> &[School] {
        &self.schools
    }

    /// The index of each row's school in [`Responses::schools`], or [`NO_SCHOOL`].
    pub fn school_column(&self) -> &[u32] {
        &self.school
    }

    /// Each row's slot of breakdown number `breakdown` (codebook order; [`BLANK`] when
    /// unknown).
    pub fn breakdown_column(&self, breakdown: usize) -> &[u8] {
        &self.breakdowns[breakdown]
    }

    /// The scale of breakdown number `breakdown`.
    pub fn breakdown_scale(&self, breakdown: usize) -> &Scale {
        &self.breakdown_scales[breakdown]
    }

    /// Hashes of the respondent ids (the codebook's `respondent` column), sorted, each once;
    /// empty without the column. Equal ids have equal hashes within one run of the program.
    pub fn respondent_ids(&self) -> &[u64] {
        &self.respondent_ids
    }

    /// The answers to question number `question` (codebook order), or `None` when the data
    /// do not have the question.
    pub fn answers(&self, question: usize) -> Option<&Answers> {
        self.answers[question].as_ref()
    }
}

#[cfg(test)]
mod tests;
