//! The names of a run's phases, as its profile (`report build --timings`) shows them: ours,
//! recorded with typst's timer so that one trace holds both, and typst's own.

/// Reading the survey file and counting its cells.
pub const READ: &str = "read and count survey";
/// Disclosure control of every unit of the file.
pub const DISCLOSURE: &str = "disclosure control";
/// One report's figures, tests and template data.
pub const FIGURES: &str = "figures";
/// The layout checks of a compiled document (overlaps, small text).
pub const LAYOUT_CHECK: &str = "layout check";

/// The phases a profile's summary lists, in the order they run: ours and typst's (evaluation,
/// each layout iteration as typst names it, PDF export).
pub fn summary() -> impl Iterator<Item = &'static str> {
    [READ, DISCLOSURE, FIGURES, "eval"]
        .into_iter()
        .chain(typst::introspection::ITER_NAMES.iter().copied())
        .chain(["pdf", LAYOUT_CHECK])
}
