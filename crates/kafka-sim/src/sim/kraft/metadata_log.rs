//! A controller's copy of the metadata log (`__cluster_metadata`) as Raft sees it: where each
//! epoch's records start (Kafka's leader-epoch checkpoint) and where the log ends. What the
//! records say is not kept here (the engine's state is what they describe); Raft only compares
//! logs by their epochs and offsets: which is more up to date, and where two diverge.
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetadataLog {
    /// `(epoch, start offset)` of each epoch present, oldest first.
    epochs: Vec<(u32, u64)>,
    end: u64,
}

impl MetadataLog {
    /// The offset the next record gets.
    pub fn end_offset(&self) -> u64 {
        self.end
    }

    /// The epoch of the last record (0 for an empty log).
    pub fn last_epoch(&self) -> u32 {
        self.epochs.last().map_or(0, |(epoch, _)| *epoch)
    }

    /// Appends `records` records written in `epoch` (never below the last epoch).
    pub fn append(&mut self, epoch: u32, records: u64) {
        if records == 0 {
            return;
        }
        if self.epochs.last().is_none_or(|(last, _)| *last != epoch) {
            self.epochs.push((epoch, self.end));
        }
        self.end += records;
    }

    /// `ReplicatedLog.endOffsetForEpoch`: the largest epoch of this log not above `epoch`, and
    /// the offset where its records end; `(0, 0)` when there is none.
    pub fn end_offset_for_epoch(&self, epoch: u32) -> (u32, u64) {
        match self.epochs.iter().rposition(|(e, _)| *e <= epoch) {
            Some(i) => (
                self.epochs[i].0,
                self.epochs.get(i + 1).map_or(self.end, |(_, start)| *start),
            ),
            None => (0, 0),
        }
    }

    /// Removes the records from `offset` on.
    pub fn truncate_to(&mut self, offset: u64) {
        if offset < self.end {
            self.end = offset;
            self.epochs.retain(|(_, start)| *start < offset);
        }
    }

    /// Appends what `leader` has past this log's end (a fetch, once the logs agree up to it).
    pub fn copy_from(&mut self, leader: &MetadataLog) {
        for (i, (epoch, start)) in leader.epochs.iter().enumerate() {
            let end = leader
                .epochs
                .get(i + 1)
                .map_or(leader.end, |(_, next)| *next);
            if end > self.end {
                self.append(*epoch, end - self.end.max(*start));
            }
        }
    }

    /// `KafkaRaftClient.handleVoteRequest`'s check: a candidate whose last record is
    /// `(last_epoch, end)` is at least as up to date as this log (epoch first, then offset,
    /// as `OffsetAndEpoch.compareTo` orders them).
    pub fn is_behind_or_equal(&self, last_epoch: u32, end: u64) -> bool {
        (last_epoch, end) >= (self.last_epoch(), self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(runs: &[(u32, u64)]) -> MetadataLog {
        let mut log = MetadataLog::default();
        for (epoch, records) in runs {
            log.append(*epoch, *records);
        }
        log
    }

    /// `ReplicatedLog.endOffsetForEpoch` (KafkaMetadataLog): an epoch's end is the next
    /// epoch's start; an epoch the log skipped answers with the epoch before it.
    #[test]
    fn end_offset_for_epoch_finds_the_largest_epoch_not_above() {
        let log = log(&[(1, 3), (3, 2)]);
        assert_eq!(log.end_offset_for_epoch(1), (1, 3));
        assert_eq!(log.end_offset_for_epoch(2), (1, 3));
        assert_eq!(log.end_offset_for_epoch(3), (3, 5));
        assert_eq!(log.end_offset_for_epoch(0), (0, 0));
    }

    /// A follower that truncated to the common prefix copies the leader's records with their
    /// epochs (KafkaRaftClient.handleFetchResponse appends the leader's batches as they are).
    #[test]
    fn a_copy_keeps_the_leaders_epochs() {
        let leader = log(&[(1, 3), (2, 1), (4, 2)]);
        let mut follower = log(&[(1, 3), (2, 2)]);
        follower.truncate_to(leader.end_offset_for_epoch(2).1);
        follower.copy_from(&leader);
        assert_eq!(follower, leader);
    }

    /// `OffsetAndEpoch.compareTo`: a higher last epoch wins over a longer log.
    #[test]
    fn up_to_date_compares_the_epoch_first() {
        let log = log(&[(1, 5), (2, 1)]);
        assert!(log.is_behind_or_equal(3, 1));
        assert!(log.is_behind_or_equal(2, 6));
        assert!(!log.is_behind_or_equal(2, 5));
        assert!(!log.is_behind_or_equal(1, 100));
    }
}
