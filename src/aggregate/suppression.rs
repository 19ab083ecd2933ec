//! Privacy suppression: which groups of a breakdown may be published without letting anyone
//! work out the answers of fewer than `min_cell` respondents.
//!
//! Primary suppression hides every group with fewer valid answers than the threshold.
//! Secondary suppression then makes sure the hidden part cannot be recovered by subtraction:
//! the total minus the published groups equals the hidden groups together with the
//! respondents whose background is unknown. While that remainder holds between 1 and
//! `min_cell − 1` answers, the smallest published group is hidden too.

/// Decides which groups of a breakdown to publish.
///
/// `groups` are the valid answers of each group, `unknown` those of respondents outside every
/// group (unknown background); `total` = their sum is the published total. Returns one flag
/// per group: `true` = publish.
pub fn publishable(groups: &[u32], unknown: u32, min_cell: u32) -> Vec<bool> {
    let min_cell = min_cell.max(1);
    let total: u32 = groups.iter().sum::<u32>() + unknown;
    if total < min_cell {
        // The total itself is suppressed, and every group is smaller than it.
        return vec![false; groups.len()];
    }
    let mut published: Vec<bool> = groups.iter().map(|&n| n >= min_cell).collect();
    loop {
        let hidden: u32 = unknown
            + groups
                .iter()
                .zip(&published)
                .filter(|(_, published)| !**published)
                .map(|(n, _)| n)
                .sum::<u32>();
        if hidden == 0 || hidden >= min_cell {
            return published;
        }
        // The hidden remainder could be recovered: hide the smallest published group too.
        let smallest = groups
            .iter()
            .enumerate()
            .filter(|&(i, _)| published[i])
            .min_by_key(|&(i, &n)| (n, i))
            .map(|(i, _)| i);
        match smallest {
            Some(i) => published[i] = false,
            None => return published,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn large_groups_are_published() {
        assert_eq!(publishable(&[40, 50, 10], 0, 5), [true, true, true]);
    }

    #[test]
    fn a_group_exactly_at_the_threshold_is_published() {
        assert_eq!(publishable(&[40, 5], 0, 5), [true, true]);
        // Publishing 40 of 44 would reveal the 4.
        assert_eq!(publishable(&[40, 4, 0], 0, 5), [false, false, false]);
    }

    #[test]
    fn one_small_group_takes_the_next_smallest_with_it() {
        // "Andet" (3) is hidden; Dreng (20) is the smallest published group, so it goes too.
        assert_eq!(publishable(&[20, 30, 3], 0, 5), [false, true, false]);
    }

    #[test]
    fn two_small_groups_that_together_reach_the_threshold_are_enough() {
        assert_eq!(
            publishable(&[20, 30, 3, 2], 0, 5),
            [true, true, false, false]
        );
    }

    #[test]
    fn unknown_background_counts_as_a_hidden_group() {
        // 2 respondents of unknown gender would be total − Dreng − Pige.
        assert_eq!(publishable(&[20, 30], 2, 5), [false, true]);
        // 6 of unknown gender are safe to leave as the remainder.
        assert_eq!(publishable(&[20, 30], 6, 5), [true, true]);
    }

    #[test]
    fn empty_groups_reveal_nothing() {
        assert_eq!(publishable(&[20, 30, 0], 0, 5), [true, true, false]);
    }

    #[test]
    fn a_small_total_hides_everything() {
        assert_eq!(publishable(&[2, 1], 1, 5), [false, false]);
    }

    proptest! {
        /// Whatever the counts, the part of the total that is not published is either empty
        /// or at least `min_cell` answers, so no small group can be recovered by subtraction;
        /// and every published group is at least `min_cell`.
        #[test]
        fn nothing_below_the_threshold_can_be_recovered(
            groups in prop::collection::vec(0u32..40, 1..6),
            unknown in 0u32..8,
            min_cell in 1u32..10,
        ) {
            let published = publishable(&groups, unknown, min_cell);
            let total: u32 = groups.iter().sum::<u32>() + unknown;
            let hidden: u32 = unknown + groups.iter().zip(&published)
                .filter(|(_, p)| !**p).map(|(n, _)| n).sum::<u32>();
            if total >= min_cell {
                prop_assert!(hidden == 0 || hidden >= min_cell, "hidden {hidden} of {groups:?}+{unknown}");
            }
            for (n, p) in groups.iter().zip(&published) {
                prop_assert!(!p || *n >= min_cell);
            }
        }
    }
}
