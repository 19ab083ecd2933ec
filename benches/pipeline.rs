//! Benchmarks of the data side of the pipeline on the synthetic national survey
//! (`examples/gen-survey.rs`): reading the CSV, counting it in one pass, disclosure control
//! over every municipality (and for one municipality's report, with its schools), and
//! summarising every municipality. Run with `cargo bench --bench pipeline`; the 1M-row set is 10× the national one.

mod common;

use std::io::Write;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use report::aggregate::{
    ComparisonGroup, DEFAULT_MIN_CELL, Focus, Level, Pattern, Source, Tally, UnitRef, summarise,
};
use report::survey::Responses;

fn pipeline(c: &mut Criterion) {
    let codebook = common::codebook();
    for (name, scale) in [("national-100k", 1.0), ("national-1m", 10.0)] {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        let rows = common::national(&codebook, scale, &mut file);
        file.flush().unwrap();
        let path = file.path();
        let bytes = std::fs::metadata(path).unwrap().len();

        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        group.throughput(Throughput::Bytes(bytes));
        let paths = [path.to_owned()];
        group.bench_function(format!("read and validate {rows} rows"), |b| {
            b.iter(|| Responses::read(&paths, &codebook, None).unwrap());
        });
        let (responses, _) = Responses::read(&paths, &codebook, None).unwrap();
        group.throughput(Throughput::Elements(rows as u64));
        group.bench_function("tally", |b| {
            b.iter(|| Tally::count(&codebook, &responses, Level::Municipality));
        });
        let tally = Tally::count(&codebook, &responses, Level::Municipality);
        group.bench_function("disclosure control", |b| {
            b.iter(|| Pattern::of(&tally, DEFAULT_MIN_CELL));
        });
        // What one municipality's report decides where the round also publishes school
        // reports: its municipality in the school-level system, the others' wholes
        // (`report build -m`; the school level of the 1M file is out of a bench's reach).
        if scale == 1.0 {
            let schools = Tally::count(&codebook, &responses, Level::School);
            let m = tally.find_municipality("Silkeborg").unwrap();
            group.bench_function("disclosure control of one report, with schools", |b| {
                b.iter(|| {
                    Pattern::focused(&schools, DEFAULT_MIN_CELL, Focus::One(Some(m))).municipal()
                });
            });
        }
        let pattern = Pattern::of(&tally, DEFAULT_MIN_CELL);
        let all = [ComparisonGroup {
            id: "all".into(),
            name: None,
            members: (0..tally.municipalities().len()).collect(),
        }];
        let source = Source {
            codebook: &codebook,
            tally: &tally,
            pattern: &pattern,
            previous: &[],
            relevant: report::aggregate::DEFAULT_RELEVANT_DIFFERENCE,
            standardise: &[],
        };
        // The same, every comparison standardised over the first two breakdowns (gender and
        // grade): what `standardise:` costs the figures.
        let standardised = Source {
            standardise: &[0, 1],
            ..source
        };
        for (name, source) in [
            ("summarise all municipalities", source),
            ("summarise all municipalities, standardised", standardised),
        ] {
            group.bench_function(name, |b| {
                b.iter(|| {
                    (0..tally.municipalities().len())
                        .map(|m| summarise(source, UnitRef::Municipality(m), &all))
                        .collect::<Vec<_>>()
                });
            });
        }
        group.finish();
    }
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
