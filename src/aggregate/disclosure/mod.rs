//! Disclosure control over linked tables: which cells may be published so that nothing about
//! fewer than `min_cell` respondents can be worked out from all of them together.
//!
//! The model is Statistics Norway's GaussSuppression (Langsrud 2024): every publishable cell
//! is a sum of inner cells; a cell with 1 to `min_cell − 1` respondents is withheld
//! (primary); then the other cells are taken in order of priority, and each one is published
//! only if, together with everything published before it, it does not let anyone compute —
//! by any combination of additions and subtractions, found by exact Gaussian elimination —
//! the answers of a set of 1 to `min_cell − 1` respondents; otherwise it is withheld too
//! (secondary). Sets of respondents, not only single cells, are protected: the remainder of a
//! breakdown, a withheld group together with the respondents of unknown background, or any
//! other union that the published cells pin down.
//!
//! Each cell is judged on several measures at once (valid answers and non-blank answers of a
//! question), since its figures reveal all of them. Everything is deterministic: the same
//! tables give the same pattern, whichever report asks for it.

mod integer;
mod knowledge;
mod lists;
mod ratio;

use serde::Serialize;

use integer::Bounds;
use knowledge::{Change, Knowledge, Reduced, Row};

/// What may be done with a publishable cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Its figures may be published.
    Published,
    /// Withheld: it has 1 to `min_cell − 1` respondents in some measure, or, where empty
    /// groups are withheld ([`Zeros::Withheld`]), none.
    Primary,
    /// Withheld so that a smaller group cannot be worked out from the published cells.
    Secondary,
}

impl Decision {
    pub fn is_published(self) -> bool {
        self == Decision::Published
    }
}

/// Linked tables over one set of inner cells.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tables<'a> {
    /// The inner cells each publishable cell sums.
    pub cells: &'a [Vec<u32>],
    /// The order in which cells are offered for publication (indices into `cells`): the most
    /// wanted first, so that what must be withheld is taken from the end.
    pub priority: &'a [usize],
    /// Counts per inner cell, one slice per measure. The first is the count a cell's figures
    /// are based on (its n, or its respondents): no withheld cell's count in it may be
    /// pinned. The others (a question's non-blank answers) only guard small sets.
    pub measures: &'a [&'a [u32]],
    /// Cells that must be withheld whatever their counts (one flag per cell, or empty for
    /// none): those that a linked table over the same respondents withholds, so that the two
    /// tables together publish no more than the one that was checked.
    pub withheld: &'a [bool],
    /// The most each cell can hold in every measure, as a linked table publishes it (one per
    /// cell, or empty for none): a question's group has no more answers than the
    /// respondents table publishes respondents for it, and an outsider knows that.
    pub caps: &'a [Option<u32>],
    /// How a group empty in the last measure is published, and so what a withheld group is
    /// known to hold.
    pub zeros: Zeros,
}

/// How a group without any respondents (in the last measure: the respondents, or a
/// question's non-blank answers) is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Zeros {
    /// As 0: a withheld group is then known to hold at least one. For the respondents table,
    /// which has no caps: before anything is published, every count can grow by one, so
    /// floors alone pin nothing, and each publication is checked with them.
    Shown,
    /// Withheld like a small group, unless its cap is 0 (everyone knows it is empty then): a
    /// withheld group may be empty. For a question: its groups are capped by the
    /// respondents table, and caps and floors together can pin a group before anything in
    /// the question is published (two grades of one pupil each, of whom only the boys
    /// answer: the boys' cap of 2 and each grade's floor of 1 pin both boys' answers). An
    /// empty group has no figures to show, so withholding it costs a reader nothing.
    Withheld,
}

/// Decides, for each publishable cell of `tables`, whether it may be published.
///
/// A cell is published only if, with it, an outsider who knows every published figure,
/// which cells are withheld (not why), that counts are whole numbers ≥ 0, that a withheld
/// cell is no larger than its cap and (with [`Zeros::Shown`]) not empty, can pin neither
/// the count of a set of 1 to `min_cell − 1` respondents nor the count of any withheld
/// cell. Cells not yet decided count as withheld: deciding them later can only publish, and
/// each publication is checked when it is made, so the last check sees exactly what is
/// finally published. Before the first publication nothing is pinned: with floors there are
/// no caps, and with caps no floors, so every count can move by one (see [`Zeros`]).
pub(super) fn protect(tables: Tables<'_>, min_cell: u32) -> Vec<Decision> {
    debug_assert!(
        tables.zeros == Zeros::Withheld || tables.caps.is_empty(),
        "caps and floors together could pin a group before anything is published"
    );
    let min_cell = min_cell.max(1);
    let measures = distinct(&tables);
    let count = |measure: &[u32], cell: &[u32]| -> u64 {
        cell.iter().map(|&i| u64::from(measure[i as usize])).sum()
    };
    let mut decisions: Vec<Decision> = tables
        .cells
        .iter()
        .enumerate()
        .map(|(g, cell)| {
            let small = measures.iter().any(|measure| {
                let n = count(measure, cell);
                n > 0 && n < u64::from(min_cell)
            });
            let empty = tables.zeros == Zeros::Withheld
                && measures.last().is_some_and(|m| count(m, cell) == 0)
                && tables.caps.get(g).copied().flatten() != Some(0);
            if small || empty {
                Decision::Primary
            } else if tables.withheld.get(g) == Some(&true) {
                Decision::Secondary
            } else {
                Decision::Published
            }
        })
        .collect();
    let mut knowledge: Vec<Knowledge> = measures
        .iter()
        .map(|measure| Knowledge::new(measure, min_cell))
        .collect();
    let bounds: Vec<Bounds> = knowledge
        .iter()
        .enumerate()
        .map(|(m, measure)| {
            let floored = |g: usize| {
                tables.zeros == Zeros::Shown
                    && m + 1 == measures.len()
                    && tables.withheld.get(g) != Some(&true)
            };
            Bounds::new(measure, tables.cells, tables.caps, &floored)
        })
        .collect();
    let mut residuals: Vec<Vec<Residual>> = knowledge
        .iter()
        .zip(&bounds)
        .map(|(measure, bounds)| {
            (0..tables.cells.len())
                .map(|g| Residual::of(measure, bounds.coordinates(g)))
                .collect::<Result<_, _>>()
        })
        .collect::<Result<_, _>>()
        .expect("with nothing known yet, reducing a sum cannot overflow");
    let mut accepted = vec![false; tables.cells.len()];
    // After an arithmetic overflow nothing more can be ruled out, so nothing more is published.
    let mut overflowed = knowledge
        .iter()
        .any(|measure| measure.cells() > knowledge::MAX_CELLS);
    for &candidate in tables.priority {
        if !decisions[candidate].is_published() {
            continue;
        }
        // A cell that earlier publications already pin in every measure adds nothing: it is
        // published as it is. Judging it again could only refuse it by the caution of the
        // integer search, and a refused cell whose count anyone can work out is a leak.
        let pinned = residuals
            .iter()
            .all(|measure| matches!(measure[candidate], Residual::Known | Residual::Empty));
        if pinned {
            accepted[candidate] = true;
            continue;
        }
        let published = !overflowed
            && match publish(
                &mut knowledge,
                &bounds,
                &residuals,
                &decisions,
                &accepted,
                candidate,
                tables.cells,
            ) {
                Ok(Some(updates)) => {
                    for (m, g, residual) in updates {
                        residuals[m][g] = residual;
                    }
                    true
                }
                Ok(None) => false,
                Err(ratio::Overflow) => {
                    overflowed = true;
                    false
                }
            };
        // Every candidate starts from committed knowledge: a published one is kept, a
        // refused one undone.
        for measure in &mut knowledge {
            if published {
                measure.commit();
            } else {
                measure.revert();
            }
        }
        if published {
            accepted[candidate] = true;
        } else {
            decisions[candidate] = Decision::Secondary;
        }
    }
    decisions
}

/// The measures of `tables` that are not equal to an earlier one. Equal counts give the same
/// knowledge, bounds and checks, where no measure is floored ([`Zeros::Withheld`]), so a
/// repeated measure adds only work: a question's valid and non-blank answers are the same
/// wherever no one chose an answer that does not count.
fn distinct<'a>(tables: &Tables<'a>) -> Vec<&'a [u32]> {
    let mut measures: Vec<&[u32]> = Vec::new();
    for &measure in tables.measures {
        if tables.zeros == Zeros::Shown || !measures.contains(&measure) {
            measures.push(measure);
        }
    }
    measures
}

/// What is left of a group's count in one measure once reduced against what is known: it is
/// known when nothing is left. Kept between candidates, since knowledge only grows and most
/// groups are untouched by what one candidate adds.
#[derive(Debug, Clone)]
enum Residual {
    /// The group has no respondents in the measure.
    Empty,
    Known,
    Left(Row),
}

impl Residual {
    fn of(knowledge: &Knowledge, coordinates: &[u32]) -> Result<Residual, ratio::Overflow> {
        if coordinates.is_empty() {
            return Ok(Residual::Empty);
        }
        Ok(match knowledge.reduce_coordinates(coordinates)? {
            Reduced::Known => Residual::Known,
            Reduced::New(row) => Residual::Left(row),
        })
    }
}

/// A cell's residual in one measure, changed by a publication: (measure, cell, residual).
type Update = (usize, usize, Residual);

/// Adds to what is known in every measure what publishing `candidate` too lets an outsider
/// work out, and returns the residuals that changes, or `None` when that would let him pin
/// a small set or a withheld cell in any of them (the knowledge is then left in between, to
/// be reverted).
fn publish(
    known: &mut [Knowledge],
    bounds: &[Bounds],
    residuals: &[Vec<Residual>],
    decisions: &[Decision],
    accepted: &[bool],
    candidate: usize,
    cells: &[Vec<u32>],
) -> Result<Option<Vec<Update>>, ratio::Overflow> {
    let open: Vec<bool> = (0..cells.len())
        .map(|g| g != candidate && !accepted[g])
        .collect();
    for (measure, bounds) in known.iter_mut().zip(bounds) {
        // The group's coordinates in this measure, sorted once when the bounds were made.
        let sum: Change = bounds
            .coordinates(candidate)
            .iter()
            .map(|&c| (c, 1))
            .collect();
        if !measure.learn(&sum)? || !bounds.pin(measure, &open)? {
            return Ok(None);
        }
    }
    // No withheld cell's count may be pinned. A cell not decided yet whose count is pinned
    // is published when its turn comes if it is known in every measure (it adds nothing
    // then, see `protect`); otherwise it might be withheld, so its count may not be pinned
    // yet.
    let mut updates: Vec<Update> = Vec::new();
    let mut is_known = |m: usize, g: usize| -> Result<Option<bool>, ratio::Overflow> {
        let residual = match &residuals[m][g] {
            Residual::Empty => return Ok(None),
            Residual::Known => return Ok(Some(true)),
            Residual::Left(row) => match known[m].update(row)? {
                None => return Ok(Some(false)),
                Some(Reduced::Known) => Residual::Known,
                Some(Reduced::New(row)) => Residual::Left(row),
            },
        };
        let now = matches!(residual, Residual::Known);
        updates.push((m, g, residual));
        Ok(Some(now))
    };
    for g in (0..cells.len()).filter(|&g| open[g]) {
        if is_known(0, g)? != Some(true) {
            continue;
        }
        if !decisions[g].is_published() {
            return Ok(None);
        }
        for m in 1..known.len() {
            if is_known(m, g)? == Some(false) {
                return Ok(None);
            }
        }
    }
    Ok(Some(updates))
}

#[cfg(test)]
mod tests;
