//! Rendering: serialisable document data → Typst (embedded templates, fonts) → PDF bytes;
//! and the same published figures as an Excel workbook of tidy tables ([`tables`]).
//!
//! The renderer only ever sees the data types in [`document`]: aggregated, privacy-checked
//! figures, labels and fact sheets. User text reaches Typst as JSON values, never as markup.

mod diagnostics;
pub mod document;
pub mod downloads;
pub mod fonts;
mod glyphs;
pub(crate) mod numbers;
mod overlap;
pub mod tables;
pub mod templates;
pub(crate) mod world;

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Label, Smart, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::PicoStr;
use typst_html::{HtmlDocument, HtmlOptions};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::date::ReportDate;
pub use diagnostics::{Diagnostic, Diagnostics, Location};
pub use downloads::Downloads;
pub use glyphs::{Step, Undrawable};
pub use world::Asset;
use world::{Base, DocumentWorld};

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("cannot serialise the document data: {0}")]
    Data(#[from] serde_json::Error),
    #[error("the template failed:\n{0}")]
    Template(Diagnostics),
    #[error("cannot write the PDF:\n{0}")]
    Pdf(Diagnostics),
    #[error("invalid report date {0}")]
    Date(ReportDate),
    #[error("{0}")]
    Standard(String),
    /// Texts with characters no font of the document has; found before Typst runs.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Undrawable(Vec<Undrawable>),
}

/// A finished PDF.
#[derive(Debug)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Typst's warnings and the layout check's.
    pub warnings: Diagnostics,
}

/// A finished HTML page.
#[derive(Debug)]
pub struct RenderedHtml {
    pub html: String,
    /// Typst's warnings.
    pub warnings: Diagnostics,
}

/// Compiles documents; build one per process and share it between threads for every
/// document (fonts, library and parsed templates are loaded once).
pub struct Renderer {
    base: Base,
    templates: Vec<templates::TemplateFile>,
    /// The PDF standards every document must conform to, and their names as given.
    standards: PdfStandards,
    standard_names: Vec<String>,
}

/// The PDF standards documents conform to unless told otherwise: PDF/UA-1, the accessible
/// PDF that Danish public bodies must publish.
pub const DEFAULT_STANDARDS: &[&str] = &["ua-1"];

/// Parses PDF standard names (`ua-1`, `a-2b`, `a-3b`, `1.7`, …) into a set typst-pdf accepts.
pub fn pdf_standards(names: &[impl AsRef<str>]) -> Result<PdfStandards, RenderError> {
    let list = names
        .iter()
        .map(|name| {
            let name = name.as_ref();
            serde_json::from_value::<PdfStandard>(serde_json::Value::String(name.to_owned()))
                .map_err(|_| RenderError::Standard(format!("unknown PDF standard `{name}`")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    PdfStandards::new(&list).map_err(|error| RenderError::Standard(error.message().to_string()))
}

impl Default for Renderer {
    fn default() -> Self {
        Renderer::new()
    }
}

impl Renderer {
    /// A renderer with the embedded templates and fonts.
    pub fn new() -> Renderer {
        Renderer::from_templates(templates::EMBEDDED.to_vec())
    }

    /// A renderer with the template set `templates`, conforming to the default standards.
    fn from_templates(templates: Vec<templates::TemplateFile>) -> Renderer {
        Renderer {
            base: Base::new(&templates),
            templates,
            standards: pdf_standards(DEFAULT_STANDARDS).expect("the default standards are valid"),
            standard_names: DEFAULT_STANDARDS.iter().map(|&n| n.to_owned()).collect(),
        }
    }

    /// Makes every document conform to the standards `names` (see [`pdf_standards`]).
    pub fn with_standards(mut self, names: &[impl AsRef<str>]) -> Result<Renderer, RenderError> {
        self.standards = pdf_standards(names)?;
        self.standard_names = names.iter().map(|n| n.as_ref().to_owned()).collect();
        Ok(self)
    }

    /// The names of the PDF standards documents conform to, e.g. `["ua-1"]`.
    pub fn standard_names(&self) -> &[String] {
        &self.standard_names
    }

    /// A renderer with the files in `dir` laid over the built-in templates.
    pub fn with_templates(dir: &std::path::Path) -> Result<Renderer, templates::TemplateError> {
        Ok(Renderer::from_templates(templates::overlay(dir)?))
    }

    /// The template files documents are rendered with.
    pub fn templates(&self) -> &[templates::TemplateFile] {
        &self.templates
    }

    /// The texts of `data` that no font of the renderer can draw.
    pub fn undrawable(&self, data: &impl serde::Serialize) -> Result<Vec<Undrawable>, RenderError> {
        Ok(glyphs::undrawable(
            self.base.book(),
            &serde_json::to_value(data)?,
        ))
    }

    /// Renders the basis report.
    pub fn report(
        &self,
        data: &document::ReportData,
        assets: &[Asset],
        date: ReportDate,
        ident: &str,
    ) -> Result<Rendered, RenderError> {
        self.report_json(serde_json::to_vec(data)?, assets, date, ident)
    }

    /// Renders the basis report from its data already serialised as JSON (what
    /// [`Renderer::report`] does after serialising).
    pub fn report_json(
        &self,
        json: Vec<u8>,
        assets: &[Asset],
        date: ReportDate,
        ident: &str,
    ) -> Result<Rendered, RenderError> {
        self.render(templates::REPORT, json, assets, date, ident)
    }

    /// Renders the basis report as one self-contained HTML page from its data serialised as
    /// JSON: the same data as the PDF's, laid out by `html/basisrapport.typ`, with the files
    /// it links to for download as `/downloads.json`.
    ///
    /// Typst's HTML export is experimental (typst#5512) in how it converts layout (pages,
    /// grids, shapes) to HTML. The template uses none of that: every element is written with
    /// `html.elem`, which typst writes as it is given, escaping text and attributes. So the
    /// warning typst gives on every HTML compile says nothing about this page, and is left out.
    pub fn report_html(
        &self,
        json: Vec<u8>,
        assets: &[Asset],
        date: ReportDate,
        downloads: &Downloads,
    ) -> Result<RenderedHtml, RenderError> {
        let assets: Vec<Asset> = assets
            .iter()
            .cloned()
            .chain([Asset {
                path: downloads::PATH.to_owned(),
                bytes: typst::foundations::Bytes::new(downloads.to_json()),
            }])
            .collect();
        let world = self.world(templates::REPORT_HTML, json, &assets, date)?;
        let Warned { output, warnings } = typst::compile::<HtmlDocument>(&world);
        let document = output.map_err(|errors| self.template_error(&world, &errors))?;
        let html = typst_html::html(&document, &HtmlOptions { pretty: true })
            .map_err(|errors| self.template_error(&world, &errors))?;
        let warnings: Vec<_> = warnings
            .into_iter()
            .filter(|warning| !warning.message.starts_with(HTML_EXPORT_WARNING))
            .collect();
        Ok(RenderedHtml {
            html,
            warnings: diagnostics::collect(&world, &warnings, &self.base),
        })
    }

    /// Renders stand-alone fact sheets, one per page.
    pub fn factsheets(
        &self,
        data: &document::FactsheetsData,
        date: ReportDate,
        ident: &str,
    ) -> Result<Rendered, RenderError> {
        self.render(
            templates::FACTSHEETS,
            serde_json::to_vec(data)?,
            &[],
            date,
            ident,
        )
    }

    /// The world of one document: `main` reading `json` as `/data.json` and `assets`, on the
    /// report's date.
    fn world<'a>(
        &'a self,
        main: &str,
        json: Vec<u8>,
        assets: &'a [Asset],
        date: ReportDate,
    ) -> Result<DocumentWorld<'a>, RenderError> {
        let today =
            Datetime::from_ymd(date.year, date.month, date.day).ok_or(RenderError::Date(date))?;
        Ok(DocumentWorld::new(&self.base, main, json, assets, today))
    }

    /// The template's errors, naming its files and lines.
    fn template_error(
        &self,
        world: &DocumentWorld<'_>,
        errors: &[SourceDiagnostic],
    ) -> RenderError {
        RenderError::Template(diagnostics::collect(world, errors, &self.base))
    }

    /// Compiles `main` with `json` as `/data.json` and exports a reproducible PDF: the date
    /// and `ident` fix everything that would otherwise vary between runs.
    fn render(
        &self,
        main: &str,
        json: Vec<u8>,
        assets: &[Asset],
        date: ReportDate,
        ident: &str,
    ) -> Result<Rendered, RenderError> {
        let undrawable = glyphs::undrawable(self.base.book(), &serde_json::from_slice(&json)?);
        if !undrawable.is_empty() {
            return Err(RenderError::Undrawable(undrawable));
        }
        let world = self.world(main, json, assets, date)?;
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
        let mut document = output.map_err(|errors| self.template_error(&world, &errors))?;
        title_from_metadata(&mut document);
        let options = PdfOptions {
            ident: Smart::Custom(ident.to_owned()),
            creator: Smart::Custom(Some(concat!("report ", env!("CARGO_PKG_VERSION")).into())),
            timestamp: Datetime::from_ymd_hms(date.year, date.month, date.day, 0, 0, 0)
                .map(Timestamp::new_utc),
            standards: self.standards.clone(),
            ..PdfOptions::default()
        };
        let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| {
            RenderError::Pdf(diagnostics::collect(&world, &errors, &self.base))
        })?;
        let mut warnings = diagnostics::collect(&world, &warnings, &self.base);
        let _scope = typst_timing::TimingScope::new(crate::phase::LAYOUT_CHECK);
        let pages = overlap::Pages::of(&document);
        for overlap in pages.overlaps() {
            warnings.0.push(Diagnostic::warning(overlap.to_string()));
        }
        for small in pages.small_text() {
            warnings.0.push(Diagnostic::warning(small.to_string()));
        }
        Ok(Rendered {
            pdf,
            pages: document.pages().len(),
            warnings,
        })
    }
}

/// The start of the warning typst gives on every HTML compile (see [`Renderer::report_html`]).
const HTML_EXPORT_WARNING: &str = "html export is under active development";

/// Gives the document the title its template states as `<document-title>` metadata (see
/// lib/style.typ). A `set document(title: …)` rule would do the same as a style, and a style
/// that differs per report makes every layout typst remembers differ too, so nothing could be
/// reused from one report to the next. A template without the metadata keeps its own title.
fn title_from_metadata(document: &mut PagedDocument) {
    let Some(label) = Label::new(PicoStr::intern("document-title")) else {
        return;
    };
    let title = match document.introspector().query_label(label) {
        Ok(content) => match content.to_packed::<MetadataElem>().map(|m| &m.value) {
            Some(Value::Str(title)) => title.as_str().into(),
            _ => return,
        },
        Err(_) => return,
    };
    document.info_mut().title = Some(title);
}
