//! `standardise:` / `--standardise`: comparisons with each group as if it had the unit's mix.

use crate::support::{build, figures, flat, last_page_with, pages, repo_path, stderr};

#[test]
fn a_standardised_report_compares_with_the_adjusted_figures_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapport.pdf");
    let data = figures(&out, &["--standardise", "gender-grade"]);
    assert_eq!(data["standardise"], serde_json::json!(["gender", "grade"]));
    let pages = pages(&out);
    let mut adjusted = 0;
    for question in data["questions"].as_array().unwrap() {
        let id = question["id"].as_str().unwrap();
        let (home, all) = (&question["groups"][0], &question["groups"][1]);
        let Some(indicator) = home["indicator"].as_f64() else {
            continue;
        };
        let standardised = &all["standardised"];
        let Some(figure) = standardised["indicator"].as_f64() else {
            continue;
        };
        adjusted += 1;
        // The difference, its test and the printed figure are all against the adjusted one.
        let difference = all["against"]["difference"].as_f64().unwrap();
        assert!((difference - (indicator - figure)).abs() < 1e-9, "{id}");
        assert_eq!(all["against"]["method"], "standardised", "{id}");
        assert!(!standardised["breakdowns"].as_array().unwrap().is_empty());
        let shown = format!(
            "Silkeborg {} % · Alle deltagende kommuner {} % (justeret)",
            indicator.round(),
            figure.round()
        );
        let page = last_page_with(&pages, &format!("{id} ")).unwrap();
        let text = flat(&pages[page]) + " " + &flat(pages.get(page + 1).map_or("", |p| p));
        assert!(text.contains(&shown), "{id}: `{shown}` not in: {text}");
    }
    assert!(adjusted > 40, "{adjusted} adjusted comparisons");
    // The overview (after the contents, which name it too) says its figures are adjusted.
    let overview = last_page_with(&pages, "Overblik over nøgletal").unwrap();
    assert!(flat(&pages[overview]).contains("(justeret)"));
    let all_pages = flat(&pages.join(" "));
    assert!(all_pages.contains("samme fordeling på køn og klassetrin som Silkeborg"));
    assert!(all_pages.contains("Standardisering."));
}

#[test]
fn a_report_without_standardise_compares_with_the_groups_own_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapport.pdf");
    let data = figures(&out, &[]);
    assert_eq!(data["standardise"], serde_json::json!([]));
    for question in data["questions"].as_array().unwrap() {
        assert!(question["groups"][1]["standardised"].is_null());
    }
    let text = flat(&pages(&out).join(" "));
    assert!(!text.contains("(justeret)") && !text.contains("Standardisering"));
}

#[test]
fn report_yaml_standardises_and_an_unknown_breakdown_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let config = |standardise: &str| {
        let path = dir.path().join("report.yaml");
        std::fs::write(
            &path,
            format!(
                "survey: {}\ncodebook: {}\nmunicipality: Odder\nstandardise: {standardise}\n",
                repo_path("examples/udskoling-2026-sample.csv").display(),
                repo_path("examples/udskoling.codebook.yaml").display(),
            ),
        )
        .unwrap();
        path
    };
    let out = dir.path().join("odder.pdf");
    let json = dir.path().join("odder.json");
    let path = config("[grade]");
    build(
        &out,
        &[
            "--config",
            path.to_str().unwrap(),
            "--data-out",
            json.to_str().unwrap(),
        ],
    )
    .success();
    let data = crate::support::read_json(&json);
    assert_eq!(data["standardise"], serde_json::json!(["grade"]));
    let path = config("[gender, age]");
    let failed = build(
        &dir.path().join("none.pdf"),
        &["--config", path.to_str().unwrap()],
    )
    .failure();
    let message = stderr(&failed);
    assert!(
        message.contains("no breakdown `age`") && message.contains("gender, grade"),
        "{message}"
    );
    assert!(!dir.path().join("none.pdf").exists());
}
