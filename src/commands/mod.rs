//! The subcommands: the only layer that reads flags, prints and writes files.

pub mod build;

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::config::Config;

/// Runs one command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::discover(cli.config.as_deref())?;
    match cli.command {
        Command::Build(args) => build::build(&args, &config),
    }
}
