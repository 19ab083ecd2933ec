//! `report init`: the files of a new project, written only where none exist yet.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::cli::InitArgs;
use report::output::{Outputs, write_files};
use report::scaffold::scaffold;

/// Writes report.yaml, invited.csv and (with --survey) codebook.yaml into the directory.
pub(super) fn init(args: &InitArgs) -> Result<ExitCode> {
    let dir = &args.dir;
    let scaffold = scaffold(
        dir,
        &args.survey,
        args.sheet.as_deref(),
        super::this_year()?,
    )?;
    let existing: Vec<&str> = scaffold
        .files
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| std::fs::symlink_metadata(dir.join(name)).is_ok())
        .collect();
    if !existing.is_empty() {
        bail!(
            "{} already has {}; nothing was written (move them away, or start the project in another directory)",
            dir.display(),
            existing.join(", ")
        );
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut outputs = Outputs::new(args.survey.iter().map(PathBuf::as_path));
    write_files(
        &mut outputs,
        dir,
        scaffold
            .files
            .iter()
            .map(|(name, text)| (*name, text.as_bytes())),
    )?;
    let names: Vec<&str> = scaffold.files.iter().map(|(name, _)| *name).collect();
    eprintln!("wrote {} in {}", names.join(", "), dir.display());
    if let Some(draft) = &scaffold.draft {
        eprintln!(
            "the codebook has {} texts to write (\"TODO\") and {} guesses to check (CHECK); then run\n  report validate --config {}",
            draft.todo,
            draft.checks,
            dir.join(report::scaffold::CONFIG).display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
