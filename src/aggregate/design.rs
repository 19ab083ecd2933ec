//! Design-based intervals and tests for a share of pupils, as R's survey package computes
//! them: pupils are clustered in schools, so a share's variance is estimated from how the
//! schools' answers spread around it (Taylor linearisation, schools as primary sampling
//! units; pupils without a school form one cluster per municipality). Without schools in the
//! data every pupil is a cluster of one, which is the simple random sample.
//!
//! The reference, for a unit's indicator `y` (0/1) in data `d`:
//!
//! ```r
//! des <- svydesign(ids = ~school, data = d)            # or ids = ~1 without schools
//! svyciprop(~y, subset(des, inunit == 1), method = "logit")
//! svyglm(y ~ inunit, des, family = quasibinomial())    # p-value of `inunit`
//! ```
//!
//! Both are Wald statistics on the logit scale with Student's t: the interval with the
//! unit's clusters − 1 degrees of freedom, the test with the clusters (with a valid answer)
//! of both groups − 2. The variance of a share `p = Σy/Σn` over clusters `c` is
//! `C/(C−1) · Σ (y_c − p·n_c)² / (Σn)²`, `C` the clusters of the whole design. Where the
//! logit is undefined (a share of 0 or 100 %) or a group has a single cluster, the exact
//! fallbacks of [`super::significance`] are used instead, and the method says so.

use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF, StudentsT};

/// The level of every interval (95 %).
const LEVEL: f64 = 0.95;

/// What a design-based estimate of one group's share needs, summed over its clusters.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct Sample {
    /// Valid answers that count toward the indicator, and valid answers.
    pub(super) positive: u32,
    pub(super) valid: u32,
    /// Σ over clusters of `(y_c − p·n_c)²`, `p = positive / valid`.
    spread: f64,
    /// Clusters with any respondent (the degrees of freedom of an interval), and with a
    /// valid answer (those of a test).
    clusters: u32,
    clusters_answering: u32,
}

/// How an interval or a test was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Estimate {
    /// Design-based (schools as clusters, or pupils where the data name no schools).
    Design,
    /// Exact (Clopper–Pearson interval) where the design-based one is undefined.
    Exact,
}

impl Sample {
    /// A group of whole clusters, each given as (positive, valid, respondents).
    pub(super) fn of_clusters(clusters: impl IntoIterator<Item = (u32, u32, u32)>) -> Sample {
        let clusters: Vec<(u32, u32, u32)> = clusters.into_iter().filter(|c| c.2 > 0).collect();
        let positive: u32 = clusters.iter().map(|c| c.0).sum();
        let valid: u32 = clusters.iter().map(|c| c.1).sum();
        let p = proportion(positive, valid);
        Sample {
            positive,
            valid,
            spread: clusters
                .iter()
                .map(|&(y, n, _)| (f64::from(y) - p * f64::from(n)).powi(2))
                .sum(),
            clusters: clusters.len() as u32,
            clusters_answering: clusters.iter().filter(|c| c.1 > 0).count() as u32,
        }
    }

    /// A group of pupils each of whom is a cluster (the simple random sample).
    pub(super) fn of_pupils(positive: u32, valid: u32, respondents: u32) -> Sample {
        let p = proportion(positive, valid);
        Sample {
            positive,
            valid,
            spread: f64::from(valid) * p * (1.0 - p),
            clusters: respondents,
            clusters_answering: valid,
        }
    }

    /// A part of this group (e.g. its girls) with `positive` of `valid` valid answers among
    /// `respondents`: its variance is the simple random sample's times this group's design
    /// effect (at least 1), since the clusters' counts are not split by breakdown.
    pub(super) fn part(
        &self,
        positive: u32,
        valid: u32,
        respondents: u32,
        design_clusters: u32,
    ) -> Sample {
        let pupils = Sample::of_pupils(positive, valid, respondents);
        Sample {
            spread: pupils.spread * self.design_effect(design_clusters),
            clusters: self.clusters.min(respondents),
            ..pupils
        }
    }

    /// How much larger the share's variance is for the clustering than if every pupil were
    /// a cluster of one (at least 1; 1 where the share's variance is undefined or 0).
    pub(super) fn design_effect(&self, design_clusters: u32) -> f64 {
        let whole = Sample::of_pupils(self.positive, self.valid, self.clusters);
        if self.interior() && whole.spread > 0.0 {
            (self.variance(design_clusters) / whole.variance(design_clusters)).max(1.0)
        } else {
            1.0
        }
    }

    /// Agresti–Caffo's variance of the share (one success and one failure added): defined
    /// at 0 and 100 %, for the interval of a difference the exact test is used for.
    fn adjusted_variance(&self) -> f64 {
        let n = f64::from(self.valid) + 2.0;
        let p = (f64::from(self.positive) + 1.0) / n;
        p * (1.0 - p) / n
    }

    fn share(&self) -> f64 {
        proportion(self.positive, self.valid)
    }

    /// The linearised variance of the share, in a design of `design_clusters` clusters.
    fn variance(&self, design_clusters: u32) -> f64 {
        let c = f64::from(design_clusters.max(2));
        c / (c - 1.0) * self.spread / f64::from(self.valid).powi(2)
    }

    /// Whether the logit of the share is defined.
    fn interior(&self) -> bool {
        self.valid > 0 && self.positive > 0 && self.positive < self.valid
    }

    /// The 95 % interval of the share, in percent, where the design has `design_clusters`
    /// clusters in all; `None` without valid answers.
    pub(super) fn interval(&self, design_clusters: u32) -> Option<Interval> {
        if self.valid == 0 {
            return None;
        }
        let df = self.clusters.saturating_sub(1);
        if !self.interior() || df == 0 || self.spread == 0.0 {
            let (lo, hi) = clopper_pearson(self.positive, self.valid);
            return Some(Interval {
                low: 100.0 * lo,
                high: 100.0 * hi,
                estimate: Estimate::Exact,
            });
        }
        let p = self.share();
        let se = self.variance(design_clusters).sqrt() / (p * (1.0 - p));
        let t = t_quantile(df);
        let logit = (p / (1.0 - p)).ln();
        Some(Interval {
            low: 100.0 * expit(logit - t * se),
            high: 100.0 * expit(logit + t * se),
            estimate: Estimate::Design,
        })
    }
}

/// A 95 % interval in percent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
    #[serde(skip)]
    pub estimate: Estimate,
}

impl Interval {
    /// The interval as it is published: in whole percent. Its width depends on how the
    /// answers spread over the schools, which the report does not otherwise publish; whole
    /// points say how precise a figure is without saying more about the schools.
    pub fn rounded(self) -> Interval {
        Interval {
            low: self.low.round(),
            high: self.high.round(),
            ..self
        }
    }
}

/// The design-based comparison of two independent groups' shares: the two-sided p-value of
/// the logit difference, and the 95 % interval of the difference in percentage points (to
/// tell whether a relevant difference can be ruled out). `None` where the design-based test
/// is undefined (a share of 0 or 100 %, or too few clusters): the caller falls back to the
/// exact test.
pub(super) fn compare(unit: &Sample, rest: &Sample) -> Option<(f64, (f64, f64))> {
    // The design is the two groups together, as `svyglm(y ~ inunit, …)` on their data.
    let design_clusters = unit.clusters + rest.clusters;
    let df = (unit.clusters_answering + rest.clusters_answering).checked_sub(2)?;
    if !unit.interior() || !rest.interior() || df == 0 {
        return None;
    }
    let (p1, p0) = (unit.share(), rest.share());
    let (v1, v0) = (
        unit.variance(design_clusters),
        rest.variance(design_clusters),
    );
    let se = (v1 / (p1 * (1.0 - p1)).powi(2) + v0 / (p0 * (1.0 - p0)).powi(2)).sqrt();
    if se == 0.0 {
        return None;
    }
    let beta = (p1 / (1.0 - p1)).ln() - (p0 / (1.0 - p0)).ln();
    let students = StudentsT::new(0.0, 1.0, f64::from(df)).ok()?;
    let p_value = 2.0 * (1.0 - students.cdf((beta / se).abs()));
    let half = t_quantile(df) * (v1 + v0).sqrt();
    let difference = p1 - p0;
    Some((
        p_value.clamp(0.0, 1.0),
        (100.0 * (difference - half), 100.0 * (difference + half)),
    ))
}

/// The Wald test of a difference of shares `difference` with variance `variance`, between
/// groups with the clusters (with a valid answer) of `unit` and `rest`: the two-sided
/// p-value and the 95 % interval of the difference in percentage points. For a difference
/// that is not of two shares alone (a group standardised to the unit's mix), on the scale of
/// the shares, with the degrees of freedom of [`compare`]. `None` where the variance is 0 or
/// the groups have too few clusters.
pub(super) fn wald(
    difference: f64,
    variance: f64,
    unit: &Sample,
    rest: &Sample,
) -> Option<(f64, (f64, f64))> {
    let df = (unit.clusters_answering + rest.clusters_answering).checked_sub(2)?;
    let se = variance.sqrt();
    if df == 0 || !se.is_finite() || se <= 0.0 {
        return None;
    }
    let students = StudentsT::new(0.0, 1.0, f64::from(df)).ok()?;
    let p_value = 2.0 * (1.0 - students.cdf((difference / se).abs()));
    let half = t_quantile(df) * se;
    Some((
        p_value.clamp(0.0, 1.0),
        (100.0 * (difference - half), 100.0 * (difference + half)),
    ))
}

/// The 95 % interval of the difference of two shares in percentage points, where the
/// design-based test is undefined (Agresti–Caffo).
pub(super) fn adjusted_difference(unit: &Sample, rest: &Sample) -> (f64, f64) {
    let difference = unit.share() - rest.share();
    let half = Z_975 * (unit.adjusted_variance() + rest.adjusted_variance()).sqrt();
    (100.0 * (difference - half), 100.0 * (difference + half))
}

fn expit(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// `positive / valid`, or 0 without valid answers.
fn proportion(positive: u32, valid: u32) -> f64 {
    if valid == 0 {
        0.0
    } else {
        f64::from(positive) / f64::from(valid)
    }
}

/// The normal distribution's 97.5 % quantile.
const Z_975: f64 = 1.959_963_984_540_054;

/// The two-sided 95 % quantile of Student's t with `df` (≥ 1) degrees of freedom. statrs
/// finds it by a numerical search (~1.3 µs); a report asks for a few distinct `df` hundreds
/// of times, so each thread keeps those it has found.
fn t_quantile(df: u32) -> f64 {
    thread_local! {
        static FOUND: std::cell::RefCell<std::collections::HashMap<u32, f64>> =
            std::cell::RefCell::default();
    }
    FOUND.with_borrow_mut(|found| {
        *found.entry(df).or_insert_with(|| {
            StudentsT::new(0.0, 1.0, f64::from(df))
                .map(|t| t.inverse_cdf(0.5 + LEVEL / 2.0))
                .unwrap_or(Z_975)
        })
    })
}

/// The exact (Clopper–Pearson) 95 % interval of `x` of `n`.
fn clopper_pearson(x: u32, n: u32) -> (f64, f64) {
    let tail = (1.0 - LEVEL) / 2.0;
    let (x, n) = (f64::from(x), f64::from(n));
    let low = if x == 0.0 {
        0.0
    } else {
        Beta::new(x, n - x + 1.0).map_or(0.0, |b| b.inverse_cdf(tail))
    };
    let high = if x == n {
        1.0
    } else {
        Beta::new(x + 1.0, n - x).map_or(1.0, |b| b.inverse_cdf(1.0 - tail))
    };
    (low, high)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twelve schools in three municipalities; the unit is the first four. The figures are
    /// R's (survey 4.x) on the same data: see the module's example.
    const UNIT: [(u32, u32, u32); 4] = [(12, 30, 30), (8, 24, 25), (12, 37, 40), (7, 9, 10)];
    const REST: [(u32, u32, u32); 8] = [
        (15, 33, 35),
        (8, 20, 20),
        (15, 30, 30),
        (18, 42, 45),
        (6, 14, 15),
        (4, 23, 25),
        (14, 28, 30),
        (8, 20, 20),
    ];

    #[test]
    fn clustered_interval_and_test_agree_with_r() {
        let unit = Sample::of_clusters(UNIT);
        let interval = unit.interval(12).unwrap();
        assert_eq!(interval.estimate, Estimate::Design);
        assert!((interval.low - 25.491_909_41).abs() < 1e-6, "{interval:?}");
        assert!((interval.high - 54.436_356_91).abs() < 1e-6, "{interval:?}");
        let (p, _) = compare(&unit, &Sample::of_clusters(REST)).unwrap();
        assert!((p - 0.625_047_734_585).abs() < 1e-9, "{p}");
    }

    #[test]
    fn pupil_test_agrees_with_r() {
        // The rest: 210 valid answers of 220 pupils (the same file's other municipalities).
        let (p, _) = compare(
            &Sample::of_pupils(39, 100, 105),
            &Sample::of_pupils(88, 210, 220),
        )
        .unwrap();
        assert!((p - 0.627_811_334_852).abs() < 1e-9, "{p}");
    }

    #[test]
    fn pupil_interval_agrees_with_r() {
        // ids = ~1 on the same 325 pupils: 39 of 100 valid answers among 105 in the unit.
        let interval = Sample::of_pupils(39, 100, 105).interval(325).unwrap();
        assert!((interval.low - 29.848_813_28).abs() < 1e-6, "{interval:?}");
        assert!((interval.high - 48.997_214_59).abs() < 1e-6, "{interval:?}");
    }

    #[test]
    fn a_share_of_zero_gets_the_exact_interval() {
        let interval = Sample::of_pupils(0, 20, 20).interval(100).unwrap();
        assert_eq!(interval.estimate, Estimate::Exact);
        assert_eq!(interval.low, 0.0);
        // 1 − 0.025^(1/20) = 16.84 %.
        assert!((interval.high - 16.843_347).abs() < 1e-4, "{interval:?}");
        assert!(compare(&Sample::of_pupils(0, 20, 20), &Sample::of_pupils(5, 20, 20)).is_none());
    }
}
