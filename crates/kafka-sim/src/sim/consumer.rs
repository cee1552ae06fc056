//! Consumers: the client side of reading. A consumer subscribes to topics (and joins its
//! group, which assigns it partitions) or is assigned partitions directly; `poll()` reads from
//! each partition's leader below the high watermark (below the last stable offset with
//! `isolation.level=read_committed`), then the application processes the records for
//! `processing.ms.per.record` each before it polls again. A background thread heartbeats
//! every `heartbeat.interval.ms`; a consumer that does not poll within `max.poll.interval.ms`
//! leaves its group.
//!
//! `processing.ms.per.record` is the playground's stand-in for the application's own work; it
//! is not a Kafka setting.

use crate::sim::assignor::{Strategy, TopicPartition};
use crate::sim::error::{SimError, check_protocol_string};
use crate::sim::group::GroupProtocol;
use crate::sim::ids::Offset;
use crate::sim::ordered::Map;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a consumer does without a usable committed offset (`auto.offset.reset`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AutoOffsetReset {
    /// Start at the log start offset.
    Earliest,
    /// Start at the end the consumer can see (high watermark or last stable offset).
    Latest,
    /// Fail with NoOffsetForPartitionException (or OffsetOutOfRangeException).
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

/// `isolation.level`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IsolationLevel {
    /// Read up to the high watermark, aborted transactions included.
    ReadUncommitted,
    /// Read up to the last stable offset and skip records of aborted transactions.
    ReadCommitted,
}

/// Consumer settings, with Kafka's names and defaults except where noted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerConfig {
    /// `group.id`: committed offsets (and, when subscribing, membership) belong to the group.
    pub group_id: String,
    /// `group.protocol` (classic).
    pub group_protocol: GroupProtocol,
    /// `partition.assignment.strategy` for classic groups. Kafka's default list is
    /// [range, cooperative-sticky], which a group of default consumers uses as range.
    pub strategy: Strategy,
    /// `max.poll.records` (500).
    pub max_poll_records: u32,
    /// `enable.auto.commit` (true).
    pub enable_auto_commit: bool,
    /// `auto.commit.interval.ms` (5000).
    pub auto_commit_interval_ms: u64,
    /// `auto.offset.reset`. Kafka's default is latest; the playground's consumers start at
    /// earliest so a learner sees the records already in the topic.
    pub auto_offset_reset: AutoOffsetReset,
    /// `isolation.level` (read_uncommitted).
    pub isolation_level: IsolationLevel,
    /// `session.timeout.ms` (45000).
    pub session_timeout_ms: u64,
    /// `heartbeat.interval.ms` (3000; with group.protocol=consumer the broker's
    /// group.consumer.heartbeat.interval.ms, 5000, applies).
    pub heartbeat_interval_ms: u64,
    /// `max.poll.interval.ms` (300000).
    pub max_poll_interval_ms: u64,
    /// Time the application spends on each record (not a Kafka setting).
    pub processing_ms_per_record: u64,
}

impl ConsumerConfig {
    pub fn new(group_id: impl Into<String>) -> ConsumerConfig {
        ConsumerConfig {
            group_id: group_id.into(),
            group_protocol: GroupProtocol::Classic,
            strategy: Strategy::Range,
            max_poll_records: 500,
            enable_auto_commit: true,
            auto_commit_interval_ms: 5000,
            auto_offset_reset: AutoOffsetReset::Earliest,
            isolation_level: IsolationLevel::ReadUncommitted,
            session_timeout_ms: 45_000,
            heartbeat_interval_ms: 3_000,
            max_poll_interval_ms: 300_000,
            processing_ms_per_record: 0,
        }
    }

    pub(crate) fn heartbeat_every_ms(&self) -> u64 {
        match self.group_protocol {
            GroupProtocol::Classic => self.heartbeat_interval_ms,
            GroupProtocol::Consumer { .. } => 5_000,
        }
    }

    /// Kafka's own limits on these settings.
    pub fn validate(&self) -> Result<(), SimError> {
        let invalid = |key: &str, reason: &str| {
            Err(SimError::InvalidConsumerConfig {
                key: key.to_owned(),
                reason: reason.to_owned(),
            })
        };
        if self.group_id.is_empty() {
            return Err(SimError::EmptyGroupId);
        }
        check_protocol_string("group.id", &self.group_id)?;
        if self.max_poll_records == 0 {
            return Err(SimError::InvalidMaxPollRecords {
                requested: self.max_poll_records,
            });
        }
        if self.heartbeat_interval_ms == 0 || self.heartbeat_interval_ms >= self.session_timeout_ms
        {
            return invalid(
                "heartbeat.interval.ms",
                "must be at least 1 and lower than session.timeout.ms",
            );
        }
        if self.max_poll_interval_ms == 0 {
            return invalid("max.poll.interval.ms", "must be at least 1");
        }
        Ok(())
    }
}

/// What a consumer reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Subscription {
    /// `subscribe(topics)`: the group assigns partitions.
    Topics(Vec<String>),
    /// `assign(partitions)`: these partitions, no group membership.
    Partitions(Vec<TopicPartition>),
}

/// topic → partition → value, JSON-friendly.
pub type PerPartition<T> = Map<String, Map<u32, T>>;

pub(crate) fn get<T: Copy>(map: &PerPartition<T>, tp: &TopicPartition) -> Option<T> {
    map.get(&tp.0).and_then(|p| p.get(&tp.1)).copied()
}

pub(crate) fn put<T>(map: &mut PerPartition<T>, tp: &TopicPartition, value: T) {
    map.entry(tp.0.clone()).or_default().insert(tp.1, value);
}

pub(crate) fn forget<T>(map: &mut PerPartition<T>, tp: &TopicPartition) {
    if let Some(partitions) = map.get_mut(&tp.0) {
        partitions.remove(&tp.1);
        if partitions.is_empty() {
            map.remove(&tp.0);
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consumer {
    pub id: String,
    pub config: ConsumerConfig,
    pub subscription: Subscription,
    /// Its member id while in a group.
    pub member_id: Option<String>,
    /// The generation (classic) or epoch (consumer protocol) of its assignment.
    pub generation: u32,
    pub assigned: Vec<TopicPartition>,
    /// The next offset to read in each assigned partition, once known.
    pub positions: PerPartition<Offset>,
    pub last_commit_ms: u64,
    pub last_poll_ms: u64,
    pub last_heartbeat_ms: u64,
    /// Busy processing what the last poll returned until then.
    pub busy_until_ms: u64,
    /// It must (re)join its group at its next poll.
    pub rejoin: bool,
    /// Records its polls have returned.
    pub delivered: u64,
    /// Why its poll loop stopped (the refusal's message), if it did; an explicit poll tries
    /// again.
    pub failed: Option<String>,
}

impl Consumer {
    pub fn group_id(&self) -> &str {
        &self.config.group_id
    }

    pub fn position(&self, tp: &TopicPartition) -> Option<Offset> {
        get(&self.positions, tp)
    }

    pub(crate) fn auto_commit_due(&self, now_ms: u64) -> bool {
        self.config.enable_auto_commit
            && now_ms.saturating_sub(self.last_commit_ms) >= self.config.auto_commit_interval_ms
    }
}

/// "topics orders, payments" or "partitions orders-0, orders-2".
pub fn describe(subscription: &Subscription) -> String {
    match subscription {
        Subscription::Topics(topics) => format!("topics {}", topics.join(", ")),
        Subscription::Partitions(partitions) => {
            let names: Vec<String> = partitions.iter().map(|(t, p)| format!("{t}-{p}")).collect();
            format!("partitions {}", names.join(", "))
        }
    }
}
