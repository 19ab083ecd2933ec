//! `--timings FILE`: a profile of one run, in the trace format the typst CLI writes (Chrome's,
//! which chrome://tracing and ui.perfetto.dev open), with each phase's total on stderr. Our
//! phases ([`report::phase`]) are recorded with typst's own timer, so one trace shows the
//! survey being read, disclosure control, the figures, typst's evaluation and each of its
//! layout iterations, the PDF export and the layout check.

use std::collections::HashMap;
use std::num::NonZeroU64;

use anyhow::Result;
use serde::Deserialize;

use report::phase;

/// Starts recording.
pub(super) fn start() {
    typst_timing::enable();
}

/// What was recorded since [`start`]: the trace (JSON) and a one-line summary of the phases.
pub(super) fn finish() -> Result<(Vec<u8>, String)> {
    let mut trace = Vec::new();
    typst_timing::export_json(&mut trace, source_of).map_err(anyhow::Error::msg)?;
    typst_timing::disable();
    let events: Vec<Event> = serde_json::from_slice(&trace)?;
    Ok((trace, summary(&events)))
}

/// One start ("B") or end ("E") of a timed scope, as the trace holds it.
#[derive(Debug, Deserialize)]
struct Event {
    name: String,
    ph: String,
    /// Microseconds since the first event.
    ts: f64,
    tid: u64,
}

/// Each phase's time, summed over its outermost scopes (an evaluation nested in another is
/// part of it), in the order the phases run; phases that did not run are left out.
fn summary(events: &[Event]) -> String {
    let mut open: HashMap<(u64, &str), (usize, f64)> = HashMap::new();
    let mut total: HashMap<&str, f64> = HashMap::new();
    for event in events {
        let name = event.name.as_str();
        if !phase::summary().any(|phase| phase == name) {
            continue;
        }
        let (depth, since) = open.entry((event.tid, name)).or_insert((0, 0.0));
        match event.ph.as_str() {
            "B" => {
                if *depth == 0 {
                    *since = event.ts;
                }
                *depth += 1;
            }
            "E" if *depth > 0 => {
                *depth -= 1;
                if *depth == 0 {
                    *total.entry(name).or_default() += event.ts - *since;
                }
            }
            _ => {}
        }
    }
    phase::summary()
        .filter_map(|name| Some(format!("{name} {:.3} s", total.get(name)? / 1e6)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The template file a timed span lies in (its line is not resolved: that needs the source).
fn source_of(span: NonZeroU64) -> (String, u32) {
    let file = typst::syntax::Span::from_raw(span)
        .id()
        .map(|id| id.vpath().get_without_slash().to_owned())
        .unwrap_or_default();
    (file, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &str, ph: &str, ts: f64) -> Event {
        Event {
            name: name.to_owned(),
            ph: ph.to_owned(),
            ts,
            tid: 1,
        }
    }

    #[test]
    fn nested_scopes_of_one_phase_count_once_and_phases_keep_their_order() {
        let events = [
            event("pdf", "B", 5_000_000.0),
            event("pdf", "E", 5_250_000.0),
            event("eval", "B", 0.0),
            event("eval", "B", 100_000.0),
            event("eval", "E", 200_000.0),
            event("func call", "B", 300_000.0),
            event("func call", "E", 400_000.0),
            event("eval", "E", 1_000_000.0),
        ];
        assert_eq!(summary(&events), "eval 1.000 s · pdf 0.250 s");
    }
}
