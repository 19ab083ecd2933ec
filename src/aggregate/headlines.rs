//! What a summary states besides the differences from the main comparison
//! ([`super::differences`]): the clearest changes since the round before and the widest gaps
//! between the unit's own groups (girls and boys, one grade and another). Each is stated only
//! where the figures support it, so a reader's first minute rests on the same statistics as
//! the tables and never says more than they do.

use serde::Serialize;

use super::{Direction, Group, Significance, Summary};
use crate::survey::{Code, Codebook, QuestionId};

/// A headline indicator that changed clearly and relevantly since the round before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub question: QuestionId,
    pub theme: String,
    /// The round before and the unit's indicator in it, in percent.
    pub previous_round: u16,
    pub previous: f64,
    /// The unit's indicator in this round, in percent.
    pub current: f64,
    /// `Higher` or `Lower`: the trend's test against the round before.
    pub significance: Significance,
    /// What the change means for the children (`Neutral` where the codebook does not say).
    pub direction: Direction,
}

/// The widest clear gap of a headline indicator between two of the unit's published groups
/// of one breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    pub question: QuestionId,
    pub theme: String,
    /// The background variable, e.g. `gender`.
    pub breakdown: String,
    /// The group with the higher indicator and its indicator in percent.
    pub high: (Code, f64),
    /// The group with the lower indicator.
    pub low: (Code, f64),
}

impl Gap {
    /// The gap in percentage points as printed: between the whole percentages shown.
    pub fn printed(&self) -> i64 {
        self.high.1.round() as i64 - self.low.1.round() as i64
    }
}

/// The clearest changes since the round before, largest first (ties in codebook order):
/// those whose test against the round before is clear and relevant, as the trend marks them.
pub fn changes(summary: &Summary, codebook: &Codebook) -> Vec<Change> {
    let mut changes: Vec<Change> = summary
        .questions
        .iter()
        .filter_map(|question| {
            let trend = question.trend.as_ref()?;
            let [.., before, now] = trend.rounds.as_slice() else {
                return None;
            };
            let (previous, current) = (before.indicator?, now.indicator?);
            let better = codebook
                .questions()
                .find(|q| q.id == question.id)
                .and_then(|q| q.better);
            let significance = trend.against?.significance;
            let direction = Direction::of(significance, better)?;
            Some(Change {
                question: question.id.clone(),
                theme: question.theme.clone(),
                previous_round: before.round,
                previous,
                current,
                significance,
                direction,
            })
        })
        .collect();
    changes.sort_by(|a, b| {
        let size = |c: &Change| (c.current - c.previous).abs();
        size(b).total_cmp(&size(a))
    });
    changes
}

/// The widest gap of each breakdown of each question between the unit's groups: each
/// breakdown's widest first, then the rest, each part largest first (ties in codebook order).
/// A gap is stated only where the two groups' 95 % intervals (clustered, as published) do not
/// overlap and the printed figures differ by at least the summary's relevance threshold: a
/// conservative rule (intervals apart means a difference clear well beyond the 5 % level),
/// since these comparisons are many and not otherwise adjusted for.
pub fn gaps(summary: &Summary) -> Vec<Gap> {
    let relevant = summary.relevant_difference;
    let mut gaps = Vec::new();
    for question in &summary.questions {
        let mut breakdowns: Vec<&str> = Vec::new();
        for group in &question.groups {
            if let Group::Part { breakdown, .. } = &group.group
                && !breakdowns.contains(&breakdown.as_str())
            {
                breakdowns.push(breakdown);
            }
        }
        for breakdown in breakdowns {
            // The published groups with an indicator and an interval.
            let groups: Vec<(Code, f64, f64, f64)> = question
                .groups
                .iter()
                .filter_map(|g| match &g.group {
                    Group::Part { breakdown: b, code } if b == breakdown => {
                        let figures = g.figures.as_ref().ok()?;
                        let interval = figures.interval?;
                        Some((*code, figures.indicator?, interval.low, interval.high))
                    }
                    _ => None,
                })
                .collect();
            // The widest pair that is clear and relevant: not always the highest and lowest
            // group, whose intervals may overlap where a smaller group's is wide.
            let mut widest: Option<Gap> = None;
            for high in &groups {
                for low in &groups {
                    let gap = Gap {
                        question: question.id.clone(),
                        theme: question.theme.clone(),
                        breakdown: breakdown.to_owned(),
                        high: (high.0, high.1),
                        low: (low.0, low.1),
                    };
                    let apart = low.3 < high.2;
                    if apart
                        && gap.printed() as f64 >= relevant
                        && widest.as_ref().is_none_or(|w| gap.printed() > w.printed())
                    {
                        widest = Some(gap);
                    }
                }
            }
            gaps.extend(widest);
        }
    }
    gaps.sort_by_key(|gap| std::cmp::Reverse(gap.printed()));
    // Each breakdown's widest gap first, so that the first few name every breakdown that has
    // one (a gap by grade is not hidden behind three by gender).
    let mut seen: Vec<&str> = Vec::new();
    let (firsts, rest): (Vec<&Gap>, Vec<&Gap>) = gaps.iter().partition(|gap| {
        let first = !seen.contains(&gap.breakdown.as_str());
        if first {
            seen.push(&gap.breakdown);
        }
        first
    });
    firsts.into_iter().chain(rest).cloned().collect()
}
