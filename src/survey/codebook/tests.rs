use super::*;

const MINIMAL: &str = r#"
survey: test
title: "Test"
round: 2026
background:
  municipality: kommune
  grade: {column: klassetrin, values: {7: "7. klasse"}}
  gender: {column: koen, values: {1: "Dreng", 2: "Pige"}}
missing: {98: "Ved ikke"}
themes:
  - id: trivsel
    title: "Trivsel"
    questions:
      - id: q01
        text: "Hvordan har du det?"
        options: {1: "Godt", 2: "Skidt"}
        positive: [1]
        indicator: "har det godt"
"#;

fn parse(text: &str) -> Result<Codebook, CodebookError> {
    Codebook::parse(text, Path::new("c.yaml"))
}

#[test]
fn parses_a_minimal_codebook() {
    let codebook = parse(MINIMAL).unwrap();
    assert_eq!(codebook.questions().count(), 1);
    assert_eq!(codebook.missing[&Code(98)].da, "Ved ikke");
}

#[test]
fn texts_lists_every_text_readers_see() {
    let codebook = parse(MINIMAL).unwrap();
    let texts: Vec<&str> = codebook.texts().iter().map(|t| t.da.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Test",
            "Ved ikke",
            "Køn",
            "Dreng",
            "Pige",
            "Klassetrin",
            "7. klasse",
            "Trivsel",
            "Hvordan har du det?",
            "har det godt",
            "Godt",
            "Skidt"
        ]
    );
}

#[test]
fn unknown_key_names_file_line_and_column() {
    let text = MINIMAL.replace("round: 2026", "round: 2026\nrunde: 1");
    let message = parse(&text).unwrap_err().to_string();
    assert!(message.starts_with("c.yaml:5:1: "), "{message}");
    assert!(message.contains("unknown field `runde`"), "{message}");
}

#[test]
fn reports_every_semantic_problem() {
    let text = MINIMAL.replace("positive: [1]", "positive: [3]").replace(
        "{1: \"Godt\", 2: \"Skidt\"}",
        "{1: \"Godt\", 98: \"Skidt\"}",
    );
    let message = parse(&text).unwrap_err().to_string();
    assert!(
        message.contains("positive code 3 is not among its options"),
        "{message}"
    );
    assert!(
        message.contains("option 98 is also a `missing` code"),
        "{message}"
    );
}

#[test]
fn a_theme_and_a_question_may_share_an_id_but_not_two_questions() {
    let text = MINIMAL.replace("- id: q01", "- id: trivsel");
    assert!(parse(&text).is_ok());
    let twice = MINIMAL.replace(
            "        indicator: \"har det godt\"\n",
            "        indicator: \"har det godt\"\n      - {id: q01, text: \"Igen\", options: {1: \"Ja\"}}\n",
        );
    let message = parse(&twice).unwrap_err().to_string();
    assert!(
        message.contains("question `q01` is defined twice"),
        "{message}"
    );
}

#[test]
fn bins_and_missing_codes_together_fit_a_scale() {
    let missing: Vec<String> = (1000..1010).map(|c| format!("{c}: \"M{c}\"")).collect();
    let bins: Vec<String> = (1..250)
        .map(|b| format!("{{below: {b}, label: \"{b}\"}}"))
        .chain(["{label: \"mange\"}".to_owned()])
        .collect();
    let text = MINIMAL
            .replace("{98: \"Ved ikke\"}", &format!("{{{}}}", missing.join(", ")))
            .replace(
                "options: {1: \"Godt\", 2: \"Skidt\"}\n        positive: [1]\n        indicator: \"har det godt\"",
                &format!(
                    "kind: numeric\n        range: {{min: 0, max: 300}}\n        bins: [{}]",
                    bins.join(", ")
                ),
            );
    let message = parse(&text).unwrap_err().to_string();
    assert!(
        message.contains("has more than 255 codes including `missing`"),
        "{message}"
    );
}

#[test]
fn other_kinds_parse_into_their_variants() {
    let text = format!(
        "{MINIMAL}{}",
        r#"
      - id: q02
        kind: multiple
        text: "Hvad går du til?"
        options: {1: "Sport", 2: "Musik"}
      - id: q03
        kind: numeric
        text: "Hvor mange timer sov du?"
        range: {min: 0, max: 24}
        bins: [{below: 7, label: "Under 7"}, {label: "7 eller flere"}]
        threshold: 7
        indicator: "sov mindst 7 timer"
      - id: who5
        kind: index
        text: "WHO-5"
        items: [{id: w1, text: "Glad"}, {id: w2, text: "Rolig"}]
        options: {0: "Aldrig", 5: "Altid"}
        multiplier: 10
        bins: [{below: 50, label: "Lav"}, {label: "Høj"}]
"#
    );
    let codebook = parse(&text).unwrap();
    let kinds: Vec<&QuestionKind> = codebook.questions().map(|q| &q.kind).collect();
    assert!(matches!(kinds[1], QuestionKind::Multiple { .. }));
    assert!(matches!(
        kinds[2],
        QuestionKind::Numeric {
            threshold: Some(7.0),
            ..
        }
    ));
    assert!(matches!(
        kinds[3],
        QuestionKind::Index {
            multiplier: 10.0,
            ..
        }
    ));
    let columns: Vec<Vec<String>> = codebook.questions().map(Question::columns).collect();
    assert_eq!(columns[1], ["q02_1", "q02_2"]);
    assert_eq!(columns[3], ["w1", "w2"]);
}

#[test]
fn kind_specific_fields_are_checked() {
    let text = format!(
        "{MINIMAL}{}",
        r#"
      - id: q03
        kind: numeric
        text: "Timer"
        options: {1: "x"}
        bins: [{label: "Alle"}, {below: 3, label: "Få"}]
        threshold: 7
"#
    );
    let message = parse(&text).unwrap_err().to_string();
    assert!(
        message.contains("`options` does not apply to `kind: numeric`"),
        "{message}"
    );
    assert!(
        message.contains("only the last bin may omit `below`"),
        "{message}"
    );
    assert!(message.contains("needs a `range: {min, max}`"), "{message}");
    assert!(
        message.contains("has a `threshold` but no `indicator` text"),
        "{message}"
    );
}

#[test]
fn key_indicators_are_those_named_or_every_indicator_where_none_is() {
    let second = r#"
      - id: q02
        text: "Er du glad?"
        options: {1: "Ja", 2: "Nej"}
        positive: [1]
        indicator: "er glade"
      - id: q03
        text: "Har du en ven?"
        options: {1: "Ja", 2: "Nej"}
"#;
    let keys = |text: &str| -> Vec<String> {
        let codebook = parse(text).unwrap();
        codebook
            .questions()
            .filter(|q| q.key)
            .map(|q| q.id.0.clone())
            .collect()
    };
    let none_named = format!("{MINIMAL}{second}");
    assert_eq!(
        keys(&none_named),
        ["q01", "q02"],
        "every indicator, no other question"
    );
    let one_named = none_named.replace(
        "indicator: \"er glade\"",
        "indicator: \"er glade\"\n        key: true",
    );
    assert_eq!(keys(&one_named), ["q02"]);
    // q03, the last question, has no indicator.
    let message = parse(&format!("{none_named}        key: true\n"))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("is a `key` indicator but has no `indicator`"),
        "{message}"
    );
}
