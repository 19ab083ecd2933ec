//! The report as a publication: its structure, accessibility and archive metadata, English,
//! branding, custom templates and reproducible dates.
//!
//! `REPORT_SNAPSHOTS=DIR cargo test publication` also writes PNGs of the key pages (cover,
//! overview, a theme page, a fact sheet) to DIR with poppler's `pdftoppm`, for a person to
//! look at; they are not kept in git.

use std::path::{Path, PathBuf};

use predicates::prelude::PredicateBooleanExt;

use crate::support::{
    DATE, flat, last_page_with, outline, page_with, pages, pdf_document, repo, repo_path, report,
    xmp,
};

const SHEETS: [&str; 3] = ["x-it", "fri-for-mobberi", "ventilen"];

/// Runs `report build` on the example data with `args`, writing `rapport.pdf` in `dir`.
fn build(dir: &Path, args: &[&str]) -> (assert_cmd::assert::Assert, PathBuf) {
    let out = dir.join("rapport.pdf");
    (crate::support::build(&out, args), out)
}

/// The example codebook as YAML, to compare the report with.
fn codebook() -> serde_yaml::Value {
    let text = std::fs::read_to_string(repo_path("examples/udskoling.codebook.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

fn themes(codebook: &serde_yaml::Value) -> &[serde_yaml::Value] {
    codebook["themes"].as_sequence().unwrap()
}

fn questions(codebook: &serde_yaml::Value) -> impl Iterator<Item = &serde_yaml::Value> {
    themes(codebook)
        .iter()
        .flat_map(|theme| theme["questions"].as_sequence().unwrap())
}

fn text<'a>(value: &'a serde_yaml::Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("no `{key}` in {value:?}"))
}

#[test]
fn the_report_has_its_chapters_in_order_and_every_question_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = Vec::new();
    for id in SHEETS {
        args.extend(["-i", id]);
    }
    // With strengths and concerns (the example has them at a threshold of 3 points).
    let out = dir.path().join("rapport.pdf");
    crate::support::build_marking(&out, &args).success();
    let pages = pages(&out);
    assert!((30..=42).contains(&pages.len()), "{} pages", pages.len());

    // The outline: the fixed chapters, one per theme in the codebook's order, the appendix;
    // each question is a section of its theme, each fact sheet of the appendix.
    let codebook = codebook();
    let outline = outline(&pdf_document(&out));
    let chapters: Vec<&str> = outline
        .iter()
        .filter(|(level, _)| *level == 1)
        .map(|(_, title)| title.as_str())
        .collect();
    // Summary and overview first, the methods at the back.
    let mut expected = vec![
        "Sammenfatning",
        "Sådan læser du rapporten",
        "Overblik over nøgletal",
        "Nøgletal efter køn og klassetrin",
        "Hvor skiller Silkeborg sig ud?",
    ];
    expected.extend(themes(&codebook).iter().map(|theme| text(theme, "title")));
    expected.extend(["Om undersøgelsen og metoden", "Inspiration til indsatser"]);
    assert_eq!(chapters, expected);
    let sections: Vec<String> = outline
        .iter()
        .filter(|(level, _)| *level == 2)
        .map(|(_, title)| flat(title))
        .collect();
    let mut expected: Vec<String> = [
        "Styrker",
        "Opmærksomhedspunkter",
        "For få svar til at sige",
        "Indsatser i biblioteket om samme tema",
    ]
    .map(str::to_owned)
    .to_vec();
    expected.extend(
        questions(&codebook).map(|q| format!("{} {}", text(q, "id"), flat(text(q, "text")))),
    );
    expected.push("Metode".to_owned());
    expected.extend(["X:IT", "Fri for Mobberi", "Ventilen"].map(String::from));
    assert_eq!(sections, expected);

    // Each question's heading is printed once, before the appendix; the fact sheets come last.
    let all = flat(&pages.join(" "));
    for question in questions(&codebook) {
        let heading = format!("{} {}", text(question, "id"), flat(text(question, "text")));
        assert_eq!(all.matches(&heading).count(), 1, "`{heading}`");
    }
    let appendix = last_page_with(&pages, "Inspiration til indsatser").unwrap();
    // The first fact sheet shares the appendix's page.
    assert_eq!(pages.len(), appendix + SHEETS.len());
    let overview = last_page_with(&pages, "Overblik over nøgletal").unwrap();
    let first_theme = page_with(&pages, "Hvordan har du det for det meste?").unwrap();

    if let Some(snapshots) = std::env::var_os("REPORT_SNAPSHOTS") {
        let snapshots = PathBuf::from(snapshots);
        std::fs::create_dir_all(&snapshots).unwrap();
        for (name, index) in [
            ("cover", 0),
            ("overview", overview),
            ("theme", first_theme),
            ("factsheet", appendix + 1),
        ] {
            let page = (index + 1).to_string();
            let status = std::process::Command::new("pdftoppm")
                .args(["-png", "-r", "60", "-singlefile", "-f", &page, "-l", &page])
                .arg(&out)
                .arg(snapshots.join(name))
                .status()
                .expect("pdftoppm (poppler-utils) is installed");
            assert!(status.success());
        }
    }
}

#[test]
fn the_pdf_is_tagged_with_title_language_and_chart_descriptions() {
    let dir = tempfile::tempdir().unwrap();
    let (assert, out) = build(dir.path(), &[]);
    assert.success();
    let document = pdf_document(&out);
    let catalog = document.catalog().unwrap();
    let (_, mark_info) = document
        .dereference(catalog.get(b"MarkInfo").unwrap())
        .unwrap();
    let marked = mark_info.as_dict().unwrap().get(b"Marked").unwrap();
    assert!(marked.as_bool().unwrap(), "the PDF is not marked as tagged");
    assert!(catalog.has(b"StructTreeRoot"));
    assert_eq!(
        lopdf::decode_text_string(catalog.get(b"Lang").unwrap()).unwrap(),
        "da"
    );
    let metadata = xmp(&document);
    assert!(
        metadata.contains("Basisrapport – Silkeborg – Trivsel og sundhed, 7.–9. klasse 2026"),
        "{metadata}"
    );
    assert!(
        metadata.contains("<pdfuaid:part>1</pdfuaid:part>"),
        "{metadata}"
    );

    // A chart that stands alone has an alternative text with its numbers (the PDF holds the
    // figures' /Alt); a bar whose row carries its numbers is an artifact, not read twice.
    let alts: Vec<String> = document
        .objects
        .values()
        .filter_map(|object| object.as_dict().ok())
        .filter(|dict| dict.get(b"S").and_then(|s| s.as_name()).ok() == Some(b"Figure"))
        .filter_map(|dict| lopdf::decode_text_string(dict.get(b"Alt").ok()?).ok())
        .collect();
    assert!(
        alts.iter().any(|alt| alt.starts_with("Forskel ")),
        "{:?}",
        &alts[..alts.len().min(5)]
    );
    assert!(
        alts.iter()
            .all(|alt| alt.starts_with("Forskel ") || alt.starts_with("Udvikling")),
        "{alts:?}"
    );
}

#[test]
fn archive_copies_conform_to_pdf_a() {
    let dir = tempfile::tempdir().unwrap();
    let (assert, out) = build(dir.path(), &["--pdf-standard", "a-2b,ua-1"]);
    assert.success();
    let document = pdf_document(&out);
    let metadata = xmp(&document);
    assert!(
        metadata.contains("<pdfaid:part>2</pdfaid:part>"),
        "{metadata}"
    );
    assert!(metadata.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    assert!(metadata.contains("<pdfuaid:part>1</pdfuaid:part>"));
    assert!(document.catalog().unwrap().has(b"OutputIntents"));

    build(dir.path(), &["--pdf-standard", "a-1b,ua-1"])
        .0
        .code(2)
        .stderr(predicates::str::contains("PDF/A-1b"));
    build(dir.path(), &["--pdf-standard", "x-9"])
        .0
        .code(2)
        .stderr(predicates::str::contains("unknown PDF standard `x-9`"));
}

#[test]
fn english_reports_translate_every_fixed_text_and_use_the_codebook_english() {
    let dir = tempfile::tempdir().unwrap();
    let (assert, out) = build(dir.path(), &["--lang", "en", "-i", "x-it"]);
    assert.success();
    let pages = pages(&out);
    let cover = flat(&pages[0]);
    for text in [
        "Basis report",
        "Well-being and health, grades 7–9",
        "22 November 2026",
        "1,608 responses",
    ] {
        assert!(cover.contains(text), "no `{text}` on the cover: {cover}");
    }
    let all = flat(&pages.join(" "));
    for text in [
        "Contents",
        "About the survey",
        "How to read this report",
        "Headline indicators",
        "Inspiration for interventions",
        "q01 How do you feel most of the time?",
        "Page 2 of",
    ] {
        assert!(all.contains(text), "no `{text}` in the English report");
    }
    for danish in ["Sådan læser du", "Andel der", "Side 2 af", "Indhold"] {
        assert!(!all.contains(danish), "`{danish}` in the English report");
    }
    let document = pdf_document(&out);
    let catalog = document.catalog().unwrap();
    assert_eq!(
        lopdf::decode_text_string(catalog.get(b"Lang").unwrap()).unwrap(),
        "en"
    );
    // The title comes from the template's metadata, not from a style (see lib/style.typ).
    let info = document
        .get_dictionary(
            document
                .trailer
                .get(b"Info")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap();
    assert_eq!(
        lopdf::decode_text_string(info.get(b"Title").unwrap()).unwrap(),
        "Basis report – Silkeborg – Well-being and health, grades 7–9 2026"
    );
}

/// The width and height of every image in the PDF.
fn images(document: &lopdf::Document) -> Vec<(i64, i64)> {
    document
        .objects
        .values()
        .filter_map(|object| object.as_stream().ok())
        .filter(|stream| {
            stream.dict.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Image")
        })
        .map(|stream| {
            let size = |key: &[u8]| stream.dict.get(key).unwrap().as_i64().unwrap();
            (size(b"Width"), size(b"Height"))
        })
        .collect()
}

/// A 2 × 1 pixel PNG, in the brand colour and white.
const LOGO: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x7b, 0x40, 0xe8,
    0xdd, 0x00, 0x00, 0x00, 0x0f, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x88, 0x6f, 0xff,
    0xff, 0xff, 0x3f, 0x00, 0x09, 0xf8, 0x03, 0xe4, 0x0c, 0x21, 0xdd, 0x3a, 0x00, 0x00, 0x00, 0x00,
    0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

#[test]
fn branding_puts_logo_organisation_contact_preface_and_response_rate_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("logo.png"), LOGO).unwrap();
    let config = dir.path().join("report.yaml");
    std::fs::write(
        &config,
        format!(
            "survey: {survey}\ncodebook: {codebook}\nmunicipality: Silkeborg\n\
             branding:\n  organisation: Silkeborg Kommune, Børn og Unge\n  logo: logo.png\n  \
             colour: \"#005f87\"\n  contact: \"Analyse og Data · analyse@silkeborg.dk\"\n  \
             preface: |\n    Rapporten er **drøftet** i byrådet.\n\n    - første punkt\n\
             invited: {{Silkeborg: 2000, Silkebog: 10}}\n",
            survey = repo_path("examples/udskoling-2026-sample.csv").display(),
            codebook = repo_path("examples/udskoling.codebook.yaml").display(),
        ),
    )
    .unwrap();
    let out = dir.path().join("rapport.pdf");
    report(dir.path())
        .args(["build", "--date", DATE, "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "warning: `Silkebog` under `invited:` is not a municipality in the data",
        ));

    let pages = pages(&out);
    let cover = flat(&pages[0]);
    assert!(cover.contains("Silkeborg Kommune, Børn og Unge"), "{cover}");
    assert!(
        cover.contains("Analyse og Data · analyse@silkeborg.dk"),
        "{cover}"
    );
    let all = flat(&pages.join(" "));
    assert!(
        all.contains("Rapporten er drøftet i byrådet."),
        "no preface"
    );
    assert!(all.contains("første punkt"));
    // 1,608 of 2,000 invited pupils answered.
    assert!(all.contains("2.000 elever inviteret"), "no invited count");
    assert!(all.contains("svarprocenten er 80 %"), "no response rate");

    // The logo is embedded as a 2 × 1 image.
    assert_eq!(images(&pdf_document(&out)), [(2, 1)]);
}

#[test]
fn without_branding_the_cover_has_no_logo() {
    let dir = tempfile::tempdir().unwrap();
    let (assert, out) = build(dir.path(), &[]);
    assert.success();
    assert_eq!(images(&pdf_document(&out)), []);
}

#[test]
fn a_template_error_names_the_file_line_and_column_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    report(dir.path())
        .args(["templates", "export"])
        .arg(&templates)
        .assert()
        .success();
    let main = templates.join("basisrapport.typ");
    let source = std::fs::read_to_string(&main).unwrap();
    let (number, line) = source
        .lines()
        .enumerate()
        .find(|(_, line)| line.starts_with("= #t(\"reading-guide\")"))
        .expect("the reading guide's heading");
    let broken = source.replacen(line, &format!("{line} #no-such-function(1)"), 1);
    std::fs::write(&main, broken).unwrap();

    let templates_arg = templates.to_str().unwrap();
    let (assert, out) = build(dir.path(), &["--templates", templates_arg]);
    // The column of the unknown name, after ` #`.
    let column = line.chars().count() + 3;
    assert.code(2).stderr(
        predicates::str::contains(format!(
            "{}:{}:{column}: error: unknown variable: no-such-function",
            main.display(),
            number + 1
        ))
        .and(predicates::str::contains(format!(
            "| {line} #no-such-function(1)"
        ))),
    );
    assert!(!out.exists());

    // The exported templates, unchanged, give the same PDF as the built-in ones.
    std::fs::write(&main, &source).unwrap();
    let custom = dir.path().join("custom.pdf");
    let builtin = dir.path().join("builtin.pdf");
    for (out, extra) in [
        (&custom, vec!["--templates", templates_arg]),
        (&builtin, vec![]),
    ] {
        crate::support::build(out, &extra).success();
    }
    assert!(std::fs::read(&custom).unwrap() == std::fs::read(&builtin).unwrap());
}

#[test]
fn the_date_fixes_the_output_whatever_day_it_is_built() {
    // SOURCE_DATE_EPOCH stands in for the clock: "today" is the day it names.
    let day = |epoch: &str, args: &[&str], out: &Path| {
        report(&repo())
            .env("SOURCE_DATE_EPOCH", epoch)
            .args(["build", "-o"])
            .arg(out)
            .args(args)
            .assert()
            .success();
        std::fs::read(out).unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let (monday, friday) = ("1795392000", "1795737600"); // 2026-11-23 and 2026-11-27
    let first = day(monday, &["--date", DATE], &dir.path().join("a.pdf"));
    let second = day(friday, &["--date", DATE], &dir.path().join("b.pdf"));
    assert!(first == second, "builds on two days with --date differ");

    let undated = dir.path().join("c.pdf");
    day(friday, &[], &undated);
    let cover = flat(&pages(&undated)[0]);
    assert!(cover.contains("27. november 2026"), "{cover}");
}

/// A templates directory holding only an edited `lib/style.typ` and an image it uses builds:
/// every other template comes from the built-in set, and the image is served to the template.
#[test]
fn a_templates_directory_overrides_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(templates.join("lib")).unwrap();
    std::fs::write(templates.join("lib/mark.png"), LOGO).unwrap();
    let style = std::fs::read_to_string(repo().join("report-templates/lib/style.typ")).unwrap();
    let edited = style.replace(
        "        align(right)[#page-word",
        "        image(\"/lib/mark.png\", height: 6pt, alt: \"Mærke\")\n        [Tilrettet skabelon]\n        align(right)[#page-word",
    );
    assert_ne!(edited, style, "the footer of style.typ has moved");
    std::fs::write(templates.join("lib/style.typ"), edited).unwrap();

    let out = dir.path().join("custom.pdf");
    crate::support::build(&out, &["--templates", templates.to_str().unwrap()]).success();
    let pages = pages(&out);
    assert!(
        flat(&pages[2]).contains("Tilrettet skabelon"),
        "{}",
        pages[2]
    );
    // The image is in the footer of every page but the cover (stored once).
    assert_eq!(images(&pdf_document(&out)), [(2, 1)]);

    // An error in the custom file names the real file.
    std::fs::write(templates.join("lib/style.typ"), "#let primary = (\n").unwrap();
    let broken = dir.path().join("broken.pdf");
    crate::support::build(&broken, &["--templates", templates.to_str().unwrap()])
        .code(2)
        .stderr(predicates::str::contains(format!(
            "{}:1:",
            templates.join("lib/style.typ").display()
        )));
    assert!(!broken.exists());
}
