//! Which codes mean "no answer": those an SPSS file declares user-missing, or in data that do
//! not say, codes like 98 and 99 that stand above every other code of several columns.

use std::collections::BTreeMap;

use super::{Label, value_labels};
use crate::survey::draft::columns::Column;
use crate::survey::source::{Missing, code_of, parse_code};

/// The most `missing:` codes a draft declares: a question's options and the missing codes
/// share the codebook's limit of 255 codes.
const MAX_MISSING: usize = 32;

/// Codes surveys use for "don't know" and "no answer", looked for in data that do not
/// declare their missing values (CSV, spreadsheets).
const SENTINELS: [u16; 9] = [97, 98, 99, 997, 998, 999, 9997, 9998, 9999];

/// The codes SPSS files declare user-missing in the question columns, labelled as most of
/// those columns label them.
pub(super) fn declared_missing(
    columns: &[&Column],
    notes: &mut Vec<String>,
) -> (Vec<(u16, Label)>, Option<String>) {
    // Per code: its labels with how often, and in how many columns it is declared.
    let mut labels: BTreeMap<u16, (BTreeMap<String, usize>, usize)> = BTreeMap::new();
    let mut declared_in = 0;
    for column in columns {
        let mut codes = missing_codes(column, notes);
        codes.sort_unstable();
        codes.dedup();
        if !codes.is_empty() {
            declared_in += 1;
        }
        let named = value_labels(column);
        for code in codes {
            let (entry, columns) = labels.entry(code).or_default();
            *columns += 1;
            if let Some((_, label)) = named.iter().find(|(c, _)| *c == code) {
                *entry.entry(label.clone()).or_insert(0) += 1;
            }
        }
    }
    if labels.is_empty() {
        return (Vec::new(), None);
    }
    if labels.len() > MAX_MISSING {
        // Every question's scale must hold its options and all missing codes: keep the codes
        // most columns declare.
        let mut by_use: Vec<(usize, u16)> = labels.iter().map(|(c, (_, n))| (*n, *c)).collect();
        by_use.sort_by_key(|&(n, code)| (std::cmp::Reverse(n), code));
        let dropped: Vec<String> = by_use[MAX_MISSING..]
            .iter()
            .map(|(_, code)| {
                labels.remove(code);
                code.to_string()
            })
            .collect();
        notes.push(format!(
            "more than {MAX_MISSING} codes are declared missing; left out of `missing:` (declared in the fewest columns): {}",
            dropped.join(", ")
        ));
    }
    let mut differ = Vec::new();
    let missing = labels
        .into_iter()
        .map(|(code, (counts, _))| {
            if counts.len() > 1 {
                differ.push(code.to_string());
            }
            // The most common label; ties go to the first in sort order.
            let label = counts
                .iter()
                .max_by_key(|(label, n)| (**n, std::cmp::Reverse(*label)))
                .map(|(label, _)| label.clone());
            (code, label)
        })
        .collect();
    let mut check = format!("declared user-missing in {declared_in} column(s) of the SPSS file");
    if !differ.is_empty() {
        check.push_str(&format!(
            "; code(s) {} are labelled differently in different columns (the most common label is used)",
            differ.join(", ")
        ));
    }
    (missing, Some(check))
}

/// The answer codes a column declares missing; declarations that are no codes are noted.
fn missing_codes(column: &Column, notes: &mut Vec<String>) -> Vec<u16> {
    let mut codes = Vec::new();
    for missing in &column.described.missing {
        match missing {
            Missing::Value(value) => match parse_code(value.as_bytes()) {
                Some(code) => codes.push(code),
                None => notes.push(format!(
                    "column `{}` declares `{value}` missing, which is no answer code (0–65535); it is left out of `missing:`",
                    column.name
                )),
            },
            Missing::Range(low, high) => match (code_of(*low), code_of(*high)) {
                (Some(low), Some(high)) if high >= low && high - low < 20 => {
                    codes.extend(low..=high);
                }
                _ => notes.push(format!(
                    "column `{}` declares the values {low} to {high} missing, which are no short run of answer codes; they are left out of `missing:`",
                    column.name
                )),
            },
        }
    }
    codes
}

/// Codes that look like "don't know" or "no answer" in data that do not say: a code of
/// [`SENTINELS`] that occurs in at least two columns of codes, above every other code
/// there.
pub(super) fn sentinel_missing(columns: &[&Column]) -> (Vec<(u16, Label)>, Option<String>) {
    let mut found = Vec::new();
    let mut in_columns = 0;
    for sentinel in SENTINELS {
        let holding: Vec<&&Column> = columns
            .iter()
            .filter(|c| c.numeric() && c.codes.contains_key(&sentinel))
            .collect();
        let above_the_rest = holding.iter().all(|column| {
            column
                .codes
                .keys()
                .filter(|c| !SENTINELS.contains(c))
                .all(|&c| c < sentinel)
                && column
                    .unkept
                    .is_none_or(|(_, high)| high < f64::from(sentinel))
        });
        if holding.len() >= 2 && above_the_rest {
            found.push((sentinel, None));
            in_columns = in_columns.max(holding.len());
        }
    }
    if found.is_empty() {
        return (found, None);
    }
    let codes: Vec<String> = found.iter().map(|(c, _)| c.to_string()).collect();
    let check = format!(
        "code(s) {} occur in up to {in_columns} columns, above every other code there: \
         probably \"don't know\" or \"no answer\"",
        codes.join(", ")
    );
    (found, Some(check))
}
