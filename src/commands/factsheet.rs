//! `report factsheet`: fact sheets as stand-alone PDFs, laid out as in the report's appendix.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::FactsheetArgs;
use report::output::Outputs;
use report::project::Project;

/// Renders the fact sheets: into one PDF when `-o` names a `.pdf` file, else one PDF per id.
pub(super) fn factsheet(args: &FactsheetArgs, config: Option<PathBuf>) -> Result<ExitCode> {
    let project = Project::open(&args.options(config))?;
    let selected = project
        .catalogue()?
        .select(args.ids.iter().map(String::as_str))?;
    project.renderer()?;

    let single_file = args.output.as_deref().filter(|path| {
        path.extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("pdf"))
    });
    let jobs: Vec<(PathBuf, Vec<_>)> = match single_file {
        Some(path) => vec![(path.to_owned(), selected)],
        None => {
            let dir = args.output.clone().unwrap_or_else(|| PathBuf::from("."));
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            selected
                .into_iter()
                .map(|i| (dir.join(format!("{}.pdf", i.id)), vec![i]))
                .collect()
        }
    };
    let inputs = project.input_files();
    let mut outputs = Outputs::new(inputs.iter().map(PathBuf::as_path));
    for (path, _) in &jobs {
        outputs.claim(path)?;
    }
    let mut written = Vec::new();
    for (path, interventions) in &jobs {
        let ident = format!("faktaark-{}", ident_of(path));
        let rendered = project
            .factsheets(interventions, &ident)
            .context("cannot render the fact sheets")?;
        eprint!("{}", rendered.warnings);
        outputs.stage(path, &rendered.pdf)?;
        written.push((path, rendered.pages));
    }
    // Every fact sheet rendered: now they replace what was there.
    outputs.commit()?;
    for (path, pages) in written {
        eprintln!("wrote {} ({pages} pages)", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// A stable document identifier from the output file name.
fn ident_of(path: &Path) -> String {
    path.file_stem().map_or_else(
        || "faktaark".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    )
}
