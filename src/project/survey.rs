//! The survey data of a job, read once: the answers counted into a tally, the file's
//! disclosure-control pattern, and the earlier round for trends.

use std::fmt::{self, Write};
use std::path::{Path, PathBuf};

use super::ProjectError;
use crate::aggregate::{Focus, Level, Pattern, Tally};
use crate::names::UnknownName;
use crate::survey::{Codebook, Quality, Responses, Severity};

/// How many problems a refusal lists; `report validate` lists them all.
const SCREENFUL: usize = 15;

/// A survey file's counts and what may be published from them.
#[derive(Debug)]
pub struct Round {
    pub tally: Tally,
    pub pattern: Pattern,
    /// The round (year) the data are from.
    pub round: u16,
}

/// The data every report of a job is built from.
#[derive(Debug)]
pub struct Survey {
    pub current: Round,
    /// Earlier rounds for trends, oldest first.
    pub previous: Vec<Round>,
    /// Things the analyst should know that do not stop the job.
    pub notices: Vec<Notice>,
}

/// Something worth telling the analyst that does not stop the job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The survey data have warnings; `command` lists them.
    DataWarnings { count: usize, command: String },
    /// A name under `invited:` or in the batch interventions map is not a municipality in
    /// the data (with the names it looks like).
    UnknownName(UnknownName),
    /// The earlier round has no respondents from the unit.
    NoTrend { unit: String, round: u16 },
    /// The batch manifest of an earlier run could not be read, so every report is rendered.
    IgnoredManifest { path: PathBuf, error: String },
    /// An appended fact sheet's target group does not fit the survey's respondents.
    UnfitIntervention {
        name: String,
        target: String,
        respondents: String,
    },
    /// A custom comparison group names a municipality the data do not have.
    UnknownComparisonMember {
        comparison: String,
        municipality: String,
    },
}

impl Notice {
    /// A name an analyst wrote (interventions map, `invited:`) that matches no municipality.
    pub fn unknown_name(&self) -> Option<&UnknownName> {
        match self {
            Notice::UnknownName(name) => Some(name),
            _ => None,
        }
    }
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::DataWarnings { count, command } => write!(
                f,
                "note: the survey data have {count} warning(s); `{command}` lists them"
            ),
            Notice::UnknownName(name) => write!(f, "warning: {name}"),
            Notice::NoTrend { unit, round } => write!(
                f,
                "warning: the {round} data have no respondents from {unit}; its report shows a gap there"
            ),
            Notice::UnknownComparisonMember {
                comparison,
                municipality,
            } => write!(
                f,
                "warning: comparison `{comparison}`: `{municipality}` is not a municipality in the data; it is left out"
            ),
            Notice::UnfitIntervention {
                name,
                target,
                respondents,
            } => write!(
                f,
                "warning: {name} is for {target}, the survey's respondents are {respondents}; its fact sheet is appended with a note saying so"
            ),
            Notice::IgnoredManifest { path, error } => write!(
                f,
                "warning: ignoring {} ({error}); every report is rendered",
                path.display()
            ),
        }
    }
}

/// How a survey file's disclosure control is decided for a job.
#[derive(Debug, Clone, Copy)]
pub(super) struct Deciding {
    /// The level whose system decides (`Project::decided_at`).
    pub(super) at: Level,
    pub(super) min_cell: u32,
}

impl Deciding {
    /// What may be published from `tally`, the count of `responses` (read with `codebook`)
    /// at a job's level, for the municipalities `focus` names: decided in the system of
    /// `self.at`, seen at the tally's level ([`Pattern::municipal`] where a municipality
    /// report takes the school level's decisions).
    pub(super) fn pattern(
        &self,
        codebook: &Codebook,
        responses: &Responses,
        tally: &Tally,
        focus: Focus,
    ) -> Pattern {
        let recounted;
        let decided = if self.at == tally.level() {
            tally
        } else {
            recounted = Tally::count(codebook, responses, self.at);
            &recounted
        };
        Pattern::for_reports(decided, tally.level(), self.min_cell, focus)
    }
}

/// Survey files to read against a codebook.
#[derive(Debug, Clone, Copy)]
pub(super) struct Input<'a> {
    pub(super) paths: &'a [PathBuf],
    pub(super) codebook: &'a Path,
    pub(super) sheet: Option<&'a str>,
}

impl Input<'_> {
    /// Reads the files as they are, with their quality report (for `report validate`).
    pub(super) fn read(&self, codebook: &Codebook) -> Result<(Responses, Quality), ProjectError> {
        Ok(Responses::read(self.paths, codebook, self.sheet)?)
    }

    /// Reads the files for a report: refuses data with errors (listing a screenful of them)
    /// or without respondents.
    pub(super) fn responses(
        &self,
        codebook: &Codebook,
        notices: &mut Vec<Notice>,
    ) -> Result<Responses, ProjectError> {
        let (responses, quality) = self.read(codebook)?;
        if quality.errors() > 0 {
            return Err(ProjectError::SurveyErrors(self.refusal(&quality)));
        }
        let warnings = quality.warnings();
        if warnings > 0 {
            notices.push(Notice::DataWarnings {
                count: warnings,
                command: self.validate_command(),
            });
        }
        if responses.is_empty() {
            return Err(ProjectError::NoRespondents);
        }
        Ok(responses)
    }

    /// Reads the files for a report, counts them at `level` and decides what may be
    /// published from them alone (an earlier round, published by its own pattern) as
    /// `deciding` says, as the current round is. `focused` names the municipality a single
    /// report is about: the earlier round's municipality of that name (if it has one) is
    /// decided in full, of the others what the comparison groups sum ([`Focus::One`]);
    /// `None` decides every municipality.
    pub(super) fn round(
        &self,
        codebook: &Codebook,
        level: Level,
        deciding: Deciding,
        focused: Option<&str>,
        round: u16,
        notices: &mut Vec<Notice>,
    ) -> Result<(Round, Vec<u64>), ProjectError> {
        let responses = self.responses(codebook, notices)?;
        let tally = Tally::count(codebook, &responses, level);
        let focus = match focused {
            None => Focus::All,
            Some(name) => Focus::One(tally.find_municipality(name).ok()),
        };
        let pattern = deciding.pattern(codebook, &responses, &tally, focus);
        Ok((
            Round {
                tally,
                pattern,
                round,
            },
            responses.respondent_ids().to_vec(),
        ))
    }

    /// The `report validate` command line that shows every problem of these files.
    pub(super) fn validate_command(&self) -> String {
        let mut command = "report validate".to_owned();
        for path in self.paths {
            let _ = write!(command, " --survey {}", path.display());
        }
        let _ = write!(command, " --codebook {}", self.codebook.display());
        if let Some(sheet) = self.sheet {
            let _ = write!(command, " --sheet {sheet}");
        }
        command
    }

    fn refusal(&self, quality: &Quality) -> String {
        refusal(
            quality,
            |count| format!("the survey data have {count} problem(s); no report was written:"),
            &self.validate_command(),
        )
    }
}

/// A refusal of data with errors: the `heading` for their number, a screenful of them and
/// the `command` that lists them all.
pub(super) fn refusal(
    quality: &Quality,
    heading: impl FnOnce(usize) -> String,
    command: &str,
) -> String {
    let errors: Vec<String> = quality
        .issues()
        .filter(|i| i.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    let mut message = heading(errors.len());
    for line in errors.iter().take(SCREENFUL) {
        let _ = write!(message, "\n  {line}");
    }
    if errors.len() > SCREENFUL {
        let _ = write!(message, "\n  … and {} more", errors.len() - SCREENFUL);
    }
    let _ = write!(message, "\nrun `{command}` for the full list");
    message
}
