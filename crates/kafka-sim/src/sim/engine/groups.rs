//! The engine's side of `group.rs`: the `Sim` methods that route commands and the clock to it.

use crate::sim::assignor::{Assignment, Strategy, TopicPartition, assign};
use crate::sim::engine::Sim;
use crate::sim::event::Event;
use crate::sim::group::{
    Group, GroupProtocol, GroupState, INITIAL_REBALANCE_DELAY_MS, Join, Member, offsets_partition,
};
use crate::sim::ids::BrokerId;
use crate::sim::ordered::{Map, ValuesMut};
use crate::sim::ordered::{map_of, sort};

impl Sim {
    /// The broker coordinating `group`, if any broker is running.
    pub fn coordinator(&self, group: &str) -> Option<BrokerId> {
        let running: Vec<BrokerId> = self.eligible_brokers().into_iter().collect();
        let index = offsets_partition(group) as usize % running.len().max(1);
        running.get(index).copied()
    }

    fn partition_counts(&self) -> Map<String, u32> {
        map_of(
            self.topics
                .values()
                .map(|t| (t.name.clone(), t.partitions.len() as u32)),
        )
    }

    fn set_group_state(&mut self, group: &str, state: GroupState) {
        let Some(g) = self.groups.get_mut(group) else {
            return;
        };
        if g.state == state {
            return;
        }
        let from = g.state;
        g.state = state;
        let generation = g.generation;
        self.events.push(
            self.now_ms,
            Event::GroupStateChanged {
                group: group.to_owned(),
                from: from.to_string(),
                to: state.to_string(),
                generation,
            },
        );
    }

    /// Deletes an Empty group and its offsets; it is Dead until a consumer joins it again.
    pub(crate) fn delete_group(
        &mut self,
        group: &str,
    ) -> Result<crate::sim::command::Outcome, crate::sim::error::SimError> {
        use crate::sim::error::SimError;
        let known = self.groups.get(group);
        if let Some(g) = known.filter(|g| !g.members.is_empty()) {
            return Err(SimError::NonEmptyGroup {
                group: group.to_owned(),
                state: g.state.to_string(),
            });
        }
        if known.is_none() && self.offsets.topics_of(group).is_empty() {
            return Err(SimError::UnknownGroup {
                group: group.to_owned(),
            });
        }
        self.offsets.remove_group(group);
        if !self.groups.contains_key(group) {
            self.groups.insert(
                group.to_owned(),
                Group::new(group.to_owned(), GroupProtocol::Classic),
            );
        }
        self.set_group_state(group, GroupState::Dead);
        Ok(crate::sim::command::Outcome::Done)
    }

    /// Classic: starts a join phase (if one is not already running).
    pub(crate) fn start_rebalance(&mut self, group: &str, reason: String) {
        let now = self.now_ms;
        let Some(g) = self.groups.get_mut(group) else {
            return;
        };
        if g.protocol != GroupProtocol::Classic || g.state == GroupState::PreparingRebalance {
            return;
        }
        g.rebalance_started_ms = now;
        for member in g.members.values_mut() {
            member.joined = false;
        }
        self.events.push(
            now,
            Event::RebalanceStarted {
                group: group.to_owned(),
                reason,
            },
        );
        self.set_group_state(group, GroupState::PreparingRebalance);
    }

    /// A member (new or known) joins: JoinGroup for classic groups, a first heartbeat for
    /// consumer groups.
    pub(crate) fn join_group(&mut self, group: &str, join: Join) {
        let now = self.now_ms;
        let Some(g) = self.groups.get_mut(group) else {
            return;
        };
        let member_id = join.member_id.clone();
        let known = g.members.contains_key(&member_id);
        let member = g
            .members
            .entry(member_id.clone())
            .or_insert_with(|| Member {
                id: join.member_id,
                client: join.client,
                topics: Vec::new(),
                strategy: join.strategy,
                session_timeout_ms: join.session_timeout_ms,
                rebalance_timeout_ms: join.rebalance_timeout_ms,
                last_heartbeat_ms: now,
                joined: false,
                owned: Vec::new(),
                epoch: 0,
            });
        member.topics = join.topics;
        member.owned = join.owned;
        member.joined = true;
        member.last_heartbeat_ms = now;
        if g.strategy.is_none() {
            g.strategy = Some(join.strategy);
        }
        let protocol = g.protocol;
        let preparing = g.state == GroupState::PreparingRebalance;
        if !known {
            self.events.push(
                now,
                Event::MemberJoined {
                    group: group.to_owned(),
                    member: member_id.clone(),
                },
            );
        }
        match protocol {
            GroupProtocol::Classic => {
                if !preparing {
                    self.start_rebalance(group, format!("{member_id} joined"));
                }
                // Starting the rebalance cleared every member's flag; this one has joined.
                if let Some(m) = self
                    .groups
                    .get_mut(group)
                    .and_then(|g| g.members.get_mut(&member_id))
                {
                    m.joined = true;
                }
            }
            GroupProtocol::Consumer { .. } => self.bump_group_epoch(group),
        }
    }

    /// A member leaves (LeaveGroup, a session timeout, or a poll timeout); the others
    /// rebalance.
    pub(crate) fn remove_member(&mut self, group: &str, member_id: &str, reason: String) {
        let Some(g) = self.groups.get_mut(group) else {
            return;
        };
        if g.members.remove(member_id).is_none() {
            return;
        }
        g.assignment.remove(member_id);
        if g.leader.as_deref() == Some(member_id) {
            g.leader = None;
        }
        let protocol = g.protocol;
        let empty = g.members.is_empty();
        self.events.push(
            self.now_ms,
            Event::MemberLeft {
                group: group.to_owned(),
                member: member_id.to_owned(),
                reason: reason.clone(),
            },
        );
        match protocol {
            GroupProtocol::Classic if empty => {
                if let Some(g) = self.groups.get_mut(group) {
                    g.generation += 1;
                    g.initial_rebalance = true;
                    g.strategy = None;
                }
                self.set_group_state(group, GroupState::Empty);
            }
            GroupProtocol::Classic => {
                self.start_rebalance(group, format!("{member_id} left: {reason}"));
            }
            GroupProtocol::Consumer { .. } => self.bump_group_epoch(group),
        }
    }

    /// Consumer protocol: the group changed (members, subscriptions or partitions), so the
    /// epoch goes up and a new target assignment is computed.
    pub(crate) fn bump_group_epoch(&mut self, group: &str) {
        let counts = self.partition_counts();
        let Some(g) = self.groups.get_mut(group) else {
            return;
        };
        let GroupProtocol::Consumer { assignor } = g.protocol else {
            return;
        };
        g.generation += 1;
        let subscriptions = map_of(g.members.values().map(|m| (m.id.clone(), m.topics.clone())));
        let current: Assignment =
            map_of(g.members.values().map(|m| (m.id.clone(), m.owned.clone())));
        g.assignment = assign(assignor.strategy(), &subscriptions, &counts, &current);
        let epoch = g.generation;
        let assignment = g.assignment.clone();
        let state = if g.members.is_empty() {
            GroupState::Empty
        } else {
            GroupState::Reconciling
        };
        self.events.push(
            self.now_ms,
            Event::TargetAssignment {
                group: group.to_owned(),
                epoch,
                assignment,
            },
        );
        self.set_group_state(group, state);
    }

    /// The coordinators' work each tick: expire members whose heartbeats stopped and move
    /// classic groups through their rebalance phases.
    pub(crate) fn run_coordinators(&mut self) {
        let now = self.now_ms;
        let ids: Vec<String> = self.groups.keys().cloned().collect();
        for group in ids {
            let expired: Vec<(String, u64)> = self.groups[&group]
                .members
                .values()
                .filter(|m| now.saturating_sub(m.last_heartbeat_ms) > m.session_timeout_ms)
                .map(|m| (m.id.clone(), m.session_timeout_ms))
                .collect();
            for (member, timeout) in expired {
                self.remove_member(
                    &group,
                    &member,
                    format!("no heartbeat for session.timeout.ms ({} s)", timeout / 1000),
                );
            }
            let Some(g) = self.groups.get(&group) else {
                continue;
            };
            match (g.protocol, g.state) {
                (GroupProtocol::Classic, GroupState::CompletingRebalance) => {
                    self.complete_sync(&group)
                }
                (GroupProtocol::Classic, GroupState::PreparingRebalance) => {
                    self.maybe_complete_join(&group)
                }
                (GroupProtocol::Consumer { .. }, GroupState::Reconciling) => {
                    let reconciled = g.members.values().all(|m| {
                        m.epoch == g.generation
                            && g.assignment
                                .get(&m.id)
                                .is_none_or(|target| *target == m.owned)
                    });
                    if reconciled {
                        self.set_group_state(&group, GroupState::Stable);
                    }
                }
                _ => {}
            }
        }
    }

    /// Classic: ends the join phase once every member has rejoined (after the initial delay for
    /// a group's first rebalance), or when the rebalance timeout has passed.
    fn maybe_complete_join(&mut self, group: &str) {
        let now = self.now_ms;
        let counts = self.partition_counts();
        let Some(g) = self.groups.get_mut(group) else {
            return;
        };
        let timeout = g
            .members
            .values()
            .map(|m| m.rebalance_timeout_ms)
            .max()
            .unwrap_or(0);
        let elapsed = now.saturating_sub(g.rebalance_started_ms);
        let all_joined = g.members.values().all(|m| m.joined);
        let delay_over = !g.initial_rebalance || elapsed >= INITIAL_REBALANCE_DELAY_MS.min(timeout);
        // The join phase lasts at least one tick, so the phase can be seen.
        let ready = elapsed > 0 && all_joined && delay_over;
        if !ready && elapsed < timeout {
            return;
        }
        let stragglers: Vec<String> = g
            .members
            .values()
            .filter(|m| !m.joined)
            .map(|m| m.id.clone())
            .collect();
        for member in &stragglers {
            g.members.remove(member);
        }
        g.generation += 1;
        g.initial_rebalance = false;
        for member in stragglers {
            self.events.push(
                now,
                Event::MemberLeft {
                    group: group.to_owned(),
                    member,
                    reason: "did not rejoin within the rebalance timeout (max.poll.interval.ms)"
                        .to_owned(),
                },
            );
        }
        let Some(g) = self.groups.get_mut(group) else {
            return;
        };
        if g.members.is_empty() {
            g.strategy = None;
            self.set_group_state(group, GroupState::Empty);
            return;
        }
        if !g.leader.as_ref().is_some_and(|l| g.members.contains_key(l)) {
            g.leader = g.members.keys().next().cloned();
        }
        let strategy = g.strategy.unwrap_or(Strategy::Range);
        let subscriptions = map_of(g.members.values().map(|m| (m.id.clone(), m.topics.clone())));
        let current: Assignment =
            map_of(g.members.values().map(|m| (m.id.clone(), m.owned.clone())));
        g.assignment = assign(strategy, &subscriptions, &counts, &current);
        self.set_group_state(group, GroupState::CompletingRebalance);
    }

    /// Classic: the leader's SyncGroup arrived; every member gets its partitions and the group
    /// is Stable. Cooperative members that gave something up rejoin for the second round.
    fn complete_sync(&mut self, group: &str) {
        let Some(g) = self.groups.get_mut(group) else {
            return;
        };
        let generation = g.generation;
        let cooperative = g.strategy.is_some_and(Strategy::cooperative);
        let handouts: Vec<(String, String, Vec<TopicPartition>)> = g
            .members
            .values_mut()
            .map(|m| {
                let assigned = g.assignment.get(&m.id).cloned().unwrap_or_default();
                m.joined = false;
                m.owned = assigned.clone();
                (m.id.clone(), m.client.clone(), assigned)
            })
            .collect();
        self.set_group_state(group, GroupState::Stable);
        let mut follow_up = false;
        for (member, client, assigned) in handouts {
            let gave_up = self.hand_out(group, &member, &client, assigned, generation);
            if cooperative && gave_up {
                follow_up = true;
            }
        }
        if follow_up {
            self.start_rebalance(
                group,
                "cooperative follow-up: members gave up partitions that now move".to_owned(),
            );
        }
    }

    /// Gives a client its new assignment, revoking what it loses (with a commit first when
    /// auto-commit is on) and reporting both. Returns whether it gave anything up.
    pub(crate) fn hand_out(
        &mut self,
        group: &str,
        member: &str,
        client: &str,
        assigned: Vec<TopicPartition>,
        generation: u32,
    ) -> bool {
        // The client may be gone, or its name taken by another consumer since.
        let Some(consumer) = self
            .consumers
            .get(client)
            .filter(|c| c.member_id.as_deref() == Some(member))
        else {
            return false;
        };
        let revoked: Vec<TopicPartition> = consumer
            .assigned
            .iter()
            .filter(|tp| !assigned.contains(tp))
            .cloned()
            .collect();
        let added: Vec<TopicPartition> = assigned
            .iter()
            .filter(|tp| !consumer.assigned.contains(tp))
            .cloned()
            .collect();
        if !revoked.is_empty() {
            self.revoke(client, &revoked);
        }
        if let Some(consumer) = self.consumers.get_mut(client) {
            consumer.assigned = assigned;
            consumer.generation = generation;
        }
        if !added.is_empty() {
            self.events.push(
                self.now_ms,
                Event::PartitionsAssigned {
                    group: group.to_owned(),
                    member: member.to_owned(),
                    partitions: added,
                    generation,
                },
            );
        }
        !revoked.is_empty()
    }

    /// Consumer protocol: a member's heartbeat. It reports what it owns; it gives up what its
    /// target no longer holds and gets the target partitions nobody else still owns.
    pub(crate) fn consumer_heartbeat(&mut self, group: &str, member: &str, client: &str) {
        let owners: Map<TopicPartition, String> = map_of(
            self.consumers
                .values()
                .filter(|c| c.group_id() == group && c.member_id.as_deref() != Some(member))
                .flat_map(|c| c.assigned.iter().map(move |tp| (tp.clone(), c.id.clone()))),
        );
        let Some(g) = self.groups.get_mut(group) else {
            return;
        };
        let epoch = g.generation;
        let target = g.assignment.get(member).cloned().unwrap_or_default();
        let Some(consumer) = self
            .consumers
            .get(client)
            .filter(|c| c.member_id.as_deref() == Some(member))
        else {
            return;
        };
        let owned = consumer.assigned.clone();
        let kept: Vec<TopicPartition> = owned
            .iter()
            .filter(|tp| target.contains(tp))
            .cloned()
            .collect();
        let free: Vec<TopicPartition> = target
            .iter()
            .filter(|tp| !owned.contains(tp) && !owners.contains_key(*tp))
            .cloned()
            .collect();
        let mut next: Vec<TopicPartition> = kept.into_iter().chain(free).collect();
        sort(&mut next);
        if next != owned {
            self.hand_out(group, member, client, next.clone(), epoch);
        }
        if let Some(m) = self
            .groups
            .get_mut(group)
            .and_then(|g| g.members.get_mut(member))
        {
            m.owned = next.clone();
            m.last_heartbeat_ms = self.now_ms;
            if next == target {
                m.epoch = epoch;
            }
        }
    }
}
