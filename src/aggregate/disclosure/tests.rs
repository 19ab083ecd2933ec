//! The disclosure check against an independent attacker who solves every published relation
//! exactly and tries every set of inner cells.

use proptest::prelude::*;

use super::ratio::Ratio;
use super::*;
use crate::aggregate::attacker;

/// A unit's inner cells as (gender slot, grade slot), 3 × 3 with slot 2 = unknown; its
/// publishable cells: total, two genders, two grades.
fn breakdown_cells() -> Vec<Vec<u32>> {
    let cell = |g: u32, k: u32| g * 3 + k;
    let mut cells = vec![(0..9).collect::<Vec<u32>>()];
    for g in 0..2 {
        cells.push((0..3).map(|k| cell(g, k)).collect());
    }
    for k in 0..2 {
        cells.push((0..3).map(|g| cell(g, k)).collect());
    }
    cells
}

/// Decides a question's tables in order: `caps` from the respondents table, empty groups
/// withheld, nothing withheld by a linked table.
fn decide_capped(
    cells: &[Vec<u32>],
    measures: &[&[u32]],
    caps: &[Option<u32>],
    min_cell: u32,
) -> Vec<Decision> {
    decide_in_order(cells, measures, caps, Zeros::Withheld, min_cell)
}

/// Decides a respondents table in order: no caps, zeros shown.
fn decide(cells: &[Vec<u32>], measures: &[&[u32]], min_cell: u32) -> Vec<Decision> {
    decide_in_order(cells, measures, &[], Zeros::Shown, min_cell)
}

/// Decides `cells` offered in their order, nothing withheld by a linked table.
fn decide_in_order(
    cells: &[Vec<u32>],
    measures: &[&[u32]],
    caps: &[Option<u32>],
    zeros: Zeros,
    min_cell: u32,
) -> Vec<Decision> {
    let priority: Vec<usize> = (0..cells.len()).collect();
    protect(
        Tables {
            cells,
            priority: &priority,
            measures,
            withheld: &[],
            caps,
            zeros,
        },
        min_cell,
    )
}

use Decision::{Primary, Published, Secondary};

#[test]
fn a_small_group_and_the_next_smallest_are_withheld() {
    // Boys 20, girls 30 (all in grade 0), 3 of unknown gender: total − boys − girls = 3.
    let counts = [20, 0, 0, 30, 0, 0, 3, 0, 0];
    let decisions = decide(&breakdown_cells(), &[&counts], 5);
    // Total, boys, girls, grade 0, grade 1.
    assert_eq!(
        decisions,
        [Published, Published, Secondary, Published, Published]
    );
}

#[test]
fn a_remainder_without_valid_answers_is_caught_by_the_non_blank_answers() {
    // Valid answers: boys 10, girls 10. Non-blank: plus 2 "ved ikke" of unknown gender.
    let valid = [10, 0, 0, 10, 0, 0, 0, 0, 0];
    let non_blank = [10, 0, 0, 10, 0, 0, 2, 0, 0];
    let decisions = decide(&breakdown_cells(), &[&valid, &non_blank], 5);
    assert_eq!(decisions[2], Secondary);
    assert_eq!(decide(&breakdown_cells(), &[&valid], 5)[2], Published);
}

#[test]
fn gender_against_grade_through_the_unknown_background() {
    // Boys 10 and girls 10 in grade 0; 3 "other" (gender slot 1 here is girls, so put them in
    // unknown gender) with unknown grade too; grade 1 empty. Σ grades − Σ genders reveals
    // nothing only if the sets it pins down are large.
    let counts = [10, 0, 0, 10, 0, 0, 0, 0, 3];
    let decisions = decide(&breakdown_cells(), &[&counts], 5);
    // Total − boys − girls = the 3 of unknown gender: girls must go (boys first in priority).
    assert_eq!(decisions[..3], [Published, Published, Secondary]);
    assert_no_disclosure(&breakdown_cells(), &decisions, &[&counts], 5);
}

#[test]
fn empty_cells_are_published_and_a_small_total_is_primary() {
    let counts = [2, 0, 0, 1, 0, 0, 0, 0, 0];
    let decisions = decide(&breakdown_cells(), &[&counts], 5);
    assert_eq!(decisions, [Primary, Primary, Primary, Primary, Published]);
}

#[test]
fn min_cell_one_publishes_everything() {
    let counts = [1, 0, 2, 0, 1, 0, 3, 0, 1];
    let decisions = decide(&breakdown_cells(), &[&counts], 1);
    assert!(decisions.iter().all(|d| d.is_published()));
}

#[test]
fn several_units_with_a_sum_over_published_totals() {
    // Unit A cells 0..9, unit B cells 9..18; "all" is only ever built from published totals
    // by the callers, so here the two units are independent and a small B is primary.
    let mut cells = breakdown_cells();
    let shifted: Vec<Vec<u32>> = cells
        .iter()
        .map(|c| c.iter().map(|i| i + 9).collect())
        .collect();
    cells.extend(shifted);
    let mut counts = vec![0; 18];
    counts[0] = 40;
    counts[4] = 40;
    counts[9] = 3;
    let decisions = decide(&cells, &[&counts], 5);
    assert_eq!(decisions[5], Primary);
    assert_no_disclosure(&cells, &decisions, &[&counts], 5);
}

#[test]
fn cells_withheld_by_a_linked_table_stay_withheld() {
    let counts = [20, 0, 0, 30, 0, 0, 0, 0, 0];
    let cells = breakdown_cells();
    let priority: Vec<usize> = (0..cells.len()).collect();
    let decisions = protect(
        Tables {
            cells: &cells,
            priority: &priority,
            measures: &[&counts],
            withheld: &[false, true, false, false, false],
            caps: &[],
            zeros: Zeros::Shown,
        },
        5,
    );
    // The boys are withheld by the linked table; publishing the girls beside the total would
    // pin their count, so the girls are withheld too.
    assert_eq!(
        decisions,
        [Published, Secondary, Secondary, Published, Published]
    );
}

/// Every 0/1 combination of inner cells whose count is 1..min_cell−1 in some measure is
/// checked against the exact span of the published cells.
fn assert_no_disclosure(
    cells: &[Vec<u32>],
    decisions: &[Decision],
    measures: &[&[u32]],
    min_cell: u32,
) {
    let inner = measures[0].len();
    let published: Vec<Vec<Ratio>> = cells
        .iter()
        .zip(decisions)
        .filter(|(_, d)| d.is_published())
        .map(|(cell, _)| indicator(inner, cell.iter().map(|&i| i as usize)))
        .collect();
    let basis = echelon(published);
    for set in 1u32..(1 << inner) {
        let members: Vec<usize> = (0..inner).filter(|i| set & (1 << i) != 0).collect();
        let small = measures.iter().any(|m| {
            let n: u32 = members.iter().map(|&i| m[i]).sum();
            n > 0 && n < min_cell
        });
        if small && in_span(&basis, indicator(inner, members.iter().copied())) {
            panic!("cells {members:?} can be worked out from {decisions:?}");
        }
    }
}

fn indicator(len: usize, members: impl Iterator<Item = usize>) -> Vec<Ratio> {
    let mut v = vec![Ratio::ZERO; len];
    for i in members {
        v[i] = Ratio::ONE;
    }
    v
}

/// A plain row-echelon basis (no reduction above pivots), independent of [`Knowledge`].
fn echelon(vectors: Vec<Vec<Ratio>>) -> Vec<(usize, Vec<Ratio>)> {
    let mut basis: Vec<(usize, Vec<Ratio>)> = Vec::new();
    for v in vectors {
        if let Some(row) = residue(&basis, v) {
            basis.push(row);
        }
    }
    basis
}

fn residue(basis: &[(usize, Vec<Ratio>)], mut v: Vec<Ratio>) -> Option<(usize, Vec<Ratio>)> {
    for (pivot, row) in basis {
        let factor = v[*pivot].div(row[*pivot]).unwrap();
        for (x, r) in v.iter_mut().zip(row) {
            *x = x.sub(factor.mul(*r).unwrap()).unwrap();
        }
    }
    v.iter().position(|x| !x.is_zero()).map(|p| (p, v))
}

/// Each row of the basis is zero at the pivots of the rows before it, so one pass in order
/// reduces `v` completely.
fn in_span(basis: &[(usize, Vec<Ratio>)], v: Vec<Ratio>) -> bool {
    residue(basis, v).is_none()
}

/// Counts for the 3 × 3 cells of two units: valid answers and non-blank answers (≥ valid).
fn two_units() -> impl Strategy<Value = (Vec<u32>, Vec<u32>)> {
    prop::collection::vec((0u32..8, 0u32..3), 18).prop_map(|cells| {
        let valid = cells.iter().map(|&(v, _)| v).collect();
        let non_blank = cells.iter().map(|&(v, m)| v + m).collect();
        (valid, non_blank)
    })
}

proptest! {
    #![proptest_config(crate::aggregate::attacker::config(512))]

    /// Two units with totals, genders and grades, cells of 0–7 respondents, unknown gender
    /// and grade, missing codes, any priority: the attacker finds no small set.
    #[test]
    fn no_small_set_can_be_worked_out(
        (valid, non_blank) in two_units(),
        order in Just((0..10).collect::<Vec<usize>>()).prop_shuffle(),
        min_cell in 2u32..7,
    ) {
        let mut cells = breakdown_cells();
        let shifted: Vec<Vec<u32>> = cells.iter().map(|c| c.iter().map(|i| i + 9).collect()).collect();
        cells.extend(shifted);
        let measures: [&[u32]; 2] = [&valid, &non_blank];
        let decisions = protect(Tables { cells: &cells, priority: &order, measures: &measures, withheld: &[], caps: &[], zeros: Zeros::Shown }, min_cell);
        assert_no_disclosure(&cells, &decisions, &measures, min_cell);
        // Cells that are large and alone in their unit stay published when nothing is small.
        if valid.iter().chain(&non_blank).all(|&n| n == 0 || n >= min_cell) {
            prop_assert!(decisions.iter().all(|d| d.is_published()));
        }
    }
}

/// Panics if the integer attacker ([`crate::aggregate::attacker`]) pins a withheld cell's
/// count or the count of a set of 1..min_cell−1 respondents, in any measure. `linked` flags
/// the cells a linked table withholds: the attacker knows them non-empty only there, not in
/// these measures.
fn assert_no_integer_disclosure(
    cells: &[Vec<u32>],
    decisions: &[Decision],
    measures: &[&[u32]],
    caps: &[Option<u32>],
    linked: &[bool],
    min_cell: u32,
) {
    let vectors = |keep: &dyn Fn(usize) -> bool| -> Vec<Vec<usize>> {
        (0..cells.len())
            .filter(|&g| keep(g))
            .map(|g| cells[g].iter().map(|&c| c as usize).collect())
            .collect()
    };
    let caps_of = |counts: &[u32]| -> Vec<(Vec<usize>, u32)> {
        let _ = counts;
        (0..cells.len())
            .filter_map(|g| {
                let cap = caps.get(g).copied().flatten()?;
                Some((cells[g].iter().map(|&c| c as usize).collect(), cap))
            })
            .collect()
    };
    // A withheld group is known not to be empty where empty groups are shown as 0: always
    // for a table that stands alone (the respondents table), and for a capped one (a
    // question) if any published group without answers could have held some.
    let last = measures.len() - 1;
    let zeros_shown = caps.is_empty()
        || (0..cells.len()).any(|g| {
            decisions[g].is_published()
                && cells[g].iter().all(|&c| measures[last][c as usize] == 0)
                && caps.get(g).copied().flatten() != Some(0)
        });
    for (m, counts) in measures.iter().enumerate() {
        let withheld = vectors(&|g| !decisions[g].is_published());
        let known = attacker::Known {
            published: vectors(&|g| decisions[g].is_published()),
            nonempty: if m == last && zeros_shown {
                vectors(&|g| !decisions[g].is_published() && linked.get(g) != Some(&true))
            } else {
                Vec::new()
            },
            withheld: if m == 0 { withheld } else { Vec::new() },
            caps: caps_of(counts),
        };
        let name = format!("{decisions:?}, measure {m}");
        attacker::assert_nothing_pinned(&name, &known, counts, min_cell);
    }
}

/// The first example: 6 respondents, boys 1 and girls 5, no "other": with one mark,
/// boys 1..5.
#[test]
fn one_boy_and_five_girls_are_not_pinned() {
    // Gender slots: boys, girls, unknown (others are folded into unknown here); grade all 0.
    let counts = [1, 0, 0, 5, 0, 0, 0, 0, 0];
    let cells = breakdown_cells();
    let decisions = decide(&cells, &[&counts], 5);
    assert_no_integer_disclosure(&cells, &decisions, &[&counts], &[], &[], 5);
}

/// A municipality with two schools: the municipality's groups over both schools' cells, then
/// each school's own.
fn two_schools_cells() -> Vec<Vec<u32>> {
    let school = breakdown_cells();
    let mut cells: Vec<Vec<u32>> = school
        .iter()
        .map(|c| c.iter().flat_map(|&i| [i, i + 9]).collect())
        .collect();
    cells.extend(school.iter().cloned());
    cells.extend(school.iter().map(|c| c.iter().map(|i| i + 9).collect()));
    cells
}

proptest! {
    #![proptest_config(crate::aggregate::attacker::config(256))]

    /// A municipality of two schools with cells of 0–3 respondents (valid) and up to one more
    /// non-blank, random caps that hold, any priority: the integer attacker pins nothing.
    /// As in the pipeline, either the table stands alone (no caps), or a cap is the
    /// respondents table's published count, so a group without one is withheld by that
    /// table: withheld here too, and known non-empty only there.
    #[test]
    fn the_integer_attacker_pins_nothing(
        cells_counts in prop::collection::vec((0u32..4, 0u32..2), 18),
        order in Just((0..15).collect::<Vec<usize>>()).prop_shuffle(),
        slack in prop::collection::vec(prop::option::of(0u32..2), 15),
        min_cell in 2u32..6,
        with_caps in any::<bool>(),
    ) {
        let valid: Vec<u32> = cells_counts.iter().map(|&(v, _)| v).collect();
        let non_blank: Vec<u32> = cells_counts.iter().map(|&(v, m)| v + m).collect();
        let cells = two_schools_cells();
        // Caps as a respondents table publishes them: never below min_cell.
        let caps: Vec<Option<u32>> = cells
            .iter()
            .zip(&slack)
            .map(|(cell, slack)| {
                let cap = (*slack)? + cell.iter().map(|&c| non_blank[c as usize]).sum::<u32>();
                (cap >= min_cell).then_some(cap)
            })
            .collect();
        // Without caps, the table stands alone (as the respondents table does).
        let caps = if with_caps { caps } else { Vec::new() };
        let linked: Vec<bool> = if with_caps {
            caps.iter().map(Option::is_none).collect()
        } else {
            Vec::new()
        };
        let measures: [&[u32]; 2] = [&valid, &non_blank];
        let zeros = if with_caps { Zeros::Withheld } else { Zeros::Shown };
        let decisions = protect(Tables { cells: &cells, priority: &order, measures: &measures, withheld: &linked, caps: &caps, zeros }, min_cell);
        assert_no_integer_disclosure(&cells, &decisions, &measures, &caps, &linked, min_cell);
    }
}

proptest! {
    #![proptest_config(crate::aggregate::attacker::config(256))]

    /// A question every respondent answered, in a municipality of two schools: every group
    /// with a cap is at it, so neutral moves are often the only moves and the thorough search
    /// runs; the integer attacker pins nothing.
    #[test]
    fn groups_at_their_caps_pin_nothing(
        counts in prop::collection::vec(0u32..5, 18),
        order in Just((0..15).collect::<Vec<usize>>()).prop_shuffle(),
        min_cell in 2u32..6,
    ) {
        let cells = two_schools_cells();
        let caps: Vec<Option<u32>> = cells
            .iter()
            .map(|cell| {
                let cap = cell.iter().map(|&c| counts[c as usize]).sum::<u32>();
                (cap >= min_cell).then_some(cap)
            })
            .collect();
        let linked: Vec<bool> = caps.iter().map(Option::is_none).collect();
        let measures: [&[u32]; 2] = [&counts, &counts];
        let decisions = protect(Tables { cells: &cells, priority: &order, measures: &measures, withheld: &linked, caps: &caps, zeros: Zeros::Withheld }, min_cell);
        assert_no_integer_disclosure(&cells, &decisions, &measures, &caps, &linked, min_cell);
    }
}

/// A question every respondent answered: each group is at its cap, the respondents table's
/// count. No change of the elimination's basis keeps every cap, alone or in pairs, so a quick
/// search would take every cell as pinned and withhold the whole; but swapping a boy of 7th
/// grade with a girl of 8th (a neutral move) keeps them all, and the 3s stay unknown.
#[test]
fn groups_at_their_caps_are_opened_by_neutral_moves() {
    // Boys and girls in 7th and 8th grade, 3 each; nobody of unknown background.
    let counts = [3, 3, 0, 3, 3, 0, 0, 0, 0];
    let cells = breakdown_cells();
    let caps: Vec<Option<u32>> = cells
        .iter()
        .map(|cell| Some(cell.iter().map(|&c| counts[c as usize]).sum()))
        .collect();
    let decisions = decide_capped(&cells, &[&counts, &counts], &caps, 5);
    assert!(decisions[0].is_published(), "{decisions:?}");
    assert_no_integer_disclosure(&cells, &decisions, &[&counts, &counts], &caps, &[], 5);
}

/// Found by comparing the search with and without swaps on random tables (boys, girls and
/// unknown gender × 7th, 8th and unknown grade; min_cell 3). When the 8th grade is offered only
/// the whole is published, so any two cells lie in the same published groups, and a pupil
/// moved between two of them keeps every published figure; some such move keeps every cap
/// too, but the elimination's basis hides it. Without the swaps the 8th grade was withheld
/// (checked with the swaps switched off); the independent attacker finds nothing pinned.
#[test]
fn swaps_within_published_groups_open_what_the_basis_hides() {
    let answered = [2, 3, 2, 0, 2, 3, 0, 1, 0];
    let valid = [1, 3, 2, 0, 2, 2, 0, 0, 0];
    let cells = breakdown_cells();
    let caps = [None, Some(7), Some(5), Some(2), None];
    let measures: [&[u32]; 2] = [&valid, &answered];
    let decisions = decide_capped(&cells, &measures, &caps, 3);
    assert!(decisions[4].is_published(), "{decisions:?}");
    assert_no_integer_disclosure(&cells, &decisions, &measures, &caps, &[], 3);
}

/// Found by comparing the search with and without repaired swaps on random tables: two
/// schools of [`breakdown_cells`], the municipality's groups first (whole, genders, grades),
/// then each school's; min_cell 3. A swap within the published groups that takes one group
/// past its floor or cap is a move together with a second swap, between a cell of that group
/// and one outside it, that brings it back. Without these the municipality's whole was
/// withheld (checked with them switched off); the independent attacker finds nothing pinned.
#[test]
fn a_swap_past_a_cap_is_a_move_with_a_second_swap_that_repairs_it() {
    let school = breakdown_cells();
    let mut cells: Vec<Vec<u32>> = school
        .iter()
        .map(|group| group.iter().flat_map(|&c| [c, c + 9]).collect())
        .collect();
    for offset in [0, 9] {
        cells.extend(
            school
                .iter()
                .map(|group| group.iter().map(|&c| c + offset).collect()),
        );
    }
    let answered = [2, 2, 1, 0, 0, 2, 2, 0, 0, 0, 0, 1, 3, 2, 1, 0, 1, 3];
    let valid = [1, 2, 1, 0, 0, 2, 2, 0, 0, 0, 0, 1, 2, 1, 0, 0, 1, 3];
    let caps = [
        None,
        Some(6),
        Some(8),
        None,
        Some(6),
        Some(9),
        None,
        None,
        Some(4),
        Some(2),
        Some(11),
        Some(2),
        Some(7),
        Some(3),
        Some(4),
    ];
    let measures: [&[u32]; 2] = [&valid, &answered];
    let decisions = decide_capped(&cells, &measures, &caps, 3);
    assert!(decisions[0].is_published(), "{decisions:?}");
    assert_no_integer_disclosure(&cells, &decisions, &measures, &caps, &[], 3);
}
