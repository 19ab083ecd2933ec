//! Survey files as analysts get them: CSV dialects and encodings, spreadsheets, several files,
//! and malformed data that must stop a report with a precise message.

use std::path::{Path, PathBuf};

use crate::support::{self, build, repo, repo_path, report};

fn sample() -> String {
    std::fs::read_to_string(repo_path("examples/udskoling-2026-sample.csv")).unwrap()
}

/// The figures `report build --data-out` gives for `surveys`.
fn figures(surveys: &[&Path], municipality: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["--municipality", municipality];
    for survey in surveys {
        args.extend(["--survey", survey.to_str().unwrap()]);
    }
    support::figures(&dir.path().join("r.pdf"), &args)
}

/// The sample as Danish Excel saves "CSV (semikolonsepareret)": semicolons, Windows-1252,
/// CRLF, decimal commas, quoted text.
fn danish_excel(csv: &str) -> Vec<u8> {
    let mut out = String::new();
    for line in csv.lines() {
        let cells: Vec<String> = line
            .split(',')
            .map(|cell| {
                if cell.chars().any(char::is_alphabetic) && !cell.starts_with('q') {
                    format!("\"{cell}\"")
                } else {
                    cell.replace('.', ",")
                }
            })
            .collect();
        out.push_str(&cells.join(";"));
        out.push_str(";;\r\n");
    }
    encoding_rs::WINDOWS_1252.encode(&out).0.into_owned()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn every_dialect_gives_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let csv = sample();
    let original = write(dir.path(), "original.csv", csv.as_bytes());
    let expected = figures(&[&original], "Samsø");

    let mut excel_bom = vec![0xEF, 0xBB, 0xBF];
    excel_bom.extend_from_slice(csv.replace('\n', "\r\n").replace(',', ";").as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in csv.replace(',', "\t").encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let variants = [
        write(dir.path(), "excel.csv", &danish_excel(&csv)),
        write(dir.path(), "bom.csv", &excel_bom),
        write(dir.path(), "utf16.txt", &utf16),
        spreadsheet(dir.path(), &csv, false),
    ];
    for variant in &variants {
        let got = figures(&[variant], "Samsø");
        assert!(got == expected, "{} gives other figures", variant.display());
    }
}

/// The sample as an .xlsx workbook: numbers stored as numbers, text as text, on a sheet
/// "Data" (behind a cover sheet if `cover`).
fn spreadsheet(dir: &Path, csv: &str, cover: bool) -> PathBuf {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    if cover {
        workbook
            .add_worksheet()
            .set_name("Forside")
            .unwrap()
            .write(0, 0, "Eksport")
            .unwrap();
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("Data").unwrap();
    for (row, line) in csv.lines().enumerate() {
        for (column, cell) in line.split(',').enumerate() {
            let (row, column) = (row as u32, column as u16);
            match cell.parse::<f64>() {
                Ok(number) if row > 0 && column > 1 => {
                    sheet.write_number(row, column, number).unwrap();
                }
                _ if cell.is_empty() => {}
                _ => {
                    sheet.write_string(row, column, cell).unwrap();
                }
            }
        }
    }
    let path = dir.join("survey.xlsx");
    workbook.save(&path).unwrap();
    path
}

#[test]
fn spreadsheets_read_the_named_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = spreadsheet(dir.path(), &sample(), true);
    report(&repo())
        .args(["validate", "--sheet", "Data", "--survey"])
        .arg(&xlsx)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "spreadsheet, sheet `Data`, 4916 rows",
        ));
    // The first sheet is the cover, which has no survey columns.
    report(&repo())
        .args(["validate", "--survey"])
        .arg(&xlsx)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "survey.xlsx: the file has no column `kommune`",
        ));
    report(&repo())
        .args(["validate", "--sheet", "Ark1", "--survey"])
        .arg(&xlsx)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "there is no sheet `Ark1` (sheets: Forside, Data)",
        ));
}

#[test]
fn several_files_are_combined() {
    let dir = tempfile::tempdir().unwrap();
    let csv = sample();
    let lines: Vec<&str> = csv.lines().collect();
    let header = lines[0];
    let (first, second) = lines[1..].split_at(2000);
    let a = write(
        dir.path(),
        "a.csv",
        (std::iter::once(header)
            .chain(first.iter().copied())
            .collect::<Vec<_>>()
            .join("\n")
            + "\n")
            .as_bytes(),
    );
    let b = write(
        dir.path(),
        "b.csv",
        &danish_excel(
            &(std::iter::once(header)
                .chain(second.iter().copied())
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"),
        ),
    );
    let whole = write(dir.path(), "whole.csv", csv.as_bytes());
    assert!(figures(&[&a, &b], "Odder") == figures(&[&whole], "Odder"));
}

/// A copy of the first 30 lines of the sample with `edit` applied to the cells.
fn broken(dir: &Path, edit: impl Fn(&mut Vec<Vec<String>>)) -> PathBuf {
    let csv = sample();
    let mut rows: Vec<Vec<String>> = csv
        .lines()
        .take(30)
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    edit(&mut rows);
    let text: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
    write(dir, "survey.csv", (text.join("\n") + "\n").as_bytes())
}

fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|c| c == name).unwrap()
}

fn build_fails(survey: &Path, dir: &Path) -> String {
    let out = dir.join("rapport.pdf");
    let assert = build(&out, &["--survey", survey.to_str().unwrap()]).code(2);
    assert!(!out.exists(), "a PDF was written");
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

#[test]
fn malformed_data_stop_the_report_with_file_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let survey = broken(dir.path(), |rows| {
        let q01 = column(rows, "q01");
        let q02 = column(rows, "q02");
        rows[4][q01] = "x".into();
        rows[8][q02] = "7".into();
        rows[12].truncate(10);
    });
    let stderr = build_fails(&survey, dir.path());
    let path = survey.display();
    let width = sample().lines().next().unwrap().split(',').count();
    for expected in [
        "the survey data have 3 problem(s); no report was written".to_owned(),
        format!(
            "error: {path}, column `q01`: values that are not whole-number answer codes (1×: `x` on line 5)"
        ),
        format!(
            "error: {path}, column `q02`: codes not in the codebook (allowed: 1, 2, 3, 4, 5, 98, 99) (1×: `7` on line 9)"
        ),
        format!(
            "error: {path}: rows with fewer fields than the header's {width} (1×: line 13 (10 fields))"
        ),
        format!("run `report validate --survey {path} --codebook"),
    ] {
        assert!(stderr.contains(&expected), "no `{expected}` in:\n{stderr}");
    }

    let survey = broken(dir.path(), |rows| {
        let kommune = column(rows, "kommune");
        for row in rows.iter_mut() {
            row.remove(kommune);
        }
    });
    let stderr = build_fails(&survey, dir.path());
    assert!(
        stderr.contains(&format!(
            "{}: the file has no column `kommune`",
            survey.display()
        )),
        "{stderr}"
    );
}

#[test]
fn validate_summarises_the_data_and_lists_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let survey = broken(dir.path(), |rows| {
        let q05 = column(rows, "q05");
        for row in rows.iter_mut().skip(1).take(25) {
            row[q05] = "6".into();
        }
        let id = column(rows, "id");
        rows[20][id] = rows[3][id].clone();
        rows[0].push("ekstra".into());
        for row in rows.iter_mut().skip(1) {
            row.push(String::new());
        }
    });
    let assert = report(&repo())
        .args(["validate", "--survey"])
        .arg(&survey)
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    for expected in [
        "Respondents: 29",
        "Silkeborg",
        "q01",
        "column `q05`: codes not in the codebook (allowed: 1, 2, 3, 4, 98, 99) (25×: `6` on line 2",
        "column `id`: respondent ids that occur more than once (1×: line 21 (same id as line 4))",
        "column `ekstra`: column not in the codebook (ignored)",
        "2 error(s), 1 warning(s)",
    ] {
        assert!(stdout.contains(expected), "no `{expected}` in:\n{stdout}");
    }
    report(&repo())
        .args(["validate"])
        .assert()
        .success()
        .stdout(predicates::str::contains("0 error(s)"));
}
