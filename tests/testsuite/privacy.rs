//! Disclosure control through the binary: each of the four ways an outsider once recovered
//! the answers of 1–4 pupils from published reports (docs/privacy.md) is tried again on a
//! small survey, with the reports and `--data-out` of every municipality in hand; and a
//! withheld figure or a refused unit reads the same whatever the reason.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{DATE, flat, pages, repo_path, report};

/// A survey of `(count, municipality, grade, gender, q01, q04)` rows against the example
/// codebook (only its background columns and q01, q04). Empty strings are blank cells.
fn write_survey(dir: &Path, rows: &[(usize, &str, &str, &str, &str, &str)]) -> PathBuf {
    let mut csv = String::from("kommune,klassetrin,koen,q01,q04\n");
    for &(count, municipality, grade, gender, q01, q04) in rows {
        for _ in 0..count {
            csv.push_str(&format!("{municipality},{grade},{gender},{q01},{q04}\n"));
        }
    }
    let path = dir.join("survey.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

/// `report build -m MUNICIPALITY` on `survey` with `--data-out`: the figures, or `None` when
/// the build was refused.
fn data_out(dir: &Path, survey: &Path, municipality: &str) -> Option<Value> {
    let json = dir.join(format!("{municipality}.json"));
    let output = report(dir)
        .args(["build", "--date", DATE, "--codebook"])
        .arg(repo_path("examples/udskoling.codebook.yaml"))
        .arg("--survey")
        .arg(survey)
        .args(["-m", municipality, "-o"])
        .arg(dir.join(format!("{municipality}.pdf")))
        .arg("--data-out")
        .arg(&json)
        .output()
        .unwrap();
    output
        .status
        .success()
        .then(|| serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap())
}

/// A group's figures for question `q`, or `None` when withheld.
fn group<'a>(figures: &'a Value, q: &str, group: &str) -> Option<&'a Value> {
    let question = figures["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|question| question["id"] == q)
        .unwrap();
    let group = question["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == group)
        .unwrap();
    (group["withheld"] == false).then_some(group)
}

fn n(figures: &Value, q: &str, name: &str) -> Option<u64> {
    group(figures, q, name).map(|g| g["n"].as_u64().unwrap())
}

/// Attack 1: "Alle kommuner" minus the other municipalities gave a withheld municipality's
/// answers, and with two municipalities the printed p-value pinned its indicator.
#[test]
fn the_benchmark_minus_the_other_municipalities_reveals_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let survey = write_survey(
        dir.path(),
        &[
            (2, "Lille", "7", "1", "5", "1"),
            (1, "Lille", "8", "2", "1", "1"),
            (20, "Mellem", "7", "1", "1", "2"),
            (20, "Mellem", "8", "2", "2", "1"),
            (25, "Stor", "7", "1", "1", "1"),
            (25, "Stor", "9", "2", "3", "2"),
        ],
    );
    // The small municipality gets no report at all, and says so without its count.
    let refused = report(dir.path())
        .args(["build", "--codebook"])
        .arg(repo_path("examples/udskoling.codebook.yaml"))
        .arg("--survey")
        .arg(&survey)
        .args(["-m", "Lille"])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        stderr.contains(
            "Lille gets no report: its figures are withheld to protect the anonymity of the respondents"
        ),
        "{stderr}"
    );
    assert!(!dir.path().join("basisrapport-lille-2026.pdf").exists());

    // Every other report's benchmark is exactly the sum of the published municipalities.
    let reports: Vec<Value> = ["Mellem", "Stor"]
        .iter()
        .map(|m| data_out(dir.path(), &survey, m).unwrap())
        .collect();
    for figures in &reports {
        let published: u64 = reports.iter().map(|r| n(r, "q01", "unit").unwrap()).sum();
        assert_eq!(n(figures, "q01", "comparison:all"), Some(published));
        assert_eq!(figures["comparisons"][0]["respondents"], 90);
        assert_eq!(figures["comparisons"][0]["excluded"], 1);
    }
    let text = flat(&pages(&dir.path().join("Stor.pdf")).join(" "));
    assert!(
        text.contains("Kommuner, hvis tal er skjult af hensyn til anonymiteten, indgår ikke."),
        "{text}"
    );

    // With two municipalities, the larger one's report has no test against the small one.
    let two = write_survey(
        dir.path(),
        &[
            (3, "Lille", "7", "1", "1", "1"),
            (40, "Stor", "7", "1", "2", "1"),
        ],
    );
    let figures = data_out(dir.path(), &two, "Stor").unwrap();
    let all = &figures["questions"][0]["groups"][1];
    assert_eq!(all["group"], "comparison:all");
    assert_eq!(all["municipalities"], 1);
    assert!(all["against"].is_null(), "{all}");
}

/// Attack 2: pupils who skip the background block have unknown gender and grade, so the sum
/// of the grade groups minus the sum of the gender groups was the withheld "Andet" group.
#[test]
fn the_gender_table_against_the_grade_table_reveals_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let survey = write_survey(
        dir.path(),
        &[
            (10, "Kommune", "7", "1", "1", "1"),
            (10, "Kommune", "8", "1", "2", "1"),
            (10, "Kommune", "7", "2", "1", "2"),
            (10, "Kommune", "9", "2", "3", "1"),
            // 3 "Andet" who all gave the same answer.
            (3, "Kommune", "9", "3", "5", "1"),
            // 6 without any background.
            (6, "Kommune", "", "", "2", "1"),
        ],
    );
    let figures = data_out(dir.path(), &survey, "Kommune").unwrap();
    let genders: Vec<Option<u64>> = ["gender:1", "gender:2", "gender:3"]
        .iter()
        .map(|g| n(&figures, "q01", g))
        .collect();
    let grades: Vec<Option<u64>> = ["grade:7", "grade:8", "grade:9"]
        .iter()
        .map(|g| n(&figures, "q01", g))
        .collect();
    assert_eq!(genders[2], None, "Andet is withheld");
    // Σ grades − Σ published genders = Andet only if every grade and both other genders are
    // published; one of them must be withheld.
    assert!(
        grades.iter().any(Option::is_none) || genders[..2].iter().any(Option::is_none),
        "genders {genders:?}, grades {grades:?}"
    );
    // The PDF marks it withheld, never with its count or its size.
    let text = flat(&pages(&dir.path().join("Kommune.pdf")).join(" "));
    assert!(text.contains("Andet –"), "{text}");
    assert!(!text.contains("færre end 5"), "{text}");
    assert!(!text.contains("Andet 3"));
}

/// Attack 3: a remainder with no valid answers but 1–4 "Ved ikke" passed the rule on valid
/// answers, and its count followed from the published missing shares.
#[test]
fn a_remainder_of_missing_codes_reveals_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let survey = write_survey(
        dir.path(),
        &[
            (20, "Kommune", "7", "1", "1", "1"),
            (20, "Kommune", "8", "2", "2", "1"),
            // Two pupils of unknown gender who answered "Ved ikke".
            (2, "Kommune", "7", "", "98", "1"),
        ],
    );
    let figures = data_out(dir.path(), &survey, "Kommune").unwrap();
    // Municipality − boys − girls would be the two "Ved ikke": one gender is withheld.
    let boys = n(&figures, "q01", "gender:1");
    let girls = n(&figures, "q01", "gender:2");
    assert!(boys.is_none() || girls.is_none(), "{boys:?} {girls:?}");
}

/// Attack 4: the respondents table and the question tables withheld different groups, and
/// together gave exact counts of 1–4.
#[test]
fn the_respondents_table_against_the_question_tables_reveals_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let survey = write_survey(
        dir.path(),
        &[
            // Many boys answered q01; girls fewer (blanks), so question and respondents
            // tables order the groups differently.
            (30, "Kommune", "7", "1", "1", "1"),
            (22, "Kommune", "8", "2", "2", "1"),
            (8, "Kommune", "8", "2", "", "1"),
            (3, "Kommune", "9", "3", "1", "1"),
        ],
    );
    let figures = data_out(dir.path(), &survey, "Kommune").unwrap();
    let respondents: Vec<(String, bool)> = figures["respondents"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["group"].as_str().unwrap().to_owned(),
                g["withheld"] == false,
            )
        })
        .collect();
    // A question never publishes a group that the respondents table withholds.
    for question in figures["questions"].as_array().unwrap() {
        for (name, published) in &respondents {
            if !published {
                assert!(
                    group(&figures, question["id"].as_str().unwrap(), name).is_none(),
                    "{name} in {}",
                    question["id"]
                );
            }
        }
    }
    assert!(
        respondents
            .iter()
            .any(|(name, published)| name == "gender:3" && !published)
    );
    // Withheld respondent counts read "–", never a number below 5.
    for group in figures["respondents"]["groups"].as_array().unwrap() {
        if let Some(n) = group["n"].as_u64() {
            assert!(n == 0 || n >= 5, "{group}");
        }
    }
}

/// A batch over a file with a tiny municipality skips it with the reason and builds the rest.
#[test]
fn batch_skips_a_municipality_with_too_few_respondents() {
    let dir = tempfile::tempdir().unwrap();
    let survey = write_survey(
        dir.path(),
        &[
            (3, "Lille", "7", "1", "1", "1"),
            (20, "Stor", "7", "1", "1", "1"),
            (20, "Stor", "8", "2", "2", "1"),
        ],
    );
    let summary = dir.path().join("summary.json");
    report(dir.path())
        .args(["batch", "--date", DATE, "--codebook"])
        .arg(repo_path("examples/udskoling.codebook.yaml"))
        .arg("--survey")
        .arg(&survey)
        .args(["--out-dir", "out", "--summary"])
        .arg(&summary)
        .assert()
        .success();
    let records: Value = serde_json::from_slice(&std::fs::read(&summary).unwrap()).unwrap();
    let lille = &records[0];
    assert_eq!(lille["municipality"], "Lille");
    assert_eq!(lille["status"], "skipped");
    assert!(
        lille["error"]
            .as_str()
            .unwrap()
            .contains("gets no report: its figures are withheld to protect the anonymity"),
        "{lille}"
    );
    assert_eq!(records[1]["status"], "written");
    assert!(!dir.path().join("out/basisrapport-lille-2026.pdf").exists());
    assert!(dir.path().join("out/basisrapport-stor-2026.pdf").exists());
}

/// Words that would tell a reader why a figure is withheld, and so how large its group is.
const REASONS: [&str; 5] = ["færre end", "fewer than", "<5", "primary", "secondary"];

/// Asserts that `text` (named `what`) says nothing of why a figure is withheld.
fn no_reason(what: &str, text: &str) {
    for reason in REASONS {
        assert!(
            !text.to_lowercase().contains(reason),
            "{what} says `{reason}`:\n{text}"
        );
    }
}

/// Every cell of every sheet of a workbook, row by row, as text.
fn workbook_rows(path: &Path) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut xlsx: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let mut rows = Vec::new();
    for name in xlsx.sheet_names() {
        let range = xlsx.worksheet_range(&name).unwrap();
        rows.extend(
            range
                .rows()
                .map(|row| row.iter().map(ToString::to_string).collect::<Vec<_>>()),
        );
    }
    rows
}

/// Stor: 20 boys in 7th grade at school A, 20 girls in 8th at B, 3 "Andet" in 9th at C.
/// "Andet" (and 9th grade) has too few answers (primary); one other gender (and grade) is
/// withheld to protect it (secondary). At school level C is too small and B is withheld to
/// protect it (Stor − A − B = C). Lille has 3 pupils.
fn two_reasons_survey(dir: &Path) -> PathBuf {
    let rows: [(usize, &str); 4] = [
        (20, "Stor,Skole A,7,1,1,1"),
        (20, "Stor,Skole B,8,2,2,1"),
        (3, "Stor,Skole C,9,3,5,2"),
        (3, "Lille,Skole D,7,1,1,1"),
    ];
    let mut csv = String::from("kommune,skole,klassetrin,koen,q01,q04\n");
    for (count, row) in rows {
        for _ in 0..count {
            csv.push_str(row);
            csv.push('\n');
        }
    }
    let path = dir.join("survey.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

/// `report ARGS… --codebook … --survey SURVEY` in `dir`, with the example codebook.
fn run(dir: &Path, survey: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    let (command, rest) = args.split_first().unwrap();
    let mut cmd = report(dir);
    cmd.arg(command);
    if *command != "validate" {
        cmd.args(["--date", DATE]);
    }
    cmd.arg("--codebook")
        .arg(repo_path("examples/udskoling.codebook.yaml"))
        .arg("--survey")
        .arg(survey)
        .args(rest)
        .assert()
}

/// A group withheld for too few answers and one withheld to protect it carry the same mark
/// in the PDF, `--data-out` and `--tables-out`, and nothing published says which is which.
#[test]
fn a_withheld_group_carries_one_mark_whatever_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let survey = two_reasons_survey(dir.path());
    // The analyst's audit says that both reasons occur here; the default output does not.
    let audit = crate::support::stdout(&run(dir.path(), &survey, &["validate", "--audit"]));
    assert!(
        audit.contains("AUDIT — NOT FOR PUBLICATION (REVISION — MÅ IKKE OFFENTLIGGØRES)"),
        "{audit}"
    );
    let q01 = audit
        .lines()
        .rfind(|line| line.trim_start().starts_with("q01 "))
        .unwrap();
    let counts: Vec<u32> = q01
        .split_whitespace()
        .skip(1)
        .map(|n| n.parse().unwrap())
        .collect();
    assert!(
        counts[1] >= 1 && counts[2] >= 1,
        "no primary and secondary in q01: {audit}"
    );
    let plain = crate::support::stdout(&run(dir.path(), &survey, &["validate"]));
    no_reason("validate", &plain);
    assert!(!plain.contains("AUDIT"), "{plain}");

    for lang in ["da", "en"] {
        let (pdf, json, xlsx) = (
            dir.path().join(format!("stor-{lang}.pdf")),
            dir.path().join(format!("stor-{lang}.json")),
            dir.path().join(format!("stor-{lang}.xlsx")),
        );
        run(
            dir.path(),
            &survey,
            &[
                "build",
                "-m",
                "Stor",
                "--lang",
                lang,
                "-o",
                pdf.to_str().unwrap(),
                "--data-out",
                json.to_str().unwrap(),
                "--tables-out",
                xlsx.to_str().unwrap(),
            ],
        )
        .success();

        // --data-out: "Andet" and the gender withheld to protect it are marked alike.
        let data_text = std::fs::read_to_string(&json).unwrap();
        no_reason("--data-out", &data_text);
        let figures: Value = serde_json::from_str(&data_text).unwrap();
        assert_eq!(figures["version"], 3);
        let withheld: Vec<&str> = ["gender:1", "gender:2", "gender:3"]
            .into_iter()
            .filter(|g| group(&figures, "q01", g).is_none())
            .collect();
        assert_eq!(withheld.len(), 2, "{withheld:?}");
        assert_eq!(withheld[1], "gender:3");
        let marks: Vec<Value> = withheld
            .iter()
            .map(|name| {
                let mut g = figures["questions"][0]["groups"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|g| g["group"] == *name)
                    .unwrap()
                    .clone();
                g.as_object_mut().unwrap().remove("group");
                g
            })
            .collect();
        assert_eq!(marks[0], marks[1]);
        assert_eq!(marks[0]["withheld"], true);
        for g in figures["respondents"]["groups"].as_array().unwrap() {
            assert!(g["withheld"].is_boolean(), "{g}");
        }

        // The PDF: the same "–" and the same phrase on both rows.
        let text = flat(&pages(&pdf).join(" "));
        no_reason("the PDF", &text);
        // The bar's place says it in a word; the note under the table and the workbook in
        // the whole phrase.
        let (word, phrase) = match lang {
            "da" => ("skjult", "skjult af hensyn til anonymiteten"),
            _ => ("withheld", "withheld to protect anonymity"),
        };
        assert!(text.contains(&format!("– = {phrase}")), "{text}");
        let (boy, girl, other) = match lang {
            "da" => ("Dreng", "Pige", "Andet"),
            _ => ("Boy", "Girl", "Other"),
        };
        let partner = if withheld[0] == "gender:1" { boy } else { girl };
        for name in [partner, other] {
            assert!(
                text.contains(&format!("{name} – {word}")),
                "no `{name} – {word}` in {text}"
            );
        }

        // The workbook: both rows alike but for the group, the mark in the last column.
        let rows = workbook_rows(&xlsx);
        no_reason("--tables-out", &rows.concat().join("\n"));
        let row_of = |group: &str| -> Vec<String> {
            let row = rows
                .iter()
                .find(|r| r.len() > 6 && r[2] == "q01" && r[6] == group)
                .unwrap_or_else(|| panic!("no q01 row of {group}"));
            let mut row = row.clone();
            row.drain(4..7);
            row
        };
        let (first, second) = (row_of(withheld[0]), row_of(withheld[1]));
        assert_eq!(first[first.len() - 1], phrase);
        assert_eq!(first[..first.len() - 3], second[..second.len() - 3]);
        assert_eq!(first[first.len() - 1], second[second.len() - 1]);
    }
}

/// A unit too small for a report and one withheld to protect a smaller one get the same
/// message from `build`, in `batch`'s output, summary and manifest.
#[test]
fn a_refused_unit_gets_one_message_whatever_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let survey = two_reasons_survey(dir.path());
    let audit = crate::support::stdout(&run(
        dir.path(),
        &survey,
        &["validate", "--level", "school", "--audit"],
    ));
    for line in [
        "schools with no report, primary (fewer than 5 respondents): Skole D (Lille), Skole C (Stor)",
        "schools with no report, secondary (protecting a smaller group): Skole B (Stor)",
    ] {
        assert!(audit.contains(line), "no `{line}` in {audit}");
    }

    // build: the same message and exit code for each, but for the name.
    let refusal = |args: &[&str], name: &str| {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let assert = run(dir.path(), &survey, &all).code(2);
        let stderr = crate::support::stderr(&assert);
        no_reason("build's refusal", &stderr);
        let message = stderr
            .lines()
            .find_map(|line| line.strip_prefix("error: "))
            .unwrap_or_else(|| panic!("no error in {stderr}"));
        assert!(message.contains(name), "{message}");
        message.replace(name, "UNIT")
    };
    let too_small = refusal(&["--school", "Skole C", "-m", "Stor"], "Skole C");
    let protecting = refusal(&["--school", "Skole B", "-m", "Stor"], "Skole B");
    let municipality = refusal(&["-m", "Lille"], "Lille");
    assert_eq!(too_small, protecting);
    assert_eq!(too_small, municipality);
    assert!(
        too_small.contains(
            "UNIT gets no report: its figures are withheld to protect the anonymity of the respondents"
        ),
        "{too_small}"
    );

    // batch: each listed as skipped with that message.
    let summary = dir.path().join("summary.json");
    let assert = run(
        dir.path(),
        &survey,
        &[
            "batch",
            "--level",
            "school",
            "--out-dir",
            "out",
            "--summary",
            summary.to_str().unwrap(),
            "--tables-out",
            "out/tables.xlsx",
        ],
    )
    .success();
    let output = crate::support::stdout(&assert) + &crate::support::stderr(&assert);
    no_reason("batch's output", &output);
    let summary_text = std::fs::read_to_string(&summary).unwrap();
    no_reason("batch's summary", &summary_text);
    let manifest = std::fs::read_to_string(dir.path().join("out/.report-manifest.json")).unwrap();
    no_reason("batch's manifest", &manifest);
    no_reason(
        "batch's workbook",
        &workbook_rows(&dir.path().join("out/tables.xlsx"))
            .concat()
            .join("\n"),
    );
    let records: Value = serde_json::from_str(&summary_text).unwrap();
    let skipped: Vec<(String, String)> = records
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "skipped")
        .map(|r| {
            let school = r["school"].as_str().unwrap().to_owned();
            let error = r["error"].as_str().unwrap().replace(&school, "UNIT");
            (school, error)
        })
        .collect();
    let schools: Vec<&str> = skipped.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(schools, ["Skole D", "Skole B", "Skole C"]);
    for (school, error) in &skipped {
        assert_eq!(
            error, &too_small,
            "{school} is skipped with another message"
        );
        assert!(output.contains(&error.replace("UNIT", school)), "{output}");
    }
}
