//! Hand-worked examples and property tests of the whole aggregation step: CSV text in,
//! privacy-checked figures out.

use std::path::Path;

use proptest::prelude::*;

use super::*;
use crate::survey::{Code, Codebook, Responses};

const CODEBOOK: &str = r#"
survey: t
title: T
round: 2026
background:
  municipality: kommune
  grade: {column: klasse, values: {7: "7.", 8: "8."}}
  gender: {column: koen, values: {1: "Dreng", 2: "Pige"}}
missing: {98: "Ved ikke"}
themes:
  - id: a
    title: A
    questions:
      - {id: q1, text: "?", options: {1: "Ja", 2: "Nej"}, positive: [1], indicator: "siger ja"}
      - {id: q2, text: "?", options: {1: "Ja", 2: "Nej"}}
      - {id: m, kind: multiple, text: "?", options: {1: "A", 2: "B"}, positive: [1], indicator: "A"}
      - id: n
        kind: numeric
        text: "?"
        range: {min: 0, max: 24}
        bins: [{below: 8, label: "<8"}, {label: "8+"}]
        threshold: 8
        indicator: "mindst 8"
"#;

fn codebook() -> Codebook {
    Codebook::parse(CODEBOOK, Path::new("c.yaml")).unwrap()
}

/// Tallies CSV rows `kommune,koen,klasse,q1,q2,m_1,m_2,n`.
fn tally(rows: &[&str]) -> Tally {
    let csv = format!("kommune,koen,klasse,q1,q2,m_1,m_2,n\n{}\n", rows.join("\n"));
    let codebook = codebook();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.csv");
    std::fs::write(&path, csv).unwrap();
    let (responses, quality) = Responses::read(&[path], &codebook, None).unwrap();
    assert_eq!(quality.errors(), 0);
    Tally::count(&codebook, &responses)
}

fn summary(rows: &[&str], municipality: &str) -> Summary {
    let tally = tally(rows);
    let index = tally.find_municipality(municipality).unwrap();
    summarise(&codebook(), &tally, index, None, Options::default())
}

fn group<'a>(summary: &'a Summary, question: &str, group: Group) -> Option<&'a Figures> {
    summary
        .questions
        .iter()
        .find(|q| q.id.0 == question)
        .and_then(|q| q.groups.iter().find(|g| g.group == group))
        .and_then(|g| g.figures.as_ref())
}

/// `count` copies of `row`.
fn rows(count: usize, row: &str) -> Vec<String> {
    vec![row.to_owned(); count]
}

fn table(parts: &[Vec<String>]) -> Vec<String> {
    parts.concat()
}

fn refs(rows: &[String]) -> Vec<&str> {
    rows.iter().map(String::as_str).collect()
}

#[test]
fn hand_worked_distribution_benchmark_and_breakdowns() {
    // A: 6 boys in 7th (4 yes, 2 no), 6 girls in 8th (1 yes, 3 no, 2 "ved ikke").
    // B: 8 boys in 7th, all yes.
    let data = table(&[
        rows(4, "A,1,7,1,1,1,0,7"),
        rows(2, "A,1,7,2,1,0,1,9"),
        rows(1, "A,2,8,1,1,1,1,8"),
        rows(3, "A,2,8,2,1,0,0,6.5"),
        rows(2, "A,2,8,98,1,,,98"),
        rows(8, "B,1,7,1,1,1,0,8"),
    ]);
    let summary = summary(&refs(&data), "A");
    let home = group(&summary, "q1", Group::Municipality).unwrap();
    assert_eq!(home.n, 10);
    assert_eq!(home.percent[&Code(1)], 50.0);
    assert_eq!(home.percent[&Code(2)], 50.0);
    // 2 of the 12 non-blank answers are "ved ikke".
    assert!((home.missing[&Code(98)] - 100.0 / 6.0).abs() < 1e-12);
    assert_eq!(home.indicator, Some(50.0));

    let bench = group(&summary, "q1", Group::Benchmark).unwrap();
    assert_eq!(bench.n, 18);
    assert!((bench.indicator.unwrap() - 1300.0 / 18.0).abs() < 1e-12);

    // Girls (and 8th graders) have 4 valid answers: suppressed. Boys (and 7th graders) would
    // then be the total minus the girls, so they are hidden too.
    let q1 = summary.questions.iter().find(|q| q.id.0 == "q1").unwrap();
    let published: Vec<String> = q1
        .groups
        .iter()
        .filter(|g| g.figures.is_some())
        .map(|g| g.group.to_string())
        .collect();
    assert_eq!(published, ["municipality", "benchmark"]);

    // q2 is answered by all 12: boys 6 and girls 6 are shown.
    let girls = group(&summary, "q2", Group::Gender(Code(2))).unwrap();
    assert_eq!((girls.n, girls.percent[&Code(1)]), (6, 100.0));
    assert_eq!(girls.indicator, None);
}

#[test]
fn multiple_choice_and_numeric_figures() {
    let data = table(&[
        rows(4, "A,1,7,1,1,1,0,7"),
        rows(2, "A,1,7,2,1,0,1,9"),
        rows(1, "A,2,8,1,1,1,1,8"),
        rows(3, "A,2,8,2,1,0,0,6.5"),
        rows(2, "A,2,8,98,1,,,98"),
    ]);
    let summary = summary(&refs(&data), "A");
    let m = group(&summary, "m", Group::Municipality).unwrap();
    // 10 answered; A ticked by 5, B by 3; indicator = ticked A.
    assert_eq!(m.n, 10);
    assert_eq!(m.percent[&Code(1)], 50.0);
    assert_eq!(m.percent[&Code(2)], 30.0);
    assert!(m.missing.is_empty());
    assert_eq!(m.indicator, Some(50.0));

    let n = group(&summary, "n", Group::Municipality).unwrap();
    // Values 7,7,7,7,9,9,8,6.5,6.5,6.5 (and two "ved ikke").
    assert_eq!(n.n, 10);
    assert!((n.mean.unwrap() - 73.5 / 10.0).abs() < 1e-9);
    // Bins: below 8 → 7 values, 8 or more → 3 values.
    assert_eq!(n.percent[&Code(1)], 70.0);
    assert_eq!(n.percent[&Code(2)], 30.0);
    assert_eq!(n.indicator, Some(30.0));
    assert!((n.missing[&Code(98)] - 200.0 / 12.0).abs() < 1e-12);
}

#[test]
fn a_question_without_valid_answers_is_suppressed_everywhere() {
    let data = table(&[rows(10, "A,1,7,98,1,,,"), rows(10, "B,1,7,98,2,,,")]);
    let summary = summary(&refs(&data), "A");
    let q1 = summary.questions.iter().find(|q| q.id.0 == "q1").unwrap();
    assert!(q1.groups.iter().all(|g| g.figures.is_none()));
    assert_eq!(q1.significance, None);
}

#[test]
fn an_empty_group_hides_nothing_else() {
    // No girls at all, no unknown gender: boys are the whole municipality and may be shown.
    let data = rows(12, "A,1,7,1,2,1,0,8");
    let summary = summary(&refs(&data), "A");
    assert_eq!(
        group(&summary, "q1", Group::Gender(Code(1))).map(|g| g.n),
        Some(12)
    );
    assert!(group(&summary, "q1", Group::Gender(Code(2))).is_none());
}

#[test]
fn a_group_exactly_at_the_threshold_is_shown() {
    let data = table(&[rows(5, "A,1,7,1,1,1,0,8"), rows(5, "A,2,8,2,1,1,0,8")]);
    let summary = summary(&refs(&data), "A");
    assert_eq!(
        group(&summary, "q1", Group::Gender(Code(1))).map(|g| g.n),
        Some(5)
    );
    assert_eq!(
        group(&summary, "q1", Group::Gender(Code(2))).map(|g| g.n),
        Some(5)
    );
}

#[test]
fn unknown_background_triggers_secondary_suppression() {
    // 3 pupils without a gender: total − boys − girls would give their answers.
    let data = table(&[
        rows(20, "A,1,7,1,1,1,0,8"),
        rows(30, "A,2,7,2,1,1,0,8"),
        rows(3, "A,,7,1,1,1,0,8"),
    ]);
    let summary = summary(&refs(&data), "A");
    assert!(group(&summary, "q1", Group::Gender(Code(1))).is_none());
    assert_eq!(
        group(&summary, "q1", Group::Gender(Code(2))).map(|g| g.n),
        Some(30)
    );
}

#[test]
fn significance_compares_the_municipality_with_everyone_else() {
    // A: 60 of 100 say yes, B: 45 of 100, as in the z-test example (p = 0.0337).
    let data = table(&[
        rows(60, "A,1,7,1,1,1,0,8"),
        rows(40, "A,2,7,2,1,1,0,8"),
        rows(45, "B,1,7,1,1,1,0,8"),
        rows(55, "B,2,7,2,1,1,0,8"),
    ]);
    let summary = summary(&refs(&data), "A");
    let q1 = summary.questions.iter().find(|q| q.id.0 == "q1").unwrap();
    assert_eq!(q1.significance, Some(Significance::Higher));
    let test = q1.test.unwrap();
    assert!((test.p_value - 0.03367).abs() < 5e-5, "{}", test.p_value);
    // q2 has no indicator and so no test.
    let q2 = summary.questions.iter().find(|q| q.id.0 == "q2").unwrap();
    assert_eq!(q2.significance, None);
}

#[test]
fn trends_compare_with_the_earlier_round() {
    let now = table(&[rows(60, "A,1,7,1,1,1,0,8"), rows(40, "A,2,7,2,1,1,0,8")]);
    let before = table(&[rows(45, "A,1,7,1,1,1,0,8"), rows(55, "A,2,7,2,1,1,0,8")]);
    let (now, before) = (tally(&refs(&now)), tally(&refs(&before)));
    let previous = Previous {
        tally: &before,
        round: 2024,
    };
    let summary = summarise(&codebook(), &now, 0, Some(previous), Options::default());
    let trend = summary.questions[0].previous.as_ref().unwrap();
    assert_eq!(trend.round, 2024);
    assert_eq!(trend.n, 100);
    assert!((trend.indicator - 45.0).abs() < 1e-12);
    assert!((trend.change - 15.0).abs() < 1e-12);
    assert_eq!(trend.significance, Significance::Higher);
}

#[test]
fn data_out_has_the_documented_shape() {
    let data = table(&[rows(6, "A,1,7,1,1,1,0,7"), rows(6, "B,2,8,2,1,1,0,9")]);
    let summary = summary(&refs(&data), "A");
    let json = serde_json::to_value(&summary).unwrap();
    insta::assert_json_snapshot!(json["questions"][0]);
}

/// A random respondent row.
fn row() -> impl Strategy<Value = String> {
    let municipality = prop::sample::select(vec!["A", "B", "C"]);
    let gender = prop::sample::select(vec!["1", "2", ""]);
    let grade = prop::sample::select(vec!["7", "8", ""]);
    let answer = prop::sample::select(vec!["1", "2", "98", ""]);
    (municipality, gender, grade, answer)
        .prop_map(|(m, g, k, a)| format!("{m},{g},{k},{a},1,1,0,8"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn published_figures_are_consistent_and_safe(
        data in prop::collection::vec(row(), 1..80),
        min_cell in 1u32..8,
    ) {
        let rows = refs(&data);
        let tally = tally(&rows);
        let codebook = codebook();
        for municipality in 0..tally.municipalities().len() {
            let summary = summarise(&codebook, &tally, municipality, None, Options { min_cell });
            let q1 = &summary.questions[0];
            let home = q1.groups.iter().find(|g| g.group == Group::Municipality).unwrap();

            // Percentages of every published group add up to 100.
            for g in q1.groups.iter().filter_map(|g| g.figures.as_ref()) {
                let total: f64 = g.percent.values().sum();
                prop_assert!((total - 100.0).abs() < 1e-9, "{total}");
                prop_assert!(g.n >= min_cell);
            }

            // The n's of a breakdown add up to the municipality's n minus unknown background.
            let selection = Selection::municipality(municipality);
            let all = tally.counts(0, selection).valid;
            for (slots, narrow) in [
                (tally.gender_slots(), (|s: Selection, k| Selection { gender: Some(k), ..s }) as fn(Selection, usize) -> Selection),
                (tally.grade_slots(), |s, k| Selection { grade: Some(k), ..s }),
            ] {
                let parts: Vec<u32> = (0..slots).map(|k| tally.counts(0, narrow(selection, k)).valid).collect();
                let unknown = parts[slots - 1];
                prop_assert_eq!(parts[..slots - 1].iter().sum::<u32>(), all - unknown);
            }

            // Nothing below the threshold can be recovered by subtraction.
            if let Some(home) = &home.figures {
                for prefix in ["gender:", "grade:"] {
                    let published: u32 = q1.groups.iter()
                        .filter(|g| g.group.to_string().starts_with(prefix))
                        .filter_map(|g| g.figures.as_ref())
                        .map(|f| f.n)
                        .sum();
                    let hidden = home.n - published;
                    prop_assert!(hidden == 0 || hidden >= min_cell, "{prefix} hidden {hidden}");
                }
            } else {
                prop_assert!(q1.groups.iter()
                    .filter(|g| g.group != Group::Benchmark)
                    .all(|g| g.figures.is_none()));
            }
        }
    }
}
