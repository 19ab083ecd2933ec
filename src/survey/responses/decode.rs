//! Turning cells into stored answers: codes into scale slots, numbers into bins, item codes
//! into index scores, each problem recorded with its row and the cell quoted.

use csv::ByteRecord;

use super::super::codebook::{Bin, Code, Codebook, Question, QuestionKind, ValueRange};
use super::super::quality::{Example, Quality, Severity};
use super::super::scale::{BLANK, Scale};
use super::super::source::{Position, code_of, parse_code, parse_number, text};
use super::Answers;

/// The longest stretch of a cell a message quotes.
const QUOTE_CHARS: usize = 60;

/// Where each needed column sits in the current file's header.
pub(super) struct Layout {
    pub(super) path: std::path::PathBuf,
    pub(super) names: Vec<String>,
    pub(super) municipality: usize,
    pub(super) school: Option<usize>,
    /// Per codebook breakdown, its column.
    pub(super) breakdowns: Vec<usize>,
    pub(super) respondent: Option<usize>,
    /// Per question, the positions of its columns, or `None` if the file lacks any.
    pub(super) questions: Vec<Option<Vec<usize>>>,
}

/// Where a row's cells come from, for messages.
#[derive(Clone, Copy)]
pub(super) struct At<'r> {
    pub(super) layout: &'r Layout,
    pub(super) record: &'r ByteRecord,
    pub(super) position: Position,
}

impl At<'_> {
    /// The trimmed cell of `column` (empty if the row is short).
    pub(super) fn cell(&self, column: usize) -> &[u8] {
        self.record.get(column).unwrap_or(b"").trim_ascii()
    }

    /// Records a problem with the cell of `column`, quoting it (shortened if long).
    pub(super) fn problem(&self, quality: &mut Quality, column: usize, what: String) {
        let cell = text(self.cell(column));
        let quoted = if cell.chars().count() > QUOTE_CHARS {
            let head: String = cell.chars().take(QUOTE_CHARS).collect();
            format!("{head}… ({} characters)", cell.chars().count())
        } else {
            cell.into_owned()
        };
        quality.push(
            Severity::Error,
            &self.layout.path,
            Some(&self.layout.names[column]),
            what,
            Some((self.position, Example::Value(quoted))),
        );
    }
}

/// Decodes a coded cell into its slot of `scale`; a blank cell, a code not in the scale or a
/// cell that is no code is blank (the latter two recorded in `quality`).
pub(super) fn decode_slot(quality: &mut Quality, at: At, column: usize, scale: &Scale) -> u8 {
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

/// How to decode one question's cells.
pub(super) enum Decoder<'a> {
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
    pub(super) fn new(question: &'a Question, codebook: &Codebook) -> Decoder<'a> {
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
    pub(super) fn blank(&self, rows: usize, columns: usize) -> Answers {
        match self {
            Decoder::Single(_) => Answers::Coded(vec![BLANK; rows]),
            Decoder::Multiple => Answers::Ticks(vec![vec![BLANK; rows]; columns]),
            Decoder::Numeric(_) | Decoder::Index { .. } => Answers::Valued {
                slots: vec![BLANK; rows],
                values: vec![f32::NAN; rows],
            },
        }
    }

    /// Decodes one question's cells of a row into `answers` (a single-choice slot goes to
    /// `staged` instead); true if anything was answered.
    pub(super) fn decode(
        &self,
        quality: &mut Quality,
        at: At,
        columns: &[usize],
        answers: &mut Option<Answers>,
        staged: &mut Vec<u8>,
    ) -> bool {
        match self {
            Decoder::Single(scale) => {
                let slot = decode_slot(quality, at, columns[0], scale);
                staged.push(slot);
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
                    if usize::from(slot) < items.options() {
                        sum += f64::from(items.code(usize::from(slot)).0);
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

/// The bin a value falls in.
fn bin_of(bins: &[Bin], value: f64) -> u8 {
    let bin = bins
        .iter()
        .position(|bin| bin.below.is_none_or(|below| value < below))
        .unwrap_or(bins.len() - 1);
    // Codebook checks keep the number of bins below BLANK.
    bin as u8
}

/// The codes of a multiple-choice column: 0 = not ticked, 1 = ticked.
static TICKS: std::sync::LazyLock<Scale> =
    std::sync::LazyLock::new(|| Scale::new(vec![Code(0), Code(1)], []));

/// How to decode a numeric question's cells.
pub(super) struct NumericDecoder<'a> {
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
