//! `report completions` and `report man`: the shell conventions a command-line tool is
//! expected to follow, generated from the same clap definition as the parser, so they never
//! drift from the flags.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::cli::Cli;
use report::output::Outputs;

/// Prints the completion script for `shell`.
pub(super) fn completions(shell: clap_complete::Shell) -> Result<ExitCode> {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "report", &mut std::io::stdout().lock());
    Ok(ExitCode::SUCCESS)
}

/// Prints the man page, or writes one per command (`report.1`, `report-build.1`, …) to `dir`.
pub(super) fn man(dir: Option<&Path>) -> Result<ExitCode> {
    let command = Cli::command();
    let Some(dir) = dir else {
        let mut page = Vec::new();
        clap_mangen::Man::new(command).render(&mut page)?;
        std::io::stdout().lock().write_all(&page)?;
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut outputs = Outputs::new([]);
    let mut pages = Vec::new();
    collect(command, "report", &mut pages)?;
    for (name, page) in &pages {
        outputs.stage(&dir.join(format!("{name}.1")), page)?;
    }
    outputs.commit()?;
    eprintln!("wrote {} man pages to {}", pages.len(), dir.display());
    Ok(ExitCode::SUCCESS)
}

/// The page of `command` (named `name`) and of each of its subcommands, `report-build` …
fn collect(command: clap::Command, name: &str, pages: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
    let command = command.name(name.to_owned());
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut page)?;
    pages.push((name.to_owned(), page));
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let sub_name = format!("{name}-{}", sub.get_name());
        collect(sub.clone(), &sub_name, pages)?;
    }
    Ok(())
}
