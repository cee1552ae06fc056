//! The throughput benchmark's workload as a WebAssembly module for Node.js, split so that
//! bench/throughput.mjs times only the simulation: `prepare(rate)` builds the `throughput`
//! scenario, `run(records)` ticks it until that many records are acknowledged and returns the
//! ticks it took, `finish()` drops it (outside the timing, as the native benchmark does).
//! Built and run by scripts/bench.
use kafka_sim::sim::{Sim, scenario::Scenario};
use std::cell::RefCell;
use wasm_bindgen::prelude::wasm_bindgen;

thread_local! {
    static SIM: RefCell<Option<Sim>> = const { RefCell::new(None) };
}

/// Builds the benchmark scenario offering `rate` records/s.
#[wasm_bindgen]
pub fn prepare(rate: u32) -> bool {
    let sim = Scenario::throughput(u64::from(rate)).build().ok();
    let built = sim.is_some();
    SIM.with(|cell| *cell.borrow_mut() = sim);
    built
}

/// Ticks until `records` records are acknowledged; returns the ticks.
#[wasm_bindgen]
pub fn run(records: u32) -> u32 {
    SIM.with(|cell| {
        let mut cell = cell.borrow_mut();
        let Some(sim) = cell.as_mut() else {
            return 0;
        };
        let mut ticks = 0;
        while sim.producer("bench").map_or(0, |p| p.stats.acknowledged) < u64::from(records) {
            sim.tick();
            sim.drain_events();
            ticks += 1;
        }
        ticks
    })
}

/// Drops the simulation.
#[wasm_bindgen]
pub fn finish() {
    SIM.with(|cell| *cell.borrow_mut() = None);
}

/// Memory: the busy scenario (1,000 records/s, 2 groups × 4 consumers) with retention
/// (`Scenario::busy_with_retention`: Kafka's 5-minute retention check) run through a
/// timeline as the page runs it (snapshots for time travel included) for `minutes` virtual
/// minutes. Returns the wasm memory in bytes after each minute, comma-separated.
#[wasm_bindgen]
pub fn memory_profile(minutes: u32) -> String {
    use kafka_sim::sim::timeline::Timeline;
    let Ok(sim) = Scenario::busy_with_retention().build() else {
        return String::new();
    };
    let mut timeline = Timeline::new(sim);
    let mut samples = Vec::new();
    for minute in 1..=u64::from(minutes) {
        while timeline.sim().now_ms() < minute * 60_000 {
            timeline.tick();
            timeline.drain_events();
        }
        samples.push(memory_bytes().to_string());
    }
    samples.join(",")
}

/// The wasm memory in bytes (0 natively, where the example is only compiled by clippy).
fn memory_bytes() -> usize {
    #[cfg(target_arch = "wasm32")]
    {
        core::arch::wasm32::memory_size(0) * 65_536
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}
