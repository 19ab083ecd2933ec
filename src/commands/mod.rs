//! The subcommands: the only layer that reads flags, prints and writes files.

pub mod batch;
pub mod build;
pub mod catalogue;
pub mod data;
pub mod factsheet;
pub mod pick;
pub mod report;
pub mod templates;
pub mod validate;

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::catalogue::Catalogue;
use crate::catalogue::load::BUNDLED;
use crate::cli::{Cli, Command, RenderOptions};
use crate::config::Config;

/// Runs one command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let config = Config::discover(cli.config.as_deref())?;
    match cli.command {
        Command::Build(args) => build::build(&args, &config),
        Command::Catalogue(args) => catalogue::catalogue(&args, &config),
        Command::Factsheet(args) => factsheet::factsheet(&args, &config),
        Command::Validate(args) => validate::validate(&args, &config),
        Command::Batch(args) => batch::batch(&args, &config),
        Command::Templates { command } => templates::templates(&command),
    }
}

/// The renderer with the templates named by a `--templates` flag or report.yaml (else the
/// built-in ones), producing PDFs to the `--pdf-standard` list (else PDF/UA-1).
pub fn renderer(options: &RenderOptions, config: &Config) -> Result<crate::render::Renderer> {
    let renderer = match options.templates.as_deref().or(config.templates.as_deref()) {
        Some(dir) => crate::render::Renderer::with_templates(dir)?,
        None => crate::render::Renderer::new(),
    };
    if options.pdf_standard.is_empty() {
        return Ok(renderer);
    }
    Ok(renderer.with_standards(&options.pdf_standard)?)
}

/// The language of `--lang`, else of report.yaml, else Danish.
pub fn lang(options: &RenderOptions, config: &Config) -> crate::Lang {
    options.lang.or(config.lang).unwrap_or_default()
}

/// Loads the catalogue named by a `--catalogue` flag, else by report.yaml, else the one
/// bundled in the binary; also returns how to name it in messages.
pub fn load_catalogue(flag: Option<&Path>, config: &Config) -> Result<(Catalogue, String)> {
    match flag.map(Path::to_owned).or_else(|| config.catalogue_dir()) {
        Some(dir) => {
            let catalogue = Catalogue::load(&dir)
                .with_context(|| format!("cannot load the catalogue in {}", dir.display()))?;
            Ok((catalogue, dir.display().to_string()))
        }
        None => Ok((Catalogue::bundled(), BUNDLED.to_owned())),
    }
}
