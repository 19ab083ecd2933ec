//! The library's one way in. A [`Project`] resolves the options of a job with report.yaml and
//! the defaults once ([`Settings`]), loads what the job needs when it first needs it
//! (codebook, catalogue, templates, branding, survey data) and builds reports and fact
//! sheets; [`crate::batch`] builds every municipality's report through it. The commands, the
//! benchmarks and the tests all go this way, so there is one path from inputs to a PDF.
//!
//! ```no_run
//! use report::project::{Options, Project};
//!
//! let project = Project::open(&Options::default())?; // ./report.yaml supplies the rest
//! let survey = project.read_survey(report::aggregate::Level::Municipality)?;
//! let report = project.report(&survey, project.subject()?, &[])?;
//! let pdf = project.render(&report)?.pdf;
//! # Ok::<(), report::project::ProjectError>(())
//! ```

mod comparisons;
mod error;
mod library;
mod origin;
mod presentation;
mod publications;
mod settings;
mod survey;

use std::sync::OnceLock;

use typst_timing::TimingScope;

pub use error::ProjectError;
pub use library::{Suggestion, suggestions};
pub use publications::PublicationError;
pub use settings::{CatalogueSource, Declared, Options, RoundFile, Settings};
pub use survey::{Notice, Round, Survey};

use crate::aggregate::{
    Differences, Focus, Level, Pattern, Previous, Source, Summary, Tally, UnitRef, differences,
    summarise,
};
use crate::catalogue::{Catalogue, Intervention};
use crate::config::Config;
use crate::output::same_file;
use crate::render::document::{
    self, FactsheetsData, LibraryThemeView, LibraryView, ReportData, ReportKind,
};
use crate::render::tables::Tables;
use crate::render::{Asset, Downloads, RenderError, Rendered, RenderedHtml, Renderer};
use crate::slug::stem;
use crate::survey::{Codebook, Quality, Responses};
use library::Respondents;
use presentation::Presentation;
use publications::Union;
use survey::{Deciding, Input};

/// A job's settings and, once loaded, its inputs.
pub struct Project {
    settings: Settings,
    codebook: OnceLock<Codebook>,
    /// The round's publications joined, or `None` when the job's codebook is the only one.
    union: OnceLock<Option<Union>>,
    catalogue: OnceLock<Catalogue>,
    renderer: OnceLock<Renderer>,
    presentation: OnceLock<Presentation>,
}

/// What a report is about, as the analyst names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject<'a> {
    Municipality(&'a str),
    /// A school, in `municipality` where school names repeat across municipalities.
    School {
        name: &'a str,
        municipality: Option<&'a str>,
    },
}

impl Subject<'_> {
    /// The level of the unit's report.
    pub fn level(self) -> Level {
        match self {
            Subject::Municipality(_) => Level::Municipality,
            Subject::School { .. } => Level::School,
        }
    }
}

/// The unit `subject` names in `tally`.
fn unit_in(tally: &Tally, subject: Subject<'_>) -> Result<UnitRef, ProjectError> {
    Ok(match subject {
        Subject::Municipality(name) => UnitRef::Municipality(tally.find_municipality(name)?),
        Subject::School { name, municipality } => {
            let municipality = municipality
                .map(|m| tally.find_municipality(m))
                .transpose()?;
            UnitRef::School(tally.find_school(name, municipality)?)
        }
    })
}

/// One unit's report, ready to render: its figures (what `--data-out` writes) and the data
/// its template reads.
#[derive(Debug)]
pub struct Report {
    /// The file name without `.pdf`, also the PDF's identifier:
    /// `basisrapport-<municipality>[-<school>]-<round>`.
    pub name: String,
    pub summary: Summary,
    pub data: ReportData,
    pub notices: Vec<Notice>,
}

impl Project {
    /// Resolves `options` with report.yaml (`options.config`, else `./report.yaml` if there
    /// is one) and the defaults. Nothing else is read until it is needed.
    pub fn open(options: &Options) -> Result<Project, ProjectError> {
        let config = Config::discover(options.config.as_deref())?;
        Ok(Project::with_settings(Settings::resolve(options, &config)?))
    }

    /// A project with settings resolved elsewhere.
    pub fn with_settings(settings: Settings) -> Project {
        Project {
            settings,
            codebook: OnceLock::new(),
            union: OnceLock::new(),
            catalogue: OnceLock::new(),
            renderer: OnceLock::new(),
            presentation: OnceLock::new(),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Every file the job may read, for the output guard ([`crate::output::Outputs`]).
    pub fn input_files(&self) -> Vec<std::path::PathBuf> {
        self.settings.input_files()
    }

    /// The codebook, loaded and checked on first use.
    pub fn codebook(&self) -> Result<&Codebook, ProjectError> {
        load_once(&self.codebook, || {
            Ok(Codebook::load(self.settings.codebook_file()?)?)
        })
    }

    /// The intervention library, loaded and checked on first use.
    pub fn catalogue(&self) -> Result<&Catalogue, ProjectError> {
        load_once(&self.catalogue, || match &self.settings.catalogue {
            CatalogueSource::Bundled => Ok(Catalogue::bundled()),
            CatalogueSource::Dir(dir) => {
                Catalogue::load(dir).map_err(|source| ProjectError::Catalogue {
                    dir: dir.clone(),
                    source,
                })
            }
        })
    }

    /// The renderer with the job's templates and PDF standards, built on first use; load it
    /// before reading a large survey so that a broken template stops the job at once.
    pub fn renderer(&self) -> Result<&Renderer, ProjectError> {
        load_once(&self.renderer, || {
            let renderer = match &self.settings.templates {
                Some(dir) => Renderer::with_templates(dir)?,
                None => Renderer::new(),
            };
            if self.settings.pdf_standards.is_empty() {
                return Ok(renderer);
            }
            Ok(renderer.with_standards(&self.settings.pdf_standards)?)
        })
    }

    /// Branding and invited pupils, read on first use.
    fn presentation(&self) -> Result<&Presentation, ProjectError> {
        load_once(&self.presentation, || {
            Presentation::load(&self.settings.branding, self.settings.invited.as_ref())
        })
    }

    /// The files every report's template reads besides its data (the logo).
    pub fn assets(&self) -> Result<&[Asset], ProjectError> {
        Ok(&self.presentation()?.assets)
    }

    /// The survey files as they are, with their quality report.
    pub fn read_responses(&self) -> Result<(Responses, Quality), ProjectError> {
        self.input()?.read(self.codebook()?)
    }

    /// The subject `--school` / `--municipality` (or report.yaml) names.
    pub fn subject(&self) -> Result<Subject<'_>, ProjectError> {
        let settings = &self.settings;
        Ok(match &settings.school {
            Some(name) => Subject::School {
                name,
                municipality: settings.municipality.as_deref(),
            },
            None => Subject::Municipality(settings.municipality()?),
        })
    }

    /// Loads and joins the round's publications (`publications:`, `--publication`): refuses
    /// a job whose codebook is not among them, and two that read a column differently.
    /// Call it before any work, so a refusal comes before any output.
    pub fn publications(&self) -> Result<(), ProjectError> {
        self.union().map(drop)
    }

    /// The round's publications joined, or `None` when none are declared.
    fn union(&self) -> Result<Option<&Union>, ProjectError> {
        load_once(&self.union, || {
            let settings = &self.settings;
            let declared = &settings.publications;
            if declared.is_empty() {
                return Ok(None);
            }
            let own = settings.codebook_file()?;
            if !declared.iter().any(|path| same_file(path, own)) {
                return Err(PublicationError::Undeclared {
                    codebook: own.to_owned(),
                    declared: match (&settings.publications_declared, &settings.config_file) {
                        (Declared::Config, Some(file)) => format!("in {}", file.display()),
                        _ => "with --publication".to_owned(),
                    },
                    declared_files: declared.clone(),
                }
                .into());
            }
            let mut publications: Vec<(std::path::PathBuf, Codebook)> = Vec::new();
            for path in declared {
                if !publications.iter().any(|(known, _)| same_file(known, path)) {
                    publications.push((path.clone(), Codebook::load(path)?));
                }
            }
            Ok(Some(Union::of(&publications)?))
        })
        .map(Option::as_ref)
    }

    /// What may be published from `tally` (the job's survey `responses`, read and counted
    /// with its codebook at `level`), protecting every publication of the round together:
    /// the pattern over all their breakdowns and questions, seen from the job's codebook. Where that needs the
    /// survey counted with every publication's columns, also the quality of that reading
    /// (whose errors stop a report: the other publications could not be built).
    ///
    /// `focus` says which municipalities are decided in full (their indices are `tally`'s):
    /// a single report needs one.
    pub fn pattern(
        &self,
        responses: &Responses,
        tally: &Tally,
        level: Level,
        focus: Focus,
    ) -> Result<(Pattern, Option<Quality>), ProjectError> {
        let codebook = self.codebook()?;
        let min_cell = self.settings.min_cell;
        let decided_at = self.decided_at(codebook, level);
        let Some(union) = self.union()?.filter(|union| !union.is_counted_by(codebook)) else {
            // The job's own reading is the union's.
            let deciding = Deciding {
                at: decided_at,
                min_cell,
            };
            return Ok((deciding.pattern(codebook, responses, tally, focus), None));
        };
        let (responses, quality) = self.input()?.read(union.codebook())?;
        let all = Tally::count(union.codebook(), &responses, decided_at);
        drop(responses);
        let same_schools = decided_at != level || all.schools() == tally.schools();
        if all.municipalities() != tally.municipalities() || !same_schools {
            return Err(ProjectError::PublicationData(
                "the survey data give other municipalities or schools when read with every \
                 publication's columns; run `report validate` on them"
                    .to_owned(),
            ));
        }
        let pattern = Pattern::for_reports(&all, level, min_cell, focus)
            .project(&union.axes_of(codebook), &union.questions_of(codebook));
        Ok((pattern, Some(quality)))
    }

    /// The level whose system decides a report at `level`. Where the data name schools and
    /// the round publishes school reports, a municipality report takes its decisions from the
    /// school-level system, as the school reports' municipality column does
    /// ([`Pattern::municipal`]): decided on its own, the municipality level publishes groups the
    /// school-level system withholds, never checked against what the school reports publish.
    fn decided_at(&self, codebook: &Codebook, level: Level) -> Level {
        if codebook.background.school.is_some() && self.publishes(Level::School) {
            Level::School
        } else {
            level
        }
    }

    /// Whether the round publishes reports at `level` (report.yaml `levels:`).
    pub fn publishes(&self, level: Level) -> bool {
        self.settings.levels.contains(&level)
    }

    /// The `report validate` command that lists every problem of the survey data, for all
    /// the round's publications.
    fn validate_command(&self) -> Result<String, ProjectError> {
        let mut command = self.input()?.validate_command();
        for path in &self.settings.publications {
            command.push_str(&format!(" --publication {}", path.display()));
        }
        Ok(command)
    }

    /// Reads the survey (and the earlier rounds, if any) for reports at `level`: counted,
    /// with the disclosure-control pattern of each file (the current one protecting every
    /// publication of the round together). Refuses an earlier round that is the same pupils:
    /// given as the survey's own round, or sharing respondent ids with it.
    pub fn read_survey(&self, level: Level) -> Result<Survey, ProjectError> {
        self.read(level, None)
    }

    /// Reads the survey as [`Project::read_survey`] does, for the report of the unit
    /// `subject` names only: its municipality's groups are decided in full, of the others
    /// only what the comparison groups sum ([`Focus::One`]), which costs a fraction of the
    /// whole file's disclosure control and publishes the same.
    pub fn read_survey_for(&self, subject: Subject<'_>) -> Result<Survey, ProjectError> {
        self.read(subject.level(), Some(subject))
    }

    /// Reads the survey for reports at `level`: every unit's, or the one `subject` names.
    fn read(&self, level: Level, subject: Option<Subject<'_>>) -> Result<Survey, ProjectError> {
        let codebook = self.codebook()?;
        if level == Level::School && codebook.background.school.is_none() {
            return Err(ProjectError::NoSchoolColumn);
        }
        if !self.publishes(level) {
            return Err(ProjectError::LevelNotPublished {
                level,
                file: self.settings.config_file.clone().unwrap_or_default(),
            });
        }
        self.union()?;
        let round_of = |file: &RoundFile| file.round.unwrap_or(codebook.round.saturating_sub(1));
        if let Some(file) = self
            .settings
            .rounds
            .iter()
            .find(|file| round_of(file) == codebook.round)
        {
            return Err(ProjectError::SameRound {
                path: file.path.clone(),
                round: codebook.round,
            });
        }
        let mut notices = Vec::new();
        let min_cell = self.settings.min_cell;
        let (responses, tally) = {
            let _scope = TimingScope::new(crate::phase::READ);
            let responses = self.input()?.responses(codebook, &mut notices)?;
            let tally = Tally::count(codebook, &responses, level);
            (responses, tally)
        };
        // A standardised comparison sums the groups' figures by breakdown from every
        // municipality that publishes them, so every municipality is decided in full.
        let focus = match subject {
            None => Focus::All,
            Some(_) if !self.settings.standardise.is_empty() => Focus::All,
            Some(subject) => Focus::One(Some(match unit_in(&tally, subject)? {
                UnitRef::Municipality(m) => m,
                UnitRef::School(s) => tally.schools()[s].0,
            })),
        };
        let (pattern, quality) = {
            let _scope = TimingScope::new(crate::phase::DISCLOSURE);
            self.pattern(&responses, &tally, level, focus)?
        };
        let ids = responses.respondent_ids().to_vec();
        drop(responses);
        if let Some(quality) = quality.filter(|q| q.errors() > 0) {
            return Err(ProjectError::PublicationData(survey::refusal(
                &quality,
                |count| {
                    format!(
                        "the survey data have {count} problem(s) in the columns the round's \
                         publications read; no report was written:"
                    )
                },
                &self.validate_command()?,
            )));
        }
        let current = Round {
            tally,
            pattern,
            round: codebook.round,
        };
        // An earlier round decides in full the municipality of the same name, if it has one.
        let focused = match focus {
            Focus::One(Some(m)) => Some(current.tally.municipalities()[m].as_str()),
            Focus::One(None) | Focus::All => None,
        };
        let previous = self
            .settings
            .rounds
            .iter()
            .map(|file| {
                let input = Input {
                    paths: std::slice::from_ref(&file.path),
                    ..self.input()?
                };
                let (round, earlier) = input
                    .round(
                        codebook,
                        level,
                        Deciding {
                            at: self.decided_at(codebook, level),
                            min_cell,
                        },
                        focused,
                        round_of(file),
                        &mut notices,
                    )
                    .map_err(|source| ProjectError::Previous {
                        path: file.path.clone(),
                        source: Box::new(source),
                    })?;
                let overlap = common(&ids, &earlier);
                if overlap > 0 {
                    return Err(ProjectError::SamePupils {
                        path: file.path.clone(),
                        column: codebook.background.respondent.clone().unwrap_or_default(),
                        overlap,
                    });
                }
                Ok(round)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let presentation = self.presentation()?;
        notices.extend(
            presentation
                .unknown_invited(current.tally.municipalities())
                .into_iter()
                .map(Notice::UnknownName),
        );
        Ok(Survey {
            current,
            previous,
            notices,
        })
    }

    /// The unit `subject` names in the survey.
    pub fn find(&self, survey: &Survey, subject: Subject<'_>) -> Result<UnitRef, ProjectError> {
        unit_in(&survey.current.tally, subject)
    }

    /// The report of the unit `subject` names, with `interventions` appended.
    pub fn report(
        &self,
        survey: &Survey,
        subject: Subject<'_>,
        interventions: &[&Intervention],
    ) -> Result<Report, ProjectError> {
        let unit = self.find(survey, subject)?;
        let _scope = TimingScope::new(crate::phase::FIGURES);
        self.report_of(survey, unit, interventions)
    }

    /// The report of `unit` of the survey's tally.
    pub fn report_of(
        &self,
        survey: &Survey,
        unit: UnitRef,
        interventions: &[&Intervention],
    ) -> Result<Report, ProjectError> {
        let codebook = self.codebook()?;
        let current = &survey.current;
        let mut notices = Vec::new();
        let comparisons = comparisons::resolve(
            self.settings.compare.as_deref(),
            unit,
            &current.tally,
            &self.settings.comparisons,
            self.settings.lang,
            &mut notices,
        )?;
        let previous: Vec<Previous<'_>> = survey
            .previous
            .iter()
            .map(|round| Previous {
                tally: &round.tally,
                pattern: &round.pattern,
                round: round.round,
            })
            .collect();
        let source = Source {
            codebook,
            tally: &current.tally,
            pattern: &current.pattern,
            previous: &previous,
            relevant: self.settings().relevant_difference,
            standardise: &standardised_axes(&self.settings.standardise, codebook, &current.tally)?,
        };
        let summary = summarise(source, unit, &comparisons)?;
        for round in &survey.previous {
            let known = match &summary.unit.municipality {
                None => round.tally.find_municipality(&summary.unit.name).is_ok(),
                Some(municipality) => round
                    .tally
                    .find_municipality(municipality)
                    .and_then(|m| round.tally.find_school(&summary.unit.name, Some(m)))
                    .is_ok(),
            };
            if !known {
                notices.push(Notice::NoTrend {
                    unit: summary.unit.name.clone(),
                    round: round.round,
                });
            }
        }
        let presentation = self.presentation()?;
        let shown = self.settings.kind.figures(&summary, codebook);
        let differences = differences(&shown, codebook);
        let additions = document::Additions {
            kind: self.settings.kind,
            library: self.library(&differences)?,
            differences,
            interventions: self.appended(interventions, &mut notices)?,
            presentation: document::Presentation {
                branding: presentation.branding.clone(),
                invited: match &summary.unit.municipality {
                    None => presentation.invited(&summary.unit.name),
                    Some(_) => None,
                },
                untranslated: self
                    .settings
                    .comparisons
                    .iter()
                    .filter_map(|group| group.name.untranslated(self.settings.lang))
                    .map(str::to_owned)
                    .collect(),
            },
        };
        let data = ReportData::new(
            codebook,
            &shown,
            additions,
            self.settings.lang,
            self.settings.date,
        );
        Ok(Report {
            name: report_name(&summary, codebook.round, self.settings.kind),
            summary,
            data,
            notices,
        })
    }

    /// Renders a report to PDF.
    pub fn render(&self, report: &Report) -> Result<Rendered, ProjectError> {
        let json = serde_json::to_vec(&report.data).map_err(RenderError::from)?;
        self.render_json(&report.name, json)
    }

    /// The `--tables-out` workbook of reports' figures (one report's, or a batch's in target
    /// order), with the codebook's labels in the job's language.
    pub fn tables(&self, summaries: &[Summary]) -> Result<Vec<u8>, ProjectError> {
        let tables = Tables {
            codebook: self.codebook()?,
            lang: self.settings.lang,
            date: self.settings.date,
            min_cell: self.settings.min_cell,
        };
        Ok(tables.workbook(summaries)?)
    }

    /// Renders a report from its data serialised as JSON (as a batch fingerprints it).
    pub fn render_json(&self, name: &str, json: Vec<u8>) -> Result<Rendered, ProjectError> {
        self.renderer()?
            .report_json(json, self.assets()?, self.settings.date, name)
            .map_err(|error| self.traced(error))
    }

    /// The report as one self-contained HTML page, from the same data as its PDF, linking to
    /// `downloads`.
    pub fn render_html(
        &self,
        report: &Report,
        downloads: &Downloads,
    ) -> Result<RenderedHtml, ProjectError> {
        let json = serde_json::to_vec(&report.data).map_err(RenderError::from)?;
        self.render_html_json(json, downloads)
    }

    /// The HTML page of a report from its data serialised as JSON, linking to `downloads`.
    pub fn render_html_json(
        &self,
        json: Vec<u8>,
        downloads: &Downloads,
    ) -> Result<RenderedHtml, ProjectError> {
        self.renderer()?
            .report_html(json, self.assets()?, self.settings.date, downloads)
            .map_err(|error| self.traced(error))
    }

    /// A render error, with the input of every text no font can draw.
    fn traced(&self, error: RenderError) -> ProjectError {
        match error {
            RenderError::Undrawable(texts) => ProjectError::Undrawable(
                texts
                    .into_iter()
                    .map(|text| (origin::origin(&self.settings, &text), text))
                    .collect(),
            ),
            other => other.into(),
        }
    }

    /// Renders fact sheets on their own, one per page, with `ident` as the PDF's identifier.
    pub fn factsheets(
        &self,
        interventions: &[&Intervention],
        ident: &str,
    ) -> Result<Rendered, ProjectError> {
        let data = FactsheetsData {
            version: document::DATA_VERSION,
            lang: self.settings.lang,
            date: self.settings.date,
            interventions: self.factsheet_data(interventions)?,
        };
        self.renderer()?
            .factsheets(&data, self.settings.date, ident)
            .map_err(|error| self.traced(error))
    }

    /// The texts of the catalogue's fact sheets that no font of the templates can draw, each
    /// with its file (for `catalogue check`).
    pub fn undrawable_factsheets(
        &self,
    ) -> Result<Vec<(String, crate::render::Undrawable)>, ProjectError> {
        let all: Vec<&Intervention> = self.catalogue()?.interventions.iter().collect();
        let data = self.factsheet_data(&all)?;
        let found = self
            .renderer()?
            .undrawable(&serde_json::json!({ "interventions": data }))?;
        Ok(found
            .into_iter()
            .map(|text| (origin::origin(&self.settings, &text), text))
            .collect())
    }

    /// The library's suggestions for a report's concerns, as its template reads them.
    fn library(&self, differences: &Differences) -> Result<LibraryView, ProjectError> {
        let codebook = self.codebook()?;
        let catalogue = self.catalogue()?;
        let lang = self.settings.lang;
        let suggestions = suggestions(codebook, differences, catalogue);
        let mut named: Vec<&Intervention> = Vec::new();
        for intervention in suggestions.iter().flat_map(|s| &s.interventions) {
            if !named.iter().any(|i| i.id == intervention.id) {
                named.push(intervention);
            }
        }
        Ok(LibraryView {
            ages_text: Respondents::of(codebook).ages_label(lang),
            themes: suggestions
                .iter()
                .map(|suggestion| LibraryThemeView {
                    id: suggestion.theme.id.clone(),
                    title: suggestion.theme.title.get(lang).to_owned(),
                    interventions: suggestion
                        .interventions
                        .iter()
                        .map(|i| i.id.0.clone())
                        .collect(),
                })
                .collect(),
            interventions: named
                .into_iter()
                .map(|i| document::Factsheet::new(i, catalogue, lang))
                .collect(),
        })
    }

    /// The fact sheets appended to a report, each marked whether its target group fits the
    /// survey's respondents; one that does not gets a warning.
    fn appended(
        &self,
        interventions: &[&Intervention],
        notices: &mut Vec<Notice>,
    ) -> Result<Vec<document::Factsheet>, ProjectError> {
        let respondents = Respondents::of(self.codebook()?);
        let mut sheets = self.factsheet_data(interventions)?;
        for (sheet, intervention) in sheets.iter_mut().zip(interventions) {
            sheet.fits = respondents.fit(intervention);
            if !sheet.fits {
                notices.push(respondents.unfit(intervention));
            }
        }
        Ok(sheets)
    }

    /// Fact sheets as templates read them, with theme labels in the job's language.
    fn factsheet_data(
        &self,
        interventions: &[&Intervention],
    ) -> Result<Vec<document::Factsheet>, ProjectError> {
        if interventions.is_empty() {
            return Ok(Vec::new());
        }
        let catalogue = self.catalogue()?;
        Ok(interventions
            .iter()
            .map(|i| document::Factsheet::new(i, catalogue, self.settings.lang))
            .collect())
    }

    fn input(&self) -> Result<Input<'_>, ProjectError> {
        Ok(Input {
            paths: self.settings.survey_files()?,
            codebook: self.settings.codebook_file()?,
            sheet: self.settings.sheet.as_deref(),
        })
    }
}

/// The file name (without `.pdf`) and PDF identifier of a unit's report:
/// `basisrapport-…` or, for the key-figures report, `noegletal-…`.
pub fn report_name(summary: &Summary, round: u16, kind: ReportKind) -> String {
    match &summary.unit.municipality {
        None => report_stem(kind, round, &stem(&summary.unit.name), None),
        Some(municipality) => report_stem(
            kind,
            round,
            &stem(municipality),
            Some(&stem(&summary.unit.name)),
        ),
    }
}

/// The one rule for a report's file name (without `.pdf`), for `build` and `batch` alike:
/// `<kind>-<municipality>[-<school>]-<round>`, from the units' file-name stems (a batch makes
/// them unique among all units first).
pub(crate) fn report_stem(
    kind: ReportKind,
    round: u16,
    municipality: &str,
    school: Option<&str>,
) -> String {
    let prefix = kind.file_prefix();
    match school {
        None => format!("{prefix}-{municipality}-{round}"),
        Some(school) => format!("{prefix}-{municipality}-{school}-{round}"),
    }
}

/// How many values two sorted lists of distinct values have in common.
fn common(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                count += 1;
                i += 1;
                j += 1;
            }
        }
    }
    count
}

/// The value in `cell`, loading it with `load` the first time.
fn load_once<T>(
    cell: &OnceLock<T>,
    load: impl FnOnce() -> Result<T, ProjectError>,
) -> Result<&T, ProjectError> {
    if let Some(value) = cell.get() {
        return Ok(value);
    }
    let value = load()?;
    Ok(cell.get_or_init(|| value))
}

#[cfg(test)]
mod tests;

/// The tally axes of the breakdowns `wanted` names (each a codebook breakdown id shown in
/// reports, or such ids joined by `-`, as in `gender-grade`), in order and once each.
fn standardised_axes(
    wanted: &[String],
    codebook: &Codebook,
    tally: &Tally,
) -> Result<Vec<usize>, ProjectError> {
    let breakdowns = &codebook.background.breakdowns;
    let shown: Vec<&str> = tally
        .breakdowns()
        .iter()
        .map(|&b| breakdowns[b].id.as_str())
        .collect();
    let mut axes = Vec::new();
    for id in wanted {
        let ids: Vec<&str> = if shown.contains(&id.as_str()) {
            vec![id.as_str()]
        } else {
            id.split('-').collect()
        };
        for id in ids {
            let axis = shown.iter().position(|&s| s == id).ok_or_else(|| {
                ProjectError::UnknownBreakdown {
                    id: id.to_owned(),
                    known: shown.iter().map(|&s| s.to_owned()).collect(),
                    suggestions: crate::suggest::closest(id, shown.iter().copied())
                        .into_iter()
                        .map(str::to_owned)
                        .collect(),
                }
            })?;
            if !axes.contains(&axis) {
                axes.push(axis);
            }
        }
    }
    if axes.len() > crate::aggregate::MAX_BREAKDOWNS {
        return Err(ProjectError::TooManyBreakdowns { count: axes.len() });
    }
    Ok(axes)
}
