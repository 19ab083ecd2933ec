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

use std::cell::RefCell;

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
    /// Per group, the change [`Bounds::is_move`] is summing (zero between calls), and the
    /// groups it has touched: kept to spare an allocation on every call.
    scratch: RefCell<(Vec<i128>, Vec<usize>)>,
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
        let groups: Vec<Group> = cells
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
            scratch: RefCell::new((vec![0; groups.len()], Vec::new())),
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
        knowledge: &mut Knowledge,
        open: &[bool],
    ) -> Result<Vec<Change>, Overflow> {
        let kernel = knowledge.kernel_of(&knowledge.unsettled())?;
        let mut stuck: Vec<(u32, &Change)> = Vec::new();
        for (free, change) in &kernel {
            if self.is_move(change.iter().copied(), open)
                || self.is_move(change.iter().map(|&(c, v)| (c, -v)), open)
            {
                knowledge.settle(*free);
            } else {
                stuck.push((*free, change));
            }
        }
        if stuck.is_empty() {
            return Ok(Vec::new());
        }
        // Only a move that touches a bound the change breaks can repair it. A change that
        // is a move together with a settled one stays settled while neither changes.
        let tries: Vec<(u32, &Change, Vec<u32>, Vec<u32>)> = stuck
            .into_iter()
            .map(|(free, change)| {
                let broken = self.broken(change, open);
                let mut partners: Vec<u32> = broken
                    .iter()
                    .flat_map(|&c| knowledge.settled_touching(c))
                    .collect();
                partners.sort_unstable();
                partners.dedup();
                partners.truncate(PAIRINGS);
                (free, change, broken, partners)
            })
            .collect();
        let mut wanted: Vec<u32> = tries.iter().flat_map(|t| t.3.iter().copied()).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let moves = knowledge.kernel_of(&wanted)?;
        let move_of = |free: u32| {
            let i = wanted.binary_search(&free).expect("a wanted partner");
            &moves[i].1
        };
        let mut left: Vec<(u32, &Change, Vec<u32>)> = Vec::new();
        for (free, change, broken, partners) in tries {
            let paired = partners.iter().find(|&&other| {
                SIGNS
                    .into_iter()
                    .any(|(a, b)| self.is_move(combine(change, a, move_of(other), b), open))
            });
            match paired {
                Some(&other) => knowledge.settle_with(free, other),
                None => left.push((free, change, broken)),
            }
        }
        // Changes that are no moves alone may be one together (a pupil moved within a
        // group at its cap): each such pair opens one direction among them, and what stays
        // pinned is what those directions leave fixed.
        let mut touching: Vec<(u32, usize)> = left
            .iter()
            .enumerate()
            .flat_map(|(j, (_, change, _))| change.iter().map(move |&(c, _)| (c, j)))
            .collect();
        touching.sort_unstable();
        let mut signs = Signs::new(left.len());
        for (i, (_, change, broken)) in left.iter().enumerate() {
            let mut partners: Vec<usize> = broken
                .iter()
                .flat_map(|&c| {
                    let from = touching.partition_point(|&(t, _)| t < c);
                    touching[from..]
                        .iter()
                        .take_while(move |&&(t, _)| t == c)
                        .map(|&(_, j)| j)
                })
                .filter(|&j| j > i)
                .collect();
            partners.sort_unstable();
            partners.dedup();
            for j in partners.into_iter().take(PAIRINGS) {
                if let Some((a, b)) = SIGNS
                    .into_iter()
                    .find(|&(a, b)| self.is_move(combine(change, a, left[j].1, b), open))
                {
                    // a·(change i) + b·(change j) is open: a pinned sum weighs j by −a·b
                    // times i.
                    signs.relate(i, j, -a * b);
                }
            }
        }
        Ok(signs
            .sums()
            .into_iter()
            .map(|sum| {
                let mut weighted: Change = sum
                    .into_iter()
                    .map(|(i, weight)| (left[i].0, weight))
                    .collect();
                weighted.sort_unstable_by_key(|&(c, _)| c);
                weighted
            })
            .collect())
    }

    /// For `change` and for its opposite, the coordinates of the smallest cell or group
    /// whose bound it breaks: a move that repairs either must touch them. Both are kept: a
    /// change may break a small group one way (a cell at its cap) and a large one the other
    /// (the pivot's group at its cap), and only the second may have moves to pair with.
    fn broken(&self, change: &Change, open: &[bool]) -> Vec<u32> {
        let mut broken: Vec<u32> = [1, -1]
            .into_iter()
            .flat_map(|sign| self.broken_by(change, sign, open))
            .collect();
        broken.sort_unstable();
        broken.dedup();
        broken
    }

    /// The coordinates of the smallest cell or group whose bound `sign · change` breaks.
    fn broken_by(&self, change: &Change, sign: i128, open: &[bool]) -> Vec<u32> {
        let mut sums: Vec<(usize, i128)> = Vec::new();
        for &(coordinate, delta) in change {
            let c = coordinate as usize;
            let Some(&count) = self.counts.get(c) else {
                continue;
            };
            if count + sign * delta < 0 {
                return vec![coordinate];
            }
            for &g in &self.holding[c] {
                match sums.iter_mut().find(|(group, _)| *group == g) {
                    Some((_, sum)) => *sum += sign * delta,
                    None => sums.push((g, sign * delta)),
                }
            }
        }
        sums.into_iter()
            .filter(|&(g, delta)| !self.within(g, delta, open))
            .map(|(g, _)| &self.groups[g].coordinates)
            .min_by_key(|coordinates| coordinates.len())
            .cloned()
            .unwrap_or_default()
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
        let mut scratch = self.scratch.borrow_mut();
        let (sums, touched) = &mut *scratch;
        let mut cells_keep = true;
        for (coordinate, delta) in change {
            let c = coordinate as usize;
            let Some(&count) = self.counts.get(c) else {
                // A coordinate in no group: only its own count bounds it.
                continue;
            };
            if count + delta < 0 {
                cells_keep = false;
                break;
            }
            for &g in &self.holding[c] {
                if sums[g] == 0 {
                    touched.push(g);
                }
                sums[g] += delta;
            }
        }
        let mut keeps = cells_keep;
        for g in touched.drain(..) {
            keeps = keeps && self.within(g, sums[g], open);
            sums[g] = 0;
        }
        keeps
    }

    /// The coordinates of group `g`.
    pub(super) fn coordinates(&self, g: usize) -> &[u32] {
        &self.groups[g].coordinates
    }
}

/// `a · x + b · y` of two changes (sorted by coordinate), entry by entry: it is only ever
/// checked, so it is merged as it is read rather than collected.
fn combine<'a>(
    x: &'a Change,
    a: i128,
    y: &'a Change,
    b: i128,
) -> impl Iterator<Item = (u32, i128)> + 'a {
    let (mut x, mut y) = (x.iter().peekable(), y.iter().peekable());
    std::iter::from_fn(move || {
        loop {
            let entry = match (x.peek(), y.peek()) {
                (Some(&&(cx, vx)), Some(&&(cy, vy))) if cx == cy => {
                    x.next();
                    y.next();
                    (cx, a * vx + b * vy)
                }
                (Some(&&(cx, vx)), Some(&&(cy, _))) if cx < cy => {
                    x.next();
                    (cx, a * vx)
                }
                (_, Some(&&(cy, vy))) => {
                    y.next();
                    (cy, b * vy)
                }
                (Some(&&(cx, vx)), None) => {
                    x.next();
                    (cx, a * vx)
                }
                (None, None) => return None,
            };
            if entry.1 != 0 {
                return Some(entry);
            }
        }
    })
}

/// Signed classes of the changes left: two are related when a combination of them is open,
/// which fixes how a pinned sum weighs one against the other.
struct Signs {
    /// Parent and the weight relative to it (±1).
    parent: Vec<(usize, i128)>,
    /// Per root: whether its class has two conflicting weights (then nothing in it is
    /// pinned).
    free: Vec<bool>,
}

impl Signs {
    fn new(n: usize) -> Signs {
        Signs {
            parent: (0..n).map(|i| (i, 1)).collect(),
            free: vec![false; n],
        }
    }

    /// The root of `i` and `i`'s weight relative to it.
    fn find(&mut self, i: usize) -> (usize, i128) {
        let (parent, weight) = self.parent[i];
        if parent == i {
            return (i, 1);
        }
        let (root, above) = self.find(parent);
        self.parent[i] = (root, weight * above);
        (root, weight * above)
    }

    /// A pinned sum weighs `j` by `relation` times `i`.
    fn relate(&mut self, i: usize, j: usize, relation: i128) {
        let ((ri, wi), (rj, wj)) = (self.find(i), self.find(j));
        if ri == rj {
            if wj != relation * wi {
                self.free[ri] = true;
            }
        } else {
            // weight(j) = relation · weight(i): root rj gets weight relation · wi / wj.
            self.parent[rj] = (ri, relation * wi * wj);
            self.free[ri] |= self.free[rj];
        }
    }

    /// The pinned sums: one per class without a conflict, as (member, weight).
    fn sums(mut self) -> Vec<Vec<(usize, i128)>> {
        let mut classes: Vec<Vec<(usize, i128)>> = vec![Vec::new(); self.parent.len()];
        for i in 0..self.parent.len() {
            let (root, weight) = self.find(i);
            classes[root].push((i, weight));
        }
        classes
            .into_iter()
            .enumerate()
            .filter(|(root, class)| !class.is_empty() && !self.free[*root])
            .map(|(_, class)| class)
            .collect()
    }
}
