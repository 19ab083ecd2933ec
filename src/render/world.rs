//! The Typst world: an expensive [`Base`] built once per process (library, fonts, parsed
//! templates) and a cheap [`DocumentWorld`] per document that adds the document's data.
//!
//! Everything is served from memory. A template can read the template set's files (its own
//! images among them), `/data.json` and the document's assets (the logo); packages, the file
//! system and the clock are out of reach.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, Duration, Value};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Feature, Library, LibraryExt, World};
use typst_kit::fonts::FontStore;

use super::fonts::font_store;
use super::templates::TemplateFile;

/// The virtual path of the data a document is rendered from.
pub(crate) const DATA_PATH: &str = "data.json";

/// The id of a file at `path` (relative to the project root) in the world, or `None` if
/// the path cannot be a virtual path (e.g. it escapes the root).
pub(crate) fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// What all documents share: the standard library, the fonts and the parsed templates.
///
/// Keeping these identical across documents lets typst's memoization reuse the evaluation of
/// template modules and unchanged layout between documents.
pub(crate) struct Base {
    library: LazyHash<Library>,
    fonts: FontStore,
    sources: HashMap<FileId, Source>,
    /// Every template file by id, as bytes (sources too: `read()` may take them).
    files: HashMap<FileId, Bytes>,
    /// Where custom template files came from, so diagnostics name the real files.
    origins: HashMap<FileId, PathBuf>,
}

impl Base {
    /// Parses the template sources, keeps the other files and adds the template set's fonts
    /// to the shipped ones; files whose path cannot be a Typst path are left out (and cannot
    /// be read).
    pub(crate) fn new(templates: &[TemplateFile]) -> Base {
        let mut sources = HashMap::new();
        let mut files = HashMap::new();
        let mut origins = HashMap::new();
        let mut fonts = Vec::new();
        for file in templates {
            if file.is_font() {
                fonts.push(Bytes::new(file.bytes.to_vec()));
                continue;
            }
            let Some(id) = file_id(&file.path) else {
                continue;
            };
            if let Some(text) = file.source() {
                sources.insert(id, Source::new(id, text.to_owned()));
            }
            files.insert(id, Bytes::new(file.bytes.to_vec()));
            if let Some(origin) = &file.origin {
                origins.insert(id, origin.clone());
            }
        }
        // `a11y-extras` gives templates `pdf.header-cell`, for row headers in tables; `html`
        // gives the HTML report `html.elem` (see `Renderer::report_html`).
        let features = [Feature::A11yExtras, Feature::Html].into_iter().collect();
        let library = Library::builder()
            .with_features(features)
            .with_inputs(inputs())
            .build();
        Base {
            library: LazyHash::new(library),
            fonts: font_store(&fonts),
            sources,
            files,
            origins,
        }
    }

    /// The fonts every document may use.
    pub(crate) fn book(&self) -> &typst::text::FontBook {
        self.fonts.book()
    }

    /// The file a template file was read from, for a custom one.
    pub(crate) fn origin(&self, id: FileId) -> Option<&Path> {
        self.origins.get(&id).map(PathBuf::as_path)
    }
}

/// What templates find in `sys.inputs` when `report` compiles them: `report-sets-title`
/// says that `report` gives the PDF the title a template states as `<document-title>`
/// metadata, so the template need not set it as a style (lib/style.typ). The typst CLI,
/// compiling a project from `--emit-typst`, has no such input, and the template sets the
/// title itself, which PDF/UA-1 requires.
fn inputs() -> Dict {
    let mut inputs = Dict::new();
    inputs.insert("report-sets-title".into(), Value::Bool(true));
    inputs
}

/// A file besides the data that documents may read, e.g. the publisher's logo.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Its path in the world, e.g. `assets/logo.png`.
    pub path: String,
    pub bytes: Bytes,
}

/// One document: a main template, its JSON data and the date it carries.
pub(crate) struct DocumentWorld<'a> {
    base: &'a Base,
    main: FileId,
    data_id: FileId,
    data: Bytes,
    assets: &'a [Asset],
    today: Datetime,
}

impl<'a> DocumentWorld<'a> {
    /// A world whose main file is the template at `main`, reading `data` as `/data.json` and
    /// `assets` at their paths.
    pub(crate) fn new(
        base: &'a Base,
        main: &str,
        data: Vec<u8>,
        assets: &'a [Asset],
        today: Datetime,
    ) -> Self {
        DocumentWorld {
            base,
            main: file_id(main).expect("the main files have valid paths"),
            data_id: file_id(DATA_PATH).expect("the data path is valid"),
            data: Bytes::new(data),
            assets,
            today,
        }
    }
}

impl World for DocumentWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.base.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.base.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.base.sources.get(&id) {
            Some(source) => Ok(source.clone()),
            None => Err(not_found(id)),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            return Ok(self.data.clone());
        }
        if let Some(asset) = self
            .assets
            .iter()
            .find(|asset| file_id(&asset.path) == Some(id))
        {
            return Ok(asset.bytes.clone());
        }
        match self.base.files.get(&id) {
            Some(bytes) => Ok(bytes.clone()),
            None => Err(not_found(id)),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.base.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

fn not_found(id: FileId) -> FileError {
    match id.root() {
        VirtualRoot::Package(_) => FileError::AccessDenied,
        VirtualRoot::Project => FileError::NotFound(id.vpath().get_with_slash().into()),
    }
}
