//! `report build`: the basis report of one municipality, with chosen fact sheets appended.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};

use super::pick::pick;
use super::print_notices;
use crate::aggregate::Level;
use crate::cli::BuildArgs;
use crate::output::write_atomically;
use crate::project::{Project, Subject};

/// Builds the report and writes it atomically; nothing is written if any step fails.
pub(super) fn build(args: &BuildArgs, config: Option<PathBuf>) -> Result<ExitCode> {
    let started = Instant::now();
    let project = Project::open(&args.options(config))?;
    let settings = project.settings();
    let subject = project.subject()?;
    project.codebook()?;

    // The chosen interventions and the templates are checked before the (possibly large)
    // survey file is read.
    let ids = if args.pick {
        pick(project.catalogue()?, &settings.interventions)?
    } else {
        settings.interventions.clone()
    };
    let interventions = if ids.is_empty() {
        Vec::new()
    } else {
        project
            .catalogue()?
            .select(ids.iter().map(String::as_str))?
    };
    project.renderer()?;

    let level = match subject {
        Subject::Municipality(_) => Level::Municipality,
        Subject::School { .. } => Level::School,
    };
    let survey = project.read_survey(level)?;
    print_notices(&survey.notices);
    let report = project.report(&survey, subject, &interventions)?;
    print_notices(&report.notices);
    let rendered = project
        .render(&report)
        .context("cannot render the report")?;
    eprint!("{}", rendered.warnings);
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}.pdf", report.name)));
    write_atomically(&output, &rendered.pdf)?;
    if let Some(path) = &args.data_out {
        let json = serde_json::to_vec_pretty(&report.summary)?;
        write_atomically(path, &json)?;
    }
    eprintln!(
        "wrote {} ({} pages, {} kB) in {:.2} s",
        output.display(),
        rendered.pages,
        rendered.pdf.len().div_ceil(1024),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
