//! `--tables-out`: every published figure as an Excel workbook, read back with calamine and
//! held against `--data-out`.

use std::path::Path;

use calamine::{Data, DataType, Reader, Xlsx};

use crate::support::{DATE, build, read_json, repo, repo_path, report, stderr};

/// The workbook's sheet names, in order.
fn sheet_names(path: &Path) -> Vec<String> {
    let xlsx: Xlsx<_> = calamine::open_workbook(path).unwrap();
    xlsx.sheet_names()
}

/// A sheet's rows, the header first.
fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut xlsx: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = xlsx.worksheet_range(name).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

/// A sheet as records: column title → cell.
fn records(path: &Path, name: &str) -> Vec<std::collections::BTreeMap<String, Data>> {
    let rows = sheet(path, name);
    let header: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
    rows[1..]
        .iter()
        .map(|row| header.iter().cloned().zip(row.iter().cloned()).collect())
        .collect()
}

#[test]
fn tables_hold_the_figures_of_data_out_and_withhold_what_it_withholds() {
    let dir = tempfile::tempdir().unwrap();
    let (out, json, xlsx) = (
        dir.path().join("samsoe.pdf"),
        dir.path().join("samsoe.json"),
        dir.path().join("samsoe.xlsx"),
    );
    // A high threshold withholds groups of the small municipality, as too few and to
    // protect others: every one with the same mark.
    let common = ["-m", "Samsø", "--min-cell", "30"];
    let mut args = common.to_vec();
    args.extend([
        "--data-out",
        json.to_str().unwrap(),
        "--tables-out",
        xlsx.to_str().unwrap(),
    ]);
    build(&out, &args).success();
    assert_eq!(
        sheet_names(&xlsx),
        [
            "Fordelinger",
            "Nøgletal",
            "Udvikling",
            "Respondenter",
            "Om tabellerne"
        ]
    );
    let header: Vec<String> = sheet(&xlsx, "Fordelinger")[0]
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "Kommune",
            "Tema",
            "Spørgsmål-id",
            "Spørgsmål",
            "Gruppetype",
            "Gruppe",
            "Gruppe-id",
            "n",
            "Svarkode",
            "Svar",
            "Procent af",
            "Procent",
            "Skjult"
        ]
    );

    let data = read_json(&json);
    let mark = |withheld: &serde_json::Value| match withheld.as_bool().unwrap() {
        true => "skjult af hensyn til anonymiteten",
        false => "",
    };
    let distributions = records(&xlsx, "Fordelinger");
    let mut withheld = 0;
    let mut rows = 0;
    for question in data["questions"].as_array().unwrap() {
        for group in question["groups"].as_array().unwrap() {
            let of_group: Vec<_> = distributions
                .iter()
                .filter(|r| {
                    r["Spørgsmål-id"] == question["id"].as_str().unwrap()
                        && r["Gruppe-id"] == group["group"].as_str().unwrap()
                })
                .collect();
            assert!(
                !of_group.is_empty(),
                "{} {}",
                question["id"],
                group["group"]
            );
            for row in of_group {
                rows += 1;
                let code = row["Svarkode"].as_f64().unwrap().to_string();
                let shares = match row["Procent af"].to_string().as_str() {
                    "gyldige svar" => &group["percent"],
                    "alle svar" => &group["missing"],
                    other => panic!("percent of `{other}`"),
                };
                assert_eq!(row["Skjult"].to_string(), mark(&group["withheld"]));
                if group["withheld"] == false {
                    assert_eq!(row["n"].as_f64(), group["n"].as_f64());
                    // A group without valid answers has no shares, and empty cells.
                    let expected = shares.get(&code).and_then(serde_json::Value::as_f64);
                    let shown = row["Procent"].as_f64().map(|share| share * 100.0);
                    match (shown, expected) {
                        (Some(shown), Some(expected)) => {
                            assert!((shown - expected).abs() < 1e-9, "{row:?}: {expected}");
                        }
                        (shown, expected) => assert_eq!(shown, expected, "{row:?}"),
                    }
                } else {
                    withheld += 1;
                    assert_eq!((&row["n"], &row["Procent"]), (&Data::Empty, &Data::Empty));
                }
            }
        }
    }
    assert_eq!(rows, distributions.len(), "rows the figures do not have");
    assert!(withheld > 0, "nothing withheld");

    // The indicators and respondents, likewise.
    let indicators = records(&xlsx, "Nøgletal");
    for question in data["questions"].as_array().unwrap() {
        let unit = &question["groups"][0];
        let Some(indicator) = unit["indicator"].as_f64() else {
            continue;
        };
        let row = indicators
            .iter()
            .find(|r| {
                r["Spørgsmål-id"] == question["id"].as_str().unwrap() && r["Gruppe-id"] == "unit"
            })
            .unwrap();
        assert!((row["Andel"].as_f64().unwrap() * 100.0 - indicator).abs() < 1e-9);
    }
    let respondents = records(&xlsx, "Respondenter");
    for group in data["respondents"]["groups"].as_array().unwrap() {
        let row = respondents
            .iter()
            .find(|r| r["Gruppe-id"] == group["group"].as_str().unwrap())
            .unwrap();
        assert_eq!(row["n"].as_f64(), group["n"].as_f64());
        assert_eq!(row["Skjult"].to_string(), mark(&group["withheld"]));
    }

    // Another run, the same bytes.
    let again = dir.path().join("again.xlsx");
    let mut args = common.to_vec();
    args.extend(["--tables-out", again.to_str().unwrap()]);
    build(&dir.path().join("again.pdf"), &args).success();
    assert_eq!(
        std::fs::read(&xlsx).unwrap(),
        std::fs::read(&again).unwrap()
    );
}

#[test]
fn a_school_report_has_its_school_beside_its_municipality() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("skole.xlsx");
    build(
        &dir.path().join("skole.pdf"),
        &[
            "--school",
            "Skole 03",
            "-m",
            "Silkeborg",
            "--lang",
            "en",
            "--tables-out",
            xlsx.to_str().unwrap(),
        ],
    )
    .success();
    let respondents = records(&xlsx, "Respondents");
    let unit = &respondents[0];
    let cells: Vec<String> = ["Municipality", "School", "Group kind", "Group"]
        .iter()
        .map(|column| unit[*column].to_string())
        .collect();
    assert_eq!(cells, ["Silkeborg", "Skole 03", "School", "Skole 03"]);
    assert_eq!(respondents[1]["Group"].to_string(), "Silkeborg");
}

#[test]
fn batch_writes_one_workbook_with_every_municipality_the_same_when_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapporter");
    let batch = |xlsx: &Path| {
        report(&repo())
            .args([
                "batch",
                "--date",
                DATE,
                "--lang",
                "en",
                "--jobs",
                "2",
                "--out-dir",
            ])
            .arg(&out)
            .arg("--tables-out")
            .arg(xlsx)
            .assert()
            .success()
    };
    let first = dir.path().join("first.xlsx");
    batch(&first);
    assert_eq!(
        sheet_names(&first),
        [
            "Distributions",
            "Indicators",
            "Trends",
            "Respondents",
            "About"
        ]
    );
    // Every municipality, in the batch's order, in every sheet.
    let municipalities = |sheet: &str| {
        let mut names: Vec<String> = records(&first, sheet)
            .iter()
            .map(|r| r["Municipality"].to_string())
            .collect();
        names.dedup();
        names
    };
    let all = [
        "Favrskov",
        "Odder",
        "Samsø",
        "Silkeborg",
        "Skanderborg",
        "Syddjurs",
    ];
    assert_eq!(municipalities("Distributions"), all);
    assert_eq!(municipalities("Indicators"), all);
    assert_eq!(municipalities("Respondents"), all);
    let about = records(&first, "About");
    assert_eq!(about[4]["Field"].to_string(), "Reports");
    assert_eq!(about[4]["Value"].as_f64(), Some(6.0));

    // Nothing changed: no report is rendered, and the workbook is the same.
    let second = dir.path().join("second.xlsx");
    let assert = batch(&second);
    assert!(
        stderr(&assert).contains("6 unchanged"),
        "{}",
        stderr(&assert)
    );
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap()
    );
}

#[test]
fn the_tables_path_is_checked_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let survey = repo_path("examples/udskoling-2026-sample.csv");
    let before = std::fs::read(&survey).unwrap();
    let pdf = dir.path().join("r.pdf");

    // An input, by another spelling.
    let input = repo().join("examples/./udskoling-2026-sample.csv");
    let assert = build(&pdf, &["--tables-out", input.to_str().unwrap()]).code(2);
    assert!(
        stderr(&assert).contains("is one of the job's inputs"),
        "{}",
        stderr(&assert)
    );
    // The PDF's path, or the figures'.
    let assert = build(&pdf, &["--tables-out", pdf.to_str().unwrap()]).code(2);
    assert!(
        stderr(&assert).contains("two outputs"),
        "{}",
        stderr(&assert)
    );
    let json = dir.path().join("x");
    let same = [
        "--data-out",
        json.to_str().unwrap(),
        "--tables-out",
        json.to_str().unwrap(),
    ];
    let assert = build(&pdf, &same).code(2);
    assert!(
        stderr(&assert).contains("two outputs"),
        "{}",
        stderr(&assert)
    );
    assert!(!pdf.exists() && !json.exists());

    // A batch refuses it before rendering.
    let out = dir.path().join("rapporter");
    let assert = report(&repo())
        .args(["batch", "--date", DATE, "--out-dir"])
        .arg(&out)
        .arg("--tables-out")
        .arg(&survey)
        .assert()
        .code(2);
    assert!(
        stderr(&assert).contains("is one of the job's inputs"),
        "{}",
        stderr(&assert)
    );
    let pdfs = walk_pdfs(&out);
    assert!(pdfs.is_empty(), "{pdfs:?}");
    assert_eq!(std::fs::read(&survey).unwrap(), before);
}

/// The PDFs below `dir`, if it exists.
fn walk_pdfs(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".pdf"))
                .collect()
        })
        .unwrap_or_default()
}
