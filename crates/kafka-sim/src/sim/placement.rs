//! Where a new partition's replicas go, as the KRaft controller places them
//! (`StripedReplicaPlacer.place`, metadata/.../placement/StripedReplicaPlacer.java): every
//! registered broker counts, fenced ones included, but replicas go to unfenced brokers first
//! and to fenced ones only when there are not enough unfenced brokers, and a leader (the first
//! replica) is always unfenced. A crashed broker the controller has not fenced yet is still
//! unfenced. Each partition takes the next broker of a round robin that starts at a random
//! broker and moves on by one per partition; once every unfenced broker has led a partition,
//! the brokers are shuffled and the round starts again.
//!
//! Simplification: brokers have no `broker.rack`, so Kafka's `RackList` holds one rack: its two
//! broker lists (unfenced and fenced) are modelled, the rack order is not. The random draws
//! are Kafka's, in Kafka's order, though not from Java's generator, so the brokers chosen
//! differ from a real cluster's (the export pins them with `--replica-assignment`).
//!
//! Each placement draws from a seeded stream of its own (`placement_rng`), not from the Sim's
//! shared RNG: whether a topic was placed at random or by hand then changes no
//! other draw (sticky partitions, generated keys), so the export's replay, which pins every
//! placement the playground drew, draws everything else the same way.
//!
//! A manual assignment (`--replica-assignment`) is checked as the KRaft controller checks it
//! (`ReplicationControlManager`, `check_manual_assignment`) and draws nothing.
use crate::sim::error::{PlacementError, ReplicaAssignmentError};
use crate::sim::ids::BrokerId;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg32;

/// The RNG of a Sim's `n`-th placement (topics created or grown, at random or by hand, counted
/// from 0). Placement 0 is seeded as the Sim's shared RNG is, so each scenario's first topic
/// sits where it did when placement drew from that RNG (lessons name its leaders).
pub fn placement_rng(seed: u64, n: u64) -> Pcg32 {
    // An odd multiplier makes the streams of different placements differ.
    Pcg32::seed_from_u64(seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// The one random operation placement needs: a number below `bound` (Java's
/// `Random.nextInt(bound)`).
pub trait Draw {
    fn below(&mut self, bound: usize) -> usize;
}

impl Draw for Pcg32 {
    fn below(&mut self, bound: usize) -> usize {
        self.random_range(0..bound)
    }
}

/// Java's `Collections.shuffle`: from the last place down, swap with a place drawn below it.
fn shuffle(brokers: &mut [BrokerId], rng: &mut impl Draw) {
    for i in (1..brokers.len()).rev() {
        brokers.swap(i, rng.below(i + 1));
    }
}

/// A registered broker as the controller sees it (Kafka's `UsableBroker` without a rack).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UsableBroker {
    pub id: BrokerId,
    pub fenced: bool,
}

/// Kafka's `BrokerList`: brokers handed out round robin from a random offset. Each
/// `epoch` (one per partition) starts again one place further on.
struct BrokerList {
    brokers: Vec<BrokerId>,
    /// How many brokers this epoch has taken.
    index: usize,
    offset: usize,
    epoch: usize,
}

impl BrokerList {
    /// Sorted, with a random start (`BrokerList.initialize`).
    fn new(mut brokers: Vec<BrokerId>, rng: &mut impl Draw) -> BrokerList {
        brokers.sort();
        let offset = if brokers.is_empty() {
            0
        } else {
            rng.below(brokers.len())
        };
        BrokerList {
            brokers,
            index: 0,
            offset,
            epoch: 0,
        }
    }

    /// `BrokerList.next`: the next broker of this epoch, or `None` when the epoch has taken
    /// them all.
    fn next(&mut self, epoch: usize) -> Option<BrokerId> {
        let len = self.brokers.len();
        if len == 0 {
            return None;
        }
        if self.epoch != epoch {
            self.epoch = epoch;
            self.index = 0;
            self.offset = (self.offset + 1) % len;
        }
        if self.index >= len {
            return None;
        }
        let broker = self.brokers[(self.index + self.offset) % len];
        self.index += 1;
        Some(broker)
    }
}

/// The replica lists of `partitions` new partitions, leader first: Kafka's
/// `StripedReplicaPlacer.place` with its checks and their order (all brokers fenced before too
/// few brokers). `replication_factor` is at least 1 (the caller refuses less, as Kafka's
/// `ReplicationControlManager` does first).
pub fn place(
    brokers: &[UsableBroker],
    partitions: u32,
    replication_factor: u32,
    rng: &mut impl Draw,
) -> Result<Vec<Vec<BrokerId>>, PlacementError> {
    let ids = |fenced: bool| {
        brokers
            .iter()
            .filter(|b| b.fenced == fenced)
            .map(|b| b.id)
            .collect()
    };
    let registered = brokers.len() as u32;
    if brokers.iter().all(|b| b.fenced) {
        return Err(PlacementError::AllFenced);
    }
    if replication_factor > registered {
        return Err(PlacementError::TooFewBrokers {
            requested: replication_factor,
            registered,
        });
    }
    // Kafka draws before it checks; checking first leaves the RNG as it was on a refusal.
    // `Rack.initialize`: the fenced list draws its start first; then the `RackList` draws
    // which rack comes first, always the one here.
    let mut fenced = BrokerList::new(ids(true), rng);
    let mut unfenced = BrokerList::new(ids(false), rng);
    rng.below(1);
    let unfenced_count = unfenced.brokers.len();
    let mut epoch = 0;
    (0..partitions)
        .map(|_| {
            // `RackList.place`: after as many partitions as there are unfenced brokers, shuffle
            // to avoid repeating the same assignments (never with one, which would loop).
            if epoch == unfenced_count && unfenced_count > 1 {
                shuffle(&mut fenced.brokers, rng);
                shuffle(&mut unfenced.brokers, rng);
                epoch = 0;
            }
            let leader = unfenced.next(epoch);
            let followers = (1..replication_factor)
                .map(|_| unfenced.next(epoch).or_else(|| fenced.next(epoch)));
            let replicas: Option<Vec<BrokerId>> =
                std::iter::once(leader).chain(followers).collect();
            epoch += 1;
            // Every list is long enough: the checks above ensure it.
            replicas.ok_or(PlacementError::TooFewBrokers {
                requested: replication_factor,
                registered,
            })
        })
        .collect()
}

/// Checks a manual assignment of the partitions numbered from `first_partition` in order, as
/// `createTopic` and `createPartitions` do: `validate_replicas` with `replica_count` (the
/// topic's, for added partitions; for a new topic, that of its first list), then at least one
/// replica on an `active` (unfenced) broker, which the ISR needs to have a leader.
pub fn check_manual_assignment(
    assignment: &[Vec<BrokerId>],
    first_partition: u32,
    replica_count: Option<usize>,
    registered: impl Fn(BrokerId) -> bool,
    active: impl Fn(BrokerId) -> bool,
) -> Result<(), ReplicaAssignmentError> {
    let mut expected = replica_count;
    for (replicas, partition) in assignment.iter().zip(first_partition..) {
        validate_replicas(replicas, &registered, expected)?;
        expected = Some(replicas.len());
        if !replicas.iter().any(|&b| active(b)) {
            return Err(ReplicaAssignmentError::NoActiveBroker { partition });
        }
    }
    Ok(())
}

/// One partition's replica list as the controller checks it
/// (`ReplicationControlManager.validateManualPartitionAssignment`): not empty, then in
/// ascending broker order each broker registered and listed once, then `expected` replicas
/// when given.
pub fn validate_replicas(
    replicas: &[BrokerId],
    registered: impl Fn(BrokerId) -> bool,
    expected: Option<usize>,
) -> Result<(), ReplicaAssignmentError> {
    if replicas.is_empty() {
        return Err(ReplicaAssignmentError::EmptyReplicaList);
    }
    let mut sorted = replicas.to_vec();
    sorted.sort_unstable();
    let mut previous = None;
    for broker in sorted {
        if !registered(broker) {
            return Err(ReplicaAssignmentError::UnregisteredBroker {
                broker: i64::from(broker.0),
            });
        }
        if previous == Some(broker) {
            return Err(ReplicaAssignmentError::DuplicateBroker { broker });
        }
        previous = Some(broker);
    }
    match expected {
        Some(expected) if expected != replicas.len() => {
            Err(ReplicaAssignmentError::InconsistentReplicaCount {
                replicas: replicas.len(),
                expected,
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kafka's test `MockRandom` (server-common/src/test/.../util/MockRandom.java) under
    /// Java's `Random.nextInt(bound)`, so that Kafka's own expected placements can be checked.
    struct MockRandom(i64);

    impl MockRandom {
        fn next(&mut self, bits: u32) -> i32 {
            self.0 = self
                .0
                .wrapping_mul(2_862_933_555_777_941_757)
                .wrapping_add(3_037_000_493);
            ((self.0 as u64) >> (64 - bits)) as i32
        }
    }

    impl Draw for MockRandom {
        fn below(&mut self, bound: usize) -> usize {
            let bound = bound as i32;
            let m = bound - 1;
            let mut r = self.next(31);
            if bound & m == 0 {
                r = ((i64::from(bound) * i64::from(r)) >> 31) as i32;
            } else {
                let mut u = r;
                loop {
                    r = u % bound;
                    if u.wrapping_sub(r).wrapping_add(m) >= 0 {
                        break;
                    }
                    u = self.next(31);
                }
            }
            r as usize
        }
    }

    fn brokers(list: &[(u32, bool)]) -> Vec<UsableBroker> {
        list.iter()
            .map(|&(id, fenced)| UsableBroker {
                id: BrokerId(id),
                fenced,
            })
            .collect()
    }

    fn ids(v: &[u32]) -> Vec<BrokerId> {
        v.iter().copied().map(BrokerId).collect()
    }

    fn lists(v: &[&[u32]]) -> Vec<Vec<BrokerId>> {
        v.iter().map(|r| ids(r)).collect()
    }

    /// `StripedReplicaPlacerTest.testAvoidFencedReplicaIfPossibleOnSingleRack`: four
    /// unfenced brokers hold RF 4 without the fenced one, the start moves on by one each
    /// partition, and after four partitions the lists are shuffled.
    #[test]
    fn kafka_avoids_the_fenced_broker_when_it_can() {
        let cluster = brokers(&[(3, false), (1, true), (0, false), (4, false), (2, false)]);
        let got = place(&cluster, 5, 4, &mut MockRandom(17)).expect("placed");
        let expected: &[&[u32]] = &[
            &[3, 4, 0, 2],
            &[4, 0, 2, 3],
            &[0, 2, 3, 4],
            &[2, 3, 4, 0],
            &[0, 4, 3, 2],
        ];
        assert_eq!(got, lists(expected));
    }

    /// `StripedReplicaPlacerTest.testPlacementOnFencedReplicaOnSingleRack`: RF 3 on two
    /// unfenced brokers takes the fenced one last, and never as leader.
    #[test]
    fn kafka_places_on_the_fenced_broker_when_it_must() {
        let cluster = brokers(&[(3, false), (1, true), (2, false)]);
        let got = place(&cluster, 4, 3, &mut MockRandom(17)).expect("placed");
        let expected: &[&[u32]] = &[&[3, 2, 1], &[2, 3, 1], &[3, 2, 1], &[2, 3, 1]];
        assert_eq!(got, lists(expected));
    }

    /// `StripedReplicaPlacerTest.testMultiPartitionTopicPlacementOnSingleUnfencedBroker`:
    /// one unfenced broker leads every partition and the round never shuffles.
    #[test]
    fn a_single_unfenced_broker_leads_every_partition() {
        let cluster = brokers(&[(0, false), (1, true)]);
        let got = place(&cluster, 3, 1, &mut MockRandom(17)).expect("placed");
        assert_eq!(got, lists(&[&[0], &[0], &[0]]));
    }

    /// `StripedReplicaPlacerTest.testBrokerList`: an epoch takes every broker once from the
    /// offset; a new epoch starts one further on.
    #[test]
    fn a_broker_list_moves_its_start_on_each_epoch() {
        let mut list = BrokerList {
            brokers: ids(&[0, 1, 2, 3]),
            index: 0,
            offset: 0,
            epoch: 0,
        };
        let mut take = |epoch| std::iter::from_fn(|| list.next(epoch)).collect::<Vec<_>>();
        assert_eq!(take(0), ids(&[0, 1, 2, 3]));
        assert_eq!(take(0), ids(&[]));
        assert_eq!(take(1), ids(&[1, 2, 3, 0]));
    }

    /// The errors, their order and their words (`StripedReplicaPlacer.place`,
    /// `throwInvalidReplicationFactorIfZero`, `throwInvalidReplicationFactorIfTooFewBrokers`,
    /// `StripedReplicaPlacerTest.testAllBrokersFenced`): fenced brokers count as registered.
    #[test]
    fn all_fenced_comes_before_too_few_brokers() {
        let mut rng = Pcg32::seed_from_u64(3);
        let all_fenced = place(&brokers(&[(11, true), (10, true)]), 1, 3, &mut rng);
        assert_eq!(all_fenced, Err(PlacementError::AllFenced));
        assert_eq!(
            PlacementError::AllFenced.to_string(),
            "All brokers are currently fenced."
        );
        let too_few = place(&brokers(&[(1, false), (2, true)]), 1, 3, &mut rng).unwrap_err();
        assert_eq!(
            too_few.to_string(),
            "The target replication factor of 3 cannot be reached because only 2 broker(s) are registered."
        );
        assert!(place(&brokers(&[(1, false), (2, true)]), 1, 2, &mut rng).is_ok());
    }

    #[test]
    fn the_same_seed_places_the_same_way() {
        let cluster = brokers(&[(1, false), (2, false), (3, false), (4, false), (5, true)]);
        let run = || place(&cluster, 10, 3, &mut Pcg32::seed_from_u64(42));
        assert_eq!(run(), run());
    }

    /// `ReplicationControlManager.validateManualPartitionAssignment` walks the brokers in
    /// ascending order, so the smallest problem broker is the one named.
    #[test]
    fn manual_lists_are_checked_in_ascending_broker_order() {
        let registered = |b: BrokerId| b.0 <= 3;
        assert_eq!(
            validate_replicas(&ids(&[9, 2, 2]), registered, None),
            Err(ReplicaAssignmentError::DuplicateBroker {
                broker: BrokerId(2)
            })
        );
        assert_eq!(
            validate_replicas(&ids(&[2, 9, 8, 2]), registered, None),
            Err(ReplicaAssignmentError::DuplicateBroker {
                broker: BrokerId(2)
            })
        );
        assert_eq!(
            validate_replicas(&ids(&[3, 9, 8]), registered, Some(3)),
            Err(ReplicaAssignmentError::UnregisteredBroker { broker: 8 })
        );
        assert_eq!(
            validate_replicas(&ids(&[3, 1]), registered, Some(2)),
            Ok(())
        );
    }

    /// Each placement has a stream of its own; the first is the one the Sim's shared RNG
    /// starts with.
    #[test]
    fn placements_draw_from_streams_of_their_own() {
        let draws = |mut rng: Pcg32| (0..4).map(|_| rng.random::<u32>()).collect::<Vec<_>>();
        assert_eq!(draws(placement_rng(42, 0)), draws(Pcg32::seed_from_u64(42)));
        assert_ne!(draws(placement_rng(42, 1)), draws(placement_rng(42, 0)));
        assert_ne!(draws(placement_rng(42, 1)), draws(placement_rng(42, 2)));
    }
}
