//! What a council member reads first: better/worse marks, where the unit stands out, the
//! library as inspiration, and the short key-figures report.

use std::path::{Path, PathBuf};

use crate::support::{
    DATE, build, build_marking, flat, flat_sample, last_page_with, marking_config, page_with,
    pages, repo, repo_path, report,
};

/// The example as generated without school effects, where Silkeborg's differences of 3–4
/// points are clear ([`flat_sample`]): the figures these tests quote are its.
fn flat_survey() -> &'static str {
    flat_sample().to_str().unwrap()
}

fn codebook_text() -> String {
    std::fs::read_to_string(repo_path("examples/udskoling.codebook.yaml")).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The example codebook with only its first question, q01 (Silkeborg 69 %, all 68 %:
/// clearly no relevant difference), written to `dir`.
fn one_question_codebook(dir: &Path) -> PathBuf {
    let text = codebook_text();
    let end = text.find("      - id: q02").unwrap();
    write(dir, "one.yaml", &text[..end])
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
    // The default threshold of 5 points marks none of the sample's 1–4 point differences.
    let plain = dir.path().join("plain.pdf");
    build(&plain, &["--survey", flat_survey()]).success();
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
fn a_mark_stands_beside_the_units_difference_never_beside_a_groups_figure() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    build_marking(&pdf, &[]).success();
    // Silkeborg 62 %, all municipalities 66 %: the mark follows the difference −4, which
    // describes Silkeborg, not the 66 % of the others.
    let overview = section(&pdf, "Overblik over nøgletal");
    assert!(
        overview.contains("føler sig accepteret af de andre elever 62 % (60–65) 66 % −4 ▼ værre"),
        "{overview}"
    );
    let all = pages(&pdf);
    let line = "Andel der føler sig accepteret af de andre elever: Silkeborg 62 %";
    let chapter = flat(&all[last_page_with(&all, line).expect(line)]);
    assert!(
        chapter.contains(&format!(
            "{line} · Alle deltagende kommuner 66 % (forskel −4 ▼ værre"
        )),
        "{chapter}"
    );

    // A school report compares with two groups: each gets its own difference.
    let school = dir.path().join("school.pdf");
    build(
        &school,
        &["--survey", flat_survey(), "--school", "Skole 05"],
    )
    .success();
    let overview = section(&school, "Overblik over nøgletal");
    assert!(
        overview.contains(
            "oplever sjældent eller aldrig uro, der forstyrrer 26 % (20–34) 30 % −4 33 % −7"
        ),
        "{overview}"
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
fn the_summary_comes_first_and_says_what_stands_out() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    build_marking(&pdf, &[]).success();
    let all = pages(&pdf);
    // The page after the cover, before the contents.
    let summary = flat(&all[1]);
    assert!(summary.starts_with("Basisrapport · Silkeborg"), "{summary}");
    let before_contents = between(&summary, "Sammenfatning", "Indhold");
    assert!(
        before_contents.contains(
            "Silkeborg skiller sig tydeligt ud fra alle deltagende kommuner på 2 af 61 nøgletal: \
             1 til det bedre og 1 til det værre."
        ),
        "{before_contents}"
    );
    let worse = between(before_contents, "Værre:", "Bedre:");
    assert!(
        worse.contains(
            "Andel der føler sig accepteret af de andre elever: 62 % mod 66 % (−4 point)"
        ),
        "{worse}"
    );
    assert!(
        before_contents.contains("For 35 nøgletal er der for få svar til at sige"),
        "{before_contents}"
    );
    // A gap between groups of pupils, with the figures it rests on.
    let gaps = between(
        before_contents,
        "Største forskelle inden for Silkeborg:",
        "En forskel",
    );
    assert!(
        gaps.contains("Andel der har et fritidsjob: 9. klasse 48 %, 7. klasse 25 %"),
        "{gaps}"
    );

    // With the default threshold nothing stands out, and the summary says so honestly: close
    // where the figures show it, too few answers to tell where they do not.
    let plain = dir.path().join("plain.pdf");
    build(&plain, &["--survey", flat_survey()]).success();
    let summary = flat(&pages(&plain)[1]);
    assert!(
        summary.contains(
            "Silkeborg skiller sig ikke tydeligt ud fra alle deltagende kommuner på nogen af de \
             61 nøgletal. På 58 af dem er forskellen med sikkerhed under 5 procentpoint; på 3 er \
             der for få svar til at sige."
        ),
        "{summary}"
    );
    let english = dir.path().join("en.pdf");
    build(&english, &["--survey", flat_survey(), "--lang", "en"]).success();
    let summary = flat(&pages(&english)[1]);
    assert!(
        summary.contains(
            "Silkeborg does not differ clearly from all participating municipalities on any of \
             the 61 headline indicators. On 58 of them the difference is clearly below 5 \
             percentage points; on 3 there are too few answers to tell."
        ),
        "{summary}"
    );
}

#[test]
fn a_unit_close_on_every_indicator_is_called_close() {
    let dir = tempfile::tempdir().unwrap();
    let codebook = one_question_codebook(dir.path());
    let pdf = dir.path().join("r.pdf");
    build(
        &pdf,
        &[
            "--survey",
            flat_survey(),
            "--codebook",
            codebook.to_str().unwrap(),
        ],
    )
    .success();
    let summary = flat(&pages(&pdf)[1]);
    assert!(
        summary.contains(
            "Silkeborg ligner alle deltagende kommuner. På nøgletallet er der ingen \
             tydelig forskel på mindst 5 procentpoint. Den største forskel er +1 procentpoint \
             (andel der har det godt eller rigtig godt)."
        ),
        "{summary}"
    );
}

#[test]
fn a_school_with_too_few_answers_to_tell_is_not_called_close() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("school.pdf");
    build(&pdf, &["--survey", flat_survey(), "--school", "Skole 05"]).success();
    let summary = flat(&pages(&pdf)[1]);
    assert!(
        summary.contains(
            "Der er for få svar til at sige, om Skole 05 adskiller sig fra Silkeborg med mindst \
             5 procentpoint på nogen af de"
        ),
        "{summary}"
    );
    assert!(!summary.contains("ligner"), "{summary}");
}

#[test]
fn the_summary_names_the_clearest_change_since_the_round_before() {
    let dir = tempfile::tempdir().unwrap();
    // The earlier round: other pupils, of whom none felt well (q01, "har det godt eller rigtig
    // godt", answered 5 by all who answered it): the share rose clearly since.
    let sample = std::fs::read_to_string(flat_sample()).unwrap();
    let earlier: Vec<String> = sample
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                return line.to_owned();
            }
            let mut fields: Vec<&str> = line.split(',').collect();
            if !fields[5].is_empty() {
                fields[5] = "5";
            }
            format!("2024-{}", fields.join(","))
        })
        .collect();
    let previous = write(dir.path(), "2024.csv", &(earlier.join("\n") + "\n"));
    let pdf = dir.path().join("r.pdf");
    build(
        &pdf,
        &[
            "--survey",
            flat_survey(),
            "--previous-round",
            "2024",
            "--previous",
            previous.to_str().unwrap(),
        ],
    )
    .success();
    let summary = flat(&pages(&pdf)[1]);
    let changes = between(
        &summary,
        "Tydeligste ændringer siden 2024:",
        "Største forskelle",
    );
    assert!(
        changes.contains("Andel der har det godt eller rigtig godt: 0 % → 69 % (+69 ▲ bedre"),
        "{changes}"
    );
    // Only q01 changed.
    assert_eq!(changes.matches("Andel der").count(), 1, "{changes}");
}

#[test]
fn a_unit_without_significant_differences_is_told_so() {
    let dir = tempfile::tempdir().unwrap();
    let codebook = one_question_codebook(dir.path());
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
    assert!(text.contains("dokumentationsniveauet er udbydernes egen vurdering"));
    assert!(text.contains("har temaet som et af deres hovedtemaer"));
    assert!(text.contains("henvender sig til børn og unge på 13–16 år"));
    // A published report names no command, no id and no internal word.
    let whole = flat(&all.join(" "));
    for internal in ["report build", "kodebog", "codebook", "-i ID"] {
        assert!(!whole.contains(internal), "`{internal}` in the report");
    }
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
            let slug = sheet_id.as_str().unwrap();
            assert!(
                !slug.contains('-') || !whole.contains(slug),
                "the id {slug} is printed"
            );
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
fn the_key_figures_report_is_short_and_shows_only_the_key_indicators() {
    let dir = tempfile::tempdir().unwrap();
    // The codebook's key indicators (`key: true`) and the others, in Danish and English.
    let codebook: serde_yaml::Value = serde_yaml::from_str(&codebook_text()).unwrap();
    let questions: Vec<&serde_yaml::Value> = codebook["themes"]
        .as_sequence()
        .unwrap()
        .iter()
        .flat_map(|t| t["questions"].as_sequence().unwrap())
        .filter(|q| !q["indicator"].is_null())
        .collect();
    let indicator = |q: &serde_yaml::Value, lang: &str| {
        let da = q["indicator"].as_str().unwrap().to_owned();
        if lang == "da" {
            da
        } else {
            q["indicator_en"].as_str().unwrap().to_owned()
        }
    };
    let key = |q: &serde_yaml::Value| q["key"].as_bool() == Some(true);
    assert!((8..=15).contains(&questions.iter().filter(|q| key(q)).count()));
    for (lang, titles) in [
        (
            "da",
            [
                "Nøgletal",
                "Sammenfatning",
                "Overblik over nøgletal",
                "Nøgletal efter køn og klassetrin",
                "Hvor skiller Silkeborg sig ud?",
                "Om undersøgelsen og metoden",
            ],
        ),
        (
            "en",
            [
                "Key figures",
                "Summary",
                "Headline indicators",
                "Key indicators by gender and grade",
                "Where Silkeborg stands out",
                "About the survey and the method",
            ],
        ),
    ] {
        // With the README's three fact sheets, still at most 8 pages.
        let pdf = dir.path().join(format!("{lang}.pdf"));
        let sheets = ["-i", "x-it", "-i", "om-alkohol", "-i", "ventilen"];
        build(
            &pdf,
            &[&["--kind", "key-figures", "--lang", lang][..], &sheets].concat(),
        )
        .success();
        let pages = pages(&pdf);
        assert!(
            (4..=8).contains(&pages.len()),
            "{lang}: {} pages",
            pages.len()
        );
        for title in titles {
            assert!(page_with(&pages, title).is_some(), "{lang}: no `{title}`");
        }
        // No question chapters, and no indicator that is not key, anywhere (summary and
        // differences included); every key indicator is there.
        assert!(page_with(&pages, "q01 Hvordan har du det for det meste?").is_none());
        assert!(page_with(&pages, "q01 How do you feel most of the time?").is_none());
        let text = flat(&pages.join(" "));
        for q in &questions {
            let shown = text.contains(&flat(&indicator(q, lang)));
            assert_eq!(shown, key(q), "{lang}: {}", indicator(q, lang));
        }
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
