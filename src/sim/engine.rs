//! `Sim`: the whole simulated cluster, driven by commands and a virtual clock. Pure and
//! deterministic: the same config, seed and commands give the same state, natively and in wasm.

use crate::sim::command::{Command, Outcome};
use crate::sim::consumer::{AutoOffsetReset, Consumer, ConsumerConfig};
use crate::sim::error::SimError;
use crate::sim::event::{Event, EventQueue, PositionSource, TimedEvent};
use crate::sim::ids::{BrokerId, Offset, PartitionId};
use crate::sim::log::Record;
use crate::sim::offsets::OffsetStore;
use crate::sim::partition::Partition;
use crate::sim::partitioner::PartitionChoice;
use crate::sim::placement::assign_replicas;
use crate::sim::producer::Producer;
use crate::sim::topic::{Topic, names_collide, validate_partition_count, validate_topic_name};
use crate::sim::view::{ConsumerView, PartitionView, SimView, TopicView};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg32;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most brokers a playground cluster may have.
pub const MAX_BROKERS: u32 = 12;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimConfig {
    /// Number of brokers, ids 1..=brokers.
    pub brokers: u32,
    /// Virtual milliseconds one `tick()` advances.
    pub tick_ms: u64,
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig {
            brokers: 3,
            tick_ms: 100,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sim {
    config: SimConfig,
    seed: u64,
    /// Every random choice (replica placement, ...) draws from here, so the seed decides them.
    rng: Pcg32,
    now_ms: u64,
    brokers: Vec<BrokerId>,
    topics: BTreeMap<String, Topic>,
    producer: Producer,
    consumers: BTreeMap<String, Consumer>,
    offsets: OffsetStore,
    /// Not part of the state: what happened since the last `drain_events`.
    #[serde(skip)]
    events: EventQueue,
}

impl Sim {
    pub fn new(config: SimConfig, seed: u64) -> Result<Sim, SimError> {
        if !(1..=MAX_BROKERS).contains(&config.brokers) {
            return Err(SimError::InvalidBrokerCount {
                requested: config.brokers,
            });
        }
        if !(1..=60_000).contains(&config.tick_ms) {
            return Err(SimError::InvalidTick {
                requested: config.tick_ms,
            });
        }
        Ok(Sim {
            brokers: (1..=config.brokers).map(BrokerId).collect(),
            config,
            seed,
            rng: Pcg32::seed_from_u64(seed),
            now_ms: 0,
            topics: BTreeMap::new(),
            producer: Producer::default(),
            consumers: BTreeMap::new(),
            offsets: OffsetStore::default(),
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
        match command {
            Command::CreateTopic { name, partitions } => self.create_topic(name, partitions),
            Command::Produce {
                topic,
                partition,
                key,
                value,
            } => self.produce(&topic, partition, key, value),
            Command::AddConsumer {
                consumer,
                topic,
                config,
            } => self.add_consumer(consumer, topic, config),
            Command::Subscribe { consumer, topic } => self.subscribe(&consumer, topic),
            Command::Poll { consumer } => self.poll(&consumer),
            Command::Commit { consumer } => self.commit(&consumer),
        }
    }

    /// Advances virtual time by one tick; every consumer's poll loop runs once.
    pub fn tick(&mut self) {
        self.now_ms += self.config.tick_ms;
        let polling: Vec<String> = self
            .consumers
            .values()
            .filter(|c| c.failed.is_none())
            .map(|c| c.id.clone())
            .collect();
        for id in polling {
            if let Err(error) = self.poll(&id) {
                if let Some(consumer) = self.consumers.get_mut(&id) {
                    consumer.failed = Some(error.clone());
                }
                self.events.push(
                    self.now_ms,
                    Event::PollFailed {
                        consumer: id,
                        error,
                    },
                );
            }
        }
    }

    /// Ticks until virtual time reaches `t_ms`.
    pub fn advance_to(&mut self, t_ms: u64) {
        while self.now_ms < t_ms {
            self.tick();
        }
    }

    /// The events since the last call, oldest first.
    pub fn drain_events(&mut self) -> Vec<TimedEvent> {
        self.events.drain()
    }

    /// The records of one partition, oldest first (empty if there is no such partition).
    pub fn records(&self, topic: &str, partition: PartitionId) -> &[Record] {
        self.partition(topic, partition)
            .map(|p| p.log.records())
            .unwrap_or_default()
    }

    pub fn partition(&self, topic: &str, partition: PartitionId) -> Option<&Partition> {
        self.topics
            .get(topic)
            .and_then(|t| t.partitions.get(partition.0 as usize))
    }

    pub fn committed(&self, group: &str, topic: &str, partition: PartitionId) -> Option<Offset> {
        self.offsets.committed(group, topic, partition)
    }

    /// A read-only summary for rendering.
    pub fn view(&self) -> SimView {
        SimView {
            now_ms: self.now_ms,
            brokers: self.brokers.clone(),
            topics: self
                .topics
                .values()
                .map(|t| TopicView {
                    name: t.name.clone(),
                    partitions: t
                        .partitions
                        .iter()
                        .map(|p| PartitionView {
                            id: p.id,
                            leader: p.leader,
                            replicas: p.replicas.clone(),
                            log_start: p.log.start_offset(),
                            high_watermark: p.high_watermark,
                            log_end: p.log.end_offset(),
                        })
                        .collect(),
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

    fn topic(&self, name: &str) -> Result<&Topic, SimError> {
        self.topics.get(name).ok_or_else(|| unknown_topic(name))
    }

    fn create_topic(&mut self, name: String, partitions: i64) -> Result<Outcome, SimError> {
        validate_topic_name(&name)?;
        if self.topics.contains_key(&name) {
            return Err(SimError::TopicAlreadyExists { topic: name });
        }
        if let Some(existing) = self.topics.keys().find(|t| names_collide(t, &name)) {
            return Err(SimError::TopicCollides {
                topic: name,
                existing: existing.clone(),
            });
        }
        let count = validate_partition_count(partitions)?;
        // Kafka draws a random start broker and a random follower shift for each new topic.
        let n = self.brokers.len();
        let start = self.rng.random_range(0..n);
        let shift = self.rng.random_range(0..n);
        let partitions: Vec<Partition> = assign_replicas(&self.brokers, count, 1, start, shift)
            .into_iter()
            .zip(0..)
            .map(|(replicas, p)| Partition::new(PartitionId(p), replicas))
            .collect();
        let leaders = partitions.iter().map(|p| p.leader).collect();
        self.topics.insert(
            name.clone(),
            Topic {
                name: name.clone(),
                partitions,
            },
        );
        self.events.push(
            self.now_ms,
            Event::TopicCreated {
                topic: name,
                leaders,
            },
        );
        Ok(Outcome::TopicCreated)
    }

    fn produce(
        &mut self,
        topic_name: &str,
        partition: Option<i64>,
        key: Option<String>,
        value: String,
    ) -> Result<Outcome, SimError> {
        let topic = self
            .topics
            .get_mut(topic_name)
            .ok_or_else(|| unknown_topic(topic_name))?;
        let count = topic.partition_count();
        let out_of_range = |requested| SimError::PartitionOutOfRange {
            topic: topic_name.to_owned(),
            requested,
            partitions: count,
        };
        let explicit = partition
            .map(|requested| {
                u32::try_from(requested)
                    .ok()
                    .filter(|&p| p < count)
                    .ok_or_else(|| out_of_range(requested))
            })
            .transpose()?;
        let mut counter = self
            .producer
            .round_robin
            .get(topic_name)
            .copied()
            .unwrap_or(0);
        let (chosen, choice) =
            PartitionChoice::choose(explicit, key.as_deref(), count, &mut counter);
        let partition = topic
            .partitions
            .get_mut(chosen as usize)
            .ok_or_else(|| out_of_range(i64::from(chosen)))?;
        if matches!(choice, PartitionChoice::RoundRobin { .. }) {
            self.producer
                .round_robin
                .insert(topic_name.to_owned(), counter);
        }
        let offset = partition
            .log
            .append(self.now_ms, key.clone(), value, choice.clone());
        // Replication factor 1: the only replica is the leader, so the record is committed.
        partition.high_watermark = partition.log.end_offset();
        self.events.push(
            self.now_ms,
            Event::RecordAppended {
                topic: topic_name.to_owned(),
                partition: partition.id,
                offset,
                leader: partition.leader,
                key,
                choice,
            },
        );
        self.events.push(
            self.now_ms,
            Event::HighWatermarkAdvanced {
                topic: topic_name.to_owned(),
                partition: partition.id,
                high_watermark: partition.high_watermark,
            },
        );
        Ok(Outcome::Produced {
            partition: partition.id,
            offset,
        })
    }

    fn add_consumer(
        &mut self,
        id: String,
        topic: String,
        config: ConsumerConfig,
    ) -> Result<Outcome, SimError> {
        if id.is_empty() {
            return Err(SimError::EmptyConsumerName);
        }
        if self.consumers.contains_key(&id) {
            return Err(SimError::ConsumerExists { consumer: id });
        }
        if config.group_id.is_empty() {
            return Err(SimError::EmptyGroupId);
        }
        if config.max_poll_records == 0 {
            return Err(SimError::InvalidMaxPollRecords {
                requested: config.max_poll_records,
            });
        }
        self.topic(&topic)?;
        self.events.push(
            self.now_ms,
            Event::ConsumerSubscribed {
                consumer: id.clone(),
                group: config.group_id.clone(),
                topic: topic.clone(),
            },
        );
        self.consumers.insert(
            id.clone(),
            Consumer {
                id,
                config,
                topic,
                positions: BTreeMap::new(),
                last_commit_ms: self.now_ms,
                failed: None,
            },
        );
        Ok(Outcome::ConsumerAdded)
    }

    fn subscribe(&mut self, id: &str, topic: String) -> Result<Outcome, SimError> {
        let consumer = self
            .consumers
            .get_mut(id)
            .ok_or_else(|| unknown_consumer(id))?;
        if !self.topics.contains_key(&topic) {
            return Err(unknown_topic(&topic));
        }
        if consumer.topic == topic {
            return Ok(Outcome::Subscribed);
        }
        // Like Kafka's auto-commit when partitions are revoked: what was read is committed first.
        if consumer.config.enable_auto_commit {
            consumer.commit(&mut self.offsets, &mut self.events, self.now_ms);
        }
        consumer.topic = topic.clone();
        consumer.positions.clear();
        consumer.failed = None;
        self.events.push(
            self.now_ms,
            Event::ConsumerSubscribed {
                consumer: id.to_owned(),
                group: consumer.config.group_id.clone(),
                topic,
            },
        );
        Ok(Outcome::Subscribed)
    }

    /// One `poll()`: auto-commits what earlier polls returned if `auto.commit.interval.ms` has
    /// passed, then returns up to `max.poll.records` records below each partition's high
    /// watermark and moves the positions past them.
    fn poll(&mut self, id: &str) -> Result<Outcome, SimError> {
        let now = self.now_ms;
        let consumer = self
            .consumers
            .get_mut(id)
            .ok_or_else(|| unknown_consumer(id))?;
        let topic = self
            .topics
            .get(&consumer.topic)
            .ok_or_else(|| unknown_topic(&consumer.topic))?;
        let group = consumer.config.group_id.as_str();
        // Where each partition's read starts; worked out before anything changes, so a
        // NoOffsetForPartition refusal leaves the state as it was.
        let mut starts = Vec::with_capacity(topic.partitions.len());
        for p in &topic.partitions {
            let start = if let Some(&position) = consumer.positions.get(&p.id) {
                (position, None)
            } else if let Some(committed) = self.offsets.committed(group, &topic.name, p.id) {
                (committed, Some(PositionSource::Committed))
            } else {
                match consumer.config.auto_offset_reset {
                    AutoOffsetReset::Earliest => {
                        (p.log.start_offset(), Some(PositionSource::Earliest))
                    }
                    AutoOffsetReset::Latest => (p.high_watermark, Some(PositionSource::Latest)),
                    AutoOffsetReset::None => {
                        return Err(SimError::NoOffsetForPartition {
                            consumer: id.to_owned(),
                            topic: topic.name.clone(),
                            partition: p.id,
                        });
                    }
                }
            };
            starts.push(start);
        }
        if consumer.auto_commit_due(now) {
            consumer.commit(&mut self.offsets, &mut self.events, now);
        }
        consumer.failed = None;
        let mut budget = consumer.config.max_poll_records as usize;
        let mut returned = 0;
        for (p, (start, source)) in topic.partitions.iter().zip(starts) {
            if let Some(source) = source {
                self.events.push(
                    now,
                    Event::PositionReset {
                        consumer: id.to_owned(),
                        topic: topic.name.clone(),
                        partition: p.id,
                        offset: start,
                        source,
                    },
                );
            }
            let records = p.log.read(start, p.high_watermark, budget);
            let position = records.last().map_or(start, |r| r.offset.next());
            if !records.is_empty() {
                budget -= records.len();
                returned += records.len();
                self.events.push(
                    now,
                    Event::Fetched {
                        consumer: id.to_owned(),
                        topic: topic.name.clone(),
                        partition: p.id,
                        from: start,
                        to: position,
                    },
                );
            }
            consumer.positions.insert(p.id, position);
        }
        Ok(Outcome::Polled { records: returned })
    }

    fn commit(&mut self, id: &str) -> Result<Outcome, SimError> {
        let consumer = self
            .consumers
            .get_mut(id)
            .ok_or_else(|| unknown_consumer(id))?;
        let partitions = consumer.commit(&mut self.offsets, &mut self.events, self.now_ms);
        Ok(Outcome::Committed { partitions })
    }
}

fn unknown_topic(name: &str) -> SimError {
    SimError::UnknownTopic {
        topic: name.to_owned(),
    }
}

fn unknown_consumer(id: &str) -> SimError {
    SimError::UnknownConsumer {
        consumer: id.to_owned(),
    }
}
