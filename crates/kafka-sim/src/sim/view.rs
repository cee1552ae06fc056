//! A small read-only summary of the simulation for rendering: everything but the records
//! themselves, which the UI reads per partition with `Sim::records`.
use crate::sim::broker::{BrokerFaults, BrokerStatus};
use crate::sim::consumer::Consumer;
use crate::sim::consumer_membership::ClientMemberState;
use crate::sim::coordinator::{Group, offsets_partition};
use crate::sim::coordinator::{GroupState, MemberState};
use crate::sim::engine::Sim;
use crate::sim::ids::{BrokerId, ControllerId, LeaderEpoch, Offset, PartitionId};
use crate::sim::log::{Control, Record};
use crate::sim::metrics::MetricReading;
use crate::sim::names::Named;
use crate::sim::ordered::Map;
use crate::sim::ordered::{map_of, set_of, sort};
use crate::sim::partition::in_aborted_transaction;
use crate::sim::producer::ProducerStats;
use crate::sim::transaction::TransactionState;
use crate::sim::types::{Acks, GroupProtocol, Subscription, TopicPartition, describe};
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimView {
    pub now_ms: u64,
    pub brokers: Vec<BrokerView>,
    pub topics: Vec<TopicView>,
    pub producers: Vec<ProducerView>,
    pub consumers: Vec<ConsumerView>,
    pub groups: Vec<GroupView>,
    /// Every JMX metric the Metrics tab shows, now (`metrics.rs`).
    pub metrics: MetricReading,
    pub quorum: QuorumView,
}

/// The KRaft controllers, as the broker strip shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuorumView {
    pub controllers: Vec<ControllerView>,
    /// Why no controller decides anything now, when none with a majority is active ("metadata
    /// frozen: ...").
    pub frozen: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControllerView {
    pub id: ControllerId,
    /// Its Raft state: leader, follower, prospective, candidate, unattached, resigned or
    /// crashed.
    pub state: &'static str,
    pub epoch: u32,
    pub log_end: u64,
    /// The active controller.
    pub active: bool,
    pub running: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokerView {
    pub id: BrokerId,
    pub status: BrokerStatus,
    /// Crashed (or cut off from the controller) and not yet noticed: when the controller will
    /// fence it (its heartbeats missing for `broker.session.timeout.ms`). Until then it still
    /// counts as leader and in sync.
    /// `None` while no controller with a majority is active to fence it.
    pub fenced_at_ms: Option<u64>,
    /// `broker.rack`, if set.
    pub rack: Option<String>,
    /// Slow, or cut off from the controller or the clients (`network.rs`).
    pub faults: BrokerFaults,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicView {
    pub name: String,
    pub replication_factor: u32,
    pub min_insync_replicas: u32,
    pub unclean_leader_election: bool,
    pub partitions: Vec<PartitionView>,
}

impl TopicView {
    /// Partition `id` of the topic (the one place its number is an index).
    pub fn partition(&self, id: PartitionId) -> Option<&PartitionView> {
        self.partitions.get(id.0 as usize)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaView {
    pub broker: BrokerId,
    pub log_end: Offset,
    pub high_watermark: Offset,
    pub in_isr: bool,
    /// One of the partition's eligible leader replicas (KIP-966): out of the ISR, yet it holds
    /// every committed record and may lead if the ISR empties.
    pub in_elr: bool,
    /// False while its broker is down (crashed, fenced or decommissioned): it fetches nothing.
    pub online: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionView {
    pub id: PartitionId,
    /// `None` while offline.
    pub leader: Option<BrokerId>,
    pub leader_epoch: LeaderEpoch,
    pub replicas: Vec<ReplicaView>,
    pub isr: Vec<BrokerId>,
    /// The eligible leader replicas, and the last known leader kept while the ISR is empty
    /// (`kafka-topics.sh --describe`'s `Elr` and `LastKnownElr`).
    pub elr: Vec<BrokerId>,
    pub last_known_elr: Vec<BrokerId>,
    pub log_start: Offset,
    pub high_watermark: Offset,
    pub log_end: Offset,
    pub lost_records: u64,
    /// Records acknowledged to their producers and then truncated away (`network.rs`).
    pub acknowledged_lost: u64,
    /// Brokers cut off from the controller that still believe they lead it (zombie leaders).
    pub zombie_leaders: Vec<BrokerId>,
    /// The replicas an ongoing reassignment is adding and removing (both among `replicas`).
    pub adding: Vec<BrokerId>,
    pub removing: Vec<BrokerId>,
}

impl PartitionView {
    /// While a reassignment moves the partition, what the page marks on it: the brokers being
    /// added and removed; `None` otherwise.
    pub fn moving_note(&self) -> Option<String> {
        let ids = |brokers: &[BrokerId]| {
            brokers
                .iter()
                .map(|b| b.0.to_string())
                .collect::<Vec<_>>()
                .join(",")
        };
        let parts: Vec<String> = [("adding", &self.adding), ("removing", &self.removing)]
            .into_iter()
            .filter(|(_, brokers)| !brokers.is_empty())
            .map(|(what, brokers)| format!("{what} {}", ids(brokers)))
            .collect();
        (!parts.is_empty()).then(|| format!("reassigning: {}", parts.join(" · ")))
    }
}

impl PartitionView {
    /// What `replica` is to this partition, as the page draws it: "leader", "follower" (in
    /// sync), "eligible" (out of the ISR but one of its eligible leader replicas, KIP-966) or
    /// "out-of-sync".
    pub fn role_of(&self, replica: &ReplicaView) -> &'static str {
        if self.leader == Some(replica.broker) {
            "leader"
        } else if replica.in_isr {
            "follower"
        } else if replica.in_elr {
            "eligible"
        } else {
            "out-of-sync"
        }
    }
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
    pub buffered: Map<String, usize>,
    pub in_flight_requests: usize,
    pub stats: ProducerStats,
    /// `transactional.id`, if set.
    pub transactional_id: Option<String>,
    /// "no transaction", "transaction open", "committing", "aborting", aborted by the
    /// coordinator after transaction.timeout.ms, or fenced.
    pub transaction: &'static str,
    /// The producer id and epoch it writes with, for idempotent producers.
    pub producer_id: Option<String>,
    /// The rate generators feeding it.
    pub generators: Vec<GeneratorView>,
}

/// A generator: the application code calling `send()` at a steady rate.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GeneratorView {
    pub id: String,
    pub topic: String,
    pub rate_per_sec: u64,
    pub keys: String,
}

/// One assigned partition as a consumer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConsumerPartitionView {
    pub topic: String,
    pub partition: u32,
    /// The next offset it will read.
    pub position: Option<Offset>,
    /// Its group's committed offset.
    pub committed: Option<Offset>,
    /// The end it may read up to: the high watermark, or the LSO with read_committed.
    pub end: Offset,
    /// end − position (the consumer's records-lag metric).
    pub lag: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerView {
    pub id: String,
    pub group: String,
    pub member_id: Option<String>,
    pub subscription: String,
    pub subscribed_topics: Vec<String>,
    pub protocol: String,
    pub strategy: String,
    pub max_poll_records: u32,
    pub enable_auto_commit: bool,
    pub auto_commit_interval_ms: u64,
    pub auto_offset_reset: String,
    pub isolation_level: String,
    pub processing_ms_per_record: u64,
    pub partitions: Vec<ConsumerPartitionView>,
    /// Busy processing what it polled.
    pub busy: bool,
    pub delivered: u64,
    /// Why the consumer stopped polling, if it did.
    pub failed: Option<String>,
    /// `group.instance.id`: a static member.
    pub instance_id: Option<String>,
    /// Consumer protocol, subscribed: its membership as the client sees it.
    pub membership: Option<ClientMemberState>,
}

impl ConsumerView {
    /// The position in one partition, if assigned and known.
    pub fn position(&self, topic: &str, partition: u32) -> Option<Offset> {
        self.partitions
            .iter()
            .find(|p| p.topic == topic && p.partition == partition)
            .and_then(|p| p.position)
    }
}

/// A member of a group.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MemberView {
    pub id: String,
    pub client: String,
    /// What the client holds now.
    pub assigned: Vec<TopicPartition>,
    /// Consumer protocol: what the coordinator wants it to hold.
    pub target: Vec<TopicPartition>,
    /// When the coordinator gives up on it if no heartbeat comes first (`session.timeout.ms`
    /// after the last one): what a crashed consumer's member waits for.
    pub session_expires_at_ms: u64,
    /// `group.instance.id`: a static member.
    pub instance_id: Option<String>,
    /// Consumer protocol: its member epoch (-2 for a static member away) and where it is in
    /// reaching its target, as the coordinator tracks it.
    pub reconciliation: Option<Reconciliation>,
}

/// A consumer protocol member's progress toward its target, as its coordinator sees it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reconciliation {
    /// The member epoch; -2 (`LEAVE_GROUP_STATIC_MEMBER_EPOCH`) for a static member away.
    pub epoch: i64,
    pub state: MemberState,
    /// What it must give up before it catches up.
    pub revoking: Vec<TopicPartition>,
}

/// A partition a group has offsets for or reads.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GroupPartitionView {
    pub topic: String,
    pub partition: u32,
    /// The member reading it, if any.
    pub owner: Option<String>,
    pub committed: Option<Offset>,
    /// The high watermark ("LOG-END-OFFSET" of kafka-consumer-groups.sh).
    pub end: Offset,
    /// end − committed, unknown without a commit.
    pub lag: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupView {
    pub id: String,
    pub protocol: String,
    pub state: GroupState,
    /// Classic: the generation. Consumer protocol: the group epoch.
    pub generation: u32,
    /// Consumer protocol: the epoch of the target assignment (below the group epoch while the
    /// group is Assigning).
    pub assignment_epoch: Option<u32>,
    pub strategy: Option<String>,
    /// The leader of `offsets_partition`; `None` while it has no leader.
    pub coordinator: Option<BrokerId>,
    /// The group's `__consumer_offsets` partition.
    pub offsets_partition: u32,
    pub members: Vec<MemberView>,
    pub partitions: Vec<GroupPartitionView>,
    /// Sum of the known lags.
    pub lag: u64,
}

impl SimView {
    pub fn topic(&self, name: &str) -> Option<&TopicView> {
        self.topics.iter().find(|t| t.name == name)
    }

    /// How many partitions `broker` still believes it leads though the controller moved them.
    pub fn zombie_partitions(&self, broker: BrokerId) -> usize {
        self.topics
            .iter()
            .flat_map(|t| &t.partitions)
            .filter(|p| p.zombie_leaders.contains(&broker))
            .count()
    }

    /// The records acknowledged and then lost, over every partition of every topic.
    pub fn acknowledged_lost(&self) -> u64 {
        self.topics
            .iter()
            .flat_map(|t| &t.partitions)
            .map(|p| p.acknowledged_lost)
            .sum()
    }
}

impl GroupView {
    /// "generation 3" for a classic group; "group epoch 3 · target epoch 2" for a consumer
    /// protocol group, whose target lags its epoch while it is Assigning.
    pub fn epoch_text(&self) -> String {
        match self.assignment_epoch {
            None => format!("generation {}", self.generation),
            Some(target) => format!("group epoch {} · target epoch {target}", self.generation),
        }
    }
}

impl MemberView {
    /// A consumer protocol member's progress as the coordinator sees it: "epoch 2 STABLE",
    /// "epoch 1 UNREVOKED_PARTITIONS, revoking orders-1", "epoch -2 (away)"; None for a classic
    /// member.
    pub fn reconciliation_text(&self) -> Option<String> {
        let r = self.reconciliation.as_ref()?;
        if r.epoch < 0 {
            return Some(format!("epoch {} (away)", r.epoch));
        }
        let mut text = format!("epoch {} {}", r.epoch, r.state);
        if !r.revoking.is_empty() {
            let revoking: Vec<String> = r.revoking.iter().map(ToString::to_string).collect();
            text.push_str(&format!(", revoking {}", revoking.join(", ")));
        }
        Some(text)
    }
}

/// Everything the record inspector shows about one record in the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordDetail {
    pub record: Arc<Record>,
    /// Below the high watermark: on every in-sync replica, so consumers may read it (an
    /// acks=all producer has had its acknowledgement).
    pub below_high_watermark: bool,
    /// The brokers whose replica holds this very record (same offset and leader epoch).
    pub on_brokers: Vec<BrokerId>,
    pub transaction: RecordTransaction,
    /// The acks setting of the producer that wrote it (`None` once that producer is gone).
    pub acks: Option<Acks>,
}

/// Where a record stands in a transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordTransaction {
    /// Written outside any transaction.
    None,
    /// Its transaction has not ended: read_committed consumers wait at the LSO before it.
    Open,
    Committed,
    /// read_committed consumers skip it.
    Aborted,
    /// A commit or abort marker (a control record no consumer is given).
    Marker(Control),
}

impl Sim {
    /// The record at `offset` of the partition's log, with its replication and transaction
    /// state; `None` when no record has that offset (never written, deleted or compacted).
    pub fn record_detail(
        &self,
        topic: &str,
        partition: PartitionId,
        offset: Offset,
    ) -> Option<RecordDetail> {
        let p = self.partition(topic, partition)?;
        let record = self.records(topic, partition).at_offset(offset)?.clone();
        let mut on_brokers: Vec<BrokerId> = p
            .replicas
            .iter()
            .filter(|replica| {
                replica
                    .log
                    .get(offset)
                    .is_some_and(|r| r.leader_epoch == record.leader_epoch)
            })
            .map(|replica| replica.broker)
            .collect();
        sort(&mut on_brokers);
        let producer = record.sequence.map(|(producer, _)| producer);
        let transaction = match record.control {
            Some(control) => RecordTransaction::Marker(control),
            None if !record.transactional => RecordTransaction::None,
            None if in_aborted_transaction(&p.aborted, &record) => RecordTransaction::Aborted,
            None if producer
                .and_then(|id| p.open_transactions.get(&id))
                .is_some_and(|first| *first <= offset) =>
            {
                RecordTransaction::Open
            }
            None => RecordTransaction::Committed,
        };
        Some(RecordDetail {
            below_high_watermark: offset < p.high_watermark(),
            on_brokers,
            transaction,
            acks: self
                .producers
                .get(record.producer.as_ref())
                .map(|producer| producer.config.acks),
            record,
        })
    }

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
                    fenced_at_ms: self.fenced_at_ms(b),
                    faults: b.faults,
                    rack: b.rack.clone(),
                })
                .collect(),
            topics: self
                .topics
                .values()
                .map(|t| TopicView {
                    name: t.name.clone(),
                    // Kafka's tools count a moving partition's replicas without those being
                    // added (`TopicCommand.getReplicationFactor`).
                    replication_factor: t.partitions.first().map_or(0, |p| {
                        (p.assignment.len() - p.adding_replicas.len()) as u32
                    }),
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
                                    in_elr: p.in_elr(r.broker),
                                    online: self
                                        .brokers
                                        .get(&r.broker)
                                        .is_some_and(|b| b.is_running()),
                                })
                                .collect(),
                            isr: p.isr.clone(),
                            elr: p.elr.clone(),
                            last_known_elr: p.last_known_elr.clone(),
                            log_start: p.log_start(),
                            high_watermark: p.high_watermark(),
                            log_end: p.log_end(),
                            lost_records: p.lost_records,
                            acknowledged_lost: p.acknowledged_losses.count,
                            zombie_leaders: p
                                .replicas
                                .iter()
                                .map(|r| r.broker)
                                .filter(|b| {
                                    p.zombie_leadership(*b, self.cut_from_controller_at(*b))
                                        .is_some()
                                })
                                .collect(),
                            adding: p.adding_replicas.clone(),
                            removing: p.removing_replicas.clone(),
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
                    partitioner: p.config.partitioner.label().to_owned(),
                    buffered: map_of(
                        p.queues
                            .iter()
                            .flat_map(|(topic, queues)| {
                                queues.iter().map(move |(partition, queue)| {
                                    (
                                        format!("{topic}-{partition}"),
                                        queue.iter().map(|b| b.len()).sum::<usize>(),
                                    )
                                })
                            })
                            .filter(|(_, n)| *n > 0),
                    ),
                    in_flight_requests: self
                        .in_flight
                        .iter()
                        .filter(|r| r.producer == p.id)
                        .count(),
                    stats: p.stats.clone(),
                    transactional_id: p.config.transactional_id.clone(),
                    transaction: match &p.transaction {
                        TransactionState::Ready => "no transaction",
                        TransactionState::Open { .. } => "transaction open",
                        TransactionState::Ending {
                            outcome: Control::Commit,
                            ..
                        } => "committing",
                        TransactionState::Ending {
                            outcome: Control::Abort,
                            ..
                        }
                        | TransactionState::TimedOut { aborting: true, .. } => "aborting",
                        TransactionState::TimedOut {
                            aborting: false, ..
                        } => "aborted by the coordinator (transaction.timeout.ms): call abortTransaction()",
                        TransactionState::Fenced { .. } => {
                            "FENCED: another producer took its transactional.id (ProducerFencedException, fatal): close it"
                        }
                    },
                    producer_id: p.producer_id.map(|id| {
                        format!("producer id {}, epoch {}", id.0, p.epoch)
                    }),
                    generators: self
                        .generators
                        .values()
                        .filter(|g| g.producer == p.id)
                        .map(|g| GeneratorView {
                            id: g.id.clone(),
                            topic: g.topic.clone(),
                            rate_per_sec: g.rate_per_sec,
                            keys: g.keys.to_string(),
                        })
                        .collect(),
                })
                .collect(),
            consumers: self
                .consumers
                .values()
                .map(|c| self.consumer_view(c))
                .collect(),
            groups: self.groups.values().map(|g| self.group_view(g)).collect(),
            metrics: self.metric_reading(),
            quorum: self.quorum_view(),
        }
    }

    fn quorum_view(&self) -> QuorumView {
        let active = self.quorum.active_controller();
        QuorumView {
            controllers: self
                .quorum
                .voters()
                .map(|v| ControllerView {
                    id: v.id,
                    state: v.state_name(),
                    epoch: v.epoch,
                    log_end: v.log.end_offset(),
                    active: active == Some(v.id),
                    running: v.is_running(),
                })
                .collect(),
            frozen: (!self.quorum.has_majority()).then(|| self.frozen_reason()),
        }
    }

    fn consumer_view(&self, c: &Consumer) -> ConsumerView {
        let partitions = c
            .assigned
            .iter()
            .map(|tp| {
                let (end, lag) = self.consumer_lag(c, tp);
                let position = c.position(tp);
                ConsumerPartitionView {
                    topic: tp.topic.clone(),
                    partition: tp.partition.0,
                    position,
                    committed: self
                        .offsets
                        .committed(&c.config.group_id, &tp.topic, tp.partition),
                    end,
                    lag,
                }
            })
            .collect();
        let subscribed_topics = match &c.subscription {
            Subscription::Topics(topics) => topics.clone(),
            Subscription::Partitions(partitions) => {
                set_of(partitions.iter().map(|tp| tp.topic.clone()))
                    .into_iter()
                    .collect()
            }
        };
        ConsumerView {
            id: c.id.clone(),
            group: c.config.group_id.clone(),
            member_id: c.member_id.clone(),
            subscription: describe(&c.subscription),
            subscribed_topics,
            protocol: protocol_name(c.config.group_protocol),
            strategy: c.config.strategy.name().to_owned(),
            max_poll_records: c.config.max_poll_records,
            enable_auto_commit: c.config.enable_auto_commit,
            auto_commit_interval_ms: c.config.auto_commit_interval_ms,
            auto_offset_reset: c.config.auto_offset_reset.to_string(),
            isolation_level: c.config.isolation_level.name().to_owned(),
            processing_ms_per_record: c.config.processing_ms_per_record,
            partitions,
            busy: c.busy_until_ms > self.now_ms,
            delivered: c.delivered,
            failed: c.failed.clone(),
            instance_id: c.instance_id.clone(),
            membership: (c.config.group_protocol != GroupProtocol::Classic && c.subscribed())
                .then_some(c.membership),
        }
    }

    fn group_view(&self, g: &Group) -> GroupView {
        let consumer_protocol = g.protocol != GroupProtocol::Classic;
        let owners: Map<TopicPartition, String> = map_of(
            self.consumers
                .values()
                .filter(|c| c.config.group_id == g.id && c.member_id.is_some())
                .flat_map(|c| {
                    let member = c.member_id.clone().unwrap_or_default();
                    c.assigned
                        .iter()
                        .map(move |tp| (tp.clone(), member.clone()))
                }),
        );
        let mut topics = set_of(self.offsets.topics_of(&g.id));
        for member in g.members.values() {
            topics.extend(member.topics.iter().cloned());
        }
        let owners = &owners;
        let partitions: Vec<GroupPartitionView> = topics
            .iter()
            .filter_map(|t| self.topics.get(t))
            .flat_map(|t| {
                t.partitions.iter().map(move |p| {
                    let committed = self.offsets.committed(&g.id, &t.name, p.id);
                    let end = p.high_watermark();
                    GroupPartitionView {
                        topic: t.name.clone(),
                        partition: p.id.0,
                        owner: owners.get(&TopicPartition::new(&t.name, p.id)).cloned(),
                        committed,
                        end,
                        lag: committed.map(|c| end.0.saturating_sub(c.0)),
                    }
                })
            })
            .collect();
        GroupView {
            id: g.id.clone(),
            protocol: protocol_name(g.protocol),
            state: g.state,
            generation: g.generation,
            assignment_epoch: consumer_protocol.then_some(g.assignment_epoch),
            strategy: g.strategy.map(|s| s.name().to_owned()),
            coordinator: self.coordinator(&g.id),
            offsets_partition: offsets_partition(&g.id),
            members: g
                .members
                .values()
                .map(|m| MemberView {
                    id: m.id.clone(),
                    client: m.client.clone(),
                    assigned: self
                        .consumers
                        .get(&m.client)
                        .filter(|c| c.member_id.as_deref() == Some(m.id.as_str()))
                        .map(|c| c.assigned.clone())
                        .unwrap_or_default(),
                    target: g.assignment.get(&m.id).cloned().unwrap_or_default(),
                    session_expires_at_ms: m.last_heartbeat_ms + m.session_timeout_ms,
                    instance_id: m.instance_id.clone(),
                    reconciliation: consumer_protocol.then(|| Reconciliation {
                        epoch: if m.away { -2 } else { i64::from(m.epoch) },
                        state: m.state,
                        revoking: m.revoking.clone(),
                    }),
                })
                .collect(),
            lag: partitions.iter().filter_map(|p| p.lag).sum(),
            partitions,
        }
    }
}

/// `classic`, or `consumer` with its server-side assignor.
fn protocol_name(protocol: GroupProtocol) -> String {
    match protocol {
        GroupProtocol::Classic => protocol.name().to_owned(),
        GroupProtocol::Consumer { assignor } => {
            format!("{} ({} assignor)", protocol.name(), assignor.name())
        }
    }
}
