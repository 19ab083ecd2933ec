//! The disclosure-control pattern of one survey file: for every municipality, which of its
//! groups (the whole municipality, and each value of each breakdown) may be published in the
//! respondents table and for each question. It is computed once per file from every cell any
//! report of the file can publish, so `build`, `batch`, `--only` and shards all publish the
//! same cells.
//!
//! The tables it protects are linked in three ways, and each is covered:
//! - within a municipality, the breakdowns add up to the whole with the respondents of unknown
//!   background: one elimination over its inner cells covers every breakdown at once;
//! - across municipalities, through the comparison groups ("Alle kommuner"): these are only
//!   ever summed from municipalities published for the question (see
//!   [`Pattern::published_municipalities`]), so they add nothing that could be subtracted;
//! - between tables of the same respondents (the respondents table and a question everyone
//!   answered, or a question's valid and non-blank answers): a question withholds at least
//!   what the respondents table withholds, and is judged on its valid and non-blank answers
//!   together, so two tables never publish more than the one that was checked.

use rayon::prelude::*;

use super::disclosure::{Decision, Tables, protect};
use super::tally::{Part, Tally};

/// A publishable group of a municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// All its respondents.
    Whole,
    /// Its respondents with one known value of one breakdown.
    Part(Part),
}

/// Which groups may be published, for every municipality of a tally.
#[derive(Debug, Clone)]
pub struct Pattern {
    min_cell: u32,
    /// The groups of each municipality, the whole first.
    scopes: Vec<Scope>,
    /// Per municipality.
    municipalities: Vec<Decisions>,
}

/// One municipality's decisions, one per scope.
#[derive(Debug, Clone)]
struct Decisions {
    respondents: Vec<Decision>,
    /// Per question; `None` where the data lack it.
    questions: Vec<Option<Vec<Decision>>>,
}

/// How many groups of a question are withheld across all municipalities, and why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WithheldCounts {
    /// Groups that may be published.
    pub published: usize,
    pub primary: usize,
    pub secondary: usize,
}

impl Pattern {
    /// Decides every group of every municipality in `tally` at threshold `min_cell`.
    pub fn of(tally: &Tally, min_cell: u32) -> Pattern {
        let min_cell = min_cell.max(1);
        let (scopes, cells) = layout(tally);
        let municipalities = (0..tally.municipalities().len())
            .into_par_iter()
            .map(|m| {
                let decide = |measures: &[&[u32]], withheld: &[bool]| {
                    let priority = priority(&cells, measures);
                    protect(
                        Tables {
                            cells: &cells,
                            priority: &priority,
                            measures,
                            withheld,
                        },
                        min_cell,
                    )
                };
                let respondents = decide(&[tally.respondents_by_cell(m)], &[]);
                let withheld: Vec<bool> = respondents.iter().map(|d| !d.is_published()).collect();
                let questions = (0..tally.questions())
                    .map(|q| {
                        tally.has_question(q).then(|| {
                            let (valid, answered) = tally.answers_by_cell(q, m);
                            decide(&[valid, answered], &withheld)
                        })
                    })
                    .collect();
                Decisions {
                    respondents,
                    questions,
                }
            })
            .collect();
        Pattern {
            min_cell,
            scopes,
            municipalities,
        }
    }

    /// The threshold the pattern protects.
    pub fn min_cell(&self) -> u32 {
        self.min_cell
    }

    /// The groups of every municipality, in the order of the decisions.
    pub fn scopes(&self) -> &[Scope] {
        &self.scopes
    }

    /// The decisions for municipality `municipality`'s respondents table.
    pub fn respondents(&self, municipality: usize) -> &[Decision] {
        &self.municipalities[municipality].respondents
    }

    /// The decisions for `question` in `municipality`, or `None` when the data lack it.
    pub fn question(&self, question: usize, municipality: usize) -> Option<&[Decision]> {
        self.municipalities[municipality].questions[question].as_deref()
    }

    /// The municipalities whose whole figures for `question` are published (all of them
    /// have at least `min_cell` answers, or none): the only ones a comparison group may sum.
    pub fn published_municipalities(&self, question: usize) -> Vec<usize> {
        (0..self.municipalities.len())
            .filter(|&m| {
                self.question(question, m)
                    .is_some_and(|d| d[0].is_published())
            })
            .collect()
    }

    /// The municipalities whose number of respondents is published.
    pub fn reported_municipalities(&self) -> Vec<usize> {
        (0..self.municipalities.len())
            .filter(|&m| self.respondents(m)[0].is_published())
            .collect()
    }

    /// How many groups of `question` are withheld over all municipalities, and why.
    pub fn withheld(&self, question: usize) -> WithheldCounts {
        let mut totals = WithheldCounts::default();
        let decisions = self
            .municipalities
            .iter()
            .filter_map(|m| m.questions[question].as_ref())
            .flatten();
        for decision in decisions {
            match decision {
                Decision::Published => totals.published += 1,
                Decision::Primary => totals.primary += 1,
                Decision::Secondary => totals.secondary += 1,
            }
        }
        totals
    }
}

/// The groups of a municipality and the local cells each one sums: the whole, then each
/// known value of each breakdown (the unknown slot is never published).
fn layout(tally: &Tally) -> (Vec<Scope>, Vec<Vec<u32>>) {
    let inner = tally.inner_cells();
    let mut scopes = vec![Scope::Whole];
    let mut cells = vec![(0..inner as u32).collect::<Vec<u32>>()];
    for (axis, &slots) in tally.axes().iter().enumerate() {
        for slot in 0..slots - 1 {
            scopes.push(Scope::Part(Part { axis, slot }));
            cells.push(
                (0..inner)
                    .filter(|&local| tally.slot_of(local, axis) == slot)
                    .map(|local| local as u32)
                    .collect(),
            );
        }
    }
    (scopes, cells)
}

/// The order in which groups are offered for publication: the whole first, then the larger
/// groups before the smaller (by each measure in turn, then by position), so that what must
/// be withheld to protect a small group is the smallest group that does.
fn priority(cells: &[Vec<u32>], measures: &[&[u32]]) -> Vec<usize> {
    let size = |group: usize| -> Vec<u64> {
        measures
            .iter()
            .map(|m| cells[group].iter().map(|&c| u64::from(m[c as usize])).sum())
            .collect()
    };
    let sizes: Vec<Vec<u64>> = (0..cells.len()).map(size).collect();
    let mut order: Vec<usize> = (1..cells.len()).collect();
    order.sort_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
    order.insert(0, 0);
    order
}
