//! Memory of rendering many reports in one process: renders 1,000 reports (the 98
//! municipalities of the synthetic national survey over and over, each with three fact
//! sheets) on two threads, as `report batch --jobs 2` does, and prints the resident memory
//! after 100 and after 1,000 reports. Run with `cargo bench --bench render_memory`.

mod common;

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

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
    let project = common::project(file.path());
    let survey = project
        .read_survey(report::aggregate::Level::Municipality)
        .unwrap();
    let interventions = project
        .catalogue()
        .unwrap()
        .select(["fri-for-mobberi", "ventilen", "x-it"])
        .unwrap();
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(THREADS)
        .build_global();

    let municipalities = survey.current.tally.municipalities().len();
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
                    let report = project
                        .report_of(
                            &survey,
                            report::aggregate::UnitRef::Municipality(index),
                            &interventions,
                        )
                        .unwrap();
                    project.render(&report).unwrap();
                    comemo::evict(report::batch::MEMO_AGE);
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
