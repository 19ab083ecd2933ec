//! `report` builds basis reports (basisrapporter) of Danish municipal youth surveys as PDF,
//! with fact sheets from an intervention library appended.
//!
//! The flow runs one way: [`survey`] and [`catalogue`] load and check the inputs,
//! [`aggregate`] turns respondent rows into privacy-checked figures without any I/O,
//! [`render`] turns figures and fact sheets into PDF through embedded Typst. [`project`] is
//! the one way in: it resolves a job's options once and builds reports, fact sheets and
//! ([`batch`]) every municipality's report; [`commands`] is the thin layer that parses flags,
//! calls it and prints.

pub mod aggregate;
pub mod batch;
pub mod catalogue;
pub mod cli;
mod commands;
pub mod config;
pub mod date;
pub mod finding;
pub mod markdown;
pub mod output;
pub mod project;
pub mod render;
mod slug;
mod suggest;
pub mod survey;

use std::process::ExitCode;

use serde::{Deserialize, Serialize};

/// The language of a document's fixed texts and labels.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Danish
    #[default]
    Da,
    /// English
    En,
}

impl Lang {
    /// Every language, with its code.
    pub const ALL: &[(Lang, &str)] = &[(Lang::Da, "da"), (Lang::En, "en")];
}

impl std::str::FromStr for Lang {
    type Err = String;

    /// Parses a language code, `da` or `en`.
    fn from_str(code: &str) -> Result<Lang, String> {
        Lang::ALL
            .iter()
            .find(|(_, c)| *c == code)
            .map(|&(lang, _)| lang)
            .ok_or_else(|| format!("`{code}` is not a language: use da or en"))
    }
}

/// Runs a parsed command line; the exit code says whether problems were found.
pub fn run(cli: cli::Cli) -> anyhow::Result<ExitCode> {
    commands::run(cli)
}
