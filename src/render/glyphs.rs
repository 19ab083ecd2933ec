//! Text no font can draw, found in a document's data before Typst runs. Typst would stop
//! with an error (under PDF/UA) or draw empty boxes, naming a template line rather than the
//! input the text came from; checked here, every such text is named by its field, which the
//! caller maps to its file.

use std::collections::HashMap;
use std::fmt;

use serde_json::Value;
use typst::text::FontBook;

/// A text in the document data with characters no font of the document has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undrawable {
    /// Where in the data, step by step: kept as steps, not as the printed
    /// `themes[trivsel].questions[q01].categories[0]`, so that a caller can tell where the
    /// text came from by matching, not by parsing.
    pub path: Vec<Step>,
    /// The text, shortened if long.
    pub text: String,
    /// The characters that cannot be drawn, in order of appearance, each once.
    pub chars: Vec<char>,
}

/// One step into the document data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A field of an object.
    Field(String),
    /// An element of an array that has an `id`, named by it.
    Id(String),
    /// An element of an array without an `id`, by position.
    Index(usize),
}

/// The path as printed: `themes[trivsel].questions[q01].categories[0]`.
struct Path<'a>(&'a [Step]);

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Field(name) if i == 0 => write!(f, "{name}")?,
                Step::Field(name) => write!(f, ".{name}")?,
                Step::Id(id) => write!(f, "[{id}]")?,
                Step::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Undrawable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let chars: Vec<String> = self
            .chars
            .iter()
            .map(|&c| format!("`{c}` (U+{:04X})", u32::from(c)))
            .collect();
        write!(
            f,
            "`{}` has characters the report's fonts cannot draw: {} in \"{}\"",
            Path(&self.path),
            chars.join(", "),
            self.text
        )
    }
}

/// Which characters the fonts of a book can draw, with a cache per character.
struct Glyphs<'a> {
    book: &'a FontBook,
    known: HashMap<char, bool>,
}

impl Glyphs<'_> {
    fn drawable(&mut self, c: char) -> bool {
        if ignorable(c) {
            return true;
        }
        let book = self.book;
        *self.known.entry(c).or_insert_with(|| {
            (0..)
                .map_while(|index| book.info(index))
                .any(|info| info.coverage.contains(u32::from(c)))
        })
    }
}

/// Characters that are not drawn at all (controls, spaces, joiners, variation selectors …),
/// so no font needs them.
fn ignorable(c: char) -> bool {
    c.is_control()
        || c.is_whitespace()
        || matches!(
            c,
            '\u{AD}'
                | '\u{34F}'
                | '\u{61C}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// Fields that are not text on the page: file names of assets and colours.
const NOT_DRAWN: &[&str] = &["logo", "colour"];

/// Every text in `data` with characters no font in `book` has.
pub(crate) fn undrawable(book: &FontBook, data: &Value) -> Vec<Undrawable> {
    let mut glyphs = Glyphs {
        book,
        known: HashMap::new(),
    };
    let mut found = Vec::new();
    walk(data, &mut Vec::new(), &mut glyphs, &mut found);
    found
}

fn walk(value: &Value, path: &mut Vec<Step>, glyphs: &mut Glyphs<'_>, found: &mut Vec<Undrawable>) {
    match value {
        Value::String(text) => {
            let mut chars: Vec<char> = Vec::new();
            for c in text.chars() {
                if !glyphs.drawable(c) && !chars.contains(&c) {
                    chars.push(c);
                }
            }
            if !chars.is_empty() {
                found.push(Undrawable {
                    path: path.clone(),
                    text: shorten(text),
                    chars,
                });
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(match item.get("id").and_then(Value::as_str) {
                    Some(id) => Step::Id(id.to_owned()),
                    None => Step::Index(index),
                });
                walk(item, path, glyphs, found);
                path.pop();
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                if NOT_DRAWN.contains(&key.as_str()) {
                    continue;
                }
                path.push(Step::Field(key.clone()));
                walk(item, path, glyphs, found);
                path.pop();
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// At most 60 characters of `text`.
fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(MAX - 1).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fonts::font_store;

    #[test]
    fn danish_greek_and_symbols_are_drawn_emoji_and_cjk_are_named() {
        let store = font_store(&[]);
        let data = serde_json::json!({
            "unit": {"name": "Ærø – Αθήνα ≥ 5 ½"},
            "logo": "北京.png",
            "themes": [
                {"id": "trivsel", "questions": [
                    {"id": "q01", "categories": ["Godt", "😀 Rigtig godt\u{FE0F}", "北京 😀"]}
                ]}
            ]
        });
        let found = undrawable(store.book(), &data);
        let path = |index| {
            vec![
                Step::Field("themes".into()),
                Step::Id("trivsel".into()),
                Step::Field("questions".into()),
                Step::Id("q01".into()),
                Step::Field("categories".into()),
                Step::Index(index),
            ]
        };
        assert_eq!(
            found,
            [
                Undrawable {
                    path: path(1),
                    text: "😀 Rigtig godt\u{FE0F}".into(),
                    chars: vec!['😀'],
                },
                Undrawable {
                    path: path(2),
                    text: "北京 😀".into(),
                    chars: vec!['北', '京', '😀'],
                },
            ]
        );
        assert!(found[0].to_string().starts_with(
            "`themes[trivsel].questions[q01].categories[1]` has characters the report's fonts \
             cannot draw: `😀` (U+1F600)"
        ));
    }
}
