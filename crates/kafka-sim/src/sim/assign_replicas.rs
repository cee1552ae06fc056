//! The replica lists `kafka-reassign-partitions.sh --generate` proposes: ZooKeeper-era Kafka's
//! placement, `AdminUtils.assignReplicasToBrokers` (server-common/.../admin/AdminUtils.java),
//! which Kafka 4 keeps for this tool (its controller places new topics with
//! `StripedReplicaPlacer`, `placement.rs`).
//!
//! Without racks, partition p's leader is broker (p + start) of the list and its followers
//! follow it with a shift that grows by one after each round of the brokers. With racks (every
//! broker must have one), the same round robin runs over a rack-alternated list of the brokers,
//! and a follower skips a broker whose rack already holds a replica until every rack does.
//! The start and the shift are random draws (`Draw`).
use crate::sim::ids::BrokerId;
use crate::sim::placement::Draw;
use thiserror::Error;

/// A broker as the tool sees it (Kafka's `BrokerMetadata`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokerMetadata {
    pub id: BrokerId,
    pub rack: Option<String>,
}

/// Why `assign_replicas_to_brokers` refused, in Kafka's words.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum AssignmentError {
    #[error("Number of partitions must be larger than 0.")]
    NoPartitions,
    #[error("Replication factor must be larger than 0.")]
    NoReplicas,
    #[error("Replication factor: {requested} larger than available brokers: {brokers}.")]
    TooFewBrokers { requested: u32, brokers: usize },
    #[error("Not all brokers have rack information for replica rack aware assignment.")]
    MissingRack,
}

/// `AdminUtils.replicaIndex`: where follower `replica` of the partition led from `first` sits.
fn replica_index(first: usize, shift: usize, replica: usize, brokers: usize) -> usize {
    (first + 1 + (shift + replica) % (brokers - 1)) % brokers
}

/// `AdminUtils.getRackAlternatedBrokerList`: each rack's brokers ascending, the racks sorted,
/// taken one per rack in turn.
pub fn rack_alternated_brokers(brokers: &[(BrokerId, &str)]) -> Vec<BrokerId> {
    let mut racks: Vec<&str> = brokers.iter().map(|(_, rack)| *rack).collect();
    racks.sort_unstable();
    racks.dedup();
    let mut by_rack: Vec<std::vec::IntoIter<BrokerId>> = racks
        .iter()
        .map(|rack| {
            let mut ids: Vec<BrokerId> = brokers
                .iter()
                .filter(|(_, r)| r == rack)
                .map(|(id, _)| *id)
                .collect();
            ids.sort_unstable();
            ids.into_iter()
        })
        .collect();
    let mut result = Vec::with_capacity(brokers.len());
    let mut rack = 0;
    while result.len() < brokers.len() {
        result.extend(by_rack[rack].next());
        rack = (rack + 1) % by_rack.len();
    }
    result
}

/// `AdminUtils.assignReplicasToBrokers` from partition 0: partition p's replicas, leader
/// first. `fixed_start` replaces both random draws (Kafka's `fixedStartIndex`).
pub fn assign_replicas_to_brokers(
    brokers: &[BrokerMetadata],
    partitions: u32,
    replication_factor: u32,
    fixed_start: Option<usize>,
    rng: &mut impl Draw,
) -> Result<Vec<Vec<BrokerId>>, AssignmentError> {
    if partitions == 0 {
        return Err(AssignmentError::NoPartitions);
    }
    if replication_factor == 0 {
        return Err(AssignmentError::NoReplicas);
    }
    let too_few = AssignmentError::TooFewBrokers {
        requested: replication_factor,
        brokers: brokers.len(),
    };
    if replication_factor as usize > brokers.len() {
        return Err(too_few);
    }
    let racks: Option<Vec<(BrokerId, &str)>> = brokers
        .iter()
        .map(|b| b.rack.as_deref().map(|rack| (b.id, rack)))
        .collect();
    let list: Vec<BrokerId> = match &racks {
        Some(racks) => rack_alternated_brokers(racks),
        None if brokers.iter().any(|b| b.rack.is_some()) => {
            return Err(AssignmentError::MissingRack);
        }
        None => brokers.iter().map(|b| b.id).collect(),
    };
    let rack_of = |broker: BrokerId| {
        racks
            .iter()
            .flatten()
            .find(|(id, _)| *id == broker)
            .map(|(_, rack)| *rack)
    };
    let rack_count = racks.as_ref().map_or(1, |racks| {
        let mut names: Vec<&str> = racks.iter().map(|(_, rack)| *rack).collect();
        names.sort_unstable();
        names.dedup();
        names.len()
    });
    let n = list.len();
    let start = fixed_start.unwrap_or_else(|| rng.below(n));
    let mut shift = fixed_start.unwrap_or_else(|| rng.below(n));
    let mut assignment = Vec::with_capacity(partitions as usize);
    for partition in 0..partitions as usize {
        if partition > 0 && partition % n == 0 {
            shift += 1;
        }
        let first = (partition + start) % n;
        let mut replicas = vec![list[first]];
        if racks.is_none() {
            replicas.extend(
                (0..replication_factor as usize - 1)
                    .map(|j| list[replica_index(first, shift, j, n)]),
            );
        } else {
            // A follower skips a broker whose rack, or which itself, already holds a replica,
            // while some rack, or some broker, holds none.
            let mut racks_with = vec![rack_of(list[first])];
            let mut k = 0;
            for _ in 1..replication_factor {
                let found = (0..n).find_map(|_| {
                    let broker = list[replica_index(first, shift * rack_count, k, n)];
                    k += 1;
                    let rack = rack_of(broker);
                    let rack_ok = !racks_with.contains(&rack) || racks_with.len() == rack_count;
                    let broker_ok = !replicas.contains(&broker) || replicas.len() == n;
                    (rack_ok && broker_ok).then_some((broker, rack))
                });
                // Each round of n draws meets every other broker, so one is always found.
                let (broker, rack) = found.ok_or_else(|| too_few.clone())?;
                replicas.push(broker);
                if !racks_with.contains(&rack) {
                    racks_with.push(rack);
                }
            }
        }
        assignment.push(replicas);
    }
    Ok(assignment)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_pcg::Pcg32;

    fn ids(v: &[u32]) -> Vec<BrokerId> {
        v.iter().copied().map(BrokerId).collect()
    }

    fn racked(list: &[(u32, &str)]) -> Vec<BrokerMetadata> {
        list.iter()
            .map(|&(id, rack)| BrokerMetadata {
                id: BrokerId(id),
                rack: Some(rack.to_owned()),
            })
            .collect()
    }

    /// `AdminRackAwareTest.testGetRackAlternatedBrokerListAndAssignReplicasToBrokers`
    /// (core/src/test/scala/unit/kafka/admin/AdminRackAwareTest.scala).
    #[test]
    fn kafka_alternates_racks_and_assigns_round_robin() {
        let map = [
            (0, "rack1"),
            (1, "rack3"),
            (2, "rack3"),
            (3, "rack2"),
            (4, "rack2"),
            (5, "rack1"),
        ];
        let pairs: Vec<(BrokerId, &str)> = map.iter().map(|&(id, r)| (BrokerId(id), r)).collect();
        assert_eq!(rack_alternated_brokers(&pairs), ids(&[0, 3, 1, 5, 4, 2]));
        assert_eq!(rack_alternated_brokers(&pairs[..5]), ids(&[0, 3, 1, 4, 2]));
        let mut rng = Pcg32::seed_from_u64(1);
        let got = assign_replicas_to_brokers(&racked(&map), 7, 3, Some(0), &mut rng);
        let expected: Vec<Vec<BrokerId>> = [
            [0, 3, 1],
            [3, 1, 5],
            [1, 5, 4],
            [5, 4, 2],
            [4, 2, 0],
            [2, 0, 3],
            [0, 4, 2],
        ]
        .iter()
        .map(|r| ids(r))
        .collect();
        assert_eq!(got, Ok(expected));
    }

    /// The example in `AdminUtils.assignReplicasToBrokers`' doc comment: five brokers without
    /// racks, ten partitions of RF 3 from index 0; the second round shifts the followers.
    #[test]
    fn kafka_shifts_followers_after_each_round_without_racks() {
        let brokers: Vec<BrokerMetadata> = (0..5)
            .map(|id| BrokerMetadata {
                id: BrokerId(id),
                rack: None,
            })
            .collect();
        let got =
            assign_replicas_to_brokers(&brokers, 10, 3, Some(0), &mut Pcg32::seed_from_u64(1))
                .expect("assigned");
        assert_eq!(got[0], ids(&[0, 1, 2]));
        assert_eq!(got[4], ids(&[4, 0, 1]));
        assert_eq!(got[5], ids(&[0, 2, 3]));
        assert_eq!(got[9], ids(&[4, 1, 2]));
    }

    /// `AdminUtils.assignReplicasToBrokers`' checks, in its words; some brokers with a rack
    /// and some without cannot be assigned rack-aware.
    #[test]
    fn kafka_refuses_what_cannot_be_assigned() {
        let mut rng = Pcg32::seed_from_u64(1);
        let two = racked(&[(1, "a"), (2, "b")]);
        let refused = |partitions, rf, brokers: &[BrokerMetadata], rng: &mut Pcg32| {
            assign_replicas_to_brokers(brokers, partitions, rf, None, rng)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            refused(0, 1, &two, &mut rng),
            "Number of partitions must be larger than 0."
        );
        assert_eq!(
            refused(1, 3, &two, &mut rng),
            "Replication factor: 3 larger than available brokers: 2."
        );
        let mut mixed = two.clone();
        mixed[1].rack = None;
        assert_eq!(
            refused(1, 1, &mixed, &mut rng),
            "Not all brokers have rack information for replica rack aware assignment."
        );
    }
}
