//! Aggregation: respondent rows → counts → privacy-checked figures. Pure computation, no I/O,
//! so every number can be tested to the decimal.

pub mod summary;
pub mod tally;

pub use summary::{
    DEFAULT_MIN_CELL, Figures, Group, GroupFigures, Options, QuestionSummary, Respondents, Summary,
    summarise,
};
pub use tally::{Selection, Tally, UnknownMunicipality};
