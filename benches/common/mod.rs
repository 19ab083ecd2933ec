//! What the benchmarks share: the example codebook, the synthetic national survey, the
//! Danish report document and memory readings from /proc. (A directory module, so cargo does
//! not take it for a benchmark of its own.)

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

use report::Lang;
use report::aggregate::Summary;
use report::catalogue::Catalogue;
use report::catalogue::model::Intervention;
use report::date::ReportDate;
use report::render::document;
use report::survey::Codebook;

#[allow(dead_code)]
#[path = "../../examples/gen-survey.rs"]
mod gen_survey;

/// The date every benchmarked report carries.
pub const DATE: &str = "2026-11-22";

/// The example codebook.
pub fn codebook() -> Codebook {
    Codebook::load(Path::new("examples/udskoling.codebook.yaml")).unwrap()
}

/// Writes the synthetic national survey (`scale` × ~100,000 pupils) to `out`; returns its
/// number of rows.
pub fn national(codebook: &Codebook, scale: f64, out: impl Write) -> usize {
    let settings = gen_survey::Settings {
        seed: 2026,
        scale,
        only: Vec::new(),
    };
    gen_survey::generate(codebook, &settings, out).unwrap().0
}

/// The data of a Danish report without branding.
pub fn danish_report(
    codebook: &Codebook,
    summary: &Summary,
    interventions: &[&Intervention],
    catalogue: &Catalogue,
) -> document::Report {
    document::Report::new(
        codebook,
        summary,
        interventions,
        catalogue,
        &document::Presentation::default(),
        Lang::Da,
        DATE.parse::<ReportDate>().unwrap(),
    )
}

/// A memory figure (`key`, e.g. `VmRSS:`) of a /proc status file in MB; 0 if unreadable
/// (a process that has exited).
pub fn status_mb(status_file: &str, key: &str) -> f64 {
    let status = std::fs::read_to_string(status_file).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}
