//! Respondent-level survey results, read into compact columns (one byte per answer) in one
//! pass, with every data problem recorded in a [`Quality`] report.
//!
//! Rows never leave this module's types except through [`crate::aggregate`], which turns
//! them into counts.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use csv::ByteRecord;

use super::codebook::{Bin, Code, Codebook, Question, QuestionKind, ValueRange};
use super::quality::{Example, Quality, Severity, SourceInfo};
use super::scale::{BLANK, Scale};
use super::source::{self, Position, Sink, SourceError, text};

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

impl Answers {
    /// Adds a numeric or index answer: its bin's slot and its value.
    fn push_valued(&mut self, slot: u8, value: f32) {
        if let Answers::Valued { slots, values } = self {
            slots.push(slot);
            values.push(value);
        }
    }

    fn push_blank(&mut self) {
        match self {
            Answers::Coded(slots) => slots.push(BLANK),
            Answers::Ticks(ticks) => ticks.iter_mut().for_each(|t| t.push(BLANK)),
            Answers::Valued { slots, values } => {
                slots.push(BLANK);
                values.push(f32::NAN);
            }
        }
    }

    /// True when respondent `row` gave no answer at all.
    pub fn is_blank(&self, row: usize) -> bool {
        match self {
            Answers::Coded(slots) | Answers::Valued { slots, .. } => slots[row] == BLANK,
            Answers::Ticks(ticks) => ticks.iter().all(|t| t[row] == BLANK),
        }
    }
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
    /// One entry per codebook question ([`Codebook::questions`] order); `None` where no file
    /// has the question's columns.
    answers: Vec<Option<Answers>>,
    gender_scale: Scale,
    grade_scale: Scale,
}

/// Why survey files could not be read at all (problems in cells are in [`Quality`]).
#[derive(Debug, thiserror::Error)]
pub enum ResponsesError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("{path}: the file has no column {}", quoted(columns))]
    MissingColumns { path: PathBuf, columns: Vec<String> },
    #[error("{path}: column `{column}` appears twice in the header")]
    DuplicateColumn { path: PathBuf, column: String },
    #[error("more than {} municipalities", u16::MAX)]
    TooManyMunicipalities,
}

fn quoted(columns: &[impl AsRef<str>]) -> String {
    columns
        .iter()
        .map(|c| format!("`{}`", c.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Responses {
    /// Reads one or more survey files (CSV or spreadsheets; `sheet` picks a spreadsheet's
    /// sheet, else the first) against a codebook. Rows of all files are concatenated.
    pub fn read(
        paths: &[PathBuf],
        codebook: &Codebook,
        sheet: Option<&str>,
    ) -> Result<(Responses, Quality), ResponsesError> {
        let mut builder = TableBuilder::new(codebook);
        for path in paths {
            let before = builder.rows;
            let dialect = source::read(path, sheet, &mut builder)?;
            builder.quality.sources.push(SourceInfo {
                path: path.clone(),
                dialect,
                rows: builder.rows - before,
            });
        }
        builder.finish()
    }

    /// Number of respondents.
    pub fn len(&self) -> usize {
        self.municipality.len()
    }

    /// True when there are no respondents.
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

    /// The answers to question number `question` (codebook order), or `None` when the data
    /// do not have the question.
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

/// Where each needed column sits in the current file's header.
struct Layout {
    path: PathBuf,
    names: Vec<String>,
    municipality: usize,
    gender: usize,
    grade: usize,
    respondent: Option<usize>,
    /// Per question, the positions of its columns, or `None` if the file lacks any.
    questions: Vec<Option<Vec<usize>>>,
}

/// How to decode one question's cells.
enum Decoder<'a> {
    Single(Scale),
    Multiple,
    Numeric(NumericDecoder<'a>),
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
            QuestionKind::Numeric { bins, range, .. } => Decoder::Numeric(NumericDecoder {
                scale: Scale::of_question(question, missing),
                bins,
                range: *range,
                missing: Scale::new(missing.keys().copied().collect(), []),
            }),
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

    /// Empty answers holding `rows` blanks, for `columns` columns.
    fn blank(&self, rows: usize, columns: usize) -> Answers {
        match self {
            Decoder::Single(_) => Answers::Coded(vec![BLANK; rows]),
            Decoder::Multiple => Answers::Ticks(vec![vec![BLANK; rows]; columns]),
            Decoder::Numeric(_) | Decoder::Index { .. } => Answers::Valued {
                slots: vec![BLANK; rows],
                values: vec![f32::NAN; rows],
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

/// How many rows are staged before single-choice answers are copied into their columns.
const STAGED_ROWS: usize = 4096;

/// The codes of a multiple-choice column: 0 = not ticked, 1 = ticked.
static TICKS: std::sync::LazyLock<Scale> =
    std::sync::LazyLock::new(|| Scale::new(vec![Code(0), Code(1)], []));

/// A cell's text as an answer code: a whole number, also when written `1.0` or `1,0`.
fn parse_code(cell: &[u8]) -> Option<u16> {
    if !cell.is_empty() && cell.len() <= 5 && cell.iter().all(u8::is_ascii_digit) {
        return cell
            .iter()
            .try_fold(0u32, |n, d| Some(n * 10 + u32::from(d - b'0')))
            .and_then(|n| u16::try_from(n).ok());
    }
    parse_number(cell).and_then(code_of)
}

/// A number as an answer code, if it is a whole number in the codes' range.
fn code_of(number: f64) -> Option<u16> {
    (number.fract() == 0.0 && (0.0..=f64::from(u16::MAX)).contains(&number))
        .then_some(number as u16)
}

/// A cell's text as a number, with a decimal point or comma.
fn parse_number(cell: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(cell).ok()?;
    let number = if text.contains(',') {
        text.replace(',', ".").parse::<f64>()
    } else {
        text.parse::<f64>()
    };
    number.ok().filter(|x| x.is_finite())
}

/// Accumulates columns while rows stream in, recording problems as it goes.
struct TableBuilder<'a> {
    codebook: &'a Codebook,
    decoders: Vec<Decoder<'a>>,
    /// The columns each question reads, by name.
    columns: Vec<Vec<String>>,
    layout: Option<Layout>,
    rows: usize,
    municipality_index: HashMap<String, u16>,
    /// The columns so far; municipalities in the order first seen until `finish` sorts them.
    table: Responses,
    /// Single-choice answers of the latest rows, row by row, until they are copied into their
    /// columns: writing a byte into each of 70 columns per row misses the cache every time,
    /// copying a block of rows column by column does not.
    staged: Vec<u8>,
    /// The questions whose answers are staged, in staging (codebook) order.
    staged_questions: Vec<usize>,
    /// The 64-bit hash and position of every respondent id, sorted at the end to find
    /// duplicates (16 bytes an id; faster than a hash set for millions of rows).
    respondent_ids: Vec<(u64, usize, Position)>,
    /// The file and respondent-id column of each header read, for messages.
    id_columns: Vec<(PathBuf, String)>,
    too_many_municipalities: bool,
    quality: Quality,
}

impl<'a> TableBuilder<'a> {
    fn new(codebook: &'a Codebook) -> TableBuilder<'a> {
        let decoders: Vec<Decoder> = codebook
            .questions()
            .map(|q| Decoder::new(q, codebook))
            .collect();
        TableBuilder {
            codebook,
            columns: codebook.questions().map(Question::columns).collect(),
            table: Responses {
                municipalities: Vec::new(),
                municipality: Vec::new(),
                gender: Vec::new(),
                grade: Vec::new(),
                answers: (0..decoders.len()).map(|_| None).collect(),
                gender_scale: Scale::of_breakdown(&codebook.background.gender),
                grade_scale: Scale::of_breakdown(&codebook.background.grade),
            },
            decoders,
            layout: None,
            rows: 0,
            municipality_index: HashMap::new(),
            staged: Vec::new(),
            staged_questions: Vec::new(),
            respondent_ids: Vec::new(),
            id_columns: Vec::new(),
            too_many_municipalities: false,
            quality: Quality::default(),
        }
    }

    /// Sorts the municipality dictionary so results do not depend on row order, and warns
    /// about questions no file has.
    fn finish(mut self) -> Result<(Responses, Quality), ResponsesError> {
        self.flush_staged();
        self.respondent_ids.sort_unstable();
        for pair in self.respondent_ids.windows(2) {
            let ((hash, first_file, first), (next_hash, file, position)) = (pair[0], pair[1]);
            if hash == next_hash {
                let (path, column) = &self.id_columns[file];
                let earlier = if first_file == file {
                    first.to_string()
                } else {
                    format!("{first} of {}", self.id_columns[first_file].0.display())
                };
                self.quality.push(
                    Severity::Error,
                    path,
                    Some(column),
                    "respondent ids that occur more than once",
                    Some((position, Example::Note(format!("same id as {earlier}")))),
                );
            }
        }
        if self.too_many_municipalities {
            return Err(ResponsesError::TooManyMunicipalities);
        }
        let mut order: Vec<usize> = (0..self.table.municipalities.len()).collect();
        order.sort_by(|&a, &b| self.table.municipalities[a].cmp(&self.table.municipalities[b]));
        let mut new_index = vec![0u16; order.len()];
        for (new, &old) in order.iter().enumerate() {
            // At most u16::MAX + 1 names were accepted.
            new_index[old] = new as u16;
        }
        let table = &mut self.table;
        table.municipalities = order
            .iter()
            .map(|&old| std::mem::take(&mut table.municipalities[old]))
            .collect();
        for index in &mut table.municipality {
            *index = new_index[*index as usize];
        }
        Ok((self.table, self.quality))
    }
}

/// Where a row's cells come from, for messages.
#[derive(Clone, Copy)]
struct At<'r> {
    layout: &'r Layout,
    record: &'r ByteRecord,
    position: Position,
}

impl At<'_> {
    /// The trimmed cell of `column` (empty if the row is short).
    fn cell(&self, column: usize) -> &[u8] {
        trim(self.record.get(column).unwrap_or(b""))
    }

    /// Records a problem with the cell of `column`, quoting it.
    fn problem(&self, quality: &mut Quality, column: usize, what: String) {
        quality.push(
            Severity::Error,
            &self.layout.path,
            Some(&self.layout.names[column]),
            what,
            Some((
                self.position,
                Example::Value(text(self.cell(column)).into_owned()),
            )),
        );
    }
}

/// Decodes a coded cell into its slot of `scale`; a blank cell, a code not in the scale or a
/// cell that is no code is blank (the latter two recorded in `quality`).
fn decode_slot(quality: &mut Quality, at: At, column: usize, scale: &Scale) -> u8 {
    let cell = at.cell(column);
    if cell.is_empty() {
        return BLANK;
    }
    let code = parse_code(cell);
    if let Some(slot) = code.and_then(|code| scale.slot(Code(code))) {
        return slot;
    }
    let what = match code {
        Some(_) => format!(
            "codes not in the codebook (allowed: {})",
            list(scale.codes())
        ),
        None => "values that are not whole-number answer codes".to_owned(),
    };
    at.problem(quality, column, what);
    BLANK
}

fn list(codes: &[Code]) -> String {
    codes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn trim(cell: &[u8]) -> &[u8] {
    cell.trim_ascii()
}

impl Sink for TableBuilder<'_> {
    fn header(&mut self, path: &Path, header: &ByteRecord) -> Result<(), ResponsesError> {
        // Rows of an earlier file go into their columns before this file adds columns.
        self.flush_staged();
        let names: Vec<String> = header.iter().map(|c| text(trim(c)).into_owned()).collect();
        let mut index = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            if index.insert(name.as_str(), i).is_some() {
                return Err(ResponsesError::DuplicateColumn {
                    path: path.to_owned(),
                    column: name.clone(),
                });
            }
        }
        let background = &self.codebook.background;
        let required = [
            &background.municipality,
            &background.gender.column,
            &background.grade.column,
        ];
        let missing: Vec<String> = required
            .iter()
            .filter(|name| !index.contains_key(name.as_str()))
            .map(|name| (*name).clone())
            .collect();
        if !missing.is_empty() {
            return Err(ResponsesError::MissingColumns {
                path: path.to_owned(),
                columns: missing,
            });
        }

        let questions: Vec<Option<Vec<usize>>> = self
            .columns
            .iter()
            .map(|columns| {
                columns
                    .iter()
                    .map(|c| index.get(c.as_str()).copied())
                    .collect()
            })
            .collect();
        for (q, question) in self.codebook.questions().enumerate() {
            match (&questions[q], &mut self.table.answers[q]) {
                (Some(columns), answers @ None) => {
                    // First seen in this file: earlier files' rows did not answer it.
                    *answers = Some(self.decoders[q].blank(self.rows, columns.len()));
                    if self.rows > 0 {
                        self.quality.push(
                            Severity::Warning,
                            path,
                            None,
                            format!("question `{}` is only in some files; rows of the others count as not answered", question.id),
                            None,
                        );
                    }
                }
                (None, _) => {
                    let missing: Vec<&str> = self.columns[q]
                        .iter()
                        .filter(|c| !index.contains_key(c.as_str()))
                        .map(String::as_str)
                        .collect();
                    self.quality.push(
                        Severity::Warning,
                        path,
                        None,
                        format!(
                            "question `{}` is not in the file (no column {}); it is left out",
                            question.id,
                            quoted(&missing)
                        ),
                        None,
                    );
                }
                _ => {}
            }
        }
        let known: HashSet<&str> = self
            .columns
            .iter()
            .flatten()
            .map(String::as_str)
            .chain(required.iter().map(|c| c.as_str()))
            .chain(background.respondent.as_deref())
            .chain(background.school.as_deref())
            .collect();
        for name in names
            .iter()
            .filter(|n| !n.is_empty() && !known.contains(n.as_str()))
        {
            self.quality.push(
                Severity::Warning,
                path,
                Some(name),
                "column not in the codebook (ignored)",
                None,
            );
        }

        let id_column = background.respondent.clone().unwrap_or_default();
        self.id_columns.push((path.to_owned(), id_column));
        self.staged_questions = (0..self.table.answers.len())
            .filter(|&q| matches!(self.table.answers[q], Some(Answers::Coded(_))))
            .collect();
        self.layout = Some(Layout {
            path: path.to_owned(),
            municipality: index[background.municipality.as_str()],
            gender: index[background.gender.column.as_str()],
            grade: index[background.grade.column.as_str()],
            respondent: background
                .respondent
                .as_deref()
                .and_then(|c| index.get(c).copied()),
            questions,
            names,
        });
        Ok(())
    }

    fn row(&mut self, position: Position, record: &ByteRecord) {
        // The layout is taken out while the row is decoded, so decoding can update `self`.
        let layout = self.layout.take().expect("rows come after the header");
        self.decode_row(&layout, position, record);
        self.layout = Some(layout);
    }
}

impl TableBuilder<'_> {
    fn decode_row(&mut self, layout: &Layout, position: Position, record: &ByteRecord) {
        let path = &layout.path;
        let municipality_cell = trim(record.get(layout.municipality).unwrap_or(b""));
        // Only a row without a municipality can be an empty row; most rows skip the check.
        if municipality_cell.is_empty() && record.iter().all(|cell| trim(cell).is_empty()) {
            self.quality.push(
                Severity::Warning,
                path,
                None,
                "empty rows (ignored)",
                Some((position, Example::At)),
            );
            return;
        }
        let width = layout.names.len();
        let too_few = record.len() < width;
        if too_few || record.iter().skip(width).any(|cell| !trim(cell).is_empty()) {
            let side = if too_few { "fewer" } else { "more" };
            self.quality.push(
                Severity::Error,
                path,
                None,
                format!("rows with {side} fields than the header's {width}"),
                Some((position, Example::Note(format!("{} fields", record.len())))),
            );
            return;
        }

        let name = text(municipality_cell);
        if name.is_empty() {
            self.quality.push(
                Severity::Error,
                path,
                Some(&layout.names[layout.municipality]),
                "rows without a municipality",
                Some((position, Example::At)),
            );
        }
        if let Some(column) = layout.respondent {
            let id = trim(record.get(column).unwrap_or(b""));
            if !id.is_empty() {
                let mut hasher = DefaultHasher::new();
                id.hash(&mut hasher);
                let file = self.id_columns.len() - 1;
                self.respondent_ids.push((hasher.finish(), file, position));
            }
        }

        let at = At {
            layout,
            record,
            position,
        };
        let gender = decode_slot(
            &mut self.quality,
            at,
            layout.gender,
            &self.table.gender_scale,
        );
        self.table.gender.push(gender);
        let grade = decode_slot(&mut self.quality, at, layout.grade, &self.table.grade_scale);
        self.table.grade.push(grade);

        let mut answered = false;
        for q in 0..self.table.answers.len() {
            let Some(columns) = &layout.questions[q] else {
                match &mut self.table.answers[q] {
                    Some(Answers::Coded(_)) => self.staged.push(BLANK),
                    Some(answers) => answers.push_blank(),
                    None => {}
                }
                continue;
            };
            answered |= self.decode_question(at, q, columns);
        }
        if !answered {
            self.quality.push(
                Severity::Warning,
                path,
                None,
                "respondents without any answer (they count as respondents)",
                Some((position, Example::At)),
            );
        }

        let index = match self.municipality_index.get(name.as_ref()) {
            Some(&index) => index,
            None => {
                let index = u16::try_from(self.table.municipalities.len()).unwrap_or_else(|_| {
                    self.too_many_municipalities = true;
                    0
                });
                self.municipality_index.insert(name.to_string(), index);
                self.table.municipalities.push(name.into_owned());
                index
            }
        };
        self.table.municipality.push(index);
        self.rows += 1;
        if self.staged.len() >= STAGED_ROWS * self.staged_questions.len() {
            self.flush_staged();
        }
    }

    /// Copies the staged single-choice answers into their columns.
    fn flush_staged(&mut self) {
        let width = self.staged_questions.len();
        if let Some(rows) = self.staged.len().checked_div(width) {
            for (offset, &q) in self.staged_questions.iter().enumerate() {
                if let Some(Answers::Coded(slots)) = &mut self.table.answers[q] {
                    slots.extend(self.staged[offset..].iter().step_by(width).take(rows));
                }
            }
        }
        self.staged.clear();
    }

    /// Decodes one question's cells of a row into its column; true if anything was answered.
    fn decode_question(&mut self, at: At, q: usize, columns: &[usize]) -> bool {
        let quality = &mut self.quality;
        let answers = &mut self.table.answers[q];
        match &self.decoders[q] {
            Decoder::Single(scale) => {
                let slot = decode_slot(quality, at, columns[0], scale);
                self.staged.push(slot);
                slot != BLANK
            }
            Decoder::Multiple => {
                let mut answered = false;
                for (option, &column) in columns.iter().enumerate() {
                    let tick = decode_slot(quality, at, column, &TICKS);
                    answered |= tick != BLANK;
                    if let Some(Answers::Ticks(ticks)) = answers {
                        ticks[option].push(tick);
                    }
                }
                answered
            }
            Decoder::Numeric(numeric) => {
                let (slot, value) = numeric.decode(quality, at, columns[0]);
                if let Some(answers) = answers {
                    answers.push_valued(slot, value);
                }
                slot != BLANK
            }
            Decoder::Index {
                bins,
                items,
                multiplier,
            } => {
                let mut sum = 0.0;
                let mut complete = true;
                let mut any = false;
                for &column in columns {
                    let slot = decode_slot(quality, at, column, items);
                    any |= slot != BLANK;
                    if (slot as usize) < items.options() {
                        sum += f64::from(items.code(slot as usize).0);
                    } else {
                        complete = false;
                    }
                }
                let (slot, value) = if complete {
                    let value = sum * multiplier;
                    (bin_of(bins, value), value as f32)
                } else {
                    (BLANK, f32::NAN)
                };
                if let Some(answers) = answers {
                    answers.push_valued(slot, value);
                }
                any
            }
        }
    }
}

/// How to decode a numeric question's cells.
struct NumericDecoder<'a> {
    /// Bins, then missing codes.
    scale: Scale,
    bins: &'a [Bin],
    range: ValueRange,
    missing: Scale,
}

impl NumericDecoder<'_> {
    /// Decodes a numeric cell: a missing code, or a number (decimal point or comma) in range.
    fn decode(&self, quality: &mut Quality, at: At, column: usize) -> (u8, f32) {
        let cell = at.cell(column);
        if cell.is_empty() {
            return (BLANK, f32::NAN);
        }
        let mut problem = |what: String| {
            at.problem(quality, column, what);
            (BLANK, f32::NAN)
        };
        let Some(value) = parse_number(cell) else {
            return problem("values that are not numbers".to_owned());
        };
        if let Some(code) = code_of(value).filter(|&c| self.missing.slot(Code(c)).is_some()) {
            return (self.scale.slot(Code(code)).unwrap_or(BLANK), f32::NAN);
        }
        if !(self.range.min..=self.range.max).contains(&value) {
            return problem(format!(
                "values outside the valid range {}–{} that are not missing codes",
                self.range.min, self.range.max
            ));
        }
        (bin_of(self.bins, value), value as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODEBOOK: &str = r#"
survey: t
title: T
round: 2026
background:
  respondent: id
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

    fn read_with(
        codebook: &Codebook,
        files: &[(&str, &[u8])],
    ) -> Result<(Responses, Quality), ResponsesError> {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = files
            .iter()
            .map(|(name, bytes)| {
                let path = dir.path().join(name);
                std::fs::write(&path, bytes).unwrap();
                path
            })
            .collect();
        Responses::read(&paths, codebook, None)
    }

    fn read(csv: &str) -> (Responses, Quality) {
        read_with(&codebook(""), &[("s.csv", csv.as_bytes())]).unwrap()
    }

    fn coded(data: &Responses, question: usize) -> &[u8] {
        match data.answers(question) {
            Some(Answers::Coded(slots)) => slots,
            other => panic!("{other:?}"),
        }
    }

    fn issues(quality: &Quality) -> Vec<String> {
        quality
            .issues()
            .map(|i| {
                let text = i.to_string();
                // Drop the temporary directory from the path.
                text.replace(&format!("{}/", i.path.parent().unwrap().display()), "")
            })
            .collect()
    }

    #[test]
    fn reads_columns_in_any_order_and_sorts_municipalities() {
        let (data, quality) =
            read("q1,koen,kommune,klassetrin\n2,1,Aarhus,7\n98,,Aabenraa,7\n,2,Aarhus,\n");
        assert_eq!(data.len(), 3);
        assert_eq!(data.municipalities(), ["Aabenraa", "Aarhus"]);
        assert_eq!(data.municipality_column(), [1, 0, 1]);
        assert_eq!(coded(&data, 0), [1, 2, BLANK]);
        assert_eq!(data.gender_column(), [0, BLANK, 1]);
        assert_eq!(data.grade_column(), [0, 0, BLANK]);
        assert_eq!(
            issues(&quality),
            [
                "warning: s.csv: respondents without any answer (they count as respondents) (1×: line 4)"
            ]
        );
    }

    #[test]
    fn bad_cells_are_grouped_by_column_with_their_lines() {
        let (_, quality) =
            read("kommune,klassetrin,koen,q1\nAarhus,7,1,x\nAarhus,7,1,3\nAarhus,7,1,1.0\n");
        assert_eq!(
            issues(&quality),
            [
                "error: s.csv, column `q1`: codes not in the codebook (allowed: 1, 2, 98) (1×: `3` on line 3)",
                "error: s.csv, column `q1`: values that are not whole-number answer codes (1×: `x` on line 2)",
                "warning: s.csv: respondents without any answer (they count as respondents) (2×: line 2, line 3)",
            ]
        );
    }

    #[test]
    fn short_long_and_empty_rows() {
        let (data, quality) =
            read("kommune,klassetrin,koen,q1,\nA,7,1,1,\nA,7\nA,7,1,1,,5\n,,,,\nA,7,1,1,,,\n");
        assert_eq!(data.len(), 2);
        assert_eq!(
            issues(&quality),
            [
                "error: s.csv: rows with fewer fields than the header's 5 (1×: line 3 (2 fields))",
                "error: s.csv: rows with more fields than the header's 5 (1×: line 4 (6 fields))",
                "warning: s.csv: empty rows (ignored) (1×: line 5)",
            ]
        );
    }

    #[test]
    fn missing_background_columns_are_fatal_and_missing_questions_are_left_out() {
        let error = read_with(&codebook(""), &[("s.csv", b"kommune,q1\nAarhus,1\n")])
            .unwrap_err()
            .to_string();
        assert!(
            error.ends_with("s.csv: the file has no column `koen`, `klassetrin`"),
            "{error}"
        );
        let (data, quality) = read("kommune,koen,klassetrin,extra\nAarhus,1,7,x\n");
        assert!(data.answers(0).is_none());
        let issues = issues(&quality);
        assert!(issues.contains(&"warning: s.csv: question `q1` is not in the file (no column `q1`); it is left out".to_owned()), "{issues:?}");
        assert!(
            issues.contains(
                &"warning: s.csv, column `extra`: column not in the codebook (ignored)".to_owned()
            ),
            "{issues:?}"
        );
    }

    #[test]
    fn duplicate_respondent_ids_are_errors() {
        let (_, quality) = read("id,kommune,koen,klassetrin,q1\n1,A,1,7,1\n2,A,1,7,1\n1,A,1,7,2\n");
        assert_eq!(
            issues(&quality),
            [
                "error: s.csv, column `id`: respondent ids that occur more than once (1×: line 4 (same id as line 2))"
            ]
        );
    }

    #[test]
    fn several_files_are_concatenated_even_if_one_lacks_a_question() {
        let codebook = codebook("      - {id: q2, text: \"?\", options: {1: \"Ja\"}}\n");
        let (data, quality) = read_with(
            &codebook,
            &[
                ("a.csv", b"kommune,koen,klassetrin,q1\nA,1,7,1\n"),
                ("b.csv", b"q2;q1;kommune;koen;klassetrin\n1;2;B;2;7\n"),
            ],
        )
        .unwrap();
        assert_eq!(data.len(), 2);
        assert_eq!(coded(&data, 0), [0, 1]);
        assert_eq!(coded(&data, 1), [BLANK, 0]);
        assert_eq!(quality.sources.len(), 2);
        assert_eq!(quality.warnings(), 2, "{:?}", issues(&quality));
    }

    #[test]
    fn encodings_delimiters_and_line_ends_give_the_same_data() {
        let utf8 = "kommune;koen;klassetrin;q1\r\n\"Ærø\";1;7;1\r\nLæsø;2;7;98\r\n";
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(utf8);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(utf8.as_bytes());
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in utf8.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let tabbed = utf8.replace(';', "\t");
        for bytes in [utf8.as_bytes(), &cp1252, &bom, &utf16, tabbed.as_bytes()] {
            let (data, quality) = read_with(&codebook(""), &[("s.csv", bytes)]).unwrap();
            assert_eq!(data.municipalities(), ["Læsø", "Ærø"]);
            assert_eq!(coded(&data, 0), [0, 2]);
            assert_eq!(quality.errors(), 0);
        }
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
        let (data, _) = read_with(&codebook, &[("s.csv", csv.as_bytes())]).unwrap();
        let Some(Answers::Ticks(ticks)) = data.answers(1) else {
            panic!()
        };
        assert_eq!(ticks, &[vec![1, BLANK, 0], vec![0, BLANK, 1]]);
        let Some(Answers::Valued { slots, values }) = data.answers(2) else {
            panic!()
        };
        assert_eq!(slots, &[1, 2, 0]);
        assert_eq!((values[0], values[2]), (7.5, 3.0));
        let Some(Answers::Valued { slots, values }) = data.answers(3) else {
            panic!()
        };
        assert_eq!(slots, &[1, BLANK, 0]);
        assert_eq!((values[0], values[2]), (100.0, 25.0));

        let bad = "kommune,koen,klassetrin,q1,m_1,m_2,n,w1,w2\nA,1,7,1,2,0,25,3,x\n";
        let (_, quality) = read_with(&codebook, &[("s.csv", bad.as_bytes())]).unwrap();
        let issues = issues(&quality);
        assert_eq!(quality.errors(), 4, "{issues:?}");
        assert!(
            issues
                .iter()
                .any(|i| i.contains("column `m_1`: codes not in the codebook (allowed: 0, 1)"))
        );
        assert!(
            issues
                .iter()
                .any(|i| i.contains("column `n`: values outside the valid range 0–24"))
        );
        assert!(
            issues.iter().any(
                |i| i.contains("column `w1`: codes not in the codebook (allowed: 0, 1, 2, 98)")
            )
        );
    }
}
