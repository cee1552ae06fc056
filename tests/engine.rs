//! The engine slice through its public API: producing, the partitioner's choices, consuming and
//! committing, refusals that change nothing, and a golden event log.

use kafka_playground::sim::partitioner::partition_for_key;
use kafka_playground::sim::scenario::Scenario;
use kafka_playground::sim::{
    AutoOffsetReset, Command, ConsumerConfig, Offset, Outcome, PartitionId, Sim, SimConfig,
    SimError,
};

fn starter() -> Sim {
    let mut sim = Scenario::starter().build().expect("the starter scenario");
    sim.drain_events();
    sim
}

fn produce(sim: &mut Sim, key: Option<&str>, partition: Option<i64>) -> (u32, u64) {
    match sim.apply(Command::Produce {
        topic: "orders".into(),
        partition,
        key: key.map(str::to_owned),
        value: "v".into(),
    }) {
        Ok(Outcome::Produced { partition, offset }) => (partition.0, offset.0),
        other => panic!("produce failed: {other:?}"),
    }
}

fn poll(sim: &mut Sim, consumer: &str) -> usize {
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

/// Applies `command`, expects `error`, and checks that nothing changed.
fn refused(sim: &mut Sim, command: Command, error: SimError) {
    sim.drain_events();
    let before = sim.clone();
    assert_eq!(sim.apply(command), Err(error));
    assert_eq!(*sim, before, "a refused command changes nothing");
    assert!(sim.drain_events().is_empty(), "and reports nothing");
}

#[test]
fn same_key_same_partition_consecutive_offsets() {
    let mut sim = starter();
    let expected = partition_for_key(b"user-7", 3);
    let placed: Vec<(u32, u64)> = (0..3)
        .map(|_| produce(&mut sim, Some("user-7"), None))
        .collect();
    assert_eq!(placed, [(expected, 0), (expected, 1), (expected, 2)]);
}

#[test]
fn keys_follow_kafkas_hash() {
    let mut sim = starter();
    // Kafka Streams' published partitions of keys "0".."9" over 3 partitions.
    let got: Vec<u32> = (0..10)
        .map(|k| produce(&mut sim, Some(&k.to_string()), None).0)
        .collect();
    assert_eq!(got, [2, 0, 2, 2, 1, 0, 1, 0, 0, 2]);
}

#[test]
fn no_key_goes_round_robin_and_explicit_partition_wins() {
    let mut sim = starter();
    let partitions: Vec<u32> = (0..4).map(|_| produce(&mut sim, None, None).0).collect();
    assert_eq!(partitions, [0, 1, 2, 0]);
    assert_eq!(produce(&mut sim, Some("user-7"), Some(1)).0, 1);
    // An explicit partition does not advance the round-robin counter.
    assert_eq!(produce(&mut sim, None, None).0, 1);
}

#[test]
fn bad_produce_input_is_refused_with_the_field_named() {
    let mut sim = starter();
    for requested in [3, 7, -1, i64::MAX] {
        refused(
            &mut sim,
            Command::Produce {
                topic: "orders".into(),
                partition: Some(requested),
                key: None,
                value: "v".into(),
            },
            SimError::PartitionOutOfRange {
                topic: "orders".into(),
                requested,
                partitions: 3,
            },
        );
    }
    refused(
        &mut sim,
        Command::Produce {
            topic: "nope".into(),
            partition: None,
            key: None,
            value: "v".into(),
        },
        SimError::UnknownTopic {
            topic: "nope".into(),
        },
    );
}

#[test]
fn bad_topics_are_refused() {
    let mut sim = starter();
    let create = |name: &str, partitions: i64| Command::CreateTopic {
        name: name.into(),
        partitions,
    };
    refused(
        &mut sim,
        create("orders", 3),
        SimError::TopicAlreadyExists {
            topic: "orders".into(),
        },
    );
    refused(
        &mut sim,
        create("payments", 0),
        SimError::InvalidPartitionCount { requested: 0 },
    );
    refused(
        &mut sim,
        create("payments", 65),
        SimError::InvalidPartitionCount { requested: 65 },
    );
    sim.apply(create("to.pic", 1)).expect("a new topic");
    refused(
        &mut sim,
        create("to_pic", 1),
        SimError::TopicCollides {
            topic: "to_pic".into(),
            existing: "to.pic".into(),
        },
    );
}

#[test]
fn poll_reads_from_the_position_and_commit_stores_it() {
    let mut sim = starter();
    let p = partition_for_key(b"user-7", 3);
    for _ in 0..3 {
        produce(&mut sim, Some("user-7"), None);
    }
    assert_eq!(poll(&mut sim, "consumer-1"), 3);
    assert_eq!(position(&sim, "consumer-1", p), Some(3));
    assert_eq!(sim.committed("group-1", "orders", PartitionId(p)), None);
    assert_eq!(poll(&mut sim, "consumer-1"), 0, "nothing new to read");

    sim.apply(Command::Commit {
        consumer: "consumer-1".into(),
    })
    .expect("commit");
    assert_eq!(
        sim.committed("group-1", "orders", PartitionId(p)),
        Some(Offset(3))
    );

    // A second consumer of the same group starts from the committed offset.
    sim.apply(Command::AddConsumer {
        consumer: "consumer-2".into(),
        topic: "orders".into(),
        config: ConsumerConfig::new("group-1"),
    })
    .expect("second consumer");
    produce(&mut sim, Some("user-7"), None);
    assert_eq!(
        poll(&mut sim, "consumer-2"),
        1,
        "only the record after the commit"
    );
    assert_eq!(position(&sim, "consumer-2", p), Some(4));
}

#[test]
fn max_poll_records_limits_one_poll() {
    let mut sim = starter();
    let mut config = ConsumerConfig::new("slow");
    config.max_poll_records = 2;
    sim.apply(Command::AddConsumer {
        consumer: "slow".into(),
        topic: "orders".into(),
        config,
    })
    .expect("consumer");
    for _ in 0..5 {
        produce(&mut sim, Some("user-7"), None);
    }
    let polls: Vec<usize> = (0..4).map(|_| poll(&mut sim, "slow")).collect();
    assert_eq!(polls, [2, 2, 1, 0]);
}

#[test]
fn auto_commit_commits_what_earlier_polls_returned() {
    let mut sim = starter();
    let p = partition_for_key(b"k", 3);
    produce(&mut sim, Some("k"), None);
    sim.tick(); // polls: position 1, nothing committed yet
    assert_eq!(position(&sim, "consumer-1", p), Some(1));
    assert_eq!(sim.committed("group-1", "orders", PartitionId(p)), None);
    produce(&mut sim, Some("k"), None);
    sim.advance_to(4_900);
    assert_eq!(
        sim.committed("group-1", "orders", PartitionId(p)),
        None,
        "not before 5 s"
    );
    sim.advance_to(5_000);
    // The poll at 5 s commits the positions from before it (2), then reads on.
    assert_eq!(
        sim.committed("group-1", "orders", PartitionId(p)),
        Some(Offset(2))
    );
}

#[test]
fn auto_offset_reset_latest_and_none() {
    let mut sim = starter();
    produce(&mut sim, Some("k"), None);
    let p = partition_for_key(b"k", 3);
    let mut latest = ConsumerConfig::new("late");
    latest.auto_offset_reset = AutoOffsetReset::Latest;
    sim.apply(Command::AddConsumer {
        consumer: "late".into(),
        topic: "orders".into(),
        config: latest,
    })
    .expect("consumer");
    assert_eq!(poll(&mut sim, "late"), 0);
    assert_eq!(
        position(&sim, "late", p),
        Some(1),
        "starts at the high watermark"
    );

    let mut strict = ConsumerConfig::new("strict");
    strict.auto_offset_reset = AutoOffsetReset::None;
    sim.apply(Command::AddConsumer {
        consumer: "strict".into(),
        topic: "orders".into(),
        config: strict,
    })
    .expect("consumer");
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
    sim.tick();
    let failures = sim
        .drain_events()
        .into_iter()
        .filter(|e| e.event.to_string().starts_with("strict stopped polling"))
        .count();
    assert_eq!(failures, 1);
    sim.tick();
    assert!(
        sim.drain_events()
            .iter()
            .all(|e| !e.event.to_string().starts_with("strict"))
    );
}

#[test]
fn subscribing_elsewhere_commits_first_and_resumes_later() {
    let mut sim = starter();
    sim.apply(Command::CreateTopic {
        name: "payments".into(),
        partitions: 1,
    })
    .expect("topic");
    let p = partition_for_key(b"k", 3);
    produce(&mut sim, Some("k"), None);
    poll(&mut sim, "consumer-1");
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
    produce(&mut sim, Some("k"), None);
    assert_eq!(
        poll(&mut sim, "consumer-1"),
        1,
        "resumes after the committed offset"
    );
}

#[test]
fn same_seed_same_cluster_and_the_seed_matters() {
    let leaders = |seed: u64| {
        let mut sim = Sim::new(SimConfig::default(), seed).expect("sim");
        sim.apply(Command::CreateTopic {
            name: "t".into(),
            partitions: 3,
        })
        .expect("topic");
        sim.view().topics[0]
            .partitions
            .iter()
            .map(|p| p.leader.0)
            .collect::<Vec<_>>()
    };
    assert_eq!(leaders(7), leaders(7));
    let distinct: std::collections::BTreeSet<Vec<u32>> = (0..20).map(leaders).collect();
    assert!(distinct.len() > 1, "the seed picks the start broker");
}

#[test]
fn invalid_configs_are_refused() {
    assert_eq!(
        Sim::new(
            SimConfig {
                brokers: 0,
                tick_ms: 100
            },
            1
        )
        .err(),
        Some(SimError::InvalidBrokerCount { requested: 0 })
    );
    assert_eq!(
        Sim::new(
            SimConfig {
                brokers: 13,
                tick_ms: 100
            },
            1
        )
        .err(),
        Some(SimError::InvalidBrokerCount { requested: 13 })
    );
    assert_eq!(
        Sim::new(
            SimConfig {
                brokers: 3,
                tick_ms: 0
            },
            1
        )
        .err(),
        Some(SimError::InvalidTick { requested: 0 })
    );
}

/// The event log of a fixed session, compared with tests/golden/starter.log. Set
/// UPDATE_GOLDEN=1 to rewrite the file after a deliberate change, then read the diff.
#[test]
fn golden_event_log() {
    let mut sim = Scenario::starter().build().expect("starter");
    let mut commands = vec![
        Command::Produce {
            topic: "orders".into(),
            partition: None,
            key: Some("user-7".into()),
            value: "order placed".into(),
        },
        Command::Produce {
            topic: "orders".into(),
            partition: None,
            key: None,
            value: "heartbeat".into(),
        },
        Command::Produce {
            topic: "orders".into(),
            partition: Some(1),
            key: Some("user-9".into()),
            value: "pinned".into(),
        },
        Command::Poll {
            consumer: "consumer-1".into(),
        },
        Command::Commit {
            consumer: "consumer-1".into(),
        },
    ];
    commands.push(Command::Produce {
        topic: "orders".into(),
        partition: None,
        key: Some("user-7".into()),
        value: "order paid".into(),
    });
    for command in commands {
        sim.apply(command).expect("golden command");
    }
    sim.advance_to(5_000);
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
