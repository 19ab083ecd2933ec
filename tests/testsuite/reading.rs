//! What a council member reads first: better/worse marks, where the unit stands out, the
//! library as inspiration, and the short key-figures report.

use std::path::{Path, PathBuf};

use crate::support::{
    DATE, build, build_marking, flat, last_page_with, marking_config, page_with, pages, repo,
    repo_path, report,
};

fn codebook_text() -> String {
    std::fs::read_to_string(repo_path("examples/udskoling.codebook.yaml")).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The text of the page that starts the section `title` (the last page naming it: the
/// contents page names it too).
fn section(pdf: &Path, title: &str) -> String {
    let pages = pages(pdf);
    let page = last_page_with(&pages, title).unwrap_or_else(|| panic!("no page with `{title}`"));
    flat(&pages[page])
}

/// The text between `from` and `to` (or the end).
fn between<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("no `{from}` in {text}"))
        + from.len();
    let rest = &text[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

#[test]
fn marks_say_better_or_worse_and_stay_neutral_without_better() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    build_marking(&pdf, &[]).success();
    let overview = section(&pdf, "Overblik over nøgletal");
    assert!(overview.contains("▼ værre"), "{overview}");
    assert!(overview.contains("▼ bedre"), "{overview}");
    // The default threshold of 5 points marks none of the example's 1–4 point differences.
    let plain = dir.path().join("plain.pdf");
    build(&plain, &[]).success();
    let overview = section(&plain, "Overblik over nøgletal");
    for mark in ["▼ værre", "▼ bedre", "▲ værre", "▲ bedre"] {
        assert!(!overview.contains(mark), "{mark}: {overview}");
    }

    // Without `better`, a significant difference is only higher or lower.
    let neutral: String = codebook_text()
        .lines()
        .filter(|line| !line.trim_start().starts_with("better:"))
        .map(|line| format!("{line}\n"))
        .collect();
    let codebook = write(dir.path(), "neutral.yaml", &neutral);
    let pdf = dir.path().join("neutral.pdf");
    build_marking(&pdf, &["--codebook", codebook.to_str().unwrap()]).success();
    let overview = section(&pdf, "Overblik over nøgletal");
    assert!(overview.contains("▼ lavere"), "{overview}");
    assert!(
        !overview.contains("bedre") || !overview.contains("▼ bedre"),
        "{overview}"
    );
    assert!(!overview.contains("▼ værre"), "{overview}");
    let differences = section(&pdf, "Hvor skiller Silkeborg sig ud?");
    assert!(
        differences.contains("Andre forskelle (uden retning)"),
        "{differences}"
    );

    // Turned around, strengths and concerns swap.
    let flipped = codebook_text()
        .replace("better: higher", "better: HIGHER")
        .replace("better: lower", "better: higher")
        .replace("better: HIGHER", "better: lower");
    let codebook = write(dir.path(), "flipped.yaml", &flipped);
    let pdf = dir.path().join("flipped.pdf");
    build_marking(&pdf, &["--codebook", codebook.to_str().unwrap()]).success();
    let text = section(&pdf, "Hvor skiller Silkeborg sig ud?");
    let strengths = between(&text, "Styrker", "Opmærksomhedspunkter");
    assert!(
        strengths.contains("føler sig accepteret af de andre elever"),
        "{strengths}"
    );
}

#[test]
fn the_differences_page_lists_strengths_then_concerns_largest_first() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    build_marking(&pdf, &[]).success();
    let text = section(&pdf, "Hvor skiller Silkeborg sig ud?");
    assert!(
        text.contains("tydeligt og relevant er forskellig fra Alle deltagende kommuner"),
        "{text}"
    );
    let strengths = between(&text, "Styrker", "Opmærksomhedspunkter");
    let concerns = between(&text, "Opmærksomhedspunkter", "Indsatser i biblioteket");
    assert!(
        strengths.contains("har oplevet, at billeder eller videoer af dem blev delt"),
        "{strengths}"
    );
    assert!(
        concerns.contains("føler sig accepteret af de andre elever"),
        "{concerns}"
    );
    assert!(!concerns.contains("billeder eller videoer"), "{concerns}");
    // Largest difference first; each difference stands right before its mark.
    // Each difference stands right before its mark.
    let words: Vec<&str> = concerns.split_whitespace().collect();
    let sizes: Vec<i32> = words
        .windows(2)
        .filter(|pair| pair[1] == "▼" || pair[1] == "▲")
        .filter_map(|pair| {
            pair[0]
                .replace('−', "-")
                .replace('+', "")
                .parse::<i32>()
                .ok()
        })
        .collect();
    assert!(!sizes.is_empty(), "{concerns}");
    let magnitudes: Vec<i32> = sizes.iter().map(|n| n.abs()).collect();
    let mut sorted = magnitudes.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(magnitudes, sorted, "{concerns}");
}

#[test]
fn a_unit_without_significant_differences_is_told_so() {
    let dir = tempfile::tempdir().unwrap();
    // Only q01 (Silkeborg 69 %, all 68 %: no significant difference).
    let text = codebook_text();
    let end = text.find("      - id: q02").unwrap();
    let codebook = write(dir.path(), "one.yaml", &text[..end]);
    let pdf = dir.path().join("r.pdf");
    build(&pdf, &["--codebook", codebook.to_str().unwrap()]).success();
    let text = section(&pdf, "Hvor skiller Silkeborg sig ud?");
    assert!(
        text.contains("Silkeborg adskiller sig ikke tydeligt og relevant fra Alle deltagende kommuner på nogen af nøgletallene"),
        "{text}"
    );
    assert!(
        !text.contains("Indsatser i biblioteket om samme tema"),
        "{text}"
    );
}

#[test]
fn the_library_suggests_interventions_on_the_themes_and_ages_of_the_concerns_and_appends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    build_marking(&pdf, &[]).success();
    let all = pages(&pdf);
    let page = last_page_with(&all, "Indsatser i biblioteket om samme tema").unwrap();
    let text = flat(&all[page..].join(" "));
    assert!(text.contains("der er ikke dokumenteret nogen sammenhæng mellem undersøgelsens temaer og indsatsernes virkning"));
    assert!(text.contains("hver udbyder angiver selv indsatsens dokumentationsniveau"));
    assert!(text.contains("for børn og unge på 13–16 år"));
    // Nothing is appended without the analyst's choice.
    assert!(page_with(&all, "Inspiration til indsatser").is_none());

    // The same suggestions, as data: each on a concern's theme, for grades 7–9.
    let assert = report(&repo())
        .arg("--config")
        .arg(marking_config(dir.path()))
        .args(["catalogue", "list", "--for-report", "--format", "json"])
        .assert()
        .success();
    let library: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let codebook: serde_yaml::Value = serde_yaml::from_str(&codebook_text()).unwrap();
    let themes = library["themes"].as_array().unwrap();
    assert!(!themes.is_empty());
    for theme in themes {
        let id = theme["id"].as_str().unwrap();
        let related: Vec<&str> = codebook["themes"]
            .as_sequence()
            .unwrap()
            .iter()
            .find(|t| t["id"].as_str() == Some(id))
            .unwrap()["library"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        for sheet_id in theme["interventions"].as_array().unwrap() {
            let sheet = library["interventions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["id"] == *sheet_id)
                .unwrap();
            let name = sheet["name"].as_str().unwrap();
            assert!(text.contains(name), "{name} is not in the report's list");
            let sheet_themes: serde_json::Value = report(&repo())
                .args(["catalogue", "show", "--format", "json"])
                .arg(sheet_id.as_str().unwrap())
                .output()
                .map(|o| serde_json::from_slice(&o.stdout).unwrap())
                .unwrap();
            assert!(
                sheet_themes["themes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| related.contains(&t.as_str().unwrap())),
                "{name} shares no theme with {id}"
            );
            let fits = match (&sheet["grades"], &sheet["age"]) {
                (grades, _) if grades.is_object() => {
                    grades["from"].as_u64().unwrap() <= 9 && grades["to"].as_u64().unwrap() >= 7
                }
                (_, age) => {
                    age["from"].as_u64().unwrap() <= 16 && age["to"].as_u64().unwrap() >= 13
                }
            };
            assert!(fits, "{name} is not for grades 7–9 / ages 13–16: {sheet}");
        }
    }
}

#[test]
fn the_appendix_gives_the_advice_on_local_ownership() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    build(&pdf, &["-i", "x-it"]).success();
    let text = section(&pdf, "Inspiration til indsatser");
    assert!(text.contains("lokalt ejerskab er afgørende"), "{text}");
    assert!(
        text.contains("ikke dokumenteret nogen sammenhæng"),
        "{text}"
    );
}

#[test]
fn the_key_figures_report_is_short_with_overview_differences_and_library() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, titles) in [
        (
            "da",
            [
                "Nøgletal",
                "Overblik over nøgletal",
                "Hvor skiller Silkeborg sig ud?",
            ],
        ),
        (
            "en",
            [
                "Key figures",
                "Headline indicators",
                "Where Silkeborg stands out",
            ],
        ),
    ] {
        let pdf = dir.path().join(format!("{lang}.pdf"));
        build(&pdf, &["--kind", "key-figures", "--lang", lang]).success();
        let pages = pages(&pdf);
        assert!(
            (4..=8).contains(&pages.len()),
            "{lang}: {} pages",
            pages.len()
        );
        for title in titles {
            assert!(page_with(&pages, title).is_some(), "{lang}: no `{title}`");
        }
        // No question chapters.
        assert!(page_with(&pages, "q01 Hvordan har du det for det meste?").is_none());
        assert!(page_with(&pages, "q01 How do you feel most of the time?").is_none());
    }
    // Batches name them apart from the full reports.
    let out = dir.path().join("out");
    report(&repo())
        .args([
            "batch",
            "--kind",
            "key-figures",
            "--only",
            "Samsø",
            "--date",
            DATE,
            "--out-dir",
        ])
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("noegletal-samsoe-2026.pdf").exists());
}
