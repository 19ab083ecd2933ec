//! The `report` binary: parse the command line, run it, print any error once.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

mod cli;
mod commands;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            // A closed pipe (`report catalogue list | head`) is not an error.
            if error.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            let mut stderr = std::io::stderr().lock();
            let mut shown = error.to_string();
            let _ = writeln!(stderr, "error: {shown}");
            for cause in error.chain().skip(1) {
                let text = cause.to_string();
                // A message that already ends with its cause ("cannot read X: <cause>") does
                // not get it a second time.
                if !shown.ends_with(&text) {
                    let _ = writeln!(stderr, "  caused by: {text}");
                }
                shown = text;
            }
            ExitCode::from(2)
        }
    }
}

/// typst allocates and frees a great many small objects; mimalloc does that faster than the
/// system allocator, especially with several threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
