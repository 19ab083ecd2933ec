//! `report templates export|schema`: the built-in templates and fonts as files, to edit and
//! use with `--templates DIR`, and the JSON Schema of the data they read.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::{TemplateKind, TemplatesCommand};
use report::output::{Outputs, write_files};
use report::render::fonts;
use report::render::templates::EMBEDDED;

/// Runs a `templates` subcommand.
pub(super) fn templates(command: &TemplatesCommand) -> Result<ExitCode> {
    match command {
        TemplatesCommand::Export { dir, force } => export(dir, *force),
        TemplatesCommand::Schema { of } => {
            let schema = report::render::document::json_schema(*of == TemplateKind::Report);
            println!("{}", serde_json::to_string_pretty(&schema)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes every embedded template and the shipped fonts below `dir`.
fn export(dir: &Path, force: bool) -> Result<ExitCode> {
    let files = EMBEDDED
        .iter()
        .map(|t| (t.path.to_string(), t.bytes.as_ref()))
        .chain(
            fonts::SHIPPED
                .iter()
                .map(|(name, bytes)| (format!("fonts/{name}"), *bytes)),
        );
    let files: Vec<(String, &[u8])> = files.collect();
    if !force {
        let existing: Vec<&str> = files
            .iter()
            .filter(|(path, _)| dir.join(path).exists())
            .map(|(path, _)| path.as_str())
            .collect();
        if !existing.is_empty() {
            bail!(
                "{} already has {} (use --force to overwrite)",
                dir.display(),
                existing.join(", ")
            );
        }
    }
    write_files(
        &mut Outputs::new([]),
        dir,
        files.iter().map(|(path, bytes)| (path.as_str(), *bytes)),
    )?;
    eprintln!(
        "wrote {} templates and {} fonts to {}; use them with --templates {}",
        EMBEDDED.len(),
        fonts::SHIPPED.len(),
        dir.display(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
