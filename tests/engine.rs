//! The engine through its public API: the partitioner's choices, topics, consuming and
//! committing, refusals that change nothing, determinism, and a golden event log.

mod support;

use kafka_playground::sim::generator::KeySet;
use kafka_playground::sim::partitioner::{PartitionerMode, partition_for_key};
use kafka_playground::sim::scenario::Scenario;
use kafka_playground::sim::{
    AutoOffsetReset, BrokerId, Command, ConsumerConfig, Offset, Outcome, PartitionId,
    ProducerConfig, Sim, SimConfig, SimError,
};
use std::collections::BTreeMap;
use support::*;

fn poll(sim: &mut Sim, consumer: &str) -> usize {
    // An explicit poll, between the poll loop's own.
    match sim.apply(Command::Poll {
        consumer: consumer.into(),
    }) {
        Ok(Outcome::Polled { records }) => records,
        other => panic!("poll failed: {other:?}"),
    }
}

fn position(sim: &Sim, consumer: &str, partition: u32) -> Option<u64> {
    sim.view()
        .consumers
        .iter()
        .find(|c| c.id == consumer)
        .and_then(|c| c.positions.get(&PartitionId(partition)))
        .map(|o| o.0)
}

/// Adds a consumer of `orders`; like every consumer it polls on each tick.
fn add_consumer(sim: &mut Sim, id: &str, group: &str, configure: impl FnOnce(&mut ConsumerConfig)) {
    let mut config = ConsumerConfig::new(group);
    configure(&mut config);
    sim.apply(Command::AddConsumer {
        consumer: id.into(),
        topic: "orders".into(),
        config,
    })
    .expect("consumer");
}

/// How many records each poll of `consumer` returned, in order.
fn polled(events: &[kafka_playground::sim::TimedEvent], consumer: &str) -> Vec<u64> {
    events
        .iter()
        .filter_map(|e| match &e.event {
            kafka_playground::sim::Event::Fetched {
                consumer: c,
                from,
                to,
                ..
            } if c == consumer => Some(to.0 - from.0),
            _ => None,
        })
        .collect()
}

#[test]
fn same_key_same_partition_consecutive_offsets() {
    let mut sim = starter();
    let expected = partition_for_key(b"user-7", 3);
    for _ in 0..3 {
        assert_eq!(send(&mut sim, Some("user-7"), None), expected);
    }
    settle(&mut sim, 50);
    assert_eq!(offsets(&sim, "orders", expected), [0, 1, 2]);
}

#[test]
fn keys_follow_kafkas_hash() {
    let mut sim = starter();
    // Kafka Streams' published partitions of keys "0".."9" over 3 partitions.
    let got: Vec<u32> = (0..10)
        .map(|k| send(&mut sim, Some(&k.to_string()), None))
        .collect();
    assert_eq!(got, [2, 0, 2, 2, 1, 0, 1, 0, 0, 2]);
}

#[test]
fn records_without_a_key_stick_to_one_partition_per_batch() {
    let mut sim = starter();
    let first = send(&mut sim, None, None);
    for _ in 0..20 {
        assert_eq!(
            send(&mut sim, None, None),
            first,
            "small records share the sticky batch"
        );
    }
    assert_eq!(
        send(&mut sim, Some("k"), Some(1)),
        1,
        "an explicit partition wins"
    );
}

#[test]
fn the_guide_partitioner_is_key_modulo_and_round_robin() {
    let mut sim = starter();
    sim.apply(Command::AddProducer {
        producer: "guide".into(),
        config: ProducerConfig {
            partitioner: PartitionerMode::Guide,
            ..ProducerConfig::default()
        },
    })
    .expect("producer");
    let mut send_guide = |key: Option<&str>| match sim.apply(Command::Produce {
        producer: "guide".into(),
        topic: "orders".into(),
        partition: None,
        key: key.map(str::to_owned),
        value: Some("v".into()),
    }) {
        Ok(Outcome::Queued { partition, .. }) => partition.0,
        other => panic!("{other:?}"),
    };
    assert_eq!([send_guide(Some("7")), send_guide(Some("8"))], [1, 2]);
    let round_robin: Vec<u32> = (0..4).map(|_| send_guide(None)).collect();
    assert_eq!(round_robin, [0, 1, 2, 0]);
}

#[test]
fn bad_produce_input_is_refused_with_the_field_named() {
    let mut sim = starter();
    let produce = |producer: &str, topic: &str, partition| Command::Produce {
        producer: producer.into(),
        topic: topic.into(),
        partition,
        key: None,
        value: Some("v".into()),
    };
    for requested in [3, 7, -1, i64::MAX] {
        refused(
            &mut sim,
            produce("producer-1", "orders", Some(requested)),
            SimError::PartitionOutOfRange {
                topic: "orders".into(),
                requested,
                partitions: 3,
            },
        );
    }
    refused(
        &mut sim,
        produce("producer-1", "nope", None),
        SimError::UnknownTopic {
            topic: "nope".into(),
        },
    );
    refused(
        &mut sim,
        produce("ghost", "orders", None),
        SimError::UnknownProducer {
            producer: "ghost".into(),
        },
    );
}

#[test]
fn bad_topics_are_refused() {
    let mut sim = starter();
    refused(
        &mut sim,
        Command::create_topic("orders", 3, 1),
        SimError::TopicAlreadyExists {
            topic: "orders".into(),
        },
    );
    refused(
        &mut sim,
        Command::create_topic("payments", 0, 1),
        SimError::InvalidPartitionCount { requested: 0 },
    );
    refused(
        &mut sim,
        Command::create_topic("payments", 65, 1),
        SimError::InvalidPartitionCount { requested: 65 },
    );
    for rf in [0, 4, -1] {
        refused(
            &mut sim,
            Command::create_topic("payments", 1, rf),
            SimError::InvalidReplicationFactor {
                requested: rf,
                running: 3,
            },
        );
    }
    refused(
        &mut sim,
        Command::CreateTopic {
            name: "payments".into(),
            partitions: 1,
            replication_factor: 1,
            configs: BTreeMap::from([("min.insync.replicas".to_owned(), "zero".to_owned())]),
        },
        SimError::InvalidConfig {
            key: "min.insync.replicas".into(),
            value: "zero".into(),
            allowed: "a whole number, at least 1".into(),
        },
    );
    sim.apply(Command::create_topic("to.pic", 1, 1))
        .expect("a new topic");
    refused(
        &mut sim,
        Command::create_topic("to_pic", 1, 1),
        SimError::TopicCollides {
            topic: "to_pic".into(),
            existing: "to.pic".into(),
        },
    );
}

#[test]
fn topics_grow_and_go() {
    let mut sim = starter();
    refused(
        &mut sim,
        Command::AddPartitions {
            topic: "orders".into(),
            partitions: 3,
        },
        SimError::PartitionCountNotIncreased {
            topic: "orders".into(),
            current: 3,
            requested: 3,
        },
    );
    sim.apply(Command::AddPartitions {
        topic: "orders".into(),
        partitions: 5,
    })
    .expect("grow");
    let view = sim.view();
    let orders = view.topic("orders").expect("orders");
    assert_eq!(orders.partitions.len(), 5);
    assert!(orders.partitions.iter().all(|p| p.replicas.len() == 3));
    // After growing, keys hash modulo 5.
    assert_eq!(
        send(&mut sim, Some("user-7"), None),
        partition_for_key(b"user-7", 5)
    );

    sim.apply(Command::DeleteTopic {
        topic: "orders".into(),
    })
    .expect("delete");
    assert!(sim.view().topics.is_empty());
    settle(&mut sim, 20);
    assert_eq!(
        poll(&mut sim, "consumer-1"),
        0,
        "a consumer of a deleted topic reads nothing"
    );
}

#[test]
fn poll_reads_below_the_high_watermark_and_commit_stores_it() {
    let mut sim = starter();
    add_consumer(&mut sim, "manual", "group-2", |c| {
        c.enable_auto_commit = false
    });
    let p = partition_for_key(b"user-7", 3);
    for _ in 0..3 {
        send(&mut sim, Some("user-7"), None);
    }
    sim.tick(); // the leader appends and followers copy, but the high watermark waits a round
    assert_eq!(
        sim.partition("orders", PartitionId(p)).map(|x| x.log_end()),
        Some(Offset(3))
    );
    assert_eq!(
        position(&sim, "manual", p),
        Some(0),
        "nothing below the high watermark yet"
    );
    settle(&mut sim, 20);
    assert_eq!(position(&sim, "manual", p), Some(3));
    assert_eq!(
        sim.committed("group-2", "orders", PartitionId(p)),
        None,
        "auto-commit is off"
    );
    sim.apply(Command::Commit {
        consumer: "manual".into(),
    })
    .expect("commit");
    assert_eq!(
        sim.committed("group-2", "orders", PartitionId(p)),
        Some(Offset(3))
    );

    // Another consumer of the same group starts from the committed offset.
    add_consumer(&mut sim, "second", "group-2", |_| {});
    send(&mut sim, Some("user-7"), None);
    let events = settle(&mut sim, 20);
    assert_eq!(
        polled(&events, "second"),
        [1],
        "only the record after the commit"
    );
}

#[test]
fn max_poll_records_limits_one_poll() {
    let mut sim = starter();
    add_consumer(&mut sim, "slow", "slow", |c| c.max_poll_records = 2);
    for _ in 0..5 {
        send(&mut sim, Some("user-7"), None);
    }
    let events = ticks(&mut sim, 10);
    assert_eq!(polled(&events, "slow"), [2, 2, 1]);
}

#[test]
fn auto_commit_commits_what_earlier_polls_returned() {
    let mut sim = starter();
    let p = partition_for_key(b"k", 3);
    send(&mut sim, Some("k"), None);
    settle(&mut sim, 20);
    let read_at = sim.now_ms();
    assert_eq!(
        position(&sim, "consumer-1", p),
        Some(1),
        "the starter consumer polls every tick"
    );
    assert_eq!(sim.committed("group-1", "orders", PartitionId(p)), None);
    sim.advance_to(4_900);
    assert_eq!(
        sim.committed("group-1", "orders", PartitionId(p)),
        None,
        "not before 5 s"
    );
    sim.advance_to(5_000);
    assert!(read_at < 5_000);
    assert_eq!(
        sim.committed("group-1", "orders", PartitionId(p)),
        Some(Offset(1))
    );
}

#[test]
fn auto_offset_reset_latest_and_none() {
    let mut sim = starter();
    send(&mut sim, Some("k"), None);
    settle(&mut sim, 20);
    let p = partition_for_key(b"k", 3);
    add_consumer(&mut sim, "late", "late", |c| {
        c.auto_offset_reset = AutoOffsetReset::Latest
    });
    assert_eq!(poll(&mut sim, "late"), 0);
    assert_eq!(
        position(&sim, "late", p),
        Some(1),
        "starts at the high watermark"
    );

    add_consumer(&mut sim, "strict", "strict", |c| {
        c.auto_offset_reset = AutoOffsetReset::None
    });
    refused(
        &mut sim,
        Command::Poll {
            consumer: "strict".into(),
        },
        SimError::NoOffsetForPartition {
            consumer: "strict".into(),
            topic: "orders".into(),
            partition: PartitionId(0),
        },
    );
    // Its poll loop stops once, with the reason in the events, instead of failing every tick.
    let events = ticks(&mut sim, 2);
    assert_eq!(lines_with(&events, "strict stopped polling").len(), 1);
}

#[test]
fn subscribing_elsewhere_commits_first_and_resumes_later() {
    let mut sim = starter();
    sim.apply(Command::create_topic("payments", 1, 1))
        .expect("topic");
    let p = partition_for_key(b"k", 3);
    send(&mut sim, Some("k"), None);
    settle(&mut sim, 20);
    let subscribe = |topic: &str| Command::Subscribe {
        consumer: "consumer-1".into(),
        topic: topic.into(),
    };
    sim.apply(subscribe("payments")).expect("subscribe");
    assert_eq!(
        sim.committed("group-1", "orders", PartitionId(p)),
        Some(Offset(1))
    );
    sim.apply(subscribe("orders")).expect("back");
    send(&mut sim, Some("k"), None);
    let events = settle(&mut sim, 20);
    assert_eq!(
        lines_with(&events, "consumer-1 polled").len(),
        1,
        "resumes after the committed offset: {events:?}"
    );
}

#[test]
fn generators_send_at_their_rate() {
    let mut sim = starter();
    sim.apply(Command::StartGenerator {
        generator: "load".into(),
        producer: "producer-1".into(),
        topic: "orders".into(),
        rate_per_sec: 50,
        keys: KeySet::Uniform { count: 10 },
    })
    .expect("generator");
    sim.advance_to(2_000);
    sim.apply(Command::StopGenerator {
        generator: "load".into(),
    })
    .expect("stop");
    settle(&mut sim, 50);
    let total: usize = (0..3).map(|p| offsets(&sim, "orders", p).len()).sum();
    assert_eq!(total, 100, "50 records/s for 2 s");
}

#[test]
fn same_seed_same_state_and_the_seed_matters() {
    let run = |seed: u64| {
        let mut sim = Sim::new(SimConfig::default(), seed).expect("sim");
        sim.apply(Command::create_topic("t", 3, 2)).expect("topic");
        sim.apply(Command::AddProducer {
            producer: "p".into(),
            config: ProducerConfig::default(),
        })
        .expect("producer");
        for i in 0..30 {
            let key = (i % 3 == 0).then(|| format!("k{i}"));
            sim.apply(Command::Produce {
                producer: "p".into(),
                topic: "t".into(),
                partition: None,
                key,
                value: Some(format!("v{i}")),
            })
            .expect("produce");
            sim.tick();
        }
        sim
    };
    let (a, b) = (run(7), run(7));
    assert_eq!(a, b);
    assert_eq!(a.state_hash(), b.state_hash());
    let hashes: std::collections::BTreeSet<u64> = (0..10).map(|s| run(s).state_hash()).collect();
    assert!(
        hashes.len() > 1,
        "the seed decides placement and sticky partitions"
    );
    let json = serde_json::to_string(&a).expect("serialize");
    let restored: Sim = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(
        restored.state_hash(),
        a.state_hash(),
        "a snapshot restores the same state"
    );
}

#[test]
fn invalid_configs_are_refused() {
    let config = |brokers, tick_ms| SimConfig {
        brokers,
        tick_ms,
        ..SimConfig::default()
    };
    assert_eq!(
        Sim::new(config(0, 100), 1).err(),
        Some(SimError::InvalidBrokerCount { requested: 0 })
    );
    assert_eq!(
        Sim::new(config(13, 100), 1).err(),
        Some(SimError::InvalidBrokerCount { requested: 13 })
    );
    assert!(Sim::new(config(3, 0), 1).is_err());
    let mut sim = starter();
    refused(
        &mut sim,
        Command::CrashBroker {
            broker: BrokerId(9),
        },
        SimError::UnknownBroker {
            broker: BrokerId(9),
        },
    );
}

/// The event log of a fixed session, compared with tests/golden/starter.log. Set
/// UPDATE_GOLDEN=1 to rewrite the file after a deliberate change, then read the diff.
#[test]
fn golden_event_log() {
    let mut sim = Scenario::starter().build().expect("starter");
    let commands = [
        Command::produce("producer-1", "orders", Some("user-7"), "order placed"),
        Command::produce("producer-1", "orders", None, "heartbeat"),
        Command::Produce {
            producer: "producer-1".into(),
            topic: "orders".into(),
            partition: Some(1),
            key: Some("user-9".into()),
            value: Some("pinned".into()),
        },
    ];
    for command in commands {
        sim.apply(command).expect("golden command");
    }
    sim.advance_to(300);
    sim.apply(Command::CrashBroker {
        broker: BrokerId(2),
    })
    .expect("crash");
    sim.apply(Command::produce(
        "producer-1",
        "orders",
        Some("user-7"),
        "order paid",
    ))
    .expect("produce");
    sim.advance_to(10_000);
    sim.apply(Command::RestartBroker {
        broker: BrokerId(2),
    })
    .expect("restart");
    sim.advance_to(10_500);
    let log: String = sim
        .drain_events()
        .iter()
        .map(|e| format!("{:>6} ms  {}\n", e.at_ms, e.event))
        .collect();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/starter.log");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &log).expect("write the golden file");
    }
    let golden = std::fs::read_to_string(&path).expect("tests/golden/starter.log");
    assert_eq!(log, golden, "the event log differs from {}", path.display());
}
