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
