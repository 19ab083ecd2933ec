//! Integration tests: they run the real `report` binary and read the PDFs it writes.

mod batch;
mod build;
mod catalogue;
mod hardening;
mod ingest;
mod layout;
mod levels;
mod privacy;
mod publication;
mod reading;
mod shell;
mod support;
mod tables;
