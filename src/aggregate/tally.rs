//! One pass over the respondent rows: counts per (municipality, gender, grade, answer) for
//! every question. Everything later is arithmetic on these counts.

use crate::survey::{BLANK, Responses};

/// Counts of every combination of municipality, gender, grade and answer slot, per question.
///
/// Background cells are numbered `(municipality × genders + gender) × grades + grade`, where the
/// last gender and grade slot hold respondents whose background is unknown.
#[derive(Debug, Clone)]
pub struct Tally {
    municipalities: Vec<String>,
    genders: usize,
    grades: usize,
    /// Respondents per background cell.
    respondents: Vec<u32>,
    questions: Vec<QuestionCounts>,
}

/// The counts of one question: `counts[cell × slots + slot]`.
#[derive(Debug, Clone)]
struct QuestionCounts {
    slots: usize,
    counts: Vec<u32>,
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
    /// A gender slot, or `None` for any gender (including unknown).
    pub gender: Option<usize>,
    /// A grade slot, or `None` for any grade (including unknown).
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
    pub fn count(responses: &Responses) -> Tally {
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
                // `cells` is at most 65 536 × 256 × 256 < 2³².
                cell as u32
            })
            .collect();

        let mut respondents = vec![0u32; cells];
        for &cell in &row_cells {
            respondents[cell as usize] += 1;
        }
        let questions = (0..responses.question_count())
            .map(|q| {
                let slots = responses.scale(q).len();
                let mut counts = vec![0u32; cells * slots];
                for (&cell, &slot) in row_cells.iter().zip(responses.answer_column(q)) {
                    if slot != BLANK {
                        counts[cell as usize * slots + slot as usize] += 1;
                    }
                }
                QuestionCounts { slots, counts }
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

    /// Answers per slot of question `question` in the selection.
    pub fn answers(&self, question: usize, selection: Selection) -> Vec<u32> {
        let QuestionCounts { slots, counts } = &self.questions[question];
        let mut total = vec![0u32; *slots];
        for cell in self.cells(selection) {
            let start = cell * slots;
            for (sum, count) in total.iter_mut().zip(&counts[start..start + slots]) {
                *sum += count;
            }
        }
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
