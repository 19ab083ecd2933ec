//! The figures of one municipality's report: per question and group, the distribution of valid
//! answers, the missing-code shares and the headline indicator, with small groups suppressed.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use super::tally::{Selection, Tally};
use crate::survey::{Code, Codebook, Question, QuestionId, Scale};

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
    /// Valid answers (answers in an option code).
    pub n: u32,
    /// Share of valid answers per option code, in percent (unrounded).
    pub percent: BTreeMap<Code, f64>,
    /// Share of all non-blank answers per missing code, in percent (unrounded).
    pub missing: BTreeMap<Code, f64>,
    /// Share of valid answers in the question's `positive` codes, if it has an indicator.
    pub indicator: Option<f64>,
}

/// A group's figures, or `None` where privacy suppression withheld them.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFigures {
    pub group: Group,
    pub figures: Option<Figures>,
}

impl Serialize for GroupFigures {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("GroupFigures", 5)?;
        out.serialize_field("group", &self.group)?;
        let figures = self.figures.as_ref();
        out.serialize_field("n", &figures.map(|f| f.n))?;
        out.serialize_field("percent", &figures.map(|f| &f.percent))?;
        out.serialize_field("missing", &figures.map(|f| &f.missing))?;
        out.serialize_field("indicator", &figures.and_then(|f| f.indicator))?;
        out.end()
    }
}

/// One question's figures for every group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionSummary {
    pub id: QuestionId,
    pub theme: String,
    pub groups: Vec<GroupFigures>,
}

/// Respondent counts shown in the report's introduction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Respondents {
    pub municipality: u32,
    pub benchmark: u32,
    /// Number of municipalities in the benchmark.
    pub benchmark_municipalities: usize,
}

/// Everything the report of one municipality shows, already privacy-checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub municipality: String,
    pub survey: String,
    pub round: u16,
    pub min_cell: u32,
    pub respondents: Respondents,
    pub questions: Vec<QuestionSummary>,
}

/// Computes the report figures of municipality number `municipality` (an index into
/// [`Tally::municipalities`]) against everyone in the tally.
pub fn summarise(
    codebook: &Codebook,
    tally: &Tally,
    municipality: usize,
    options: Options,
) -> Summary {
    let gender_scale = Scale::of_breakdown(&codebook.background.gender);
    let grade_scale = Scale::of_breakdown(&codebook.background.grade);
    let home = Selection::municipality(municipality);
    let mut groups = vec![
        (Group::Municipality, home),
        (Group::Benchmark, Selection::ALL),
    ];
    groups.extend((0..gender_scale.len()).map(|slot| {
        let selection = Selection {
            gender: Some(slot),
            ..home
        };
        (Group::Gender(gender_scale.code(slot)), selection)
    }));
    groups.extend((0..grade_scale.len()).map(|slot| {
        let selection = Selection {
            grade: Some(slot),
            ..home
        };
        (Group::Grade(grade_scale.code(slot)), selection)
    }));

    let questions = codebook
        .themes
        .iter()
        .flat_map(|theme| theme.questions.iter().map(move |q| (theme, q)))
        .enumerate()
        .map(|(index, (theme, question))| {
            let scale = Scale::of_question(question, &codebook.missing);
            let groups = groups
                .iter()
                .map(|&(group, selection)| {
                    let counts = tally.answers(index, selection);
                    GroupFigures {
                        group,
                        figures: figures(&counts, &scale, question, options.min_cell),
                    }
                })
                .collect();
            QuestionSummary {
                id: question.id.clone(),
                theme: theme.id.clone(),
                groups,
            }
        })
        .collect();

    Summary {
        municipality: tally.municipalities()[municipality].clone(),
        survey: codebook.survey.clone(),
        round: codebook.round,
        min_cell: options.min_cell,
        respondents: Respondents {
            municipality: tally.respondents(home),
            benchmark: tally.respondents(Selection::ALL),
            benchmark_municipalities: tally.municipalities().len(),
        },
        questions,
    }
}

/// The figures of one group, or `None` when it has fewer than `min_cell` valid answers.
fn figures(counts: &[u32], scale: &Scale, question: &Question, min_cell: u32) -> Option<Figures> {
    let (options, missing) = counts.split_at(scale.options());
    let n: u32 = options.iter().sum();
    if n < min_cell.max(1) {
        return None;
    }
    let answered = n + missing.iter().sum::<u32>();
    let share = |count: u32, base: u32| f64::from(count) * 100.0 / f64::from(base);
    let percent = options
        .iter()
        .enumerate()
        .map(|(slot, &count)| (scale.code(slot), share(count, n)))
        .collect();
    let missing = missing
        .iter()
        .enumerate()
        .map(|(i, &count)| (scale.code(scale.options() + i), share(count, answered)))
        .collect();
    let indicator = (!question.positive.is_empty()).then(|| {
        let positive = options
            .iter()
            .enumerate()
            .filter(|(slot, _)| question.positive.contains(&scale.code(*slot)))
            .map(|(_, &count)| count)
            .sum();
        share(positive, n)
    });
    Some(Figures {
        n,
        percent,
        missing,
        indicator,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::QuestionId;

    fn question() -> Question {
        Question {
            id: QuestionId("q".into()),
            text: String::new(),
            options: [
                (Code(1), "a".into()),
                (Code(2), "b".into()),
                (Code(3), "c".into()),
            ]
            .into(),
            positive: vec![Code(1), Code(2)],
            indicator: Some("x".into()),
        }
    }

    fn scale() -> Scale {
        Scale::of_question(&question(), &[(Code(98), "Ved ikke".into())].into())
    }

    #[test]
    fn percentages_use_valid_answers_and_missing_uses_all_answers() {
        // 6 × code 1, 3 × code 2, 1 × code 3, 2 × "ved ikke".
        let figures = figures(&[6, 3, 1, 2], &scale(), &question(), 5).unwrap();
        assert_eq!(figures.n, 10);
        assert_eq!(figures.percent[&Code(1)], 60.0);
        assert_eq!(figures.percent[&Code(3)], 10.0);
        assert!((figures.missing[&Code(98)] - 200.0 / 12.0).abs() < 1e-12);
        assert_eq!(figures.indicator, Some(90.0));
    }

    #[test]
    fn a_group_below_the_threshold_is_suppressed_and_one_at_it_is_not() {
        assert_eq!(figures(&[2, 1, 1, 9], &scale(), &question(), 5), None);
        assert!(figures(&[2, 2, 1, 0], &scale(), &question(), 5).is_some());
    }

    #[test]
    fn an_empty_group_is_suppressed_even_without_a_threshold() {
        assert_eq!(figures(&[0, 0, 0, 3], &scale(), &question(), 0), None);
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
            serde_json::json!({"group": "gender:2", "n": null, "percent": null, "missing": null, "indicator": null})
        );
    }
}
