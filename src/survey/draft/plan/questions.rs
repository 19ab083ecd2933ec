//! What kind of question each remaining column is: multiple choice for groups of 0/1 columns
//! `<id>_<code>`, numeric for other numbers or many different codes, single choice for the
//! rest of the columns of codes; text columns are none.

use std::collections::{BTreeMap, BTreeSet};

use super::background::{Role, normal};
use super::{Kind, Label, MAX_CODES, Question, value_labels};
use crate::survey::draft::columns::{Column, Columns};
use crate::survey::source::parse_code;

/// A column of codes with more distinct values than this (and no value labels) is a number
/// rather than answer options.
const MANY_CODES: usize = 20;

/// The most columns a multiple-choice question is drafted with, leaving room for missing
/// codes within [`MAX_CODES`].
const MAX_GROUP: usize = 200;

/// Fewer distinct values than this are enough to call an SPSS scale variable a number.
const SCALE_CODES: usize = 10;

/// Columns `<stem>_<code>` holding only 0 and 1: one multiple-choice question.
pub(super) struct Group<'a> {
    stem: String,
    /// Where the first member is among all columns.
    pub(super) position: usize,
    pub(super) members: Vec<(u16, &'a Column)>,
}

pub(super) fn multiple_choice_groups<'a>(
    columns: &Columns,
    candidates: &[&'a Column],
) -> Vec<Group<'a>> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    for (position, column) in columns.columns.iter().enumerate() {
        let Some(&candidate) = candidates.iter().find(|c| c.name == column.name) else {
            continue;
        };
        let Some((stem, code)) = option_column(&column.name) else {
            continue;
        };
        if !candidate.ticks() || columns.get(stem).is_some() {
            continue;
        }
        match groups.iter_mut().find(|g| g.stem == stem) {
            Some(group) => group.members.push((code, candidate)),
            None => groups.push(Group {
                stem: stem.to_owned(),
                position,
                members: vec![(code, candidate)],
            }),
        }
    }
    // A question holds at most MAX_CODES codes with the missing codes; a group too large
    // for that stays separate columns.
    groups.retain(|group| {
        (2..=MAX_GROUP).contains(&group.members.len())
            && group.members.iter().any(|(_, c)| c.filled > 0)
    });
    groups
}

/// `q5_2` → (`q5`, 2): a column name as the codebook names a multiple-choice option's column.
fn option_column(name: &str) -> Option<(&str, u16)> {
    let (stem, suffix) = name.rsplit_once('_')?;
    let code: u16 = suffix.parse().ok()?;
    (!stem.is_empty() && code.to_string() == suffix).then_some((stem, code))
}

impl Group<'_> {
    /// The question: its text from an SPSS multiple-response set, or from what the members'
    /// labels have in common; the options from the rest of the labels.
    pub(super) fn question(&self, columns: &Columns) -> Question {
        let names: BTreeSet<&str> = self.members.iter().map(|(_, c)| c.name.as_str()).collect();
        let set = columns
            .sets
            .iter()
            .find(|(label, vars)| {
                !label.is_empty() && names.iter().all(|n| vars.iter().any(|v| v == n))
            })
            .map(|(label, _)| label.clone());
        let labels: Vec<Option<&str>> = self
            .members
            .iter()
            .map(|(_, c)| c.described.label.as_deref())
            .collect();
        let (common, rest) = split_common(&labels);
        let options = self
            .members
            .iter()
            .zip(rest)
            .map(|((code, _), label)| (*code, label))
            .collect();
        Question {
            id: self.stem.clone(),
            text: set.or(common),
            kind: Kind::Multiple { options },
            checks: Vec::new(),
        }
    }
}

/// Labels like "Hvad går du til? - Sport", "Hvad går du til? - Musik" as their common
/// question ("Hvad går du til?") and what is left of each ("Sport", "Musik").
fn split_common(labels: &[Option<&str>]) -> (Label, Vec<Label>) {
    let whole = || labels.iter().map(|l| l.map(str::to_owned)).collect();
    let Some(all) = labels.iter().copied().collect::<Option<Vec<&str>>>() else {
        return (None, whole());
    };
    let Some(first) = all.first() else {
        return (None, whole());
    };
    let mut common = first.len();
    for label in &all[1..] {
        common = first
            .char_indices()
            .zip(label.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(common);
    }
    let prefix = &first[..common];
    let cut = [" - ", " – ", " — ", ": ", "? ", ") "]
        .iter()
        .filter_map(|sep| prefix.rfind(sep).map(|i| i + sep.len()))
        .max();
    let Some(cut) = cut else {
        return (None, whole());
    };
    let rest: Vec<&str> = all.iter().map(|l| l[cut..].trim()).collect();
    let question = first[..cut]
        .trim_end()
        .trim_end_matches(['-', '–', '—', ':'])
        .trim_end();
    if question.is_empty() || rest.iter().any(|r| r.is_empty()) {
        return (None, whole());
    }
    (
        Some(question.to_owned()),
        rest.into_iter().map(|r| Some(r.to_owned())).collect(),
    )
}

/// The question a column of codes or numbers is, or why it is none.
pub(super) fn question(column: &Column, missing: &BTreeSet<u16>) -> Result<Question, String> {
    if column.text_cells > 0 {
        return Err(format!(
            "holds text in {} cell(s), so it is no question with codes or numbers",
            column.text_cells
        ));
    }
    if Role::Respondent
        .names()
        .contains(&normal(&column.name).as_str())
    {
        return Err("is named like an identifier, so it is no question".to_owned());
    }
    let labels: Vec<(u16, String)> = value_labels(column)
        .into_iter()
        .filter(|(code, _)| !missing.contains(code))
        .collect();
    if column.filled == 0 && labels.is_empty() {
        return Err("is empty".to_owned());
    }
    let mut checks = Vec::new();
    let unlabelled_values: Vec<&str> = column
        .described
        .values
        .iter()
        .filter(|(value, _)| parse_code(value.as_bytes()).is_none())
        .map(|(value, _)| value.as_str())
        .collect();
    let found: BTreeSet<u16> = column
        .codes
        .keys()
        .copied()
        .filter(|c| !missing.contains(c))
        .collect();
    let many = column.many || found.len() > MANY_CODES;
    let scale_like = column.described.scale && found.len() > SCALE_CODES;
    let options = found
        .iter()
        .chain(labels.iter().map(|(code, _)| code))
        .collect::<BTreeSet<_>>()
        .len();
    let numeric = column.other_numbers > 0
        || (labels.is_empty() && (many || scale_like))
        || options + missing.len() > MAX_CODES;
    if numeric {
        let Some(range) = column.range(&|code| missing.contains(&code)) else {
            return Err("holds only missing codes".to_owned());
        };
        let why = if column.other_numbers > 0 {
            "some values are not whole numbers 0–65535"
        } else if many {
            "it has more than 20 different values"
        } else if scale_like {
            "SPSS measures it as a scale"
        } else {
            "it has too many codes for options"
        };
        checks.push(format!(
            "numeric, as {why}; the range and bins come from the values found"
        ));
        if !labels.is_empty() || !unlabelled_values.is_empty() {
            checks.push(
                "its value labels are left out: a numeric question has a range and bins, not options"
                    .to_owned(),
            );
        }
        return Ok(Question {
            id: column.name.clone(),
            text: column.described.label.clone(),
            kind: Kind::Numeric {
                range,
                bins: bins(range),
            },
            checks,
        });
    }
    if !unlabelled_values.is_empty() {
        checks.push(format!(
            "value labels of values that are no answer codes are left out: {}",
            unlabelled_values.join(", ")
        ));
    }
    let mut options: BTreeMap<u16, Label> = found.iter().map(|&c| (c, None)).collect();
    for (code, label) in &labels {
        options.insert(*code, Some(label.clone()));
    }
    if options.is_empty() {
        return Err("holds only missing codes".to_owned());
    }
    if !labels.is_empty() {
        let bare: Vec<String> = options
            .iter()
            .filter(|(_, label)| label.is_none())
            .map(|(code, _)| code.to_string())
            .collect();
        if !bare.is_empty() {
            checks.push(format!(
                "code(s) {} are in the data but have no value label",
                bare.join(", ")
            ));
        }
    }
    Ok(Question {
        id: column.name.clone(),
        text: column.described.label.clone(),
        kind: Kind::Single {
            options: options.into_iter().collect(),
        },
        checks,
    })
}

/// Up to four bins of equal, round width over `range`, labelled in Danish.
fn bins((low, high): (f64, f64)) -> Vec<(Option<f64>, String)> {
    if high <= low {
        return vec![(None, "Alle værdier".to_owned())];
    }
    let step = round_step((high - low) / 4.0);
    let start = (low / step).floor() * step;
    let mut bounds: Vec<f64> = (1..=4)
        .map(|k| tidy(start + f64::from(k) * step))
        .filter(|&bound| bound.is_finite() && bound > low && bound <= high)
        .collect();
    // Bounds must increase; a range too narrow for its numbers' precision gets fewer bins.
    bounds.dedup();
    let shown = |x: f64| crate::survey::source::number_text(x).replace('.', ",");
    let mut bins = Vec::new();
    let mut previous: Option<f64> = None;
    for &bound in &bounds {
        let label = match previous {
            None => format!("Under {}", shown(bound)),
            Some(from) => format!("{} til under {}", shown(from), shown(bound)),
        };
        bins.push((Some(bound), label));
        previous = Some(bound);
    }
    let last = match previous {
        None => "Alle værdier".to_owned(),
        Some(from) => format!("{} eller mere", shown(from)),
    };
    bins.push((None, last));
    bins
}

/// 1, 2, 2.5 or 5 times a power of ten, at least `x`.
fn round_step(x: f64) -> f64 {
    let power = 10f64.powf(x.log10().floor());
    let fraction = x / power;
    let factor = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|&f| fraction <= f)
        .unwrap_or(10.0);
    tidy(factor * power)
}

/// `x` without the noise of binary fractions (0.30000000000000004 → 0.3): rounded to 12
/// significant digits, whatever its size.
fn tidy(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_have_round_bounds_inside_the_range() {
        let bins = bins((5.0, 11.0));
        assert_eq!(
            bins,
            [
                (Some(6.0), "Under 6".to_owned()),
                (Some(8.0), "6 til under 8".to_owned()),
                (Some(10.0), "8 til under 10".to_owned()),
                (None, "10 eller mere".to_owned()),
            ]
        );
        let bins = super::bins((0.0, 1.0));
        assert_eq!(bins[0], (Some(0.25), "Under 0,25".to_owned()));
        assert_eq!(super::bins((3.0, 3.0)), [(None, "Alle værdier".to_owned())]);
    }

    #[test]
    fn option_columns_are_named_stem_underscore_code() {
        assert_eq!(option_column("q51b_3"), Some(("q51b", 3)));
        assert_eq!(option_column("q5_03"), None);
        assert_eq!(option_column("q5_"), None);
        assert_eq!(option_column("_3"), None);
        assert_eq!(option_column("q5"), None);
    }

    #[test]
    fn common_question_text_is_split_from_the_options() {
        let (text, rest) = split_common(&[
            Some("Hvad går du til? (Sæt gerne flere krydser) - Sport"),
            Some("Hvad går du til? (Sæt gerne flere krydser) - Spejder"),
        ]);
        assert_eq!(
            text.as_deref(),
            Some("Hvad går du til? (Sæt gerne flere krydser)")
        );
        assert_eq!(rest, [Some("Sport".to_owned()), Some("Spejder".to_owned())]);
        let (text, rest) = split_common(&[Some("Response #1"), Some("Response #2")]);
        assert_eq!(text, None);
        assert_eq!(rest[1].as_deref(), Some("Response #2"));
        assert_eq!(split_common(&[Some("A"), None]).0, None);
    }
}
