//! A problem found in an input file, located by file, line and column, so editors can jump
//! to it. Checks return lists of findings rather than stopping at the first.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// A `:line:column` position in a text file (1-based), or nothing when unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location(pub Option<(usize, usize)>);

/// A serde_yaml error's message without the " at line L column C" it appends, since
/// findings print the position in front.
pub fn yaml_message(error: &serde_yaml::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => message[..at].to_owned(),
        _ => message,
    }
}

impl Location {
    /// The position serde_yaml attached to an error, if any.
    pub fn of_yaml(error: &serde_yaml::Error) -> Self {
        Location(error.location().map(|l| (l.line(), l.column())))
    }

    /// A known line and column.
    pub fn at(line: usize, column: usize) -> Self {
        Location(Some((line, column)))
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some((line, column)) => write!(f, ":{line}:{column}"),
            None => Ok(()),
        }
    }
}

/// The line and column of the first `key:` in the YAML text, as a block key (after
/// indentation or `- `) or inside a flow mapping (after `{` or `,`).
pub fn locate_key(text: &str, key: &str) -> Location {
    let pattern = format!("{key}:");
    for (number, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(found) = line[from..].find(&pattern) {
            let at = from + found;
            let before = line[..at].trim_end();
            if before.is_empty() || before.ends_with(['{', ',', '-']) {
                return Location::at(number + 1, line[..at].chars().count() + 1);
            }
            from = at + pattern.len();
        }
    }
    Location::default()
}

/// The position of `value` at or after the first `key:`; falls back to the key.
pub fn locate_value(text: &str, key: &str, value: &str) -> Location {
    let key_location = locate_key(text, key);
    let Some((key_line, _)) = key_location.0 else {
        return key_location;
    };
    for (number, line) in text.lines().enumerate().skip(key_line - 1) {
        if let Some(column) = line.find(value) {
            return Location::at(number + 1, line[..column].chars().count() + 1);
        }
    }
    key_location
}

/// Finds `key: value` entries in a YAML text, indexing each key's entries on first use, so
/// locating thousands of problems costs one pass over the text per key rather than one per
/// problem.
pub struct Locator<'a> {
    text: &'a str,
    /// Per key: value → the positions of its entries, in text order.
    entries: HashMap<String, HashMap<String, Vec<Location>>>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Locator<'a> {
        Locator {
            text,
            entries: HashMap::new(),
        }
    }

    /// The first `key:` (see [`locate_key`]).
    pub fn key(&self, key: &str) -> Location {
        locate_key(self.text, key)
    }

    /// The `nth` (0-based) entry `key: value`, as a block entry or in a flow mapping; for
    /// naming, say, the second definition of a question id.
    pub fn entry(&mut self, key: &str, value: &str, nth: usize) -> Location {
        let text = self.text;
        let index = self
            .entries
            .entry(key.to_owned())
            .or_insert_with(|| index_entries(text, key));
        index
            .get(value)
            .and_then(|locations| locations.get(nth))
            .copied()
            .unwrap_or_default()
    }
}

/// Every `key: value` entry of `text` (block or flow), by value.
fn index_entries(text: &str, key: &str) -> HashMap<String, Vec<Location>> {
    let pattern = format!("{key}: ");
    let mut index: HashMap<String, Vec<Location>> = HashMap::new();
    for (number, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(found) = line[from..].find(&pattern) {
            let at = from + found;
            let before = line[..at].trim_end();
            let rest = &line[at + pattern.len()..];
            let end = rest.find([',', '}', ' ', '#']).unwrap_or(rest.len());
            if before.is_empty() || before.ends_with(['{', ',', '-']) {
                index
                    .entry(rest[..end].to_owned())
                    .or_default()
                    .push(Location::at(number + 1, line[..at].chars().count() + 1));
            }
            from = at + pattern.len();
        }
    }
    index
}

/// Parses one YAML document into `T`; every problem is a finding in `path` with its line
/// and column where YAML gives one. A text with several documents (`---`) is refused at the
/// second one's line, since the rest would be silently dropped.
pub fn parse_yaml<T: DeserializeOwned>(text: &str, path: &Path) -> Result<T, Finding> {
    if let Some(line) = second_document(text) {
        return Err(Finding::new(
            path,
            Location::at(line, 1),
            "a second YAML document starts here (`---`); a file holds one document",
        ));
    }
    serde_yaml::from_str(text).map_err(|error| {
        let finding = Finding::of_yaml(path, &error);
        Finding {
            message: readable_types(&finding.message),
            ..finding
        }
    })
}

/// The line (1-based) where a second YAML document starts, if any: a `---` or `...` marker
/// after the first document's content.
fn second_document(text: &str) -> Option<usize> {
    let mut content = false;
    for (number, line) in text.lines().enumerate() {
        let marker = line == "---" || line.starts_with("--- ") || line == "...";
        if marker && content {
            return Some(number + 1);
        }
        let trimmed = line.trim_start();
        if !marker && !trimmed.is_empty() && !trimmed.starts_with('#') && !line.starts_with('%') {
            content = true;
        }
    }
    None
}

/// A serde message without the program's internal type names: "expected struct
/// RawCodebook" becomes "expected a mapping of keys".
fn readable_types(message: &str) -> String {
    let mut out = message.to_owned();
    while let Some(at) = out.find("expected struct ") {
        let rest = &out[at + "expected struct ".len()..];
        let end = rest
            .find(|c: char| !c.is_alphanumeric() && c != '_')
            .unwrap_or(rest.len());
        out.replace_range(
            at..at + "expected struct ".len() + end,
            "expected a mapping of keys",
        );
    }
    out
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub path: PathBuf,
    pub location: Location,
    pub message: String,
}

impl Finding {
    pub fn new(path: impl Into<PathBuf>, location: Location, message: impl Into<String>) -> Self {
        Finding {
            path: path.into(),
            location,
            message: message.into(),
        }
    }

    /// A YAML file that could not be parsed, at the position serde_yaml gives.
    pub fn of_yaml(path: impl Into<PathBuf>, error: &serde_yaml::Error) -> Self {
        Finding::new(path, Location::of_yaml(error), yaml_message(error))
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}: {}",
            self.path.display(),
            self.location,
            self.message
        )
    }
}

/// Findings as an error: every line of the list, one per problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Findings(pub Vec<Finding>);

impl fmt::Display for Findings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, finding) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{finding}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Findings {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_keys_and_values() {
        let text = "id: a\nthemes: [trivsel, mobbing]\nprovider:\n  name: X\n  url: nope\ntarget: {who: x, age: {from: 1}}\n";
        assert_eq!(locate_key(text, "url"), Location::at(5, 3));
        assert_eq!(locate_key(text, "age"), Location::at(6, 18));
        assert_eq!(locate_value(text, "themes", "mobbing"), Location::at(2, 19));
        assert_eq!(locate_key(text, "missing"), Location::default());
    }

    #[test]
    fn several_documents_and_internal_type_names_are_reported_readably() {
        let path = Path::new("c.yaml");
        let error = parse_yaml::<std::collections::BTreeMap<String, u8>>("a: 1\n---\nb: 2\n", path)
            .unwrap_err();
        assert_eq!(error.location, Location::at(2, 1));
        assert!(error.message.contains("second YAML document"));
        // A leading `---` is just the start of the first document.
        assert!(parse_yaml::<std::collections::BTreeMap<String, u8>>("---\na: 1\n", path).is_ok());

        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct RawThing {
            a: u8,
        }
        let error = parse_yaml::<RawThing>("- 1\n- 2\n", path).unwrap_err();
        assert!(!error.message.contains("RawThing"), "{}", error.message);
        assert!(error.to_string().starts_with("c.yaml"), "{error}");
    }

    #[test]
    fn the_locator_finds_the_nth_entry_in_one_pass_per_key() {
        let text = "- id: q1\n  text: x\n- {id: q10, text: y}\n- id: q1\n";
        let mut locator = Locator::new(text);
        assert_eq!(locator.entry("id", "q1", 0), Location::at(1, 3));
        assert_eq!(locator.entry("id", "q1", 1), Location::at(4, 3));
        assert_eq!(locator.entry("id", "q10", 0), Location::at(3, 4));
        assert_eq!(locator.entry("id", "q2", 0), Location::default());
    }
}
