//! Seeds and generated inputs for the fuzz targets.

use std::path::PathBuf;

use proptest::prelude::*;

/// The repository root.
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seed files of a target, `tests/fuzz/corpus/<target>/*`, in name order.
pub(crate) fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = repo().join("tests/fuzz/corpus").join(target);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

/// A spreadsheet cell as an analyst's export may hold it.
#[derive(Debug, Clone)]
pub(crate) enum Cell {
    Empty,
    Number(f64),
    Text(String),
    Bool(bool),
    Formula(String),
}

impl Arbitrary for Cell {
    type Parameters = ();
    type Strategy = BoxedStrategy<Cell>;

    fn arbitrary_with((): ()) -> Self::Strategy {
        prop_oneof![
            Just(Cell::Empty),
            // Codes as they are, near them, and the odd extreme.
            prop_oneof![
                (0..10i32).prop_map(f64::from),
                Just(98.0),
                Just(99.0),
                Just(7.5),
                Just(-1.0),
                Just(1e300),
                Just(f64::MIN_POSITIVE),
            ]
            .prop_map(Cell::Number),
            prop_oneof![
                Just("Odder".to_owned()),
                Just("Samsø".to_owned()),
                Just(" Odder ".to_owned()),
                Just("1".to_owned()),
                Just("1,0".to_owned()),
                Just("".to_owned()),
                "\\PC{0,12}",
            ]
            .prop_map(Cell::Text),
            any::<bool>().prop_map(Cell::Bool),
            Just(Cell::Formula("=1/0".to_owned())),
        ]
        .boxed()
    }
}

/// An `.xlsx` file with `header` and `rows`.
pub(crate) fn spreadsheet(header: &[&str], rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, name) in header.iter().enumerate() {
        sheet.write_string(0, column as u16, *name).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Empty => {}
                Cell::Number(n) => {
                    sheet.write_number(r, c, *n).unwrap();
                }
                Cell::Text(text) => {
                    sheet.write_string(r, c, text).unwrap();
                }
                Cell::Bool(b) => {
                    sheet.write_boolean(r, c, *b).unwrap();
                }
                Cell::Formula(f) => {
                    sheet.write_formula(r, c, f.as_str()).unwrap();
                }
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}
