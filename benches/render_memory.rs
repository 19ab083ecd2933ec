//! Memory of rendering many reports in one process: renders 1,000 reports (the 98
//! municipalities of the synthetic national survey over and over, each with three fact
//! sheets) on two threads, as `report batch --jobs 2` does, and prints the resident memory
//! after 100 and after 1,000 reports. Run with `cargo bench --bench render_memory`.

mod common;

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use report::aggregate::{DEFAULT_MIN_CELL, Pattern, Tally, summarise};
use report::catalogue::Catalogue;
use report::date::ReportDate;
use report::render::Renderer;
use report::survey::Responses;

const REPORTS: usize = 1000;
const THREADS: usize = 2;

/// The process's resident set size in MB.
fn resident_mb() -> f64 {
    common::status_mb("/proc/self/status", "VmRSS:")
}

fn main() {
    let codebook = common::codebook();
    let mut file = tempfile::NamedTempFile::new().unwrap();
    common::national(&codebook, 1.0, &mut file);
    let (responses, _) = Responses::read(&[file.path().to_owned()], &codebook, None).unwrap();
    let tally = Tally::count(&codebook, &responses);
    let pattern = Pattern::of(&tally, DEFAULT_MIN_CELL);
    let catalogue = Catalogue::bundled();
    let interventions = catalogue
        .select(["fri-for-mobberi", "ventilen", "x-it"])
        .unwrap();
    let date: ReportDate = common::DATE.parse().unwrap();
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
                loop {
                    let ticket = next.fetch_add(1, Ordering::Relaxed);
                    if ticket >= REPORTS {
                        break;
                    }
                    let index = ticket % municipalities;
                    let summary = summarise(&codebook, &tally, &pattern, index, None).unwrap();
                    let data =
                        common::danish_report(&codebook, &summary, &interventions, &catalogue);
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
