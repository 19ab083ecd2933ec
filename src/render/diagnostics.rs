//! Typst's diagnostics (and the layout check's) as data: severity, where, message, the source
//! line, hints and the call trace, kept until they are printed as
//! `file:line:column: error: message` lines. Lines and columns are 1-based so editors can jump
//! to them.

use std::fmt;
use std::path::PathBuf;

use typst::World;
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::syntax::DiagSpan;

use super::world::Base;

/// Diagnostics of one document, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

/// One error or warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Where it points, when it points into a file.
    pub location: Option<Location>,
    pub message: String,
    /// The source line it points at.
    pub snippet: Option<String>,
    pub hints: Vec<String>,
    /// The calls that led there, innermost first: where, and what.
    pub trace: Vec<(Option<Location>, String)>,
}

/// A place in a template: its path (a templates directory's files by their real paths) and,
/// when known, its line and column (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line_column: Option<(usize, usize)>,
}

impl Diagnostic {
    /// A warning that points nowhere in particular (the layout check's).
    pub(super) fn warning(message: String) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            location: None,
            message,
            snippet: None,
            hints: Vec::new(),
            trace: Vec::new(),
        }
    }
}

/// Typst's diagnostics against the world they came from; `base` says which files came from a
/// templates directory, so those are named by their real paths.
pub(super) fn collect(
    world: &dyn World,
    diagnostics: &[SourceDiagnostic],
    base: &Base,
) -> Diagnostics {
    Diagnostics(
        diagnostics
            .iter()
            .map(|diagnostic| {
                let (location, snippet) = locate(world, diagnostic.span, base);
                Diagnostic {
                    severity: diagnostic.severity,
                    location,
                    message: diagnostic.message.to_string(),
                    snippet,
                    hints: diagnostic
                        .hints
                        .iter()
                        .map(|hint| hint.v.to_string())
                        .collect(),
                    trace: diagnostic
                        .trace
                        .iter()
                        .map(|point| {
                            (
                                locate(world, point.span.into(), base).0,
                                point.v.to_string(),
                            )
                        })
                        .collect(),
                }
            })
            .collect(),
    )
}

/// Where a span points, and the source line, when it points into a file.
fn locate(world: &dyn World, span: DiagSpan, base: &Base) -> (Option<Location>, Option<String>) {
    let Some(id) = span.id() else {
        return (None, None);
    };
    let path = match base.origin(id) {
        Some(origin) => origin.to_owned(),
        None => PathBuf::from(id.vpath().get_without_slash()),
    };
    let position = world.range(span).and_then(|range| {
        let source = world.source(id).ok()?;
        let (line, column) = source.lines().byte_to_line_column(range.start)?;
        let text = source
            .lines()
            .line_to_range(line)
            .map(|r| source.text()[r].trim_end().to_owned());
        Some(((line + 1, column + 1), text))
    });
    let (line_column, snippet) = match position {
        Some((line_column, text)) => (Some(line_column), text),
        None => (None, None),
    };
    (Some(Location { path, line_column }), snippet)
}

impl fmt::Display for Location {
    /// `path:line:column: `, or `path: ` without a position.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((line, column)) = self.line_column {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": ")
    }
}

impl fmt::Display for Diagnostic {
    /// The diagnostic's lines, each ending in a newline: hints and trace on lines of their own.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if let Some(location) = &self.location {
            write!(f, "{location}")?;
        }
        writeln!(f, "{severity}: {}", self.message)?;
        if let Some(snippet) = &self.snippet {
            writeln!(f, "    | {snippet}")?;
        }
        for hint in &self.hints {
            writeln!(f, "  hint: {hint}")?;
        }
        for (location, call) in &self.trace {
            write!(f, "  ")?;
            if let Some(location) = location {
                write!(f, "{location}")?;
            }
            writeln!(f, "{call}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0
            .iter()
            .try_for_each(|diagnostic| write!(f, "{diagnostic}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_prints_where_what_and_hints_on_their_own_lines() {
        let at = |line| Location {
            path: PathBuf::from("basisrapport.typ"),
            line_column: Some((line, 3)),
        };
        let diagnostic = Diagnostic {
            severity: Severity::Error,
            location: Some(at(12)),
            message: "unknown variable: x".to_owned(),
            snippet: Some("#x".to_owned()),
            hints: vec!["if you meant y, write y".to_owned()],
            trace: vec![(Some(at(4)), "error occurred in this call".to_owned())],
        };
        let layout = Diagnostic::warning("text below 7 pt on page 3".to_owned());
        assert_eq!(
            Diagnostics(vec![diagnostic, layout]).to_string(),
            "basisrapport.typ:12:3: error: unknown variable: x\n    | #x\n  \
             hint: if you meant y, write y\n  basisrapport.typ:4:3: error occurred in this \
             call\nwarning: text below 7 pt on page 3\n"
        );
    }
}
