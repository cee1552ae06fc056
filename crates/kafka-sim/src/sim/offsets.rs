//! Committed offsets, as Kafka keeps them in `__consumer_offsets`: per group and partition, the
//! next offset to read (last processed + 1). They outlive the consumers that committed them.
use crate::sim::ids::{LeaderEpoch, Offset, PartitionId};
use crate::sim::ordered::{Map, ValuesMut};
use serde::{Deserialize, Serialize};

/// A committed offset, with the leader epoch of the last record consumed before it when the
/// committer knew it (OffsetCommit's `committedLeaderEpoch`, KIP-320): a consumer commits its
/// position's epoch (`SubscriptionState.allConsumed`), `--reset-offsets` none. The coordinator
/// stores it unchecked; a consumer starting from it validates it against the leader's log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommittedOffset {
    pub offset: Offset,
    pub leader_epoch: Option<LeaderEpoch>,
}

/// group → topic → partition → committed offset.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsetStore {
    committed: Map<String, Map<String, Map<PartitionId, CommittedOffset>>>,
}

impl OffsetStore {
    pub fn committed(&self, group: &str, topic: &str, partition: PartitionId) -> Option<Offset> {
        self.committed_offset(group, topic, partition)
            .map(|c| c.offset)
    }

    /// The committed offset with its leader epoch.
    pub fn committed_offset(
        &self,
        group: &str,
        topic: &str,
        partition: PartitionId,
    ) -> Option<CommittedOffset> {
        self.committed
            .get(group)?
            .get(topic)?
            .get(&partition)
            .copied()
    }

    /// The topics a group has committed offsets for.
    pub fn topics_of(&self, group: &str) -> Vec<String> {
        self.committed
            .get(group)
            .map(|topics| topics.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Every committed offset of a group: topic → partition → offset.
    pub fn of_group(&self, group: &str) -> Option<&Map<String, Map<PartitionId, CommittedOffset>>> {
        self.committed.get(group)
    }

    /// Forgets a deleted group's offsets.
    pub fn remove_group(&mut self, group: &str) -> bool {
        self.committed.remove(group).is_some()
    }

    /// Forgets every group's offsets for a deleted topic.
    pub fn remove_topic(&mut self, topic: &str) {
        for topics in self.committed.values_mut() {
            topics.remove(topic);
        }
    }

    /// Stores `offset` and says whether it differs from what was committed before.
    pub fn commit(
        &mut self,
        group: &str,
        topic: &str,
        partition: PartitionId,
        offset: CommittedOffset,
    ) -> bool {
        let previous = self
            .committed
            .entry(group.to_owned())
            .or_default()
            .entry(topic.to_owned())
            .or_default()
            .insert(partition, offset);
        previous != Some(offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `offset`, committed without a leader epoch.
    fn at(offset: u64) -> CommittedOffset {
        CommittedOffset {
            offset: Offset(offset),
            leader_epoch: None,
        }
    }

    fn store() -> OffsetStore {
        let mut store = OffsetStore::default();
        store.commit("g", "orders", PartitionId(0), at(5));
        store.commit("g", "payments", PartitionId(1), at(2));
        store.commit("h", "orders", PartitionId(0), at(9));
        store
    }

    #[test]
    fn a_commit_is_per_group_topic_and_partition_and_says_whether_it_moved() {
        let mut store = store();
        assert_eq!(
            store.committed("g", "orders", PartitionId(0)),
            Some(Offset(5))
        );
        assert_eq!(
            store.committed("h", "orders", PartitionId(0)),
            Some(Offset(9))
        );
        assert_eq!(store.committed("g", "orders", PartitionId(1)), None);
        assert!(
            !store.commit("g", "orders", PartitionId(0), at(5)),
            "the same offset again"
        );
        assert!(
            store.commit("g", "orders", PartitionId(0), at(3)),
            "a commit may move back"
        );
        assert_eq!(
            store.committed("g", "orders", PartitionId(0)),
            Some(Offset(3))
        );
        let with_epoch = CommittedOffset {
            offset: Offset(3),
            leader_epoch: Some(LeaderEpoch(2)),
        };
        assert!(
            store.commit("g", "orders", PartitionId(0), with_epoch),
            "the same offset with the epoch it was read in"
        );
        assert_eq!(
            store.committed_offset("g", "orders", PartitionId(0)),
            Some(with_epoch)
        );
    }

    #[test]
    fn offsets_outlive_consumers_until_their_group_or_topic_is_deleted() {
        let mut store = store();
        assert_eq!(store.topics_of("g"), vec!["orders", "payments"]);
        store.remove_topic("orders");
        assert_eq!(store.topics_of("g"), vec!["payments"]);
        assert_eq!(store.committed("h", "orders", PartitionId(0)), None);
        assert!(store.remove_group("g"));
        assert!(!store.remove_group("g"), "already gone");
        assert_eq!(store.of_group("g"), None);
        assert!(store.topics_of("g").is_empty());
    }
}
