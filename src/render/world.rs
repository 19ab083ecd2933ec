//! The Typst world: an expensive [`Base`] built once per process (library, fonts, parsed
//! templates) and a cheap [`DocumentWorld`] per document that adds the document's data.
//!
//! Everything is served from memory. The only file a template can read besides the templates
//! is `/data.json`; packages, the file system and the clock are out of reach.

use std::collections::HashMap;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Feature, Library, LibraryExt, World};
use typst_kit::fonts::FontStore;

use super::fonts::font_store;
use super::templates::Template;

/// The virtual path of the data a document is rendered from.
pub const DATA_PATH: &str = "data.json";

/// The id of a file at `path` (relative to the project root) in the world, or `None` if
/// the path cannot be a virtual path (e.g. it escapes the root).
pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// What all documents share: the standard library, the fonts and the parsed templates.
///
/// Keeping these identical across documents lets typst's memoization reuse the evaluation of
/// template modules and unchanged layout between documents.
pub struct Base {
    library: LazyHash<Library>,
    fonts: FontStore,
    sources: HashMap<FileId, Source>,
}

impl Base {
    /// Parses the templates and loads the fonts; templates whose path cannot be a Typst
    /// path are left out (and cannot be imported).
    pub fn new(templates: &[Template]) -> Base {
        let sources = templates
            .iter()
            .filter_map(|template| {
                let id = file_id(&template.path)?;
                Some((id, Source::new(id, template.text.to_string())))
            })
            .collect();
        // `a11y-extras` gives templates `pdf.header-cell`, for row headers in tables.
        let features = [Feature::A11yExtras].into_iter().collect();
        Base {
            library: LazyHash::new(Library::builder().with_features(features).build()),
            fonts: font_store(),
            sources,
        }
    }
}

/// A file besides the data that documents may read, e.g. the publisher's logo.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Its path in the world, e.g. `assets/logo.png`.
    pub path: String,
    pub bytes: Bytes,
}

/// One document: a main template, its JSON data and the date it carries.
pub struct DocumentWorld<'a> {
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
    pub fn new(
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
        match self.base.sources.get(&id) {
            Some(source) => Ok(Bytes::from_string(source.text().to_owned())),
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
