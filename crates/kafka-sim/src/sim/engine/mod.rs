//! `Sim`: the whole simulated cluster, driven by commands and a virtual clock. Pure and
//! deterministic: the same config, seed and commands give the same state, natively and in wasm.
//! This file holds the state, `apply` and the clock (`tick`). The engine is the top layer: the
//! concept modules (`sim/*.rs`, `sim/coordinator/`) own their data and behaviour, and the files
//! here route commands, requests and the clock between them, each one for one concern:
//!
//! - `admin.rs`: topics created, deleted, grown and reconfigured (`kafka-topics.sh`,
//!   `kafka-configs.sh`).
//! - `consumers.rs`: consumers added, subscribed, polled, committed, closed; their heartbeats
//!   routed to the coordinator.
//! - `controller.rs`: brokers joining, crashing, fenced and back; leader elections; the
//!   controller's periodic leader balance and unclean election checks.
//! - `network.rs`: brokers slowed, cut off from the controller or the clients, and healed;
//!   the leader a producer believes in; acknowledged records a truncation loses.
//! - `groups.rs`: requests to the group coordinators and their hand-outs to the clients.
//! - `metrics.rs`: the brokers' meters counted from each step's events; the metrics' reading.
//! - `offsets.rs`: `--reset-offsets` on the committed offsets.
//! - `quorum.rs`: the KRaft controller quorum: controllers crashed and restarted, its tick,
//!   the metadata changes it logs, and the refusal of controller work without a majority.
//! - `produce.rs`: the producer-side commands: add a producer, `send()`, `flush()`,
//!   generators.
//! - `reassignment.rs`: partition reassignments started, completed and cancelled
//!   (`kafka-reassign-partitions.sh`).
//! - `replication.rs`: followers fetching each tick, ISR shrinks.
//! - `retention.rs`: retention and the log cleaner, every `log.retention.check.interval.ms`.
//! - `sender.rs`: the producers' requests in flight and the leader's produce handling: acks,
//!   retries, idempotence.
//! - `shutdown.rs`: a broker leaving the ISRs (fenced, in a controlled shutdown, back from an
//!   unclean shutdown) and the eligible leader replicas that follow.
//! - `transactions.rs`: transactions (KIP-98) begun, committed, aborted, and their markers.

mod admin;
mod consumers;
mod controller;
mod groups;
mod metrics;
mod network;
mod offsets;
mod produce;
mod quorum;
mod reassignment;
mod replication;
mod retention;
mod sender;
mod shutdown;
mod transactions;
use crate::sim::broker::Broker;
use crate::sim::command::{Command, Outcome};
use crate::sim::consumer::Consumer;
use crate::sim::coordinator::Group;
use crate::sim::error::{SimError, cut};
use crate::sim::event::{Event, EventQueue, TimedEvent};
use crate::sim::generator::Generator;
use crate::sim::ids::{BrokerId, Offset, PartitionId};
use crate::sim::kraft::{Quorum, VOTER_COUNTS};
use crate::sim::log::Records;
use crate::sim::log::{Control, SegmentRules};
use crate::sim::metrics::Meters;
use crate::sim::offsets::OffsetStore;
use crate::sim::offsets_topic::OffsetsTopic;
use crate::sim::ordered::{Map, Set, map_of, set_of};
use crate::sim::partition::{Partition, ReplicationSettings};
use crate::sim::producer::Producer;
use crate::sim::sender::ProduceRequest;
use crate::sim::topic::Topic;
use crate::sim::topic_config::TopicConfig;
use crate::sim::transaction::TransactionalId;
use crate::sim::types::{MAX_BROKERS, TopicPartition};
use admin::Placement;
use controller::ControllerChecks;
use rand::SeedableRng;
use rand_pcg::Pcg32;
use serde::{Deserialize, Serialize};
use std::hash::Hasher;

/// Cluster-wide settings, with Kafka's broker config names. Serialized by serde's derive, read
/// through `share.rs`, which also reads the older formats' spelling (without `controllers`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct SimConfig {
    /// Number of brokers at the start, ids 1..=brokers.
    pub brokers: u32,
    /// Virtual milliseconds one `tick()` advances.
    pub tick_ms: u64,
    /// `replica.lag.time.max.ms` (30000).
    pub replica_lag_time_max_ms: u64,
    /// `broker.session.timeout.ms` (9000).
    pub broker_session_timeout_ms: u64,
    /// `replica.fetch.max.bytes` (1 MiB).
    pub replica_fetch_max_bytes: u64,
    /// `log.retention.check.interval.ms` (300000): how often retention and the log cleaner run.
    pub log_retention_check_interval_ms: u64,
    /// How many KRaft controllers (voters of `controller.quorum.voters`) the cluster has: 1, 3
    /// or 5, chosen when it is created (a scenario's, a link's or a lesson's setting).
    pub controllers: u32,
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig {
            brokers: 3,
            tick_ms: 100,
            replica_lag_time_max_ms: 30_000,
            broker_session_timeout_ms: 9_000,
            replica_fetch_max_bytes: 1_048_576,
            log_retention_check_interval_ms: 300_000,
            controllers: 3,
        }
    }
}

impl SimConfig {
    fn validate(&self) -> Result<(), SimError> {
        if !(1..=MAX_BROKERS).contains(&self.brokers) {
            return Err(SimError::InvalidBrokerCount {
                requested: self.brokers,
            });
        }
        if !VOTER_COUNTS.contains(&self.controllers) {
            return Err(SimError::InvalidClusterSetting {
                setting: "controllers".to_owned(),
                requested: u64::from(self.controllers),
                reason: "a controller quorum has 1, 3 or 5 controllers".to_owned(),
            });
        }
        let check = |setting: &str, value: u64, range: std::ops::RangeInclusive<u64>| {
            if range.contains(&value) {
                Ok(())
            } else {
                Err(SimError::InvalidClusterSetting {
                    setting: setting.to_owned(),
                    requested: value,
                    reason: format!("must be {} to {}", range.start(), range.end()),
                })
            }
        };
        check("tick_ms", self.tick_ms, 1..=60_000)?;
        check(
            "replica.lag.time.max.ms",
            self.replica_lag_time_max_ms,
            1..=3_600_000,
        )?;
        check(
            "broker.session.timeout.ms",
            self.broker_session_timeout_ms,
            1..=3_600_000,
        )?;
        check(
            "replica.fetch.max.bytes",
            self.replica_fetch_max_bytes,
            1..=1 << 30,
        )?;
        check(
            "log.retention.check.interval.ms",
            self.log_retention_check_interval_ms,
            1..=3_600_000,
        )
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sim {
    pub(crate) config: SimConfig,
    pub(crate) seed: u64,
    /// Every random choice but replica placement (sticky partitions, generated keys) draws
    /// from here, so the seed decides them.
    pub(crate) rng: Pcg32,
    /// How many placements (topics created, partitions added) there have been: placement n
    /// draws from `placement_rng(seed, n)`, a stream of its own.
    pub(crate) placements: u64,
    pub(crate) now_ms: u64,
    pub(crate) brokers: Map<BrokerId, Broker>,
    pub(crate) controller_checks: ControllerChecks,
    pub(crate) topics: Map<String, Topic>,
    pub(crate) producers: Map<String, Producer>,
    pub(crate) next_producer_id: u64,
    /// The transaction coordinator's producer id and epoch per `transactional.id`.
    pub(crate) transactional_ids: Map<String, TransactionalId>,
    pub(crate) in_flight: Vec<ProduceRequest>,
    pub(crate) generators: Map<String, Generator>,
    pub(crate) consumers: Map<String, Consumer>,
    pub(crate) groups: Map<String, Group>,
    pub(crate) next_member_id: u64,
    pub(crate) last_log_check_ms: u64,
    pub(crate) offsets: OffsetStore,
    /// `__consumer_offsets`, once the first FindCoordinator created it.
    pub(crate) offsets_topic: Option<OffsetsTopic>,
    /// The brokers' JMX meters (`metrics.rs`).
    pub(crate) meters: Meters,
    /// The KRaft controllers, which elect the active controller.
    pub(crate) quorum: Quorum,
    /// Not part of the state: what happened since the last `drain_events`.
    #[serde(skip)]
    pub(crate) events: EventQueue,
}

impl Sim {
    pub fn new(config: SimConfig, seed: u64) -> Result<Sim, SimError> {
        config.validate()?;
        let brokers =
            map_of((1..=config.brokers).map(|id| (BrokerId(id), Broker::new(BrokerId(id), None))));
        Ok(Sim {
            quorum: Quorum::new(config.controllers),
            brokers,
            controller_checks: ControllerChecks::default(),
            config,
            seed,
            rng: Pcg32::seed_from_u64(seed),
            placements: 0,
            now_ms: 0,
            topics: Map::new(),
            producers: Map::new(),
            next_producer_id: 1000,
            transactional_ids: Map::new(),
            in_flight: Vec::new(),
            generators: Map::new(),
            consumers: Map::new(),
            groups: Map::new(),
            next_member_id: 0,
            last_log_check_ms: 0,
            offsets: OffsetStore::default(),
            offsets_topic: None,
            meters: Meters::default(),
            events: EventQueue::default(),
        })
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Virtual time in ms.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// Carries out one command. On `Err` nothing has changed.
    pub fn apply(&mut self, command: Command) -> Result<Outcome, SimError> {
        self.check_controller_for(&command)?;
        let seen = self.events.waiting().len();
        let outcome = self.route(command);
        self.count_meters(seen);
        if outcome.is_ok() {
            self.record_metadata(seen);
        }
        outcome
    }

    fn route(&mut self, command: Command) -> Result<Outcome, SimError> {
        match command {
            Command::AddBroker => self.add_broker(None),
            Command::CrashBroker { broker } => self.crash_broker(broker),
            Command::RestartBroker { broker } => self.restart_broker(broker),
            Command::DecommissionBroker { broker } => self.decommission_broker(broker),
            Command::CreateTopic {
                name,
                partitions,
                replication_factor,
                configs,
            } => self.create_topic(
                name,
                Placement::Counts {
                    partitions,
                    replication_factor,
                },
                &configs,
            ),
            Command::CreateTopicWithAssignment {
                name,
                assignment,
                configs,
            } => self.create_topic(name, Placement::Manual(assignment), &configs),
            Command::DeleteTopic { topic } => self.delete_topic(&topic),
            Command::AddPartitions { topic, partitions } => {
                self.add_partitions(&topic, partitions, None)
            }
            Command::AddPartitionsWithAssignment {
                topic,
                partitions,
                assignment,
            } => self.add_partitions(&topic, partitions, Some(assignment)),
            Command::AlterTopicConfig { topic, key, value } => {
                self.alter_topic_config(&topic, &key, value.as_deref())
            }
            Command::ReassignPartition {
                topic,
                partition,
                replicas,
            } => self.reassign_partition(&topic, partition, replicas),
            Command::ElectPreferredLeaders { topic } => {
                self.elect_preferred_leaders(topic.as_deref())
            }
            Command::ElectLeaders {
                election,
                partitions,
            } => Ok(self.elect_leaders(election, partitions)),
            Command::AddProducer { producer, config } => self.add_producer(producer, config),
            Command::Produce {
                producer,
                topic,
                partition,
                key,
                value,
            } => self.produce(&producer, &topic, partition, key, value),
            Command::Flush { producer } => self.flush(&producer),
            Command::StartGenerator {
                generator,
                producer,
                topic,
                rate_per_sec,
                keys,
            } => self.start_generator(generator, producer, topic, rate_per_sec, keys),
            Command::StopGenerator { generator } => self.stop_generator(&generator),
            Command::BeginTransaction { producer } => self.begin_transaction(&producer),
            Command::CommitTransaction { producer } => {
                self.end_transaction(&producer, Control::Commit)
            }
            Command::AbortTransaction { producer } => {
                self.end_transaction(&producer, Control::Abort)
            }
            Command::AddConsumer {
                consumer,
                subscription,
                config,
            } => self.add_consumer(consumer, subscription, config, None),
            Command::Subscribe {
                consumer,
                subscription,
            } => self.change_subscription(&consumer, subscription),
            Command::Poll { consumer } => self.poll(&consumer),
            Command::Commit { consumer } => self.commit(&consumer),
            Command::Seek {
                consumer,
                topic,
                partition,
                offset,
            } => self.seek(&consumer, TopicPartition::new(topic, partition), offset),
            Command::CloseConsumer { consumer } => self.close_consumer(&consumer),
            Command::CrashConsumer { consumer } => self.crash_consumer(&consumer),
            Command::AddStaticConsumer {
                consumer,
                subscription,
                config,
                group_instance_id,
            } => self.add_consumer(consumer, subscription, config, Some(group_instance_id)),
            Command::RestartConsumer { consumer } => self.restart_consumer(&consumer),
            Command::DeleteGroup { group } => self.delete_group(&group),
            Command::ResetOffsets { group, topic, spec } => {
                self.reset_offsets(&group, topic.as_deref(), spec)
            }
            Command::ShutDownBroker { broker } => self.shut_down_broker(broker),
            Command::AddBrokerOnRack { rack } => self.add_broker(Some(rack)),
            Command::CancelReassignment { topic, partition } => {
                self.cancel_reassignment(&topic, partition)
            }
            Command::SlowBroker { broker } => self.slow_broker(broker),
            Command::IsolateBroker { broker, from } => self.isolate_broker(broker, from),
            Command::HealBroker { broker } => self.heal_broker(broker),
            Command::CrashController { controller } => self.crash_controller(controller),
            Command::RestartController { controller } => self.restart_controller(controller),
        }
    }

    /// Advances virtual time by one tick: the controllers elect and replicate, the active
    /// controller (with a majority) fences brokers it lost and runs its periodic checks (leader balance, unclean elections), generators and producers send,
    /// followers fetch, leaders shrink their ISRs and answer acks=all, the transaction
    /// coordinator aborts timed-out transactions, transactions end, retention and the log
    /// cleaner run when due, consumers heartbeat and
    /// poll, group coordinators move rebalances on.
    pub fn tick(&mut self) {
        let seen = self.events.waiting().len();
        self.now_ms += self.config.tick_ms;
        self.run_quorum();
        let first = self.events.waiting().len();
        self.fence_silent_brokers();
        self.run_controller_checks();
        self.run_generators();
        self.run_senders();
        self.replicate();
        // Kafka completes a waiting acks=all request as soon as the high watermark passes it.
        self.complete_requests();
        self.shrink_isrs();
        self.abort_timed_out_transactions();
        self.complete_transactions();
        self.complete_reassignments();
        self.run_log_maintenance();
        self.run_consumers();
        self.run_coordinators();
        self.count_meters(seen);
        self.record_metadata(first);
    }

    /// Ticks until virtual time reaches `t_ms`.
    pub fn advance_to(&mut self, t_ms: u64) {
        while self.now_ms < t_ms {
            self.tick();
        }
    }

    /// Reports `event` as happening now.
    pub(crate) fn emit(&mut self, event: Event) {
        self.events.push(self.now_ms, event);
    }

    /// The events since the last call, oldest first.
    pub fn drain_events(&mut self) -> Vec<TimedEvent> {
        self.events.drain()
    }

    /// The records written to the topics so far: the sum of every partition's log end offset.
    /// The timeline uses it to bound how many records its history keeps alive.
    pub fn records_written(&self) -> u64 {
        self.topics
            .values()
            .flat_map(|t| t.partitions.iter())
            .map(|p| p.log_end().0)
            .sum()
    }

    /// True when events wait to be drained.
    pub fn has_events(&self) -> bool {
        !self.events.is_empty()
    }

    /// The events waiting to be drained, oldest first, left for whoever drains them (the
    /// console reads what its own commands did without taking the events from the event log).
    pub fn waiting_events(&self) -> &[TimedEvent] {
        self.events.waiting()
    }

    /// The records consumers can see the end of: the leader's log (while offline, the longest
    /// log any replica has), oldest first; empty if there is no such partition.
    pub fn records(&self, topic: &str, partition: PartitionId) -> Records<'_> {
        self.partition(topic, partition)
            .and_then(|p| {
                p.leader_replica()
                    .or_else(|| p.replicas.iter().max_by_key(|r| r.log.end_offset()))
            })
            .map(|r| r.log.records())
            .unwrap_or_default()
    }

    /// The records of one replica (for the inspector, and to see what a lost record was).
    pub fn replica_records(
        &self,
        topic: &str,
        partition: PartitionId,
        broker: BrokerId,
    ) -> Records<'_> {
        self.partition(topic, partition)
            .and_then(|p| p.replica(broker))
            .map(|r| r.log.records())
            .unwrap_or_default()
    }

    pub fn partition(&self, topic: &str, partition: PartitionId) -> Option<&Partition> {
        self.topics.get(topic).and_then(|t| t.partition(partition))
    }

    /// How many partitions the topic has, if it exists.
    pub fn topic_partitions(&self, topic: &str) -> Option<usize> {
        self.topics.get(topic).map(|t| t.partitions.len())
    }

    pub fn topic_config(&self, topic: &str) -> Option<&TopicConfig> {
        self.topics.get(topic).map(|t| &t.config)
    }

    pub fn group(&self, group: &str) -> Option<&Group> {
        self.groups.get(group)
    }

    pub fn consumer(&self, consumer: &str) -> Option<&Consumer> {
        self.consumers.get(consumer)
    }

    pub fn committed(&self, group: &str, topic: &str, partition: PartitionId) -> Option<Offset> {
        self.offsets.committed(group, topic, partition)
    }

    pub fn broker(&self, broker: BrokerId) -> Option<&Broker> {
        self.brokers.get(&broker)
    }

    pub fn producer(&self, producer: &str) -> Option<&Producer> {
        self.producers.get(producer)
    }

    pub fn quorum(&self) -> &Quorum {
        &self.quorum
    }

    /// A stable hash of the whole state (FNV-1a of its postcard encoding): equal states hash
    /// equal, natively and in wasm.
    pub fn state_hash(&self) -> u64 {
        let mut hasher = fnv::FnvHasher::default();
        // Encoding plain data into memory cannot fail; an empty encoding would still hash.
        let bytes = postcard::to_allocvec(self).unwrap_or_default();
        hasher.write(&bytes);
        hasher.finish()
    }

    /// Brokers that may lead and be in an ISR: running ones.
    pub(crate) fn eligible_brokers(&self) -> Set<BrokerId> {
        set_of(
            self.brokers
                .values()
                .filter(|b| b.is_running())
                .map(|b| b.id),
        )
    }

    pub(crate) fn replication_settings(&self, topic: &str) -> ReplicationSettings {
        let config = self.topics.get(topic).map(|t| &t.config);
        ReplicationSettings {
            lag_max_ms: self.config.replica_lag_time_max_ms,
            fetch_max_bytes: self.config.replica_fetch_max_bytes,
            min_insync_replicas: config.map_or(1, |c| c.min_insync_replicas),
            segments: config.map_or(SegmentRules::UNLIMITED, |c| c.segment_rules()),
        }
    }

    pub(crate) fn topic_ref(&self, name: &str) -> Result<&Topic, SimError> {
        self.topics.get(name).ok_or_else(|| unknown_topic(name))
    }
}

pub(crate) fn unknown_topic(name: &str) -> SimError {
    SimError::UnknownTopic { topic: cut(name) }
}
