//! Dense numbering of the codes a column may hold, so answers are stored as one byte each and
//! counted in small arrays.

use std::collections::BTreeMap;

use super::codebook::{Breakdown, Code, Question, QuestionKind};
use crate::Text;

/// The slot of an empty cell (no answer, or unknown background).
pub const BLANK: u8 = u8::MAX;

/// The most codes one column may have: every slot but [`BLANK`].
pub(super) const MAX_CODES: usize = BLANK as usize;

/// The categories of a question numbered 0.. in a fixed order: the answer options in code
/// order (or the bins of a numeric question, coded 1, 2, …), then the `missing` codes in code
/// order.
#[derive(Debug, Clone)]
pub struct Scale {
    codes: Vec<Code>,
    options: usize,
    /// `lookup[code]` is the slot of `code`, or [`BLANK`] for codes outside the scale.
    lookup: Vec<u8>,
}

impl Scale {
    /// The scale of a question: its options or bins, then the missing codes where the kind
    /// has them (single-choice and numeric questions).
    pub fn of_question(question: &Question, missing: &BTreeMap<Code, Text>) -> Scale {
        let missing: Vec<Code> = if question.kind.has_missing_codes() {
            missing.keys().copied().collect()
        } else {
            Vec::new()
        };
        let categories = match &question.kind {
            QuestionKind::Single { options, .. } | QuestionKind::Multiple { options, .. } => {
                options.keys().copied().collect()
            }
            QuestionKind::Numeric { bins, .. } | QuestionKind::Index { bins, .. } => {
                bin_codes(bins.len())
            }
        };
        Scale::new(categories, missing)
    }

    /// The scale of a background breakdown (grade, gender): its values, no missing codes.
    pub fn of_breakdown(breakdown: &Breakdown) -> Scale {
        Scale::new(breakdown.values.keys().copied().collect(), [])
    }

    /// A scale of `codes` (the categories) followed by `missing` codes.
    pub fn new(mut codes: Vec<Code>, missing: impl IntoIterator<Item = Code>) -> Scale {
        let options = codes.len();
        codes.extend(missing);
        codes.truncate(MAX_CODES);
        let max = codes.iter().map(|code| code.0 as usize).max().unwrap_or(0);
        let mut lookup = vec![BLANK; max + 1];
        for (slot, code) in codes.iter().enumerate() {
            // `codes.len() <= MAX_CODES`, so every slot fits in a byte below BLANK.
            lookup[code.0 as usize] = slot as u8;
        }
        Scale {
            codes,
            options,
            lookup,
        }
    }

    /// The slot of `code`, or `None` when the scale does not have it.
    pub fn slot(&self, code: Code) -> Option<u8> {
        match self.lookup.get(code.0 as usize) {
            Some(&slot) if slot != BLANK => Some(slot),
            _ => None,
        }
    }

    /// The code in `slot`.
    pub fn code(&self, slot: usize) -> Code {
        self.codes[slot]
    }

    /// Number of slots (options and missing codes).
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// True when the scale has no codes at all.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Number of categories; slots `0..options()` are options (or bins), the rest missing codes.
    pub fn options(&self) -> usize {
        self.options
    }

    /// Every code, options first; for messages that list what a column may hold.
    pub fn codes(&self) -> &[Code] {
        &self.codes
    }
}

/// Bins are coded 1, 2, … in the order the codebook lists them.
fn bin_codes(bins: usize) -> Vec<Code> {
    (1..=bins).map(|b| Code(b as u16)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question() -> Question {
        Question {
            id: super::super::codebook::QuestionId("q".into()),
            text: Text::default(),
            indicator: None,
            better: None,
            key: false,
            kind: QuestionKind::Single {
                options: [(Code(3), "c".into()), (Code(1), "a".into())].into(),
                positive: vec![],
            },
        }
    }

    #[test]
    fn options_come_first_in_code_order_then_missing() {
        let missing = [(Code(99), "x".into()), (Code(98), "y".into())].into();
        let scale = Scale::of_question(&question(), &missing);
        assert_eq!(scale.codes(), &[Code(1), Code(3), Code(98), Code(99)]);
        assert_eq!(scale.options(), 2);
        assert_eq!(scale.slot(Code(3)), Some(1));
        assert_eq!(scale.slot(Code(99)), Some(3));
        assert_eq!(scale.slot(Code(2)), None);
        assert_eq!(scale.slot(Code(1000)), None);
    }
}
