//! The consumer protocol (KIP-848, `ConsumerGroup.java`): no join or sync. Any change to the
//! members, their subscriptions or the partitions bumps the group epoch and computes a target
//! assignment with the server-side assignor; each member converges on its own, heartbeat by
//! heartbeat, and gets a partition only once its previous owner has released it.

use super::{Group, GroupState};
use crate::sim::event::{Event, Events};
use crate::sim::ordered::{Map, sort};
use crate::sim::types::{GroupProtocol, TopicPartition};

impl Group {
    /// The group changed (members, subscriptions or partitions): the epoch goes up and a new
    /// target assignment is computed.
    pub fn bump_epoch(&mut self, partition_counts: &Map<String, u32>, events: &mut Events) {
        let GroupProtocol::Consumer { assignor } = self.protocol else {
            return;
        };
        self.generation += 1;
        self.assignment = self.assign(assignor.strategy(), partition_counts);
        events.push(Event::TargetAssignment {
            group: self.id.clone(),
            epoch: self.generation,
            assignment: self.assignment.clone(),
        });
        let state = if self.members.is_empty() {
            GroupState::Empty
        } else {
            GroupState::Reconciling
        };
        self.set_state(state, events);
    }

    /// Every member has caught up with the epoch and owns its target.
    pub(super) fn reconciled(&self) -> bool {
        self.members.values().all(|m| {
            m.epoch == self.generation
                && self
                    .assignment
                    .get(&m.id)
                    .is_none_or(|target| *target == m.owned)
        })
    }

    /// What `member`, owning `owned`, owns after its heartbeat: what it owns of its target and
    /// the target's partitions no other member still owns (`owners`: partition → client), in
    /// order; and the epoch it then holds them in.
    pub fn next_assignment(
        &self,
        member: &str,
        owned: &[TopicPartition],
        owners: &Map<TopicPartition, String>,
    ) -> (Vec<TopicPartition>, u32) {
        let target = self.target(member);
        let kept = owned.iter().filter(|tp| target.contains(tp));
        let free = target
            .iter()
            .filter(|tp| !owned.contains(tp) && !owners.contains_key(*tp));
        let mut next: Vec<TopicPartition> = kept.chain(free).cloned().collect();
        sort(&mut next);
        (next, self.generation)
    }

    /// `member` owns `next` as of `now_ms`; once that is its whole target it has caught up with
    /// the group epoch.
    pub fn reconciled_member(&mut self, member: &str, next: Vec<TopicPartition>, now_ms: u64) {
        let caught_up = next == self.target(member);
        let epoch = self.generation;
        if let Some(m) = self.members.get_mut(member) {
            m.owned = next;
            m.last_heartbeat_ms = now_ms;
            if caught_up {
                m.epoch = epoch;
            }
        }
    }

    fn target(&self, member: &str) -> Vec<TopicPartition> {
        self.assignment.get(member).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{Coordinator, join, joined, left, state_changed, tps};
    use super::super::{Join, ServerAssignor};
    use super::*;
    use crate::sim::assignor::Assignment;
    use crate::sim::ids::PartitionId;
    use crate::sim::ordered::map_of;

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

    /// partition → the client owning it.
    fn owners(list: &[((&str, u32), &str)]) -> Map<TopicPartition, String> {
        map_of(
            list.iter().map(|((t, p), client)| {
                (TopicPartition::new(*t, PartitionId(*p)), client.to_string())
            }),
        )
    }

    /// a#1 alone owns t-0 and t-1 and has caught up: the group is Stable in epoch 1.
    fn a_owns_both() -> Coordinator {
        let mut c = uniform(&[("t", 2)]);
        c.join(0, join("a#1", &["t"]));
        c.group
            .reconciled_member("a#1", tps(&[("t", 0), ("t", 1)]), 0);
        c.tick(100);
        assert_eq!(c.group.state, GroupState::Stable);
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
        assert_eq!(c.group.generation, 1);
        assert_eq!(c.group.state, GroupState::Reconciling);
        assert_eq!(c.member("a#1").epoch, 0, "the member has not caught up yet");
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

    #[test]
    fn a_member_keeps_what_it_owns_of_its_target_and_gives_up_the_rest() {
        let mut c = a_owns_both();
        c.join(5_000, join("b#2", &["t"]));
        assert_eq!(
            c.group
                .next_assignment("a#1", &tps(&[("t", 0), ("t", 1)]), &owners(&[])),
            (tps(&[("t", 0)]), 2)
        );
    }

    #[test]
    fn a_partition_still_owned_by_another_member_is_not_given_yet() {
        let mut c = a_owns_both();
        c.join(5_000, join("b#2", &["t"]));
        let a_still_owns = owners(&[(("t", 0), "a"), (("t", 1), "a")]);
        assert_eq!(
            c.group.next_assignment("b#2", &[], &a_still_owns),
            (Vec::new(), 2)
        );
        // Once a has revoked t-1, b gets it.
        let a_released = owners(&[(("t", 0), "a")]);
        assert_eq!(
            c.group.next_assignment("b#2", &[], &a_released),
            (tps(&[("t", 1)]), 2)
        );
    }

    #[test]
    fn the_next_assignment_is_in_partition_order() {
        let mut c = uniform(&[("t", 3), ("u", 1)]);
        c.join(0, join("a#1", &["t", "u"]));
        assert_eq!(
            c.group
                .next_assignment("a#1", &tps(&[("u", 0), ("t", 2)]), &owners(&[])),
            (tps(&[("t", 0), ("t", 1), ("t", 2), ("u", 0)]), 1)
        );
    }

    #[test]
    fn a_member_without_a_target_gives_up_everything() {
        let c = a_owns_both();
        assert_eq!(
            c.group
                .next_assignment("ghost#9", &tps(&[("t", 0)]), &owners(&[])),
            (Vec::new(), 1)
        );
    }

    #[test]
    fn a_member_catches_up_with_the_epoch_only_once_it_owns_its_whole_target() {
        let mut c = a_owns_both();
        c.join(5_000, join("b#2", &["t"]));
        c.group.reconciled_member("b#2", Vec::new(), 5_000);
        assert_eq!(c.member("b#2").epoch, 0);
        c.group.reconciled_member("a#1", tps(&[("t", 0)]), 5_100);
        assert_eq!(c.member("a#1").epoch, 2);
        assert_eq!(c.member("a#1").owned, tps(&[("t", 0)]));
        assert_eq!(c.member("a#1").last_heartbeat_ms, 5_100);
        c.group.reconciled_member("b#2", tps(&[("t", 1)]), 5_200);
        assert_eq!(c.member("b#2").epoch, 2);
        assert_eq!(c.member("b#2").owned, tps(&[("t", 1)]));
    }

    #[test]
    fn the_group_is_stable_once_every_member_has_caught_up() {
        let mut c = a_owns_both();
        c.join(5_000, join("b#2", &["t"]));
        c.events();
        c.tick(5_000);
        assert!(c.events().is_empty());
        // a revokes t-1 and catches up; b still waits for it.
        c.group.reconciled_member("a#1", tps(&[("t", 0)]), 5_000);
        c.group.reconciled_member("b#2", Vec::new(), 5_000);
        c.tick(5_100);
        assert!(c.events().is_empty());
        assert_eq!(c.group.state, GroupState::Reconciling);
        c.group.reconciled_member("b#2", tps(&[("t", 1)]), 10_000);
        assert!(
            c.tick(10_000).is_empty(),
            "no hand-outs from a consumer group"
        );
        assert_eq!(c.events(), vec![state_changed("Reconciling", "Stable", 2)]);
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

    #[test]
    fn a_member_leaving_bumps_the_epoch_and_the_others_take_its_partitions() {
        let mut c = a_owns_both();
        c.join(5_000, join("b#2", &["t"]));
        c.group.reconciled_member("a#1", tps(&[("t", 0)]), 5_000);
        c.group.reconciled_member("b#2", tps(&[("t", 1)]), 5_000);
        c.tick(5_000);
        c.events();
        c.leave(6_000, "b#2", "it closed (LeaveGroup)");
        assert_eq!(
            c.events(),
            vec![
                left("b#2", "it closed (LeaveGroup)"),
                target(3, &[("a#1", &[("t", 0), ("t", 1)])]),
                state_changed("Stable", "Reconciling", 3),
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
                target(2, &[]),
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
