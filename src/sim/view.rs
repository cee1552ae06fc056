//! A small read-only summary of the simulation for rendering: everything but the records
//! themselves, which the UI reads per partition with `Sim::records`.

use crate::sim::broker::BrokerStatus;
use crate::sim::engine::Sim;
use crate::sim::ids::{BrokerId, LeaderEpoch, Offset, PartitionId};
use crate::sim::producer::ProducerStats;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimView {
    pub now_ms: u64,
    pub brokers: Vec<BrokerView>,
    pub topics: Vec<TopicView>,
    pub producers: Vec<ProducerView>,
    pub consumers: Vec<ConsumerView>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokerView {
    pub id: BrokerId,
    pub status: BrokerStatus,
    pub controller: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicView {
    pub name: String,
    pub replication_factor: u32,
    pub min_insync_replicas: u32,
    pub unclean_leader_election: bool,
    pub partitions: Vec<PartitionView>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaView {
    pub broker: BrokerId,
    pub log_end: Offset,
    pub high_watermark: Offset,
    pub in_isr: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionView {
    pub id: PartitionId,
    /// `None` while offline.
    pub leader: Option<BrokerId>,
    pub leader_epoch: LeaderEpoch,
    pub replicas: Vec<ReplicaView>,
    pub isr: Vec<BrokerId>,
    pub log_start: Offset,
    pub high_watermark: Offset,
    pub log_end: Offset,
    pub lost_records: u64,
    pub reassigning_to: Option<Vec<BrokerId>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProducerView {
    pub id: String,
    pub acks: String,
    pub linger_ms: u64,
    pub batch_size: u64,
    pub enable_idempotence: bool,
    pub partitioner: String,
    /// Records waiting in batches, per topic-partition name.
    pub buffered: BTreeMap<String, usize>,
    pub in_flight_requests: usize,
    pub stats: ProducerStats,
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

impl Sim {
    /// A read-only summary for rendering.
    pub fn view(&self) -> SimView {
        SimView {
            now_ms: self.now_ms,
            brokers: self
                .brokers
                .values()
                .map(|b| BrokerView {
                    id: b.id,
                    status: b.status,
                    controller: self.controller == Some(b.id),
                })
                .collect(),
            topics: self
                .topics
                .values()
                .map(|t| TopicView {
                    name: t.name.clone(),
                    replication_factor: t
                        .partitions
                        .first()
                        .map_or(0, |p| p.assignment.len() as u32),
                    min_insync_replicas: t.config.min_insync_replicas,
                    unclean_leader_election: t.config.unclean_leader_election_enable,
                    partitions: t
                        .partitions
                        .iter()
                        .map(|p| PartitionView {
                            id: p.id,
                            leader: p.leader,
                            leader_epoch: p.leader_epoch,
                            replicas: p
                                .assignment
                                .iter()
                                .filter_map(|b| p.replica(*b))
                                .map(|r| ReplicaView {
                                    broker: r.broker,
                                    log_end: r.log.end_offset(),
                                    high_watermark: r.high_watermark,
                                    in_isr: p.in_isr(r.broker),
                                })
                                .collect(),
                            isr: p.isr.clone(),
                            log_start: p.log_start(),
                            high_watermark: p.high_watermark(),
                            log_end: p.log_end(),
                            lost_records: p.lost_records,
                            reassigning_to: p.reassigning_to.clone(),
                        })
                        .collect(),
                })
                .collect(),
            producers: self
                .producers
                .values()
                .map(|p| ProducerView {
                    id: p.id.clone(),
                    acks: p.config.acks.to_string(),
                    linger_ms: p.config.linger_ms,
                    batch_size: p.config.batch_size,
                    enable_idempotence: p.config.enable_idempotence,
                    partitioner: p.config.partitioner.name().to_owned(),
                    buffered: p
                        .queues
                        .iter()
                        .flat_map(|(topic, queues)| {
                            queues.iter().map(move |(partition, queue)| {
                                (
                                    format!("{topic}-{partition}"),
                                    queue.iter().map(|b| b.len()).sum::<usize>(),
                                )
                            })
                        })
                        .filter(|(_, n)| *n > 0)
                        .collect(),
                    in_flight_requests: self
                        .in_flight
                        .iter()
                        .filter(|r| r.producer == p.id)
                        .count(),
                    stats: p.stats.clone(),
                })
                .collect(),
            consumers: self
                .consumers
                .values()
                .map(|c| ConsumerView {
                    id: c.id.clone(),
                    group: c.config.group_id.clone(),
                    topic: c.topic.clone(),
                    max_poll_records: c.config.max_poll_records,
                    enable_auto_commit: c.config.enable_auto_commit,
                    auto_commit_interval_ms: c.config.auto_commit_interval_ms,
                    auto_offset_reset: c.config.auto_offset_reset.to_string(),
                    positions: c.positions.clone(),
                    committed: self.topics.get(&c.topic).map_or_else(BTreeMap::new, |t| {
                        t.partitions
                            .iter()
                            .filter_map(|p| {
                                self.offsets
                                    .committed(&c.config.group_id, &c.topic, p.id)
                                    .map(|o| (p.id, o))
                            })
                            .collect()
                    }),
                    failed: c.failed.as_ref().map(ToString::to_string),
                })
                .collect(),
        }
    }
}
