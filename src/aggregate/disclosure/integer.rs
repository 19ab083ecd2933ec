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
//! Before a publication is refused for what stays pinned, the [`Neutral`] moves, which keep
//! every group's count, and swaps within published groups are tried too ([`Bounds::pin`]).

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

use super::knowledge::{Change, Knowledge, Reduced};
use super::lists::Lists;
use super::ratio::Overflow;

/// How many other moves a change that is no move on its own is combined with before its
/// direction counts as known. It bounds the work, and giving up can only withhold more.
const PAIRINGS: usize = 32;

/// The bounds an outsider knows on one measure's groups.
#[derive(Debug, Clone)]
pub(super) struct Bounds {
    /// Per group: its non-empty cells (coordinates), its count and the most it can hold.
    groups: Vec<Group>,
    /// Per coordinate: the groups holding it.
    holding: Lists,
    /// Per coordinate: the groups holding it that a change of fewer than [`LOOSE`] pupils
    /// in all may take past a floor or cap. The others need no look for such changes,
    /// which most are.
    tight: Lists,
    /// Per coordinate: its count.
    counts: Vec<i64>,
    /// Per group, the change [`Bounds::is_move`] is summing (zero between calls), and the
    /// groups it has touched: kept to spare an allocation on every call.
    scratch: RefCell<(Vec<i64>, Vec<usize>)>,
    /// The moves that keep every group as it is ([`Neutral`]), found when first needed.
    neutral: OnceCell<Neutral>,
}

/// Moves that keep the count of every group, published or not, and so every bound: a pupil
/// of 7th grade moved from the boys to the girls and one of 8th grade from the girls to the
/// boys, in one school. They are moves whatever is published, and sometimes the only ones:
/// where a question was answered by every respondent, each of its groups is at its cap, and
/// no change of the elimination's basis, alone or with another, keeps them all.
#[derive(Debug, Clone)]
struct Neutral {
    moves: Vec<Change>,
    /// Per coordinate: the moves touching it.
    touching: Lists,
}

#[derive(Debug, Clone)]
struct Group {
    coordinates: Vec<u32>,
    /// One bit per coordinate (bit `c % 64` of word `c / 64`), set for the group's: how much a change changes the group is
    /// read off it for every partner a stuck change is tried with ([`Bounds::change_at`]).
    members: Vec<u64>,
    count: i64,
    cap: Option<i64>,
    /// Whether, when withheld, it is known to hold at least one in this measure.
    floored: bool,
}

impl Group {
    /// The group of the inner cells `cells` in the measure `knowledge` describes, its empty
    /// cells left out. Its coordinates are read in order off its bit set, not sorted.
    fn of(
        knowledge: &Knowledge,
        counts: &[i64],
        cells: &[u32],
        cap: Option<i64>,
        floored: bool,
    ) -> Group {
        let mut members: Vec<u64> = vec![0; counts.len().div_ceil(64)];
        for c in knowledge.coordinates_of(cells) {
            members[c as usize / 64] |= 1 << (c % 64);
        }
        let held = members.iter().map(|word| word.count_ones() as usize).sum();
        let mut coordinates = Vec::with_capacity(held);
        for (i, &word) in members.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                coordinates.push(i as u32 * 64 + word.trailing_zeros());
                word &= word - 1;
            }
        }
        Group {
            floored: floored && !coordinates.is_empty(),
            count: coordinates.iter().map(|&c| counts[c as usize]).sum(),
            coordinates,
            members,
            cap,
        }
    }

    /// Whether the group holds the cell at `coordinate`.
    fn holds(&self, coordinate: u32) -> bool {
        self.members
            .get(coordinate as usize / 64)
            .is_some_and(|word| word >> (coordinate % 64) & 1 == 1)
    }

    /// How far the group's count is from its floor (when withheld) or cap, whichever is
    /// nearer: a change of fewer pupils in all keeps it within them.
    fn slack(&self) -> i64 {
        let above_floor = self.count - i64::from(self.floored);
        self.cap
            .map_or(above_floor, |cap| above_floor.min(cap - self.count))
    }
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
        let counts: Vec<i64> = (0..knowledge.cells() as u32)
            .map(|c| i64::from(knowledge.count(c)))
            .collect();
        let groups: Vec<Group> = cells
            .iter()
            .enumerate()
            .map(|(g, cells)| {
                let cap = caps.get(g).copied().flatten().map(i64::from);
                Group::of(knowledge, &counts, cells, cap, floored(g))
            })
            .collect();
        let holding = Lists::of(counts.len(), || {
            groups
                .iter()
                .enumerate()
                .flat_map(|(g, group)| group.coordinates.iter().map(move |&c| (c as usize, g)))
        });
        let tight = holding.filtered(|g| groups[g].slack() < LOOSE);
        Bounds {
            scratch: RefCell::new((vec![0; groups.len()], Vec::new())),
            groups,
            holding,
            tight,
            counts,
            neutral: OnceCell::new(),
        }
    }

    /// Adds to `knowledge` what an outsider can pin beyond it, when the groups flagged in
    /// `open` are withheld (so known only to be non-empty) and the others published: weighted
    /// sums of cells, each over the free coordinates whose directions no move opens. Returns
    /// whether that disclosed nothing ([`Knowledge::learn`]); if not, `knowledge` is left in
    /// between and must be dropped. The changes of the elimination's basis, alone and in
    /// pairs, find what opens most directions; where what they leave pinned would disclose,
    /// the neutral moves and the swaps within published groups are tried too, from the same
    /// state, before the publication is refused.
    pub(super) fn pin(&self, knowledge: &mut Knowledge, open: &[bool]) -> Result<bool, Overflow> {
        // Most changes are moves alone: each is built in one buffer, and kept only if not.
        let mut stuck: Vec<(u32, Change)> = Vec::new();
        let mut change = Change::new();
        for free in knowledge.unsettled() {
            knowledge.kernel_into(free, &mut change)?;
            if self.is_move_either_way(&change, open) {
                knowledge.settle(free);
            } else {
                stuck.push((free, change.clone()));
            }
        }
        if stuck.is_empty() {
            return Ok(true);
        }
        // Only a move that touches a bound the change breaks can repair it. A change that
        // is a move together with a settled one stays settled while neither changes.
        let tries: Vec<(Stuck<'_>, Vec<u32>)> = stuck
            .iter()
            .map(|(free, change)| {
                let stuck = self.stuck(*free, change, open);
                let partners = smallest(
                    stuck.broken.iter().map(|&c| knowledge.settled_touching(c)),
                    PAIRINGS,
                );
                (stuck, partners)
            })
            .collect();
        let mut wanted: Vec<u32> = tries.iter().flat_map(|t| t.1.iter().copied()).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let moves = knowledge.kernel_of(&wanted)?;
        let move_of = |free: u32| {
            let i = wanted.binary_search(&free).expect("a wanted partner");
            &moves[i].1
        };
        let mut left: Vec<Stuck<'_>> = Vec::new();
        for (stuck, partners) in tries {
            let paired = partners
                .iter()
                .find(|&&other| self.pair(&stuck, move_of(other), open).is_some());
            match paired {
                Some(&other) => knowledge.settle_with(stuck.free, other),
                None => left.push(stuck),
            }
        }
        // Changes that are no moves alone may be one together (a pupil moved within a
        // group at its cap): each such pair opens one direction among them, and what stays
        // pinned is what the directions found open leave fixed.
        let mut touching: Vec<(u32, usize)> = left
            .iter()
            .enumerate()
            .flat_map(|(j, stuck)| stuck.change.iter().map(move |&(c, _)| (c, j)))
            .collect();
        touching.sort_unstable();
        let mut ways = Ways::new(left.len());
        for (i, stuck) in left.iter().enumerate() {
            let mut partners: Vec<usize> = stuck
                .broken
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
                if let Some((a, b)) = self.pair(stuck, left[j].change, open) {
                    // The move's values at the two free coordinates: a change is scaled to
                    // whole numbers, so it need not be 1 at its own.
                    let way = [
                        (i as u32, a * stuck.at_free()),
                        (j as u32, b * left[j].at_free()),
                    ];
                    ways.open(&way)?;
                }
            }
        }
        let mut depends: Vec<u32> = left.iter().map(|l| l.free).collect();
        if ways.pins_nothing() {
            return learn_pinned(knowledge, &ways, &left, depends);
        }
        let quick = knowledge.mark();
        if learn_pinned(knowledge, &ways, &left, depends.clone())? {
            return Ok(true);
        }
        knowledge.rollback(quick);
        // The neutral moves (seen through the changes left that they touch; the others are
        // open already) may open more, and the swaps within published groups more still.
        depends.extend(self.open_neutral(knowledge, &mut ways, &left)?);
        if !ways.pins_nothing() {
            depends.extend(self.open_swaps(knowledge, &mut ways, &left, open)?);
        }
        learn_pinned(knowledge, &ways, &left, depends)
    }

    /// Adds to `ways` the directions the neutral moves open among the changes `left`;
    /// returns the coordinates of the moves used. Only moves that keep every known figure
    /// count: one that changes a sum learnt as pinned is outside what is known to be free.
    fn open_neutral(
        &self,
        knowledge: &Knowledge,
        ways: &mut Ways,
        left: &[Stuck<'_>],
    ) -> Result<Vec<u32>, Overflow> {
        let neutral = self.neutral.get_or_init(|| Neutral::of(self));
        let mut seen: Vec<usize> = left
            .iter()
            .flat_map(|stuck| neutral.touching(stuck.free))
            .collect();
        seen.sort_unstable();
        seen.dedup();
        let mut used = Vec::new();
        for change in knowledge.kept(seen.iter().map(|&n| &neutral.moves[n]))? {
            open_through(ways, left, change, &mut used)?;
        }
        Ok(used)
    }

    /// Opens, for each change left, the direction of a pupil moved between its free cell and
    /// another cell in the same published groups: such a move keeps every published figure
    /// and changes only withheld groups, so it is checked against their bounds and against
    /// what the check already takes as known. It finds directions the elimination's basis
    /// hides (a pupil of unknown gender counted under "Andet" instead, in the same school
    /// and grade, where neither group is published). Returns the cells the moves used.
    fn open_swaps(
        &self,
        knowledge: &Knowledge,
        ways: &mut Ways,
        left: &[Stuck<'_>],
        open: &[bool],
    ) -> Result<Vec<u32>, Overflow> {
        let alike = Alike::of(self, open);
        let mut used = Vec::new();
        for stuck in left {
            if ways.pins_nothing() {
                break;
            }
            let free = stuck.free;
            let swaps: Vec<Change> = alike
                .cells_like(free)
                .filter(|&c| c != free)
                .take(PAIRINGS)
                .map(|c| swap((free, free), (c, c)))
                .collect();
            let kept = knowledge.kept(&swaps)?;
            let mut found = kept
                .iter()
                .find(|swap| self.is_move_either_way(swap, open))
                .map(|&swap| swap.clone());
            // A swap that takes one group past its bound, with a second swap that takes a
            // pupil of that group out of it (or one into it) in the same published groups.
            for swap in kept.iter().take(SWAP_REPAIRS) {
                if found.is_some() {
                    break;
                }
                found = self.repaired_swap(knowledge, swap, open, &alike)?;
            }
            if let Some(swap) = found {
                open_through(ways, left, &swap, &mut used)?;
            }
        }
        Ok(used)
    }

    /// `first` (or its opposite), a swap that takes exactly one group past its floor or
    /// cap, with a second swap between a cell of that group and one outside it in the same
    /// published groups that brings it back, if their sum is a move that keeps what is known.
    fn repaired_swap(
        &self,
        knowledge: &Knowledge,
        first: &Change,
        open: &[bool],
        alike: &Alike<'_>,
    ) -> Result<Option<Change>, Overflow> {
        for (sign, breaks) in [1, -1].into_iter().zip(self.breaks(first, [1, -1], open)) {
            let [Broken::Group { group, delta }] = breaks[..] else {
                continue;
            };
            let inside = &self.groups[group].coordinates;
            let repairs: Vec<Change> = inside
                .iter()
                .flat_map(|&cell| {
                    alike
                        .cells_like(cell)
                        .filter(|other| inside.binary_search(other).is_err())
                        .map(move |other| (cell, other))
                })
                .take(PAIRINGS)
                .map(|(cell, other)| {
                    // Out of the group where it went past its cap, into it past its floor.
                    let back = if delta > 0 {
                        swap((other, other), (cell, cell))
                    } else {
                        swap((cell, cell), (other, other))
                    };
                    combine(first, sign, &back, 1).collect()
                })
                .collect();
            let repaired = knowledge
                .kept(&repairs)?
                .into_iter()
                .find(|repair| self.is_move(repair.iter().copied(), reach(repair), open));
            if let Some(repair) = repaired {
                return Ok(Some(repair.clone()));
            }
        }
        Ok(None)
    }

    /// A change that is no move, with the bounds it and its opposite break.
    fn stuck<'a>(&self, free: u32, change: &'a Change, open: &[bool]) -> Stuck<'a> {
        let breaks = self.breaks(change, [1, -1], open);
        // For each sign, the coordinates of the smallest cell or group it breaks: a move
        // that repairs either must touch them. Both are kept: a change may break a small
        // group one way (a cell at its cap) and a large one the other (the pivot's group
        // at its cap), and only the second may have moves to pair with.
        let mut broken: Vec<u32> = breaks
            .iter()
            .flat_map(|breaks| match breaks.first() {
                Some(&Broken::Cell { coordinate, .. }) => vec![coordinate],
                _ => breaks
                    .iter()
                    .filter_map(|broken| match *broken {
                        Broken::Group { group, .. } => Some(&self.groups[group].coordinates),
                        Broken::Cell { .. } => None,
                    })
                    .min_by_key(|coordinates| coordinates.len())
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect();
        broken.sort_unstable();
        broken.dedup();
        Stuck {
            free,
            change,
            reach: reach(change),
            breaks,
            broken,
        }
    }

    /// The bounds `sign · change` breaks, for each of `signs`: the cells it makes negative
    /// (in the change's order), then the groups it takes past a floor or cap (in the order
    /// first touched). The groups' changes are summed once for every sign.
    fn breaks<const N: usize>(
        &self,
        change: &Change,
        signs: [i64; N],
        open: &[bool],
    ) -> [Vec<Broken>; N] {
        let mut broken = signs.map(|_| Vec::new());
        let mut scratch = self.scratch.borrow_mut();
        for &(coordinate, delta) in change {
            let c = coordinate as usize;
            for (broken, sign) in broken.iter_mut().zip(signs) {
                let after = self.counts[c] + sign * delta;
                if after < 0 {
                    broken.push(Broken::Cell { coordinate, after });
                }
            }
            add_to_groups(self.holding.get(c), delta, &mut scratch);
        }
        let (sums, touched) = &mut *scratch;
        for group in touched.drain(..) {
            let delta = std::mem::take(&mut sums[group]);
            for (broken, sign) in broken.iter_mut().zip(signs) {
                if !self.within(group, sign * delta, open) {
                    broken.push(Broken::Group {
                        group,
                        delta: sign * delta,
                    });
                }
            }
        }
        broken
    }

    /// The signs `(a, b)` of the first combination `a · stuck + b · other` that is a move,
    /// trying `a` then `b` in the order 1, −1. A combination that does not repair every
    /// bound `a · stuck` breaks is none, and that is seen from those few bounds alone: most
    /// partners fail at the first, whose change by `other` is worked out once for both `b`.
    fn pair(&self, stuck: &Stuck<'_>, other: &Change, open: &[bool]) -> Option<(i64, i64)> {
        [1, -1]
            .into_iter()
            .zip(&stuck.breaks)
            .find_map(|(a, breaks)| {
                let first = breaks
                    .first()
                    .map(|broken| (broken, self.change_at(broken, other)));
                [1, -1]
                    .into_iter()
                    .find(|&b| {
                        first.is_none_or(|(broken, by)| self.repaired(broken, b * by, open))
                            && breaks.iter().skip(1).all(|broken| {
                                self.repaired(broken, b * self.change_at(broken, other), open)
                            })
                            && self.is_move(
                                combine(stuck.change, a, other, b),
                                // Summed only for the few partners that repair every bound.
                                stuck.reach + reach(other),
                                open,
                            )
                    })
                    .map(|b| (a, b))
            })
    }

    /// How much `change` changes the cell or group of the bound `broken`.
    fn change_at(&self, broken: &Broken, change: &Change) -> i64 {
        match *broken {
            Broken::Cell { coordinate, .. } => change
                .binary_search_by_key(&coordinate, |&(c, _)| c)
                .map_or(0, |i| change[i].1),
            Broken::Group { group, .. } => {
                let group = &self.groups[group];
                change
                    .iter()
                    .filter(|&&(c, _)| group.holds(c))
                    .map(|&(_, v)| v)
                    .sum()
            }
        }
    }

    /// Whether changing the cell or group of the bound `broken` by `by` more brings it back
    /// within its limits.
    fn repaired(&self, broken: &Broken, by: i64, open: &[bool]) -> bool {
        match *broken {
            Broken::Cell { after, .. } => after + by >= 0,
            Broken::Group { group, delta } => self.within(group, delta + by, open),
        }
    }

    /// Whether group `g` changed by `delta` stays within its floor and cap.
    fn within(&self, g: usize, delta: i64, open: &[bool]) -> bool {
        let group = &self.groups[g];
        let after = group.count + delta;
        let floor = i64::from(group.floored && open.get(g) == Some(&true));
        after >= floor && group.cap.is_none_or(|cap| after <= cap)
    }

    /// Whether adding `change` keeps every cell ≥ 0, every open floored group ≥ 1 and
    /// every group within its cap; `reach` is at least the sum of the change's sizes.
    fn is_move(
        &self,
        change: impl IntoIterator<Item = (u32, i64)>,
        reach: i64,
        open: &[bool],
    ) -> bool {
        self.is_move_by_any(change, reach, &[1], open)
    }

    /// Whether `change` or its opposite is a move, in one pass over the change.
    fn is_move_either_way(&self, change: &Change, open: &[bool]) -> bool {
        self.is_move_by_any(change.iter().copied(), reach(change), &[1, -1], open)
    }

    /// Whether `sign · change` is a move for any of `signs` (at most two); `reach` is at
    /// least the sum of the change's sizes.
    fn is_move_by_any(
        &self,
        change: impl IntoIterator<Item = (u32, i64)>,
        reach: i64,
        signs: &[i64],
        open: &[bool],
    ) -> bool {
        let holding = if reach < LOOSE {
            &self.tight
        } else {
            &self.holding
        };
        let mut scratch = self.scratch.borrow_mut();
        let mut keeps = [false; 2];
        keeps[..signs.len()].fill(true);
        for (coordinate, delta) in change {
            let c = coordinate as usize;
            for (keeps, sign) in keeps.iter_mut().zip(signs) {
                *keeps &= self.counts[c] + sign * delta >= 0;
            }
            if keeps == [false; 2] {
                break;
            }
            add_to_groups(holding.get(c), delta, &mut scratch);
        }
        let (sums, touched) = &mut *scratch;
        for g in touched.drain(..) {
            for (keeps, sign) in keeps.iter_mut().zip(signs) {
                *keeps = *keeps && self.within(g, sign * sums[g], open);
            }
            sums[g] = 0;
        }
        keeps != [false; 2]
    }

    /// The coordinates of group `g`, sorted.
    pub(super) fn coordinates(&self, g: usize) -> &[u32] {
        &self.groups[g].coordinates
    }
}

/// The `n` smallest distinct values of `runs`, each increasing, in order: merged run by run
/// into at most `n` kept, so that a long run, or many, costs no sort of all they hold, and a
/// run that starts past the `n`th kept value is passed over at its first.
fn smallest<R: Iterator<Item = u32>>(runs: impl Iterator<Item = R>, n: usize) -> Vec<u32> {
    let mut kept: Vec<u32> = Vec::with_capacity(n);
    let mut merged: Vec<u32> = Vec::with_capacity(n);
    for run in runs {
        let mut run = run.peekable();
        let full = kept.len() == n;
        if run
            .peek()
            .is_none_or(|&first| full && kept.last() <= Some(&first))
        {
            continue;
        }
        merged.clear();
        let mut old = kept.iter().copied().peekable();
        while merged.len() < n {
            let next = match (old.peek(), run.peek()) {
                (Some(&k), Some(&r)) if k <= r => {
                    old.next();
                    k
                }
                (_, Some(&r)) => {
                    run.next();
                    r
                }
                (Some(&k), None) => {
                    old.next();
                    k
                }
                (None, None) => break,
            };
            if merged.last() != Some(&next) {
                merged.push(next);
            }
        }
        std::mem::swap(&mut kept, &mut merged);
    }
    kept
}

/// Adds `delta` to the sum of each of `groups` in `scratch` (per group, summing a change;
/// zero between uses), noting each group the first time it is touched.
fn add_to_groups(groups: &[usize], delta: i64, scratch: &mut (Vec<i64>, Vec<usize>)) {
    let (sums, touched) = scratch;
    for &g in groups {
        if sums[g] == 0 {
            touched.push(g);
        }
        sums[g] += delta;
    }
}

/// `a · x + b · y` of two changes (sorted by coordinate), entry by entry: it is only ever
/// checked, so it is merged as it is read rather than collected.
fn combine<'a>(
    x: &'a Change,
    a: i64,
    y: &'a Change,
    b: i64,
) -> impl Iterator<Item = (u32, i64)> + 'a {
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

/// Adds to `knowledge` the weighted sums of the stuck changes `left` that every direction
/// `ways` found open leaves as they are, unless that discloses; returns whether it did not.
/// The directions of `left` still free once the sums are known are then the combinations
/// of those changes that keep every sum, which are the directions the moves found open:
/// they are marked open while no row touches what the moves depend on (`depends`, with what
/// their settled partners depend on), since such a row keeps every one of them.
fn learn_pinned(
    knowledge: &mut Knowledge,
    ways: &Ways,
    left: &[Stuck<'_>],
    mut depends: Vec<u32>,
) -> Result<bool, Overflow> {
    let partners: Vec<u32> = depends
        .iter()
        .flat_map(|&c| knowledge.depends_on(c))
        .copied()
        .collect();
    depends.extend(partners);
    depends.sort_unstable();
    depends.dedup();
    for weights in ways.pinned()? {
        let sum: Change = weights
            .into_iter()
            .map(|(i, weight)| (left[i as usize].free, weight))
            .collect();
        if !knowledge.learn(&sum)? {
            return Ok(false);
        }
    }
    let depends: Rc<[u32]> = depends.into();
    for stuck in left {
        if knowledge.is_free(stuck.free) {
            knowledge.settle_until(stuck.free, Rc::clone(&depends));
        }
    }
    Ok(true)
}

/// A change of the elimination's basis that is no move on its own.
struct Stuck<'a> {
    /// Its free coordinate.
    free: u32,
    change: &'a Change,
    /// The sum of its sizes ([`reach`]), for every partner it is tried with.
    reach: i64,
    /// The bounds it breaks, and those its opposite breaks.
    breaks: [Vec<Broken>; 2],
    /// The coordinates a move that repairs it must touch.
    broken: Vec<u32>,
}

impl Stuck<'_> {
    /// The change's value at its own free coordinate (positive: 1 before it was scaled to
    /// whole numbers).
    fn at_free(&self) -> i64 {
        let i = self
            .change
            .binary_search_by_key(&self.free, |&(c, _)| c)
            .expect("a change is not 0 at its free coordinate");
        self.change[i].1
    }
}

/// A bound a change breaks, and by how much.
#[derive(Debug, Clone, Copy)]
enum Broken {
    /// A cell's count would be `after` < 0.
    Cell { coordinate: u32, after: i64 },
    /// A group's count would change by `delta`, past its floor or cap.
    Group { group: usize, delta: i64 },
}

/// How many pupils a change may move in all for the groups with more room than that on
/// both sides to be left out of its check ([`Bounds::tight`]).
const LOOSE: i64 = 8;

/// The sum of a change's sizes: no group changes by more.
fn reach(change: &Change) -> i64 {
    change.iter().map(|&(_, v)| v.abs()).sum()
}

/// The directions found open among `n` stuck changes, each as its values at their free
/// coordinates (by index; the moves are 0 at every other free coordinate): what stays
/// pinned is what is orthogonal to all of them.
struct Ways {
    found: Knowledge,
}

impl Ways {
    fn new(n: usize) -> Ways {
        // Every count at the least, so that the coordinates are the indices.
        Ways {
            found: Knowledge::new(&vec![1; n], 1),
        }
    }

    /// Adds an open direction (sorted by index).
    fn open(&mut self, way: &[(u32, i64)]) -> Result<(), Overflow> {
        if let Reduced::New(row) = self.found.reduce_weighted(way)? {
            self.found.insert(row)?;
        }
        Ok(())
    }

    /// Whether the directions found open are all there are.
    fn pins_nothing(&self) -> bool {
        self.found.unsettled().is_empty()
    }

    /// The weighted sums of the stuck changes that every open direction leaves as they are.
    fn pinned(&self) -> Result<Vec<Change>, Overflow> {
        Ok(self
            .found
            .kernel_of(&self.found.unsettled())?
            .into_iter()
            .map(|(_, weights)| weights)
            .collect())
    }
}

/// How many coordinates a group may have for its pairs of cells to be tried as halves of a
/// neutral move: a school's or a small municipality's cells, not every pair of a large one.
const NEIGHBOURHOOD: usize = 32;

impl Neutral {
    /// The neutral moves among the cells of `bounds`: for pairs of cells that share a group
    /// of at most [`NEIGHBOURHOOD`] cells, or single cells, that lie in the same groups
    /// counted with multiplicity, one less of one and one more of the other. Each is checked
    /// exactly; a hash of the groups only sorts them.
    fn of(bounds: &Bounds) -> Neutral {
        let mixed: Vec<u64> = (0..bounds.holding.keys())
            .map(|c| groups_key(bounds.holding.get(c).iter().copied()))
            .collect();
        let mut halves: Vec<(u64, u32, u32)> = (0..bounds.holding.keys() as u32)
            .map(|c| (mixed[c as usize], c, c))
            .collect();
        for group in &bounds.groups {
            let cells = &group.coordinates;
            if cells.len() > NEIGHBOURHOOD {
                continue;
            }
            for (k, &p) in cells.iter().enumerate() {
                for &q in &cells[k + 1..] {
                    let key = mixed[p as usize].wrapping_add(mixed[q as usize]) ^ PAIRED;
                    halves.push((key, p, q));
                }
            }
        }
        halves.sort_unstable();
        halves.dedup();
        let groups_of = |(_, p, q): (u64, u32, u32)| -> Vec<usize> {
            let mut groups = bounds.holding.get(p as usize).to_vec();
            if p != q {
                groups.extend_from_slice(bounds.holding.get(q as usize));
            }
            groups.sort_unstable();
            groups
        };
        let mut moves: Vec<Change> = Vec::new();
        for bucket in halves.chunk_by(|a, b| a.0 == b.0) {
            // A half alone in its bucket has no other to swap with: most of them.
            let [first, ref others @ ..] = *bucket else {
                continue;
            };
            if others.is_empty() {
                continue;
            }
            let groups = groups_of(first);
            for &other in others {
                if groups_of(other) != groups {
                    continue;
                }
                let change = swap((other.1, other.2), (first.1, first.2));
                if !change.is_empty() {
                    moves.push(change);
                }
            }
        }
        let touching = Lists::of(bounds.holding.keys(), || {
            moves
                .iter()
                .enumerate()
                .flat_map(|(n, change)| change.iter().map(move |&(c, _)| (c as usize, n)))
        });
        Neutral { moves, touching }
    }

    /// The moves touching `coordinate`.
    fn touching(&self, coordinate: u32) -> impl Iterator<Item = usize> + '_ {
        self.touching.get(coordinate as usize).iter().copied()
    }
}

/// One more at the cells of `plus` and one less at those of `minus`, each a pair of cells or
/// a single cell given twice: a change with the cells both share left out.
fn swap(plus: (u32, u32), minus: (u32, u32)) -> Change {
    let cells = |(p, q): (u32, u32)| if p == q { vec![p] } else { vec![p, q] };
    let mut change: Change = cells(plus).into_iter().map(|c| (c, 1)).collect();
    for c in cells(minus) {
        match change.iter().position(|&(d, _)| d == c) {
            Some(i) => {
                change.remove(i);
            }
            None => change.push((c, -1)),
        }
    }
    change.sort_unstable();
    change
}

/// How many of a direction's swaps that are no moves alone are tried with a second swap that
/// repairs the one bound they break.
const SWAP_REPAIRS: usize = 8;

/// The cells that lie in exactly the same published groups: a pupil moved between two of
/// them keeps every published figure. Found by a hash of those groups, as [`Neutral::of`]
/// finds cells in the same groups, and checked exactly.
struct Alike<'a> {
    bounds: &'a Bounds,
    open: &'a [bool],
    /// Per coordinate, the hash of its published groups ([`groups_key`]).
    keys: Vec<u64>,
    /// (hash, coordinate), sorted.
    by_key: Vec<(u64, u32)>,
}

impl<'a> Alike<'a> {
    /// The published groups of `bounds` are those `open` does not flag.
    fn of(bounds: &'a Bounds, open: &'a [bool]) -> Alike<'a> {
        let keys: Vec<u64> = (0..bounds.holding.keys())
            .map(|c| groups_key(published(bounds, open, c)))
            .collect();
        let mut by_key: Vec<(u64, u32)> = keys.iter().zip(0..).map(|(&k, c)| (k, c)).collect();
        by_key.sort_unstable();
        Alike {
            bounds,
            open,
            keys,
            by_key,
        }
    }

    /// The cells in exactly the same published groups as `cell`, `cell` among them.
    fn cells_like(&self, cell: u32) -> impl Iterator<Item = u32> + '_ {
        let key = self.keys[cell as usize];
        let from = self.by_key.partition_point(|&(k, _)| k < key);
        let groups = |c: u32| published(self.bounds, self.open, c as usize);
        self.by_key[from..]
            .iter()
            .take_while(move |&&(k, _)| k == key)
            .map(|&(_, other)| other)
            .filter(move |&other| groups(other).eq(groups(cell)))
    }
}

/// The published groups (those `open` does not flag) holding coordinate `c`, in order.
fn published<'a>(
    bounds: &'a Bounds,
    open: &'a [bool],
    c: usize,
) -> impl Iterator<Item = usize> + 'a {
    bounds.holding.get(c).iter().copied().filter(|&g| !open[g])
}

/// Opens the direction of the move `change` among the changes `left` (its values at their
/// free cells), noting the cells it uses.
fn open_through(
    ways: &mut Ways,
    left: &[Stuck<'_>],
    change: &Change,
    used: &mut Vec<u32>,
) -> Result<(), Overflow> {
    let index_of = |coordinate: u32| left.binary_search_by_key(&coordinate, |l| l.free).ok();
    let way: Change = change
        .iter()
        .filter_map(|&(c, v)| Some((index_of(c)? as u32, v)))
        .collect();
    ways.open(&way)?;
    used.extend(change.iter().map(|&(c, _)| c));
    Ok(())
}

/// A hash of a set of groups, a sum so that it does not depend on their order.
fn groups_key(groups: impl IntoIterator<Item = usize>) -> u64 {
    groups
        .into_iter()
        .map(|g| mix(g as u64))
        .fold(0, u64::wrapping_add)
}

/// Keeps the hash of a pair's groups apart from a single cell's.
const PAIRED: u64 = 0x9e37_79b9_7f4a_7c15;

/// A fixed mixing of a group's index (splitmix64's finaliser), so that sums of them tell
/// sets of groups apart.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn smallest_keeps_the_least_distinct_values_of_all_runs(
            runs in prop::collection::vec(prop::collection::btree_set(0u32..200, 0..50), 0..8),
            n in 0usize..40,
        ) {
            let mut all: Vec<u32> = runs.iter().flatten().copied().collect();
            all.sort_unstable();
            all.dedup();
            all.truncate(n);
            prop_assert_eq!(smallest(runs.iter().map(|run| run.iter().copied()), n), all);
        }
    }
}
