//! `report batch`: every municipality's report from one national data set. The data are
//! read and counted once; reports are rendered in parallel by one shared renderer (fonts,
//! library and parsed templates loaded once), with typst's memo cache bounded so memory stays
//! flat; reports whose inputs have not changed since the last run are skipped.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::data::SurveyInput;
use super::report::{Settings, report_name};
use super::{load_catalogue, renderer};
use crate::aggregate::{Pattern, Tally};
use crate::batch::{Fingerprinter, InterventionPlan, Manifest, Outcome, Status};
use crate::catalogue::Catalogue;
use crate::cli::BatchArgs;
use crate::config::Config;
use crate::finding::Finding;
use crate::output::{write_atomically, write_files};
use crate::render::templates::Template;
use crate::render::{Asset, Renderer, fonts};
use crate::survey::Codebook;

/// How many documents a memoized result may go unused before typst's cache drops it: enough
/// to keep the evaluated templates shared by every report, small enough to keep memory flat.
const MEMO_AGE: usize = 0;

/// Everything a report needs that is the same for every municipality.
struct Job<'a> {
    codebook: &'a Codebook,
    tally: &'a Tally,
    pattern: &'a Pattern,
    settings: &'a Settings,
    catalogue: &'a Catalogue,
    plan: &'a InterventionPlan,
    renderer: &'a Renderer,
    fingerprints: Fingerprinter,
    out_dir: &'a Path,
    emit_typst: Option<&'a Path>,
    manifest: &'a Manifest,
    force: bool,
}

/// A rendered report's fingerprint, to record in the manifest.
type Fingerprint = Option<(String, String)>;

/// Renders all reports of the data (or the selected ones) into `--out-dir`.
pub fn batch(args: &BatchArgs, config: &Config) -> Result<ExitCode> {
    let started = Instant::now();
    let input = SurveyInput::resolve(&args.survey, config)?;
    let codebook = Codebook::load(&input.codebook)?;
    let plan = match &args.interventions {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            InterventionPlan::parse(&text)
                .map_err(|error| anyhow::anyhow!("{}", Finding::of_yaml(path, &error)))?
        }
        None => InterventionPlan::default(),
    };
    let catalogue = load_catalogue(args.catalogue.as_deref(), config)?.0;
    // Templates and standards are checked before the national survey is read.
    let renderer = renderer(&args.report.render, config)?;
    let tally = Tally::count(&codebook, &input.read_for_report(&codebook)?);
    let settings = Settings::resolve(&args.report, config, &input, &codebook)?;
    let pattern = Pattern::of(&tally, settings.min_cell);
    settings.warn_about_invited(tally.municipalities());
    for name in plan.unknown_names(tally.municipalities()) {
        eprintln!("warning: `{name}` in the interventions file is not a municipality in the data");
    }

    let selected = select(&tally, &args.only, args.shard)?;
    let out_dir = args.out_dir.as_path();
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    let manifest = read_manifest(out_dir);
    if let Some(dir) = &args.emit_typst {
        write_typst_support(dir)?;
    }
    let job = Job {
        codebook: &codebook,
        tally: &tally,
        pattern: &pattern,
        settings: &settings,
        catalogue: &catalogue,
        plan: &plan,
        renderer: &renderer,
        fingerprints: Fingerprinter::new(&renderer, &settings.assets),
        out_dir,
        emit_typst: args.emit_typst.as_deref(),
        manifest: &manifest,
        force: args.force,
    };

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = args.jobs.map_or(cores, usize::from);
    // Typst lays out page runs and compresses PDF streams on rayon's global pool, one thread
    // per core whatever the number of jobs (as the typst CLI does); documents run on their
    // own threads, so a document waiting for its rayon work never blocks the worker that
    // would do it.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(cores)
        .build_global();
    let progress = Progress::new(selected.len(), args.quiet);
    let stop = AtomicBool::new(false);
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<(Outcome, Fingerprint)>>> =
        selected.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(selected.len()) {
            scope.spawn(|| {
                loop {
                    let position = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&municipality) = selected.get(position) else {
                        break;
                    };
                    let result = if stop.load(Ordering::Relaxed) {
                        let name = &tally.municipalities()[municipality];
                        (cancelled(name, codebook.round), None)
                    } else {
                        job.run(municipality)
                    };
                    if result.0.status == Status::Failed && !args.keep_going {
                        stop.store(true, Ordering::Relaxed);
                    }
                    progress.done(&result.0);
                    *slots[position].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                }
            });
        }
    });
    let results: Vec<(Outcome, Fingerprint)> = slots
        .into_iter()
        .filter_map(|slot| slot.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect();
    progress.finish();

    let mut manifest = manifest;
    for (outcome, fingerprint) in &results {
        match (outcome.status, fingerprint) {
            (Status::Written, Some((file, fingerprint))) => {
                manifest.reports.insert(file.clone(), fingerprint.clone());
            }
            (Status::Failed, _) => {
                manifest.reports.remove(&outcome.file);
            }
            _ => {}
        }
    }
    if args.emit_typst.is_none() {
        let json = serde_json::to_vec_pretty(&manifest)?;
        write_atomically(&out_dir.join(Manifest::FILE), &json)
            .context("cannot write the batch manifest")?;
    }
    let outcomes: Vec<&Outcome> = results.iter().map(|(o, _)| o).collect();
    if let Some(path) = &args.summary {
        write_atomically(path, &serde_json::to_vec_pretty(&outcomes)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }

    let count = |status| outcomes.iter().filter(|o| o.status == status).count();
    let failed = count(Status::Failed);
    if !args.quiet {
        eprintln!(
            "{} report(s): {} written, {} unchanged, {} skipped, {} failed in {:.1} s ({jobs} job(s))",
            outcomes.len(),
            count(Status::Written),
            count(Status::Unchanged),
            count(Status::Skipped),
            failed,
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The municipalities to report on, as indices into the tally: `--only` (checked against the
/// data), then this shard's part of the sorted list.
fn select(tally: &Tally, only: &[String], shard: crate::batch::Shard) -> Result<Vec<usize>> {
    let mut indices: Vec<usize> = if only.is_empty() {
        (0..tally.municipalities().len()).collect()
    } else {
        only.iter()
            .map(|name| tally.find_municipality(name))
            .collect::<Result<_, _>>()?
    };
    indices.sort_unstable();
    indices.dedup();
    let selected: Vec<usize> = indices
        .into_iter()
        .enumerate()
        .filter(|(position, _)| shard.includes(*position))
        .map(|(_, index)| index)
        .collect();
    if selected.is_empty() {
        bail!("shard {shard} has no municipalities");
    }
    Ok(selected)
}

fn read_manifest(out_dir: &Path) -> Manifest {
    let path = out_dir.join(Manifest::FILE);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
            eprintln!(
                "warning: ignoring {} ({error}); every report is rendered",
                path.display()
            );
            Manifest::default()
        }),
        Err(_) => Manifest::default(),
    }
}

fn cancelled(municipality: &str, round: u16) -> Outcome {
    Outcome {
        municipality: municipality.to_owned(),
        file: format!("{}.pdf", report_name(municipality, round)),
        pages: None,
        bytes: None,
        milliseconds: 0,
        status: Status::Failed,
        error: Some("not rendered: an earlier report failed and --keep-going is false".into()),
    }
}

impl Job<'_> {
    /// Builds one municipality's report; failures become a failed outcome.
    fn run(&self, municipality: usize) -> (Outcome, Fingerprint) {
        let started = Instant::now();
        let name = &self.tally.municipalities()[municipality];
        let stem = report_name(name, self.codebook.round);
        let file = format!("{stem}.pdf");
        let mut outcome = Outcome {
            municipality: name.clone(),
            file: file.clone(),
            pages: None,
            bytes: None,
            milliseconds: 0,
            status: Status::Failed,
            error: None,
        };
        let result = self.render(municipality, &stem, &file, &mut outcome);
        // Typst's memo cache is process-wide: age it after every document, failed or not.
        comemo::evict(MEMO_AGE);
        outcome.milliseconds = started.elapsed().as_millis() as u64;
        match result {
            Ok(fingerprint) => (outcome, fingerprint),
            Err(error) => {
                outcome.status = Status::Failed;
                outcome.error = Some(format!("{error:#}"));
                (outcome, None)
            }
        }
    }

    fn render(
        &self,
        municipality: usize,
        stem: &str,
        file: &str,
        outcome: &mut Outcome,
    ) -> Result<Fingerprint> {
        let name = &self.tally.municipalities()[municipality];
        let ids = self.plan.for_municipality(name);
        let interventions = self.catalogue.select(ids.iter().map(String::as_str))?;
        let summary =
            match self
                .settings
                .summarise(self.codebook, self.tally, self.pattern, municipality)
            {
                Ok(summary) => summary,
                Err(too_few) => {
                    outcome.status = Status::Skipped;
                    outcome.error = Some(too_few.to_string());
                    return Ok(None);
                }
            };
        let document =
            self.settings
                .document(self.codebook, &summary, &interventions, self.catalogue);
        let json = serde_json::to_vec(&document)?;

        if let Some(dir) = self.emit_typst {
            write_typst_project(
                &dir.join(stem),
                self.renderer.templates(),
                &self.settings.assets,
                &json,
            )?;
            outcome.status = Status::Written;
            return Ok(None);
        }

        let path = self.out_dir.join(file);
        let fingerprint = self.fingerprints.of(&json, stem);
        if !self.force && self.manifest.is_current(file, &fingerprint) && path.is_file() {
            outcome.status = Status::Unchanged;
            outcome.bytes = std::fs::metadata(&path).ok().map(|m| m.len());
            return Ok(None);
        }
        let rendered = self
            .renderer
            .report_json(json, &self.settings.assets, self.settings.date, stem)
            .context("cannot render the report")?;
        write_atomically(&path, &rendered.pdf)
            .with_context(|| format!("cannot write {}", path.display()))?;
        outcome.status = Status::Written;
        outcome.pages = Some(rendered.pages);
        outcome.bytes = Some(rendered.pdf.len() as u64);
        Ok(Some((file.to_owned(), fingerprint)))
    }
}

/// Writes a report's Typst project: the templates, the logo and its `data.json`, so the
/// typst CLI can compile exactly the same document (`typst compile --root DIR --font-path
/// FONTS …`).
fn write_typst_project(
    dir: &Path,
    templates: &[Template],
    assets: &[Asset],
    json: &[u8],
) -> Result<()> {
    let templates = templates
        .iter()
        .map(|t| (t.path.as_ref(), t.text.as_bytes()));
    let assets = assets
        .iter()
        .map(|asset| (asset.path.as_str(), asset.bytes.as_slice()));
    let data = std::iter::once((crate::render::world::DATA_PATH, json));
    write_files(dir, templates.chain(assets).chain(data))
}

/// Writes the fonts the emitted projects need, once, to `DIR/fonts`.
fn write_typst_support(dir: &Path) -> Result<()> {
    write_files(
        &dir.join("fonts"),
        fonts::SHIPPED.iter().map(|&(name, bytes)| (name, bytes)),
    )
}

/// Progress on the terminal (a bar with count, rate and ETA), one line per report elsewhere
/// (CI logs), or nothing but errors with `--quiet`.
enum Progress {
    Bar(ProgressBar),
    Lines { total: usize, done: Mutex<usize> },
    Quiet,
}

impl Progress {
    fn new(total: usize, quiet: bool) -> Progress {
        if quiet {
            Progress::Quiet
        } else if std::io::stderr().is_terminal() {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
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
                total,
                done: Mutex::new(0),
            }
        }
    }

    fn done(&self, outcome: &Outcome) {
        let detail = match outcome.status {
            Status::Written => format!(
                "{} ({} pages, {} kB, {} ms)",
                outcome.file,
                outcome.pages.unwrap_or(0),
                outcome.bytes.unwrap_or(0).div_ceil(1024),
                outcome.milliseconds
            ),
            Status::Unchanged => format!("{} (unchanged)", outcome.file),
            Status::Skipped => format!(
                "skipped: {}",
                outcome.error.as_deref().unwrap_or("no reason given")
            ),
            Status::Failed => format!(
                "FAILED: {}",
                outcome.error.as_deref().unwrap_or("unknown error")
            ),
        };
        match self {
            Progress::Bar(bar) => {
                match outcome.status {
                    Status::Failed => {
                        bar.println(format!("error: {}: {detail}", outcome.municipality));
                    }
                    Status::Skipped => {
                        bar.println(format!("note: {}: {detail}", outcome.municipality));
                    }
                    Status::Written | Status::Unchanged => {}
                }
                bar.set_message(outcome.municipality.clone());
                bar.inc(1);
            }
            Progress::Lines { total, done } => {
                let mut done = done.lock().unwrap_or_else(|e| e.into_inner());
                *done += 1;
                eprintln!("[{done}/{total}] {}: {detail}", outcome.municipality);
            }
            Progress::Quiet => {
                if outcome.status == Status::Failed {
                    eprintln!("error: {}: {detail}", outcome.municipality);
                }
            }
        }
    }

    fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
