//! Tables (`--tables-out`): every published figure of one or more reports as an Excel
//! workbook of tidy sheets, one row per figure, for analysts to filter, sort and pivot.
//!
//! Like the PDF, the workbook is rendered from a report's [`Summary`], the figures that
//! disclosure control has already checked, joined with the codebook's labels in the report's
//! language; it has no other way to the data, so it publishes exactly what the PDF publishes.
//! A withheld figure is an empty cell with one mark beside it, whatever the reason. The bytes
//! depend only on the summaries, the codebook, the language and the report date (which is
//! also the workbook's creation time), so the same inputs give the same file.

mod sheet;
mod sheets;
mod words;

use rust_xlsxwriter::{DocProperties, IntoCustomDateTime, Workbook, XlsxError};

use crate::Lang;
use crate::aggregate::Summary;
use crate::contain::contain;
use crate::date::ReportDate;
use crate::survey::Codebook;
use sheets::Book;

/// Why the workbook could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TablesError {
    #[error(
        "the sheet `{sheet}` of the tables would have more than {} rows, the most a worksheet \
         can hold; put fewer reports into one workbook (--only or --shard)",
        sheet::MAX_ROWS
    )]
    TooManyRows { sheet: String },
    #[error("cannot write the tables workbook: {0}")]
    Xlsx(XlsxError),
    /// rust_xlsxwriter gave up (it panics where its temporary files fail).
    #[error(
        "cannot write the tables workbook: {0} (is the temporary directory full or not \
         writable? set TMPDIR to another)"
    )]
    Failed(String),
}

/// What the workbook's labels and metadata come from besides the summaries.
#[derive(Debug, Clone, Copy)]
pub struct Tables<'a> {
    /// The codebook the summaries were computed with: themes, question texts, answer labels.
    pub codebook: &'a Codebook,
    pub lang: Lang,
    /// The date the reports carry; the workbook's creation time.
    pub date: ReportDate,
    /// The privacy threshold, stated on the about sheet.
    pub min_cell: u32,
}

impl Tables<'_> {
    /// The workbook (`.xlsx` bytes) of `summaries`, in their order: one report's, or a
    /// batch's with a row per unit and figure.
    pub fn workbook(&self, summaries: &[Summary]) -> Result<Vec<u8>, TablesError> {
        // rust_xlsxwriter's low-memory worksheets unwrap their temporary files' I/O: a full
        // or unwritable temporary directory is an error here, not a crash.
        contain(|| self.write(summaries)).map_err(TablesError::Failed)?
    }

    fn write(&self, summaries: &[Summary]) -> Result<Vec<u8>, TablesError> {
        let book = Book::new(self, summaries);
        let mut workbook = Workbook::new();
        workbook.set_properties(
            &DocProperties::new()
                .set_title(self.codebook.title.get(self.lang))
                .set_creation_datetime(&Created(self.date)),
        );
        book.distributions(&mut workbook, summaries)?;
        book.indicators(&mut workbook, summaries)?;
        book.trends(&mut workbook, summaries)?;
        book.respondents(&mut workbook, summaries)?;
        book.about(&mut workbook, summaries)?;
        Ok(workbook.save_to_buffer()?)
    }
}

/// The report date as the workbook's creation time (midnight UTC), which would otherwise be
/// the moment it is written and make every run's bytes differ.
struct Created(ReportDate);

impl IntoCustomDateTime for &Created {
    fn utc_datetime(self) -> String {
        format!("{}T00:00:00Z", self.0)
    }
}

#[cfg(test)]
mod tests;
