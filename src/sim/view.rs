//! A small read-only summary of the simulation for rendering: everything but the records
//! themselves, which the UI reads per partition with `Sim::records`.

use crate::sim::ids::{BrokerId, Offset, PartitionId};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimView {
    pub now_ms: u64,
    pub brokers: Vec<BrokerId>,
    pub topics: Vec<TopicView>,
    pub consumers: Vec<ConsumerView>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicView {
    pub name: String,
    pub partitions: Vec<PartitionView>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionView {
    pub id: PartitionId,
    pub leader: BrokerId,
    pub replicas: Vec<BrokerId>,
    pub log_start: Offset,
    pub high_watermark: Offset,
    pub log_end: Offset,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerView {
    pub id: String,
    pub group: String,
    pub topic: String,
    pub max_poll_records: u32,
    pub enable_auto_commit: bool,
    pub auto_commit_interval_ms: u64,
    pub auto_offset_reset: String,
    pub positions: BTreeMap<PartitionId, Offset>,
    pub committed: BTreeMap<PartitionId, Offset>,
    /// Why the consumer stopped polling, if it did.
    pub failed: Option<String>,
}

impl SimView {
    pub fn topic(&self, name: &str) -> Option<&TopicView> {
        self.topics.iter().find(|t| t.name == name)
    }
}
