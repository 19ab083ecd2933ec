//! `report catalogue …` and `report factsheet …`, and picking fact sheets on `report build`.

use predicates::prelude::PredicateBooleanExt;
use std::path::PathBuf;

use crate::support::{DATE, build, flat, last_page_with, pages, repo, repo_path, report};

fn fixture(name: &str) -> PathBuf {
    repo_path("tests/testsuite/fixtures").join(name)
}

#[test]
fn check_reports_every_problem_with_file_line_and_column() {
    let dir = fixture("broken-catalogue");
    let assert = report(&repo())
        .args(["catalogue", "check"])
        .arg(&dir)
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let sheet = |name: &str| dir.join("sheets").join(name).display().to_string();
    for expected in [
        format!(
            "{}:3:10: mapping values are not allowed in this context",
            sheet("syntax.yaml")
        ),
        format!("{}:7:1: unknown field `pris`", sheet("unknown-field.yaml")),
        format!(
            "{}:1:1: missing field `summary`",
            sheet("missing-field.yaml")
        ),
        format!(
            "{}:6:8: type[0]: unknown variant `webinar`",
            sheet("unknown-enum.yaml")
        ),
        format!(
            "{}:1:1: id `good` differs from the file name `wrong-name`",
            sheet("wrong-name.yaml")
        ),
        format!(
            "{}:1:1: id `good` is also used by {}",
            sheet("wrong-name.yaml"),
            sheet("good.yaml")
        ),
        format!(
            "{}:4:19: unknown theme `flyvning`",
            sheet("bad-values.yaml")
        ),
        format!(
            "{}:6:3: age range 14–8 is reversed",
            sheet("bad-values.yaml")
        ),
        format!(
            "{}:12:8: `www.example.org` is not an http(s) URL",
            sheet("bad-values.yaml")
        ),
        format!(
            "{}:17:1: reviewed date `22-11-2026` is not a date",
            sheet("bad-values.yaml")
        ),
        format!("{}:5:10: age 40 is outside 0–30", sheet("too-old.yaml")),
        format!(
            "{}:10:1: `description` uses a heading of level 1",
            sheet("markdown.yaml")
        ),
        format!(
            "{}:12:1: `description` uses a table",
            sheet("markdown.yaml")
        ),
        format!(
            "{}:9:3: documentation level `promising-practice` names no source: add `source: \
             {{title, url}}` (where the provider or agency states the level) or use `not-stated`",
            sheet("unsourced.yaml")
        ),
        format!("{}:6:3: grade 11 is outside 0–10", sheet("bad-grades.yaml")),
        format!(
            "{}:12:37: `rapport.pdf` is not an http(s) URL",
            sheet("bad-grades.yaml")
        ),
    ] {
        assert!(
            stdout.contains(&expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
    assert_eq!(stdout.lines().count(), 16, "{stdout}");
    assert!(
        !stdout.contains("good.yaml:"),
        "good.yaml has no problems:\n{stdout}"
    );
    assert!(
        !stdout.contains("fine.yaml:"),
        "fine.yaml has no problems:\n{stdout}"
    );
}

#[test]
fn check_of_the_bundled_catalogue_passes() {
    report(&repo())
        .args(["catalogue", "check"])
        .assert()
        .success()
        .stdout(predicates::str::contains("no problems"));
}

#[test]
fn search_lists_bullying_programmes_first_and_json_parses() {
    let assert = report(&repo())
        .args(["catalogue", "search", "mobning", "--format", "json"])
        .assert()
        .success();
    let hits: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(hits[0]["id"], "fri-for-mobberi");

    let assert = report(&repo())
        .args(["catalogue", "search", "ENSOM", "--format", "json"])
        .assert()
        .success();
    let hits: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let ids: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"ventilen"), "{ids:?}");
    for hit in hits.as_array().unwrap() {
        let text = serde_json::to_string(hit).unwrap().to_lowercase();
        assert!(text.contains("ensom"), "{text}");
    }

    // No match exits 1 in every format, as grep does.
    report(&repo())
        .args(["catalogue", "search", "zzzqqq"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "no intervention matches `zzzqqq`",
        ));
    report(&repo())
        .args(["catalogue", "search", "zzzqqq", "--format", "json"])
        .assert()
        .code(1)
        .stdout("[]\n");
}

#[test]
fn list_filters_and_prints_a_table() {
    let assert = report(&repo())
        .args([
            "catalogue",
            "list",
            "--theme",
            "rygning",
            "--age",
            "14",
            "--format",
            "json",
        ])
        .assert()
        .success();
    let listed: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let listed = listed.as_array().unwrap();
    assert!(listed.iter().any(|i| i["id"] == "x-it"));
    for i in listed {
        assert!(
            i["themes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "rygning")
        );
        // Stated ages include 14, or stated grades are those of 14-year-olds (grade g: ages
        // g + 6 to g + 7).
        let target = &i["target"];
        let (from, to) = match (target.get("age"), target.get("grades")) {
            (Some(age), _) => (age["from"].as_u64().unwrap(), age["to"].as_u64().unwrap()),
            (None, Some(grades)) => (
                grades["from"].as_u64().unwrap() + 6,
                grades["to"].as_u64().unwrap() + 7,
            ),
            (None, None) => panic!("{i} has neither ages nor grades"),
        };
        assert!((from..=to).contains(&14), "{i}");
    }

    report(&repo())
        .args(["catalogue", "list", "--type", "teaching-material"])
        .assert()
        .success()
        .stdout(predicates::str::contains("OM ALKOHOL"))
        .stdout(predicates::str::contains("intervention(s)"));

    report(&repo())
        .args(["catalogue", "list", "--theme", "mobbing"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "unknown theme `mobbing`; did you mean `mobning`?",
        ));
}

#[test]
fn show_prints_the_whole_fact_sheet() {
    report(&repo())
        .args(["catalogue", "show", "x-it"])
        .assert()
        .success()
        .stdout(predicates::str::contains("X:IT (x-it)"))
        .stdout(predicates::str::contains("Kræftens Bekæmpelse"))
        .stdout(predicates::str::contains("1. Røgfri skoletid"))
        // The PDF's labels (lib/fact-labels.yaml), not Rust names.
        .stdout(predicates::str::contains("Indsatstype"))
        .stdout(predicates::str::contains("Format "))
        .stdout(predicates::str::contains("OutputFormat").not());
    report(&repo())
        .args(["catalogue", "show", "x-itt"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean `x-it`?"));
}

#[test]
fn the_bundled_catalogue_works_from_any_directory() {
    let dir = tempfile::tempdir().unwrap();
    report(dir.path())
        .args(["catalogue", "show", "ventilen"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Ventilen"));
}

#[test]
fn schema_is_json_schema_with_the_theme_ids() {
    let assert = report(&repo())
        .args(["catalogue", "schema"])
        .assert()
        .success();
    let schema: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert!(
        schema["$schema"]
            .as_str()
            .unwrap()
            .contains("json-schema.org")
    );
    assert_eq!(schema["additionalProperties"], false);
    let themes = schema["$defs"]["ThemeId"]["enum"].as_array().unwrap();
    assert!(themes.iter().any(|t| t == "mobning"));
    let defs = &schema["$defs"];
    assert_eq!(defs["GradeRange"]["properties"]["to"]["maximum"], 10);
    assert!(defs["TargetGroup"]["properties"]["grades"].is_object());
    assert!(defs["Documentation"]["properties"]["source"].is_object());
    assert_eq!(defs["Source"]["required"], serde_json::json!(["title"]));
}

#[test]
fn factsheets_print_one_per_file_or_all_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ark");
    report(&repo())
        .args(["factsheet", "x-it", "ventilen", "--date", DATE, "-o"])
        .arg(&out)
        .assert()
        .success();
    // X:IT states grades, Ventilen ages.
    for (id, name, target) in [
        ("x-it", "X:IT", "Klassetrin 7.–9. klasse"),
        ("ventilen", "Ventilen", "Alder 15–30 år"),
    ] {
        let pages = pages(&out.join(format!("{id}.pdf")));
        assert_eq!(pages.len(), 1, "{id} is not one page");
        let text = flat(&pages[0]);
        for expected in [
            name,
            "Temaer",
            "Målgruppe",
            target,
            "Dokumentation (oplyst af udbyderen)",
            "Udbyder",
        ] {
            assert!(text.contains(expected), "{id}: no `{expected}` in {text}");
        }
    }

    let all = dir.path().join("alle.pdf");
    report(&repo())
        .args([
            "factsheet",
            "x-it",
            "pals",
            "ventilen",
            "--date",
            DATE,
            "-o",
        ])
        .arg(&all)
        .assert()
        .success();
    let pages = pages(&all);
    assert_eq!(pages.len(), 3);
    assert!(flat(&pages[1]).contains("PALS"));
}

#[test]
fn pick_without_a_terminal_fails_at_once() {
    let dir = tempfile::tempdir().unwrap();
    report(&repo())
        .args(["build", "--pick", "-o"])
        .arg(dir.path().join("r.pdf"))
        .write_stdin("")
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--pick needs an interactive terminal",
        ));
}

#[test]
fn interventions_from_flags_lists_and_files_keep_order_and_drop_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("indsatser.txt");
    std::fs::write(&list, "# til byrådet\nventilen\nx-it\n").unwrap();
    let out = dir.path().join("r.pdf");
    build(
        &out,
        &[
            "-i",
            "x-it",
            "--interventions",
            "pals,x-it",
            "--interventions-file",
            list.to_str().unwrap(),
        ],
    )
    .success();
    let pages = pages(&out);
    let appendix = last_page_with(&pages, "Inspiration til indsatser").unwrap();
    let names: Vec<&str> = pages[appendix..]
        .iter()
        .map(|page| {
            ["X:IT", "PALS", "Ventilen"]
                .into_iter()
                .find(|name| flat(page).contains(name))
                .unwrap()
        })
        .collect();
    assert_eq!(names, ["X:IT", "PALS", "Ventilen"]);
}

#[test]
fn build_refuses_a_broken_fact_sheet_but_not_an_unused_one() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = fixture("broken-catalogue");
    let catalogue = catalogue.to_str().unwrap();
    let out = dir.path().join("r.pdf");
    build(&out, &["-i", "bad-values", "--catalogue", catalogue])
        .code(2)
        .stderr(predicates::str::contains(
            "the fact sheet of `bad-values` has problems",
        ))
        .stderr(predicates::str::contains(
            "bad-values.yaml:4:19: unknown theme `flyvning`",
        ));
    assert!(!out.exists());

    build(&out, &["-i", "too-old-not", "--catalogue", catalogue])
        .code(2)
        .stderr(predicates::str::contains("did you mean `too-old`?"));

    // The other sheets' problems do not stop a report that uses a sound one.
    build(&out, &["-i", "fine", "--catalogue", catalogue]).success();
    assert!(flat(pages(&out).last().unwrap()).contains("En fin indsats"));
}

#[test]
fn every_bundled_fact_sheet_fits_on_one_page() {
    let assert = report(&repo())
        .args(["catalogue", "list", "--format", "json"])
        .assert()
        .success();
    let listed: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(ids.len() >= 25);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("alle.pdf");
    report(&repo())
        .args(["factsheet", "--date", DATE, "-o"])
        .arg(&out)
        .args(&ids)
        .assert()
        .success();
    assert_eq!(pages(&out).len(), ids.len());
}

/// A catalogue of the bundled themes and one sheet for grades 7–9 that states no ages, with a
/// sourced documentation level.
fn grades_catalogue() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo_path("catalogue/themes.yaml"),
        dir.path().join("themes.yaml"),
    )
    .unwrap();
    let sheet = r#"id: udskoling
name: Et forløb for udskolingen
summary: Et forløb for elever i udskolingen.
themes: [trivsel]
target:
  grades: {from: 7, to: 9}
  who: Elever i udskolingen
type: [class]
provider: {name: En forening, kind: ngo}
documentation:
  level: effect-reported
  source: {title: Evalueringsrapport om forløbet, url: "https://example.org/evaluering"}
description: Et helt almindeligt afsnit.
"#;
    std::fs::write(dir.path().join("udskoling.yaml"), sheet).unwrap();
    dir
}

#[test]
fn a_sheet_with_grades_only_is_found_by_the_usual_ages_of_its_pupils() {
    let catalogue = grades_catalogue();
    report(catalogue.path())
        .args(["catalogue", "check", "."])
        .assert()
        .success();
    let listed = |age: &str| -> Vec<serde_json::Value> {
        let assert = report(catalogue.path())
            .args(["catalogue", "--catalogue", ".", "list", "--age", age])
            .args(["--format", "json"])
            .assert()
            .success();
        let listed: serde_json::Value =
            serde_json::from_slice(&assert.get_output().stdout).unwrap();
        listed.as_array().unwrap().clone()
    };
    // 7.–9. klasse: pupils of 13 to 16.
    for age in ["13", "14", "16"] {
        let found = listed(age);
        assert_eq!(found.len(), 1, "--age {age}: {found:?}");
        assert_eq!(
            found[0]["target"]["grades"],
            serde_json::json!({"from": 7, "to": 9})
        );
        assert!(found[0]["target"].get("age").is_none(), "no age is made up");
    }
    for age in ["12", "17"] {
        assert!(listed(age).is_empty(), "--age {age}");
    }

    // The bundled X:IT states grades 7–9 only, and `--age 14` still finds it.
    let assert = report(&repo())
        .args(["catalogue", "list", "--age", "14", "--format", "json"])
        .assert()
        .success();
    let listed: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let x_it = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "x-it")
        .expect("x-it is listed for age 14");
    assert!(x_it["target"].get("age").is_none());
    assert_eq!(x_it["target"]["grades"]["from"], 7);
}

#[test]
fn grades_print_as_grades_and_the_documentation_source_is_named() {
    let catalogue = grades_catalogue();
    let dir = catalogue.path();
    let show = report(dir)
        .args(["catalogue", "--catalogue", ".", "show", "udskoling"])
        .assert()
        .success();
    let show = String::from_utf8_lossy(&show.get_output().stdout).into_owned();
    let flat_show = flat(&show);
    assert!(flat_show.contains("Klassetrin 7.–9. klasse"), "{show}");
    assert!(
        flat_show.contains("Kilde Evalueringsrapport om forløbet <https://example.org/evaluering>"),
        "{show}"
    );
    assert!(
        !show.contains("Alder"),
        "grades are not shown as ages:\n{show}"
    );
    assert!(!show.contains("13–16"), "{show}");

    for (lang, grades, label, source) in [
        (
            "da",
            "7.–9. klasse",
            "Klassetrin",
            "Kilde: Evalueringsrapport om forløbet",
        ),
        (
            "en",
            "grades 7–9",
            "Grades",
            "Source: Evalueringsrapport om forløbet",
        ),
    ] {
        let out = dir.join(format!("udskoling-{lang}.pdf"));
        report(dir)
            .args(["factsheet", "udskoling", "--catalogue", ".", "--lang", lang])
            .args(["--date", DATE, "-o"])
            .arg(&out)
            .assert()
            .success();
        let pages = pages(&out);
        assert_eq!(pages.len(), 1);
        // URLs may break after a slash (a zero-width space).
        let text = flat(&pages[0]).replace('\u{200B}', "");
        for expected in [label, grades, source, "example.org/evaluering"] {
            assert!(text.contains(expected), "{lang}: no `{expected}` in {text}");
        }
        for age in ["13–16", "13-16", "Alder", "years"] {
            assert!(!text.contains(age), "{lang}: `{age}` in {text}");
        }
    }
}
