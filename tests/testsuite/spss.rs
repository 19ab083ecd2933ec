//! SPSS system files as survey input: the fixtures in `fixtures/spss/` are every 17th
//! respondent of the example survey as it was generated without school effects
//! ([`flat_sample`]), written with labels and user-missing values by ReadStat
//! (`fixtures/spss/make.py`), and must give exactly the figures of the same rows as CSV.

use std::path::{Path, PathBuf};

use crate::support::{DATE, flat_sample, repo, repo_path, report};

/// Which respondents of the example the fixtures hold (`EVERY` in make.py).
const EVERY: usize = 17;

pub(crate) fn fixture(name: &str) -> PathBuf {
    repo_path(&format!("tests/testsuite/fixtures/spss/{name}"))
}

/// The rows of the fixtures, as CSV.
fn same_rows_as_csv(dir: &Path) -> PathBuf {
    let csv = std::fs::read_to_string(flat_sample()).unwrap();
    let mut lines = csv.lines();
    let mut text = format!("{}\n", lines.next().unwrap());
    for line in lines.step_by(EVERY) {
        text.push_str(line);
        text.push('\n');
    }
    let path = dir.join("same-rows.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// The bytes `report build --data-out` writes for `survey`.
fn figures(survey: &Path, municipality: &str, dir: &Path) -> Vec<u8> {
    let json = dir.join(format!(
        "{}.json",
        survey.file_name().unwrap().to_string_lossy()
    ));
    report(&repo())
        .args(["build", "--date", DATE, "-m", municipality, "--survey"])
        .arg(survey)
        .arg("-o")
        .arg(dir.join("r.pdf"))
        .arg("--data-out")
        .arg(&json)
        .assert()
        .success();
    std::fs::read(&json).unwrap()
}

#[test]
fn sav_and_zsav_give_the_figures_of_the_same_rows_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = same_rows_as_csv(dir.path());
    for municipality in ["Favrskov", "Silkeborg"] {
        let expected = figures(&csv, municipality, dir.path());
        for name in ["udskoling-sample.sav", "udskoling-sample.zsav"] {
            let got = figures(&fixture(name), municipality, dir.path());
            assert!(
                got == expected,
                "{name} gives other figures for {municipality} than the same rows as CSV"
            );
        }
    }
}

#[test]
fn validate_names_the_spss_file_and_its_cases() {
    let sav = fixture("udskoling-sample.sav");
    report(&repo())
        .args(["validate", "--survey"])
        .arg(&sav)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "SPSS, bytecode-compressed, UTF-8, 290 rows",
        ))
        .stdout(predicates::str::contains("Respondents: 290"));

    // 99 is declared user-missing in the file; a codebook without it under `missing:` does
    // not know the code, and the message says on which case it is.
    let dir = tempfile::tempdir().unwrap();
    let codebook = std::fs::read_to_string(repo_path("examples/udskoling.codebook.yaml"))
        .unwrap()
        .replace(
            r#"missing: {98: {da: "Ved ikke", en: "Don't know"}, 99: {da: "Ønsker ikke at svare", en: "Prefer not to say"}}"#,
            r#"missing: {98: {da: "Ved ikke", en: "Don't know"}}"#,
        );
    let codebook_path = dir.path().join("codebook.yaml");
    std::fs::write(&codebook_path, codebook).unwrap();
    let assert = report(&repo())
        .args(["validate", "--codebook"])
        .arg(&codebook_path)
        .arg("--survey")
        .arg(&sav)
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let expected = format!(
        "error: {}, column `q55`: codes not in the codebook (allowed: 1, 2, 3, 4, 98) \
         (2×: `99` on case 213, `99` on case 282)",
        sav.display()
    );
    assert!(stdout.contains(&expected), "no `{expected}` in:\n{stdout}");
}

#[test]
fn a_damaged_spss_file_is_a_clean_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fixture("udskoling-sample.sav")).unwrap();
    for (name, bytes) in [
        ("truncated.sav", &bytes[..1000]),
        ("text.zsav", b"kommune,q01\nOdder,1\n".as_slice()),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let assert = report(&repo())
            .args(["validate", "--survey"])
            .arg(&path)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(
            stderr.contains(&format!("{}: cannot read the SPSS file", path.display())),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
