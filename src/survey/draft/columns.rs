//! What a survey file holds, column by column: the codes, numbers and texts found, and what
//! an SPSS file declares about each column. Collected in one pass through any format's
//! records ([`Sink`]), in bounded memory whatever the file's size.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use csv::ByteRecord;

use super::super::ResponsesError;
use super::super::source::{
    Described, Dictionary, Position, Sink, parse_code, parse_number, text, unit_name,
};

/// The most distinct codes (or texts) kept per column; more only tell that there are many.
const DISTINCT: usize = 4096;

/// One column of the survey data, over every file read.
#[derive(Debug, Clone, Default)]
pub(super) struct Column {
    pub(super) name: String,
    /// What an SPSS file declares about it (nothing for CSV and spreadsheets).
    pub(super) described: Described,
    /// Non-empty cells.
    pub(super) filled: usize,
    /// Whole numbers 0–65535 found, with how often (at most [`DISTINCT`] of them).
    pub(super) codes: BTreeMap<u16, usize>,
    /// Numbers that are not answer codes: decimals, negative or larger numbers.
    pub(super) other_numbers: usize,
    /// The range of the numbers not kept in `codes` (other numbers, and codes past the
    /// [`DISTINCT`] kept).
    pub(super) unkept: Option<(f64, f64)>,
    /// Distinct cells that are not numbers (as names: NFC, trimmed), with how often (at most
    /// [`DISTINCT`] of them).
    pub(super) texts: BTreeMap<String, usize>,
    /// Cells that are not numbers.
    pub(super) text_cells: usize,
    /// More distinct codes or texts than were kept.
    pub(super) many: bool,
}

impl Column {
    fn add(&mut self, cell: &[u8]) {
        if cell.is_empty() {
            return;
        }
        self.filled += 1;
        if let Some(code) = parse_code(cell) {
            if self.codes.len() < DISTINCT || self.codes.contains_key(&code) {
                *self.codes.entry(code).or_insert(0) += 1;
            } else {
                self.many = true;
                self.widen(f64::from(code));
            }
        } else if let Some(number) = parse_number(cell) {
            self.other_numbers += 1;
            self.widen(number);
        } else {
            self.text_cells += 1;
            let name = unit_name(cell);
            if self.texts.len() < DISTINCT || self.texts.contains_key(&name) {
                *self.texts.entry(name).or_insert(0) += 1;
            } else {
                self.many = true;
            }
        }
    }

    fn widen(&mut self, number: f64) {
        let (low, high) = self.unkept.get_or_insert((number, number));
        *low = low.min(number);
        *high = high.max(number);
    }

    /// Holds numbers and nothing else.
    pub(super) fn numeric(&self) -> bool {
        self.text_cells == 0 && self.filled > 0
    }

    /// Every cell is a code, 0 or 1 (an empty column too).
    pub(super) fn ticks(&self) -> bool {
        self.text_cells == 0 && self.other_numbers == 0 && self.codes.keys().all(|&c| c <= 1)
    }

    /// Every non-empty cell differs from the others, as far as can be told.
    pub(super) fn unique(&self) -> bool {
        self.many
            || self
                .codes
                .values()
                .chain(self.texts.values())
                .all(|&n| n == 1)
                && self.other_numbers == 0
    }

    /// The lowest and highest number found, leaving out `skip` codes.
    pub(super) fn range(&self, skip: &impl Fn(u16) -> bool) -> Option<(f64, f64)> {
        let codes = self
            .codes
            .keys()
            .filter(|&&c| !skip(c))
            .map(|&c| f64::from(c));
        let mut numbers = codes.chain(self.unkept.into_iter().flat_map(|(l, h)| [l, h]));
        let first = numbers.next()?;
        Some(numbers.fold((first, first), |(l, h), x| (l.min(x), h.max(x))))
    }
}

/// Every column of the files read, in the order first seen, with what the files say.
#[derive(Debug, Default)]
pub(super) struct Columns {
    pub(super) columns: Vec<Column>,
    by_name: HashMap<String, usize>,
    /// For each field of the current file's header, its column (none for an empty name).
    current: Vec<Option<usize>>,
    pub(super) rows: usize,
    /// An SPSS file declared its columns.
    pub(super) described: bool,
    /// SPSS multiple-response sets: label and columns.
    pub(super) sets: Vec<(String, Vec<String>)>,
    /// The first file's own label (SPSS).
    pub(super) label: Option<String>,
    /// The year the first SPSS file was written.
    pub(super) year: Option<u16>,
    /// Doubts about the files (a damaged SPSS header).
    pub(super) warnings: Vec<String>,
}

impl Columns {
    /// The column named `name`.
    pub(super) fn get(&self, name: &str) -> Option<&Column> {
        self.by_name.get(name).map(|&i| &self.columns[i])
    }
}

impl Sink for Columns {
    fn header(&mut self, path: &Path, header: &ByteRecord) -> Result<(), ResponsesError> {
        self.current.clear();
        let mut seen = HashMap::new();
        for cell in header {
            let name = text(cell.trim_ascii()).into_owned();
            if name.is_empty() {
                self.current.push(None);
                continue;
            }
            if seen.insert(name.clone(), ()).is_some() {
                return Err(ResponsesError::DuplicateColumn {
                    path: path.to_owned(),
                    column: name,
                });
            }
            let next = self.columns.len();
            let index = *self.by_name.entry(name.clone()).or_insert(next);
            if index == next {
                self.columns.push(Column {
                    name,
                    ..Column::default()
                });
            }
            self.current.push(Some(index));
        }
        Ok(())
    }

    fn row(&mut self, _: Position, record: &ByteRecord) {
        self.rows += 1;
        for (cell, column) in record.iter().zip(&self.current) {
            if let Some(column) = column {
                self.columns[*column].add(cell.trim_ascii());
            }
        }
    }

    fn describe(&mut self, dictionary: &Dictionary) {
        self.described = true;
        for (described, column) in dictionary.columns.iter().zip(&self.current) {
            // The first file that declares a column is believed.
            if let Some(column) = column
                && self.columns[*column].described == Described::default()
            {
                self.columns[*column].described = described.clone();
            }
        }
        if self.sets.is_empty() {
            self.sets.clone_from(&dictionary.sets);
        }
        self.label = self.label.take().or_else(|| dictionary.label.clone());
        self.year = self.year.or(dictionary.year);
    }

    fn warning(&mut self, path: &Path, message: String) {
        self.warnings.push(format!("{}: {message}", path.display()));
    }
}
