//! Records/s end to end, natively: the `throughput` scenario (3 brokers, RF 3, 12 partitions,
//! acks=all) produces, replicates and acknowledges N records (first argument, 2,000,000 by
//! default); records/s = N / wall time, best of three runs. Run by scripts/bench.
use kafka_sim::sim::scenario::Scenario;
use std::time::Instant;

/// Virtual records/s the generator offers: a little more than the producer moves (about
/// 170,000/s of virtual time with Kafka's defaults), so the producer's own limits set the pace
/// without making many records that are never sent.
const RATE: u64 = 200_000;

fn main() {
    // `cargo bench` passes `--bench`; the first number is the record count.
    let records: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2_000_000);
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let mut sim = Scenario::throughput(RATE)
            .build()
            .expect("the benchmark scenario");
        let started = Instant::now();
        let mut ticks = 0;
        while sim.producer("bench").map_or(0, |p| p.stats.acknowledged) < records {
            sim.tick();
            sim.drain_events();
            ticks += 1;
        }
        let seconds = started.elapsed().as_secs_f64();
        best = best.min(seconds);
        eprintln!("{records} records acknowledged in {seconds:.3} s ({ticks} ticks)");
    }
    println!("native records/s: {:.0}", records as f64 / best);
}
