//! Aggregation: respondent rows → counts → privacy-checked figures. Pure computation, no I/O,
//! so every number can be tested to the decimal.

pub mod significance;
pub mod summary;
pub mod suppression;
pub mod tally;

pub use significance::{Comparison, Method, Significance};
pub use summary::{
    DEFAULT_MIN_CELL, Figures, Group, GroupCount, GroupFigures, Options, Previous, QuestionSummary,
    Respondents, Summary, Trend, summarise,
};
pub use tally::{GroupCounts, Selection, Tally, UnknownMunicipality};

#[cfg(test)]
mod tests;
