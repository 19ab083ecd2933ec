//! Aggregation: respondent rows → counts → privacy-checked figures. Pure computation, no I/O,
//! so every number can be tested to the decimal.

mod disclosure;
mod pattern;
mod significance;
mod summary;
mod tally;

pub use disclosure::Decision;
pub use pattern::{Pattern, Scope, WithheldCounts};
pub use significance::{Comparison, Method, Significance};
pub use summary::{
    DEFAULT_MIN_CELL, Figures, Group, GroupCount, GroupFigures, Previous, QuestionSummary,
    Respondents, Summary, TooFewRespondents, Trend, Withheld, summarise,
};
pub use tally::{GroupCounts, Part, Selection, Tally, UnknownMunicipality};

#[cfg(test)]
mod tests;
