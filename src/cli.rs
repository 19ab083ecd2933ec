//! The command line: every subcommand and flag, as clap derive types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use report::Lang;
use report::catalogue::model::{DocumentationLevel, InterventionType, Setting};
use report::date::ReportDate;
use report::project::Options;
use report::render::document::ReportKind;

/// Basis reports of Danish municipal youth surveys, with intervention fact sheets.
#[derive(Debug, Parser)]
#[command(name = "report", version, about, max_term_width = 100)]
pub(crate) struct Cli {
    /// Project file with defaults [default: ./report.yaml if present]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the basis report of one municipality as PDF
    Build(Box<BuildArgs>),
    /// Browse and check the intervention library
    Catalogue(CatalogueArgs),
    /// Print fact sheets as stand-alone PDFs
    Factsheet(FactsheetArgs),
    /// Check survey data against the codebook and summarise its quality
    Validate(ValidateArgs),
    /// Build the reports of every municipality in the data, in parallel
    Batch(Box<BatchArgs>),
    /// Work with the report templates
    Templates {
        #[command(subcommand)]
        command: TemplatesCommand,
    },
    /// Work with codebooks
    Codebook {
        #[command(subcommand)]
        command: CodebookCommand,
    },
    /// Start a project in DIR: a commented report.yaml, an invited.csv to fill in and, with
    /// --survey, a drafted codebook (existing files are not overwritten)
    Init(InitArgs),
    /// Print a completion script for a shell (e.g. `report completions bash >
    /// ~/.local/share/bash-completion/completions/report`)
    Completions {
        /// The shell to complete in
        shell: clap_complete::Shell,
    },
    /// Print the man page (`report man | man -l -`), or write one per command to DIR
    Man {
        /// Write report.1 and a page per subcommand (report-build.1, …) here
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum CodebookCommand {
    /// Draft a codebook from survey data: SPSS labels and missing values where the file has
    /// them, "TODO" where a person must write a text, "# CHECK" on every guess
    Draft(DraftArgs),
}

/// `report codebook draft …`
#[derive(Debug, Args)]
pub(crate) struct DraftArgs {
    /// Survey results to draft from: CSV, a spreadsheet or SPSS (.sav, .zsav); repeat to
    /// combine several files
    #[arg(long, value_name = "FILE", required = true)]
    pub survey: Vec<PathBuf>,

    /// The sheet to read from spreadsheets [default: the first]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// Where to write the codebook [default: standard output]
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Replace an existing --out file
    #[arg(long, requires = "out")]
    pub force: bool,
}

/// `report init …`
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The project directory (created if missing)
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// Survey results to name in report.yaml and draft the codebook from (repeatable)
    #[arg(long, value_name = "FILE")]
    pub survey: Vec<PathBuf>,

    /// The sheet to read from spreadsheets [default: the first]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum TemplatesCommand {
    /// Print the JSON Schema of the data templates read from /data.json (versioned)
    Schema {
        /// Whose data: the basis report's or the stand-alone fact sheets'
        #[arg(long, value_enum, default_value_t = TemplateKind::Report)]
        of: TemplateKind,
    },
    /// Write the built-in templates (and fonts) to DIR for editing; use them with --templates
    Export {
        /// Where to write them (created if missing; existing files are not overwritten)
        dir: PathBuf,
        /// Overwrite existing files
        #[arg(long)]
        force: bool,
    },
}

/// Which reports a command is about: a batch builds them, `validate` shows what they withhold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum UnitLevel {
    /// The municipalities' reports
    Municipality,
    /// The schools' reports
    School,
}

impl From<UnitLevel> for report::aggregate::Level {
    fn from(level: UnitLevel) -> Self {
        match level {
            UnitLevel::Municipality => report::aggregate::Level::Municipality,
            UnitLevel::School => report::aggregate::Level::School,
        }
    }
}

/// Which main template's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum TemplateKind {
    /// basisrapport.typ
    Report,
    /// factsheets.typ
    Factsheets,
}

/// Where the survey data are; shared by the commands that read them.
#[derive(Debug, Args)]
pub(crate) struct SurveyArgs {
    /// Survey results: CSV (any of `,` `;` tab; UTF-8, UTF-16 or Windows-1252), a
    /// spreadsheet (.xlsx, .xls, .ods) or SPSS (.sav, .zsav); repeat to combine several files
    #[arg(long, value_name = "FILE")]
    pub survey: Vec<PathBuf>,

    /// Codebook (YAML) describing the survey's columns
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,

    /// A codebook that publishes from this survey round (repeat for each, --codebook's
    /// among them): disclosure control protects all their reports together
    /// [default: `publications:` in report.yaml]
    #[arg(long, value_name = "FILE")]
    pub publication: Vec<PathBuf>,

    /// The sheet to read from spreadsheets [default: the first]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

/// `report validate …`
#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    #[command(flatten)]
    pub survey: SurveyArgs,

    /// The privacy threshold disclosure control is shown for [default: from report.yaml, else 5]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub min_cell: Option<u32>,

    /// Also show what school reports would withhold (municipalities and their schools
    /// protected together; slower on data with many schools)
    #[arg(long, value_enum, default_value_t = UnitLevel::Municipality)]
    pub level: UnitLevel,

    /// Also print why each figure is withheld (primary: too few answers; secondary: to
    /// protect a smaller group) and why each unit gets no report: for the analyst, NOT for
    /// publication
    #[arg(long)]
    pub audit: bool,
}

/// Flags of `report build`; each overrides the same setting in report.yaml.
#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub survey: SurveyArgs,

    /// The municipality to report on, as named in the survey file (with --school: the
    /// school's municipality, where school names repeat)
    #[arg(short, long, value_name = "NAME")]
    pub municipality: Option<String>,

    /// Report on this school instead, against its municipality and the comparisons
    #[arg(long, value_name = "NAME")]
    pub school: Option<String>,

    /// Intervention library directory [default: from report.yaml, else the bundled one]
    #[arg(long, value_name = "DIR")]
    pub catalogue: Option<PathBuf>,

    /// Append this intervention's fact sheet (repeatable; order kept, duplicates once)
    #[arg(short = 'i', long = "intervention", value_name = "ID")]
    pub intervention: Vec<String>,

    /// Append these fact sheets (comma-separated ids), after any -i
    #[arg(long, value_name = "ID,…", value_delimiter = ',')]
    pub interventions: Vec<String>,

    /// Append the fact sheets listed in FILE (one id a line, or a YAML list)
    #[arg(long, value_name = "FILE")]
    pub interventions_file: Option<PathBuf>,

    /// Pick fact sheets interactively (type to filter; needs a terminal)
    #[arg(long)]
    pub pick: bool,

    /// Where to write the PDF [default: basisrapport-<municipality>-<round>.pdf]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write the report as one accessible, self-contained HTML page (for a website)
    #[arg(long, value_name = "FILE")]
    pub html_out: Option<PathBuf>,

    /// Also write every figure of the report as JSON
    #[arg(long, value_name = "FILE")]
    pub data_out: Option<PathBuf>,

    /// Also write every published figure as tidy tables in an Excel workbook (.xlsx)
    #[arg(long, value_name = "FILE")]
    pub tables_out: Option<PathBuf>,

    /// Also write a profile of the run's phases (reading, disclosure control, figures, typst's
    /// evaluation and layout iterations, PDF export) as a Chrome trace, and print their totals
    #[arg(long, value_name = "FILE")]
    pub timings: Option<PathBuf>,

    #[command(flatten)]
    pub report: ReportOptions,
}

/// Settings of the report itself, shared by `build` and `batch`.
#[derive(Debug, Args)]
pub(crate) struct ReportOptions {
    #[command(flatten)]
    pub render: RenderOptions,

    /// Results of an earlier round (same codebook ids) for trends; repeat for several
    /// rounds, each as YEAR=FILE
    #[arg(long, value_name = "[YEAR=]FILE")]
    pub previous: Vec<String>,

    /// The round of a single --previous FILE [default: the codebook's round − 1]
    #[arg(long, value_name = "YEAR", requires = "previous")]
    pub previous_round: Option<u16>,

    /// The groups to compare with, in order: all, region, municipality (for a school) or a
    /// group under `comparisons:` in report.yaml [default: all; for a school municipality,all]
    #[arg(long, value_name = "GROUP,…", value_delimiter = ',')]
    pub compare: Vec<String>,

    /// Publish nothing about fewer respondents than this [default: 5]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub min_cell: Option<u32>,

    /// Compare the unit with each group as if the group had the unit's mix of pupils by
    /// these breakdowns (codebook ids, e.g. `gender,grade` or `gender-grade`)
    #[arg(long, value_name = "BREAKDOWN,…", value_delimiter = ',')]
    pub standardise: Vec<String>,

    /// The full basis report, or the short key-figures report (overview, differences,
    /// library; file names noegletal-…)
    #[arg(long, default_value = "full", value_parser = keys_parser::<ReportKind>(ReportKind::KEYS.to_vec()))]
    pub kind: ReportKind,
}

/// How PDFs are rendered, shared by `build`, `batch` and `factsheet`.
#[derive(Debug, Args)]
pub(crate) struct RenderOptions {
    /// The date printed (also fixes the PDF timestamp) [default: $SOURCE_DATE_EPOCH or today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<ReportDate>,

    /// Language of the fixed texts
    #[arg(long, value_parser = lang_parser())]
    pub lang: Option<Lang>,

    /// Use the Typst templates in DIR instead of the built-in ones (see `templates export`)
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// PDF standards to conform to, e.g. `a-2b,ua-1` for archive copies [default: ua-1]
    #[arg(long, value_name = "STANDARD,…", value_delimiter = ',')]
    pub pdf_standard: Vec<String>,
}

/// `report batch …`
#[derive(Debug, Args)]
pub(crate) struct BatchArgs {
    #[command(flatten)]
    pub survey: SurveyArgs,

    /// Directory for the reports (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,

    /// Build municipalities' reports, or every school's (OUT/<municipality>/basisrapport-<municipality>-<school>-<round>.pdf)
    #[arg(long, value_enum, default_value_t = UnitLevel::Municipality)]
    pub level: UnitLevel,

    /// Only these municipalities, or with --level school their schools (comma-separated)
    #[arg(long, value_name = "NAME,…", value_delimiter = ',')]
    pub only: Vec<String>,

    /// YAML map of municipality → fact sheet ids, with a `default:` list for the rest
    #[arg(long, value_name = "FILE")]
    pub interventions: Option<PathBuf>,

    /// Intervention library directory [default: from report.yaml, else the bundled one]
    #[arg(long, value_name = "DIR")]
    pub catalogue: Option<PathBuf>,

    /// Reports rendered at once [default: the number of cores]; each report also lays out its
    /// pages on every core, as the typst CLI does
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// Render only part K of N of the municipalities (for a CI matrix of N machines)
    #[arg(long, value_name = "K/N", default_value_t = report::batch::Shard::ALL)]
    pub shard: report::batch::Shard,

    /// Go on after a report fails (the exit code is 1 at the end)
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set,
          num_args = 0..=1, default_missing_value = "true", require_equals = false)]
    pub keep_going: bool,

    /// Build even when a name in the interventions map or under `invited:` in report.yaml
    /// matches no municipality in the data (each is then a warning); without it the batch
    /// stops before writing anything
    #[arg(long)]
    pub allow_unknown_names: bool,

    /// Write one JSON record per report (municipality, file, pages, bytes, time, status, error)
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,

    /// Write the published figures of every report built (or unchanged) to one Excel
    /// workbook (.xlsx) of tidy tables, with the municipality (and school) in every row
    #[arg(long, value_name = "FILE")]
    pub tables_out: Option<PathBuf>,

    /// Render every report, even those whose inputs are unchanged since the last run
    #[arg(long)]
    pub force: bool,

    /// Print nothing but errors
    #[arg(short, long)]
    pub quiet: bool,

    /// Also write each report as an accessible, self-contained HTML page beside its PDF
    #[arg(long)]
    pub html: bool,

    /// Write each report's Typst project (template, data.json, fonts) to DIR instead of PDFs
    #[arg(long, value_name = "DIR")]
    pub emit_typst: Option<PathBuf>,

    #[command(flatten)]
    pub report: ReportOptions,
}

/// `report catalogue …`
#[derive(Debug, Args)]
pub(crate) struct CatalogueArgs {
    /// Intervention library directory [default: from report.yaml, else the bundled one]
    #[arg(long, global = true, value_name = "DIR")]
    pub catalogue: Option<PathBuf>,

    #[command(subcommand)]
    pub command: CatalogueCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CatalogueCommand {
    /// Check every fact sheet and the theme taxonomy; exit 1 if anything is wrong
    Check {
        /// The catalogue directory to check [default: as for --catalogue]
        dir: Option<PathBuf>,
    },
    /// List interventions, optionally filtered
    List {
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// List the library's suggestions for a municipality's report instead: for each theme
        /// where it does significantly worse than the comparison, the interventions on the
        /// same themes for the survey's ages (reads the survey; see --municipality)
        #[arg(long)]
        for_report: bool,
        /// The municipality whose report the suggestions are for [default: from report.yaml]
        #[arg(short, long, value_name = "NAME", requires = "for_report")]
        municipality: Option<String>,
        #[command(flatten)]
        survey: SurveyArgs,
    },
    /// Show one fact sheet in the terminal
    Show {
        /// The intervention's id
        id: String,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Search names, summaries, descriptions, themes and providers (best matches first; exits 1
    /// when nothing matches, in every format)
    Search {
        /// Words to look for (all must match; case and accents are ignored)
        #[arg(required = true)]
        text: Vec<String>,
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Print the JSON Schema of a fact sheet (for editor completion and checks)
    Schema,
}

/// Filters of `catalogue list` and `catalogue search`.
#[derive(Debug, Args)]
pub(crate) struct FilterArgs {
    /// Only interventions with this theme id (see catalogue/themes.yaml)
    #[arg(long, value_name = "THEME")]
    pub theme: Option<String>,
    /// Only interventions whose target ages include this age
    #[arg(long, value_name = "N")]
    pub age: Option<u8>,
    /// Only interventions of this type
    #[arg(long = "type", value_name = "TYPE", value_parser = keys_parser::<InterventionType>(InterventionType::keys()))]
    pub kind: Option<report::catalogue::model::InterventionType>,
    /// Only interventions in this setting
    #[arg(long, value_parser = keys_parser::<Setting>(Setting::keys()))]
    pub setting: Option<report::catalogue::model::Setting>,
    /// Only interventions with this documentation level
    #[arg(long, value_name = "LEVEL", value_parser = keys_parser::<DocumentationLevel>(DocumentationLevel::keys()))]
    pub documentation: Option<report::catalogue::model::DocumentationLevel>,
}

/// Output for people or for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum OutputFormat {
    /// A readable table or text
    Text,
    /// JSON
    Json,
}

/// `report factsheet …`
#[derive(Debug, Args)]
pub(crate) struct FactsheetArgs {
    /// The interventions to print
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,

    /// A `.pdf` file (all fact sheets in one) or a directory (one `<id>.pdf` each)
    /// [default: one `<id>.pdf` each in the current directory]
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Intervention library directory [default: from report.yaml, else the bundled one]
    #[arg(long, value_name = "DIR")]
    pub catalogue: Option<PathBuf>,

    #[command(flatten)]
    pub render: RenderOptions,
}

/// Parses one of `keys` into a domain value, so the domain types need no clap derive and the
/// possible values still show in `--help` and completions.
fn keys_parser<T>(keys: Vec<&'static str>) -> impl clap::builder::TypedValueParser<Value = T>
where
    T: std::str::FromStr<Err = String> + Clone + Send + Sync + 'static,
{
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(keys).try_map(|key| key.parse::<T>())
}

fn lang_parser() -> impl clap::builder::TypedValueParser<Value = Lang> {
    let codes: Vec<&'static str> = Lang::ALL.iter().map(|&(_, code)| code).collect();
    keys_parser(codes)
}

// ---------------------------------------------------------------------------------------------
// The flags as library options: the only place clap's types meet the library's.

impl SurveyArgs {
    fn apply(&self, options: &mut Options) {
        options.survey.clone_from(&self.survey);
        options.codebook.clone_from(&self.codebook);
        options.publications.clone_from(&self.publication);
        options.sheet.clone_from(&self.sheet);
    }
}

impl RenderOptions {
    fn apply(&self, options: &mut Options) {
        options.date = self.date;
        options.lang = self.lang;
        options.templates.clone_from(&self.templates);
        options.pdf_standards.clone_from(&self.pdf_standard);
    }
}

impl ReportOptions {
    fn apply(&self, options: &mut Options) {
        self.render.apply(options);
        options.previous.clone_from(&self.previous);
        options.previous_round = self.previous_round;
        options.min_cell = self.min_cell;
        options.compare.clone_from(&self.compare);
        options.standardise.clone_from(&self.standardise);
        options.kind = self.kind;
    }
}

impl BuildArgs {
    /// The library options these flags (and `--config`) set.
    pub(crate) fn options(&self, config: Option<PathBuf>) -> Options {
        let mut options = Options {
            config,
            municipality: self.municipality.clone(),
            school: self.school.clone(),
            catalogue: self.catalogue.clone(),
            interventions: self
                .intervention
                .iter()
                .chain(&self.interventions)
                .cloned()
                .collect(),
            interventions_file: self.interventions_file.clone(),
            ..Options::default()
        };
        self.survey.apply(&mut options);
        self.report.apply(&mut options);
        options
    }
}

impl BatchArgs {
    /// The library options these flags (and `--config`) set.
    pub(crate) fn options(&self, config: Option<PathBuf>) -> Options {
        let mut options = Options {
            config,
            catalogue: self.catalogue.clone(),
            ..Options::default()
        };
        self.survey.apply(&mut options);
        self.report.apply(&mut options);
        options
    }
}

impl ValidateArgs {
    /// The library options these flags (and `--config`) set.
    pub(crate) fn options(&self, config: Option<PathBuf>) -> Options {
        let mut options = Options {
            config,
            min_cell: self.min_cell,
            ..Options::default()
        };
        self.survey.apply(&mut options);
        options
    }
}

impl FactsheetArgs {
    /// The library options these flags (and `--config`) set.
    pub(crate) fn options(&self, config: Option<PathBuf>) -> Options {
        let mut options = Options {
            config,
            catalogue: self.catalogue.clone(),
            ..Options::default()
        };
        self.render.apply(&mut options);
        options
    }
}

impl CatalogueArgs {
    /// The library options these flags (and `--config`) set; `catalogue check DIR` names
    /// the directory itself.
    pub(crate) fn options(&self, config: Option<PathBuf>) -> Options {
        let dir = match &self.command {
            CatalogueCommand::Check { dir } => dir.clone(),
            _ => None,
        };
        let mut options = Options {
            config,
            catalogue: dir.or_else(|| self.catalogue.clone()),
            ..Options::default()
        };
        if let CatalogueCommand::List {
            survey,
            municipality,
            ..
        } = &self.command
        {
            survey.apply(&mut options);
            options.municipality.clone_from(municipality);
        }
        options
    }
}
