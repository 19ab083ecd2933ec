//! The HTML report (`--html-out`): one self-contained page, from the same published figures
//! as the PDF, with the structure a screen reader and a phone need.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::support::{
    DATE, build, pdf_document, read_json, repo, repo_path, report, template_overlay,
};

/// An opening tag of the page: its name and attributes (values unescaped).
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: BTreeMap<String, String>,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }
}

/// `&lt;` and the other entities typst writes, as characters.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The opening tags of `html`, in order. Enough for what typst writes: attribute values are
/// always quoted with `"`, and `<` inside text and attributes is escaped (raw `<style>` text
/// is skipped).
fn tags(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        if rest.starts_with('/') || rest.starts_with('!') {
            continue;
        }
        let end = rest.find('>').expect("a tag ends");
        let inside = &rest[..end];
        let name_end = inside
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(inside.len());
        let name = inside[..name_end].to_owned();
        let mut attrs = BTreeMap::new();
        let mut text = &inside[name_end..];
        while let Some(eq) = text.find("=\"") {
            let key = text[..eq].trim().to_owned();
            let value_end = text[eq + 2..].find('"').expect("a value ends");
            attrs.insert(key, unescape(&text[eq + 2..eq + 2 + value_end]));
            text = &text[eq + 2 + value_end + 1..];
        }
        rest = &rest[end + 1..];
        if name == "style" {
            rest = &rest[rest.find("</style>").expect("the style ends")..];
        }
        tags.push(Tag { name, attrs });
    }
    tags
}

/// The page's visible text: tags dropped, entities unescaped, whitespace collapsed.
fn text(html: &str) -> String {
    let body = &html[html.find("<body").expect("a body")..];
    let mut out = String::new();
    let mut inside = false;
    for c in body.chars() {
        match c {
            '<' => {
                inside = true;
                out.push(' ');
            }
            '>' if inside => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Builds the example (with `args`) as PDF and HTML in `dir`; returns the page and the PDF.
fn build_html(dir: &Path, args: &[&str]) -> (String, PathBuf) {
    let pdf = dir.join("rapport.pdf");
    let html = dir.join("rapport.html");
    let mut all = vec!["--html-out", html.to_str().unwrap()];
    all.extend_from_slice(args);
    build(&pdf, &all).success();
    (std::fs::read_to_string(&html).unwrap(), pdf)
}

/// What every page must be: one document, nothing fetched from outside it, every table
/// header scoped, every chart hidden (its row carries the numbers) or named, every scroll
/// region labelled and focusable, every reference to an id pointing at one.
fn check_structure(html: &str, lang: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..40]);
    let tags = tags(html);
    let html_tag = tags.iter().find(|t| t.name == "html").unwrap();
    assert_eq!(html_tag.attr("lang"), Some(lang));
    let count = |name: &str| tags.iter().filter(|t| t.name == name).count();
    assert_eq!(count("h1"), 1);
    assert_eq!(count("main"), 1);
    assert_eq!(count("nav"), 1);
    assert_eq!(count("title"), 1);
    assert_eq!(count("script"), 0, "no JavaScript");
    assert_eq!(count("link"), 0, "no stylesheet to fetch");
    assert!(count("table") > 0);
    // Nothing is fetched: images are data URLs, links go within the page or to the web.
    for tag in &tags {
        if let Some(src) = tag.attr("src") {
            assert!(src.starts_with("data:"), "{}: {src}", tag.name);
        }
        assert!(
            !tag.attrs.contains_key("srcset") && !tag.attrs.contains_key("style")
                || tag.name == "span",
            "{tag:?}"
        );
    }
    let ids: Vec<&str> = tags.iter().filter_map(|t| t.attr("id")).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "ids are unique");
    for tag in &tags {
        for key in ["aria-labelledby", "for"] {
            if let Some(id) = tag.attr(key) {
                assert!(unique.contains(id), "{key}={id} names no element");
            }
        }
        if let Some(href) = tag.attr("href") {
            if let Some(id) = href.strip_prefix('#') {
                assert!(
                    unique.contains(id),
                    "a link to #{id}, which is not on the page"
                );
            } else {
                // Or a download: a file published beside the page, linked relative to it,
                // with its type (checked against the files by `downloads_of`).
                assert!(
                    href.starts_with("https://")
                        || href.starts_with("http://")
                        || href.starts_with("mailto:")
                        || tag.attr("type").is_some() && !href.contains(':'),
                    "{href}"
                );
            }
        }
        match tag.name.as_str() {
            "th" => assert!(
                matches!(tag.attr("scope"), Some("col" | "row" | "colgroup")),
                "a table header without a scope: {tag:?}"
            ),
            "svg" => assert!(
                tag.attr("aria-hidden") == Some("true") || tag.attr("role") == Some("img"),
                "a chart neither hidden nor named: {tag:?}"
            ),
            "div" if tag.attr("class") == Some("scroll") => {
                assert_eq!(tag.attr("tabindex"), Some("0"));
                assert_eq!(tag.attr("role"), Some("region"));
                assert!(tag.attr("aria-labelledby").is_some());
            }
            "img" => assert!(tag.attr("alt").is_some_and(|alt| !alt.is_empty())),
            _ => {}
        }
    }
    let skip = tags.iter().find(|t| t.name == "a").unwrap();
    assert_eq!(
        skip.attr("href"),
        Some("#content"),
        "the first link skips to the content"
    );
}

#[test]
fn the_html_report_is_one_accessible_page_with_the_pdfs_figures() {
    let dir = tempfile::tempdir().unwrap();
    let (html, pdf) = build_html(dir.path(), &["-i", "x-it"]);
    check_structure(&html, "da");
    // The same title as the PDF's.
    let title = &html[html.find("<title>").unwrap() + 7..html.find("</title>").unwrap()];
    let document = pdf_document(&pdf);
    let info = document
        .trailer
        .get(b"Info")
        .unwrap()
        .as_reference()
        .unwrap();
    let pdf_title = document
        .get_object(info)
        .unwrap()
        .as_dict()
        .unwrap()
        .get(b"Title")
        .unwrap();
    let pdf_title = lopdf::decode_text_string(pdf_title).unwrap();
    assert_eq!(unescape(title), pdf_title);
    assert!(title.starts_with("Basisrapport – Silkeborg"), "{title}");
    // Every headline figure of the unit, as the PDF prints it, with its question.
    let text = text(&html);
    let projects = dir.path().join("typst");
    report(&repo())
        .args(["batch", "--only", "Silkeborg", "--date", DATE, "--out-dir"])
        .arg(dir.path().join("unused"))
        .arg("--emit-typst")
        .arg(&projects)
        .assert()
        .success();
    let data = read_json(&projects.join("basisrapport-silkeborg-2026/data.json"));
    let mut checked = 0;
    for theme in data["themes"].as_array().unwrap() {
        for q in theme["questions"].as_array().unwrap() {
            let question = format!(
                "{} {}",
                q["id"].as_str().unwrap(),
                q["text"].as_str().unwrap()
            );
            assert!(text.contains(&question), "{question}");
            let Some(indicator) = q["indicator"].as_str() else {
                continue;
            };
            let unit = q["groups"]
                .as_array()
                .unwrap()
                .iter()
                .find(|g| g["role"] == "unit")
                .unwrap();
            let figure = unit["text"]["indicator"].as_str().unwrap();
            let line = format!("{indicator}: Silkeborg {figure}");
            assert!(text.contains(&line), "{line}");
            checked += 1;
        }
    }
    assert!(checked > 40, "{checked} indicators");
    // The fact sheet is appended after the note that it is inspiration only.
    let appendix = text.find("Inspiration til indsatser").unwrap();
    assert!(text[appendix..].contains("X:IT"));
    assert!(text[appendix..].contains("inspiration, ikke anbefalinger"));
}

#[test]
fn every_language_level_and_kind_gives_a_valid_page() {
    let dir = tempfile::tempdir().unwrap();
    for (args, lang, words) in [
        (&["--lang", "en"][..], "en", "How to read this report"),
        (&["--kind", "key-figures"][..], "da", "Nøgletal"),
        (
            &["--school", "Skole 05", "--lang", "en"][..],
            "en",
            "Skole 05, Silkeborg",
        ),
    ] {
        let (html, _) = build_html(dir.path(), args);
        check_structure(&html, lang);
        assert!(text(&html).contains(words), "{args:?}: {words}");
    }
}

/// Text from the codebook, the catalogue and report.yaml is data: markup in it is printed,
/// never run, whether Typst's or HTML's.
#[test]
fn user_text_is_printed_never_run() {
    let dir = tempfile::tempdir().unwrap();
    let codebook = std::fs::read_to_string(repo_path("examples/udskoling.codebook.yaml"))
        .unwrap()
        .replacen(
            "Trivsel og sundhed",
            "Trivsel <script>alert(1)</script> #read('/etc/passwd') &amp;",
            1,
        );
    let codebook_path = dir.path().join("codebook.yaml");
    std::fs::write(&codebook_path, codebook).unwrap();
    let (html, _) = build_html(dir.path(), &["--codebook", codebook_path.to_str().unwrap()]);
    check_structure(&html, "da");
    assert!(!html.contains("<script>"));
    assert!(text(&html).contains("Trivsel <script>alert(1)</script> #read('/etc/passwd') &amp;"));
}

/// `--templates DIR` replaces the page's stylesheet like any other template file.
#[test]
fn the_stylesheet_is_a_template_file() {
    let dir = tempfile::tempdir().unwrap();
    let templates = template_overlay(
        dir.path(),
        "html/style.css",
        "body { color: #000 } /* ours */\n",
    );
    let (html, _) = build_html(dir.path(), &["--templates", templates.to_str().unwrap()]);
    assert!(html.contains("/* ours */"));
}

/// `report batch --html` writes a page beside each PDF; a batch run again without changes
/// leaves both, and one whose page went missing (or that first asks for pages) writes it.
#[test]
fn a_batch_writes_a_page_beside_each_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapporter");
    let run = |extra: &[&str]| {
        let mut args = vec!["--only", "Odder,Samsø"];
        args.extend_from_slice(extra);
        let summary = crate::batch::batch(&out, &args, 0);
        crate::batch::statuses(&summary)
            .into_iter()
            .map(|(_, status)| status)
            .collect::<Vec<_>>()
    };
    assert_eq!(run(&[]), ["written", "written"]);
    let page = out.join("basisrapport-odder-2026.html");
    assert!(!page.exists());
    // Asking for the pages renders again, though the PDFs are current.
    assert_eq!(run(&["--html"]), ["written", "written"]);
    let html = std::fs::read_to_string(&page).unwrap();
    check_structure(&html, "da");
    assert!(html.contains("Basisrapport – Odder"));
    assert_eq!(run(&["--html"]), ["unchanged", "unchanged"]);
    std::fs::remove_file(&page).unwrap();
    assert_eq!(run(&["--html"]), ["written", "unchanged"]);
    assert_eq!(std::fs::read_to_string(&page).unwrap(), html);
    assert_eq!(downloads_of(&page), ["basisrapport-odder-2026.pdf"]);
    // With the batch's tables, every page links to them: a page is built again for it.
    let tables = dir.path().join("tabeller.xlsx");
    let with_tables = ["--html", "--tables-out", tables.to_str().unwrap()];
    assert_eq!(run(&with_tables), ["written", "written"]);
    assert_eq!(
        downloads_of(&page),
        ["basisrapport-odder-2026.pdf", "../tabeller.xlsx"]
    );
    assert_eq!(run(&with_tables), ["unchanged", "unchanged"]);
}

/// The download links of the page at `page`, each checked to name a file that exists,
/// relative to the page (percent-encoded spaces decoded, the only ones the tests write).
fn downloads_of(page: &Path) -> Vec<String> {
    let html = std::fs::read_to_string(page).unwrap();
    let links: Vec<String> = tags(&html)
        .iter()
        .filter(|tag| tag.name == "a" && tag.attr("type").is_some())
        .map(|tag| tag.attr("href").unwrap().to_owned())
        .collect();
    for href in &links {
        let file = page.parent().unwrap().join(href.replace("%20", " "));
        assert!(
            file.is_file(),
            "{href} from {} names no file",
            page.display()
        );
    }
    links
}

/// The page offers the PDF and, where written, the published tables, linked relative to
/// the page wherever the files are written, with what the tables hold.
#[test]
fn a_page_links_to_its_pdf_and_tables() {
    let dir = tempfile::tempdir().unwrap();
    let (web, data) = (dir.path().join("web"), dir.path().join("data"));
    std::fs::create_dir_all(&web).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    let page = web.join("rapport.html");
    let tables = data.join("tal og tabeller.xlsx");
    build(
        &dir.path().join("rapport.pdf"),
        &[
            "--html-out",
            page.to_str().unwrap(),
            "--tables-out",
            tables.to_str().unwrap(),
        ],
    )
    .success();
    assert_eq!(
        downloads_of(&page),
        ["../rapport.pdf", "../data/tal%20og%20tabeller.xlsx"]
    );
    let html = std::fs::read_to_string(&page).unwrap();
    check_structure(&html, "da");
    assert!(text(&html).contains(
        "Hent: rapporten som PDF · tallene som regneark (Excel) \
         Regnearket har de samme tal som rapporten, og de samme tal er skjult."
    ));
    // Without tables, the PDF alone, in English too.
    let (html, _) = build_html(dir.path(), &["--lang", "en"]);
    assert_eq!(
        downloads_of(&dir.path().join("rapport.html")),
        ["rapport.pdf"]
    );
    assert!(text(&html).contains("Download: the report as PDF"));
    assert!(!html.contains("spreadsheet"));
}

/// A fact sheet keeps its own language inside a page in another: a Danish sheet's name,
/// summary, target group and description in an English page carry `lang="da"`, the
/// English labels beside them do not; a Danish page marks nothing.
#[test]
fn a_danish_fact_sheet_in_an_english_page_is_marked_danish() {
    let dir = tempfile::tempdir().unwrap();
    let (html, _) = build_html(dir.path(), &["--lang", "en", "-i", "x-it"]);
    check_structure(&html, "en");
    let english = tags(&html);
    let marked: Vec<&Tag> = english
        .iter()
        .filter(|t| t.attr("lang") == Some("da"))
        .collect();
    let sheet = |name: &str, attr: (&str, &str)| {
        marked
            .iter()
            .any(|t| t.name == name && t.attr(attr.0) == Some(attr.1))
    };
    assert!(sheet("h3", ("id", "sheet-x-it")), "{marked:?}");
    assert!(sheet("p", ("class", "lead")), "{marked:?}");
    assert!(
        marked.iter().filter(|t| t.name == "dd").count() >= 2,
        "who and format"
    );
    assert!(marked.iter().any(|t| t.name == "div"), "the description");
    assert!(!marked.iter().any(|t| t.name == "dt" || t.name == "h4"));
    assert!(text(&html).contains("Et skoleprogram for udskolingen"));

    let (html, _) = build_html(dir.path(), &["-i", "x-it"]);
    assert_eq!(
        tags(&html)
            .iter()
            .filter(|t| t.attr("lang").is_some())
            .count(),
        1,
        "only the page's own language"
    );
}

/// The codebook's texts without an English version are printed in Danish in an English
/// report, and marked so wherever they stand: alone (a question, a theme, a group) or inside
/// a sentence (an indicator in the summary); the translated texts beside them are not. The
/// PDF marks them too, as Danish marked content.
#[test]
fn untranslated_codebook_texts_are_marked_danish_in_an_english_report() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string(repo_path("examples/udskoling.codebook.yaml")).unwrap();
    // No English for the questions and indicators, the first theme and one gender.
    let codebook = example
        .lines()
        .filter(|line| {
            let line = line.trim_start();
            !line.starts_with("text_en:") && !line.starts_with("indicator_en:")
        })
        .map(|line| line.replace("title_en: \"Well-being\"", ""))
        .map(|line| line.replace("{da: \"Dreng\", en: \"Boy\"}", "\"Dreng\""))
        .collect::<Vec<_>>()
        .join("\n");
    let path = dir.path().join("codebook.yaml");
    std::fs::write(&path, codebook).unwrap();
    let (html, pdf) = build_html(
        dir.path(),
        &["--lang", "en", "--codebook", path.to_str().unwrap()],
    );
    check_structure(&html, "en");
    let head = &html[..html.find("<body").unwrap()];
    assert!(!head.contains("<span"), "the title takes no markup: {head}");
    for danish in [
        "Hvordan har du det for det meste?",
        "har det godt eller rigtig godt",
        "Trivsel",
        "Dreng",
        "Trivselsindeks (WHO-5): Hvordan har du haft det i de sidste to uger?",
    ] {
        // Every occurrence that is not part of a longer word ("Trivsel" in "Trivselsindeks").
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let occurrences: Vec<usize> = html
            .match_indices(danish)
            .map(|(at, _)| at)
            .filter(|&at| {
                !word(html[..at].chars().next_back())
                    && !word(html[at + danish.len()..].chars().next())
            })
            .collect();
        assert!(!occurrences.is_empty(), "{danish} is printed");
        for at in occurrences {
            assert!(
                html[..at].ends_with("<span lang=\"da\">")
                    && html[at + danish.len()..].starts_with("</span>"),
                "{danish} is marked Danish everywhere: …{}…",
                &html[at.saturating_sub(80)..at + danish.len()]
            );
        }
    }
    assert!(html.contains("Share who <span lang=\"da\">har det godt"));
    for english in [
        "Girl",
        "Very good",
        "School and learning",
        "I have felt calm and relaxed",
    ] {
        assert!(html.contains(english), "{english}");
        assert!(
            !html.contains(&format!("<span lang=\"da\">{english}")),
            "{english}"
        );
    }
    let danish_spans = |pdf: &Path| {
        let document = pdf_document(pdf);
        document
            .get_pages()
            .values()
            .map(|&page| document.get_page_content(page).unwrap())
            .map(|content| content.windows(9).filter(|w| w == b"/Lang(da)").count())
            .sum::<usize>()
    };
    assert!(danish_spans(&pdf) > 50, "{}", danish_spans(&pdf));
    // The example's codebook has every text in English: nothing is marked.
    let (html, pdf) = build_html(dir.path(), &["--lang", "en"]);
    assert!(!html.contains("<span lang=\"da\">"));
    assert_eq!(danish_spans(&pdf), 0);
}

/// The example's short key-figures page as a whole: any change a reader would see shows up
/// in review (the full report's page has the same parts, with every question).
#[test]
fn the_key_figures_page_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let (html, _) = build_html(dir.path(), &["--kind", "key-figures"]);
    insta::assert_snapshot!(html);
}
