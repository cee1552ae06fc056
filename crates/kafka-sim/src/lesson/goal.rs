//! An exercise's goal: a fact about the simulated cluster, checked on its state and on what it
//! has reported since the lesson started.
use crate::sim::Sim;
use crate::sim::broker::BrokerStatus;
use crate::sim::error::cut;
use crate::sim::event::{Event, TimedEvent};
use crate::sim::ids::PartitionId;
use crate::sim::types::ProduceError;
use crate::sim::view::SimView;

/// What an exercise asks for. Written in a lesson file as words, e.g. `same-partition orders
/// user-7 5`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Goal {
    /// `topic NAME partitions N`: the topic exists with N partitions.
    Topic { name: String, partitions: usize },
    /// `brokers-running N`: N brokers are running.
    BrokersRunning(usize),
    /// `same-partition TOPIC KEY N`: at least N records with the key, all in one partition.
    SamePartition {
        topic: String,
        key: String,
        records: usize,
    },
    /// `records TOPIC N`: at least N records in the topic's logs, below the high watermark.
    Records { topic: String, records: u64 },
    /// `caught-up GROUP TOPIC`: the group has committed the end of every partition of the
    /// topic, which holds records.
    CaughtUp { group: String, topic: String },
    /// `lag-zero GROUP max-members N`: the group's total lag is 0, it has committed every
    /// partition it reads, and it has at most N members.
    LagZero { group: String, max_members: usize },
    /// `committed GROUP TOPIC PARTITION N`: the group's committed offset there is N.
    Committed {
        group: String,
        topic: String,
        partition: u32,
        offset: u64,
    },
    /// `not-enough-replicas`: a produce request failed with NOT_ENOUGH_REPLICAS.
    NotEnoughReplicas,
    /// `acknowledged-lost`: an unclean election lost records acks=all had acknowledged.
    AcknowledgedLost,
    /// `leader-moved TOPIC PARTITION`: the partition's leadership moved from one broker to
    /// another.
    LeaderMoved { topic: String, partition: u32 },
    /// `segments-deleted TOPIC`: retention deleted segments of the topic.
    SegmentsDeleted { topic: String },
    /// `compacted TOPIC`: the log cleaner removed superseded records of the topic.
    Compacted { topic: String },
    /// `quorum-lost`: fewer than a majority of the KRaft controllers ran, so no active
    /// controller could be elected and the metadata froze.
    QuorumLost,
}

/// Every goal a lesson may set, as a lesson file writes it.
pub const GOAL_FORMS: &str = "topic NAME partitions N; brokers-running N; same-partition TOPIC KEY N; records TOPIC N; caught-up GROUP TOPIC; lag-zero GROUP max-members N; committed GROUP TOPIC PARTITION OFFSET; not-enough-replicas; acknowledged-lost; leader-moved TOPIC PARTITION; segments-deleted TOPIC; compacted TOPIC; quorum-lost";

impl Goal {
    /// Reads a goal from its words, or says what is wrong.
    pub fn parse(text: &str) -> Result<Goal, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let number = |word: &str| {
            word.parse::<u64>()
                .map_err(|_| format!("goal {text:?}: {word:?} is not a whole number"))
        };
        let owned = |word: &str| word.to_owned();
        Ok(match words.as_slice() {
            ["topic", name, "partitions", n] => Goal::Topic {
                name: owned(name),
                partitions: number(n)? as usize,
            },
            ["brokers-running", n] => Goal::BrokersRunning(number(n)? as usize),
            ["same-partition", topic, key, n] => Goal::SamePartition {
                topic: owned(topic),
                key: owned(key),
                records: number(n)? as usize,
            },
            ["records", topic, n] => Goal::Records {
                topic: owned(topic),
                records: number(n)?,
            },
            ["caught-up", group, topic] => Goal::CaughtUp {
                group: owned(group),
                topic: owned(topic),
            },
            ["lag-zero", group, "max-members", n] => Goal::LagZero {
                group: owned(group),
                max_members: number(n)? as usize,
            },
            ["committed", group, topic, partition, offset] => Goal::Committed {
                group: owned(group),
                topic: owned(topic),
                partition: number(partition)? as u32,
                offset: number(offset)?,
            },
            ["not-enough-replicas"] => Goal::NotEnoughReplicas,
            ["acknowledged-lost"] => Goal::AcknowledgedLost,
            ["leader-moved", topic, partition] => Goal::LeaderMoved {
                topic: owned(topic),
                partition: number(partition)? as u32,
            },
            ["segments-deleted", topic] => Goal::SegmentsDeleted {
                topic: owned(topic),
            },
            ["compacted", topic] => Goal::Compacted {
                topic: owned(topic),
            },
            ["quorum-lost"] => Goal::QuorumLost,
            _ => {
                return Err(format!(
                    "goal {:?} is not one the playground can check (the goals: {GOAL_FORMS})",
                    cut(text)
                ));
            }
        })
    }

    /// Whether the goal holds: on `sim` now, or in `events` (everything reported since the
    /// lesson started).
    pub fn holds(&self, sim: &Sim, events: &[TimedEvent]) -> bool {
        if self.is_about_events() {
            events.iter().any(|e| self.seen_in(&e.event))
        } else {
            self.holds_on(sim, &sim.view())
        }
    }

    /// Whether the goal is about something the cluster reported (checked event by event with
    /// `seen_in`) rather than about its state now (checked with `holds_on`).
    pub fn is_about_events(&self) -> bool {
        matches!(
            self,
            Goal::NotEnoughReplicas
                | Goal::AcknowledgedLost
                | Goal::LeaderMoved { .. }
                | Goal::SegmentsDeleted { .. }
                | Goal::Compacted { .. }
                | Goal::QuorumLost
        )
    }

    /// Whether `event` reaches a goal about events.
    pub fn seen_in(&self, event: &Event) -> bool {
        match self {
            Goal::NotEnoughReplicas => matches!(
                event,
                Event::ProduceRetrying { error, .. } | Event::ProduceFailed { error, .. }
                    if matches!(error, ProduceError::NotEnoughReplicas { .. })
            ),
            Goal::AcknowledgedLost => {
                matches!(event, Event::RecordsLost { committed, .. } if *committed > 0)
            }
            Goal::LeaderMoved { topic, partition } => matches!(
                event,
                Event::LeaderElected { topic: t, partition: p, from: Some(from), to: Some(to), .. }
                    if t == topic && p.0 == *partition && from != to
            ),
            Goal::SegmentsDeleted { topic } => {
                matches!(event, Event::SegmentsDeleted { topic: t, .. } if t == topic)
            }
            Goal::Compacted { topic } => matches!(
                event,
                Event::LogCompacted { topic: t, removed, .. } if t == topic && *removed > 0
            ),
            Goal::QuorumLost => matches!(event, Event::QuorumLost { .. }),
            _ => false,
        }
    }

    /// Whether a goal about the cluster's state holds on `sim`, whose summary is `view`.
    pub fn holds_on(&self, sim: &Sim, view: &SimView) -> bool {
        match self {
            Goal::Topic { name, partitions } => view
                .topic(name)
                .is_some_and(|t| t.partitions.len() == *partitions),
            Goal::BrokersRunning(n) => {
                view.brokers
                    .iter()
                    .filter(|b| b.status == BrokerStatus::Running)
                    .count()
                    == *n
            }
            Goal::SamePartition {
                topic,
                key,
                records,
            } => {
                let Some(t) = view.topic(topic) else {
                    return false;
                };
                let holding: Vec<usize> = t
                    .partitions
                    .iter()
                    .map(|p| {
                        sim.records(topic, p.id)
                            .iter()
                            .filter(|r| r.control.is_none() && r.key.as_deref() == Some(key))
                            .count()
                    })
                    .collect();
                holding.iter().filter(|n| **n > 0).count() == 1
                    && holding.iter().sum::<usize>() >= *records
            }
            Goal::Records { topic, records } => view.topic(topic).is_some_and(|t| {
                t.partitions
                    .iter()
                    .map(|p| p.high_watermark.0 - p.log_start.0)
                    .sum::<u64>()
                    >= *records
            }),
            Goal::CaughtUp { group, topic } => view.topic(topic).is_some_and(|t| {
                t.partitions.iter().any(|p| p.high_watermark.0 > 0)
                    && t.partitions.iter().all(|p| {
                        sim.committed(group, topic, p.id)
                            .is_some_and(|c| c >= p.high_watermark)
                    })
            }),
            Goal::LagZero { group, max_members } => view
                .groups
                .iter()
                .find(|g| g.id == *group)
                .is_some_and(|g| {
                    g.members.len() <= *max_members
                        && !g.partitions.is_empty()
                        && g.partitions.iter().all(|p| p.lag == Some(0))
                }),
            Goal::Committed {
                group,
                topic,
                partition,
                offset,
            } => sim
                .committed(group, topic, PartitionId(*partition))
                .is_some_and(|c| c.0 == *offset),
            _ => false,
        }
    }
}
