//! Survey input: the codebook that explains the columns, and the respondent-level answers.

pub mod codebook;
pub mod responses;
pub mod scale;

pub use codebook::{Code, Codebook, CodebookError, Question, QuestionId};
pub use responses::{Responses, ResponsesError};
pub use scale::{BLANK, Scale};
