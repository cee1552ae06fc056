//! Consumer groups and their coordinator, with both rebalance protocols: the group's data and
//! its transitions over that data alone. The coordinator never touches a consumer: it answers
//! heartbeats and returns hand-outs, which the engine (`engine/groups.rs`) gives to the clients.
//! What both protocols share is here; `classic.rs` and `consumer_protocol.rs` hold the rest.
//!
//! **Classic** (`group.protocol=classic`, `ClassicGroup.java`): members join
//! (PreparingRebalance), the join phase ends when every member has rejoined or the rebalance
//! timeout (the longest `max.poll.interval.ms`) passes, the generation goes up
//! (CompletingRebalance), the leader's assignment goes out (Stable). Eager assignors make every
//! member give up everything when it rejoins; cooperative-sticky members keep consuming what
//! they own, give up only what moves, and rejoin at once so a second round hands it over.
//!
//! **Consumer** (`group.protocol=consumer`, KIP-848): no join or sync; every heartbeat carries
//! the member's subscription, the coordinator bumps the group epoch on any change, computes the
//! target assignment with a server-side assignor (uniform or range), and each member converges
//! on its own: it revokes what it must give up, and gets a partition once its previous owner
//! has released it. Nobody stops consuming what stays.
//!
//! The group's coordinator broker is the leader of its `__consumer_offsets` partition
//! (`offsets_topic.rs`).
//!
//! **Static membership** (KIP-345, `static_membership.rs`): a member with a `group.instance.id`
//! keeps its place and its partitions while it restarts, until `session.timeout.ms` passes.
//!
//! Simplifications: a member's answer to a heartbeat takes effect in the same tick; a group goes on while its coordinator is
//! unavailable or moves (Kafka's members would wait out COORDINATOR_NOT_AVAILABLE and the new
//! coordinator would load the group from `__consumer_offsets`).

mod classic;
mod consumer_protocol;
mod static_membership;
use crate::sim::assignor::{Assignment, assign};
use crate::sim::event::{Event, Events};
use crate::sim::ordered::{Map, map_of};
use crate::sim::types::{GroupProtocol, ServerAssignor, Strategy, TopicPartition};
pub use consumer_protocol::MemberState;
use serde::{Deserialize, Serialize};
pub use static_membership::FENCED_INSTANCE_ID;
use std::fmt;

/// `group.initial.rebalance.delay.ms`.
pub const INITIAL_REBALANCE_DELAY_MS: u64 = 3_000;

/// `offsets.topic.num.partitions`.
pub const OFFSETS_TOPIC_PARTITIONS: u32 = 50;

impl ServerAssignor {
    /// The client assignor with the same goals: uniform spreads evenly and stays sticky.
    pub(crate) fn strategy(self) -> Strategy {
        match self {
            ServerAssignor::Uniform => Strategy::Sticky,
            ServerAssignor::Range => Strategy::Range,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GroupState {
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
    /// Consumer protocol: some member has not yet reached its target assignment.
    Reconciling,
    /// Consumer protocol: the group epoch went up (a member left) and the target assignment
    /// of that epoch waits for the next heartbeat.
    Assigning,
}

impl fmt::Display for GroupState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GroupState::Empty => "Empty",
            GroupState::PreparingRebalance => "PreparingRebalance",
            GroupState::CompletingRebalance => "CompletingRebalance",
            GroupState::Stable => "Stable",
            GroupState::Dead => "Dead",
            GroupState::Reconciling => "Reconciling",
            GroupState::Assigning => "Assigning",
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: String,
    /// The consumer (client) this member is.
    pub client: String,
    pub topics: Vec<String>,
    pub strategy: Strategy,
    pub session_timeout_ms: u64,
    pub rebalance_timeout_ms: u64,
    pub last_heartbeat_ms: u64,
    /// Classic: it has (re)joined in the current join phase.
    pub joined: bool,
    /// What it owned when it joined (sent with JoinGroup, for the sticky assignors).
    pub owned: Vec<TopicPartition>,
    /// Consumer protocol: its member epoch, the target assignment epoch it has caught up
    /// with (it stays behind while it still owns partitions it must revoke).
    pub epoch: u32,
    /// `group.instance.id`: a static member.
    pub instance_id: Option<String>,
    /// Consumer protocol: where it is in reaching its target (`CurrentAssignmentBuilder`).
    pub state: MemberState,
    /// Consumer protocol: what it must give up before it catches up.
    pub revoking: Vec<TopicPartition>,
    /// Consumer protocol: a static member that left with member epoch -2
    /// (`LEAVE_GROUP_STATIC_MEMBER_EPOCH`): it keeps its partitions until its session times out
    /// or a consumer with its instance id takes its place.
    pub away: bool,
}

/// What a member sends when it joins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Join {
    pub member_id: String,
    pub client: String,
    pub topics: Vec<String>,
    pub owned: Vec<TopicPartition>,
    pub strategy: Strategy,
    pub session_timeout_ms: u64,
    pub rebalance_timeout_ms: u64,
    /// `group.instance.id`.
    pub instance_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub protocol: GroupProtocol,
    pub state: GroupState,
    /// Classic: the generation id. Consumer protocol: the group epoch.
    pub generation: u32,
    pub leader: Option<String>,
    pub members: Map<String, Member>,
    pub rebalance_started_ms: u64,
    /// The first rebalance of an empty group waits group.initial.rebalance.delay.ms.
    pub initial_rebalance: bool,
    /// Classic: the assignment the leader sent, handed out when the group becomes Stable.
    /// Consumer protocol: the target assignment.
    pub assignment: Assignment,
    /// The assignor the group uses (classic: the members' `partition.assignment.strategy`).
    pub strategy: Option<Strategy>,
    /// Consumer protocol: the group epoch `assignment` was computed for (below `generation`
    /// while the group is Assigning).
    pub assignment_epoch: u32,
}

impl Group {
    pub fn new(id: String, protocol: GroupProtocol) -> Group {
        Group {
            id,
            protocol,
            state: GroupState::Empty,
            generation: 0,
            leader: None,
            members: Map::new(),
            rebalance_started_ms: 0,
            initial_rebalance: true,
            assignment: Assignment::new(),
            strategy: None,
            assignment_epoch: 0,
        }
    }

    /// Whether an admin may reset the group's offsets (no active members).
    pub fn is_inactive(&self) -> bool {
        self.members.is_empty()
    }

    pub(crate) fn set_state(&mut self, state: GroupState, events: &mut Events) {
        if self.state == state {
            return;
        }
        let from = self.state;
        self.state = state;
        events.push(Event::GroupStateChanged {
            group: self.id.clone(),
            from: from.to_string(),
            to: state.to_string(),
            generation: self.generation,
        });
    }

    /// A member (new or known) joins: JoinGroup for classic groups, a first heartbeat for
    /// consumer groups. `partition_counts`: each topic's partitions, for the assignors. A static
    /// member taking the place of the member with its instance id does not rebalance
    /// (`replace_static_member`); what it gets back at once is returned, for the engine to give
    /// to its client.
    pub fn join(
        &mut self,
        join: Join,
        partition_counts: &Map<String, u32>,
        events: &mut Events,
    ) -> Vec<HandOut> {
        if let Some(handouts) = self.replace_static_member(&join, events) {
            return handouts;
        }
        let now = events.now_ms();
        let member_id = join.member_id.clone();
        let known = self.members.contains_key(&member_id);
        let classic = self.protocol == GroupProtocol::Classic;
        let member = self
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
                instance_id: join.instance_id,
                state: MemberState::Stable,
                revoking: Vec::new(),
                away: false,
            });
        member.topics = join.topics;
        // A consumer group knows what it gave each member; a classic one learns it here.
        if classic || !known {
            member.owned = join.owned;
        }
        member.joined = true;
        member.last_heartbeat_ms = now;
        if self.strategy.is_none() {
            self.strategy = Some(join.strategy);
        }
        let preparing = self.state == GroupState::PreparingRebalance;
        if !known {
            events.push(Event::MemberJoined {
                group: self.id.clone(),
                member: member_id.clone(),
            });
        }
        match self.protocol {
            GroupProtocol::Classic => {
                if !preparing {
                    self.start_rebalance(format!("{member_id} joined"), events);
                }
                // Starting the rebalance cleared every member's flag; this one has joined.
                if let Some(m) = self.members.get_mut(&member_id) {
                    m.joined = true;
                }
            }
            GroupProtocol::Consumer { .. } => self.bump_epoch(partition_counts, events),
        }
        Vec::new()
    }

    /// A member leaves (LeaveGroup, a session timeout, or a poll timeout); the others
    /// rebalance (classic) or the group epoch goes up (consumer protocol).
    pub fn remove_member(&mut self, member_id: &str, reason: String, events: &mut Events) {
        if self.members.remove(member_id).is_none() {
            return;
        }
        self.assignment.remove(member_id);
        if self.leader.as_deref() == Some(member_id) {
            self.leader = None;
        }
        events.push(Event::MemberLeft {
            group: self.id.clone(),
            member: member_id.to_owned(),
            reason: reason.clone(),
        });
        match self.protocol {
            GroupProtocol::Classic if self.members.is_empty() => {
                self.generation += 1;
                self.initial_rebalance = true;
                self.strategy = None;
                self.set_state(GroupState::Empty, events);
            }
            GroupProtocol::Classic => {
                self.start_rebalance(format!("{member_id} left: {reason}"), events);
            }
            GroupProtocol::Consumer { .. } => self.epoch_after_leave(events),
        }
    }

    /// The coordinator's work at each tick: members whose heartbeats stopped for
    /// session.timeout.ms leave, and the group moves through its protocol's phases. Returns
    /// what a classic group hands out as it becomes Stable; the engine gives each to its
    /// client, then reports whether any gave something up (`handed_out`).
    pub fn tick(
        &mut self,
        partition_counts: &Map<String, u32>,
        events: &mut Events,
    ) -> Vec<HandOut> {
        let now = events.now_ms();
        let expired: Vec<(String, u64)> = self
            .members
            .values()
            .filter(|m| now.saturating_sub(m.last_heartbeat_ms) > m.session_timeout_ms)
            .map(|m| (m.id.clone(), m.session_timeout_ms))
            .collect();
        for (member, timeout) in expired {
            self.remove_member(
                &member,
                format!("no heartbeat for session.timeout.ms ({} s)", timeout / 1000),
                events,
            );
        }
        match (self.protocol, self.state) {
            (GroupProtocol::Classic, GroupState::CompletingRebalance) => {
                return self.complete_sync(events);
            }
            (GroupProtocol::Classic, GroupState::PreparingRebalance) => {
                self.maybe_complete_join(now, partition_counts, events)
            }
            _ => {}
        }
        Vec::new()
    }

    /// A heartbeat from `member` at `now_ms`; None for a member it does not know
    /// (UNKNOWN_MEMBER_ID).
    pub fn heartbeat(&mut self, member: &str, now_ms: u64) -> Option<HeartbeatAnswer> {
        let (protocol, state) = (self.protocol, self.state);
        let m = self.members.get_mut(member)?;
        m.last_heartbeat_ms = now_ms;
        Some(match protocol {
            GroupProtocol::Classic if state == GroupState::PreparingRebalance && !m.joined => {
                HeartbeatAnswer::Rejoin
            }
            GroupProtocol::Classic => HeartbeatAnswer::Carry,
            GroupProtocol::Consumer { .. } => HeartbeatAnswer::Reconcile,
        })
    }

    /// Why an OffsetCommit from a consumer (a member when `member` is set, in `generation`,
    /// with `instance` as its `group.instance.id`) is refused, if it is: a member may commit
    /// only in its current generation and not while the group completes a rebalance; a
    /// consumer outside the group only while the group has no members.
    pub fn commit_refusal(
        &self,
        member: Option<&str>,
        instance: Option<&str>,
        generation: u32,
    ) -> Option<&'static str> {
        match member {
            Some(member) if self.fenced_by(member, instance).is_some() => Some(FENCED_INSTANCE_ID),
            Some(member) if !self.members.contains_key(member) => {
                Some("UNKNOWN_MEMBER_ID: the group no longer knows this member")
            }
            Some(_) if self.generation != generation && self.protocol == GroupProtocol::Classic => {
                Some(
                    "ILLEGAL_GENERATION: the group has rebalanced since this consumer got its partitions",
                )
            }
            Some(_) if self.state == GroupState::CompletingRebalance => {
                Some("REBALANCE_IN_PROGRESS: the group is handing out partitions")
            }
            None if !self.is_inactive() => {
                Some("the group has active members, so a consumer outside it cannot commit")
            }
            _ => None,
        }
    }

    /// The assignment `members` of a group would get from `strategy`, the members keeping what
    /// they own where the assignor is sticky.
    fn assign(&self, strategy: Strategy, partition_counts: &Map<String, u32>) -> Assignment {
        let subscriptions = map_of(
            self.members
                .values()
                .map(|m| (m.id.clone(), m.topics.clone())),
        );
        let current: Assignment = map_of(
            self.members
                .values()
                .map(|m| (m.id.clone(), m.owned.clone())),
        );
        assign(strategy, &subscriptions, partition_counts, &current)
    }
}

/// A member's partitions from its coordinator, for the engine to give to its client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandOut {
    pub member: String,
    pub client: String,
    pub partitions: Vec<TopicPartition>,
    pub generation: u32,
}

/// The coordinator's answer to a heartbeat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeartbeatAnswer {
    /// Classic, REBALANCE_IN_PROGRESS: the member rejoins at its next poll.
    Rejoin,
    /// Classic, nothing to do: carry on.
    Carry,
    /// Consumer protocol: the answer carries the member's target; it reconciles.
    Reconcile,
}

/// Java's `String.hashCode` over UTF-16 code units.
pub fn java_string_hash(text: &str) -> i32 {
    text.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// The `__consumer_offsets` partition holding a group's offsets
/// (`GroupCoordinatorService.partitionFor`): abs(hashCode) mod 50, where abs(MIN_VALUE) is 0.
pub fn offsets_partition(group: &str) -> u32 {
    let hash = java_string_hash(group);
    let positive = if hash == i32::MIN {
        0
    } else {
        hash.unsigned_abs()
    };
    positive % OFFSETS_TOPIC_PARTITIONS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::event::EventQueue;
    use crate::sim::ids::PartitionId;

    /// A group and its coordinator's surroundings: the topics' partition counts and the event
    /// queue. Each call runs at the time it is given, as the engine's tick would.
    pub(super) struct Coordinator {
        pub(super) group: Group,
        pub(super) counts: Map<String, u32>,
        pub(super) queue: EventQueue,
    }

    impl Coordinator {
        /// Group `g` with `protocol`, over `topics` (name, partitions).
        pub(super) fn new(protocol: GroupProtocol, topics: &[(&str, u32)]) -> Coordinator {
            Coordinator {
                group: Group::new("g".into(), protocol),
                counts: topics.iter().map(|(t, n)| (t.to_string(), *n)).collect(),
                queue: EventQueue::default(),
            }
        }

        pub(super) fn classic(topics: &[(&str, u32)]) -> Coordinator {
            Coordinator::new(GroupProtocol::Classic, topics)
        }

        pub(super) fn join(&mut self, now_ms: u64, join: Join) -> Vec<HandOut> {
            let events = &mut Events::new(now_ms, &mut self.queue);
            self.group.join(join, &self.counts, events)
        }

        pub(super) fn leave(&mut self, now_ms: u64, member: &str, reason: &str) {
            let events = &mut Events::new(now_ms, &mut self.queue);
            self.group.remove_member(member, reason.to_owned(), events);
        }

        /// A consumer protocol heartbeat from `member`, whose client owns `owned`: what it is
        /// assigned now, in which member epoch.
        pub(super) fn heartbeat(
            &mut self,
            now_ms: u64,
            member: &str,
            owned: &[(&str, u32)],
        ) -> Option<(Vec<TopicPartition>, u32)> {
            let events = &mut Events::new(now_ms, &mut self.queue);
            self.group
                .reconcile(member, &tps(owned), &self.counts, events)
        }

        pub(super) fn tick(&mut self, now_ms: u64) -> Vec<HandOut> {
            let events = &mut Events::new(now_ms, &mut self.queue);
            self.group.tick(&self.counts, events)
        }

        pub(super) fn start_rebalance(&mut self, now_ms: u64, reason: &str) {
            let events = &mut Events::new(now_ms, &mut self.queue);
            self.group.start_rebalance(reason.to_owned(), events);
        }

        pub(super) fn handed_out(&mut self, now_ms: u64, gave_up: bool) {
            let events = &mut Events::new(now_ms, &mut self.queue);
            self.group.handed_out(gave_up, events);
        }

        /// The events pushed since the last call, without their times.
        pub(super) fn events(&mut self) -> Vec<Event> {
            self.queue.drain().into_iter().map(|e| e.event).collect()
        }

        /// Classic: `joins` join at 0, the join phase ends after the initial delay, and the
        /// sync's hand-outs leave the group Stable in generation 1. The events are drained.
        pub(super) fn stable(topics: &[(&str, u32)], joins: Vec<Join>) -> Coordinator {
            let mut c = Coordinator::classic(topics);
            for j in joins {
                c.join(0, j);
            }
            c.tick(INITIAL_REBALANCE_DELAY_MS);
            c.tick(INITIAL_REBALANCE_DELAY_MS + 100);
            assert_eq!(c.group.state, GroupState::Stable);
            c.events();
            c
        }

        /// What the group's assignment (classic: the leader's; consumer protocol: the target)
        /// gives `member`; None if it has no entry.
        pub(super) fn assignment_of(&self, member: &str) -> Option<Vec<TopicPartition>> {
            self.group.assignment.get(member).cloned()
        }

        pub(super) fn member(&self, id: &str) -> &Member {
            self.group.members.get(id).expect("a member of the group")
        }
    }

    /// `member` (`<client>#<n>`) joins with `topics` and Kafka's default timeouts, owning
    /// nothing, with range.
    pub(super) fn join(member: &str, topics: &[&str]) -> Join {
        Join {
            member_id: member.to_owned(),
            client: member.split('#').next().unwrap_or(member).to_owned(),
            topics: topics.iter().map(|t| t.to_string()).collect(),
            owned: Vec::new(),
            strategy: Strategy::Range,
            session_timeout_ms: 45_000,
            rebalance_timeout_ms: 300_000,
            instance_id: None,
        }
    }

    pub(super) fn tps(list: &[(&str, u32)]) -> Vec<TopicPartition> {
        list.iter()
            .map(|(t, p)| TopicPartition::new(*t, PartitionId(*p)))
            .collect()
    }

    pub(super) fn state_changed(from: &str, to: &str, generation: u32) -> Event {
        Event::GroupStateChanged {
            group: "g".into(),
            from: from.into(),
            to: to.into(),
            generation,
        }
    }

    pub(super) fn joined(member: &str) -> Event {
        Event::MemberJoined {
            group: "g".into(),
            member: member.into(),
        }
    }

    pub(super) fn left(member: &str, reason: &str) -> Event {
        Event::MemberLeft {
            group: "g".into(),
            member: member.into(),
            reason: reason.into(),
        }
    }

    pub(super) fn rebalance(reason: &str) -> Event {
        Event::RebalanceStarted {
            group: "g".into(),
            reason: reason.into(),
        }
    }

    fn consumer_protocol() -> GroupProtocol {
        GroupProtocol::Consumer {
            assignor: ServerAssignor::Uniform,
        }
    }

    #[test]
    fn set_state_reports_the_change_with_the_generation_once() {
        let mut c = Coordinator::classic(&[]);
        c.group.generation = 4;
        let events = &mut Events::new(10, &mut c.queue);
        c.group.set_state(GroupState::Dead, events);
        c.group.set_state(GroupState::Dead, events);
        assert_eq!(c.group.state, GroupState::Dead);
        assert_eq!(
            c.queue.drain(),
            vec![crate::sim::event::TimedEvent {
                at_ms: 10,
                event: state_changed("Empty", "Dead", 4),
            }]
        );
    }

    #[test]
    fn a_first_join_moves_an_empty_classic_group_to_preparing_rebalance() {
        let mut c = Coordinator::classic(&[("t", 2)]);
        c.join(500, join("a#1", &["t"]));
        assert_eq!(
            c.events(),
            vec![
                joined("a#1"),
                rebalance("a#1 joined"),
                state_changed("Empty", "PreparingRebalance", 0),
            ]
        );
        assert_eq!(c.group.state, GroupState::PreparingRebalance);
        assert_eq!(c.group.rebalance_started_ms, 500);
        assert_eq!(c.group.strategy, Some(Strategy::Range));
        let a = c.member("a#1");
        assert!(a.joined);
        assert_eq!((a.client.as_str(), a.last_heartbeat_ms), ("a", 500));
        assert_eq!(a.topics, vec!["t".to_owned()]);
    }

    #[test]
    fn a_join_during_the_join_phase_starts_no_other_rebalance() {
        let mut c = Coordinator::classic(&[("t", 2)]);
        c.join(0, join("a#1", &["t"]));
        c.events();
        c.join(1_000, join("b#2", &["t"]));
        assert_eq!(c.events(), vec![joined("b#2")]);
        assert_eq!(c.group.rebalance_started_ms, 0);
        assert!(c.member("a#1").joined && c.member("b#2").joined);
    }

    #[test]
    fn a_known_member_rejoining_is_not_reported_as_joined() {
        let mut c = Coordinator::stable(&[("t", 2)], vec![join("a#1", &["t"])]);
        let mut again = join("a#1", &["t"]);
        again.owned = tps(&[("t", 0), ("t", 1)]);
        c.join(5_000, again);
        assert_eq!(
            c.events(),
            vec![
                rebalance("a#1 joined"),
                state_changed("Stable", "PreparingRebalance", 1),
            ]
        );
        assert_eq!(c.member("a#1").owned, tps(&[("t", 0), ("t", 1)]));
    }

    #[test]
    fn the_last_member_leaving_empties_the_group_in_a_new_generation() {
        let mut c = Coordinator::stable(
            &[("t", 2)],
            vec![Join {
                strategy: Strategy::CooperativeSticky,
                ..join("a#1", &["t"])
            }],
        );
        c.leave(9_000, "a#1", "it closed (LeaveGroup)");
        assert_eq!(
            c.events(),
            vec![
                left("a#1", "it closed (LeaveGroup)"),
                state_changed("Stable", "Empty", 2),
            ]
        );
        assert_eq!(c.group.generation, 2);
        assert_eq!(c.group.leader, None);
        assert_eq!(c.group.strategy, None);
        assert!(c.group.initial_rebalance);
        assert!(c.group.is_inactive());
    }

    #[test]
    fn a_member_leaving_makes_the_others_rebalance_and_drops_its_assignment() {
        let mut c =
            Coordinator::stable(&[("t", 2)], vec![join("a#1", &["t"]), join("b#2", &["t"])]);
        assert_eq!(c.group.leader.as_deref(), Some("a#1"));
        c.leave(9_000, "a#1", "it closed (LeaveGroup)");
        assert_eq!(
            c.events(),
            vec![
                left("a#1", "it closed (LeaveGroup)"),
                rebalance("a#1 left: it closed (LeaveGroup)"),
                state_changed("Stable", "PreparingRebalance", 1),
            ]
        );
        assert_eq!(c.group.leader, None);
        assert!(!c.group.assignment.contains_key("a#1"));
        assert!(!c.member("b#2").joined, "b must rejoin");
    }

    #[test]
    fn removing_an_unknown_member_does_nothing() {
        let mut c = Coordinator::stable(&[("t", 2)], vec![join("a#1", &["t"])]);
        let before = c.group.clone();
        c.leave(9_000, "ghost#9", "it closed (LeaveGroup)");
        assert_eq!(c.group, before);
        assert!(c.events().is_empty());
    }

    #[test]
    fn a_member_silent_for_longer_than_session_timeout_ms_is_removed() {
        let mut c =
            Coordinator::stable(&[("t", 2)], vec![join("a#1", &["t"]), join("b#2", &["t"])]);
        assert_eq!(
            c.group.heartbeat("b#2", 40_000),
            Some(HeartbeatAnswer::Carry)
        );
        // a#1 last heartbeat at 0: at exactly 45 s it is still in time.
        assert!(c.tick(45_000).is_empty());
        assert!(c.events().is_empty());
        c.tick(45_001);
        assert_eq!(
            c.events(),
            vec![
                left("a#1", "no heartbeat for session.timeout.ms (45 s)"),
                rebalance("a#1 left: no heartbeat for session.timeout.ms (45 s)"),
                state_changed("Stable", "PreparingRebalance", 1),
            ]
        );
        assert_eq!(
            c.group.members.keys().collect::<Vec<_>>(),
            vec![&"b#2".to_owned()]
        );
    }

    #[test]
    fn a_member_that_has_not_rejoined_is_told_to_rejoin_during_the_join_phase() {
        // Heartbeat answered REBALANCE_IN_PROGRESS.
        let mut c =
            Coordinator::stable(&[("t", 2)], vec![join("a#1", &["t"]), join("b#2", &["t"])]);
        c.join(5_000, join("c#3", &["t"]));
        assert_eq!(
            c.group.heartbeat("a#1", 5_100),
            Some(HeartbeatAnswer::Rejoin)
        );
        assert_eq!(c.member("a#1").last_heartbeat_ms, 5_100);
        assert_eq!(
            c.group.heartbeat("c#3", 5_100),
            Some(HeartbeatAnswer::Carry)
        );
        c.join(5_200, join("a#1", &["t"]));
        assert_eq!(
            c.group.heartbeat("a#1", 5_300),
            Some(HeartbeatAnswer::Carry)
        );
    }

    #[test]
    fn heartbeats_answer_carry_outside_the_join_phase_and_none_for_unknown_members() {
        let mut c = Coordinator::stable(&[("t", 2)], vec![join("a#1", &["t"])]);
        assert_eq!(
            c.group.heartbeat("a#1", 3_000),
            Some(HeartbeatAnswer::Carry)
        );
        // UNKNOWN_MEMBER_ID.
        assert_eq!(c.group.heartbeat("gone#7", 3_000), None);
        let mut c = Coordinator::classic(&[("t", 2)]);
        c.join(0, join("a#1", &["t"]));
        c.tick(INITIAL_REBALANCE_DELAY_MS);
        assert_eq!(c.group.state, GroupState::CompletingRebalance);
        assert_eq!(
            c.group.heartbeat("a#1", 3_000),
            Some(HeartbeatAnswer::Carry)
        );
    }

    #[test]
    fn a_consumer_protocol_heartbeat_is_answered_with_the_target_to_reconcile() {
        let mut c = Coordinator::new(consumer_protocol(), &[("t", 2)]);
        c.join(0, join("a#1", &["t"]));
        assert_eq!(
            c.group.heartbeat("a#1", 5_000),
            Some(HeartbeatAnswer::Reconcile)
        );
        assert_eq!(c.member("a#1").last_heartbeat_ms, 5_000);
        assert_eq!(c.group.heartbeat("b#2", 5_000), None);
    }

    #[test]
    fn commits_from_a_member_the_group_no_longer_knows_are_unknown_member_id() {
        let c = Coordinator::stable(&[("t", 2)], vec![join("a#1", &["t"])]);
        assert_eq!(
            c.group.commit_refusal(Some("gone#7"), None, 1),
            Some("UNKNOWN_MEMBER_ID: the group no longer knows this member")
        );
    }

    #[test]
    fn classic_commits_from_an_old_generation_are_illegal_generation() {
        let c = Coordinator::stable(&[("t", 2)], vec![join("a#1", &["t"])]);
        assert_eq!(
            c.group.commit_refusal(Some("a#1"), None, 0),
            Some(
                "ILLEGAL_GENERATION: the group has rebalanced since this consumer got its partitions"
            )
        );
        assert_eq!(c.group.commit_refusal(Some("a#1"), None, 1), None);
        // The consumer protocol does not check the generation (the member epoch).
        let mut c = Coordinator::new(consumer_protocol(), &[("t", 2)]);
        c.join(0, join("a#1", &["t"]));
        assert_eq!(c.group.commit_refusal(Some("a#1"), None, 0), None);
    }

    #[test]
    fn commits_while_completing_a_rebalance_are_rebalance_in_progress() {
        let mut c = Coordinator::classic(&[("t", 2)]);
        c.join(0, join("a#1", &["t"]));
        // In PreparingRebalance a member may still commit (onPartitionsRevoked does).
        assert_eq!(c.group.commit_refusal(Some("a#1"), None, 0), None);
        c.tick(INITIAL_REBALANCE_DELAY_MS);
        assert_eq!(c.group.state, GroupState::CompletingRebalance);
        assert_eq!(
            c.group.commit_refusal(Some("a#1"), None, 1),
            Some("REBALANCE_IN_PROGRESS: the group is handing out partitions")
        );
    }

    #[test]
    fn a_consumer_outside_the_group_commits_only_while_the_group_has_no_members() {
        let mut c = Coordinator::classic(&[("t", 2)]);
        assert_eq!(c.group.commit_refusal(None, None, 0), None);
        c.join(0, join("a#1", &["t"]));
        assert_eq!(
            c.group.commit_refusal(None, None, 0),
            Some("the group has active members, so a consumer outside it cannot commit")
        );
        c.leave(100, "a#1", "it closed (LeaveGroup)");
        assert_eq!(c.group.commit_refusal(None, None, 0), None);
    }

    #[test]
    fn java_hash_codes() {
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_string_hash("hello"), 99_162_322);
        // Overflow wraps as in Java.
        assert_eq!(java_string_hash("polygenelubricants"), i32::MIN);
    }

    #[test]
    fn offsets_partition_is_abs_hash_mod_50_with_min_value_as_0() {
        assert_eq!(offsets_partition("polygenelubricants"), 0);
        assert_eq!(offsets_partition("hello"), 99_162_322 % 50);
        let negative = java_string_hash("group-1");
        assert_eq!(offsets_partition("group-1"), negative.unsigned_abs() % 50);
    }
}
