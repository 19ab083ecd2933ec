//! Aggregation: respondent rows → counts → privacy-checked figures. Pure computation, no I/O,
//! so every number can be tested to the decimal.

#[cfg(test)]
mod attacker;
mod design;
mod differences;
mod disclosure;
mod headlines;
mod pattern;
mod significance;
mod standardise;
mod summary;
mod tally;

pub use design::{Estimate, Interval};
pub use differences::{Difference, Differences, Direction, differences};
pub use disclosure::Decision;
pub use headlines::{Change, Gap, changes, gaps};
pub use pattern::{Focus, Pattern, Scope, UnitRef, WithheldCounts, whole};
pub use significance::{DEFAULT_RELEVANT_DIFFERENCE, Method, Significance, Test};
pub use standardise::MAX_BREAKDOWNS;
pub use summary::{
    ComparisonGroup, ComparisonInfo, DEFAULT_MIN_CELL, Figures, Group, GroupCount, GroupFigures,
    NoReport, Previous, QuestionSummary, Respondents, RoundFigure, SUMMARY_VERSION, Source,
    Standardisation, Summary, Trend, UnitInfo, Withheld, summarise,
};
pub use tally::{GroupCounts, Level, Part, Selection, Tally, UnknownUnit};

#[cfg(test)]
mod tests;
