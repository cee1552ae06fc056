//! Consumer groups, offsets and transactions through the engine: rebalances with eager and
//! cooperative assignors and with the consumer protocol, session and poll timeouts, commits
//! and lag, offset resets, and read_committed.

mod support;
use kafka_sim::sim::coordinator::GroupState;
use kafka_sim::sim::event::Event;
use kafka_sim::sim::partitioner::partition_for_key;
use kafka_sim::sim::types::{GroupProtocol, ResetSpec, ServerAssignor, Strategy, TopicPartition};
use kafka_sim::sim::{
    AutoOffsetReset, Command, ConsumerConfig, IsolationLevel, Offset, PartitionId, ProducerConfig,
    Sim, SimError, TimedEvent,
};
use std::collections::BTreeSet;
use support::*;

fn start(sim: &mut Sim, consumer: &str, group: &str, configure: impl FnOnce(&mut ConsumerConfig)) {
    let mut config = ConsumerConfig::new(group);
    configure(&mut config);
    sim.apply(Command::subscribe(consumer, "orders", config))
        .expect("consumer");
}

/// Ticks until `group` is Stable with every member holding its partitions (at most 300 ticks).
fn settle_group(sim: &mut Sim, group: &str) -> Vec<TimedEvent> {
    let mut events = Vec::new();
    for _ in 0..300 {
        sim.tick();
        events.extend(sim.drain_events());
        let view = sim.view();
        let g = view.groups.iter().find(|g| g.id == group).expect("group");
        let settled = g.state == GroupState::Stable
            && g.members
                .iter()
                .all(|m| m.target.is_empty() || m.assigned == m.target);
        if settled {
            break;
        }
    }
    events
}

fn held(sim: &Sim, consumer: &str) -> Vec<TopicPartition> {
    sim.consumer(consumer)
        .map(|c| c.assigned.clone())
        .unwrap_or_default()
}

fn position(sim: &Sim, consumer: &str, partition: u32) -> Option<u64> {
    sim.consumer(consumer)
        .and_then(|c| c.position(&TopicPartition::new("orders", PartitionId(partition))))
        .map(|o| o.0)
}

fn polled(events: &[TimedEvent], consumer: &str) -> Vec<u64> {
    events
        .iter()
        .filter_map(|e| match &e.event {
            Event::Fetched {
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
fn a_group_reads_below_the_high_watermark_and_commit_stores_positions() {
    let mut sim = quiet_without_consumer();
    start(&mut sim, "manual", "billing", |c| {
        c.enable_auto_commit = false
    });
    let events = settle_group(&mut sim, "billing");
    assert!(!lines_with(&events, "group billing: Empty → PreparingRebalance").is_empty());
    assert!(!lines_with(&events, "CompletingRebalance → Stable (generation 1)").is_empty());
    assert_eq!(
        held(&sim, "manual").len(),
        3,
        "alone, it gets every partition"
    );
    let p = partition_for_key(b"user-7", 3);
    for _ in 0..3 {
        send(&mut sim, Some("user-7"), None);
    }
    sim.tick(); // written and copied; the high watermark moves next tick
    assert_eq!(
        position(&sim, "manual", p),
        Some(0),
        "nothing below the high watermark yet"
    );
    settle(&mut sim, 20);
    assert_eq!(position(&sim, "manual", p), Some(3));
    assert_eq!(
        sim.committed("billing", "orders", PartitionId(p)),
        None,
        "auto-commit is off"
    );
    sim.apply(Command::Commit {
        consumer: "manual".into(),
    })
    .expect("commit");
    assert_eq!(
        sim.committed("billing", "orders", PartitionId(p)),
        Some(Offset(3))
    );
}

#[test]
fn max_poll_records_and_processing_time_pace_a_consumer() {
    let mut sim = quiet_without_consumer();
    start(&mut sim, "slow", "slow", |c| {
        c.max_poll_records = 2;
        c.processing_ms_per_record = 100;
    });
    settle_group(&mut sim, "slow");
    for _ in 0..5 {
        send(&mut sim, Some("user-7"), None);
    }
    let events = ticks(&mut sim, 12);
    // Two records take 200 ms to process, so it polls every second tick.
    assert_eq!(polled(&events, "slow"), [2, 2, 1]);
    let times: Vec<u64> = events
        .iter()
        .filter(|e| matches!(&e.event, Event::Fetched { consumer, .. } if consumer == "slow"))
        .map(|e| e.at_ms)
        .collect();
    assert_eq!(times[1] - times[0], 200);
}

#[test]
fn auto_commit_commits_what_earlier_polls_returned() {
    let mut sim = quiet_without_consumer();
    start(&mut sim, "auto", "auto", |_| {});
    settle_group(&mut sim, "auto");
    let p = partition_for_key(b"k", 3);
    send(&mut sim, Some("k"), None);
    settle(&mut sim, 20);
    assert_eq!(position(&sim, "auto", p), Some(1));
    assert_eq!(
        sim.committed("auto", "orders", PartitionId(p)),
        None,
        "not yet"
    );
    let events = ticks(&mut sim, 60);
    let commits = lines_with(&events, "committed offset 1");
    assert_eq!(
        commits.len(),
        1,
        "within auto.commit.interval.ms: {events:?}"
    );
}

#[test]
fn auto_offset_reset_latest_and_none() {
    let mut sim = quiet_without_consumer();
    send(&mut sim, Some("k"), None);
    settle(&mut sim, 20);
    let p = partition_for_key(b"k", 3);
    start(&mut sim, "late", "late", |c| {
        c.auto_offset_reset = AutoOffsetReset::Latest
    });
    settle_group(&mut sim, "late");
    ticks(&mut sim, 2);
    assert_eq!(
        position(&sim, "late", p),
        Some(1),
        "starts at the high watermark"
    );

    start(&mut sim, "strict", "strict", |c| {
        c.auto_offset_reset = AutoOffsetReset::None
    });
    let events = settle_group(&mut sim, "strict");
    let events: Vec<TimedEvent> = events.into_iter().chain(ticks(&mut sim, 3)).collect();
    assert_eq!(
        lines_with(
            &events,
            "strict stopped polling: auto.offset.reset: consumer 'strict' has no committed offset"
        )
        .len(),
        1,
        "the loop stops once with the reason: {events:?}"
    );
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
}

#[test]
fn eager_range_rebalance_revokes_everything_then_splits_the_topic() {
    let mut sim = quiet();
    settle_group(&mut sim, "group-1");
    assert_eq!(held(&sim, "consumer-1").len(), 3);
    start(&mut sim, "consumer-2", "group-1", |_| {});
    let events = settle_group(&mut sim, "group-1");
    assert_eq!(
        lines_with(&events, "consumer-1#1 gave up orders-0, orders-1, orders-2").len(),
        1,
        "eager: everything is given up first: {events:?}"
    );
    let (a, b) = (held(&sim, "consumer-1"), held(&sim, "consumer-2"));
    assert_eq!(a.len() + b.len(), 3);
    assert_eq!(
        a,
        [
            TopicPartition::new("orders", PartitionId(0)),
            TopicPartition::new("orders", PartitionId(1))
        ],
        "range: the first member takes the extra"
    );
    let generation = sim.group("group-1").map(|g| g.generation);
    assert_eq!(generation, Some(2));
}

#[test]
fn cooperative_sticky_moves_only_what_must_move_and_never_double_owns() {
    let mut sim = quiet_without_consumer();
    let coop = |c: &mut ConsumerConfig| c.strategy = Strategy::CooperativeSticky;
    start(&mut sim, "c1", "coop", coop);
    settle_group(&mut sim, "coop");
    assert_eq!(held(&sim, "c1").len(), 3);
    start(&mut sim, "c2", "coop", coop);
    let mut events = Vec::new();
    for _ in 0..300 {
        sim.tick();
        events.extend(sim.drain_events());
        let a: BTreeSet<_> = held(&sim, "c1").into_iter().collect();
        let b: BTreeSet<_> = held(&sim, "c2").into_iter().collect();
        assert!(
            a.is_disjoint(&b),
            "a partition with two owners: {a:?} {b:?}"
        );
        if a.len() + b.len() == 3
            && !b.is_empty()
            && sim
                .group("coop")
                .is_some_and(|g| g.state == GroupState::Stable)
        {
            break;
        }
    }
    let revocations: Vec<&Event> = events
        .iter()
        .map(|e| &e.event)
        .filter(|e| matches!(e, Event::PartitionsRevoked { .. }))
        .collect();
    assert_eq!(
        revocations.len(),
        1,
        "c1 gives up only the moving partition: {events:?}"
    );
    assert!(matches!(
        revocations[0],
        Event::PartitionsRevoked { member, partitions, .. } if member == "c1#1" && partitions.len() == 1
    ));
    assert_eq!(
        lines_with(&events, "cooperative follow-up").len(),
        1,
        "a second round hands it over"
    );
    assert_eq!((held(&sim, "c1").len(), held(&sim, "c2").len()), (2, 1));
}

#[test]
fn more_consumers_than_partitions_leaves_some_idle() {
    let mut sim = quiet_without_consumer();
    for c in ["a", "b", "c", "d"] {
        start(&mut sim, c, "wide", |_| {});
    }
    settle_group(&mut sim, "wide");
    let counts: Vec<usize> = ["a", "b", "c", "d"]
        .iter()
        .map(|c| held(&sim, c).len())
        .collect();
    assert_eq!(
        counts,
        [1, 1, 1, 0],
        "range over 3 partitions and 4 members"
    );
}

#[test]
fn a_crashed_consumer_is_dropped_after_the_session_timeout_a_closed_one_at_once() {
    let mut sim = quiet();
    start(&mut sim, "consumer-2", "group-1", |_| {});
    settle_group(&mut sim, "group-1");
    sim.apply(Command::CrashConsumer {
        consumer: "consumer-2".into(),
    })
    .expect("crash");
    let events = ticks(&mut sim, 440);
    assert!(
        lines_with(&events, "left group group-1").is_empty(),
        "not before 45 s"
    );
    let events = ticks(&mut sim, 20);
    assert_eq!(
        lines_with(
            &events,
            "left group group-1: no heartbeat for session.timeout.ms (45 s)"
        )
        .len(),
        1
    );
    settle_group(&mut sim, "group-1");
    assert_eq!(
        held(&sim, "consumer-1").len(),
        3,
        "the survivor takes everything"
    );

    start(&mut sim, "consumer-3", "group-1", |_| {});
    settle_group(&mut sim, "group-1");
    sim.apply(Command::CloseConsumer {
        consumer: "consumer-3".into(),
    })
    .expect("close");
    let events = sim.drain_events();
    assert_eq!(
        lines_with(&events, "left group group-1: it closed (LeaveGroup)").len(),
        1
    );
    assert_eq!(
        lines_with(&events, "group group-1 rebalances").len(),
        1,
        "at once"
    );
}

#[test]
fn a_consumer_that_does_not_poll_in_time_leaves_its_group() {
    let mut sim = quiet_without_consumer();
    start(&mut sim, "busy", "busy", |c| {
        c.processing_ms_per_record = 20_000;
        c.max_poll_interval_ms = 10_000;
        c.session_timeout_ms = 45_000;
    });
    settle_group(&mut sim, "busy");
    send(&mut sim, Some("k"), None);
    let events = ticks(&mut sim, 150);
    assert!(
        !lines_with(&events, "it did not poll within max.poll.interval.ms").is_empty(),
        "{events:?}"
    );
}

#[test]
fn the_consumer_protocol_converges_without_stopping_the_group() {
    let mut sim = quiet_without_consumer();
    let kip848 = |c: &mut ConsumerConfig| {
        c.group_protocol = GroupProtocol::Consumer {
            assignor: ServerAssignor::Uniform,
        }
    };
    start(&mut sim, "n1", "modern", kip848);
    settle_group(&mut sim, "modern");
    assert_eq!(held(&sim, "n1").len(), 3);
    start(&mut sim, "n2", "modern", kip848);
    let events = settle_group(&mut sim, "modern");
    assert!(
        lines_with(&events, "PreparingRebalance").is_empty(),
        "no join phase: {events:?}"
    );
    assert!(!lines_with(&events, "target assignment").is_empty());
    let (a, b) = (held(&sim, "n1"), held(&sim, "n2"));
    assert_eq!(a.len() + b.len(), 3);
    assert!(a.len().abs_diff(b.len()) <= 1);
    // n1 kept consuming what it kept: it never gave up everything.
    assert!(lines_with(&events, "n1#1 gave up orders-0, orders-1, orders-2").is_empty());
}

#[test]
fn a_new_member_with_another_strategy_is_refused() {
    let mut sim = quiet();
    settle_group(&mut sim, "group-1");
    refused(
        &mut sim,
        Command::subscribe(
            "odd",
            "orders",
            ConsumerConfig {
                strategy: Strategy::RoundRobin,
                ..ConsumerConfig::new("group-1")
            },
        ),
        SimError::InconsistentGroupProtocol {
            group: "group-1".into(),
            reason: "the group's members use partition.assignment.strategy range".into(),
        },
    );
}

#[test]
fn more_partitions_make_the_group_rebalance() {
    let mut sim = quiet();
    settle_group(&mut sim, "group-1");
    sim.apply(Command::AddPartitions {
        topic: "orders".into(),
        partitions: 5,
    })
    .expect("grow");
    let events = settle_group(&mut sim, "group-1");
    assert!(!lines_with(&events, "the partitions of orders changed").is_empty());
    assert_eq!(held(&sim, "consumer-1").len(), 5);
}

#[test]
fn offsets_reset_only_while_the_group_is_inactive() {
    let mut sim = quiet();
    for i in 0..6 {
        sim.apply(Command::produce(
            "producer-1",
            "orders",
            Some(&format!("k{i}")),
            "v",
        ))
        .expect("produce");
    }
    settle(&mut sim, 20);
    settle_group(&mut sim, "group-1");
    ticks(&mut sim, 60);
    let reset = |spec| Command::ResetOffsets {
        group: "group-1".into(),
        topic: Some("orders".into()),
        spec,
    };
    refused(
        &mut sim,
        reset(ResetSpec::Earliest),
        SimError::GroupNotInactive {
            group: "group-1".into(),
            state: "Stable".into(),
        },
    );
    sim.apply(Command::CloseConsumer {
        consumer: "consumer-1".into(),
    })
    .expect("close");
    let ends: Vec<u64> = (0..3)
        .map(|p| {
            sim.partition("orders", PartitionId(p))
                .map_or(0, |x| x.high_watermark().0)
        })
        .collect();
    sim.apply(reset(ResetSpec::Earliest)).expect("reset");
    let committed = |sim: &Sim| -> Vec<u64> {
        (0..3)
            .map(|p| {
                sim.committed("group-1", "orders", PartitionId(p))
                    .map_or(99, |o| o.0)
            })
            .collect()
    };
    assert_eq!(committed(&sim), [0, 0, 0]);
    sim.apply(reset(ResetSpec::ShiftBy(1))).expect("shift");
    let shifted: Vec<u64> = ends.iter().map(|e| (*e).min(1)).collect();
    assert_eq!(committed(&sim), shifted);
    sim.apply(reset(ResetSpec::Latest)).expect("latest");
    assert_eq!(committed(&sim), ends);
    sim.apply(reset(ResetSpec::ToOffset(1_000)))
        .expect("clamped");
    assert_eq!(committed(&sim), ends, "kept within the log");
    sim.apply(reset(ResetSpec::ToDatetime(0)))
        .expect("datetime");
    assert_eq!(committed(&sim), [0, 0, 0]);
    // A group that committed nothing has nothing to reset.
    refused(
        &mut sim,
        Command::ResetOffsets {
            group: "nobody".into(),
            topic: None,
            spec: ResetSpec::Earliest,
        },
        SimError::UnknownGroup {
            group: "nobody".into(),
        },
    );
}

/// A reset for a group the coordinator does not know creates it, Empty, as Kafka's coordinator
/// does for an admin's commit (`OffsetMetadataManager.commitOffset`; ConsumerGroupCommand.java
/// `resetOffsets` treats an unknown group like an Empty one). A shift needs an offset to shift
/// from, and `--all-topics` resets only the partitions with one (`prepareOffsetsToReset`,
/// `getPartitionsToReset`). A refused reset changes nothing.
#[test]
fn a_reset_places_a_new_group_and_shifts_only_committed_offsets() {
    let mut sim = quiet_without_consumer();
    let reset = |topic: Option<&str>, spec| Command::ResetOffsets {
        group: "fresh".into(),
        topic: topic.map(str::to_owned),
        spec,
    };
    refused(
        &mut sim,
        reset(Some("orders"), ResetSpec::ShiftBy(1)),
        SimError::NothingToShift {
            topic: "orders".into(),
            partition: PartitionId(0),
        },
    );
    sim.apply(Command::DeleteGroup {
        group: "group-1".into(),
    })
    .expect("delete");
    sim.apply(reset(Some("orders"), ResetSpec::Earliest))
        .expect("a new group");
    let state = |sim: &Sim, group: &str| sim.group(group).map(|g| g.state);
    assert_eq!(state(&sim, "fresh"), Some(GroupState::Empty));
    // A partition added afterwards has no offset, so --all-topics leaves it alone.
    sim.apply(Command::AddPartitions {
        topic: "orders".into(),
        partitions: 4,
    })
    .expect("grow");
    sim.apply(reset(None, ResetSpec::ToOffset(0)))
        .expect("every committed partition");
    let committed: Vec<Option<Offset>> = (0..4)
        .map(|p| sim.committed("fresh", "orders", PartitionId(p)))
        .collect();
    assert_eq!(
        committed,
        [Some(Offset(0)), Some(Offset(0)), Some(Offset(0)), None]
    );
    sim.apply(reset(None, ResetSpec::ShiftBy(1)))
        .expect("shifts what is committed");
    // A deleted group comes back, Empty, with the offsets it is given.
    sim.apply(Command::ResetOffsets {
        group: "group-1".into(),
        topic: Some("orders".into()),
        spec: ResetSpec::Latest,
    })
    .expect("a deleted group");
    assert_eq!(state(&sim, "group-1"), Some(GroupState::Empty));
}

#[test]
fn two_groups_read_one_topic_independently() {
    let mut sim = quiet();
    start(&mut sim, "audit", "audit", |_| {});
    settle_group(&mut sim, "group-1");
    settle_group(&mut sim, "audit");
    for i in 0..5 {
        sim.apply(Command::produce(
            "producer-1",
            "orders",
            Some(&format!("k{i}")),
            "v",
        ))
        .expect("produce");
    }
    let events = ticks(&mut sim, 80);
    let total = |consumer: &str| polled(&events, consumer).iter().sum::<u64>();
    assert_eq!(
        (total("consumer-1"), total("audit")),
        (5, 5),
        "each group gets every record"
    );
}

#[test]
fn read_committed_waits_for_the_transaction_and_skips_aborted_records() {
    let mut sim = quiet_without_consumer();
    sim.apply(Command::AddProducer {
        producer: "tx".into(),
        config: ProducerConfig {
            transactional_id: Some("orders-app".into()),
            ..ProducerConfig::default()
        },
    })
    .expect("producer");
    refused(
        &mut sim,
        Command::produce("tx", "orders", Some("k"), "outside"),
        SimError::TransactionState {
            producer: "tx".into(),
            reason: "a transactional producer sends only inside a transaction: call beginTransaction() first".into(),
        },
    );
    start(&mut sim, "committed", "rc", |c| {
        c.isolation_level = IsolationLevel::ReadCommitted
    });
    start(&mut sim, "everything", "ru", |_| {});
    settle_group(&mut sim, "rc");
    settle_group(&mut sim, "ru");
    let p = partition_for_key(b"k", 3);
    let run = |sim: &mut Sim, value: &str, commit: bool| {
        sim.apply(Command::BeginTransaction {
            producer: "tx".into(),
        })
        .expect("begin");
        sim.apply(Command::produce("tx", "orders", Some("k"), value))
            .expect("send");
        ticks(sim, 5);
        let stable = sim
            .partition("orders", PartitionId(p))
            .map(|x| x.last_stable_offset());
        let end = if commit {
            Command::CommitTransaction {
                producer: "tx".into(),
            }
        } else {
            Command::AbortTransaction {
                producer: "tx".into(),
            }
        };
        sim.apply(end).expect("end");
        let events = ticks(sim, 10);
        (stable, events)
    };
    let (stable, events) = run(&mut sim, "kept", true);
    assert_eq!(
        stable,
        Some(Offset(0)),
        "the open transaction holds the LSO at its first record"
    );
    assert!(!lines_with(&events, "transaction COMMITTED").is_empty());
    let (_, events) = run(&mut sim, "dropped", false);
    assert!(!lines_with(&events, "transaction ABORTED").is_empty());
    let events = ticks(&mut sim, 10);
    let _ = events;
    // Log: kept(0) commit-marker(1) dropped(2) abort-marker(3).
    assert_eq!(sim.records("orders", PartitionId(p)).len(), 4);
    let delivered = |c: &str| sim.consumer(c).map_or(0, |c| c.delivered);
    assert_eq!(
        delivered("committed"),
        1,
        "read_committed sees only the committed record"
    );
    assert_eq!(
        delivered("everything"),
        2,
        "read_uncommitted sees both, never the markers"
    );
    assert_eq!(
        position(&sim, "committed", p),
        Some(4),
        "past the markers and the aborted record"
    );
}

/// A transactional producer `tx` (transactional.id orders-app) and a one-replica topic `solo`.
fn transactional_on_one_replica(config: ProducerConfig) -> Sim {
    let mut sim = quiet_without_consumer();
    sim.apply(Command::create_topic("solo", 1, 1))
        .expect("topic");
    sim.apply(Command::AddProducer {
        producer: "tx".into(),
        config: ProducerConfig {
            transactional_id: Some("orders-app".into()),
            ..config
        },
    })
    .expect("producer");
    sim
}

fn send_in_transaction(sim: &mut Sim, value: &str) {
    sim.apply(Command::produce("tx", "solo", Some("k"), value))
        .expect("send");
}

/// `tx` begins a transaction, sends `value` to `solo`, lets it reach the leader and commits.
fn commit_one(sim: &mut Sim, value: &str) {
    sim.apply(Command::BeginTransaction {
        producer: "tx".into(),
    })
    .expect("begin");
    send_in_transaction(sim, value);
    ticks(sim, 5);
    sim.apply(Command::CommitTransaction {
        producer: "tx".into(),
    })
    .expect("commit");
}

/// A transaction marker is an append like any other (`Partition.appendRecordsToLeader` →
/// `maybeIncrementLeaderHW`, core/src/main/scala/kafka/cluster/Partition.scala): with the
/// leader alone in the ISR the high watermark passes the commit marker as it is written, so
/// the last stable offset reaches the log end without waiting for another record.
#[test]
fn a_marker_moves_the_high_watermark_at_once_on_a_single_replica() {
    let mut sim = transactional_on_one_replica(ProducerConfig::default());
    commit_one(&mut sim, "kept");
    let events = ticks(&mut sim, 1);
    assert!(!lines_with(&events, "transaction COMMITTED").is_empty());
    let solo = sim.partition("solo", PartitionId(0)).expect("partition");
    assert_eq!(solo.log_end(), Offset(2), "the record and the marker");
    assert_eq!(solo.high_watermark(), Offset(2));
    assert_eq!(solo.last_stable_offset(), Offset(2));
}

/// Kafka's transaction coordinator aborts a transaction open longer than its producer's
/// transaction.timeout.ms, checking every transaction.abort.timed.out.transaction.cleanup
/// .interval.ms (10 s) (`TransactionCoordinator.abortTimedOutTransactions`,
/// core/src/main/scala/kafka/coordinator/transaction/TransactionCoordinator.scala;
/// `TransactionCoordinatorTest.shouldAbortExpiredTransactionsInOngoingStateAndBumpEpoch`):
/// the abort marker moves the LSO on, a read_committed consumer skips the aborted record and
/// reads on; the epoch bump fences the transaction's late batch (INVALID_PRODUCER_EPOCH) and
/// its commit until the application aborts, after which the producer works again.
#[test]
fn the_coordinator_aborts_a_transaction_open_longer_than_its_timeout() {
    let mut sim = transactional_on_one_replica(ProducerConfig {
        transaction_timeout_ms: 5_000,
        ..ProducerConfig::default()
    });
    read_committed(&mut sim, "reader", "solo", "readers");
    sim.apply(Command::BeginTransaction {
        producer: "tx".into(),
    })
    .expect("begin");
    send_in_transaction(&mut sim, "forgotten");
    let solo = |sim: &Sim| sim.partition("solo", PartitionId(0)).expect("solo").clone();
    let events = ticks(&mut sim, 99);
    assert!(lines_with(&events, "transaction coordinator ABORTED").is_empty());
    assert_eq!(
        solo(&sim).last_stable_offset(),
        Offset(0),
        "written at 0.1 s, timed out after 5.1 s, but the coordinator looks at 10 s"
    );
    let events = ticks(&mut sim, 1);
    let aborted = lines_with(
        &events,
        "the transaction coordinator ABORTED tx's transaction",
    );
    assert_eq!(aborted.len(), 1, "{events:?}");
    assert!(aborted[0].contains("transaction.timeout.ms (5000 ms)"));
    assert_eq!(events[0].at_ms, 10_000);
    assert_eq!(
        (solo(&sim).log_end(), solo(&sim).last_stable_offset()),
        (Offset(2), Offset(2)),
        "the abort marker went in and the LSO passed it"
    );
    ticks(&mut sim, 10);
    let reader = |sim: &Sim| sim.consumer("reader").expect("reader").clone();
    assert_eq!(reader(&sim).delivered, 0, "the aborted record is skipped");
    assert_eq!(
        reader(&sim).position(&TopicPartition::new("solo", PartitionId(0))),
        Some(Offset(2))
    );
    send_in_transaction(&mut sim, "late");
    let events = ticks(&mut sim, 3);
    assert_eq!(
        lines_with(
            &events,
            "tx FAILED to send 1 record(s) to solo-0: INVALID_PRODUCER_EPOCH"
        )
        .len(),
        1,
        "{events:?}"
    );
    assert_eq!(solo(&sim).log_end(), Offset(2), "the late batch is fenced");
    let fenced = |sim: &mut Sim, command: Command| {
        refused(
            sim,
            command,
            SimError::TransactionState {
                producer: "tx".into(),
                reason: "the transaction coordinator aborted the transaction: it was open longer than transaction.timeout.ms (5000 ms) and the producer's epoch was bumped (Kafka's commitTransaction() fails here); call abortTransaction()".into(),
            },
        )
    };
    fenced(
        &mut sim,
        Command::CommitTransaction {
            producer: "tx".into(),
        },
    );
    fenced(
        &mut sim,
        Command::BeginTransaction {
            producer: "tx".into(),
        },
    );
    sim.apply(Command::AbortTransaction {
        producer: "tx".into(),
    })
    .expect("abort");
    let events = ticks(&mut sim, 1);
    assert!(
        !lines_with(
            &events,
            "tx's transaction ABORTED; no partition needed a marker"
        )
        .is_empty(),
        "{events:?}"
    );
    commit_one(&mut sim, "fresh");
    ticks(&mut sim, 10);
    assert_eq!(reader(&sim).delivered, 1, "the new transaction's record");
}

/// Transactions v2 (KIP-890, Kafka 4.x's default): a partition joins a transaction when its
/// first batch reaches the leader (`AddPartitionsToTxnManager`,
/// core/src/main/scala/kafka/server/AddPartitionsToTxnManager.scala), so the coordinator's
/// abort marks only the partitions the transaction reached and does not wait for one whose
/// leader is gone.
#[test]
fn a_timed_out_transaction_marks_only_the_partitions_it_reached() {
    let mut sim = transactional_on_one_replica(ProducerConfig {
        transaction_timeout_ms: 5_000,
        ..ProducerConfig::default()
    });
    sim.apply(Command::create_topic("dark", 1, 1))
        .expect("topic");
    let leader =
        |sim: &Sim, topic: &str| sim.partition(topic, PartitionId(0)).and_then(|p| p.leader);
    let dark = leader(&sim, "dark").expect("a leader");
    assert_ne!(
        leader(&sim, "solo"),
        Some(dark),
        "placed on different brokers"
    );
    sim.apply(Command::CrashBroker { broker: dark })
        .expect("crash");
    ticks(&mut sim, 100);
    assert_eq!(leader(&sim, "dark"), None, "offline");
    sim.apply(Command::BeginTransaction {
        producer: "tx".into(),
    })
    .expect("begin");
    send_in_transaction(&mut sim, "reached");
    sim.apply(Command::produce("tx", "dark", Some("k"), "stuck"))
        .expect("queued for an offline partition");
    let events = ticks(&mut sim, 200);
    let aborted = lines_with(
        &events,
        "the transaction coordinator ABORTED tx's transaction",
    );
    assert_eq!(aborted.len(), 1, "{events:?}");
    assert!(
        aborted[0].contains("An abort marker went to solo-0, so"),
        "{aborted:?}"
    );
    let solo = sim.partition("solo", PartitionId(0)).expect("solo");
    assert_eq!(solo.last_stable_offset(), solo.log_end());
}

#[test]
fn only_an_empty_group_can_be_deleted_and_then_it_is_dead() {
    let mut sim = quiet();
    settle_group(&mut sim, "group-1");
    ticks(&mut sim, 60);
    refused(
        &mut sim,
        Command::DeleteGroup {
            group: "group-1".into(),
        },
        SimError::NonEmptyGroup {
            group: "group-1".into(),
            state: "Stable".into(),
        },
    );
    sim.apply(Command::CloseConsumer {
        consumer: "consumer-1".into(),
    })
    .expect("close");
    sim.apply(Command::DeleteGroup {
        group: "group-1".into(),
    })
    .expect("delete");
    assert_eq!(
        sim.group("group-1").map(|g| g.state),
        Some(GroupState::Dead)
    );
    assert_eq!(
        sim.committed("group-1", "orders", PartitionId(0)),
        None,
        "its offsets are gone"
    );
}

/// Found by the fuzz run (scripts/fuzz): a classic consumer added to a group in the same moment
/// as a KIP-848 consumer, before either had joined, flipped the group's protocol and the two
/// ended up holding the same partition. Now the second is refused, as Kafka refuses a member
/// with the other protocol.
#[test]
fn consumers_joining_at_once_with_different_protocols_are_refused() {
    let mut sim = quiet();
    start(&mut sim, "consumer-3", "group-2", |c| {
        c.group_protocol = GroupProtocol::Consumer {
            assignor: ServerAssignor::Uniform,
        }
    });
    let classic = Command::subscribe("consumer-2", "orders", ConsumerConfig::new("group-2"));
    refused(
        &mut sim,
        classic,
        SimError::InconsistentGroupProtocol {
            group: "group-2".into(),
            reason: "a consumer joining the group uses the other group.protocol".into(),
        },
    );
    start(&mut sim, "consumer-4", "group-2", |c| {
        c.group_protocol = GroupProtocol::Consumer {
            assignor: ServerAssignor::Uniform,
        }
    });
    settle_group(&mut sim, "group-2");
    let (three, four) = (held(&sim, "consumer-3"), held(&sim, "consumer-4"));
    assert!(
        three.iter().all(|tp| !four.contains(tp)),
        "{three:?} and {four:?} overlap"
    );
    assert_eq!(three.len() + four.len(), 3, "{three:?} {four:?}");
}

/// The coordinator is the leader of the group's `__consumer_offsets` partition
/// (`GroupCoordinatorService.partitionFor`; FindCoordinator answers that partition's leader):
/// it moves only when that partition's leadership moves, when the controller fences its leader
/// (`ReplicationControlManager.handleBrokerFenced`) and, once the preferred replica is back in
/// sync, at the automatic leader rebalance (`maybeBalancePartitionLeaders`, 300 s after the
/// leadership moved away).
#[test]
fn the_coordinator_follows_the_leader_of_the_groups_offsets_partition() {
    let mut sim = quiet();
    let coordinator = sim.coordinator("group-1").expect("a coordinator");
    sim.apply(Command::CrashBroker {
        broker: coordinator,
    })
    .expect("crash");
    let events = ticks(&mut sim, 89);
    assert_eq!(
        sim.coordinator("group-1"),
        Some(coordinator),
        "not fenced yet"
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e.event, Event::CoordinatorMoved { .. }))
    );
    let events = ticks(&mut sim, 1);
    let moved: Vec<&TimedEvent> = events
        .iter()
        .filter(|e| matches!(e.event, Event::CoordinatorMoved { .. }))
        .collect();
    assert_eq!(moved.len(), 1, "{events:?}");
    let substitute = sim.coordinator("group-1").expect("a new coordinator");
    assert_ne!(substitute, coordinator);
    assert_eq!(
        moved[0].event.to_string(),
        format!(
            "group group-1's coordinator broker {coordinator} → broker {substitute}, the new leader of __consumer_offsets-{}",
            sim.view().groups[0].offsets_partition
        )
    );
    let fenced_at = moved[0].at_ms;
    sim.apply(Command::RestartBroker {
        broker: coordinator,
    })
    .expect("restart");

    // The third broker's crash moves nothing: it does not lead the group's partition.
    let third = (1..=3)
        .map(kafka_sim::sim::BrokerId)
        .find(|b| *b != coordinator && *b != substitute)
        .expect("a third broker");
    sim.apply(Command::CrashBroker { broker: third })
        .expect("crash");
    ticks(&mut sim, 200);
    assert_eq!(sim.coordinator("group-1"), Some(substitute));
    sim.apply(Command::RestartBroker { broker: third })
        .expect("restart");

    sim.advance_to(fenced_at + 300_000 - 100);
    assert_eq!(sim.coordinator("group-1"), Some(substitute));
    let events = ticks(&mut sim, 1);
    assert_eq!(sim.coordinator("group-1"), Some(coordinator), "{events:?}");
}
