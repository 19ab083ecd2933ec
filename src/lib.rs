//! `report` builds basis reports (basisrapporter) of Danish municipal youth surveys as PDF,
//! with fact sheets from an intervention library appended.
//!
//! The flow runs one way: [`survey`] and [`catalogue`] load and check the inputs,
//! [`aggregate`] turns respondent rows into privacy-checked figures without any I/O,
//! [`render`] turns figures and fact sheets into PDF through embedded Typst (and figures
//! into Excel tables). [`project`] is the one way in: it resolves a job's options once and
//! builds reports, fact sheets and ([`batch`]) every municipality's report; [`commands`] is
//! the thin layer that parses flags, calls it and prints.

pub mod aggregate;
pub mod batch;
pub mod catalogue;
pub mod cli;
mod commands;
pub mod config;
mod contain;
pub mod date;
pub mod finding;
pub mod input;
mod lang;
pub mod markdown;
mod names;
pub mod output;
pub mod project;
pub mod render;
pub mod scaffold;
mod slug;
mod suggest;
pub mod survey;

use std::process::ExitCode;

pub use lang::{Lang, Text};

/// Runs a parsed command line; the exit code says whether problems were found.
pub fn run(cli: cli::Cli) -> anyhow::Result<ExitCode> {
    commands::run(cli)
}
