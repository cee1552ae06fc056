//! The record inspector's text: what a record is, where it is replicated, and why it is in its
//! partition, with the partitioner's arithmetic spelled out.

use kafka_sim::format::seconds;
use kafka_sim::sim::Acks;
use kafka_sim::sim::log::Control;
use kafka_sim::sim::partitioner::PartitionChoice;
use kafka_sim::sim::view::{RecordDetail, RecordTransaction};

/// The inspector's rows, label then text, in reading order.
pub fn rows(detail: &RecordDetail) -> Vec<(&'static str, String)> {
    let record = &detail.record;
    let brokers = detail
        .on_brokers
        .iter()
        .map(|b| b.0.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let replicated = if detail.below_high_watermark {
        format!(
            "below the high watermark: on every in-sync replica (brokers {brokers}), so consumers can read it and an acks=all producer has its acknowledgement"
        )
    } else {
        format!(
            "above the high watermark: on broker(s) {brokers} but not yet on every in-sync replica, so no consumer can read it yet"
        )
    };
    let mut rows = vec![
        ("key", text_or(record.key.as_deref(), "null (no key)")),
        (
            "value",
            text_or(
                record.value.as_deref(),
                "null: a tombstone, which deletes the key when the log is compacted",
            ),
        ),
        (
            "headers",
            "none (the playground's producers send no headers)".to_owned(),
        ),
        (
            "timestamp",
            format!(
                "CreateTime {} (virtual time when the producer created it)",
                seconds(record.timestamp_ms)
            ),
        ),
        (
            "producer",
            format!("{}, its record #{}", record.producer, record.producer_seq),
        ),
        (
            "leader epoch",
            format!("{} (the leader that appended it)", record.leader_epoch.0),
        ),
        ("replication", replicated),
        ("acks", acks_text(detail)),
    ];
    if let Some((producer_id, sequence)) = record.sequence {
        rows.push((
            "idempotence",
            format!(
                "producer id {}, sequence {sequence}: the leader drops a retried duplicate",
                producer_id.0
            ),
        ));
    }
    if let Some(transaction) = transaction_text(detail.transaction) {
        rows.push(("transaction", transaction));
    }
    rows.push((
        "why this partition",
        why(&record.partition_choice, record.key.as_deref()),
    ));
    rows
}

/// What the producer was told about this record, by its acks setting.
fn acks_text(detail: &RecordDetail) -> String {
    let written = detail.record.control.is_none();
    match detail.acks {
        _ if !written => "a marker written by the broker; no producer waits for it".to_owned(),
        None => "its producer is gone".to_owned(),
        Some(Acks::None) => {
            "acks=0: the producer did not wait for an answer and never hears about it".to_owned()
        }
        Some(Acks::Leader) => {
            "acks=1: acknowledged as soon as the leader appended it, before any follower had it"
                .to_owned()
        }
        Some(Acks::All) if detail.below_high_watermark => {
            "acks=all: acknowledged once every in-sync replica had it".to_owned()
        }
        Some(Acks::All) => "acks=all: not acknowledged yet; the producer hears back when the high watermark passes it (or gives up after request.timeout.ms)".to_owned(),
    }
}

fn text_or(text: Option<&str>, none: &str) -> String {
    text.map_or_else(|| none.to_owned(), str::to_owned)
}

fn transaction_text(state: RecordTransaction) -> Option<String> {
    let text = match state {
        RecordTransaction::None => return None,
        RecordTransaction::Open => {
            "open: read_committed consumers stop before it (the last stable offset) until the transaction ends"
        }
        RecordTransaction::Committed => "committed: every consumer reads it",
        RecordTransaction::Aborted => {
            "ABORTED: it stays in the log, read_committed consumers skip it, read_uncommitted ones still get it"
        }
        RecordTransaction::Marker(Control::Commit) => {
            "a COMMIT marker (control record): consumers are never given it, but it takes an offset"
        }
        RecordTransaction::Marker(Control::Abort) => {
            "an ABORT marker (control record): consumers are never given it, but it takes an offset"
        }
    };
    Some(text.to_owned())
}

/// Why the partitioner chose this partition, with its arithmetic.
pub fn why(choice: &PartitionChoice, key: Option<&str>) -> String {
    match *choice {
        PartitionChoice::KeyHash {
            murmur2,
            positive,
            partitions,
        } => format!(
            "the key's hash: murmur2(\"{}\") = {murmur2}; toPositive (clear the sign bit) = {positive}; {positive} % {partitions} partitions = {}. The same key always lands here while the topic has {partitions} partitions.",
            key.unwrap_or_default(),
            positive.checked_rem(partitions).unwrap_or(0)
        ),
        _ => format!("{choice}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_sim::sim::scenario::Scenario;
    use kafka_sim::sim::{Command, Offset};

    #[test]
    fn a_keyed_record_shows_the_hash_arithmetic_and_its_replicas() {
        let mut sim = Scenario::quiet().build().expect("starter builds");
        let queued = sim
            .apply(Command::produce(
                "producer-1",
                "orders",
                Some("user-7"),
                "paid",
            ))
            .expect("produce is accepted");
        let partition = match queued {
            kafka_sim::sim::Outcome::Queued { partition, .. } => partition,
            other => panic!("unexpected outcome {other:?}"),
        };
        for _ in 0..3 {
            sim.tick();
        }
        let detail = sim
            .record_detail("orders", partition, Offset(0))
            .expect("the record is at offset 0");
        let rows = rows(&detail);
        let text = |label| {
            rows.iter()
                .find(|(l, _)| *l == label)
                .map(|(_, t)| t.clone())
                .unwrap_or_default()
        };
        assert_eq!(text("key"), "user-7");
        assert_eq!(
            text("acks"),
            "acks=all: acknowledged once every in-sync replica had it"
        );
        assert_eq!(text("value"), "paid");
        assert!(
            text("replication")
                .starts_with("below the high watermark: on every in-sync replica (brokers"),
            "{}",
            text("replication")
        );
        let why = text("why this partition");
        assert!(
            why.starts_with("the key's hash: murmur2(\"user-7\") = "),
            "{why}"
        );
        assert!(
            why.contains(&format!("% 3 partitions = {}.", partition.0)),
            "{why}"
        );
        assert!(rows.iter().all(|(l, _)| *l != "transaction"));

        // One tick after the next send: on the leader, above the high watermark.
        sim.apply(Command::produce(
            "producer-1",
            "orders",
            Some("user-7"),
            "again",
        ))
        .expect("produce is accepted");
        sim.tick();
        let detail = sim
            .record_detail("orders", partition, Offset(1))
            .expect("the record is at offset 1");
        assert!(!detail.below_high_watermark);
        let acks = acks_text(&detail);
        assert!(acks.starts_with("acks=all: not acknowledged yet"), "{acks}");
    }

    #[test]
    fn other_choices_use_the_partitioners_own_words() {
        let sticky = why(&PartitionChoice::Sticky { partitions: 3 }, None);
        assert!(
            sticky.starts_with("no key: the sticky partitioner"),
            "{sticky}"
        );
        assert_eq!(
            why(&PartitionChoice::Explicit, Some("k")),
            "the record named its partition."
        );
    }
}
