//! The Typst templates: those in `report-templates/`, embedded in the binary so an installed
//! `report` needs no files beside it, or a directory of edited copies (`--templates DIR`).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// A template file and its text; `path` is relative to the templates directory and is also
/// its path inside the Typst world (`/path`).
#[derive(Debug, Clone)]
pub struct Template {
    pub path: Cow<'static, str>,
    pub text: Cow<'static, str>,
}

macro_rules! embed {
    ($($path:literal),+ $(,)?) => {
        &[$(Template {
            path: Cow::Borrowed($path),
            text: Cow::Borrowed(include_str!(concat!("../../report-templates/", $path))),
        }),+]
    };
}

/// Every template file. A test checks that nothing in `report-templates/` is left out.
pub const EMBEDDED: &[Template] = embed![
    "basisrapport.typ",
    "factsheets.typ",
    "lib/charts.typ",
    "lib/factsheet.typ",
    "lib/i18n.typ",
    "lib/markdown.typ",
    "lib/style.typ",
];

/// The main file of the basis report.
pub const REPORT: &str = "basisrapport.typ";

/// The main file of stand-alone fact sheets.
pub const FACTSHEETS: &str = "factsheets.typ";

/// Why a templates directory cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("cannot read the templates in {dir}: {message}")]
    Read { dir: PathBuf, message: String },
    #[error("{dir} has no {missing} (`report templates export DIR` writes a complete set)")]
    Missing { dir: PathBuf, missing: &'static str },
}

/// Reads every `.typ` file below `dir` (in sorted order); both main files must be there.
pub fn load_dir(dir: &Path) -> Result<Vec<Template>, TemplateError> {
    let read_error = |message: String| TemplateError::Read {
        dir: dir.to_owned(),
        message,
    };
    let mut templates = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| read_error(e.to_string()))?;
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|ext| ext != "typ") {
            continue;
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| read_error(format!("{}: {e}", path.display())))?;
        let relative = path.strip_prefix(dir).unwrap_or(path);
        templates.push(Template {
            path: Cow::Owned(relative.to_string_lossy().replace('\\', "/")),
            text: Cow::Owned(text),
        });
    }
    for main in [REPORT, FACTSHEETS] {
        if !templates.iter().any(|t| t.path == main) {
            return Err(TemplateError::Missing {
                dir: dir.to_owned(),
                missing: main,
            });
        }
    }
    Ok(templates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_file_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&root)
            .sort_by_file_name()
            .into_iter()
            .map(|entry| entry.unwrap().into_path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "typ"))
            .map(|path| {
                let relative = path.strip_prefix(&root).unwrap();
                relative.to_string_lossy().replace('\\', "/")
            })
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = EMBEDDED.iter().map(|t| t.path.as_ref()).collect();
        assert_eq!(on_disk, embedded);
    }
}
