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
/// each layout iteration, PDF export).
pub const SUMMARY: &[&str] = &[
    READ,
    DISCLOSURE,
    FIGURES,
    "eval",
    "iter (1)",
    "iter (2)",
    "iter (3)",
    "iter (4)",
    "iter (5)",
    "pdf",
    LAYOUT_CHECK,
];
