//! Property tests: random command sequences never panic, and after every step the invariants
//! of a Kafka log and its consumers hold. A refused command changes nothing; the same seed and
//! commands always give the same state; the state survives a serde round trip.

use kafka_playground::sim::partitioner::{PartitionChoice, murmur2, to_positive};
use kafka_playground::sim::{
    AutoOffsetReset, Command, ConsumerConfig, PartitionId, Sim, SimConfig,
};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Step {
    Apply(Command),
    Tick(u8),
}

fn topic_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("orders".to_owned()),
        Just("payments".to_owned()),
        Just("a.b".to_owned()),
        Just("a_b".to_owned()),
        Just(String::new()),
        Just("bad name".to_owned()),
        Just("x".repeat(250)),
    ]
}

fn consumer_id() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("consumer-1".to_owned()),
        Just("consumer-2".to_owned()),
        Just(String::new()),
    ]
}

fn key() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("user-7".to_owned())),
        Just(Some(String::new())),
        Just(Some("<img src=x onerror=alert(1)>".to_owned())),
        "\\PC{0,6}".prop_map(Some),
    ]
}

fn consumer_config() -> impl Strategy<Value = ConsumerConfig> {
    (
        prop_oneof![Just("group-1"), Just("group-2"), Just("")],
        0u32..4,
        any::<bool>(),
        0u64..3_000,
        prop_oneof![
            Just(AutoOffsetReset::Earliest),
            Just(AutoOffsetReset::Latest),
            Just(AutoOffsetReset::None)
        ],
    )
        .prop_map(|(group, max_poll_records, auto, interval, reset)| {
            let mut config = ConsumerConfig::new(group);
            config.max_poll_records = max_poll_records;
            config.enable_auto_commit = auto;
            config.auto_commit_interval_ms = interval;
            config.auto_offset_reset = reset;
            config
        })
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => (topic_name(), -2i64..70).prop_map(|(name, partitions)| Step::Apply(
            Command::CreateTopic { name, partitions }
        )),
        8 => (topic_name(), proptest::option::of(-2i64..8), key(), "\\PC{0,4}").prop_map(
            |(topic, partition, key, value)| Step::Apply(Command::Produce {
                topic,
                partition,
                key,
                value
            })
        ),
        1 => (consumer_id(), topic_name(), consumer_config()).prop_map(|(consumer, topic, config)| {
            Step::Apply(Command::AddConsumer { consumer, topic, config })
        }),
        1 => (consumer_id(), topic_name())
            .prop_map(|(consumer, topic)| Step::Apply(Command::Subscribe { consumer, topic })),
        3 => consumer_id().prop_map(|consumer| Step::Apply(Command::Poll { consumer })),
        1 => consumer_id().prop_map(|consumer| Step::Apply(Command::Commit { consumer })),
        3 => (1u8..30).prop_map(Step::Tick),
    ]
}

/// Everything that must hold after every step.
fn check_invariants(sim: &Sim) {
    let view = sim.view();
    for topic in &view.topics {
        let count = topic.partitions.len() as u32;
        for partition in &topic.partitions {
            let records = sim.records(&topic.name, partition.id);
            let offsets: Vec<u64> = records.iter().map(|r| r.offset.0).collect();
            let expected: Vec<u64> = (partition.log_start.0..partition.log_end.0).collect();
            assert_eq!(
                offsets, expected,
                "offsets run from the log start to the LEO without gaps"
            );
            assert!(partition.log_start <= partition.high_watermark);
            assert!(partition.high_watermark <= partition.log_end, "HW ≤ LEO");
            for record in records {
                match &record.partition_choice {
                    PartitionChoice::Explicit => {}
                    PartitionChoice::KeyHash {
                        murmur2: hash,
                        positive,
                        partitions,
                    } => {
                        let key = record.key.as_deref().expect("a hashed record has a key");
                        assert_eq!(*hash, murmur2(key.as_bytes()));
                        assert_eq!(*positive, to_positive(*hash));
                        assert_eq!(
                            (*partitions, positive % partitions),
                            (count, partition.id.0)
                        );
                    }
                    PartitionChoice::RoundRobin {
                        counter,
                        partitions,
                    } => {
                        assert!(record.key.is_none());
                        assert_eq!((*partitions, counter % partitions), (count, partition.id.0));
                    }
                }
            }
        }
    }
    for consumer in &view.consumers {
        let topic = view
            .topic(&consumer.topic)
            .expect("a consumer's topic exists");
        let bounds = |p: &PartitionId| {
            let partition = &topic.partitions[p.0 as usize];
            (partition.log_start, partition.high_watermark)
        };
        for (p, position) in &consumer.positions {
            let (start, hw) = bounds(p);
            assert!(
                start <= *position && *position <= hw,
                "position within [log start, HW]"
            );
        }
        for (p, committed) in &consumer.committed {
            assert!(*committed <= bounds(p).1, "committed ≤ HW");
        }
    }
}

fn run(seed: u64, steps: &[Step]) -> Sim {
    let mut sim = Sim::new(SimConfig::default(), seed).expect("a valid config");
    for step in steps {
        match step {
            Step::Apply(command) => {
                sim.drain_events();
                let before = sim.clone();
                if sim.apply(command.clone()).is_err() {
                    assert_eq!(sim, before, "a refused {command:?} changed the state");
                    assert!(
                        sim.drain_events().is_empty(),
                        "a refused command reported events"
                    );
                }
            }
            Step::Tick(n) => {
                for _ in 0..*n {
                    sim.tick();
                }
            }
        }
        check_invariants(&sim);
    }
    sim
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("regressions"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_sessions_keep_the_invariants(
        seed in any::<u64>(),
        steps in proptest::collection::vec(step(), 1..120),
    ) {
        let mut sim = run(seed, &steps);
        sim.drain_events();

        let mut again = run(seed, &steps);
        again.drain_events();
        prop_assert_eq!(&sim, &again, "same seed and commands, same state");

        let json = serde_json::to_string(&sim).expect("serialize");
        let restored: Sim = serde_json::from_str(&json).expect("deserialize");
        prop_assert_eq!(&restored, &sim, "the state survives a serde round trip");
    }
}
