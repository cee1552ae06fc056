//! A partition: its replica list, its leader and the leader's log with its high watermark.
//!
//! Simplification for now: every topic has replication factor 1, so the leader's log is the
//! only copy and the high watermark moves with the log end offset.

use crate::sim::ids::{BrokerId, Offset, PartitionId};
use crate::sim::log::Log;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partition {
    pub id: PartitionId,
    /// Assigned replicas, preferred leader first.
    pub replicas: Vec<BrokerId>,
    pub leader: BrokerId,
    pub log: Log,
    /// Consumers read only below this offset.
    pub high_watermark: Offset,
}

impl Partition {
    pub fn new(id: PartitionId, replicas: Vec<BrokerId>) -> Partition {
        let leader = replicas.first().copied().unwrap_or(BrokerId(0));
        Partition {
            id,
            replicas,
            leader,
            log: Log::default(),
            high_watermark: Offset(0),
        }
    }
}
