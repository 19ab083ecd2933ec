//! The unit against a group as if the group had the unit's mix of pupils (report.yaml
//! `standardise:`): a municipality with many 9th-graders is compared with the group's pupils
//! weighted like its own, so that a difference is not only the difference of their grade or
//! gender mix.
//!
//! Full direct standardisation weights the group's figure in each cell of the cross
//! (girls in 8th grade, …) by the unit's share of that cell. The unit's cells are inner
//! cells that the report never publishes, and often small: a figure weighted by them would
//! say something about them that no published figure says. So the standardised figure is
//! built from published figures only — the unit's number of answers for each value of each
//! breakdown, and the group's figure for each value, summed from the municipalities that
//! publish it — assuming the breakdowns' effects add up (no interaction):
//!
//! `S = p + Σ_breakdowns Σ_values w_v · (p_v − p)`,
//!
//! `p` the group's indicator, `p_v` its indicator among pupils with value `v`, `w_v` the
//! unit's share of its answers with a known value that have value `v`. With one breakdown
//! that is exact direct standardisation; with two it is exact where the group's figures by
//! the one do not depend on the other's mix. Since `S` is a function of published figures,
//! it discloses nothing they do not.
//!
//! The difference `D = p_unit − S` is a linear function of domain shares, and its variance
//! is found by linearisation (the delta method on the domain totals; the reference is R's
//! `svycontrast` on `svytotal`, `tests/reference/standardise.R`), pupil by pupil with the
//! weights taken as fixed, then multiplied by the larger of the unit's and the group's
//! design effect ([`super::design`]), as the figures of a breakdown's groups are.

/// A class of pupils that the standardised comparison treats alike: the same place in the
/// unit, the group and each breakdown's group domains.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Piece {
    /// Valid answers that count toward the indicator, and valid answers.
    pub(super) positive: u32,
    pub(super) valid: u32,
    pub(super) in_unit: bool,
    pub(super) in_group: bool,
    /// Per standardised breakdown, the value (slot) the pupils count under in the group's
    /// figures: `None` for an unknown value, or a municipality that withholds that value's
    /// figure.
    pub(super) slots: [Option<u16>; MAX_BREAKDOWNS],
}

/// The most breakdowns a comparison is standardised over.
pub const MAX_BREAKDOWNS: usize = 3;

/// The standardised comparison of the unit with a group.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Standardised {
    /// `S`, the group's indicator as if it had the unit's mix (a share, 0–1).
    pub(super) group: f64,
    /// `p_unit − S`.
    pub(super) difference: f64,
    /// The variance of the difference as if every pupil were a cluster of one.
    pub(super) variance: f64,
    /// The breakdowns (indices into the weights given) the group was adjusted for: those
    /// whose every value the unit has answers with is in the group's figures too.
    pub(super) breakdowns: Vec<usize>,
}

/// Standardises the group (the pieces `in_group`) to the unit's mix `weights` (per
/// breakdown, the unit's valid answers per slot, or `None` where the unit's figures by that
/// breakdown are not all published) and compares the unit (the pieces `in_unit`) with it;
/// `design` is the number of clusters (here: pupils) of the whole design. `None` when the
/// unit or the group has no valid answers, or no breakdown can be adjusted for.
pub(super) fn standardise(
    pieces: &[Piece],
    weights: &[Option<Vec<u32>>],
    design: u32,
) -> Option<Standardised> {
    debug_assert!(weights.len() <= MAX_BREAKDOWNS, "at most {MAX_BREAKDOWNS}");
    let mut unit = Domain::default();
    let mut group = Domain::default();
    let mut parts: Vec<Vec<Domain>> = weights
        .iter()
        .map(|w| vec![Domain::default(); w.as_ref().map_or(0, Vec::len)])
        .collect();
    for piece in pieces {
        if piece.in_unit {
            unit.add(piece);
        }
        if piece.in_group {
            group.add(piece);
            for (slot, domains) in piece.slots.iter().zip(&mut parts) {
                if let Some(domain) = slot.and_then(|s| domains.get_mut(usize::from(s))) {
                    domain.add(piece);
                }
            }
        }
    }
    if unit.valid == 0 || group.valid == 0 {
        return None;
    }
    // Per breakdown adjusted for, the unit's share of each value (0 for the others).
    let shares: Vec<Option<Vec<f64>>> = weights
        .iter()
        .zip(&parts)
        .map(|(weights, domains)| {
            let weights = weights.as_ref()?;
            let total: u32 = weights.iter().sum();
            let covered = weights
                .iter()
                .zip(domains)
                .all(|(&w, domain)| w == 0 || domain.valid > 0);
            (total > 0 && covered).then(|| {
                weights
                    .iter()
                    .map(|&w| f64::from(w) / f64::from(total))
                    .collect()
            })
        })
        .collect();
    let breakdowns: Vec<usize> = (0..shares.len()).filter(|&b| shares[b].is_some()).collect();
    if breakdowns.is_empty() {
        return None;
    }
    let p = group.share();
    let standardised = p + shares
        .iter()
        .zip(&parts)
        .filter_map(|(shares, domains)| Some(shares.as_ref()?.iter().zip(domains)))
        .flatten()
        .map(|(w, domain)| {
            if *w > 0.0 {
                w * (domain.share() - p)
            } else {
                0.0
            }
        })
        .sum::<f64>();
    // D = p_unit + (K − 1)·p − Σ w_v·p_v, K the breakdowns adjusted for. A pupil's part of
    // it (its influence) is, per domain d it is in, coefficient_d · (y − p_d) with
    // coefficient_d = ±weight_d / N_d; within a piece every pupil has the same domains, so
    // Σ z² over the piece is α²Y − 2αβY + β²N with α = Σ coefficient_d and β = Σ
    // coefficient_d · p_d (y is 0 or 1).
    let k = breakdowns.len() as f64;
    let mut sum_of_squares = 0.0;
    for piece in pieces.iter().filter(|p| p.valid > 0) {
        let (mut alpha, mut beta) = (0.0, 0.0);
        let mut term = |coefficient: f64, share: f64| {
            alpha += coefficient;
            beta += coefficient * share;
        };
        if piece.in_unit {
            term(1.0 / f64::from(unit.valid), unit.share());
        }
        if piece.in_group {
            term((k - 1.0) / f64::from(group.valid), p);
            for (slot, (shares, domains)) in piece.slots.iter().zip(shares.iter().zip(&parts)) {
                let (Some(slot), Some(shares)) = (slot, shares) else {
                    continue;
                };
                let slot = usize::from(*slot);
                let domain = domains[slot];
                if shares[slot] > 0.0 {
                    term(-shares[slot] / f64::from(domain.valid), domain.share());
                }
            }
        }
        let (y, n) = (f64::from(piece.positive), f64::from(piece.valid));
        sum_of_squares += alpha * alpha * y - 2.0 * alpha * beta * y + beta * beta * n;
    }
    let c = f64::from(design.max(2));
    Some(Standardised {
        group: standardised,
        difference: unit.share() - standardised,
        variance: c / (c - 1.0) * sum_of_squares.max(0.0),
        breakdowns,
    })
}

/// Valid answers and those that count toward the indicator, of one domain.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Domain {
    positive: u32,
    valid: u32,
}

impl Domain {
    fn add(&mut self, piece: &Piece) {
        self.positive += piece.positive;
        self.valid += piece.valid;
    }

    fn share(self) -> f64 {
        if self.valid == 0 {
            0.0
        } else {
            f64::from(self.positive) / f64::from(self.valid)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(positive: u32, valid: u32, in_unit: bool, slots: [Option<u16>; 2]) -> Piece {
        Piece {
            positive,
            valid,
            in_unit,
            in_group: true,
            slots: [slots[0], slots[1], None],
        }
    }

    #[test]
    fn a_group_with_the_units_own_mix_is_left_as_it_is() {
        // Unit and rest with the same gender mix (1:1): S = p.
        let pieces = [
            piece(6, 10, true, [Some(0), None]),
            piece(3, 10, true, [Some(1), None]),
            piece(12, 20, false, [Some(0), None]),
            piece(10, 20, false, [Some(1), None]),
        ];
        let s = standardise(&pieces, &[Some(vec![10, 10])], 60).unwrap();
        assert!((s.group - 31.0 / 60.0).abs() < 1e-12, "{s:?}");
        assert_eq!(s.breakdowns, [0]);
    }

    #[test]
    fn one_breakdown_is_exact_direct_standardisation() {
        // The unit is all girls; the group's girls answer 40 %: S = 40 %.
        let pieces = [
            piece(4, 10, true, [Some(1), None]),
            piece(80, 100, false, [Some(0), None]),
            piece(36, 90, false, [Some(1), None]),
        ];
        let s = standardise(&pieces, &[Some(vec![0, 10])], 200).unwrap();
        assert!((s.group - 0.4).abs() < 1e-12, "{s:?}");
        assert!(s.difference.abs() < 1e-12);
        assert!(s.variance > 0.0);
    }

    #[test]
    fn a_breakdown_the_group_lacks_a_value_of_is_not_adjusted_for() {
        // The unit has answers of value 1, which no municipality of the group publishes.
        let pieces = [
            piece(4, 10, true, [None, Some(0)]),
            piece(4, 10, false, [None, Some(0)]),
        ];
        let weights = [Some(vec![5, 5]), Some(vec![10])];
        let s = standardise(&pieces, &weights, 20).unwrap();
        assert_eq!(s.breakdowns, [1]);
        assert!(standardise(&pieces, &[Some(vec![5, 5]), None], 20).is_none());
    }
}
