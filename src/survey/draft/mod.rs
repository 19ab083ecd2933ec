//! A first codebook for a survey file nobody has described yet (`report codebook draft`):
//! everything the data or an SPSS file can tell, in the format of docs/formats.md, with
//! `"TODO"` where only a person knows the text and `# CHECK` on every guess.
//!
//! What is drafted, and from what:
//! - background columns (respondent id, municipality, school, grade, gender) guessed from
//!   column names and SPSS variable labels, and the codes found in grade and gender;
//! - `missing:` codes: those an SPSS file declares user-missing, or, in data that do not say
//!   (CSV, spreadsheets), codes like 98 or 99 that occur in several columns above every other
//!   code;
//! - a single-choice question per column of codes, its text from the SPSS variable label and
//!   its options from the value labels and the codes found;
//! - a multiple-choice question per group of 0/1 columns `<id>_<code>`;
//! - a numeric question, with the range found and bins, per column of other numbers or of
//!   more than 20 different codes.
//!
//! Indicators, index questions and themes are left to a person: the data cannot tell them.
//! The draft is checked as a codebook ([`crate::survey::Codebook::parse`]) once its TODOs
//! are filled in, which the tests do.

mod columns;
mod plan;
mod yaml;

use std::path::{Path, PathBuf};

use super::ResponsesError;
use super::source;
use columns::Columns;
use plan::Plan;
use yaml::Heading;

pub use yaml::TODO;
pub(crate) use yaml::quote;

/// A drafted codebook.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The codebook as commented YAML.
    pub yaml: String,
    /// The column guessed to hold municipality names, if any.
    pub municipality_column: Option<String>,
    /// The municipality names in that column, sorted (at most a few thousand).
    pub municipalities: Vec<String>,
    /// How many texts a person must write (`"TODO"`), and how many guesses to check.
    pub todo: usize,
    pub checks: usize,
}

/// Why no codebook could be drafted.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error(transparent)]
    Read(#[from] ResponsesError),
    #[error("no survey file given")]
    NoFiles,
    #[error(
        "{}: no column holds answer codes or numbers, so there is no question to draft",
        path.display()
    )]
    NoQuestions { path: PathBuf },
}

/// Drafts a codebook from survey files (CSV, spreadsheets with `sheet` or their first sheet,
/// SPSS). `this_year` is the round where neither the file names nor an SPSS header give one.
pub fn draft(paths: &[PathBuf], sheet: Option<&str>, this_year: u16) -> Result<Draft, DraftError> {
    let first = paths.first().ok_or(DraftError::NoFiles)?;
    let mut columns = Columns::default();
    for path in paths {
        source::read(path, sheet, &mut columns)?;
    }
    let plan = Plan::of(&columns);
    if plan.themes.is_empty() {
        return Err(DraftError::NoQuestions {
            path: first.clone(),
        });
    }
    // SPSS headers give two-digit years, which ambers reads as 20yy: a later year than this
    // one was written in the 1900s and is no round.
    let written = columns.year.filter(|&year| year <= this_year);
    let (round, round_check) = match (year_in_name(first), written) {
        (Some(year), _) => (year, "the year in the file name"),
        (None, Some(year)) => (year, "the year the SPSS file was written"),
        (None, None) => (this_year, "this year; the data do not say"),
    };
    let files: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let heading = Heading {
        files: &files,
        rows: columns.rows,
        columns: columns.columns.len(),
        survey: survey_name(first),
        title: columns.label.clone(),
        round,
        round_check,
        warnings: &columns.warnings,
    };
    let yaml = yaml::write(&heading, &plan);
    let municipality_column = plan.background.municipality.map(|pick| pick.column);
    let municipalities = municipality_column
        .as_deref()
        .and_then(|column| columns.get(column))
        .map(|column| column.texts.keys().cloned().collect())
        .unwrap_or_default();
    Ok(Draft {
        todo: yaml.matches(&format!("\"{TODO}\"")).count(),
        checks: yaml.matches("# CHECK").count(),
        yaml,
        municipality_column,
        municipalities,
    })
}

/// A year (1900–2099) standing alone in the file name, as in `udskoling-2026.csv`.
fn year_in_name(path: &Path) -> Option<u16> {
    let stem = path.file_stem()?.to_string_lossy();
    stem.split(|c: char| !c.is_ascii_digit())
        .filter(|digits| digits.len() == 4)
        .filter_map(|digits| digits.parse::<u16>().ok())
        .find(|year| (1900..2100).contains(year))
}

/// The survey's machine name: the file name's slug.
fn survey_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = crate::slug::slug(&stem);
    if name.is_empty() {
        "survey".to_owned()
    } else {
        name
    }
}

#[cfg(test)]
mod tests;
