//! `report catalogue …` and `report factsheet …`, and picking fact sheets on `report build`.

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
    ] {
        assert!(
            stdout.contains(&expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
    assert_eq!(stdout.lines().count(), 13, "{stdout}");
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
        let (from, to) = (
            i["target"]["age"]["from"].as_u64().unwrap(),
            i["target"]["age"]["to"].as_u64().unwrap(),
        );
        assert!((from..=to).contains(&14));
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
        .stdout(predicates::str::contains("1. Røgfri skoletid"));
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
    for (id, name) in [("x-it", "X:IT"), ("ventilen", "Ventilen")] {
        let pages = pages(&out.join(format!("{id}.pdf")));
        assert_eq!(pages.len(), 1, "{id} is not one page");
        let text = flat(&pages[0]);
        for expected in [
            name,
            "Temaer",
            "Målgruppe",
            "Alder",
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
    let names: Vec<&str> = pages[appendix + 1..]
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
