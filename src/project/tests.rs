//! The template contract on the example data: its shape is snapshotted, so any change a
//! custom template would feel shows up in review.

use std::path::Path;

use super::*;
use crate::aggregate::Level;

fn example() -> Project {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = Options {
        survey: vec![root.join("examples/udskoling-2026-sample.csv")],
        codebook: Some(root.join("examples/udskoling.codebook.yaml")),
        date: Some("2026-11-22".parse().unwrap()),
        ..Options::default()
    };
    Project::with_settings(Settings::resolve(&options, &Config::default()).unwrap())
}

/// The example report's template data with one question of each kind, so the snapshot shows
/// every shape a template meets without thousands of numbers.
#[test]
fn the_template_data_of_the_example_report() {
    let project = example();
    let survey = project.read_survey(Level::Municipality).unwrap();
    let interventions = project.catalogue().unwrap().select(["x-it"]).unwrap();
    let report = project
        .report(&survey, Subject::Municipality("Silkeborg"), &interventions)
        .unwrap();
    let mut data = serde_json::to_value(&report.data).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for theme in data["themes"].as_array_mut().unwrap() {
        let questions = theme["questions"].as_array_mut().unwrap();
        questions.retain(|q| kinds.insert(q["kind"].as_str().unwrap().to_owned()));
    }
    data["themes"]
        .as_array_mut()
        .unwrap()
        .retain(|theme| !theme["questions"].as_array().unwrap().is_empty());
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    // The differences and the library: two of each list, one fact sheet in full.
    for list in ["strengths", "concerns", "other"] {
        if let Some(items) = data["differences"][list].as_array_mut() {
            items.truncate(2);
        }
    }
    data["library"]["themes"]
        .as_array_mut()
        .unwrap()
        .truncate(2);
    data["library"]["interventions"]
        .as_array_mut()
        .unwrap()
        .truncate(1);
    insta::assert_json_snapshot!(data);
}

/// Every field the templates receive is described in the schema, and nothing else.
#[test]
fn the_schema_describes_the_data() {
    let project = example();
    let survey = project.read_survey(Level::Municipality).unwrap();
    let report = project
        .report(&survey, Subject::Municipality("Silkeborg"), &[])
        .unwrap();
    let data = serde_json::to_value(&report.data).unwrap();
    let schema = document::json_schema(true);
    let mut fields: Vec<&String> = data.as_object().unwrap().keys().collect();
    let mut described: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
    fields.sort();
    described.sort();
    assert_eq!(fields, described);
    assert_eq!(data["version"], document::DATA_VERSION);
    let group = &schema["$defs"]["GroupView"]["properties"];
    for key in [
        "role", "id", "code", "label", "withheld", "n", "percent", "text",
    ] {
        assert!(group.get(key).is_some(), "GroupView lacks {key}: {group}");
    }
}

/// docs/templates.md names every field of the report's data, so the contract is documented
/// field by field.
#[test]
fn the_template_guide_documents_every_field() {
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/templates.md"))
            .unwrap();
    let schema = document::json_schema(true);
    let mut objects = vec![&schema];
    objects.extend(schema["$defs"].as_object().unwrap().values());
    for object in objects {
        for field in object["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            assert!(
                guide.contains(&format!("`{field}`"))
                    || guide.contains(&format!("{field},"))
                    || guide.contains(&format!("{field}}}"))
                    || guide.contains(&format!(" {field} ")),
                "docs/templates.md does not describe `{field}`"
            );
        }
    }
}

#[test]
fn common_counts_the_values_two_sorted_lists_share() {
    assert_eq!(common(&[1, 3, 5, 7], &[2, 3, 7, 8]), 2);
    assert_eq!(common(&[], &[1, 2]), 0);
    assert_eq!(common(&[4], &[4]), 1);
}

#[test]
fn one_rule_names_every_report_file() {
    assert_eq!(
        report_stem(ReportKind::Full, 2026, "silkeborg", None),
        "basisrapport-silkeborg-2026"
    );
    assert_eq!(
        report_stem(ReportKind::KeyFigures, 2026, "silkeborg", Some("byskolen")),
        "noegletal-silkeborg-byskolen-2026"
    );
}
