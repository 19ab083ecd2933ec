//! Survey input: the codebook that explains the columns, and the respondent-level answers
//! read from CSV, spreadsheets or SPSS files, with a data-quality report; and a first
//! codebook drafted from a file nobody has described yet ([`draft`]).

pub mod codebook;
pub mod draft;
pub mod quality;
pub mod responses;
mod scale;
pub(crate) mod source;

pub use codebook::{
    Background, Better, Bin, Breakdown, Code, Codebook, CodebookError, End, Kind, Question,
    QuestionId, QuestionKind, Theme,
};
pub use quality::{Example, Issue, Quality, Severity};
pub use responses::{Answers, NO_SCHOOL, Responses, ResponsesError, School};
pub use scale::{BLANK, Scale};
