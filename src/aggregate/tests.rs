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
    Tally::count(&codebook, &responses, Level::Municipality)
}

/// Everyone in the tally, as the comparison "all".
fn everyone(tally: &Tally) -> Vec<ComparisonGroup> {
    vec![ComparisonGroup {
        id: "all".into(),
        name: None,
        members: (0..tally.municipalities().len()).collect(),
    }]
}

/// The figures of municipality `m` against everyone, with earlier rounds `previous`.
fn summarise_with(
    tally: &Tally,
    pattern: &Pattern,
    m: usize,
    previous: &[Previous<'_>],
) -> Result<Summary, NoReport> {
    let codebook = codebook();
    let source = Source {
        codebook: &codebook,
        tally,
        pattern,
        previous,
        relevant: crate::aggregate::DEFAULT_RELEVANT_DIFFERENCE,
        standardise: &[],
    };
    summarise(source, UnitRef::Municipality(m), &everyone(tally))
}

const BENCHMARK: fn() -> Group = || Group::Comparison("all".into());

fn gender(code: u16) -> Group {
    Group::Part {
        breakdown: "gender".into(),
        code: Code(code),
    }
}

fn summary(rows: &[&str], municipality: &str) -> Summary {
    let tally = tally(rows);
    let pattern = Pattern::of(&tally, DEFAULT_MIN_CELL);
    let index = tally.find_municipality(municipality).unwrap();
    summarise_with(&tally, &pattern, index, &[]).unwrap()
}

fn group<'a>(summary: &'a Summary, question: &str, group: &Group) -> Option<&'a Figures> {
    summary
        .questions
        .iter()
        .find(|q| q.id.0 == question)
        .and_then(|q| q.groups.iter().find(|g| &g.group == group))
        .and_then(|g| g.figures.as_ref().ok())
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
    let home = group(&summary, "q1", &Group::Unit).unwrap();
    assert_eq!(home.n, 10);
    assert_eq!(home.percent[&Code(1)], 50.0);
    assert_eq!(home.percent[&Code(2)], 50.0);
    // 2 of the 12 non-blank answers are "ved ikke".
    assert!((home.missing[&Code(98)] - 100.0 / 6.0).abs() < 1e-12);
    assert_eq!(home.indicator, Some(50.0));

    let bench = group(&summary, "q1", &BENCHMARK()).unwrap();
    assert_eq!(bench.n, 18);
    assert!((bench.indicator.unwrap() - 1300.0 / 18.0).abs() < 1e-12);

    // Girls (and 8th graders) have 4 valid answers: suppressed. Boys (and 7th graders) would
    // then be the total minus the girls, so they are hidden too.
    let q1 = summary.questions.iter().find(|q| q.id.0 == "q1").unwrap();
    let published: Vec<String> = q1
        .groups
        .iter()
        .filter(|g| g.figures.is_ok())
        .map(|g| g.group.to_string())
        .collect();
    assert_eq!(published, ["unit", "comparison:all"]);

    // q2 is answered by all 12: boys 6 and girls 6 are shown.
    let girls = group(&summary, "q2", &gender(2)).unwrap();
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
    let m = group(&summary, "m", &Group::Unit).unwrap();
    // 10 answered; A ticked by 5, B by 3; indicator = ticked A.
    assert_eq!(m.n, 10);
    assert_eq!(m.percent[&Code(1)], 50.0);
    assert_eq!(m.percent[&Code(2)], 30.0);
    assert!(m.missing.is_empty());
    assert_eq!(m.indicator, Some(50.0));

    let n = group(&summary, "n", &Group::Unit).unwrap();
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
fn a_question_without_valid_answers_shows_no_shares() {
    let data = table(&[rows(10, "A,1,7,98,1,,,"), rows(10, "B,1,7,98,2,,,")]);
    let summary = summary(&refs(&data), "A");
    let home = group(&summary, "q1", &Group::Unit).unwrap();
    assert_eq!(home.n, 0);
    assert!(home.percent.is_empty());
    assert_eq!(home.indicator, None);
    // Everybody answered "ved ikke".
    assert_eq!(home.missing[&Code(98)], 100.0);
    assert_eq!(against(&summary, "q1"), None);
}

/// The unit against "all" for `question`.
fn against(summary: &Summary, question: &str) -> Option<Test> {
    summary
        .questions
        .iter()
        .find(|q| q.id.0 == question)
        .and_then(|q| q.groups.iter().find(|g| g.group == BENCHMARK()))
        .and_then(|g| g.against)
}

#[test]
fn an_empty_group_hides_nothing_else() {
    // No girls at all, no unknown gender: boys are the whole municipality and may be shown.
    let data = rows(12, "A,1,7,1,2,1,0,8");
    let summary = summary(&refs(&data), "A");
    assert_eq!(group(&summary, "q1", &gender(1)).map(|g| g.n), Some(12));
    assert_eq!(group(&summary, "q1", &gender(2)).map(|g| g.n), Some(0));
}

#[test]
fn a_group_with_respondents_but_no_answers_is_withheld() {
    // Ten girls, none of whom answered q1: were their 0 shown, every withheld group of q1
    // would be known to hold an answer, and with the respondents table's counts that can
    // pin one (see `caps_and_floors_alone_pin_nothing`).
    let data = table(&[rows(10, "A,1,7,1,2,1,0,8"), rows(10, "A,2,7,,2,1,0,8")]);
    let summary = summary(&refs(&data), "A");
    assert_eq!(group(&summary, "q1", &gender(1)).map(|g| g.n), Some(10));
    assert_eq!(group(&summary, "q1", &gender(2)), None);
    assert_eq!(group(&summary, "q2", &gender(2)).map(|g| g.n), Some(10));
}

#[test]
fn a_municipality_with_fewer_respondents_than_the_threshold_gets_no_report() {
    let data = table(&[rows(3, "A,1,7,1,1,1,0,8"), rows(20, "B,2,8,2,1,1,0,8")]);
    let tally = tally(&refs(&data));
    let pattern = Pattern::of(&tally, 5);
    let error = summarise_with(&tally, &pattern, 0, &[]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "A gets no report: its figures are withheld to protect the anonymity of the \
         respondents (figures are published only for groups of at least 5 respondents, and \
         only where no smaller group can be worked out from them)"
    );
    // B's benchmark is B alone: A's 3 cannot be had as "all" minus B.
    let b = summarise_with(&tally, &pattern, 1, &[]).unwrap();
    assert_eq!(b.comparisons[0].respondents, 20);
    assert_eq!(b.comparisons[0].excluded, 1);
    let bench = group(&b, "q1", &BENCHMARK()).unwrap();
    assert_eq!(bench.n, 20);
    let q1 = &b.questions[0].groups;
    assert_eq!(
        q1.iter()
            .find(|g| g.group == BENCHMARK())
            .unwrap()
            .municipalities,
        Some(1)
    );
}

#[test]
fn a_group_exactly_at_the_threshold_is_shown() {
    let data = table(&[rows(5, "A,1,7,1,1,1,0,8"), rows(5, "A,2,8,2,1,1,0,8")]);
    let summary = summary(&refs(&data), "A");
    assert_eq!(group(&summary, "q1", &gender(1)).map(|g| g.n), Some(5));
    assert_eq!(group(&summary, "q1", &gender(2)).map(|g| g.n), Some(5));
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
    assert!(group(&summary, "q1", &gender(1)).is_none());
    assert_eq!(group(&summary, "q1", &gender(2)).map(|g| g.n), Some(30));
}

#[test]
fn significance_compares_the_municipality_with_everyone_else() {
    // A: 60 of 100 say yes, B: 45 of 100; without schools every pupil is a cluster, and R's
    // svyglm(y ~ inunit, svydesign(ids = ~1, data = d), family = quasibinomial()) gives
    // p = 0.03607 for `inunit`. The report tests three indicators against everyone, so
    // Benjamini–Hochberg makes that q = 3 · 0.03607 = 0.108: not clear enough to mark, and
    // the interval of the difference (≈ 1 to 29 points) cannot rule out a relevant one.
    let data = table(&[
        rows(60, "A,1,7,1,1,1,0,8"),
        rows(40, "A,2,7,2,1,1,0,8"),
        rows(45, "B,1,7,1,1,1,0,8"),
        rows(55, "B,2,7,2,1,1,0,8"),
    ]);
    let summary = summary(&refs(&data), "A");
    let test = against(&summary, "q1").unwrap();
    assert!(
        (test.p_value - 0.036_069_829_6).abs() < 1e-9,
        "{}",
        test.p_value
    );
    assert!((test.q_value - 3.0 * test.p_value).abs() < 1e-12);
    // The reader sees A (60 %) beside everyone (52.5 %): the difference printed and judged
    // for relevance is 7.5 points, half the 15 between A and B.
    assert!((test.difference - 7.5).abs() < 1e-12);
    assert!(test.relevant);
    assert_eq!(test.significance, Significance::Unclear);
    // q2 has no indicator and so no test.
    assert_eq!(against(&summary, "q2"), None);
}

#[test]
fn trends_compare_with_the_earlier_round() {
    // 75 % now against 45 % before: 30 points, clear even after adjusting for the three
    // indicators' trends.
    let now = table(&[rows(75, "A,1,7,1,1,1,0,8"), rows(25, "A,2,7,2,1,1,0,8")]);
    let before = table(&[rows(45, "A,1,7,1,1,1,0,8"), rows(55, "A,2,7,2,1,1,0,8")]);
    let (now, before) = (tally(&refs(&now)), tally(&refs(&before)));
    let before_pattern = Pattern::of(&before, DEFAULT_MIN_CELL);
    let previous = Previous {
        tally: &before,
        pattern: &before_pattern,
        round: 2024,
    };
    let pattern = Pattern::of(&now, DEFAULT_MIN_CELL);
    let summary = summarise_with(&now, &pattern, 0, &[previous]).unwrap();
    let trend = summary.questions[0].trend.as_ref().unwrap();
    assert_eq!(trend.rounds[0].round, 2024);
    assert_eq!(trend.rounds[0].n, Some(100));
    assert!((trend.rounds[0].indicator.unwrap() - 45.0).abs() < 1e-12);
    assert_eq!(trend.rounds[1].round, 2026);
    assert!((trend.change.unwrap() - 30.0).abs() < 1e-12);
    assert_eq!(trend.against.unwrap().significance, Significance::Higher);
    // The summary states it, and no other: the multiple-choice "A" stayed at 100 %.
    let changes = changes(&summary, &codebook());
    assert_eq!(changes.len(), 1, "{changes:?}");
    let change = &changes[0];
    assert_eq!(change.question.0, "q1");
    assert_eq!(
        (change.previous_round, change.previous, change.current),
        (2024, 45.0, 75.0)
    );
    // The codebook does not say whether "ja" is better.
    assert_eq!(change.direction, Direction::Neutral);
}

#[test]
fn data_out_has_the_documented_shape() {
    let data = table(&[rows(6, "A,1,7,1,1,1,0,7"), rows(6, "B,2,8,2,1,1,0,9")]);
    let summary = summary(&refs(&data), "A");
    let json = serde_json::to_value(&summary).unwrap();
    insta::assert_json_snapshot!(json["questions"][0]);
}

#[test]
fn the_summary_states_a_gap_only_where_intervals_are_apart_and_it_is_relevant() {
    // In A, 35 of 40 boys and 5 of 40 girls say yes to q1: a gap of 75 points. Both grades
    // are alike (half of each gender in each), so there is no grade gap.
    let wide = table(&[
        rows(18, "A,1,7,1,1,1,0,8"),
        rows(17, "A,1,8,1,1,1,0,8"),
        rows(2, "A,1,7,2,1,1,0,8"),
        rows(3, "A,1,8,2,1,1,0,8"),
        rows(3, "A,2,7,1,1,1,0,8"),
        rows(2, "A,2,8,1,1,1,0,8"),
        rows(17, "A,2,7,2,1,1,0,8"),
        rows(18, "A,2,8,2,1,1,0,8"),
        rows(40, "B,1,7,1,1,1,0,8"),
    ]);
    let wide = summary(&refs(&wide), "A");
    let gaps = gaps(&wide);
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    let gap = &gaps[0];
    assert_eq!(
        (gap.question.0.as_str(), gap.breakdown.as_str()),
        ("q1", "gender")
    );
    assert_eq!((gap.high, gap.low), ((Code(1), 87.5), (Code(2), 12.5)));
    assert_eq!(gap.printed(), 75);

    // 22 of 40 boys and 18 of 40 girls: 10 points, but the intervals overlap.
    let close = table(&[
        rows(22, "A,1,7,1,1,1,0,8"),
        rows(18, "A,1,8,2,1,1,0,8"),
        rows(18, "A,2,7,1,1,1,0,8"),
        rows(22, "A,2,8,2,1,1,0,8"),
        rows(40, "B,1,7,1,1,1,0,8"),
    ]);
    let close = summary(&refs(&close), "A");
    let gaps = super::gaps(&close);
    assert!(gaps.iter().all(|g| g.breakdown != "gender"), "{gaps:?}");
    // The grades differ completely (every 7th grader says yes, no 8th grader does).
    assert!(
        gaps.iter()
            .any(|g| g.breakdown == "grade" && g.printed() == 100)
    );
}

#[test]
fn a_trend_needs_the_figure_published_in_both_rounds() {
    let now = table(&[rows(60, "A,1,7,1,1,1,0,8"), rows(40, "A,2,7,2,1,1,0,8")]);
    // The earlier round had 3 answers to q1 (the rest blank): withheld there.
    let before = table(&[rows(3, "A,1,7,1,1,1,0,8"), rows(40, "A,2,7,,1,1,0,8")]);
    let (now, before) = (tally(&refs(&now)), tally(&refs(&before)));
    let before_pattern = Pattern::of(&before, DEFAULT_MIN_CELL);
    let previous = Previous {
        tally: &before,
        pattern: &before_pattern,
        round: 2024,
    };
    let pattern = Pattern::of(&now, DEFAULT_MIN_CELL);
    let summary = summarise_with(&now, &pattern, 0, &[previous]).unwrap();
    let trend = summary.questions[0].trend.as_ref().unwrap();
    // The earlier round is a gap: no figure, no change.
    assert_eq!(trend.rounds[0].indicator, None);
    assert_eq!(trend.change, None);
    assert!(trend.rounds[1].indicator.is_some());
}

// -------------------------------------------------------------------------------------------
// The attacker: every figure of every municipality's report (as `--data-out` has them), solved
// together by exact elimination.

/// A random respondent: municipality, gender, grade, an answer to q1 (valid, "ved ikke" or
/// blank) and one to q2 (always valid, so that q2's answers coincide with the respondents
/// table and the two tables are linked).
fn row() -> impl Strategy<Value = String> {
    let municipality = prop::sample::select(vec!["A", "B", "C"]);
    let gender = prop::sample::select(vec!["1", "2", ""]);
    let grade = prop::sample::select(vec!["7", "8", ""]);
    let answer = prop::sample::select(vec!["1", "2", "98", ""]);
    let always = prop::sample::select(vec!["1", "2"]);
    (municipality, gender, grade, answer, always)
        .prop_map(|(m, g, k, a, b)| format!("{m},{g},{k},{a},{b},1,0,8"))
}

/// What an outsider holding every report knows about one measure: the inner cells each
/// published figure sums, and the true count of every inner cell (to judge what he finds).
struct Relations {
    name: &'static str,
    vectors: Vec<Vec<usize>>,
    counts: Vec<u32>,
    /// What the integer attacker knows besides: the withheld groups whose count he may not
    /// pin (where `counts` is what their figures are based on), those known not to be empty
    /// in `counts`, and the caps.
    withheld: Vec<Vec<usize>>,
    nonempty: Vec<Vec<usize>>,
    caps: Vec<(Vec<usize>, u32)>,
    /// The municipality of each inner cell: sums over several municipalities (comparison
    /// groups, checked to be sums of published municipalities) are left to the linear
    /// attacker, so that the integer attacker can take one municipality at a time.
    municipality: Vec<usize>,
}

impl Relations {
    /// Runs both attackers.
    fn assert_safe(&self, min_cell: u32) {
        assert_nothing_small_can_be_computed(self, min_cell);
        let local = |group: &&Vec<usize>| {
            group
                .windows(2)
                .all(|w| self.municipality[w[0]] == self.municipality[w[1]])
        };
        let known = attacker::Known {
            published: self.vectors.iter().filter(local).cloned().collect(),
            withheld: self.withheld.iter().filter(local).cloned().collect(),
            nonempty: self.nonempty.iter().filter(local).cloned().collect(),
            caps: self
                .caps
                .iter()
                .filter(|(g, _)| local(&g))
                .cloned()
                .collect(),
        };
        attacker::assert_nothing_pinned(self.name, &known, &self.counts, min_cell);
    }
}

/// The groups of question `q` (and, with `people`, of the respondents tables) withheld in
/// the reports, and the whole of every municipality without a report.
fn withheld(
    tally: &Tally,
    summaries: &[Option<Summary>],
    q: Option<usize>,
    people: bool,
) -> Vec<Vec<usize>> {
    let mut vectors = Vec::new();
    for (m, summary) in summaries.iter().enumerate() {
        let Some(summary) = summary else {
            vectors.push(cells_of(tally, m, &Group::Unit));
            continue;
        };
        if people {
            for count in summary.respondents.groups.iter().filter(|c| c.n.is_err()) {
                vectors.push(cells_of(tally, m, &count.group));
            }
        }
        if let Some(q) = q {
            for g in summary.questions[q]
                .groups
                .iter()
                .filter(|g| g.figures.is_err())
            {
                if !matches!(g.group, Group::Comparison(_)) {
                    vectors.push(cells_of(tally, m, &g.group));
                }
            }
        }
    }
    vectors
}

/// The published respondents groups with their counts: the most answers a question's
/// group can have.
fn caps(vectors: Vec<Vec<usize>>, respondents: &[u32]) -> Vec<(Vec<usize>, u32)> {
    vectors
        .into_iter()
        .map(|g| {
            let n = g.iter().map(|&c| respondents[c]).sum();
            (g, n)
        })
        .collect()
}

/// What every report of a file publishes about q1 and about its respondents (with the
/// questions everyone answered, which count the same pupils), as sets of inner cells, and
/// the true count of every inner cell.
struct Reports {
    q1: Vec<Vec<usize>>,
    q1_withheld: Vec<Vec<usize>>,
    /// The respondents tables and the questions everyone answered.
    linked: Vec<Vec<usize>>,
    /// What the respondents tables withhold: the questions everyone answered withhold at
    /// least that, and a group they withhold beyond it has its count (everyone answered
    /// them) in the respondents table.
    linked_withheld: Vec<Vec<usize>>,
    /// The groups whose respondents are published, with that count: the most a question's
    /// group can hold.
    people: Vec<(Vec<usize>, u32)>,
    q1_valid: Vec<u32>,
    q1_answered: Vec<u32>,
    respondents: Vec<u32>,
    /// The municipality of each inner cell.
    municipality: Vec<usize>,
}

impl Reports {
    /// Attacks q1's valid answers, its non-blank answers and the respondents, one measure at
    /// a time: panics on a disclosure.
    fn assert_safe(self, min_cell: u32) {
        let q1_nonempty = self.known_answered();
        for relations in [
            Relations {
                name: "q1 valid",
                vectors: self.q1.clone(),
                counts: self.q1_valid,
                withheld: self.q1_withheld,
                nonempty: Vec::new(),
                caps: self.people.clone(),
                municipality: self.municipality.clone(),
            },
            Relations {
                name: "q1 non-blank",
                vectors: self.q1,
                counts: self.q1_answered,
                withheld: Vec::new(),
                nonempty: q1_nonempty,
                caps: self.people,
                municipality: self.municipality.clone(),
            },
            Relations {
                name: "respondents and the questions everyone answered",
                vectors: self.linked,
                counts: self.respondents,
                withheld: self.linked_withheld.clone(),
                nonempty: self.linked_withheld,
                caps: Vec::new(),
                municipality: self.municipality,
            },
        ] {
            relations.assert_safe(min_cell);
        }
    }

    /// The withheld groups of q1 that an outsider knows to hold answers: those the
    /// respondents table publishes, if the reports ever show a group with respondents but no
    /// answers as 0 (a withheld one must then have some); none otherwise.
    fn known_answered(&self) -> Vec<Vec<usize>> {
        let sum = |group: &[usize], counts: &[u32]| group.iter().map(|&c| counts[c]).sum::<u32>();
        let zeros_shown = self
            .q1
            .iter()
            .any(|g| sum(g, &self.q1_answered) == 0 && sum(g, &self.respondents) > 0);
        if !zeros_shown {
            return Vec::new();
        }
        self.q1_withheld
            .iter()
            .filter(|g| !self.linked_withheld.contains(g))
            .cloned()
            .collect()
    }
}

/// The inner cells (over the whole file) that a group of municipality `m` sums.
fn cells_of(tally: &Tally, m: usize, group: &Group) -> Vec<usize> {
    let inner = tally.inner_cells();
    let slot = |code: &Code, codes: &[u16]| codes.iter().position(|&c| c == code.0).unwrap();
    (0..inner)
        .filter(|&local| match group {
            Group::Unit | Group::Comparison(_) => true,
            Group::Part { breakdown, code } if breakdown == "gender" => {
                tally.slot_of(local, 0) == slot(code, &[1, 2])
            }
            Group::Part { code, .. } => tally.slot_of(local, 1) == slot(code, &[7, 8]),
        })
        .map(|local| m * inner + local)
        .collect()
}

/// The published relations of question `q` (and, with `people`, of the respondents tables)
/// in every report, with the benchmark checked to be the sum of the published municipalities.
fn published(
    tally: &Tally,
    summaries: &[Option<Summary>],
    q: Option<usize>,
    people: bool,
) -> Vec<Vec<usize>> {
    let mut vectors = Vec::new();
    let mut reported = Vec::new();
    for (m, summary) in summaries.iter().enumerate() {
        let Some(summary) = summary else { continue };
        reported.push(m);
        if people {
            vectors.push(cells_of(tally, m, &Group::Unit));
            for count in &summary.respondents.groups {
                if count.n.is_ok() {
                    vectors.push(cells_of(tally, m, &count.group));
                }
            }
        }
        if let Some(q) = q {
            for g in &summary.questions[q].groups {
                if g.figures.is_ok() && g.group != BENCHMARK() {
                    vectors.push(cells_of(tally, m, &g.group));
                }
            }
        }
    }
    let union = |ms: &[usize]| -> Vec<usize> {
        ms.iter()
            .flat_map(|&m| cells_of(tally, m, &Group::Unit))
            .collect()
    };
    if people {
        let any = summaries.iter().flatten().next();
        if let Some(summary) = any {
            let sum: u32 = reported
                .iter()
                .map(|&m| summaries[m].as_ref().unwrap().respondents.unit)
                .sum();
            assert_eq!(summary.comparisons[0].respondents, sum);
            vectors.push(union(&reported));
        }
    }
    if let Some(q) = q {
        let home_n = |m: usize| {
            summaries[m].as_ref().and_then(|s| {
                let g = s.questions[q]
                    .groups
                    .iter()
                    .find(|g| g.group == Group::Unit)?;
                g.figures.as_ref().ok().map(|f| f.n)
            })
        };
        let members: Vec<usize> = reported
            .iter()
            .copied()
            .filter(|&m| home_n(m).is_some())
            .collect();
        for summary in summaries.iter().flatten() {
            let bench = summary.questions[q]
                .groups
                .iter()
                .find(|g| g.group == BENCHMARK())
                .unwrap();
            let n = bench.figures.as_ref().unwrap().n;
            assert_eq!(n, members.iter().map(|&m| home_n(m).unwrap()).sum::<u32>());
            assert_eq!(bench.municipalities, Some(members.len()));
        }
        vectors.push(union(&members));
    }
    vectors
}

/// Integer row-echelon elimination (each row zero at the earlier rows' pivots).
fn reduce(basis: &[(usize, Vec<i128>)], mut v: Vec<i128>) -> Vec<i128> {
    for (pivot, row) in basis {
        if v[*pivot] != 0 {
            let (a, b) = (row[*pivot], v[*pivot]);
            for (x, r) in v.iter_mut().zip(row) {
                *x = a * *x - b * r;
            }
            let g = v.iter().fold(0i128, |g, &x| gcd(g, x.abs()));
            if g > 1 {
                v.iter_mut().for_each(|x| *x /= g);
            }
        }
    }
    v
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Panics if any set of inner cells with 1..min_cell−1 respondents can be computed from the
/// relations, even by an attacker who knows which cells are empty (and so may weigh those
/// freely).
fn assert_nothing_small_can_be_computed(relations: &Relations, min_cell: u32) {
    let occupied: Vec<usize> = (0..relations.counts.len())
        .filter(|&c| relations.counts[c] > 0)
        .collect();
    let project = |cells: &[usize]| -> Vec<i128> {
        occupied
            .iter()
            .map(|c| i128::from(cells.contains(c)))
            .collect()
    };
    let mut basis: Vec<(usize, Vec<i128>)> = Vec::new();
    for vector in &relations.vectors {
        let v = reduce(&basis, project(vector));
        if let Some(pivot) = v.iter().position(|&x| x != 0) {
            basis.push((pivot, v));
        }
    }
    let small: Vec<usize> = occupied
        .iter()
        .copied()
        .filter(|&c| relations.counts[c] < min_cell)
        .collect();
    // Every set of small cells holding fewer than min_cell respondents.
    let mut stack: Vec<(usize, Vec<usize>, u32)> = vec![(0, Vec::new(), 0)];
    while let Some((from, set, total)) = stack.pop() {
        if total > 0 && reduce(&basis, project(&set)).iter().all(|&x| x == 0) {
            panic!(
                "{}: inner cells {set:?} ({total} respondents) can be computed",
                relations.name
            );
        }
        for (i, &cell) in small.iter().enumerate().skip(from) {
            let total = total + relations.counts[cell];
            if total < min_cell {
                let mut set = set.clone();
                set.push(cell);
                stack.push((i + 1, set, total));
            }
        }
    }
}

/// Every report of a file of municipalities (rows as [`row`] makes them), attacked: panics
/// on a disclosure.
fn attack_municipality_reports(rows: &[&str], min_cell: u32) {
    let tally = tally(rows);
    let pattern = Pattern::of(&tally, min_cell);
    let summaries: Vec<Option<Summary>> = (0..tally.municipalities().len())
        .map(|m| summarise_with(&tally, &pattern, m, &[]).ok())
        .collect();
    let by_cell = |measure: &dyn Fn(usize) -> Vec<u32>| -> Vec<u32> {
        (0..tally.municipalities().len())
            .flat_map(measure)
            .collect()
    };
    let respondents = by_cell(&|m| tally.respondents_by_cell(tally.units_of(m)).to_vec());
    let q1_valid = by_cell(&|m| tally.answers_by_cell(0, tally.units_of(m)).0);
    let q1_answered = by_cell(&|m| tally.answers_by_cell(0, tally.units_of(m)).1);
    assert_eq!(
        &by_cell(&|m| tally.answers_by_cell(1, tally.units_of(m)).0),
        &respondents
    );

    let q1 = published(&tally, &summaries, Some(0), false);
    // q2, the multiple-choice m and the numeric n are answered by everyone, just like the
    // respondents table counts them.
    let mut linked = published(&tally, &summaries, Some(1), true);
    for q in [2, 3] {
        assert_eq!(
            &by_cell(&|m| tally.answers_by_cell(q, tally.units_of(m)).0),
            &respondents
        );
        linked.extend(published(&tally, &summaries, Some(q), false));
    }
    let municipality: Vec<usize> = (0..respondents.len())
        .map(|c| c / tally.inner_cells())
        .collect();
    let people = caps(published(&tally, &summaries, None, true), &respondents);
    let q1_withheld = withheld(&tally, &summaries, Some(0), false);
    let linked_withheld = withheld(&tally, &summaries, None, true);
    Reports {
        q1,
        q1_withheld,
        linked,
        linked_withheld,
        people,
        q1_valid,
        q1_answered,
        respondents,
        municipality,
    }
    .assert_safe(min_cell);
}

proptest! {
    #![proptest_config(attacker::config(256))]

    /// Random small populations (three municipalities, groups of 0–8 pupils, unknown gender
    /// and grade, missing codes and blanks): an outsider with every report's figures, solving
    /// all of them together exactly and reasoning with whole numbers and bounds, cannot pin
    /// the answers of any set of 1..min_cell−1 pupils nor any withheld count, in valid
    /// answers, non-blank answers or respondents.
    #[test]
    fn no_report_of_the_file_discloses_a_small_group(
        data in prop::collection::vec(row(), 1..70),
        min_cell in 2u32..7,
    ) {
        attack_municipality_reports(&refs(&data), min_cell);
    }
}

// -------------------------------------------------------------------------------------------
// The attacker against every municipality report and every school report of a file with
// schools, with a region-like comparison group besides "all".

/// A random respondent with a school: municipality, school (or none), gender, grade, q1
/// (valid, "ved ikke" or blank) and q2 (always valid).
fn school_row() -> impl Strategy<Value = String> {
    let municipality = prop::sample::select(vec!["A", "B", "C"]);
    let school = prop::sample::select(vec!["S1", "S2", "S3", ""]);
    let gender = prop::sample::select(vec!["1", "2", ""]);
    let grade = prop::sample::select(vec!["7", "8", ""]);
    let answer = prop::sample::select(vec!["1", "2", "98", ""]);
    let always = prop::sample::select(vec!["1", "2"]);
    (municipality, school, gender, grade, answer, always)
        .prop_map(|(m, s, g, k, a, b)| format!("{m},{s},{g},{k},{a},{b},1,0,8"))
}

fn school_codebook() -> Codebook {
    let text = CODEBOOK.replace(
        "  municipality: kommune\n",
        "  municipality: kommune\n  school: skole\n",
    );
    Codebook::parse(&text, Path::new("c.yaml")).unwrap()
}

/// Tallies CSV rows `kommune,skole,koen,klasse,q1,q2,m_1,m_2,n` at school level and at
/// municipality level.
fn school_tallies(rows: &[&str]) -> (Tally, Tally) {
    let csv = format!(
        "kommune,skole,koen,klasse,q1,q2,m_1,m_2,n\n{}\n",
        rows.join("\n")
    );
    let codebook = school_codebook();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.csv");
    std::fs::write(&path, csv).unwrap();
    let (responses, quality) = Responses::read(&[path], &codebook, None).unwrap();
    assert_eq!(quality.errors(), 0);
    (
        Tally::count(&codebook, &responses, Level::School),
        Tally::count(&codebook, &responses, Level::Municipality),
    )
}

/// How the municipality reports of a file with schools are decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Municipal {
    /// As `report build` decides them where the round publishes school reports: a
    /// municipality-level tally with the school-level system's decisions
    /// ([`Pattern::municipal`]).
    Together,
    /// In a municipality-level system of their own: not protected together with the school
    /// reports.
    Alone,
}

/// The global cells (unit × inner cell) of `group` of a report on `unit`, where comparison
/// groups are checked to be the sum of their published municipalities' wholes.
fn cells_at(tally: &Tally, unit: UnitRef, group: &Group, members: &[usize]) -> Vec<usize> {
    let inner = tally.inner_cells();
    let units: Vec<usize> = match (unit, group) {
        (_, Group::Comparison(_)) => members.iter().flat_map(|&m| tally.units_of(m)).collect(),
        (UnitRef::Municipality(m), _) => tally.units_of(m).collect(),
        (UnitRef::School(s), _) => vec![tally.unit_of_school(s)],
    };
    let slot = |code: &Code, codes: &[u16]| codes.iter().position(|&c| c == code.0).unwrap();
    units
        .into_iter()
        .flat_map(|u| (0..inner).map(move |local| (u, local)))
        .filter(|&(_, local)| match group {
            Group::Part { breakdown, code } if breakdown == "gender" => {
                tally.slot_of(local, 0) == slot(code, &[1, 2])
            }
            Group::Part { code, .. } => tally.slot_of(local, 1) == slot(code, &[7, 8]),
            _ => true,
        })
        .map(|(u, local)| u * inner + local)
        .collect()
}

/// Every municipality and school report of a file with schools (rows as [`school_row`]
/// makes them), the municipality reports decided as `municipal` says, attacked: panics on a
/// disclosure.
fn attack_school_reports(rows: &[&str], min_cell: u32, municipal: Municipal) {
    let (tally, municipality_tally) = school_tallies(rows);
    let codebook = school_codebook();
    let pattern = Pattern::of(&tally, min_cell);
    let municipality_pattern = match municipal {
        Municipal::Together => pattern.municipal(),
        Municipal::Alone => Pattern::of(&municipality_tally, min_cell),
    };
    assert_eq!(municipality_tally.municipalities(), tally.municipalities());
    let municipalities = tally.municipalities().len();
    let region: Vec<usize> = (0..municipalities)
        .filter(|&m| tally.municipalities()[m] != "C")
        .collect();
    let comparisons_of = |unit: UnitRef| -> Vec<ComparisonGroup> {
        let all = ComparisonGroup {
            id: "all".into(),
            name: None,
            members: (0..municipalities).collect(),
        };
        match unit {
            UnitRef::Municipality(_) => vec![
                all,
                ComparisonGroup {
                    id: "region".into(),
                    name: Some("AB".into()),
                    members: region.clone(),
                },
            ],
            UnitRef::School(s) => vec![
                ComparisonGroup {
                    id: "municipality".into(),
                    name: None,
                    members: vec![tally.schools()[s].0],
                },
                all,
            ],
        }
    };
    let units: Vec<UnitRef> = (0..municipalities)
        .map(UnitRef::Municipality)
        .chain((0..tally.schools().len()).map(UnitRef::School))
        .collect();
    let source = |tally, pattern| Source {
        codebook: &codebook,
        tally,
        pattern,
        previous: &[],
        relevant: crate::aggregate::DEFAULT_RELEVANT_DIFFERENCE,
        standardise: &[],
    };
    let reports: Vec<(UnitRef, Vec<ComparisonGroup>, Summary)> = units
        .iter()
        .filter_map(|&unit| {
            let comparisons = comparisons_of(unit);
            let source = match unit {
                UnitRef::Municipality(_) => source(&municipality_tally, &municipality_pattern),
                UnitRef::School(_) => source(&tally, &pattern),
            };
            let summary = summarise(source, unit, &comparisons).ok()?;
            Some((unit, comparisons, summary))
        })
        .collect();
    // Municipalities whose whole is published for a question, from their own reports.
    let published_whole = |q: usize, m: usize| {
        reports.iter().any(|(unit, _, s)| {
            *unit == UnitRef::Municipality(m) && s.questions[q].groups[0].figures.is_ok()
        })
    };
    let relations = |q: Option<usize>, people: bool| -> Vec<Vec<usize>> {
        let mut vectors = Vec::new();
        for (unit, comparisons, summary) in &reports {
            if people {
                vectors.push(cells_at(&tally, *unit, &Group::Unit, &[]));
                for count in summary.respondents.groups.iter().filter(|c| c.n.is_ok()) {
                    vectors.push(cells_at(&tally, *unit, &count.group, &[]));
                }
            }
            let Some(q) = q else { continue };
            for g in summary.questions[q]
                .groups
                .iter()
                .filter(|g| g.figures.is_ok())
            {
                let members: Vec<usize> = match &g.group {
                    Group::Comparison(id) => comparisons
                        .iter()
                        .find(|c| &c.id == id)
                        .unwrap()
                        .members
                        .iter()
                        .copied()
                        .filter(|&m| published_whole(q, m))
                        .collect(),
                    _ => Vec::new(),
                };
                vectors.push(cells_at(&tally, *unit, &g.group, &members));
            }
        }
        vectors
    };
    // What the reports withhold, and the units that get none.
    let withheld = |q: Option<usize>, people: bool| -> Vec<Vec<usize>> {
        let mut vectors: Vec<Vec<usize>> = units
            .iter()
            .filter(|&&unit| !reports.iter().any(|(u, _, _)| *u == unit))
            .map(|&unit| cells_at(&tally, unit, &Group::Unit, &[]))
            .collect();
        for (unit, _, summary) in &reports {
            if people {
                for count in summary.respondents.groups.iter().filter(|c| c.n.is_err()) {
                    vectors.push(cells_at(&tally, *unit, &count.group, &[]));
                }
            }
            let Some(q) = q else { continue };
            for g in summary.questions[q]
                .groups
                .iter()
                .filter(|g| g.figures.is_err())
            {
                if !matches!(g.group, Group::Comparison(_)) {
                    vectors.push(cells_at(&tally, *unit, &g.group, &[]));
                }
            }
        }
        vectors
    };
    let by_cell = |measure: &dyn Fn(std::ops::Range<usize>) -> Vec<u32>| -> Vec<u32> {
        measure(0..tally.units_of(municipalities - 1).end)
    };
    let respondents = by_cell(&|units| tally.respondents_by_cell(units).to_vec());
    let municipality: Vec<usize> = (0..respondents.len())
        .map(|c| {
            let unit = c / tally.inner_cells();
            (0..municipalities)
                .find(|&m| tally.units_of(m).contains(&unit))
                .unwrap()
        })
        .collect();
    let people = caps(relations(None, true), &respondents);
    let q1 = relations(Some(0), false);
    let mut linked = relations(Some(1), true);
    linked.extend(relations(Some(2), false));
    let q1_withheld = withheld(Some(0), false);
    let linked_withheld = withheld(None, true);
    Reports {
        q1,
        q1_withheld,
        linked,
        linked_withheld,
        people,
        q1_valid: by_cell(&|u| tally.answers_by_cell(0, u).0),
        q1_answered: by_cell(&|u| tally.answers_by_cell(0, u).1),
        respondents,
        municipality,
    }
    .assert_safe(min_cell);
}

proptest! {
    #![proptest_config(attacker::config(40))]

    /// Random populations with schools (three municipalities of up to three schools and
    /// pupils without a school): an outsider with every municipality report (compared with
    /// "all" and a region of A and B) and every school report (compared with its
    /// municipality and "all"), solving all their figures together and reasoning with whole
    /// numbers and bounds, pins no set of 1..min_cell−1 pupils and no withheld count.
    #[test]
    fn no_school_or_municipality_report_discloses_a_small_group(
        data in prop::collection::vec(school_row(), 1..70),
        min_cell in 2u32..7,
    ) {
        attack_school_reports(&refs(&data), min_cell, Municipal::Together);
    }

    /// A single report's pattern ([`Focus::One`]) decides its municipality and schools as
    /// the whole file's pattern does, every municipality's respondents table too, and of
    /// the other municipalities' questions the wholes, withholding the rest.
    #[test]
    fn a_focused_pattern_decides_as_the_full_one(
        data in prop::collection::vec(school_row(), 1..70),
        min_cell in 2u32..7,
    ) {
        let (tally, _) = school_tallies(&refs(&data));
        let full = Pattern::of(&tally, min_cell);
        let municipalities = tally.municipalities().len();
        let scopes_of = |m: usize| -> Vec<Scope> {
            let units = std::iter::once(UnitRef::Municipality(m)).chain(
                (0..tally.schools().len())
                    .filter(|&s| tally.schools()[s].0 == m)
                    .map(UnitRef::School),
            );
            units
                .flat_map(|unit| {
                    std::iter::once(None)
                        .chain(full.parts().iter().copied().map(Some))
                        .map(move |part| Scope { unit, part })
                })
                .collect()
        };
        for focus in (0..municipalities).map(Some).chain([None]) {
            let focused = Pattern::focused(&tally, min_cell, Focus::One(focus));
            for m in 0..municipalities {
                for scope in scopes_of(m) {
                    prop_assert_eq!(focused.respondents(scope), full.respondents(scope));
                    for q in 0..tally.questions() {
                        let (mine, all) = (focused.question(q, scope), full.question(q, scope));
                        if focus == Some(m) || scope == whole(UnitRef::Municipality(m)) {
                            prop_assert_eq!(mine, all, "{:?} q{}", scope, q);
                        } else {
                            prop_assert!(mine.is_none_or(|d| !d.is_published()));
                        }
                    }
                }
            }
        }
    }

    /// What municipality reports publish from the school-level system is decided without
    /// the schools' groups of the questions ([`Pattern::municipal_of`]): the same decisions
    /// as the whole system's, for the file and for a single report.
    #[test]
    fn a_municipal_pattern_decides_as_the_whole_system(
        data in prop::collection::vec(school_row(), 1..70),
        min_cell in 2u32..7,
    ) {
        let (tally, _) = school_tallies(&refs(&data));
        let municipalities = tally.municipalities().len();
        let focuses = (0..municipalities).map(|m| Focus::One(Some(m))).chain([Focus::One(None), Focus::All]);
        for focus in focuses {
            let whole_system = Pattern::focused(&tally, min_cell, focus).municipal();
            let own = Pattern::municipal_of(&tally, min_cell, focus);
            for m in 0..municipalities {
                let unit = UnitRef::Municipality(m);
                let scopes = std::iter::once(None)
                    .chain(own.parts().iter().copied().map(Some))
                    .map(|part| Scope { unit, part });
                for scope in scopes {
                    prop_assert_eq!(own.respondents(scope), whole_system.respondents(scope));
                    for q in 0..tally.questions() {
                        prop_assert_eq!(own.question(q, scope), whole_system.question(q, scope), "{:?} q{}", scope, q);
                    }
                }
            }
        }
    }
}

/// Found by the property test with municipality reports decided in a system of their own
/// (as they were until a round's levels were protected together): seven pupils of one
/// municipality in three schools, min_cell 2; the one pupil of S3 answered q1 "Ved ikke".
/// Decided alone, the municipality report publishes its boys' and girls' valid answers to q1
/// (3 and 3), which the school-level system withholds; beside the school reports (S1's three
/// girls published, S2 and S3 withheld) they pin a withheld group's count. Decided in the
/// school-level system, the municipality report publishes what the school reports'
/// municipality column does, checked together with the schools' groups.
const ACROSS_LEVELS: &[&str] = &[
    "A,S2,1,7,1,1,1,0,8",
    "A,S2,1,7,1,1,1,0,8",
    "A,S1,2,7,1,1,1,0,8",
    "A,S1,2,7,1,1,1,0,8",
    "A,S2,1,7,1,1,1,0,8",
    "A,S1,2,7,1,1,1,0,8",
    "A,S3,1,7,98,1,1,0,8",
];

#[test]
fn municipality_and_school_reports_are_protected_together() {
    attack_school_reports(ACROSS_LEVELS, 2, Municipal::Together);
}

/// The attacker sees across levels: the same file with municipality reports decided alone
/// is a leak it finds.
#[test]
#[should_panic(expected = "pinned")]
fn municipality_reports_decided_alone_leak_beside_school_reports() {
    attack_school_reports(ACROSS_LEVELS, 2, Municipal::Alone);
}

/// The issue's first example: a municipality of 6 — one boy, five girls, no "Andet" — all in
/// 7th grade. Both gender groups are withheld with one mark, so the boy is not pinned.
#[test]
fn one_boy_and_five_girls_are_not_pinned() {
    let mut data = rows(1, "A,1,7,1,1,1,0,8");
    data.extend(rows(5, "A,2,7,2,1,1,0,8"));
    data.extend(rows(40, "B,1,8,1,2,1,0,8"));
    data.extend(rows(40, "B,2,8,2,2,1,0,8"));
    attack_municipality_reports(&refs(&data), 5);
}

/// The issue's second example: a municipality with two schools and nobody outside them, the
/// "other gender" pupils 1 in school A and 5 in school B.
#[test]
fn the_other_gender_split_over_two_schools_is_not_pinned() {
    let mut data = Vec::new();
    for (school, others) in [("S1", 1), ("S2", 5)] {
        data.extend(rows(10, &format!("A,{school},1,7,1,1,1,0,8")));
        data.extend(rows(10, &format!("A,{school},2,8,2,1,1,0,8")));
        data.extend(rows(others, &format!("A,{school},,7,1,2,1,0,8")));
    }
    data.extend(rows(30, "B,S1,1,7,1,1,1,0,8"));
    attack_school_reports(&refs(&data), 5, Municipal::Together);
}

/// The design-based intervals and tests agree with R's survey package on the example data
/// and on a second generated file (tests/reference/survey.R, whose output is stored beside
/// it): intervals within 0.25 percentage points, p-values within 5 % (relative).
#[test]
fn intervals_and_tests_agree_with_r_on_the_example_and_a_second_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (survey, reference, rows) in [
        (
            "examples/udskoling-2026-sample.csv",
            "tests/reference/udskoling-2026-sample.csv",
            20,
        ),
        (
            "tests/reference/second-sample.csv",
            "tests/reference/second-sample.reference.csv",
            10,
        ),
    ] {
        let checked = agree_with_r(root, survey, reference);
        assert!(checked >= rows, "{survey}: {checked} reference rows");
    }
}

/// The bundled example's codebook and its answers counted by municipality.
fn example_by_municipality() -> (Codebook, Tally) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let codebook = Codebook::load(&root.join("examples/udskoling.codebook.yaml")).unwrap();
    let (responses, _) = Responses::read(
        &[root.join("examples/udskoling-2026-sample.csv")],
        &codebook,
        None,
    )
    .unwrap();
    let tally = Tally::count(&codebook, &responses, Level::Municipality);
    (codebook, tally)
}

/// The standardised comparison ([`standardise`]) against R's survey package: each
/// municipality of the example against all of them, every value of gender and grade counted
/// (`tests/reference/standardise.R`).
#[test]
fn standardised_comparisons_agree_with_r() {
    use standardise::{MAX_BREAKDOWNS, Piece, standardise};
    let (codebook, tally) = example_by_municipality();
    let rows = reference_rows(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/standardise.reference.csv"),
        &codebook,
        &tally,
    );
    let axes: Vec<usize> = (0..tally.axes().len()).collect();
    let known = |axis: usize, slot: usize| (slot + 1 < tally.axes()[axis]).then_some(slot as u16);
    let mut checked = 0;
    for ReferenceRow {
        line,
        question: q,
        municipality: unit,
        numbers,
    } in rows
    {
        let [standardised, difference, se] = numbers[..] else {
            panic!("a reference row has five fields: {line}");
        };
        let mut pieces = Vec::new();
        for m in 0..tally.municipalities().len() {
            let cells = tally.indicator_by_cell(q, &tally.municipality(m));
            for (local, &(positive, valid)) in cells.iter().enumerate() {
                let mut slots = [None; MAX_BREAKDOWNS];
                for &axis in &axes {
                    slots[axis] = known(axis, tally.slot_of(local, axis));
                }
                pieces.push(Piece {
                    positive,
                    valid,
                    in_unit: m == unit,
                    in_group: true,
                    slots,
                });
            }
        }
        let home = tally.municipality(unit);
        let weights: Vec<Option<Vec<u32>>> = axes
            .iter()
            .map(|&axis| {
                Some(
                    (0..tally.axes()[axis] - 1)
                        .map(|slot| tally.counts(q, &home.narrowed(Part { axis, slot })).valid)
                        .collect(),
                )
            })
            .collect();
        let pupils = tally.respondents(&tally.all());
        let found = standardise(&pieces, &weights, pupils).unwrap();
        assert_eq!(found.breakdowns, axes, "{line}");
        assert!(
            (100.0 * found.group - standardised).abs() < 1e-6,
            "{line}: {found:?}"
        );
        assert!(
            (100.0 * found.difference - difference).abs() < 1e-6,
            "{line}: {found:?}"
        );
        let want = se;
        let got = 100.0 * found.variance.sqrt();
        assert!((got - want).abs() <= 1e-6 * want, "{line}: se {got}");
        checked += 1;
    }
    assert!(checked >= 30, "{checked} reference rows");
}

/// A standardised comparison publishes nothing new: a reader who has every municipality's
/// report works out each standardised figure from their published figures alone (each
/// municipality's answers by gender and grade, and the group's whole).
#[test]
fn standardised_figures_follow_from_the_published_figures() {
    let (codebook, tally) = example_by_municipality();
    // Some municipalities withhold a figure by gender or grade (those of "Andet").
    let pattern = Pattern::of(&tally, DEFAULT_MIN_CELL);
    let axes = [0, 1];
    let source = Source {
        codebook: &codebook,
        tally: &tally,
        pattern: &pattern,
        previous: &[],
        relevant: crate::aggregate::DEFAULT_RELEVANT_DIFFERENCE,
        standardise: &axes,
    };
    let summaries: Vec<Summary> = (0..tally.municipalities().len())
        .filter_map(|m| summarise(source, UnitRef::Municipality(m), &everyone(&tally)).ok())
        .collect();
    let published = |summary: &Summary, q: usize, group: &Group| -> Option<(f64, f64)> {
        let figures = summary.questions[q]
            .groups
            .iter()
            .find(|g| &g.group == group)?
            .figures
            .as_ref()
            .ok()?;
        Some((
            figures.indicator? / 100.0 * f64::from(figures.n),
            f64::from(figures.n),
        ))
    };
    let (mut standardised, mut partly) = (0, 0);
    for summary in &summaries {
        for (q, question) in summary.questions.iter().enumerate() {
            let all = question
                .groups
                .iter()
                .find(|g| g.group == BENCHMARK())
                .unwrap();
            let Some(found) = &all.standardised else {
                continue;
            };
            let p = all.figures.as_ref().unwrap().indicator.unwrap() / 100.0;
            let mut reader = p;
            for breakdown in &found.breakdowns {
                let values: Vec<Group> = question
                    .groups
                    .iter()
                    .filter(
                        |g| matches!(&g.group, Group::Part { breakdown: b, .. } if b == breakdown),
                    )
                    .map(|g| g.group.clone())
                    .collect();
                let own: Vec<(f64, f64)> = values
                    .iter()
                    .map(|g| published(summary, q, g).expect("a value of a breakdown adjusted for"))
                    .collect();
                let total: f64 = own.iter().map(|o| o.1).sum();
                for (value, (_, n)) in values.iter().zip(&own) {
                    if *n == 0.0 {
                        continue;
                    }
                    let (positive, valid) = summaries
                        .iter()
                        .filter_map(|other| published(other, q, value))
                        .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
                    reader += n / total * (positive / valid - p);
                }
            }
            assert!(
                (100.0 * reader - found.indicator).abs() < 1e-9,
                "{} {}: {reader} vs {found:?}",
                summary.unit.name,
                question.id.0
            );
            standardised += 1;
            partly += usize::from(found.breakdowns.len() < axes.len());
        }
    }
    assert!(
        standardised > 100 && partly > 0,
        "{standardised} / {partly}"
    );
}

/// A row of a stored R reference (`tests/reference/*.reference.csv`): the question and
/// municipality it is about (indices) and its figures, with the line for messages.
struct ReferenceRow {
    line: String,
    question: usize,
    municipality: usize,
    numbers: Vec<f64>,
}

/// The rows of the R reference at `path` (after its header: question id, municipality name,
/// figures), resolved against the example's codebook and tally.
fn reference_rows(path: &Path, codebook: &Codebook, tally: &Tally) -> Vec<ReferenceRow> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            let question = codebook
                .questions()
                .position(|x| x.id.0 == fields[0])
                .unwrap();
            ReferenceRow {
                line: line.to_owned(),
                question,
                municipality: tally.find_municipality(fields[1]).unwrap(),
                numbers: fields[2..].iter().map(|x| x.parse().unwrap()).collect(),
            }
        })
        .collect()
}

/// Checks every row of R's `reference` figures against `report`'s on `survey`; returns how
/// many rows were checked.
fn agree_with_r(root: &Path, survey: &str, reference: &str) -> usize {
    let codebook = Codebook::load(&root.join("examples/udskoling.codebook.yaml")).unwrap();
    let (responses, _) = Responses::read(&[root.join(survey)], &codebook, None).unwrap();
    let tally = Tally::count(&codebook, &responses, Level::Municipality);
    let mut checked = 0;
    for ReferenceRow {
        line,
        question: q,
        municipality: m,
        numbers,
    } in reference_rows(&root.join(reference), &codebook, &tally)
    {
        let [indicator, low, high, p_value] = numbers[..] else {
            panic!("a reference row has six fields: {line}");
        };
        let sample = |inside: bool| {
            design::Sample::of_clusters(tally.clusters(q).unwrap().filter_map(
                |(cluster_municipality, _, positive, valid, respondents)| {
                    ((cluster_municipality == m) == inside).then_some((
                        positive,
                        valid,
                        respondents,
                    ))
                },
            ))
        };
        let (unit, rest) = (sample(true), sample(false));
        let share = f64::from(unit.positive) * 100.0 / f64::from(unit.valid);
        assert!((share - indicator).abs() < 1e-6, "{line}: {share}");
        let interval = unit.interval(tally.design_clusters()).unwrap();
        assert!(
            (interval.low - low).abs() < 0.25 && (interval.high - high).abs() < 0.25,
            "{survey}: {line}: {interval:?}"
        );
        let (p, _) = design::compare(&unit, &rest).unwrap();
        let want = p_value;
        assert!(
            (p - want).abs() <= 0.05 * want || (p < 1e-6 && want < 1e-6),
            "{survey}: {line}: p = {p}"
        );
        checked += 1;
    }
    checked
}

/// Found by the property test: publishing school S2's total pinned its boys' count (every
/// valid answer in S2 was a boy's), and the boys' own turn came later and refused them, so
/// a withheld count could be worked out. A group a publication pins in every measure is now
/// published with it.
#[test]
fn a_group_pinned_by_an_earlier_publication_is_published_not_withheld() {
    attack_school_reports(
        &[
            "A,S1,1,7,1,1,1,0,8",
            "B,S3,2,7,1,1,1,0,8",
            "B,S2,2,8,98,1,1,0,8",
            "B,S3,1,7,1,1,1,0,8",
            "B,S1,1,7,1,1,1,0,8",
            "B,S2,1,,1,1,1,0,8",
            "B,S3,,8,1,1,1,0,8",
            "B,S2,,7,98,1,1,0,8",
            "B,S1,1,7,1,1,1,0,8",
            "B,S3,,8,1,1,1,0,8",
            "B,,,,1,1,1,0,8",
            "B,S2,2,7,98,1,1,0,8",
            "B,S2,2,8,98,1,1,0,8",
            "B,S2,1,8,2,1,1,0,8",
            "B,S2,1,7,98,2,1,0,8",
            "B,,1,7,2,2,1,0,8",
        ],
        2,
        Municipal::Together,
    );
}

/// Found by the property test. Four pupils, one per gender × grade; only the boys answer
/// q1. The respondents table publishes the boys (2). Were the girls' 0 answers in q1 shown
/// as 0, each withheld grade would be known to hold at least one answer: the boys' two cells
/// hold at most 2 and each at least 1, so each holds exactly 1 — that the 8th-grade boy
/// answered q1 would follow before anything in q1 is published. Empty groups of a question
/// are withheld, so no withheld group is known to hold an answer.
#[test]
fn caps_and_floors_alone_pin_nothing() {
    attack_municipality_reports(
        &[
            "C,1,8,1,1,1,0,8",
            "C,2,7,,1,1,0,8",
            "C,1,7,1,1,1,0,8",
            "C,2,8,,1,1,0,8",
        ],
        2,
    );
}

/// Found by the property test (seed 18): the only move left among two stuck changes moves
/// one free coordinate by 1 and the other by 2 (its change was scaled to whole numbers), so
/// what stays pinned is twice the first plus the second. Taken as the first plus the second,
/// school S2's whole (2) was published beside its boys and its girls (1 each, withheld), and
/// each followed from the other's floor.
#[test]
fn a_move_of_a_scaled_change_pins_what_it_keeps() {
    attack_school_reports(
        &[
            "C,S3,1,7,1,1,1,0,8",
            "C,S3,,7,1,1,1,0,8",
            "C,S1,1,7,1,1,1,0,8",
            "C,,2,8,1,1,1,0,8",
            "C,,,,1,1,1,0,8",
            "C,S1,2,,1,1,1,0,8",
            "C,S2,1,,1,1,1,0,8",
            "C,S2,2,7,1,1,1,0,8",
            "C,S3,,7,1,1,1,0,8",
            "C,S1,2,,1,1,1,0,8",
            "C,,,,1,1,1,0,8",
            "C,,2,7,1,2,1,0,8",
        ],
        2,
        Municipal::Together,
    );
}
