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

mod knowledge;
mod ratio;

use serde::Serialize;

use knowledge::{Knowledge, Reduced};

/// What may be done with a publishable cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Its figures may be published.
    Published,
    /// Withheld: it has 1 to `min_cell − 1` respondents in some measure.
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
    /// Counts per inner cell, one slice per measure.
    pub measures: &'a [&'a [u32]],
    /// Cells that must be withheld whatever their counts (one flag per cell, or empty for
    /// none): those that a linked table over the same respondents withholds, so that the two
    /// tables together publish no more than the one that was checked.
    pub withheld: &'a [bool],
}

/// Decides, for each publishable cell of `tables`, whether it may be published.
pub(super) fn protect(tables: Tables<'_>, min_cell: u32) -> Vec<Decision> {
    let min_cell = min_cell.max(1);
    let count = |measure: &[u32], cell: &[u32]| -> u64 {
        cell.iter().map(|&i| u64::from(measure[i as usize])).sum()
    };
    let mut decisions: Vec<Decision> = tables
        .cells
        .iter()
        .map(|cell| {
            let small = tables.measures.iter().any(|measure| {
                let n = count(measure, cell);
                n > 0 && n < u64::from(min_cell)
            });
            if small {
                Decision::Primary
            } else {
                Decision::Published
            }
        })
        .collect();
    let mut knowledge: Vec<Knowledge> = tables
        .measures
        .iter()
        .map(|measure| Knowledge::new(measure, min_cell))
        .collect();
    // After an arithmetic overflow nothing more can be ruled out, so nothing more is published.
    let mut overflowed = false;
    for &candidate in tables.priority {
        if decisions[candidate] == Decision::Primary {
            continue;
        }
        if tables.withheld.get(candidate) == Some(&true) {
            decisions[candidate] = Decision::Secondary;
            continue;
        }
        let published = !overflowed
            && publish(&mut knowledge, &tables.cells[candidate]).unwrap_or_else(|_| {
                overflowed = true;
                false
            });
        if !published {
            decisions[candidate] = Decision::Secondary;
        }
    }
    decisions
}

/// Adds `cell` to what is known in every measure, unless that would disclose a small set in
/// any of them; returns whether it was added.
fn publish(knowledge: &mut [Knowledge], cell: &[u32]) -> Result<bool, ratio::Overflow> {
    let mut rows = Vec::with_capacity(knowledge.len());
    for measure in knowledge.iter() {
        let reduced = measure.reduce(cell)?;
        if let Reduced::New(row) = &reduced
            && measure.discloses(row)?
        {
            return Ok(false);
        }
        rows.push(reduced);
    }
    for (measure, reduced) in knowledge.iter_mut().zip(rows) {
        if let Reduced::New(row) = reduced {
            measure.insert(row)?;
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests;
