//! The workbook read back with calamine: sheets, headers, figures, withheld cells and
//! determinism, on a small codebook and a hand-made summary.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use super::*;
use crate::aggregate::{
    ComparisonInfo, Estimate, Figures, Group, GroupCount, GroupFigures, Interval, Level, Method,
    QuestionSummary, Respondents, RoundFigure, SUMMARY_VERSION, Significance, Test, Trend,
    UnitInfo, Withheld,
};
use crate::survey::{Code, QuestionId};

const CODEBOOK: &str = r#"
survey: proeve
title: {da: "Prøve", en: "Trial"}
round: 2026
background:
  municipality: kommune
  gender: {column: koen, values: {1: {da: Dreng, en: Boy}, 2: {da: Pige, en: Girl}}}
missing: {98: {da: "Ved ikke", en: "Don't know"}}
themes:
  - id: trivsel
    title: {da: Trivsel, en: Well-being}
    questions:
      - id: q01
        text: {da: "Hvordan har du det?", en: "How are you?"}
        options: {1: Godt, 2: Skidt}
        positive: [1]
        indicator: {da: "har det godt", en: "feel good"}
      - id: q02
        kind: numeric
        text: "Hvor mange timer sover du?"
        unit: timer
        range: {min: 0, max: 16}
        bins: [{below: 8, label: "Under 8 timer"}, {label: "8 timer eller mere"}]
"#;

fn codebook() -> Codebook {
    Codebook::parse(CODEBOOK, Path::new("proeve.yaml")).unwrap()
}

fn figures(n: u32, percent: &[(u16, f64)], indicator: Option<f64>, mean: Option<f64>) -> Figures {
    Figures {
        n,
        percent: percent.iter().map(|&(c, p)| (Code(c), p)).collect(),
        missing: BTreeMap::from([(Code(98), 5.0)]),
        indicator,
        mean,
        interval: indicator.map(|i| Interval {
            low: (i - 3.0).round(),
            high: (i + 3.0).round(),
            estimate: Estimate::Design,
        }),
    }
}

fn group(group: Group, figures: Result<Figures, Withheld>) -> GroupFigures {
    GroupFigures {
        group,
        figures,
        municipalities: None,
        against: None,
        standardised: None,
    }
}

fn gender(code: u16) -> Group {
    Group::Part {
        breakdown: "gender".into(),
        code: Code(code),
    }
}

/// Samsø (or a school in it), against everyone; girls withheld (as too few), boys withheld
/// in the numeric question (to protect them): the summary carries the same mark for both.
fn summary(school: bool) -> Summary {
    let all = GroupFigures {
        municipalities: Some(6),
        against: Some(Test {
            significance: Significance::Lower,
            method: Method::Design,
            p_value: 0.03,
            q_value: 0.04,
            difference: -9.0,
            relevant: true,
            interval: (-15.0, -3.0),
        }),
        ..group(
            Group::Comparison("all".into()),
            Ok(figures(4760, &[(1, 70.0), (2, 30.0)], Some(70.0), None)),
        )
    };
    let (name, municipality) = match school {
        true => ("Samsø Skole", Some("Samsø".to_owned())),
        false => ("Samsø", None),
    };
    Summary {
        version: SUMMARY_VERSION,
        unit: UnitInfo {
            level: if school {
                Level::School
            } else {
                Level::Municipality
            },
            name: name.into(),
            municipality,
        },
        survey: "proeve".into(),
        round: 2026,
        min_cell: 5,
        relevant_difference: 5.0,
        standardise: Vec::new(),
        comparisons: vec![ComparisonInfo {
            id: "all".into(),
            name: None,
            municipalities: 6,
            excluded: 0,
            respondents: 4916,
        }],
        respondents: Respondents {
            unit: 40,
            groups: vec![
                GroupCount {
                    group: gender(1),
                    n: Ok(36),
                },
                GroupCount {
                    group: gender(2),
                    n: Err(Withheld),
                },
            ],
        },
        questions: vec![
            QuestionSummary {
                id: QuestionId("q01".into()),
                theme: "trivsel".into(),
                groups: vec![
                    group(
                        Group::Unit,
                        Ok(figures(38, &[(1, 60.0), (2, 40.0)], Some(60.0), None)),
                    ),
                    all.clone(),
                    group(
                        gender(1),
                        Ok(figures(35, &[(1, 62.5), (2, 37.5)], Some(62.5), None)),
                    ),
                    group(gender(2), Err(Withheld)),
                ],
                trend: Some(Trend {
                    rounds: vec![
                        RoundFigure {
                            round: 2024,
                            indicator: None,
                            n: None,
                        },
                        RoundFigure {
                            round: 2026,
                            indicator: Some(60.0),
                            n: Some(38),
                        },
                    ],
                    change: None,
                    against: None,
                }),
            },
            QuestionSummary {
                id: QuestionId("q02".into()),
                theme: "trivsel".into(),
                groups: vec![
                    group(
                        Group::Unit,
                        Ok(figures(30, &[(1, 50.0), (2, 50.0)], None, Some(7.5))),
                    ),
                    GroupFigures {
                        against: None,
                        ..all
                    },
                    group(gender(1), Err(Withheld)),
                    group(gender(2), Err(Withheld)),
                ],
                trend: None,
            },
        ],
    }
}

fn workbook(summaries: &[Summary], lang: Lang) -> Vec<u8> {
    let codebook = codebook();
    let tables = Tables {
        codebook: &codebook,
        lang,
        date: "2026-11-22".parse().unwrap(),
        min_cell: 5,
    };
    tables.workbook(summaries).unwrap()
}

/// Every sheet's rows as text (numbers as Rust prints them, empty cells as "").
fn read(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<String>>)> {
    let mut xlsx: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    xlsx.sheet_names()
        .into_iter()
        .map(|name| {
            let range = xlsx.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|row| {
                    row.iter()
                        .map(|cell| match cell {
                            Data::Empty => String::new(),
                            Data::Float(f) => f.to_string(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            (name, rows)
        })
        .collect()
}

fn sheet<'a>(sheets: &'a [(String, Vec<Vec<String>>)], name: &str) -> &'a [Vec<String>] {
    &sheets.iter().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn sheets_and_headers_are_in_the_reports_language() {
    let da = read(workbook(&[summary(false)], Lang::Da));
    let names: Vec<&str> = da.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Fordelinger",
            "Nøgletal",
            "Udvikling",
            "Respondenter",
            "Om tabellerne"
        ]
    );
    assert_eq!(
        sheet(&da, "Fordelinger")[0],
        [
            "Kommune",
            "Tema",
            "Spørgsmål-id",
            "Spørgsmål",
            "Gruppetype",
            "Gruppe",
            "Gruppe-id",
            "n",
            "Svarkode",
            "Svar",
            "Procent af",
            "Procent",
            "Skjult"
        ]
    );
    let en = read(workbook(&[summary(false)], Lang::En));
    let names: Vec<&str> = en.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Distributions",
            "Indicators",
            "Trends",
            "Respondents",
            "About"
        ]
    );
    let distributions = sheet(&en, "Distributions");
    assert_eq!(distributions[0][0], "Municipality");
    assert_eq!(
        distributions[1][1..6],
        ["Well-being", "q01", "How are you?", "Municipality", "Samsø"]
    );
}

#[test]
fn a_row_per_answer_with_the_share_as_a_fraction_and_withheld_cells_empty() {
    let sheets = read(workbook(&[summary(false)], Lang::Da));
    let rows = sheet(&sheets, "Fordelinger");
    // Two questions × four groups × (two answers + one missing code).
    assert_eq!(rows.len(), 1 + 2 * 4 * 3);
    assert_eq!(
        rows[1],
        [
            "Samsø",
            "Trivsel",
            "q01",
            "Hvordan har du det?",
            "Kommune",
            "Samsø",
            "unit",
            "38",
            "1",
            "Godt",
            "gyldige svar",
            "0.6",
            ""
        ]
    );
    // The missing code is a share of all answers.
    assert_eq!(rows[3][8..12], ["98", "Ved ikke", "alle svar", "0.05"]);
    // The comparison `all` is named as in the PDF's tables.
    assert_eq!(
        rows[4][4..7],
        ["Sammenligning", "Alle kommuner", "comparison:all"]
    );
    // The withheld girls: n and percent empty, the mark beside them.
    let girls = &rows[10];
    assert_eq!(girls[4..7], ["Køn", "Pige", "gender:2"]);
    assert_eq!((girls[7].as_str(), girls[11].as_str()), ("", ""));
    assert_eq!(girls[12], "skjult af hensyn til anonymiteten");
    // Numeric questions by bin number, with the bin's label.
    let boys = &rows[19];
    assert_eq!(
        boys[2..10],
        [
            "q02",
            "Hvor mange timer sover du?",
            "Køn",
            "Dreng",
            "gender:1",
            "",
            "1",
            "Under 8 timer"
        ]
    );
    // The boys, withheld for another reason, carry the same mark.
    assert_eq!(boys[12], girls[12]);
}

#[test]
fn indicators_carry_the_tests_against_the_comparisons_and_means() {
    let sheets = read(workbook(&[summary(false)], Lang::En));
    let rows = sheet(&sheets, "Indicators");
    assert_eq!(
        rows[0][5..],
        [
            "Group kind",
            "Group",
            "Group id",
            "n",
            "Share",
            "Mean",
            "Municipalities",
            "Compared with",
            "Share compared with (adjusted, if standardised)",
            "Difference (percentage points)",
            "Significance",
            "Test",
            "p-value",
            "Withheld"
        ]
    );
    // The unit against the main comparison; the comparison: the unit against it.
    for row in &rows[1..=2] {
        assert_eq!(row[4], "Share who feel good");
        assert_eq!(
            row[12..18],
            [
                "All municipalities",
                "0.7",
                "-10",
                "clearly lower",
                "design-based test (schools as clusters)",
                "0.03"
            ]
        );
    }
    assert_eq!(rows[2][11], "6");
    assert_eq!(rows[3][8..13], ["35", "0.625", "", "", ""]);
    assert_eq!(rows[4][18], "withheld to protect anonymity");
    // A numeric question without an indicator: its mean, no test.
    assert_eq!(rows[5][2], "q02");
    assert_eq!(rows[5][8..13], ["30", "", "7.5", "", ""]);
    assert_eq!(rows.len(), 1 + 2 * 4);
}

#[test]
fn trends_respondents_and_about() {
    let sheets = read(workbook(&[summary(false)], Lang::Da));
    let trends = sheet(&sheets, "Udvikling");
    assert_eq!(trends.len(), 3);
    assert_eq!(
        trends[1][5..],
        [
            "2024",
            "",
            "",
            "",
            "",
            "",
            "",
            "ikke offentliggjort i runden"
        ]
    );
    assert_eq!(trends[2][5..9], ["2026", "38", "0.6", ""]);
    let respondents = sheet(&sheets, "Respondenter");
    assert_eq!(respondents[1][1..5], ["Kommune", "Samsø", "unit", "40"]);
    assert_eq!(
        respondents[2][1..7],
        [
            "Sammenligning",
            "Alle kommuner",
            "comparison:all",
            "4916",
            "6",
            "0"
        ]
    );
    assert_eq!(
        respondents[4][3..],
        ["gender:2", "", "", "", "skjult af hensyn til anonymiteten"]
    );
    let about = sheet(&sheets, "Om tabellerne");
    assert_eq!(about[1], ["Undersøgelse", "Prøve"]);
    assert_eq!(about[4], ["Mindste antal svar i en gruppe", "5"]);
}

#[test]
fn schools_get_a_school_column_and_units_keep_their_order() {
    let sheets = read(workbook(&[summary(false), summary(true)], Lang::Da));
    let rows = sheet(&sheets, "Respondenter");
    assert_eq!(rows[0][..3], ["Kommune", "Skole", "Gruppetype"]);
    assert_eq!(rows[1][..4], ["Samsø", "", "Kommune", "Samsø"]);
    assert_eq!(
        rows[5][..4],
        ["Samsø", "Samsø Skole", "Skole", "Samsø Skole"]
    );
    assert_eq!(rows.len(), 1 + 2 * 4);
}

#[test]
fn the_same_figures_give_the_same_bytes_dated_by_the_report() {
    assert_eq!(
        (&Created("2026-11-22".parse().unwrap())).utc_datetime(),
        "2026-11-22T00:00:00Z"
    );
    let first = workbook(&[summary(false)], Lang::Da);
    // rust_xlsxwriter would stamp the second the workbook is made.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(first, workbook(&[summary(false)], Lang::Da));
    // Nothing to show is still a workbook with its headers.
    let empty = read(workbook(&[], Lang::Da));
    assert!(empty.iter().all(|(_, rows)| !rows.is_empty()));
}
