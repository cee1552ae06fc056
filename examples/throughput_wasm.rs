//! The throughput benchmark's workload as a WebAssembly module for Node.js, split so that
//! bench/throughput.mjs times only the simulation: `prepare(rate)` builds the `throughput`
//! scenario, `run(records)` ticks it until that many records are acknowledged and returns the
//! ticks it took, `finish()` drops it (outside the timing, as the native benchmark does).
//! Built and run by scripts/bench.

use kafka_playground::sim::{Sim, scenario::Scenario};
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
