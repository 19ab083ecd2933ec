//! The exact words and exit code of a dozen broken inputs (docs/ci.md lists the codes), as an analyst sees them: each
//! case runs the binary in a directory of its own (so paths are short and stable) and
//! snapshots its standard error.

use std::path::Path;

use crate::support::{DATE, repo_path, report};

/// Runs `report ARGS…` in a directory holding the example codebook (`c.yaml`), the sample
/// survey (`s.csv`) and whatever `setup` adds or changes; returns "exit N", the stderr and
/// any stdout (where `catalogue check` lists its findings).
fn run(setup: impl FnOnce(&Path), args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo_path("examples/udskoling.codebook.yaml"),
        dir.path().join("c.yaml"),
    )
    .unwrap();
    std::fs::copy(
        repo_path("examples/udskoling-2026-sample.csv"),
        dir.path().join("s.csv"),
    )
    .unwrap();
    setup(dir.path());
    let output = report(dir.path()).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    format!(
        "exit {}\n{}{}{stdout}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr),
        if stdout.is_empty() {
            ""
        } else {
            "--- stdout\n"
        },
    )
}

/// `report build` of Odder from `s.csv` and `c.yaml` with extra arguments.
fn build(setup: impl FnOnce(&Path), extra: &[&str]) -> String {
    let mut args = vec![
        "build",
        "--date",
        DATE,
        "--survey",
        "s.csv",
        "--codebook",
        "c.yaml",
        "-m",
        "Odder",
        "-o",
        "r.pdf",
    ];
    args.extend_from_slice(extra);
    run(setup, &args)
}

/// Changes `file` in `dir` by replacing `from` with `to` (which must occur).
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} is not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn nothing(_: &Path) {}

#[test]
fn a_csv_row_with_too_few_fields() {
    let stderr = build(
        |dir| {
            let mut text = std::fs::read_to_string(dir.join("s.csv")).unwrap();
            text.push_str("0751-999999,Odder,Skole 01,8,1,2\n");
            std::fs::write(dir.join("s.csv"), text).unwrap();
        },
        &[],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn an_answer_code_the_codebook_does_not_know() {
    let stderr = build(
        |dir| {
            edit(
                dir,
                "s.csv",
                "0740-000001,Silkeborg,Skole 05,8,1,2,",
                "0740-000001,Silkeborg,Skole 05,8,1,7,",
            );
        },
        &[],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_codebook_that_is_not_yaml() {
    let stderr = build(|dir| edit(dir, "c.yaml", "themes:", "themes: [\n"), &[]);
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_codebook_key_that_does_not_exist() {
    let stderr = build(
        |dir| {
            edit(
                dir,
                "c.yaml",
                "        positive: [1, 2]\n",
                "        postive: [1, 2]\n",
            );
        },
        &[],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn an_unknown_intervention_id() {
    insta::assert_snapshot!(build(nothing, &["-i", "fri-for-mobbery"]));
}

#[test]
fn an_unknown_municipality() {
    insta::assert_snapshot!(run(
        nothing,
        &[
            "build",
            "--survey",
            "s.csv",
            "--codebook",
            "c.yaml",
            "-m",
            "Oder",
            "-o",
            "r.pdf"
        ]
    ));
}

#[test]
fn a_survey_file_that_does_not_exist() {
    insta::assert_snapshot!(run(
        nothing,
        &[
            "build",
            "--survey",
            "nope.csv",
            "--codebook",
            "c.yaml",
            "-m",
            "Odder"
        ]
    ));
}

#[test]
fn a_report_yaml_key_that_does_not_exist() {
    let stderr = run(
        |dir| std::fs::write(dir.join("report.yaml"), "survey: s.csv\ncodebok: c.yaml\n").unwrap(),
        &["build", "-m", "Odder", "-o", "r.pdf"],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn an_output_that_is_an_input() {
    let stderr = run(
        nothing,
        &[
            "build",
            "--survey",
            "s.csv",
            "--codebook",
            "c.yaml",
            "-m",
            "Odder",
            "-o",
            "s.csv",
        ],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn an_unknown_comparison() {
    insta::assert_snapshot!(build(nothing, &["--compare", "naboer"]));
}

#[test]
fn a_fact_sheet_with_a_yaml_mistake() {
    let stderr = run(
        |dir| {
            let sheets = dir.join("cat/interventions");
            std::fs::create_dir_all(&sheets).unwrap();
            std::fs::copy(
                repo_path("catalogue/themes.yaml"),
                dir.join("cat/themes.yaml"),
            )
            .unwrap();
            std::fs::write(sheets.join("x.yaml"), "id: x\nname: [X\n").unwrap();
        },
        &["catalogue", "check", "--catalogue", "cat"],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_number_of_jobs_that_is_not_one() {
    insta::assert_snapshot!(run(
        nothing,
        &[
            "batch",
            "--survey",
            "s.csv",
            "--codebook",
            "c.yaml",
            "--jobs",
            "0",
            "--out-dir",
            "out"
        ]
    ));
}
