//! Retention and compaction through the engine: segments roll, old ones are deleted and the log
//! start moves, consumers below it reset; compacted topics keep the newest value of each key.

mod support;
use kafka_sim::sim::ordered::map_of;
use kafka_sim::sim::{
    AutoOffsetReset, Command, ConsumerConfig, Offset, PartitionId, ProducerConfig, Sim, SimConfig,
};
use support::*;

/// A cluster checking logs every second, with topic `t` (1 partition, RF 3) with `configs`.
fn cluster(configs: &[(&str, &str)]) -> Sim {
    let mut sim = Sim::new(
        SimConfig {
            log_retention_check_interval_ms: 1_000,
            ..SimConfig::default()
        },
        1,
    )
    .expect("config");
    sim.apply(Command::CreateTopic {
        name: "t".into(),
        partitions: 1,
        replication_factor: 3,
        configs: map_of(configs.iter().map(|(k, v)| (k.to_string(), v.to_string()))),
    })
    .expect("topic");
    sim.apply(Command::AddProducer {
        producer: "p".into(),
        config: ProducerConfig {
            linger_ms: 0,
            batch_size: 0,
            ..ProducerConfig::default()
        },
    })
    .expect("producer");
    sim
}

fn produce(sim: &mut Sim, key: &str, value: Option<&str>) {
    sim.apply(Command::Produce {
        producer: "p".into(),
        topic: "t".into(),
        partition: None,
        key: Some(key.into()),
        value: value.map(str::to_owned),
    })
    .expect("produce");
    sim.tick();
}

fn keys_and_values(sim: &Sim) -> Vec<(u64, String, Option<String>)> {
    sim.records("t", PartitionId(0))
        .iter()
        .map(|r| {
            (
                r.offset.0,
                r.key.as_deref().unwrap_or("").to_owned(),
                r.value.as_deref().map(str::to_owned),
            )
        })
        .collect()
}

/// Half a mebibyte with a 1-byte key and 10 bytes of overhead: two records fill the smallest
/// segment Kafka 4.x allows (`segment.bytes` at least 1048576).
const HALF_SEGMENT_VALUE: usize = 524_288 - 11;

#[test]
fn retention_bytes_deletes_old_segments_and_consumers_below_reset() {
    let mut sim = cluster(&[("segment.bytes", "1048576"), ("retention.bytes", "2097152")]);
    sim.apply(Command::subscribe(
        "reader",
        "t",
        ConsumerConfig {
            auto_offset_reset: AutoOffsetReset::Earliest,
            ..ConsumerConfig::new("readers")
        },
    ))
    .expect("consumer");
    sim.apply(Command::CloseConsumer {
        consumer: "reader".into(),
    })
    .expect("close");
    sim.apply(Command::ResetOffsets {
        group: "readers".into(),
        topic: Some("t".into()),
        spec: kafka_sim::sim::types::ResetSpec::Earliest,
    })
    .expect("a committed offset at 0");
    for i in 0..10 {
        produce(
            &mut sim,
            "k",
            Some(&i.to_string().repeat(HALF_SEGMENT_VALUE)),
        );
    }
    let events = ticks(&mut sim, 15);
    let deleted = lines_with(&events, "retention DELETED");
    assert!(!deleted.is_empty(), "{events:?}");
    let partition = sim.partition("t", PartitionId(0)).expect("partition");
    let start = partition.log_start();
    assert!(start > Offset(0));
    assert!(
        partition
            .replicas
            .iter()
            .all(|r| r.log.start_offset() == start),
        "followers follow the leader's log start"
    );
    let bytes: u64 = sim
        .records("t", PartitionId(0))
        .iter()
        .map(|r| r.size_bytes())
        .sum();
    assert!(
        bytes <= 2_097_152 + 1_048_576,
        "at most a segment over retention.bytes: {bytes}"
    );
    // The group's committed offset 0 is gone: the next consumer resets to the log start.
    sim.apply(Command::subscribe(
        "again",
        "t",
        ConsumerConfig::new("readers"),
    ))
    .expect("consumer");
    let events = ticks(&mut sim, 60);
    let reset = lines_with(&events, "is out of range (OFFSET_OUT_OF_RANGE)");
    assert_eq!(reset.len(), 1, "{events:?}");
    assert!(
        reset[0].contains(&format!("starts t-0 at offset {start}")),
        "{reset:?}"
    );
}

#[test]
fn retention_ms_deletes_only_old_records() {
    let mut sim = cluster(&[("segment.ms", "1000"), ("retention.ms", "3000")]);
    for i in 0..4 {
        produce(&mut sim, "k", Some(&format!("{i:010}")));
    }
    ticks(&mut sim, 20);
    produce(&mut sim, "k", Some("fresh-0000"));
    produce(&mut sim, "k", Some("fresh-0001"));
    ticks(&mut sim, 15);
    let values: Vec<String> = keys_and_values(&sim)
        .into_iter()
        .filter_map(|(_, _, v)| v)
        .collect();
    assert_eq!(
        values,
        ["fresh-0000", "fresh-0001"],
        "only records younger than 3 s stay"
    );
}

#[test]
fn compaction_keeps_the_newest_value_of_each_key_with_gaps() {
    // A record a tick: segments of two records each.
    let mut sim = cluster(&[("cleanup.policy", "compact"), ("segment.ms", "200")]);
    for (key, value) in [
        ("c", "1"),
        ("a", "1"),
        ("b", "1"),
        ("a", "2"),
        ("b", "2"),
        ("a", "3"),
        ("z", "pad"),
        ("z", "pad"),
    ] {
        produce(&mut sim, key, Some(value));
    }
    let events = ticks(&mut sim, 15);
    assert!(
        !lines_with(&events, "the log cleaner compacted t-0").is_empty(),
        "{events:?}"
    );
    let kept = keys_and_values(&sim);
    let latest = |key: &str| {
        kept.iter()
            .filter(|(_, k, _)| k == key)
            .map(|(_, _, v)| v.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(latest("a"), [Some("3".to_owned())]);
    assert_eq!(latest("b"), [Some("2".to_owned())]);
    assert_eq!(latest("c"), [Some("1".to_owned())]);
    let offsets: Vec<u64> = kept.iter().map(|(o, _, _)| *o).collect();
    assert!(
        offsets.windows(2).any(|w| w[1] > w[0] + 1),
        "offsets keep their gaps: {offsets:?}"
    );
    // A new consumer reads only the survivors.
    sim.apply(Command::subscribe("late", "t", ConsumerConfig::new("late")))
        .expect("consumer");
    ticks(&mut sim, 60);
    assert_eq!(
        sim.consumer("late").map(|c| c.delivered),
        Some(kept.len() as u64)
    );
}

#[test]
fn a_tombstone_deletes_its_key_after_delete_retention() {
    let mut sim = cluster(&[
        ("cleanup.policy", "compact"),
        // A record a tick: one record a segment.
        ("segment.ms", "100"),
        ("delete.retention.ms", "2000"),
        ("min.cleanable.dirty.ratio", "0.01"),
    ]);
    produce(&mut sim, "user-1", Some("alice"));
    produce(&mut sim, "user-1", None);
    produce(&mut sim, "pad", Some("x"));
    ticks(&mut sim, 15);
    let after_first: Vec<_> = keys_and_values(&sim)
        .into_iter()
        .filter(|(_, k, _)| k == "user-1")
        .collect();
    assert_eq!(
        after_first.len(),
        1,
        "the tombstone stays for now: {after_first:?}"
    );
    assert_eq!(after_first[0].2, None);
    for i in 0..3 {
        produce(&mut sim, "pad", Some(&format!("{i}")));
    }
    ticks(&mut sim, 40);
    assert!(
        keys_and_values(&sim).iter().all(|(_, k, _)| k != "user-1"),
        "after delete.retention.ms the tombstone goes too: {:?}",
        keys_and_values(&sim)
    );
}
