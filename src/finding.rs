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
