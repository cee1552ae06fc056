//! Transactional producers through the engine: transactions v2's epoch bump at every commit and
//! abort (KIP-890), and the fencing of a producer when another one starts with its
//! transactional.id: its transaction aborted, its late batches refused by the leaders, its
//! calls failing with ProducerFencedException; and a golden event log of that story.

mod support;
use kafka_sim::sim::event::Event;
use kafka_sim::sim::ids::{ProducerEpoch, ProducerId};
use kafka_sim::sim::{Command, Offset, PartitionId, ProducerConfig, Sim, SimError, TimedEvent};
use support::*;

/// The quiet starter with a one-replica topic `solo`, a read_committed consumer `reader` on it
/// and a transactional producer `first` (transactional.id `app`) whose batches wait linger.ms
/// (5 s) unless flushed.
fn with_first_producer() -> Sim {
    let mut sim = quiet();
    sim.apply(Command::create_topic("solo", 1, 1))
        .expect("topic");
    read_committed(&mut sim, "reader", "solo", "readers");
    add_transactional(&mut sim, "first");
    sim
}

fn add_transactional(sim: &mut Sim, producer: &str) -> Vec<TimedEvent> {
    sim.apply(Command::AddProducer {
        producer: producer.into(),
        config: ProducerConfig {
            transactional_id: Some("app".into()),
            linger_ms: 5_000,
            ..ProducerConfig::default()
        },
    })
    .expect("producer");
    sim.drain_events()
}

fn begin(sim: &mut Sim, producer: &str) {
    sim.apply(Command::BeginTransaction {
        producer: producer.into(),
    })
    .expect("begin");
}

fn send(sim: &mut Sim, producer: &str, value: &str) {
    sim.apply(Command::produce(producer, "solo", Some("k"), value))
        .expect("send");
}

/// Sends `value` and lets it reach the leader.
fn send_now(sim: &mut Sim, producer: &str, value: &str) -> Vec<TimedEvent> {
    send(sim, producer, value);
    sim.apply(Command::Flush {
        producer: producer.into(),
    })
    .expect("flush");
    ticks(sim, 5)
}

fn commit(sim: &mut Sim, producer: &str) -> Result<(), SimError> {
    sim.apply(Command::CommitTransaction {
        producer: producer.into(),
    })
    .map(|_| ())
}

/// The producer id and epoch `producer` writes with.
fn epoch(sim: &Sim, producer: &str) -> (ProducerId, ProducerEpoch) {
    let p = sim.producer(producer).expect("producer");
    (p.producer_id.expect("an id"), p.epoch)
}

fn solo_epoch(sim: &Sim, id: ProducerId) -> Option<ProducerEpoch> {
    sim.partition("solo", PartitionId(0))
        .and_then(|p| p.producer_epochs.get(&id).copied())
}

/// Transactions v2 (KIP-890, Kafka 4.x's default): every commit and abort bumps the producer's
/// epoch (`TransactionMetadata.prepareAbortOrCommit`, core/src/main/scala/kafka/coordinator/
/// transaction/TransactionMetadata.scala, with `clientTransactionVersion.supportsEpochBump`),
/// the markers carry the bumped epoch (`TransactionMarkerChannelManager.addTxnMarkersToSend`
/// with the transaction's new metadata), and the producer takes it from the EndTxn response. A
/// transaction that reached no partition is not held by the coordinator: nothing bumps.
#[test]
fn every_commit_and_abort_bumps_the_epoch_and_the_markers_carry_it() {
    let mut sim = with_first_producer();
    let (id, start) = epoch(&sim, "first");
    assert_eq!(
        start,
        ProducerEpoch(0),
        "InitProducerId of a new transactional.id"
    );
    begin(&mut sim, "first");
    send_now(&mut sim, "first", "one");
    assert_eq!(solo_epoch(&sim, id), Some(ProducerEpoch(0)));
    commit(&mut sim, "first").expect("commit");
    ticks(&mut sim, 2);
    assert_eq!(epoch(&sim, "first"), (id, ProducerEpoch(1)));
    assert_eq!(
        solo_epoch(&sim, id),
        Some(ProducerEpoch(1)),
        "the commit marker carries the new epoch"
    );
    begin(&mut sim, "first");
    send_now(&mut sim, "first", "two");
    sim.apply(Command::AbortTransaction {
        producer: "first".into(),
    })
    .expect("abort");
    ticks(&mut sim, 2);
    assert_eq!(epoch(&sim, "first"), (id, ProducerEpoch(2)));
    assert_eq!(solo_epoch(&sim, id), Some(ProducerEpoch(2)));
    begin(&mut sim, "first");
    commit(&mut sim, "first").expect("an empty commit");
    ticks(&mut sim, 2);
    assert_eq!(
        epoch(&sim, "first"),
        (id, ProducerEpoch(2)),
        "nothing reached a partition"
    );
    ticks(&mut sim, 30);
    assert_eq!(sim.consumer("reader").expect("reader").delivered, 1);
}

/// A second producer with the same transactional.id (InitProducerId,
/// `TransactionCoordinator.handleInitProducerId`, core/src/main/scala/kafka/coordinator/
/// transaction/TransactionCoordinator.scala) fences the first: the first one's ongoing
/// transaction is aborted with a bumped epoch (`prepareFenceProducerEpoch`), and the new
/// producer gets the id's producer id with the epoch bumped again (its retry after
/// CONCURRENT_TRANSACTIONS, `prepareIncrementProducerEpoch`). The first one's late batch is
/// refused by the leader (`ProducerAppendInfo.checkProducerEpoch`, storage/src/main/java/org/
/// apache/kafka/storage/internals/log/ProducerAppendInfo.java: INVALID_PRODUCER_EPOCH), its
/// calls fail with ProducerFencedException (fatal), and read_committed consumers never see its
/// records; the new producer carries on.
#[test]
fn a_second_producer_with_the_same_transactional_id_fences_the_first() {
    let mut sim = with_first_producer();
    let (id, _) = epoch(&sim, "first");
    begin(&mut sim, "first");
    send_now(&mut sim, "first", "before");
    send(&mut sim, "first", "late");
    let events = add_transactional(&mut sim, "second");
    let fenced = lines_with(&events, "first is FENCED");
    assert_eq!(fenced.len(), 1, "{events:?}");
    assert!(
        fenced[0].contains("second started with the same transactional.id 'app' and got epoch 2"),
        "{fenced:?}"
    );
    assert!(fenced[0].contains("abort markers to solo-0"), "{fenced:?}");
    assert_eq!(epoch(&sim, "second"), (id, ProducerEpoch(2)));
    assert_eq!(
        solo_epoch(&sim, id),
        Some(ProducerEpoch(1)),
        "the abort marker's epoch"
    );
    let solo = sim.partition("solo", PartitionId(0)).expect("solo");
    assert_eq!(
        (solo.log_end(), solo.last_stable_offset()),
        (Offset(2), Offset(2)),
        "the record and the abort marker; the LSO passed them"
    );
    // The batch `first` had handed its sender goes out with epoch 0 and is refused.
    let events = ticks(&mut sim, 60);
    let refused_late = lines_with(
        &events,
        "first FAILED to send 1 record(s) to solo-0: INVALID_PRODUCER_EPOCH",
    );
    assert_eq!(refused_late.len(), 1, "{events:?}");
    assert_eq!(
        sim.partition("solo", PartitionId(0)).map(|p| p.log_end()),
        Some(Offset(2))
    );
    let fenced_error = SimError::ProducerFenced {
        producer: "first".into(),
        transactional_id: "app".into(),
        by: "second".into(),
    };
    for command in [
        Command::CommitTransaction {
            producer: "first".into(),
        },
        Command::AbortTransaction {
            producer: "first".into(),
        },
        Command::BeginTransaction {
            producer: "first".into(),
        },
        Command::produce("first", "solo", None, "more"),
    ] {
        refused(&mut sim, command, fenced_error.clone());
    }
    assert!(
        fenced_error
            .to_string()
            .contains("This error is fatal: close first"),
        "{fenced_error}"
    );
    let view = sim.view();
    let first = view
        .producers
        .iter()
        .find(|p| p.id == "first")
        .expect("first");
    assert!(
        first.transaction.starts_with("FENCED"),
        "{}",
        first.transaction
    );
    begin(&mut sim, "second");
    send_now(&mut sim, "second", "after");
    commit(&mut sim, "second").expect("the new producer commits");
    ticks(&mut sim, 30);
    assert_eq!(epoch(&sim, "second"), (id, ProducerEpoch(3)));
    let reader = sim.consumer("reader").expect("reader");
    assert_eq!(
        reader.delivered, 1,
        "only the new producer's committed record"
    );
}

/// A fenced producer whose transaction had not reached the coordinator yet: the epoch is bumped
/// once, and its first batch is refused when the leader checks it with the coordinator
/// (transactions v2, `AddPartitionsToTxnManager`, core/src/main/scala/kafka/server/
/// AddPartitionsToTxnManager.scala: the coordinator's PRODUCER_FENCED becomes
/// INVALID_PRODUCER_EPOCH for the producer).
#[test]
fn a_fenced_batch_to_a_new_partition_is_refused_by_the_coordinators_check() {
    let mut sim = with_first_producer();
    begin(&mut sim, "first");
    send(&mut sim, "first", "waiting");
    let events = add_transactional(&mut sim, "second");
    let fenced = lines_with(&events, "first is FENCED");
    assert!(fenced[0].contains("got epoch 1. The leaders"), "{fenced:?}");
    let events = ticks(&mut sim, 60);
    assert_eq!(
        lines_with(&events, "INVALID_PRODUCER_EPOCH: Producer attempted to produce with an old epoch (0; the cluster knows epoch 1)").len(),
        1,
        "{events:?}"
    );
    assert_eq!(
        sim.partition("solo", PartitionId(0)).map(|p| p.log_end()),
        Some(Offset(0))
    );
}

/// While the old producer's transaction cannot be aborted (a partition it reached has no
/// leader), the coordinator answers the new producer's InitProducerId with
/// CONCURRENT_TRANSACTIONS (`TransactionCoordinator.handleInitProducerId`); the command is
/// refused and nothing changes.
#[test]
fn a_new_producer_waits_while_the_old_transaction_cannot_be_aborted() {
    let mut sim = with_first_producer();
    begin(&mut sim, "first");
    send_now(&mut sim, "first", "before");
    let leader = sim
        .partition("solo", PartitionId(0))
        .and_then(|p| p.leader)
        .expect("a leader");
    sim.apply(Command::CrashBroker { broker: leader })
        .expect("crash");
    ticks(&mut sim, 100);
    let before = sim.clone();
    let refusal = sim
        .apply(Command::AddProducer {
            producer: "second".into(),
            config: ProducerConfig {
                transactional_id: Some("app".into()),
                ..ProducerConfig::default()
            },
        })
        .expect_err("refused");
    assert!(
        refusal.to_string().contains("CONCURRENT_TRANSACTIONS"),
        "{refusal}"
    );
    assert_eq!(sim, before);
    sim.apply(Command::RestartBroker { broker: leader })
        .expect("restart");
    ticks(&mut sim, 20);
    add_transactional(&mut sim, "second");
}

/// The golden event log of a fenced transactional producer (tests/golden/fenced-producer.log):
/// `first` commits one record, opens another transaction and writes to it, then `second`
/// starts with the same transactional.id; `first`'s late batch is refused, `second` commits,
/// and a read_committed consumer reads only the committed records. Set UPDATE_GOLDEN=1 to
/// rewrite the file after a deliberate change, then read the diff.
#[test]
fn golden_fenced_producer_log() {
    let mut sim = with_first_producer();
    sim.drain_events();
    let mut events = Vec::new();
    begin(&mut sim, "first");
    events.extend(send_now(&mut sim, "first", "first commits"));
    commit(&mut sim, "first").expect("commit");
    events.extend(ticks(&mut sim, 3));
    begin(&mut sim, "first");
    events.extend(send_now(&mut sim, "first", "first never commits"));
    send(&mut sim, "first", "first's late batch");
    events.extend(add_transactional(&mut sim, "second"));
    events.extend(ticks(&mut sim, 55));
    begin(&mut sim, "second");
    events.extend(send_now(&mut sim, "second", "second commits"));
    commit(&mut sim, "second").expect("commit");
    sim.advance_to(10_000);
    events.extend(sim.drain_events());
    events.retain(|e| !matches!(e.event, Event::ReplicaFetched { .. }));
    let mut log = event_log(&events);
    let refusal = commit(&mut sim, "first").expect_err("fenced");
    log.push_str(&format!("first's commitTransaction(): {refusal}\n"));
    log.push_str(&format!(
        "reader (read_committed) delivered {} record(s)\n",
        sim.consumer("reader").expect("reader").delivered
    ));
    matches_golden_text("fenced-producer.log", &log);
}
