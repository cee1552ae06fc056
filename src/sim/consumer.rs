//! A consumer: the topic it reads, its position in each partition and when it last
//! auto-committed. It reads through `Sim` (which owns the logs and the committed offsets).
//!
//! Simplification for now: a consumer reads every partition of its topic by itself (as with
//! `assign()`), one consumer per group; consumer groups and rebalancing come later.

use crate::sim::error::SimError;
use crate::sim::event::{Event, EventQueue};
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
