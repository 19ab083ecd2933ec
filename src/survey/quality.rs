//! What reading the survey data found wrong or odd, grouped so that a million bad cells make
//! one line per column with a count and the first rows where they occur.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::source::{Dialect, Position};

/// How many example rows an issue keeps.
const EXAMPLES: usize = 5;

/// Errors make the data unusable for a report; warnings are worth a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One kind of problem in one column of one file, with how often it occurred.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub severity: Severity,
    pub path: PathBuf,
    /// The column, when the problem is in one.
    pub column: Option<String>,
    /// What is wrong, e.g. "codes not in the codebook (allowed: 1, 2, 98)".
    pub what: String,
    pub count: usize,
    /// The first occurrences.
    pub examples: Vec<(Position, Example)>,
}

/// What is shown of one occurrence besides where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Example {
    /// Nothing but the position.
    At,
    /// The offending value.
    Value(String),
    /// A remark, e.g. which earlier row it repeats.
    Note(String),
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity, self.path.display())?;
        if let Some(column) = &self.column {
            write!(f, ", column `{column}`")?;
        }
        write!(f, ": {}", self.what)?;
        if self.count > 1 || !self.examples.is_empty() {
            write!(f, " ({}×", self.count)?;
            let shown: Vec<String> = self
                .examples
                .iter()
                .map(|(position, example)| match example {
                    Example::At => position.to_string(),
                    Example::Value(value) => format!("`{value}` on {position}"),
                    Example::Note(note) => format!("{position} ({note})"),
                })
                .collect();
            if !shown.is_empty() {
                write!(f, ": {}", shown.join(", "))?;
                if self.count > shown.len() {
                    write!(f, ", …")?;
                }
            }
            write!(f, ")")?;
        }
        Ok(())
    }
}

/// A file that was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    pub path: PathBuf,
    pub dialect: Dialect,
    pub rows: usize,
}

/// Everything reading found, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Quality {
    pub sources: Vec<SourceInfo>,
    issues: BTreeMap<(Severity, PathBuf, Option<String>, String), Issue>,
}

impl Quality {
    /// Records one occurrence of a problem.
    pub fn push(
        &mut self,
        severity: Severity,
        path: &Path,
        column: Option<&str>,
        what: impl Into<String>,
        example: Option<(Position, Example)>,
    ) {
        let what = what.into();
        let key = (severity, path.to_owned(), column.map(str::to_owned), what);
        let issue = self.issues.entry(key).or_insert_with_key(|key| Issue {
            severity,
            path: path.to_owned(),
            column: key.2.clone(),
            what: key.3.clone(),
            count: 0,
            examples: Vec::new(),
        });
        issue.count += 1;
        if let Some(example) = example
            && issue.examples.len() < EXAMPLES
        {
            issue.examples.push(example);
        }
    }

    /// Every issue, errors first, then by file, column and kind.
    pub fn issues(&self) -> impl Iterator<Item = &Issue> {
        self.issues.values()
    }

    /// The number of distinct errors.
    pub fn errors(&self) -> usize {
        self.issues()
            .filter(|i| i.severity == Severity::Error)
            .count()
    }

    /// The number of distinct warnings.
    pub fn warnings(&self) -> usize {
        self.issues()
            .filter(|i| i.severity == Severity::Warning)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_are_counted_per_column_and_kind_with_first_examples() {
        let mut quality = Quality::default();
        for line in 2..10 {
            quality.push(
                Severity::Error,
                Path::new("s.csv"),
                Some("q1"),
                "codes not in the codebook (allowed: 1, 2)",
                Some((Position::Line(line), Example::Value("7".into()))),
            );
        }
        quality.push(
            Severity::Warning,
            Path::new("s.csv"),
            None,
            "rows without any answer",
            Some((Position::Line(4), Example::At)),
        );
        assert_eq!((quality.errors(), quality.warnings()), (1, 1));
        let lines: Vec<String> = quality.issues().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "error: s.csv, column `q1`: codes not in the codebook (allowed: 1, 2) (8×: `7` on line 2, `7` on line 3, `7` on line 4, `7` on line 5, `7` on line 6, …)",
                "warning: s.csv: rows without any answer (1×: line 4)",
            ]
        );
    }
}
