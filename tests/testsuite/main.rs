//! Integration tests: they run the real `report` binary and read the PDFs it writes.

mod batch;
mod build;
mod catalogue;
mod draft;
mod hardening;
mod html;
mod ingest;
mod joint;
mod layout;
mod levels;
mod privacy;
mod publication;
mod reading;
mod shell;
mod spss;
mod standardise;
mod stderr;
mod support;
mod tables;
