//! How reports look beyond their figures, as report.yaml sets it up: the publisher's
//! branding (with the logo read and recognised) and the numbers of invited pupils.

use std::path::Path;

use csv::ByteRecord;
use typst::foundations::Bytes;
use typst::visualize::{ExchangeFormat, RasterImage};

use super::ProjectError;
use crate::config::{Branding, Invited};
use crate::input::{IMAGE_LIMIT, read_bytes};
use crate::markdown;
use crate::names::{ByName, UnknownName};
use crate::render::Asset;
use crate::render::document::BrandingView;
use crate::survey::{ResponsesError, source};

/// Branding and invited pupils, read once for every report of a job.
#[derive(Debug, Clone, Default)]
pub(super) struct Presentation {
    pub(super) branding: BrandingView,
    /// Files the template reads besides its data (the logo).
    pub(super) assets: Vec<Asset>,
    /// Invited pupils per municipality: lowercased name → (name as given, number).
    invited: ByName<u32>,
}

impl Presentation {
    pub(super) fn load(
        branding: &Branding,
        invited: Option<&Invited>,
    ) -> Result<Presentation, ProjectError> {
        let (branding, assets) = branding_view(branding)?;
        Ok(Presentation {
            branding,
            assets,
            invited: invited_table(invited)?,
        })
    }

    /// How many pupils of `municipality` were invited, if report.yaml says.
    pub(super) fn invited(&self, municipality: &str) -> Option<u32> {
        self.invited.get(municipality).copied()
    }

    /// Names under `invited:` that are not among `known` municipalities (most likely
    /// misspelt: their reports would silently lack a response rate).
    pub(super) fn unknown_invited(&self, known: &[String]) -> Vec<UnknownName> {
        self.invited.unknown(known, "under `invited:`")
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

/// The most pixels a raster logo may have on a side: a logo is printed a few centimetres
/// wide, where 1,000 pixels are plenty; a larger one would only slow every report down and
/// swell it.
const LOGO_MAX_SIDE: u32 = 4096;

/// Checks that the logo can be drawn, as typst will draw it: its size from the header first
/// (so that a huge image is refused before it is decoded), then the whole image.
fn check_logo(path: &Path, bytes: &Bytes, format: &str) -> Result<(), ProjectError> {
    let problem = |problem: String| ProjectError::Logo {
        path: path.to_owned(),
        problem,
    };
    if format == "svg" {
        return usvg::Tree::from_data(bytes.as_slice(), &usvg::Options::default())
            .map(drop)
            .map_err(|error| problem(format!("cannot be read as SVG: {error}")));
    }
    let (width, height) = image::ImageReader::new(std::io::Cursor::new(bytes.as_slice()))
        .with_guessed_format()
        .map_err(|error| problem(error.to_string()))?
        .into_dimensions()
        .map_err(|error| problem(format!("cannot be read: {error}")))?;
    if width.max(height) > LOGO_MAX_SIDE {
        return Err(problem(format!(
            "is {width} × {height} pixels; a logo may have at most {LOGO_MAX_SIDE} on a side (scale it down)"
        )));
    }
    let exchange = if format == "png" {
        ExchangeFormat::Png
    } else {
        ExchangeFormat::Jpg
    };
    RasterImage::plain(bytes.clone(), exchange)
        .map(drop)
        .map_err(|error| problem(format!("cannot be read: {error}")))
}

/// The branding the template reads, and the logo as an asset.
fn branding_view(branding: &Branding) -> Result<(BrandingView, Vec<Asset>), ProjectError> {
    let mut assets = Vec::new();
    let logo = match &branding.logo {
        Some(path) => {
            let bytes = read_bytes(path, IMAGE_LIMIT)?;
            let Some(extension) = image_format(&bytes) else {
                return Err(ProjectError::Logo {
                    path: path.clone(),
                    problem: "not a PNG, JPEG or SVG image".to_owned(),
                });
            };
            let bytes = Bytes::new(bytes);
            check_logo(path, &bytes, extension)?;
            let virtual_path = format!("assets/logo.{extension}");
            assets.push(Asset {
                path: virtual_path.clone(),
                bytes,
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

/// Invited pupils per municipality, from report.yaml's map or a table file (CSV in any
/// dialect the survey may have, or a spreadsheet).
fn invited_table(invited: Option<&Invited>) -> Result<ByName<u32>, ProjectError> {
    match invited {
        None => Ok(ByName::default()),
        Some(Invited::Counts(counts)) => {
            Ok(counts.iter().map(|(name, n)| (name.clone(), *n)).collect())
        }
        Some(Invited::File(path)) => {
            let mut table = InvitedTable {
                path,
                counts: ByName::default(),
                error: None,
            };
            source::read(path, None, &mut table)?;
            match table.error {
                Some(error) => Err(ProjectError::Invited(error)),
                None => Ok(table.counts),
            }
        }
    }
}

/// Reads the rows of an `invited:` file: the municipality's name and the number invited in
/// the first two columns, after a header row.
struct InvitedTable<'a> {
    path: &'a Path,
    counts: ByName<u32>,
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
                self.counts.insert(name.into_owned(), n);
            }
            Err(_) => {
                let at = match position {
                    source::Position::Line(line) => format!(":{line}"),
                    other @ (source::Position::Row(_) | source::Position::Case(_)) => {
                        format!(", {other}")
                    }
                };
                self.error = Some(format!(
                    "{}{at}: `{number}` is not a number of pupils",
                    self.path.display()
                ));
            }
        }
    }
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
