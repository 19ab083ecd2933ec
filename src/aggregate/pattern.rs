//! The disclosure-control pattern of one survey file: for every municipality — and, for
//! school reports, every school — which of its groups (the whole, and each value of each
//! breakdown) may be published in the respondents table and for each question. It is
//! computed once per file from every cell the file's reports can publish, so `build`,
//! `batch`, `--only` and shards all publish the same cells.
//!
//! The tables it protects are linked in four ways, and each is covered:
//! - within a unit, the breakdowns add up to the whole with the respondents of unknown
//!   background: one elimination over the unit's inner cells covers every breakdown at once;
//! - schools add up to their municipality (with its pupils without a school): a municipality
//!   and its schools are one system, the municipality's groups offered first, and no
//!   school's withheld figure follows from the municipality's minus the other schools'. A
//!   municipality report of a round that also publishes school reports takes the same
//!   decisions ([`Pattern::municipal`]), so the two levels publish one set of figures;
//! - across municipalities, through the comparison groups ("Alle kommuner", regions, custom
//!   groups): these are only ever summed from municipalities published for the question (see
//!   [`Pattern::published_municipalities`]), so they add nothing that could be subtracted;
//! - between tables of the same respondents (the respondents table and a question everyone
//!   answered, or a question's valid and non-blank answers): a question withholds at least
//!   what the respondents table withholds, and is judged on its valid and non-blank answers
//!   together, so two tables never publish more than the one that was checked.

use rayon::prelude::*;

use super::disclosure::{Decision, Tables, Zeros, protect};
use super::tally::{Level, Part, Tally};

mod projection;

/// Which unit a group belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitRef {
    /// A municipality, by its index in the tally.
    Municipality(usize),
    /// A school, by its index in the tally (school level only).
    School(usize),
}

/// A publishable group: a unit, whole or narrowed to one value of one breakdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope {
    pub unit: UnitRef,
    pub part: Option<Part>,
}

/// Which municipalities a pattern decides every group of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// Every municipality (and school): a batch, `report validate`.
    All,
    /// One municipality with its schools, or none: all one report needs in full. Of the
    /// others only the wholes are decided (their respondents, and each question's whole,
    /// which the comparison groups sum), exactly as in full: the whole is the first group a
    /// municipality's system offers, and a group's decision depends only on the groups
    /// offered before it. Every other group of theirs counts as withheld.
    One(Option<usize>),
}

impl Focus {
    /// Whether every group of municipality `m` is decided.
    fn is_full(self, m: usize) -> bool {
        match self {
            Focus::All => true,
            Focus::One(one) => one == Some(m),
        }
    }
}

/// How far down a municipality's system, in the order groups are offered, its questions are
/// decided; the groups after that are withheld without being offered. Its respondents table
/// is decided in full in any case: what it publishes bounds every question's groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// The whole only: what the comparison groups sum ([`Focus::One`]'s other municipalities).
    Whole,
    /// The municipality's own groups, its whole and parts: what its report publishes.
    Own,
    /// Every group, its schools' too.
    Schools,
}

/// Which groups may be published, for every municipality (and school) of a tally.
#[derive(Debug, Clone)]
pub struct Pattern {
    min_cell: u32,
    /// Which municipalities are decided in full.
    focus: Focus,
    /// The breakdown values a unit's groups narrow to, in (axis, slot) order.
    parts: Vec<Part>,
    /// Per municipality.
    municipalities: Vec<Decisions>,
    /// Per school, its municipality and its position among the municipality's schools.
    schools: Vec<(usize, usize)>,
}

/// One municipality's decisions: per scope (the municipality's, then each of its schools'),
/// one decision each.
#[derive(Debug, Clone)]
struct Decisions {
    respondents: Vec<Decision>,
    /// Per question; `None` where the data lack it.
    questions: Vec<Option<Vec<Decision>>>,
}

/// How many groups of a question are withheld across all units, and why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WithheldCounts {
    /// Groups that may be published.
    pub published: usize,
    pub primary: usize,
    pub secondary: usize,
}

impl Pattern {
    /// Decides every group of every unit in `tally` at threshold `min_cell`.
    pub fn of(tally: &Tally, min_cell: u32) -> Pattern {
        Pattern::focused(tally, min_cell, Focus::All)
    }

    /// Decides the groups of `tally` that `focus` names, at threshold `min_cell`: a single
    /// report's pattern costs a fraction of the whole file's, and publishes the same.
    pub fn focused(tally: &Tally, min_cell: u32, focus: Focus) -> Pattern {
        Pattern::decide(tally, min_cell, focus, Reach::Schools)
    }

    /// What reports at `level` publish, decided in the system of `decided` (counted at the
    /// school level where municipality reports take the school level's decisions, see
    /// [`Pattern::municipal`]), for the municipalities `focus` names.
    pub fn for_reports(decided: &Tally, level: Level, min_cell: u32, focus: Focus) -> Pattern {
        if decided.level() == level {
            Pattern::focused(decided, min_cell, focus)
        } else {
            Pattern::municipal_of(decided, min_cell, focus)
        }
    }

    /// What municipality reports publish where they take their decisions from the
    /// school-level system `tally` (see [`Pattern::municipal`]): the same decisions as
    /// `Pattern::focused(tally, min_cell, focus).municipal()`, without deciding the schools'
    /// groups of any question. A municipality's own groups come first in its system's order,
    /// and a group's decision depends only on the groups offered before it, so deciding the
    /// schools' groups after them could not change them; a municipality batch of the national
    /// file spent most of its disclosure control on them.
    pub(super) fn municipal_of(tally: &Tally, min_cell: u32, focus: Focus) -> Pattern {
        Pattern::decide(tally, min_cell, focus, Reach::Own).municipal()
    }

    /// Decides `focus`'s municipalities as far as `reach`, the others' wholes.
    fn decide(tally: &Tally, min_cell: u32, focus: Focus, reach: Reach) -> Pattern {
        let min_cell = min_cell.max(1);
        let parts: Vec<Part> = tally
            .axes()
            .iter()
            .enumerate()
            .flat_map(|(axis, &slots)| (0..slots - 1).map(move |slot| Part { axis, slot }))
            .collect();
        let municipalities = (0..tally.municipalities().len())
            .into_par_iter()
            .map(|m| {
                let reach = if focus.is_full(m) {
                    reach
                } else {
                    Reach::Whole
                };
                decide_municipality(tally, m, &parts, min_cell, reach)
            })
            .collect();
        let mut schools = Vec::new();
        if tally.level() == Level::School {
            let mut position = vec![0; tally.municipalities().len()];
            for &(m, _) in tally.schools() {
                schools.push((m, position[m]));
                position[m] += 1;
            }
        }
        Pattern {
            min_cell,
            focus,
            parts,
            municipalities,
            schools,
        }
    }

    /// This pattern's decisions on the municipalities' own groups, as a pattern over a
    /// municipality-level tally of the same file: a municipality report of a round that also
    /// publishes school reports takes its decisions from the school-level system, so that it
    /// publishes exactly what the school reports' municipality column does. Decided on its own, the
    /// municipality level publishes some groups the school-level system withholds (it has
    /// finer cells, and the schools' groups, undecided, count as withheld), and those were
    /// never checked against what the school reports publish.
    pub fn municipal(&self) -> Pattern {
        let block = 1 + self.parts.len();
        let own = |decisions: &[Decision]| decisions[..block].to_vec();
        Pattern {
            min_cell: self.min_cell,
            focus: self.focus,
            parts: self.parts.clone(),
            municipalities: self
                .municipalities
                .iter()
                .map(|decisions| Decisions {
                    respondents: own(&decisions.respondents),
                    questions: decisions
                        .questions
                        .iter()
                        .map(|question| question.as_deref().map(own))
                        .collect(),
                })
                .collect(),
            schools: Vec::new(),
        }
    }

    /// The threshold the pattern protects.
    pub fn min_cell(&self) -> u32 {
        self.min_cell
    }

    /// The breakdown values a unit's groups narrow to.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The decision on the respondents table's group `scope`.
    pub fn respondents(&self, scope: Scope) -> Decision {
        let (m, index) = self.locate(scope);
        self.municipalities[m].respondents[index]
    }

    /// The decision on group `scope` of `question`, or `None` when the data lack it.
    pub fn question(&self, question: usize, scope: Scope) -> Option<Decision> {
        let (m, index) = self.locate(scope);
        self.municipalities[m].questions[question]
            .as_ref()
            .map(|decisions| decisions[index])
    }

    /// The municipalities whose whole figures for `question` are published (all of them
    /// have at least `min_cell` answers, or none): the only ones a comparison group may sum.
    pub fn published_municipalities(&self, question: usize) -> Vec<usize> {
        (0..self.municipalities.len())
            .filter(|&m| {
                self.question(question, whole(UnitRef::Municipality(m)))
                    .is_some_and(Decision::is_published)
            })
            .collect()
    }

    /// The municipalities whose number of respondents is published.
    pub fn reported_municipalities(&self) -> Vec<usize> {
        (0..self.municipalities.len())
            .filter(|&m| {
                self.respondents(whole(UnitRef::Municipality(m)))
                    .is_published()
            })
            .collect()
    }

    /// How many groups of `question` are withheld over all units, and why: of a pattern
    /// decided in full ([`Focus::All`]).
    pub fn withheld(&self, question: usize) -> WithheldCounts {
        debug_assert_eq!(self.focus, Focus::All, "counts of a focused pattern");
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

    /// The municipality a scope belongs to and the scope's position in its decisions.
    fn locate(&self, scope: Scope) -> (usize, usize) {
        let block = 1 + self.parts.len();
        let part = scope.part.map_or(0, |part| {
            1 + self
                .parts
                .iter()
                .position(|&p| p == part)
                .expect("a publishable part")
        });
        match scope.unit {
            UnitRef::Municipality(m) => (m, part),
            UnitRef::School(s) => {
                let (m, position) = self.schools[s];
                (m, block * (1 + position) + part)
            }
        }
    }
}

/// The whole of a unit.
pub fn whole(unit: UnitRef) -> Scope {
    Scope { unit, part: None }
}

/// The disclosure control of one municipality and its schools: its respondents table first,
/// then each question as far as `reach`, withholding at least what the respondents table
/// withholds.
fn decide_municipality(
    tally: &Tally,
    m: usize,
    parts: &[Part],
    min_cell: u32,
    reach: Reach,
) -> Decisions {
    let units = tally.units_of(m);
    let (cells, blocks) = layout(tally, units.clone(), parts);
    let decide =
        |measures: &[&[u32]], withheld: &[bool], caps: &[Option<u32>], zeros, reach: Reach| {
            let mut priority = priority(&cells, &blocks, measures);
            // The municipality's own groups are the first cells (see `layout`) and the first
            // of the order (see `priority`).
            let offered = match reach {
                Reach::Whole => 1,
                Reach::Own => 1 + parts.len(),
                Reach::Schools => priority.len(),
            };
            priority.truncate(offered);
            let mut decisions = protect(
                Tables {
                    cells: &cells,
                    priority: &priority,
                    measures,
                    withheld,
                    caps,
                    zeros,
                },
                min_cell,
            );
            // The groups after those were not offered: withheld.
            for decision in decisions.iter_mut().skip(offered) {
                if decision.is_published() {
                    *decision = Decision::Secondary;
                }
            }
            decisions
        };
    let people = tally.respondents_by_cell(units.clone());
    let respondents = decide(&[people], &[], &[], Zeros::Shown, Reach::Schools);
    let withheld: Vec<bool> = respondents.iter().map(|d| !d.is_published()).collect();
    // A question's group has at most as many answers as the respondents table publishes
    // respondents for it.
    let caps: Vec<Option<u32>> = cells
        .iter()
        .zip(&respondents)
        .map(|(group, decision)| {
            decision
                .is_published()
                .then(|| group.iter().map(|&c| people[c as usize]).sum())
        })
        .collect();
    // Questions with the same counts in every cell get the same decisions (the check is a
    // function of its tables): each set of counts is decided once. Questions answered by
    // everyone, or by the same filtered subgroup, share them.
    let mut counts: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
    let asked: Vec<Option<usize>> = (0..tally.questions())
        .map(|q| {
            tally.has_question(q).then(|| {
                let (valid, answered) = tally.answers_by_cell(q, units.clone());
                let found = counts
                    .iter()
                    .position(|(v, a)| *v == valid && *a == answered);
                found.unwrap_or_else(|| {
                    counts.push((valid, answered));
                    counts.len() - 1
                })
            })
        })
        .collect();
    let decided: Vec<Vec<Decision>> = counts
        .par_iter()
        .map(|(valid, answered)| {
            decide(&[valid, answered], &withheld, &caps, Zeros::Withheld, reach)
        })
        .collect();
    let questions = asked
        .into_iter()
        .map(|set| set.map(|set| decided[set].clone()))
        .collect();
    Decisions {
        respondents,
        questions,
    }
}

/// The groups of a municipality and the cells (local to the municipality's units) each one
/// sums: the municipality's whole and parts, then each school's; and where each block of
/// groups starts (the municipality's, then one per school).
fn layout(
    tally: &Tally,
    units: std::ops::Range<usize>,
    parts: &[Part],
) -> (Vec<Vec<u32>>, Vec<usize>) {
    let inner = tally.inner_cells();
    let count = units.len();
    let cells_of = |unit_positions: &mut dyn Iterator<Item = usize>, part: Option<Part>| {
        unit_positions
            .flat_map(|u| {
                (0..inner)
                    .filter(move |&local| {
                        part.is_none_or(|part| tally.slot_of(local, part.axis) == part.slot)
                    })
                    .map(move |local| (u * inner + local) as u32)
            })
            .collect::<Vec<u32>>()
    };
    let block = |positions: &dyn Fn() -> Box<dyn Iterator<Item = usize>>| {
        std::iter::once(None)
            .chain(parts.iter().copied().map(Some))
            .map(|part| cells_of(&mut positions(), part))
            .collect::<Vec<_>>()
    };
    let mut cells = block(&|| Box::new(0..count));
    let mut blocks = vec![0];
    for (position, unit) in units.enumerate() {
        if tally.school_of_unit(unit).is_some() {
            blocks.push(cells.len());
            cells.extend(block(&|| Box::new(std::iter::once(position))));
        }
    }
    (cells, blocks)
}

/// The order in which groups are offered for publication: the municipality's whole, its
/// parts, then the schools' wholes, then their parts; within each, the larger before the
/// smaller (by each measure in turn, then by position), so that what must be withheld to
/// protect a small group is the smallest group that does.
fn priority(cells: &[Vec<u32>], blocks: &[usize], measures: &[&[u32]]) -> Vec<usize> {
    let size = |group: usize| -> Vec<u64> {
        measures
            .iter()
            .map(|m| cells[group].iter().map(|&c| u64::from(m[c as usize])).sum())
            .collect()
    };
    let sizes: Vec<Vec<u64>> = (0..cells.len()).map(size).collect();
    let by_size = |mut groups: Vec<usize>| {
        groups.sort_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
        groups
    };
    let block_len = blocks.get(1).copied().unwrap_or(cells.len());
    let mut order = vec![0];
    order.extend(by_size((1..block_len).collect()));
    let schools = &blocks[1..];
    order.extend(by_size(schools.to_vec()));
    order.extend(by_size(
        schools
            .iter()
            .flat_map(|&start| start + 1..start + block_len)
            .collect(),
    ));
    order
}
