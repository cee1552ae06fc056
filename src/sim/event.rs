//! What happened in the simulated cluster, stamped with virtual time. The UI animates these and
//! the event log prints them in plain words (their `Display`).

use crate::sim::error::SimError;
use crate::sim::ids::{BrokerId, Offset, PartitionId};
use crate::sim::partitioner::PartitionChoice;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedEvent {
    /// Virtual time in ms.
    pub at_ms: u64,
    pub event: Event,
}

/// Where a consumer's first position in a partition came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PositionSource {
    /// The group's committed offset.
    Committed,
    /// `auto.offset.reset=earliest`: the log start offset.
    Earliest,
    /// `auto.offset.reset=latest`: the high watermark.
    Latest,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    TopicCreated {
        topic: String,
        leaders: Vec<BrokerId>,
    },
    RecordAppended {
        topic: String,
        partition: PartitionId,
        offset: Offset,
        leader: BrokerId,
        key: Option<String>,
        choice: PartitionChoice,
    },
    HighWatermarkAdvanced {
        topic: String,
        partition: PartitionId,
        high_watermark: Offset,
    },
    ConsumerSubscribed {
        consumer: String,
        group: String,
        topic: String,
    },
    PositionReset {
        consumer: String,
        topic: String,
        partition: PartitionId,
        offset: Offset,
        source: PositionSource,
    },
    /// A poll returned the records `from..to` of one partition.
    Fetched {
        consumer: String,
        topic: String,
        partition: PartitionId,
        from: Offset,
        to: Offset,
    },
    OffsetCommitted {
        group: String,
        consumer: String,
        topic: String,
        partition: PartitionId,
        offset: Offset,
    },
    /// The consumer's poll loop stopped with this error.
    PollFailed { consumer: String, error: SimError },
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::TopicCreated { topic, leaders } => {
                write!(
                    f,
                    "created topic {topic} with {} partition(s); leaders:",
                    leaders.len()
                )?;
                for (p, leader) in leaders.iter().enumerate() {
                    let sep = if p == 0 { " " } else { ", " };
                    write!(f, "{sep}{topic}-{p} on broker {leader}")?;
                }
                Ok(())
            }
            Event::RecordAppended {
                topic,
                partition,
                offset,
                leader,
                key,
                choice,
            } => {
                match key {
                    Some(key) => write!(f, "record with key {key:?}")?,
                    None => write!(f, "record without a key")?,
                }
                write!(
                    f,
                    " appended to {topic}-{partition} at offset {offset} on broker {leader} ({choice})"
                )
            }
            Event::HighWatermarkAdvanced {
                topic,
                partition,
                high_watermark,
            } => write!(
                f,
                "{topic}-{partition} high watermark → {high_watermark}: consumers can read offsets below it"
            ),
            Event::ConsumerSubscribed {
                consumer,
                group,
                topic,
            } => write!(f, "{consumer} (group {group}) subscribed to {topic}"),
            Event::PositionReset {
                consumer,
                topic,
                partition,
                offset,
                source,
            } => {
                let why = match source {
                    PositionSource::Committed => "the group's committed offset",
                    PositionSource::Earliest => "auto.offset.reset=earliest: the log start offset",
                    PositionSource::Latest => "auto.offset.reset=latest: the high watermark",
                };
                write!(
                    f,
                    "{consumer} starts {topic}-{partition} at offset {offset} ({why})"
                )
            }
            Event::Fetched {
                consumer,
                topic,
                partition,
                from,
                to,
            } => {
                let last = to.0.saturating_sub(1);
                let read = if last == from.0 {
                    format!("offset {from}")
                } else {
                    format!("offsets {from}–{last}")
                };
                write!(
                    f,
                    "{consumer} polled {topic}-{partition} {read}; position → {to}"
                )
            }
            Event::OffsetCommitted {
                group,
                consumer,
                topic,
                partition,
                offset,
            } => write!(
                f,
                "{consumer} committed offset {offset} for {topic}-{partition} in group {group} (the next record to read)"
            ),
            Event::PollFailed { consumer, error } => {
                write!(f, "{consumer} stopped polling: {error}")
            }
        }
    }
}

/// Events waiting to be drained by the UI. Not part of the simulation's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventQueue(Vec<TimedEvent>);

impl EventQueue {
    pub fn push(&mut self, at_ms: u64, event: Event) {
        self.0.push(TimedEvent { at_ms, event });
    }

    pub fn drain(&mut self) -> Vec<TimedEvent> {
        std::mem::take(&mut self.0)
    }
}
