//! The integer attacker the disclosure tests check against, written independently of the
//! engine: whole numbers only, and an integer-programming solver for the search.
//!
//! Besides every published figure he knows which groups are withheld (not why), that counts
//! are whole numbers ≥ 0, which withheld groups are not empty (where empty groups are shown
//! as 0), that a group holds no more than its cap (a question's group no more answers than
//! the respondents table publishes respondents), and which inner cells are empty. He works out the affine hull of every
//! table consistent with all that — for each linear function not yet known to be constant,
//! he looks for a consistent table on which it differs from the true one; when there is none
//! it is pinned — and so pins exactly the linear functions that are the same on every
//! consistent table. Any count of a withheld group, or of a set of 1..min_cell−1
//! respondents, among them is a disclosure.

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use proptest::test_runner::{Config, RngSeed};

/// The property tests' configuration: `cases` cases from a fixed seed, so that every run
/// (and CI) checks the same tables and a failure is reproducible; `PROPTEST_RNG_SEED=<n>`
/// explores others. Cases found failing are kept in `proptest-regressions/`.
pub(crate) fn config(cases: u32) -> Config {
    let mut config = Config::with_cases(cases);
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(20_261_206);
    }
    config
}

/// What is published about one measure, as sets of inner cells (indices into its counts).
#[derive(Debug, Clone, Default)]
pub(crate) struct Known {
    /// Groups whose count is published.
    pub published: Vec<Vec<usize>>,
    /// Withheld groups whose count may not be pinned.
    pub withheld: Vec<Vec<usize>>,
    /// Withheld groups known not to be empty in this measure (where empty groups are shown
    /// as 0).
    pub nonempty: Vec<Vec<usize>>,
    /// Groups with the most they can hold.
    pub caps: Vec<(Vec<usize>, u32)>,
}

/// Panics, naming `name`, if the attacker pins the count of a set of 1..min_cell−1
/// respondents in `counts` or the count of a group of `known.withheld`. Groups linking
/// otherwise separate parts (e.g. a sum of published municipalities) must be left out by the
/// caller, after checking that they add nothing; the parts are then attacked one at a time.
pub(crate) fn assert_nothing_pinned(name: &str, known: &Known, counts: &[u32], min_cell: u32) {
    for part in components(known, counts) {
        let puzzle = Puzzle::new(known, counts, &part);
        let pinned = puzzle.pinned();
        let is_pinned = |v: Vec<i128>| reduce(&pinned, v).iter().all(|&x| x == 0);
        for group in &known.withheld {
            let v = puzzle.vector(group);
            assert!(
                v.iter().all(|&x| x == 0) || !is_pinned(v.clone()),
                "{name}: a withheld group is pinned (cells {:?})",
                puzzle.cells_of(&v)
            );
        }
        let small: Vec<usize> = (0..part.len())
            .filter(|&i| puzzle.truth[i] < i128::from(min_cell))
            .collect();
        let mut stack: Vec<(usize, Vec<usize>, i128)> = vec![(0, Vec::new(), 0)];
        while let Some((from, set, total)) = stack.pop() {
            if total > 0 {
                let mut v = vec![0; part.len()];
                set.iter().for_each(|&i| v[i] = 1);
                assert!(
                    !is_pinned(v.clone()),
                    "{name}: cells {:?} ({total} respondents) are pinned",
                    puzzle.cells_of(&v)
                );
            }
            for (k, &i) in small.iter().enumerate().skip(from) {
                let total = total + puzzle.truth[i];
                if total < i128::from(min_cell) {
                    let mut set = set.clone();
                    set.push(i);
                    stack.push((k + 1, set, total));
                }
            }
        }
    }
}

/// The non-empty cells, split into parts no group links.
fn components(known: &Known, counts: &[u32]) -> Vec<Vec<usize>> {
    let mut root: Vec<usize> = (0..counts.len()).collect();
    fn find(root: &mut [usize], mut c: usize) -> usize {
        while root[c] != c {
            root[c] = root[root[c]];
            c = root[c];
        }
        c
    }
    let groups = known
        .published
        .iter()
        .chain(&known.nonempty)
        .chain(&known.withheld)
        .chain(known.caps.iter().map(|(g, _)| g));
    for group in groups {
        let occupied: Vec<usize> = group.iter().copied().filter(|&c| counts[c] > 0).collect();
        for pair in occupied.windows(2) {
            let (a, b) = (find(&mut root, pair[0]), find(&mut root, pair[1]));
            root[a] = b;
        }
    }
    let mut parts: Vec<(usize, Vec<usize>)> = Vec::new();
    for c in (0..counts.len()).filter(|&c| counts[c] > 0) {
        let r = find(&mut root, c);
        match parts.iter_mut().find(|(root, _)| *root == r) {
            Some((_, cells)) => cells.push(c),
            None => parts.push((r, vec![c])),
        }
    }
    parts.into_iter().map(|(_, cells)| cells).collect()
}

/// One part: its cells' true counts and the relations over them (vectors over `cells`).
struct Puzzle {
    cells: Vec<usize>,
    truth: Vec<i128>,
    equal: Vec<(Vec<i128>, i128)>,
    nonempty: Vec<Vec<i128>>,
    capped: Vec<(Vec<i128>, i128)>,
    ceiling: i32,
}

impl Puzzle {
    fn new(known: &Known, counts: &[u32], cells: &[usize]) -> Puzzle {
        let vector = |group: &[usize]| -> Vec<i128> {
            cells
                .iter()
                .map(|c| i128::from(group.contains(c)))
                .collect()
        };
        let count = |group: &[usize]| -> i128 {
            group
                .iter()
                .filter(|c| cells.contains(c))
                .map(|&c| i128::from(counts[c]))
                .sum()
        };
        let touches = |group: &[usize]| group.iter().any(|c| cells.contains(c));
        let truth: Vec<i128> = cells.iter().map(|&c| i128::from(counts[c])).collect();
        let total: i128 = truth.iter().sum();
        Puzzle {
            cells: cells.to_vec(),
            equal: known
                .published
                .iter()
                .filter(|g| touches(g))
                .map(|g| (vector(g), count(g)))
                .collect(),
            nonempty: known
                .nonempty
                .iter()
                .filter(|g| count(g) > 0)
                .map(|g| vector(g))
                .collect(),
            capped: known
                .caps
                .iter()
                .filter(|(g, _)| touches(g))
                .map(|(g, cap)| (vector(g), i128::from(*cap)))
                .collect(),
            ceiling: i32::try_from(total * 2 + 5).unwrap(),
            truth,
        }
    }

    /// `group` as a vector over this part's cells.
    fn vector(&self, group: &[usize]) -> Vec<i128> {
        self.cells
            .iter()
            .map(|c| i128::from(group.contains(c)))
            .collect()
    }

    fn cells_of(&self, v: &[i128]) -> Vec<usize> {
        (0..v.len())
            .filter(|&i| v[i] != 0)
            .map(|i| self.cells[i])
            .collect()
    }

    /// Whether `table` meets every relation exactly.
    fn consistent(&self, table: &[i128]) -> bool {
        table.iter().all(|&x| x >= 0)
            && self.equal.iter().all(|(v, n)| dot(v, table) == *n)
            && self.nonempty.iter().all(|v| dot(v, table) >= 1)
            && self.capped.iter().all(|(v, cap)| dot(v, table) <= *cap)
    }

    /// A consistent table with `target · table ≠ target · truth`: the largest or the
    /// smallest `target · table`, by integer programming.
    fn witness(&self, target: &[i128]) -> Option<Vec<i128>> {
        let want = dot(target, &self.truth);
        [
            OptimizationDirection::Maximize,
            OptimizationDirection::Minimize,
        ]
        .into_iter()
        .find_map(|direction| {
            let mut problem = Problem::new(direction);
            let vars: Vec<_> = target
                .iter()
                .map(|&t| problem.add_integer_var(t as f64, (0, self.ceiling)))
                .collect();
            let terms = |v: &[i128]| -> Vec<(microlp::Variable, f64)> {
                v.iter()
                    .zip(&vars)
                    .filter(|(x, _)| **x != 0)
                    .map(|(&x, &var)| (var, x as f64))
                    .collect()
            };
            for (v, n) in &self.equal {
                problem.add_constraint(terms(v), ComparisonOp::Eq, *n as f64);
            }
            for v in &self.nonempty {
                problem.add_constraint(terms(v), ComparisonOp::Ge, 1.0);
            }
            for (v, cap) in &self.capped {
                problem.add_constraint(terms(v), ComparisonOp::Le, *cap as f64);
            }
            let solution = problem
                .solve()
                .expect("the true table is a solution")
                .into_solution()
                .expect("no time limit");
            let table: Vec<i128> = vars
                .iter()
                .map(|&v| solution.var_value(v).round() as i128)
                .collect();
            assert!(self.consistent(&table), "the solver's table is consistent");
            (dot(target, &table) != want).then_some(table)
        })
    }

    /// A basis (echelon rows) of every linear function that is the same on every
    /// consistent table.
    fn pinned(&self) -> Vec<(usize, Vec<i128>)> {
        let mut known = echelon(self.equal.iter().map(|(v, _)| v.clone()).collect());
        let mut directions: Vec<Vec<i128>> = Vec::new();
        loop {
            // A function constant on every table found so far, not yet known to be pinned.
            let candidate = null_space(&directions, self.truth.len())
                .into_iter()
                .find(|f| reduce(&known, f.clone()).iter().any(|&x| x != 0));
            let Some(function) = candidate else {
                return known;
            };
            match self.witness(&function) {
                Some(table) => {
                    directions.push(table.iter().zip(&self.truth).map(|(a, b)| a - b).collect());
                }
                None => {
                    let row = reduce(&known, function);
                    let pivot = row.iter().position(|&x| x != 0).unwrap();
                    known.push((pivot, row));
                }
            }
        }
    }
}

fn dot(a: &[i128], b: &[i128]) -> i128 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Row echelon form: each row zero at the pivots of the rows before it.
fn echelon(vectors: Vec<Vec<i128>>) -> Vec<(usize, Vec<i128>)> {
    let mut basis: Vec<(usize, Vec<i128>)> = Vec::new();
    for v in vectors {
        let v = reduce(&basis, v);
        if let Some(pivot) = v.iter().position(|&x| x != 0) {
            basis.push((pivot, v));
        }
    }
    basis
}

/// `v` less the multiples of `basis`'s rows that clear their pivots, fraction-free.
fn reduce(basis: &[(usize, Vec<i128>)], mut v: Vec<i128>) -> Vec<i128> {
    for (pivot, row) in basis {
        if v[*pivot] != 0 {
            let (a, b) = (row[*pivot], v[*pivot]);
            for (x, r) in v.iter_mut().zip(row) {
                *x = a * *x - b * r;
            }
            normalise(&mut v);
        }
    }
    v
}

fn normalise(v: &mut [i128]) {
    let g = v.iter().fold(0i128, |g, &x| gcd(g, x.abs()));
    if g > 1 {
        v.iter_mut().for_each(|x| *x /= g);
    }
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// A basis of the vectors of length `n` orthogonal to every one of `rows`.
fn null_space(rows: &[Vec<i128>], n: usize) -> Vec<Vec<i128>> {
    let mut basis = echelon(rows.to_vec());
    // Clear above the pivots too.
    for i in 0..basis.len() {
        let (pivot, row) = basis[i].clone();
        for (j, other) in basis.iter_mut().enumerate() {
            if j != i && other.1[pivot] != 0 {
                let (a, b) = (row[pivot], other.1[pivot]);
                for (x, r) in other.1.iter_mut().zip(&row) {
                    *x = a * *x - b * r;
                }
                normalise(&mut other.1);
            }
        }
    }
    let pivots: Vec<usize> = basis.iter().map(|(p, _)| *p).collect();
    (0..n)
        .filter(|c| !pivots.contains(c))
        .map(|free| {
            let scale = basis
                .iter()
                .fold(1i128, |l, (p, r)| l / gcd(l, r[*p].abs()) * r[*p].abs());
            let mut v = vec![0; n];
            v[free] = scale;
            for (p, r) in &basis {
                v[*p] = -r[free] * (scale / r[*p]);
            }
            normalise(&mut v);
            v
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_total_and_two_withheld_groups_pin_nothing_but_a_withheld_one_is_pinned_by_a_cap() {
        // Boys 1, girls 5: total 6 published, both withheld.
        let counts = [1, 5];
        let mut known = Known {
            published: vec![vec![0, 1]],
            withheld: vec![vec![0], vec![1]],
            nonempty: vec![vec![0], vec![1]],
            caps: Vec::new(),
        };
        assert_nothing_pinned("one mark", &known, &counts, 5);
        // Boys at most 1 (a cap) and not empty: boys 1, girls 5.
        known.caps.push((vec![0], 1));
        let pinned = std::panic::catch_unwind(|| {
            assert_nothing_pinned("capped", &known, &counts, 5);
        });
        assert!(pinned.is_err());
    }
}
