//! The engine through its public API: the partitioner's choices, topics, consuming and
//! committing, refusals that change nothing, determinism, and a golden event log.

mod support;
use kafka_sim::sim::broker::BrokerStatus;
use kafka_sim::sim::error::PlacementError;
use kafka_sim::sim::error::ReplicaAssignmentError;
use kafka_sim::sim::ordered::map_of;
use kafka_sim::sim::partitioner::partition_for_key;
use kafka_sim::sim::scenario::Scenario;
use kafka_sim::sim::types::{KeySet, PartitionerMode};
use kafka_sim::sim::{
    BrokerId, Command, ConsumerConfig, Outcome, PartitionId, ProducerConfig, Sim, SimConfig,
    SimError,
};
use support::*;

#[test]
fn same_key_same_partition_consecutive_offsets() {
    let mut sim = quiet();
    let expected = partition_for_key(b"user-7", 3);
    for _ in 0..3 {
        assert_eq!(send(&mut sim, Some("user-7"), None), expected);
    }
    settle(&mut sim, 50);
    assert_eq!(offsets(&sim, "orders", expected), [0, 1, 2]);
}

#[test]
fn keys_follow_kafkas_hash() {
    let mut sim = quiet();
    // Kafka Streams' published partitions of keys "0".."9" over 3 partitions.
    let got: Vec<u32> = (0..10)
        .map(|k| send(&mut sim, Some(&k.to_string()), None))
        .collect();
    assert_eq!(got, [2, 0, 2, 2, 1, 0, 1, 0, 0, 2]);
}

#[test]
fn records_without_a_key_stick_to_one_partition_per_batch() {
    let mut sim = quiet();
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
    let mut sim = quiet();
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
    let mut sim = quiet();
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

/// The controller's refusal of a new topic with replication factor 4 on three brokers.
fn four_replicas_on_three_brokers() -> SimError {
    SimError::InvalidReplicationFactor {
        replication_factor: 4,
        reason: PlacementError::TooFewBrokers {
            requested: 4,
            registered: 3,
        },
        new_topic: true,
    }
}

#[test]
fn bad_topics_are_refused() {
    let mut sim = quiet();
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
    for rf in [0, -2] {
        refused(
            &mut sim,
            Command::create_topic("payments", 1, rf),
            SimError::NonPositiveReplicationFactor { requested: rf },
        );
    }
    refused(
        &mut sim,
        Command::create_topic("payments", 1, 4),
        four_replicas_on_three_brokers(),
    );
    sim.apply(Command::create_topic("defaults", -1, -1))
        .expect("-1 means the broker defaults");
    let view = sim.view();
    let defaults = view.topic("defaults").expect("created");
    assert_eq!(
        (defaults.partitions.len(), defaults.replication_factor),
        (1, 1)
    );
    refused(
        &mut sim,
        Command::CreateTopic {
            name: "payments".into(),
            partitions: 1,
            replication_factor: 1,
            configs: map_of([("min.insync.replicas".to_owned(), "zero".to_owned())]),
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

/// The controller places replicas on every registered broker (`StripedReplicaPlacer.place`,
/// metadata/src/main/java/org/apache/kafka/metadata/placement/StripedReplicaPlacer.java, and
/// `ReplicationControlManager.createTopic` / `.createPartitions`): a crashed broker it has not
/// fenced yet is unfenced and may lead; a fenced broker still counts as registered and holds a
/// follower when the unfenced brokers are too few, outside the ISR; only when every broker is
/// fenced, or the replication factor is above the registered brokers, is the topic refused.
#[test]
fn topics_are_placed_on_fenced_and_crashed_brokers_as_kafka_does() {
    let mut sim = quiet();
    crash(&mut sim, 2);
    sim.apply(Command::create_topic("fresh", 6, 1))
        .expect("a crashed broker is still unfenced");
    let led_by_2 = |sim: &Sim, topic: &str| {
        let view = sim.view();
        let topic = view.topic(topic).expect("topic");
        topic
            .partitions
            .iter()
            .filter(|p| p.leader == Some(BrokerId(2)))
            .count()
    };
    assert_eq!(led_by_2(&sim, "fresh"), 2, "leaders rotate over all three");
    ticks(&mut sim, 100);
    assert!(
        matches!(
            sim.broker(BrokerId(2)).map(|b| b.status),
            Some(BrokerStatus::Fenced)
        ),
        "fenced after broker.session.timeout.ms"
    );
    sim.apply(Command::create_topic("payments", 3, 3))
        .expect("a fenced broker counts as registered");
    sim.apply(Command::AddPartitions {
        topic: "payments".into(),
        partitions: 5,
    })
    .expect("and added partitions are placed the same way");
    let view = sim.view();
    for p in &view.topic("payments").expect("topic").partitions {
        assert_eq!(p.replicas.len(), 3);
        assert_eq!(
            p.replicas.last().map(|r| r.broker),
            Some(BrokerId(2)),
            "the fenced broker only fills in, last"
        );
        assert_ne!(p.leader, Some(BrokerId(2)));
        assert!(!p.isr.contains(&BrokerId(2)), "and starts outside the ISR");
    }
    refused(
        &mut sim,
        Command::create_topic("wide", 1, 4),
        four_replicas_on_three_brokers(),
    );
    for broker in [1, 3] {
        crash(&mut sim, broker);
    }
    ticks(&mut sim, 100);
    refused(
        &mut sim,
        Command::create_topic("nowhere", 1, 1),
        SimError::InvalidReplicationFactor {
            replication_factor: 1,
            reason: PlacementError::AllFenced,
            new_topic: true,
        },
    );
}

#[test]
fn topics_grow_and_go() {
    let mut sim = quiet();
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
        sim.apply(Command::Poll {
            consumer: "consumer-1".into()
        }),
        Ok(Outcome::Polled { records: 0 }),
        "a consumer of a deleted topic reads nothing"
    );
}

fn lists(lists: &[&[u32]]) -> Vec<Vec<BrokerId>> {
    lists
        .iter()
        .map(|l| l.iter().copied().map(BrokerId).collect())
        .collect()
}

fn create_on(name: &str, assignment: &[&[u32]]) -> Command {
    Command::CreateTopicWithAssignment {
        name: name.into(),
        assignment: lists(assignment),
        configs: Default::default(),
    }
}

/// A manual assignment (`kafka-topics.sh --replica-assignment`) is checked as the KRaft
/// controller checks it (`ReplicationControlManager.createTopic` and `createPartitions` with
/// assignments, `validateManualPartitionAssignment`), each refusal in Kafka's words and
/// changing nothing.
#[test]
fn manual_assignments_are_refused_as_kafkas_controller_refuses_them() {
    let mut sim = quiet();
    let invalid = SimError::InvalidReplicaAssignment;
    let grow = |partitions: i64, assignment: &[&[u32]]| Command::AddPartitionsWithAssignment {
        topic: "orders".into(),
        partitions,
        assignment: lists(assignment),
    };
    let cases = [
        (
            create_on("pinned", &[&[1, 2], &[]]),
            invalid(ReplicaAssignmentError::EmptyReplicaList),
        ),
        (
            create_on("pinned", &[&[1, 9, 7]]),
            invalid(ReplicaAssignmentError::UnregisteredBroker { broker: 7 }),
        ),
        (
            create_on("pinned", &[&[2, 3, 2]]),
            invalid(ReplicaAssignmentError::DuplicateBroker {
                broker: BrokerId(2),
            }),
        ),
        (
            create_on("pinned", &[&[1, 2], &[2, 3], &[3]]),
            invalid(ReplicaAssignmentError::InconsistentReplicaCount {
                replicas: 1,
                expected: 2,
            }),
        ),
        (
            create_on("pinned", &[]),
            SimError::InvalidPartitionCount { requested: 0 },
        ),
        (
            create_on("orders", &[&[1]]),
            SimError::TopicAlreadyExists {
                topic: "orders".into(),
            },
        ),
        (
            grow(5, &[&[1, 2, 3]]),
            invalid(ReplicaAssignmentError::AssignmentCountMismatch {
                additional: 2,
                given: 1,
            }),
        ),
        (
            grow(4, &[&[1, 2]]),
            invalid(ReplicaAssignmentError::InconsistentReplicaCount {
                replicas: 2,
                expected: 3,
            }),
        ),
        (
            grow(3, &[]),
            SimError::PartitionCountNotIncreased {
                topic: "orders".into(),
                current: 3,
                requested: 3,
            },
        ),
    ];
    for (command, error) in cases {
        refused(&mut sim, command, error);
    }
    // A partition needs a replica on a broker the controller has not fenced.
    sim.apply(create_on("solo", &[&[2]])).expect("created");
    crash(&mut sim, 1);
    ticks(&mut sim, 100);
    refused(
        &mut sim,
        create_on("pinned", &[&[1]]),
        invalid(ReplicaAssignmentError::NoActiveBroker { partition: 0 }),
    );
    refused(
        &mut sim,
        Command::AddPartitionsWithAssignment {
            topic: "solo".into(),
            partitions: 3,
            assignment: lists(&[&[3], &[1]]),
        },
        invalid(ReplicaAssignmentError::NoActiveBroker { partition: 2 }),
    );
}

/// A manually placed partition's ISR is its replicas on brokers the controller has not
/// fenced, and the first of them leads (`ReplicationControlManager.createTopic`,
/// `buildPartitionRegistration`): a crashed broker the controller has not noticed yet leads
/// until it is fenced; a fenced one is only a replica.
#[test]
fn a_manual_assignment_is_led_by_its_first_unfenced_replica() {
    let mut sim = quiet();
    crash(&mut sim, 1);
    sim.apply(create_on("early", &[&[1, 2], &[3, 1]]))
        .expect("broker 1 is not fenced yet");
    let partition = |sim: &Sim, topic: &str, p: u32| {
        let partition = sim.partition(topic, PartitionId(p)).expect("the partition");
        (partition.leader, partition.isr.clone())
    };
    assert_eq!(
        partition(&sim, "early", 0),
        (Some(BrokerId(1)), vec![BrokerId(1), BrokerId(2)])
    );
    ticks(&mut sim, 100);
    assert_eq!(partition(&sim, "early", 0).0, Some(BrokerId(2)));
    sim.apply(create_on("late", &[&[1, 2], &[3, 1]]))
        .expect("broker 1 is fenced, the others are not");
    assert_eq!(
        partition(&sim, "late", 0),
        (Some(BrokerId(2)), vec![BrokerId(2)])
    );
    assert_eq!(
        partition(&sim, "late", 1),
        (Some(BrokerId(3)), vec![BrokerId(3)])
    );
    sim.apply(Command::AddPartitionsWithAssignment {
        topic: "late".into(),
        partitions: 3,
        assignment: lists(&[&[1, 3]]),
    })
    .expect("grown");
    assert_eq!(
        sim.partition("late", PartitionId(2))
            .map(|p| (p.assignment.clone(), p.leader)),
        Some((vec![BrokerId(1), BrokerId(3)], Some(BrokerId(3))))
    );
}

/// Replica placement draws from a stream of its own per placement
/// (`placement::placement_rng`): a history whose topics are placed by hand, where the same
/// history placed them at random, draws every other choice (sticky partitions, generated keys)
/// the same way and reaches the same state. Kafka's controller places at random
/// (`StripedReplicaPlacer`); only the playground's determinism needs the separate stream.
#[test]
fn placing_by_hand_what_was_placed_at_random_changes_no_other_draw() {
    let run = |pin: bool| {
        let mut sim = Sim::new(SimConfig::default(), 11).expect("three brokers");
        for (name, partitions, rf) in [("orders", 3, 2), ("audit", 5, 3)] {
            let random = Command::create_topic(name, partitions, rf);
            if pin {
                // What the random placement gives, found on a copy.
                let mut copy = sim.clone();
                copy.apply(random).expect("created");
                let assignment = (0..partitions as u32)
                    .map(|p| {
                        copy.partition(name, PartitionId(p))
                            .expect("placed")
                            .assignment
                            .clone()
                    })
                    .collect();
                sim.apply(Command::CreateTopicWithAssignment {
                    name: name.into(),
                    assignment,
                    configs: Default::default(),
                })
                .expect("created by hand");
            } else {
                sim.apply(random).expect("created at random");
            }
        }
        sim.apply(Command::AddProducer {
            producer: "p".into(),
            config: ProducerConfig::default(),
        })
        .expect("producer");
        sim.apply(Command::StartGenerator {
            generator: "g".into(),
            producer: "p".into(),
            topic: "audit".into(),
            rate_per_sec: 50,
            keys: KeySet::Uniform { count: 20 },
        })
        .expect("generator");
        for _ in 0..30 {
            sim.apply(Command::produce("p", "orders", None, "v"))
                .expect("sent");
            sim.tick();
        }
        sim
    };
    let (random, pinned) = (run(false), run(true));
    assert!(random.records_written() > 0);
    assert_eq!(pinned.state_hash(), random.state_hash());
}

#[test]
fn generators_send_at_their_rate() {
    let mut sim = quiet();
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
    let mut sim = quiet();
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

/// The event log of a fixed session in the quiet scenario (the starter with nothing running),
/// compared with tests/golden/starter.log. Set
/// UPDATE_GOLDEN=1 to rewrite the file after a deliberate change, then read the diff.
#[test]
fn golden_event_log() {
    let mut sim = Scenario::quiet().build().expect("starter");
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
    crash(&mut sim, 2);
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
    matches_golden_log("starter.log", &sim.drain_events());
}

#[test]
fn send_refuses_a_record_larger_than_max_request_size_as_kafka_estimates_it() {
    let mut sim = quiet();
    // Kafka's upper bound: 61 (batch) + 21 (record) + 1 (null key) + a 3-byte varint length +
    // the value + 1 (no headers) = exactly max.request.size (1,048,576), which is allowed.
    let largest = 1_048_576 - 61 - 21 - 1 - 3 - 1;
    let fits = Command::produce("producer-1", "orders", None, &"v".repeat(largest));
    assert!(matches!(sim.apply(fits), Ok(Outcome::Queued { .. })));
    let before = sim.state_hash();
    let too_large = Command::produce("producer-1", "orders", None, &"v".repeat(largest + 1));
    assert_eq!(
        sim.apply(too_large).map_err(|e| e.to_string()),
        Err("max.request.size: The message is 1048577 bytes when serialized which is larger than 1048576, which is the value of the max.request.size configuration (RecordTooLargeException)".to_owned())
    );
    // 61 + 21 + (1 + 1) for the key + (4 + 2^20): a length of 2^20 or more takes a 4-byte
    // varint + 1.
    let a_mebibyte = Command::produce("producer-1", "orders", Some("k"), &"v".repeat(1 << 20));
    let error = sim.apply(a_mebibyte).map(|_| ()).unwrap_err();
    assert_eq!(error, SimError::RecordTooLarge { bytes: 1_048_665 });
    assert_eq!(sim.state_hash(), before, "a refused record changes nothing");
}

#[test]
fn names_longer_than_a_kafka_protocol_string_are_refused() {
    let mut sim = quiet();
    let before = sim.state_hash();
    let long = "p".repeat(32_768);
    let producer = Command::AddProducer {
        producer: long.clone(),
        config: ProducerConfig::default(),
    };
    assert_eq!(
        sim.apply(producer).map_err(|e| e.to_string()),
        Err("producer: 32768 bytes is too long; Kafka's protocol strings (client.id, group.id, transactional.id) hold at most 32767 bytes".to_owned())
    );
    let consumer = Command::subscribe("consumer-9", "orders", ConsumerConfig::new(long));
    assert_eq!(
        sim.apply(consumer).map_err(|e| e.field()),
        Err("group.id".to_owned())
    );
    assert_eq!(sim.state_hash(), before);
    let longest = Command::AddProducer {
        producer: "p".repeat(32_767),
        config: ProducerConfig::default(),
    };
    assert!(sim.apply(longest).is_ok());
}

#[test]
fn messages_repeat_at_most_60_bytes_of_pasted_text() {
    let mut sim = quiet();
    let mut refusal = |command| sim.apply(command).map(|_| ()).unwrap_err().to_string();
    let error = refusal(Command::create_topic(&"a".repeat(1 << 20), 1, 1));
    assert!(
        error.contains(&format!("'{}… (1048576 bytes)'", "a".repeat(60))),
        "{error:.200}"
    );
    assert!(error.len() < 300, "{error:.200}");
    // Cut where a character begins: "é" is 2 bytes, so "a" and 29 of them fill 59 of the 60.
    let error = refusal(Command::produce(
        "producer-1",
        &format!("a{}", "é".repeat(100)),
        None,
        "v",
    ));
    assert!(
        error.contains(&format!("'a{}… (201 bytes)'", "é".repeat(29))),
        "{error}"
    );
}
