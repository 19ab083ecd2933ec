//! The figures of one municipality's report: per question and group, the distribution of valid
//! answers, the missing-code shares, the headline indicator (with its significance against
//! the rest of the benchmark and its trend) and, for numeric questions, the mean. Only groups
//! that the file's disclosure-control [`Pattern`] publishes get figures; the benchmark is
//! summed from published municipalities only.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use super::disclosure::Decision;
use super::pattern::{Pattern, Scope};
use super::significance::{self, Comparison, Significance};
use super::tally::{GroupCounts, Selection, Tally};
use crate::survey::{Code, Codebook, Question, QuestionId, QuestionKind, Scale};

/// The default privacy threshold: nothing about fewer respondents is published.
pub const DEFAULT_MIN_CELL: u32 = 5;

/// An earlier round to compare indicators with, with its own disclosure-control pattern.
#[derive(Debug, Clone, Copy)]
pub struct Previous<'a> {
    pub tally: &'a Tally,
    pub pattern: &'a Pattern,
    pub round: u16,
}

/// Which respondents a set of figures describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// The reported municipality.
    Municipality,
    /// Every municipality published for the question ("Alle kommuner").
    Benchmark,
    /// The municipality's respondents of one gender.
    Gender(Code),
    /// The municipality's respondents in one grade.
    Grade(Code),
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Group::Municipality => f.write_str("municipality"),
            Group::Benchmark => f.write_str("benchmark"),
            Group::Gender(code) => write!(f, "gender:{code}"),
            Group::Grade(code) => write!(f, "grade:{code}"),
        }
    }
}

impl Serialize for Group {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The published figures of one group for one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Valid answers (for multiple choice: respondents who answered).
    pub n: u32,
    /// Percent of valid answers per category code (option, or bin number), unrounded; empty
    /// when the group has no valid answers. For multiple choice: percent of respondents
    /// ticking each option.
    pub percent: BTreeMap<Code, f64>,
    /// Percent of all non-blank answers per missing code, unrounded; empty when the group has
    /// no answers at all.
    pub missing: BTreeMap<Code, f64>,
    /// The headline indicator in percent, if the question has one and the group valid answers.
    pub indicator: Option<f64>,
    /// The mean value (numeric and index questions with valid answers).
    pub mean: Option<f64>,
}

/// Why a group's figures are not published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Withheld {
    /// The group has 1 to `min_cell − 1` answers.
    Primary,
    /// Publishing it would let a smaller group be worked out.
    Secondary,
}

impl Withheld {
    /// Why `decision` withholds a group, or `None` when it publishes it.
    pub fn of(decision: Decision) -> Option<Withheld> {
        match decision {
            Decision::Published => None,
            Decision::Primary => Some(Withheld::Primary),
            Decision::Secondary => Some(Withheld::Secondary),
        }
    }
}

/// A group's figures, or why they are withheld.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFigures {
    pub group: Group,
    pub figures: Result<Figures, Withheld>,
}

impl Serialize for GroupFigures {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("GroupFigures", 7)?;
        out.serialize_field("group", &self.group)?;
        let figures = self.figures.as_ref().ok();
        out.serialize_field("withheld", &self.figures.as_ref().err())?;
        out.serialize_field("n", &figures.map(|f| f.n))?;
        out.serialize_field("percent", &figures.map(|f| &f.percent))?;
        out.serialize_field("missing", &figures.map(|f| &f.missing))?;
        out.serialize_field("indicator", &figures.and_then(|f| f.indicator))?;
        out.serialize_field("mean", &figures.and_then(|f| f.mean))?;
        out.end()
    }
}

/// The municipality's indicator in an earlier round and how it changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub round: u16,
    pub n: u32,
    pub indicator: f64,
    /// Current minus earlier indicator, in percentage points.
    pub change: f64,
    /// The current round compared with the earlier one.
    pub significance: Significance,
    pub test: Comparison,
}

/// One question's figures for every group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionSummary {
    pub id: QuestionId,
    pub theme: String,
    /// How many municipalities the benchmark sums for this question (those published for it).
    pub benchmark_municipalities: usize,
    pub groups: Vec<GroupFigures>,
    /// The municipality's indicator against the benchmark's other respondents; `None`
    /// without an indicator, or when the municipality's figures are withheld.
    pub significance: Option<Significance>,
    pub test: Option<Comparison>,
    /// The indicator in the earlier round, when one was given and both rounds publish it.
    pub previous: Option<Trend>,
}

/// Respondent counts shown in the report's introduction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Respondents {
    /// At least `min_cell`: a municipality with fewer gets no report.
    pub municipality: u32,
    /// Respondents of the municipalities with at least `min_cell` respondents.
    pub benchmark: u32,
    /// How many municipalities `benchmark` counts.
    pub benchmark_municipalities: usize,
    /// Municipalities in the data with fewer than `min_cell` respondents, left out of
    /// `benchmark`.
    pub excluded_municipalities: usize,
    /// The municipality's respondents per gender and per grade.
    pub groups: Vec<GroupCount>,
}

/// How many respondents a group has, or why that is withheld.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupCount {
    pub group: Group,
    pub n: Result<u32, Withheld>,
}

impl Serialize for GroupCount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("GroupCount", 3)?;
        out.serialize_field("group", &self.group)?;
        out.serialize_field("withheld", &self.n.as_ref().err())?;
        out.serialize_field("n", &self.n.as_ref().ok())?;
        out.end()
    }
}

/// Everything the report of one municipality shows, already privacy-checked. Its JSON form
/// is `--data-out` (docs/formats.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub municipality: String,
    pub survey: String,
    pub round: u16,
    pub min_cell: u32,
    pub respondents: Respondents,
    /// Questions the data have, in codebook order.
    pub questions: Vec<QuestionSummary>,
}

/// A municipality too small to report on without disclosing its respondents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{municipality} has fewer than {min_cell} respondents, so it gets no report \
     (a report would show the answers of fewer than {min_cell} pupils)"
)]
pub struct TooFewRespondents {
    pub municipality: String,
    pub min_cell: u32,
}

/// Computes the report figures of municipality number `municipality` (an index into
/// [`Tally::municipalities`]), publishing what `pattern` allows.
pub fn summarise(
    codebook: &Codebook,
    tally: &Tally,
    pattern: &Pattern,
    municipality: usize,
    previous: Option<Previous>,
) -> Result<Summary, TooFewRespondents> {
    let name = &tally.municipalities()[municipality];
    let min_cell = pattern.min_cell();
    let people = pattern.respondents(municipality);
    if !people[0].is_published() {
        return Err(TooFewRespondents {
            municipality: name.clone(),
            min_cell,
        });
    }
    let home = Selection::municipality(municipality);
    let previous = previous.and_then(|p| {
        let index = p.tally.find_municipality(name).ok()?;
        Some((p, index))
    });
    let groups = Groups::new(codebook, pattern);
    let reported = pattern.reported_municipalities();

    let respondent_groups = groups
        .parts()
        .map(|(index, group, selection)| GroupCount {
            group,
            n: published(people[index]).map(|()| tally.respondents(home.narrowed(selection))),
        })
        .collect();

    let questions = codebook
        .themes
        .iter()
        .flat_map(|theme| theme.questions.iter().map(move |q| (theme, q)))
        .enumerate()
        .filter_map(|(index, (theme, question))| {
            let decisions = pattern.question(index, municipality)?;
            let scale = Scale::of_question(question, &codebook.missing);
            let counts = |selection| tally.counts(index, selection);
            let home_counts = counts(home);
            let benchmark = pattern.published_municipalities(index);
            let bench_counts = tally.counts_of(index, &benchmark);
            let home_published = decisions[0].is_published();

            let mut groups_out = vec![
                GroupFigures {
                    group: Group::Municipality,
                    figures: published(decisions[0])
                        .map(|()| figures(&home_counts, &scale, question)),
                },
                GroupFigures {
                    group: Group::Benchmark,
                    figures: Ok(figures(&bench_counts, &scale, question)),
                },
            ];
            groups_out.extend(groups.parts().map(|(i, group, part)| {
                GroupFigures {
                    group,
                    figures: published(decisions[i])
                        .map(|()| figures(&counts(home.narrowed(part)), &scale, question)),
                }
            }));

            let has_indicator = question.indicator.is_some();
            let test = (has_indicator && home_published)
                .then(|| {
                    let outside = bench_counts.minus(&home_counts);
                    significance::compare(
                        home_counts.positive,
                        home_counts.valid,
                        outside.positive,
                        outside.valid,
                    )
                })
                .flatten();
            let trend = previous
                .filter(|_| has_indicator && home_published)
                .and_then(|(p, before)| {
                    p.pattern
                        .question(index, before)
                        .filter(|d| d[0].is_published())?;
                    let before = p.tally.counts(index, Selection::municipality(before));
                    let test = significance::compare(
                        home_counts.positive,
                        home_counts.valid,
                        before.positive,
                        before.valid,
                    )?;
                    let now = share(home_counts.positive, home_counts.valid);
                    let then = share(before.positive, before.valid);
                    Some(Trend {
                        round: p.round,
                        n: before.valid,
                        indicator: then,
                        change: now - then,
                        significance: test.significance,
                        test,
                    })
                });
            Some(QuestionSummary {
                id: question.id.clone(),
                theme: theme.id.clone(),
                benchmark_municipalities: benchmark.len(),
                groups: groups_out,
                significance: test.map(|t| t.significance),
                test,
                previous: trend,
            })
        })
        .collect();

    Ok(Summary {
        municipality: name.clone(),
        survey: codebook.survey.clone(),
        round: codebook.round,
        min_cell,
        respondents: Respondents {
            municipality: tally.respondents(home),
            benchmark: reported
                .iter()
                .map(|&m| tally.respondents(Selection::municipality(m)))
                .sum(),
            benchmark_municipalities: reported.len(),
            excluded_municipalities: tally.municipalities().len() - reported.len(),
            groups: respondent_groups,
        },
        questions,
    })
}

/// `Ok` when `decision` publishes a group, else why it withholds it.
fn published(decision: Decision) -> Result<(), Withheld> {
    Withheld::of(decision).map_or(Ok(()), Err)
}

/// The breakdown groups of a report, in the pattern's order, with their codes.
struct Groups {
    /// Per pattern scope after the whole: (pattern index, group, part).
    parts: Vec<(usize, Group, super::tally::Part)>,
}

impl Groups {
    fn new(codebook: &Codebook, pattern: &Pattern) -> Groups {
        let background = &codebook.background;
        let codes: [Vec<Code>; 2] = [
            background.gender.values.keys().copied().collect(),
            background.grade.values.keys().copied().collect(),
        ];
        let kinds: [fn(Code) -> Group; 2] = [Group::Gender, Group::Grade];
        let parts = pattern
            .scopes()
            .iter()
            .enumerate()
            .filter_map(|(index, scope)| match *scope {
                Scope::Whole => None,
                Scope::Part(part) => {
                    let code = codes[part.axis][part.slot];
                    Some((index, kinds[part.axis](code), part))
                }
            })
            .collect();
        Groups { parts }
    }

    fn parts(&self) -> impl Iterator<Item = (usize, Group, super::tally::Part)> + '_ {
        self.parts.iter().copied()
    }
}

/// `count` of `base` in percent.
fn share(count: u32, base: u32) -> f64 {
    f64::from(count) * 100.0 / f64::from(base)
}

/// The figures of a published group.
fn figures(counts: &GroupCounts, scale: &Scale, question: &Question) -> Figures {
    let n = counts.valid;
    let answered = counts.answered;
    let percent = if n == 0 {
        BTreeMap::new()
    } else {
        counts
            .categories
            .iter()
            .enumerate()
            .map(|(slot, &count)| (scale.code(slot), share(count, n)))
            .collect()
    };
    let missing = if answered == 0 {
        BTreeMap::new()
    } else {
        counts
            .missing
            .iter()
            .enumerate()
            .map(|(i, &count)| (scale.code(scale.options() + i), share(count, answered)))
            .collect()
    };
    let mean = (n > 0
        && matches!(
            question.kind,
            QuestionKind::Numeric { .. } | QuestionKind::Index { .. }
        ))
    .then(|| counts.sum / f64::from(n));
    Figures {
        n,
        percent,
        missing,
        indicator: (n > 0 && question.indicator.is_some()).then(|| share(counts.positive, n)),
        mean,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question() -> Question {
        Question {
            id: QuestionId("q".into()),
            text: String::new(),
            text_en: None,
            indicator_en: None,
            indicator: Some("x".into()),
            kind: QuestionKind::Single {
                options: [
                    (Code(1), "a".into()),
                    (Code(2), "b".into()),
                    (Code(3), "c".into()),
                ]
                .into(),
                positive: vec![Code(1), Code(2)],
            },
        }
    }

    fn scale() -> Scale {
        Scale::of_question(&question(), &[(Code(98), "Ved ikke".into())].into())
    }

    #[test]
    fn percentages_use_valid_answers_and_missing_uses_all_answers() {
        // 6 × code 1, 3 × code 2, 1 × code 3, 2 × "ved ikke".
        let counts = GroupCounts {
            categories: vec![6, 3, 1],
            missing: vec![2],
            valid: 10,
            answered: 12,
            positive: 9,
            sum: 0.0,
        };
        let figures = figures(&counts, &scale(), &question());
        assert_eq!(figures.n, 10);
        assert_eq!(figures.percent[&Code(1)], 60.0);
        assert_eq!(figures.percent[&Code(3)], 10.0);
        assert!((figures.missing[&Code(98)] - 200.0 / 12.0).abs() < 1e-12);
        assert_eq!(figures.indicator, Some(90.0));
        assert_eq!(figures.mean, None);
    }

    #[test]
    fn withheld_groups_serialise_as_nulls_with_the_reason() {
        let json = serde_json::to_value(GroupFigures {
            group: Group::Gender(Code(2)),
            figures: Err(Withheld::Secondary),
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"group": "gender:2", "withheld": "secondary", "n": null,
                               "percent": null, "missing": null, "indicator": null, "mean": null})
        );
    }
}
