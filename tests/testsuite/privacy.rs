//! Disclosure control through the binary: each of the four ways an outsider once recovered
//! the answers of 1–4 pupils from published reports (docs/privacy.md) is tried again on a
//! small survey, with the reports and `--data-out` of every municipality in hand.

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
