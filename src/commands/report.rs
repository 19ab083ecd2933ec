//! What `build` and `batch` share: report settings from flags over report.yaml, the earlier
//! round for trends, and a municipality's figures turned into the data a template reads.

use anyhow::{Context, Result};

use super::data::SurveyInput;
use crate::Lang;
use crate::aggregate::{self, DEFAULT_MIN_CELL, Summary, Tally};
use crate::catalogue::{Catalogue, Intervention};
use crate::cli::ReportOptions;
use crate::config::Config;
use crate::date::ReportDate;
use crate::render::document;
use crate::slug::slug;
use crate::survey::Codebook;

/// Report settings after flags have overridden report.yaml, with the earlier round read.
pub struct Settings {
    pub date: ReportDate,
    pub lang: Lang,
    pub min_cell: u32,
    /// The earlier round's counts and its round number.
    pub previous: Option<(Tally, u16)>,
}

impl Settings {
    pub fn resolve(
        options: &ReportOptions,
        config: &Config,
        input: &SurveyInput,
        codebook: &Codebook,
    ) -> Result<Settings> {
        let previous = match options.previous.as_ref().or(config.previous.as_ref()) {
            Some(path) => {
                let earlier = SurveyInput {
                    paths: vec![path.clone()],
                    ..input.clone()
                };
                let responses = earlier
                    .read_for_report(codebook)
                    .with_context(|| format!("cannot read the earlier round {}", path.display()))?;
                let round = options
                    .previous_round
                    .unwrap_or(codebook.round.saturating_sub(1));
                Some((Tally::count(codebook, &responses), round))
            }
            None => None,
        };
        Ok(Settings {
            date: ReportDate::resolve(options.date)?,
            lang: options.lang.or(config.lang).unwrap_or_default(),
            min_cell: options
                .min_cell
                .or(config.min_cell)
                .unwrap_or(DEFAULT_MIN_CELL),
            previous,
        })
    }

    /// The figures of municipality number `municipality` of `tally`.
    pub fn summarise(&self, codebook: &Codebook, tally: &Tally, municipality: usize) -> Summary {
        let previous = self
            .previous
            .as_ref()
            .map(|(tally, round)| aggregate::Previous {
                tally,
                round: *round,
            });
        let options = aggregate::Options {
            min_cell: self.min_cell,
        };
        aggregate::summarise(codebook, tally, municipality, previous, options)
    }

    /// Warns when the earlier round has no respondents from `municipality`.
    pub fn warn_without_trend(&self, municipality: &str) {
        if let Some((tally, round)) = &self.previous
            && tally.find_municipality(municipality).is_err()
        {
            eprintln!(
                "warning: the {round} data have no respondents from {municipality}; its report shows no trends"
            );
        }
    }

    /// The data of a municipality's report.
    pub fn document(
        &self,
        codebook: &Codebook,
        summary: &Summary,
        interventions: &[&Intervention],
        catalogue: &Catalogue,
    ) -> document::Report {
        document::Report::new(
            codebook,
            summary,
            interventions,
            catalogue,
            self.lang,
            self.date,
        )
    }
}

/// The file name (without `.pdf`) and PDF identifier of a municipality's report.
pub fn report_name(municipality: &str, round: u16) -> String {
    format!("basisrapport-{}-{round}", slug(municipality))
}
