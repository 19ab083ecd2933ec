//! `report build` end to end on the example survey.

use std::path::Path;

use predicates::prelude::*;

use crate::support::{build, figures, flat, last_page_with, page_with, pages, repo_path};

/// Builds the example report (defaults from the repository's report.yaml) into `out`.
fn build_example(out: &Path, interventions: &[&str]) -> assert_cmd::assert::Assert {
    let args: Vec<&str> = interventions.iter().flat_map(|id| ["-i", id]).collect();
    build(out, &args)
}

#[test]
fn example_report_has_the_survey_then_the_fact_sheets_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapport.pdf");
    // Fri for Mobberi is for ages 0–9: appended to a 7.–9. klasse report, it is named on the
    // terminal and its sheet says so in plain words.
    build_example(&out, &["x-it", "fri-for-mobberi", "ventilen"])
        .success()
        .stderr(predicates::str::contains("wrote"))
        .stderr(predicates::str::contains(
            "warning: Fri for Mobberi is for 0–9 years, the survey's respondents are grades 7–9",
        ))
        .stderr(predicates::str::contains("X:IT is for").not());

    let pages = pages(&out);
    assert!(pages.len() >= 15, "only {} pages", pages.len());
    assert!(flat(&pages[0]).contains("Basisrapport"), "{}", pages[0]);
    assert!(flat(&pages[0]).contains("Silkeborg"), "{}", pages[0]);
    assert!(flat(&pages[0]).contains("Trivsel og sundhed, 7.–9. klasse"));

    // Every question of the codebook is in the report, before the appendix.
    // The contents page names the appendix too; the appendix itself is the last mention.
    let appendix = last_page_with(&pages, "Inspiration til indsatser").expect("appendix page");
    assert!(appendix > 2);
    let first_question = page_with(&pages, "Hvordan har du det for det meste?").unwrap();
    let last_question =
        page_with(&pages, "Hvor tit skændes du med dine forældre?").expect("last question");
    assert!(first_question < last_question && last_question < appendix);
    assert!(flat(&pages[appendix]).contains("inspiration"));

    // The fact sheets follow, one per page, in the order given; the first shares the page
    // with the appendix's note.
    let sheets: Vec<usize> = ["X:IT", "Fri for Mobberi", "Ventilen"]
        .iter()
        .map(|name| {
            (appendix..pages.len())
                .find(|&p| flat(&pages[p]).contains(name))
                .unwrap_or_else(|| panic!("no fact sheet page for {name}"))
        })
        .collect();
    assert_eq!(sheets, [appendix, appendix + 1, appendix + 2]);
    assert_eq!(pages.len(), appendix + 3);
    // The fact sheets show what the catalogue says.
    let x_it = flat(&pages[appendix]);
    assert!(x_it.contains("Kræftens Bekæmpelse"), "{x_it}");
    assert!(x_it.contains("Rygning, snus og e-cigaretter"), "{x_it}");
    let unfit = "Bemærk: indsatsen henvender sig ikke til samme aldersgruppe som undersøgelsen";
    assert!(flat(&pages[appendix + 1]).contains(unfit));
    assert!(!x_it.contains(unfit) && !flat(&pages[appendix + 2]).contains(unfit));
}

#[test]
fn report_shows_municipality_benchmark_and_breakdowns_with_n() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapport.pdf");
    build_example(&out, &[]).success();
    let pages = pages(&out);
    let page = page_with(&pages, "Hvordan har du det for det meste?").unwrap();
    let text = flat(&pages[page]);
    for label in [
        "Silkeborg",
        "Alle deltagende kommuner",
        "Dreng",
        "Pige",
        "7. klasse",
        "9. klasse",
        "Gruppe n Svarfordeling",
        "Alle kommuner",
    ] {
        assert!(text.contains(label), "no `{label}` on the page: {text}");
    }
    // Without interventions there is no appendix.
    assert_eq!(page_with(&pages, "Inspiration til indsatser"), None);
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("a.pdf");
    let second = dir.path().join("b.pdf");
    build_example(&first, &["pals"]).success();
    build_example(&second, &["pals"]).success();
    assert!(std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap());
}

#[test]
fn unknown_intervention_names_the_closest_ids_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapport.pdf");
    build_example(&out, &["fri-for-mobbery"])
        .code(2)
        .stderr(predicates::str::contains(
            "unknown intervention `fri-for-mobbery`; did you mean `fri-for-mobberi`?",
        ));
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn unknown_municipality_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapport.pdf");
    build(&out, &["--municipality", "Silkebor"])
        .code(2)
        .stderr(predicates::str::contains(
            "municipality `Silkebor` is not in the survey data",
        ))
        .stderr(predicates::str::contains("did you mean `Silkeborg`?"));
    assert!(!out.exists());
}

#[test]
fn provider_text_is_printed_literally() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("catalogue");
    std::fs::create_dir(&catalogue).unwrap();
    std::fs::copy(
        repo_path("catalogue/themes.yaml"),
        catalogue.join("themes.yaml"),
    )
    .unwrap();
    let hostile = r##"id: hostile
name: "Ondsindet #set page(fill: red) *_$@<x>// ] \\ <script>"
summary: "Prøver #read(\"/etc/passwd\") og #import \"@preview/x:1.0.0\""
themes: [trivsel]
target: {age: {from: 6, to: 12}, who: "$x$ `y` <b>z</b>"}
type: [group]
provider: {name: "#sys.inputs", kind: ngo}
documentation: {level: not-stated}
description: |
  Tekst med #read("/etc/passwd"), #import "x.typ", ], $ og \ samt {{x}}.

  - punkt med #emph[typst]

  Et meget langt ord: Supercalifragilisticexpialidociousogendnulængereendnogetandetordpådansk.
"##;
    std::fs::write(catalogue.join("hostile.yaml"), hostile).unwrap();
    let out = dir.path().join("rapport.pdf");
    build(
        &out,
        &["-i", "hostile", "--catalogue", catalogue.to_str().unwrap()],
    )
    .success();
    let pages = pages(&out);
    let sheet = flat(pages.last().unwrap());
    let joined: String = sheet
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200B}')
        .collect();
    assert!(
        joined.contains("Supercalifragilisticexpialidociousogendnulængereendnogetandetordpådansk.")
    );
    // The one sheet shares the appendix's page.
    assert_eq!(
        pages.len(),
        last_page_with(&pages, "Inspiration til indsatser").unwrap() + 1
    );
    for literal in [
        "Ondsindet #set page(fill: red) *_$@<x>// ] \\ <script>",
        "Prøver #read(\"/etc/passwd\") og #import \"@preview/x:1.0.0\"",
        "#sys.inputs",
        "Tekst med #read(\"/etc/passwd\"), #import \"x.typ\", ], $ og \\ samt {{x}}.",
        "#emph[typst]",
    ] {
        assert!(
            sheet.contains(literal),
            "`{literal}` not printed literally in: {sheet}"
        );
    }
}

/// The example codebook's `better` for question `id`.
fn better_of(id: &str) -> Option<String> {
    let text = std::fs::read_to_string(repo_path("examples/udskoling.codebook.yaml")).unwrap();
    let codebook: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    codebook["themes"]
        .as_sequence()?
        .iter()
        .flat_map(|theme| theme["questions"].as_sequence().into_iter().flatten())
        .find(|q| q["id"].as_str() == Some(id))?["better"]
        .as_str()
        .map(str::to_owned)
}

#[test]
fn data_out_holds_the_figures_the_pdf_shows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapport.pdf");
    let data = figures(&out, &[]);
    assert_eq!(data["version"], 3);
    assert_eq!(data["unit"]["name"], "Silkeborg");
    assert_eq!(data["min_cell"], 5);
    let pages = pages(&out);
    for question in data["questions"].as_array().unwrap() {
        let id = question["id"].as_str().unwrap();
        let home = &question["groups"][0];
        assert_eq!(home["group"], "unit");
        let all = &question["groups"][1];
        assert_eq!(all["group"], "comparison:all");
        let Some(indicator) = home["indicator"].as_f64() else {
            continue;
        };
        // The mark: ▲/▼ for the sign and a word for what it means to the children.
        let better = better_of(id);
        let mark = match (all["against"]["significance"].as_str(), better.as_deref()) {
            (Some("higher"), Some("higher")) => " ▲ bedre",
            (Some("higher"), Some("lower")) => " ▲ værre",
            (Some("higher"), _) => " ▲ højere",
            (Some("lower"), Some("lower")) => " ▼ bedre",
            (Some("lower"), Some("higher")) => " ▼ værre",
            (Some("lower"), _) => " ▼ lavere",
            _ => "",
        };
        let shown = format!(
            "Silkeborg {} % · Alle deltagende kommuner {} %{mark}",
            indicator.round(),
            all["indicator"].as_f64().unwrap().round()
        );
        let page =
            last_page_with(&pages, &format!("{id} ")).unwrap_or_else(|| panic!("{id} missing"));
        let text = flat(&pages[page]) + " " + &flat(pages.get(page + 1).map_or("", |p| p));
        assert!(
            text.contains(&shown),
            "{id}: `{shown}` not in the PDF: {text}"
        );
    }
}

#[test]
fn an_earlier_round_adds_trends() {
    let dir = tempfile::tempdir().unwrap();
    // The earlier round: answers like every other respondent of the sample, from other
    // pupils (other ids: the same pupils again would be refused).
    let sample = std::fs::read_to_string(repo_path("examples/udskoling-2026-sample.csv")).unwrap();
    let earlier: Vec<String> = sample
        .lines()
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(i, line)| {
            if i == 0 {
                line.to_owned()
            } else {
                format!("2024-{line}")
            }
        })
        .collect();
    let previous = dir.path().join("2024.csv");
    std::fs::write(&previous, earlier.join("\n") + "\n").unwrap();
    let out = dir.path().join("rapport.pdf");
    let data = figures(
        &out,
        &[
            "--previous-round",
            "2024",
            "--previous",
            previous.to_str().unwrap(),
        ],
    );
    let trend = &data["questions"][0]["trend"];
    assert_eq!(trend["rounds"][0]["round"], 2024);
    assert_eq!(trend["rounds"][1]["round"], 2026);
    let change = trend["change"].as_f64().unwrap();
    let now = data["questions"][0]["groups"][0]["indicator"]
        .as_f64()
        .unwrap();
    let then = trend["rounds"][0]["indicator"].as_f64().unwrap();
    assert!((now - then - change).abs() < 1e-9);
    let pages = pages(&out);
    let line = format!(
        "Udvikling: 2024: {} % · 2026: {} %",
        then.round(),
        now.round()
    );
    assert!(page_with(&pages, &line).is_some(), "no `{line}`");
}

/// The Danish texts of a codebook a reader of an English report could see: the Danish side of
/// `{da, en}` maps and of the older `text`/`text_en` pairs, and labels given only in Danish.
fn danish_with_english(value: &serde_yaml::Value, found: &mut Vec<String>) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            let text = |key: &str| map.get(key).and_then(|v| v.as_str());
            if let (Some(da), Some(en)) = (text("da"), text("en")) {
                if da != en {
                    found.push(da.to_owned());
                }
                return;
            }
            for (key, value) in map {
                let key = key.as_str().unwrap_or_default();
                if let Some(da) = key.strip_suffix("_en").and_then(text) {
                    found.push(da.to_owned());
                }
                // A label given only in Danish prints in Danish in an English report.
                let labels = ["options", "values", "missing"].contains(&key);
                if let (true, Some(map)) = (labels, value.as_mapping()) {
                    found.extend(map.values().filter_map(|v| v.as_str()).map(str::to_owned));
                }
                if let ("label", Some(da)) = (key, value.as_str()) {
                    found.push(da.to_owned());
                }
            }
            map.values().for_each(|v| danish_with_english(v, found));
        }
        serde_yaml::Value::Sequence(items) => {
            items.iter().for_each(|v| danish_with_english(v, found));
        }
        _ => {}
    }
}

#[test]
fn english_reports_print_no_danish_label() {
    let dir = tempfile::tempdir().unwrap();
    for (codebook, survey) in [
        (
            "examples/udskoling.codebook.yaml",
            "examples/udskoling-2026-sample.csv",
        ),
        (
            "examples/unge.codebook.yaml",
            "examples/unge-2026-sample.csv",
        ),
    ] {
        let text = std::fs::read_to_string(repo_path(codebook)).unwrap();
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let mut danish = Vec::new();
        danish_with_english(&yaml, &mut danish);
        // Words a reader could not tell from English ("Sport", "Over 50") are no finding;
        // a label with a Danish letter, a space or five letters or more is.
        danish.retain(|label| {
            label.chars().any(|c| "æøåÆØÅ ".contains(c)) || label.chars().count() >= 5
        });
        danish.retain(|label| !["Sport", "Over 50"].contains(&label.as_str()));
        assert!(danish.len() > 20, "{codebook}: only {danish:?}");
        let out = dir.path().join("en.pdf");
        build(
            &out,
            &["--lang", "en", "--codebook", codebook, "--survey", survey],
        )
        .success();
        let words = format!(" {} ", flat(&pages(&out).join(" ")));
        let printed: Vec<&String> = danish
            .iter()
            .filter(|label| {
                // A whole label, not a part of a word.
                let label = flat(label);
                [" ", "(", "»"].iter().any(|before| {
                    [" ", ",", ".", ":", ")", "«"]
                        .iter()
                        .any(|after| words.contains(&format!("{before}{label}{after}")))
                })
            })
            .collect();
        assert!(
            printed.is_empty(),
            "{codebook}: Danish in English: {printed:?}"
        );
    }
}

/// `--timings` writes a trace in Chrome's format (what chrome://tracing and Perfetto open)
/// beside the report, and prints each phase's total: ours and typst's.
#[test]
fn timings_profile_the_phases_of_a_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapport.pdf");
    let trace = dir.path().join("timings.json");
    let trace_arg = trace.to_str().unwrap();
    let assert = build(&out, &["--timings", trace_arg]).success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let phases = stderr
        .lines()
        .find_map(|line| line.strip_prefix("phases: "))
        .unwrap_or_else(|| panic!("no phases in {stderr}"));
    let named: Vec<&str> = phases
        .split(" · ")
        .map(|phase| phase.rsplitn(3, ' ').nth(2).unwrap())
        .collect();
    for phase in [
        "read and count survey",
        "disclosure control",
        "figures",
        "eval",
        "iter (1)",
        "pdf",
    ] {
        assert!(named.contains(&phase), "{phase} missing from {phases}");
    }
    let events: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&trace).unwrap()).unwrap();
    let starts = |name: &str| {
        events
            .iter()
            .filter(|e| e["name"] == name && e["ph"] == "B")
            .count()
    };
    assert_eq!(starts("disclosure control"), 1);
    assert!(starts("pdf") >= 1);
    assert!(out.exists());
}
