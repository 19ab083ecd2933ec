//! `report batch`: every municipality's report from one survey file, rendered in parallel
//! by the library's batch runner ([`report::batch`]), with progress on the terminal and a
//! summary at the end.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::print_notices;
use crate::cli::BatchArgs;
use report::batch::{self, InterventionPlan, Outcome, Request, Status};
use report::project::Project;

/// Renders all reports of the data (or the selected ones) into `--out-dir`.
pub(super) fn batch(args: &BatchArgs, config: Option<PathBuf>) -> Result<ExitCode> {
    let started = Instant::now();
    let project = Project::open(&args.options(config))?;
    project.codebook()?;
    project.publications()?;
    let plan = match &args.interventions {
        Some(path) => batch::load_plan(path)?,
        None => InterventionPlan::default(),
    };
    project.catalogue()?;
    // Templates and standards are checked before the national survey is read.
    project.renderer()?;
    let level = args.level.into();
    let survey = project.read_survey(level)?;
    // Unknown names stop the batch, with their own message, unless allowed.
    print_notices(
        survey
            .notices
            .iter()
            .filter(|n| args.allow_unknown_names || n.unknown_name().is_none()),
    );

    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let jobs = args.jobs.map_or(cores, usize::from);
    let request = Request {
        out_dir: &args.out_dir,
        level,
        only: &args.only,
        shard: args.shard,
        plan: &plan,
        jobs,
        keep_going: args.keep_going,
        allow_unknown_names: args.allow_unknown_names,
        force: args.force,
        emit_typst: args.emit_typst.as_deref(),
        html: args.html,
        summary: args.summary.as_deref(),
        tables: args.tables_out.as_deref(),
    };
    let progress = Progress::new(args.quiet);
    let finished = batch::run(&project, &survey, &request, &progress)?;
    progress.finish();
    print_notices(&finished.notices);

    let outcomes = &finished.outcomes;
    let count = |status| outcomes.iter().filter(|o| o.status == status).count();
    let failed = count(Status::Failed);
    if !args.quiet {
        let warned = outcomes.iter().filter(|o| !o.warnings.is_empty()).count();
        eprintln!(
            "{} report(s): {} written, {} unchanged, {} skipped, {} failed{} in {:.1} s ({jobs} job(s))",
            outcomes.len(),
            count(Status::Written),
            count(Status::Unchanged),
            count(Status::Skipped),
            failed,
            if warned > 0 {
                format!(", {warned} with warnings")
            } else {
                String::new()
            },
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Progress on the terminal (a bar with count, rate and ETA), one line per report elsewhere
/// (CI logs), or nothing but errors with `--quiet`.
enum Progress {
    Bar(ProgressBar),
    Lines { done: Mutex<(usize, usize)> },
    Quiet,
}

impl Progress {
    fn new(quiet: bool) -> Progress {
        if quiet {
            Progress::Quiet
        } else if std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:40.cyan/blue} {pos}/{len} reports  {per_sec}  ETA {eta}  {msg}",
                )
                .expect("the progress template is valid")
                .progress_chars("█▉▊▋▌▍▎▏ "),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            Progress::Bar(bar)
        } else {
            Progress::Lines {
                done: Mutex::new((0, 0)),
            }
        }
    }

    fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

impl batch::Progress for Progress {
    fn start(&self, total: usize) {
        match self {
            Progress::Bar(bar) => bar.set_length(total as u64),
            Progress::Lines { done } => {
                done.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .1 = total;
            }
            Progress::Quiet => {}
        }
    }

    fn done(&self, outcome: &Outcome) {
        let reason = outcome.error.as_deref().unwrap_or(match outcome.status {
            Status::Skipped => "no reason given",
            _ => "unknown error",
        });
        let detail = match outcome.status {
            Status::Written => format!(
                "{} ({} pages, {} kB, {} ms)",
                outcome.file,
                outcome.pages.unwrap_or(0),
                outcome.bytes.unwrap_or(0).div_ceil(1024),
                outcome.milliseconds
            ),
            Status::Unchanged => format!("{} (unchanged)", outcome.file),
            Status::Skipped => format!("skipped: {reason}"),
            Status::Failed => format!("FAILED: {reason}"),
        };
        let unit = match &outcome.school {
            Some(school) => format!("{}, {school}", outcome.municipality),
            None => outcome.municipality.clone(),
        };
        let warnings = outcome
            .warnings
            .iter()
            .map(|warning| format!("{unit}: {warning}"));
        match self {
            Progress::Bar(bar) => {
                warnings.for_each(|warning| bar.println(warning));
                match outcome.status {
                    Status::Failed => {
                        bar.println(format!("error: {}: {reason}", outcome.municipality));
                    }
                    Status::Skipped => {
                        bar.println(format!("note: {}: {reason}", outcome.municipality));
                    }
                    Status::Written | Status::Unchanged => {}
                }
                bar.set_message(outcome.municipality.clone());
                bar.inc(1);
            }
            Progress::Lines { done } => {
                let mut done = done
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                done.0 += 1;
                let (count, total) = *done;
                eprintln!("[{count}/{total}] {}: {detail}", outcome.municipality);
                warnings.for_each(|warning| eprintln!("{warning}"));
            }
            Progress::Quiet => {
                if outcome.status == Status::Failed {
                    eprintln!("error: {}: {reason}", outcome.municipality);
                }
            }
        }
    }
}
