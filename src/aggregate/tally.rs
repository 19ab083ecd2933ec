//! One pass over the respondent rows: counts per (municipality, gender, grade) cell for every
//! question. Everything later is arithmetic on these counts, so the whole national file is
//! grouped once, whatever number of municipalities is reported on.

use crate::survey::{Answers, BLANK, Codebook, QuestionKind, Responses, Scale};

/// Counts of every question for every combination of municipality, gender and grade.
///
/// Background cells are numbered `(municipality × genders + gender) × grades + grade`, where
/// the last gender and grade slot hold respondents whose background is unknown.
#[derive(Debug, Clone)]
pub struct Tally {
    municipalities: Vec<String>,
    genders: usize,
    grades: usize,
    /// Respondents per background cell.
    respondents: Vec<u32>,
    /// Per codebook question; `None` where the data lack the question.
    questions: Vec<Option<QuestionCounts>>,
}

/// One question's counts per background cell.
#[derive(Debug, Clone)]
struct QuestionCounts {
    /// Category slots followed by missing-code slots.
    slots: usize,
    /// How many of the slots are categories (the rest are missing codes).
    categories: usize,
    /// `counts[cell × slots + slot]`: answers per slot (for multiple choice: ticks per option).
    counts: Vec<u32>,
    /// Valid answers (for multiple choice: respondents who answered) per cell.
    valid: Vec<u32>,
    /// Valid answers that count toward the indicator, per cell.
    positive: Vec<u32>,
    /// Sum of valid values per cell (numeric and index questions).
    sums: Vec<f64>,
}

/// The counts of one group for one question.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupCounts {
    /// Answers per category (option or bin); for multiple choice, ticks per option.
    pub categories: Vec<u32>,
    /// Answers per missing code.
    pub missing: Vec<u32>,
    /// Valid answers: the percentage base.
    pub valid: u32,
    /// Valid answers that count toward the indicator.
    pub positive: u32,
    /// Sum of the valid values (numeric and index questions).
    pub sum: f64,
}

impl GroupCounts {
    /// The counts of the respondents in `self` but not in `part` (e.g. everyone outside a
    /// municipality: the benchmark minus the municipality).
    pub fn minus(&self, part: &GroupCounts) -> GroupCounts {
        let sub = |a: &[u32], b: &[u32]| a.iter().zip(b).map(|(a, b)| a - b).collect();
        GroupCounts {
            categories: sub(&self.categories, &part.categories),
            missing: sub(&self.missing, &part.missing),
            valid: self.valid - part.valid,
            positive: self.positive - part.positive,
            sum: self.sum - part.sum,
        }
    }
}

/// A municipality name that is not in the survey data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "municipality `{name}` is not in the survey data ({known} municipalities){}",
    crate::suggest::did_you_mean(.suggestions)
)]
pub struct UnknownMunicipality {
    pub name: String,
    pub suggestions: Vec<String>,
    pub known: usize,
}

/// A set of background cells, e.g. "municipality 3, girls, any grade".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// `None` means every municipality.
    pub municipality: Option<usize>,
    /// A gender slot (the last one is "unknown"), or `None` for any gender.
    pub gender: Option<usize>,
    /// A grade slot (the last one is "unknown"), or `None` for any grade.
    pub grade: Option<usize>,
}

impl Selection {
    /// Everyone in the data.
    pub const ALL: Selection = Selection {
        municipality: None,
        gender: None,
        grade: None,
    };

    /// Everyone in one municipality.
    pub fn municipality(index: usize) -> Selection {
        Selection {
            municipality: Some(index),
            ..Selection::ALL
        }
    }
}

impl Tally {
    /// Counts every answer of every question in one pass over the columns.
    pub fn count(codebook: &Codebook, responses: &Responses) -> Tally {
        let genders = responses.gender_scale().len() + 1;
        let grades = responses.grade_scale().len() + 1;
        let municipalities = responses.municipalities().to_vec();
        let cells = municipalities.len() * genders * grades;

        // The background cell of every row, computed once and reused for every question.
        let slot_or_unknown = |slot: u8, unknown: usize| {
            if slot == BLANK {
                unknown
            } else {
                slot as usize
            }
        };
        let row_cells: Vec<u32> = responses
            .municipality_column()
            .iter()
            .zip(responses.gender_column())
            .zip(responses.grade_column())
            .map(|((&m, &g), &k)| {
                let cell = (m as usize * genders + slot_or_unknown(g, genders - 1)) * grades
                    + slot_or_unknown(k, grades - 1);
                // `cells` is at most 65 536 × 256 × 256 = 2³².
                cell as u32
            })
            .collect();

        let mut respondents = vec![0u32; cells];
        for &cell in &row_cells {
            respondents[cell as usize] += 1;
        }
        let questions = codebook
            .questions()
            .enumerate()
            .map(|(q, question)| {
                let answers = responses.answers(q)?;
                let scale = Scale::of_question(question, &codebook.missing);
                Some(QuestionCounts::count(
                    &question.kind,
                    &scale,
                    answers,
                    &row_cells,
                    cells,
                ))
            })
            .collect();
        Tally {
            municipalities,
            genders,
            grades,
            respondents,
            questions,
        }
    }

    /// The municipality names, sorted; [`Selection::municipality`] takes an index into this.
    pub fn municipalities(&self) -> &[String] {
        &self.municipalities
    }

    /// Number of gender slots, the last being "unknown".
    pub fn gender_slots(&self) -> usize {
        self.genders
    }

    /// Number of grade slots, the last being "unknown".
    pub fn grade_slots(&self) -> usize {
        self.grades
    }

    /// The index of the municipality called `name` (ignoring case).
    pub fn find_municipality(&self, name: &str) -> Result<usize, UnknownMunicipality> {
        let wanted = name.trim().to_lowercase();
        self.municipalities
            .iter()
            .position(|m| m.to_lowercase() == wanted)
            .ok_or_else(|| UnknownMunicipality {
                name: name.to_owned(),
                suggestions: crate::suggest::closest(
                    name,
                    self.municipalities.iter().map(String::as_str),
                )
                .into_iter()
                .map(str::to_owned)
                .collect(),
                known: self.municipalities.len(),
            })
    }

    /// Respondents in the selection.
    pub fn respondents(&self, selection: Selection) -> u32 {
        self.cells(selection)
            .map(|cell| self.respondents[cell])
            .sum()
    }

    /// True when the data have question number `question`.
    pub fn has_question(&self, question: usize) -> bool {
        self.questions[question].is_some()
    }

    /// The counts of question number `question` in the selection (empty when the data lack
    /// the question).
    pub fn counts(&self, question: usize, selection: Selection) -> GroupCounts {
        let Some(q) = &self.questions[question] else {
            return GroupCounts::default();
        };
        let mut slots = vec![0u32; q.slots];
        let mut total = GroupCounts::default();
        for cell in self.cells(selection) {
            let start = cell * q.slots;
            for (sum, count) in slots.iter_mut().zip(&q.counts[start..start + q.slots]) {
                *sum += count;
            }
            total.valid += q.valid[cell];
            total.positive += q.positive[cell];
            total.sum += q.sums[cell];
        }
        total.missing = slots.split_off(q.categories);
        total.categories = slots;
        total
    }

    /// The background cells a selection covers.
    fn cells(&self, selection: Selection) -> impl Iterator<Item = usize> + '_ {
        let municipalities = match selection.municipality {
            Some(m) => m..m + 1,
            None => 0..self.municipalities.len(),
        };
        let genders = match selection.gender {
            Some(g) => g..g + 1,
            None => 0..self.genders,
        };
        let grades = match selection.grade {
            Some(k) => k..k + 1,
            None => 0..self.grades,
        };
        municipalities.flat_map(move |m| {
            let grades = grades.clone();
            genders.clone().flat_map(move |g| {
                grades
                    .clone()
                    .map(move |k| (m * self.genders + g) * self.grades + k)
            })
        })
    }
}

impl QuestionCounts {
    fn count(
        kind: &QuestionKind,
        scale: &Scale,
        answers: &Answers,
        row_cells: &[u32],
        cells: usize,
    ) -> QuestionCounts {
        let slots = scale.len();
        let categories = scale.options();
        let mut counts = QuestionCounts {
            slots,
            categories,
            counts: vec![0; cells * slots],
            valid: vec![0; cells],
            positive: vec![0; cells],
            sums: vec![0.0; cells],
        };
        match (kind, answers) {
            (QuestionKind::Single { positive, .. }, Answers::Coded(answers)) => {
                let is_positive: Vec<bool> = (0..slots)
                    .map(|slot| slot < categories && positive.contains(&scale.code(slot)))
                    .collect();
                for (&cell, &slot) in row_cells.iter().zip(answers) {
                    if slot == BLANK {
                        continue;
                    }
                    let (cell, slot) = (cell as usize, slot as usize);
                    counts.counts[cell * slots + slot] += 1;
                    if slot < categories {
                        counts.valid[cell] += 1;
                        counts.positive[cell] += u32::from(is_positive[slot]);
                    }
                }
            }
            (QuestionKind::Multiple { positive, .. }, Answers::Ticks(ticks)) => {
                let positive: Vec<usize> = (0..categories)
                    .filter(|&slot| positive.contains(&scale.code(slot)))
                    .collect();
                for (row, &cell) in row_cells.iter().enumerate() {
                    let cell = cell as usize;
                    // A respondent answered if any option column is filled in.
                    if answers.is_blank(row) {
                        continue;
                    }
                    counts.valid[cell] += 1;
                    for (option, column) in ticks.iter().enumerate() {
                        counts.counts[cell * slots + option] += u32::from(column[row] == 1);
                    }
                    let any = positive.iter().any(|&option| ticks[option][row] == 1);
                    counts.positive[cell] += u32::from(any);
                }
            }
            (
                QuestionKind::Numeric { threshold, .. } | QuestionKind::Index { threshold, .. },
                Answers::Valued {
                    slots: answers,
                    values,
                },
            ) => {
                for ((&cell, &slot), &value) in row_cells.iter().zip(answers).zip(values) {
                    if slot == BLANK {
                        continue;
                    }
                    let (cell, slot) = (cell as usize, slot as usize);
                    counts.counts[cell * slots + slot] += 1;
                    if slot < categories {
                        let value = f64::from(value);
                        counts.valid[cell] += 1;
                        counts.sums[cell] += value;
                        counts.positive[cell] += u32::from(threshold.is_some_and(|t| value >= t));
                    }
                }
            }
            _ => unreachable!("answers are stored in the form of their question's kind"),
        }
        counts
    }
}
