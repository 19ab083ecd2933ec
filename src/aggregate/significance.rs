//! Is the unit's share different from a group's, clearly and by enough to matter? Each test
//! is design-based ([`super::design`]: schools as clusters) where that is defined, else
//! Fisher's exact test; then, over all of a report's tests against one group, the false
//! discovery rate is controlled (Benjamini–Hochberg) and a difference is marked only where
//! it is clear *and* at least the relevance threshold. A difference the data cannot tell
//! from a relevant one either way is "too few answers to tell", not "no difference".

use serde::Serialize;
use statrs::function::factorial::ln_binomial;

use super::design::{self, Sample};

/// The false discovery rate of a report's marks against one group.
pub(super) const ALPHA: f64 = 0.05;

/// The default relevance threshold, in percentage points.
pub const DEFAULT_RELEVANT_DIFFERENCE: f64 = 5.0;

/// The outcome for the unit compared with a group (or this round with the last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Significance {
    /// Clearly higher, by at least the relevance threshold.
    Higher,
    /// Clearly lower, by at least the relevance threshold.
    Lower,
    /// No relevant difference: the interval of the difference lies within the threshold.
    None,
    /// Too few answers to tell: a relevant difference can neither be shown nor ruled out.
    Unclear,
}

/// Which test was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Design-based (Wald on the logit, schools as clusters; pupils without schools).
    Design,
    /// Fisher's exact test, where the design-based test is undefined (a share of 0 or 100 %,
    /// or too few clusters).
    Fisher,
    /// Against a group standardised to the unit's mix ([`super::standardise`]): Wald on the
    /// difference, its variance linearised and multiplied by the design effect.
    Standardised,
}

/// The result of comparing the unit's share with a group's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Test {
    /// Decided by [`decide`] once every test of the family is known.
    pub significance: Significance,
    pub method: Method,
    #[serde(serialize_with = "two_digits")]
    pub p_value: f64,
    /// The p-value adjusted for the report's other tests against the same group
    /// (Benjamini–Hochberg).
    #[serde(serialize_with = "two_digits")]
    pub q_value: f64,
    /// The unit's share minus the group's, in percentage points: the difference a reader
    /// sees (for a group that includes the unit, against the whole group; the test itself
    /// compares the unit with the rest of it).
    pub difference: f64,
    /// Whether the difference is at least the relevance threshold.
    pub relevant: bool,
    /// The 95 % interval of the difference, in percentage points (for the analyst's
    /// decision; not published).
    #[serde(skip)]
    pub interval: (f64, f64),
}

/// Compares the unit's sample with the rest of a group's; `None` when either has no valid
/// answers. The significance is provisional until [`decide`] has seen every test of the
/// report against the same group.
pub(super) fn compare(unit: &Sample, rest: &Sample) -> Option<Test> {
    if unit.valid == 0 || rest.valid == 0 {
        return None;
    }
    let (method, p_value, interval) = match design::compare(unit, rest) {
        Some((p_value, interval)) => (Method::Design, p_value, interval),
        None => (
            Method::Fisher,
            fisher_two_sided(unit.positive, unit.valid, rest.positive, rest.valid),
            design::adjusted_difference(unit, rest),
        ),
    };
    let share = |s: &Sample| f64::from(s.positive) * 100.0 / f64::from(s.valid);
    Some(Test {
        significance: Significance::None,
        method,
        p_value,
        q_value: p_value,
        difference: share(unit) - share(rest),
        relevant: false,
        interval,
    })
}

/// Compares the unit's sample with a group standardised to the unit's mix, where
/// `difference` (unit − standardised group, as shares) has variance `variance`; `rest` is
/// the group's sample without the unit. `None` where the test is undefined: the unit is then
/// compared with the group as it is.
pub(super) fn compare_standardised(
    unit: &Sample,
    rest: &Sample,
    difference: f64,
    variance: f64,
) -> Option<Test> {
    let (p_value, interval) = design::wald(difference, variance, unit, rest)?;
    Some(Test {
        significance: Significance::None,
        method: Method::Standardised,
        p_value,
        q_value: p_value,
        difference: 100.0 * difference,
        relevant: false,
        interval,
    })
}

/// Adjusts the p-values of one family of tests (a report's tests against one group) for
/// their number (Benjamini–Hochberg) and decides each one's significance: marked where the
/// adjusted p-value is below [`ALPHA`] and the difference at least `relevant` percentage
/// points; "no difference" where the interval of the difference lies within ±`relevant`;
/// else "too few answers to tell".
pub(super) fn decide(tests: &mut [&mut Test], relevant: f64) {
    let m = tests.len() as f64;
    let mut order: Vec<usize> = (0..tests.len()).collect();
    order.sort_by(|&a, &b| {
        tests[a]
            .p_value
            .total_cmp(&tests[b].p_value)
            .then(a.cmp(&b))
    });
    // q_(i) = min over j ≥ i of p_(j) · m / j, from the largest p-value down.
    let mut smallest = 1.0_f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        smallest = smallest.min(tests[i].p_value * m / (rank + 1) as f64);
        tests[i].q_value = smallest.min(1.0);
    }
    for test in tests.iter_mut() {
        test.relevant = test.difference.abs() >= relevant;
        let (low, high) = test.interval;
        test.significance = if test.q_value < ALPHA && test.relevant && test.difference != 0.0 {
            if test.difference > 0.0 {
                Significance::Higher
            } else {
                Significance::Lower
            }
        } else if low > -relevant && high < relevant {
            Significance::None
        } else {
            Significance::Unclear
        };
    }
}

/// A p-value to two significant digits, as it is published: more would say more about the
/// schools' spread than the report needs to.
fn two_digits<S: serde::Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(round_significant(*value, 2))
}

/// `value` rounded to `digits` significant digits.
pub(super) fn round_significant(value: f64, digits: i32) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    let scale = 10f64.powi(digits - 1 - value.abs().log10().floor() as i32);
    (value * scale).round() / scale
}

/// Two-sided p-value of Fisher's exact test on the 2×2 table (x1, n1−x1; x2, n2−x2): the
/// total probability of every table with the same margins that is at most as likely as the
/// observed one.
fn fisher_two_sided(x1: u32, n1: u32, x2: u32, n2: u32) -> f64 {
    let (n1, n2, k) = (u64::from(n1), u64::from(n2), u64::from(x1 + x2));
    let n = n1 + n2;
    let ln_total = ln_binomial(n, n1);
    let probability = |x: u64| (ln_binomial(k, x) + ln_binomial(n - k, n1 - x) - ln_total).exp();
    let observed = probability(u64::from(x1));
    let low = k.saturating_sub(n2);
    let high = k.min(n1);
    // A relative tolerance keeps tables exactly as likely as the observed one in the sum.
    let p: f64 = (low..=high)
        .map(probability)
        .filter(|&p| p <= observed * (1.0 + 1e-7))
        .sum();
    p.min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pupils(x: u32, n: u32) -> Sample {
        Sample::of_pupils(x, n, n)
    }

    #[test]
    fn fisher_matches_the_tea_tasting_example() {
        // Fisher's lady tasting tea: 3 of 4 vs 1 of 4; two-sided p = 0.4857.
        assert!((fisher_two_sided(3, 4, 1, 4) - 0.485_714).abs() < 1e-6);
        // 0 of 10 vs 8 of 10: P(X = 0) = C(8,0)·C(12,10)/C(20,10) = 66/184756, and the
        // table X = 8 is as likely, so p = 132/184756 = 0.000714.
        assert!((fisher_two_sided(0, 10, 8, 10) - 0.000_714_5).abs() < 1e-6);
    }

    #[test]
    fn a_share_of_zero_falls_back_to_fishers_test() {
        let test = compare(&pupils(0, 10), &pupils(8, 10)).unwrap();
        assert_eq!(test.method, Method::Fisher);
        assert!((test.p_value - 0.000_714_5).abs() < 1e-6);
        assert_eq!(compare(&pupils(1, 0), &pupils(1, 2)), None);
    }

    #[test]
    fn benjamini_hochberg_adjusts_as_p_adjust_does() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") = 0.02 0.04 0.04 0.02.
        let mut tests: Vec<Test> = [0.01, 0.04, 0.03, 0.005]
            .iter()
            .map(|&p| Test {
                p_value: p,
                difference: 10.0,
                interval: (5.0, 15.0),
                ..compare(&pupils(50, 100), &pupils(40, 100)).unwrap()
            })
            .collect();
        decide(&mut tests.iter_mut().collect::<Vec<_>>(), 5.0);
        let q: Vec<f64> = tests.iter().map(|t| t.q_value).collect();
        for (q, want) in q.iter().zip([0.02, 0.04, 0.04, 0.02]) {
            assert!((q - want).abs() < 1e-12, "{q} vs {want}");
        }
        assert!(tests.iter().all(|t| t.significance == Significance::Higher));
    }

    #[test]
    fn a_mark_needs_a_clear_and_relevant_difference() {
        let decided = |difference: f64, interval: (f64, f64), p_value: f64| {
            let mut test = Test {
                p_value,
                difference,
                interval,
                ..compare(&pupils(50, 100), &pupils(40, 100)).unwrap()
            };
            decide(&mut [&mut test], 5.0);
            test.significance
        };
        // Clear and relevant.
        assert_eq!(decided(-8.0, (-12.0, -4.0), 0.001), Significance::Lower);
        // Clear but small (1,500 pupils make 2 points "significant"): no relevant difference.
        assert_eq!(decided(2.0, (0.5, 3.5), 0.01), Significance::None);
        // 8 points with a wide interval and no clear test: too few answers to tell.
        assert_eq!(decided(8.0, (-2.0, 18.0), 0.12), Significance::Unclear);
        // Relevant and clear by itself, but only the observed difference is relevant and
        // the interval reaches below the threshold: still marked (clear and relevant).
        assert_eq!(decided(6.0, (1.0, 11.0), 0.02), Significance::Higher);
    }

    #[test]
    fn p_values_are_published_to_two_digits() {
        assert_eq!(round_significant(0.034_567, 2), 0.035);
        assert_eq!(round_significant(0.000_123_4, 2), 0.000_12);
        assert_eq!(round_significant(0.625_047, 2), 0.63);
    }
}
