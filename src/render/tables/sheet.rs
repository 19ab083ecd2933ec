//! One tidy sheet: a header row of column titles, then one row per record, each column with
//! one kind of value and its number format. Written into a worksheet with the header row
//! frozen, an autofilter over every column and column widths that fit what they hold, so an
//! analyst can filter and sort at once.
//!
//! Rows are written in order into a "low memory" worksheet, which keeps one row in memory
//! and the rest in a temporary file (strings go to the workbook's shared table once each):
//! a national batch has hundreds of thousands of rows, which rust_xlsxwriter's in-memory
//! worksheets would hold at about 200 bytes a cell.

use std::borrow::Cow;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::TablesError;

/// The most rows a worksheet can hold (Excel's limit), the header row included.
pub(super) const MAX_ROWS: u32 = 1_048_576;

/// No column is made wider than this many characters: a question's text may be long, and a
/// sheet whose columns run off the screen is hard to read (the cell still holds all of it).
const MAX_WIDTH: usize = 60;

/// What a column holds, which sets its number format and how wide its values print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    /// A count, with thousands separators.
    Count,
    /// A code or a year, as it is.
    Code,
    /// A percentage, given in percent (as `--data-out` has it) and stored as a fraction with
    /// a percent format, so that Excel computes with it as a share.
    Percent,
    /// A mean, shown with one decimal.
    Decimal,
    /// Percentage points with their sign.
    Points,
    PValue,
}

impl Kind {
    /// The Excel number format of the column, if not the general one.
    fn format(self) -> Option<&'static str> {
        match self {
            Kind::Text | Kind::Code => None,
            Kind::Count => Some("#,##0"),
            Kind::Percent => Some("0.0%"),
            Kind::Decimal => Some("0.0"),
            Kind::Points => Some("+0.0;-0.0;0.0"),
            Kind::PValue => Some("0.000"),
        }
    }

    /// How many characters `value` prints as in this format (near enough for a width).
    fn printed_width(self, value: f64) -> usize {
        match self {
            Kind::Text | Kind::Code => format!("{value}").len(),
            Kind::Count => {
                let digits = format!("{value:.0}").len();
                digits + (digits - 1) / 3
            }
            Kind::Percent => format!("{value:.1}%").len(),
            Kind::Decimal => format!("{value:.1}").len(),
            Kind::Points => format!("{value:+.1}").len(),
            Kind::PValue => format!("{value:.3}").len(),
        }
    }
}

/// A column: its title in the header row and what it holds.
#[derive(Debug, Clone, Copy)]
pub(super) struct Column {
    pub(super) title: &'static str,
    pub(super) kind: Kind,
}

impl Column {
    pub(super) fn new(title: &'static str, kind: Kind) -> Column {
        Column { title, kind }
    }
}

/// One cell's value; `Empty` where there is none (a withheld figure is an empty cell, never
/// a zero or a dash, so that sums and averages in Excel leave it out).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell<'a> {
    Empty,
    Text(Cow<'a, str>),
    Number(f64),
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(text: &'a str) -> Cell<'a> {
        Cell::Text(Cow::Borrowed(text))
    }
}

impl From<String> for Cell<'_> {
    fn from(text: String) -> Self {
        Cell::Text(Cow::Owned(text))
    }
}

impl From<f64> for Cell<'_> {
    fn from(value: f64) -> Self {
        Cell::Number(value)
    }
}

impl From<u32> for Cell<'_> {
    fn from(value: u32) -> Self {
        Cell::Number(f64::from(value))
    }
}

impl From<u16> for Cell<'_> {
    fn from(value: u16) -> Self {
        Cell::Number(f64::from(value))
    }
}

impl From<usize> for Cell<'_> {
    fn from(value: usize) -> Self {
        Cell::Number(value as f64)
    }
}

impl<'a, T: Into<Cell<'a>>> From<Option<T>> for Cell<'a> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Cell::Empty, Into::into)
    }
}

/// A sheet being written.
pub(super) struct Sheet<'w> {
    name: &'static str,
    worksheet: &'w mut Worksheet,
    kinds: Vec<Kind>,
    formats: Vec<Option<Format>>,
    /// The widest value of each column so far, in characters.
    widths: Vec<usize>,
    /// Rows written, the header included.
    rows: u32,
}

impl<'w> Sheet<'w> {
    /// A sheet of `workbook` (after those it has) named `name`, with a header row of
    /// `columns`.
    pub(super) fn new(
        workbook: &'w mut Workbook,
        name: &'static str,
        columns: &[Column],
    ) -> Result<Sheet<'w>, TablesError> {
        let worksheet = workbook.add_worksheet_with_low_memory();
        worksheet.set_name(name)?;
        let bold = Format::new().set_bold();
        for (col, column) in (0..).zip(columns) {
            worksheet.write_string_with_format(0, col, column.title, &bold)?;
        }
        Ok(Sheet {
            name,
            worksheet,
            kinds: columns.iter().map(|c| c.kind).collect(),
            formats: columns
                .iter()
                .map(|c| {
                    c.kind
                        .format()
                        .map(|code| Format::new().set_num_format(code))
                })
                .collect(),
            // Room for the autofilter's button beside the title.
            widths: columns
                .iter()
                .map(|c| c.title.chars().count() + 3)
                .collect(),
            rows: 1,
        })
    }

    /// Appends a row: one cell per column, in column order.
    pub(super) fn push(&mut self, cells: Vec<Cell<'_>>) -> Result<(), TablesError> {
        debug_assert_eq!(cells.len(), self.kinds.len(), "a cell per column");
        if self.rows >= MAX_ROWS {
            return Err(TablesError::TooManyRows {
                sheet: self.name.to_owned(),
            });
        }
        let row = self.rows;
        for ((col, cell), kind) in (0..).zip(cells).zip(&self.kinds) {
            let index = usize::from(col);
            let width = match cell {
                Cell::Empty => 0,
                Cell::Text(text) => {
                    self.worksheet.write_string(row, col, text.as_ref())?;
                    text.chars().count()
                }
                Cell::Number(value) => {
                    let stored = if *kind == Kind::Percent {
                        value / 100.0
                    } else {
                        value
                    };
                    match &self.formats[index] {
                        Some(format) => self
                            .worksheet
                            .write_number_with_format(row, col, stored, format)?,
                        None => self.worksheet.write_number(row, col, stored)?,
                    };
                    kind.printed_width(value)
                }
            };
            self.widths[index] = self.widths[index].max(width);
        }
        self.rows += 1;
        Ok(())
    }

    /// Finishes the sheet: header frozen, autofilter over every column, widths set.
    pub(super) fn finish(self) -> Result<(), TablesError> {
        for (col, &width) in (0..).zip(&self.widths) {
            // One character of margin, as Excel's own "fit" leaves.
            self.worksheet
                .set_column_width(col, (width.min(MAX_WIDTH) + 1) as f64)?;
        }
        let last_col = u16::try_from(self.kinds.len().saturating_sub(1)).unwrap_or(u16::MAX);
        self.worksheet.set_freeze_panes(1, 0)?;
        self.worksheet.autofilter(0, 0, self.rows - 1, last_col)?;
        Ok(())
    }
}

impl From<XlsxError> for TablesError {
    fn from(error: XlsxError) -> Self {
        TablesError::Xlsx(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_printed_values() {
        assert_eq!(Kind::Count.printed_width(4916.0), 5);
        assert_eq!(Kind::Count.printed_width(137.0), 3);
        assert_eq!(Kind::Count.printed_width(1_234_567.0), 9);
        assert_eq!(Kind::Percent.printed_width(40.151), 5);
        assert_eq!(Kind::Percent.printed_width(100.0), 6);
        assert_eq!(Kind::Points.printed_width(-8.6), 4);
        assert_eq!(Kind::Code.printed_width(2026.0), 4);
    }

    #[test]
    fn a_sheet_holds_no_more_rows_than_excel() {
        let mut workbook = Workbook::new();
        let columns = [Column::new("a", Kind::Text)];
        let mut sheet = Sheet::new(&mut workbook, "S", &columns).unwrap();
        sheet.rows = MAX_ROWS - 1;
        sheet.push(vec!["the last row".into()]).unwrap();
        assert!(matches!(
            sheet.push(vec!["one too many".into()]),
            Err(TablesError::TooManyRows { sheet }) if sheet == "S"
        ));
    }

    #[test]
    fn options_are_empty_cells() {
        assert_eq!(Cell::from(None::<f64>), Cell::Empty);
        assert_eq!(Cell::from(Some(3_u32)), Cell::Number(3.0));
        assert_eq!(Cell::from("a"), Cell::Text(Cow::Borrowed("a")));
    }
}
