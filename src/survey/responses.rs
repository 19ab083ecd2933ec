//! Respondent-level survey results, read from CSV into compact columns (one byte per answer).
//!
//! Rows never leave this module's types except through [`crate::aggregate`], which turns
//! them into counts.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::codebook::{Code, Codebook};
use super::scale::{BLANK, Scale};

/// How many cell problems an error message lists before it only counts the rest.
const LISTED_PROBLEMS: usize = 20;

/// Survey answers stored by column. Every answer is the slot of its code in the question's
/// [`Scale`] (or [`BLANK`]), so a million respondents × 100 questions take 100 MB.
#[derive(Debug, Clone)]
pub struct Responses {
    /// Municipality names, sorted; rows refer to them by index.
    municipalities: Vec<String>,
    municipality: Vec<u16>,
    gender: Vec<u8>,
    grade: Vec<u8>,
    /// One column per codebook question, in [`Codebook::questions`] order.
    answers: Vec<Vec<u8>>,
    /// The scales the slots refer to, parallel to `answers`.
    scales: Vec<Scale>,
    gender_scale: Scale,
    grade_scale: Scale,
}

/// Why a survey file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ResponsesError {
    #[error("cannot read survey file {path}: {source}")]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Csv {
        path: PathBuf,
        line: Option<u64>,
        message: String,
    },
    #[error("{path}: the file has no column {}", quoted(columns))]
    MissingColumns { path: PathBuf, columns: Vec<String> },
    #[error("{path}: column `{column}` appears twice in the header")]
    DuplicateColumn { path: PathBuf, column: String },
    #[error("{path}: {total} bad cell(s):\n  {}{}", listed(problems), more(*total, problems.len()))]
    Cells {
        path: PathBuf,
        problems: Vec<CellProblem>,
        total: usize,
    },
    #[error("{path}: more than {} municipalities", u16::MAX)]
    TooManyMunicipalities { path: PathBuf },
}

fn quoted(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn listed(problems: &[CellProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n  ")
}

fn more(total: usize, listed: usize) -> String {
    if total > listed {
        format!("\n  … and {} more", total - listed)
    } else {
        String::new()
    }
}

/// One cell that does not hold a valid code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    /// 1-based line in the file.
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: CellReason,
}

/// What is wrong with a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellReason {
    NotACode,
    UnknownCode { allowed: Vec<Code> },
    NoMunicipality,
}

impl fmt::Display for CellProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let CellProblem {
            line,
            column,
            value,
            ..
        } = self;
        match &self.reason {
            CellReason::NotACode => write!(
                f,
                "line {line}, column `{column}`: `{value}` is not a whole-number answer code"
            ),
            CellReason::UnknownCode { allowed } => {
                let allowed: Vec<String> = allowed.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "line {line}, column `{column}`: code {value} is not in the codebook (allowed: {})",
                    allowed.join(", ")
                )
            }
            CellReason::NoMunicipality => {
                write!(f, "line {line}, column `{column}`: no municipality given")
            }
        }
    }
}

impl Responses {
    /// Reads a CSV survey file (header row, one row per respondent) against a codebook.
    pub fn read_csv(path: &Path, codebook: &Codebook) -> Result<Responses, ResponsesError> {
        let file = std::fs::File::open(path).map_err(|source| ResponsesError::Open {
            path: path.to_owned(),
            source,
        })?;
        Responses::from_reader(std::io::BufReader::new(file), path, codebook)
    }

    /// Reads CSV from any reader; `path` is only used in messages.
    pub fn from_reader(
        reader: impl std::io::Read,
        path: &Path,
        codebook: &Codebook,
    ) -> Result<Responses, ResponsesError> {
        let csv_error = |error: csv::Error| ResponsesError::Csv {
            path: path.to_owned(),
            line: error.position().map(|p| p.line()),
            message: csv_message(&error),
        };
        let mut reader = csv::ReaderBuilder::new().from_reader(reader);
        let header = reader.headers().map_err(csv_error)?.clone();
        let layout = Layout::new(&header, codebook, path)?;

        let mut table = TableBuilder::new(codebook);
        let mut problems = Problems::default();
        let mut record = csv::StringRecord::new();
        while reader.read_record(&mut record).map_err(csv_error)? {
            let line = record.position().map_or(0, |p| p.line());
            table.push_row(&record, &layout, line, &mut problems);
        }
        if problems.total > 0 {
            return Err(ResponsesError::Cells {
                path: path.to_owned(),
                problems: problems.listed,
                total: problems.total,
            });
        }
        table.finish(path)
    }

    /// Number of respondents.
    pub fn len(&self) -> usize {
        self.municipality.len()
    }

    /// True when the file had no respondents.
    pub fn is_empty(&self) -> bool {
        self.municipality.is_empty()
    }

    /// The municipality names in the data, sorted.
    pub fn municipalities(&self) -> &[String] {
        &self.municipalities
    }

    /// The index of each row's municipality in [`Responses::municipalities`].
    pub fn municipality_column(&self) -> &[u16] {
        &self.municipality
    }

    /// Each row's gender slot ([`BLANK`] when unknown).
    pub fn gender_column(&self) -> &[u8] {
        &self.gender
    }

    /// Each row's grade slot ([`BLANK`] when unknown).
    pub fn grade_column(&self) -> &[u8] {
        &self.grade
    }

    /// Number of question columns (all codebook questions).
    pub fn question_count(&self) -> usize {
        self.answers.len()
    }

    /// The answer slots of question number `question` (codebook order).
    pub fn answer_column(&self, question: usize) -> &[u8] {
        &self.answers[question]
    }

    /// The scale of question number `question`.
    pub fn scale(&self, question: usize) -> &Scale {
        &self.scales[question]
    }

    /// The gender scale.
    pub fn gender_scale(&self) -> &Scale {
        &self.gender_scale
    }

    /// The grade scale.
    pub fn grade_scale(&self) -> &Scale {
        &self.grade_scale
    }
}

/// Turns a csv error into a message without the position, which the caller prints.
fn csv_message(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("the row has {len} field(s), the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "the file is not valid UTF-8".to_owned(),
        _ => error.to_string(),
    }
}

/// Where each needed column sits in the header.
struct Layout {
    municipality: usize,
    gender: usize,
    grade: usize,
    questions: Vec<usize>,
    names: Vec<String>,
}

impl Layout {
    fn new(
        header: &csv::StringRecord,
        codebook: &Codebook,
        path: &Path,
    ) -> Result<Layout, ResponsesError> {
        let mut index = HashMap::new();
        for (i, name) in header.iter().enumerate() {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            if index.insert(name.to_owned(), i).is_some() {
                return Err(ResponsesError::DuplicateColumn {
                    path: path.to_owned(),
                    column: name.to_owned(),
                });
            }
        }
        let mut missing = Vec::new();
        let mut find = |name: &str| {
            index.get(name).copied().unwrap_or_else(|| {
                missing.push(name.to_owned());
                0
            })
        };
        let background = &codebook.background;
        let municipality = find(&background.municipality);
        let gender = find(&background.gender.column);
        let grade = find(&background.grade.column);
        let questions = codebook.questions().map(|q| find(&q.id.0)).collect();
        if !missing.is_empty() {
            return Err(ResponsesError::MissingColumns {
                path: path.to_owned(),
                columns: missing,
            });
        }
        Ok(Layout {
            municipality,
            gender,
            grade,
            questions,
            names: header.iter().map(|n| n.trim().to_owned()).collect(),
        })
    }
}

/// The first [`LISTED_PROBLEMS`] cell problems and how many there were.
#[derive(Default)]
struct Problems {
    listed: Vec<CellProblem>,
    total: usize,
}

impl Problems {
    fn push(&mut self, problem: CellProblem) {
        self.total += 1;
        if self.listed.len() < LISTED_PROBLEMS {
            self.listed.push(problem);
        }
    }
}

/// Accumulates columns while rows stream in.
struct TableBuilder {
    municipality_index: HashMap<String, u16>,
    municipalities: Vec<String>,
    municipality: Vec<u16>,
    gender: Vec<u8>,
    grade: Vec<u8>,
    answers: Vec<Vec<u8>>,
    scales: Vec<Scale>,
    gender_scale: Scale,
    grade_scale: Scale,
    too_many_municipalities: bool,
}

impl TableBuilder {
    fn new(codebook: &Codebook) -> TableBuilder {
        let scales: Vec<Scale> = codebook
            .questions()
            .map(|q| Scale::of_question(q, &codebook.missing))
            .collect();
        TableBuilder {
            municipality_index: HashMap::new(),
            municipalities: Vec::new(),
            municipality: Vec::new(),
            gender: Vec::new(),
            grade: Vec::new(),
            answers: vec![Vec::new(); scales.len()],
            scales,
            gender_scale: Scale::of_breakdown(&codebook.background.gender),
            grade_scale: Scale::of_breakdown(&codebook.background.grade),
            too_many_municipalities: false,
        }
    }

    fn push_row(
        &mut self,
        record: &csv::StringRecord,
        layout: &Layout,
        line: u64,
        problems: &mut Problems,
    ) {
        let cell = |column: usize| record.get(column).unwrap_or("").trim();
        let mut decode = |column: usize, scale: &Scale| -> u8 {
            let value = cell(column);
            if value.is_empty() {
                return BLANK;
            }
            let problem = |reason| CellProblem {
                line,
                column: layout.names[column].clone(),
                value: value.to_owned(),
                reason,
            };
            match value.parse::<u16>() {
                Ok(code) => scale.slot(Code(code)).unwrap_or_else(|| {
                    problems.push(problem(CellReason::UnknownCode {
                        allowed: scale.codes().to_vec(),
                    }));
                    BLANK
                }),
                Err(_) => {
                    problems.push(problem(CellReason::NotACode));
                    BLANK
                }
            }
        };
        self.gender.push(decode(layout.gender, &self.gender_scale));
        self.grade.push(decode(layout.grade, &self.grade_scale));
        for ((column, scale), answers) in layout
            .questions
            .iter()
            .zip(&self.scales)
            .zip(&mut self.answers)
        {
            answers.push(decode(*column, scale));
        }

        let name = cell(layout.municipality);
        if name.is_empty() {
            problems.push(CellProblem {
                line,
                column: layout.names[layout.municipality].clone(),
                value: String::new(),
                reason: CellReason::NoMunicipality,
            });
        }
        let index = match self.municipality_index.get(name) {
            Some(&index) => index,
            None => {
                let index = u16::try_from(self.municipalities.len()).unwrap_or_else(|_| {
                    self.too_many_municipalities = true;
                    0
                });
                self.municipality_index.insert(name.to_owned(), index);
                self.municipalities.push(name.to_owned());
                index
            }
        };
        self.municipality.push(index);
    }

    /// Sorts the municipality dictionary so results do not depend on row order.
    fn finish(self, path: &Path) -> Result<Responses, ResponsesError> {
        if self.too_many_municipalities {
            return Err(ResponsesError::TooManyMunicipalities {
                path: path.to_owned(),
            });
        }
        let mut order: Vec<usize> = (0..self.municipalities.len()).collect();
        order.sort_by(|&a, &b| self.municipalities[a].cmp(&self.municipalities[b]));
        let mut new_index = vec![0u16; order.len()];
        for (new, &old) in order.iter().enumerate() {
            // At most u16::MAX + 1 names were accepted above.
            new_index[old] = new as u16;
        }
        let municipalities = order
            .iter()
            .map(|&old| self.municipalities[old].clone())
            .collect();
        let municipality = self
            .municipality
            .iter()
            .map(|&old| new_index[old as usize])
            .collect();
        Ok(Responses {
            municipalities,
            municipality,
            gender: self.gender,
            grade: self.grade,
            answers: self.answers,
            scales: self.scales,
            gender_scale: self.gender_scale,
            grade_scale: self.grade_scale,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codebook() -> Codebook {
        Codebook::parse(
            r#"
survey: t
title: T
round: 2026
background:
  municipality: kommune
  grade: {column: klassetrin, values: {7: "7."}}
  gender: {column: koen, values: {1: "Dreng", 2: "Pige"}}
missing: {98: "Ved ikke"}
themes:
  - id: a
    title: A
    questions:
      - {id: q1, text: "?", options: {1: "Ja", 2: "Nej"}}
"#,
            Path::new("c.yaml"),
        )
        .unwrap()
    }

    fn read(csv: &str) -> Result<Responses, ResponsesError> {
        Responses::from_reader(csv.as_bytes(), Path::new("s.csv"), &codebook())
    }

    #[test]
    fn reads_columns_in_any_order_and_sorts_municipalities() {
        let data =
            read("q1,koen,kommune,klassetrin\n2,1,Aarhus,7\n98,,Aabenraa,7\n,2,Aarhus,\n").unwrap();
        assert_eq!(data.len(), 3);
        assert_eq!(data.municipalities(), ["Aabenraa", "Aarhus"]);
        assert_eq!(data.municipality_column(), [1, 0, 1]);
        assert_eq!(data.answer_column(0), [1, 2, BLANK]);
        assert_eq!(data.gender_column(), [0, BLANK, 1]);
        assert_eq!(data.grade_column(), [0, 0, BLANK]);
    }

    #[test]
    fn bad_cells_name_line_and_column() {
        let error = read("kommune,klassetrin,koen,q1\nAarhus,7,1,x\nAarhus,7,1,3\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("s.csv: 2 bad cell(s)"), "{error}");
        assert!(
            error.contains("line 2, column `q1`: `x` is not a whole-number answer code"),
            "{error}"
        );
        assert!(
            error
                .contains("line 3, column `q1`: code 3 is not in the codebook (allowed: 1, 2, 98)"),
            "{error}"
        );
    }

    #[test]
    fn short_row_names_its_line() {
        let error = read("kommune,klassetrin,koen,q1\nAarhus,7,1,1\nAarhus,7\n")
            .unwrap_err()
            .to_string();
        assert_eq!(error, "s.csv:3: the row has 2 field(s), the header has 4");
    }

    #[test]
    fn missing_columns_are_listed() {
        let error = read("kommune,q1\nAarhus,1\n").unwrap_err().to_string();
        assert_eq!(error, "s.csv: the file has no column `koen`, `klassetrin`");
    }
}
