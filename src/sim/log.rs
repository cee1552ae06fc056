//! A partition replica's log: records in offset order, from the log start offset to the log end
//! offset. Offsets are never renumbered; reads look offsets up rather than index by them, so
//! later gaps (compaction) need no change here.

use crate::sim::ids::Offset;
use crate::sim::partitioner::PartitionChoice;
use serde::{Deserialize, Serialize};

/// One record as the broker stores it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub offset: Offset,
    /// Virtual time the leader appended it, in ms (Kafka's CreateTime, set by the producer).
    pub timestamp_ms: u64,
    pub key: Option<String>,
    pub value: String,
    /// Why the producer sent it to this partition.
    pub partition_choice: PartitionChoice,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Log {
    start_offset: Offset,
    end_offset: Offset,
    records: Vec<Record>,
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

    /// Appends a record at the log end offset and returns its offset.
    pub fn append(
        &mut self,
        timestamp_ms: u64,
        key: Option<String>,
        value: String,
        partition_choice: PartitionChoice,
    ) -> Offset {
        let offset = self.end_offset;
        self.records.push(Record {
            offset,
            timestamp_ms,
            key,
            value,
            partition_choice,
        });
        self.end_offset = offset.next();
        offset
    }

    /// Records with `from <= offset < below`, at most `max` of them.
    pub fn read(&self, from: Offset, below: Offset, max: usize) -> &[Record] {
        let start = self.records.partition_point(|r| r.offset < from);
        let end = self.records.partition_point(|r| r.offset < below);
        let end = end.min(start.saturating_add(max)).max(start);
        &self.records[start..end]
    }

    /// Every record in the log, oldest first.
    pub fn records(&self) -> &[Record] {
        &self.records
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log_of(n: u64) -> Log {
        let mut log = Log::default();
        for i in 0..n {
            log.append(i, None, format!("v{i}"), PartitionChoice::Explicit);
        }
        log
    }

    #[test]
    fn append_assigns_consecutive_offsets() {
        let log = log_of(3);
        let offsets: Vec<u64> = log.records().iter().map(|r| r.offset.0).collect();
        assert_eq!(offsets, [0, 1, 2]);
        assert_eq!(log.end_offset(), Offset(3));
        assert_eq!(log.start_offset(), Offset(0));
    }

    #[test]
    fn read_respects_bounds_and_max() {
        let log = log_of(10);
        let offsets = |rs: &[Record]| rs.iter().map(|r| r.offset.0).collect::<Vec<_>>();
        assert_eq!(offsets(log.read(Offset(2), Offset(5), 100)), [2, 3, 4]);
        assert_eq!(offsets(log.read(Offset(2), Offset(9), 2)), [2, 3]);
        assert!(log.read(Offset(7), Offset(3), 10).is_empty());
        assert!(log.read(Offset(20), Offset(30), 10).is_empty());
    }
}
