//! SPSS system files (`.sav`, and `.zsav` with zlib compression), read through the `ambers`
//! crate: pure Rust (no C library to build or ship), streaming in batches of cases, reading
//! variable labels, value labels, user-missing values and multiple-response sets.
//!
//! Cases become the same records a CSV export of the file would give: the header of variable
//! names, then one record per case with numbers written as [`number_text`] writes them
//! (whole numbers without decimals), string variables as their text, dates as `YYYY-MM-DD`
//! and system-missing values as empty cells. So an SPSS file gets exactly the checks,
//! messages and figures of the same data as CSV.
//!
//! User-missing values are passed on as the values they are: a case holding 98 where 98 is
//! declared missing in the file has the cell `98`, which counts as the codebook's missing
//! code 98 if the codebook lists it under `missing:` (and is an unknown code if it does not).
//! The declarations themselves reach [`Sink::describe`], where `report codebook draft`
//! uses them.
//!
//! `ambers` reads files it has not seen before; a damaged file that makes it panic is
//! contained ([`crate::contain::contain`]) and reported as damaged, naming the file.

use std::fmt::Write as _;
use std::io::BufReader;
use std::path::Path;

use arrow_array::{
    Array, Date32Array, DurationMicrosecondArray, Float64Array, RecordBatch, StringViewArray,
    TimestampMicrosecondArray,
};
use csv::ByteRecord;

use super::{
    Described, Dialect, Dictionary, Missing, Position, Sink, SourceError, number_text, write_number,
};
use crate::survey::ResponsesError;

/// Cases read per batch: enough to keep the reader efficient, few enough that a batch of a
/// wide file stays a few tens of MB.
const BATCH: usize = 16_384;

/// Reads an SPSS file into `sink`: the header, the file's declarations, then every case.
pub(super) fn read(path: &Path, sink: &mut impl Sink) -> Result<Dialect, ResponsesError> {
    let file = crate::input::open(path, crate::input::TABLE_LIMIT).map_err(SourceError::from)?;
    let reader = BufReader::with_capacity(1 << 20, file);
    let mut scanner = guarded(path, || ambers::scan_sav_from_reader(reader, BATCH))?;
    let metadata = scanner.metadata();
    let mut record = ByteRecord::new();
    for name in &metadata.variable_names {
        record.push_field(name.as_bytes());
    }
    let dialect = Dialect::Spss {
        compression: match metadata.compression {
            ambers::Compression::None => "uncompressed",
            ambers::Compression::Bytecode => "bytecode-compressed",
            ambers::Compression::Zlib => "zlib-compressed",
        },
        encoding: metadata.file_encoding.clone(),
    };
    sink.header(path, &record)?;
    sink.describe(&dictionary(metadata));

    let mut case = 0u64;
    let mut cell = String::new();
    while let Some(batch) = guarded(path, || scanner.next_batch())? {
        let columns = columns(path, &batch)?;
        for row in 0..batch.num_rows() {
            record.clear();
            for column in &columns {
                cell.clear();
                column.write(row, &mut cell);
                record.push_field(cell.as_bytes());
            }
            case += 1;
            sink.row(Position::Case(case), &record);
        }
    }
    for warning in &scanner.metadata().warnings {
        sink.warning(
            path,
            format!("the SPSS file may be damaged (re-export it if figures look wrong): {warning}"),
        );
    }
    Ok(dialect)
}

/// Runs one call into `ambers`: its error, or a panic on a damaged file, becomes an error
/// naming the file.
fn guarded<T>(
    path: &Path,
    call: impl FnOnce() -> ambers::error::Result<T>,
) -> Result<T, SourceError> {
    let error = |message: String| SourceError::Spss {
        path: path.to_owned(),
        message,
    };
    match crate::contain::contain(call) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(spss)) => Err(error(spss.to_string())),
        Err(panic) => Err(error(format!(
            "the file is damaged (the SPSS reader failed: {panic})"
        ))),
    }
}

/// The declarations of every variable, in header order.
fn dictionary(metadata: &ambers::SpssMetadata) -> Dictionary {
    let columns = metadata
        .variable_names
        .iter()
        .map(|name| Described {
            label: metadata
                .label(name)
                .map(str::trim)
                .filter(|label| !label.is_empty())
                .map(str::to_owned),
            values: metadata
                .value_labels(name)
                .map(|labels| {
                    labels
                        .iter()
                        .map(|(value, label)| (value_text(value), label.trim().to_owned()))
                        .collect()
                })
                .unwrap_or_default(),
            missing: metadata
                .variable_missing_values
                .get(name)
                .map(|specs| specs.iter().map(missing).collect())
                .unwrap_or_default(),
            scale: metadata.measure(name) == Some(ambers::Measure::Scale),
        })
        .collect();
    let sets = metadata
        .mr_sets
        .values()
        .map(|set| (set.label.trim().to_owned(), set.variables.clone()))
        .collect();
    Dictionary {
        columns,
        sets,
        label: Some(metadata.file_label.trim().to_owned()).filter(|label| !label.is_empty()),
        // ambers gives the creation time as `YYYY-MM-DD hh:mm:ss` where it can read it.
        year: metadata
            .creation_time
            .get(..5)
            .and_then(|year| year.strip_suffix('-'))
            .and_then(|year| year.parse().ok()),
    }
}

/// A value label's value as a cell holding it would read.
fn value_text(value: &ambers::Value) -> String {
    match value {
        ambers::Value::Numeric(x) => number_text(*x),
        ambers::Value::String(text) => text.trim_end().to_owned(),
    }
}

fn missing(spec: &ambers::MissingSpec) -> Missing {
    match spec {
        ambers::MissingSpec::Value(x) => Missing::Value(number_text(*x)),
        ambers::MissingSpec::Range { lo, hi } => Missing::Range(*lo, *hi),
        ambers::MissingSpec::StringValue(text) => Missing::Value(text.trim_end().to_owned()),
    }
}

/// A column of a batch, by the kinds of array `ambers` gives.
enum Column<'a> {
    Number(&'a Float64Array),
    Text(&'a StringViewArray),
    Date(&'a Date32Array),
    Timestamp(&'a TimestampMicrosecondArray),
    Duration(&'a DurationMicrosecondArray),
}

/// The batch's columns; a kind of column `ambers` is not known to give is an error.
fn columns<'a>(path: &Path, batch: &'a RecordBatch) -> Result<Vec<Column<'a>>, SourceError> {
    batch
        .columns()
        .iter()
        .zip(batch.schema_ref().fields())
        .map(|(array, field)| {
            let any = array.as_any();
            if let Some(array) = any.downcast_ref::<Float64Array>() {
                Ok(Column::Number(array))
            } else if let Some(array) = any.downcast_ref::<StringViewArray>() {
                Ok(Column::Text(array))
            } else if let Some(array) = any.downcast_ref::<Date32Array>() {
                Ok(Column::Date(array))
            } else if let Some(array) = any.downcast_ref::<TimestampMicrosecondArray>() {
                Ok(Column::Timestamp(array))
            } else if let Some(array) = any.downcast_ref::<DurationMicrosecondArray>() {
                Ok(Column::Duration(array))
            } else {
                Err(SourceError::Spss {
                    path: path.to_owned(),
                    message: format!(
                        "variable `{}` has a type that cannot be read ({})",
                        field.name(),
                        array.data_type()
                    ),
                })
            }
        })
        .collect()
}

impl Column<'_> {
    /// Writes the cell of `row` to `out`; a system-missing value writes nothing.
    fn write(&self, row: usize, out: &mut String) {
        let present = match self {
            Column::Number(array) => array.is_valid(row),
            Column::Text(array) => array.is_valid(row),
            Column::Date(array) => array.is_valid(row),
            Column::Timestamp(array) => array.is_valid(row),
            Column::Duration(array) => array.is_valid(row),
        };
        if !present {
            return;
        }
        // Writing to a String cannot fail.
        let _ = match self {
            Column::Number(array) => {
                write_number(out, array.value(row));
                Ok(())
            }
            Column::Text(array) => write!(out, "{}", array.value(row).trim_end()),
            Column::Date(array) => match array.value_as_date(row) {
                Some(date) => write!(out, "{date}"),
                None => Ok(()),
            },
            Column::Timestamp(array) => match array.value_as_datetime(row) {
                Some(time) => write!(out, "{time}"),
                None => Ok(()),
            },
            Column::Duration(array) => {
                // Microseconds; shown in seconds, as SPSS counts time.
                write_number(out, array.value(row) as f64 / 1e6);
                Ok(())
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::ArrayRef;

    use super::*;

    /// Collects what a reader gives.
    #[derive(Default)]
    struct Collect {
        header: Vec<String>,
        rows: Vec<(Position, Vec<String>)>,
        dictionary: Dictionary,
        warnings: Vec<String>,
    }

    impl Sink for Collect {
        fn header(&mut self, _: &Path, header: &ByteRecord) -> Result<(), ResponsesError> {
            self.header = header
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            Ok(())
        }
        fn row(&mut self, position: Position, record: &ByteRecord) {
            let cells = record
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            self.rows.push((position, cells));
        }
        fn describe(&mut self, dictionary: &Dictionary) {
            self.dictionary = dictionary.clone();
        }
        fn warning(&mut self, _: &Path, message: String) {
            self.warnings.push(message);
        }
    }

    /// A small file written by `ambers` with a label, value labels and missing values.
    fn write_small(path: &Path, compression: ambers::Compression) {
        let numbers: ArrayRef = Arc::new(Float64Array::from(vec![
            Some(1.0),
            None,
            Some(98.0),
            Some(8.5),
        ]));
        let names: ArrayRef = Arc::new(StringViewArray::from(vec![
            Some("Ærø"),
            Some("Odder"),
            None,
            Some("Samsø"),
        ]));
        let batch = RecordBatch::try_from_iter([("q01", numbers), ("kommune", names)]).unwrap();
        let mut metadata = ambers::SpssMetadata::from_arrow_schema(&batch.schema());
        metadata
            .variable_labels
            .insert("q01".into(), "Hvordan har du det?".into());
        metadata.variable_value_labels.insert(
            "q01".into(),
            [
                (ambers::Value::Numeric(1.0), "Godt".to_owned()),
                (ambers::Value::Numeric(98.0), "Ved ikke".to_owned()),
            ]
            .into_iter()
            .collect(),
        );
        metadata
            .variable_missing_values
            .insert("q01".into(), vec![ambers::MissingSpec::Value(98.0)]);
        ambers::write_sav(path, &batch, &metadata, compression, None).unwrap();
    }

    #[test]
    fn cases_come_as_csv_records_with_the_declarations() {
        let dir = tempfile::tempdir().unwrap();
        for (name, compression) in [
            ("plain.sav", ambers::Compression::Bytecode),
            ("packed.zsav", ambers::Compression::Zlib),
        ] {
            let path = dir.path().join(name);
            write_small(&path, compression);
            let mut collect = Collect::default();
            let dialect = super::super::read(&path, None, &mut collect).unwrap();
            assert!(matches!(dialect, Dialect::Spss { .. }), "{dialect:?}");
            assert_eq!(collect.header, ["q01", "kommune"]);
            let cells: Vec<Vec<String>> = collect.rows.iter().map(|(_, c)| c.clone()).collect();
            assert_eq!(
                cells,
                [["1", "Ærø"], ["", "Odder"], ["98", ""], ["8.5", "Samsø"]]
            );
            assert_eq!(collect.rows[3].0, Position::Case(4));
            let q01 = &collect.dictionary.columns[0];
            assert_eq!(q01.label.as_deref(), Some("Hvordan har du det?"));
            assert_eq!(
                q01.values,
                [
                    ("1".to_owned(), "Godt".to_owned()),
                    ("98".to_owned(), "Ved ikke".to_owned())
                ]
            );
            assert_eq!(q01.missing, [Missing::Value("98".into())]);
            assert!(collect.warnings.is_empty(), "{:?}", collect.warnings);
        }
    }

    #[test]
    fn a_damaged_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("survey.sav");
        write_small(&path, ambers::Compression::Bytecode);
        let bytes = std::fs::read(&path).unwrap();
        // Cut anywhere, or garbled: an error or fewer cases, never a panic.
        for cut in (0..bytes.len()).step_by(7) {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            if let Err(error) = super::super::read(&path, None, &mut Collect::default()) {
                let message = error.to_string();
                assert!(message.contains("survey.sav"), "{message}");
            }
        }
        std::fs::write(&path, b"not an SPSS file at all").unwrap();
        let message = super::super::read(&path, None, &mut Collect::default())
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with(&format!("{}: cannot read the SPSS file", path.display())),
            "{message}"
        );
    }
}
