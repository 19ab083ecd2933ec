//! The Typst templates in `report-templates/`, embedded in the binary so an installed `report`
//! needs no files beside it.

/// A template file and its text; `path` is relative to `report-templates/` and is also its
/// path inside the Typst world (`/path`).
#[derive(Debug, Clone, Copy)]
pub struct Template {
    pub path: &'static str,
    pub text: &'static str,
}

macro_rules! embed {
    ($($path:literal),+ $(,)?) => {
        &[$(Template {
            path: $path,
            text: include_str!(concat!("../../report-templates/", $path)),
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
        let embedded: Vec<&str> = EMBEDDED.iter().map(|t| t.path).collect();
        assert_eq!(on_disk, embedded);
    }
}
