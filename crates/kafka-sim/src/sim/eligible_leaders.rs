//! Eligible Leader Replicas (KIP-966), as a new Kafka 4.1+ cluster runs them: the feature
//! `eligible.leader.replicas.version=1` is on by default there (4.0 has it off), and the
//! playground always runs with it on.
//!
//! The high watermark does not advance while the ISR is smaller than min.insync.replicas
//! ("strict min ISR", `Partition.maybeIncrementLeaderHW`). So a replica that leaves the ISR
//! while the ISR is below min.insync.replicas still has every record below the high watermark:
//! the controller keeps it in the partition's ELR, and may elect it once the ISR is empty. The
//! rules follow `PartitionChangeBuilder` (`maybePopulateTargetElr`, `electAnyLeader`,
//! `maybeUpdateLastKnownLeader`) and `ReplicationControlManager` (`handleBrokerShutdown`,
//! `handleBrokerInControlledShutdown`), Kafka 4.1:
//!
//! - The ISR at or above min.insync.replicas: the ELR is empty.
//! - Below it: the ELR is the old ISR and the old ELR, less the new ISR and less a broker that
//!   restarted after an unclean shutdown (a crash: its log may have lost records). So the ELR
//!   never overlaps the ISR, and the ISR may become empty (the last member leaves too).
//! - Elections: a live ISR member; with the ISR empty, a live ELR member, which becomes the ISR
//!   alone; with both empty, the last known leader once it is back (`LastKnownElr`, marked
//!   unclean by Kafka); then an unclean election if allowed.
//! - Changing a topic's min.insync.replicas clears its partitions' ELRs.
//!
//! Simplification: the ELR is kept in assignment order (Kafka builds it from a hash set).
use crate::sim::ids::BrokerId;
use crate::sim::partition::Partition;

impl Partition {
    /// The controller sets the ISR to `target` (`PartitionChangeBuilder.maybePopulateTargetElr`
    /// with `min_isr`, the topic's effective min.insync.replicas): at or above it the ELR is
    /// cleared; below it the replicas leaving the ISR join the ELR, except
    /// `unclean_shutdown`, which also leaves the ELR. Whether the ELR changed.
    pub fn set_isr(
        &mut self,
        target: Vec<BrokerId>,
        min_isr: usize,
        unclean_shutdown: Option<BrokerId>,
    ) -> bool {
        let before = std::mem::take(&mut self.elr);
        if target.len() < min_isr {
            self.elr = self
                .assignment
                .iter()
                .copied()
                .filter(|b| before.contains(b) || self.isr.contains(b))
                .filter(|b| !target.contains(b) && Some(*b) != unclean_shutdown)
                .collect();
        }
        self.isr = target;
        self.elr != before
    }

    /// The controller takes `broker` out of the ISR (fenced, shutting down, or back after an
    /// unclean shutdown, which also takes it out of the ELR). Returns whether it left the ISR
    /// and whether the ELR changed.
    ///
    /// Simplification: the playground's controller elects no crashed broker it has not fenced
    /// yet, where Kafka's, not knowing yet, would; so a partition can be without a leader while
    /// such a broker is still in its ISR. When that last member leaves, it becomes the last
    /// known leader, as the leader Kafka would have elected.
    pub fn remove_from_isr(
        &mut self,
        broker: BrokerId,
        min_isr: usize,
        unclean_shutdown: bool,
    ) -> (bool, bool) {
        let left = self.in_isr(broker);
        let target = self.isr.iter().copied().filter(|b| *b != broker).collect();
        let elr_changed = self.set_isr(target, min_isr, unclean_shutdown.then_some(broker));
        if left && self.isr.is_empty() && self.leader.is_none() {
            self.last_known_elr = vec![broker];
        }
        (left, elr_changed)
    }

    pub fn in_elr(&self, broker: BrokerId) -> bool {
        self.elr.contains(&broker)
    }

    /// May lead (`PartitionChangeBuilder.isValidNewLeader`): a running member of the ISR, or
    /// with the ISR empty a running member of the ELR.
    pub fn is_valid_leader(&self, broker: BrokerId, running: &dyn Fn(BrokerId) -> bool) -> bool {
        (self.in_isr(broker) || (self.isr.is_empty() && self.in_elr(broker))) && running(broker)
    }

    /// The last known leader may lead again (`canElectLastKnownLeader`): the ISR and the ELR
    /// are empty and it is running.
    pub fn last_known_leader(&self, running: &dyn Fn(BrokerId) -> bool) -> Option<BrokerId> {
        match self.last_known_elr.as_slice() {
            [leader] if self.isr.is_empty() && self.elr.is_empty() && running(*leader) => {
                Some(*leader)
            }
            _ => None,
        }
    }

    /// After an election from `previous` (`maybeUpdateLastKnownLeader`): a partition left
    /// without a leader and an ISR remembers the leader it had; one with a leader forgets it.
    pub fn note_last_known_leader(&mut self, previous: Option<BrokerId>) {
        match (self.leader, previous) {
            (Some(_), _) => self.last_known_elr.clear(),
            (None, Some(previous)) if self.isr.is_empty() => self.last_known_elr = vec![previous],
            (None, _) => {}
        }
    }

    /// min.insync.replicas changed: the controller clears the ELR and the last known leader.
    /// Whether there was anything to clear.
    pub fn clear_elr(&mut self) -> bool {
        let had = !self.elr.is_empty() || !self.last_known_elr.is_empty();
        self.elr.clear();
        self.last_known_elr.clear();
        had
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::event::ElectionKind;
    use crate::sim::ids::{BrokerId, LeaderEpoch, PartitionId};
    use crate::sim::partition::{Election, Partition};

    fn b(id: u32) -> BrokerId {
        BrokerId(id)
    }

    /// Brokers 1, 2 and 3, broker 1 leading, all in sync.
    fn partition() -> Partition {
        let replicas = vec![b(1), b(2), b(3)];
        Partition::new(PartitionId(0), replicas.clone(), replicas, 0)
    }

    /// `PartitionChangeBuilder.maybePopulateTargetElr`: replicas leaving the ISR below min ISR
    /// join the ELR, never overlapping the ISR; at min ISR the ELR is cleared.
    #[test]
    fn replicas_leaving_the_isr_below_min_isr_join_the_elr_and_leave_it_at_min_isr() {
        let mut p = partition();
        assert!(!p.set_isr(vec![b(1), b(2)], 2, None), "at min ISR: no ELR");
        assert!(p.elr.is_empty());
        assert!(p.set_isr(vec![b(1)], 2, None));
        assert_eq!(p.elr, [b(2)], "left while the ISR fell below min");
        assert_eq!(p.remove_from_isr(b(1), 2, false), (true, true));
        assert!(
            p.isr.is_empty(),
            "with ELR on the last member leaves the ISR too"
        );
        assert_eq!(p.elr, [b(1), b(2)]);
        assert!(p.set_isr(vec![b(2)], 2, None));
        assert_eq!(p.elr, [b(1)], "back in the ISR, out of the ELR");
        assert!(p.set_isr(vec![b(2), b(3)], 2, None));
        assert!(p.elr.is_empty(), "the ISR is at min again");
    }

    /// `ReplicationControlManager.handleBrokerShutdown` with an unclean shutdown: the broker
    /// leaves the ISR and the ELR.
    #[test]
    fn a_broker_back_from_an_unclean_shutdown_leaves_the_elr() {
        let mut p = partition();
        p.set_isr(vec![b(1)], 3, None);
        assert_eq!(p.elr, [b(2), b(3)]);
        assert_eq!(p.remove_from_isr(b(3), 3, true), (false, true));
        assert_eq!(p.elr, [b(2)]);
        assert_eq!(p.isr, [b(1)]);
    }

    /// `PartitionChangeBuilder.electAnyLeader`: with the ISR empty a running ELR member leads,
    /// cleanly, and becomes the ISR alone; the others stay in the ELR (2 and 3 joined it as
    /// the ISR fell from three to one, then 1 as it emptied).
    #[test]
    fn with_the_isr_empty_a_running_elr_member_is_elected_cleanly() {
        let mut p = partition();
        p.set_isr(vec![b(1)], 2, None);
        p.remove_from_isr(b(1), 2, false);
        let only_2 = |id: BrokerId| id == b(2);
        assert_eq!(
            p.elect_leader(&only_2, false, 5),
            Some(Election {
                from: Some(b(1)),
                to: Some(b(2)),
                epoch: LeaderEpoch(1),
                kind: ElectionKind::Eligible,
                lost: None,
            })
        );
        assert_eq!(p.isr, [b(2)]);
        assert_eq!(p.elr, [b(1), b(3)]);
        assert!(p.last_known_elr.is_empty());
    }

    /// `maybeUpdateLastKnownLeader` and `canElectLastKnownLeader`: an ISR emptied without a
    /// leader remembers the last leader, which leads again once it is back and the ELR is
    /// empty; nobody else may while unclean elections are off.
    #[test]
    fn the_last_known_leader_leads_again_when_the_isr_and_elr_are_empty() {
        let mut p = partition();
        p.set_isr(vec![b(1)], 1, None);
        p.remove_from_isr(b(1), 1, false);
        let nobody = |_: BrokerId| false;
        let election = p.elect_leader(&nobody, false, 5).expect("offline");
        assert_eq!(election.to, None);
        assert_eq!(p.elr, [b(1)]);
        assert_eq!(p.last_known_elr, [b(1)]);
        // Broker 1 comes back after a crash: the controller drops it from the ELR.
        p.remove_from_isr(b(1), 1, true);
        assert!(p.elr.is_empty());
        assert_eq!(p.elect_leader(&|id| id == b(2), false, 6), None);
        let election = p.elect_leader(&|_| true, false, 7).expect("broker 1 leads");
        assert_eq!(
            (election.to, election.kind),
            (Some(b(1)), ElectionKind::LastKnownLeader)
        );
        assert_eq!(p.isr, [b(1)]);
        assert!(p.last_known_elr.is_empty());
    }

    /// A partition already without a leader (its leader fenced while the other member was
    /// down, not yet fenced) remembers that member as the last known leader when it leaves.
    #[test]
    fn the_last_member_to_leave_a_leaderless_isr_is_the_last_known_leader() {
        let mut p = partition();
        p.set_isr(vec![b(1), b(3)], 2, None);
        p.remove_from_isr(b(1), 2, false);
        p.elect_leader(&|id| id == b(2), false, 5).expect("offline");
        assert_eq!((p.leader, p.isr.clone()), (None, vec![b(3)]));
        p.remove_from_isr(b(3), 2, false);
        assert_eq!(p.last_known_elr, [b(3)]);
        assert_eq!(p.elr, [b(1), b(3)]);
    }

    /// An unclean election clears the ELR (`maybeUpdateRecordElr`).
    #[test]
    fn an_unclean_election_clears_the_elr() {
        let mut p = partition();
        p.set_isr(vec![b(1)], 2, None);
        p.remove_from_isr(b(1), 2, false);
        p.remove_from_isr(b(2), 2, true);
        p.remove_from_isr(b(3), 2, true);
        assert_eq!(p.elr, [b(1)]);
        let election = p.elect_leader(&|id| id == b(3), true, 5).expect("unclean");
        assert_eq!(election.kind, ElectionKind::Unclean);
        assert!(p.elr.is_empty());
        assert_eq!(p.isr, [b(3)]);
    }

    #[test]
    fn a_min_isr_change_clears_the_elr() {
        let mut p = partition();
        p.set_isr(vec![b(1)], 2, None);
        assert!(p.clear_elr());
        assert!(p.elr.is_empty());
        assert!(!p.clear_elr());
    }
}
