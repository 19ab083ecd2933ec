//! A problem found in an input file, located by file, line and column, so editors can jump
//! to it. Checks return lists of findings rather than stopping at the first.

use std::fmt;
use std::path::PathBuf;

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

/// The position of the `nth` (0-based) entry `key: value` in the YAML text, as a block
/// entry or in a flow mapping; for naming, say, the second definition of a question id.
pub fn locate_entry(text: &str, key: &str, value: &str, nth: usize) -> Location {
    let pattern = format!("{key}: {value}");
    let mut seen = 0;
    for (number, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(found) = line[from..].find(&pattern) {
            let at = from + found;
            let before = line[..at].trim_end();
            let after = line[at + pattern.len()..].chars().next();
            let bounded = after.is_none_or(|c| c == ',' || c == '}' || c == ' ' || c == '#');
            if bounded && (before.is_empty() || before.ends_with(['{', ',', '-'])) {
                if seen == nth {
                    return Location::at(number + 1, line[..at].chars().count() + 1);
                }
                seen += 1;
            }
            from = at + pattern.len();
        }
    }
    Location::default()
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
    fn locates_the_nth_entry() {
        let text = "- id: q1\n  text: x\n- {id: q10, text: y}\n- id: q1\n";
        assert_eq!(locate_entry(text, "id", "q1", 0), Location::at(1, 3));
        assert_eq!(locate_entry(text, "id", "q1", 1), Location::at(4, 3));
        assert_eq!(locate_entry(text, "id", "q10", 0), Location::at(3, 4));
        assert_eq!(locate_entry(text, "id", "q2", 0), Location::default());
    }
}
