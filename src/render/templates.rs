//! The template files: those in `report-templates/`, embedded in the binary so an installed
//! `report` needs no files beside it, with a directory of the designer's own files laid over
//! them (`--templates DIR`): a file there replaces the built-in file of the same path, any
//! other file is added (images, fonts, further Typst modules), and every built-in file the
//! directory lacks is used as it is. So editing `lib/style.typ` takes one file, and later
//! fixes to the rest still arrive.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// The largest file a templates directory may hold; a template set is small.
const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// A file of the template set.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// Its path relative to the templates directory, also its path in the Typst world.
    pub path: Cow<'static, str>,
    pub bytes: Cow<'static, [u8]>,
    /// The file it was read from, when it comes from a templates directory.
    pub origin: Option<PathBuf>,
}

impl TemplateFile {
    /// The Typst source of a `.typ` file (`None` for other files, or a `.typ` file that is
    /// not UTF-8, which [`overlay`] refuses).
    pub fn source(&self) -> Option<&str> {
        self.has_extension(&["typ"])
            .then(|| std::str::from_utf8(&self.bytes).ok())
            .flatten()
    }

    /// True for font files, which join the font book instead of being read by path.
    pub fn is_font(&self) -> bool {
        self.has_extension(&["otf", "ttf", "ttc", "otc"])
    }

    fn has_extension(&self, extensions: &[&str]) -> bool {
        Path::new(self.path.as_ref())
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| extensions.iter().any(|e| ext.eq_ignore_ascii_case(e)))
    }
}

macro_rules! embed {
    ($($path:literal),+ $(,)?) => {
        &[$(TemplateFile {
            path: Cow::Borrowed($path),
            bytes: Cow::Borrowed(include_bytes!(concat!("../../report-templates/", $path))),
            origin: None,
        }),+]
    };
}

/// Every built-in template file. A test checks that nothing in `report-templates/` is left
/// out (the fonts are in [`super::fonts::SHIPPED`]).
pub const EMBEDDED: &[TemplateFile] = embed![
    "basisrapport.typ",
    "factsheets.typ",
    "html/basisrapport.typ",
    "html/style.css",
    "lib/charts.typ",
    "lib/fact-labels.yaml",
    "lib/factsheet.typ",
    "lib/i18n.typ",
    "lib/markdown.typ",
    "lib/names.typ",
    "lib/style.typ",
    "lib/summary.typ",
];

/// The main file of the basis report.
pub const REPORT: &str = "basisrapport.typ";

/// The main file of the basis report as an HTML page.
pub const REPORT_HTML: &str = "html/basisrapport.typ";

/// The main file of stand-alone fact sheets.
pub const FACTSHEETS: &str = "factsheets.typ";

/// Why a templates directory cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("cannot read the templates in {}: {message}", dir.display())]
    Read { dir: PathBuf, message: String },
    #[error("{}: a template file must be UTF-8 text", path.display())]
    NotUtf8 { path: PathBuf },
    #[error("{}: larger than {} MB; a templates directory holds templates, images and fonts", path.display(), MAX_FILE_BYTES / 1024 / 1024)]
    TooLarge { path: PathBuf },
}

/// The built-in files with every file below `dir` laid over them (in sorted order). Hidden
/// files and directories (`.git`, `.DS_Store`) are left out.
pub fn overlay(dir: &Path) -> Result<Vec<TemplateFile>, TemplateError> {
    let read_error = |message: String| TemplateError::Read {
        dir: dir.to_owned(),
        message,
    };
    if !dir.is_dir() {
        return Err(read_error("not a directory".into()));
    }
    let mut files = EMBEDDED.to_vec();
    let walk = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        });
    for entry in walk {
        let entry = entry.map_err(|e| read_error(e.to_string()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let size = entry
            .metadata()
            .map_err(|e| read_error(e.to_string()))?
            .len();
        if size > MAX_FILE_BYTES {
            return Err(TemplateError::TooLarge {
                path: path.to_owned(),
            });
        }
        let bytes =
            std::fs::read(path).map_err(|e| read_error(format!("{}: {e}", path.display())))?;
        let relative = path.strip_prefix(dir).unwrap_or(path);
        let file = TemplateFile {
            path: Cow::Owned(relative.to_string_lossy().replace('\\', "/")),
            bytes: Cow::Owned(bytes),
            origin: Some(path.to_owned()),
        };
        if file.has_extension(&["typ"]) && file.source().is_none() {
            return Err(TemplateError::NotUtf8 {
                path: path.to_owned(),
            });
        }
        match files.iter_mut().find(|f| f.path == file.path) {
            Some(builtin) => *builtin = file,
            None => files.push(file),
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_file_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&root)
            .sort_by_file_name()
            .into_iter()
            .map(|entry| entry.unwrap().into_path())
            .filter(|path| {
                path.extension()
                    .is_some_and(|ext| ext == "typ" || ext == "yaml" || ext == "css")
            })
            .map(|path| {
                let relative = path.strip_prefix(&root).unwrap();
                relative.to_string_lossy().replace('\\', "/")
            })
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = EMBEDDED.iter().map(|t| t.path.as_ref()).collect();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn a_directory_overrides_only_the_files_it_has() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("lib")).unwrap();
        std::fs::write(dir.path().join("lib/style.typ"), "// mine").unwrap();
        std::fs::write(dir.path().join("logo.png"), b"\x89PNG").unwrap();
        std::fs::write(dir.path().join(".DS_Store"), b"junk").unwrap();
        let files = overlay(dir.path()).unwrap();
        let style = files.iter().find(|f| f.path == "lib/style.typ").unwrap();
        assert_eq!(style.source(), Some("// mine"));
        assert!(style.origin.is_some());
        let report = files.iter().find(|f| f.path == REPORT).unwrap();
        assert!(report.origin.is_none(), "the built-in main file stays");
        assert!(
            files
                .iter()
                .any(|f| f.path == "logo.png" && f.source().is_none())
        );
        assert!(!files.iter().any(|f| f.path == ".DS_Store"));
        assert_eq!(files.len(), EMBEDDED.len() + 1);

        std::fs::write(dir.path().join("bad.typ"), [0xff, 0xfe]).unwrap();
        assert!(matches!(
            overlay(dir.path()),
            Err(TemplateError::NotUtf8 { .. })
        ));
        assert!(matches!(
            overlay(&dir.path().join("missing")),
            Err(TemplateError::Read { .. })
        ));
    }
}
