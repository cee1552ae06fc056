//! Consumers: the client side of reading. A consumer subscribes to topics (and joins its
//! group, which assigns it partitions) or is assigned partitions directly; `poll()` reads from
//! each partition's leader below the high watermark (below the last stable offset with
//! `isolation.level=read_committed`), then the application processes the records for
//! `processing.ms.per.record` each before it polls again. A background thread heartbeats
//! every `heartbeat.interval.ms`; a consumer that does not poll within `max.poll.interval.ms`
//! leaves its group.
//!
//! After a leader change a position is validated against the new leader's log (KIP-320):
//! each position remembers the leader epoch of the last record read before it, and the
//! leader tells where that epoch ends in its log (OffsetsForLeaderEpoch). A position past
//! that point was read from records an unclean election threw away, so the consumer moves
//! back to where the logs diverge rather than by `auto.offset.reset`. Simplification: the
//! consumer sees the new leader epoch at its next poll and validates within it (Kafka's learns
//! it from a metadata refresh and validates with an OffsetsForLeaderEpoch round trip before it
//! fetches again).
//!
//! `processing.ms.per.record` is the playground's stand-in for the application's own work; it
//! is not a Kafka setting.
use crate::sim::consumer_membership::ClientMemberState;
use crate::sim::coordinator::Join;
use crate::sim::error::{SimError, check_protocol_string};
use crate::sim::event::PositionSource;
use crate::sim::ids::{LeaderEpoch, Offset, PartitionId};
use crate::sim::offsets::CommittedOffset;
use crate::sim::ordered::Map;
use crate::sim::topic::validate_topic_name;
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

/// `JoinGroupRequest.validateGroupInstanceId`: Kafka checks a `group.instance.id` as it checks
/// a topic name (`Topic.validate`), with its own words (an InvalidConfigurationException from
/// `new KafkaConsumer`).
pub fn validate_group_instance_id(instance: &str) -> Result<(), SimError> {
    let reason = match validate_topic_name(instance) {
        Err(SimError::InvalidTopicName(reason)) => reason.to_string(),
        _ => return Ok(()),
    };
    Err(SimError::InvalidConsumerConfig {
        key: "group.instance.id".to_owned(),
        reason: reason.replacen("Topic name", "Group instance id", 1),
    })
}

/// topic → partition → value, JSON-friendly.
pub type PerPartition<T> = Map<String, Map<PartitionId, T>>;

fn get<T: Copy>(map: &PerPartition<T>, tp: &TopicPartition) -> Option<T> {
    map.get(&tp.topic)
        .and_then(|p| p.get(&tp.partition))
        .copied()
}

fn put<T>(map: &mut PerPartition<T>, tp: &TopicPartition, value: T) {
    map.entry(tp.topic.clone())
        .or_default()
        .insert(tp.partition, value);
}

fn forget<T>(map: &mut PerPartition<T>, tp: &TopicPartition) {
    if let Some(partitions) = map.get_mut(&tp.topic) {
        partitions.remove(&tp.partition);
        if partitions.is_empty() {
            map.remove(&tp.topic);
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
    /// Where it reads next in each assigned partition, once known.
    pub positions: PerPartition<Position>,
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
    /// `group.instance.id`: a static member.
    pub instance_id: Option<String>,
    /// Consumer protocol: its membership as the client sees it.
    pub membership: ClientMemberState,
    /// Consumer protocol: the assignment (and member epoch) a heartbeat brought, which its next
    /// poll reconciles.
    pub pending: Option<(Vec<TopicPartition>, u32)>,
}

/// A consumer's position in one partition (Kafka's `SubscriptionState.FetchPosition`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// The next offset to read.
    pub offset: Offset,
    /// The leader epoch of the last record read before `offset` (`offsetEpoch`), which
    /// validation asks the leader about; `None` after `seek()` or `auto.offset.reset`, which
    /// are not validated until a record is read.
    pub epoch: Option<LeaderEpoch>,
    /// The partition's leader epoch when the position was set or last validated
    /// (`currentLeader`); `None` before the consumer saw the partition's leader.
    pub leader_epoch: Option<LeaderEpoch>,
}

impl Position {
    /// A position nothing is known of but its offset (`seek()`).
    pub fn at(offset: Offset) -> Position {
        Position {
            offset,
            epoch: None,
            leader_epoch: None,
        }
    }

    /// Whether it must be validated before it is read from or committed, now that the
    /// partition's leader epoch is `leader_epoch` (`FetchStates.AWAIT_VALIDATION`): its
    /// leader changed since, and it knows the epoch it read in.
    pub fn awaits_validation(&self, leader_epoch: LeaderEpoch) -> bool {
        self.epoch.is_some() && self.leader_epoch != Some(leader_epoch)
    }

    /// Where a poll that read up to `next` leaves it; `last_epoch` is the epoch of the last
    /// record it read, if it read any.
    pub fn read_to(self, next: Offset, last_epoch: Option<LeaderEpoch>) -> Position {
        Position {
            offset: next,
            epoch: last_epoch.or(self.epoch),
            ..self
        }
    }
}

/// Where a consumer's read of one partition starts when its position is not usable.
pub type Reset = Option<(PositionSource, Option<Offset>)>;

/// What a consumer sees of a partition's leader when it fetches: the log's range, the end its
/// isolation level may read up to, and the leader epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FetchBounds {
    /// The log start offset.
    pub start: Offset,
    /// The log end offset.
    pub end: Offset,
    /// The high watermark, or the last stable offset with read_committed.
    pub visible_end: Offset,
    /// The partition's leader epoch.
    pub leader_epoch: LeaderEpoch,
}

/// Where a poll's read of one partition starts, and what moved it there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FetchStart {
    pub position: Position,
    /// It did not start at the position it held: the committed offset or `auto.offset.reset`
    /// chose it, with the offset found out of range, if one was.
    pub reset: Reset,
    /// Validation found the log truncated below the position (or committed offset) it had.
    pub truncation: Option<Truncation>,
}

/// What validating a position found (KIP-320, `SubscriptionState.maybeCompleteValidation`):
/// the leader's log no longer holds, below the position, the epoch the consumer read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Truncation {
    /// The position validated, and the epoch of the last record read before it.
    pub offset: Offset,
    pub epoch: LeaderEpoch,
    /// Where the leader's log diverges (the end of that epoch there): the new position.
    /// `None` when the leader knows no end for the epoch, and `auto.offset.reset` moved it.
    pub diverged_at: Option<Offset>,
    /// The position was the group's committed offset (with its committed leader epoch).
    pub committed: bool,
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
        let (assigned, rejoin, membership) = match &subscription {
            Subscription::Partitions(partitions) => {
                (partitions.clone(), false, ClientMemberState::Unsubscribed)
            }
            Subscription::Topics(_) => (Vec::new(), true, ClientMemberState::Joining),
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
            instance_id: None,
            membership,
            pending: None,
        }
    }

    pub fn group_id(&self) -> &str {
        &self.config.group_id
    }

    /// The next offset it reads in `tp`, once known.
    pub fn position(&self, tp: &TopicPartition) -> Option<Offset> {
        self.fetch_position(tp).map(|p| p.offset)
    }

    /// Its whole position in `tp`, with the epochs validation needs.
    pub fn fetch_position(&self, tp: &TopicPartition) -> Option<Position> {
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
    /// `assign()` instead: out of its group, owning the partitions at once.
    pub fn resubscribe(&mut self, subscription: Subscription) {
        match &subscription {
            Subscription::Topics(_) => {
                self.rejoin = true;
                if self.member_id.is_none() {
                    self.membership = ClientMemberState::Joining;
                }
            }
            Subscription::Partitions(partitions) => {
                self.member_id = None;
                self.assigned = partitions.clone();
                self.rejoin = false;
                self.pending = None;
                self.membership = ClientMemberState::Unsubscribed;
            }
        }
        self.subscription = subscription;
        self.failed = None;
    }

    /// `seek()`: the next poll of `tp` reads from `offset`.
    pub fn seek(&mut self, tp: TopicPartition, offset: Offset) -> Result<(), SimError> {
        if !self.assigned.contains(&tp) {
            return Err(SimError::NotAssigned {
                consumer: self.id.clone(),
                topic: tp.topic,
                partition: tp.partition,
            });
        }
        put(&mut self.positions, &tp, Position::at(offset));
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

    /// The positions an OffsetCommit carries (`SubscriptionState.allConsumed`): of the
    /// assigned partitions (of `only`, unless it is empty) whose position is known and valid,
    /// each with the epoch it was read in. A position awaiting validation since its partition's
    /// leader epoch (`leader_epoch`) moved on is left out.
    pub fn positions_to_commit(
        &self,
        only: &[TopicPartition],
        leader_epoch: impl Fn(&TopicPartition) -> Option<LeaderEpoch>,
    ) -> Vec<(TopicPartition, CommittedOffset)> {
        self.assigned
            .iter()
            .filter(|tp| only.is_empty() || only.contains(tp))
            .filter_map(|tp| {
                let position = self.fetch_position(tp)?;
                let awaits = leader_epoch(tp).is_some_and(|e| position.awaits_validation(e));
                let committed = CommittedOffset {
                    offset: position.offset,
                    leader_epoch: position.epoch,
                };
                (!awaits).then(|| (tp.clone(), committed))
            })
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
    /// `auto.offset.reset`. `committed` is asked only without a position.
    ///
    /// A position (or committed offset) that knows its epoch is first validated when the
    /// partition's leader epoch moved since it was set (a committed one always): the leader
    /// answers `end_offset_for_epoch` (OffsetsForLeaderEpoch), and an end below the position
    /// means the log was truncated under it, so it moves back to that end, where the logs
    /// diverge ("Truncation detected", `SubscriptionState.maybeCompleteValidation`); when the
    /// leader knows no end, `auto.offset.reset` decides. With `none` either is a
    /// LogTruncationException.
    ///
    /// An offset outside the leader's log (deleted by retention, or past its end) is
    /// OFFSET_OUT_OF_RANGE and resets by `auto.offset.reset`; with `none` that, or no offset at
    /// all, is an error.
    pub fn fetch_start(
        &self,
        tp: &TopicPartition,
        bounds: FetchBounds,
        committed: impl FnOnce() -> Option<CommittedOffset>,
        end_offset_for_epoch: impl FnOnce(LeaderEpoch) -> Option<(LeaderEpoch, Offset)>,
    ) -> Result<FetchStart, SimError> {
        let current = Some(bounds.leader_epoch);
        let held = self.fetch_position(tp);
        let from_committed = held.is_none();
        let mut candidate = held.or_else(|| {
            committed().map(|c| Position {
                offset: c.offset,
                epoch: c.leader_epoch,
                leader_epoch: None,
            })
        });
        let mut truncation = None;
        if let Some(position) = candidate
            && position.leader_epoch != current
        {
            candidate = Some(Position {
                leader_epoch: current,
                ..position
            });
            if let Some(epoch) = position.epoch {
                let end = end_offset_for_epoch(epoch);
                if end.is_none_or(|(_, end)| end < position.offset) {
                    let diverged_at = end.map(|(_, offset)| offset);
                    if self.config.auto_offset_reset == AutoOffsetReset::None {
                        return Err(SimError::LogTruncation {
                            consumer: self.id.clone(),
                            topic: tp.topic.clone(),
                            partition: tp.partition,
                            offset: position.offset,
                            diverged_at,
                        });
                    }
                    truncation = Some(Truncation {
                        offset: position.offset,
                        epoch,
                        diverged_at,
                        committed: from_committed,
                    });
                    candidate = end.map(|(epoch, offset)| Position {
                        offset,
                        epoch: Some(epoch),
                        leader_epoch: current,
                    });
                }
            }
        }
        let in_range = |p: &Position| p.offset >= bounds.start && p.offset <= bounds.end;
        if let Some(position) = candidate.filter(in_range) {
            let reset = (from_committed && truncation.is_none())
                .then_some((PositionSource::Committed, None));
            return Ok(FetchStart {
                position,
                reset,
                truncation,
            });
        }
        let out_of_range = candidate.map(|p| p.offset);
        let (start, source) = match self.config.auto_offset_reset {
            AutoOffsetReset::Earliest => (bounds.start, PositionSource::Earliest),
            AutoOffsetReset::Latest => (bounds.visible_end, PositionSource::Latest),
            AutoOffsetReset::None => {
                let (consumer, topic, partition) =
                    (self.id.clone(), tp.topic.clone(), tp.partition);
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
        Ok(FetchStart {
            position: Position {
                offset: start,
                epoch: None,
                leader_epoch: current,
            },
            reset: Some((source, out_of_range)),
            truncation,
        })
    }

    /// A poll starts at `now_ms`: an earlier failure is cleared.
    pub fn start_poll(&mut self, now_ms: u64) {
        self.failed = None;
        self.last_poll_ms = now_ms;
    }

    /// The poll read `tp` up to `position`.
    pub fn advance(&mut self, tp: &TopicPartition, position: Position) {
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
        self.membership = ClientMemberState::Joining;
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
            instance_id: self.instance_id.clone(),
        })
    }

    /// `max.poll.interval.ms` has passed since its last poll: it leaves its group.
    pub fn poll_overdue(&self, now_ms: u64) -> bool {
        now_ms.saturating_sub(self.last_poll_ms) > self.config.max_poll_interval_ms
    }

    /// It left its group after `max.poll.interval.ms` without a poll (its partitions given up
    /// already; STALE); it joins again at its next poll.
    pub fn left_group(&mut self) {
        self.member_id = None;
        self.rejoin = true;
        self.pending = None;
        self.membership = ClientMemberState::Stale;
    }

    /// Its heartbeat thread sends a heartbeat at `now_ms` if one is due (at once while
    /// ACKNOWLEDGING); whether it did.
    pub fn heartbeat(&mut self, now_ms: u64) -> bool {
        let acknowledging = self.membership == ClientMemberState::Acknowledging;
        if !acknowledging
            && now_ms.saturating_sub(self.last_heartbeat_ms) < self.config.heartbeat_every_ms()
        {
            return false;
        }
        self.last_heartbeat_ms = now_ms;
        true
    }

    /// UNKNOWN_MEMBER_ID: the group dropped it (FENCED). It loses its partitions without
    /// committing (returned, to report) and joins again at its next poll.
    pub fn fenced(&mut self) -> Vec<TopicPartition> {
        self.positions.clear();
        self.left_group();
        self.membership = ClientMemberState::Fenced;
        std::mem::take(&mut self.assigned)
    }

    /// FENCED_INSTANCE_ID: another consumer took its place with its `group.instance.id`. As
    /// `fenced`, but fatal: its poll loop stops with `error` (an explicit poll tries again).
    pub fn fenced_instance(&mut self, error: String) -> Vec<TopicPartition> {
        let lost = self.fenced();
        self.failed_fatally(error);
        lost
    }

    /// A membership error it cannot recover from (FATAL): its poll loop stops with `error`.
    pub fn failed_fatally(&mut self, error: String) {
        self.membership = ClientMemberState::Fatal;
        self.failed_with(error);
    }

    /// Consumer protocol: a heartbeat's answer, the partitions the coordinator assigns it in
    /// `epoch`. Anything new is reconciled at its next poll (RECONCILING); otherwise it is
    /// STABLE.
    pub fn assignment_from_coordinator(&mut self, assigned: Vec<TopicPartition>, epoch: u32) {
        if assigned == self.assigned {
            self.pending = None;
            self.generation = epoch;
            self.membership = ClientMemberState::Stable;
        } else {
            self.pending = Some((assigned, epoch));
            self.membership = ClientMemberState::Reconciling;
        }
    }

    /// Consumer protocol: the poll reconciles the assignment a heartbeat brought, which the
    /// engine hands to it; its next heartbeat acknowledges it (ACKNOWLEDGING).
    pub fn take_pending(&mut self) -> Option<(Vec<TopicPartition>, u32)> {
        let pending = self.pending.take()?;
        self.membership = ClientMemberState::Acknowledging;
        Some(pending)
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
#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::types::ServerAssignor;
    use std::cell::Cell;

    fn tp(topic: &str, partition: u32) -> TopicPartition {
        TopicPartition::new(topic, PartitionId(partition))
    }

    fn topics(names: &[&str]) -> Subscription {
        Subscription::Topics(names.iter().map(|t| t.to_string()).collect())
    }

    /// A consumer `c` of group `g`, created at 0, that subscribed to `orders`.
    fn subscriber() -> Consumer {
        Consumer::new("c".into(), topics(&["orders"]), ConsumerConfig::new("g"), 0)
    }

    /// A consumer `c` of group `g`, created at 0, assigned `partitions`.
    fn assigned(partitions: &[TopicPartition], config: ConsumerConfig) -> Consumer {
        Consumer::new(
            "c".into(),
            Subscription::Partitions(partitions.to_vec()),
            config,
            0,
        )
    }

    fn with_reset(reset: AutoOffsetReset) -> ConsumerConfig {
        ConsumerConfig {
            auto_offset_reset: reset,
            ..ConsumerConfig::new("g")
        }
    }

    /// A leader in epoch 0 whose log holds offsets 10..100, with the high watermark (or LSO)
    /// at `visible_end`.
    fn log_10_to_100(visible_end: u64) -> FetchBounds {
        FetchBounds {
            start: Offset(10),
            end: Offset(100),
            visible_end: Offset(visible_end),
            leader_epoch: LeaderEpoch(0),
        }
    }

    fn at(offset: u64) -> Offset {
        Offset(offset)
    }

    /// `offset`, committed without a leader epoch (as `--reset-offsets` commits).
    fn committed_at(offset: u64) -> CommittedOffset {
        CommittedOffset {
            offset: Offset(offset),
            leader_epoch: None,
        }
    }

    /// `fetch_start` of orders-0 with `committed` (without an epoch, so nothing is validated)
    /// as the group's offset: where it starts and how, and whether the offset was asked for.
    fn fetch(
        consumer: &Consumer,
        bounds: FetchBounds,
        committed: Option<u64>,
    ) -> (Result<(Offset, Reset), SimError>, bool) {
        let asked = Cell::new(false);
        let committed = || {
            asked.set(true);
            committed.map(committed_at)
        };
        let start = consumer.fetch_start(&tp("orders", 0), bounds, committed, |_| None);
        let start = start.map(|s| {
            assert_eq!(s.truncation, None);
            (s.position.offset, s.reset)
        });
        (start, asked.get())
    }

    #[test]
    fn a_subscribed_consumer_owns_nothing_and_joins_at_its_first_poll() {
        let c = Consumer::new("c".into(), topics(&["orders"]), ConsumerConfig::new("g"), 7);
        assert!(c.subscribed());
        assert!(c.rejoin);
        assert_eq!(c.assigned, Vec::<TopicPartition>::new());
        assert_eq!(c.member_id, None);
        assert_eq!(c.generation, 0);
        assert_eq!(
            (
                c.last_commit_ms,
                c.last_poll_ms,
                c.last_heartbeat_ms,
                c.busy_until_ms
            ),
            (7, 7, 7, 7)
        );
        assert_eq!(c.group_id(), "g");
    }

    #[test]
    fn an_assigned_consumer_owns_its_partitions_at_once_and_never_joins() {
        let c = assigned(
            &[tp("orders", 0), tp("orders", 2)],
            ConsumerConfig::new("g"),
        );
        assert!(!c.subscribed());
        assert!(!c.rejoin);
        assert_eq!(c.assigned, vec![tp("orders", 0), tp("orders", 2)]);
        assert_eq!(c.position(&tp("orders", 0)), None);
    }

    #[test]
    fn is_member_compares_the_member_id() {
        let mut c = subscriber();
        assert!(!c.is_member("c#1"));
        c.member_id = Some("c#1".into());
        assert!(c.is_member("c#1"));
        assert!(!c.is_member("c#2"));
    }

    #[test]
    fn only_classic_members_with_an_eager_strategy_are_eager() {
        let with = |group_protocol, strategy| {
            let config = ConsumerConfig {
                group_protocol,
                strategy,
                ..ConsumerConfig::new("g")
            };
            Consumer::new("c".into(), topics(&["orders"]), config, 0).eager()
        };
        let consumer = GroupProtocol::Consumer {
            assignor: ServerAssignor::Uniform,
        };
        assert!(with(GroupProtocol::Classic, Strategy::Range));
        assert!(with(GroupProtocol::Classic, Strategy::RoundRobin));
        assert!(with(GroupProtocol::Classic, Strategy::Sticky));
        assert!(!with(GroupProtocol::Classic, Strategy::CooperativeSticky));
        assert!(!with(consumer, Strategy::Range));
    }

    #[test]
    fn subscribe_again_rejoins_at_the_next_poll_and_clears_a_failure() {
        let mut c = assigned(&[tp("orders", 0)], ConsumerConfig::new("g"));
        c.failed_with("stopped".into());
        c.resubscribe(topics(&["payments"]));
        assert!(c.rejoin);
        assert_eq!(c.subscription, topics(&["payments"]));
        assert_eq!(c.failed, None);
        assert!(c.subscribed());
    }

    #[test]
    fn assign_after_membership_leaves_the_group_and_owns_the_partitions() {
        let mut c = subscriber();
        let mut next = 0;
        c.join(0, &mut next);
        c.failed_with("stopped".into());
        let partitions = vec![tp("orders", 1)];
        c.resubscribe(Subscription::Partitions(partitions.clone()));
        assert_eq!(c.member_id, None);
        assert_eq!(c.assigned, partitions);
        assert!(!c.rejoin);
        assert_eq!(c.failed, None);
        assert_eq!(c.subscription, Subscription::Partitions(partitions));
    }

    #[test]
    fn seek_sets_the_next_position_of_an_assigned_partition() {
        let mut c = assigned(&[tp("orders", 0)], ConsumerConfig::new("g"));
        assert_eq!(c.seek(tp("orders", 0), at(42)), Ok(()));
        assert_eq!(c.position(&tp("orders", 0)), Some(at(42)));
        // Seeking backwards is allowed too (replay).
        assert_eq!(c.seek(tp("orders", 0), at(3)), Ok(()));
        assert_eq!(c.position(&tp("orders", 0)), Some(at(3)));
    }

    #[test]
    fn seek_refuses_a_partition_it_is_not_assigned_and_changes_nothing() {
        // KafkaConsumer.seek: IllegalStateException "No current assignment for partition".
        let mut c = assigned(&[tp("orders", 0)], ConsumerConfig::new("g"));
        c.advance(&tp("orders", 0), Position::at(at(5)));
        let before = c.clone();
        assert_eq!(
            c.seek(tp("orders", 1), at(9)),
            Err(SimError::NotAssigned {
                consumer: "c".into(),
                topic: "orders".into(),
                partition: PartitionId(1),
            })
        );
        assert_eq!(c, before);
        assert_eq!(c.position(&tp("orders", 1)), None);
    }

    #[test]
    fn give_up_forgets_the_partitions_and_their_positions_only() {
        let mut c = assigned(
            &[tp("orders", 0), tp("orders", 1), tp("payments", 0)],
            ConsumerConfig::new("g"),
        );
        c.advance(&tp("orders", 0), Position::at(at(5)));
        c.advance(&tp("orders", 1), Position::at(at(6)));
        c.advance(&tp("payments", 0), Position::at(at(7)));
        c.give_up(&[tp("orders", 1), tp("payments", 0)]);
        assert_eq!(c.assigned, vec![tp("orders", 0)]);
        let mut expected = PerPartition::new();
        put(&mut expected, &tp("orders", 0), Position::at(at(5)));
        // No empty entry is left for payments.
        assert_eq!(c.positions, expected);
    }

    #[test]
    fn assignment_changes_lists_what_is_revoked_then_what_is_added() {
        let c = assigned(
            &[tp("orders", 0), tp("orders", 1), tp("orders", 2)],
            ConsumerConfig::new("g"),
        );
        let (revoked, added) =
            c.assignment_changes(&[tp("orders", 1), tp("orders", 3), tp("payments", 0)]);
        assert_eq!(revoked, vec![tp("orders", 0), tp("orders", 2)]);
        assert_eq!(added, vec![tp("orders", 3), tp("payments", 0)]);
        let (revoked, added) = c.assignment_changes(&c.assigned.clone());
        assert!(revoked.is_empty() && added.is_empty());
    }

    #[test]
    fn on_assignment_takes_the_partitions_and_the_generation() {
        let mut c = subscriber();
        c.on_assignment(vec![tp("orders", 2)], 4);
        assert_eq!(c.assigned, vec![tp("orders", 2)]);
        assert_eq!(c.generation, 4);
    }

    #[test]
    fn a_commit_carries_the_known_positions_of_assigned_partitions() {
        let mut c = assigned(
            &[tp("orders", 0), tp("orders", 1), tp("orders", 2)],
            ConsumerConfig::new("g"),
        );
        c.advance(&tp("orders", 0), Position::at(at(10)));
        c.advance(&tp("orders", 2), Position::at(at(30)));
        // A position of a partition it no longer owns is not committed.
        c.advance(&tp("orders", 9), Position::at(at(90)));
        assert_eq!(
            c.positions_to_commit(&[], |_| None),
            vec![
                (tp("orders", 0), committed_at(10)),
                (tp("orders", 2), committed_at(30))
            ]
        );
        // onPartitionsRevoked commits only what is revoked.
        assert_eq!(
            c.positions_to_commit(&[tp("orders", 2), tp("orders", 1)], |_| None),
            vec![(tp("orders", 2), committed_at(30))]
        );
    }

    #[test]
    fn auto_commit_is_due_every_auto_commit_interval_ms() {
        let mut c = subscriber();
        assert!(!c.auto_commit_due(4_999));
        assert!(c.auto_commit_due(5_000));
        c.committed_at(5_000);
        assert_eq!(c.last_commit_ms, 5_000);
        assert!(!c.auto_commit_due(9_999));
        assert!(c.auto_commit_due(10_000));
    }

    #[test]
    fn auto_commit_is_never_due_with_enable_auto_commit_false() {
        let config = ConsumerConfig {
            enable_auto_commit: false,
            ..ConsumerConfig::new("g")
        };
        let c = Consumer::new("c".into(), topics(&["orders"]), config, 0);
        assert!(!c.auto_commit_due(1_000_000));
    }

    #[test]
    fn it_polls_when_not_failed_and_done_processing() {
        let config = ConsumerConfig {
            processing_ms_per_record: 10,
            ..ConsumerConfig::new("g")
        };
        let mut c = Consumer::new("c".into(), topics(&["orders"]), config, 0);
        assert!(c.ready_to_poll(0));
        c.start_poll(100);
        assert_eq!(c.last_poll_ms, 100);
        c.finish_poll(100, 3);
        assert_eq!(c.delivered, 3);
        assert_eq!(c.busy_until_ms, 130);
        assert!(!c.ready_to_poll(129));
        assert!(c.ready_to_poll(130));
        c.finish_poll(130, 2);
        assert_eq!(c.delivered, 5);
        assert_eq!(c.busy_until_ms, 150);
    }

    #[test]
    fn a_failed_poll_loop_stops_until_a_poll_starts_again() {
        let mut c = subscriber();
        c.failed_with("NoOffsetForPartitionException".into());
        assert_eq!(c.failed.as_deref(), Some("NoOffsetForPartitionException"));
        assert!(!c.ready_to_poll(1_000));
        c.start_poll(1_000);
        assert_eq!(c.failed, None);
        assert!(c.ready_to_poll(1_000));
    }

    #[test]
    fn advance_moves_the_position() {
        let mut c = assigned(&[tp("orders", 0)], ConsumerConfig::new("g"));
        c.advance(&tp("orders", 0), Position::at(at(12)));
        c.advance(&tp("orders", 0), Position::at(at(20)));
        assert_eq!(c.position(&tp("orders", 0)), Some(at(20)));
    }

    #[test]
    fn fetch_starts_at_a_position_in_range_without_asking_for_the_committed_offset() {
        let mut c = assigned(&[tp("orders", 0)], ConsumerConfig::new("g"));
        c.advance(&tp("orders", 0), Position::at(at(42)));
        assert_eq!(
            fetch(&c, log_10_to_100(100), Some(20)),
            (Ok((at(42), None)), false)
        );
        // Both ends of the log are in range: the start and the log end offset.
        c.advance(&tp("orders", 0), Position::at(at(10)));
        assert_eq!(fetch(&c, log_10_to_100(100), None).0, Ok((at(10), None)));
        c.advance(&tp("orders", 0), Position::at(at(100)));
        assert_eq!(fetch(&c, log_10_to_100(100), None).0, Ok((at(100), None)));
    }

    #[test]
    fn a_position_below_the_log_start_resets_to_earliest_not_to_the_committed_offset() {
        // Retention deleted the records: OFFSET_OUT_OF_RANGE, then auto.offset.reset.
        let mut c = assigned(&[tp("orders", 0)], with_reset(AutoOffsetReset::Earliest));
        c.advance(&tp("orders", 0), Position::at(at(5)));
        assert_eq!(
            fetch(&c, log_10_to_100(100), Some(50)),
            (
                Ok((at(10), Some((PositionSource::Earliest, Some(at(5)))))),
                false
            )
        );
    }

    #[test]
    fn a_position_past_the_log_end_resets_to_latest_the_visible_end() {
        // Past the log end (a seek too far), with no leader change to validate against.
        let mut c = assigned(&[tp("orders", 0)], with_reset(AutoOffsetReset::Latest));
        c.advance(&tp("orders", 0), Position::at(at(101)));
        assert_eq!(
            fetch(&c, log_10_to_100(90), None),
            (
                Ok((at(90), Some((PositionSource::Latest, Some(at(101)))))),
                false
            )
        );
    }

    #[test]
    fn a_position_out_of_range_with_reset_none_is_offset_out_of_range() {
        let mut c = assigned(&[tp("orders", 0)], with_reset(AutoOffsetReset::None));
        c.advance(&tp("orders", 0), Position::at(at(5)));
        assert_eq!(
            fetch(&c, log_10_to_100(100), Some(50)),
            (
                Err(SimError::OffsetOutOfRange {
                    consumer: "c".into(),
                    topic: "orders".into(),
                    partition: PartitionId(0),
                    offset: at(5),
                }),
                false
            )
        );
    }

    #[test]
    fn without_a_position_it_starts_at_the_committed_offset() {
        let c = assigned(&[tp("orders", 0)], with_reset(AutoOffsetReset::None));
        assert_eq!(
            fetch(&c, log_10_to_100(100), Some(50)),
            (Ok((at(50), Some((PositionSource::Committed, None)))), true)
        );
        assert_eq!(
            fetch(&c, log_10_to_100(100), Some(100)).0,
            Ok((at(100), Some((PositionSource::Committed, None))))
        );
    }

    #[test]
    fn a_committed_offset_out_of_range_resets_and_reports_it() {
        let c = assigned(&[tp("orders", 0)], with_reset(AutoOffsetReset::Earliest));
        assert_eq!(
            fetch(&c, log_10_to_100(100), Some(3)),
            (
                Ok((at(10), Some((PositionSource::Earliest, Some(at(3)))))),
                true
            )
        );
        let c = assigned(&[tp("orders", 0)], with_reset(AutoOffsetReset::Latest));
        assert_eq!(
            fetch(&c, log_10_to_100(80), Some(150)).0,
            Ok((at(80), Some((PositionSource::Latest, Some(at(150))))))
        );
        let c = assigned(&[tp("orders", 0)], with_reset(AutoOffsetReset::None));
        assert_eq!(
            fetch(&c, log_10_to_100(100), Some(3)).0,
            Err(SimError::OffsetOutOfRange {
                consumer: "c".into(),
                topic: "orders".into(),
                partition: PartitionId(0),
                offset: at(3),
            })
        );
    }

    #[test]
    fn without_any_offset_earliest_starts_at_the_log_start() {
        let c = assigned(&[tp("orders", 0)], with_reset(AutoOffsetReset::Earliest));
        assert_eq!(
            fetch(&c, log_10_to_100(100), None),
            (Ok((at(10), Some((PositionSource::Earliest, None)))), true)
        );
    }

    #[test]
    fn without_any_offset_latest_starts_at_the_last_stable_offset_for_read_committed() {
        // The log ends at 100, but an open transaction holds the LSO at 60.
        let c = assigned(&[tp("orders", 0)], with_reset(AutoOffsetReset::Latest));
        assert_eq!(
            fetch(&c, log_10_to_100(60), None),
            (Ok((at(60), Some((PositionSource::Latest, None)))), true)
        );
    }

    /// A new leader in epoch 1 whose log holds offsets 0..8: epoch 0 ended at 3 there (the
    /// old leader's 3..6 were lost), epoch 1 wrote 3..8. Its OffsetsForLeaderEpoch answers.
    fn after_unclean_election() -> (
        FetchBounds,
        impl Fn(LeaderEpoch) -> Option<(LeaderEpoch, Offset)>,
    ) {
        let bounds = FetchBounds {
            start: Offset(0),
            end: Offset(8),
            visible_end: Offset(8),
            leader_epoch: LeaderEpoch(1),
        };
        let end_offset_for_epoch = |epoch: LeaderEpoch| match epoch.0 {
            0 => Some((LeaderEpoch(0), Offset(3))),
            1 => Some((LeaderEpoch(1), Offset(8))),
            _ => None,
        };
        (bounds, end_offset_for_epoch)
    }

    /// Read up to `offset` in leader epoch 0, with epoch 0 leading.
    fn read_in_epoch_0(offset: u64) -> Position {
        Position {
            offset: Offset(offset),
            epoch: Some(LeaderEpoch(0)),
            leader_epoch: Some(LeaderEpoch(0)),
        }
    }

    /// KIP-320 (`SubscriptionState.maybeValidatePositionForCurrentLeader` and
    /// `maybeCompleteValidation`, `OffsetsForLeaderEpochUtils`): after a leader change the
    /// position is validated with the epoch of the last record read; an end offset below it
    /// is a truncation, and the position moves to that end ("Truncation detected ... resetting
    /// offset to the first offset known to diverge"), not by auto.offset.reset: position 6 is
    /// inside the new log, so without validation it would silently skip the new 3..6.
    #[test]
    fn after_a_leader_change_a_position_past_the_divergence_moves_back_to_it() {
        let (bounds, end_offset_for_epoch) = after_unclean_election();
        for past in [6, 9] {
            let mut c = assigned(&[tp("orders", 0)], with_reset(AutoOffsetReset::Earliest));
            c.advance(&tp("orders", 0), read_in_epoch_0(past));
            let start = c.fetch_start(&tp("orders", 0), bounds, || None, &end_offset_for_epoch);
            assert_eq!(
                start,
                Ok(FetchStart {
                    position: Position {
                        offset: at(3),
                        epoch: Some(LeaderEpoch(0)),
                        leader_epoch: Some(LeaderEpoch(1)),
                    },
                    reset: None,
                    truncation: Some(Truncation {
                        offset: at(past),
                        epoch: LeaderEpoch(0),
                        diverged_at: Some(at(3)),
                        committed: false,
                    }),
                }),
                "from {past}"
            );
        }
    }

    /// `maybeCompleteValidation`'s other branches: an end at or past the position completes
    /// the validation (the position now knows the new leader); without a leader change, or
    /// without an epoch (after `seek()` or a reset), nothing is asked.
    #[test]
    fn a_position_the_leader_still_holds_or_with_nothing_to_validate_is_kept() {
        let (bounds, end_offset_for_epoch) = after_unclean_election();
        let mut c = assigned(&[tp("orders", 0)], ConsumerConfig::new("g"));
        c.advance(&tp("orders", 0), read_in_epoch_0(3));
        let start = c.fetch_start(&tp("orders", 0), bounds, || None, &end_offset_for_epoch);
        let validated = Position {
            leader_epoch: Some(LeaderEpoch(1)),
            ..read_in_epoch_0(3)
        };
        assert_eq!(
            start.map(|s| (s.position, s.reset, s.truncation)),
            Ok((validated, None, None))
        );
        let asked = |_| -> Option<(LeaderEpoch, Offset)> { panic!("nothing to validate") };
        c.advance(
            &tp("orders", 0),
            validated.read_to(at(7), Some(LeaderEpoch(1))),
        );
        let start = c.fetch_start(&tp("orders", 0), bounds, || None, asked);
        assert_eq!(start.map(|s| s.position.offset), Ok(at(7)), "same leader");
        c.seek(tp("orders", 0), at(5)).expect("assigned");
        let start = c.fetch_start(&tp("orders", 0), bounds, || None, asked);
        assert_eq!(
            start.map(|s| s.position),
            Ok(Position {
                offset: at(5),
                epoch: None,
                leader_epoch: Some(LeaderEpoch(1)),
            }),
            "a sought offset is not validated"
        );
    }

    /// `ConsumerUtils.refreshCommittedOffsets` seeks to the committed offset with its
    /// committed leader epoch unvalidated (`seekUnvalidated`), so it is validated like a
    /// position before it is read from; a commit without an epoch (`--reset-offsets`) is not.
    #[test]
    fn a_committed_offset_is_validated_with_its_committed_leader_epoch() {
        let (bounds, end_offset_for_epoch) = after_unclean_election();
        let c = assigned(&[tp("orders", 0)], ConsumerConfig::new("g"));
        let committed = CommittedOffset {
            offset: at(6),
            leader_epoch: Some(LeaderEpoch(0)),
        };
        let start = c.fetch_start(
            &tp("orders", 0),
            bounds,
            || Some(committed),
            &end_offset_for_epoch,
        );
        assert_eq!(
            start.map(|s| (s.position.offset, s.reset, s.truncation)),
            Ok((
                at(3),
                None,
                Some(Truncation {
                    offset: at(6),
                    epoch: LeaderEpoch(0),
                    diverged_at: Some(at(3)),
                    committed: true,
                })
            ))
        );
        let start = c.fetch_start(
            &tp("orders", 0),
            bounds,
            || Some(committed_at(6)),
            |_| panic!("no epoch to validate"),
        );
        assert_eq!(
            start.map(|s| (s.position.offset, s.reset)),
            Ok((at(6), Some((PositionSource::Committed, None))))
        );
    }

    /// With auto.offset.reset=none a truncation is a `LogTruncationException`
    /// (`OffsetFetcherUtils.buildLogTruncationException`); when the leader has no end offset
    /// for the epoch (UNDEFINED_EPOCH_OFFSET) the position resets by auto.offset.reset
    /// (`requestOffsetReset`).
    #[test]
    fn a_truncation_without_a_reset_policy_fails_and_an_unknown_epoch_resets() {
        let (bounds, end_offset_for_epoch) = after_unclean_election();
        let mut c = assigned(&[tp("orders", 0)], with_reset(AutoOffsetReset::None));
        c.advance(&tp("orders", 0), read_in_epoch_0(6));
        assert_eq!(
            c.fetch_start(&tp("orders", 0), bounds, || None, &end_offset_for_epoch),
            Err(SimError::LogTruncation {
                consumer: "c".into(),
                topic: "orders".into(),
                partition: PartitionId(0),
                offset: at(6),
                diverged_at: Some(at(3)),
            })
        );
        let mut c = assigned(&[tp("orders", 0)], with_reset(AutoOffsetReset::Latest));
        c.advance(&tp("orders", 0), read_in_epoch_0(6));
        let start = c.fetch_start(&tp("orders", 0), bounds, || None, |_| None);
        assert_eq!(
            start.map(|s| (
                s.position.offset,
                s.reset,
                s.truncation.map(|t| t.diverged_at)
            )),
            Ok((at(8), Some((PositionSource::Latest, None)), Some(None)))
        );
    }

    /// `SubscriptionState.allConsumed` commits only valid positions, each with its epoch: one
    /// awaiting validation after a leader change is left out.
    #[test]
    fn a_commit_carries_each_positions_epoch_and_leaves_out_those_awaiting_validation() {
        let mut c = assigned(
            &[tp("orders", 0), tp("orders", 1)],
            ConsumerConfig::new("g"),
        );
        c.advance(&tp("orders", 0), read_in_epoch_0(6));
        c.advance(&tp("orders", 1), read_in_epoch_0(4));
        let moved_on = |tp: &TopicPartition| Some(LeaderEpoch(tp.partition.0));
        assert_eq!(
            c.positions_to_commit(&[], moved_on),
            vec![(
                tp("orders", 0),
                CommittedOffset {
                    offset: at(6),
                    leader_epoch: Some(LeaderEpoch(0)),
                }
            )],
            "orders-1's leader epoch is 1 now"
        );
    }

    #[test]
    fn without_any_offset_reset_none_is_no_offset_for_partition() {
        let c = assigned(&[tp("orders", 0)], with_reset(AutoOffsetReset::None));
        assert_eq!(
            fetch(&c, log_10_to_100(100), None),
            (
                Err(SimError::NoOffsetForPartition {
                    consumer: "c".into(),
                    topic: "orders".into(),
                    partition: PartitionId(0),
                }),
                true
            )
        );
    }

    #[test]
    fn join_numbers_new_member_ids_from_the_counter() {
        let mut next = 0;
        let mut c = subscriber();
        let join = c.join(250, &mut next).expect("a subscribed consumer joins");
        assert_eq!(
            join,
            Join {
                member_id: "c#1".into(),
                client: "c".into(),
                topics: vec!["orders".into()],
                owned: vec![],
                strategy: Strategy::Range,
                session_timeout_ms: 45_000,
                rebalance_timeout_ms: 300_000,
                instance_id: None,
            }
        );
        assert_eq!(next, 1);
        assert_eq!(c.member_id.as_deref(), Some("c#1"));
        assert!(!c.rejoin);
        assert_eq!((c.last_poll_ms, c.last_heartbeat_ms), (250, 250));
        let mut d = Consumer::new("d".into(), topics(&["orders"]), ConsumerConfig::new("g"), 0);
        assert_eq!(d.join(300, &mut next).unwrap().member_id, "d#2");
        assert_eq!(next, 2);
    }

    #[test]
    fn a_rejoin_keeps_the_member_id_and_sends_what_it_owns() {
        let mut next = 0;
        let config = ConsumerConfig {
            strategy: Strategy::CooperativeSticky,
            session_timeout_ms: 10_000,
            max_poll_interval_ms: 60_000,
            ..ConsumerConfig::new("g")
        };
        let mut c = Consumer::new("c".into(), topics(&["orders"]), config, 0);
        c.join(0, &mut next);
        c.on_assignment(vec![tp("orders", 0), tp("orders", 1)], 1);
        c.must_rejoin();
        assert!(c.rejoin);
        let join = c.join(5_000, &mut next).unwrap();
        assert_eq!(next, 1, "no new member id");
        assert_eq!(
            join,
            Join {
                member_id: "c#1".into(),
                client: "c".into(),
                topics: vec!["orders".into()],
                owned: vec![tp("orders", 0), tp("orders", 1)],
                strategy: Strategy::CooperativeSticky,
                session_timeout_ms: 10_000,
                rebalance_timeout_ms: 60_000,
                instance_id: None,
            }
        );
        assert!(!c.rejoin);
    }

    #[test]
    fn an_assigned_consumer_does_not_join() {
        let mut next = 3;
        let mut c = assigned(&[tp("orders", 0)], ConsumerConfig::new("g"));
        assert_eq!(c.join(0, &mut next), None);
        assert_eq!(next, 3);
        assert_eq!(c.member_id, None);
    }

    #[test]
    fn it_leaves_after_max_poll_interval_ms_without_a_poll() {
        let mut c = subscriber();
        c.start_poll(1_000);
        assert!(!c.poll_overdue(301_000));
        assert!(c.poll_overdue(301_001));
        c.join(0, &mut 0);
        c.left_group();
        assert_eq!(c.member_id, None);
        assert!(c.rejoin);
    }

    #[test]
    fn a_classic_member_heartbeats_every_heartbeat_interval_ms() {
        let mut c = subscriber();
        assert!(!c.heartbeat(2_999));
        assert_eq!(c.last_heartbeat_ms, 0);
        assert!(c.heartbeat(3_000));
        assert_eq!(c.last_heartbeat_ms, 3_000);
        assert!(!c.heartbeat(5_999));
        assert!(c.heartbeat(6_000));
    }

    #[test]
    fn a_consumer_protocol_member_heartbeats_every_5_s_whatever_its_setting() {
        // group.consumer.heartbeat.interval.ms is the broker's; the client's setting is unused.
        let config = ConsumerConfig {
            group_protocol: GroupProtocol::Consumer {
                assignor: ServerAssignor::Range,
            },
            heartbeat_interval_ms: 1_000,
            ..ConsumerConfig::new("g")
        };
        let mut c = Consumer::new("c".into(), topics(&["orders"]), config, 0);
        assert!(!c.heartbeat(4_999));
        assert!(c.heartbeat(5_000));
        assert!(!c.heartbeat(9_999));
    }

    #[test]
    fn fenced_loses_its_partitions_without_positions_and_rejoins() {
        let mut c = subscriber();
        c.join(0, &mut 0);
        c.on_assignment(vec![tp("orders", 0), tp("orders", 1)], 2);
        c.advance(&tp("orders", 0), Position::at(at(7)));
        assert_eq!(c.fenced(), vec![tp("orders", 0), tp("orders", 1)]);
        assert!(c.assigned.is_empty());
        assert!(c.positions.is_empty());
        assert_eq!(c.member_id, None);
        assert!(c.rejoin);
    }

    /// The client's `MemberState` (`clients/.../consumer/internals/MemberState.java`):
    /// JOINING → RECONCILING (a heartbeat brought an assignment) → ACKNOWLEDGING (the poll
    /// reconciled it; the next heartbeat goes at once) → STABLE (the coordinator sent nothing
    /// new); UNSUBSCRIBED with `assign()`.
    #[test]
    fn a_consumer_protocol_member_goes_joining_reconciling_acknowledging_stable() {
        let config = ConsumerConfig {
            group_protocol: GroupProtocol::Consumer {
                assignor: ServerAssignor::Uniform,
            },
            ..ConsumerConfig::new("g")
        };
        let mut c = Consumer::new("c".into(), topics(&["orders"]), config, 0);
        assert_eq!(c.membership, ClientMemberState::Joining);
        c.join(0, &mut 0);
        c.assignment_from_coordinator(vec![tp("orders", 0)], 1);
        assert_eq!(c.membership, ClientMemberState::Reconciling);
        assert_eq!(c.pending, Some((vec![tp("orders", 0)], 1)));
        assert_eq!(c.take_pending(), Some((vec![tp("orders", 0)], 1)));
        assert_eq!(c.membership, ClientMemberState::Acknowledging);
        assert!(
            c.heartbeat(100),
            "an acknowledgement does not wait the interval"
        );
        c.on_assignment(vec![tp("orders", 0)], 1);
        c.assignment_from_coordinator(vec![tp("orders", 0)], 1);
        assert_eq!(c.membership, ClientMemberState::Stable);
        assert_eq!(c.take_pending(), None);
        assert!(!c.heartbeat(200));
        c.resubscribe(Subscription::Partitions(vec![tp("orders", 1)]));
        assert_eq!(c.membership, ClientMemberState::Unsubscribed);
    }

    /// FENCED (UNKNOWN_MEMBER_ID) and STALE (`max.poll.interval.ms`) rejoin at the next poll;
    /// FATAL (FENCED_INSTANCE_ID, `ConsumerHeartbeatRequestManager`) stops the poll loop.
    #[test]
    fn fenced_stale_and_fatal_members() {
        let mut c = subscriber();
        c.join(0, &mut 0);
        c.fenced();
        assert_eq!(c.membership, ClientMemberState::Fenced);
        c.join(10, &mut 0);
        assert_eq!(c.membership, ClientMemberState::Joining);
        c.left_group();
        assert_eq!(c.membership, ClientMemberState::Stale);
        c.join(20, &mut 0);
        c.on_assignment(vec![tp("orders", 0)], 1);
        assert_eq!(
            c.fenced_instance("FENCED_INSTANCE_ID".into()),
            vec![tp("orders", 0)]
        );
        assert_eq!(c.membership, ClientMemberState::Fatal);
        assert_eq!(c.failed.as_deref(), Some("FENCED_INSTANCE_ID"));
        assert!(!c.ready_to_poll(30));
    }

    /// `JoinGroupRequest.validateGroupInstanceId`: `Topic.validate` with its own prefix.
    #[test]
    fn a_group_instance_id_is_checked_as_kafka_checks_a_topic_name() {
        assert_eq!(validate_group_instance_id("host-1.a_b"), Ok(()));
        let reason = |id: &str| match validate_group_instance_id(id) {
            Err(SimError::InvalidConsumerConfig { key, reason }) => {
                assert_eq!(key, "group.instance.id");
                reason
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(
            reason(""),
            "Group instance id is invalid: the empty string is not allowed"
        );
        assert_eq!(
            reason(".."),
            "Group instance id is invalid: '..' is not allowed"
        );
        assert_eq!(
            reason("a b"),
            "Group instance id is invalid: 'a b' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"
        );
        assert!(reason(&"x".repeat(250)).contains("longer than the max allowed length 249"));
    }
}
