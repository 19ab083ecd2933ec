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

use super::ratio::{Overflow, Ratio};

/// The span of the published cells for one measure.
#[derive(Debug, Clone)]
pub(super) struct Knowledge {
    /// The coordinate of each inner cell: `None` for empty cells, else an index with the
    /// large cells first.
    coordinate: Vec<Option<usize>>,
    /// Coordinates below this are large cells.
    large: usize,
    /// The count of each coordinate's cell.
    counts: Vec<u32>,
    min_cell: u32,
    /// Reduced row-echelon form: each row's pivot is 1 and every other row is 0 there.
    rows: Vec<Row>,
}

#[derive(Debug, Clone)]
pub(super) struct Row {
    pivot: usize,
    values: Vec<Ratio>,
}

/// A cell reduced against what is already known, ready to be added.
#[derive(Debug)]
pub(super) enum Reduced {
    /// The cell can already be computed: publishing it adds nothing.
    Known,
    /// The cell adds a new row.
    New(Row),
}

impl Knowledge {
    /// Nothing known yet about inner cells with these counts.
    pub(super) fn new(counts: &[u32], min_cell: u32) -> Knowledge {
        let mut coordinate = vec![None; counts.len()];
        let mut ordered = Vec::new();
        for (cell, &count) in counts.iter().enumerate() {
            if count >= min_cell {
                coordinate[cell] = Some(ordered.len());
                ordered.push(count);
            }
        }
        let large = ordered.len();
        for (cell, &count) in counts.iter().enumerate() {
            if count > 0 && count < min_cell {
                coordinate[cell] = Some(ordered.len());
                ordered.push(count);
            }
        }
        Knowledge {
            coordinate,
            large,
            counts: ordered,
            min_cell,
            rows: Vec::new(),
        }
    }

    /// The sum of `cells` reduced against the rows already known.
    pub(super) fn reduce(&self, cells: &[u32]) -> Result<Reduced, Overflow> {
        let mut values = vec![Ratio::ZERO; self.counts.len()];
        for &cell in cells {
            if let Some(c) = self.coordinate[cell as usize] {
                values[c] = values[c].add(Ratio::ONE)?;
            }
        }
        for row in &self.rows {
            let factor = values[row.pivot];
            if !factor.is_zero() {
                subtract(&mut values, &row.values, factor)?;
            }
        }
        let Some(pivot) = values.iter().position(|v| !v.is_zero()) else {
            return Ok(Reduced::Known);
        };
        let scale = values[pivot];
        if !scale.is_one() {
            for value in &mut values[pivot..] {
                *value = value.div(scale)?;
            }
        }
        Ok(Reduced::New(Row { pivot, values }))
    }

    /// True when publishing `row` (from [`Knowledge::reduce`]) would let anyone compute the
    /// answers of a set of 1 to `min_cell − 1` respondents.
    pub(super) fn discloses(&self, row: &Row) -> Result<bool, Overflow> {
        if row.pivot < self.large {
            // A row that starts in a large cell leaves the rows that start in small cells as
            // they are, and is nonzero in a large cell in every combination that uses it: the
            // vectors that avoid large cells stay the same.
            return Ok(false);
        }
        // The rows that start in small cells, reduced by the new one, and the new one: in
        // reduced form every vector that avoids large cells is the sum of these rows weighted
        // by its values at their pivots. A 0/1 vector uses each row with weight 0 or 1, and is
        // 1 at the pivot of each row it uses, so only combinations whose pivots alone hold
        // fewer than `min_cell` respondents need a look.
        let mut small = Vec::new();
        for other in self.rows.iter().filter(|r| r.pivot >= self.large) {
            let mut values = other.values.clone();
            let factor = values[row.pivot];
            if !factor.is_zero() {
                subtract(&mut values, &row.values, factor)?;
            }
            small.push(Row {
                pivot: other.pivot,
                values,
            });
        }
        small.push(row.clone());
        let sum = vec![Ratio::ZERO; self.counts.len()];
        self.search(&small, 0, self.min_cell - 1, &sum, false)
    }

    /// Tries `sum` plus every combination of `rows[from..]` whose pivots fit in `budget`.
    fn search(
        &self,
        rows: &[Row],
        from: usize,
        budget: u32,
        sum: &[Ratio],
        nonempty: bool,
    ) -> Result<bool, Overflow> {
        if nonempty && self.small_set(sum) {
            return Ok(true);
        }
        for (i, row) in rows.iter().enumerate().skip(from) {
            let Some(rest) = budget.checked_sub(self.counts[row.pivot]) else {
                continue;
            };
            let mut next = sum.to_vec();
            for (value, &r) in next.iter_mut().zip(&row.values) {
                *value = value.add(r)?;
            }
            if self.search(rows, i + 1, rest, &next, true)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// True when `vector` is the indicator of a set of cells holding 1 to `min_cell − 1`
    /// respondents.
    fn small_set(&self, vector: &[Ratio]) -> bool {
        let mut total: u32 = 0;
        for (value, &count) in vector.iter().zip(&self.counts) {
            if value.is_one() {
                total = total.saturating_add(count);
                if total >= self.min_cell {
                    return false;
                }
            } else if !value.is_zero() {
                return false;
            }
        }
        total > 0
    }

    /// Adds a reduced row, keeping the form reduced.
    pub(super) fn insert(&mut self, row: Row) -> Result<(), Overflow> {
        for other in &mut self.rows {
            let factor = other.values[row.pivot];
            if !factor.is_zero() {
                subtract(&mut other.values, &row.values, factor)?;
            }
        }
        self.rows.push(row);
        Ok(())
    }
}

/// `values −= factor · row`.
fn subtract(values: &mut [Ratio], row: &[Ratio], factor: Ratio) -> Result<(), Overflow> {
    for (value, &r) in values.iter_mut().zip(row) {
        if !r.is_zero() {
            *value = value.sub(factor.mul(r)?)?;
        }
    }
    Ok(())
}
