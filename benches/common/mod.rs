//! What the benchmarks share: the example codebook, the synthetic national survey, the
//! project of a Danish report and memory readings from /proc. (A directory module, so cargo does
//! not take it for a benchmark of its own.)

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

use report::config::Config;
use report::date::ReportDate;
use report::project::{Options, Project, Settings};
use report::survey::Codebook;

#[allow(dead_code, unreachable_pub)]
#[path = "../../examples/gen-survey.rs"]
mod gen_survey;

/// The date every benchmarked report carries.
pub(crate) const DATE: &str = "2026-11-22";

/// The example codebook.
pub(crate) fn codebook() -> Codebook {
    Codebook::load(Path::new("examples/udskoling.codebook.yaml")).unwrap()
}

/// Writes the synthetic national survey (`scale` × ~100,000 pupils) to `out`; returns its
/// number of rows.
pub(crate) fn national(codebook: &Codebook, scale: f64, out: impl Write) -> usize {
    let settings = gen_survey::Settings {
        seed: 2026,
        school_spread: gen_survey::SCHOOL_SPREAD,
        scale,
        only: Vec::new(),
    };
    gen_survey::generate(codebook, &settings, out).unwrap().0
}

/// The project of a Danish report of `survey` against the example codebook, without
/// branding and with the bundled catalogue, as `report build --date DATE` would set it up.
pub(crate) fn project(survey: &Path) -> Project {
    let options = Options {
        survey: vec![survey.to_owned()],
        codebook: Some("examples/udskoling.codebook.yaml".into()),
        date: Some(DATE.parse::<ReportDate>().unwrap()),
        ..Options::default()
    };
    Project::with_settings(Settings::resolve(&options, &Config::default()).unwrap())
}

/// A memory figure (`key`, e.g. `VmRSS:`) of a /proc status file in MB; 0 if unreadable
/// (a process that has exited).
pub(crate) fn status_mb(status_file: &str, key: &str) -> f64 {
    let status = std::fs::read_to_string(status_file).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}
