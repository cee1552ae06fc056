//! The engine's routing between group coordinators and consumers: requests go to a group
//! (`coordinator/`), its hand-outs go to the clients (`consumer.rs`), each side changing only its
//! own data.
use crate::sim::command::Outcome;
use crate::sim::coordinator::{Group, GroupState, HandOut, Join, offsets_partition};
use crate::sim::engine::Sim;
use crate::sim::error::SimError;
use crate::sim::event::{Event, Events};
use crate::sim::ids::{BrokerId, PartitionId};
use crate::sim::offsets_topic::OffsetsTopic;
use crate::sim::ordered::{Map, map_of};
use crate::sim::partition::Election;
use crate::sim::placement::UsableBroker;
use crate::sim::types::GroupProtocol;
use rand_pcg::Pcg32;

/// The stream of the seeded generator that places `__consumer_offsets`: its own, so that
/// creating the topic leaves the draws of the learner's topics, keys and partitions as they
/// were.
const OFFSETS_TOPIC_PLACEMENT_STREAM: u64 = 50;

impl Sim {
    /// The broker coordinating `group`: the leader of its `__consumer_offsets` partition, if
    /// the topic exists and that partition has a leader.
    pub fn coordinator(&self, group: &str) -> Option<BrokerId> {
        self.offsets_topic.as_ref()?.coordinator(group)
    }

    /// FindCoordinator: the first one creates `__consumer_offsets` over the running brokers
    /// (`OffsetsTopic::new`), placed as any topic with draws from a stream of the seed.
    /// Without a running broker, or without an active controller with a majority to create it,
    /// it is not created, and the next FindCoordinator tries again.
    pub(crate) fn find_coordinator(&mut self) {
        if self.offsets_topic.is_some() || !self.quorum.has_majority() {
            return;
        }
        let running = self.eligible_brokers();
        let running: Vec<UsableBroker> = self
            .usable_brokers()
            .into_iter()
            .filter(|b| running.contains(&b.id))
            .collect();
        let mut rng = Pcg32::new(self.seed, OFFSETS_TOPIC_PLACEMENT_STREAM);
        self.offsets_topic = OffsetsTopic::new(&running, &mut rng, self.now_ms);
    }

    /// Reports the groups whose coordinator `election` of `__consumer_offsets` partition
    /// `partition` moved.
    pub(crate) fn coordinators_moved(&mut self, partition: PartitionId, election: &Election) {
        let moved: Vec<String> = self
            .groups
            .values()
            .filter(|g| g.state != GroupState::Dead && offsets_partition(&g.id) == partition.0)
            .map(|g| g.id.clone())
            .collect();
        for group in moved {
            self.emit(Event::CoordinatorMoved {
                group,
                partition,
                from: election.from,
                to: election.to,
            });
        }
    }

    fn partition_counts(&self) -> Map<String, u32> {
        map_of(
            self.topics
                .values()
                .map(|t| (t.name.clone(), t.partitions.len() as u32)),
        )
    }

    /// Deletes an Empty group and its offsets; it is Dead until a consumer joins it again.
    pub(crate) fn delete_group(&mut self, group: &str) -> Result<Outcome, SimError> {
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
        self.find_coordinator();
        self.offsets.remove_group(group);
        let g = self
            .groups
            .entry(group.to_owned())
            .or_insert_with(|| Group::new(group.to_owned(), GroupProtocol::Classic));
        g.set_state(
            GroupState::Dead,
            &mut Events::new(self.now_ms, &mut self.events),
        );
        Ok(Outcome::Done)
    }

    /// A classic group starts a join phase.
    pub(crate) fn start_rebalance(&mut self, group: &str, reason: String) {
        if let Some(g) = self.groups.get_mut(group) {
            g.start_rebalance(reason, &mut Events::new(self.now_ms, &mut self.events));
        }
    }

    /// JoinGroup, or a consumer group's first heartbeat; a static member taking its old place
    /// gets its partitions back at once.
    pub(crate) fn join_group(&mut self, group: &str, join: Join) {
        let counts = self.partition_counts();
        let Some(g) = self.groups.get_mut(group) else {
            return;
        };
        let handouts = g.join(
            join,
            &counts,
            &mut Events::new(self.now_ms, &mut self.events),
        );
        for handout in handouts {
            self.hand_out(group, handout);
        }
    }

    /// LeaveGroup, or a member the coordinator drops.
    pub(crate) fn remove_member(&mut self, group: &str, member_id: &str, reason: String) {
        if let Some(g) = self.groups.get_mut(group) {
            let events = &mut Events::new(self.now_ms, &mut self.events);
            g.remove_member(member_id, reason, events);
        }
    }

    /// A member leaves its group: LeaveGroup (`reason`), but a static member (`instance`)
    /// keeps its place until its session times out: classic sends nothing
    /// (`AbstractCoordinator.maybeLeaveGroup`), consumer protocol member epoch -2
    /// (`AbstractMembershipManager.leaveGroupEpoch`).
    pub(crate) fn member_leaves(
        &mut self,
        group: &str,
        member: &str,
        instance: Option<&str>,
        reason: String,
    ) {
        let Some(instance) = instance else {
            return self.remove_member(group, member, reason);
        };
        let Some(g) = self.groups.get_mut(group) else {
            return;
        };
        let Some(session_timeout_ms) = g.members.get(member).map(|m| m.session_timeout_ms) else {
            return;
        };
        let events = &mut Events::new(self.now_ms, &mut self.events);
        if g.protocol != GroupProtocol::Classic {
            g.leave_temporarily(member, events);
        }
        events.push(Event::StaticMemberAway {
            group: group.to_owned(),
            member: member.to_owned(),
            instance: instance.to_owned(),
            session_timeout_ms,
        });
    }

    /// A consumer group's epoch goes up (its topics changed).
    pub(crate) fn bump_group_epoch(&mut self, group: &str) {
        let counts = self.partition_counts();
        if let Some(g) = self.groups.get_mut(group) {
            g.bump_epoch(&counts, &mut Events::new(self.now_ms, &mut self.events));
        }
    }

    /// The coordinators' work each tick, and their hand-outs given to the clients. Members
    /// look their coordinator up again while `__consumer_offsets` could not be created.
    pub(crate) fn run_coordinators(&mut self) {
        if !self.groups.is_empty() {
            self.find_coordinator();
        }
        let counts = self.partition_counts();
        let ids: Vec<String> = self.groups.keys().cloned().collect();
        for group in ids {
            let Some(g) = self.groups.get_mut(&group) else {
                continue;
            };
            let handouts = g.tick(&counts, &mut Events::new(self.now_ms, &mut self.events));
            if handouts.is_empty() {
                continue;
            }
            let mut gave_up = false;
            for handout in handouts {
                gave_up |= self.hand_out(&group, handout);
            }
            if let Some(g) = self.groups.get_mut(&group) {
                g.handed_out(gave_up, &mut Events::new(self.now_ms, &mut self.events));
            }
        }
    }

    /// Gives a client its new assignment, revoking what it loses (with a commit first when
    /// auto-commit is on) and reporting both. Returns whether it gave anything up.
    pub(crate) fn hand_out(&mut self, group: &str, handout: HandOut) -> bool {
        // The client may be gone, or its name taken by another consumer since.
        let Some(consumer) = self
            .consumers
            .get(&handout.client)
            .filter(|c| c.is_member(&handout.member))
        else {
            return false;
        };
        let (revoked, added) = consumer.assignment_changes(&handout.partitions);
        if !revoked.is_empty() {
            self.revoke(&handout.client, &revoked);
        }
        if let Some(consumer) = self.consumers.get_mut(&handout.client) {
            consumer.on_assignment(handout.partitions, handout.generation);
        }
        if !added.is_empty() {
            self.emit(Event::PartitionsAssigned {
                group: group.to_owned(),
                member: handout.member,
                partitions: added,
                generation: handout.generation,
            });
        }
        !revoked.is_empty()
    }

    /// Consumer protocol: a member's heartbeat, reporting what its client owns; the answer
    /// (what the coordinator assigns it now) is reconciled at the client's next poll.
    pub(crate) fn consumer_heartbeat(&mut self, group: &str, member: &str, client: &str) {
        let Some(consumer) = self.consumers.get(client).filter(|c| c.is_member(member)) else {
            return;
        };
        let owned = consumer.assigned.clone();
        let counts = self.partition_counts();
        let Some(g) = self.groups.get_mut(group) else {
            return;
        };
        let events = &mut Events::new(self.now_ms, &mut self.events);
        let Some((assigned, epoch)) = g.reconcile(member, &owned, &counts, events) else {
            return;
        };
        if let Some(consumer) = self.consumers.get_mut(client) {
            consumer.assignment_from_coordinator(assigned, epoch);
        }
    }

    /// Consumer protocol: the poll reconciles what the last heartbeat assigned: it gives up
    /// (committing first) what it loses and takes what it gains.
    pub(crate) fn reconcile_pending(&mut self, id: &str) {
        let Some(consumer) = self.consumers.get_mut(id) else {
            return;
        };
        let Some(member) = consumer.member_id.clone() else {
            return;
        };
        let Some((partitions, generation)) = consumer.take_pending() else {
            return;
        };
        let group = consumer.group_id().to_owned();
        let handout = HandOut {
            member,
            client: id.to_owned(),
            partitions,
            generation,
        };
        self.hand_out(&group, handout);
    }
}
