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
use crate::sim::coordinator::Join;
use crate::sim::error::{SimError, check_protocol_string};
use crate::sim::event::PositionSource;
use crate::sim::ids::{Offset, PartitionId};
use crate::sim::ordered::Map;
use crate::sim::types::{
    AutoOffsetReset, ConsumerConfig, GroupProtocol, IsolationLevel, Strategy, Subscription,
    TopicPartition,
};
use serde::{Deserialize, Serialize};

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

/// topic → partition → value, JSON-friendly.
pub type PerPartition<T> = Map<String, Map<u32, T>>;

fn get<T: Copy>(map: &PerPartition<T>, tp: &TopicPartition) -> Option<T> {
    map.get(&tp.0).and_then(|p| p.get(&tp.1)).copied()
}

fn put<T>(map: &mut PerPartition<T>, tp: &TopicPartition, value: T) {
    map.entry(tp.0.clone()).or_default().insert(tp.1, value);
}

fn forget<T>(map: &mut PerPartition<T>, tp: &TopicPartition) {
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

/// Where a consumer's read of one partition starts when its position is not usable.
pub type Reset = Option<(PositionSource, Option<Offset>)>;

/// What a consumer sees of a partition's leader when it fetches: the log's range and the end
/// its isolation level may read up to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FetchBounds {
    /// The log start offset.
    pub start: Offset,
    /// The log end offset.
    pub end: Offset,
    /// The high watermark, or the last stable offset with read_committed.
    pub visible_end: Offset,
}

/// The consumer's behaviour over its own data: the engine calls these and routes what they
/// return to the group coordinator and the logs; nothing here reaches a group or a partition.
impl Consumer {
    /// `new KafkaConsumer(config)` then `subscribe()` or `assign()` at `now_ms`: assigned
    /// partitions are its own at once; a subscribed consumer joins its group at its first poll.
    pub fn new(
        id: String,
        subscription: Subscription,
        config: ConsumerConfig,
        now_ms: u64,
    ) -> Consumer {
        let (assigned, rejoin) = match &subscription {
            Subscription::Partitions(partitions) => (partitions.clone(), false),
            Subscription::Topics(_) => (Vec::new(), true),
        };
        Consumer {
            id,
            config,
            subscription,
            member_id: None,
            generation: 0,
            assigned,
            positions: PerPartition::new(),
            last_commit_ms: now_ms,
            last_poll_ms: now_ms,
            last_heartbeat_ms: now_ms,
            busy_until_ms: now_ms,
            rejoin,
            delivered: 0,
            failed: None,
        }
    }

    pub fn group_id(&self) -> &str {
        &self.config.group_id
    }

    pub fn position(&self, tp: &TopicPartition) -> Option<Offset> {
        get(&self.positions, tp)
    }

    /// Subscribed to topics (a group member), not assigned partitions.
    pub fn subscribed(&self) -> bool {
        matches!(self.subscription, Subscription::Topics(_))
    }

    /// Holds `member` as its member id in its group.
    pub fn is_member(&self, member: &str) -> bool {
        self.member_id.as_deref() == Some(member)
    }

    /// A classic member with an eager strategy gives up all it owns before it (re)joins.
    pub fn eager(&self) -> bool {
        self.config.group_protocol == GroupProtocol::Classic && !self.config.strategy.cooperative()
    }

    /// `subscribe()` again: joins (or rejoins) its group at its next poll.
    pub fn subscribe(&mut self, subscription: Subscription) {
        self.rejoin = true;
        self.resubscribed(subscription);
    }

    /// `assign()` after being a member: out of the group, owning `partitions`.
    pub fn assign(&mut self, partitions: Vec<TopicPartition>, subscription: Subscription) {
        self.member_id = None;
        self.assigned = partitions;
        self.rejoin = false;
        self.resubscribed(subscription);
    }

    fn resubscribed(&mut self, subscription: Subscription) {
        self.subscription = subscription;
        self.failed = None;
    }

    /// `seek()`: the next poll of `tp` reads from `offset`.
    pub fn seek(&mut self, tp: TopicPartition, offset: Offset) -> Result<(), SimError> {
        if !self.assigned.contains(&tp) {
            return Err(SimError::NotAssigned {
                consumer: self.id.clone(),
                topic: tp.0,
                partition: PartitionId(tp.1),
            });
        }
        put(&mut self.positions, &tp, offset);
        Ok(())
    }

    /// Forgets `partitions` and their positions (after `onPartitionsRevoked`'s commit).
    pub fn give_up(&mut self, partitions: &[TopicPartition]) {
        self.assigned.retain(|tp| !partitions.contains(tp));
        for tp in partitions {
            forget(&mut self.positions, tp);
        }
    }

    /// What a hand-out of `assigned` takes from it and what it adds, in that order.
    pub fn assignment_changes(
        &self,
        assigned: &[TopicPartition],
    ) -> (Vec<TopicPartition>, Vec<TopicPartition>) {
        let revoked = self
            .assigned
            .iter()
            .filter(|tp| !assigned.contains(tp))
            .cloned()
            .collect();
        let added = assigned
            .iter()
            .filter(|tp| !self.assigned.contains(tp))
            .cloned()
            .collect();
        (revoked, added)
    }

    /// `onPartitionsAssigned`: its partitions in `generation` (what it lost is given up
    /// already).
    pub fn on_assignment(&mut self, assigned: Vec<TopicPartition>, generation: u32) {
        self.assigned = assigned;
        self.generation = generation;
    }

    /// The positions an OffsetCommit carries: of the assigned partitions (of `only`, unless it
    /// is empty) whose position is known.
    pub fn positions_to_commit(&self, only: &[TopicPartition]) -> Vec<(TopicPartition, Offset)> {
        self.assigned
            .iter()
            .filter(|tp| only.is_empty() || only.contains(tp))
            .filter_map(|tp| Some((tp.clone(), self.position(tp)?)))
            .collect()
    }

    /// It committed (or tried to) at `now_ms`: the auto-commit interval starts again.
    pub fn committed_at(&mut self, now_ms: u64) {
        self.last_commit_ms = now_ms;
    }

    pub(crate) fn auto_commit_due(&self, now_ms: u64) -> bool {
        self.config.enable_auto_commit
            && now_ms.saturating_sub(self.last_commit_ms) >= self.config.auto_commit_interval_ms
    }

    /// Its poll loop runs at `now_ms`: it has not failed and is done with the last records.
    pub fn ready_to_poll(&self, now_ms: u64) -> bool {
        self.failed.is_none() && self.busy_until_ms <= now_ms
    }

    /// Where its read of `tp` starts: its position, else the group's `committed` offset, else
    /// `auto.offset.reset`; with the reset's source and the offset that was out of range, if
    /// one was. An offset outside the leader's log (deleted by retention, truncated by an
    /// unclean election) is OFFSET_OUT_OF_RANGE and resets too; with `none` that, or no
    /// offset at all, is an error. `committed` is asked only without a position.
    pub fn fetch_start(
        &self,
        tp: &TopicPartition,
        bounds: FetchBounds,
        committed: impl FnOnce() -> Option<Offset>,
    ) -> Result<(Offset, Reset), SimError> {
        let in_range = |o: &Offset| *o >= bounds.start && *o <= bounds.end;
        let known = self.position(tp);
        let committed = match known {
            None => committed(),
            Some(_) => None,
        };
        if let Some(position) = known.filter(in_range) {
            return Ok((position, None));
        }
        if let Some(committed) = committed.filter(in_range) {
            return Ok((committed, Some((PositionSource::Committed, None))));
        }
        let out_of_range = known.or(committed);
        let (start, source) = match self.config.auto_offset_reset {
            AutoOffsetReset::Earliest => (bounds.start, PositionSource::Earliest),
            AutoOffsetReset::Latest => (bounds.visible_end, PositionSource::Latest),
            AutoOffsetReset::None => {
                let (consumer, topic, partition) =
                    (self.id.clone(), tp.0.clone(), PartitionId(tp.1));
                return Err(match out_of_range {
                    Some(offset) => SimError::OffsetOutOfRange {
                        consumer,
                        topic,
                        partition,
                        offset,
                    },
                    None => SimError::NoOffsetForPartition {
                        consumer,
                        topic,
                        partition,
                    },
                });
            }
        };
        Ok((start, Some((source, out_of_range))))
    }

    /// A poll starts at `now_ms`: an earlier failure is cleared.
    pub fn start_poll(&mut self, now_ms: u64) {
        self.failed = None;
        self.last_poll_ms = now_ms;
    }

    /// The poll read `tp` up to `position`.
    pub fn advance(&mut self, tp: &TopicPartition, position: Offset) {
        put(&mut self.positions, tp, position);
    }

    /// The poll returned `records`: the application processes them until it polls again.
    pub fn finish_poll(&mut self, now_ms: u64, records: usize) {
        self.delivered += records as u64;
        self.busy_until_ms = now_ms
            .saturating_add((records as u64).saturating_mul(self.config.processing_ms_per_record));
    }

    /// JoinGroup (classic) or the first heartbeat (consumer protocol) at `now_ms`, with its
    /// member id (a new one, `<id>#<n>`, numbered from `next_member_id`, if it has none).
    /// None for a consumer that is not subscribed.
    pub fn join(&mut self, now_ms: u64, next_member_id: &mut u64) -> Option<Join> {
        let Subscription::Topics(topics) = &self.subscription else {
            return None;
        };
        let member_id = match &self.member_id {
            Some(member) => member.clone(),
            None => {
                *next_member_id += 1;
                format!("{}#{next_member_id}", self.id)
            }
        };
        self.member_id = Some(member_id.clone());
        self.rejoin = false;
        self.last_poll_ms = now_ms;
        self.last_heartbeat_ms = now_ms;
        Some(Join {
            member_id,
            client: self.id.clone(),
            topics: topics.clone(),
            owned: self.assigned.clone(),
            strategy: self.config.strategy,
            session_timeout_ms: self.config.session_timeout_ms,
            rebalance_timeout_ms: self.config.max_poll_interval_ms,
        })
    }

    /// `max.poll.interval.ms` has passed since its last poll: it leaves its group.
    pub fn poll_overdue(&self, now_ms: u64) -> bool {
        now_ms.saturating_sub(self.last_poll_ms) > self.config.max_poll_interval_ms
    }

    /// It left its group (its partitions given up already); it joins again at its next poll.
    pub fn left_group(&mut self) {
        self.member_id = None;
        self.rejoin = true;
    }

    /// Its heartbeat thread sends a heartbeat at `now_ms` if one is due; whether it did.
    pub fn heartbeat(&mut self, now_ms: u64) -> bool {
        if now_ms.saturating_sub(self.last_heartbeat_ms) < self.config.heartbeat_every_ms() {
            return false;
        }
        self.last_heartbeat_ms = now_ms;
        true
    }

    /// UNKNOWN_MEMBER_ID: the group dropped it. It loses its partitions without committing
    /// (returned, to report) and joins again at its next poll.
    pub fn fenced(&mut self) -> Vec<TopicPartition> {
        self.positions.clear();
        self.left_group();
        std::mem::take(&mut self.assigned)
    }

    /// Its classic group is rebalancing: it rejoins at its next poll.
    pub fn must_rejoin(&mut self) {
        self.rejoin = true;
    }

    /// Its poll loop stopped with `error`; an explicit poll tries again.
    pub fn failed_with(&mut self, error: String) {
        self.failed = Some(error);
    }
}
