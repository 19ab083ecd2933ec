//! Why a job could not be done: every error the library's entry point can give, each naming
//! the input at fault.

use std::path::PathBuf;

use crate::aggregate::{Level, NoReport, UnknownUnit};
use crate::catalogue::{CatalogueError, SelectError};
use crate::config::ConfigError;
use crate::date::DateError;
use crate::input::InputError;
use crate::output::OutputError;
use crate::render::RenderError;
use crate::render::tables::TablesError;
use crate::render::templates::TemplateError;
use crate::survey::{CodebookError, ResponsesError};

/// An error of [`super::Project`].
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Date(#[from] DateError),
    #[error("no survey given: use --survey FILE or set `survey:` in report.yaml")]
    NoSurvey,
    #[error("no codebook given: use --codebook FILE or set `codebook:` in report.yaml")]
    NoCodebook,
    #[error("no municipality given: use --municipality NAME or set `municipality:` in report.yaml")]
    NoMunicipality,
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Codebook(#[from] CodebookError),
    #[error("cannot load the catalogue in {}", dir.display())]
    Catalogue {
        dir: PathBuf,
        source: CatalogueError,
    },
    #[error(transparent)]
    Select(#[from] SelectError),
    #[error(transparent)]
    Templates(#[from] TemplateError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Tables(#[from] TablesError),
    /// Texts no font can draw, each with the input it came from.
    #[error(
        "the report has text its fonts cannot draw (change the text, or add a font that has \
         the characters to the templates' fonts/ directory):\n{}",
        .0.iter().map(|(origin, text)| format!("  {origin}: {text}")).collect::<Vec<_>>().join("\n")
    )]
    Undrawable(Vec<(String, crate::render::Undrawable)>),
    #[error("logo {}: {problem}", path.display())]
    Logo { path: PathBuf, problem: String },
    /// A row of an `invited:` file that is not a name and a number.
    #[error("{0}")]
    Invited(String),
    #[error(transparent)]
    Survey(#[from] ResponsesError),
    /// Survey data with errors, with a screenful of them.
    #[error("{0}")]
    SurveyErrors(String),
    #[error("the survey data have no respondents")]
    NoRespondents,
    #[error("cannot read the earlier round {}", path.display())]
    Previous {
        path: PathBuf,
        source: Box<ProjectError>,
    },
    /// The round's publications cannot be protected together.
    #[error(transparent)]
    Publications(Box<super::PublicationError>),
    /// Data problems in columns that only the round's other publications read, with a
    /// screenful of them.
    #[error("{0}")]
    PublicationData(String),
    #[error(
        "the earlier round {} is given as {round}, the round of the survey itself: a trend \
         needs an earlier round, and two exports of one round would show, by their \
         difference, the answers of the pupils who answered in between; no report was written",
        path.display()
    )]
    SameRound { path: PathBuf, round: u16 },
    #[error(
        "the earlier round {} holds {overlap} respondent(s) whose id (column `{column}`) is \
         also in the survey data: it is (partly) the same pupils, and the difference of two \
         exports of one round would show the answers of the pupils who answered in between; \
         give an earlier round's file (no report was written)",
        path.display()
    )]
    SamePupils {
        path: PathBuf,
        column: String,
        overlap: usize,
    },
    #[error(transparent)]
    UnknownUnit(#[from] UnknownUnit),
    #[error(transparent)]
    NoReport(#[from] NoReport),
    #[error(
        "several earlier rounds need their years: give each as --previous YEAR=FILE or under `rounds:` in report.yaml"
    )]
    RoundsWithoutYear,
    #[error("unknown comparison `{id}`: use all, region, municipality (for a school) or the id of a group under `comparisons:` in report.yaml{}", crate::suggest::did_you_mean(.suggestions))]
    UnknownComparison {
        id: String,
        suggestions: Vec<String>,
    },
    #[error(
        "`standardise`: no breakdown `{id}` among those the codebook shows in reports ({}){}",
        known.join(", "),
        crate::suggest::did_you_mean(.suggestions)
    )]
    UnknownBreakdown {
        id: String,
        known: Vec<String>,
        suggestions: Vec<String>,
    },
    #[error(
        "`standardise` lists {count} breakdowns: a comparison is standardised over at most {}",
        crate::aggregate::MAX_BREAKDOWNS
    )]
    TooManyBreakdowns { count: usize },
    #[error(
        "`--compare region`: {municipality} is not one of the 98 Danish municipalities in data/regions.csv, so it has no region"
    )]
    NoRegion { municipality: String },
    #[error(
        "`--compare municipality` compares a school with its municipality; a municipality's report cannot use it"
    )]
    MunicipalityComparison,
    #[error(
        "no school column in the codebook: school reports need `background: {{school: COLUMN}}`"
    )]
    NoSchoolColumn,
    /// A report at a level report.yaml does not list: the round's disclosure control did not
    /// protect it together with the levels that are published.
    #[error(
        "{} lists the levels this round publishes (`levels:`) without `{}`: such a report was \
         not protected together with the others and is not written; add `{}` to `levels:` to \
         publish it (every level's reports then withhold what the others need)",
        file.display(),
        level.id(),
        level.id()
    )]
    LevelNotPublished { level: Level, file: PathBuf },
    #[error(transparent)]
    Output(#[from] OutputError),
}

impl From<super::PublicationError> for ProjectError {
    fn from(error: super::PublicationError) -> ProjectError {
        ProjectError::Publications(Box::new(error))
    }
}
