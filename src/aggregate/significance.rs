//! Is a share in one group significantly different from the share in another? A two-sided
//! test at the 5 % level: the two-proportion z-test, or Fisher's exact test where an
//! expected count is below 5 and the normal approximation cannot be trusted.

use serde::Serialize;
use statrs::function::erf::erfc;
use statrs::function::factorial::ln_binomial;

/// The significance level of every test in the report.
pub(super) const ALPHA: f64 = 0.05;

/// Expected counts below this make the z-test unreliable; Fisher's exact test is used then.
const MIN_EXPECTED: f64 = 5.0;

/// The outcome for the first group compared with the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Significance {
    /// Significantly higher.
    Higher,
    /// Significantly lower.
    Lower,
    /// No significant difference.
    None,
}

/// Which test was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    ZTest,
    Fisher,
}

/// The result of comparing two proportions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Test {
    /// Serialised beside the comparison by its users, so not repeated in it.
    #[serde(skip)]
    pub significance: Significance,
    pub method: Method,
    pub p_value: f64,
}

/// Compares `x1` of `n1` with `x2` of `n2`; `None` when either group is empty.
pub(super) fn compare(x1: u32, n1: u32, x2: u32, n2: u32) -> Option<Test> {
    if n1 == 0 || n2 == 0 || x1 > n1 || x2 > n2 {
        return None;
    }
    let (p1, p2) = (f64::from(x1) / f64::from(n1), f64::from(x2) / f64::from(n2));
    let pooled = f64::from(x1 + x2) / f64::from(n1 + n2);
    let expected = [
        f64::from(n1) * pooled,
        f64::from(n1) * (1.0 - pooled),
        f64::from(n2) * pooled,
        f64::from(n2) * (1.0 - pooled),
    ];
    let (method, p_value) = if expected.iter().any(|&e| e < MIN_EXPECTED) {
        (Method::Fisher, fisher_two_sided(x1, n1, x2, n2))
    } else {
        (Method::ZTest, z_test_two_sided(p1, n1, p2, n2, pooled))
    };
    let significance = if p_value >= ALPHA || p1 == p2 {
        Significance::None
    } else if p1 > p2 {
        Significance::Higher
    } else {
        Significance::Lower
    };
    Some(Test {
        significance,
        method,
        p_value,
    })
}

/// Two-sided p-value of the pooled two-proportion z-test.
fn z_test_two_sided(p1: f64, n1: u32, p2: f64, n2: u32, pooled: f64) -> f64 {
    let se = (pooled * (1.0 - pooled) * (1.0 / f64::from(n1) + 1.0 / f64::from(n2))).sqrt();
    if se == 0.0 {
        // Both groups all-yes or all-no: no difference.
        return 1.0;
    }
    let z = (p1 - p2) / se;
    erfc(z.abs() / std::f64::consts::SQRT_2)
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

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn z_test_matches_a_hand_worked_example() {
        // 60/100 vs 45/100: pooled 0.525, se = sqrt(0.525·0.475·0.02) = 0.070622, z = 2.1240,
        // p = 2·(1 − Φ(2.1240)) = 0.03367.
        let result = compare(60, 100, 45, 100).unwrap();
        assert_eq!(result.method, Method::ZTest);
        assert!(close(result.p_value, 0.03367, 5e-5), "{}", result.p_value);
        assert_eq!(result.significance, Significance::Higher);
        let reversed = compare(45, 100, 60, 100).unwrap();
        assert_eq!(reversed.significance, Significance::Lower);
    }

    #[test]
    fn a_small_difference_is_not_significant() {
        let result = compare(52, 100, 48, 100).unwrap();
        assert!(close(result.p_value, 0.5716, 1e-3), "{}", result.p_value);
        assert_eq!(result.significance, Significance::None);
    }

    #[test]
    fn fisher_matches_the_tea_tasting_example() {
        // Fisher's lady tasting tea: 3 of 4 vs 1 of 4; two-sided p = 0.4857.
        let result = compare(3, 4, 1, 4).unwrap();
        assert_eq!(result.method, Method::Fisher);
        assert!(close(result.p_value, 0.485_714, 1e-6), "{}", result.p_value);
        assert_eq!(result.significance, Significance::None);
    }

    #[test]
    fn fisher_finds_a_clear_difference_in_small_groups() {
        // 0 of 10 vs 8 of 10: P(X = 0) = C(8,0)·C(12,10)/C(20,10) = 66/184756, and the table
        // X = 8 is as likely, so p = 132/184756 = 0.000714.
        let result = compare(0, 10, 8, 10).unwrap();
        assert_eq!(result.method, Method::Fisher);
        assert!(
            close(result.p_value, 0.000_714_5, 1e-6),
            "{}",
            result.p_value
        );
        assert_eq!(result.significance, Significance::Lower);
    }

    #[test]
    fn ties_and_degenerate_groups() {
        assert_eq!(
            compare(50, 100, 50, 100).unwrap().significance,
            Significance::None
        );
        assert_eq!(compare(100, 100, 1000, 1000).unwrap().p_value, 1.0);
        assert_eq!(compare(1, 0, 1, 2), None);
        assert_eq!(compare(0, 5, 0, 0), None);
    }
}
