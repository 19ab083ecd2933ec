//! Writing a [`Plan`] as the codebook YAML of docs/formats.md, with a comment on every guess:
//! block style throughout so a person can edit it line by line, every string quoted so no
//! label can change the document's structure.

use std::fmt::Write as _;

use super::plan::{Coded, Kind, Label, Pick, Plan, Question};
use crate::survey::source::number_text;

/// The text written where a person must supply one.
pub const TODO: &str = "TODO";

/// What the header of the draft says about the data it comes from.
pub(super) struct Heading<'a> {
    /// The files, as given.
    pub(super) files: &'a [String],
    pub(super) rows: usize,
    pub(super) columns: usize,
    pub(super) survey: String,
    pub(super) title: Label,
    pub(super) round: u16,
    /// Where the round comes from.
    pub(super) round_check: &'static str,
    pub(super) warnings: &'a [String],
}

/// The draft codebook's text.
pub(super) fn write(heading: &Heading, plan: &Plan) -> String {
    let mut out = Out::default();
    out.header(heading, plan);
    out.line(
        0,
        &format!("survey: {}", quote(&heading.survey)),
        Some("a short machine name"),
    );
    out.line(
        0,
        &format!("title: {}", text(heading.title.as_deref())),
        None,
    );
    out.line(
        0,
        &format!("round: {}", heading.round),
        Some(heading.round_check),
    );
    out.background(plan);
    out.missing(plan);
    out.line(0, "themes:", Some("grouped by the letters the column names begin with; arrange the chapters the report should have"));
    for theme in &plan.themes {
        out.line(1, &format!("- id: {}", quote(&theme.id)), None);
        out.line(2, &format!("title: {}", text(None)), None);
        out.line(2, "questions:", None);
        for question in &theme.questions {
            out.question(question);
        }
    }
    out.skipped(plan);
    out.0
}

#[derive(Default)]
struct Out(String);

impl Out {
    /// One line at `depth` levels of two spaces, with a `# CHECK:` comment if given.
    fn line(&mut self, depth: usize, content: &str, check: Option<&str>) {
        let _ = write!(self.0, "{:width$}{content}", "", width = depth * 2);
        if let Some(check) = check {
            let _ = write!(self.0, "  # CHECK: {}", one_line(check));
        }
        self.0.push('\n');
    }

    fn comment(&mut self, text: &str) {
        let _ = writeln!(self.0, "# {}", one_line(text));
    }

    fn header(&mut self, heading: &Heading, plan: &Plan) {
        self.comment(&format!(
            "Codebook drafted by `report codebook draft` from {} ({} rows, {} columns).",
            heading.files.join(", "),
            heading.rows,
            heading.columns
        ));
        self.comment("The format is described in docs/formats.md (\"Codebook (YAML)\").");
        self.0.push_str("#\n");
        for line in [
            "Before use:",
            "  - write the text readers should see wherever it says \"TODO\";",
            "  - look at every line marked CHECK: it is a guess;",
            "  - give questions with a headline indicator `positive:` (or `threshold:`) and",
            "    `indicator:`; combine item columns into `kind: index` questions where wanted;",
            "  - arrange the questions into the themes (chapters) of the report.",
            "Then `report validate --codebook <this file> --survey <the data>` checks it.",
        ] {
            self.comment(line);
        }
        for note in heading.warnings.iter().chain(&plan.notes) {
            self.comment(&format!("CHECK: {note}"));
        }
    }

    fn background(&mut self, plan: &Plan) {
        let background = &plan.background;
        self.line(0, "background:", None);
        let column = |out: &mut Out, key: &str, pick: &Pick| {
            out.line(
                1,
                &format!("{key}: {}", quote(&pick.column)),
                Some(&pick.check),
            );
        };
        if let Some(pick) = &background.respondent {
            column(self, "respondent", pick);
        }
        match &background.municipality {
            Some(pick) => column(self, "municipality", pick),
            None => self.line(
                1,
                &format!("municipality: {}", quote(TODO)),
                Some(
                    "no column looked like the municipality's name; name the column that holds it",
                ),
            ),
        }
        if let Some(pick) = &background.school {
            column(self, "school", pick);
        }
        for (key, coded) in [("grade", &background.grade), ("gender", &background.gender)] {
            if let Some(coded) = coded {
                self.breakdown(key, coded);
            }
        }
    }

    fn breakdown(&mut self, key: &str, coded: &Coded) {
        self.line(1, &format!("{key}:"), Some(&coded.pick.check));
        self.line(2, &format!("column: {}", quote(&coded.pick.column)), None);
        self.codes(2, "values", &coded.values);
    }

    /// `key:` and one `code: "label"` line per code.
    fn codes(&mut self, depth: usize, key: &str, codes: &[(u16, Label)]) {
        self.line(depth, &format!("{key}:"), None);
        for (code, label) in codes {
            self.line(
                depth + 1,
                &format!("{code}: {}", text(label.as_deref())),
                None,
            );
        }
    }

    fn missing(&mut self, plan: &Plan) {
        if plan.missing.is_empty() {
            self.comment("missing: no codes for \"don't know\" or \"no answer\" were found; add them here if the data have them");
            return;
        }
        self.line(0, "missing:", plan.missing_check.as_deref());
        for (code, label) in &plan.missing {
            self.line(1, &format!("{code}: {}", text(label.as_deref())), None);
        }
    }

    fn question(&mut self, question: &Question) {
        let check = (!question.checks.is_empty()).then(|| question.checks.join("; "));
        self.line(
            3,
            &format!("- id: {}", quote(&question.id)),
            check.as_deref(),
        );
        match &question.kind {
            Kind::Single { .. } => {}
            Kind::Multiple { .. } => self.line(4, "kind: multiple", None),
            Kind::Numeric { .. } => self.line(4, "kind: numeric", None),
        }
        self.line(
            4,
            &format!("text: {}", text(question.text.as_deref())),
            None,
        );
        match &question.kind {
            Kind::Single { options } | Kind::Multiple { options } => {
                self.codes(4, "options", options);
            }
            Kind::Numeric {
                range: (min, max),
                bins,
            } => {
                self.line(
                    4,
                    &format!(
                        "range: {{min: {}, max: {}}}",
                        number_text(*min),
                        number_text(*max)
                    ),
                    Some("the lowest and highest values found; widen it to every valid value"),
                );
                self.line(
                    4,
                    "bins:",
                    Some("of equal width; choose the ones the report should show"),
                );
                for (below, label) in bins {
                    let below = below
                        .map(|b| format!("below: {}, ", number_text(b)))
                        .unwrap_or_default();
                    self.line(5, &format!("- {{{below}label: {}}}", quote(label)), None);
                }
            }
        }
    }

    fn skipped(&mut self, plan: &Plan) {
        if plan.skipped.is_empty() {
            return;
        }
        self.0.push('\n');
        self.comment("Columns left out of the draft:");
        for (column, why) in &plan.skipped {
            self.comment(&format!("  - `{column}` {why}"));
        }
    }
}

/// A label, or the TODO placeholder.
fn text(label: Option<&str>) -> String {
    quote(label.unwrap_or(TODO))
}

/// A YAML double-quoted scalar holding exactly `text`: JSON's quoting (YAML reads JSON
/// strings), with every character YAML does not allow raw, or would take as a line break,
/// escaped too.
pub(crate) fn quote(text: &str) -> String {
    let json = serde_json::to_string(text).expect("a string always serialises");
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if plain(c) {
            out.push(c);
        } else {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        }
    }
    out
}

/// Text for a comment: on one line, with only characters YAML allows raw.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c != '\t' && plain(c) { c } else { ' ' })
        .collect()
}

/// A character YAML allows in a document as it is, and not as a line break: tab and the
/// printable characters of YAML 1.1, less NEL and the Unicode line and paragraph separators
/// and the byte-order mark.
fn plain(c: char) -> bool {
    matches!(c, '\t' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_reads_back_as_it_was() {
        for text in [
            "Svar: \"ja\" # 'nej'",
            "- {a: [b]}\n& *c | > % @ `d`",
            "\u{0}\u{7}\u{7f}\u{85}\u{9f}\u{2028}\u{feff}\u{fffe}\u{ffff}😀æøå",
            "",
            "null",
        ] {
            let yaml = format!("key: {}\n", quote(text));
            let read: std::collections::BTreeMap<String, String> =
                serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{e}: {yaml}"));
            assert_eq!(read["key"], text, "{yaml}");
        }
        assert_eq!(one_line("a\nb\u{85}c\u{7f}d"), "a b c d");
    }
}
