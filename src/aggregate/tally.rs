//! One pass over the respondent rows: counts per inner cell (unit × every shown breakdown's
//! value, unknown included) for every question. A unit is a municipality, or — for school
//! reports — a school, with one more unit per municipality for its pupils without a school.
//! Everything later is arithmetic on these counts, so the whole national file is grouped
//! once, whatever number of reports is made from it. Only cells that hold respondents have
//! question counts, so memory grows with the rows, not with the product of units and breakdown
//! values (a file whose "municipality" column is the pupil id has millions of cells).

use std::ops::Range;

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::survey::{
    Answers, BLANK, Codebook, NO_SCHOOL, Question, QuestionKind, Responses, Scale,
};

/// The finest units a tally counts, and the level of a report's unit.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// One unit per municipality.
    #[default]
    Municipality,
    /// One unit per school, and one per municipality for its pupils without a school.
    School,
}

/// Counts of every question for every inner cell.
///
/// A unit's inner cells are every combination of the breakdowns' slots, numbered in mixed
/// radix with the last breakdown varying fastest; the last slot of each breakdown holds
/// respondents whose value is unknown. Cell `u × inner + local` is local cell `local` of unit
/// `u`. The units of a municipality are consecutive.
#[derive(Debug, Clone)]
pub struct Tally {
    municipalities: Vec<String>,
    /// The schools, by municipality and name (empty at municipality level).
    schools: Vec<(usize, String)>,
    /// Per municipality, its units.
    units: Vec<Range<usize>>,
    /// Per unit, its school (an index into `schools`), or `None` for a municipality's unit or
    /// its pupils without a school.
    unit_school: Vec<Option<usize>>,
    /// The codebook breakdowns counted (the shown ones), in order: the axes.
    breakdowns: Vec<usize>,
    /// Slots of each breakdown: its values, then "unknown".
    axes: Vec<usize>,
    /// Inner cells per unit: the product of the axes' slots.
    inner: usize,
    /// Respondents per cell.
    respondents: Vec<u32>,
    /// Per cell, the index of its question counts ([`EMPTY`] when it holds no respondents).
    occupied: Vec<u32>,
    /// Per codebook question; `None` where the data lack the question.
    questions: Vec<Option<QuestionCounts>>,
    /// The schools as clusters of pupils, where the data name schools.
    clusters: Option<Clusters>,
    /// How many clusters the design has in all ([`Tally::design_clusters`]).
    design_clusters: u32,
}

/// Schools as clusters of pupils, for design-based variances ([`super::design`]): one per
/// school, then one per municipality for its pupils without a school. Counted at every level,
/// since a municipality's interval depends on how its schools differ.
#[derive(Debug, Clone)]
struct Clusters {
    /// Per cluster: its municipality.
    municipality: Vec<usize>,
    /// Per cluster: its school (an index into the survey's schools), or `None`.
    school: Vec<Option<usize>>,
    /// Per cluster: its respondents.
    respondents: Vec<u32>,
}

/// The index of a cell without respondents, which has no question counts.
const EMPTY: u32 = u32::MAX;

/// One question's counts per occupied cell (see [`Tally::occupied`]).
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
    /// Per cluster (empty without clusters): valid answers that count toward the indicator,
    /// and valid answers.
    cluster_positive: Vec<u32>,
    cluster_valid: Vec<u32>,
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

/// A municipality or school name that is not in the survey data, or that matches several.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnknownUnit {
    #[error(
        "{what} `{name}` is not in the survey data{within} ({}{within}){}",
        counted(*.known, .what),
        crate::suggest::did_you_mean(.suggestions)
    )]
    Missing {
        what: &'static str,
        name: String,
        /// Where it was looked for, e.g. " in Silkeborg", or empty.
        within: String,
        suggestions: Vec<String>,
        known: usize,
    },
    #[error(
        "{what} `{name}` is ambiguous: the data have {}; give the name exactly",
        .matches.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" and ")
    )]
    Ambiguous {
        what: &'static str,
        name: String,
        matches: Vec<String>,
    },
}

/// "1 school", "6 schools", "6 municipalities".
fn counted(n: usize, what: &str) -> String {
    match (n, what.strip_suffix('y')) {
        (1, _) => format!("1 {what}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {what}s"),
    }
}

/// The index of `name` among `names`: the name exactly as written (Unicode-normalised),
/// else the one name with the same [`crate::names::key`]; never a guess between several.
pub(crate) fn find_name<'a>(
    what: &'static str,
    name: &str,
    names: impl Iterator<Item = &'a str> + Clone,
) -> Result<usize, UnknownUnit> {
    let wanted: String = name.trim().nfc().collect();
    if let Some(index) = names.clone().position(|n| n == wanted) {
        return Ok(index);
    }
    let wanted_key = crate::names::key(&wanted);
    let folded: Vec<(usize, &str)> = names
        .clone()
        .enumerate()
        .filter(|(_, n)| crate::names::key(n) == wanted_key)
        .collect();
    match folded.as_slice() {
        [(index, _)] => Ok(*index),
        [] => Err(UnknownUnit::Missing {
            what,
            name: name.to_owned(),
            within: String::new(),
            suggestions: crate::suggest::closest(name, names.clone())
                .into_iter()
                .map(str::to_owned)
                .collect(),
            known: names.count(),
        }),
        several => Err(UnknownUnit::Ambiguous {
            what,
            name: name.to_owned(),
            matches: several.iter().map(|(_, n)| (*n).to_owned()).collect(),
        }),
    }
}

/// One slot of one breakdown, e.g. "gender slot 1" or "grade unknown".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Part {
    /// The breakdown's index among the tally's axes.
    pub axis: usize,
    /// The slot (the last one is "unknown").
    pub slot: usize,
}

/// A set of cells: a range of units (everyone, a municipality or a school), whole or
/// narrowed to one breakdown slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    units: Range<usize>,
    /// `None` means every value of every breakdown.
    part: Option<Part>,
}

impl Selection {
    /// This selection narrowed to one slot of one breakdown.
    pub fn narrowed(&self, part: Part) -> Selection {
        Selection {
            units: self.units.clone(),
            part: Some(part),
        }
    }
}

impl Level {
    /// The level's name in the data: `municipality` or `school`.
    pub fn id(self) -> &'static str {
        match self {
            Level::Municipality => "municipality",
            Level::School => "school",
        }
    }
}

impl Tally {
    /// Counts every answer of every question in one pass over the columns, at `level`.
    pub fn count(codebook: &Codebook, responses: &Responses, level: Level) -> Tally {
        let breakdowns: Vec<usize> = codebook
            .background
            .breakdowns
            .iter()
            .enumerate()
            .filter(|(_, b)| b.show)
            .map(|(i, _)| i)
            .collect();
        let columns: Vec<&[u8]> = breakdowns
            .iter()
            .map(|&b| responses.breakdown_column(b))
            .collect();
        let axes: Vec<usize> = breakdowns
            .iter()
            .map(|&b| responses.breakdown_scale(b).len() + 1)
            .collect();
        let inner: usize = axes.iter().product();
        let municipalities = responses.municipalities().to_vec();
        let (units, unit_school, schools, row_units) = match level {
            Level::Municipality => (
                (0..municipalities.len()).map(|m| m..m + 1).collect(),
                vec![None; municipalities.len()],
                Vec::new(),
                responses
                    .municipality_column()
                    .iter()
                    .map(|&m| usize::from(m))
                    .collect::<Vec<usize>>(),
            ),
            Level::School => school_units(responses),
        };
        let cells = unit_school.len() * inner;

        // The cell of every row, computed once and reused for every question. Codebook checks
        // keep `inner` ≤ 65 536 and reading keeps units ≤ 65 536, so a cell fits in a u32.
        let row_cells: Vec<u32> = row_units
            .iter()
            .enumerate()
            .map(|(row, &unit)| {
                let local = columns.iter().zip(&axes).fold(0, |cell, (column, &slots)| {
                    let slot = column[row];
                    let slot = if slot == BLANK {
                        slots - 1
                    } else {
                        usize::from(slot)
                    };
                    cell * slots + slot
                });
                (unit * inner + local) as u32
            })
            .collect();

        let mut respondents = vec![0u32; cells];
        for &cell in &row_cells {
            respondents[cell as usize] += 1;
        }
        let mut occupied = vec![EMPTY; cells];
        let mut next = 0;
        for (index, &n) in occupied.iter_mut().zip(&respondents) {
            if n > 0 {
                *index = next;
                next += 1;
            }
        }
        let row_cells: Vec<u32> = row_cells.iter().map(|&c| occupied[c as usize]).collect();
        let (clusters, row_clusters) = clusters(codebook, responses);
        // Each question is counted on its own, so they are counted in parallel.
        let questions: Vec<&Question> = codebook.questions().collect();
        let questions = questions
            .into_par_iter()
            .enumerate()
            .map(|(q, question)| {
                let answers = responses.answers(q)?;
                let scale = Scale::of_question(question, &codebook.missing);
                Some(QuestionCounts::count(
                    &question.kind,
                    &scale,
                    answers,
                    Rows {
                        cells: &row_cells,
                        clusters: &row_clusters,
                    },
                    next as usize,
                    clusters.as_ref().map_or(0, |c| c.respondents.len()),
                ))
            })
            .collect();
        Tally {
            municipalities,
            schools,
            units,
            unit_school,
            breakdowns,
            axes,
            inner,
            respondents,
            occupied,
            questions,
            design_clusters: match &clusters {
                Some(clusters) => clusters.respondents.iter().filter(|&&n| n > 0).count() as u32,
                None => row_cells.len() as u32,
            },
            clusters,
        }
    }

    /// The municipality names, sorted.
    pub fn municipalities(&self) -> &[String] {
        &self.municipalities
    }

    /// The schools (municipality index and name), sorted; empty at municipality level.
    pub fn schools(&self) -> &[(usize, String)] {
        &self.schools
    }

    /// The level the tally counts at.
    pub fn level(&self) -> Level {
        if self.schools.is_empty() && self.unit_school.len() == self.municipalities.len() {
            Level::Municipality
        } else {
            Level::School
        }
    }

    /// The units of municipality `municipality`.
    pub fn units_of(&self, municipality: usize) -> Range<usize> {
        self.units[municipality].clone()
    }

    /// The school of unit `unit`, if it is a school.
    pub fn school_of_unit(&self, unit: usize) -> Option<usize> {
        self.unit_school[unit]
    }

    /// The unit of school `school`.
    pub fn unit_of_school(&self, school: usize) -> usize {
        let municipality = self.schools[school].0;
        self.units_of(municipality)
            .find(|&u| self.unit_school[u] == Some(school))
            .expect("every school is a unit")
    }

    /// The codebook breakdowns counted, in axis order.
    pub fn breakdowns(&self) -> &[usize] {
        &self.breakdowns
    }

    /// The number of slots of each breakdown, the last slot of each being "unknown".
    pub fn axes(&self) -> &[usize] {
        &self.axes
    }

    /// The number of inner cells of a unit.
    pub fn inner_cells(&self) -> usize {
        self.inner
    }

    /// The slot of breakdown `axis` that local cell `local` lies in.
    pub fn slot_of(&self, local: usize, axis: usize) -> usize {
        let stride: usize = self.axes[axis + 1..].iter().product();
        local / stride % self.axes[axis]
    }

    /// The index of the municipality called `name` (see [`find_name`]).
    pub fn find_municipality(&self, name: &str) -> Result<usize, UnknownUnit> {
        find_name(
            "municipality",
            name,
            self.municipalities.iter().map(String::as_str),
        )
    }

    /// The index of the school called `name`, in `municipality` if given.
    pub fn find_school(
        &self,
        name: &str,
        municipality: Option<usize>,
    ) -> Result<usize, UnknownUnit> {
        let candidates: Vec<usize> = (0..self.schools.len())
            .filter(|&s| municipality.is_none_or(|m| self.schools[s].0 == m))
            .collect();
        let names = candidates.iter().map(|&s| self.schools[s].1.as_str());
        let found = find_name("school", name, names).map_err(|error| match error {
            // The same name in several municipalities: say which.
            UnknownUnit::Ambiguous { name, .. } => UnknownUnit::Ambiguous {
                what: "school",
                matches: candidates
                    .iter()
                    .filter(|&&s| crate::names::key(&self.schools[s].1) == crate::names::key(&name))
                    .map(|&s| {
                        format!(
                            "{} in {}",
                            self.schools[s].1, self.municipalities[self.schools[s].0]
                        )
                    })
                    .collect(),
                name,
            },
            UnknownUnit::Missing {
                what,
                name,
                suggestions,
                known,
                ..
            } => UnknownUnit::Missing {
                what,
                name,
                within: municipality
                    .map(|m| format!(" in {}", self.municipalities[m]))
                    .unwrap_or_default(),
                suggestions,
                known,
            },
        })?;
        // An exact name may still occur in several municipalities.
        let exact: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&s| self.schools[s].1 == self.schools[candidates[found]].1)
            .collect();
        if exact.len() > 1 {
            return Err(UnknownUnit::Ambiguous {
                what: "school",
                name: name.to_owned(),
                matches: exact
                    .iter()
                    .map(|&s| {
                        format!(
                            "{} in {}",
                            self.schools[s].1, self.municipalities[self.schools[s].0]
                        )
                    })
                    .collect(),
            });
        }
        Ok(candidates[found])
    }

    /// Everyone in the data.
    pub fn all(&self) -> Selection {
        Selection {
            units: 0..self.unit_school.len(),
            part: None,
        }
    }

    /// Everyone in municipality `municipality`.
    pub fn municipality(&self, municipality: usize) -> Selection {
        Selection {
            units: self.units_of(municipality),
            part: None,
        }
    }

    /// Everyone in unit `unit`.
    pub fn unit(&self, unit: usize) -> Selection {
        Selection {
            units: unit..unit + 1,
            part: None,
        }
    }

    /// Respondents in the selection.
    pub fn respondents(&self, selection: &Selection) -> u32 {
        self.cells(selection)
            .map(|cell| self.respondents[cell])
            .sum()
    }

    /// Respondents per local cell of every unit in `units`, unit after unit.
    pub fn respondents_by_cell(&self, units: Range<usize>) -> &[u32] {
        &self.respondents[units.start * self.inner..units.end * self.inner]
    }

    /// The number of codebook questions (with or without data).
    pub fn questions(&self) -> usize {
        self.questions.len()
    }

    /// True when the data have question number `question`.
    pub fn has_question(&self, question: usize) -> bool {
        self.questions[question].is_some()
    }

    /// Valid and non-blank answers to `question` per local cell of every unit in `units`
    /// (empty when the data lack the question).
    pub fn answers_by_cell(&self, question: usize, units: Range<usize>) -> (Vec<u32>, Vec<u32>) {
        let Some(q) = &self.questions[question] else {
            return (Vec::new(), Vec::new());
        };
        let cells = &self.occupied[units.start * self.inner..units.end * self.inner];
        let of = |counts: &[u32]| {
            cells
                .iter()
                .map(|&i| if i == EMPTY { 0 } else { counts[i as usize] })
                .collect()
        };
        (of(&q.valid), of(&q.answered))
    }

    /// The counts of question number `question` in the selection (empty when the data lack
    /// the question).
    pub fn counts(&self, question: usize, selection: &Selection) -> GroupCounts {
        let Some(q) = &self.questions[question] else {
            return GroupCounts::default();
        };
        let mut slots = vec![0u32; q.slots];
        let mut total = GroupCounts::default();
        for cell in self.cells(selection) {
            let cell = self.occupied[cell];
            if cell == EMPTY {
                continue;
            }
            let cell = cell as usize;
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

    /// The valid answers to `question` that count toward its indicator, and its valid
    /// answers, per local cell (see [`Tally`]) summed over the selection's units: what a
    /// comparison standardised over the breakdowns needs ([`super::standardise`]).
    pub fn indicator_by_cell(&self, question: usize, selection: &Selection) -> Vec<(u32, u32)> {
        let mut cells = vec![(0, 0); self.inner];
        let Some(q) = &self.questions[question] else {
            return cells;
        };
        for cell in self.cells(selection) {
            let occupied = self.occupied[cell];
            if occupied != EMPTY {
                let sums = &mut cells[cell % self.inner];
                sums.0 += q.positive[occupied as usize];
                sums.1 += q.valid[occupied as usize];
            }
        }
        cells
    }

    /// How many clusters the design has in all: the schools and, per municipality, its
    /// pupils without a school (those with respondents); or every respondent where the data
    /// name no schools.
    pub fn design_clusters(&self) -> u32 {
        self.design_clusters
    }

    /// `question`'s answers per cluster, where the data name schools: (municipality, school,
    /// positive, valid, respondents), the school an index into the survey's schools.
    pub fn clusters(
        &self,
        question: usize,
    ) -> Option<impl Iterator<Item = (usize, Option<usize>, u32, u32, u32)> + '_> {
        let clusters = self.clusters.as_ref()?;
        let q = self.questions[question].as_ref()?;
        Some((0..clusters.respondents.len()).map(move |c| {
            (
                clusters.municipality[c],
                clusters.school[c],
                q.cluster_positive[c],
                q.cluster_valid[c],
                clusters.respondents[c],
            )
        }))
    }

    /// The counts of `question` over the whole of each municipality in `municipalities`.
    pub fn counts_of(&self, question: usize, municipalities: &[usize]) -> GroupCounts {
        let mut total = GroupCounts::default();
        for &m in municipalities {
            total.add(&self.counts(question, &self.municipality(m)));
        }
        total
    }

    /// The cells a selection covers.
    fn cells<'s>(&'s self, selection: &'s Selection) -> impl Iterator<Item = usize> + 's {
        selection.units.clone().flat_map(move |unit| {
            (0..self.inner)
                .filter(move |&local| {
                    selection
                        .part
                        .is_none_or(|part| self.slot_of(local, part.axis) == part.slot)
                })
                .map(move |local| unit * self.inner + local)
        })
    }
}

/// The clusters of the data and each row's cluster, where the codebook has a school column
/// and the data name schools; else none (every pupil is a cluster of one).
fn clusters(codebook: &Codebook, responses: &Responses) -> (Option<Clusters>, Vec<u32>) {
    let schools = responses.schools();
    if codebook.background.school.is_none() || schools.is_empty() {
        return (None, Vec::new());
    }
    let municipalities = responses.municipalities().len();
    let mut clusters = Clusters {
        municipality: schools
            .iter()
            .map(|s| usize::from(s.municipality))
            .chain(0..municipalities)
            .collect(),
        school: (0..schools.len())
            .map(Some)
            .chain(std::iter::repeat_n(None, municipalities))
            .collect(),
        respondents: vec![0; schools.len() + municipalities],
    };
    let rows: Vec<u32> = responses
        .school_column()
        .iter()
        .zip(responses.municipality_column())
        .map(|(&school, &m)| {
            if school == NO_SCHOOL {
                (schools.len() + usize::from(m)) as u32
            } else {
                school
            }
        })
        .collect();
    for &cluster in &rows {
        clusters.respondents[cluster as usize] += 1;
    }
    (Some(clusters), rows)
}

/// Units at school level: per municipality its schools (in name order), then one unit for its
/// pupils without a school; with each row's unit.
#[allow(clippy::type_complexity)]
fn school_units(
    responses: &Responses,
) -> (
    Vec<Range<usize>>,
    Vec<Option<usize>>,
    Vec<(usize, String)>,
    Vec<usize>,
) {
    let schools: Vec<(usize, String)> = responses
        .schools()
        .iter()
        .map(|s| (usize::from(s.municipality), s.name.clone()))
        .collect();
    let mut units = Vec::new();
    let mut unit_school = Vec::new();
    let mut school_unit = vec![0; schools.len()];
    let mut without_school = Vec::new();
    let mut next_school = 0;
    for m in 0..responses.municipalities().len() {
        let first = unit_school.len();
        while next_school < schools.len() && schools[next_school].0 == m {
            school_unit[next_school] = unit_school.len();
            unit_school.push(Some(next_school));
            next_school += 1;
        }
        without_school.push(unit_school.len());
        unit_school.push(None);
        units.push(first..unit_school.len());
    }
    let row_units = responses
        .school_column()
        .iter()
        .zip(responses.municipality_column())
        .map(|(&school, &m)| {
            if school == NO_SCHOOL {
                without_school[usize::from(m)]
            } else {
                school_unit[school as usize]
            }
        })
        .collect();
    (units, unit_school, schools, row_units)
}

/// Each row's occupied cell and (where there are clusters) its cluster.
#[derive(Clone, Copy)]
struct Rows<'a> {
    cells: &'a [u32],
    clusters: &'a [u32],
}

impl QuestionCounts {
    fn count(
        kind: &QuestionKind,
        scale: &Scale,
        answers: &Answers,
        rows: Rows<'_>,
        cells: usize,
        clusters: usize,
    ) -> QuestionCounts {
        let row_cells = rows.cells;
        // `row_cells` and `cells` count occupied cells only: every row's cell is one.
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
            cluster_positive: vec![0; clusters],
            cluster_valid: vec![0; clusters],
        };
        match (kind, answers) {
            (QuestionKind::Single { positive, .. }, Answers::Coded(answers)) => {
                let is_positive: Vec<bool> = (0..slots)
                    .map(|slot| slot < categories && positive.contains(&scale.code(slot)))
                    .collect();
                for (row, (&cell, &slot)) in row_cells.iter().zip(answers).enumerate() {
                    if slot == BLANK {
                        continue;
                    }
                    let (cell, slot) = (cell as usize, slot as usize);
                    counts.counts[cell * slots + slot] += 1;
                    counts.answered[cell] += 1;
                    if slot < categories {
                        counts.add_valid(rows, row, cell, is_positive[slot]);
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
                    counts.answered[cell] += 1;
                    for (option, column) in ticks.iter().enumerate() {
                        counts.counts[cell * slots + option] += u32::from(column[row] == 1);
                    }
                    let any = positive.iter().any(|&option| ticks[option][row] == 1);
                    counts.add_valid(rows, row, cell, any);
                }
            }
            (
                QuestionKind::Numeric { threshold, .. } | QuestionKind::Index { threshold, .. },
                Answers::Valued {
                    slots: answers,
                    values,
                },
            ) => {
                for (row, ((&cell, &slot), &value)) in
                    row_cells.iter().zip(answers).zip(values).enumerate()
                {
                    if slot == BLANK {
                        continue;
                    }
                    let (cell, slot) = (cell as usize, slot as usize);
                    counts.counts[cell * slots + slot] += 1;
                    counts.answered[cell] += 1;
                    if slot < categories {
                        let value = f64::from(value);
                        counts.sums[cell] += value;
                        counts.add_valid(rows, row, cell, threshold.is_some_and(|t| value >= t));
                    }
                }
            }
            _ => unreachable!("answers are stored in the form of their question's kind"),
        }
        counts
    }

    /// Counts a valid answer of `row` in `cell`, and in the row's cluster where there are
    /// clusters: one rule for both, in the same pass.
    fn add_valid(&mut self, rows: Rows<'_>, row: usize, cell: usize, positive: bool) {
        self.valid[cell] += 1;
        self.positive[cell] += u32::from(positive);
        if let Some(&cluster) = rows.clusters.get(row) {
            let cluster = cluster as usize;
            self.cluster_valid[cluster] += 1;
            self.cluster_positive[cluster] += u32::from(positive);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_name_is_counted_in_plain_english() {
        let names = ["Aarhus", "Silkeborg"];
        let error = find_name("municipality", "Odense", names.iter().copied()).unwrap_err();
        assert!(error.to_string().contains("(2 municipalities)"), "{error}");
        let error = find_name("school", "Byskolen", ["Åskolen"].iter().copied()).unwrap_err();
        assert!(error.to_string().contains("(1 school)"), "{error}");
        // The name key: spaces, case and composition do not matter.
        assert_eq!(
            find_name("municipality", " silkeborg ", names.iter().copied()),
            Ok(1)
        );
    }
}
