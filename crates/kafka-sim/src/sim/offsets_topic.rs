//! `__consumer_offsets`, the internal topic that holds the committed offsets, as far as the group
//! coordinators need it: a group's coordinator is the leader of the group's partition
//! (`offsets_partition`, `GroupCoordinatorService.partitionFor`), so the coordinator moves only
//! when that partition's leadership moves. Kafka creates the topic at the first FindCoordinator,
//! with `offsets.topic.num.partitions` (50) partitions of `offsets.topic.replication.factor` (3)
//! replicas placed like any topic's; its partitions elect leaders by the rules of every
//! partition (`partition.rs`), with unclean elections off.
//!
//! Simplifications: only the partitions' replicas, leaders and ISRs are modelled, not their
//! records (the committed offsets live in `offsets.rs`), so a returning replica is back in sync
//! at its first fetch. The replication factor is min(3, running brokers), as the export sets
//! `offsets.topic.replication.factor` (Kafka refuses to create the topic with fewer brokers than
//! the setting). It is not listed with the learner's topics (Kafka lists it as internal).
use crate::sim::coordinator::{OFFSETS_TOPIC_PARTITIONS, offsets_partition};
use crate::sim::ids::{BrokerId, PartitionId};
use crate::sim::partition::Partition;
use crate::sim::placement::{Draw, UsableBroker, place};
use serde::{Deserialize, Serialize};

/// The internal topic's name.
pub const OFFSETS_TOPIC: &str = "__consumer_offsets";

/// `offsets.topic.replication.factor` (3).
pub const OFFSETS_TOPIC_REPLICATION_FACTOR: u32 = 3;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsetsTopic {
    /// In partition order.
    pub partitions: Vec<Partition>,
}

impl OffsetsTopic {
    /// The topic created over `brokers` (the running ones, unfenced) at `now_ms`, placed as
    /// any topic (`placement.rs`) with draws from `rng`; `None` without a broker.
    pub fn new(brokers: &[UsableBroker], rng: &mut impl Draw, now_ms: u64) -> Option<Self> {
        let replication_factor = OFFSETS_TOPIC_REPLICATION_FACTOR.min(brokers.len() as u32);
        let assignment = place(brokers, OFFSETS_TOPIC_PARTITIONS, replication_factor, rng).ok()?;
        let partitions = assignment
            .into_iter()
            .zip(0..)
            .map(|(replicas, p)| Partition::new(PartitionId(p), replicas.clone(), replicas, now_ms))
            .collect();
        Some(OffsetsTopic { partitions })
    }

    /// The leader of `group`'s partition: its coordinator, if the partition has a leader.
    pub fn coordinator(&self, group: &str) -> Option<BrokerId> {
        self.partitions
            .get(offsets_partition(group) as usize)
            .and_then(|p| p.leader)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_pcg::Pcg32;

    fn ids(v: &[u32]) -> Vec<BrokerId> {
        v.iter().copied().map(BrokerId).collect()
    }

    fn running(v: &[u32]) -> Vec<UsableBroker> {
        v.iter()
            .map(|&id| UsableBroker {
                id: BrokerId(id),
                rack: None,
                fenced: false,
            })
            .collect()
    }

    /// The coordinator is the leader of partition `partitionFor(group)`
    /// (`GroupCoordinatorService.partitionFor`, `FindCoordinator` answering that partition's
    /// leader); the 50 partitions are placed as any topic (`StripedReplicaPlacer`), so every
    /// broker leads 12 or 13 of them.
    #[test]
    fn the_coordinator_is_the_leader_of_the_groups_partition() {
        let mut rng = Pcg32::new(7, 50);
        let topic = OffsetsTopic::new(&running(&[1, 2, 3, 4]), &mut rng, 0).expect("brokers");
        assert_eq!(topic.partitions.len(), 50);
        assert!(topic.partitions.iter().all(|p| p.assignment.len() == 3));
        let group = "group-1";
        let p = offsets_partition(group) as usize;
        assert_eq!(
            topic.partitions[p].leader,
            Some(topic.partitions[p].assignment[0])
        );
        assert_eq!(topic.coordinator(group), topic.partitions[p].leader);
        for broker in ids(&[1, 2, 3, 4]) {
            let leads = topic
                .partitions
                .iter()
                .filter(|p| p.leader == Some(broker))
                .count();
            assert!((12..=13).contains(&leads), "broker {broker} leads {leads}");
        }
    }

    #[test]
    fn fewer_brokers_than_three_cap_the_replication_factor_and_none_makes_no_topic() {
        let mut rng = Pcg32::new(7, 50);
        let topic = OffsetsTopic::new(&running(&[7]), &mut rng, 0).expect("a broker");
        assert!(topic.partitions.iter().all(|p| p.assignment == ids(&[7])));
        assert_eq!(OffsetsTopic::new(&[], &mut rng, 0), None);
    }
}
