//! Time travel's costs natively: the memory benchmark's workload
//! (`Scenario::busy_with_retention`) run through a timeline for N virtual seconds (first
//! argument, 590 by default: just before the 10-minute retention check, when the logs hold the
//! most records), then what the live state and a snapshot hold on the heap, what a snapshot
//! and a tick take, and how long a step back and a seek take (20 moments spread over the
//! history, as scripts/perf drags the page's timeline). Heap figures are native (64-bit
//! pointers); the wasm figure is bench/memory.mjs's. Run with
//! `cargo bench -p kafka-sim --bench time_travel [seconds]`.
use kafka_sim::sim::Sim;
use kafka_sim::sim::scenario::Scenario;
use kafka_sim::sim::timeline::Timeline;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The system allocator, counting the bytes allocated and not yet freed.
struct Counting;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only counts are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract for `alloc`, passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract for `dealloc`, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE_BYTES.fetch_add(new_size, Ordering::Relaxed);
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract for `realloc`, passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live_mb() -> f64 {
    LIVE_BYTES.load(Ordering::Relaxed) as f64 / 1_048_576.0
}

fn build() -> Sim {
    Scenario::busy_with_retention()
        .build()
        .expect("the benchmark scenario")
}

/// p50 / p95 / max of `samples` in ms.
fn spread(mut samples: Vec<f64>) -> String {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    format!("{:.2} / {:.2} / {:.2} ms", at(0.5), at(0.95), at(1.0))
}

fn ms_since(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    // `cargo bench` passes `--bench`; the first number is the virtual seconds to run.
    let seconds: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(590);
    let end_ms = seconds * 1000;

    let before = live_mb();
    let mut sim = build();
    while sim.now_ms() < end_ms {
        sim.tick();
        sim.drain_events();
    }
    println!("live state alone:     {:.1} MB", live_mb() - before);
    drop(sim);

    let before = live_mb();
    let mut timeline = Timeline::new(build());
    let started = Instant::now();
    let mut ticks = 0;
    while timeline.sim().now_ms() < end_ms {
        timeline.tick();
        timeline.drain_events();
        ticks += 1;
    }
    let tick_ms = ms_since(started) / f64::from(ticks);
    println!("live state + history: {:.1} MB", live_mb() - before);
    let before = live_mb();
    let snapshot = timeline.sim().clone();
    println!("a snapshot:           {:.2} MB", live_mb() - before);
    drop(snapshot);
    let clones: Vec<f64> = (0..20)
        .map(|_| {
            let started = Instant::now();
            let snapshot = timeline.sim().clone();
            let took = ms_since(started);
            drop(snapshot);
            took
        })
        .collect();
    println!("a snapshot's clone:   {}", spread(clones));
    println!("a tick (recorded):    {tick_ms:.3} ms");

    let (start, end) = (timeline.start_ms(), timeline.end_ms());
    println!(
        "history:              {:.0} s of {:.0} s",
        (end - start) as f64 / 1000.0,
        end as f64 / 1000.0
    );
    let step_backs: Vec<f64> = (0..100)
        .map(|_| {
            let started = Instant::now();
            timeline.step_back();
            ms_since(started)
        })
        .collect();
    println!("step back (100):      {}", spread(step_backs));
    let seeks: Vec<f64> = (0..20)
        .map(|i| {
            // 20 moments spread over the history, visited out of order.
            let moment = start + (end - start) * ((i * 7) % 20) / 19;
            let started = Instant::now();
            timeline.seek(moment);
            ms_since(started)
        })
        .collect();
    println!("seek (20 moments):    {}", spread(seeks));
}
