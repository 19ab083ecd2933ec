//! Batch generation: every municipality's (or every school's) report from one survey file. The data are read,
//! counted and protected once ([`Survey`]); reports are rendered in parallel by the
//! project's one renderer (fonts, library and parsed templates loaded once), with typst's
//! memo cache bounded so memory stays flat; reports whose inputs have not changed since the
//! last run in the output directory are left as they are. The figures of every report (even
//! an unchanged one) can be collected into one workbook of tables, written when it ends.

mod error;
mod rules;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

pub use error::BatchError;
pub use rules::{Entry, Fingerprinter, InterventionPlan, Manifest, Outcome, Shard, Status, sha256};

use crate::aggregate::{Level, Summary, Tally, UnitRef};
use crate::input::{YAML_LIMIT, read_bytes, read_text};
use crate::names::UnknownName;
use crate::output::{OutputError, Outputs, write_files};
use crate::project::{Notice, Project, ProjectError, Survey, report_stem};
use crate::render::Downloads;
use crate::render::document::ReportKind;
use crate::render::fonts;
use crate::slug::unique_stems;

/// How many documents a memoized result may go unused before typst's cache drops it. At 0
/// every document clears the whole cache and nothing is shared between reports; at 2 the
/// templates, fact sheets and every layout that does not depend on the unit carry over
/// (the templates keep the unit's name out of the styles for that, see lib/style.typ), for
/// ~8 % less CPU and ~90 MB more memory, which stays flat (docs/benchmarks.md).
pub const MEMO_AGE: usize = 2;

/// What a batch should build and how.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub out_dir: &'a Path,
    /// Municipalities' reports, or every school's (in `OUT/<municipality>/`, named as
    /// `build` names them).
    pub level: Level,
    /// Only these municipalities, or the schools of these municipalities (empty: all).
    pub only: &'a [String],
    pub shard: Shard,
    /// The fact sheets of each municipality's report.
    pub plan: &'a InterventionPlan,
    /// Reports rendered at once.
    pub jobs: usize,
    /// Go on after a report fails.
    pub keep_going: bool,
    /// Build even when a name in the interventions map or under `invited:` matches no
    /// municipality (each is then a warning).
    pub allow_unknown_names: bool,
    /// Render even the reports whose inputs are unchanged.
    pub force: bool,
    /// Write each report's Typst project here instead of a PDF.
    pub emit_typst: Option<&'a Path>,
    /// Write each report as an HTML page too, beside its PDF (`.html` for `.pdf`).
    pub html: bool,
    /// Write the outcomes here as JSON when the batch ends.
    pub summary: Option<&'a Path>,
    /// Write the figures of every report written or unchanged here, as one workbook of
    /// tables, when the batch ends.
    pub tables: Option<&'a Path>,
}

/// Told how many reports a batch builds, then about each one as it finishes, e.g. to draw a
/// progress bar.
pub trait Progress: Sync {
    fn start(&self, total: usize);
    fn done(&self, outcome: &Outcome);
}

/// What a batch did.
#[derive(Debug)]
pub struct Finished {
    /// One per selected municipality, in name order.
    pub outcomes: Vec<Outcome>,
    pub notices: Vec<Notice>,
}

/// The lock file that keeps two batches out of one output directory.
const LOCK_FILE: &str = ".report-batch.lock";

/// A report to build: its unit and its file below the output directory.
#[derive(Debug, Clone)]
struct Target {
    unit: UnitRef,
    municipality: String,
    school: Option<String>,
    file: String,
}

/// Every report a batch at `level` can build from the tally, with file names that are
/// unique whatever the names (computed over all units, so every shard names them alike).
fn targets(tally: &Tally, level: Level, round: u16, kind: ReportKind) -> Vec<Target> {
    let municipalities = tally.municipalities();
    let stems = unique_stems(
        &municipalities
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    match level {
        Level::Municipality => municipalities
            .iter()
            .enumerate()
            .map(|(m, name)| Target {
                unit: UnitRef::Municipality(m),
                municipality: name.clone(),
                school: None,
                file: format!("{}.pdf", report_stem(kind, round, &stems[m], None)),
            })
            .collect(),
        Level::School => {
            let schools = tally.schools();
            (0..municipalities.len())
                .flat_map(|m| {
                    let of_m: Vec<usize> =
                        (0..schools.len()).filter(|&s| schools[s].0 == m).collect();
                    let names: Vec<&str> = of_m.iter().map(|&s| schools[s].1.as_str()).collect();
                    let school_stems = unique_stems(&names);
                    let municipality_stem = &stems[m];
                    of_m.into_iter()
                        .zip(school_stems)
                        .map(|(s, school)| Target {
                            unit: UnitRef::School(s),
                            municipality: municipalities[m].clone(),
                            school: Some(schools[s].1.clone()),
                            file: format!(
                                "{municipality_stem}/{}.pdf",
                                report_stem(kind, round, municipality_stem, Some(&school))
                            ),
                        })
                        .collect::<Vec<_>>()
                })
                .collect()
        }
    }
}

/// What became of one target: its outcome and, where the batch writes tables and the report
/// was written or is unchanged, its figures.
struct Built {
    outcome: Outcome,
    summary: Option<Summary>,
}

/// Everything a report needs that is the same for every unit.
struct Job<'a> {
    project: &'a Project,
    survey: &'a Survey,
    request: &'a Request<'a>,
    fingerprints: Fingerprinter,
    /// The manifest as it was when the batch started, and as reports finish.
    manifest: Mutex<Manifest>,
    outputs: Mutex<Outputs>,
}

/// Builds the reports `request` selects into its output directory.
pub fn run(
    project: &Project,
    survey: &Survey,
    request: &Request<'_>,
    progress: &dyn Progress,
) -> Result<Finished, BatchError> {
    let tally = &survey.current.tally;
    let round = project.codebook()?.round;
    let targets = targets(tally, request.level, round, project.settings().kind);
    let selected: Vec<&Target> = select(tally, &targets, request.only, request.shard)?;
    let planned = request.plan.unknown_names(tally.municipalities());
    if !request.allow_unknown_names {
        let unknown: Vec<UnknownName> = survey
            .notices
            .iter()
            .filter_map(Notice::unknown_name)
            .chain(&planned)
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(BatchError::UnknownNames(unknown));
        }
    }
    let mut notices: Vec<Notice> = planned.into_iter().map(Notice::UnknownName).collect();
    progress.start(selected.len());
    let out_dir = request.out_dir;
    std::fs::create_dir_all(out_dir).map_err(|source| OutputError::Write {
        path: out_dir.to_owned(),
        source,
    })?;
    // Held until the batch ends: a second batch into the same directory stops at once
    // instead of mixing its reports and manifest with this one's.
    let _lock = lock(out_dir)?;
    let mut inputs = project.input_files();
    inputs.extend(request.plan.path().map(Path::to_owned));
    let mut outputs = Outputs::new(inputs.iter().map(PathBuf::as_path));
    outputs.claim(&out_dir.join(Manifest::FILE))?;
    for path in request.summary.iter().chain(&request.tables) {
        outputs.claim(path)?;
    }
    let manifest = read_manifest(out_dir, &mut notices);
    if let Some(dir) = request.emit_typst {
        write_typst_support(&mut outputs, dir)?;
    }
    let job = Job {
        project,
        survey,
        request,
        fingerprints: Fingerprinter::new(project.renderer()?, project.assets()?),
        manifest: Mutex::new(manifest),
        outputs: Mutex::new(outputs),
    };

    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    // Typst lays out page runs and compresses PDF streams on rayon's global pool, one thread
    // per core whatever the number of jobs (as the typst CLI does); documents run on their
    // own threads, so a document waiting for its rayon work never blocks the worker that
    // would do it.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(cores)
        .build_global();
    let stop = AtomicBool::new(false);
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Built>>> = selected.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..request.jobs.max(1).min(selected.len()) {
            scope.spawn(|| {
                loop {
                    let position = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&target) = selected.get(position) else {
                        break;
                    };
                    let built = if stop.load(Ordering::Relaxed) {
                        Built {
                            outcome: job.cancelled(target),
                            summary: None,
                        }
                    } else {
                        job.run(target)
                    };
                    if built.outcome.status == Status::Failed && !request.keep_going {
                        stop.store(true, Ordering::Relaxed);
                    }
                    progress.done(&built.outcome);
                    *slots[position]
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner) = Some(built);
                }
            });
        }
    });
    // In target order, as the summary lists the outcomes.
    let (outcomes, summaries): (Vec<Outcome>, Vec<Option<Summary>>) = slots
        .into_iter()
        .filter_map(|slot| slot.into_inner().unwrap_or_else(PoisonError::into_inner))
        .map(|built| (built.outcome, built.summary))
        .unzip();
    // Made before anything is written, so that a workbook too large for Excel still leaves
    // the outcomes on record.
    let tables = request.tables.map(|path| {
        let summaries: Vec<Summary> = summaries.into_iter().flatten().collect();
        project.tables(&summaries).map(|workbook| (path, workbook))
    });
    let mut outputs = job
        .outputs
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(summary) = request.summary {
        let json = serde_json::to_vec_pretty(&outcomes).expect("outcomes serialise");
        outputs.write(summary, &json)?;
    }
    if let Some(tables) = tables {
        let (path, workbook) = tables?;
        outputs.write(path, &workbook)?;
    }
    Ok(Finished { outcomes, notices })
}

/// Locks the output directory for this batch.
fn lock(out_dir: &Path) -> Result<std::fs::File, BatchError> {
    let path = out_dir.join(LOCK_FILE);
    let error = |source| OutputError::Write {
        path: path.clone(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(error)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(BatchError::Busy {
            dir: out_dir.to_owned(),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(error(source).into()),
    }
}

/// The reports to build: those of `--only`'s municipalities (checked against the data), then
/// this shard's part of them, in name order.
fn select<'t>(
    tally: &Tally,
    targets: &'t [Target],
    only: &[String],
    shard: Shard,
) -> Result<Vec<&'t Target>, BatchError> {
    let municipalities: Vec<usize> = only
        .iter()
        .map(|name| tally.find_municipality(name))
        .collect::<Result<_, _>>()
        .map_err(ProjectError::from)?;
    let wanted = |target: &Target| {
        only.is_empty()
            || municipalities
                .iter()
                .any(|&m| tally.municipalities()[m] == target.municipality)
    };
    let selected: Vec<&Target> = targets
        .iter()
        .filter(|t| wanted(t))
        .enumerate()
        .filter(|(position, _)| shard.includes(*position))
        .map(|(_, target)| target)
        .collect();
    if selected.is_empty() {
        return Err(BatchError::EmptyShard(shard));
    }
    Ok(selected)
}

/// Reads a batch interventions map (municipality → fact sheet ids, with `default:`).
pub fn load_plan(path: &Path) -> Result<InterventionPlan, BatchError> {
    let text = read_text(path, YAML_LIMIT)?;
    InterventionPlan::parse(&text, path).map_err(BatchError::Plan)
}

/// The manifest of an earlier run in `out_dir`, or an empty one.
fn read_manifest(out_dir: &Path, notices: &mut Vec<Notice>) -> Manifest {
    let path = out_dir.join(Manifest::FILE);
    match read_bytes(&path, YAML_LIMIT) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
            notices.push(Notice::IgnoredManifest {
                path,
                error: error.to_string(),
            });
            Manifest::default()
        }),
        Err(_) => Manifest::default(),
    }
}

impl Job<'_> {
    /// Builds one report; failures become a failed outcome. The manifest on disk is brought
    /// up to date at once, so an interrupted batch resumes where it stopped.
    fn run(&self, target: &Target) -> Built {
        let started = Instant::now();
        let mut outcome = outcome(target);
        let mut summary = None;
        let result = self.render(target, &mut outcome, &mut summary);
        // Typst's memo cache is process-wide: age it after every document, failed or not.
        comemo::evict(MEMO_AGE);
        outcome.milliseconds = started.elapsed().as_millis() as u64;
        let entry = match result {
            Ok(entry) => entry,
            Err(error) => {
                outcome.status = Status::Failed;
                outcome.error = Some(error_chain(&error));
                None
            }
        };
        if let Err(error) = self.record(&outcome, entry) {
            outcome.status = Status::Failed;
            outcome.error = Some(error_chain(&error));
        }
        // The tables hold the figures of the reports that exist, not of failed ones.
        let summary =
            summary.filter(|_| matches!(outcome.status, Status::Written | Status::Unchanged));
        Built { outcome, summary }
    }

    /// Records a finished report in the manifest and writes the manifest.
    fn record(&self, outcome: &Outcome, entry: Option<Entry>) -> Result<(), OutputError> {
        if self.request.emit_typst.is_some() || outcome.status == Status::Unchanged {
            return Ok(());
        }
        let mut manifest = self.manifest.lock().unwrap_or_else(PoisonError::into_inner);
        match entry {
            Some(entry) => manifest.reports.insert(outcome.file.clone(), entry),
            None => manifest.reports.remove(&outcome.file),
        };
        let json = serde_json::to_vec_pretty(&*manifest).expect("a manifest serialises");
        let path = self.request.out_dir.join(Manifest::FILE);
        replace(&path, &json)
    }

    /// A report not rendered because an earlier one failed.
    fn cancelled(&self, target: &Target) -> Outcome {
        Outcome {
            status: Status::Failed,
            error: Some("not rendered: an earlier report failed and --keep-going is false".into()),
            ..outcome(target)
        }
    }

    /// Builds one report into `outcome`; its figures go to `summary` when the batch writes
    /// tables (taken before the fingerprint check, so unchanged reports have theirs too).
    fn render(
        &self,
        target: &Target,
        outcome: &mut Outcome,
        summary: &mut Option<Summary>,
    ) -> Result<Option<Entry>, ProjectError> {
        let ids = self.request.plan.for_municipality(&target.municipality);
        let catalogue = self.project.catalogue()?;
        let interventions = catalogue.select(ids.iter().map(String::as_str))?;
        let report = match self
            .project
            .report_of(self.survey, target.unit, &interventions)
        {
            Ok(report) => report,
            Err(ProjectError::NoReport(no_report)) => {
                outcome.status = Status::Skipped;
                outcome.error = Some(no_report.to_string());
                return Ok(None);
            }
            Err(error) => return Err(error),
        };
        let json = serde_json::to_vec(&report.data).expect("report data serialise");
        let assets = self.project.assets()?;
        let name = report.name;
        if self.request.tables.is_some() {
            *summary = Some(report.summary);
        }

        if let Some(dir) = self.request.emit_typst {
            let mut outputs = self.outputs.lock().unwrap_or_else(PoisonError::into_inner);
            write_typst_project(
                &mut outputs,
                &dir.join(&name),
                self.project.renderer()?,
                assets,
                &json,
            )?;
            outcome.status = Status::Written;
            return Ok(None);
        }

        let path = self.request.out_dir.join(&target.file);
        let html = path.with_extension("html");
        // The page links to its PDF and the batch's tables: where they are is part of what
        // it was built from.
        let downloads = self
            .request
            .html
            .then(|| Downloads::of(&html, Some(&path), self.request.tables));
        let fingerprint = self.fingerprints.of(
            &json,
            downloads.as_ref().map(Downloads::to_json).as_deref(),
            &name,
        );
        if !self.request.force && self.unchanged(&target.file, &path, &fingerprint) {
            outcome.status = Status::Unchanged;
            outcome.bytes = std::fs::metadata(&path).ok().map(|m| m.len());
            return Ok(None);
        }
        let page = match &downloads {
            Some(downloads) => Some(self.project.render_html_json(json.clone(), downloads)?),
            None => None,
        };
        let rendered = self.project.render_json(&name, json)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| OutputError::Write {
                path: dir.to_owned(),
                source,
            })?;
        }
        {
            let mut outputs = self.outputs.lock().unwrap_or_else(PoisonError::into_inner);
            outputs.write(&path, &rendered.pdf)?;
            if let Some(page) = &page {
                outputs.write(&html, page.html.as_bytes())?;
            }
        }
        outcome.status = Status::Written;
        outcome.warnings = rendered
            .warnings
            .0
            .iter()
            .chain(page.iter().flat_map(|page| &page.warnings.0))
            .map(|warning| warning.to_string().trim_end().to_owned())
            .collect();
        outcome.pages = Some(rendered.pages);
        outcome.bytes = Some(rendered.pdf.len() as u64);
        Ok(Some(Entry {
            fingerprint,
            sha256: sha256(&rendered.pdf),
            html_sha256: page.map(|page| sha256(page.html.as_bytes())),
        }))
    }

    /// True when the file in the output directory was built from these inputs and is still
    /// exactly what was written then (not cut short or changed since).
    fn unchanged(&self, file: &str, path: &Path, fingerprint: &str) -> bool {
        let manifest = self.manifest.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(entry) = manifest.reports.get(file) else {
            return false;
        };
        if entry.fingerprint != fingerprint {
            return false;
        }
        let html = if self.request.html {
            match read_bytes(&path.with_extension("html"), crate::input::TABLE_LIMIT) {
                Ok(html) => Some(html),
                Err(_) => return false,
            }
        } else {
            None
        };
        read_bytes(path, crate::input::TABLE_LIMIT)
            .is_ok_and(|pdf| manifest.is_current(file, fingerprint, &pdf, html.as_deref()))
    }
}

/// Replaces a file the batch owns (its manifest) atomically.
fn replace(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    Outputs::new([]).write(path, bytes)
}

/// A target's outcome before it is built.
fn outcome(target: &Target) -> Outcome {
    Outcome {
        municipality: target.municipality.clone(),
        school: target.school.clone(),
        file: target.file.clone(),
        pages: None,
        bytes: None,
        milliseconds: 0,
        status: Status::Failed,
        error: None,
        warnings: Vec::new(),
    }
}

/// An error and its causes on one line.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Writes a report's Typst project: the templates, the logo and its `data.json`, so the
/// typst CLI can compile exactly the same document (`typst compile --root DIR --font-path
/// FONTS …`).
fn write_typst_project(
    outputs: &mut Outputs,
    dir: &Path,
    renderer: &crate::render::Renderer,
    assets: &[crate::render::Asset],
    json: &[u8],
) -> Result<(), ProjectError> {
    let templates = renderer
        .templates()
        .iter()
        .map(|t| (t.path.as_ref(), t.bytes.as_ref()));
    let assets = assets
        .iter()
        .map(|asset| (asset.path.as_str(), asset.bytes.as_slice()));
    let data = std::iter::once((crate::render::world::DATA_PATH, json));
    Ok(write_files(
        outputs,
        dir,
        templates.chain(assets).chain(data),
    )?)
}

/// Writes the fonts the emitted projects need, once, to `DIR/fonts`.
fn write_typst_support(outputs: &mut Outputs, dir: &Path) -> Result<(), BatchError> {
    Ok(write_files(
        outputs,
        &dir.join("fonts"),
        fonts::SHIPPED.iter().map(|&(name, bytes)| (name, bytes)),
    )?)
}
