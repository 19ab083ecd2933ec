//! Rendering time of the example report (Silkeborg from the bundled sample, three fact
//! sheets): typst compile and PDF export, with the memo cache emptied before each run so every
//! run lays out from scratch as a report of a new municipality would. Prints the page count,
//! so the time per page can be read off. Run with `cargo bench --bench render`.

mod common;

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use report::aggregate::{DEFAULT_MIN_CELL, Pattern, Tally, summarise};
use report::catalogue::Catalogue;
use report::date::ReportDate;
use report::render::Renderer;
use report::survey::Responses;

fn render(c: &mut Criterion) {
    let codebook = common::codebook();
    let paths = [PathBuf::from("examples/udskoling-2026-sample.csv")];
    let (responses, _) = Responses::read(&paths, &codebook, None).unwrap();
    let tally = Tally::count(&codebook, &responses);
    let pattern = Pattern::of(&tally, DEFAULT_MIN_CELL);
    let silkeborg = tally.find_municipality("Silkeborg").unwrap();
    let summary = summarise(&codebook, &tally, &pattern, silkeborg, None).unwrap();
    let catalogue = Catalogue::bundled();
    let interventions = catalogue
        .select(["x-it", "fri-for-mobberi", "ventilen"])
        .unwrap();
    let date: ReportDate = common::DATE.parse().unwrap();
    let data = common::danish_report(&codebook, &summary, &interventions, &catalogue);
    let renderer = Renderer::new();
    let pages = renderer.report(&data, &[], date, "bench").unwrap().pages;
    println!("the example report has {pages} pages");

    let mut group = c.benchmark_group("render");
    group.sample_size(20);
    group.bench_function(format!("example report, {pages} pages, cold"), |b| {
        b.iter(|| {
            comemo::evict(0);
            renderer.report(&data, &[], date, "bench").unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
