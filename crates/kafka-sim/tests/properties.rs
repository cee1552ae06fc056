//! Property tests: random command sequences (topics, produce, crash, restart (brokers and
//! controllers), racks, reassign and cancel, alter, consumers, ticks) never panic, and after
//! every step the invariants of Kafka's logs hold. A
//! refused command changes nothing; the same seed and commands give the same state; the state
//! survives a serde round trip. Jepsen-style runs check that acknowledged records survive
//! crashes when they should, and that every loss is reported when they do not.

use kafka_sim::share::Shared;
use kafka_sim::sim::broker::BrokerStatus;
use kafka_sim::sim::command::ElectionType;
use kafka_sim::sim::event::{ElectionKind, Event};
use kafka_sim::sim::ids::ControllerId;
use kafka_sim::sim::network::Isolation;
use kafka_sim::sim::ordered::Map;
use kafka_sim::sim::partition::in_aborted_transaction;
use kafka_sim::sim::partitioner::{PartitionChoice, murmur2, to_positive};
use kafka_sim::sim::scenario::Scenario;
use kafka_sim::sim::timeline::Timeline;
use kafka_sim::sim::transaction::TransactionState;
use kafka_sim::sim::types::Strategy as Assignor;
use kafka_sim::sim::types::{
    Acks, GroupProtocol, KeySet, ResetSpec, ServerAssignor, TopicPartition,
};
use kafka_sim::sim::view::RecordTransaction;
use kafka_sim::sim::{
    AutoOffsetReset, BrokerId, Command, ConsumerConfig, IsolationLevel, Offset, PartitionId,
    ProducerConfig, Sim, SimConfig, Subscription, TimedEvent,
};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug)]
enum Step {
    Apply(Command),
    Tick(u8),
}

fn topic_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("orders".to_owned()),
        2 => Just("payments".to_owned()),
        1 => Just("a.b".to_owned()),
        1 => Just("a_b".to_owned()),
        1 => Just(String::new()),
        1 => Just("bad name".to_owned()),
    ]
}

fn broker() -> impl Strategy<Value = BrokerId> {
    (1u32..6).prop_map(BrokerId)
}

/// The three controllers' ids, and one that does not exist.
fn controller() -> impl Strategy<Value = ControllerId> {
    (2999u32..3003).prop_map(ControllerId)
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

fn producer_config() -> impl Strategy<Value = ProducerConfig> {
    (
        prop_oneof![Just(Acks::None), Just(Acks::Leader), Just(Acks::All)],
        any::<bool>(),
        0u64..300,
        prop_oneof![Just(0u64), Just(64), Just(16_384)],
        1u32..7,
        prop_oneof![Just(1_000u64), Just(30_000)],
    )
        .prop_map(
            |(acks, idempotent, linger, batch, in_flight, request_timeout)| ProducerConfig {
                acks,
                enable_idempotence: idempotent,
                linger_ms: linger,
                batch_size: batch,
                max_in_flight: in_flight,
                request_timeout_ms: request_timeout,
                delivery_timeout_ms: 60_000,
                ..ProducerConfig::default()
            },
        )
}

fn consumer_config() -> impl Strategy<Value = ConsumerConfig> {
    (
        prop_oneof![Just("group-1"), Just("group-2"), Just("")],
        0u32..4,
        any::<bool>(),
        prop_oneof![
            Just(AutoOffsetReset::Earliest),
            Just(AutoOffsetReset::Latest),
            Just(AutoOffsetReset::None)
        ],
        prop_oneof![
            Just(Assignor::Range),
            Just(Assignor::RoundRobin),
            Just(Assignor::Sticky),
            Just(Assignor::CooperativeSticky)
        ],
        any::<bool>(),
        prop_oneof![
            Just(IsolationLevel::ReadUncommitted),
            Just(IsolationLevel::ReadCommitted)
        ],
        prop_oneof![Just(0u64), Just(50), Just(2_000)],
    )
        .prop_map(
            |(group, max_poll_records, auto, reset, strategy, kip848, isolation, processing)| {
                let mut config = ConsumerConfig::new(group);
                config.max_poll_records = max_poll_records;
                config.enable_auto_commit = auto;
                config.auto_commit_interval_ms = 1_000;
                config.auto_offset_reset = reset;
                config.strategy = strategy;
                config.isolation_level = isolation;
                config.processing_ms_per_record = processing;
                config.max_poll_interval_ms = 3_000;
                config.session_timeout_ms = 6_000;
                config.heartbeat_interval_ms = 1_000;
                if kip848 {
                    config.group_protocol = GroupProtocol::Consumer {
                        assignor: ServerAssignor::Uniform,
                    };
                }
                config
            },
        )
}

fn consumer() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("consumer-1"), Just("consumer-2"), Just("consumer-3")]
}

fn reset_spec() -> impl Strategy<Value = ResetSpec> {
    prop_oneof![
        Just(ResetSpec::Earliest),
        Just(ResetSpec::Latest),
        (0u64..30).prop_map(ResetSpec::ToOffset),
        (-5i64..5).prop_map(ResetSpec::ShiftBy),
        (0u64..20_000).prop_map(ResetSpec::ToDatetime),
    ]
}

fn config_change() -> impl Strategy<Value = (String, Option<String>)> {
    prop_oneof![
        (1u32..4).prop_map(|n| ("min.insync.replicas".to_owned(), Some(n.to_string()))),
        any::<bool>().prop_map(|b| (
            "unclean.leader.election.enable".to_owned(),
            Some(b.to_string())
        )),
        Just(("min.insync.replicas".to_owned(), Some("0".to_owned()))),
        Just(("retention".to_owned(), Some("1".to_owned()))),
        Just(("min.insync.replicas".to_owned(), None)),
        prop_oneof![Just("delete"), Just("compact"), Just("compact,delete")]
            .prop_map(|v| ("cleanup.policy".to_owned(), Some(v.to_owned()))),
        // Kafka 4.x refuses segments under 1 MiB, so small segments roll by time.
        (1_048_000u64..1_049_000).prop_map(|b| ("segment.bytes".to_owned(), Some(b.to_string()))),
        (100u64..3_000).prop_map(|ms| ("segment.ms".to_owned(), Some(ms.to_string()))),
        (100u64..600).prop_map(|b| ("retention.bytes".to_owned(), Some(b.to_string()))),
        (500u64..5_000).prop_map(|ms| ("retention.ms".to_owned(), Some(ms.to_string()))),
        Just(("delete.retention.ms".to_owned(), Some("1000".to_owned()))),
        Just((
            "min.cleanable.dirty.ratio".to_owned(),
            Some("0.1".to_owned())
        )),
    ]
}

/// Manual replica assignments (`--replica-assignment`), valid or not: `count` lists of up to
/// three brokers each.
fn replica_lists(count: std::ops::Range<usize>) -> impl Strategy<Value = Vec<Vec<BrokerId>>> {
    proptest::collection::vec(proptest::collection::vec(broker(), 0..4), count)
}

fn step() -> impl Strategy<Value = Step> {
    let apply = |c: Command| Step::Apply(c);
    prop_oneof![
        2 => (topic_name(), -1i64..5, 0i64..5)
            .prop_map(move |(name, p, rf)| apply(Command::create_topic(&name, p, rf))),
        8 => (topic_name(), proptest::option::of(-1i64..6), key(), proptest::option::of("\\PC{0,4}"), prop_oneof![Just("producer-1"), Just("p2")])
            .prop_map(move |(topic, partition, key, value, producer)| apply(Command::Produce {
                producer: producer.into(), topic, partition, key, value
            })),
        1 => producer_config().prop_map(move |config| apply(Command::AddProducer { producer: "p2".into(), config })),
        1 => prop_oneof![Just("producer-1"), Just("p2")].prop_map(move |p| apply(Command::Flush { producer: p.into() })),
        2 => broker().prop_map(move |broker| apply(Command::CrashBroker { broker })),
        2 => broker().prop_map(move |broker| apply(Command::RestartBroker { broker })),
        1 => broker().prop_map(move |broker| apply(Command::ShutDownBroker { broker })),
        1 => Just(apply(Command::AddBroker)),
        1 => broker().prop_map(move |broker| apply(Command::DecommissionBroker { broker })),
        1 => (topic_name(), 0u32..4, proptest::collection::vec(broker(), 0..4)).prop_map(move |(topic, p, replicas)| {
            apply(Command::ReassignPartition { topic, partition: PartitionId(p), replicas })
        }),
        1 => (topic_name(), 0u32..4).prop_map(move |(topic, p)| {
            apply(Command::CancelReassignment { topic, partition: PartitionId(p) })
        }),
        1 => prop_oneof![Just("east"), Just("west"), Just(""), Just("a b")]
            .prop_map(move |rack| apply(Command::AddBrokerOnRack { rack: rack.into() })),
        1 => proptest::option::of(topic_name()).prop_map(move |topic| apply(Command::ElectPreferredLeaders { topic })),
        1 => (prop_oneof![Just(ElectionType::Preferred), Just(ElectionType::Unclean)], proptest::option::of(proptest::collection::vec((topic_name(), 0u32..4), 0..3)))
            .prop_map(move |(election, partitions)| apply(Command::ElectLeaders {
                election,
                partitions: partitions.map(|list| list.into_iter().map(|(t, p)| TopicPartition::new(t, PartitionId(p))).collect()),
            })),
        1 => (topic_name(), config_change()).prop_map(move |(topic, (key, value))| {
            apply(Command::AlterTopicConfig { topic, key, value })
        }),
        1 => (topic_name(), 0i64..6).prop_map(move |(topic, partitions)| apply(Command::AddPartitions { topic, partitions })),
        1 => (topic_name(), replica_lists(0..4)).prop_map(move |(name, assignment)| {
            apply(Command::CreateTopicWithAssignment { name, assignment, configs: Map::new() })
        }),
        1 => (topic_name(), 0i64..6, replica_lists(0..3)).prop_map(move |(topic, partitions, assignment)| {
            apply(Command::AddPartitionsWithAssignment { topic, partitions, assignment })
        }),
        1 => topic_name().prop_map(move |topic| apply(Command::DeleteTopic { topic })),
        1 => (topic_name(), 0u64..40).prop_map(move |(topic, rate)| apply(Command::StartGenerator {
            generator: "load".into(), producer: "producer-1".into(), topic, rate_per_sec: rate, keys: KeySet::Uniform { count: 5 }
        })),
        1 => Just(apply(Command::StopGenerator { generator: "load".into() })),
        2 => (prop_oneof![Just("consumer-1"), Just("consumer-2"), Just("consumer-3"), Just("")], topic_name(), consumer_config())
            .prop_map(move |(consumer, topic, config)| apply(Command::AddConsumer { consumer: consumer.into(), subscription: Subscription::Topics(vec![topic]), config })),
        1 => (prop_oneof![Just("consumer-1"), Just("consumer-2")], topic_name())
            .prop_map(move |(consumer, topic)| apply(Command::Subscribe { consumer: consumer.into(), subscription: Subscription::Topics(vec![topic]) })),
        2 => consumer().prop_map(move |c| apply(Command::Poll { consumer: c.into() })),
        1 => consumer().prop_map(move |c| apply(Command::Commit { consumer: c.into() })),
        1 => consumer().prop_map(move |c| apply(Command::CloseConsumer { consumer: c.into() })),
        1 => consumer().prop_map(move |c| apply(Command::CrashConsumer { consumer: c.into() })),
        1 => (consumer(), prop_oneof![Just("i-1"), Just("i-2"), Just(""), Just("bad id")], topic_name(), consumer_config())
            .prop_map(move |(consumer, instance, topic, config)| apply(Command::AddStaticConsumer {
                consumer: consumer.into(), subscription: Subscription::Topics(vec![topic]), config, group_instance_id: instance.into()
            })),
        1 => consumer().prop_map(move |c| apply(Command::RestartConsumer { consumer: c.into() })),
        1 => (consumer(), 0u32..4, 0u64..20).prop_map(move |(c, p, offset)| apply(Command::Seek {
            consumer: c.into(), topic: "orders".into(), partition: PartitionId(p), offset
        })),
        1 => (prop_oneof![Just("group-1"), Just("group-2")], proptest::option::of(topic_name()), reset_spec())
            .prop_map(move |(group, topic, spec)| apply(Command::ResetOffsets { group: group.into(), topic, spec })),
        1 => Just(apply(Command::BeginTransaction { producer: "tx".into() })),
        2 => (key(), "\\PC{0,4}").prop_map(move |(key, value)| apply(Command::Produce {
            producer: "tx".into(), topic: "orders".into(), partition: None, key, value: Some(value)
        })),
        1 => Just(apply(Command::CommitTransaction { producer: "tx".into() })),
        1 => Just(apply(Command::AbortTransaction { producer: "tx".into() })),
        1 => broker().prop_map(move |broker| apply(Command::SlowBroker { broker })),
        1 => (broker(), prop_oneof![Just(Isolation::Controller), Just(Isolation::Clients)])
            .prop_map(move |(broker, from)| apply(Command::IsolateBroker { broker, from })),
        1 => broker().prop_map(move |broker| apply(Command::HealBroker { broker })),
        // A second producer with tx's transactional.id fences tx (InitProducerId); then both
        // keep trying.
        1 => prop_oneof![Just("tx2"), Just("tx3")].prop_map(move |p| apply(Command::AddProducer {
            producer: p.into(),
            config: ProducerConfig { transactional_id: Some("tx-app".into()), ..ProducerConfig::default() },
        })),
        2 => (prop_oneof![Just("tx"), Just("tx2"), Just("tx3")], 0u8..4).prop_map(move |(p, call)| apply(match call {
            0 => Command::BeginTransaction { producer: p.into() },
            1 => Command::produce(p, "orders", Some("k"), "v"),
            2 => Command::CommitTransaction { producer: p.into() },
            _ => Command::AbortTransaction { producer: p.into() },
        })),
        2 => controller().prop_map(move |controller| apply(Command::CrashController { controller })),
        2 => controller().prop_map(move |controller| apply(Command::RestartController { controller })),
        5 => (1u8..40).prop_map(Step::Tick),
    ]
}

/// Everything that must hold after every step. `events` are the step's events.
fn check_invariants(sim: &Sim, events: &[TimedEvent]) {
    let view = sim.view();
    let unclean_now = events.iter().any(|e| {
        matches!(
            e.event,
            Event::LeaderElected {
                kind: ElectionKind::Unclean,
                ..
            }
        )
    });
    let fenced_running: Vec<BrokerId> = view
        .brokers
        .iter()
        .filter(|b| b.status == BrokerStatus::FencedRunning)
        .map(|b| b.id)
        .collect();
    for broker in &view.brokers {
        // Only a broker cut off from the controller is fenced while it runs.
        if broker.status == BrokerStatus::FencedRunning {
            assert!(broker.faults.cut_from_controller_at_ms.is_some());
        }
    }
    for topic in &view.topics {
        let count = topic.partitions.len() as u32;
        for partition in &topic.partitions {
            let name = format!("{}-{}", topic.name, partition.id);
            // A partition's replicas are distinct; the ISR and a reassignment's adding and
            // removing replicas are among them, and no replica is both added and removed
            // (`PartitionRegistration`'s lists, `PartitionReassignmentReplicas`).
            let replicas: Vec<BrokerId> = partition.replicas.iter().map(|r| r.broker).collect();
            let mut distinct = replicas.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(
                distinct.len(),
                replicas.len(),
                "{name}: replicas {replicas:?} repeat"
            );
            for (list, what) in [
                (&partition.isr, "ISR"),
                (&partition.adding, "adding"),
                (&partition.removing, "removing"),
            ] {
                assert!(
                    list.iter().all(|b| replicas.contains(b)),
                    "{name}: {what} {list:?} not within replicas {replicas:?}"
                );
            }
            assert!(
                !partition
                    .adding
                    .iter()
                    .any(|b| partition.removing.contains(b)),
                "{name}: {:?} both added and removed",
                partition.adding
            );

            // A zombie is cut off from the controller, and never the controller's leader; a
            // broker fenced while running leads nothing.
            for zombie in &partition.zombie_leaders {
                assert_ne!(
                    partition.leader,
                    Some(*zombie),
                    "{name}: zombie {zombie} leads"
                );
                let broker = view.brokers.iter().find(|b| b.id == *zombie);
                assert!(
                    broker.is_some_and(|b| b.faults.cut_from_controller_at_ms.is_some()),
                    "{name}: zombie {zombie} is not cut off"
                );
            }
            assert!(
                partition
                    .leader
                    .is_none_or(|l| !fenced_running.contains(&l)),
                "{name}: a fenced broker leads"
            );

            // The leader is in the ISR, or the partition is offline.
            if let Some(leader) = partition.leader {
                assert!(
                    partition.isr.contains(&leader),
                    "{name}: leader {leader} not in ISR {:?}",
                    partition.isr
                );
            }
            // KIP-966: the ELR holds replicas of the partition outside the ISR, and only while
            // the ISR is below min.insync.replicas.
            let replica = |b: &BrokerId| partition.replicas.iter().any(|r| r.broker == *b);
            assert!(
                partition
                    .elr
                    .iter()
                    .all(|b| replica(b) && !partition.isr.contains(b)),
                "{name}: ELR {:?} ⊆ replicas, ∩ ISR {:?} = ∅",
                partition.elr,
                partition.isr
            );
            let min_isr = (topic.min_insync_replicas as usize).min(partition.replicas.len());
            assert!(
                partition.elr.is_empty() || partition.isr.len() < min_isr,
                "{name}: an ELR {:?} with the ISR {:?} at min.insync.replicas",
                partition.elr,
                partition.isr
            );
            for replica in &partition.replicas {
                let records = sim.replica_records(&topic.name, partition.id, replica.broker);
                let offsets: Vec<u64> = records.iter().map(|r| r.offset.0).collect();
                assert!(
                    offsets.windows(2).all(|w| w[0] < w[1]),
                    "{name}: offsets strictly increase"
                );
                assert!(
                    replica.high_watermark <= replica.log_end,
                    "{name}: a replica's HW ≤ its LEO"
                );
            }
            if partition.leader.is_some() {
                for member in &partition.isr {
                    let replica = partition.replicas.iter().find(|r| r.broker == *member);
                    let end = replica.map(|r| r.log_end).unwrap_or_default();
                    assert!(
                        partition.high_watermark <= end,
                        "{name}: HW {} > LEO {end} of ISR member {member}",
                        partition.high_watermark
                    );
                }
            }
            // Replicas agree on every offset they share in the same epoch.
            let leader_records = sim.records(&topic.name, partition.id);
            for replica in &partition.replicas {
                for record in sim.replica_records(&topic.name, partition.id, replica.broker) {
                    if let Some(other) = leader_records.iter().find(|r| r.offset == record.offset)
                        && other.leader_epoch == record.leader_epoch
                    {
                        assert_eq!(other, record, "{name}: same offset and epoch, same record");
                    }
                }
            }
            for record in leader_records {
                match &record.partition_choice {
                    PartitionChoice::KeyHash {
                        murmur2: hash,
                        positive,
                        partitions,
                    } => {
                        let key = record.key.as_deref().expect("a hashed record has a key");
                        assert_eq!(*hash, murmur2(key.as_bytes()));
                        assert_eq!(*positive, to_positive(*hash));
                        assert!(*partitions <= count);
                        assert_eq!(
                            positive % partitions,
                            partition.id.0,
                            "{name}: hashed to this partition"
                        );
                    }
                    PartitionChoice::Sticky { .. } | PartitionChoice::RoundRobin { .. } => {
                        assert!(
                            record.key.is_none()
                                || matches!(
                                    record.partition_choice,
                                    PartitionChoice::RoundRobin { .. }
                                )
                        );
                    }
                    PartitionChoice::Explicit | PartitionChoice::KeyModulo { .. } => {}
                }
            }
        }
    }
    // Nothing readable above the high watermark.
    for event in events {
        if let Event::Fetched {
            topic,
            partition,
            to,
            ..
        } = &event.event
            && !unclean_now
            && let Some(p) = view
                .topic(topic)
                .and_then(|t| t.partitions.get(partition.0 as usize))
        {
            assert!(
                *to <= p.high_watermark,
                "{topic}-{partition}: a consumer read up to {to} above HW {}",
                p.high_watermark
            );
        }
    }
}

/// The transactional producers (all share the transactional.id `tx-app`) that are fenced.
fn fenced_producers(sim: &Sim) -> BTreeSet<String> {
    ["tx", "tx2", "tx3"]
        .into_iter()
        .filter(|p| {
            sim.producer(p)
                .is_some_and(|p| matches!(p.transaction, TransactionState::Fenced { .. }))
        })
        .map(str::to_owned)
        .collect()
}

/// How many of `producer`'s records on the leaders' logs are committed: read_committed consumers
/// read them once the high watermark passes them.
fn committed_records(sim: &Sim, producer: &str) -> usize {
    let view = sim.view();
    let mut visible = 0;
    for topic in &view.topics {
        for partition in &topic.partitions {
            for record in sim.records(&topic.name, partition.id) {
                if record.producer.as_ref() == producer
                    && sim
                        .record_detail(&topic.name, partition.id, record.offset)
                        .is_some_and(|d| d.transaction == RecordTransaction::Committed)
                {
                    visible += 1;
                }
            }
        }
    }
    visible
}

/// Transactions after every step (`TransactionCoordinator.handleInitProducerId`,
/// `ProducerAppendInfo.checkProducerEpoch`): of the producers sharing `tx-app`, at most one is
/// not fenced, and it writes with the coordinator's producer id and epoch (or, after the
/// coordinator's timeout abort, one epoch behind until it aborts); a producer fenced before the
/// step appended nothing in it; and no fenced producer has more records visible to
/// read_committed (committed) than when it was fenced.
fn check_transactions(
    sim: &Sim,
    fenced_before: &BTreeSet<String>,
    events: &[TimedEvent],
    visible_when_fenced: &mut BTreeMap<String, usize>,
) {
    let live: Vec<&str> = ["tx", "tx2", "tx3"]
        .into_iter()
        .filter(|p| sim.producer(p).is_some() && !fenced_before.contains(*p))
        .filter(|p| !fenced_producers(sim).contains(*p))
        .collect();
    assert!(
        live.len() <= 1,
        "more than one live producer for tx-app: {live:?}"
    );
    if let (Some(live), Some(coordinator)) = (live.first(), sim.transactional_id("tx-app")) {
        let p = sim.producer(live).expect("live");
        let timed_out = matches!(p.transaction, TransactionState::TimedOut { .. });
        assert_eq!(coordinator.holder, *live);
        assert_eq!(p.producer_id, Some(coordinator.producer_id));
        assert!(
            p.epoch == coordinator.epoch || (timed_out && p.epoch.0 + 1 == coordinator.epoch.0),
            "{live} writes with epoch {} but the coordinator has {}",
            p.epoch,
            coordinator.epoch
        );
    }
    for event in events {
        if let Event::RecordsAppended { producer, .. } = &event.event {
            assert!(
                !fenced_before.contains(producer),
                "the fenced {producer} appended records"
            );
        }
    }
    for producer in fenced_producers(sim) {
        let now = committed_records(sim, &producer);
        let then = *visible_when_fenced.entry(producer.clone()).or_insert(now);
        assert!(
            now <= then,
            "{producer}'s records visible to read_committed grew from {then} to {now} after it was fenced"
        );
    }
}

fn start(seed: u64) -> Sim {
    let mut sim = start_scenario(seed).build().expect("set-up");
    sim.drain_events();
    sim
}

/// The starting cluster as a scenario: the page's starter (three brokers, `orders` with 3
/// partitions and RF 3, producer-1, consumer-1 in group-1) seeded with `seed`, plus a
/// transactional producer, with a retention check every second.
fn start_scenario(seed: u64) -> Scenario {
    let mut scenario = Scenario::quiet();
    scenario.seed = seed;
    scenario.config.log_retention_check_interval_ms = 1_000;
    scenario.commands.push(Command::AddProducer {
        producer: "tx".into(),
        config: ProducerConfig {
            transactional_id: Some("tx-app".into()),
            ..ProducerConfig::default()
        },
    });
    scenario
}

/// What earlier steps did that later invariants depend on.
#[derive(Default)]
struct History {
    /// Offsets a consumer position may legitimately hold, per group and partition: where a
    /// fetch ended, where a reset put it, where a seek put it. A commit commits a position, so
    /// every committed offset is one of these: no record below it went undelivered unless a
    /// reset or seek skipped it on purpose (at-least-once).
    positions: BTreeMap<(String, String, u32), BTreeSet<u64>>,
    /// Seeks may point anywhere, even past the high watermark.
    sought: BTreeSet<(String, u32, u64)>,
    unclean: bool,
    /// For compacted topics: the newest committed record of each key seen, and whether it is a
    /// tombstone.
    newest: BTreeMap<(String, u32, String), (Offset, bool)>,
    /// The active controller of each epoch seen, and the highest metadata high watermark.
    controllers: BTreeMap<u32, ControllerId>,
    metadata_committed: u64,
}

impl History {
    /// Raft's invariants (`QuorumState`, `LeaderState.maybeUpdateHighWatermark`): at most one
    /// active controller per epoch; the metadata log's high watermark never goes back and never
    /// passes what a majority of the controllers' logs hold.
    fn check_quorum(&mut self, sim: &Sim) {
        let quorum = sim.quorum();
        for leader in quorum.voters().filter(|v| v.is_leader()) {
            let first = *self.controllers.entry(leader.epoch).or_insert(leader.id);
            assert_eq!(
                first, leader.id,
                "two active controllers in epoch {}",
                leader.epoch
            );
        }
        if let Some(hw) = quorum.high_watermark() {
            assert!(
                hw >= self.metadata_committed,
                "the metadata high watermark went back"
            );
            self.metadata_committed = hw;
            let mut ends: Vec<u64> = quorum.voters().map(|v| v.log.end_offset()).collect();
            ends.sort_unstable_by(|a, b| b.cmp(a));
            assert!(
                hw <= ends[quorum.majority() - 1],
                "high watermark {hw} beyond a majority's logs {ends:?}"
            );
        }
    }

    fn record(&mut self, sim: &Sim, command: Option<&Command>, events: &[TimedEvent]) {
        self.check_quorum(sim);
        let group_of = |consumer: &str| sim.consumer(consumer).map(|c| c.config.group_id.clone());
        if let Some(Command::Seek {
            consumer,
            topic,
            partition,
            offset,
        }) = command
            && let Some(group) = group_of(consumer)
        {
            self.positions
                .entry((group, topic.clone(), partition.0))
                .or_default()
                .insert(*offset);
            self.sought.insert((topic.clone(), partition.0, *offset));
        }
        for event in events {
            match &event.event {
                Event::Fetched {
                    consumer,
                    topic,
                    partition,
                    to,
                    ..
                }
                | Event::Skipped {
                    consumer,
                    topic,
                    partition,
                    to,
                    ..
                }
                | Event::TruncationDetected {
                    consumer,
                    topic,
                    partition,
                    diverged_at: Some(to),
                    ..
                } => {
                    if let Some(group) = group_of(consumer) {
                        self.positions
                            .entry((group, topic.clone(), partition.0))
                            .or_default()
                            .insert(to.0);
                    }
                }
                Event::PositionReset {
                    consumer,
                    topic,
                    partition,
                    offset,
                    ..
                } => {
                    if let Some(group) = group_of(consumer) {
                        self.positions
                            .entry((group, topic.clone(), partition.0))
                            .or_default()
                            .insert(offset.0);
                    }
                }
                Event::OffsetReset {
                    group,
                    topic,
                    partition,
                    to,
                    ..
                } => {
                    self.positions
                        .entry((group.clone(), topic.clone(), partition.0))
                        .or_default()
                        .insert(to.0);
                }
                Event::OffsetCommitted {
                    group,
                    topic,
                    partition,
                    offset,
                    ..
                } => {
                    let legit = self
                        .positions
                        .get(&(group.clone(), topic.clone(), partition.0))
                        .is_some_and(|p| p.contains(&offset.0));
                    assert!(
                        legit,
                        "{group} committed {topic}-{partition} at {offset}, a position no fetch, reset or seek produced"
                    );
                }
                Event::LeaderElected {
                    kind: ElectionKind::Unclean,
                    ..
                } => self.unclean = true,
                Event::TopicDeleted { topic } => self.newest.retain(|(t, _, _), _| t != topic),
                _ => {}
            }
        }
    }
}

/// Compaction keeps the newest committed value of every key (unless retention deleted it, it
/// is a tombstone past delete.retention.ms, or an unclean election lost it). Only records
/// below the last stable offset count, and records of aborted transactions never do: the
/// cleaner removes those.
fn check_compaction(sim: &Sim, history: &mut History) {
    let view = sim.view();
    for topic in &view.topics {
        let compacted = sim
            .topic_config(&topic.name)
            .is_some_and(|c| c.cleanup_policy.compact);
        if !compacted {
            continue;
        }
        for partition in &topic.partitions {
            let records = sim.records(&topic.name, partition.id);
            let Some(state) = sim.partition(&topic.name, partition.id) else {
                continue;
            };
            let stable = state.last_stable_offset();
            for record in records.iter().filter(|r| {
                r.offset < stable
                    && r.control.is_none()
                    && !in_aborted_transaction(&state.aborted, r)
            }) {
                let Some(key) = record.key.as_deref() else {
                    continue;
                };
                let entry = history
                    .newest
                    .entry((topic.name.clone(), partition.id.0, key.to_owned()))
                    .or_insert((record.offset, record.value.is_none()));
                if record.offset > entry.0 {
                    *entry = (record.offset, record.value.is_none());
                }
            }
            if history.unclean || partition.leader.is_none() {
                continue;
            }
            for ((t, p, key), (offset, tombstone)) in &history.newest {
                if t != &topic.name
                    || *p != partition.id.0
                    || *tombstone
                    || *offset < partition.log_start
                {
                    continue;
                }
                assert!(
                    records.iter().any(|r| r.offset == *offset),
                    "{t}-{p}: the newest value of key {key:?} (offset {offset}) is gone"
                );
            }
        }
    }
}

/// Group invariants: nobody shares a partition in a group; a Stable classic group whose
/// members all run covers every subscribed partition exactly once; committed offsets stay
/// within the log.
fn check_groups(sim: &Sim, history: &History) {
    let view = sim.view();
    for group in &view.groups {
        check_coordinator(sim, &group.id);
        let mut owners: BTreeMap<(String, u32), String> = BTreeMap::new();
        // A consumer whose member id the group no longer knows (a static member's fenced twin,
        // until its next heartbeat tells it) is not a live member.
        let live = |member: &Option<String>| {
            member
                .as_ref()
                .is_some_and(|m| group.members.iter().any(|g| g.id == *m))
        };
        for consumer in view
            .consumers
            .iter()
            .filter(|c| c.group == group.id && live(&c.member_id))
        {
            for p in &consumer.partitions {
                if let Some(other) =
                    owners.insert((p.topic.clone(), p.partition), consumer.id.clone())
                {
                    panic!(
                        "{}-{} held by {other} and {} in group {}",
                        p.topic, p.partition, consumer.id, group.id
                    );
                }
            }
        }
        let all_running = group.members.iter().all(|m| {
            sim.consumer(&m.client)
                .is_some_and(|c| c.member_id.as_deref() == Some(m.id.as_str()))
        });
        if group.protocol == "classic"
            && group.state == kafka_sim::sim::coordinator::GroupState::Stable
            && all_running
        {
            let subscribed: BTreeSet<String> = group
                .members
                .iter()
                .filter_map(|m| {
                    sim.group(&group.id)
                        .and_then(|g| g.members.get(&m.id))
                        .map(|m| m.topics.clone())
                })
                .flatten()
                .collect();
            for topic in subscribed.iter().filter_map(|t| view.topic(t)) {
                for p in &topic.partitions {
                    assert!(
                        owners.contains_key(&(topic.name.clone(), p.id.0)),
                        "Stable group {} leaves {}-{} unowned",
                        group.id,
                        topic.name,
                        p.id
                    );
                }
            }
        }
        for p in &group.partitions {
            if let Some(committed) = p.committed
                && !history.unclean
                && !history
                    .sought
                    .contains(&(p.topic.clone(), p.partition, committed.0))
            {
                assert!(
                    committed <= p.end,
                    "group {} committed {}-{} at {committed} above the end {}",
                    group.id,
                    p.topic,
                    p.partition,
                    p.end
                );
            }
        }
    }
}

/// The coordinator's own records of `group`: no partition twice in its target (or the
/// classic leader's assignment), none held by two members (consumer protocol: what each was
/// given or is revoking), each `group.instance.id` held by one member, and no member epoch
/// ahead of the target's, nor the target's ahead of the group epoch.
fn check_coordinator(sim: &Sim, group: &str) {
    let Some(g) = sim.group(group) else {
        return;
    };
    let mut targets = BTreeSet::new();
    for tp in g.assignment.values().flatten() {
        assert!(
            targets.insert(tp.clone()),
            "{tp} twice in group {group}'s target"
        );
    }
    let mut instances = BTreeSet::new();
    for m in g.members.values() {
        if let Some(instance) = &m.instance_id {
            assert!(
                instances.insert(instance.clone()),
                "group.instance.id {instance} held twice in group {group}"
            );
        }
    }
    if g.protocol == GroupProtocol::Classic {
        return;
    }
    assert!(
        g.assignment_epoch <= g.generation,
        "group {group}: target ahead of the epoch"
    );
    let mut held = BTreeSet::new();
    for m in g.members.values() {
        assert!(
            m.epoch <= g.assignment_epoch,
            "{}: member epoch ahead of the target",
            m.id
        );
        for tp in m.owned.iter().chain(&m.revoking) {
            assert!(held.insert(tp.clone()), "{tp} held twice in group {group}");
        }
    }
}

fn run(seed: u64, steps: &[Step]) -> Sim {
    run_digested(seed, steps, &mut Digest::default())
}

/// A fingerprint of a run: every step's state hash and the postcard encoding of its events, in
/// order. `scripts/fuzz` prints the sessions' digest, so a change meant to keep behaviour (a
/// refactor) is checked by the same `FUZZ_SEED` printing the same digest before and after.
#[derive(Default)]
struct Digest(u64);

impl Digest {
    fn fold(&mut self, sim: &Sim, events: &[kafka_sim::sim::TimedEvent]) {
        let encoded = postcard::to_allocvec(events).expect("events encode");
        for word in [sim.state_hash(), fnv1a(&encoded)] {
            self.0 = fnv1a(&[self.0.to_le_bytes(), word.to_le_bytes()].concat());
        }
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn run_digested(seed: u64, steps: &[Step], digest: &mut Digest) -> Sim {
    let mut sim = start(seed);
    let mut history = History::default();
    let mut visible_when_fenced = BTreeMap::new();
    for step in steps {
        let fenced_before = fenced_producers(&sim);
        let events = match step {
            Step::Apply(command) => {
                let before = sim.clone();
                if sim.apply(command.clone()).is_err() {
                    assert_eq!(sim, before, "a refused {command:?} changed the state");
                }
                let events = sim.drain_events();
                history.record(&sim, Some(command), &events);
                events
            }
            Step::Tick(n) => {
                let mut events = Vec::new();
                for _ in 0..*n {
                    sim.tick();
                    let tick = sim.drain_events();
                    history.record(&sim, None, &tick);
                    check_groups(&sim, &history);
                    events.extend(tick);
                }
                events
            }
        };
        check_invariants(&sim, &events);
        check_groups(&sim, &history);
        check_compaction(&sim, &mut history);
        check_transactions(&sim, &fenced_before, &events, &mut visible_when_fenced);
        digest.fold(&sim, &events);
    }
    sim
}

fn persistence() -> Option<Box<dyn proptest::test_runner::FailurePersistence>> {
    Some(Box::new(FileFailurePersistence::WithSource("regressions")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: persistence(), ..ProptestConfig::default() })]

    #[test]
    fn random_sessions_keep_the_invariants(
        seed in any::<u64>(),
        steps in proptest::collection::vec(step(), 1..100),
    ) {
        let sim = run(seed, &steps);
        let again = run(seed, &steps);
        prop_assert_eq!(&sim, &again, "same seed and commands, same state");
        prop_assert_eq!(sim.state_hash(), again.state_hash());
        let json = serde_json::to_string(&sim).expect("serialize");
        let restored: Sim = serde_json::from_str(&json).expect("deserialize");
        prop_assert_eq!(&restored, &sim, "the state survives a serde round trip");
    }
}

/// Runs `steps` through a timeline with small snapshot limits, noting the state hash at every
/// moment; a refused command leaves the timeline as it was.
fn record_timeline(seed: u64, steps: &[Step]) -> (Timeline, BTreeMap<u64, u64>) {
    let mut timeline = Timeline::with_limits(start(seed), 5, 6);
    let mut hashes = BTreeMap::new();
    hashes.insert(timeline.sim().now_ms(), timeline.sim().state_hash());
    for step in steps {
        match step {
            Step::Apply(command) => {
                let before = (timeline.sim().state_hash(), timeline.end_ms());
                if timeline.apply(command.clone()).is_err() {
                    assert_eq!((timeline.sim().state_hash(), timeline.end_ms()), before);
                }
            }
            Step::Tick(n) => {
                for _ in 0..*n {
                    timeline.tick();
                    timeline.drain_events();
                    hashes.insert(timeline.sim().now_ms(), timeline.sim().state_hash());
                }
            }
        }
        // The state at a moment is the one after that moment's last command.
        hashes.insert(timeline.sim().now_ms(), timeline.sim().state_hash());
    }
    (timeline, hashes)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: persistence(), ..ProptestConfig::default() })]

    /// Time travel: any remembered moment, reached backwards or forwards, is the state that
    /// was lived at that moment.
    #[test]
    fn seeking_anywhere_in_the_timeline_gives_the_state_lived_then(
        seed in any::<u64>(),
        steps in proptest::collection::vec(step(), 1..80),
        seeks in proptest::collection::vec(any::<proptest::sample::Index>(), 1..8),
    ) {
        let (mut timeline, hashes) = record_timeline(seed, &steps);
        let remembered: Vec<(u64, u64)> = hashes
            .range(timeline.start_ms()..=timeline.end_ms())
            .map(|(t, h)| (*t, *h))
            .collect();
        for index in seeks {
            let (t, hash) = *index.get(&remembered);
            timeline.seek(t);
            prop_assert_eq!(timeline.sim().now_ms(), t);
            prop_assert_eq!(timeline.sim().state_hash(), hash, "the state at t = {} ms", t);
        }
        // A shared link of the moment shown, rewound or not, rebuilds that moment.
        let shown = (timeline.sim().now_ms(), timeline.sim().state_hash());
        let link = Shared::of(&start_scenario(seed), &timeline).to_link();
        let replayed = Shared::from_link(&link).and_then(|s| s.replay());
        prop_assert!(replayed.is_ok(), "{:?}", replayed.as_ref().err());
        let replayed = replayed.expect("checked");
        prop_assert_eq!((replayed.sim().now_ms(), replayed.sim().state_hash()), shown);
        while timeline.is_rewound() {
            timeline.tick();
        }
        prop_assert_eq!(Some(timeline.sim().state_hash()), hashes.values().last().copied());
    }
}

/// A fault schedule for the Jepsen-style runs: crashes, controlled shutdowns, restarts, slow brokers, brokers cut
/// off from the controller or the clients, heals and preferred elections, and how many ticks
/// pass between them.
#[derive(Clone, Debug)]
enum Fault {
    Apply(Command),
    Wait(u8),
}

fn fault() -> impl Strategy<Value = Fault> {
    let broker = || (1u32..4).prop_map(BrokerId);
    let apply = Fault::Apply;
    prop_oneof![
        2 => broker().prop_map(move |broker| apply(Command::CrashBroker { broker })),
        1 => broker().prop_map(move |broker| apply(Command::ShutDownBroker { broker })),
        2 => broker().prop_map(move |broker| apply(Command::RestartBroker { broker })),
        1 => broker().prop_map(move |broker| apply(Command::SlowBroker { broker })),
        2 => (broker(), prop_oneof![Just(Isolation::Controller), Just(Isolation::Clients)])
            .prop_map(move |(broker, from)| apply(Command::IsolateBroker { broker, from })),
        2 => broker().prop_map(move |broker| apply(Command::HealBroker { broker })),
        1 => Just(apply(Command::ElectPreferredLeaders { topic: None })),
        4 => (1u8..120).prop_map(Fault::Wait),
    ]
}

/// Every acknowledged record is still in the log of every in-sync replica, at the offset it was
/// acknowledged at (Kafka's promise for acks=all below the high watermark).
fn check_acknowledged_in_isr(
    sim: &Sim,
    acked_at: &BTreeMap<(String, PartitionId, Offset), RecordId>,
) {
    for ((topic, partition, offset), id) in acked_at {
        let Some(p) = sim.partition(topic, *partition) else {
            continue;
        };
        for member in &p.isr {
            let records = sim.replica_records(topic, *partition, *member);
            let held = records.at_offset(*offset).map(|r| r.producer_seq);
            assert_eq!(
                held,
                Some(*id),
                "{topic}-{partition} offset {offset}: acknowledged record {id} missing on in-sync broker {member} at {} ms",
                sim.now_ms()
            );
        }
    }
}

/// A record's identity: (producer record number).
type RecordId = u64;

/// What a Jepsen-style run has seen so far.
#[derive(Default)]
struct Observed {
    /// Which record each acknowledged offset held when it was acknowledged: a later loss
    /// report names offsets, and by then the replicas may have truncated them.
    acked_at: BTreeMap<(String, PartitionId, Offset), RecordId>,
    acked: BTreeSet<RecordId>,
    /// The acknowledged records a loss report named (an unclean election's `RecordsLost`, a
    /// truncation's `AcknowledgedRecordsLost`).
    lost: BTreeSet<RecordId>,
    /// An unclean election happened: acknowledged records may be gone.
    unclean: bool,
}

impl Observed {
    fn observe(&mut self, sim: &mut Sim) {
        for event in sim.drain_events() {
            match event.event {
                Event::ProduceAcked {
                    topic,
                    partition,
                    from,
                    to,
                    ..
                } => {
                    for r in sim
                        .records(&topic, partition)
                        .iter()
                        .filter(|r| r.offset >= from && r.offset < to)
                    {
                        self.acked_at
                            .insert((topic.clone(), partition, r.offset), r.producer_seq);
                        self.acked.insert(r.producer_seq);
                    }
                }
                Event::RecordsLost {
                    topic,
                    partition,
                    from,
                    to,
                    ..
                }
                | Event::AcknowledgedRecordsLost {
                    topic,
                    partition,
                    from,
                    to,
                    ..
                } => {
                    for id in self
                        .acked_at
                        .range((topic.clone(), partition, from)..(topic, partition, to))
                        .map(|(_, id)| id)
                    {
                        self.lost.insert(*id);
                    }
                }
                Event::LeaderElected {
                    kind: ElectionKind::Unclean,
                    ..
                } => self.unclean = true,
                _ => {}
            }
        }
    }
}

/// Runs a producer (acks=all, idempotent) at 50 records/s against `orders` (RF 3,
/// min.insync.replicas 2) through `faults`, then heals the cluster. Until an unclean election,
/// after every step every acknowledged record is on every in-sync replica (zombie leaders
/// included: `Partition.maybeIncrementLeaderHW` waits for the ISR it cannot shrink). Returns
/// the acknowledged records, the records in the final logs, and the records reported lost.
fn jepsen(
    seed: u64,
    unclean: bool,
    faults: &[Fault],
) -> (BTreeSet<RecordId>, BTreeSet<RecordId>, BTreeSet<RecordId>) {
    let mut sim = Sim::new(SimConfig::default(), seed).expect("config");
    let mut configs = Map::new();
    configs.insert("min.insync.replicas".to_owned(), "2".to_owned());
    configs.insert(
        "unclean.leader.election.enable".to_owned(),
        unclean.to_string(),
    );
    for command in [
        Command::CreateTopic {
            name: "orders".into(),
            partitions: 3,
            replication_factor: 3,
            configs,
        },
        Command::AddProducer {
            producer: "p".into(),
            config: ProducerConfig::default(),
        },
        Command::StartGenerator {
            generator: "g".into(),
            producer: "p".into(),
            topic: "orders".into(),
            rate_per_sec: 50,
            keys: KeySet::Uniform { count: 20 },
        },
    ] {
        sim.apply(command).expect("set-up");
    }
    let mut seen = Observed::default();
    for fault in faults {
        match fault {
            Fault::Apply(command) => {
                let _ = sim.apply(command.clone());
            }
            Fault::Wait(n) => {
                for _ in 0..*n {
                    sim.tick();
                    seen.observe(&mut sim);
                }
            }
        }
        seen.observe(&mut sim);
        if !seen.unclean {
            check_acknowledged_in_isr(&sim, &seen.acked_at);
        }
    }
    sim.apply(Command::StopGenerator {
        generator: "g".into(),
    })
    .expect("stop");
    for b in 1..=3 {
        let broker = BrokerId(b);
        let _ = sim.apply(Command::HealBroker { broker });
        let _ = sim.apply(Command::RestartBroker { broker });
        seen.observe(&mut sim);
    }
    for _ in 0..400 {
        sim.tick();
        seen.observe(&mut sim);
    }
    let present: BTreeSet<RecordId> = (0..3)
        .flat_map(|p| {
            sim.records("orders", PartitionId(p))
                .iter()
                .map(|r| r.producer_seq)
                .collect::<Vec<_>>()
        })
        .collect();
    // Healed: every partition has a leader and a full ISR again.
    for p in sim
        .view()
        .topic("orders")
        .expect("orders")
        .partitions
        .iter()
    {
        assert!(p.leader.is_some() && p.isr.len() == 3, "not healed: {p:?}");
        assert_eq!(p.high_watermark, p.log_end);
    }
    (seen.acked, present, seen.lost)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, failure_persistence: persistence(), ..ProptestConfig::default() })]

    /// Kafka's promise for acks=all with min.insync.replicas 2 and RF 3 (`Partition.scala`:
    /// the high watermark is the ISR's smallest log end; `getOutOfSyncReplicas` and
    /// `maybeShrinkIsr` through the controller; `makeFollower` truncating only above it): no
    /// crash, restart, slow broker, network cut, heal or election loses an acknowledged record.
    #[test]
    fn acknowledged_records_survive_crashes_without_unclean_elections(
        seed in any::<u64>(),
        faults in proptest::collection::vec(fault(), 1..30),
    ) {
        let (acked, present, lost) = jepsen(seed, false, &faults);
        prop_assert!(lost.is_empty(), "no unclean election, no loss");
        let missing: Vec<_> = acked.difference(&present).collect();
        prop_assert!(missing.is_empty(), "acknowledged but gone: {:?}", missing);
    }

    #[test]
    fn with_unclean_elections_every_lost_acknowledged_record_is_reported(
        seed in any::<u64>(),
        faults in proptest::collection::vec(fault(), 1..30),
    ) {
        let (acked, present, lost) = jepsen(seed, true, &faults);
        let unreported: Vec<_> = acked.difference(&present).filter(|r| !lost.contains(r)).collect();
        prop_assert!(unreported.is_empty(), "lost without a report: {:?}", unreported);
    }
}

/// The random sessions at scale: sessions of up to 100 steps (about 44 commands each on
/// average), invariants checked after every step: `FUZZ_COMMANDS / 40` sessions, so at least
/// about `FUZZ_COMMANDS` commands (default 1,000,000). `FUZZ_SEED` picks the sessions, so a failing run can be repeated; a
/// failure is shrunk to a minimal session. Run by `scripts/fuzz`; ignored in the normal test
/// run, which has the 512-session version above.
#[test]
#[ignore = "minutes long: scripts/fuzz runs it"]
fn random_sessions_at_scale() {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    use std::cell::Cell;
    let number = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(default)
    };
    let target = number("FUZZ_COMMANDS", 1_000_000);
    let fuzz_seed = number("FUZZ_SEED", 0);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&fuzz_seed.to_le_bytes());
    let config = Config {
        cases: u32::try_from(target / 40).unwrap_or(u32::MAX).max(1),
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let sessions = (any::<u64>(), proptest::collection::vec(step(), 1..100));
    let (commands, ticks, count) = (Cell::new(0u64), Cell::new(0u64), Cell::new(0u64));
    let digest = std::cell::RefCell::new(Digest::default());
    let started = std::time::Instant::now();
    let result = runner.run(&sessions, |(seed, steps)| {
        for step in &steps {
            match step {
                Step::Apply(_) => commands.set(commands.get() + 1),
                Step::Tick(n) => ticks.set(ticks.get() + u64::from(*n)),
            }
        }
        count.set(count.get() + 1);
        run_digested(seed, &steps, &mut digest.borrow_mut());
        Ok(())
    });
    if let Err(failure) = result {
        panic!("FUZZ_SEED={fuzz_seed}: {failure}");
    }
    println!(
        "fuzz (FUZZ_SEED={fuzz_seed}): {} commands and {} ticks in {} sessions, invariants checked after every step, in {:.1} s",
        commands.get(),
        ticks.get(),
        count.get(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "fuzz (FUZZ_SEED={fuzz_seed}): digest of every step's state hash and events {:016x}",
        digest.borrow().0
    );
}
