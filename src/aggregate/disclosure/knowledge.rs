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

use std::rc::Rc;

use super::lists::Lists;
use super::ratio::{Overflow, Ratio};

/// A sparse vector over coordinates: `(coordinate, value)` sorted by coordinate, no zeros.
type Sparse = Vec<(u32, Ratio)>;

/// A sparse vector shared between the knowledge and its journal.
type Shared = Rc<[(u32, Ratio)]>;

/// A change of the cells' counts in whole numbers: `(coordinate, change)` sorted by
/// coordinate. Each change is at most [`MAX_CHANGE`] in size, so that summing a few changes
/// and a group's changes over all its cells stays well inside 64 bits.
pub(super) type Change = Vec<(u32, i64)>;

/// The largest size of one entry of a [`Change`]: a survey's changes are ±1 and small
/// multiples; one that needs more is an [`Overflow`] (which only withholds more). With at
/// most [`MAX_CELLS`] cells, the unchecked sums of the bounds check (two changes combined,
/// summed over every cell of a group, plus its count) stay below 2⁶⁰.
const MAX_CHANGE: i64 = 1 << 36;

/// The most non-empty inner cells one check takes: more (over four million respondents in
/// one municipality) is an [`Overflow`] before anything is published.
pub(super) const MAX_CELLS: usize = 1 << 22;

/// The span of the published cells for one measure.
#[derive(Debug)]
pub(super) struct Knowledge {
    /// The coordinate of each inner cell: `None` for empty cells, else an index with the
    /// large cells first.
    coordinate: Vec<Option<u32>>,
    /// Coordinates below this are large cells.
    large: u32,
    /// The count of each coordinate's cell.
    counts: Vec<u32>,
    min_cell: u32,
    /// Combinations one disclosure check may try ([`SEARCH_LIMIT`]).
    search_limit: u32,
    /// Reduced row-echelon form: each row's first entry is its pivot, with value 1, and
    /// every other row is 0 there.
    rows: Vec<Row>,
    /// For each coordinate, the row whose pivot it is.
    pivot_row: Vec<Option<usize>>,
    /// For each free coordinate, the change that adds 1 there and compensates at the
    /// pivots ([`Knowledge::kernel_of`]); `None` while no row has touched it, when the
    /// change is 1 there alone. Kept up to date as rows are added, since a row changes the
    /// changes of only the coordinates it touches, and finding them afresh would mean
    /// reading every row.
    kernel: Vec<Option<Shared>>,
    /// For each coordinate: whether the change [`Knowledge::kernel_of`] gives for it was
    /// found to be a move, alone or with another's, and no row has touched either since (so
    /// they are the same changes; see [`Knowledge::settle`]).
    settled: Vec<Settled>,
    /// The coordinates that have been settled with a partner or until a row touches others,
    /// each once (flagged in `listed`; a rollback unlists them with the rest): the only ones
    /// besides its own that an inserted row can unsettle, looked at rather than every
    /// coordinate (one settled otherwise since is passed over there).
    dependents: Vec<u32>,
    listed: Vec<bool>,
    /// What each change since the last [`Knowledge::commit`] replaced, in order: trying a
    /// candidate changes the knowledge in place, and a refused one is undone
    /// ([`Knowledge::rollback`]) rather than tried on a copy, which would copy every row
    /// and change for each of thousands of candidates.
    journal: Vec<Undo>,
}

/// One change of [`Knowledge`], with what it replaced.
#[derive(Debug)]
enum Undo {
    /// A row was added.
    Added,
    /// A row (by index) was reduced by a new row: what it was.
    Row(usize, Row),
    /// A coordinate's kernel change was replaced: what it was.
    Kernel(u32, Option<Shared>),
    /// A coordinate was settled otherwise: how it was.
    Settled(u32, Settled),
    /// A coordinate was added to the dependents.
    Listed,
}

/// A state of [`Knowledge`] to go back to ([`Knowledge::rollback`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Mark(usize);

/// Whether a free coordinate's change is known to open its direction.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Settled {
    No,
    /// The change or its opposite is a move.
    Alone,
    /// The change combined with that of this coordinate, settled alone, is a move.
    With(u32),
    /// The direction is open by a combination of moves that stays one while no row touches
    /// any of these coordinates (sorted).
    Until(Rc<[u32]>),
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

/// The rows a disclosure search may combine, and for each coordinate the rows (by index)
/// that touch it other than at their pivot.
struct Search<'a> {
    rows: &'a [&'a [(u32, Ratio)]],
    /// For each coordinate, the rows (by index, increasing) that touch it other than at
    /// their pivot.
    touching: &'a Lists,
    /// Combinations still to be tried before the search gives up (see [`SEARCH_LIMIT`]).
    left: std::cell::Cell<u32>,
}

/// How many combinations one check may try. The search is small in every table a survey
/// gives (a few rows at each of at most `min_cell − 1` levels), but a very large `min_cell`
/// or a contrived table could make it grow without end; past this limit the cell counts as
/// disclosing and is withheld. That can only withhold more, never publish a disclosure, and
/// it counts steps, not time, so the result stays the same on every machine.
const SEARCH_LIMIT: u32 = 200_000;

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
            kernel: vec![None; ordered.len()],
            settled: vec![Settled::No; ordered.len()],
            dependents: Vec::new(),
            listed: vec![false; ordered.len()],
            counts: ordered,
            min_cell,
            search_limit: SEARCH_LIMIT,
            rows: Vec::new(),
            journal: Vec::new(),
        }
    }

    /// The coordinates of the non-empty cells among `cells`, in the cells' order.
    pub(super) fn coordinates_of<'a>(&'a self, cells: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
        cells
            .iter()
            .filter_map(|&cell| self.coordinate[cell as usize])
    }

    /// How many non-empty cells there are.
    pub(super) fn cells(&self) -> usize {
        self.counts.len()
    }

    /// How many respondents the cell at `coordinate` holds.
    pub(super) fn count(&self, coordinate: u32) -> u32 {
        self.counts[coordinate as usize]
    }

    /// The sum of the cells at `coordinates` (sorted, distinct) reduced against the rows
    /// already known.
    pub(super) fn reduce_coordinates(&self, coordinates: &[u32]) -> Result<Reduced, Overflow> {
        self.reduce(coordinates.iter().map(|&c| (c, Ratio::ONE)).collect())
    }

    /// `Σ weight · cell` over `weighted` (sorted by coordinate, distinct) reduced against
    /// the rows already known.
    pub(super) fn reduce_weighted(&self, weighted: &[(u32, i64)]) -> Result<Reduced, Overflow> {
        self.reduce(
            weighted
                .iter()
                .map(|&(c, w)| (c, Ratio::whole(w)))
                .collect(),
        )
    }

    /// `row`, reduced against an earlier state of this knowledge, reduced against the rows
    /// added since; `None` when none of them touches it (it is still reduced). Knowledge
    /// only ever gains rows, and `row` is zero at every earlier pivot, so any pivot it has
    /// is new.
    pub(super) fn update(&self, row: &Row) -> Result<Option<Reduced>, Overflow> {
        if row
            .entries
            .iter()
            .all(|&(c, _)| self.pivot_row[c as usize].is_none())
        {
            return Ok(None);
        }
        self.reduce(row.entries.clone()).map(Some)
    }

    /// `vector` reduced against the rows known.
    fn reduce(&self, mut vector: Sparse) -> Result<Reduced, Overflow> {
        // Rows are zero at each other's pivots, so subtracting the row of each pivot the
        // vector has (times the vector's value there) clears every pivot at once.
        let pivots: Vec<(usize, Ratio)> = vector
            .iter()
            .filter_map(|&(c, value)| Some((self.pivot_row[c as usize]?, value)))
            .collect();
        for (row, value) in pivots {
            vector = axpy(&vector, value.neg()?, &self.rows[row].entries)?;
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

    /// True when publishing `row` (from [`Knowledge::reduce_weighted`]) would let anyone compute the
    /// answers of a set of 1 to `min_cell − 1` respondents.
    fn discloses(&self, row: &Row) -> Result<bool, Overflow> {
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
        // pivots alone hold fewer than `min_cell` respondents need a look. A new disclosing
        // combination involves the new row or a row it changes: those are the seeds, and
        // [`Knowledge::grow`] searches the combinations around each. Rows that do not change
        // are borrowed, not copied: there may be thousands.
        let small_rows: Vec<&Row> = self
            .rows
            .iter()
            .filter(|r| r.pivot() >= self.large)
            .collect();
        let changed = small_rows
            .iter()
            .map(|other| {
                let factor = other.value(pivot);
                if factor.is_zero() {
                    Ok(None)
                } else {
                    axpy(&other.entries, factor.neg()?, &row.entries).map(Some)
                }
            })
            .collect::<Result<Vec<Option<Sparse>>, Overflow>>()?;
        let mut small: Vec<&[(u32, Ratio)]> = Vec::with_capacity(small_rows.len() + 1);
        let mut seeds = Vec::new();
        for (other, changed) in small_rows.iter().zip(&changed) {
            if let Some(entries) = changed {
                seeds.push(small.len());
                small.push(entries);
            } else {
                small.push(&other.entries);
            }
        }
        seeds.push(small.len());
        small.push(&row.entries);
        let touching = Lists::of(self.counts.len(), || {
            small.iter().enumerate().flat_map(|(i, entries)| {
                entries[1..]
                    .iter()
                    .map(move |&(coordinate, _)| (coordinate as usize, i))
            })
        });
        let search = Search {
            rows: &small,
            touching: &touching,
            left: std::cell::Cell::new(self.search_limit),
        };
        for &seed in &seeds {
            let Some(budget) =
                (self.min_cell - 1).checked_sub(self.counts[small[seed][0].0 as usize])
            else {
                continue;
            };
            let mut chosen = vec![seed];
            if self.grow(&search, &mut chosen, small[seed], budget)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// True when `sum` (of the rows `chosen`) or an extension of it by rows whose pivots
    /// hold at most `budget` respondents is the indicator of a small set — or when the
    /// search has used up its [`SEARCH_LIMIT`].
    ///
    /// The sum is 1 at the pivot of every chosen row and no other row ever changes that, so
    /// only its other entries can be repaired. A wanted combination containing `chosen` must
    /// add a row touching any entry that is neither 0 nor 1; and when all are 0 or 1 but hold
    /// too many respondents, a row touching one of the non-pivot entries. Branching only on
    /// those rows (on the bad entry touched by the fewest rows) keeps the search to a few
    /// rows at each of at most `min_cell − 1` levels, however many rows there are.
    fn grow(
        &self,
        search: &Search<'_>,
        chosen: &mut Vec<usize>,
        sum: &[(u32, Ratio)],
        budget: u32,
    ) -> Result<bool, Overflow> {
        let Some(left) = search.left.get().checked_sub(1) else {
            return Ok(true);
        };
        search.left.set(left);
        let touching = |coordinate: u32| search.touching.get(coordinate as usize);
        let mut total: u32 = 0;
        let mut bad: Option<&[usize]> = None;
        for &(coordinate, value) in sum {
            if value.is_one() {
                total = total.saturating_add(self.counts[coordinate as usize]);
            } else {
                let rows = touching(coordinate);
                if bad.is_none_or(|fewest| rows.len() < fewest.len()) {
                    bad = Some(rows);
                }
            }
        }
        let candidates: Vec<usize> = match bad {
            None if total < self.min_cell => return Ok(total > 0),
            Some(rows) => rows.to_vec(),
            None => {
                let mut rows: Vec<usize> = sum
                    .iter()
                    .filter(|&&(coordinate, _)| {
                        !chosen.iter().any(|&c| search.rows[c][0].0 == coordinate)
                    })
                    .flat_map(|&(coordinate, _)| touching(coordinate).iter().copied())
                    .collect();
                rows.sort_unstable();
                rows.dedup();
                rows
            }
        };
        for i in candidates {
            if chosen.contains(&i) {
                continue;
            }
            let row = search.rows[i];
            let Some(rest) = budget.checked_sub(self.counts[row[0].0 as usize]) else {
                continue;
            };
            let next = axpy(sum, Ratio::ONE, row)?;
            chosen.push(i);
            let found = self.grow(search, chosen, &next, rest)?;
            chosen.pop();
            if found {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The coordinates that are no row's pivot (each opens one direction of the changes
    /// that leave every known figure as it is) and are not settled.
    pub(super) fn unsettled(&self) -> Vec<u32> {
        (0..self.counts.len() as u32)
            .filter(|&c| self.is_free(c) && self.settled[c as usize] == Settled::No)
            .collect()
    }

    /// Whether `coordinate` is no row's pivot.
    pub(super) fn is_free(&self, coordinate: u32) -> bool {
        self.pivot_row[coordinate as usize].is_none()
    }

    /// Marks the change of free coordinate `coordinate` as a move. It stays one while no
    /// row touches the coordinate: inserting a row changes exactly the changes of the free
    /// coordinates it has, and the bounds a move must keep only ever loosen (what is
    /// withheld is only ever published later).
    pub(super) fn settle(&mut self, coordinate: u32) {
        self.set_settled(coordinate, Settled::Alone);
    }

    /// Marks the change of free coordinate `coordinate` as a move together with that of
    /// `partner`, settled alone: its direction is open since the partner's is. It stays
    /// settled while no row touches either.
    pub(super) fn settle_with(&mut self, coordinate: u32, partner: u32) {
        debug_assert_eq!(self.settled[partner as usize], Settled::Alone);
        self.set_settled(coordinate, Settled::With(partner));
    }

    /// Marks the direction of free coordinate `coordinate` as open while no row touches
    /// any of `coordinates` (sorted), on which the moves that open it depend.
    pub(super) fn settle_until(&mut self, coordinate: u32, coordinates: Rc<[u32]>) {
        self.set_settled(coordinate, Settled::Until(coordinates));
    }

    /// Settles `coordinate` as `settled`, noting what it was.
    fn set_settled(&mut self, coordinate: u32, settled: Settled) {
        let c = coordinate as usize;
        if matches!(settled, Settled::With(_) | Settled::Until(_)) && !self.listed[c] {
            self.listed[c] = true;
            self.dependents.push(coordinate);
            self.journal.push(Undo::Listed);
        }
        let was = std::mem::replace(&mut self.settled[c], settled);
        if was != self.settled[c] {
            self.journal.push(Undo::Settled(coordinate, was));
        }
    }

    /// The state to go back to if what follows is refused.
    pub(super) fn mark(&self) -> Mark {
        Mark(self.journal.len())
    }

    /// Undoes every change since `mark`.
    pub(super) fn rollback(&mut self, mark: Mark) {
        while self.journal.len() > mark.0 {
            match self.journal.pop().expect("a change after the mark") {
                Undo::Added => {
                    let row = self.rows.pop().expect("an added row");
                    self.pivot_row[row.pivot() as usize] = None;
                }
                Undo::Row(r, row) => self.rows[r] = row,
                Undo::Kernel(c, change) => self.kernel[c as usize] = change,
                Undo::Settled(c, settled) => self.settled[c as usize] = settled,
                Undo::Listed => {
                    let c = self.dependents.pop().expect("a listed dependent");
                    self.listed[c as usize] = false;
                }
            }
        }
    }

    /// Keeps every change made so far: nothing before this can be undone.
    pub(super) fn commit(&mut self) {
        self.journal.clear();
    }

    /// Undoes every change since the last commit.
    pub(super) fn revert(&mut self) {
        self.rollback(Mark(0));
    }

    /// The coordinates besides its own whose changes the direction of `coordinate` is
    /// settled by: its partner's, or those it is settled until a row touches.
    pub(super) fn depends_on(&self, coordinate: u32) -> &[u32] {
        match &self.settled[coordinate as usize] {
            Settled::With(partner) => std::slice::from_ref(partner),
            Settled::Until(coordinates) => coordinates,
            Settled::No | Settled::Alone => &[],
        }
    }

    /// The free coordinates settled alone whose changes touch `coordinate`, in increasing
    /// order: the moves a stuck change may be paired with. Lazy, since only the first few
    /// of a long row are ever wanted.
    pub(super) fn settled_touching(&self, coordinate: u32) -> impl Iterator<Item = u32> + '_ {
        let candidates: &[(u32, Ratio)] = match self.pivot_row[coordinate as usize] {
            None => &[],
            Some(row) => &self.rows[row].entries[1..],
        };
        let own = self.is_free(coordinate).then_some(coordinate);
        own.into_iter()
            .chain(candidates.iter().map(|&(c, _)| c))
            .filter(|&c| self.settled[c as usize] == Settled::Alone)
    }

    /// For each of the free coordinates `frees`, the change that adds 1 there and
    /// compensates at the pivots so that every known figure stays as it is, scaled to whole
    /// numbers. Together the changes of all free coordinates are a basis of such changes,
    /// each zero at every other free coordinate.
    pub(super) fn kernel_of(&self, frees: &[u32]) -> Result<Vec<(u32, Change)>, Overflow> {
        frees
            .iter()
            .map(|&free| {
                let mut change = Change::new();
                self.kernel_into(free, &mut change)?;
                Ok((free, change))
            })
            .collect()
    }

    /// The change [`Knowledge::kernel_of`] gives for the free coordinate `free`, written into
    /// `change` (cleared first), so that a caller checking many can reuse one buffer.
    pub(super) fn kernel_into(&self, free: u32, change: &mut Change) -> Result<(), Overflow> {
        debug_assert!(self.is_free(free), "a free coordinate");
        change.clear();
        let Some(entries) = &self.kernel[free as usize] else {
            change.push((free, 1));
            return Ok(());
        };
        let scale =
            entries
                .iter()
                .try_fold(1i64, |scale, &(_, value)| match value.denominator() {
                    1 => Ok(scale),
                    denominator => lcm(scale, denominator),
                })?;
        for &(c, value) in entries.iter() {
            let value = value.scaled(scale)?;
            if value.abs() > MAX_CHANGE {
                return Err(Overflow);
            }
            change.push((c, value));
        }
        Ok(())
    }

    /// Those of `changes` that keep every known figure, in their order. A change that keeps
    /// every published group need not keep a weighted sum learnt as pinned, and only one
    /// that keeps everything is a direction of the null space.
    pub(super) fn kept<'c>(
        &self,
        changes: impl IntoIterator<Item = &'c Change>,
    ) -> Result<Vec<&'c Change>, Overflow> {
        let mut kept = Vec::new();
        for change in changes {
            if self.keeps(change)? {
                kept.push(change);
            }
        }
        Ok(kept)
    }

    /// Whether `change` keeps every known figure: whether it is orthogonal to every row. A
    /// change that does is the combination of the kernel's changes at its free coordinates
    /// (each is 1 at its own free coordinate and 0 at the others), and one that is that
    /// combination does: so it is rebuilt from those few changes and compared, rather than
    /// multiplied with every row.
    fn keeps(&self, change: &Change) -> Result<bool, Overflow> {
        let mut rebuilt: Sparse = Vec::new();
        for &(c, weight) in change {
            if !self.is_free(c) {
                continue;
            }
            let weight = Ratio::whole(weight);
            rebuilt = match &self.kernel[c as usize] {
                Some(kernel) => axpy(&rebuilt, weight, kernel)?,
                None => axpy(&rebuilt, weight, &[(c, Ratio::ONE)])?,
            };
        }
        let expected: Sparse = change
            .iter()
            .filter(|&&(_, weight)| weight != 0)
            .map(|&(c, weight)| (c, Ratio::whole(weight)))
            .collect();
        Ok(rebuilt == expected)
    }

    /// Adds the weighted sum of cells `sum` to what is known, unless that would disclose a
    /// small set; returns whether it was added.
    pub(super) fn learn(&mut self, sum: &Change) -> Result<bool, Overflow> {
        match self.reduce_weighted(sum)? {
            Reduced::Known => Ok(true),
            Reduced::New(row) => {
                if self.discloses(&row)? {
                    return Ok(false);
                }
                self.insert(row)?;
                Ok(true)
            }
        }
    }

    /// Adds a reduced row, keeping the form reduced.
    pub(super) fn insert(&mut self, row: Row) -> Result<(), Overflow> {
        let pivot = row.pivot();
        let mut unsettled = false;
        for &(coordinate, _) in &row.entries {
            unsettled |= self.settled[coordinate as usize] != Settled::No;
            self.set_settled(coordinate, Settled::No);
        }
        // A change settled with a partner's is unsettled with it, and one settled until a
        // row touches some coordinates when this one does.
        for i in 0..self.dependents.len() {
            let c = self.dependents[i];
            let keeps = match &self.settled[c as usize] {
                Settled::With(partner) => {
                    !unsettled || self.settled[*partner as usize] != Settled::No
                }
                Settled::Until(coordinates) => !row
                    .entries
                    .iter()
                    .any(|(t, _)| coordinates.binary_search(t).is_ok()),
                Settled::No | Settled::Alone => true,
            };
            if !keeps {
                self.set_settled(c, Settled::No);
            }
        }
        // The rows with an entry at the new pivot are those whose pivots the pivot's change
        // compensates at (see `kernel_of`): found there, not by reading every row.
        let unit = |c: u32| -> Shared { Rc::new([(c, Ratio::ONE)]) };
        let was = self.kernel[pivot as usize].take();
        let at_pivot = was.clone().unwrap_or_else(|| unit(pivot));
        self.journal.push(Undo::Kernel(pivot, was));
        for &(c, _) in at_pivot.iter() {
            let Some(r) = self.pivot_row[c as usize] else {
                continue;
            };
            let other = &self.rows[r];
            let factor = other.value(pivot);
            debug_assert!(
                !factor.is_zero(),
                "the change compensates where the row has an entry"
            );
            let reduced = Row {
                entries: axpy(&other.entries, factor.neg()?, &row.entries)?,
            };
            let was = std::mem::replace(&mut self.rows[r], reduced);
            self.journal.push(Undo::Row(r, was));
        }
        // The change of each free coordinate the row touches loses the row's share of the
        // pivot's change, which keeps it 1 there, 0 at every other free coordinate, and
        // orthogonal to the new row (see `kernel_of`).
        for &(free, value) in &row.entries[1..] {
            let was = self.kernel[free as usize].take();
            let change = was.clone().unwrap_or_else(|| unit(free));
            self.kernel[free as usize] = Some(axpy(&change, value.neg()?, &at_pivot)?.into());
            self.journal.push(Undo::Kernel(free, was));
        }
        self.pivot_row[pivot as usize] = Some(self.rows.len());
        self.rows.push(row);
        self.journal.push(Undo::Added);
        Ok(())
    }
}

/// The least common multiple of two positive numbers.
fn lcm(a: i64, b: i64) -> Result<i64, Overflow> {
    let mut divisor = (a, b);
    while divisor.1 != 0 {
        divisor = (divisor.1, divisor.0 % divisor.1);
    }
    (a / divisor.0).checked_mul(b).ok_or(Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(limit: u32) -> bool {
        // Two cells of 3 respondents each, published together: 6 is not small.
        let mut knowledge = Knowledge::new(&[3, 3], 5);
        knowledge.search_limit = limit;
        // Both cells hold respondents, so they are coordinates 0 and 1.
        let Reduced::New(row) = knowledge.reduce_coordinates(&[0, 1]).unwrap() else {
            panic!("a new row");
        };
        knowledge.discloses(&row).unwrap()
    }

    #[test]
    fn a_search_that_runs_out_of_steps_withholds() {
        assert!(!check(SEARCH_LIMIT));
        assert!(check(0));
    }

    /// Random weighted sums of cells among `cells`, up to five cells each.
    fn sums(
        cells: u32,
        count: std::ops::Range<usize>,
    ) -> impl proptest::strategy::Strategy<Value = Vec<Vec<(u32, i64)>>> {
        proptest::collection::vec(
            proptest::collection::vec((0..cells, -2i64..=2), 1..6),
            count,
        )
    }

    /// `change` as a [`Change`]: sorted by cell, each cell once, no zero weights.
    fn sorted(change: Vec<(u32, i64)>) -> Change {
        let mut change: Change = change.into_iter().filter(|&(_, w)| w != 0).collect();
        change.sort_unstable_by_key(|&(c, _)| c);
        change.dedup_by_key(|&mut (c, _)| c);
        change
    }

    /// Adds to `knowledge` each of `sums` that it does not know yet.
    fn add(knowledge: &mut Knowledge, sums: Vec<Vec<(u32, i64)>>) {
        for sum in sums {
            if let Reduced::New(row) = knowledge.reduce_weighted(&sorted(sum)).unwrap() {
                knowledge.insert(row).unwrap();
            }
        }
    }

    proptest::proptest! {
        /// The changes kept up to date as rows are added are what `kernel_of` promises: 1
        /// at their free coordinate, 0 at every other, and orthogonal to every row.
        #[test]
        fn a_change_keeps_what_is_known_exactly_when_it_is_orthogonal_to_every_row(
            known in sums(10, 0..8),
            changes in sums(10, 1..8),
        ) {
            let mut knowledge = Knowledge::new(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5);
            add(&mut knowledge, known);
            let mut changes: Vec<Change> = changes.into_iter().map(sorted).collect();
            // Kernel changes and their sums keep everything: the property must see both answers.
            let frees: Vec<u32> = (0..10).filter(|&c| knowledge.is_free(c)).collect();
            changes.extend(knowledge.kernel_of(&frees).unwrap().into_iter().map(|(_, c)| c));
            let orthogonal = |change: &Change| {
                knowledge.rows.iter().all(|row| {
                    row.entries
                        .iter()
                        .map(|&(c, value)| {
                            let weight = change.iter().find(|e| e.0 == c).map_or(0, |e| e.1);
                            value.mul(Ratio::whole(weight)).unwrap()
                        })
                        .try_fold(Ratio::ZERO, Ratio::add)
                        .unwrap()
                        .is_zero()
                })
            };
            for change in &changes {
                let keeps = knowledge.keeps(change).unwrap();
                proptest::prop_assert_eq!(keeps, orthogonal(change), "{:?}", change);
            }
        }

        /// Rolling back to a mark gives exactly the knowledge at the mark: rows, pivots,
        /// kernel changes and settled marks, whatever was added and settled since.
        #[test]
        fn a_rollback_undoes_everything_since_the_mark(
            before in sums(12, 0..6),
            after in sums(12, 1..6),
            settle in proptest::collection::vec((0u32..12, 0u8..3), 0..8),
        ) {
            let mut knowledge = Knowledge::new(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 5);
            add(&mut knowledge, before);
            let at_mark = format!("{knowledge:?}");
            let mark = knowledge.mark();
            add(&mut knowledge, after);
            for (coordinate, how) in settle {
                if knowledge.is_free(coordinate) {
                    match how {
                        0 => knowledge.settle(coordinate),
                        1 => knowledge.settle_until(coordinate, Rc::from([coordinate])),
                        _ => knowledge.set_settled(coordinate, Settled::No),
                    }
                }
            }
            knowledge.rollback(mark);
            proptest::prop_assert_eq!(format!("{knowledge:?}"), at_mark);
        }

        /// The kernel's changes are each kept, and each is nonzero at its own free
        /// coordinate and no other.
        #[test]
        fn kept_changes_span_what_keeps_every_row(known in sums(12, 0..8)) {
            let mut knowledge = Knowledge::new(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 5);
            add(&mut knowledge, known);
            let frees: Vec<u32> = (0..12).filter(|&c| knowledge.is_free(c)).collect();
            let kernel = knowledge.kernel_of(&frees).unwrap();
            let kept = knowledge.kept(kernel.iter().map(|(_, change)| change)).unwrap();
            proptest::prop_assert_eq!(kept.len(), kernel.len());
            for (free, change) in &kernel {
                for &other in &frees {
                    let value = change.iter().find(|&&(c, _)| c == other).map_or(0, |e| e.1);
                    proptest::prop_assert_eq!(value != 0, other == *free);
                }
            }
        }
    }
}
