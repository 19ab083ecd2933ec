//! One pass over the respondent rows: counts per inner cell (municipality × every breakdown's
//! value, unknown included) for every question. Everything later is arithmetic on these
//! counts, so the whole national file is grouped once, whatever number of municipalities is
//! reported on.

use crate::survey::{Answers, BLANK, Codebook, QuestionKind, Responses, Scale};

/// Counts of every question for every inner cell.
///
/// A municipality's inner cells are every combination of the breakdowns' slots, numbered in
/// mixed radix with the last breakdown varying fastest; the last slot of each breakdown holds
/// respondents whose value is unknown. Cell `m × inner + local` is local cell `local` of
/// municipality `m`.
#[derive(Debug, Clone)]
pub struct Tally {
    municipalities: Vec<String>,
    /// Slots of each breakdown: its values, then "unknown".
    axes: Vec<usize>,
    /// Inner cells per municipality: the product of the axes' slots.
    inner: usize,
    /// Respondents per cell.
    respondents: Vec<u32>,
    /// Per codebook question; `None` where the data lack the question.
    questions: Vec<Option<QuestionCounts>>,
}

/// One question's counts per cell.
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
    /// Non-blank answers (valid or a missing code) per cell.
    answered: Vec<u32>,
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
    /// Non-blank answers: valid answers and missing codes.
    pub answered: u32,
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
            answered: self.answered - part.answered,
            positive: self.positive - part.positive,
            sum: self.sum - part.sum,
        }
    }

    /// Adds `other`'s counts to these.
    fn add(&mut self, other: &GroupCounts) {
        if self.categories.is_empty() && self.missing.is_empty() {
            self.categories = vec![0; other.categories.len()];
            self.missing = vec![0; other.missing.len()];
        }
        for (a, b) in self.categories.iter_mut().zip(&other.categories) {
            *a += b;
        }
        for (a, b) in self.missing.iter_mut().zip(&other.missing) {
            *a += b;
        }
        self.valid += other.valid;
        self.answered += other.answered;
        self.positive += other.positive;
        self.sum += other.sum;
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

/// One slot of one breakdown, e.g. "gender slot 1" or "grade unknown".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Part {
    /// The breakdown's index among the tally's axes.
    pub axis: usize,
    /// The slot (the last one is "unknown").
    pub slot: usize,
}

/// A set of cells: a municipality or everyone, whole or narrowed to one breakdown slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// `None` means every municipality.
    pub municipality: Option<usize>,
    /// `None` means every value of every breakdown.
    pub part: Option<Part>,
}

impl Selection {
    /// Everyone in the data.
    pub const ALL: Selection = Selection {
        municipality: None,
        part: None,
    };

    /// Everyone in one municipality.
    pub fn municipality(index: usize) -> Selection {
        Selection {
            municipality: Some(index),
            part: None,
        }
    }

    /// This selection narrowed to one slot of one breakdown.
    pub fn narrowed(self, part: Part) -> Selection {
        Selection {
            part: Some(part),
            ..self
        }
    }
}

impl Tally {
    /// Counts every answer of every question in one pass over the columns.
    pub fn count(codebook: &Codebook, responses: &Responses) -> Tally {
        let columns = [responses.gender_column(), responses.grade_column()];
        let axes = vec![
            responses.gender_scale().len() + 1,
            responses.grade_scale().len() + 1,
        ];
        let inner: usize = axes.iter().product();
        let municipalities = responses.municipalities().to_vec();
        let cells = municipalities.len() * inner;

        // The cell of every row, computed once and reused for every question. `cells` is at
        // most 65 536 municipalities × 256 × 256 slots = 2³².
        let row_cells: Vec<u32> = (0..responses.len())
            .map(|row| {
                let local = columns.iter().zip(&axes).fold(0, |cell, (column, &slots)| {
                    let slot = column[row];
                    let slot = if slot == BLANK {
                        slots - 1
                    } else {
                        usize::from(slot)
                    };
                    cell * slots + slot
                });
                (usize::from(responses.municipality_column()[row]) * inner + local) as u32
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
            axes,
            inner,
            respondents,
            questions,
        }
    }

    /// The municipality names, sorted; [`Selection::municipality`] takes an index into this.
    pub fn municipalities(&self) -> &[String] {
        &self.municipalities
    }

    /// The number of slots of each breakdown, the last slot of each being "unknown".
    pub fn axes(&self) -> &[usize] {
        &self.axes
    }

    /// The number of inner cells of a municipality.
    pub fn inner_cells(&self) -> usize {
        self.inner
    }

    /// The slot of breakdown `axis` that local cell `local` lies in.
    pub fn slot_of(&self, local: usize, axis: usize) -> usize {
        let stride: usize = self.axes[axis + 1..].iter().product();
        local / stride % self.axes[axis]
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

    /// Respondents per local cell of municipality `municipality`.
    pub fn respondents_by_cell(&self, municipality: usize) -> &[u32] {
        &self.respondents[municipality * self.inner..(municipality + 1) * self.inner]
    }

    /// The number of codebook questions (with or without data).
    pub fn questions(&self) -> usize {
        self.questions.len()
    }

    /// True when the data have question number `question`.
    pub fn has_question(&self, question: usize) -> bool {
        self.questions[question].is_some()
    }

    /// Valid and non-blank answers to `question` per local cell of `municipality` (empty
    /// when the data lack the question).
    pub fn answers_by_cell(&self, question: usize, municipality: usize) -> (&[u32], &[u32]) {
        let Some(q) = &self.questions[question] else {
            return (&[], &[]);
        };
        let cells = municipality * self.inner..(municipality + 1) * self.inner;
        (&q.valid[cells.clone()], &q.answered[cells])
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
            total.answered += q.answered[cell];
            total.positive += q.positive[cell];
            total.sum += q.sums[cell];
        }
        total.missing = slots.split_off(q.categories);
        total.categories = slots;
        total
    }

    /// The counts of `question` over the whole of each municipality in `municipalities`.
    pub fn counts_of(&self, question: usize, municipalities: &[usize]) -> GroupCounts {
        let mut total = GroupCounts::default();
        for &m in municipalities {
            total.add(&self.counts(question, Selection::municipality(m)));
        }
        total
    }

    /// The cells a selection covers.
    fn cells(&self, selection: Selection) -> impl Iterator<Item = usize> + '_ {
        let municipalities = match selection.municipality {
            Some(m) => m..m + 1,
            None => 0..self.municipalities.len(),
        };
        municipalities.flat_map(move |m| {
            (0..self.inner)
                .filter(move |&local| {
                    selection
                        .part
                        .is_none_or(|part| self.slot_of(local, part.axis) == part.slot)
                })
                .map(move |local| m * self.inner + local)
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
            answered: vec![0; cells],
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
                    counts.answered[cell] += 1;
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
                    counts.answered[cell] += 1;
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
                    counts.answered[cell] += 1;
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
