//! One copy of a partition on one broker: its log, its own view of the high watermark, what the
//! leader knows of it as a follower, and the idempotent producers' last sequence numbers.
use crate::sim::ids::{BrokerId, Offset, ProducerId};
use crate::sim::log::{Log, Record, SegmentRules};
use crate::sim::network::LastLeadership;
use crate::sim::ordered::Map;
use crate::sim::producer::increment_sequence;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What the leader knows of a follower (Kafka's `ReplicaState`), updated by each fetch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowerState {
    /// The follower's LEO as its last fetch reported it.
    pub log_end: Offset,
    /// The last time the follower was caught up with the leader's LEO.
    pub last_caught_up_ms: u64,
    /// When it last fetched, and the leader's LEO at that moment.
    pub last_fetch_ms: u64,
    pub last_fetch_leader_end: Offset,
}

impl FollowerState {
    /// Kafka's `isCaughtUp`: at the leader's LEO, or caught up within `lag_max_ms`.
    pub fn is_caught_up(&self, leader_end: Offset, now_ms: u64, lag_max_ms: u64) -> bool {
        self.log_end == leader_end || now_ms.saturating_sub(self.last_caught_up_ms) <= lag_max_ms
    }

    /// Kafka's `updateFetchState`: the follower fetched from `fetch_offset` at `now_ms` while
    /// the leader's LEO was `leader_end`.
    pub fn record_fetch(&mut self, fetch_offset: Offset, leader_end: Offset, now_ms: u64) {
        if fetch_offset >= leader_end {
            self.last_caught_up_ms = self.last_caught_up_ms.max(now_ms);
        } else if fetch_offset >= self.last_fetch_leader_end {
            self.last_caught_up_ms = self.last_caught_up_ms.max(self.last_fetch_ms);
        }
        self.last_fetch_leader_end = leader_end;
        self.last_fetch_ms = now_ms;
        self.log_end = fetch_offset;
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replica {
    pub broker: BrokerId,
    pub log: Log,
    /// This replica's own high watermark: the leader's is the partition's; a follower's is
    /// min(leader's HW from its last fetch, its own LEO).
    pub high_watermark: Offset,
    pub follower: FollowerState,
    /// The last sequence number appended for each idempotent producer.
    last_sequences: Map<ProducerId, u32>,
    /// What this replica last led, once the controller moved the leadership elsewhere.
    pub last_led: Option<LastLeadership>,
}

impl Replica {
    /// A new, empty replica. `caught_up_ms` is when it counts as last caught up: now for the
    /// replicas of a new partition (all in sync), 0 for one a reassignment adds, so that it does
    /// not hold the high watermark back while it copies.
    pub fn new(broker: BrokerId, caught_up_ms: u64) -> Replica {
        Replica {
            broker,
            log: Log::default(),
            high_watermark: Offset(0),
            follower: FollowerState {
                last_caught_up_ms: caught_up_ms,
                ..FollowerState::default()
            },
            last_sequences: Map::new(),
            last_led: None,
        }
    }

    /// Appends records in order, noting each idempotent producer's last sequence number.
    pub fn append(&mut self, records: impl IntoIterator<Item = Arc<Record>>, rules: &SegmentRules) {
        let mut last: Option<(ProducerId, u32)> = None;
        for record in records {
            if let Some((producer, sequence)) = record.sequence {
                if let Some((previous, seq)) = last
                    && previous != producer
                {
                    self.last_sequences.insert(previous, seq);
                }
                last = Some((producer, sequence));
            }
            self.log.append_in(record, rules);
        }
        if let Some((producer, sequence)) = last {
            self.last_sequences.insert(producer, sequence);
        }
    }

    /// Truncates the log to `offset`, keeping the high watermark at or below the new LEO and
    /// the producers' sequence numbers in step with the records kept. Returns how many went.
    pub fn truncate_to(&mut self, offset: Offset) -> u64 {
        let removed = self.log.truncate_to(offset);
        if removed > 0 {
            self.high_watermark = self.high_watermark.min(self.log.end_offset());
            self.last_sequences.clear();
            for record in self.log.records() {
                if let Some((producer, sequence)) = record.sequence {
                    self.last_sequences.insert(producer, sequence);
                }
            }
        }
        removed
    }

    pub fn last_sequence(&self, producer: ProducerId) -> Option<u32> {
        self.last_sequences.get(&producer).copied()
    }

    /// The offsets of the records `producer` sent with sequences `first..=last`, if this log
    /// holds them all (a retried batch the broker already has).
    pub fn find_sequences(
        &self,
        producer: ProducerId,
        first: u32,
        count: u32,
    ) -> Option<(Offset, Offset)> {
        let records = self.log.records();
        let position = records
            .iter()
            .rposition(|r| r.sequence == Some((producer, first)))?;
        let batch = records.slice(position..position.checked_add(count as usize)?);
        let complete = batch.len() == count as usize
            && batch
                .iter()
                .zip(0..)
                .all(|(r, i)| r.sequence == Some((producer, increment_sequence(first, i))));
        Some((batch.first()?.offset, batch.last()?.offset)).filter(|_| complete)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ids::LeaderEpoch;
    use crate::sim::partitioner::PartitionChoice;

    /// A record at `offset`, from producer id 7 with `sequence` when given.
    fn record(offset: u64, sequence: Option<u32>, last_in_batch: bool) -> Arc<Record> {
        Arc::new(Record {
            offset: Offset(offset),
            leader_epoch: LeaderEpoch(0),
            timestamp_ms: offset,
            key: None,
            value: Some(Arc::from("v")),
            producer: Arc::from("p"),
            producer_seq: offset + 1,
            sequence: sequence.map(|s| (ProducerId(7), s)),
            partition_choice: PartitionChoice::Explicit,
            transactional: false,
            control: None,
            last_in_batch,
        })
    }

    /// A replica holding one idempotent batch of sequences 0..3 at offsets 0..3, then a
    /// batch of sequences 3..5 at offsets 3..5.
    fn replica() -> Replica {
        let mut replica = Replica::new(BrokerId(1), 0);
        let batches = [(0..3, 2), (3..5, 4)];
        for (offsets, last) in batches {
            let records = offsets.map(|o| record(o, Some(o as u32), o == last));
            replica.append(records, &SegmentRules::UNLIMITED);
        }
        replica
    }

    #[test]
    fn a_follower_is_caught_up_at_the_leaders_end_or_within_the_lag_time() {
        let mut follower = FollowerState::default();
        // Fetched at 1000 from offset 5 while the leader's end was 8: behind.
        follower.record_fetch(Offset(5), Offset(8), 1_000);
        assert_eq!(follower.log_end, Offset(5));
        assert_eq!(follower.last_caught_up_ms, 0);
        assert!(!follower.is_caught_up(Offset(8), 31_000, 30_000));
        assert!(follower.is_caught_up(Offset(8), 30_000, 30_000));
        // Its next fetch from 8 covers what the leader had at its last fetch: caught up as of
        // that fetch (Kafka's updateFetchState), though the leader has moved on to 10.
        follower.record_fetch(Offset(8), Offset(10), 2_000);
        assert_eq!(follower.last_caught_up_ms, 1_000);
        // At the leader's end: caught up now.
        follower.record_fetch(Offset(10), Offset(10), 3_000);
        assert_eq!(follower.last_caught_up_ms, 3_000);
        assert!(follower.is_caught_up(Offset(10), 100_000, 30_000));
    }

    #[test]
    fn the_last_sequence_of_each_idempotent_producer_is_kept() {
        let replica = replica();
        assert_eq!(replica.last_sequence(ProducerId(7)), Some(4));
        assert_eq!(replica.last_sequence(ProducerId(8)), None);
    }

    #[test]
    fn a_retried_batch_is_found_by_its_sequences_only_when_whole() {
        let replica = replica();
        assert_eq!(
            replica.find_sequences(ProducerId(7), 0, 3),
            Some((Offset(0), Offset(2)))
        );
        assert_eq!(
            replica.find_sequences(ProducerId(7), 3, 2),
            Some((Offset(3), Offset(4)))
        );
        assert_eq!(
            replica.find_sequences(ProducerId(7), 3, 3),
            None,
            "past the log end"
        );
        assert_eq!(replica.find_sequences(ProducerId(7), 9, 1), None);
        assert_eq!(replica.find_sequences(ProducerId(8), 0, 1), None);
    }

    #[test]
    fn truncation_moves_the_high_watermark_and_the_sequences_back() {
        let mut replica = replica();
        replica.high_watermark = Offset(5);
        assert_eq!(replica.truncate_to(Offset(3)), 2);
        assert_eq!(replica.log.end_offset(), Offset(3));
        assert_eq!(replica.high_watermark, Offset(3));
        assert_eq!(replica.last_sequence(ProducerId(7)), Some(2));
        assert_eq!(replica.truncate_to(Offset(3)), 0, "nothing past the end");
    }
}
