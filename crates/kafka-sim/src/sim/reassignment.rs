//! A partition reassignment's replica lists, as the KRaft controller keeps them
//! (`PartitionReassignmentReplicas` and `PartitionReassignmentRevert`,
//! metadata/.../controller/): while a partition moves, its replica list is the target followed
//! by the replicas it is removing, and two more lists say which replicas are being added and
//! which removed. The added replicas copy the log from the leader and join the ISR; once the
//! ISR holds every replica that stays, the removed ones are dropped
//! (`maybeCompleteReassignment`). A cancelled reassignment drops the added replicas and keeps
//! the rest (`PartitionReassignmentRevert`).
use crate::sim::ids::BrokerId;

/// Kafka's `PartitionReassignmentReplicas`: the replica list while moving, and the replicas
/// being added and removed (each ascending, as Kafka's `TreeSet` orders them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReassignmentReplicas {
    pub replicas: Vec<BrokerId>,
    pub adding: Vec<BrokerId>,
    pub removing: Vec<BrokerId>,
}

/// `list` without the brokers in `excluded`, in its order.
fn without(list: &[BrokerId], excluded: &[BrokerId]) -> Vec<BrokerId> {
    list.iter()
        .copied()
        .filter(|b| !excluded.contains(b))
        .collect()
}

/// `a` without `b`, ascending (`calculateDifference`).
fn difference(a: &[BrokerId], b: &[BrokerId]) -> Vec<BrokerId> {
    let mut result = without(a, b);
    result.sort_unstable();
    result.dedup();
    result
}

impl ReassignmentReplicas {
    /// A move from the `current` replica list (during a reassignment, the whole list, added
    /// and removed replicas included) to `target`: the replica list becomes the target followed
    /// by the replicas it leaves.
    pub fn new(current: &[BrokerId], target: &[BrokerId]) -> ReassignmentReplicas {
        let removing = difference(current, target);
        let adding = difference(target, current);
        let replicas = target.iter().chain(&removing).copied().collect();
        ReassignmentReplicas {
            replicas,
            adding,
            removing,
        }
    }

    /// `maybeCompleteReassignment`: when a reassignment is in progress and the ISR without the
    /// removed replicas is not empty and holds every replica that stays, the replica list and
    /// ISR it ends with.
    pub fn completed(&self, isr: &[BrokerId]) -> Option<(Vec<BrokerId>, Vec<BrokerId>)> {
        if self.adding.is_empty() && self.removing.is_empty() {
            return None;
        }
        let new_isr = without(isr, &self.removing);
        let new_replicas = without(&self.replicas, &self.removing);
        if new_isr.is_empty() || new_replicas.is_empty() {
            return None;
        }
        new_replicas
            .iter()
            .all(|b| new_isr.contains(b))
            .then_some((new_replicas, new_isr))
    }

    /// `PartitionReassignmentRevert`: the replica list (the replicas without those being
    /// added) and ISR (likewise) a cancelled reassignment leaves, and whether that ISR is
    /// empty, so that only an unclean election can give the partition a leader (Kafka then
    /// puts the first replica in the ISR and elects uncleanly, if the topic allows it).
    pub fn reverted(&self, isr: &[BrokerId]) -> (Vec<BrokerId>, Vec<BrokerId>, bool) {
        let isr = without(isr, &self.adding);
        let unclean = isr.is_empty();
        (without(&self.replicas, &self.adding), isr, unclean)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[u32]) -> Vec<BrokerId> {
        v.iter().copied().map(BrokerId).collect()
    }

    fn lists(adding: &[u32], removing: &[u32], replicas: &[u32]) -> ReassignmentReplicas {
        ReassignmentReplicas {
            replicas: ids(replicas),
            adding: ids(adding),
            removing: ids(removing),
        }
    }

    /// `PartitionReassignmentReplicasTest.testNoneAddedOrRemoved`, `testAdditions`,
    /// `testRemovals`, `testAdditionsAndRemovals` and `testRearrangement`.
    #[test]
    fn kafka_lists_the_target_then_the_replicas_being_removed() {
        let new = |current: &[u32], target: &[u32]| {
            ReassignmentReplicas::new(&ids(current), &ids(target))
        };
        assert_eq!(new(&[3, 2, 1], &[3, 2, 1]), lists(&[], &[], &[3, 2, 1]));
        assert_eq!(
            new(&[3, 2, 1], &[3, 6, 2, 1, 5]),
            lists(&[5, 6], &[], &[3, 6, 2, 1, 5])
        );
        assert_eq!(
            new(&[3, 2, 1, 0], &[3, 1]),
            lists(&[], &[0, 2], &[3, 1, 0, 2])
        );
        assert_eq!(
            new(&[3, 2, 1, 0], &[7, 3, 1, 9]),
            lists(&[7, 9], &[0, 2], &[7, 3, 1, 9, 0, 2])
        );
        assert_eq!(
            new(&[3, 2, 1, 0], &[0, 1, 3, 2]),
            lists(&[], &[], &[0, 1, 3, 2])
        );
    }

    /// `PartitionReassignmentReplicasTest.testDoesNotCompleteReassignment`,
    /// `testDoesNotCompleteReassignmentIfNoneOngoing`, `testDoesCompleteReassignmentAllNewReplicas`,
    /// `testDoesCompleteReassignmentSomeNewReplicas` and
    /// `testDoesNotCompleteReassignmentIfIsrDoesNotHaveAllTargetReplicas`; a move that only
    /// removes completes at once.
    #[test]
    fn kafka_completes_once_the_isr_holds_every_replica_that_stays() {
        let all_new = ReassignmentReplicas::new(&ids(&[0, 1, 2]), &ids(&[3, 4, 5]));
        assert_eq!(all_new.completed(&ids(&[0, 1, 2, 3, 4])), None);
        assert_eq!(
            all_new.completed(&ids(&[0, 1, 2, 3, 4, 5])),
            Some((ids(&[3, 4, 5]), ids(&[3, 4, 5])))
        );
        let idle = lists(&[], &[], &[0, 1, 2]);
        assert_eq!(idle.completed(&ids(&[0, 1, 2])), None);
        let some_new = ReassignmentReplicas::new(&ids(&[0, 1, 2]), &ids(&[0, 1, 3]));
        assert_eq!(
            some_new.completed(&ids(&[0, 1, 2, 3])),
            Some((ids(&[0, 1, 3]), ids(&[0, 1, 3])))
        );
        assert_eq!(some_new.completed(&ids(&[3])), None);
        let shrinking = ReassignmentReplicas::new(&ids(&[0, 1, 2]), &ids(&[0, 1]));
        assert_eq!(
            shrinking.completed(&ids(&[0, 1, 2])),
            Some((ids(&[0, 1]), ids(&[0, 1])))
        );
        assert_eq!(shrinking.completed(&ids(&[2])), None);
    }

    /// `PartitionReassignmentRevertTest.testSomeRemoving`, `testSomeAdding`,
    /// `testSomeRemovingAndAdding` and `testIsrSpecialCase` (where Kafka then puts the first
    /// replica, 3, in the ISR by an unclean election).
    #[test]
    fn kafka_reverts_by_dropping_the_replicas_being_added() {
        let removing = lists(&[], &[1, 2], &[3, 2, 1]);
        assert_eq!(
            removing.reverted(&ids(&[3, 2])),
            (ids(&[3, 2, 1]), ids(&[3, 2]), false)
        );
        let adding = lists(&[4, 5], &[], &[4, 5, 3, 2, 1]);
        assert_eq!(
            adding.reverted(&ids(&[4, 5, 2])),
            (ids(&[3, 2, 1]), ids(&[2]), false)
        );
        let both = lists(&[4, 5], &[2], &[4, 5, 3, 2, 1]);
        assert_eq!(
            both.reverted(&ids(&[4, 5, 2])),
            (ids(&[3, 2, 1]), ids(&[2]), false)
        );
        assert_eq!(
            both.reverted(&ids(&[4, 5])),
            (ids(&[3, 2, 1]), ids(&[]), true)
        );
    }
}
