//! Typst diagnostics as plain text: `file:line:column: error: message`, the source line, hints
//! and the call trace. Lines and columns are 1-based so editors can jump to them.

use std::fmt::Write;

use typst::World;
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::syntax::DiagSpan;

use super::world::Base;

/// Formats diagnostics against the world they came from; `base` says which files came from a
/// templates directory, so those are named by their real paths.
pub(super) fn format(world: &dyn World, diagnostics: &[SourceDiagnostic], base: &Base) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let severity = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let (location, snippet) = locate(world, diagnostic.span, base);
        let _ = writeln!(out, "{location}{severity}: {}", diagnostic.message);
        if let Some(snippet) = snippet {
            let _ = writeln!(out, "    | {snippet}");
        }
        for hint in &diagnostic.hints {
            let _ = writeln!(out, "  hint: {}", hint.v);
        }
        for point in &diagnostic.trace {
            let (location, _) = locate(world, point.span.into(), base);
            let _ = writeln!(out, "  {location}{}", point.v);
        }
    }
    out
}

/// `path:line:column: ` and the source line of a span, when it points into a file.
fn locate(world: &dyn World, span: DiagSpan, base: &Base) -> (String, Option<String>) {
    let Some(id) = span.id() else {
        return (String::new(), None);
    };
    let path = match base.origin(id) {
        Some(origin) => origin.display().to_string(),
        None => id.vpath().get_without_slash().to_owned(),
    };
    let position = world.range(span).and_then(|range| {
        let source = world.source(id).ok()?;
        let (line, column) = source.lines().byte_to_line_column(range.start)?;
        let text = source
            .lines()
            .line_to_range(line)
            .map(|r| source.text()[r].trim_end().to_owned());
        Some((line, column, text))
    });
    match position {
        Some((line, column, text)) => (format!("{path}:{}:{}: ", line + 1, column + 1), text),
        None => (format!("{path}: "), None),
    }
}
