//! The figures of one municipality's report: per question and group, the distribution of valid
//! answers, the missing-code shares, the headline indicator (with its significance against
//! the rest of the benchmark and its trend) and, for numeric questions, the mean. Groups that
//! could identify respondents are suppressed here, before anything reaches a renderer.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use super::significance::{self, Comparison, Significance};
use super::suppression::publishable;
use super::tally::{GroupCounts, Selection, Tally};
use crate::survey::{Code, Codebook, Question, QuestionId, QuestionKind, Scale};

/// The default privacy threshold: groups with fewer valid answers show no figures.
pub const DEFAULT_MIN_CELL: u32 = 5;

/// Settings of the aggregation step.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Groups with fewer valid answers than this are suppressed (at least 1).
    pub min_cell: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_cell: DEFAULT_MIN_CELL,
        }
    }
}

/// An earlier round to compare indicators with.
#[derive(Debug, Clone, Copy)]
pub struct Previous<'a> {
    pub tally: &'a Tally,
    pub round: u16,
}

/// Which respondents a set of figures describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// The reported municipality.
    Municipality,
    /// All respondents in the data ("Alle deltagende kommuner").
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
    /// Percent of valid answers per category code (option, or bin number), unrounded. For
    /// multiple choice: percent of respondents ticking each option.
    pub percent: BTreeMap<Code, f64>,
    /// Percent of all non-blank answers per missing code, unrounded.
    pub missing: BTreeMap<Code, f64>,
    /// The headline indicator in percent, if the question has one.
    pub indicator: Option<f64>,
    /// The mean value (numeric and index questions).
    pub mean: Option<f64>,
}

/// A group's figures, or `None` where privacy suppression withheld them.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFigures {
    pub group: Group,
    pub figures: Option<Figures>,
}

impl Serialize for GroupFigures {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("GroupFigures", 6)?;
        out.serialize_field("group", &self.group)?;
        let figures = self.figures.as_ref();
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
    pub groups: Vec<GroupFigures>,
    /// The municipality's indicator against the respondents outside it; `None` without an
    /// indicator, or when the municipality's figures are suppressed.
    pub significance: Option<Significance>,
    pub test: Option<Comparison>,
    /// The indicator in the earlier round, when one was given and is publishable.
    pub previous: Option<Trend>,
}

/// Respondent counts shown in the report's introduction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Respondents {
    pub municipality: u32,
    pub benchmark: u32,
    /// Number of municipalities in the benchmark.
    pub benchmark_municipalities: usize,
    /// The municipality's respondents per gender and per grade (`None` where suppressed).
    pub groups: Vec<GroupCount>,
}

/// How many respondents a group has, or `None` where privacy suppression withholds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupCount {
    pub group: Group,
    pub n: Option<u32>,
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

/// Computes the report figures of municipality number `municipality` (an index into
/// [`Tally::municipalities`]) against everyone in the tally.
pub fn summarise(
    codebook: &Codebook,
    tally: &Tally,
    municipality: usize,
    previous: Option<Previous>,
    options: Options,
) -> Summary {
    let name = &tally.municipalities()[municipality];
    let home = Selection::municipality(municipality);
    let previous = previous.and_then(|p| {
        let index = p.tally.find_municipality(name).ok()?;
        Some((p, Selection::municipality(index)))
    });
    let gender_codes: Vec<Code> = codebook.background.gender.values.keys().copied().collect();
    let grade_codes: Vec<Code> = codebook.background.grade.values.keys().copied().collect();

    let breakdowns = breakdowns(&gender_codes, &grade_codes, tally);
    let min_cell = options.min_cell.max(1);
    let mut respondent_groups = Vec::new();
    for breakdown in &breakdowns {
        let parts = breakdown.parts(home, |s| tally.respondents(s), |&n| n, min_cell);
        respondent_groups.extend(parts.map(|(group, n, published)| GroupCount {
            group,
            n: published.then_some(n),
        }));
    }

    let questions = codebook
        .themes
        .iter()
        .flat_map(|theme| theme.questions.iter().map(move |q| (theme, q)))
        .enumerate()
        .filter(|&(index, _)| tally.has_question(index))
        .map(|(index, (theme, question))| {
            let scale = Scale::of_question(question, &codebook.missing);
            let counts = |selection| tally.counts(index, selection);
            let home_counts = counts(home);
            let bench_counts = counts(Selection::ALL);
            let publish = |counts: &GroupCounts| counts.valid >= min_cell;
            let figures_if = |published: bool, counts: &GroupCounts| {
                published.then(|| figures(counts, &scale, question))
            };

            let mut groups = vec![
                GroupFigures {
                    group: Group::Municipality,
                    figures: figures_if(publish(&home_counts), &home_counts),
                },
                GroupFigures {
                    group: Group::Benchmark,
                    figures: figures_if(publish(&bench_counts), &bench_counts),
                },
            ];
            for breakdown in &breakdowns {
                let parts = breakdown.parts(home, counts, |c| c.valid, min_cell);
                groups.extend(parts.map(|(group, counts, published)| GroupFigures {
                    group,
                    figures: figures_if(published, &counts),
                }));
            }

            let has_indicator = question.indicator.is_some();
            let test = (has_indicator && publish(&home_counts))
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
                .filter(|(p, _)| has_indicator && p.tally.has_question(index))
                .and_then(|(p, selection)| {
                    let before = p.tally.counts(index, selection);
                    if !publish(&before) || !publish(&home_counts) {
                        return None;
                    }
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
            QuestionSummary {
                id: question.id.clone(),
                theme: theme.id.clone(),
                groups,
                significance: test.map(|t| t.significance),
                test,
                previous: trend,
            }
        })
        .collect();

    Summary {
        municipality: name.clone(),
        survey: codebook.survey.clone(),
        round: codebook.round,
        min_cell: options.min_cell,
        respondents: Respondents {
            municipality: tally.respondents(home),
            benchmark: tally.respondents(Selection::ALL),
            benchmark_municipalities: tally.municipalities().len(),
            groups: respondent_groups,
        },
        questions,
    }
}

/// A background variable the municipality's figures are broken down by.
struct Breakdown<'a> {
    /// The variable's codes, in order; one group each.
    codes: &'a [Code],
    /// Tally slots: one per code, then "unknown".
    slots: usize,
    group: fn(Code) -> Group,
    /// Narrows a selection to one slot of the variable.
    narrow: fn(Selection, usize) -> Selection,
}

impl Breakdown<'_> {
    /// Each group of the breakdown within `home`: its group, its part (`part` of the group's
    /// selection) and whether the part may be published, judged on `size` (its valid
    /// answers). The last slot holds unknown background; it is never shown but is part of
    /// what could be recovered by subtraction.
    fn parts<T>(
        &self,
        home: Selection,
        part: impl Fn(Selection) -> T,
        size: impl Fn(&T) -> u32,
        min_cell: u32,
    ) -> impl Iterator<Item = (Group, T, bool)> {
        let mut parts: Vec<T> = (0..self.slots)
            .map(|slot| part((self.narrow)(home, slot)))
            .collect();
        let unknown = parts
            .pop()
            .expect("a breakdown has a slot for unknown background");
        let sizes: Vec<u32> = parts.iter().map(&size).collect();
        let published = publishable(&sizes, size(&unknown), min_cell);
        let group = self.group;
        self.codes
            .iter()
            .zip(parts)
            .zip(published)
            .map(move |((&code, part), published)| (group(code), part, published))
    }
}

/// The gender and grade breakdowns of a tally.
fn breakdowns<'a>(gender: &'a [Code], grade: &'a [Code], tally: &Tally) -> [Breakdown<'a>; 2] {
    [
        Breakdown {
            codes: gender,
            slots: tally.gender_slots(),
            group: Group::Gender,
            narrow: |s, slot| Selection {
                gender: Some(slot),
                ..s
            },
        },
        Breakdown {
            codes: grade,
            slots: tally.grade_slots(),
            group: Group::Grade,
            narrow: |s, slot| Selection {
                grade: Some(slot),
                ..s
            },
        },
    ]
}

/// `count` of `base` in percent.
fn share(count: u32, base: u32) -> f64 {
    f64::from(count) * 100.0 / f64::from(base)
}

/// The figures of a group with at least one valid answer.
fn figures(counts: &GroupCounts, scale: &Scale, question: &Question) -> Figures {
    let n = counts.valid;
    let answered = n + counts.missing.iter().sum::<u32>();
    let percent = counts
        .categories
        .iter()
        .enumerate()
        .map(|(slot, &count)| (scale.code(slot), share(count, n)))
        .collect();
    let missing = counts
        .missing
        .iter()
        .enumerate()
        .map(|(i, &count)| (scale.code(scale.options() + i), share(count, answered)))
        .collect();
    let mean = matches!(
        question.kind,
        QuestionKind::Numeric { .. } | QuestionKind::Index { .. }
    )
    .then(|| counts.sum / f64::from(n));
    Figures {
        n,
        percent,
        missing,
        indicator: question
            .indicator
            .is_some()
            .then(|| share(counts.positive, n)),
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
    fn suppressed_groups_serialise_as_nulls() {
        let json = serde_json::to_value(GroupFigures {
            group: Group::Gender(Code(2)),
            figures: None,
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"group": "gender:2", "n": null, "percent": null, "missing": null,
                               "indicator": null, "mean": null})
        );
    }
}
