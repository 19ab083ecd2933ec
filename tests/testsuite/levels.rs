//! Report levels and comparisons through the binary: school reports, regions and custom
//! comparison groups, a third breakdown from the second example codebook, several rounds
//! with a withheld one, and a school batch split over shards.

use std::collections::BTreeSet;
use std::path::Path;

use predicates::prelude::PredicateBooleanExt;
use serde_json::Value;

use crate::support::{
    DATE, figures, flat, last_page_with, outline, page_with, pages, pdf_document, read_json,
    repo_path, report,
};

/// The groups of question `q` as (group key, n or null).
fn groups(data: &Value, q: usize) -> Vec<(String, Value)> {
    data["questions"][q]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["group"].as_str().unwrap().to_owned(), g["n"].clone()))
        .collect()
}

#[test]
fn a_school_report_shows_the_school_its_municipality_and_everyone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("skole.pdf");
    let data = figures(&out, &["--school", "Skole 03", "-m", "Silkeborg"]);
    assert_eq!(data["unit"]["level"], "school");
    assert_eq!(data["unit"]["name"], "Skole 03");
    assert_eq!(data["unit"]["municipality"], "Silkeborg");
    let keys: Vec<String> = groups(&data, 0).into_iter().map(|(key, _)| key).collect();
    assert_eq!(
        keys[..3],
        ["unit", "comparison:municipality", "comparison:all"]
    );
    assert!(keys.contains(&"gender:2".to_owned()) && keys.contains(&"grade:7".to_owned()));
    // The municipality's figures are the municipality's own report's figures.
    let municipality = figures(&dir.path().join("silkeborg.pdf"), &[]);
    assert_eq!(
        data["questions"][0]["groups"][1]["n"],
        municipality["questions"][0]["groups"][0]["n"]
    );

    let pages = pages(&out);
    let cover = flat(&pages[0]);
    assert!(
        cover.contains("Skole 03") && cover.contains("Silkeborg"),
        "{cover}"
    );
    let question = page_with(&pages, "q01 Hvordan har du det for det meste?").unwrap();
    let text = flat(&pages[question]);
    for row in [
        "Skole 03",
        "Silkeborg 1.558",
        "Alle kommuner 4.760",
        "Pige",
        "7. klasse",
    ] {
        assert!(
            text.contains(row),
            "no `{row}` on the question page: {text}"
        );
    }
    // The same chapters as a municipality's report, each about its own unit.
    let chapters = |pdf: &Path, unit: &str| -> Vec<String> {
        outline(&pdf_document(pdf))
            .into_iter()
            .filter(|(level, _)| *level == 1)
            .map(|(_, title)| title.replace(unit, "UNIT"))
            .collect()
    };
    assert_eq!(
        chapters(&out, "Skole 03"),
        chapters(&dir.path().join("silkeborg.pdf"), "Silkeborg")
    );
}

#[test]
fn regions_and_custom_groups_get_their_rows_columns_and_marks() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("report.yaml");
    std::fs::write(
        &config,
        format!(
            "survey: {}\ncodebook: {}\nmunicipality: Silkeborg\ncompare: [region, naboer, all]\n\
             comparisons:\n  - id: naboer\n    name: {{da: Nabokommuner, en: Neighbours}}\n    \
             municipalities: [Skanderborg, Favrskov, Ringsted]\n",
            repo_path("examples/udskoling-2026-sample.csv").display(),
            repo_path("examples/udskoling.codebook.yaml").display(),
        ),
    )
    .unwrap();
    let out = dir.path().join("rapport.pdf");
    let json = dir.path().join("rapport.json");
    let assert = report(dir.path())
        .args([
            "--config",
            config.to_str().unwrap(),
            "build",
            "--date",
            DATE,
            "-o",
        ])
        .arg(&out)
        .arg("--data-out")
        .arg(&json)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("comparison `naboer`: `Ringsted` is not a municipality in the data"),
        "{stderr}"
    );
    let data = read_json(&json);
    let comparisons: Vec<(&str, &str, u64)> = data["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap(),
                c["name"].as_str().unwrap_or("-"),
                c["municipalities"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        comparisons,
        [
            ("region", "Region Midtjylland", 6),
            ("naboer", "Nabokommuner", 2),
            ("all", "-", 6)
        ]
    );
    // Every comparison row has the unit's test against it where the question has an
    // indicator; some differ significantly from Silkeborg.
    let q = &data["questions"][0]["groups"];
    for i in 1..=3 {
        assert!(q[i]["against"]["significance"].is_string(), "{}", q[i]);
    }
    let pages = pages(&out);
    let overview = last_page_with(&pages, "Overblik over nøgletal").unwrap();
    let text = flat(&pages[overview]);
    for heading in ["Region Midtjylland", "Nabokommuner", "Alle kommuner"] {
        assert!(
            text.contains(heading),
            "no `{heading}` in the overview: {text}"
        );
    }
    let about = flat(&pages[last_page_with(&pages, "Om undersøgelsen og metoden").unwrap()]);
    assert!(about.contains("Nabokommuner omfatter"), "{about}");
    assert!(about.contains("fra 2 kommuner"), "{about}");
}

#[test]
fn a_school_report_cannot_compare_a_municipality_with_itself() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::build(&dir.path().join("x.pdf"), &["--compare", "municipality"])
        .failure()
        .stderr(predicates::str::contains(
            "`--compare municipality` compares a school with its municipality",
        ));
    crate::support::build(&dir.path().join("x.pdf"), &["--compare", "regoin"])
        .failure()
        .stderr(
            predicates::str::contains("unknown comparison `regoin`")
                .and(predicates::str::contains("did you mean `region`")),
        );
}

/// The second example codebook: young people with age bands and kind of education instead
/// of grades, three breakdowns.
#[test]
fn the_second_example_codebook_builds_with_a_third_breakdown() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, expected) in [
        ("da", ["Gymnasial uddannelse", "21–25 år", "Uddannelse"]),
        ("en", ["Upper secondary", "21–25", "Education"]),
    ] {
        let out = dir.path().join(format!("unge-{lang}.pdf"));
        let data = figures(
            &out,
            &[
                "--codebook",
                repo_path("examples/unge.codebook.yaml").to_str().unwrap(),
                "--survey",
                repo_path("examples/unge-2026-sample.csv").to_str().unwrap(),
                "-m",
                "Aarhus",
                "--lang",
                lang,
            ],
        );
        let keys: Vec<String> = groups(&data, 0).into_iter().map(|(key, _)| key).collect();
        for key in ["gender:2", "age:3", "education:1"] {
            assert!(keys.contains(&key.to_owned()), "{keys:?}");
        }
        let text = flat(&pages(&out).join(" "));
        for word in expected {
            assert!(text.contains(word), "no `{word}` in the {lang} report");
        }
    }
}

/// Three rounds, the middle one withholding the municipality's figure: its round is a gap,
/// never a number, and the change against it is not shown.
#[test]
fn three_rounds_show_a_gap_where_a_round_withholds_the_figure() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(repo_path("examples/udskoling-2026-sample.csv")).unwrap();
    let mut lines = sample.lines();
    let header = lines.next().unwrap().to_owned();
    let rows: Vec<&str> = lines.collect();
    let q01 = header.split(',').position(|c| c == "q01").unwrap();
    // 2022: every third row. 2024: Silkeborg's q01 left blank but for 3 answers. Each round
    // other pupils (other ids).
    let round_2022: Vec<String> = rows
        .iter()
        .step_by(3)
        .map(|r| format!("2022-{r}"))
        .collect();
    let mut kept = 0;
    let round_2024: Vec<String> = rows
        .iter()
        .step_by(2)
        .map(|row| {
            let mut cells: Vec<&str> = row.split(',').collect();
            if cells[1] == "Silkeborg" {
                kept += 1;
                if kept > 3 {
                    cells[q01] = "";
                }
            }
            format!("2024-{}", cells.join(","))
        })
        .collect();
    let write = |name: &str, rows: &[String]| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
        path
    };
    let (old, middle) = (
        write("2022.csv", &round_2022),
        write("2024.csv", &round_2024),
    );
    let out = dir.path().join("rapport.pdf");
    let data = figures(
        &out,
        &[
            "--previous",
            &format!("2024={}", middle.display()),
            "--previous",
            &format!("2022={}", old.display()),
        ],
    );
    let trend = &data["questions"][0]["trend"];
    let rounds: Vec<u64> = trend["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["round"].as_u64().unwrap())
        .collect();
    assert_eq!(rounds, [2022, 2024, 2026]);
    assert!(trend["rounds"][0]["indicator"].is_f64());
    assert!(trend["rounds"][1]["indicator"].is_null());
    assert!(trend["change"].is_null());
    let text = flat(&pages(&out).join(" "));
    let line = format!(
        "Udvikling: 2022: {} % · 2024: – · 2026: {} %",
        trend["rounds"][0]["indicator"].as_f64().unwrap().round(),
        trend["rounds"][2]["indicator"].as_f64().unwrap().round()
    );
    assert!(text.contains(&line), "no `{line}`");
}

#[test]
fn a_school_batch_over_shards_builds_every_school_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut seen = Vec::new();
    for shard in ["1/2", "2/2"] {
        let summary = dir.path().join(format!("summary-{}.json", &shard[..1]));
        report(&crate::support::repo())
            .args([
                "batch",
                "--date",
                DATE,
                "--level",
                "school",
                "--only",
                "Odder,Samsø",
            ])
            .args(["--shard", shard, "--out-dir"])
            .arg(dir.path().join("out"))
            .arg("--summary")
            .arg(&summary)
            .arg("--quiet")
            .assert()
            .success();
        for record in read_json(&summary).as_array().unwrap() {
            assert_eq!(record["status"], "written", "{record}");
            seen.push((
                record["municipality"].as_str().unwrap().to_owned(),
                record["school"].as_str().unwrap().to_owned(),
                record["file"].as_str().unwrap().to_owned(),
            ));
        }
    }
    let files: BTreeSet<&str> = seen.iter().map(|(_, _, f)| f.as_str()).collect();
    assert_eq!(
        files.len(),
        seen.len(),
        "a school was built twice: {seen:?}"
    );
    // Every school of Odder and Samsø in the sample, each in its municipality's folder.
    let sample = std::fs::read_to_string(repo_path("examples/udskoling-2026-sample.csv")).unwrap();
    let schools: BTreeSet<(String, String)> = sample
        .lines()
        .skip(1)
        .map(|line| line.split(',').collect::<Vec<_>>())
        .filter(|cells| cells[1] == "Odder" || cells[1] == "Samsø")
        .map(|cells| (cells[1].to_owned(), cells[2].to_owned()))
        .collect();
    let built: BTreeSet<(String, String)> = seen
        .iter()
        .map(|(m, s, _)| (m.clone(), s.clone()))
        .collect();
    assert_eq!(built, schools);
    assert!(
        dir.path()
            .join("out/samsoe/basisrapport-samsoe-skole-01-2026.pdf")
            .is_file()
    );
}

#[test]
fn validate_shows_what_school_reports_withhold_when_asked() {
    let repo = crate::support::repo();
    let plain = report(&repo).arg("validate").assert().success();
    let stdout = String::from_utf8_lossy(&plain.get_output().stdout).into_owned();
    assert!(
        stdout.contains("The data name 33 schools: `--level school`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("decided with the school reports"),
        "{stdout}"
    );
    assert!(!stdout.contains("With school reports"), "{stdout}");

    let schools = report(&repo)
        .args(["validate", "--level", "school"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&schools.get_output().stdout).into_owned();
    assert!(
        stdout.contains("With school reports (33 schools,"),
        "{stdout}"
    );
    assert!(
        stdout.contains("municipality and school groups over all questions:"),
        "{stdout}"
    );
}

/// A round of one municipality and three schools (min_cell 2) where deciding the
/// municipality report on its own would publish its boys and girls beside school reports
/// that, together with them, pin a withheld group (the case the library's attacker test
/// keeps as `ACROSS_LEVELS`). Returns report.yaml written in `dir`, with `extra` appended.
fn across_levels(dir: &Path, extra: &str) -> std::path::PathBuf {
    std::fs::write(
        dir.join("c.yaml"),
        "survey: t\ntitle: T\nround: 2026\nbackground:\n  municipality: kommune\n  school: skole\n  \
         grade: {column: klasse, values: {7: \"7.\", 8: \"8.\"}}\n  \
         gender: {column: koen, values: {1: \"Dreng\", 2: \"Pige\"}}\nmissing: {98: \"Ved ikke\"}\n\
         themes:\n  - id: a\n    title: A\n    questions:\n      \
         - {id: q1, text: \"?\", options: {1: \"Ja\", 2: \"Nej\"}, positive: [1], indicator: \"siger ja\"}\n",
    )
    .unwrap();
    let rows = [
        "A,S2,1,7,1",
        "A,S2,1,7,1",
        "A,S1,2,7,1",
        "A,S1,2,7,1",
        "A,S2,1,7,1",
        "A,S1,2,7,1",
        "A,S3,1,7,98",
    ];
    std::fs::write(
        dir.join("s.csv"),
        format!("kommune,skole,koen,klasse,q1\n{}\n", rows.join("\n")),
    )
    .unwrap();
    let config = dir.join("report.yaml");
    std::fs::write(
        &config,
        format!("survey: s.csv\ncodebook: c.yaml\nmin_cell: 2\nmunicipality: A\n{extra}"),
    )
    .unwrap();
    config
}

/// `report --config CONFIG` in `dir`.
fn with_config(dir: &Path, config: &Path) -> assert_cmd::Command {
    let mut command = report(dir);
    command.arg("--config").arg(config);
    command
}

/// `report --config CONFIG build --date DATE -o OUT ARGS…` in `dir`.
fn build_with(dir: &Path, config: &Path, out: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    with_config(dir, config)
        .args(["build", "--date", DATE, "-o", out])
        .args(args)
        .assert()
}

/// `report build -m A --data-out` with `config`: the groups of q1.
fn municipality_q1(dir: &Path, config: &Path) -> Vec<(String, Value)> {
    let json = dir.join("a.json");
    build_with(
        dir,
        config,
        "a.pdf",
        &["--data-out", json.to_str().unwrap()],
    )
    .success();
    groups(&read_json(&json), 0)
}

#[test]
fn municipality_reports_are_decided_with_the_school_reports_of_the_round() {
    let dir = tempfile::tempdir().unwrap();
    let both = across_levels(dir.path(), "");
    let q1 = municipality_q1(dir.path(), &both);
    let n = |groups: &[(String, Value)], key: &str| {
        groups
            .iter()
            .find(|(group, _)| group == key)
            .unwrap()
            .1
            .clone()
    };
    assert_eq!(n(&q1, "unit"), 6);
    assert!(n(&q1, "gender:1").is_null(), "{q1:?}");
    assert!(n(&q1, "gender:2").is_null(), "{q1:?}");
    // A school report of the same round publishes the same municipality figures.
    let json = dir.path().join("s1.json");
    let data_out = json.to_str().unwrap();
    build_with(
        dir.path(),
        &both,
        "s1.pdf",
        &["--school", "S1", "--data-out", data_out],
    )
    .success();
    assert_eq!(
        n(&groups(&read_json(&json), 0), "comparison:municipality"),
        6
    );

    // A round that publishes municipality reports only protects them alone: the boys and
    // girls are published, and no school report is written.
    let alone = across_levels(dir.path(), "levels: [municipality]\n");
    let q1 = municipality_q1(dir.path(), &alone);
    assert_eq!(n(&q1, "gender:1"), 3);
    assert_eq!(n(&q1, "gender:2"), 3);
    build_with(dir.path(), &alone, "s1-alone.pdf", &["--school", "S1"])
        .failure()
        .stderr(predicates::str::contains("without `school`"));
    assert!(!dir.path().join("s1-alone.pdf").exists());
    with_config(dir.path(), &alone)
        .args(["validate", "--level", "school"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "no school report is published this round",
        ));

    let empty = across_levels(dir.path(), "levels: []\n");
    with_config(dir.path(), &empty)
        .arg("validate")
        .assert()
        .failure()
        .stderr(predicates::str::contains("report.yaml:5:"))
        .stderr(predicates::str::contains("`levels` lists the levels"));
}
