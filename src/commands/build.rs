//! `report build`: the basis report of one municipality, with chosen fact sheets appended.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};

use super::data::SurveyInput;
use super::pick::pick;
use super::report::{Settings, report_name};
use super::{load_catalogue, renderer};
use crate::aggregate::{Pattern, Tally};
use crate::catalogue::Catalogue;
use crate::cli::BuildArgs;
use crate::config::Config;
use crate::output::write_atomically;
use crate::survey::Codebook;

/// Where one build's inputs and outputs are, after flags have overridden report.yaml.
struct Plan {
    input: SurveyInput,
    municipality: String,
    interventions: Vec<String>,
    data_out: Option<PathBuf>,
    output: Option<PathBuf>,
}

impl Plan {
    fn resolve(args: &BuildArgs, config: &Config) -> Result<Plan> {
        Ok(Plan {
            input: SurveyInput::resolve(&args.survey, config)?,
            municipality: args
                .municipality
                .clone()
                .or_else(|| config.municipality.clone())
                .context(
                    "no municipality given: use --municipality NAME or set `municipality:` in report.yaml",
                )?,
            interventions: intervention_ids(args)?,
            data_out: args.data_out.clone(),
            output: args.output.clone(),
        })
    }
}

/// The intervention ids of `-i`, `--interventions` and `--interventions-file`, in that
/// order (duplicates are dropped when the catalogue selects them).
fn intervention_ids(args: &BuildArgs) -> Result<Vec<String>> {
    let mut ids: Vec<String> = args
        .intervention
        .iter()
        .chain(&args.interventions)
        .map(|id| id.trim().to_owned())
        .filter(|id| !id.is_empty())
        .collect();
    if let Some(path) = &args.interventions_file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        ids.extend(ids_in_file(&text));
    }
    Ok(ids)
}

/// The ids in an interventions file: a YAML list, or one id a line (`#` starts a comment).
fn ids_in_file(text: &str) -> Vec<String> {
    if let Ok(list) = serde_yaml::from_str::<Vec<String>>(text) {
        return list;
    }
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Builds the report and writes it atomically; nothing is written if any step fails.
pub fn build(args: &BuildArgs, config: &Config) -> Result<ExitCode> {
    let started = Instant::now();
    let plan = Plan::resolve(args, config)?;
    let codebook = Codebook::load(&plan.input.codebook)?;

    // Check the chosen interventions before the (possibly large) survey file is read.
    let catalogue = if plan.interventions.is_empty() && !args.pick {
        Catalogue::default()
    } else {
        load_catalogue(args.catalogue.as_deref(), config)?.0
    };
    let ids = if args.pick {
        pick(&catalogue, &plan.interventions)?
    } else {
        plan.interventions.clone()
    };
    let interventions = catalogue.select(ids.iter().map(String::as_str))?;

    // Templates and standards are checked before the (possibly large) survey is read.
    let renderer = renderer(&args.report.render, config)?;
    let tally = Tally::count(&codebook, &plan.input.read_for_report(&codebook)?);
    let municipality = tally.find_municipality(&plan.municipality)?;
    let settings = Settings::resolve(&args.report, config, &plan.input, &codebook)?;
    settings.warn_without_trend(&plan.municipality);
    settings.warn_about_invited(tally.municipalities());
    let pattern = Pattern::of(&tally, settings.min_cell);
    let summary = settings.summarise(&codebook, &tally, &pattern, municipality)?;
    let report = settings.document(&codebook, &summary, &interventions, &catalogue);

    let name = report_name(&summary.municipality, codebook.round);
    let rendered = renderer
        .report(&report, &settings.assets, settings.date, &name)
        .context("cannot render the report")?;
    eprint!("{}", rendered.warnings);
    let output = plan
        .output
        .unwrap_or_else(|| PathBuf::from(format!("{name}.pdf")));
    write_atomically(&output, &rendered.pdf)
        .with_context(|| format!("cannot write {}", output.display()))?;
    if let Some(path) = &plan.data_out {
        let json = serde_json::to_vec_pretty(&summary)?;
        write_atomically(path, &json)
            .with_context(|| format!("cannot write {}", path.display()))?;
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

#[cfg(test)]
mod tests {
    use super::ids_in_file;

    #[test]
    fn interventions_files_are_yaml_lists_or_lines() {
        assert_eq!(ids_in_file("- x-it\n- pals\n"), ["x-it", "pals"]);
        assert_eq!(ids_in_file("[x-it, pals]"), ["x-it", "pals"]);
        assert_eq!(
            ids_in_file("# til rapporten\nx-it\n\npals  # mobning\n"),
            ["x-it", "pals"]
        );
    }
}
