//! Where a unit differs from its main comparison: the significant differences of its
//! headline indicators, told apart as strengths and concerns by the codebook's `better`
//! (whether more is good or bad news for the children), biggest first. A council member's
//! first question ("where do our children do worse?") is answered from these, and the
//! library's suggestions follow the concerns.

use serde::Serialize;

use super::{Group, Significance, Summary};
use crate::survey::{Better, Codebook, QuestionId};

/// What a significant difference means for the children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Significantly better than the comparison.
    Better,
    /// Significantly worse than the comparison.
    Worse,
    /// Significantly higher or lower, where the codebook does not say which is better.
    Neutral,
}

impl Direction {
    /// The direction of `significance` for an indicator where `better` says which way is
    /// good; `None` when there is no significant difference.
    pub fn of(significance: Significance, better: Option<Better>) -> Option<Direction> {
        let higher = match significance {
            Significance::Higher => true,
            Significance::Lower => false,
            Significance::None | Significance::Unclear => return None,
        };
        Some(match better {
            None => Direction::Neutral,
            Some(Better::Higher) if higher => Direction::Better,
            Some(Better::Lower) if !higher => Direction::Better,
            Some(_) => Direction::Worse,
        })
    }
}

/// One headline indicator on which the unit differs significantly from its main comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub question: QuestionId,
    pub theme: String,
    /// The unit's indicator and the comparison's, in percent.
    pub unit: f64,
    pub comparison: f64,
    /// `unit − comparison` in percentage points.
    pub difference: f64,
    /// `Higher` or `Lower`: the test of the unit against the comparison without it.
    pub significance: Significance,
    pub direction: Direction,
}

/// The unit's significant differences from its main (first) comparison.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Differences {
    /// The comparison group's id (`all`, `region`, …); `None` without comparisons.
    pub against: Option<String>,
    /// How many headline indicators were tested against it: what "no relevant difference"
    /// and "k of n" are counted over.
    pub tested: usize,
    pub strengths: Vec<Difference>,
    pub concerns: Vec<Difference>,
    /// Differences on indicators without a `better`.
    pub other: Vec<Difference>,
    /// Indicators with too few answers to tell whether the unit differs relevantly (their
    /// direction is `Neutral`): a reader should not take them for "the same".
    pub unclear: Vec<Difference>,
    /// The largest printed difference on any tested indicator, marked or not: what "no
    /// relevant difference" rests on.
    pub largest: Option<Difference>,
}

impl Differences {
    /// The codebook themes with at least one concern, in codebook order.
    pub fn concern_themes<'a>(&self, codebook: &'a Codebook) -> Vec<&'a crate::survey::Theme> {
        codebook
            .themes
            .iter()
            .filter(|theme| self.concerns.iter().any(|c| c.theme == theme.id))
            .collect()
    }
}

/// The significant differences in `summary` against its first comparison, each list sorted
/// by the size of the difference (largest first; ties in codebook order).
pub fn differences(summary: &Summary, codebook: &Codebook) -> Differences {
    let Some(main) = summary.comparisons.first() else {
        return Differences::default();
    };
    let mut found = Differences {
        against: Some(main.id.clone()),
        ..Differences::default()
    };
    for question in &summary.questions {
        // The comparison's indicator is the one the unit is compared with (standardised,
        // where the report standardises).
        let indicator = |wanted: &Group| {
            question
                .groups
                .iter()
                .find(|g| &g.group == wanted)
                .and_then(|g| Some((g.compared_indicator()?, g.against)))
        };
        let (Some((unit, _)), Some((comparison, Some(against)))) = (
            indicator(&Group::Unit),
            indicator(&Group::Comparison(main.id.clone())),
        ) else {
            continue;
        };
        found.tested += 1;
        let better = codebook
            .questions()
            .find(|q| q.id == question.id)
            .and_then(|q| q.better);
        let entry = |direction| Difference {
            question: question.id.clone(),
            theme: question.theme.clone(),
            unit,
            comparison,
            difference: unit - comparison,
            significance: against.significance,
            direction,
        };
        if found
            .largest
            .as_ref()
            .is_none_or(|l| (unit - comparison).abs() > l.difference.abs())
        {
            found.largest = Some(entry(Direction::Neutral));
        }
        let Some(direction) = Direction::of(against.significance, better) else {
            if against.significance == Significance::Unclear {
                found.unclear.push(entry(Direction::Neutral));
            }
            continue;
        };
        let list = match direction {
            Direction::Better => &mut found.strengths,
            Direction::Worse => &mut found.concerns,
            Direction::Neutral => &mut found.other,
        };
        list.push(entry(direction));
    }
    for list in [
        &mut found.strengths,
        &mut found.concerns,
        &mut found.other,
        &mut found.unclear,
    ] {
        // Stable: equal sizes keep codebook order.
        list.sort_by(|a, b| b.difference.abs().total_cmp(&a.difference.abs()));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_follows_better_and_is_neutral_without_it() {
        use Significance::{Higher, Lower, None as Same};
        assert_eq!(Direction::of(Same, Some(Better::Higher)), None);
        assert_eq!(
            Direction::of(Higher, Some(Better::Higher)),
            Some(Direction::Better)
        );
        assert_eq!(
            Direction::of(Lower, Some(Better::Higher)),
            Some(Direction::Worse)
        );
        assert_eq!(
            Direction::of(Higher, Some(Better::Lower)),
            Some(Direction::Worse)
        );
        assert_eq!(
            Direction::of(Lower, Some(Better::Lower)),
            Some(Direction::Better)
        );
        assert_eq!(Direction::of(Higher, None), Some(Direction::Neutral));
        assert_eq!(Direction::of(Lower, None), Some(Direction::Neutral));
    }
}
