//! `report batch` on the synthetic national survey (98 municipalities, ~100,000 pupils, the
//! example codebook, three fact sheets per report) with one and two jobs, side by side with
//! the same documents (from `--emit-typst`) compiled by the typst CLI, one process per report,
//! one and two at a time. Prints wall time and peak memory of each and the ratios, and checks
//! that one and two jobs write identical files.
//!
//! Run with `cargo bench --bench batch`; `BENCH_ROUNDS=3` repeats every measurement
//! (interleaved, so drift on a shared machine hits both sides) and reports the medians. The
//! typst CLI part runs when `typst` (0.15) is on PATH.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The job counts measured, and the names of our run and the typst CLI's with as many at once.
const RUNS: [(usize, &str, &str); 2] = [
    (1, "report batch --jobs 1", "typst CLI, 1 at a time"),
    (2, "report batch --jobs 2", "typst CLI, 2 at a time"),
];

/// 2026-11-22 as the CLI's `--creation-timestamp`.
const TIMESTAMP: &str = "1795305600";

/// Wall time and the peak resident memory of the largest process.
#[derive(Clone, Copy)]
struct Measurement {
    wall: Duration,
    peak_mb: f64,
}

/// The peak resident memory of a running process in MB (0 once it has exited).
fn peak_mb(pid: u32) -> f64 {
    common::status_mb(&format!("/proc/{pid}/status"), "VmHWM:")
}

/// Runs commands, at most `parallel` at a time, and measures them as one job. Peak memory is
/// polled every few milliseconds, which is exact for the high-water mark of a process that
/// does not grow in its last milliseconds.
fn measure(commands: Vec<Command>, parallel: usize) -> Measurement {
    let started = Instant::now();
    let mut pending = commands.into_iter();
    let mut running: Vec<Child> = Vec::new();
    let mut peak: f64 = 0.0;
    loop {
        while running.len() < parallel {
            let Some(mut command) = pending.next() else {
                break;
            };
            running.push(
                command
                    .stdout(Stdio::null())
                    .spawn()
                    .expect("the command starts"),
            );
        }
        if running.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(3));
        running.retain_mut(|child| {
            peak = peak.max(peak_mb(child.id()));
            match child.try_wait().expect("the command can be waited for") {
                Some(status) => {
                    assert!(status.success(), "a measured command failed");
                    false
                }
                None => true,
            }
        });
    }
    Measurement {
        wall: started.elapsed(),
        peak_mb: peak,
    }
}

fn batch(data: &Path, plan: &Path, out: &Path, jobs: usize) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_report"));
    command
        .args([
            "batch",
            "--quiet",
            "--force",
            "--date",
            common::DATE,
            "--jobs",
        ])
        .arg(jobs.to_string())
        .arg("--survey")
        .arg(data)
        .args([
            "--codebook",
            "examples/udskoling.codebook.yaml",
            "--interventions",
        ])
        .arg(plan)
        .arg("--out-dir")
        .arg(out);
    command
}

/// One `typst compile` per emitted project, as a script would run them.
fn typst_cli(projects: &Path, out: &Path) -> Vec<Command> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(projects)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("basisrapport.typ").is_file())
        .collect();
    names.sort();
    std::fs::create_dir_all(out).unwrap();
    names
        .iter()
        .map(|project| {
            let mut command = Command::new("typst");
            command
                .args([
                    "compile",
                    "--features",
                    "a11y-extras",
                    "--pdf-standard",
                    "ua-1",
                ])
                .args(["--ignore-system-fonts", "--creation-timestamp", TIMESTAMP])
                .arg("--root")
                .arg(project)
                .arg("--font-path")
                .arg(projects.join("fonts"))
                .arg(project.join("basisrapport.typ"))
                .arg(out.join(project.file_name().unwrap()).with_extension("pdf"));
            command
        })
        .collect()
}

fn median(mut values: Vec<Measurement>) -> Measurement {
    values.sort_by_key(|m| m.wall);
    values[values.len() / 2]
}

fn same_files(a: &Path, b: &Path) -> bool {
    let pdfs = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&p).unwrap())
            })
            .collect()
    };
    pdfs(a) == pdfs(b)
}

fn main() {
    // `cargo bench` passes `--bench`; there is nothing to filter.
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("national.csv");
    let rows = common::national(
        &common::codebook(),
        1.0,
        std::fs::File::create(&data).unwrap(),
    );
    let plan = dir.path().join("plan.yaml");
    std::fs::write(&plan, "default: [fri-for-mobberi, ventilen, x-it]\n").unwrap();
    let projects = dir.path().join("projects");
    let status = batch(&data, &plan, &dir.path().join("unused"), 2)
        .arg("--emit-typst")
        .arg(&projects)
        .status()
        .unwrap();
    assert!(status.success());
    let cli = Command::new("typst")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());

    let mut results: BTreeMap<&str, Vec<Measurement>> = BTreeMap::new();
    for round in 0..rounds {
        eprintln!("round {} of {rounds}", round + 1);
        for (jobs, ours, theirs) in RUNS {
            let out = dir.path().join(format!("jobs-{jobs}"));
            let m = measure(vec![batch(&data, &plan, &out, jobs)], 1);
            results.entry(ours).or_default().push(m);
            if cli {
                let m = measure(typst_cli(&projects, &dir.path().join("cli")), jobs);
                results.entry(theirs).or_default().push(m);
            }
        }
    }
    let identical = same_files(&dir.path().join("jobs-1"), &dir.path().join("jobs-2"));

    println!("\n98 reports from {rows} respondents, {rounds} round(s):\n");
    println!("| job | wall (median) | wall (all rounds) | peak memory |");
    println!("|---|---:|---:|---:|");
    let mut medians: BTreeMap<&str, Measurement> = BTreeMap::new();
    for (name, all) in results {
        let walls: Vec<String> = all
            .iter()
            .map(|m| format!("{:.1}", m.wall.as_secs_f64()))
            .collect();
        let m = median(all);
        println!(
            "| {name} | {:.1} s | {} s | {:.0} MB |",
            m.wall.as_secs_f64(),
            walls.join(" / "),
            m.peak_mb
        );
        medians.insert(name, m);
    }
    for (_, ours, theirs) in RUNS {
        if let (Some(a), Some(b)) = (medians.get(ours), medians.get(theirs)) {
            println!(
                "\n{theirs} / {ours}: {:.2}×",
                b.wall.as_secs_f64() / a.wall.as_secs_f64()
            );
        }
    }
    if !cli {
        println!("\n(typst is not on PATH: no CLI comparison)");
    }
    println!("\n--jobs 1 and --jobs 2 wrote identical files: {identical}");
    assert!(identical);
}
