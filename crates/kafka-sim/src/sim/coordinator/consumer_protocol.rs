//! The consumer protocol (KIP-848, `ConsumerGroup.java`): no join or sync. Any change to the
//! members, their subscriptions or the partitions bumps the group epoch; the server-side
//! assignor computes that epoch's target assignment (at once when a member joins or the
//! partitions change, at the next heartbeat when a member leaves: the group is Assigning till
//! then). Each member converges on its own, heartbeat by heartbeat (`CurrentAssignmentBuilder`):
//! it gives up what its target no longer holds before it catches up with the target's epoch,
//! and gets a partition only once its previous owner has released it.

use super::{Group, GroupState};
use crate::sim::event::{Event, Events};
use crate::sim::ordered::{Map, Set, set_of, sort};
use crate::sim::types::{GroupProtocol, TopicPartition};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a member is in reaching its target, as the coordinator tracks it
/// (`org.apache.kafka.coordinator.group.modern.MemberState`). Kafka's fourth state, UNKNOWN, is
/// for a member whose stored state it cannot read; the playground never has one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MemberState {
    /// It owns its target in the target's epoch.
    #[default]
    Stable,
    /// It must give partitions up first; its epoch stays behind until it has.
    UnrevokedPartitions,
    /// It is in the target's epoch but waits for partitions other members still own.
    UnreleasedPartitions,
}

impl fmt::Display for MemberState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MemberState::Stable => "STABLE",
            MemberState::UnrevokedPartitions => "UNREVOKED_PARTITIONS",
            MemberState::UnreleasedPartitions => "UNRELEASED_PARTITIONS",
        })
    }
}

impl Group {
    /// The group epoch goes up (a member joined or changed its subscription, or the partitions
    /// changed) and that epoch's target assignment is computed at once, in the same heartbeat.
    pub fn bump_epoch(&mut self, partition_counts: &Map<String, u32>, events: &mut Events) {
        if !matches!(self.protocol, GroupProtocol::Consumer { .. }) {
            return;
        }
        self.generation += 1;
        self.compute_target(partition_counts, events);
    }

    /// The target assignment of the group epoch, with the server-side assignor.
    fn compute_target(&mut self, partition_counts: &Map<String, u32>, events: &mut Events) {
        let GroupProtocol::Consumer { assignor } = self.protocol else {
            return;
        };
        self.assignment = self.assign(assignor.strategy(), partition_counts);
        self.assignment_epoch = self.generation;
        events.push(Event::TargetAssignment {
            group: self.id.clone(),
            epoch: self.generation,
            assignment: self.assignment.clone(),
        });
        self.update_consumer_state(events);
    }

    /// A member left or was fenced: the group epoch goes up, and the new target waits for the
    /// next heartbeat (`GroupMetadataManager.consumerGroupFenceMember`).
    pub(super) fn epoch_after_leave(&mut self, events: &mut Events) {
        self.generation += 1;
        self.update_consumer_state(events);
    }

    /// `ConsumerGroup.maybeUpdateGroupState`: Empty without members, Assigning while the
    /// target is of an older epoch, Reconciling while a member has not caught up, else Stable.
    pub(super) fn update_consumer_state(&mut self, events: &mut Events) {
        let state = if self.members.is_empty() {
            GroupState::Empty
        } else if self.generation > self.assignment_epoch {
            GroupState::Assigning
        } else if self.reconciled() {
            GroupState::Stable
        } else {
            GroupState::Reconciling
        };
        self.set_state(state, events);
    }

    /// Every member is Stable in the target's epoch (`isReconciledTo`); a static member away
    /// (epoch -2) is not.
    fn reconciled(&self) -> bool {
        self.members
            .values()
            .all(|m| !m.away && m.state == MemberState::Stable && m.epoch == self.assignment_epoch)
    }

    /// A heartbeat from `member`, whose client owns `owned`: a target waiting for a heartbeat
    /// is computed first, then the member moves toward its target (`CurrentAssignmentBuilder`).
    /// Returns the partitions it is assigned now and its member epoch, which the client
    /// reconciles with; None for a member the group does not know.
    pub fn reconcile(
        &mut self,
        member: &str,
        owned: &[TopicPartition],
        partition_counts: &Map<String, u32>,
        events: &mut Events,
    ) -> Option<(Vec<TopicPartition>, u32)> {
        if !self.members.contains_key(member) {
            return None;
        }
        if self.generation > self.assignment_epoch {
            self.compute_target(partition_counts, events);
        }
        let target = self.assignment.get(member).cloned().unwrap_or_default();
        let target_epoch = self.assignment_epoch;
        let held_by_others: Set<TopicPartition> = set_of(
            self.members
                .values()
                .filter(|m| m.id != member)
                .flat_map(|m| m.owned.iter().chain(&m.revoking).cloned()),
        );
        let now = events.now_ms();
        let m = self.members.get_mut(member)?;
        m.last_heartbeat_ms = now;
        match m.state {
            MemberState::Stable if m.epoch == target_epoch => {}
            MemberState::UnrevokedPartitions if m.revoking.iter().any(|tp| owned.contains(tp)) => {}
            state => {
                let epoch = match state {
                    MemberState::UnrevokedPartitions => m.epoch + 1,
                    _ => m.epoch,
                };
                next_assignment(m, epoch, &target, target_epoch, owned, &held_by_others);
            }
        }
        let answer = (m.owned.clone(), m.epoch);
        self.update_consumer_state(events);
        Some(answer)
    }
}

/// `CurrentAssignmentBuilder.computeNextAssignment`: the member keeps what it owns of its
/// target; what else it owns it must revoke first (UNREVOKED_PARTITIONS, in `member_epoch`),
/// as long as its client still reports owning it; otherwise it gets the target's partitions
/// nobody else holds and is in `target_epoch`, UNRELEASED_PARTITIONS while others still hold
/// some.
fn next_assignment(
    m: &mut super::Member,
    member_epoch: u32,
    target: &[TopicPartition],
    target_epoch: u32,
    reported: &[TopicPartition],
    held_by_others: &Set<TopicPartition>,
) {
    let (kept, revoking): (Vec<TopicPartition>, Vec<TopicPartition>) =
        m.owned.iter().cloned().partition(|tp| target.contains(tp));
    let (unreleased, free): (Vec<&TopicPartition>, Vec<&TopicPartition>) = target
        .iter()
        .filter(|tp| !kept.contains(tp))
        .partition(|tp| held_by_others.contains(*tp));
    if revoking.iter().any(|tp| reported.contains(tp)) {
        m.state = MemberState::UnrevokedPartitions;
        m.epoch = member_epoch;
        m.owned = kept;
        m.revoking = revoking;
        return;
    }
    let mut next = kept;
    next.extend(free.into_iter().cloned());
    sort(&mut next);
    m.owned = next;
    m.revoking = Vec::new();
    m.epoch = target_epoch;
    m.state = if unreleased.is_empty() {
        MemberState::Stable
    } else {
        MemberState::UnreleasedPartitions
    };
}

#[cfg(test)]
mod tests {
    use super::super::tests::{Coordinator, join, joined, left, state_changed, tps};
    use super::super::{Join, ServerAssignor};
    use super::*;
    use crate::sim::assignor::Assignment;

    fn consumer_group(assignor: ServerAssignor, topics: &[(&str, u32)]) -> Coordinator {
        Coordinator::new(GroupProtocol::Consumer { assignor }, topics)
    }

    fn uniform(topics: &[(&str, u32)]) -> Coordinator {
        consumer_group(ServerAssignor::Uniform, topics)
    }

    fn owning(member: &str, owned: &[(&str, u32)]) -> Join {
        Join {
            owned: tps(owned),
            ..join(member, &["t"])
        }
    }

    fn assignment(list: &[(&str, &[(&str, u32)])]) -> Assignment {
        list.iter()
            .map(|(m, owned)| (m.to_string(), tps(owned)))
            .collect()
    }

    fn target(epoch: u32, list: &[(&str, &[(&str, u32)])]) -> Event {
        Event::TargetAssignment {
            group: "g".into(),
            epoch,
            assignment: assignment(list),
        }
    }

    fn answer(partitions: &[(&str, u32)], epoch: u32) -> Option<(Vec<TopicPartition>, u32)> {
        Some((tps(partitions), epoch))
    }

    /// a#1 alone owns t-0 and t-1 and has caught up: the group is Stable in epoch 1.
    fn a_owns_both() -> Coordinator {
        let mut c = uniform(&[("t", 2)]);
        c.join(0, join("a#1", &["t"]));
        assert_eq!(c.heartbeat(0, "a#1", &[]), answer(&[("t", 0), ("t", 1)], 1));
        assert_eq!(c.group.state, GroupState::Stable);
        c.events();
        c
    }

    /// `a_owns_both`, then b#2 joins at 5 s: epoch 2's target moves t-1 to b.
    fn b_joins() -> Coordinator {
        let mut c = a_owns_both();
        c.join(5_000, join("b#2", &["t"]));
        c.events();
        c
    }

    #[test]
    fn a_first_heartbeat_bumps_the_group_epoch_and_computes_a_target() {
        let mut c = uniform(&[("t", 2)]);
        c.join(0, join("a#1", &["t"]));
        assert_eq!(
            c.events(),
            vec![
                joined("a#1"),
                target(1, &[("a#1", &[("t", 0), ("t", 1)])]),
                state_changed("Empty", "Reconciling", 1),
            ]
        );
        assert_eq!((c.group.generation, c.group.assignment_epoch), (1, 1));
        assert_eq!(c.member("a#1").epoch, 0, "the member has not caught up yet");
    }

    /// `CurrentAssignmentBuilder.computeNextAssignment`: free partitions are given at once and
    /// the member is STABLE in the target's epoch; `ConsumerGroup.maybeUpdateGroupState` then
    /// makes the group Stable.
    #[test]
    fn a_heartbeat_gives_the_free_target_partitions_and_the_group_becomes_stable() {
        let mut c = uniform(&[("t", 2)]);
        c.join(0, join("a#1", &["t"]));
        c.events();
        assert_eq!(
            c.heartbeat(100, "a#1", &[]),
            answer(&[("t", 0), ("t", 1)], 1)
        );
        assert_eq!(c.events(), vec![state_changed("Reconciling", "Stable", 1)]);
        let a = c.member("a#1");
        assert_eq!(
            (a.state, a.epoch, a.last_heartbeat_ms),
            (MemberState::Stable, 1, 100)
        );
        assert_eq!(c.heartbeat(100, "ghost#9", &[]), None, "UNKNOWN_MEMBER_ID");
    }

    #[test]
    fn a_new_member_bumps_the_epoch_and_the_uniform_target_keeps_what_stays() {
        let mut c = a_owns_both();
        c.join(5_000, join("b#2", &["t"]));
        assert_eq!(
            c.events(),
            vec![
                joined("b#2"),
                target(2, &[("a#1", &[("t", 0)]), ("b#2", &[("t", 1)])]),
                state_changed("Stable", "Reconciling", 2),
            ]
        );
    }

    #[test]
    fn the_range_server_assignor_gives_contiguous_ranges() {
        let mut c = consumer_group(ServerAssignor::Range, &[("t", 3)]);
        c.join(0, join("a#1", &["t"]));
        c.join(0, join("b#2", &["t"]));
        assert_eq!(
            c.group.assignment,
            assignment(&[("a#1", &[("t", 0), ("t", 1)]), ("b#2", &[("t", 2)])])
        );
        assert_eq!(c.group.generation, 2);
    }

    /// `CurrentAssignmentBuilder`: a member that must give partitions up is
    /// UNREVOKED_PARTITIONS in its old epoch while its client still reports them, then, once
    /// it has revoked them (`ownsRevokedPartitions`), moves to the target's epoch.
    #[test]
    fn a_member_revoking_stays_in_its_epoch_until_its_client_gave_them_up() {
        let mut c = b_joins();
        assert_eq!(
            c.heartbeat(5_100, "a#1", &[("t", 0), ("t", 1)]),
            answer(&[("t", 0)], 1)
        );
        let a = c.member("a#1");
        assert_eq!(a.state, MemberState::UnrevokedPartitions);
        assert_eq!(a.revoking, tps(&[("t", 1)]));
        // Its client has not revoked yet: nothing moves.
        assert_eq!(
            c.heartbeat(5_200, "a#1", &[("t", 0), ("t", 1)]),
            answer(&[("t", 0)], 1)
        );
        assert_eq!(
            c.heartbeat(5_300, "a#1", &[("t", 0)]),
            answer(&[("t", 0)], 2)
        );
        let a = c.member("a#1");
        assert_eq!(a.state, MemberState::Stable);
        assert!(a.revoking.is_empty());
    }

    /// `computeNextAssignment`: a target partition another member still holds (its partition
    /// epoch is set) is not given; the member is UNRELEASED_PARTITIONS in the target's epoch,
    /// and gets it at its first heartbeat after the owner released it.
    #[test]
    fn a_partition_still_held_by_another_member_is_unreleased_until_it_is_revoked() {
        let mut c = b_joins();
        c.heartbeat(5_000, "a#1", &[("t", 0), ("t", 1)]);
        assert_eq!(c.heartbeat(5_000, "b#2", &[]), answer(&[], 2));
        assert_eq!(c.member("b#2").state, MemberState::UnreleasedPartitions);
        assert_eq!(c.group.state, GroupState::Reconciling);
        c.heartbeat(5_100, "a#1", &[("t", 0)]);
        assert_eq!(c.heartbeat(5_200, "b#2", &[]), answer(&[("t", 1)], 2));
        assert_eq!(c.member("b#2").state, MemberState::Stable);
        assert_eq!(c.events(), vec![state_changed("Reconciling", "Stable", 2)]);
    }

    /// `ownsRevokedPartitions`: a client that no longer reports a partition it must revoke is
    /// not kept waiting for it.
    #[test]
    fn a_client_that_no_longer_owns_what_it_must_revoke_catches_up_at_once() {
        let mut c = b_joins();
        assert_eq!(
            c.heartbeat(5_000, "a#1", &[("t", 0)]),
            answer(&[("t", 0)], 2)
        );
        assert_eq!(c.member("a#1").state, MemberState::Stable);
    }

    /// The coordinator's own record of who owns what decides (the partition epochs of
    /// `ConsumerGroup`): a silent member's partitions stay its own until its session times out.
    #[test]
    fn a_silent_members_partitions_are_not_given_away_before_its_session_times_out() {
        // a#1 owns both and goes silent after its heartbeat at 0; b's target holds t-1.
        let mut c = b_joins();
        assert_eq!(c.heartbeat(5_000, "b#2", &[]), answer(&[], 2));
        assert_eq!(c.heartbeat(40_000, "b#2", &[]), answer(&[], 2));
        assert_eq!(c.member("b#2").state, MemberState::UnreleasedPartitions);
        c.tick(45_001);
        assert!(!c.group.members.contains_key("a#1"));
        assert_eq!(c.group.state, GroupState::Assigning);
        assert_eq!(
            c.heartbeat(45_100, "b#2", &[]),
            answer(&[("t", 0), ("t", 1)], 3)
        );
        assert_eq!(c.group.state, GroupState::Stable);
    }

    #[test]
    fn the_next_assignment_is_in_partition_order() {
        let mut c = uniform(&[("t", 3), ("u", 1)]);
        c.join(0, join("a#1", &["t", "u"]));
        assert_eq!(
            c.heartbeat(0, "a#1", &[]),
            answer(&[("t", 0), ("t", 1), ("t", 2), ("u", 0)], 1)
        );
    }

    #[test]
    fn the_owned_partitions_a_member_reports_on_joining_count_for_stickiness() {
        // b rejoins owning t-1 (its member id kept): the uniform target leaves it there.
        let mut c = uniform(&[("t", 2)]);
        c.join(0, owning("b#2", &[("t", 1)]));
        c.join(0, owning("a#1", &[]));
        assert_eq!(
            c.group.assignment,
            assignment(&[("a#1", &[("t", 0)]), ("b#2", &[("t", 1)])])
        );
    }

    /// `GroupMetadataManager.consumerGroupFenceMember` bumps the group epoch without a target;
    /// `ConsumerGroup.maybeUpdateGroupState` says Assigning until the next heartbeat computes
    /// it (`consumerGroupHeartbeat`, groupEpoch > assignmentEpoch).
    #[test]
    fn a_member_leaving_leaves_the_group_assigning_until_the_next_heartbeat() {
        let mut c = b_joins();
        c.heartbeat(5_000, "a#1", &[("t", 0)]);
        c.heartbeat(5_000, "b#2", &[]);
        c.events();
        c.leave(6_000, "b#2", "it closed (LeaveGroup)");
        assert_eq!(
            c.events(),
            vec![
                left("b#2", "it closed (LeaveGroup)"),
                state_changed("Stable", "Assigning", 3),
            ]
        );
        assert_eq!((c.group.generation, c.group.assignment_epoch), (3, 2));
        assert_eq!(
            c.heartbeat(7_000, "a#1", &[("t", 0)]),
            answer(&[("t", 0), ("t", 1)], 3)
        );
        assert_eq!(
            c.events(),
            vec![
                target(3, &[("a#1", &[("t", 0), ("t", 1)])]),
                state_changed("Assigning", "Reconciling", 3),
                state_changed("Reconciling", "Stable", 3),
            ]
        );
    }

    #[test]
    fn the_last_member_leaving_empties_the_group_in_a_new_epoch() {
        let mut c = a_owns_both();
        c.leave(6_000, "a#1", "it closed (LeaveGroup)");
        assert_eq!(
            c.events(),
            vec![
                left("a#1", "it closed (LeaveGroup)"),
                state_changed("Stable", "Empty", 2),
            ]
        );
    }

    #[test]
    fn more_partitions_bump_the_epoch_with_a_new_target() {
        let mut c = a_owns_both();
        c.counts.insert("t".into(), 3);
        let counts = c.counts.clone();
        c.group
            .bump_epoch(&counts, &mut Events::new(7_000, &mut c.queue));
        assert_eq!(
            c.events(),
            vec![
                target(2, &[("a#1", &[("t", 0), ("t", 1), ("t", 2)])]),
                state_changed("Stable", "Reconciling", 2),
            ]
        );
    }

    #[test]
    fn bump_epoch_leaves_a_classic_group_alone() {
        let mut c = Coordinator::classic(&[("t", 2)]);
        let counts = c.counts.clone();
        c.group
            .bump_epoch(&counts, &mut Events::new(0, &mut c.queue));
        assert_eq!(c.group.generation, 0);
        assert!(c.group.assignment.is_empty());
        assert!(c.events().is_empty());
    }
}
