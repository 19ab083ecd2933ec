//! Survey files as records of byte cells, whatever they were saved as: CSV with `,`, `;` or
//! tab, in UTF-8 (with or without BOM), UTF-16 (with BOM) or Windows-1252, with LF, CRLF or
//! (old Mac) CR line ends; a spreadsheet (`.xlsx`, `.xlsm`, `.xls`, `.ods`) read through
//! calamine; or an SPSS system file (`.sav`, `.zsav`, see [`spss`]). Only regular files of
//! bounded size are read, and no line may be longer than [`MAX_LINE`], so an endless or
//! binary input stops with a message instead of exhausting the memory.
//!
//! Every format arrives as the same records, numbers written as a CSV export would write
//! them, so one decoder gives the same checks, messages and figures whatever the format.
//! Answer cells are ASCII whatever the encoding, so records stay bytes; text cells (names) are
//! decoded with [`text`], which takes UTF-8 and falls back to Windows-1252.

mod spss;

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use csv::ByteRecord;

/// Where a record is in its file, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Position {
    /// A line of a CSV file (1-based; a quoted field may span lines).
    Line(u64),
    /// A row of a spreadsheet (1-based, as the spreadsheet numbers it).
    Row(u32),
    /// A case of an SPSS file (1-based, as SPSS's Data View numbers it).
    Case(u64),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Line(line) => write!(f, "line {line}"),
            Position::Row(row) => write!(f, "row {row}"),
            Position::Case(case) => write!(f, "case {case}"),
        }
    }
}

/// How a file was read, for the data-quality summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialect {
    Csv {
        delimiter: u8,
        encoding: &'static str,
    },
    Spreadsheet {
        sheet: String,
    },
    /// An SPSS system file: its compression (`bytecode`, `zlib` for `.zsav`, or none) and
    /// the character encoding it declares.
    Spss {
        compression: &'static str,
        encoding: String,
    },
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dialect::Csv {
                delimiter,
                encoding,
            } => {
                let delimiter = match delimiter {
                    b'\t' => "tab".to_owned(),
                    d => format!("`{}`", *d as char),
                };
                write!(f, "CSV, {delimiter}-separated, {encoding}")
            }
            Dialect::Spreadsheet { sheet } => write!(f, "spreadsheet, sheet `{sheet}`"),
            Dialect::Spss {
                compression,
                encoding,
            } => write!(f, "SPSS, {compression}, {encoding}"),
        }
    }
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read survey file {}: {source}", path.display())]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
    #[error("{path}{}: {message}", position.map(|p| format!(", {p}")).unwrap_or_default())]
    Csv {
        path: PathBuf,
        position: Option<Position>,
        message: String,
    },
    #[error("{path}: cannot read the spreadsheet: {message}")]
    Spreadsheet { path: PathBuf, message: String },
    #[error("{path}: there is no sheet `{sheet}` (sheets: {})", sheets.join(", "))]
    NoSuchSheet {
        path: PathBuf,
        sheet: String,
        sheets: Vec<String>,
    },
    #[error("{}: cannot read the SPSS file: {message}", path.display())]
    Spss { path: PathBuf, message: String },
    #[error("{path}: the file is empty (no header row)")]
    Empty { path: PathBuf },
}

/// Receives a file's records: the header first, then every row.
pub(crate) trait Sink {
    /// The header row. An error stops reading.
    fn header(
        &mut self,
        path: &Path,
        header: &ByteRecord,
    ) -> Result<(), crate::survey::ResponsesError>;
    /// One row.
    fn row(&mut self, position: Position, record: &ByteRecord);
    /// What the file itself says about its columns (SPSS labels and missing values), given
    /// after the header by the formats that have it. Reports ignore it: their codebook says
    /// what columns mean; `report codebook draft` starts from it.
    fn describe(&mut self, _dictionary: &Dictionary) {}
    /// A doubt about the file the reader found while reading (e.g. an SPSS header that
    /// disagrees with the data it holds); the data are still read.
    fn warning(&mut self, _path: &Path, _message: String) {}
}

/// What an SPSS file declares about its columns besides their names, in header order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Dictionary {
    pub(crate) columns: Vec<Described>,
    /// SPSS multiple-response sets: a label and the columns that belong to it.
    pub(crate) sets: Vec<(String, Vec<String>)>,
    /// The file's own label, if it has one.
    pub(crate) label: Option<String>,
    /// The year the file was written, if the header says.
    pub(crate) year: Option<u16>,
}

/// One column's declarations.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Described {
    /// The variable label: in survey exports, the question's text.
    pub(crate) label: Option<String>,
    /// Value labels, keyed by the value as the column's cells hold it (`"1"`, `"8.5"`, text).
    pub(crate) values: Vec<(String, String)>,
    /// Values declared user-missing.
    pub(crate) missing: Vec<Missing>,
    /// SPSS's measurement level says the column is a scale (a quantity, not a category).
    pub(crate) scale: bool,
}

/// A declared user-missing value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Missing {
    /// One value, as the column's cells hold it.
    Value(String),
    /// Every number from the first to the second, both included.
    Range(f64, f64),
}

/// Decodes a text cell: UTF-8 if it is valid UTF-8, else Windows-1252 (what Danish Excel
/// writes when it saves "CSV (semikolonsepareret)").
pub(crate) fn text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// A municipality's or school's name as its identity: Unicode NFC with the surrounding
/// space trimmed, so "Ålborg" typed as one character or as "A" plus a ring is one name.
pub(crate) fn unit_name(cell: &[u8]) -> String {
    use unicode_normalization::UnicodeNormalization;
    text(cell.trim_ascii()).trim().nfc().collect()
}

/// Reads `path` into `sink`, choosing the reader by extension; returns how it was read.
pub(crate) fn read(
    path: &Path,
    sheet: Option<&str>,
    sink: &mut impl Sink,
) -> Result<Dialect, crate::survey::ResponsesError> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => read_spreadsheet(path, sheet, sink),
        "sav" | "zsav" => spss::read(path, sink),
        _ => read_csv(path, sink),
    }
}

/// A number as a CSV export writes it: whole numbers without decimals (so `1` and `1.0` are
/// the same answer code), others in the shortest form that reads back as the same number.
pub(crate) fn number_text(x: f64) -> String {
    let mut text = String::new();
    write_number(&mut text, x);
    text
}

/// Appends [`number_text`] of `x` to `out` (a million cells need no million strings).
pub(crate) fn write_number(out: &mut String, x: f64) {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    let _ = if x.fract() == 0.0 && x.abs() < 1e15 {
        write!(out, "{}", x as i64)
    } else {
        write!(out, "{x}")
    };
}

/// A cell's text as an answer code: a whole number, also when written `1.0` or `1,0`.
pub(crate) fn parse_code(cell: &[u8]) -> Option<u16> {
    if !cell.is_empty() && cell.len() <= 5 && cell.iter().all(u8::is_ascii_digit) {
        return cell
            .iter()
            .try_fold(0u32, |n, d| Some(n * 10 + u32::from(d - b'0')))
            .and_then(|n| u16::try_from(n).ok());
    }
    parse_number(cell).and_then(code_of)
}

/// A number as an answer code, if it is a whole number in the codes' range.
pub(crate) fn code_of(number: f64) -> Option<u16> {
    (number.fract() == 0.0 && (0.0..=f64::from(u16::MAX)).contains(&number))
        .then_some(number as u16)
}

/// A cell's text as a number, with a decimal point or comma.
pub(crate) fn parse_number(cell: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(cell).ok()?;
    let number = if text.contains(',') {
        text.replace(',', ".").parse::<f64>()
    } else {
        text.parse::<f64>()
    };
    number.ok().filter(|x| x.is_finite())
}

/// The size of the read buffer.
const BUFFER: usize = 1 << 20;

fn read_csv(path: &Path, sink: &mut impl Sink) -> Result<Dialect, crate::survey::ResponsesError> {
    let open_error = |source| SourceError::Open {
        path: path.to_owned(),
        source,
    };
    let mut file =
        crate::input::open(path, crate::input::TABLE_LIMIT).map_err(SourceError::from)?;
    let mut bom = [0u8; 3];
    let read = read_prefix(&mut file, &mut bom).map_err(open_error)?;
    let prefix = &bom[..read];
    let (encoding, skip, utf16) = if prefix.starts_with(&[0xEF, 0xBB, 0xBF]) {
        ("UTF-8 with BOM", 3, false)
    } else if prefix.starts_with(&[0xFF, 0xFE]) {
        ("UTF-16LE", 0, true)
    } else if prefix.starts_with(&[0xFE, 0xFF]) {
        ("UTF-16BE", 0, true)
    } else {
        // No BOM: UTF-8 or Windows-1252, told apart per text cell.
        ("UTF-8 or Windows-1252", 0, false)
    };
    file.seek(SeekFrom::Start(skip)).map_err(open_error)?;
    let reader: Box<dyn Read> = if utf16 {
        // The decoder reads the BOM, drops it and turns the rest into UTF-8.
        let decoder = encoding_rs_io::DecodeReaderBytesBuilder::new()
            .bom_sniffing(true)
            .build(file);
        Box::new(decoder)
    } else {
        Box::new(file)
    };
    let mut reader = BufReader::with_capacity(BUFFER, LineGuard::new(reader));
    // The header line decides the delimiter; it is then read again by the CSV parser.
    let mut header = Vec::new();
    reader.read_until(b'\n', &mut header).map_err(open_error)?;
    let delimiter = sniff_delimiter(&header);
    // With CRLF line ends the csv crate reports each record at the line of the record before
    // it (BurntSushi/rust-csv#395): it counts a record's `\n` only when it reads the next one.
    let lag = u64::from(header.ends_with(b"\r\n"));
    let reader = std::io::Cursor::new(header).chain(reader);

    let mut csv = csv::ReaderBuilder::new()
        .buffer_capacity(1 << 16)
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut record = ByteRecord::new();
    let csv_error = |error: csv::Error| SourceError::Csv {
        path: path.to_owned(),
        position: error.position().map(|p| Position::Line(p.line() + lag)),
        message: error.to_string(),
    };
    if !csv.read_byte_record(&mut record).map_err(csv_error)? {
        return Err(SourceError::Empty {
            path: path.to_owned(),
        }
        .into());
    }
    sink.header(path, &record)?;
    while csv.read_byte_record(&mut record).map_err(csv_error)? {
        let line = record.position().map_or(0, |p| p.line() + lag);
        sink.row(Position::Line(line), &record);
    }
    Ok(Dialect::Csv {
        delimiter,
        encoding,
    })
}

/// The longest line a CSV file may have: a row of a few hundred answers is a few kB.
pub(crate) const MAX_LINE: usize = 1 << 20;

/// Passes a CSV file's bytes on with two guards: a file whose lines end in CR alone (old Mac
/// files, as some exports still write) gets LF line ends, so lines are counted and reported
/// right; and a line longer than [`MAX_LINE`] is an error rather than a buffer that grows
/// without end.
struct LineGuard<R> {
    inner: R,
    /// Decided on the first bytes read: CR ends lines and no LF occurs.
    cr_only: Option<bool>,
    /// Bytes since the last line end.
    line: usize,
}

impl<R: Read> LineGuard<R> {
    fn new(inner: R) -> Self {
        LineGuard {
            inner,
            cr_only: None,
            line: 0,
        }
    }
}

impl<R: Read> Read for LineGuard<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        let bytes = &mut buffer[..read];
        let cr_only = *self
            .cr_only
            .get_or_insert_with(|| bytes.contains(&b'\r') && !bytes.contains(&b'\n'));
        for byte in bytes.iter_mut() {
            if cr_only && *byte == b'\r' {
                *byte = b'\n';
            }
            if *byte == b'\n' || *byte == b'\r' {
                self.line = 0;
            } else {
                self.line += 1;
                if self.line > MAX_LINE {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!(
                            "a line longer than {} MB: not a survey table (binary data, or a file without line ends)",
                            MAX_LINE >> 20
                        ),
                    ));
                }
            }
        }
        Ok(read)
    }
}

/// Reads up to `buffer.len()` bytes, fewer only at the end of the file.
fn read_prefix(file: &mut File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// The delimiter of a CSV file: whichever of `,` `;` tab occurs most often in the header
/// line outside quotes (`,` when none does).
pub(crate) fn sniff_delimiter(start: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &byte in start {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let delimiters = [b',', b';', b'\t'];
    let (best, count) = counts
        .iter()
        .enumerate()
        .max_by_key(|&(i, count)| (*count, std::cmp::Reverse(i)))
        .expect("three candidates");
    if *count == 0 { b',' } else { delimiters[best] }
}

fn read_spreadsheet(
    path: &Path,
    sheet: Option<&str>,
    sink: &mut impl Sink,
) -> Result<Dialect, crate::survey::ResponsesError> {
    let error = |message: String| SourceError::Spreadsheet {
        path: path.to_owned(),
        message,
    };
    crate::input::open(path, crate::input::TABLE_LIMIT).map_err(SourceError::from)?;
    // calamine can panic on a damaged file; that is the file's fault, reported as such.
    let (name, range) =
        crate::contain::contain(|| open_sheet(path, sheet)).map_err(|panic| {
            error(format!(
                "the file is damaged (the spreadsheet reader failed: {panic})"
            ))
        })??;
    let first_row = range.start().map_or(0, |(row, _)| row);
    let first_column = range.start().map_or(0, |(_, column)| column) as usize;
    let mut rows = range.rows();
    let mut record = ByteRecord::new();
    let fill = |cells: &[Data], record: &mut ByteRecord| {
        record.clear();
        // Cells left of the used range are empty.
        for _ in 0..first_column {
            record.push_field(b"");
        }
        for cell in cells {
            record.push_field(cell_text(cell).as_bytes());
        }
    };
    let Some(header) = rows.next() else {
        return Err(SourceError::Empty {
            path: path.to_owned(),
        }
        .into());
    };
    fill(header, &mut record);
    sink.header(path, &record)?;
    for (index, cells) in rows.enumerate() {
        fill(cells, &mut record);
        // Row numbers as the spreadsheet shows them: 1-based, after the header.
        let row = first_row + index as u32 + 2;
        sink.row(Position::Row(row), &record);
    }
    Ok(Dialect::Spreadsheet { sheet: name })
}

/// The name and cells of the sheet to read: `sheet`, else the first.
fn open_sheet(
    path: &Path,
    sheet: Option<&str>,
) -> Result<(String, calamine::Range<Data>), SourceError> {
    let error = |message: String| SourceError::Spreadsheet {
        path: path.to_owned(),
        message,
    };
    let mut workbook = calamine::open_workbook_auto(path).map_err(|e| error(e.to_string()))?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(sheet) => names
            .iter()
            .find(|n| n.as_str() == sheet)
            .cloned()
            .ok_or_else(|| SourceError::NoSuchSheet {
                path: path.to_owned(),
                sheet: sheet.to_owned(),
                sheets: names.clone(),
            })?,
        None => names.first().cloned().ok_or_else(|| SourceError::Empty {
            path: path.to_owned(),
        })?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| error(e.to_string()))?;
    Ok((name, range))
}

/// A spreadsheet cell as the text a CSV export would hold: whole numbers without decimals,
/// so `1` and `1.0` are the same answer code.
fn cell_text(cell: &Data) -> Cow<'_, str> {
    match cell {
        Data::Empty => Cow::Borrowed(""),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            Cow::Borrowed(text.as_str())
        }
        Data::Int(n) => Cow::Owned(n.to_string()),
        Data::Float(x) => Cow::Owned(number_text(*x)),
        Data::Bool(b) => Cow::Borrowed(if *b { "1" } else { "0" }),
        Data::DateTime(date) => Cow::Owned(date.as_f64().to_string()),
        Data::Error(error) => Cow::Owned(format!("#{error:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing: calamine panics on this damaged workbook (index out of bounds).
    #[test]
    fn a_damaged_spreadsheet_is_an_error_not_a_panic() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fuzz/regressions/calamine-panic.xlsx");
        let error = read(&path, None, &mut Lines(Vec::new())).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("the file is damaged"), "{message}");
        assert!(
            message.starts_with(&path.display().to_string()),
            "{message}"
        );
    }

    #[test]
    fn sniffs_the_header_delimiter() {
        assert_eq!(sniff_delimiter(b"id;kommune;q1\n1;2;3"), b';');
        assert_eq!(sniff_delimiter(b"id,kommune,q1\r\n"), b',');
        assert_eq!(sniff_delimiter(b"id\tkommune\tq1"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b\",c,d"), b',');
        assert_eq!(sniff_delimiter(b"single"), b',');
    }

    /// Collects the line of every row.
    struct Lines(Vec<u64>);

    impl Sink for Lines {
        fn header(
            &mut self,
            _: &Path,
            _: &ByteRecord,
        ) -> Result<(), crate::survey::ResponsesError> {
            Ok(())
        }
        fn row(&mut self, position: Position, _: &ByteRecord) {
            let Position::Line(line) = position else {
                panic!("a CSV row has a line")
            };
            self.0.push(line);
        }
    }

    #[test]
    fn rows_have_their_line_with_lf_and_crlf() {
        let dir = tempfile::tempdir().unwrap();
        for (name, end) in [("lf.csv", "\n"), ("crlf.csv", "\r\n")] {
            let path = dir.path().join(name);
            let text = ["id,q1", "1,2", "2,\"to\nlinjer\"", "3,4"].join(end) + end;
            std::fs::write(&path, text).unwrap();
            let mut lines = Lines(Vec::new());
            read(&path, None, &mut lines).unwrap();
            assert_eq!(lines.0, [2, 3, 5], "{name}");
        }
    }

    #[test]
    fn text_cells_are_utf8_or_windows_1252() {
        assert_eq!(text("Ærø".as_bytes()), "Ærø");
        assert_eq!(text(&[0xC6, b'r', 0xF8]), "Ærø");
    }
}
