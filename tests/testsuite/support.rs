//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;

#[allow(dead_code, unreachable_pub)]
#[path = "../../examples/gen-survey.rs"]
mod gen_survey;

/// The repository root (where report.yaml and the example data live).
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path inside the repository.
pub(crate) fn repo_path(relative: &str) -> PathBuf {
    repo().join(relative)
}

/// The example's six municipalities as the generator writes them without school effects
/// (`--school-spread 0`; the checked-in sample until 2026-12-06). Silkeborg differs there from
/// all municipalities by 3–4 points on a few indicators with intervals narrow enough to mark
/// them at `relevant_difference: 3`, which the tests of marks, differences and the library
/// rely on; the checked-in sample, clustered like real data, marks none. Generated once per
/// test run into cargo's scratch directory.
pub(crate) fn flat_sample() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("udskoling-flat.csv");
        let partial = path.with_extension("csv.partial");
        let codebook =
            report::survey::Codebook::load(&repo_path("examples/udskoling.codebook.yaml")).unwrap();
        let settings = gen_survey::Settings {
            seed: 2026,
            school_spread: 0.0,
            scale: 1.0,
            only: [
                "Silkeborg",
                "Skanderborg",
                "Favrskov",
                "Syddjurs",
                "Odder",
                "Samsø",
            ]
            .map(String::from)
            .to_vec(),
        };
        let file = std::io::BufWriter::new(std::fs::File::create(&partial).unwrap());
        gen_survey::generate(&codebook, &settings, file).unwrap();
        std::fs::rename(&partial, &path).unwrap();
        path
    })
}

/// The date every test report carries, so that outputs can be compared byte for byte.
pub(crate) const DATE: &str = "2026-11-22";

/// `report build --date DATE -o OUT ARGS…` in the repository (its report.yaml supplies the
/// example survey, codebook, municipality and catalogue).
pub(crate) fn build(out: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    report(&repo())
        .args(["build", "--date", DATE, "-o"])
        .arg(out)
        .args(args)
        .assert()
}

/// A `--templates` directory in `dir` with one file, `relative` (e.g. `html/style.css`),
/// holding `text`; every other file is the built-in one.
pub(crate) fn template_overlay(dir: &Path, relative: &str, text: &str) -> PathBuf {
    let templates = dir.join("templates");
    let file = templates.join(relative);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
    templates
}

/// A project file in `dir` for the [`flat_sample`] with `relevant_difference: 3`: its
/// largest differences are 3–4 points, so the default of 5 marks none, while 3 marks one
/// strength (q23) and one concern (q14). Give it with `--config`.
pub(crate) fn marking_config(dir: &Path) -> PathBuf {
    let path = dir.join("marking.yaml");
    std::fs::write(
        &path,
        format!(
            "survey: {}\ncodebook: {}\nmunicipality: Silkeborg\ncatalogue: {}\nrelevant_difference: 3\n",
            flat_sample().display(),
            repo_path("examples/udskoling.codebook.yaml").display(),
            repo_path("catalogue").display(),
        ),
    )
    .unwrap();
    path
}

/// `build` as [`build`] does, with [`marking_config`].
pub(crate) fn build_marking(out: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    let config = marking_config(out.parent().unwrap());
    report(&repo())
        .arg("--config")
        .arg(&config)
        .args(["build", "--date", DATE, "-o"])
        .arg(out)
        .args(args)
        .assert()
}

/// `build` with `--data-out` beside `out`; asserts success and returns the figures.
pub(crate) fn figures(out: &Path, args: &[&str]) -> serde_json::Value {
    let json = out.with_extension("json");
    let mut all = vec!["--data-out", json.to_str().unwrap()];
    all.extend_from_slice(args);
    build(out, &all).success();
    read_json(&json)
}

/// A JSON file's contents.
pub(crate) fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The `report` binary, run in `dir` with no SOURCE_DATE_EPOCH from the environment.
pub(crate) fn report(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("report").expect("the report binary is built");
    command.current_dir(dir).env_remove("SOURCE_DATE_EPOCH");
    command
}

/// The text of each page of a PDF.
pub(crate) fn pages(pdf: &Path) -> Vec<String> {
    let bytes = std::fs::read(pdf).unwrap_or_else(|e| panic!("cannot read {}: {e}", pdf.display()));
    pdf_extract::extract_text_from_mem_by_pages(&bytes).expect("the PDF's text can be extracted")
}

/// Collapses runs of whitespace and joins words hyphenated at a line's end (a soft hyphen
/// and the line break around it), so text broken across lines can be searched.
pub(crate) fn flat(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .join(" ")
        .replace(" \u{ad} ", "")
        .replace("\u{ad} ", "")
}

/// The index of the first page whose text contains `needle` (whitespace-insensitive).
pub(crate) fn page_with(pages: &[String], needle: &str) -> Option<usize> {
    let needle = flat(needle);
    pages.iter().position(|page| flat(page).contains(&needle))
}

/// The index of the last page whose text contains `needle` (whitespace-insensitive).
pub(crate) fn last_page_with(pages: &[String], needle: &str) -> Option<usize> {
    let needle = flat(needle);
    pages.iter().rposition(|page| flat(page).contains(&needle))
}

/// A PDF's object structure, for checking metadata, outline and images.
pub(crate) fn pdf_document(pdf: &Path) -> lopdf::Document {
    lopdf::Document::load(pdf).unwrap_or_else(|e| panic!("cannot parse {}: {e}", pdf.display()))
}

/// The PDF's outline (bookmarks) as (level, title), level 1 for chapters.
pub(crate) fn outline(document: &lopdf::Document) -> Vec<(usize, String)> {
    let toc = document.get_toc().expect("the PDF has an outline");
    assert!(toc.errors.is_empty(), "{:?}", toc.errors);
    toc.toc
        .into_iter()
        .map(|entry| (entry.level, entry.title))
        .collect()
}

/// The XMP metadata packet of the PDF's catalog.
pub(crate) fn xmp(document: &lopdf::Document) -> String {
    let catalog = document.catalog().unwrap();
    let id = catalog
        .get(b"Metadata")
        .and_then(lopdf::Object::as_reference)
        .expect("XMP metadata");
    let stream = document
        .get_object(id)
        .and_then(lopdf::Object::as_stream)
        .unwrap();
    let bytes = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    String::from_utf8(bytes).expect("XMP is UTF-8")
}

/// What a finished command wrote to standard error.
pub(crate) fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// What a finished command wrote to standard output.
pub(crate) fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}
