//! `report build`: the basis report of one municipality, with chosen fact sheets appended.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};

use super::data::SurveyInput;
use super::load_catalogue;
use super::pick::pick;
use crate::Lang;
use crate::aggregate::{self, DEFAULT_MIN_CELL, Tally};
use crate::catalogue::Catalogue;
use crate::cli::BuildArgs;
use crate::config::Config;
use crate::date::ReportDate;
use crate::output::write_atomically;
use crate::render::{Renderer, document};
use crate::slug::slug;
use crate::survey::Codebook;

/// The settings of one build, after flags have overridden report.yaml.
struct Plan {
    input: SurveyInput,
    municipality: String,
    catalogue: Option<PathBuf>,
    interventions: Vec<String>,
    previous: Option<PathBuf>,
    previous_round: Option<u16>,
    data_out: Option<PathBuf>,
    output: Option<PathBuf>,
    date: ReportDate,
    lang: Lang,
    min_cell: u32,
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
            catalogue: args.catalogue.clone(),
            interventions: intervention_ids(args)?,
            previous: args.previous.clone().or_else(|| config.previous.clone()),
            previous_round: args.previous_round,
            data_out: args.data_out.clone(),
            output: args.output.clone(),
            date: ReportDate::resolve(args.date)?,
            lang: args.lang.or(config.lang).unwrap_or_default(),
            min_cell: args
                .min_cell
                .or(config.min_cell)
                .unwrap_or(DEFAULT_MIN_CELL),
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
        load_catalogue(plan.catalogue.as_deref(), config)?.0
    };
    let ids = if args.pick {
        pick(&catalogue, &plan.interventions)?
    } else {
        plan.interventions.clone()
    };
    let interventions = catalogue.select(ids.iter().map(String::as_str))?;

    let tally = Tally::count(&codebook, &plan.input.read_for_report(&codebook)?);
    let municipality = tally.find_municipality(&plan.municipality)?;
    let previous = match &plan.previous {
        Some(path) => {
            let earlier = SurveyInput {
                paths: vec![path.clone()],
                ..plan.input.clone()
            };
            let responses = earlier
                .read_for_report(&codebook)
                .with_context(|| format!("cannot read the earlier round {}", path.display()))?;
            let previous = Tally::count(&codebook, &responses);
            if previous.find_municipality(&plan.municipality).is_err() {
                eprintln!(
                    "warning: {} has no respondents from {}; the report shows no trends",
                    path.display(),
                    plan.municipality
                );
            }
            Some(previous)
        }
        None => None,
    };
    let options = aggregate::Options {
        min_cell: plan.min_cell,
    };
    let summary = aggregate::summarise(
        &codebook,
        &tally,
        municipality,
        previous.as_ref().map(|tally| aggregate::Previous {
            tally,
            round: plan
                .previous_round
                .unwrap_or(codebook.round.saturating_sub(1)),
        }),
        options,
    );
    let report = document::Report::new(
        &codebook,
        &summary,
        &interventions,
        &catalogue,
        plan.lang,
        plan.date,
    );
    let name = format!(
        "basisrapport-{}-{}",
        slug(&summary.municipality),
        codebook.round
    );
    let rendered = Renderer::new()
        .report(&report, plan.date, &name)
        .context("cannot render the report")?;
    if !rendered.warnings.is_empty() {
        eprint!("{}", rendered.warnings);
    }
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
