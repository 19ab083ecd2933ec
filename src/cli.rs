//! The command line: every subcommand and flag, as clap derive types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::Lang;
use crate::date::ReportDate;

/// Basis reports of Danish municipal youth surveys, with intervention fact sheets.
#[derive(Debug, Parser)]
#[command(name = "report", version, about, max_term_width = 100)]
pub struct Cli {
    /// Project file with defaults [default: ./report.yaml if present]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the basis report of one municipality as PDF
    Build(BuildArgs),
}

/// Flags of `report build`; each overrides the same setting in report.yaml.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Survey results (CSV, one row per respondent)
    #[arg(long, value_name = "FILE")]
    pub survey: Option<PathBuf>,

    /// Codebook (YAML) describing the survey's columns
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,

    /// The municipality to report on, as named in the survey file
    #[arg(short, long, value_name = "NAME")]
    pub municipality: Option<String>,

    /// Intervention library directory
    #[arg(long, value_name = "DIR")]
    pub catalogue: Option<PathBuf>,

    /// Append this intervention's fact sheet (repeatable; order kept)
    #[arg(short = 'i', long = "intervention", value_name = "ID")]
    pub interventions: Vec<String>,

    /// Where to write the PDF [default: basisrapport-<municipality>-<round>.pdf]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The report's date (also fixes the PDF timestamp) [default: $SOURCE_DATE_EPOCH or today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<ReportDate>,

    /// Language of the report's fixed texts
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,

    /// Results of an earlier round (same codebook ids) to show indicator trends
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,

    /// The round of --previous [default: the codebook's round − 1]
    #[arg(long, value_name = "YEAR", requires = "previous")]
    pub previous_round: Option<u16>,

    /// Also write every figure of the report as JSON
    #[arg(long, value_name = "FILE")]
    pub data_out: Option<PathBuf>,

    /// Suppress groups with fewer valid answers than this [default: 5]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub min_cell: Option<u32>,
}
