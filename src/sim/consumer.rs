//! A consumer: the topic it reads, its position in each partition and when it last
//! auto-committed; `poll()` reads from each partition's leader, below the high watermark.
//!
//! Simplification for now: a consumer reads every partition of its topic by itself (as with
//! `assign()`); consumer groups and rebalancing come later.

use crate::sim::command::Outcome;
use crate::sim::engine::{Sim, unknown_topic};
use crate::sim::error::SimError;
use crate::sim::event::{Event, EventQueue, PositionSource};
use crate::sim::ids::{Offset, PartitionId};
use crate::sim::offsets::OffsetStore;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// What a consumer does when it has no committed offset (Kafka's `auto.offset.reset`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AutoOffsetReset {
    /// Start at the log start offset.
    Earliest,
    /// Start at the high watermark: only records produced from now on.
    Latest,
    /// Fail with NoOffsetForPartitionException.
    None,
}

impl fmt::Display for AutoOffsetReset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AutoOffsetReset::Earliest => "earliest",
            AutoOffsetReset::Latest => "latest",
            AutoOffsetReset::None => "none",
        })
    }
}

/// Consumer settings, with Kafka's names and defaults except where noted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerConfig {
    /// `group.id`: the committed offsets belong to the group.
    pub group_id: String,
    /// `max.poll.records` (default 500).
    pub max_poll_records: u32,
    /// `enable.auto.commit` (default true).
    pub enable_auto_commit: bool,
    /// `auto.commit.interval.ms` (default 5000).
    pub auto_commit_interval_ms: u64,
    /// `auto.offset.reset`. Kafka's default is latest; the playground starts consumers at
    /// earliest so a learner sees the records already in the topic.
    pub auto_offset_reset: AutoOffsetReset,
}

impl ConsumerConfig {
    pub fn new(group_id: impl Into<String>) -> ConsumerConfig {
        ConsumerConfig {
            group_id: group_id.into(),
            max_poll_records: 500,
            enable_auto_commit: true,
            auto_commit_interval_ms: 5000,
            auto_offset_reset: AutoOffsetReset::Earliest,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consumer {
    pub id: String,
    pub config: ConsumerConfig,
    pub topic: String,
    /// The next offset to read in each partition, once known.
    pub positions: BTreeMap<PartitionId, Offset>,
    /// Virtual time of the last commit, for `auto.commit.interval.ms`.
    pub last_commit_ms: u64,
    /// Why the poll loop stopped, if it did; an explicit poll tries again.
    pub failed: Option<SimError>,
}

impl Consumer {
    /// `commitSync()`: stores the positions as the group's committed offsets and returns how
    /// many changed.
    pub fn commit(
        &mut self,
        offsets: &mut OffsetStore,
        events: &mut EventQueue,
        now_ms: u64,
    ) -> usize {
        self.last_commit_ms = now_ms;
        let group = &self.config.group_id;
        let mut changed = 0;
        for (&partition, &offset) in &self.positions {
            if offsets.commit(group, &self.topic, partition, offset) {
                changed += 1;
                events.push(
                    now_ms,
                    Event::OffsetCommitted {
                        group: group.clone(),
                        consumer: self.id.clone(),
                        topic: self.topic.clone(),
                        partition,
                        offset,
                    },
                );
            }
        }
        changed
    }

    /// Whether `auto.commit.interval.ms` has passed since the last commit.
    pub fn auto_commit_due(&self, now_ms: u64) -> bool {
        self.config.enable_auto_commit
            && now_ms.saturating_sub(self.last_commit_ms) >= self.config.auto_commit_interval_ms
    }
}

fn unknown_consumer(id: &str) -> SimError {
    SimError::UnknownConsumer {
        consumer: id.to_owned(),
    }
}

impl Sim {
    pub(crate) fn add_consumer(
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
        self.topic_ref(&topic)?;
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
        Ok(Outcome::Done)
    }

    pub(crate) fn subscribe(&mut self, id: &str, topic: String) -> Result<Outcome, SimError> {
        let consumer = self
            .consumers
            .get_mut(id)
            .ok_or_else(|| unknown_consumer(id))?;
        if !self.topics.contains_key(&topic) {
            return Err(unknown_topic(&topic));
        }
        if consumer.topic == topic {
            return Ok(Outcome::Done);
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
        Ok(Outcome::Done)
    }

    /// One `poll()`: auto-commits what earlier polls returned if `auto.commit.interval.ms` has
    /// passed, then returns up to `max.poll.records` records below each online partition's high
    /// watermark and moves the positions past them.
    pub(crate) fn poll(&mut self, id: &str) -> Result<Outcome, SimError> {
        let now = self.now_ms;
        let running = self.eligible_brokers();
        let consumer = self
            .consumers
            .get_mut(id)
            .ok_or_else(|| unknown_consumer(id))?;
        // A deleted topic leaves the consumer with nothing to read, as Kafka's does.
        let Some(topic) = self.topics.get(&consumer.topic) else {
            return Ok(Outcome::Polled { records: 0 });
        };
        let group = consumer.config.group_id.as_str();
        // Where each readable partition's read starts; worked out before anything changes, so
        // a NoOffsetForPartition refusal leaves the state as it was.
        let mut starts = Vec::with_capacity(topic.partitions.len());
        for p in &topic.partitions {
            let Some(leader) = p.leader_replica().filter(|r| running.contains(&r.broker)) else {
                continue;
            };
            // An offset outside the leader's log (removed by retention, or truncated by an
            // unclean election) is OFFSET_OUT_OF_RANGE: auto.offset.reset decides again.
            let in_range =
                |o: &Offset| *o >= leader.log.start_offset() && *o <= leader.log.end_offset();
            let known = consumer.positions.get(&p.id).copied();
            let committed = match known {
                None => self.offsets.committed(group, &topic.name, p.id),
                Some(_) => None,
            };
            let start = if let Some(position) = known.filter(in_range) {
                (position, None)
            } else if let Some(committed) = committed.filter(in_range) {
                (committed, Some((PositionSource::Committed, None)))
            } else {
                let out_of_range = known.or(committed);
                let source = match consumer.config.auto_offset_reset {
                    AutoOffsetReset::Earliest => {
                        (leader.log.start_offset(), PositionSource::Earliest)
                    }
                    AutoOffsetReset::Latest => (leader.high_watermark, PositionSource::Latest),
                    AutoOffsetReset::None => {
                        return Err(match out_of_range {
                            Some(offset) => SimError::OffsetOutOfRange {
                                consumer: id.to_owned(),
                                topic: topic.name.clone(),
                                partition: p.id,
                                offset,
                            },
                            None => SimError::NoOffsetForPartition {
                                consumer: id.to_owned(),
                                topic: topic.name.clone(),
                                partition: p.id,
                            },
                        });
                    }
                };
                (source.0, Some((source.1, out_of_range)))
            };
            starts.push((p, leader, start));
        }
        if consumer.auto_commit_due(now) {
            consumer.commit(&mut self.offsets, &mut self.events, now);
        }
        consumer.failed = None;
        let mut budget = consumer.config.max_poll_records as usize;
        let mut returned = 0;
        for (p, leader, (start, source)) in starts {
            if let Some((source, out_of_range)) = source {
                self.events.push(
                    now,
                    Event::PositionReset {
                        consumer: id.to_owned(),
                        topic: topic.name.clone(),
                        partition: p.id,
                        offset: start,
                        source,
                        out_of_range,
                    },
                );
            }
            let records = leader
                .log
                .read(start, leader.high_watermark, budget, u64::MAX);
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

    pub(crate) fn commit(&mut self, id: &str) -> Result<Outcome, SimError> {
        let consumer = self
            .consumers
            .get_mut(id)
            .ok_or_else(|| unknown_consumer(id))?;
        let partitions = consumer.commit(&mut self.offsets, &mut self.events, self.now_ms);
        Ok(Outcome::Committed { partitions })
    }

    /// Every consumer's poll loop runs once; one that fails stops, with the reason reported
    /// once.
    pub(crate) fn run_consumers(&mut self) {
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
}
