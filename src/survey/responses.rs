//! Respondent-level survey results, read from CSV into compact columns (one byte per answer).
//!
//! Rows never leave this module's types except through [`crate::aggregate`], which turns
//! them into counts.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::codebook::{Bin, Code, Codebook, Question, QuestionKind, ValueRange};
use super::scale::{BLANK, Scale};

/// How many cell problems an error message lists before it only counts the rest.
const LISTED_PROBLEMS: usize = 20;

/// The stored answers to one question.
#[derive(Debug, Clone)]
pub enum Answers {
    /// Single choice: each respondent's slot in the question's [`Scale`], or [`BLANK`].
    Coded(Vec<u8>),
    /// Multiple choice: per option, each respondent's 0 (not ticked), 1 (ticked) or [`BLANK`].
    Ticks(Vec<Vec<u8>>),
    /// Numeric and index questions: each respondent's slot (bin or missing code, or
    /// [`BLANK`]) and value (meaningful where the slot is a bin).
    Valued { slots: Vec<u8>, values: Vec<f32> },
}

/// Survey answers stored by column. A million respondents × 100 single-choice questions
/// take 100 MB.
#[derive(Debug, Clone)]
pub struct Responses {
    /// Municipality names, sorted; rows refer to them by index.
    municipalities: Vec<String>,
    municipality: Vec<u16>,
    gender: Vec<u8>,
    grade: Vec<u8>,
    /// One entry per codebook question ([`Codebook::questions`] order); `None` where the file
    /// lacks the question's columns.
    answers: Vec<Option<Answers>>,
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

/// One cell that does not hold a valid value.
#[derive(Debug, Clone, PartialEq)]
pub struct CellProblem {
    /// 1-based line in the file.
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: CellReason,
}

/// What is wrong with a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum CellReason {
    NotACode,
    UnknownCode { allowed: Vec<Code> },
    NotANumber,
    OutOfRange { range: ValueRange },
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
        write!(f, "line {line}, column `{column}`: ")?;
        match &self.reason {
            CellReason::NotACode => write!(f, "`{value}` is not a whole-number answer code"),
            CellReason::UnknownCode { allowed } => {
                let allowed: Vec<String> = allowed.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "code {value} is not in the codebook (allowed: {})",
                    allowed.join(", ")
                )
            }
            CellReason::NotANumber => write!(f, "`{value}` is not a number"),
            CellReason::OutOfRange { range } => write!(
                f,
                "{value} is outside the valid range {}–{} and not a missing code",
                range.min, range.max
            ),
            CellReason::NoMunicipality => write!(f, "no municipality given"),
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

        let mut table = TableBuilder::new(codebook, &layout);
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

    /// Number of codebook questions (answered in the file or not).
    pub fn question_count(&self) -> usize {
        self.answers.len()
    }

    /// The answers to question number `question` (codebook order), or `None` when the file
    /// does not have the question.
    pub fn answers(&self, question: usize) -> Option<&Answers> {
        self.answers[question].as_ref()
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
    /// Per question, the positions of its columns, or `None` if any is missing.
    questions: Vec<Option<Vec<usize>>>,
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
        let background = &codebook.background;
        let required = [
            &background.municipality,
            &background.gender.column,
            &background.grade.column,
        ];
        let missing: Vec<String> = required
            .iter()
            .filter(|name| !index.contains_key(name.as_str()))
            .map(|name| name.to_string())
            .collect();
        if !missing.is_empty() {
            return Err(ResponsesError::MissingColumns {
                path: path.to_owned(),
                columns: missing,
            });
        }
        let questions = codebook
            .questions()
            .map(|q| {
                q.columns()
                    .iter()
                    .map(|c| index.get(c.as_str()).copied())
                    .collect()
            })
            .collect();
        Ok(Layout {
            municipality: index[&background.municipality],
            gender: index[&background.gender.column],
            grade: index[&background.grade.column],
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

/// How to decode one question's cells.
enum Decoder<'a> {
    Single(Scale),
    Multiple,
    Numeric {
        scale: Scale,
        bins: &'a [Bin],
        range: ValueRange,
        missing: Scale,
    },
    Index {
        bins: &'a [Bin],
        items: Scale,
        multiplier: f64,
    },
}

impl<'a> Decoder<'a> {
    fn new(question: &'a Question, codebook: &Codebook) -> Decoder<'a> {
        let missing = &codebook.missing;
        match &question.kind {
            QuestionKind::Single { .. } => Decoder::Single(Scale::of_question(question, missing)),
            QuestionKind::Multiple { .. } => Decoder::Multiple,
            QuestionKind::Numeric { bins, range, .. } => Decoder::Numeric {
                scale: Scale::of_question(question, missing),
                bins,
                range: *range,
                missing: Scale::new(missing.keys().copied().collect(), []),
            },
            QuestionKind::Index {
                bins,
                scores,
                multiplier,
                ..
            } => Decoder::Index {
                bins,
                items: Scale::new(scores.keys().copied().collect(), missing.keys().copied()),
                multiplier: *multiplier,
            },
        }
    }

    fn empty(&self, options: usize) -> Answers {
        match self {
            Decoder::Single(_) => Answers::Coded(Vec::new()),
            Decoder::Multiple => Answers::Ticks(vec![Vec::new(); options]),
            Decoder::Numeric { .. } | Decoder::Index { .. } => Answers::Valued {
                slots: Vec::new(),
                values: Vec::new(),
            },
        }
    }
}

/// The bin a value falls in.
fn bin_of(bins: &[Bin], value: f64) -> u8 {
    let bin = bins
        .iter()
        .position(|bin| bin.below.is_none_or(|below| value < below))
        .unwrap_or(bins.len() - 1);
    // Codebook checks keep the number of bins below BLANK.
    bin as u8
}

/// Accumulates columns while rows stream in.
struct TableBuilder<'a> {
    municipality_index: HashMap<String, u16>,
    municipalities: Vec<String>,
    municipality: Vec<u16>,
    gender: Vec<u8>,
    grade: Vec<u8>,
    decoders: Vec<Decoder<'a>>,
    answers: Vec<Option<Answers>>,
    gender_scale: Scale,
    grade_scale: Scale,
    too_many_municipalities: bool,
}

/// Parses one cell as an integer code; problems are recorded and give `None`.
struct Cell<'r> {
    value: &'r str,
    line: u64,
    column: usize,
}

impl Cell<'_> {
    fn problem(&self, layout: &Layout, reason: CellReason) -> CellProblem {
        CellProblem {
            line: self.line,
            column: layout.names[self.column].clone(),
            value: self.value.to_owned(),
            reason,
        }
    }

    /// The slot of the cell's code in `scale`, [`BLANK`] when empty or invalid (recorded).
    fn slot(&self, scale: &Scale, layout: &Layout, problems: &mut Problems) -> u8 {
        if self.value.is_empty() {
            return BLANK;
        }
        match self.value.parse::<u16>() {
            Ok(code) => scale.slot(Code(code)).unwrap_or_else(|| {
                let allowed = scale.codes().to_vec();
                problems.push(self.problem(layout, CellReason::UnknownCode { allowed }));
                BLANK
            }),
            Err(_) => {
                problems.push(self.problem(layout, CellReason::NotACode));
                BLANK
            }
        }
    }
}

impl<'a> TableBuilder<'a> {
    fn new(codebook: &'a Codebook, layout: &Layout) -> TableBuilder<'a> {
        let decoders: Vec<Decoder> = codebook
            .questions()
            .map(|q| Decoder::new(q, codebook))
            .collect();
        let answers = decoders
            .iter()
            .zip(&layout.questions)
            .map(|(decoder, columns)| {
                let columns = columns.as_ref()?;
                Some(decoder.empty(columns.len()))
            })
            .collect();
        TableBuilder {
            municipality_index: HashMap::new(),
            municipalities: Vec::new(),
            municipality: Vec::new(),
            gender: Vec::new(),
            grade: Vec::new(),
            decoders,
            answers,
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
        let cell = |column: usize| Cell {
            value: record.get(column).unwrap_or("").trim(),
            line,
            column,
        };
        self.gender
            .push(cell(layout.gender).slot(&self.gender_scale, layout, problems));
        self.grade
            .push(cell(layout.grade).slot(&self.grade_scale, layout, problems));

        for ((decoder, answers), columns) in self
            .decoders
            .iter()
            .zip(&mut self.answers)
            .zip(&layout.questions)
        {
            let (Some(answers), Some(columns)) = (answers, columns) else {
                continue;
            };
            match (decoder, answers) {
                (Decoder::Single(scale), Answers::Coded(slots)) => {
                    slots.push(cell(columns[0]).slot(scale, layout, problems));
                }
                (Decoder::Multiple, Answers::Ticks(ticks)) => {
                    for (column, ticks) in columns.iter().zip(ticks) {
                        ticks.push(cell(*column).slot(&TICKS, layout, problems));
                    }
                }
                (
                    Decoder::Numeric {
                        scale,
                        bins,
                        range,
                        missing,
                    },
                    Answers::Valued { slots, values },
                ) => {
                    let cell = cell(columns[0]);
                    let (slot, value) =
                        numeric(&cell, scale, bins, *range, missing, layout, problems);
                    slots.push(slot);
                    values.push(value);
                }
                (
                    Decoder::Index {
                        bins,
                        items,
                        multiplier,
                    },
                    Answers::Valued { slots, values },
                ) => {
                    let mut sum = 0.0;
                    let mut complete = true;
                    for column in columns {
                        let slot = cell(*column).slot(items, layout, problems);
                        if (slot as usize) < items.options() {
                            sum += f64::from(items.code(slot as usize).0);
                        } else {
                            complete = false;
                        }
                    }
                    if complete {
                        let value = sum * multiplier;
                        slots.push(bin_of(bins, value));
                        values.push(value as f32);
                    } else {
                        slots.push(BLANK);
                        values.push(f32::NAN);
                    }
                }
                _ => unreachable!("answers are created by their decoder"),
            }
        }

        let name = cell(layout.municipality).value;
        if name.is_empty() {
            problems.push(cell(layout.municipality).problem(layout, CellReason::NoMunicipality));
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
            gender_scale: self.gender_scale,
            grade_scale: self.grade_scale,
        })
    }
}

/// The codes of a multiple-choice column: 0 = not ticked, 1 = ticked.
static TICKS: std::sync::LazyLock<Scale> =
    std::sync::LazyLock::new(|| Scale::new(vec![Code(0), Code(1)], []));

/// Decodes a numeric cell: a missing code, or a number (decimal point or comma) in range.
fn numeric(
    cell: &Cell,
    scale: &Scale,
    bins: &[Bin],
    range: ValueRange,
    missing: &Scale,
    layout: &Layout,
    problems: &mut Problems,
) -> (u8, f32) {
    if cell.value.is_empty() {
        return (BLANK, f32::NAN);
    }
    let Ok(value) = cell.value.replace(',', ".").parse::<f64>() else {
        problems.push(cell.problem(layout, CellReason::NotANumber));
        return (BLANK, f32::NAN);
    };
    let as_code = (value.fract() == 0.0 && (0.0..=f64::from(u16::MAX)).contains(&value))
        .then_some(Code(value as u16));
    if let Some(code) = as_code.filter(|code| missing.slot(*code).is_some()) {
        let slot = scale.slot(code).unwrap_or(BLANK);
        return (slot, f32::NAN);
    }
    if !(range.min..=range.max).contains(&value) {
        problems.push(cell.problem(layout, CellReason::OutOfRange { range }));
        return (BLANK, f32::NAN);
    }
    (bin_of(bins, value), value as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODEBOOK: &str = r#"
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
"#;

    fn codebook(extra: &str) -> Codebook {
        Codebook::parse(&format!("{CODEBOOK}{extra}"), Path::new("c.yaml")).unwrap()
    }

    fn read(csv: &str) -> Result<Responses, ResponsesError> {
        Responses::from_reader(csv.as_bytes(), Path::new("s.csv"), &codebook(""))
    }

    fn coded(data: &Responses, question: usize) -> &[u8] {
        match data.answers(question) {
            Some(Answers::Coded(slots)) => slots,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_columns_in_any_order_and_sorts_municipalities() {
        let data =
            read("q1,koen,kommune,klassetrin\n2,1,Aarhus,7\n98,,Aabenraa,7\n,2,Aarhus,\n").unwrap();
        assert_eq!(data.len(), 3);
        assert_eq!(data.municipalities(), ["Aabenraa", "Aarhus"]);
        assert_eq!(data.municipality_column(), [1, 0, 1]);
        assert_eq!(coded(&data, 0), [1, 2, BLANK]);
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
    fn missing_background_columns_are_listed_and_missing_questions_are_absent() {
        let error = read("kommune,q1\nAarhus,1\n").unwrap_err().to_string();
        assert_eq!(error, "s.csv: the file has no column `koen`, `klassetrin`");
        let data = read("kommune,koen,klassetrin\nAarhus,1,7\n").unwrap();
        assert!(data.answers(0).is_none());
    }

    #[test]
    fn multiple_numeric_and_index_questions_are_decoded() {
        let codebook = codebook(
            r#"
      - {id: m, kind: multiple, text: "?", options: {1: "A", 2: "B"}}
      - id: n
        kind: numeric
        text: "?"
        range: {min: 0, max: 24}
        bins: [{below: 7, label: "<7"}, {label: "7+"}]
      - id: w
        kind: index
        text: "?"
        items: [{id: w1, text: "?"}, {id: w2, text: "?"}]
        options: {0: "Aldrig", 1: "Nogle gange", 2: "Altid"}
        multiplier: 25
        bins: [{below: 50, label: "Lav"}, {label: "Høj"}]
"#,
        );
        let csv = "kommune,koen,klassetrin,q1,m_1,m_2,n,w1,w2\n\
                   A,1,7,1,1,0,\"7,5\",2,2\n\
                   A,1,7,1,,,98,1,98\n\
                   A,1,7,1,0,1,3,0,1\n";
        let data = Responses::from_reader(csv.as_bytes(), Path::new("s.csv"), &codebook).unwrap();
        let Some(Answers::Ticks(ticks)) = data.answers(1) else {
            panic!()
        };
        assert_eq!(ticks, &[vec![1, BLANK, 0], vec![0, BLANK, 1]]);
        let Some(Answers::Valued { slots, values }) = data.answers(2) else {
            panic!()
        };
        assert_eq!(slots, &[1, 2, 0]);
        assert_eq!(values[0], 7.5);
        assert_eq!(values[2], 3.0);
        let Some(Answers::Valued { slots, values }) = data.answers(3) else {
            panic!()
        };
        assert_eq!(slots, &[1, BLANK, 0]);
        assert_eq!(values[0], 100.0);
        assert_eq!(values[2], 25.0);

        let bad = "kommune,koen,klassetrin,q1,m_1,m_2,n,w1,w2\nA,1,7,1,2,0,25,3,x\n";
        let error = Responses::from_reader(bad.as_bytes(), Path::new("s.csv"), &codebook)
            .unwrap_err()
            .to_string();
        assert!(error.contains("s.csv: 4 bad cell(s)"), "{error}");
        assert!(error.contains("column `m_1`: code 2 is not in the codebook (allowed: 0, 1)"));
        assert!(
            error.contains("column `n`: 25 is outside the valid range 0–24"),
            "{error}"
        );
        assert!(
            error.contains("column `w1`: code 3 is not in the codebook (allowed: 0, 1, 2, 98)")
        );
    }
}
