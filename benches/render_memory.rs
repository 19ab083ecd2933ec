//! Memory of rendering many reports in one process: renders 1,000 reports (the 98
//! municipalities of the synthetic national survey over and over, each with three fact
//! sheets) on two threads, as `report batch --jobs 2` does, and prints the resident memory
//! after 100 and after 1,000 reports. Run with `cargo bench --bench render_memory`.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use report::Lang;
use report::aggregate::{Options, Tally, summarise};
use report::catalogue::Catalogue;
use report::date::ReportDate;
use report::render::{Renderer, document};
use report::survey::{Codebook, Responses};

#[allow(dead_code)]
#[path = "../examples/gen-survey.rs"]
mod gen_survey;

const REPORTS: usize = 1000;
const THREADS: usize = 2;

/// The process's resident set size in MB, from /proc.
fn resident_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let codebook = Codebook::load(Path::new("examples/udskoling.codebook.yaml")).unwrap();
    let mut file = tempfile::NamedTempFile::new().unwrap();
    let settings = gen_survey::Settings {
        seed: 2026,
        scale: 1.0,
        only: Vec::new(),
    };
    gen_survey::generate(&codebook, &settings, &mut file).unwrap();
    let (responses, _) = Responses::read(&[file.path().to_owned()], &codebook, None).unwrap();
    let tally = Tally::count(&codebook, &responses);
    let catalogue = Catalogue::bundled();
    let interventions = catalogue
        .select(["fri-for-mobberi", "ventilen", "x-it"])
        .unwrap();
    let date: ReportDate = "2026-11-22".parse().unwrap();
    let renderer = Renderer::new();
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(THREADS)
        .build_global();

    let municipalities = tally.municipalities().len();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let after_100 = Mutex::new(0.0);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                while next.fetch_add(1, Ordering::Relaxed) < REPORTS {
                    let index = done.load(Ordering::Relaxed) % municipalities;
                    let summary = summarise(&codebook, &tally, index, None, Options::default());
                    let data = document::Report::new(
                        &codebook,
                        &summary,
                        &interventions,
                        &catalogue,
                        &document::Presentation::default(),
                        Lang::Da,
                        date,
                    );
                    renderer.report(&data, &[], date, "bench").unwrap();
                    comemo::evict(0);
                    if done.fetch_add(1, Ordering::Relaxed) + 1 == 100 {
                        *after_100.lock().unwrap() = resident_mb();
                    }
                }
            });
        }
    });
    let (first, last) = (*after_100.lock().unwrap(), resident_mb());
    println!(
        "{REPORTS} reports on {THREADS} threads in {:.1} s; resident memory after 100: {first:.0} MB, after {REPORTS}: {last:.0} MB ({:+.1} %)",
        started.elapsed().as_secs_f64(),
        (last / first - 1.0) * 100.0
    );
}
