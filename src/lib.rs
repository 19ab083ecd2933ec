//! `report` builds basis reports (basisrapporter) of Danish municipal youth surveys as PDF,
//! with fact sheets from an intervention library appended.
//!
//! The flow runs one way: [`survey`] and [`catalogue`] load and check the inputs,
//! [`aggregate`] turns respondent rows into privacy-checked figures without any I/O,
//! [`render`] turns figures and fact sheets into PDF through embedded Typst (and figures
//! into Excel tables). [`project`] is the one way in: it resolves a job's options once and
//! builds reports, fact sheets and ([`batch`]) every municipality's report. The command
//! line (the `report` binary's `cli` and `commands`) is the thin layer that parses flags,
//! calls it and prints; it is not part of the library.

pub mod aggregate;
pub mod batch;
pub mod catalogue;
pub mod config;
mod contain;
pub mod date;
pub mod finding;
pub mod input;
mod lang;
pub mod markdown;
mod names;
pub mod output;
pub mod phase;
pub mod project;
pub mod render;
pub mod scaffold;
mod slug;
pub mod suggest;
pub mod survey;

pub use lang::{Lang, Text, fact_label};
pub use names::UnknownName;
