use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringViewArray};

use super::*;
use crate::survey::{Codebook, QuestionKind, Responses, Severity};

fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The draft with every TODO written, as a person would, and checked as a codebook.
fn filled_in(draft: &Draft) -> Codebook {
    let yaml = draft.yaml.replace(&format!("\"{TODO}\""), "\"Udfyldt\"");
    Codebook::parse(&yaml, Path::new("draft.yaml"))
        .unwrap_or_else(|e| panic!("{e}\n{}", draft.yaml))
}

/// Reads `survey` with `codebook`; panics on any error in the data.
fn read_cleanly(survey: &Path, codebook: &Codebook) -> Responses {
    let (responses, quality) =
        Responses::read(&[survey.to_owned()], codebook, None).expect("the survey reads");
    let errors: Vec<String> = quality
        .issues()
        .filter(|i| i.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    responses
}

#[test]
fn the_example_csv_drafts_a_codebook_that_reads_it() {
    let survey = repo("examples/udskoling-2026-sample.csv");
    let draft = draft(std::slice::from_ref(&survey), None, 2030).unwrap();
    let yaml = &draft.yaml;
    for expected in [
        "survey: \"udskoling-2026-sample\"",
        "round: 2026  # CHECK: the year in the file name",
        "  respondent: \"id\"  # CHECK: guessed from the column name",
        "  municipality: \"kommune\"  # CHECK: guessed from the column name; 6 names: Favrskov, Odder, Samsø, Silkeborg, Skanderborg, …",
        "  school: \"skole\"  # CHECK",
        "  grade:  # CHECK",
        "    column: \"klassetrin\"",
        "  gender:  # CHECK",
        "    column: \"koen\"",
        "missing:  # CHECK: code(s) 98, 99 occur",
        "      - id: \"q34b\"  # CHECK: numeric, as some values are not whole numbers",
        "        range: {min: 5, max: 11}",
        "          - {below: 6, label: \"Under 6\"}",
        "      - id: \"q51b\"\n        kind: multiple",
    ] {
        assert!(yaml.contains(expected), "no `{expected}` in:\n{yaml}");
    }
    assert_eq!(draft.municipality_column.as_deref(), Some("kommune"));
    assert_eq!(draft.municipalities.len(), 6);
    assert!(draft.todo > 100 && draft.checks >= 7, "{draft:?}");

    let codebook = filled_in(&draft);
    assert_eq!(codebook.background.breakdowns.len(), 2);
    assert_eq!(codebook.missing.len(), 2);
    // 75 columns: 5 background, 63 single choice, one numeric and one multiple choice of 6.
    assert_eq!(codebook.questions().count(), 65);
    let q01 = codebook.questions().find(|q| q.id.0 == "q01").unwrap();
    assert!(
        matches!(&q01.kind, QuestionKind::Single { options, .. } if options.len() == 5),
        "{q01:?}"
    );
    let responses = read_cleanly(&survey, &codebook);
    assert_eq!(responses.len(), 4916);
}

#[test]
fn an_spss_file_gives_its_labels_and_declared_missing_values() {
    let survey = repo("tests/testsuite/fixtures/spss/udskoling-sample.sav");
    let draft = draft(std::slice::from_ref(&survey), None, 2030).unwrap();
    let yaml = &draft.yaml;
    for expected in [
        "title: \"Trivsel og sundhed, 7.–9. klasse\"",
        "missing:  # CHECK: declared user-missing in ",
        "  98: \"Ved ikke\"\n  99: \"Ønsker ikke at svare\"",
        "        text: \"Hvordan har du det for det meste?\"",
        "          1: \"Rigtig godt\"",
        "    values:\n      7: \"7. klasse\"",
        "        text: \"Hvad går du til i din fritid? (Sæt gerne flere krydser)\"",
        "          1: \"Sport\"",
    ] {
        assert!(yaml.contains(expected), "no `{expected}` in:\n{yaml}");
    }
    let codebook = filled_in(&draft);
    read_cleanly(&survey, &codebook);
}

/// An SPSS file written here, with labels that would break YAML if they were not quoted.
#[test]
fn any_label_survives_the_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.sav");
    let numbers: ArrayRef = Arc::new(Float64Array::from(vec![Some(1.0), Some(2.0), None]));
    let names: ArrayRef = Arc::new(StringViewArray::from(vec!["Ærø", "Odder", "Ærø"]));
    let batch = RecordBatch::try_from_iter([("kommune", names), ("spm", numbers)]).unwrap();
    let mut metadata = ambers::SpssMetadata::from_arrow_schema(&batch.schema());
    let odd = "Svar: \"ja\" # 'nej' - {a: [b]}\n& *c | > % @ `d` \u{2028} \\ slut";
    metadata.variable_labels.insert("spm".into(), odd.into());
    metadata.variable_value_labels.insert(
        "spm".into(),
        [
            (ambers::Value::Numeric(1.0), "- ja: 1".to_owned()),
            (ambers::Value::Numeric(2.0), "null".to_owned()),
        ]
        .into_iter()
        .collect(),
    );
    ambers::write_sav(&path, &batch, &metadata, ambers::Compression::None, None).unwrap();
    let draft = draft(&[path], None, 2030).unwrap();
    let codebook = filled_in(&draft);
    let question = codebook.questions().next().unwrap();
    assert_eq!(question.text.da, odd);
    let QuestionKind::Single { options, .. } = &question.kind else {
        panic!("{question:?}")
    };
    let labels: Vec<&str> = options.values().map(|t| t.da.as_str()).collect();
    assert_eq!(labels, ["- ja: 1", "null"]);
}

fn csv(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("survey.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn groups_numbers_and_text_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("Kommune_navn;Køn;x_1;x_2;x_3;y_1;alder;note;tom;n\n");
    for i in 0..40 {
        let tick = |k: usize| u8::from((i + k).is_multiple_of(3));
        text.push_str(&format!(
            "{};{};{};{};{};{};{};fri tekst {i};;{}\n",
            if i % 2 == 0 { "Odder" } else { "Samsø" },
            1 + i % 2,
            tick(0),
            tick(1),
            tick(2),
            tick(0),
            10 + i,
            i % 4,
        ));
    }
    let draft = draft(&[csv(dir.path(), &text)], None, 2030).unwrap();
    let yaml = &draft.yaml;
    for expected in [
        "round: 2030  # CHECK: this year",
        "  municipality: \"Kommune_navn\"",
        "  gender:  # CHECK",
        "      - id: \"x\"\n        kind: multiple",
        "      - id: \"y_1\"",
        "      - id: \"alder\"  # CHECK: numeric, as it has more than 20 different values",
        "#   - `note` holds text in 40 cell(s)",
        "#   - `tom` is empty",
        "# missing: no codes",
    ] {
        assert!(yaml.contains(expected), "no `{expected}` in:\n{yaml}");
    }
    let codebook = filled_in(&draft);
    let x = codebook.questions().find(|q| q.id.0 == "x").unwrap();
    assert!(matches!(&x.kind, QuestionKind::Multiple { options, .. } if options.len() == 3));
    read_cleanly(&dir.path().join("survey.csv"), &codebook);
}

#[test]
fn data_without_codes_or_numbers_draft_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = csv(dir.path(), "kommune,navn\nOdder,Anna\n");
    let error = draft(&[path], None, 2030).unwrap_err();
    assert!(
        error.to_string().ends_with(
            "survey.csv: no column holds answer codes or numbers, so there is no question to draft"
        ),
        "{error}"
    );
}
