//! A replica's log: records in offset order from the log start offset to the log end offset
//! (LEO), and the leader-epoch cache Kafka keeps beside it (the offset where each leader epoch
//! began). Offsets are never renumbered; reads look offsets up rather than index by them, so
//! gaps (compaction) need no change here.
//!
//! Records are shared between replicas (`Arc`): replication copies a record unchanged, so every
//! replica holding offset o in epoch e holds the very same record. A log keeps them in chunks
//! that its copies share (`chunked.rs`), so time travel's snapshots cost little.
use crate::sim::chunked::{Chunked, ChunkedSlice};
use crate::sim::ids::{LeaderEpoch, Offset, ProducerId};
use crate::sim::ordered::sort;
use crate::sim::ordered::{Map, Set};
use crate::sim::partitioner::PartitionChoice;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
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

impl Control {
    /// The marker's name as a record cell shows it.
    pub fn marker_label(self) -> &'static str {
        match self {
            Control::Commit => "COMMIT",
            Control::Abort => "ABORT",
        }
    }
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

/// A run of a log's records, oldest first.
pub type Records<'a> = ChunkedSlice<'a, Arc<Record>>;

impl<'a> Records<'a> {
    /// The records with `from <= offset < below` (offsets increase along a log).
    pub fn between(&self, from: Offset, below: Offset) -> Records<'a> {
        let start = self.partition_point(|r| r.offset < from);
        let end = self.partition_point(|r| r.offset < below);
        self.slice(start..end)
    }

    /// The record at `offset`, if the run holds it.
    pub fn at_offset(&self, offset: Offset) -> Option<&'a Arc<Record>> {
        self.get(self.partition_point(|r| r.offset < offset))
            .filter(|r| r.offset == offset)
    }
}

/// Where a leader epoch begins in a log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpochStart {
    pub epoch: LeaderEpoch,
    pub start_offset: Offset,
}

/// A segment of the log: records from `base` to the next segment's base. The last one is the
/// active segment, the only one appended to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub base: Offset,
    pub bytes: u64,
    pub first_timestamp_ms: u64,
    pub max_timestamp_ms: u64,
}

/// When a new segment is rolled: `segment.bytes` and `segment.ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SegmentRules {
    pub bytes: u64,
    pub ms: u64,
}

impl SegmentRules {
    /// One segment forever (tests and logs without topic settings).
    pub const UNLIMITED: SegmentRules = SegmentRules {
        bytes: u64::MAX,
        ms: u64::MAX,
    };
}

/// What cleaning a log removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// Records superseded by a newer record with the same key (or aborted).
    pub superseded: u64,
    /// Tombstones past delete.retention.ms.
    pub tombstones: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Log {
    start_offset: Offset,
    end_offset: Offset,
    records: Chunked<Arc<Record>>,
    /// Leader-epoch cache, oldest first, epochs strictly increasing.
    epochs: Vec<EpochStart>,
    segments: Vec<Segment>,
    /// The cleaner has compacted everything below this offset (the end of the clean part).
    cleaned_to: Offset,
    /// When the cleaner first found each tombstone in the clean part (for
    /// delete.retention.ms).
    tombstones_since: Map<Offset, u64>,
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
        self.append_in(record, &SegmentRules::UNLIMITED);
    }

    /// Appends a record (at or after the log end offset: a compacted leader's log has gaps),
    /// first rolling a new segment if the active one is full by `segment.bytes` or older than
    /// `segment.ms`. Segments roll only between batches.
    pub fn append_in(&mut self, record: Arc<Record>, rules: &SegmentRules) {
        let size = record.size_bytes();
        let between_batches = self.records.last().is_none_or(|r| r.last_in_batch);
        let roll = match self.segments.last() {
            None => true,
            Some(active) => {
                active.bytes > 0
                    && between_batches
                    && (active.bytes.saturating_add(size) > rules.bytes
                        || record
                            .timestamp_ms
                            .saturating_sub(active.first_timestamp_ms)
                            >= rules.ms)
            }
        };
        if roll {
            self.segments.push(Segment {
                base: record.offset,
                bytes: 0,
                first_timestamp_ms: record.timestamp_ms,
                max_timestamp_ms: record.timestamp_ms,
            });
        }
        if let Some(active) = self.segments.last_mut() {
            if active.bytes == 0 {
                active.first_timestamp_ms = record.timestamp_ms;
            }
            active.bytes += size;
            active.max_timestamp_ms = active.max_timestamp_ms.max(record.timestamp_ms);
        }
        self.note_epoch(record.leader_epoch, record.offset);
        self.end_offset = record.offset.next();
        self.records.push(record);
    }

    /// The segments, oldest first (the last is active).
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Where the next segment (or the log) ends.
    fn segment_end(&self, index: usize) -> Offset {
        self.segments
            .get(index + 1)
            .map_or(self.end_offset, |next| next.base)
    }

    /// Recomputes every segment's size and timestamps from the records it still holds, and
    /// drops segments left empty (except the active one).
    fn resize_segments(&mut self) {
        let mut sized = Vec::with_capacity(self.segments.len());
        for (i, segment) in self.segments.iter().enumerate() {
            let end = self
                .segments
                .get(i + 1)
                .map_or(Offset(u64::MAX), |n| n.base);
            let records = self.records.all().between(segment.base, end);
            let last = i + 1 == self.segments.len();
            if records.is_empty() && !last {
                continue;
            }
            sized.push(Segment {
                base: segment.base,
                bytes: records.iter().map(|r| r.size_bytes()).sum(),
                first_timestamp_ms: records
                    .first()
                    .map_or(segment.first_timestamp_ms, |r| r.timestamp_ms),
                max_timestamp_ms: records
                    .iter()
                    .map(|r| r.timestamp_ms)
                    .max()
                    .unwrap_or(segment.max_timestamp_ms),
            });
        }
        self.segments = sized;
    }

    /// Where retention would move the log start (Kafka's `deleteOldSegments`): whole segments
    /// from the oldest, each ending at or below `high_watermark`, while each is older than
    /// `retention_ms` by its newest record or the log is over `retention_bytes` by at least that
    /// segment; the scan stops at the first segment that does not qualify. Returns the new log
    /// start and which limit deleted the most.
    pub fn retention_cut(
        &self,
        now_ms: u64,
        high_watermark: Offset,
        retention_ms: i64,
        retention_bytes: i64,
    ) -> Option<(Offset, &'static str)> {
        let total: u64 = self.segments.iter().map(|s| s.bytes).sum();
        let mut excess = (retention_bytes >= 0).then(|| total as i64 - retention_bytes);
        let mut cut = None;
        for (i, segment) in self.segments.iter().enumerate() {
            let end = self.segment_end(i);
            if segment.bytes == 0 || end > high_watermark {
                break;
            }
            let by_time = retention_ms >= 0
                && now_ms.saturating_sub(segment.max_timestamp_ms) > retention_ms as u64;
            let by_size = excess.is_some_and(|e| e - segment.bytes as i64 >= 0);
            if !by_time && !by_size {
                break;
            }
            if let Some(e) = excess.as_mut() {
                *e -= segment.bytes as i64;
            }
            let reason = if by_time {
                "retention.ms"
            } else {
                "retention.bytes"
            };
            cut = Some((end, reason));
        }
        cut
    }

    /// Deletes everything below `offset` and makes it the log start (retention, or a follower
    /// following its leader's log start). Returns how many records went. If nothing is left, a
    /// new empty active segment starts at the log end.
    pub fn delete_below(&mut self, offset: Offset) -> u64 {
        if offset <= self.start_offset {
            return 0;
        }
        let offset = offset.min(self.end_offset);
        let cut = self.records.all().partition_point(|r| r.offset < offset);
        self.records.remove_first(cut);
        self.start_offset = offset;
        // Keep the epoch that covers the new start, starting there.
        let covering = self.epochs.iter().rposition(|e| e.start_offset <= offset);
        if let Some(i) = covering {
            self.epochs.drain(..i);
            if let Some(first) = self.epochs.first_mut() {
                first.start_offset = offset;
            }
        }
        let first_kept = self
            .segments
            .iter()
            .rposition(|s| s.base <= offset)
            .unwrap_or(0);
        self.segments.drain(..first_kept);
        self.tombstones_since.retain(|since, _| *since >= offset);
        self.cleaned_to = self.cleaned_to.max(offset);
        self.resize_segments();
        if self.records.is_empty() {
            self.segments = vec![Segment {
                base: self.end_offset,
                bytes: 0,
                first_timestamp_ms: 0,
                max_timestamp_ms: 0,
            }];
        }
        cut as u64
    }

    /// One pass of the log cleaner (`LogCleaner`): if at least `min_dirty_ratio` of the
    /// cleanable part (closed segments below `clean_end`) is dirty (not yet cleaned), every
    /// record with a newer record of the same key in the dirty part goes, as do records
    /// `aborted` says belong to aborted transactions; tombstones stay for
    /// `delete_retention_ms` after the first cleaning that reaches them, then go too.
    /// Survivors keep their offsets.
    pub fn compact(
        &mut self,
        now_ms: u64,
        clean_end: Offset,
        min_dirty_ratio: f64,
        delete_retention_ms: u64,
        aborted: &dyn Fn(&Record) -> bool,
    ) -> Option<Cleaned> {
        let active_base = self.segments.last().map_or(self.end_offset, |s| s.base);
        let end = clean_end.min(active_base);
        let dirty_start = self.cleaned_to.max(self.start_offset);
        if end <= dirty_start {
            return None;
        }
        let all = self.records.all();
        let cleanable = all.between(Offset(0), end);
        let dirty_part = cleanable.between(dirty_start, end);
        let bytes = |records: Records| records.iter().map(|r| r.size_bytes()).sum::<u64>();
        let total = bytes(cleanable);
        let dirty = bytes(dirty_part);
        if total == 0 || (dirty as f64) < min_dirty_ratio * total as f64 {
            return None;
        }
        // A B-tree, not a sorted vector: a dirty section can hold as many distinct keys as
        // records, inserted in no order, and a sorted vector would move half of itself for each.
        let mut newest: BTreeMap<&str, Offset> = BTreeMap::new();
        for record in dirty_part {
            if let Some(key) = record.key.as_deref() {
                newest.insert(key, record.offset);
            }
        }
        let mut gone: Set<Offset> = Set::new();
        let mut tombstones = 0;
        for record in cleanable {
            if record.control.is_some() {
                continue;
            }
            let superseded = record
                .key
                .as_deref()
                .and_then(|k| newest.get(k))
                .is_some_and(|latest| *latest > record.offset);
            let expired_tombstone = record.value.is_none()
                && self
                    .tombstones_since
                    .get(&record.offset)
                    .is_some_and(|since| now_ms.saturating_sub(*since) >= delete_retention_ms);
            if superseded || aborted(record) {
                gone.insert(record.offset);
            } else if expired_tombstone {
                gone.insert(record.offset);
                tombstones += 1;
            }
        }
        for record in dirty_part {
            if record.value.is_none() && !gone.contains(&record.offset) {
                self.tombstones_since.insert(record.offset, now_ms);
            }
        }
        let superseded = gone.len() as u64 - tombstones;
        self.records.retain(|r| !gone.contains(&r.offset));
        for offset in gone.iter() {
            self.tombstones_since.remove(offset);
        }
        self.cleaned_to = end;
        self.resize_segments();
        Some(Cleaned {
            superseded,
            tombstones,
        })
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
        let keep = self.records.all().partition_point(|r| r.offset < offset);
        let removed = (self.records.len() - keep) as u64;
        self.records.truncate(keep);
        self.end_offset = offset;
        self.epochs.retain(|e| e.start_offset < offset);
        self.segments
            .retain(|s| s.base < offset || s.base == self.start_offset);
        self.cleaned_to = self.cleaned_to.min(offset);
        self.tombstones_since.retain(|o, _| *o < offset);
        self.resize_segments();
        removed
    }

    /// Empties the log and restarts it at `offset` (a follower whose fetch position fell below
    /// the leader's log start offset).
    pub fn restart_at(&mut self, offset: Offset) -> u64 {
        let removed = self.records.len() as u64;
        self.records.clear();
        self.epochs.clear();
        self.segments.clear();
        self.tombstones_since.clear();
        self.start_offset = offset;
        self.end_offset = offset;
        self.cleaned_to = offset;
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

    /// The answer to OffsetsForLeaderEpoch for `epoch` (`LeaderEpochFileCache.endOffsetFor`,
    /// `UnifiedLog.endOffsetForEpoch`): the largest epoch in the cache up to `epoch` and the
    /// offset where it ended (where the next epoch began, or the log end offset for the
    /// latest); for an epoch older than the whole cache, `epoch` itself and where the cache
    /// begins. `None` (UNDEFINED_EPOCH_OFFSET) for an epoch newer than the latest, or an empty
    /// cache.
    pub fn end_offset_for_epoch(&self, epoch: LeaderEpoch) -> Option<(LeaderEpoch, Offset)> {
        if self.latest_epoch() == Some(epoch) {
            return Some((epoch, self.end_offset));
        }
        let higher = self.epochs.iter().find(|e| e.epoch > epoch)?;
        let floor = self.epochs.iter().rev().find(|e| e.epoch <= epoch);
        Some((floor.map_or(epoch, |f| f.epoch), higher.start_offset))
    }

    /// Records with `from <= offset < below`, at most `max_records` of them and, after the
    /// first, at most `max_bytes` in all.
    pub fn read(
        &self,
        from: Offset,
        below: Offset,
        max_records: usize,
        max_bytes: u64,
    ) -> Records<'_> {
        let records = self.records.all().between(from, below);
        let mut bytes = 0;
        let mut taken = 0;
        for record in records.slice(0..max_records) {
            bytes += record.size_bytes();
            if taken > 0 && bytes > max_bytes {
                break;
            }
            taken += 1;
        }
        records.slice(0..taken)
    }

    /// Like `read` without a record count, but never ending inside a batch: after `max_bytes`
    /// the batch being read is finished (Kafka copies whole batches, so a follower never holds
    /// part of one).
    pub fn read_batches(&self, from: Offset, below: Offset, max_bytes: u64) -> Records<'_> {
        let records = self.records.all().between(from, below);
        let mut taken = self.read(from, below, usize::MAX, max_bytes).len();
        while taken < records.len() && records.get(taken - 1).is_some_and(|r| !r.last_in_batch) {
            taken += 1;
        }
        records.slice(0..taken)
    }

    /// The record at `offset`, if the log holds it.
    pub fn get(&self, offset: Offset) -> Option<&Arc<Record>> {
        self.records.all().at_offset(offset)
    }

    /// Every record in the log, oldest first.
    pub fn records(&self) -> Records<'_> {
        self.records.all()
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
        sort(&mut boundaries);
        boundaries
            .into_iter()
            .find(|&b| self.epoch_at(b) != leader.epoch_at(b))
            .unwrap_or(limit)
    }

    /// From `divergence` (where `self` stops matching `newer`, `divergence_from`), the first
    /// offset whose record here `newer` has not replaced: `newer` holds nothing there, or a
    /// record of an older epoch. A record `newer` rewrote in a later epoch was already
    /// discarded by that epoch's leader (it never reached its ISR), so it is nobody's loss now.
    pub fn first_not_replaced(&self, newer: &Log, divergence: Offset) -> Offset {
        let limit = self.end_offset.min(newer.end_offset);
        let mut points: Vec<Offset> = self
            .epochs
            .iter()
            .chain(&newer.epochs)
            .map(|e| e.start_offset)
            .filter(|&b| b > divergence && b < limit)
            .chain([divergence])
            .collect();
        sort(&mut points);
        points
            .into_iter()
            .find(|&b| b >= limit || self.epoch_at(b) >= newer.epoch_at(b))
            .unwrap_or(limit)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A plain record at `offset`, written in `epoch`, a batch of its own.
    pub(crate) fn record(offset: u64, epoch: u32) -> Arc<Record> {
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

    fn offsets(records: Records) -> Vec<u64> {
        records.iter().map(|r| r.offset.0).collect()
    }

    #[test]
    fn offsets_find_their_records() {
        let mut log = Log::default();
        for offset in (0..500).filter(|o| o % 3 != 0) {
            log.append(record(offset, 0));
        }
        let all = log.records();
        assert_eq!(
            all.at_offset(Offset(301)).map(|r| r.offset),
            Some(Offset(301))
        );
        assert!(all.at_offset(Offset(300)).is_none());
        assert_eq!(
            offsets(all.between(Offset(295), Offset(301))),
            [295, 296, 298, 299]
        );
        assert_eq!(log.get(Offset(499)).map(|r| r.offset), Some(Offset(499)));
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

    /// What an unclean election loses from a replica (`Partition::unclean_loss`): its
    /// records past the divergence that the new leader did not rewrite in a later epoch.
    #[test]
    fn records_a_later_epoch_rewrote_are_not_lost_again() {
        // The old leader (epoch 0) wrote 0..8 but only 0..5 reached the next leader, which
        // wrote 5 and 6 in epoch 1: the old 5 and 6 were discarded then, 7 only now.
        let old_leader = log_of(&[0, 0, 0, 0, 0, 0, 0, 0]);
        let elected = log_of(&[0, 0, 0, 0, 0, 1, 1]);
        let divergence = old_leader.divergence_from(&elected);
        assert_eq!(
            old_leader.first_not_replaced(&elected, divergence),
            Offset(7)
        );
        // A stale replica elected uncleanly: what the others wrote in later epochs is lost.
        let stale = log_of(&[0, 0, 0]);
        let ahead = log_of(&[0, 0, 1, 1, 2]);
        let divergence = ahead.divergence_from(&stale);
        assert_eq!(divergence, Offset(2));
        assert_eq!(ahead.first_not_replaced(&stale, divergence), Offset(2));
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

    /// The cases of `LeaderEpochFileCache.endOffsetFor` (and `LeaderEpochFileCacheTest`):
    /// the latest epoch ends at the log end offset, an older one where the next began, a
    /// missing one answers for the largest epoch below it, one older than the cache where the
    /// cache begins, and one newer than the latest is undefined.
    #[test]
    fn offsets_for_leader_epoch_answers_where_an_epoch_ended() {
        // Epoch 0 at 0..3, epoch 2 at 3..5, then epoch 4 began at 5 with nothing written yet.
        let mut log = log_of(&[0, 0, 0, 2, 2]);
        log.start_epoch(LeaderEpoch(4));
        let end = |epoch| log.end_offset_for_epoch(LeaderEpoch(epoch));
        assert_eq!(end(4), Some((LeaderEpoch(4), Offset(5))));
        assert_eq!(end(2), Some((LeaderEpoch(2), Offset(5))));
        assert_eq!(end(0), Some((LeaderEpoch(0), Offset(3))));
        assert_eq!(
            end(1),
            Some((LeaderEpoch(0), Offset(3))),
            "epoch 1 never wrote here"
        );
        assert_eq!(end(3), Some((LeaderEpoch(2), Offset(5))));
        assert_eq!(end(5), None, "newer than any epoch the log knows");
        let mut later = log_of(&[3, 3]);
        later.start_epoch(LeaderEpoch(5));
        assert_eq!(
            later.end_offset_for_epoch(LeaderEpoch(1)),
            Some((LeaderEpoch(1), Offset(0))),
            "older than the cache: where it begins"
        );
        assert_eq!(Log::default().end_offset_for_epoch(LeaderEpoch(0)), None);
    }

    fn keyed(offset: u64, key: &str, value: Option<&str>) -> Arc<Record> {
        Arc::new(Record {
            key: Some(Arc::from(key)),
            value: value.map(Arc::from),
            ..(*record(offset, 0)).clone()
        })
    }

    /// Every record in a segment of its own.
    fn one_per_segment(records: &[Arc<Record>]) -> Log {
        let rules = SegmentRules {
            bytes: 1,
            ms: u64::MAX,
        };
        let mut log = Log::default();
        for r in records {
            log.append_in(r.clone(), &rules);
        }
        log
    }

    fn keys(log: &Log) -> Vec<(u64, String)> {
        log.records()
            .iter()
            .map(|r| (r.offset.0, r.key.as_deref().unwrap_or("").to_owned()))
            .collect()
    }

    #[test]
    fn kafka_partial_segment_clean() {
        // LogCleanerTest.testPartialSegmentClean: keys [0,1,0,1,0] at offsets 0..4 end as keys
        // [1,0] at offsets [3,4]. Offset 5 keeps the segment of offset 4 closed.
        let records: Vec<Arc<Record>> = ["0", "1", "0", "1", "0", "9"]
            .iter()
            .enumerate()
            .map(|(o, k)| keyed(o as u64, k, Some("v")))
            .collect();
        let mut log = one_per_segment(&records);
        let cleaned = log.compact(0, Offset(6), 0.5, 0, &|_| false);
        assert_eq!(
            cleaned,
            Some(Cleaned {
                superseded: 3,
                tombstones: 0
            })
        );
        assert_eq!(
            keys(&log),
            [(3, "1".into()), (4, "0".into()), (5, "9".into())]
        );
        assert_eq!(log.end_offset(), Offset(6), "offsets are kept, with gaps");
    }

    #[test]
    fn the_active_segment_and_records_above_the_end_are_never_cleaned() {
        let records: Vec<Arc<Record>> = (0..4).map(|o| keyed(o, "k", Some("v"))).collect();
        let mut log = one_per_segment(&records);
        log.compact(0, Offset(2), 0.0, 0, &|_| false);
        assert_eq!(
            keys(&log).len(),
            3,
            "only offsets below 2 were cleanable: {:?}",
            keys(&log)
        );
    }

    #[test]
    fn tombstones_stay_for_delete_retention_then_go() {
        let records = [
            keyed(0, "a", Some("v")),
            keyed(1, "a", None),
            keyed(2, "b", Some("v")),
        ];
        let mut log = one_per_segment(&records);
        log.compact(1_000, Offset(3), 0.0, 500, &|_| false);
        assert_eq!(
            keys(&log),
            [(1, "a".into()), (2, "b".into())],
            "the tombstone stays"
        );
        log.append_in(
            keyed(3, "c", Some("v")),
            &SegmentRules {
                bytes: 1,
                ms: u64::MAX,
            },
        );
        log.append_in(
            keyed(4, "d", Some("v")),
            &SegmentRules {
                bytes: 1,
                ms: u64::MAX,
            },
        );
        let cleaned = log.compact(1_600, Offset(5), 0.0, 500, &|_| false);
        assert_eq!(cleaned.map(|c| c.tombstones), Some(1));
        assert!(
            keys(&log).iter().all(|(o, _)| *o != 1),
            "gone after delete.retention.ms"
        );
    }

    #[test]
    fn retention_deletes_whole_old_segments_below_the_high_watermark() {
        let rules = SegmentRules {
            bytes: 30,
            ms: u64::MAX,
        };
        let mut log = Log::default();
        for o in 0..6 {
            // 12-byte records: two per 30-byte segment.
            let mut r = (*record(o, 0)).clone();
            r.timestamp_ms = o * 1000;
            log.append_in(Arc::new(r), &rules);
        }
        assert_eq!(log.segments().len(), 3);
        // By time: at t = 5000 the first segment's newest record (1000) is more than 2500 ms
        // old, the second's (3000) is not, and the scan stops there. At t = 9000 all are,
        // the active one too.
        assert_eq!(
            log.retention_cut(5_000, Offset(6), 2_500, -1),
            Some((Offset(2), "retention.ms"))
        );
        assert_eq!(
            log.retention_cut(9_000, Offset(6), 2_500, -1),
            Some((Offset(6), "retention.ms"))
        );
        // Never past the high watermark.
        assert_eq!(log.retention_cut(9_000, Offset(1), 2_500, -1), None);
        // By size: 72 bytes against 30 is 42 over; the first 24-byte segment goes, the second
        // would take the log below the limit, so it stays (up to a segment over is allowed).
        assert_eq!(
            log.retention_cut(0, Offset(6), -1, 30),
            Some((Offset(2), "retention.bytes"))
        );
        assert_eq!(log.delete_below(Offset(4)), 4);
        assert_eq!((log.start_offset(), log.records().len()), (Offset(4), 2));
        assert_eq!(log.epoch_at(Offset(4)), Some(LeaderEpoch(0)));
        // Everything deletable: a new empty active segment starts at the end.
        log.delete_below(Offset(6));
        assert_eq!(log.segments().len(), 1);
        assert_eq!(log.segments()[0].base, Offset(6));
    }

    #[test]
    fn logs_that_differ_from_the_start_truncate_everything() {
        let follower = log_of(&[0, 0]);
        let leader = log_of(&[1, 1, 1]);
        assert_eq!(follower.divergence_from(&leader), Offset(0));
    }
}
