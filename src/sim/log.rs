//! A replica's log: records in offset order from the log start offset to the log end offset
//! (LEO), and the leader-epoch cache Kafka keeps beside it (the offset where each leader epoch
//! began). Offsets are never renumbered; reads look offsets up rather than index by them, so
//! gaps (compaction) need no change here.
//!
//! Records are shared between replicas (`Arc`): replication copies a record unchanged, so every
//! replica holding offset o in epoch e holds the very same record.

use crate::sim::ids::{LeaderEpoch, Offset, ProducerId};
use crate::sim::partitioner::PartitionChoice;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Bytes a record costs beyond its key and value. Simplification: Kafka's v2 format spends a
/// few bytes of varints per record and 61 bytes per batch; the playground charges a flat 10.
pub const RECORD_OVERHEAD_BYTES: u64 = 10;

/// One record as the brokers store it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub offset: Offset,
    /// The epoch of the leader that appended it.
    pub leader_epoch: LeaderEpoch,
    /// Virtual time the producer created it, in ms (Kafka's CreateTime).
    pub timestamp_ms: u64,
    pub key: Option<Arc<str>>,
    /// `None` is a tombstone (a null value).
    pub value: Option<Arc<str>>,
    /// The producer's client id.
    pub producer: Arc<str>,
    /// The producer's own running number for the record (1, 2, ...): its identity across
    /// retries, shown to the learner as `producer-1 #42`.
    pub producer_seq: u64,
    /// For idempotent producers, the producer id and sequence number the broker checks.
    pub sequence: Option<(ProducerId, u32)>,
    /// Why the producer sent it to this partition.
    pub partition_choice: PartitionChoice,
    /// Written inside a transaction.
    pub transactional: bool,
    /// A transaction marker (control record) rather than data.
    pub control: Option<Control>,
    /// The last record of the batch it was produced in: replication never splits a batch.
    pub last_in_batch: bool,
}

/// The outcome a transaction marker records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Control {
    Commit,
    Abort,
}

impl Record {
    /// Size in bytes for batch.size, segment.bytes and retention.bytes.
    pub fn size_bytes(&self) -> u64 {
        record_size(self.key.as_deref(), self.value.as_deref())
    }
}

/// The size a record with this key and value will have.
pub fn record_size(key: Option<&str>, value: Option<&str>) -> u64 {
    RECORD_OVERHEAD_BYTES + key.map_or(0, |k| k.len() as u64) + value.map_or(0, |v| v.len() as u64)
}

/// Where a leader epoch begins in a log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpochStart {
    pub epoch: LeaderEpoch,
    pub start_offset: Offset,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Log {
    start_offset: Offset,
    end_offset: Offset,
    records: Vec<Arc<Record>>,
    /// Leader-epoch cache, oldest first, epochs strictly increasing.
    epochs: Vec<EpochStart>,
}

impl Log {
    /// The first offset still in the log.
    pub fn start_offset(&self) -> Offset {
        self.start_offset
    }

    /// The offset the next appended record gets (the log end offset, LEO).
    pub fn end_offset(&self) -> Offset {
        self.end_offset
    }

    /// Appends a record at the log end offset. A record from an epoch newer than the cache's
    /// last entry opens that epoch at its offset.
    pub fn append(&mut self, record: Arc<Record>) {
        debug_assert_eq!(
            record.offset, self.end_offset,
            "records are appended in order"
        );
        self.note_epoch(record.leader_epoch, record.offset);
        self.end_offset = record.offset.next();
        self.records.push(record);
    }

    /// Records that a new leader epoch starts at the log end offset (what a replica does when it
    /// becomes leader, before it appends anything).
    pub fn start_epoch(&mut self, epoch: LeaderEpoch) {
        self.note_epoch(epoch, self.end_offset);
    }

    fn note_epoch(&mut self, epoch: LeaderEpoch, start_offset: Offset) {
        if self.epochs.last().is_none_or(|last| last.epoch < epoch) {
            self.epochs.push(EpochStart {
                epoch,
                start_offset,
            });
        }
    }

    /// Removes every record at or above `offset` and returns how many went.
    pub fn truncate_to(&mut self, offset: Offset) -> u64 {
        if offset >= self.end_offset {
            return 0;
        }
        let offset = offset.max(self.start_offset);
        let keep = self.records.partition_point(|r| r.offset < offset);
        let removed = (self.records.len() - keep) as u64;
        self.records.truncate(keep);
        self.end_offset = offset;
        self.epochs.retain(|e| e.start_offset < offset);
        removed
    }

    /// Empties the log and restarts it at `offset` (a follower whose fetch position fell below
    /// the leader's log start offset).
    pub fn restart_at(&mut self, offset: Offset) -> u64 {
        let removed = self.records.len() as u64;
        self.records.clear();
        self.epochs.clear();
        self.start_offset = offset;
        self.end_offset = offset;
        removed
    }

    /// The epoch of the leader that wrote `offset`, as the epoch cache says.
    pub fn epoch_at(&self, offset: Offset) -> Option<LeaderEpoch> {
        let i = self.epochs.partition_point(|e| e.start_offset <= offset);
        i.checked_sub(1).map(|i| self.epochs[i].epoch)
    }

    /// The newest epoch in the cache.
    pub fn latest_epoch(&self) -> Option<LeaderEpoch> {
        self.epochs.last().map(|e| e.epoch)
    }

    /// Where `epoch` started in this log, if it did.
    pub fn epoch_start(&self, epoch: LeaderEpoch) -> Option<Offset> {
        self.epochs
            .iter()
            .find(|e| e.epoch == epoch)
            .map(|e| e.start_offset)
    }

    /// Records with `from <= offset < below`, at most `max_records` of them and, after the
    /// first, at most `max_bytes` in all.
    pub fn read(
        &self,
        from: Offset,
        below: Offset,
        max_records: usize,
        max_bytes: u64,
    ) -> &[Arc<Record>] {
        let start = self.records.partition_point(|r| r.offset < from);
        let end = self.records.partition_point(|r| r.offset < below);
        let end = end.min(start.saturating_add(max_records)).max(start);
        let mut bytes = 0;
        let mut taken = 0;
        for record in &self.records[start..end] {
            bytes += record.size_bytes();
            if taken > 0 && bytes > max_bytes {
                break;
            }
            taken += 1;
        }
        &self.records[start..start + taken]
    }

    /// Like `read` without a record count, but never ending inside a batch: after `max_bytes`
    /// the batch being read is finished (Kafka copies whole batches, so a follower never holds
    /// part of one).
    pub fn read_batches(&self, from: Offset, below: Offset, max_bytes: u64) -> &[Arc<Record>] {
        let start = self.records.partition_point(|r| r.offset < from);
        let end = self
            .records
            .partition_point(|r| r.offset < below)
            .max(start);
        let mut taken = self.read(from, below, usize::MAX, max_bytes).len();
        while start + taken < end && !self.records[start + taken - 1].last_in_batch {
            taken += 1;
        }
        &self.records[start..start + taken]
    }

    /// The record at `offset`, if the log holds it.
    pub fn get(&self, offset: Offset) -> Option<&Arc<Record>> {
        let i = self.records.partition_point(|r| r.offset < offset);
        self.records.get(i).filter(|r| r.offset == offset)
    }

    /// Every record in the log, oldest first.
    pub fn records(&self) -> &[Arc<Record>] {
        &self.records
    }

    /// The first offset where `self` (a follower) no longer matches `leader`, found as Kafka's
    /// OffsetsForLeaderEpoch does: two logs hold the same record at an offset exactly when their
    /// epoch caches give it the same epoch. The follower truncates to this offset before it
    /// fetches again.
    pub fn divergence_from(&self, leader: &Log) -> Offset {
        let limit = self.end_offset.min(leader.end_offset);
        let mut boundaries: Vec<Offset> = self
            .epochs
            .iter()
            .chain(&leader.epochs)
            .map(|e| e.start_offset)
            .chain([self.start_offset.max(leader.start_offset)])
            .filter(|&b| b < limit)
            .collect();
        boundaries.sort_unstable();
        boundaries
            .into_iter()
            .find(|&b| self.epoch_at(b) != leader.epoch_at(b))
            .unwrap_or(limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(offset: u64, epoch: u32) -> Arc<Record> {
        Arc::new(Record {
            offset: Offset(offset),
            leader_epoch: LeaderEpoch(epoch),
            timestamp_ms: offset,
            key: None,
            value: Some(Arc::from(format!("v{offset}"))),
            producer: Arc::from("p"),
            producer_seq: offset + 1,
            sequence: None,
            partition_choice: PartitionChoice::Explicit,
            transactional: false,
            control: None,
            last_in_batch: true,
        })
    }

    /// A log with one record per epoch given.
    fn log_of(epochs: &[u32]) -> Log {
        let mut log = Log::default();
        for (offset, &epoch) in epochs.iter().enumerate() {
            log.append(record(offset as u64, epoch));
        }
        log
    }

    fn offsets(records: &[Arc<Record>]) -> Vec<u64> {
        records.iter().map(|r| r.offset.0).collect()
    }

    #[test]
    fn append_assigns_epochs_and_offsets() {
        let log = log_of(&[0, 0, 1, 1, 3]);
        assert_eq!(log.end_offset(), Offset(5));
        assert_eq!(log.epoch_at(Offset(1)), Some(LeaderEpoch(0)));
        assert_eq!(log.epoch_at(Offset(3)), Some(LeaderEpoch(1)));
        assert_eq!(log.epoch_at(Offset(4)), Some(LeaderEpoch(3)));
        assert_eq!(log.epoch_start(LeaderEpoch(1)), Some(Offset(2)));
        assert_eq!(log.latest_epoch(), Some(LeaderEpoch(3)));
    }

    #[test]
    fn read_respects_bounds_counts_and_bytes() {
        let log = log_of(&[0; 10]);
        assert_eq!(
            offsets(log.read(Offset(2), Offset(5), 100, u64::MAX)),
            [2, 3, 4]
        );
        assert_eq!(offsets(log.read(Offset(2), Offset(9), 2, u64::MAX)), [2, 3]);
        // Each record is 12 bytes: 2 fit in 24, and one is always returned.
        assert_eq!(offsets(log.read(Offset(0), Offset(9), 100, 24)), [0, 1]);
        assert_eq!(offsets(log.read(Offset(0), Offset(9), 100, 1)), [0]);
        assert!(log.read(Offset(7), Offset(3), 10, u64::MAX).is_empty());
    }

    #[test]
    fn truncation_drops_records_and_epochs_above() {
        let mut log = log_of(&[0, 0, 1, 1, 2]);
        assert_eq!(log.truncate_to(Offset(3)), 2);
        assert_eq!(log.end_offset(), Offset(3));
        assert_eq!(offsets(log.records()), [0, 1, 2]);
        assert_eq!(log.latest_epoch(), Some(LeaderEpoch(1)));
        assert_eq!(log.truncate_to(Offset(9)), 0, "nothing above the end");
        assert_eq!(log.truncate_to(Offset(2)), 1);
        assert_eq!(
            log.latest_epoch(),
            Some(LeaderEpoch(0)),
            "epoch 1 began at 2"
        );
    }

    #[test]
    fn a_follower_with_extra_records_of_an_old_epoch_truncates_where_the_new_epoch_began() {
        // The old leader (epoch 0) wrote 0..8 but only 0..5 reached the new leader, which then
        // wrote 5 and 6 in epoch 1.
        let follower = log_of(&[0, 0, 0, 0, 0, 0, 0, 0]);
        let leader = log_of(&[0, 0, 0, 0, 0, 1, 1]);
        assert_eq!(follower.divergence_from(&leader), Offset(5));
    }

    #[test]
    fn a_prefix_of_the_leader_does_not_diverge() {
        let follower = log_of(&[0, 0, 1]);
        let leader = log_of(&[0, 0, 1, 1, 2]);
        assert_eq!(follower.divergence_from(&leader), Offset(3));
        let mut elected = leader.clone();
        elected.start_epoch(LeaderEpoch(3));
        assert_eq!(
            leader.divergence_from(&elected),
            Offset(5),
            "a new empty epoch changes nothing"
        );
    }

    #[test]
    fn logs_that_differ_from_the_start_truncate_everything() {
        let follower = log_of(&[0, 0]);
        let leader = log_of(&[1, 1, 1]);
        assert_eq!(follower.divergence_from(&leader), Offset(0));
    }
}
