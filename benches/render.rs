//! Rendering time of the example report (Silkeborg from the bundled sample, three fact
//! sheets): typst compile and PDF export, and the same report as an HTML page, with the memo
//! cache emptied before each run so every run starts from scratch as a report of a new
//! municipality would. Prints the page count, so the time per page can be read off. Run with
//! `cargo bench --bench render`.

mod common;

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use report::render::Downloads;

fn render(c: &mut Criterion) {
    let project = common::project(Path::new("examples/udskoling-2026-sample.csv"));
    let survey = project
        .read_survey(report::aggregate::Level::Municipality)
        .unwrap();
    let interventions = project
        .catalogue()
        .unwrap()
        .select(["x-it", "fri-for-mobberi", "ventilen"])
        .unwrap();
    let report = project
        .report(
            &survey,
            report::project::Subject::Municipality("Silkeborg"),
            &interventions,
        )
        .unwrap();
    let pages = project.render(&report).unwrap().pages;
    println!("the example report has {pages} pages");

    let mut group = c.benchmark_group("render");
    group.sample_size(20);
    group.bench_function(format!("example report, {pages} pages, cold"), |b| {
        b.iter(|| {
            comemo::evict(0);
            project.render(&report).unwrap()
        });
    });
    let downloads = Downloads::of(
        Path::new("report.html"),
        Some(Path::new("report.pdf")),
        Some(Path::new("tables.xlsx")),
    );
    group.bench_function("example report as HTML, cold", |b| {
        b.iter(|| {
            comemo::evict(0);
            project.render_html(&report, &downloads).unwrap()
        });
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
