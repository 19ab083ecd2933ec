//! `report build`: the basis report of one municipality, with chosen fact sheets appended.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};

use super::pick::{ensure_terminal, pick};
use super::print_notices;
use super::timings;
use crate::cli::BuildArgs;
use report::catalogue::Intervention;
use report::output::Outputs;
use report::project::Project;
use report::render::Downloads;

/// The fact sheets `ids` name, checked.
fn select<'p>(project: &'p Project, ids: &[String]) -> Result<Vec<&'p Intervention>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(project
        .catalogue()?
        .select(ids.iter().map(String::as_str))?)
}

/// Builds the report and writes it atomically; nothing is written if any step fails.
pub(super) fn build(args: &BuildArgs, config: Option<PathBuf>) -> Result<ExitCode> {
    let started = Instant::now();
    if args.timings.is_some() {
        timings::start();
    }
    let project = Project::open(&args.options(config))?;
    let settings = project.settings();
    let subject = project.subject()?;
    project.codebook()?;
    project.publications()?;
    // Outputs named on the command line are checked before any work is done.
    let inputs = project.input_files();
    let mut outputs = Outputs::new(inputs.iter().map(PathBuf::as_path));
    for path in args
        .output
        .iter()
        .chain(&args.html_out)
        .chain(&args.data_out)
        .chain(&args.tables_out)
        .chain(&args.timings)
    {
        outputs.claim(path)?;
    }

    // The chosen interventions and the templates are checked before the (possibly large)
    // survey file is read; picking waits for the survey, to show the library's suggestions
    // for the report's concerns first.
    if args.pick {
        ensure_terminal()?;
    } else {
        select(&project, &settings.interventions)?;
    }
    project.renderer()?;

    let survey = project.read_survey_for(subject)?;
    print_notices(&survey.notices);
    let ids = if args.pick {
        let draft = project.report(&survey, subject, &[])?;
        let suggested: Vec<String> = draft
            .data
            .library
            .interventions
            .iter()
            .map(|sheet| sheet.id.clone())
            .collect();
        pick(project.catalogue()?, &settings.interventions, &suggested)?
    } else {
        settings.interventions.clone()
    };
    let interventions = select(&project, &ids)?;
    let report = project.report(&survey, subject, &interventions)?;
    print_notices(&report.notices);
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}.pdf", report.name)));
    // The HTML page, when asked for, is compiled beside the PDF from the same data: typst
    // lays out the PDF's pages on rayon's pool too, so the page costs a build little wall
    // time. It links to the PDF and the tables where they are written.
    let json = serde_json::to_vec(&report.data)?;
    let (rendered, page) = rayon::join(
        || project.render_json(&report.name, json.clone()),
        || {
            args.html_out.as_ref().map(|path| {
                let downloads = Downloads::of(path, Some(&output), args.tables_out.as_deref());
                project.render_html_json(json.clone(), &downloads)
            })
        },
    );
    let rendered = rendered.context("cannot render the report")?;
    let page = page
        .transpose()
        .context("cannot render the report as HTML")?;
    eprint!("{}", rendered.warnings);
    // The PDF, the HTML, the figures and the tables are written together: all or none.
    outputs.stage(&output, &rendered.pdf)?;
    if let (Some(path), Some(page)) = (&args.html_out, &page) {
        eprint!("{}", page.warnings);
        outputs.stage(path, page.html.as_bytes())?;
    }
    if let Some(path) = &args.data_out {
        outputs.stage(path, &serde_json::to_vec_pretty(&report.summary)?)?;
    }
    if let Some(path) = &args.tables_out {
        let workbook = project.tables(std::slice::from_ref(&report.summary))?;
        outputs.stage(path, &workbook)?;
    }
    let phases = match &args.timings {
        Some(path) => {
            let (trace, phases) = timings::finish()?;
            outputs.stage(path, &trace)?;
            Some(phases)
        }
        None => None,
    };
    outputs.commit()?;
    if let Some(phases) = phases {
        eprintln!("phases: {phases}");
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
