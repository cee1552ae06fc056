//! Committed offsets, as Kafka keeps them in `__consumer_offsets`: per group and partition, the
//! next offset to read (last processed + 1). They outlive the consumers that committed them.

use crate::sim::ids::{Offset, PartitionId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// group → topic → partition → committed offset.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsetStore {
    committed: BTreeMap<String, BTreeMap<String, BTreeMap<PartitionId, Offset>>>,
}

impl OffsetStore {
    pub fn committed(&self, group: &str, topic: &str, partition: PartitionId) -> Option<Offset> {
        self.committed
            .get(group)?
            .get(topic)?
            .get(&partition)
            .copied()
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
        offset: Offset,
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
