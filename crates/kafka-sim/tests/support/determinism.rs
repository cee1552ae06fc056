//! The determinism workload: the same scenarios, seeds and commands must reach the same state
//! natively and in the browser's WebAssembly. examples/determinism_wasm.rs runs it in the page
//! the browser test opens; the test runs it natively and compares.

use kafka_sim::console::script::run_script;
use kafka_sim::lesson::Lesson;
use kafka_sim::sim::Sim;
use kafka_sim::sim::scenario::{SCENARIO_NAMES, Scenario};
use kafka_sim::sim::timeline::Timeline;

/// Virtual time each scenario runs for after it starts.
const RUN_MS: u64 = 20_000;

/// `(what ran, the state hash it reached)`, or the reason it could not run.
pub fn state_hashes() -> Vec<(String, String)> {
    let mut hashes = Vec::new();
    let mut note = |name: String, hash: Result<u64, String>| {
        hashes.push((
            name,
            hash.map_or_else(|e| format!("error: {e}"), |h| format!("{h:016x}")),
        ));
    };
    // Every scenario the page offers, and the busy one under other seeds: generators, keys,
    // consumer groups and their rebalances, retention.
    for name in SCENARIO_NAMES {
        let scenario = Scenario::named(name).ok_or("unknown".to_owned());
        note(format!("scenario {name}"), scenario.and_then(|s| run(&s)));
    }
    for seed in [0, 1, 2, u64::MAX] {
        let scenario = Scenario {
            seed,
            ..Scenario::busy()
        };
        note(format!("busy, seed {seed}"), run(&scenario));
    }
    // Console sessions: every lesson with its exercises solved (crashes, unclean elections,
    // transactions, compaction), and the console's golden script.
    for lesson in Lesson::all().unwrap_or_default() {
        let walk = lesson.walk(true).map(|w| w.state_hash);
        note(format!("lesson {}", lesson.id), walk);
    }
    let script = include_str!("../console/first-steps.console");
    let console = Scenario::quiet()
        .build()
        .map_err(|e| e.to_string())
        .map(|sim| {
            let mut timeline = Timeline::new(sim);
            run_script(script, &mut timeline);
            timeline.sim().state_hash()
        });
    note("console first-steps".to_owned(), console);
    hashes
}

/// Builds `scenario` and runs it for `RUN_MS`.
fn run(scenario: &Scenario) -> Result<u64, String> {
    let mut sim: Sim = scenario.build().map_err(|e| e.to_string())?;
    let end = sim.now_ms() + RUN_MS;
    while sim.now_ms() < end {
        sim.tick();
        sim.drain_events();
    }
    Ok(sim.state_hash())
}
