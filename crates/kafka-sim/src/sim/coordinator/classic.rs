//! The classic protocol's phases (`ClassicGroup.java`): a join phase (PreparingRebalance) that
//! ends when every member has rejoined or the rebalance timeout passes, then the leader's
//! assignment handed out (CompletingRebalance, then Stable), and the cooperative second round.

use super::{Group, GroupState, HandOut, INITIAL_REBALANCE_DELAY_MS};
use crate::sim::event::{Event, Events};
use crate::sim::ordered::{Map, ValuesMut};
use crate::sim::types::{GroupProtocol, Strategy};

impl Group {
    /// Starts a join phase (if one is not already running): every member must rejoin.
    pub fn start_rebalance(&mut self, reason: String, events: &mut Events) {
        if self.protocol != GroupProtocol::Classic || self.state == GroupState::PreparingRebalance {
            return;
        }
        self.rebalance_started_ms = events.now_ms();
        for member in self.members.values_mut() {
            member.joined = false;
        }
        events.push(Event::RebalanceStarted {
            group: self.id.clone(),
            reason,
        });
        self.set_state(GroupState::PreparingRebalance, events);
    }

    /// Ends the join phase once every member has rejoined (after the initial delay for a
    /// group's first rebalance), or when the rebalance timeout has passed: members that did not
    /// rejoin leave, the generation goes up and the leader's assignment is computed.
    pub(super) fn maybe_complete_join(
        &mut self,
        now_ms: u64,
        partition_counts: &Map<String, u32>,
        events: &mut Events,
    ) {
        let timeout = self
            .members
            .values()
            .map(|m| m.rebalance_timeout_ms)
            .max()
            .unwrap_or(0);
        let elapsed = now_ms.saturating_sub(self.rebalance_started_ms);
        let all_joined = self.members.values().all(|m| m.joined);
        let delay_over =
            !self.initial_rebalance || elapsed >= INITIAL_REBALANCE_DELAY_MS.min(timeout);
        // The join phase lasts at least one tick, so the phase can be seen.
        let ready = elapsed > 0 && all_joined && delay_over;
        if !ready && elapsed < timeout {
            return;
        }
        let stragglers: Vec<String> = self
            .members
            .values()
            .filter(|m| !m.joined)
            .map(|m| m.id.clone())
            .collect();
        for member in &stragglers {
            self.members.remove(member);
        }
        self.generation += 1;
        self.initial_rebalance = false;
        for member in stragglers {
            events.push(Event::MemberLeft {
                group: self.id.clone(),
                member,
                reason: "did not rejoin within the rebalance timeout (max.poll.interval.ms)"
                    .to_owned(),
            });
        }
        if self.members.is_empty() {
            self.strategy = None;
            self.set_state(GroupState::Empty, events);
            return;
        }
        if !self
            .leader
            .as_ref()
            .is_some_and(|l| self.members.contains_key(l))
        {
            self.leader = self.members.keys().next().cloned();
        }
        self.assignment = self.assign(self.strategy.unwrap_or(Strategy::Range), partition_counts);
        self.set_state(GroupState::CompletingRebalance, events);
    }

    /// The leader's SyncGroup arrived: every member gets its partitions and the group is
    /// Stable. Returns the hand-outs for the engine to give to the clients.
    pub(super) fn complete_sync(&mut self, events: &mut Events) -> Vec<HandOut> {
        let generation = self.generation;
        let assignment = &self.assignment;
        let handouts = self
            .members
            .values_mut()
            .map(|m| {
                let partitions = assignment.get(&m.id).cloned().unwrap_or_default();
                m.joined = false;
                m.owned = partitions.clone();
                HandOut {
                    member: m.id.clone(),
                    client: m.client.clone(),
                    partitions,
                    generation,
                }
            })
            .collect();
        self.set_state(GroupState::Stable, events);
        handouts
    }

    /// After a sync's hand-outs: cooperative members that gave something up (`gave_up`)
    /// rejoin at once, so a second round hands it to its new owner.
    pub fn handed_out(&mut self, gave_up: bool, events: &mut Events) {
        if gave_up && self.strategy.is_some_and(Strategy::cooperative) {
            self.start_rebalance(
                "cooperative follow-up: members gave up partitions that now move".to_owned(),
                events,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{Coordinator, join, joined, left, rebalance, state_changed, tps};
    use super::super::{GroupProtocol, Join, ServerAssignor};
    use super::*;

    const STRAGGLER: &str = "did not rejoin within the rebalance timeout (max.poll.interval.ms)";

    /// `member` joins with `max.poll.interval.ms` (the rebalance timeout) `timeout_ms`.
    fn join_with_timeout(member: &str, timeout_ms: u64) -> Join {
        Join {
            rebalance_timeout_ms: timeout_ms,
            ..join(member, &["t"])
        }
    }

    fn cooperative(member: &str, owned: &[(&str, u32)]) -> Join {
        Join {
            strategy: Strategy::CooperativeSticky,
            owned: tps(owned),
            ..join(member, &["t"])
        }
    }

    fn hand_out(member: &str, partitions: &[(&str, u32)], generation: u32) -> HandOut {
        HandOut {
            member: member.into(),
            client: member.split('#').next().unwrap().into(),
            partitions: tps(partitions),
            generation,
        }
    }

    #[test]
    fn an_empty_groups_first_rebalance_waits_the_initial_delay() {
        // group.initial.rebalance.delay.ms: more members may join before the first assignment.
        let mut c = Coordinator::classic(&[("t", 3)]);
        c.join(0, join("a#1", &["t"]));
        c.events();
        assert!(c.tick(0).is_empty());
        c.join(1_000, join("b#2", &["t"]));
        assert!(c.tick(2_999).is_empty());
        assert_eq!(c.events(), vec![joined("b#2")]);
        assert_eq!(c.group.state, GroupState::PreparingRebalance);
        assert!(c.tick(3_000).is_empty());
        assert_eq!(
            c.events(),
            vec![state_changed(
                "PreparingRebalance",
                "CompletingRebalance",
                1
            )]
        );
        assert_eq!(c.group.generation, 1);
        assert!(!c.group.initial_rebalance);
        assert_eq!(c.group.leader.as_deref(), Some("a#1"));
        assert_eq!(c.assignment_of("a#1"), Some(tps(&[("t", 0), ("t", 1)])));
        assert_eq!(c.assignment_of("b#2"), Some(tps(&[("t", 2)])));
    }

    #[test]
    fn the_initial_delay_is_cut_to_the_rebalance_timeout() {
        let mut c = Coordinator::classic(&[("t", 1)]);
        c.join(0, join_with_timeout("a#1", 1_000));
        c.tick(999);
        assert_eq!(c.group.state, GroupState::PreparingRebalance);
        c.tick(1_000);
        assert_eq!(c.group.state, GroupState::CompletingRebalance);
    }

    #[test]
    fn a_later_rebalance_does_not_wait_the_delay_but_lasts_at_least_one_tick() {
        let mut c = Coordinator::stable(&[("t", 2)], vec![join("a#1", &["t"])]);
        c.join(10_000, join("b#2", &["t"]));
        c.join(10_000, join("a#1", &["t"]));
        assert_eq!(
            c.events(),
            vec![
                joined("b#2"),
                rebalance("b#2 joined"),
                state_changed("Stable", "PreparingRebalance", 1),
            ]
        );
        // Everyone has rejoined, but the phase is seen for one tick.
        c.tick(10_000);
        assert!(c.events().is_empty());
        c.tick(10_001);
        assert_eq!(
            c.events(),
            vec![state_changed(
                "PreparingRebalance",
                "CompletingRebalance",
                2
            )]
        );
    }

    #[test]
    fn the_join_phase_waits_for_members_that_have_not_rejoined() {
        let mut c =
            Coordinator::stable(&[("t", 2)], vec![join("a#1", &["t"]), join("b#2", &["t"])]);
        c.join(10_000, join("c#3", &["t"]));
        c.join(10_000, join("a#1", &["t"]));
        c.events();
        c.tick(20_000);
        assert!(c.events().is_empty());
        assert_eq!(c.group.state, GroupState::PreparingRebalance);
        c.group.heartbeat("b#2", 20_000);
        c.join(20_500, join("b#2", &["t"]));
        c.tick(20_600);
        assert_eq!(c.group.state, GroupState::CompletingRebalance);
        assert_eq!(c.group.members.len(), 3);
    }

    #[test]
    fn a_member_that_does_not_rejoin_within_the_longest_rebalance_timeout_is_removed() {
        let mut c = Coordinator::stable(
            &[("t", 2)],
            vec![
                join_with_timeout("a#1", 10_000),
                join_with_timeout("b#2", 20_000),
            ],
        );
        c.join(5_000, join_with_timeout("a#1", 10_000));
        c.events();
        // The rebalance timeout is the longest max.poll.interval.ms, b's 20 s.
        c.tick(24_999);
        assert!(c.events().is_empty());
        c.tick(25_000);
        assert_eq!(
            c.events(),
            vec![
                left("b#2", STRAGGLER),
                state_changed("PreparingRebalance", "CompletingRebalance", 2),
            ]
        );
        assert_eq!(
            c.group.members.keys().collect::<Vec<_>>(),
            vec![&"a#1".to_owned()]
        );
        assert_eq!(c.assignment_of("a#1"), Some(tps(&[("t", 0), ("t", 1)])));
        assert!(!c.group.assignment.contains_key("b#2"));
    }

    #[test]
    fn a_group_whose_members_all_miss_the_rebalance_is_empty_in_a_new_generation() {
        let mut c = Coordinator::stable(
            &[("t", 2)],
            vec![Join {
                strategy: Strategy::CooperativeSticky,
                ..join_with_timeout("a#1", 10_000)
            }],
        );
        c.start_rebalance(5_000, "the partitions of t changed");
        c.tick(15_000);
        assert_eq!(
            c.events(),
            vec![
                rebalance("the partitions of t changed"),
                state_changed("Stable", "PreparingRebalance", 1),
                left("a#1", STRAGGLER),
                state_changed("PreparingRebalance", "Empty", 2),
            ]
        );
        assert!(c.group.members.is_empty());
        assert_eq!(c.group.strategy, None);
    }

    #[test]
    fn the_leader_stays_while_it_is_a_member_then_is_the_first_member_id() {
        let mut c = Coordinator::stable(&[("t", 3)], vec![join("zed#1", &["t"])]);
        assert_eq!(c.group.leader.as_deref(), Some("zed#1"));
        c.join(5_000, join("amy#2", &["t"]));
        c.join(5_000, join("zed#1", &["t"]));
        c.tick(5_001);
        assert_eq!(c.group.generation, 2);
        assert_eq!(c.group.leader.as_deref(), Some("zed#1"), "amy sorts first");
        c.tick(5_002);
        c.events();
        c.join(6_000, join("bob#3", &["t"]));
        c.leave(6_000, "zed#1", "it closed (LeaveGroup)");
        c.join(6_000, join("amy#2", &["t"]));
        c.tick(6_001);
        assert_eq!(
            c.events(),
            vec![
                joined("bob#3"),
                rebalance("bob#3 joined"),
                state_changed("Stable", "PreparingRebalance", 2),
                // Already rebalancing: no second RebalanceStarted.
                left("zed#1", "it closed (LeaveGroup)"),
                state_changed("PreparingRebalance", "CompletingRebalance", 3),
            ]
        );
        assert_eq!(c.group.leader.as_deref(), Some("amy#2"));
    }

    #[test]
    fn the_sync_on_the_next_tick_hands_every_member_its_partitions_and_the_group_is_stable() {
        let mut c = Coordinator::classic(&[("t", 3)]);
        c.join(0, join("a#1", &["t"]));
        c.join(0, join("b#2", &["t"]));
        c.tick(3_000);
        c.events();
        let handouts = c.tick(3_100);
        assert_eq!(
            handouts,
            vec![
                hand_out("a#1", &[("t", 0), ("t", 1)], 1),
                hand_out("b#2", &[("t", 2)], 1),
            ]
        );
        assert_eq!(
            c.events(),
            vec![state_changed("CompletingRebalance", "Stable", 1)]
        );
        assert_eq!(c.member("a#1").owned, tps(&[("t", 0), ("t", 1)]));
        assert!(!c.member("a#1").joined && !c.member("b#2").joined);
        // Stable: nothing more to hand out.
        assert!(c.tick(3_200).is_empty());
        assert!(c.events().is_empty());
    }

    #[test]
    fn a_member_with_no_partitions_still_gets_a_hand_out() {
        let mut c = Coordinator::classic(&[("t", 1)]);
        c.join(0, join("a#1", &["t"]));
        c.join(0, join("b#2", &["t"]));
        c.tick(3_000);
        assert_eq!(
            c.tick(3_100),
            vec![hand_out("a#1", &[("t", 0)], 1), hand_out("b#2", &[], 1)]
        );
    }

    #[test]
    fn eager_members_need_no_follow_up_rebalance() {
        let mut c = Coordinator::stable(&[("t", 2)], vec![join("a#1", &["t"])]);
        c.handed_out(5_000, true);
        assert!(c.events().is_empty());
        assert_eq!(c.group.state, GroupState::Stable);
    }

    #[test]
    fn cooperative_members_that_gave_up_partitions_rebalance_again() {
        let mut c = Coordinator::stable(&[("t", 2)], vec![cooperative("a#1", &[])]);
        c.handed_out(5_000, false);
        assert!(c.events().is_empty());
        c.handed_out(5_000, true);
        assert_eq!(
            c.events(),
            vec![
                rebalance("cooperative follow-up: members gave up partitions that now move"),
                state_changed("Stable", "PreparingRebalance", 1),
            ]
        );
    }

    #[test]
    fn cooperative_sticky_moves_a_partition_in_two_rounds() {
        // KIP-429: the owner gives the partition up in the first round, the new member gets it
        // in the second; the owner keeps consuming what stays all along.
        let mut c = Coordinator::stable(&[("t", 3)], vec![cooperative("a#1", &[])]);
        assert_eq!(c.member("a#1").owned, tps(&[("t", 0), ("t", 1), ("t", 2)]));
        c.join(5_000, cooperative("b#2", &[]));
        c.join(5_000, cooperative("a#1", &[("t", 0), ("t", 1), ("t", 2)]));
        c.tick(5_001);
        assert_eq!(
            c.tick(5_002),
            vec![
                hand_out("a#1", &[("t", 0), ("t", 1)], 2),
                hand_out("b#2", &[], 2)
            ]
        );
        c.handed_out(5_002, true);
        assert_eq!(c.group.state, GroupState::PreparingRebalance);
        c.join(5_010, cooperative("a#1", &[("t", 0), ("t", 1)]));
        c.join(5_010, cooperative("b#2", &[]));
        c.tick(5_011);
        assert_eq!(
            c.tick(5_012),
            vec![
                hand_out("a#1", &[("t", 0), ("t", 1)], 3),
                hand_out("b#2", &[("t", 2)], 3)
            ]
        );
    }

    #[test]
    fn start_rebalance_is_a_no_op_while_preparing_and_for_consumer_groups() {
        let mut c = Coordinator::classic(&[("t", 1)]);
        c.join(0, join("a#1", &["t"]));
        c.events();
        c.start_rebalance(500, "again");
        assert!(c.events().is_empty());
        assert_eq!(c.group.rebalance_started_ms, 0);
        let mut c = Coordinator::new(
            GroupProtocol::Consumer {
                assignor: ServerAssignor::Uniform,
            },
            &[("t", 1)],
        );
        c.join(0, join("a#1", &["t"]));
        c.events();
        c.start_rebalance(500, "topic grew");
        assert!(c.events().is_empty());
        assert_eq!(c.group.state, GroupState::Reconciling);
    }
}
