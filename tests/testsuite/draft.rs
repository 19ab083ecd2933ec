//! `report codebook draft` and `report init` through the binary: a drafted codebook whose
//! TODOs are filled in validates against the data it came from, and neither command
//! overwrites what it should not.

use std::path::Path;

use crate::spss::fixture;
use crate::support::{repo, repo_path, report, stderr};

/// What a person does with a draft, done programmatically: every TODO text written.
fn fill_in(path: &Path) {
    let yaml = std::fs::read_to_string(path).unwrap();
    assert!(yaml.contains("\"TODO\""), "nothing to fill in:\n{yaml}");
    std::fs::write(path, yaml.replace("\"TODO\"", "\"Udfyldt\"")).unwrap();
}

#[test]
fn a_draft_filled_in_validates_against_its_csv_and_spss_data() {
    let dir = tempfile::tempdir().unwrap();
    for survey in [
        repo_path("examples/udskoling-2026-sample.csv"),
        fixture("udskoling-sample.sav"),
        fixture("udskoling-sample.zsav"),
    ] {
        let draft = dir.path().join("draft.yaml");
        let assert = report(&repo())
            .args(["codebook", "draft", "--force", "--out"])
            .arg(&draft)
            .arg("--survey")
            .arg(&survey)
            .assert()
            .success();
        let message = stderr(&assert);
        assert!(
            message.contains("texts to write (\"TODO\")")
                && message.contains("report validate --codebook"),
            "{message}"
        );
        fill_in(&draft);
        report(&repo())
            .args(["validate", "--codebook"])
            .arg(&draft)
            .arg("--survey")
            .arg(&survey)
            .assert()
            .success()
            .stdout(predicates::str::contains("0 error(s)"));
    }
}

#[test]
fn the_draft_is_printed_without_out_and_the_same_every_time() {
    let survey = fixture("udskoling-sample.sav");
    let run = || {
        report(&repo())
            .args(["codebook", "draft", "--survey"])
            .arg(&survey)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let first = run();
    assert_eq!(first, run());
    let text = String::from_utf8(first).unwrap();
    assert!(
        text.contains("text: \"Hvordan har du det for det meste?\""),
        "{text}"
    );
}

#[test]
fn the_draft_never_replaces_the_survey_nor_unasked_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let survey = dir.path().join("survey.csv");
    std::fs::copy(repo_path("examples/udskoling-2026-sample.csv"), &survey).unwrap();
    let before = std::fs::read(&survey).unwrap();
    for force in [false, true] {
        let mut command = report(dir.path());
        command.args(["codebook", "draft", "--survey", "survey.csv", "--out"]);
        // The survey by another spelling of its path.
        command.arg(dir.path().join(".").join("survey.csv"));
        if force {
            command.arg("--force");
        }
        let assert = command.assert().code(2);
        assert!(
            stderr(&assert).contains("is one of the job's inputs; it is not overwritten"),
            "{}",
            stderr(&assert)
        );
    }
    assert_eq!(std::fs::read(&survey).unwrap(), before);

    let edited = dir.path().join("codebook.yaml");
    std::fs::write(&edited, "# edited by hand\n").unwrap();
    let draft = |force: bool| {
        let mut command = report(dir.path());
        command.args([
            "codebook",
            "draft",
            "--survey",
            "survey.csv",
            "--out",
            "codebook.yaml",
        ]);
        if force {
            command.arg("--force");
        }
        command.assert()
    };
    let assert = draft(false).code(2);
    assert!(
        stderr(&assert).contains("codebook.yaml exists; it is not replaced (use --force"),
        "{}",
        stderr(&assert)
    );
    assert_eq!(
        std::fs::read_to_string(&edited).unwrap(),
        "# edited by hand\n"
    );
    draft(true).success();
    assert!(
        std::fs::read_to_string(&edited)
            .unwrap()
            .starts_with("# Codebook drafted")
    );
}

#[test]
fn init_with_a_survey_gives_a_project_that_validates_once_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("projekt");
    let assert = report(&repo())
        .arg("init")
        .arg(&project)
        .args(["--survey", "examples/udskoling-2026-sample.csv"])
        .assert()
        .success();
    assert!(
        stderr(&assert).contains("wrote report.yaml, invited.csv, codebook.yaml in"),
        "{}",
        stderr(&assert)
    );
    let config = std::fs::read_to_string(project.join("report.yaml")).unwrap();
    assert!(config.contains("survey: \"../"), "{config}");
    assert!(config.contains("# municipality: \"Favrskov\""), "{config}");
    let invited = std::fs::read_to_string(project.join("invited.csv")).unwrap();
    assert!(invited.starts_with("kommune,inviterede\n"), "{invited}");
    fill_in(&project.join("codebook.yaml"));
    // From anywhere: report.yaml's paths are relative to it.
    report(dir.path())
        .args(["validate", "--config"])
        .arg(project.join("report.yaml"))
        .assert()
        .success()
        .stdout(predicates::str::contains("Respondents: 4916"));

    // A second init leaves the project alone.
    let edited = std::fs::read(project.join("codebook.yaml")).unwrap();
    let assert = report(&repo())
        .arg("init")
        .arg(&project)
        .args(["--survey", "examples/udskoling-2026-sample.csv"])
        .assert()
        .code(2);
    assert!(
        stderr(&assert)
            .contains("already has report.yaml, invited.csv, codebook.yaml; nothing was written"),
        "{}",
        stderr(&assert)
    );
    assert_eq!(
        std::fs::read(project.join("codebook.yaml")).unwrap(),
        edited
    );
}

#[test]
fn init_without_a_survey_writes_the_project_file_and_the_invited_table() {
    let dir = tempfile::tempdir().unwrap();
    report(dir.path()).arg("init").assert().success();
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["invited.csv", "report.yaml"]);
    // The commented report.yaml is a valid project file: validate gets as far as asking for
    // the codebook and the survey it leaves to be named.
    report(dir.path())
        .arg("validate")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no codebook given"));
}
