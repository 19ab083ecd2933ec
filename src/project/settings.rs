//! Resolving what a job should do: every option from the command line, else from
//! report.yaml, else its default — in this one place, so each rule is written once.

use std::path::{Path, PathBuf};

use crate::Lang;
use crate::aggregate::{DEFAULT_MIN_CELL, Level};
use crate::config::{Branding, Config, CustomComparison, Invited};
use crate::date::ReportDate;
use crate::input::{YAML_LIMIT, read_text};
use crate::render::document::ReportKind;

use super::ProjectError;

/// What a command line can set; `None` (or empty) leaves the choice to report.yaml and the
/// defaults. Built by the CLI layer from its flags, or by a program using the library.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// report.yaml to read (`--config`); without it `./report.yaml` is used if present.
    pub config: Option<PathBuf>,
    /// Survey files (`--survey`, repeatable).
    pub survey: Vec<PathBuf>,
    pub codebook: Option<PathBuf>,
    /// Every codebook that publishes from the survey round (`--publication`, repeatable).
    pub publications: Vec<PathBuf>,
    /// The spreadsheet sheet to read (`--sheet`).
    pub sheet: Option<String>,
    /// The intervention library directory (`--catalogue`).
    pub catalogue: Option<PathBuf>,
    pub municipality: Option<String>,
    /// The school to report on (`--school`), with `municipality` where school names repeat.
    pub school: Option<String>,
    /// The comparison groups, in order (`--compare`).
    pub compare: Vec<String>,
    /// The breakdowns comparisons are standardised over (`--standardise`).
    pub standardise: Vec<String>,
    /// Fact sheet ids to append, in order (`-i`, `--interventions`).
    pub interventions: Vec<String>,
    /// A file of further fact sheet ids (`--interventions-file`).
    pub interventions_file: Option<PathBuf>,
    /// Earlier rounds' survey files (`--previous`, repeatable): `FILE` or `YEAR=FILE`.
    pub previous: Vec<String>,
    /// The round of a single `--previous FILE` (`--previous-round`).
    pub previous_round: Option<u16>,
    pub min_cell: Option<u32>,
    pub date: Option<ReportDate>,
    pub lang: Option<Lang>,
    /// A directory of templates overriding the built-in ones (`--templates`).
    pub templates: Option<PathBuf>,
    /// PDF standards (`--pdf-standard`); empty means the default, PDF/UA-1.
    pub pdf_standards: Vec<String>,
    /// The full basis report or the short key-figures report (`--kind`).
    pub kind: ReportKind,
}

/// An earlier round's results file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundFile {
    pub path: PathBuf,
    /// Its round (year); `None` means the codebook's round − 1 (for a single earlier round).
    pub round: Option<u16>,
}

/// Where the intervention library comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogueSource {
    /// The catalogue built into the binary.
    Bundled,
    Dir(PathBuf),
}

/// Where a list of files was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared {
    /// Not at all.
    Nowhere,
    /// On the command line.
    Flags,
    /// In report.yaml.
    Config,
}

/// Every setting of a job after the command line, report.yaml and the defaults have been
/// combined. Nothing else in the program chooses between them.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The report.yaml read, if any.
    pub config_file: Option<PathBuf>,
    pub survey: Vec<PathBuf>,
    pub codebook: Option<PathBuf>,
    /// Every codebook that publishes from the survey round, the job's own among them; empty
    /// when none are declared (the job's codebook is then the only one).
    pub publications: Vec<PathBuf>,
    /// Where `publications` were declared, for messages: `--publication` or report.yaml.
    pub publications_declared: Declared,
    /// The levels the round publishes reports at (report.yaml `levels:`; both by default),
    /// protected together.
    pub levels: Vec<Level>,
    pub sheet: Option<String>,
    pub catalogue: CatalogueSource,
    pub municipality: Option<String>,
    pub school: Option<String>,
    /// The comparison groups in order; `None` for the default (`all`, and for a school its
    /// municipality first).
    pub compare: Option<Vec<String>>,
    pub comparisons: Vec<CustomComparison>,
    /// The breakdowns (codebook ids, or ids joined by `-`) every comparison is standardised
    /// over to the unit's mix; empty for none.
    pub standardise: Vec<String>,
    /// Fact sheet ids from the flags, then from the interventions file.
    pub interventions: Vec<String>,
    pub interventions_file: Option<PathBuf>,
    /// Earlier rounds, oldest first.
    pub rounds: Vec<RoundFile>,
    pub min_cell: u32,
    /// The smallest difference a report marks, in percentage points.
    pub relevant_difference: f64,
    pub date: ReportDate,
    pub lang: Lang,
    pub templates: Option<PathBuf>,
    pub pdf_standards: Vec<String>,
    pub kind: ReportKind,
    pub branding: Branding,
    pub invited: Option<Invited>,
}

impl Settings {
    /// Combines `options` with `config` (report.yaml) and the defaults.
    pub fn resolve(options: &Options, config: &Config) -> Result<Settings, ProjectError> {
        let catalogue = match options.catalogue.clone().or_else(|| config.catalogue_dir()) {
            Some(dir) => CatalogueSource::Dir(dir),
            None => CatalogueSource::Bundled,
        };
        let mut interventions: Vec<String> = options
            .interventions
            .iter()
            .map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty())
            .collect();
        if let Some(path) = &options.interventions_file {
            let text = read_text(path, YAML_LIMIT)?;
            interventions.extend(ids_in_file(&text));
        }
        Ok(Settings {
            config_file: config.file.clone(),
            survey: if options.survey.is_empty() {
                config.survey.clone()
            } else {
                options.survey.clone()
            },
            codebook: options.codebook.clone().or_else(|| config.codebook.clone()),
            publications: if options.publications.is_empty() {
                config.publications.clone()
            } else {
                options.publications.clone()
            },
            publications_declared: match (
                options.publications.is_empty(),
                config.publications.is_empty(),
            ) {
                (false, _) => Declared::Flags,
                (true, false) => Declared::Config,
                (true, true) => Declared::Nowhere,
            },
            levels: config
                .levels
                .clone()
                .unwrap_or_else(|| vec![Level::Municipality, Level::School]),
            sheet: options.sheet.clone(),
            catalogue,
            municipality: options
                .municipality
                .clone()
                .or_else(|| config.municipality.clone()),
            school: options.school.clone(),
            compare: if options.compare.is_empty() {
                config.compare.clone()
            } else {
                Some(options.compare.clone())
            },
            comparisons: config.comparisons.clone(),
            standardise: if options.standardise.is_empty() {
                config
                    .standardise
                    .clone()
                    .map(Into::into)
                    .unwrap_or_default()
            } else {
                options.standardise.clone()
            },
            interventions,
            interventions_file: options.interventions_file.clone(),
            rounds: rounds(options, config)?,
            min_cell: options
                .min_cell
                .or(config.min_cell)
                .unwrap_or(DEFAULT_MIN_CELL),
            relevant_difference: config
                .relevant_difference
                .unwrap_or(crate::aggregate::DEFAULT_RELEVANT_DIFFERENCE),
            date: ReportDate::resolve(options.date)?,
            lang: options.lang.or(config.lang).unwrap_or_default(),
            templates: options
                .templates
                .clone()
                .or_else(|| config.templates.clone()),
            pdf_standards: options.pdf_standards.clone(),
            kind: options.kind,
            branding: config.branding.clone(),
            invited: config.invited.clone(),
        })
    }

    /// The survey files, or why there are none.
    pub fn survey_files(&self) -> Result<&[PathBuf], ProjectError> {
        if self.survey.is_empty() {
            return Err(ProjectError::NoSurvey);
        }
        Ok(&self.survey)
    }

    /// The codebook file, or why there is none.
    pub fn codebook_file(&self) -> Result<&Path, ProjectError> {
        self.codebook.as_deref().ok_or(ProjectError::NoCodebook)
    }

    /// Every file the job may read: no output may replace one of them. The catalogue and
    /// template directories count with every file below them.
    pub fn input_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = self
            .config_file
            .iter()
            .chain(&self.survey)
            .chain(&self.codebook)
            .chain(&self.publications)
            .chain(&self.interventions_file)
            .chain(self.rounds.iter().map(|round| &round.path))
            .chain(&self.branding.logo)
            .cloned()
            .collect();
        if let Some(Invited::File(path)) = &self.invited {
            files.push(path.clone());
        }
        let dirs = match &self.catalogue {
            CatalogueSource::Dir(dir) => Some(dir),
            CatalogueSource::Bundled => None,
        };
        for dir in dirs.into_iter().chain(&self.templates) {
            files.extend(
                walkdir::WalkDir::new(dir)
                    .into_iter()
                    .filter_map(Result::ok)
                    .filter(|entry| entry.file_type().is_file())
                    .map(walkdir::DirEntry::into_path),
            );
        }
        files
    }

    /// The municipality to report on, or why there is none.
    pub fn municipality(&self) -> Result<&str, ProjectError> {
        self.municipality
            .as_deref()
            .ok_or(ProjectError::NoMunicipality)
    }
}

/// The earlier rounds: `--previous` (each `FILE` or `YEAR=FILE`) if given, else report.yaml's
/// `rounds:` and `previous:`; sorted oldest first (a round without a year counts as the
/// latest).
fn rounds(options: &Options, config: &Config) -> Result<Vec<RoundFile>, ProjectError> {
    let mut rounds: Vec<RoundFile> = if options.previous.is_empty() {
        config
            .rounds
            .iter()
            .map(|(&round, path)| RoundFile {
                path: path.clone(),
                round: Some(round),
            })
            .chain(config.previous.iter().map(|path| RoundFile {
                path: path.clone(),
                round: options.previous_round,
            }))
            .collect()
    } else {
        options
            .previous
            .iter()
            .map(|given| match given.split_once('=') {
                Some((year, path))
                    if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    Ok(RoundFile {
                        path: PathBuf::from(path),
                        round: year.parse().ok(),
                    })
                }
                _ => Ok(RoundFile {
                    path: PathBuf::from(given),
                    round: options.previous_round,
                }),
            })
            .collect::<Result<_, ProjectError>>()?
    };
    if rounds.iter().filter(|r| r.round.is_none()).count() > 1 {
        return Err(ProjectError::RoundsWithoutYear);
    }
    rounds.sort_by_key(|r| r.round.unwrap_or(u16::MAX));
    Ok(rounds)
}

/// The ids in an interventions file: a YAML list, or one id a line (`#` starts a comment).
fn ids_in_file(text: &str) -> Vec<String> {
    if let Ok(list) = serde_yaml::from_str::<Vec<String>>(text) {
        return list;
    }
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interventions_files_are_yaml_lists_or_lines() {
        assert_eq!(ids_in_file("- x-it\n- pals\n"), ["x-it", "pals"]);
        assert_eq!(ids_in_file("[x-it, pals]"), ["x-it", "pals"]);
        assert_eq!(
            ids_in_file("# til rapporten\nx-it\n\npals  # mobning\n"),
            ["x-it", "pals"]
        );
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_the_defaults() {
        let config = Config {
            municipality: Some("Aarhus".into()),
            min_cell: Some(10),
            lang: Some(Lang::En),
            ..Config::default()
        };
        let options = Options {
            municipality: Some("Odder".into()),
            date: Some("2026-01-02".parse().unwrap()),
            ..Options::default()
        };
        let settings = Settings::resolve(&options, &config).unwrap();
        assert_eq!(settings.municipality.as_deref(), Some("Odder"));
        assert_eq!(settings.min_cell, 10);
        assert_eq!(settings.lang, Lang::En);
        assert_eq!(settings.catalogue, CatalogueSource::Bundled);
        let defaults = Settings::resolve(&options, &Config::default()).unwrap();
        assert_eq!(defaults.min_cell, DEFAULT_MIN_CELL);
        assert_eq!(defaults.lang, Lang::Da);
        assert!(matches!(
            defaults.survey_files(),
            Err(ProjectError::NoSurvey)
        ));
    }
}
