//! Batch generation: every municipality's (or every school's) report from one survey file. The data are read,
//! counted and protected once ([`Survey`]); reports are rendered in parallel by the
//! project's one renderer (fonts, library and parsed templates loaded once), with typst's
//! memo cache bounded so memory stays flat; reports whose inputs have not changed since the
//! last run in the output directory are left as they are.

mod rules;

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

pub use rules::{Fingerprinter, InterventionPlan, Manifest, Outcome, Shard, Status};

use crate::aggregate::{Level, Tally, UnitRef};
use crate::finding::Finding;
use crate::output::{WriteError, write_atomically, write_files};
use crate::project::{Notice, Project, ProjectError, Survey};
use crate::render::fonts;
use crate::slug::unique_stems;

/// How many documents a memoized result may go unused before typst's cache drops it: enough
/// to keep the evaluated templates shared by every report, small enough to keep memory flat.
const MEMO_AGE: usize = 0;

/// What a batch should build and how.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub out_dir: &'a Path,
    /// Municipalities' reports, or every school's (in `OUT/<municipality>/<school>.pdf`).
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
    /// Render even the reports whose inputs are unchanged.
    pub force: bool,
    /// Write each report's Typst project here instead of a PDF.
    pub emit_typst: Option<&'a Path>,
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

/// A rendered report's manifest entry: its file and fingerprint.
type Fingerprint = Option<(String, String)>;

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
fn targets(tally: &Tally, level: Level, round: u16) -> Vec<Target> {
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
                file: format!("basisrapport-{}-{round}.pdf", stems[m]),
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
                            file: format!("{municipality_stem}/{school}.pdf"),
                        })
                        .collect::<Vec<_>>()
                })
                .collect()
        }
    }
}

/// Everything a report needs that is the same for every unit.
struct Job<'a> {
    project: &'a Project,
    survey: &'a Survey,
    request: &'a Request<'a>,
    fingerprints: Fingerprinter,
    manifest: &'a Manifest,
}

/// Builds the reports `request` selects into its output directory.
pub fn run(
    project: &Project,
    survey: &Survey,
    request: &Request<'_>,
    progress: &dyn Progress,
) -> Result<Finished, ProjectError> {
    let tally = &survey.current.tally;
    let round = project.codebook()?.round;
    let targets = targets(tally, request.level, round);
    let selected: Vec<&Target> = select(tally, &targets, request.only, request.shard)?;
    progress.start(selected.len());
    let mut notices: Vec<Notice> = request
        .plan
        .unknown_names(tally.municipalities())
        .into_iter()
        .map(|name| Notice::UnknownPlanned(name.to_owned()))
        .collect();
    let out_dir = request.out_dir;
    std::fs::create_dir_all(out_dir).map_err(|source| WriteError {
        path: out_dir.to_owned(),
        source,
    })?;
    let manifest = read_manifest(out_dir, &mut notices);
    if let Some(dir) = request.emit_typst {
        write_typst_support(dir)?;
    }
    let job = Job {
        project,
        survey,
        request,
        fingerprints: Fingerprinter::new(project.renderer()?, project.assets()?),
        manifest: &manifest,
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
    let slots: Vec<Mutex<Option<(Outcome, Fingerprint)>>> =
        selected.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..request.jobs.max(1).min(selected.len()) {
            scope.spawn(|| {
                loop {
                    let position = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&target) = selected.get(position) else {
                        break;
                    };
                    let result = if stop.load(Ordering::Relaxed) {
                        (job.cancelled(target), None)
                    } else {
                        job.run(target)
                    };
                    if result.0.status == Status::Failed && !request.keep_going {
                        stop.store(true, Ordering::Relaxed);
                    }
                    progress.done(&result.0);
                    *slots[position]
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(result);
                }
            });
        }
    });
    let results: Vec<(Outcome, Fingerprint)> = slots
        .into_iter()
        .filter_map(|slot| {
            slot.into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        })
        .collect();

    let mut manifest = manifest;
    for (outcome, fingerprint) in &results {
        match (outcome.status, fingerprint) {
            (Status::Written, Some((file, fingerprint))) => {
                manifest.reports.insert(file.clone(), fingerprint.clone());
            }
            (Status::Failed | Status::Skipped, _) => {
                manifest.reports.remove(&outcome.file);
            }
            _ => {}
        }
    }
    if request.emit_typst.is_none() {
        let json = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
        write_atomically(&out_dir.join(Manifest::FILE), &json)?;
    }
    Ok(Finished {
        outcomes: results.into_iter().map(|(outcome, _)| outcome).collect(),
        notices,
    })
}

/// The reports to build: those of `--only`'s municipalities (checked against the data), then
/// this shard's part of them, in name order.
fn select<'t>(
    tally: &Tally,
    targets: &'t [Target],
    only: &[String],
    shard: Shard,
) -> Result<Vec<&'t Target>, ProjectError> {
    let municipalities: Vec<usize> = only
        .iter()
        .map(|name| tally.find_municipality(name))
        .collect::<Result<_, _>>()?;
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
        return Err(ProjectError::EmptyShard(shard));
    }
    Ok(selected)
}

/// Reads a batch interventions map (municipality → fact sheet ids, with `default:`).
pub fn load_plan(path: &Path) -> Result<InterventionPlan, ProjectError> {
    let text = std::fs::read_to_string(path).map_err(|source| ProjectError::Read {
        path: path.to_owned(),
        source,
    })?;
    InterventionPlan::parse(&text)
        .map_err(|error| ProjectError::Yaml(Finding::of_yaml(path, &error)))
}

/// The manifest of an earlier run in `out_dir`, or an empty one.
fn read_manifest(out_dir: &Path, notices: &mut Vec<Notice>) -> Manifest {
    let path = out_dir.join(Manifest::FILE);
    match std::fs::read(&path) {
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
    /// Builds one report; failures become a failed outcome.
    fn run(&self, target: &Target) -> (Outcome, Fingerprint) {
        let started = Instant::now();
        let mut outcome = outcome(target);
        let result = self.render(target, &mut outcome);
        // Typst's memo cache is process-wide: age it after every document, failed or not.
        comemo::evict(MEMO_AGE);
        outcome.milliseconds = started.elapsed().as_millis() as u64;
        match result {
            Ok(fingerprint) => (outcome, fingerprint),
            Err(error) => {
                outcome.status = Status::Failed;
                outcome.error = Some(error_chain(&error));
                (outcome, None)
            }
        }
    }

    /// A report not rendered because an earlier one failed.
    fn cancelled(&self, target: &Target) -> Outcome {
        Outcome {
            status: Status::Failed,
            error: Some("not rendered: an earlier report failed and --keep-going is false".into()),
            ..outcome(target)
        }
    }

    fn render(&self, target: &Target, outcome: &mut Outcome) -> Result<Fingerprint, ProjectError> {
        let ids = self.request.plan.for_municipality(&target.municipality);
        let catalogue = self.project.catalogue()?;
        let interventions = catalogue.select(ids.iter().map(String::as_str))?;
        let report = match self
            .project
            .report_of(self.survey, target.unit, &interventions)
        {
            Ok(report) => report,
            Err(ProjectError::NoReport(too_few)) => {
                outcome.status = Status::Skipped;
                outcome.error = Some(too_few.to_string());
                return Ok(None);
            }
            Err(error) => return Err(error),
        };
        let json = serde_json::to_vec(&report.data).expect("report data serialise");
        let assets = self.project.assets()?;

        if let Some(dir) = self.request.emit_typst {
            write_typst_project(
                &dir.join(&report.name),
                self.project.renderer()?,
                assets,
                &json,
            )?;
            outcome.status = Status::Written;
            return Ok(None);
        }

        let path = self.request.out_dir.join(&target.file);
        let fingerprint = self.fingerprints.of(&json, &report.name);
        if !self.request.force
            && self.manifest.is_current(&target.file, &fingerprint)
            && path.is_file()
        {
            outcome.status = Status::Unchanged;
            outcome.bytes = std::fs::metadata(&path).ok().map(|m| m.len());
            return Ok(None);
        }
        let rendered = self.project.renderer()?.report_json(
            json,
            assets,
            self.project.settings().date,
            &report.name,
        )?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| WriteError {
                path: dir.to_owned(),
                source,
            })?;
        }
        write_atomically(&path, &rendered.pdf)?;
        outcome.status = Status::Written;
        outcome.pages = Some(rendered.pages);
        outcome.bytes = Some(rendered.pdf.len() as u64);
        Ok(Some((target.file.clone(), fingerprint)))
    }
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
    Ok(write_files(dir, templates.chain(assets).chain(data))?)
}

/// Writes the fonts the emitted projects need, once, to `DIR/fonts`.
fn write_typst_support(dir: &Path) -> Result<(), ProjectError> {
    Ok(write_files(
        &dir.join("fonts"),
        fonts::SHIPPED.iter().map(|&(name, bytes)| (name, bytes)),
    )?)
}
