//! What `build` and `batch` share: report settings from flags over report.yaml, the earlier
//! round for trends, and a municipality's figures turned into the data a template reads.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use csv::ByteRecord;

use super::data::SurveyInput;
use crate::Lang;
use crate::aggregate::{self, DEFAULT_MIN_CELL, Pattern, Summary, Tally, TooFewRespondents};
use crate::catalogue::{Catalogue, Intervention};
use crate::cli::ReportOptions;
use crate::config::{Branding, Config, Invited};
use crate::date::ReportDate;
use crate::markdown;
use crate::render::Asset;
use crate::render::document::{self, BrandingView, Presentation};
use crate::slug::slug;
use crate::survey::{Codebook, ResponsesError, source};

/// Report settings after flags have overridden report.yaml, with the earlier round, the
/// logo and the numbers of invited pupils read.
pub struct Settings {
    pub date: ReportDate,
    pub lang: Lang,
    pub min_cell: u32,
    /// The earlier round's counts, its disclosure-control pattern and its round number.
    pub previous: Option<(Tally, Pattern, u16)>,
    /// Files the template reads besides its data (the logo).
    pub assets: Vec<Asset>,
    branding: BrandingView,
    /// Invited pupils per municipality: lowercased name → (name as given, number).
    invited: BTreeMap<String, (String, u32)>,
}

impl Settings {
    pub fn resolve(
        options: &ReportOptions,
        config: &Config,
        input: &SurveyInput,
        codebook: &Codebook,
    ) -> Result<Settings> {
        let min_cell = options
            .min_cell
            .or(config.min_cell)
            .unwrap_or(DEFAULT_MIN_CELL);
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
                let tally = Tally::count(codebook, &responses);
                let pattern = Pattern::of(&tally, min_cell);
                Some((tally, pattern, round))
            }
            None => None,
        };
        let (branding, assets) = branding(&config.branding)?;
        Ok(Settings {
            assets,
            branding,
            invited: invited(config.invited.as_ref())?,
            date: ReportDate::resolve(options.render.date)?,
            lang: super::lang(&options.render, config),
            min_cell,
            previous,
        })
    }

    /// The figures of municipality number `municipality` of `tally`, as `pattern` (the
    /// tally's disclosure control at [`Settings::min_cell`]) publishes them.
    pub fn summarise(
        &self,
        codebook: &Codebook,
        tally: &Tally,
        pattern: &Pattern,
        municipality: usize,
    ) -> Result<Summary, TooFewRespondents> {
        let previous = self
            .previous
            .as_ref()
            .map(|(tally, pattern, round)| aggregate::Previous {
                tally,
                pattern,
                round: *round,
            });
        aggregate::summarise(codebook, tally, pattern, municipality, previous)
    }

    /// Warns when the earlier round has no respondents from `municipality`.
    pub fn warn_without_trend(&self, municipality: &str) {
        if let Some((tally, _, round)) = &self.previous
            && tally.find_municipality(municipality).is_err()
        {
            eprintln!(
                "warning: the {round} data have no respondents from {municipality}; its report shows no trends"
            );
        }
    }

    /// Warns about municipalities in `invited:` that are not in the data (`known`), which
    /// are most likely misspelt: their reports would silently lack a response rate.
    pub fn warn_about_invited(&self, known: &[String]) {
        let known: Vec<String> = known.iter().map(|name| name.to_lowercase()).collect();
        for (lower, (name, _)) in &self.invited {
            if !known.contains(lower) {
                eprintln!(
                    "warning: `{name}` under `invited:` is not a municipality in the data; check its spelling"
                );
            }
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
        let presentation = Presentation {
            branding: self.branding.clone(),
            invited: self
                .invited
                .get(&summary.municipality.to_lowercase())
                .map(|&(_, n)| n),
        };
        document::Report::new(
            codebook,
            summary,
            interventions,
            catalogue,
            &presentation,
            self.lang,
            self.date,
        )
    }
}

/// The format of an image by its content ("png", "jpg" or "svg"), so that a file that is not
/// an image is named as such here rather than failing inside the template.
fn image_format(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
        head.contains("<svg").then_some("svg")
    }
}

/// The branding the template reads, and the logo as an asset.
fn branding(branding: &Branding) -> Result<(BrandingView, Vec<Asset>)> {
    let mut assets = Vec::new();
    let logo = match &branding.logo {
        Some(path) => {
            let bytes = std::fs::read(path)
                .with_context(|| format!("cannot read the logo {}", path.display()))?;
            let Some(extension) = image_format(&bytes) else {
                bail!("logo {}: not a PNG, JPEG or SVG image", path.display());
            };
            let virtual_path = format!("assets/logo.{extension}");
            assets.push(Asset {
                path: virtual_path.clone(),
                bytes: typst::foundations::Bytes::new(bytes),
            });
            Some(virtual_path)
        }
        None => None,
    };
    let view = BrandingView {
        organisation: branding.organisation.clone(),
        logo,
        colour: branding.colour.clone(),
        contact: branding.contact.clone(),
        preface: branding
            .preface
            .as_deref()
            .map(|text| markdown::parse(text).blocks),
    };
    Ok((view, assets))
}

/// Invited pupils per municipality (lowercased → as given, number), from report.yaml's map or
/// a table file (CSV in any dialect the survey may have, or a spreadsheet).
fn invited(invited: Option<&Invited>) -> Result<BTreeMap<String, (String, u32)>> {
    match invited {
        None => Ok(BTreeMap::new()),
        Some(Invited::Counts(counts)) => Ok(counts
            .iter()
            .map(|(name, n)| (name.to_lowercase(), (name.clone(), *n)))
            .collect()),
        Some(Invited::File(path)) => {
            let mut table = InvitedTable {
                path,
                counts: BTreeMap::new(),
                error: None,
            };
            source::read(path, None, &mut table)?;
            match table.error {
                Some(error) => Err(anyhow::anyhow!(error)),
                None => Ok(table.counts),
            }
        }
    }
}

/// Reads the rows of an `invited:` file: the municipality's name and the number invited in
/// the first two columns, after a header row.
struct InvitedTable<'a> {
    path: &'a Path,
    counts: BTreeMap<String, (String, u32)>,
    /// The first row that is not a name and a number.
    error: Option<String>,
}

impl source::Sink for InvitedTable<'_> {
    fn header(&mut self, _: &Path, _: &ByteRecord) -> Result<(), ResponsesError> {
        Ok(())
    }

    fn row(&mut self, position: source::Position, record: &ByteRecord) {
        if self.error.is_some() || record.iter().all(|cell| cell.trim_ascii().is_empty()) {
            return;
        }
        let cell = |i| source::text(record.get(i).unwrap_or(b"").trim_ascii());
        let (name, number) = (cell(0), cell(1));
        match number.replace('.', "").parse::<u32>() {
            Ok(n) => {
                self.counts
                    .insert(name.to_lowercase(), (name.into_owned(), n));
            }
            Err(_) => {
                let at = match position {
                    source::Position::Line(line) => format!(":{line}"),
                    row @ source::Position::Row(_) => format!(", {row}"),
                };
                self.error = Some(format!(
                    "{}{at}: `{number}` is not a number of pupils",
                    self.path.display()
                ));
            }
        }
    }
}

/// The file name (without `.pdf`) and PDF identifier of a municipality's report.
pub fn report_name(municipality: &str, round: u16) -> String {
    format!("basisrapport-{}-{round}", slug(municipality))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logos_are_recognised_by_their_content() {
        assert_eq!(image_format(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("png"));
        assert_eq!(
            image_format(&[0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
            Some("jpg")
        );
        let svg = "\u{feff}<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assert_eq!(image_format(svg.as_bytes()), Some("svg"));
        assert_eq!(image_format(b"GIF89a"), None);
        assert_eq!(image_format(b""), None);
    }
}
