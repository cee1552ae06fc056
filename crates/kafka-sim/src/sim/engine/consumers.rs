//! The engine's side of `consumer.rs`: the `Sim` methods that route commands and the clock to it.
use crate::sim::command::Outcome;
use crate::sim::consumer::{Consumer, FetchBounds, FetchStart, validate_group_instance_id};
use crate::sim::coordinator::{FENCED_INSTANCE_ID, Group, GroupState, HeartbeatAnswer};
use crate::sim::engine::Sim;
use crate::sim::error::{SimError, check_protocol_string};
use crate::sim::event::Event;
use crate::sim::ids::Offset;
use crate::sim::names::Named;
use crate::sim::types::{
    ConsumerConfig, GroupProtocol, Strategy, Subscription, TopicPartition, describe,
};

impl Sim {
    /// A new consumer, static when it has a `group.instance.id` (`instance`).
    pub(crate) fn add_consumer(
        &mut self,
        id: String,
        subscription: Subscription,
        config: ConsumerConfig,
        instance: Option<String>,
    ) -> Result<Outcome, SimError> {
        if self.consumers.contains_key(&id) {
            return Err(SimError::ConsumerExists { consumer: id });
        }
        self.check_new_consumer(&id, &subscription, &config, instance.as_deref())?;
        self.start_consumer(id, subscription, config, instance);
        Ok(Outcome::Done)
    }

    /// What `new KafkaConsumer(config)` and `subscribe()` or `assign()` check, and the group's
    /// protocol and assignor.
    fn check_new_consumer(
        &self,
        id: &str,
        subscription: &Subscription,
        config: &ConsumerConfig,
        instance: Option<&str>,
    ) -> Result<(), SimError> {
        if id.is_empty() {
            return Err(SimError::EmptyConsumerName);
        }
        check_protocol_string("consumer", id)?;
        config.validate()?;
        if let Some(instance) = instance {
            validate_group_instance_id(instance)?;
        }
        self.check_subscription(subscription)?;
        if matches!(subscription, Subscription::Topics(_)) {
            self.check_group_protocol(id, config)?;
        }
        if let Some(group) = self.groups.get(&config.group_id)
            && !group.members.is_empty()
        {
            if group.protocol != config.group_protocol {
                return Err(protocol_mismatch(&group.id));
            }
            if group.protocol == GroupProtocol::Classic
                && group.strategy.is_some_and(|s| s != config.strategy)
            {
                return Err(SimError::InconsistentGroupProtocol {
                    group: group.id.clone(),
                    reason: format!(
                        "the group's members use partition.assignment.strategy {}",
                        group.strategy.as_ref().map_or("", Strategy::name)
                    ),
                });
            }
        }
        Ok(())
    }

    fn start_consumer(
        &mut self,
        id: String,
        subscription: Subscription,
        config: ConsumerConfig,
        instance: Option<String>,
    ) {
        self.find_coordinator();
        let group = config.group_id.clone();
        match self.groups.get_mut(&group) {
            // An empty group takes the protocol of whoever joins it first.
            Some(g) if g.state != GroupState::Dead && g.members.is_empty() => {
                g.protocol = config.group_protocol
            }
            Some(g) if g.state != GroupState::Dead => {}
            _ => {
                self.groups.insert(
                    group.clone(),
                    Group::new(group.clone(), config.group_protocol),
                );
            }
        }
        self.emit(Event::ConsumerStarted {
            consumer: id.clone(),
            group,
            subscription: describe(&subscription),
        });
        let mut consumer = Consumer::new(id.clone(), subscription, config, self.now_ms);
        consumer.instance_id = instance;
        self.consumers.insert(id, consumer);
    }

    /// The consumer's process restarts (a rolling deploy): it closes, and a new process with
    /// the same settings starts at once and joins at its first poll. A static member keeps its
    /// place while it is away; a dynamic one leaves, and joins again as a new member.
    pub(crate) fn restart_consumer(&mut self, id: &str) -> Result<Outcome, SimError> {
        let consumer = self.consumers.get(id).ok_or_else(|| unknown_consumer(id))?;
        let (subscription, config, instance) = (
            consumer.subscription.clone(),
            consumer.config.clone(),
            consumer.instance_id.clone(),
        );
        // Checked before it stops, so a refusal leaves it running.
        self.check_new_consumer(id, &subscription, &config, instance.as_deref())?;
        self.close_consumer(id)?;
        self.start_consumer(id.to_owned(), subscription, config, instance);
        Ok(Outcome::Done)
    }

    fn check_subscription(&self, subscription: &Subscription) -> Result<(), SimError> {
        match subscription {
            Subscription::Topics(topics) => {
                if topics.is_empty() {
                    return Err(SimError::EmptySubscription);
                }
                for topic in topics {
                    self.topic_ref(topic)?;
                }
            }
            Subscription::Partitions(partitions) => {
                if partitions.is_empty() {
                    return Err(SimError::EmptySubscription);
                }
                for TopicPartition { topic, partition } in partitions {
                    let count = self.topic_ref(topic)?.partition_count();
                    if partition.0 >= count {
                        return Err(SimError::PartitionOutOfRange {
                            topic: topic.clone(),
                            requested: i64::from(partition.0),
                            partitions: count,
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// `subscribe()` to other topics or `assign()` other partitions.
    pub(crate) fn change_subscription(
        &mut self,
        id: &str,
        subscription: Subscription,
    ) -> Result<Outcome, SimError> {
        let consumer = self.consumers.get(id).ok_or_else(|| unknown_consumer(id))?;
        self.check_subscription(&subscription)?;
        if matches!(subscription, Subscription::Topics(_)) && consumer.member_id.is_none() {
            self.check_group_protocol(id, &consumer.config)?;
        }
        let was_member = consumer.member_id.clone();
        let instance = consumer.instance_id.clone();
        let group = consumer.group_id().to_owned();
        match &subscription {
            Subscription::Partitions(partitions) => {
                let dropped: Vec<TopicPartition> = consumer
                    .assigned
                    .iter()
                    .filter(|tp| !partitions.contains(tp))
                    .cloned()
                    .collect();
                self.revoke(id, &dropped);
                if let Some(member) = was_member {
                    let reason = "it switched to assign()".to_owned();
                    self.member_leaves(&group, &member, instance.as_deref(), reason);
                }
            }
            Subscription::Topics(_) => {}
        }
        self.emit(Event::ConsumerSubscribed {
            consumer: id.to_owned(),
            subscription: describe(&subscription),
        });
        if let Some(consumer) = self.consumers.get_mut(id) {
            consumer.resubscribe(subscription);
        }
        Ok(Outcome::Done)
    }

    /// Refuses a consumer that would join `config`'s group with one group.protocol while the
    /// group's members, or another consumer subscribed to the group and not a member yet, use
    /// the other: the group takes the protocol of whoever joins first, and mixing them handed
    /// one partition to two members (found by the fuzz run).
    fn check_group_protocol(&self, id: &str, config: &ConsumerConfig) -> Result<(), SimError> {
        if let Some(group) = self.groups.get(&config.group_id)
            && !group.members.is_empty()
            && group.protocol != config.group_protocol
        {
            return Err(protocol_mismatch(&group.id));
        }
        let other = self.consumers.values().any(|c| {
            c.id != id
                && c.config.group_id == config.group_id
                && matches!(c.subscription, Subscription::Topics(_))
                && c.config.group_protocol != config.group_protocol
        });
        if other {
            return Err(SimError::InconsistentGroupProtocol {
                group: config.group_id.clone(),
                reason: "a consumer joining the group uses the other group.protocol".to_owned(),
            });
        }
        Ok(())
    }

    /// `seek()`: the next poll of a partition reads from `offset`.
    pub(crate) fn seek(
        &mut self,
        id: &str,
        tp: TopicPartition,
        offset: u64,
    ) -> Result<Outcome, SimError> {
        let consumer = self
            .consumers
            .get_mut(id)
            .ok_or_else(|| unknown_consumer(id))?;
        consumer.seek(tp, Offset(offset))?;
        Ok(Outcome::Done)
    }

    /// `close()`: commits (with auto-commit on), leaves the group at once (a static member
    /// keeps its place) and stops.
    pub(crate) fn close_consumer(&mut self, id: &str) -> Result<Outcome, SimError> {
        let consumer = self.consumers.get(id).ok_or_else(|| unknown_consumer(id))?;
        let owned = consumer.assigned.clone();
        let group = consumer.group_id().to_owned();
        let member = consumer.member_id.clone();
        let instance = consumer.instance_id.clone();
        self.revoke(id, &owned);
        if let Some(member) = member {
            let reason = "it closed (LeaveGroup)".to_owned();
            self.member_leaves(&group, &member, instance.as_deref(), reason);
        }
        self.consumers.remove(id);
        self.emit(Event::ConsumerStopped {
            consumer: id.to_owned(),
            crashed: false,
        });
        Ok(Outcome::Done)
    }

    /// The consumer's process dies: no commit, no LeaveGroup. Its group notices only when its
    /// heartbeats have been missing for session.timeout.ms.
    pub(crate) fn crash_consumer(&mut self, id: &str) -> Result<Outcome, SimError> {
        self.consumers
            .remove(id)
            .ok_or_else(|| unknown_consumer(id))?;
        self.emit(Event::ConsumerStopped {
            consumer: id.to_owned(),
            crashed: true,
        });
        Ok(Outcome::Done)
    }

    /// Gives up partitions: commits their positions first when auto-commit is on
    /// (`onPartitionsRevoked`), then forgets them.
    pub(crate) fn revoke(&mut self, id: &str, partitions: &[TopicPartition]) {
        if partitions.is_empty() {
            return;
        }
        let Some(consumer) = self.consumers.get(id) else {
            return;
        };
        if consumer.config.enable_auto_commit {
            let _ = self.commit_partitions(id, partitions);
        }
        let Some(consumer) = self.consumers.get_mut(id) else {
            return;
        };
        consumer.give_up(partitions);
        let group = consumer.group_id().to_owned();
        let member = consumer.member_id.clone().unwrap_or_else(|| id.to_owned());
        self.emit(Event::PartitionsRevoked {
            group,
            member,
            partitions: partitions.to_vec(),
        });
    }

    /// Commits the positions of `only` (all assigned partitions when it is empty), if the
    /// group's coordinator accepts the OffsetCommit (`Group::commit_refusal`).
    fn commit_partitions(&mut self, id: &str, only: &[TopicPartition]) -> Result<usize, SimError> {
        let consumer = self.consumers.get(id).ok_or_else(|| unknown_consumer(id))?;
        let group = consumer.group_id().to_owned();
        let refusal = self.groups.get(&group).and_then(|g| {
            g.commit_refusal(
                consumer.member_id.as_deref(),
                consumer.instance_id.as_deref(),
                consumer.generation,
            )
        });
        if let Some(reason) = refusal {
            return Err(SimError::CommitFailed {
                consumer: id.to_owned(),
                reason: reason.to_owned(),
            });
        }
        let now = self.now_ms;
        let Some(consumer) = self.consumers.get_mut(id) else {
            return Ok(0);
        };
        consumer.committed_at(now);
        let topics = &self.topics;
        let leader_epoch = |tp: &TopicPartition| {
            let partition = topics.get(&tp.topic)?.partition(tp.partition)?;
            Some(partition.leader_epoch)
        };
        let mut changed = 0;
        for (tp, committed) in consumer.positions_to_commit(only, leader_epoch) {
            if self
                .offsets
                .commit(&group, &tp.topic, tp.partition, committed)
            {
                changed += 1;
                self.emit(Event::OffsetCommitted {
                    group: group.clone(),
                    consumer: id.to_owned(),
                    topic: tp.topic,
                    partition: tp.partition,
                    offset: committed.offset,
                });
            }
        }
        Ok(changed)
    }

    pub(crate) fn commit(&mut self, id: &str) -> Result<Outcome, SimError> {
        let partitions = self.commit_partitions(id, &[])?;
        Ok(Outcome::Committed { partitions })
    }

    /// One `poll()`: (re)joins the group if it must; otherwise auto-commits what earlier polls
    /// returned once `auto.commit.interval.ms` has passed, then returns up to
    /// `max.poll.records` records from the assigned partitions' leaders, below the high
    /// watermark (the last stable offset for read_committed), and moves the positions past
    /// them. Positions are validated first where the leader changed (KIP-320,
    /// `Consumer::fetch_start`).
    pub(crate) fn poll(&mut self, id: &str) -> Result<Outcome, SimError> {
        let now = self.now_ms;
        let consumer = self.consumers.get(id).ok_or_else(|| unknown_consumer(id))?;
        if consumer.rejoin {
            self.join(id)?;
            return Ok(Outcome::Polled { records: 0 });
        }
        let mut starts = self.fetch_starts(id)?;
        self.reconcile_pending(id);
        if let Some(consumer) = self.consumers.get(id) {
            // What it just gained is read from the next poll on.
            starts.retain(|(tp, _)| consumer.assigned.contains(tp));
        }
        let due = self
            .consumers
            .get(id)
            .is_some_and(|c| c.auto_commit_due(now));
        if due && let Err(error) = self.commit_partitions(id, &[]) {
            self.emit(Event::CommitFailed {
                consumer: id.to_owned(),
                error: error.to_string(),
            });
            if let Some(c) = self.consumers.get_mut(id) {
                c.committed_at(now);
            }
        }
        let Some(consumer) = self.consumers.get_mut(id) else {
            return Ok(Outcome::Polled { records: 0 });
        };
        consumer.start_poll(now);
        let isolation = consumer.config.isolation_level;
        let mut budget = consumer.config.max_poll_records as usize;
        let mut returned = 0;
        for (tp, fetch) in starts {
            let Some(partition) = self
                .topics
                .get(&tp.topic)
                .and_then(|t| t.partition(tp.partition))
            else {
                continue;
            };
            let start = fetch.position.offset;
            if let Some(truncation) = fetch.truncation {
                self.events.push(
                    now,
                    Event::TruncationDetected {
                        consumer: id.to_owned(),
                        topic: tp.topic.clone(),
                        partition: tp.partition,
                        offset: truncation.offset,
                        epoch: truncation.epoch,
                        diverged_at: truncation.diverged_at,
                        committed: truncation.committed,
                    },
                );
            }
            if let Some((source, out_of_range)) = fetch.reset {
                self.events.push(
                    now,
                    Event::PositionReset {
                        consumer: id.to_owned(),
                        topic: tp.topic.clone(),
                        partition: tp.partition,
                        offset: start,
                        source,
                        out_of_range,
                    },
                );
            }
            let readable = partition.readable(start, budget, isolation);
            let position = readable.next.max(start);
            if !readable.records.is_empty() {
                budget = budget.saturating_sub(readable.records.len());
                returned += readable.records.len();
                self.events.push(
                    now,
                    Event::Fetched {
                        consumer: id.to_owned(),
                        topic: tp.topic.clone(),
                        partition: tp.partition,
                        from: start,
                        to: position,
                    },
                );
            } else if position > start {
                self.events.push(
                    now,
                    Event::Skipped {
                        consumer: id.to_owned(),
                        topic: tp.topic.clone(),
                        partition: tp.partition,
                        from: start,
                        to: position,
                    },
                );
            }
            consumer.advance(&tp, fetch.position.read_to(position, readable.last_epoch));
        }
        consumer.finish_poll(now, returned);
        Ok(Outcome::Polled { records: returned })
    }

    /// Where each assigned partition with a running leader the consumer can reach is read from
    /// (`Consumer::fetch_start`, validating positions against the leader's log). Worked out
    /// before anything changes, so a refusal leaves the state as it was.
    fn fetch_starts(&self, id: &str) -> Result<Vec<(TopicPartition, FetchStart)>, SimError> {
        let running = self.eligible_brokers();
        let consumer = self.consumers.get(id).ok_or_else(|| unknown_consumer(id))?;
        let mut starts = Vec::with_capacity(consumer.assigned.len());
        for tp in &consumer.assigned {
            let Some(partition) = self
                .topics
                .get(&tp.topic)
                .and_then(|t| t.partition(tp.partition))
            else {
                continue;
            };
            let Some(leader) = partition
                .leader_replica()
                .filter(|r| running.contains(&r.broker) && self.reachable_by_clients(r.broker))
            else {
                continue;
            };
            let bounds = FetchBounds {
                start: leader.log.start_offset(),
                end: leader.log.end_offset(),
                visible_end: partition.visible_end(consumer.config.isolation_level),
                leader_epoch: partition.leader_epoch,
            };
            let committed = || {
                self.offsets
                    .committed_offset(consumer.group_id(), &tp.topic, tp.partition)
            };
            let end_offset_for_epoch = |epoch| leader.log.end_offset_for_epoch(epoch);
            let start = consumer.fetch_start(tp, bounds, committed, end_offset_for_epoch)?;
            starts.push((tp.clone(), start));
        }
        Ok(starts)
    }

    /// JoinGroup (classic) or the first heartbeat (consumer protocol), whose answer it
    /// reconciles at its next poll. Eager members give up everything first; cooperative ones
    /// keep what they own. Refused (UNRELEASED_INSTANCE_ID) before anything changes while
    /// another member of a consumer group holds its `group.instance.id`.
    fn join(&mut self, id: &str) -> Result<(), SimError> {
        let Some(consumer) = self.consumers.get(id).filter(|c| c.subscribed()) else {
            return Ok(());
        };
        let refusal = self.groups.get(consumer.group_id()).and_then(|g| {
            g.join_refusal(
                id,
                consumer.instance_id.as_deref(),
                consumer.member_id.as_deref(),
            )
        });
        if let Some(refusal) = refusal {
            return Err(refusal);
        }
        if consumer.eager() {
            let owned = consumer.assigned.clone();
            self.revoke(id, &owned);
        }
        let Some(consumer) = self.consumers.get_mut(id) else {
            return Ok(());
        };
        let Some(join) = consumer.join(self.now_ms, &mut self.next_member_id) else {
            return Ok(());
        };
        let group = consumer.group_id().to_owned();
        let protocol = consumer.config.group_protocol;
        let member = join.member_id.clone();
        self.groups
            .entry(group.clone())
            .or_insert_with(|| Group::new(group.clone(), protocol));
        self.join_group(&group, join);
        if protocol != GroupProtocol::Classic {
            self.consumer_heartbeat(&group, &member, id);
        }
        Ok(())
    }

    /// Each consumer's background thread heartbeats (and leaves the group after
    /// max.poll.interval.ms without a poll); each poll loop that is not busy polls.
    pub(crate) fn run_consumers(&mut self) {
        let now = self.now_ms;
        let ids: Vec<String> = self.consumers.keys().cloned().collect();
        for id in &ids {
            self.heartbeat(id);
        }
        for id in ids {
            let Some(consumer) = self.consumers.get(&id) else {
                continue;
            };
            if !consumer.ready_to_poll(now) {
                continue;
            }
            if let Err(error) = self.poll(&id) {
                let fatal = matches!(error, SimError::UnreleasedInstanceId { .. });
                let error = error.to_string();
                if let Some(consumer) = self.consumers.get_mut(&id) {
                    if fatal {
                        consumer.failed_fatally(error.clone());
                    } else {
                        consumer.failed_with(error.clone());
                    }
                }
                self.emit(Event::PollFailed {
                    consumer: id,
                    error,
                });
            }
        }
    }

    /// The consumer's heartbeat thread: it leaves its group after max.poll.interval.ms
    /// without a poll; otherwise, when a heartbeat is due, the coordinator's answer routes it:
    /// rejoin, reconcile (consumer protocol), or, from a group that dropped it, lose its
    /// partitions.
    fn heartbeat(&mut self, id: &str) {
        let now = self.now_ms;
        let Some(consumer) = self.consumers.get(id) else {
            return;
        };
        let Some(member) = consumer.member_id.clone() else {
            return;
        };
        let group = consumer.group_id().to_owned();
        let instance = consumer.instance_id.clone();
        if consumer.poll_overdue(now) {
            let owned = consumer.assigned.clone();
            self.revoke(id, &owned);
            self.member_leaves(
                &group,
                &member,
                instance.as_deref(),
                "it did not poll within max.poll.interval.ms, so it left the group".to_owned(),
            );
            if let Some(consumer) = self.consumers.get_mut(id) {
                consumer.left_group();
            }
            return;
        }
        let Some(consumer) = self.consumers.get_mut(id) else {
            return;
        };
        if !consumer.heartbeat(now) {
            return;
        }
        let Some(g) = self.groups.get_mut(&group) else {
            return;
        };
        match g.heartbeat(&member, now) {
            None => {
                // FENCED_INSTANCE_ID when another member took its instance id, else
                // UNKNOWN_MEMBER_ID.
                let fenced = g
                    .fenced_by(&member, instance.as_deref())
                    .map(|holder| format!("{FENCED_INSTANCE_ID} ({holder} holds it now)"));
                let lost = match &fenced {
                    Some(error) => consumer.fenced_instance(error.clone()),
                    None => consumer.fenced(),
                };
                if !lost.is_empty() {
                    self.emit(Event::PartitionsLost {
                        group,
                        member,
                        partitions: lost,
                    });
                }
                if let Some(error) = fenced {
                    self.emit(Event::PollFailed {
                        consumer: id.to_owned(),
                        error,
                    });
                }
            }
            Some(HeartbeatAnswer::Rejoin) => consumer.must_rejoin(),
            Some(HeartbeatAnswer::Carry) => {}
            Some(HeartbeatAnswer::Reconcile) => self.consumer_heartbeat(&group, &member, id),
        }
    }

    /// A subscribed topic grew: classic groups rebalance, consumer groups bump their epoch.
    pub(crate) fn topic_changed(&mut self, topic: &str) {
        let groups: Vec<(String, GroupProtocol)> = self
            .groups
            .values()
            .filter(|g| {
                g.members
                    .values()
                    .any(|m| m.topics.iter().any(|t| t == topic))
            })
            .map(|g| (g.id.clone(), g.protocol))
            .collect();
        for (group, protocol) in groups {
            match protocol {
                GroupProtocol::Classic => {
                    self.start_rebalance(&group, format!("the partitions of {topic} changed"))
                }
                GroupProtocol::Consumer { .. } => self.bump_group_epoch(&group),
            }
        }
    }
}

fn unknown_consumer(id: &str) -> SimError {
    SimError::UnknownConsumer {
        consumer: id.to_owned(),
    }
}

/// INCONSISTENT_GROUP_PROTOCOL for a consumer whose group's members use the other protocol.
fn protocol_mismatch(group: &str) -> SimError {
    SimError::InconsistentGroupProtocol {
        group: group.to_owned(),
        reason: "the group's members use the other group.protocol".to_owned(),
    }
}
