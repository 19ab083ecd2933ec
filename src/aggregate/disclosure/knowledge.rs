//! What the published cells of linked tables let anyone compute about one measure (e.g. the
//! valid answers of a question), and whether that includes the answers of a small set of
//! respondents.
//!
//! Every published cell is a sum of *inner cells* (the finest cross-classification, never
//! published). Whatever an outsider computes from published cells by addition and subtraction
//! is a vector in their span. A disclosure is such a vector that sums exactly the respondents
//! of a set of inner cells holding between 1 and `min_cell − 1` of them.
//!
//! Inner cells without any respondents are left out of the vectors altogether: an outsider
//! who knows (or guesses) which cells are empty may weigh them as he likes, so the check
//! treats them as free. That makes it stricter than the exact question, never weaker.
//! Large cells (`min_cell` or more) can never be part of a small set, so the span is kept in
//! reduced row-echelon form with the large cells first: its rows that start in a small cell
//! span exactly the vectors that are zero on every large cell, and only those can disclose.
//! Rows are sparse: a school's groups touch only its own cells, so a municipality with many
//! schools stays cheap.

use super::ratio::{Overflow, Ratio};

/// A sparse vector over coordinates: `(coordinate, value)` sorted by coordinate, no zeros.
type Sparse = Vec<(u32, Ratio)>;

/// The span of the published cells for one measure.
#[derive(Debug, Clone)]
pub(super) struct Knowledge {
    /// The coordinate of each inner cell: `None` for empty cells, else an index with the
    /// large cells first.
    coordinate: Vec<Option<u32>>,
    /// Coordinates below this are large cells.
    large: u32,
    /// The count of each coordinate's cell.
    counts: Vec<u32>,
    min_cell: u32,
    /// Reduced row-echelon form: each row's first entry is its pivot, with value 1, and
    /// every other row is 0 there.
    rows: Vec<Row>,
    /// For each coordinate, the row whose pivot it is.
    pivot_row: Vec<Option<usize>>,
}

#[derive(Debug, Clone)]
pub(super) struct Row {
    entries: Sparse,
}

impl Row {
    fn pivot(&self) -> u32 {
        self.entries[0].0
    }

    fn value(&self, coordinate: u32) -> Ratio {
        self.entries
            .binary_search_by_key(&coordinate, |&(c, _)| c)
            .map_or(Ratio::ZERO, |i| self.entries[i].1)
    }
}

/// A cell reduced against what is already known, ready to be added.
#[derive(Debug)]
pub(super) enum Reduced {
    /// The cell can already be computed: publishing it adds nothing.
    Known,
    /// The cell adds a new row.
    New(Row),
}

/// `a + factor · b`.
fn axpy(a: &[(u32, Ratio)], factor: Ratio, b: &[(u32, Ratio)]) -> Result<Sparse, Overflow> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a = j == b.len() || (i < a.len() && a[i].0 < b[j].0);
        let take_b = i == a.len() || (j < b.len() && b[j].0 < a[i].0);
        let (coordinate, value) = if take_a {
            i += 1;
            a[i - 1]
        } else if take_b {
            j += 1;
            (b[j - 1].0, factor.mul(b[j - 1].1)?)
        } else {
            i += 1;
            j += 1;
            (a[i - 1].0, a[i - 1].1.add(factor.mul(b[j - 1].1)?)?)
        };
        if !value.is_zero() {
            out.push((coordinate, value));
        }
    }
    Ok(out)
}

/// True when two sparse vectors share a coordinate.
fn overlap(a: &[(u32, Ratio)], b: &[(u32, Ratio)]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

impl Knowledge {
    /// Nothing known yet about inner cells with these counts.
    pub(super) fn new(counts: &[u32], min_cell: u32) -> Knowledge {
        let mut coordinate = vec![None; counts.len()];
        let mut ordered = Vec::new();
        for (cell, &count) in counts.iter().enumerate() {
            if count >= min_cell {
                coordinate[cell] = Some(ordered.len() as u32);
                ordered.push(count);
            }
        }
        let large = ordered.len() as u32;
        for (cell, &count) in counts.iter().enumerate() {
            if count > 0 && count < min_cell {
                coordinate[cell] = Some(ordered.len() as u32);
                ordered.push(count);
            }
        }
        Knowledge {
            coordinate,
            large,
            pivot_row: vec![None; ordered.len()],
            counts: ordered,
            min_cell,
            rows: Vec::new(),
        }
    }

    /// The sum of `cells` reduced against the rows already known.
    pub(super) fn reduce(&self, cells: &[u32]) -> Result<Reduced, Overflow> {
        let mut vector: Sparse = cells
            .iter()
            .filter_map(|&cell| self.coordinate[cell as usize])
            .map(|c| (c, Ratio::ONE))
            .collect();
        vector.sort_unstable_by_key(|&(c, _)| c);
        // Rows are zero at each other's pivots, so subtracting the row of each pivot the
        // vector has (with the vector's value there, 1) clears every pivot at once.
        let pivots: Vec<usize> = vector
            .iter()
            .filter_map(|&(c, _)| self.pivot_row[c as usize])
            .collect();
        for row in pivots {
            vector = axpy(&vector, Ratio::ONE.neg()?, &self.rows[row].entries)?;
        }
        let Some(&(_, scale)) = vector.first() else {
            return Ok(Reduced::Known);
        };
        if !scale.is_one() {
            for entry in &mut vector {
                entry.1 = entry.1.div(scale)?;
            }
        }
        Ok(Reduced::New(Row { entries: vector }))
    }

    /// True when publishing `row` (from [`Knowledge::reduce`]) would let anyone compute the
    /// answers of a set of 1 to `min_cell − 1` respondents.
    pub(super) fn discloses(&self, row: &Row) -> Result<bool, Overflow> {
        let pivot = row.pivot();
        if pivot < self.large {
            // A row that starts in a large cell leaves the rows that start in small cells as
            // they are, and is nonzero in a large cell in every combination that uses it: the
            // vectors that avoid large cells stay the same.
            return Ok(false);
        }
        // In reduced form every vector that avoids large cells is the sum of the rows that
        // start in small cells weighted by its values at their pivots; a 0/1 vector uses each
        // row with weight 0 or 1 and is 1 at each pivot it uses, so only combinations whose
        // pivots alone hold fewer than `min_cell` respondents need a look. A disclosing
        // combination contains a connected one (rows linked by shared cells) that discloses
        // on its own, and the new ones involve the new row or a row it changes: those are the
        // seeds, and combinations grow from them through shared cells.
        let mut small: Vec<Row> = Vec::new();
        let mut seeds = Vec::new();
        for other in self.rows.iter().filter(|r| r.pivot() >= self.large) {
            let factor = other.value(pivot);
            if factor.is_zero() {
                small.push(other.clone());
            } else {
                let entries = axpy(&other.entries, factor.neg()?, &row.entries)?;
                seeds.push(small.len());
                small.push(Row { entries });
            }
        }
        seeds.push(small.len());
        small.push(row.clone());
        for &seed in &seeds {
            let Some(budget) =
                (self.min_cell - 1).checked_sub(self.counts[small[seed].pivot() as usize])
            else {
                continue;
            };
            let mut chosen = vec![seed];
            if self.grow(&small, &mut chosen, &small[seed].entries, budget)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// True when `sum` (of the rows `chosen`) or a connected extension of it within `budget`
    /// is the indicator of a small set.
    fn grow(
        &self,
        rows: &[Row],
        chosen: &mut Vec<usize>,
        sum: &[(u32, Ratio)],
        budget: u32,
    ) -> Result<bool, Overflow> {
        if self.small_set(sum) {
            return Ok(true);
        }
        for (i, row) in rows.iter().enumerate() {
            if chosen.contains(&i) {
                continue;
            }
            let Some(rest) = budget.checked_sub(self.counts[row.pivot() as usize]) else {
                continue;
            };
            if !chosen
                .iter()
                .any(|&c| overlap(&rows[c].entries, &row.entries))
            {
                continue;
            }
            let next = axpy(sum, Ratio::ONE, &row.entries)?;
            chosen.push(i);
            let found = self.grow(rows, chosen, &next, rest)?;
            chosen.pop();
            if found {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// True when `vector` is the indicator of a set of cells holding 1 to `min_cell − 1`
    /// respondents.
    fn small_set(&self, vector: &[(u32, Ratio)]) -> bool {
        let mut total: u32 = 0;
        for &(coordinate, value) in vector {
            if !value.is_one() {
                return false;
            }
            total = total.saturating_add(self.counts[coordinate as usize]);
            if total >= self.min_cell {
                return false;
            }
        }
        total > 0
    }

    /// Adds a reduced row, keeping the form reduced.
    pub(super) fn insert(&mut self, row: Row) -> Result<(), Overflow> {
        let pivot = row.pivot();
        for other in &mut self.rows {
            let factor = other.value(pivot);
            if !factor.is_zero() {
                other.entries = axpy(&other.entries, factor.neg()?, &row.entries)?;
            }
        }
        self.pivot_row[pivot as usize] = Some(self.rows.len());
        self.rows.push(row);
        Ok(())
    }
}
