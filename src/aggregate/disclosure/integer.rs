//! What whole numbers and the withheld marks add to the published figures.
//!
//! An outsider knows more than the span of the published cells: counts are whole numbers
//! ≥ 0, a withheld group is not empty (zeros are published), and a question's group answered
//! by no more pupils than the respondents table publishes for it. Such bounds can pin a
//! figure that no addition or subtraction gives: with a total of 6, two withheld groups of
//! which one must hold at least 5 leave 1 for the other. Whatever the outsider can pin is a
//! linear function that is the same on every table he cannot rule out, so it is constant on
//! their affine hull; this module finds that hull from below, by *moves*: changes of the
//! cells that keep every published figure and every bound, so that the changed table is one
//! the outsider cannot rule out. Every direction of the span of the published cells' null
//! space that no move is found for is treated as known (the cell count at the free
//! coordinate that direction opens), so the check can only ever assume the outsider knows
//! more than he does, never less.
//!
//! The null space's basis comes from the reduced row-echelon form ([`Knowledge::kernel`]):
//! one change per free coordinate, 1 there and compensating at pivots. A change is a move if
//! it or its opposite keeps the bounds; one that does neither may still be a move together
//! with another move (a pupil of a withheld group of one swapped with one from elsewhere).

use std::collections::HashMap;

use super::knowledge::{Change, Knowledge};
use super::ratio::Overflow;

/// How many other moves a change that is no move on its own is combined with before its
/// direction counts as known. It bounds the work, and giving up can only withhold more.
const PAIRINGS: usize = 32;

/// The signs two changes are combined with.
const SIGNS: [(i128, i128); 4] = [(1, 1), (1, -1), (-1, 1), (-1, -1)];

/// The bounds an outsider knows on one measure's groups.
#[derive(Debug, Clone)]
pub(super) struct Bounds {
    /// Per group: its non-empty cells (coordinates), its count and the most it can hold.
    groups: Vec<Group>,
    /// Per coordinate: the groups holding it.
    holding: Vec<Vec<usize>>,
    /// Per coordinate: its count.
    counts: Vec<i128>,
}

#[derive(Debug, Clone)]
struct Group {
    coordinates: Vec<u32>,
    count: i128,
    cap: Option<i128>,
    /// Whether, when withheld, it is known to hold at least one in this measure.
    floored: bool,
}

impl Bounds {
    /// The bounds on `cells` (each a group's inner cells) for the measure `knowledge`
    /// describes; `caps` gives, per group (or none), the most it can hold, and `floored`
    /// whether a withheld group is known to hold at least one in this measure.
    pub(super) fn new(
        knowledge: &Knowledge,
        cells: &[Vec<u32>],
        caps: &[Option<u32>],
        floored: &dyn Fn(usize) -> bool,
    ) -> Bounds {
        let mut holding: Vec<Vec<usize>> = Vec::new();
        let mut counts: Vec<i128> = Vec::new();
        let groups = cells
            .iter()
            .enumerate()
            .map(|(g, cells)| {
                let coordinates = knowledge.coordinates(cells);
                let mut count = 0;
                for &c in &coordinates {
                    let c = c as usize;
                    if holding.len() <= c {
                        holding.resize(c + 1, Vec::new());
                        counts.resize(c + 1, 0);
                    }
                    holding[c].push(g);
                    counts[c] = i128::from(knowledge.count(c as u32));
                    count += counts[c];
                }
                Group {
                    floored: floored(g) && !coordinates.is_empty(),
                    coordinates,
                    count,
                    cap: caps.get(g).copied().flatten().map(i128::from),
                }
            })
            .collect();
        Bounds {
            groups,
            holding,
            counts,
        }
    }

    /// What an outsider can pin beyond `knowledge`, when the groups flagged in `open` are
    /// withheld (so known only to be non-empty) and the others published: weighted sums of
    /// cells, each over the free coordinates whose directions no move opens.
    pub(super) fn pinned(
        &self,
        knowledge: &Knowledge,
        open: &[bool],
    ) -> Result<Vec<Change>, Overflow> {
        let kernel = knowledge.kernel()?;
        let mut moves: Vec<&Change> = Vec::new();
        let mut stuck: Vec<(u32, &Change)> = Vec::new();
        for (free, change) in &kernel {
            if self.is_move(change.iter().copied(), open)
                || self.is_move(change.iter().map(|&(c, v)| (c, -v)), open)
            {
                moves.push(change);
            } else {
                stuck.push((*free, change));
            }
        }
        if stuck.is_empty() {
            return Ok(Vec::new());
        }
        // Only a move that touches a bound the change breaks can repair it.
        let mut touching: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, change) in moves.iter().enumerate() {
            for &(c, _) in *change {
                touching.entry(c).or_default().push(i);
            }
        }
        let mut left: Vec<(u32, &Change, Vec<u32>)> = Vec::new();
        for (free, change) in stuck {
            let broken = self.broken(change, open);
            let mut partners: Vec<usize> = broken
                .iter()
                .flat_map(|c| touching.get(c).into_iter().flatten().copied())
                .collect();
            partners.sort_unstable();
            partners.dedup();
            let paired = partners.into_iter().take(PAIRINGS).any(|other| {
                SIGNS
                    .into_iter()
                    .any(|(a, b)| self.is_move(combine(change, a, moves[other], b), open))
            });
            if paired {
                for &(c, _) in change {
                    touching.entry(c).or_default().push(moves.len());
                }
                moves.push(change);
            } else {
                left.push((free, change, broken));
            }
        }
        // Changes that are no moves alone may be one together (a pupil moved within a
        // group at its cap): each such pair opens one direction among them.
        let mut directions: Vec<Vec<i128>> = Vec::new();
        for i in 0..left.len() {
            let tries = (i + 1..left.len())
                .filter(|&j| {
                    left[j]
                        .1
                        .iter()
                        .any(|(c, _)| left[i].2.binary_search(c).is_ok())
                })
                .take(PAIRINGS);
            for j in tries {
                if let Some((a, b)) = SIGNS
                    .into_iter()
                    .find(|&(a, b)| self.is_move(combine(left[i].1, a, left[j].1, b), open))
                {
                    let mut direction = vec![0; left.len()];
                    direction[i] = a;
                    direction[j] = b;
                    directions.push(direction);
                }
            }
        }
        Ok(complement(&directions, left.len())
            .into_iter()
            .map(|weights| {
                left.iter()
                    .zip(weights)
                    .filter(|&(_, w)| w != 0)
                    .map(|((free, _, _), w)| (*free, w))
                    .collect()
            })
            .collect())
    }

    /// The coordinates of the smallest cell or group whose bound `change` or its opposite
    /// breaks: a move that repairs the change must touch it.
    fn broken(&self, change: &Change, open: &[bool]) -> Vec<u32> {
        let mut smallest: Option<&[u32]> = None;
        let mut best: Option<Vec<u32>> = None;
        for sign in [1, -1] {
            let mut sums: Vec<(usize, i128)> = Vec::new();
            for &(coordinate, delta) in change {
                let c = coordinate as usize;
                let Some(&count) = self.counts.get(c) else {
                    continue;
                };
                if count + sign * delta < 0 {
                    best = Some(vec![coordinate]);
                }
                for &g in &self.holding[c] {
                    match sums.iter_mut().find(|(group, _)| *group == g) {
                        Some((_, sum)) => *sum += sign * delta,
                        None => sums.push((g, sign * delta)),
                    }
                }
            }
            for (g, delta) in sums {
                let coordinates = &self.groups[g].coordinates;
                if !self.within(g, delta, open)
                    && smallest.is_none_or(|s| coordinates.len() < s.len())
                {
                    smallest = Some(coordinates);
                }
            }
        }
        match (best, smallest) {
            (Some(cell), _) => cell,
            (None, Some(group)) => group.to_vec(),
            (None, None) => Vec::new(),
        }
    }

    /// Whether group `g` changed by `delta` stays within its floor and cap.
    fn within(&self, g: usize, delta: i128, open: &[bool]) -> bool {
        let group = &self.groups[g];
        let after = group.count + delta;
        let floor = i128::from(group.floored && open.get(g) == Some(&true));
        after >= floor && group.cap.is_none_or(|cap| after <= cap)
    }

    /// Whether adding `change` keeps every cell ≥ 0, every open floored group ≥ 1 and
    /// every group within its cap.
    fn is_move(&self, change: impl IntoIterator<Item = (u32, i128)>, open: &[bool]) -> bool {
        let mut touched: Vec<(usize, i128)> = Vec::new();
        for (coordinate, delta) in change {
            let c = coordinate as usize;
            let Some(&count) = self.counts.get(c) else {
                // A coordinate in no group: only its own count bounds it.
                continue;
            };
            if count + delta < 0 {
                return false;
            }
            for &g in &self.holding[c] {
                match touched.iter_mut().find(|(group, _)| *group == g) {
                    Some((_, sum)) => *sum += delta,
                    None => touched.push((g, delta)),
                }
            }
        }
        touched
            .into_iter()
            .all(|(g, delta)| self.within(g, delta, open))
    }

    /// The coordinates of group `g`.
    pub(super) fn coordinates(&self, g: usize) -> &[u32] {
        &self.groups[g].coordinates
    }
}

/// `a · x + b · y` of two changes.
fn combine(x: &Change, a: i128, y: &Change, b: i128) -> Change {
    let mut out: Change = Vec::with_capacity(x.len() + y.len());
    let (mut i, mut j) = (0, 0);
    while i < x.len() || j < y.len() {
        let entry = match (x.get(i), y.get(j)) {
            (Some(&(cx, vx)), Some(&(cy, _))) if cx < cy => {
                i += 1;
                (cx, a * vx)
            }
            (Some(&(cx, vx)), Some(&(cy, vy))) if cx == cy => {
                i += 1;
                j += 1;
                (cx, a * vx + b * vy)
            }
            (_, Some(&(cy, vy))) => {
                j += 1;
                (cy, b * vy)
            }
            (Some(&(cx, vx)), None) => {
                i += 1;
                (cx, a * vx)
            }
            (None, None) => break,
        };
        if entry.1 != 0 {
            out.push(entry);
        }
    }
    out
}

/// A basis of the weight vectors (of length `n`) orthogonal to every one of `directions`:
/// the sums an outsider can pin when only those directions are open. Each direction has
/// two entries ±1, so the elimination stays in small whole numbers.
fn complement(directions: &[Vec<i128>], n: usize) -> Vec<Vec<i128>> {
    // Reduced row echelon form, each row scaled to whole numbers.
    let mut rows: Vec<(usize, Vec<i128>)> = Vec::new();
    for direction in directions {
        let mut v = direction.clone();
        for (pivot, row) in &rows {
            if v[*pivot] != 0 {
                let (a, b) = (row[*pivot], v[*pivot]);
                v.iter_mut().zip(row).for_each(|(x, r)| *x = a * *x - b * r);
            }
        }
        let Some(pivot) = v.iter().position(|&x| x != 0) else {
            continue;
        };
        for (_, row) in &mut rows {
            if row[pivot] != 0 {
                let (a, b) = (v[pivot], row[pivot]);
                row.iter_mut()
                    .zip(&v)
                    .for_each(|(x, r)| *x = a * *x - b * r);
            }
        }
        rows.push((pivot, v));
        for (_, row) in &mut rows {
            let g = row.iter().fold(0, |g, &x| gcd(g, x.abs()));
            row.iter_mut().for_each(|x| *x /= g.max(1));
        }
    }
    (0..n)
        .filter(|&c| rows.iter().all(|(p, _)| *p != c))
        .map(|free| {
            let scale = rows
                .iter()
                .fold(1, |l, (p, r)| l / gcd(l, r[*p].abs()) * r[*p].abs());
            let mut w = vec![0; n];
            w[free] = scale;
            for (p, r) in &rows {
                w[*p] = -r[free] * (scale / r[*p]);
            }
            let g = w.iter().fold(0, |g, &x| gcd(g, x.abs()));
            w.iter_mut().for_each(|x| *x /= g.max(1));
            w
        })
        .collect()
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a } else { gcd(b, a % b) }
}
