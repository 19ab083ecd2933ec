//! Survey input: the codebook that explains the columns, and the respondent-level answers
//! read from CSV or spreadsheets, with a data-quality report.

pub mod codebook;
pub mod quality;
pub mod responses;
mod scale;
pub(crate) mod source;

pub use codebook::{Bin, Code, Codebook, CodebookError, Question, QuestionId, QuestionKind};
pub use quality::{Example, Issue, Quality, Severity};
pub use responses::{Answers, Responses, ResponsesError};
pub use scale::{BLANK, Scale};
