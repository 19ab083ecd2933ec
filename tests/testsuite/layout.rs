//! The layout as a reader sees it: no word is printed over another and no text is smaller
//! than 7 pt. Every document is checked as it is laid out (the renderer warns "page N: `a`
//! is printed over `b`" and "… is set in 6.4 pt, below the 7 pt a report keeps"), so these
//! tests build the full and the key-figures report in Danish and English, with several
//! comparisons and a fact sheet, a school's report and the second example module, and
//! require that no page has such a warning.

use crate::support::{build, pages, pdf_document, stderr, template_overlay};

#[test]
fn no_words_overlap_or_shrink_in_any_kind_level_or_language() {
    let dir = tempfile::tempdir().unwrap();
    let unge = [
        "--survey",
        "examples/unge-2026-sample.csv",
        "--codebook",
        "examples/unge.codebook.yaml",
    ];
    let mut problems = Vec::new();
    for (name, args) in [
        ("full-da.pdf", vec!["--compare", "region,all"]),
        (
            "full-en.pdf",
            vec!["--lang", "en", "--compare", "region,all"],
        ),
        ("key-da.pdf", vec!["--kind", "key-figures"]),
        (
            "key-en.pdf",
            vec!["--kind", "key-figures", "--lang", "en", "-m", "Samsø"],
        ),
        ("samsoe-en.pdf", vec!["--lang", "en", "-m", "Samsø"]),
        (
            "school-en.pdf",
            vec!["--lang", "en", "--school", "Skole 05"],
        ),
        ("unge-da.pdf", unge.to_vec()),
        ("unge-en.pdf", [&unge[..], &["--lang", "en"]].concat()),
    ] {
        let pdf = dir.path().join(name);
        let mut all = args.clone();
        all.extend(["-i", "x-it"]);
        let assert = build(&pdf, &all).success();
        assert!(pages(&pdf).len() > 4, "{name}");
        problems.extend(
            stderr(&assert)
                .lines()
                .filter(|line| line.contains("is printed over") || line.contains("pt, below"))
                .map(|line| format!("{name}: {line}")),
        );
    }
    assert!(
        problems.is_empty(),
        "{} overlaps:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// What the layout check says about a one-page report laid out by `body` (Typst markup).
fn layout_warnings(body: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let templates = template_overlay(
        dir.path(),
        "basisrapport.typ",
        &format!("#set document(title: [Test])\n#set page(width: 10cm, height: 5cm)\n{body}"),
    );
    let assert = build(
        &dir.path().join("r.pdf"),
        &["--templates", templates.to_str().unwrap()],
    )
    .success();
    stderr(&assert)
}

#[test]
fn words_printed_over_each_other_are_reported() {
    // Two labels set into each other, as a too-narrow column would.
    let stderr = layout_warnings(
        "#place(dx: 1cm, dy: 1cm)[Nogle gange]\n#place(dx: 2.5cm, dy: 1cm)[Sjældent]\n#place(dx: 1cm, dy: 2cm)[Godt]\n#place(dx: 3cm, dy: 2cm)[Nogenlunde]\n",
    );
    assert!(
        stderr.contains("warning: page 1: `gange` is printed over `Sjældent`"),
        "{stderr}"
    );
    assert!(!stderr.contains("Godt` is printed"), "{stderr}");
}

#[test]
fn text_set_below_seven_points_is_reported() {
    let stderr = layout_warnings("Læsbar\n#text(size: 6pt)[Fodnote her]\n");
    assert!(
        stderr.contains("warning: page 1: `Fodnote her` is set in 6.0 pt, below the 7 pt"),
        "{stderr}"
    );
    assert!(!stderr.contains("Læsbar"), "{stderr}");
}

#[test]
fn chapters_follow_each_other_and_a_heading_stays_with_what_it_heads() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("report.pdf");
    build(&pdf, &[]).success();
    let toc = pdf_document(&pdf).get_toc().expect("an outline").toc;

    // A heading is never left at the foot of a page: its first section is on its page.
    for pair in toc.windows(2) {
        if pair[1].level > pair[0].level {
            assert_eq!(
                pair[0].page, pair[1].page,
                "`{}` is on page {}, its first section `{}` on page {}",
                pair[0].title, pair[0].page, pair[1].title, pair[1].page
            );
        }
    }
    // Chapters do not each start a new page: some begin where the one before ends.
    let shared = toc
        .windows(2)
        .filter(|pair| pair[1].level == 1 && pair[0].level > 1 && pair[0].page == pair[1].page)
        .count();
    assert!(shared > 0, "every chapter starts a new page: {toc:?}");
}
