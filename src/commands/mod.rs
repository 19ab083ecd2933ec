//! The subcommands: parse → resolve ([`report::project::Project`]) → call → print. The only
//! layer that prints.

mod batch;
mod build;
mod catalogue;
mod codebook;
mod factsheet;
mod init;
mod pick;
mod shell;
mod templates;
mod timings;
mod validate;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};
use report::project::Notice;

/// Runs one command line.
pub(crate) fn run(cli: Cli) -> Result<ExitCode> {
    let config = cli.config;
    match cli.command {
        Command::Build(args) => build::build(&args, config),
        Command::Catalogue(args) => catalogue::catalogue(&args, config),
        Command::Factsheet(args) => factsheet::factsheet(&args, config),
        Command::Validate(args) => validate::validate(&args, config),
        Command::Batch(args) => batch::batch(&args, config),
        Command::Templates { command } => templates::templates(&command),
        Command::Codebook { command } => codebook::codebook(&command),
        Command::Init(args) => init::init(&args),
        Command::Completions { shell } => shell::completions(shell),
        Command::Man { out_dir } => shell::man(out_dir.as_deref()),
    }
}

/// The year a drafted codebook gets where the data do not say ($SOURCE_DATE_EPOCH or today).
fn this_year() -> Result<u16> {
    let today = report::date::ReportDate::resolve(None)?;
    Ok(u16::try_from(today.year)?)
}

/// Prints notices (warnings that do not stop the job) to stderr.
fn print_notices<'a>(notices: impl IntoIterator<Item = &'a Notice>) {
    for notice in notices {
        eprintln!("{notice}");
    }
}
