//! `report codebook draft`: a first codebook from survey data, to stdout or a new file.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::{CodebookCommand, DraftArgs};
use report::output::Outputs;
use report::survey::draft::draft;

/// Runs a `codebook` subcommand.
pub(super) fn codebook(command: &CodebookCommand) -> Result<ExitCode> {
    match command {
        CodebookCommand::Draft(args) => write_draft(args),
    }
}

/// Drafts the codebook and writes it where asked; a codebook someone may have edited is only
/// replaced with --force, and the survey itself never.
fn write_draft(args: &DraftArgs) -> Result<ExitCode> {
    let mut outputs = Outputs::new(args.survey.iter().map(PathBuf::as_path));
    if let Some(out) = &args.out {
        outputs.claim(out)?;
        if !args.force && std::fs::symlink_metadata(out).is_ok() {
            bail!(
                "{} exists; it is not replaced (use --force, or another --out)",
                out.display()
            );
        }
    }
    let draft = draft(&args.survey, args.sheet.as_deref(), super::this_year()?)?;
    match &args.out {
        Some(out) => {
            outputs.write(out, draft.yaml.as_bytes())?;
            eprintln!(
                "wrote {}: {} texts to write (\"TODO\") and {} guesses to check (CHECK); then check it with\n  report validate --codebook {} --survey {}",
                out.display(),
                draft.todo,
                draft.checks,
                out.display(),
                args.survey[0].display()
            );
        }
        None => std::io::stdout().lock().write_all(draft.yaml.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}
