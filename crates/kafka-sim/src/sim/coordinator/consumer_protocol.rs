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
