//! Fuzzing without nightly: proptest mutates a small seed corpus (`tests/fuzz/corpus`, plus
//! the example codebook, the SPSS test fixtures and bundled fact sheets) and feeds each input
//! to the library as the command line would. Every input must give a result or a clean
//! error, never a panic; a codebook drafted from any data must be a codebook.
//!
//! `cargo test --release --test fuzz` runs a short, deterministic pass (CI). For a real
//! campaign give it time; each target then runs with fresh random seeds until it is up:
//!
//! ```text
//! FUZZ_SECONDS=600 cargo test --release --test fuzz -- --test-threads 1 --nocapture
//! ```
//!
//! A failure prints the (shrunk) input; add it as a regression test beside the code it broke.

mod inputs;
mod mutate;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use report::aggregate::Level;
use report::catalogue::Catalogue;
use report::config::Config as ProjectFile;
use report::project::{Options, Project, Settings};
use report::survey::draft::draft;
use report::survey::{Codebook, Responses};

use inputs::{Cell, corpus, repo, spreadsheet};
use mutate::mutated;

/// Runs `test` on inputs from `strategy`: `FUZZ_CASES` cases (default `default_cases`) with a
/// fixed seed, or, with `FUZZ_SECONDS`, batches with fresh seeds until the time is up.
fn fuzz<S: Strategy>(
    name: &str,
    default_cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let env = |key: &str| std::env::var(key).ok().and_then(|v| v.parse::<u64>().ok());
    let cases = env("FUZZ_CASES").map_or(default_cases, |n| n as u32);
    let seconds = env("FUZZ_SECONDS").unwrap_or(0);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let started = Instant::now();
    let mut total = 0u64;
    loop {
        let mut runner = if seconds == 0 {
            TestRunner::new_with_rng(
                config.clone(),
                proptest::test_runner::TestRng::deterministic_rng(config.rng_algorithm),
            )
        } else {
            TestRunner::new(config.clone())
        };
        if let Err(failure) = runner.run(&strategy, &test) {
            panic!("fuzz target `{name}` failed after {total} cases: {failure}");
        }
        total += u64::from(cases);
        if started.elapsed() >= Duration::from_secs(seconds) {
            break;
        }
    }
    if seconds > 0 {
        eprintln!(
            "fuzz target `{name}`: {total} cases in {:.0} s, no failure",
            started.elapsed().as_secs_f64()
        );
    }
}

/// A file in a fresh temporary directory holding `bytes`.
fn file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// An empty report.yaml, so that the repository's own is not read.
fn empty_config(dir: &Path) -> PathBuf {
    let path = dir.join("empty.yaml");
    std::fs::write(&path, "{}\n").unwrap();
    path
}

/// Reads the survey in `path` against `codebook` as `report build` does (counted and
/// protected) and summarises the first municipality's report, if the data are clean.
fn survey_pipeline(path: &Path, codebook: &Path) -> Result<(), TestCaseError> {
    let dir = path.parent().unwrap();
    let options = Options {
        config: Some(empty_config(dir)),
        survey: vec![path.to_owned()],
        codebook: Some(codebook.to_owned()),
        date: Some("2026-11-22".parse().unwrap()),
        ..Options::default()
    };
    let project = Project::open(&options).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let Ok(survey) = project.read_survey(Level::Municipality) else {
        return Ok(());
    };
    if let Some(first) = survey.current.tally.municipalities().first() {
        let name = first.clone();
        let _ = project.report(&survey, report::project::Subject::Municipality(&name), &[]);
    }
    Ok(())
}

#[test]
fn survey_csv() {
    let seeds = corpus("survey");
    let codebook = repo().join("examples/udskoling.codebook.yaml");
    fuzz(
        "survey_csv",
        96,
        mutated(seeds, mutate::CSV_TOKENS),
        |bytes| {
            let (_dir, path) = file("survey.csv", &bytes);
            survey_pipeline(&path, &codebook)
        },
    );
}

/// The columns of `corpus/codebook/minimal.yaml`.
const MINIMAL_HEADER: [&str; 9] = [
    "id",
    "kommune",
    "skole",
    "koen",
    "klassetrin",
    "q01",
    "q02_1",
    "q02_2",
    "q03",
];

#[test]
fn survey_spreadsheet_cells() {
    let codebook = repo().join("tests/fuzz/corpus/codebook/minimal.yaml");
    let header = MINIMAL_HEADER;
    let rows = proptest::collection::vec(
        proptest::collection::vec(any::<Cell>(), header.len()),
        0..40,
    );
    fuzz("survey_spreadsheet_cells", 48, rows, |rows| {
        let bytes = spreadsheet(&header, &rows);
        let (_dir, path) = file("survey.xlsx", &bytes);
        survey_pipeline(&path, &codebook)
    });
}

#[test]
fn survey_spreadsheet_bytes() {
    let codebook = repo().join("tests/fuzz/corpus/codebook/minimal.yaml");
    let header = MINIMAL_HEADER;
    let seed = spreadsheet(
        &header,
        &[vec![
            Cell::Text("1".into()),
            Cell::Text("Odder".into()),
            Cell::Text("A".into()),
            Cell::Number(1.0),
            Cell::Number(7.0),
            Cell::Number(1.0),
            Cell::Number(1.0),
            Cell::Number(0.0),
            Cell::Number(8.5),
        ]],
    );
    fuzz(
        "survey_spreadsheet_bytes",
        64,
        mutated(vec![seed], &[]),
        |bytes| {
            let (_dir, path) = file("survey.xlsx", &bytes);
            let codebook = Codebook::load(&codebook).unwrap();
            let _ = Responses::read(std::slice::from_ref(&path), &codebook, None);
            Ok(())
        },
    );
}

/// A draft from any data, once its TODOs are written, must be a codebook.
fn draft_is_a_codebook(path: &Path) -> Result<(), TestCaseError> {
    if let Ok(draft) = draft(&[path.to_owned()], None, 2026) {
        let yaml = draft.yaml.replace("\"TODO\"", "\"Udfyldt\"");
        Codebook::parse(&yaml, Path::new("draft.yaml"))
            .map_err(|e| TestCaseError::fail(format!("{e}\n{yaml}")))?;
    }
    Ok(())
}

#[test]
fn survey_spss() {
    let fixtures = repo().join("tests/testsuite/fixtures/spss");
    let seeds = ["udskoling-sample.sav", "udskoling-sample.zsav"]
        .map(|name| std::fs::read(fixtures.join(name)).unwrap())
        .to_vec();
    let codebook = repo().join("examples/udskoling.codebook.yaml");
    fuzz("survey_spss", 48, mutated(seeds, &[]), |bytes| {
        let (_dir, path) = file("survey.sav", &bytes);
        survey_pipeline(&path, &codebook)?;
        draft_is_a_codebook(&path)
    });
}

#[test]
fn codebook_draft() {
    let seeds = corpus("survey");
    fuzz(
        "codebook_draft",
        96,
        mutated(seeds, mutate::CSV_TOKENS),
        |bytes| {
            let (_dir, path) = file("survey.csv", &bytes);
            draft_is_a_codebook(&path)
        },
    );
}

#[test]
fn codebook() {
    let mut seeds = corpus("codebook");
    seeds.push(std::fs::read(repo().join("examples/udskoling.codebook.yaml")).unwrap());
    seeds.push(std::fs::read(repo().join("examples/unge.codebook.yaml")).unwrap());
    fuzz(
        "codebook",
        128,
        mutated(seeds, mutate::YAML_TOKENS),
        |bytes| {
            let text = String::from_utf8_lossy(&bytes);
            if let Ok(codebook) = Codebook::parse(&text, Path::new("codebook.yaml")) {
                // A codebook that loads must also take a survey file without panicking.
                let (dir, path) = file("codebook.yaml", text.as_bytes());
                let survey = dir.path().join("survey.csv");
                let background = &codebook.background;
                let mut columns = vec![background.municipality.clone()];
                columns.extend(background.breakdowns.iter().map(|b| b.column.clone()));
                columns.extend(
                    codebook
                        .questions()
                        .flat_map(report::survey::Question::columns),
                );
                let row = vec!["1"; columns.len()].join(",");
                std::fs::write(&survey, format!("{}\n{row}\n", columns.join(","))).unwrap();
                survey_pipeline(&survey, &path)?;
            }
            Ok(())
        },
    );
}

#[test]
fn factsheet() {
    let seeds: Vec<Vec<u8>> = ["x-it", "pals", "headspace", "klub-move"]
        .iter()
        .map(|id| std::fs::read(repo().join(format!("catalogue/interventions/{id}.yaml"))).unwrap())
        .collect();
    let themes = std::fs::read(repo().join("catalogue/themes.yaml")).unwrap();
    fuzz(
        "factsheet",
        48,
        mutated(seeds, mutate::YAML_TOKENS),
        |bytes| {
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir_all(dir.path().join("interventions")).unwrap();
            std::fs::write(dir.path().join("themes.yaml"), &themes).unwrap();
            // Named by its id, as the catalogue expects (else the sheet only tests that check).
            let id = String::from_utf8_lossy(&bytes)
                .lines()
                .find_map(|line| {
                    line.strip_prefix("id:")
                        .map(|id| id.trim().trim_matches('"').to_owned())
                })
                .filter(|id| {
                    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
                .unwrap_or_else(|| "sheet".to_owned());
            std::fs::write(dir.path().join(format!("interventions/{id}.yaml")), &bytes).unwrap();
            let Ok(catalogue) = Catalogue::load(dir.path()) else {
                return Ok(());
            };
            if !catalogue.findings().is_empty() {
                return Ok(());
            }
            // A sheet that passes the checks must print (or be refused with a clean error).
            let options = Options {
                config: Some(empty_config(dir.path())),
                catalogue: Some(dir.path().to_owned()),
                date: Some("2026-11-22".parse().unwrap()),
                ..Options::default()
            };
            let project =
                Project::open(&options).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let sheet = project.catalogue().unwrap().find(&id);
            if let Ok(sheet) = sheet {
                let _ = project.factsheets(&[sheet], "fuzz");
            }
            Ok(())
        },
    );
}

#[test]
fn project_file() {
    let seeds = corpus("config");
    fuzz(
        "project_file",
        128,
        mutated(seeds, mutate::YAML_TOKENS),
        |bytes| {
            let (_dir, path) = file("report.yaml", &bytes);
            if let Ok(config) = ProjectFile::load(&path) {
                let _ = Settings::resolve(&Options::default(), &config);
            }
            Ok(())
        },
    );
}
