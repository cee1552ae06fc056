//! Replication with Kafka's rules: followers, the ISR, the high watermark, acks,
//! min.insync.replicas, leader elections clean and unclean, idempotence, reassignment.

mod support;
use kafka_sim::sim::error::ReplicaAssignmentError;
use kafka_sim::sim::event::{ElectionKind, Event};
use kafka_sim::sim::ordered::map_of;
use kafka_sim::sim::partitioner::partition_for_key;
use kafka_sim::sim::types::{Acks, TopicPartition};
use kafka_sim::sim::{
    BrokerId, Command, ConsumerConfig, Offset, PartitionId, ProducerConfig, Sim, SimError,
};
use support::*;

const KEY: &str = "user-7";

fn p() -> u32 {
    partition_for_key(KEY.as_bytes(), 3)
}

fn crash(sim: &mut Sim, broker: u32) {
    sim.apply(Command::CrashBroker {
        broker: BrokerId(broker),
    })
    .expect("crash");
}

fn restart(sim: &mut Sim, broker: u32) {
    sim.apply(Command::RestartBroker {
        broker: BrokerId(broker),
    })
    .expect("restart");
}

fn set(sim: &mut Sim, key: &str, value: &str) {
    sim.apply(Command::AlterTopicConfig {
        topic: "orders".into(),
        key: key.into(),
        value: Some(value.into()),
    })
    .expect("config");
}

fn add_producer(sim: &mut Sim, id: &str, config: ProducerConfig) {
    sim.apply(Command::AddProducer {
        producer: id.into(),
        config,
    })
    .expect("producer");
}

fn send_from(sim: &mut Sim, producer: &str, value: &str) {
    sim.apply(Command::Produce {
        producer: producer.into(),
        topic: "orders".into(),
        partition: None,
        key: Some(KEY.into()),
        value: Some(value.into()),
    })
    .expect("produce");
}

fn partition(sim: &Sim) -> kafka_sim::sim::view::PartitionView {
    sim.view().topic("orders").expect("orders").partitions[p() as usize].clone()
}

fn acked(events: &[kafka_sim::sim::TimedEvent]) -> u64 {
    events
        .iter()
        .filter_map(|e| match &e.event {
            Event::ProduceAcked { from, to, .. } => Some(to.0 - from.0),
            _ => None,
        })
        .sum()
}

/// The partition's leader and its followers.
fn leader_and_followers(sim: &Sim) -> (u32, Vec<u32>) {
    let p = partition(sim);
    let leader = p.leader.expect("leader").0;
    let followers = p
        .replicas
        .iter()
        .map(|r| r.broker.0)
        .filter(|b| *b != leader)
        .collect();
    (leader, followers)
}

/// Crashes `followers` and waits until the controller has fenced them: the ISR is the leader
/// alone.
fn fence_followers(sim: &mut Sim, followers: &[u32]) {
    for f in followers {
        crash(sim, *f);
    }
    ticks(sim, 100);
}

/// Writes a record every replica copies, fences the followers, then writes five more that the
/// leader alone holds, acknowledged to acks=all since the ISR is the leader alone. Returns the
/// events of the five.
fn write_past_the_followers(sim: &mut Sim, followers: &[u32]) -> Vec<kafka_sim::sim::TimedEvent> {
    send(sim, Some(KEY), None);
    settle(sim, 10);
    fence_followers(sim, followers);
    for _ in 0..5 {
        send(sim, Some(KEY), None);
    }
    settle(sim, 10)
}

#[test]
fn every_replica_gets_the_records_and_the_high_watermark_follows_the_slowest() {
    let mut sim = quiet();
    for _ in 0..4 {
        send(&mut sim, Some(KEY), None);
    }
    sim.tick();
    let written = partition(&sim);
    assert_eq!(written.log_end, Offset(4));
    assert_eq!(
        written.high_watermark,
        Offset(0),
        "followers have copied, but not yet told the leader"
    );
    assert!(written.replicas.iter().all(|r| r.log_end == Offset(4)));
    let events = ticks(&mut sim, 1);
    assert_eq!(partition(&sim).high_watermark, Offset(4));
    assert_eq!(
        acked(&events),
        4,
        "acks=all answers once the high watermark passes the batch"
    );
}

#[test]
fn a_crashed_leader_is_replaced_by_the_first_live_in_sync_replica_in_assignment_order() {
    let mut sim = quiet();
    send(&mut sim, Some(KEY), None);
    settle(&mut sim, 10);
    let before = partition(&sim);
    let old = before.leader.expect("a leader");
    crash(&mut sim, old.0);
    let events = ticks(&mut sim, 89);
    assert_eq!(
        partition(&sim).leader,
        Some(old),
        "not before broker.session.timeout.ms"
    );
    assert!(lines_with(&events, "fenced").is_empty());
    let events = ticks(&mut sim, 1);
    let after = partition(&sim);
    let assignment: Vec<BrokerId> = before.replicas.iter().map(|r| r.broker).collect();
    let expected = assignment.iter().copied().find(|b| *b != old);
    assert_eq!(after.leader, expected);
    assert_eq!(after.leader_epoch.0, before.leader_epoch.0 + 1);
    assert!(!after.isr.contains(&old), "the fenced broker left the ISR");
    assert_eq!(lines_with(&events, "leader broker").len(), 1, "{events:?}");

    // Producing goes on to the new leader; the old one catches up after its restart.
    send(&mut sim, Some(KEY), None);
    settle(&mut sim, 10);
    assert_eq!(partition(&sim).high_watermark, Offset(2));
    restart(&mut sim, old.0);
    let events = ticks(&mut sim, 3);
    assert!(
        partition(&sim).isr.contains(&old),
        "rejoined the ISR: {events:?}"
    );
    sim.apply(Command::ElectPreferredLeaders { topic: None })
        .expect("elect");
    assert_eq!(
        partition(&sim).leader,
        Some(assignment[0]),
        "preferred leader back"
    );
}

#[test]
fn acks_all_below_min_insync_replicas_fails_with_not_enough_replicas() {
    let mut sim = quiet();
    set(&mut sim, "min.insync.replicas", "2");
    add_producer(
        &mut sim,
        "impatient",
        ProducerConfig {
            delivery_timeout_ms: 40_000,
            ..ProducerConfig::default()
        },
    );
    let (_, followers) = leader_and_followers(&sim);
    fence_followers(&mut sim, &followers);
    assert_eq!(partition(&sim).isr.len(), 1);
    send_from(&mut sim, "impatient", "refused");
    let events = ticks(&mut sim, 3);
    assert!(
        !lines_with(
            &events,
            "NOT_ENOUGH_REPLICAS: the ISR has 1 replica(s), fewer than min.insync.replicas=2"
        )
        .is_empty(),
        "{events:?}"
    );
    assert_eq!(partition(&sim).log_end, Offset(0), "nothing was written");
    let events = ticks(&mut sim, 400);
    assert_eq!(
        lines_with(&events, "impatient FAILED to send 1 record(s)").len(),
        1
    );
    assert!(!lines_with(&events, "delivery.timeout.ms").is_empty());
}

/// KIP-580 as Kafka's producer applies it (`RecordAccumulator.shouldBackoff` with
/// `ExponentialBackoff.backoff(attempts - 1)`, clients/src/main/java/org/apache/kafka/common/
/// utils/ExponentialBackoff.java; `RecordAccumulatorTest.testExponentialRetryBackoff`): the
/// n-th retry of a batch waits retry.backoff.ms × 2^(n−1) ± 20%, at most retry.backoff.max.ms,
/// and the batch is not sent again before.
#[test]
fn retries_back_off_exponentially_up_to_retry_backoff_max_ms() {
    let mut sim = quiet();
    set(&mut sim, "min.insync.replicas", "2");
    let (_, followers) = leader_and_followers(&sim);
    fence_followers(&mut sim, &followers);
    send_from(&mut sim, "producer-1", "refused");
    let retries: Vec<(u64, u32, u64)> = ticks(&mut sim, 150)
        .iter()
        .filter_map(|e| match e.event {
            Event::ProduceRetrying {
                attempt,
                backoff_ms,
                ..
            } => Some((e.at_ms, attempt, backoff_ms)),
            _ => None,
        })
        .collect();
    assert!(retries.len() >= 8, "{retries:?}");
    for &(_, attempt, backoff) in &retries {
        let base = (100u64 << (attempt - 2).min(10)).min(1_000);
        let (low, high) = (base * 8 / 10, (base * 12 / 10).min(1_000));
        assert!(
            (low..=high).contains(&backoff),
            "attempt {attempt}: {backoff} ms, not within {low}..={high}"
        );
    }
    for pair in retries.windows(2) {
        let ((at, _, backoff), (next, _, _)) = (pair[0], pair[1]);
        assert!(
            (at + backoff..at + backoff + 100).contains(&next),
            "sent again on the first tick after the backoff: {pair:?}"
        );
    }
    let waits: std::collections::BTreeSet<u64> = retries.iter().map(|r| r.2).collect();
    assert!(waits.len() > 3, "jittered, not a fixed wait: {waits:?}");
}

#[test]
fn acks_1_survives_a_clean_failover_only_if_it_was_replicated() {
    let mut sim = quiet();
    add_producer(
        &mut sim,
        "fast",
        ProducerConfig {
            acks: Acks::Leader,
            enable_idempotence: false,
            ..ProducerConfig::default()
        },
    );
    let (leader, followers) = leader_and_followers(&sim);
    // Followers stall (crashed, not yet fenced): acks=1 is answered by the leader alone.
    for f in &followers {
        crash(&mut sim, *f);
    }
    send_from(&mut sim, "fast", "only on the leader");
    let events = ticks(&mut sim, 2);
    assert_eq!(acked(&events), 1, "acks=1 answered at once");
    for f in &followers {
        restart(&mut sim, *f);
    }
    crash(&mut sim, leader);
    ticks(&mut sim, 1);
    let events = ticks(&mut sim, 100);
    // The followers were fenced when they restarted, so the ISR was the old leader alone:
    // nobody else may lead while unclean elections are off.
    assert_eq!(partition(&sim).leader, None, "offline: {events:?}");
    assert!(!lines_with(&events, "OFFLINE").is_empty() || partition(&sim).leader.is_none());
    restart(&mut sim, leader);
    ticks(&mut sim, 2);
    assert_eq!(
        partition(&sim).leader,
        Some(BrokerId(leader)),
        "the last in-sync replica came back"
    );
    assert_eq!(
        partition(&sim).high_watermark,
        Offset(1),
        "and nothing was lost"
    );
}

#[test]
fn unclean_election_loses_acknowledged_records_and_says_so() {
    let mut sim = quiet();
    set(&mut sim, "unclean.leader.election.enable", "true");
    let (leader, followers) = leader_and_followers(&sim);
    let events = write_past_the_followers(&mut sim, &followers);
    assert_eq!(acked(&events), 5);
    assert_eq!(partition(&sim).high_watermark, Offset(6));
    crash(&mut sim, leader);
    ticks(&mut sim, 100);
    restart(&mut sim, followers[0]);
    let events = ticks(&mut sim, 1);
    let after = partition(&sim);
    assert_eq!(after.leader, Some(BrokerId(followers[0])));
    assert_eq!(after.isr, [BrokerId(followers[0])]);
    let elected = events.iter().any(|e| {
        matches!(
            &e.event,
            Event::LeaderElected {
                kind: ElectionKind::Unclean,
                ..
            }
        )
    });
    assert!(elected, "{events:?}");
    let lost: Vec<&Event> = events
        .iter()
        .map(|e| &e.event)
        .filter(|e| matches!(e, Event::RecordsLost { .. }))
        .collect();
    assert_eq!(
        lost,
        [&Event::RecordsLost {
            topic: "orders".into(),
            partition: PartitionId(p()),
            broker: BrokerId(leader),
            from: Offset(1),
            to: Offset(6),
            committed: 5,
        }]
    );
    assert_eq!(after.lost_records, 5);
    // The old leader returns, truncates the lost records and follows.
    restart(&mut sim, leader);
    let events = ticks(&mut sim, 2);
    assert_eq!(
        lines_with(&events, "removing 5 record(s)").len(),
        1,
        "{events:?}"
    );
    assert_eq!(
        sim.replica_records("orders", PartitionId(p()), BrokerId(leader))
            .len(),
        1
    );
}

fn consumer_position(sim: &Sim, consumer: &str) -> Option<Offset> {
    sim.consumer(consumer)
        .and_then(|c| c.position(&TopicPartition::new("orders", PartitionId(p()))))
}

/// KIP-320 through the engine: a consumer that read records an unclean election then threw
/// away validates its position against the new leader after the leader change
/// (OffsetsForLeaderEpoch; `SubscriptionState.maybeCompleteValidation`: "Truncation detected
/// ... resetting offset to the first offset known to diverge") and reads on from there, not
/// from auto.offset.reset; a consumer starting from an offset committed with its leader epoch
/// validates it the same way (`ConsumerUtils.refreshCommittedOffsets`, `seekUnvalidated`).
#[test]
fn after_an_unclean_election_consumers_move_back_to_where_the_logs_diverge() {
    let mut sim = quiet();
    set(&mut sim, "unclean.leader.election.enable", "true");
    sim.apply(Command::subscribe(
        "archiver",
        "orders",
        ConsumerConfig::new("archive"),
    ))
    .expect("consumer");
    let (leader, followers) = leader_and_followers(&sim);
    write_past_the_followers(&mut sim, &followers);
    ticks(&mut sim, 50);
    assert_eq!(consumer_position(&sim, "consumer-1"), Some(Offset(6)));
    assert_eq!(consumer_position(&sim, "archiver"), Some(Offset(6)));
    sim.apply(Command::CloseConsumer {
        consumer: "archiver".into(),
    })
    .expect("close");
    assert_eq!(
        sim.committed("archive", "orders", PartitionId(p())),
        Some(Offset(6))
    );

    // The leader dies; an out-of-sync follower, which has only offset 0, leads in epoch 1.
    crash(&mut sim, leader);
    ticks(&mut sim, 100);
    restart(&mut sim, followers[0]);
    let events = ticks(&mut sim, 2);
    assert_eq!(
        lines_with(&events, "Truncation detected"),
        [format!(
            "consumer-1: Truncation detected for partition orders-{} at offset 6 (its position, read in leader epoch 0): the leader's log diverges at offset 1, so it resets its position to 1 (KIP-320)",
            p()
        )],
        "{events:?}"
    );
    assert!(lines_with(&events, "auto.offset.reset").is_empty());
    assert_eq!(consumer_position(&sim, "consumer-1"), Some(Offset(1)));
    send(&mut sim, Some(KEY), None);
    send(&mut sim, Some(KEY), None);
    let events = settle(&mut sim, 10);
    let events = [events, ticks(&mut sim, 5)].concat();
    assert!(
        !lines_with(
            &events,
            &format!("consumer-1 polled orders-{} offsets 1–2", p())
        )
        .is_empty(),
        "it reads the new leader's records at 1 and 2: {events:?}"
    );

    // The archive group's committed offset 6 was read in epoch 0, which ended at 1.
    sim.apply(Command::subscribe(
        "archiver-2",
        "orders",
        ConsumerConfig::new("archive"),
    ))
    .expect("consumer");
    let events = ticks(&mut sim, 100);
    assert_eq!(
        lines_with(&events, "Truncation detected"),
        [format!(
            "archiver-2: Truncation detected for partition orders-{} at offset 6 (the group's committed offset, read in leader epoch 0): the leader's log diverges at offset 1, so it resets its position to 1 (KIP-320)",
            p()
        )],
        "{events:?}"
    );
    assert_eq!(consumer_position(&sim, "archiver-2"), Some(Offset(3)));
}

/// The leader elections of one partition in `events`: (time, new leader, kind).
fn elections(
    events: &[kafka_sim::sim::TimedEvent],
    partition: u32,
) -> Vec<(u64, Option<BrokerId>, ElectionKind)> {
    events
        .iter()
        .filter_map(|e| match &e.event {
            Event::LeaderElected {
                partition: p,
                to,
                kind,
                ..
            } if p.0 == partition => Some((e.at_ms, *to, *kind)),
            _ => None,
        })
        .collect()
}

/// Ticks until the partition's leader is not `broker` (at most `n` ticks); returns the events.
fn until_leader_moves_off(
    sim: &mut Sim,
    broker: BrokerId,
    n: u32,
) -> Vec<kafka_sim::sim::TimedEvent> {
    let mut events = Vec::new();
    for _ in 0..n {
        events.extend(ticks(sim, 1));
        if partition(sim).leader != Some(broker) {
            break;
        }
    }
    events
}

/// The controller's automatic leader rebalance (`auto.leader.rebalance.enable=true`,
/// `leader.imbalance.check.interval.seconds=300`) as KRaft's controller runs it:
/// `QuorumController.maybeScheduleNextBalancePartitionLeaders` schedules the check one interval
/// after the write that left a partition without its preferred leader, and again one interval
/// after a run that left work; `ReplicationControlManager.maybeBalancePartitionLeaders` then
/// elects the preferred replica of every such partition where it is alive and in sync (KRaft
/// has no `leader.imbalance.per.broker.percentage` threshold).
#[test]
fn the_controller_gives_leadership_back_to_the_preferred_replica_at_its_periodic_check() {
    let mut sim = quiet();
    let preferred = sim
        .partition("orders", PartitionId(p()))
        .expect("orders")
        .assignment[0];
    assert_eq!(partition(&sim).leader, Some(preferred));
    crash(&mut sim, preferred.0);
    let events = until_leader_moves_off(&mut sim, preferred, 200);
    let moved = elections(&events, p());
    assert_eq!(moved.len(), 1, "fenced, a clean election: {moved:?}");
    let (fenced_at, substitute, kind) = moved[0];
    assert_eq!(kind, ElectionKind::Clean);

    // The first check finds the preferred replica still down: nothing moves, and the check is
    // scheduled again.
    let check = fenced_at + 300_000;
    sim.advance_to(check);
    assert_eq!(partition(&sim).leader, substitute);
    restart(&mut sim, preferred.0);
    ticks(&mut sim, 3);
    assert!(partition(&sim).isr.contains(&preferred), "back in sync");
    sim.drain_events();
    sim.advance_to(check + 300_000 - 100);
    assert_eq!(
        partition(&sim).leader,
        substitute,
        "not before the next check"
    );
    let events = ticks(&mut sim, 1);
    assert_eq!(
        elections(&events, p()),
        [(
            check + 300_000,
            Some(preferred),
            ElectionKind::AutoLeaderRebalance
        )]
    );
    assert!(
        !lines_with(
            &events,
            "auto leader rebalance: back to the preferred replica"
        )
        .is_empty()
    );
    // Balanced: no check is scheduled, so leadership stays.
    let events = ticks(&mut sim, 3_100);
    assert!(elections(&events, p()).is_empty(), "{events:?}");
}

/// The periodic unclean election check of Kafka 4.x (KRaft):
/// `QuorumController.maybeScheduleNextElectUncleanLeaders` runs
/// `ReplicationControlManager.maybeElectUncleanLeaders` every `unclean.leader.election.interval.ms`
/// (5 minutes) while some partition has no leader, electing a live out-of-sync replica of each
/// offline partition whose topic allows it. Turning `unclean.leader.election.enable` on elects
/// nothing at once (`ReplicationConfigs.UNCLEAN_LEADER_ELECTION_ENABLE_DOC`: "it needs to wait
/// for the unclean leader election thread").
#[test]
fn an_offline_partition_gets_an_unclean_leader_at_the_next_periodic_check_after_it_is_allowed() {
    let mut sim = quiet();
    let (leader, followers) = leader_and_followers(&sim);
    fence_followers(&mut sim, &followers);
    crash(&mut sim, leader);
    let events = until_leader_moves_off(&mut sim, BrokerId(leader), 200);
    let offline = elections(&events, p());
    assert_eq!(offline.len(), 1);
    let (offline_at, to, _) = offline[0];
    assert_eq!(to, None, "offline");
    restart(&mut sim, followers[0]);
    ticks(&mut sim, 10);
    assert_eq!(partition(&sim).leader, None, "unclean elections are off");
    set(&mut sim, "unclean.leader.election.enable", "true");
    let events = ticks(&mut sim, 10);
    assert_eq!(partition(&sim).leader, None, "not at once: {events:?}");
    sim.advance_to(offline_at + 300_000 - 100);
    assert_eq!(partition(&sim).leader, None);
    let events = ticks(&mut sim, 1);
    assert_eq!(
        elections(&events, p()),
        [(
            offline_at + 300_000,
            Some(BrokerId(followers[0])),
            ElectionKind::Unclean
        )]
    );
    assert_eq!(partition(&sim).isr, [BrokerId(followers[0])]);
}

#[test]
fn retries_without_idempotence_can_duplicate_and_idempotence_prevents_it() {
    for idempotent in [false, true] {
        let mut sim = quiet();
        add_producer(
            &mut sim,
            "retrying",
            ProducerConfig {
                enable_idempotence: idempotent,
                request_timeout_ms: 1_000,
                delivery_timeout_ms: 60_000,
                ..ProducerConfig::default()
            },
        );
        let leader = partition(&sim).leader.expect("leader").0;
        let follower = partition(&sim)
            .replicas
            .iter()
            .map(|r| r.broker.0)
            .find(|b| *b != leader)
            .expect("follower");
        // A stalled (crashed, not yet fenced) follower holds the high watermark back: the
        // request times out although the leader has the batch, and the producer retries.
        crash(&mut sim, follower);
        send_from(&mut sim, "retrying", "once");
        let events = ticks(&mut sim, 150);
        assert!(
            !lines_with(&events, "REQUEST_TIMED_OUT").is_empty(),
            "{events:?}"
        );
        assert_eq!(
            acked(&events),
            1,
            "acknowledged once the follower was fenced"
        );
        let copies = sim
            .records("orders", PartitionId(p()))
            .iter()
            .filter(|r| r.value.as_deref() == Some("once"))
            .count();
        if idempotent {
            assert_eq!(copies, 1, "the retry was recognised");
            assert!(!lines_with(&events, "not written twice").is_empty());
        } else {
            assert!(copies > 1, "every retry wrote it again");
        }
    }
}

#[test]
fn reassignment_moves_replicas_and_decommission_waits_for_it() {
    let mut sim = quiet();
    send(&mut sim, Some(KEY), None);
    settle(&mut sim, 10);
    assert_eq!(
        sim.apply(Command::AddBroker),
        Ok(kafka_sim::sim::Outcome::BrokerAdded {
            broker: BrokerId(4)
        })
    );
    let holders = |sim: &Sim| -> Vec<String> {
        sim.view()
            .topic("orders")
            .map(|t| {
                t.partitions
                    .iter()
                    .filter(|p| p.replicas.iter().any(|r| r.broker == BrokerId(3)))
                    .map(|p| format!("orders-{}", p.id))
                    .collect()
            })
            .unwrap_or_default()
    };
    let held = holders(&sim).join(", ");
    refused(
        &mut sim,
        Command::DecommissionBroker {
            broker: BrokerId(3),
        },
        SimError::BrokerHoldsReplicas {
            broker: BrokerId(3),
            partitions: held,
        },
    );
    for partition in 0..3 {
        let replicas: Vec<BrokerId> = partition_replicas(&sim, partition)
            .into_iter()
            .map(|b| if b == BrokerId(3) { BrokerId(4) } else { b })
            .collect();
        sim.apply(Command::ReassignPartition {
            topic: "orders".into(),
            partition: PartitionId(partition),
            replicas,
        })
        .expect("reassign");
    }
    let events = ticks(&mut sim, 5);
    assert_eq!(lines_with(&events, "now lives on").len(), 3, "{events:?}");
    assert!(holders(&sim).is_empty());
    let moved = partition(&sim);
    assert!(
        moved
            .replicas
            .iter()
            .any(|r| r.broker == BrokerId(4) && r.log_end == Offset(1))
    );
    assert!(moved.leader.is_some());
    sim.apply(Command::DecommissionBroker {
        broker: BrokerId(3),
    })
    .expect("decommission");
    assert_eq!(sim.view().brokers.len(), 3);
    refused(
        &mut sim,
        Command::ReassignPartition {
            topic: "orders".into(),
            partition: PartitionId(0),
            replicas: vec![BrokerId(1), BrokerId(1)],
        },
        // Kafka checks a reassignment's target as any manual assignment
        // (`ReplicationControlManager.validateManualPartitionAssignment`).
        SimError::InvalidReplicaAssignment(ReplicaAssignmentError::DuplicateBroker {
            broker: BrokerId(1),
        }),
    );
}

fn ids(v: &[u32]) -> Vec<BrokerId> {
    v.iter().copied().map(BrokerId).collect()
}

/// A reassignment that changes the replication factor runs in Kafka's stages
/// (`ReplicationControlManager.changePartitionReassignment`, `PartitionReassignmentReplicas`,
/// `PartitionChangeBuilder.completeReassignmentIfNeeded`): the target replicas are added first
/// and listed as adding, the old ones as removing; once the new ones caught up and joined the
/// ISR, the removed ones go and leadership moves off them. Every record is still there.
#[test]
fn a_reassignment_adds_replicas_first_and_removes_the_old_ones_once_in_sync() {
    let mut sim = quiet();
    for _ in 0..5 {
        send(&mut sim, Some(KEY), None);
    }
    settle(&mut sim, 10);
    for _ in 0..2 {
        sim.apply(Command::AddBroker).expect("a broker");
    }
    let before = partition(&sim);
    assert_eq!(before.replicas.len(), 3);
    let leader = before.leader.expect("a leader");
    // RF 3 → 2: onto the two new brokers, leaving every old one.
    sim.apply(Command::ReassignPartition {
        topic: "orders".into(),
        partition: PartitionId(p()),
        replicas: ids(&[5, 4]),
    })
    .expect("reassign");
    let moving = partition(&sim);
    let old: Vec<BrokerId> = {
        let mut old: Vec<BrokerId> = before.replicas.iter().map(|r| r.broker).collect();
        old.sort_unstable();
        old
    };
    let listed: Vec<BrokerId> = moving.replicas.iter().map(|r| r.broker).collect();
    assert_eq!(listed, [ids(&[5, 4]), old.clone()].concat());
    assert_eq!(moving.adding, ids(&[4, 5]));
    assert_eq!(moving.removing, old);
    assert_eq!(
        moving.leader,
        Some(leader),
        "the old leader leads while they copy"
    );
    let events = ticks(&mut sim, 5);
    assert_eq!(
        lines_with(&events, "now lives on [5, 4]").len(),
        1,
        "{events:?}"
    );
    let done = partition(&sim);
    let now: Vec<BrokerId> = done.replicas.iter().map(|r| r.broker).collect();
    assert_eq!(now, ids(&[5, 4]));
    assert!(done.adding.is_empty() && done.removing.is_empty());
    assert_eq!(done.moving_note(), None);
    assert_eq!(
        done.leader,
        Some(BrokerId(5)),
        "the first in-sync target replica leads"
    );
    assert_eq!(done.isr, ids(&[5, 4]));
    assert_eq!(
        offsets(&sim, "orders", p()),
        vec![0, 1, 2, 3, 4],
        "nothing lost"
    );
    assert_eq!(done.high_watermark, Offset(5));
    assert_eq!(
        sim.view().topic("orders").map(|t| t.replication_factor),
        Some(3),
        "partition 0's"
    );
}

/// A cancelled reassignment drops the replicas it was adding and keeps the others
/// (`ReplicationControlManager.cancelPartitionReassignment`, `PartitionReassignmentRevert`);
/// with nothing moving Kafka answers NO_REASSIGNMENT_IN_PROGRESS.
#[test]
fn a_cancelled_reassignment_drops_the_replicas_it_was_adding() {
    let mut sim = quiet();
    send(&mut sim, Some(KEY), None);
    settle(&mut sim, 10);
    sim.apply(Command::AddBroker).expect("a broker");
    crash(&mut sim, 4);
    let before = partition(&sim);
    let target: Vec<BrokerId> = before
        .replicas
        .iter()
        .map(|r| r.broker)
        .chain([BrokerId(4)])
        .collect();
    sim.apply(Command::ReassignPartition {
        topic: "orders".into(),
        partition: PartitionId(p()),
        replicas: target,
    })
    .expect("reassign to a crashed broker");
    settle(&mut sim, 5);
    assert_eq!(partition(&sim).adding, ids(&[4]), "it cannot catch up");
    let cancel = Command::CancelReassignment {
        topic: "orders".into(),
        partition: PartitionId(p()),
    };
    sim.apply(cancel.clone()).expect("cancel");
    let after = partition(&sim);
    let brokers: Vec<BrokerId> = after.replicas.iter().map(|r| r.broker).collect();
    let old: Vec<BrokerId> = before.replicas.iter().map(|r| r.broker).collect();
    assert_eq!(brokers, old);
    assert!(after.adding.is_empty() && after.removing.is_empty());
    refused(
        &mut sim,
        cancel,
        SimError::InvalidReassignment {
            reason: "No partition reassignment is in progress.".into(),
        },
    );
}

fn partition_replicas(sim: &Sim, partition: u32) -> Vec<BrokerId> {
    sim.view().topic("orders").expect("orders").partitions[partition as usize]
        .replicas
        .iter()
        .map(|r| r.broker)
        .collect()
}

#[test]
fn broker_commands_check_the_broker_state() {
    let mut sim = quiet();
    crash(&mut sim, 1);
    refused(
        &mut sim,
        Command::CrashBroker {
            broker: BrokerId(1),
        },
        SimError::BrokerState {
            broker: BrokerId(1),
            state: "crashed".into(),
            needed: "running or cut off".into(),
            action: "crashed".into(),
        },
    );
    refused(
        &mut sim,
        Command::RestartBroker {
            broker: BrokerId(2),
        },
        SimError::BrokerState {
            broker: BrokerId(2),
            state: "running".into(),
            needed: "crashed or fenced or stopped".into(),
            action: "restarted".into(),
        },
    );
}

#[test]
fn compacted_topics_refuse_records_without_a_key() {
    let mut sim = quiet();
    sim.apply(Command::CreateTopic {
        name: "profiles".into(),
        partitions: 1,
        replication_factor: 1,
        configs: map_of([("cleanup.policy".to_owned(), "compact".to_owned())]),
    })
    .expect("topic");
    send_to(&mut sim, "profiles", None, None);
    let events = settle(&mut sim, 5);
    assert_eq!(
        lines_with(&events, "Compacted topic cannot accept message without key").len(),
        1,
        "{events:?}"
    );
}

#[test]
fn a_follower_copies_whole_batches_so_idempotence_survives_failover() {
    let mut sim = Sim::new(
        kafka_sim::sim::SimConfig {
            replica_fetch_max_bytes: 1,
            ..kafka_sim::sim::SimConfig::default()
        },
        0,
    )
    .expect("config");
    sim.apply(Command::create_topic("orders", 3, 3))
        .expect("topic");
    add_producer(&mut sim, "producer-1", ProducerConfig::default());
    for _ in 0..5 {
        send(&mut sim, Some(KEY), None);
    }
    sim.tick();
    // Followers fetch at least one whole batch despite the 1-byte limit.
    let p = partition(&sim);
    assert!(p.replicas.iter().all(|r| r.log_end == Offset(5)), "{p:?}");
    let leader = p.leader.expect("leader").0;
    crash(&mut sim, leader);
    ticks(&mut sim, 200);
    let values: Vec<u64> = sim
        .records("orders", PartitionId(p.id.0))
        .iter()
        .map(|r| r.producer_seq)
        .collect();
    assert_eq!(values, [1, 2, 3, 4, 5], "each record once");
}

#[test]
fn retries_with_no_backoff_still_wait_for_time_to_pass() {
    let mut sim = quiet();
    set(&mut sim, "min.insync.replicas", "3");
    add_producer(
        &mut sim,
        "eager",
        ProducerConfig {
            retry_backoff_ms: 0,
            delivery_timeout_ms: 35_000,
            ..ProducerConfig::default()
        },
    );
    let follower = partition(&sim)
        .replicas
        .iter()
        .map(|r| r.broker.0)
        .find(|b| Some(BrokerId(*b)) != partition(&sim).leader)
        .expect("follower");
    crash(&mut sim, follower);
    ticks(&mut sim, 100);
    send_from(&mut sim, "eager", "v");
    let events = ticks(&mut sim, 3);
    assert!(
        lines_with(&events, "will retry").len() <= 3,
        "one attempt per tick at most"
    );
}

#[test]
fn deleting_a_topic_fails_its_pending_requests() {
    let mut sim = quiet();
    let follower = partition(&sim)
        .replicas
        .iter()
        .map(|r| r.broker.0)
        .find(|b| Some(BrokerId(*b)) != partition(&sim).leader)
        .expect("follower");
    crash(&mut sim, follower); // holds the high watermark back: the request waits
    send(&mut sim, Some(KEY), None);
    ticks(&mut sim, 2);
    sim.apply(Command::DeleteTopic {
        topic: "orders".into(),
    })
    .expect("delete");
    sim.apply(Command::create_topic("orders", 3, 2))
        .expect("again");
    let events = ticks(&mut sim, 5);
    assert!(
        acked(&events) == 0,
        "nothing acknowledged against the new topic"
    );
    assert_eq!(
        lines_with(&events, "UNKNOWN_TOPIC_OR_PARTITION").len(),
        1,
        "{events:?}"
    );
}

#[test]
fn producer_settings_beyond_kafkas_int_range_are_refused() {
    let mut sim = quiet();
    for config in [
        ProducerConfig {
            batch_size: u64::MAX,
            ..ProducerConfig::default()
        },
        ProducerConfig {
            request_timeout_ms: u64::MAX,
            delivery_timeout_ms: u64::MAX,
            ..ProducerConfig::default()
        },
    ] {
        assert!(matches!(
            sim.apply(Command::AddProducer {
                producer: "huge".into(),
                config
            }),
            Err(SimError::InvalidProducerConfig { .. })
        ));
    }
}
