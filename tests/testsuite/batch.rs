//! `report batch` over the sample's municipalities.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{
    DATE, flat, flat_sample, pages, read_json, repo, repo_path, report, stderr, template_overlay,
};

/// Runs `report batch` into `out` with extra arguments; returns the parsed summary.
pub(crate) fn batch(out: &Path, extra: &[&str], code: i32) -> serde_json::Value {
    batch_logged(out, extra, code).0
}

/// [`batch`], with what it printed on stderr.
fn batch_logged(out: &Path, extra: &[&str], code: i32) -> (serde_json::Value, String) {
    let summary = out.with_extension("summary.json");
    let assert = report(&repo())
        .args(["batch", "--date", DATE, "--out-dir"])
        .arg(out)
        .arg("--summary")
        .arg(&summary)
        .args(extra)
        .assert()
        .code(code);
    (read_json(&summary), stderr(&assert))
}

pub(crate) fn statuses(summary: &serde_json::Value) -> Vec<(String, String)> {
    summary
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["municipality"].as_str().unwrap().to_owned(),
                o["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pdfs(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".pdf"))
        .collect()
}

#[test]
fn writes_one_report_per_municipality_and_skips_unchanged_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapporter");
    let summary = batch(&out, &["--jobs", "2"], 0);
    let names = [
        "basisrapport-favrskov-2026.pdf",
        "basisrapport-odder-2026.pdf",
        "basisrapport-samsoe-2026.pdf",
        "basisrapport-silkeborg-2026.pdf",
        "basisrapport-skanderborg-2026.pdf",
        "basisrapport-syddjurs-2026.pdf",
    ];
    assert_eq!(
        pdfs(&out),
        names.iter().map(std::string::ToString::to_string).collect()
    );
    for outcome in summary.as_array().unwrap() {
        assert_eq!(outcome["status"], "written");
        assert!(outcome["pages"].as_u64().unwrap() >= 15);
        assert!(outcome["bytes"].as_u64().unwrap() > 10_000);
        assert!(outcome["error"].is_null());
    }
    let samsoe = pages(&out.join("basisrapport-samsoe-2026.pdf"));
    assert!(flat(&samsoe[0]).contains("Samsø"));

    // Nothing changed: everything is unchanged, and the files stay as they were.
    let before = std::fs::read(out.join("basisrapport-odder-2026.pdf")).unwrap();
    let summary = batch(&out, &[], 0);
    assert!(
        statuses(&summary).iter().all(|(_, s)| s == "unchanged"),
        "{summary}"
    );
    assert_eq!(
        std::fs::read(out.join("basisrapport-odder-2026.pdf")).unwrap(),
        before
    );
    // --force renders again, with the same bytes.
    let summary = batch(&out, &["--force", "--only", "Odder"], 0);
    assert_eq!(
        statuses(&summary),
        [("Odder".to_owned(), "written".to_owned())]
    );
    assert_eq!(
        std::fs::read(out.join("basisrapport-odder-2026.pdf")).unwrap(),
        before
    );
}

#[test]
fn one_and_two_jobs_give_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    let only = ["--only", "Samsø,Odder,Favrskov"];
    batch(&one, &[&["--jobs", "1"][..], &only].concat(), 0);
    batch(&two, &[&["--jobs", "2"][..], &only].concat(), 0);
    for name in pdfs(&one) {
        assert!(
            std::fs::read(one.join(&name)).unwrap() == std::fs::read(two.join(&name)).unwrap(),
            "{name} differs"
        );
    }
    assert_eq!(pdfs(&one).len(), 3);
}

#[test]
fn shards_cover_every_municipality_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut covered = Vec::new();
    for shard in ["1/2", "2/2"] {
        let out = dir.path().join(shard.replace('/', "-"));
        let summary = batch(&out, &["--shard", shard], 0);
        covered.extend(statuses(&summary).into_iter().map(|(m, _)| m));
    }
    covered.sort();
    assert_eq!(
        covered,
        [
            "Favrskov",
            "Odder",
            "Samsø",
            "Silkeborg",
            "Skanderborg",
            "Syddjurs"
        ]
    );
}

#[test]
fn a_failing_municipality_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("indsatser.yaml");
    // Written as a person might: the entry applies to Odder all the same (the name key
    // ignores spaces and case), so Odder fails on its misspelt id.
    std::fs::write(&plan, "default: [x-it]\n\" odder \": [fri-for-mobbery]\n").unwrap();
    let out = dir.path().join("out");
    let summary = batch(
        &out,
        &[
            "--only",
            "Odder,Samsø",
            "--interventions",
            plan.to_str().unwrap(),
        ],
        1,
    );
    let by_name: Vec<(String, String)> = statuses(&summary);
    assert_eq!(
        by_name,
        [
            ("Odder".to_owned(), "failed".to_owned()),
            ("Samsø".to_owned(), "written".to_owned())
        ]
    );
    let error = summary[0]["error"].as_str().unwrap();
    assert!(
        error.contains("unknown intervention `fri-for-mobbery`"),
        "{error}"
    );
    assert_eq!(
        pdfs(&out),
        ["basisrapport-samsoe-2026.pdf".to_owned()].into()
    );
    // Samsø got the default fact sheet.
    let samsoe = pages(&out.join("basisrapport-samsoe-2026.pdf"));
    assert!(flat(samsoe.last().unwrap()).contains("X:IT"));

    // Quiet, the failure is one plain error line.
    let assert = report(&repo())
        .args([
            "batch",
            "--date",
            DATE,
            "--quiet",
            "--only",
            "Odder",
            "--out-dir",
        ])
        .arg(dir.path().join("quiet"))
        .args(["--interventions", plan.to_str().unwrap()])
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        text.contains("error: Odder: unknown intervention `fri-for-mobbery`"),
        "{text}"
    );
    assert!(!text.contains("FAILED"), "{text}");
}

#[test]
fn a_plan_entry_that_matches_no_municipality_stops_the_batch_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("indsatser.yaml");
    std::fs::write(&plan, "default: [x-it]\nOdderr: [pals]\n").unwrap();
    let out = dir.path().join("out");
    let run = |extra: &[&str]| {
        report(&repo())
            .args(["batch", "--date", DATE, "--quiet", "--only", "Samsø"])
            .args(["--interventions", plan.to_str().unwrap(), "--out-dir"])
            .arg(&out)
            .args(extra)
            .assert()
    };
    let stopped = run(&[]).code(2);
    let stderr = String::from_utf8_lossy(&stopped.get_output().stderr).into_owned();
    assert_eq!(
        stderr,
        "error: 1 name matches no municipality in the data; correct it, or pass \
         --allow-unknown-names to build the reports anyway:\n  \
         `Odderr` in the interventions file is not a municipality in the data; did you mean `Odder`?\n"
    );
    assert!(!out.exists(), "nothing is written");

    let allowed = run(&["--allow-unknown-names"]).success();
    let stderr = String::from_utf8_lossy(&allowed.get_output().stderr).into_owned();
    assert!(
        stderr.contains("warning: `Odderr` in the interventions file is not a municipality"),
        "{stderr}"
    );
    assert_eq!(
        pdfs(&out),
        ["basisrapport-samsoe-2026.pdf".to_owned()].into()
    );
}

#[test]
fn a_changed_fact_sheet_renders_the_reports_that_include_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("catalogue");
    std::fs::create_dir_all(catalogue.join("interventions")).unwrap();
    std::fs::copy(
        repo_path("catalogue/themes.yaml"),
        catalogue.join("themes.yaml"),
    )
    .unwrap();
    for id in ["x-it", "pals"] {
        let name = format!("interventions/{id}.yaml");
        std::fs::copy(
            repo_path(&format!("catalogue/{name}")),
            catalogue.join(&name),
        )
        .unwrap();
    }
    let plan = dir.path().join("indsatser.yaml");
    std::fs::write(&plan, "default: [pals]\nOdder: [x-it]\n").unwrap();
    let out = dir.path().join("out");
    // On the sample without school effects, Samsø's library list does not name X:IT.
    let args = [
        "--survey",
        flat_sample().to_str().unwrap(),
        "--only",
        "Odder,Samsø",
        "--interventions",
        plan.to_str().unwrap(),
        "--catalogue",
        catalogue.to_str().unwrap(),
    ];
    batch(&out, &args, 0);

    let sheet = catalogue.join("interventions/x-it.yaml");
    let text = std::fs::read_to_string(&sheet).unwrap();
    let revised = text.replace("name: \"X:IT\"", "name: \"X:IT (revideret)\"");
    assert_ne!(revised, text);
    std::fs::write(&sheet, revised).unwrap();
    let summary = batch(&out, &args, 0);
    assert_eq!(
        statuses(&summary),
        [
            ("Odder".to_owned(), "written".to_owned()),
            ("Samsø".to_owned(), "unchanged".to_owned())
        ]
    );
    let odder = pages(&out.join("basisrapport-odder-2026.pdf"));
    assert!(flat(odder.last().unwrap()).contains("X:IT (revideret)"));
}

#[test]
fn emit_typst_writes_complete_projects() {
    let dir = tempfile::tempdir().unwrap();
    let projects = dir.path().join("typst");
    batch(
        &dir.path().join("out"),
        &[
            "--only",
            "Samsø",
            "--emit-typst",
            projects.to_str().unwrap(),
        ],
        0,
    );
    let project = projects.join("basisrapport-samsoe-2026");
    for file in ["basisrapport.typ", "lib/charts.typ", "data.json"] {
        assert!(project.join(file).is_file(), "{file} missing");
    }
    assert!(projects.join("fonts/Inter-Regular.otf").is_file());
    let data = read_json(&project.join("data.json"));
    assert_eq!(data["unit"]["name"], "Samsø");
}

/// A warning while rendering one report (here the layout check's) reaches the summary of
/// that report and the log, with the unit it is about.
#[test]
fn warnings_are_kept_per_report() {
    let dir = tempfile::tempdir().unwrap();
    let templates = template_overlay(
        dir.path(),
        "basisrapport.typ",
        "#set document(title: [Test])\n#set page(width: 10cm, height: 5cm)\n\
         #let data = json(\"/data.json\")\n#data.unit.name\n#text(size: 6pt)[Fodnote]\n",
    );
    let (summary, stderr) = batch_logged(
        &dir.path().join("rapporter"),
        &[
            "--only",
            "Odder",
            "--templates",
            templates.to_str().unwrap(),
        ],
        0,
    );
    let warnings = summary[0]["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 1, "{summary}");
    let warning = warnings[0].as_str().unwrap();
    assert!(
        warning.starts_with("warning: page 1: `Fodnote` is set in 6.0 pt"),
        "{warning}"
    );
    assert!(stderr.contains(&format!("Odder: {warning}")), "{stderr}");
    assert!(stderr.contains("1 with warnings"), "{stderr}");
}
