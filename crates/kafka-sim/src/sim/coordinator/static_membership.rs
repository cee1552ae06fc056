//! Static membership (KIP-345, `group.instance.id`): a member that names its instance keeps its
//! place in the group while its process restarts. It does not leave when it closes (classic: no
//! LeaveGroup, `AbstractCoordinator.maybeLeaveGroup`; consumer protocol: a heartbeat with
//! member epoch -2, `GroupMetadataManager.consumerGroupStaticMemberGroupLeave`), so its
//! partitions wait for it until `session.timeout.ms` passes, and a new process with the same
//! instance id takes the old member's place and partitions without a rebalance
//! (`GroupMetadataManager.updateStaticMemberThenRebalanceOrCompleteJoin`,
//! `getOrMaybeSubscribeStaticConsumerGroupMember`).
//!
//! Two live consumers with one instance id: with the classic protocol the newer takes the place
//! and the older is fenced (FENCED_INSTANCE_ID at its next heartbeat or commit); with the
//! consumer protocol the newer is refused (UNRELEASED_INSTANCE_ID) while the older has not left.

use super::{Group, GroupState, HandOut, Join, MemberState};
use crate::sim::error::SimError;
use crate::sim::event::{Event, Events};
use crate::sim::types::GroupProtocol;

/// What a fenced static member's heartbeat or commit gets (`Errors.FENCED_INSTANCE_ID`).
pub const FENCED_INSTANCE_ID: &str = "FENCED_INSTANCE_ID (FencedInstanceIdException): The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id.";

impl Group {
    /// The member holding `instance` as its `group.instance.id`, if any.
    pub fn static_member(&self, instance: &str) -> Option<&super::Member> {
        self.members
            .values()
            .find(|m| m.instance_id.as_deref() == Some(instance))
    }

    /// The member that took the place of `member` (which the group no longer knows) with its
    /// `instance` id, if one did: FENCED_INSTANCE_ID rather than UNKNOWN_MEMBER_ID
    /// (`GroupMetadataManager.throwIfInstanceIdIsFenced`, `validateClassicGroupMember`).
    pub fn fenced_by(&self, member: &str, instance: Option<&str>) -> Option<&str> {
        self.static_member(instance?)
            .map(|holder| holder.id.as_str())
            .filter(|holder| *holder != member)
    }

    /// Why `consumer`, with `instance` as its `group.instance.id` and `member` as its member id
    /// if it has one, may not join: in a consumer protocol group the member holding the
    /// instance id must have left first (UNRELEASED_INSTANCE_ID,
    /// `GroupMetadataManager.throwIfInstanceIdIsUnreleased`). A classic group lets it take the
    /// place (and fences the older one).
    pub fn join_refusal(
        &self,
        consumer: &str,
        instance: Option<&str>,
        member: Option<&str>,
    ) -> Option<SimError> {
        let instance = instance?;
        let holder = self.static_member(instance)?;
        let unreleased = matches!(self.protocol, GroupProtocol::Consumer { .. })
            && !holder.away
            && member != Some(holder.id.as_str());
        unreleased.then(|| SimError::UnreleasedInstanceId {
            consumer: consumer.to_owned(),
            instance: instance.to_owned(),
            holder: holder.id.clone(),
        })
    }

    /// Consumer protocol: the static `member` closes with member epoch -2. It stays, with its
    /// partitions, until its session times out or its instance id comes back; what it was
    /// revoking is dropped.
    pub fn leave_temporarily(&mut self, member: &str, events: &mut Events) {
        let Some(m) = self.members.get_mut(member) else {
            return;
        };
        m.away = true;
        m.revoking.clear();
        self.update_consumer_state(events);
    }

    /// `join` names an instance id another member holds: the joining member takes that
    /// member's place (its partitions, its target, its leadership). Classic: in Stable it gets
    /// its partitions back at once (the returned hand-out, in the same generation); while
    /// CompletingRebalance the group rebalances again (the leader's assignment names the old
    /// member id); while PreparingRebalance it has joined. Consumer protocol: it starts in
    /// member epoch 0 and its heartbeat gives it the same partitions; the group epoch stays.
    /// None when `join` takes no one's place.
    pub(super) fn replace_static_member(
        &mut self,
        join: &Join,
        events: &mut Events,
    ) -> Option<Vec<HandOut>> {
        let instance = join.instance_id.as_deref()?;
        let old = self.fenced_by(&join.member_id, Some(instance))?.to_owned();
        let mut member = self.members.remove(&old)?;
        member.id = join.member_id.clone();
        member.client = join.client.clone();
        member.topics = join.topics.clone();
        member.session_timeout_ms = join.session_timeout_ms;
        member.rebalance_timeout_ms = join.rebalance_timeout_ms;
        member.last_heartbeat_ms = events.now_ms();
        member.away = false;
        if let Some(target) = self.assignment.remove(&old) {
            self.assignment.insert(member.id.clone(), target);
        }
        if self.leader.as_deref() == Some(old.as_str()) {
            self.leader = Some(member.id.clone());
        }
        events.push(Event::StaticMemberReplaced {
            group: self.id.clone(),
            instance: instance.to_owned(),
            from: old,
            to: member.id.clone(),
        });
        let new = member.id.clone();
        let mut handouts = Vec::new();
        match (self.protocol, self.state) {
            (GroupProtocol::Classic, GroupState::Stable) => {
                member.joined = false;
                handouts.push(HandOut {
                    member: new.clone(),
                    client: member.client.clone(),
                    partitions: member.owned.clone(),
                    generation: self.generation,
                });
                self.members.insert(new, member);
            }
            (GroupProtocol::Classic, GroupState::CompletingRebalance) => {
                self.members.insert(new.clone(), member);
                self.start_rebalance(
                    format!("static member {new} with instance id {instance} rejoined"),
                    events,
                );
                if let Some(m) = self.members.get_mut(&new) {
                    m.joined = true;
                }
            }
            (GroupProtocol::Classic, _) => {
                member.joined = true;
                self.members.insert(new, member);
            }
            (GroupProtocol::Consumer { .. }, _) => {
                member.epoch = 0;
                member.state = MemberState::Stable;
                member.revoking.clear();
                self.members.insert(new, member);
                self.update_consumer_state(events);
            }
        }
        Some(handouts)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{Coordinator, join, rebalance, state_changed, tps};
    use super::super::{HeartbeatAnswer, ServerAssignor};
    use super::*;

    /// `member` (`<client>#<n>`) with `group.instance.id` `instance`.
    fn static_join(member: &str, instance: &str) -> Join {
        Join {
            instance_id: Some(instance.to_owned()),
            ..join(member, &["t"])
        }
    }

    fn replaced(instance: &str, from: &str, to: &str) -> Event {
        Event::StaticMemberReplaced {
            group: "g".into(),
            instance: instance.into(),
            from: from.into(),
            to: to.into(),
        }
    }

    /// a#1 (instance i-a) and b#2 (i-b) in a Stable classic group, generation 1.
    fn classic_pair() -> Coordinator {
        Coordinator::stable(
            &[("t", 3)],
            vec![static_join("a#1", "i-a"), static_join("b#2", "i-b")],
        )
    }

    /// `GroupMetadataManager.updateStaticMemberThenRebalanceOrCompleteJoin` in Stable: the new
    /// member id replaces the old (`ClassicGroup.replaceStaticMember`), keeps the leadership
    /// and gets the same partitions in the same generation, with no rebalance.
    #[test]
    fn a_classic_static_member_back_in_a_stable_group_gets_its_partitions_without_a_rebalance() {
        let mut c = classic_pair();
        assert_eq!(c.group.leader.as_deref(), Some("a#1"));
        let handouts = c.join(20_000, static_join("a#3", "i-a"));
        assert_eq!(
            handouts,
            vec![HandOut {
                member: "a#3".into(),
                client: "a".into(),
                partitions: tps(&[("t", 0), ("t", 1)]),
                generation: 1,
            }]
        );
        assert_eq!(c.events(), vec![replaced("i-a", "a#1", "a#3")]);
        assert_eq!(c.group.state, GroupState::Stable);
        assert_eq!(c.group.generation, 1);
        assert_eq!(c.group.leader.as_deref(), Some("a#3"));
        assert_eq!(c.assignment_of("a#3"), Some(tps(&[("t", 0), ("t", 1)])));
        assert!(!c.group.members.contains_key("a#1"));
        assert_eq!(c.member("a#3").last_heartbeat_ms, 20_000);
    }

    /// The older consumer with the instance id is fenced: its heartbeat finds no member
    /// (`validateClassicGroupMember`: FENCED_INSTANCE_ID, as the holder's id differs) and its
    /// commits are refused with FENCED_INSTANCE_ID.
    #[test]
    fn a_second_consumer_with_the_instance_id_fences_the_first_in_a_classic_group() {
        let mut c = classic_pair();
        c.join(5_000, static_join("a#3", "i-a"));
        assert_eq!(c.group.heartbeat("a#1", 5_100), None);
        assert_eq!(c.group.fenced_by("a#1", Some("i-a")), Some("a#3"));
        assert_eq!(c.group.fenced_by("a#3", Some("i-a")), None);
        assert_eq!(
            c.group.fenced_by("a#1", None),
            None,
            "dynamic: UNKNOWN_MEMBER_ID"
        );
        assert_eq!(
            c.group.commit_refusal(Some("a#1"), Some("i-a"), 1),
            Some(FENCED_INSTANCE_ID)
        );
        assert_eq!(c.group.commit_refusal(Some("a#3"), Some("i-a"), 1), None);
        assert_eq!(c.group.join_refusal("a", Some("i-a"), None), None);
    }

    /// While CompletingRebalance the leader's assignment names the old member id, so the
    /// group rebalances again; while PreparingRebalance the new member has simply joined.
    #[test]
    fn a_classic_static_member_back_during_a_rebalance_joins_it() {
        let mut c = Coordinator::classic(&[("t", 2)]);
        c.join(0, static_join("a#1", "i-a"));
        c.join(0, static_join("b#2", "i-b"));
        c.tick(3_000);
        assert_eq!(c.group.state, GroupState::CompletingRebalance);
        c.events();
        assert!(c.join(3_050, static_join("a#3", "i-a")).is_empty());
        assert_eq!(
            c.events(),
            vec![
                replaced("i-a", "a#1", "a#3"),
                rebalance("static member a#3 with instance id i-a rejoined"),
                state_changed("CompletingRebalance", "PreparingRebalance", 1),
            ]
        );
        assert!(c.member("a#3").joined && !c.member("b#2").joined);
        assert!(c.join(3_100, static_join("b#4", "i-b")).is_empty());
        assert!(c.member("b#4").joined);
        c.tick(3_200);
        assert_eq!(c.group.state, GroupState::CompletingRebalance);
        assert_eq!(c.group.members.len(), 2);
    }

    fn consumer_group() -> Coordinator {
        let mut c = Coordinator::new(
            GroupProtocol::Consumer {
                assignor: ServerAssignor::Uniform,
            },
            &[("t", 2)],
        );
        c.join(0, static_join("a#1", "i-a"));
        c.heartbeat(0, "a#1", &[]);
        c.join(0, static_join("b#2", "i-b"));
        c.heartbeat(0, "b#2", &[]);
        c.heartbeat(100, "a#1", &[("t", 0)]);
        c.heartbeat(100, "b#2", &[]);
        assert_eq!(c.group.state, GroupState::Stable);
        c.events();
        c
    }

    /// `GroupMetadataManager.throwIfInstanceIdIsUnreleased`: in a consumer protocol group a
    /// consumer naming an instance id a member holds, and has not released, is refused.
    #[test]
    fn a_second_consumer_with_the_instance_id_is_refused_in_a_consumer_group() {
        let c = consumer_group();
        assert_eq!(
            c.group.join_refusal("a", Some("i-a"), None),
            Some(SimError::UnreleasedInstanceId {
                consumer: "a".into(),
                instance: "i-a".into(),
                holder: "a#1".into(),
            })
        );
        // The holder itself rejoining, and a dynamic or new instance, are fine.
        assert_eq!(c.group.join_refusal("a", Some("i-a"), Some("a#1")), None);
        assert_eq!(c.group.join_refusal("c", Some("i-c"), None), None);
        assert_eq!(c.group.join_refusal("c", None, None), None);
    }

    /// `consumerGroupStaticMemberGroupLeave` (member epoch -2): the member stays with its
    /// partitions and the group epoch stays; the group is Reconciling while it is away
    /// (`isReconciledTo`). `getOrMaybeSubscribeStaticConsumerGroupMember` then lets a consumer
    /// with the instance id take its place in member epoch 0, and its heartbeat hands it the
    /// same partitions.
    #[test]
    fn a_consumer_protocol_static_member_back_after_leaving_gets_its_partitions_in_the_same_epoch()
    {
        let mut c = consumer_group();
        let a_owns = c.member("a#1").owned.clone();
        c.group
            .leave_temporarily("a#1", &mut Events::new(1_000, &mut c.queue));
        assert!(c.member("a#1").away);
        assert_eq!(c.events(), vec![state_changed("Stable", "Reconciling", 2)]);
        assert_eq!(c.group.join_refusal("a", Some("i-a"), None), None);
        assert!(c.join(2_000, static_join("a#3", "i-a")).is_empty());
        assert_eq!(c.events(), vec![replaced("i-a", "a#1", "a#3")]);
        let a = c.member("a#3");
        assert_eq!(
            (a.epoch, a.away, a.owned.clone()),
            (0, false, a_owns.clone())
        );
        assert_eq!(c.heartbeat(2_000, "a#3", &[]), Some((a_owns, 2)));
        assert_eq!(c.group.generation, 2, "no new group epoch");
        assert_eq!(c.events(), vec![state_changed("Reconciling", "Stable", 2)]);
    }

    /// A static member away past `session.timeout.ms` is removed like any other: the group
    /// epoch goes up and its partitions go to the others.
    #[test]
    fn a_static_member_away_longer_than_its_session_timeout_is_removed() {
        let mut c = consumer_group();
        c.group
            .leave_temporarily("a#1", &mut Events::new(1_000, &mut c.queue));
        c.heartbeat(40_000, "b#2", &[("t", 1)]);
        c.tick(45_101);
        assert!(c.group.static_member("i-a").is_none());
        assert_eq!(c.group.state, GroupState::Assigning);
        assert_eq!(
            c.heartbeat(45_200, "b#2", &[("t", 1)]),
            Some((tps(&[("t", 0), ("t", 1)]), 3))
        );
        assert_eq!(
            c.group.heartbeat("b#2", 45_300),
            Some(HeartbeatAnswer::Reconcile)
        );
    }
}
