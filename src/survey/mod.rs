//! Survey input: the codebook that explains the columns, and the respondent-level answers.

pub mod codebook;
pub mod responses;
pub mod scale;

pub use codebook::{Bin, Code, Codebook, CodebookError, Question, QuestionId, QuestionKind};
pub use responses::{Answers, Responses, ResponsesError};
pub use scale::{BLANK, Scale};
