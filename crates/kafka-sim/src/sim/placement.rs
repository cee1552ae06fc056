//! Where a new partition's replicas go, as the KRaft controller places them
//! (`StripedReplicaPlacer.place`, metadata/.../placement/StripedReplicaPlacer.java). This is
//! what Kafka 4 runs when a topic is created or grown; ZooKeeper-era Kafka placed replicas with
//! `AdminUtils.assignReplicasToBrokers`, which Kafka 4 keeps only for
//! `kafka-reassign-partitions.sh --generate` (`assign_replicas.rs`).
//!
//! Every registered broker counts, fenced ones included, but replicas go to unfenced brokers
//! first and to fenced ones only when there are not enough unfenced brokers, and a leader (the
//! first replica) is always unfenced. A crashed broker the controller has not fenced yet is
//! still unfenced. Brokers are grouped by `broker.rack` (no rack is a rack of its own, sorted
//! first): each partition's leader comes from the next rack of a round robin over the sorted
//! racks, and its followers from the racks after it in turn, so a partition spreads over as
//! many racks as it can. Within a rack, brokers are handed out round robin from a random
//! start that moves on by one per partition; once every unfenced broker has led a partition,
//! the racks and brokers are shuffled and the round starts again.
//!
//! The random draws are Kafka's, in Kafka's order (racks initialised in Java's `HashMap`
//! order, `java_hash_order`), though not from Java's generator, so the brokers chosen differ
//! from a real cluster's (the export pins them with `--replica-assignment`).
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
fn shuffle<T>(items: &mut [T], rng: &mut impl Draw) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.below(i + 1));
    }
}

/// A registered broker as the controller sees it (Kafka's `UsableBroker`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsableBroker {
    pub id: BrokerId,
    /// Its `broker.rack`, if set.
    pub rack: Option<String>,
    pub fenced: bool,
}

/// Java's `String.hashCode`: 31-based over the UTF-16 code units, wrapping.
pub fn java_string_hash(text: &str) -> i32 {
    text.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// The order a Java `HashMap` (or `HashSet`) with default settings iterates keys whose
/// `hashCode`s are `hashes`, given in insertion order: by bucket (the hash spread as
/// `HashMap.hash` spreads it, masked by the table size, which doubles past 3/4 full), and
/// within a bucket in insertion order. Returns indices into `hashes`. (Java turns a bucket of
/// 8 or more keys into a tree; no playground map is that large.)
pub fn java_hash_order(hashes: &[i32]) -> Vec<usize> {
    let mut capacity = 16usize;
    while hashes.len() * 4 > capacity * 3 {
        capacity *= 2;
    }
    let bucket = |h: i32| {
        let h = h as u32;
        ((h ^ (h >> 16)) as usize) & (capacity - 1)
    };
    let mut order: Vec<usize> = (0..hashes.len()).collect();
    order.sort_by_key(|&i| (bucket(hashes[i]), i));
    order
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

/// Kafka's `Rack`: a rack's unfenced and fenced brokers.
struct Rack {
    fenced: BrokerList,
    unfenced: BrokerList,
}

impl Rack {
    /// `Rack.next`: the rack's next unfenced broker, else its next fenced one.
    fn next(&mut self, epoch: usize) -> Option<BrokerId> {
        self.unfenced
            .next(epoch)
            .or_else(|| self.fenced.next(epoch))
    }

    fn len(&self) -> usize {
        self.fenced.brokers.len() + self.unfenced.brokers.len()
    }

    /// `Rack.shuffle`.
    fn shuffle(&mut self, rng: &mut impl Draw) {
        shuffle(&mut self.fenced.brokers, rng);
        shuffle(&mut self.unfenced.brokers, rng);
    }
}

/// Kafka's `RackList`: the racks, round robin from a random first rack.
struct RackList {
    /// In Java's `HashMap` order of their names, the order Kafka initialises and shuffles
    /// them in.
    racks: Vec<Rack>,
    /// `rackNames`: indices into `racks`, sorted by name (no rack first).
    names: Vec<usize>,
    unfenced_count: usize,
    epoch: usize,
    /// Which rack in `names` the next partition's leader is looked for in first.
    offset: usize,
}

impl RackList {
    /// The `RackList` constructor, drawing as it draws: each rack's lists take their random
    /// starts in hash order, then the first rack is drawn.
    fn new(brokers: &[UsableBroker], rng: &mut impl Draw) -> RackList {
        let mut seen: Vec<&Option<String>> = Vec::new();
        for broker in brokers {
            if !seen.contains(&&broker.rack) {
                seen.push(&broker.rack);
            }
        }
        let hashes: Vec<i32> = seen
            .iter()
            .map(|rack| rack.as_deref().map_or(0, java_string_hash))
            .collect();
        let order = java_hash_order(&hashes);
        let ids = |rack: &Option<String>, fenced: bool| -> Vec<BrokerId> {
            brokers
                .iter()
                .filter(|b| &b.rack == rack && b.fenced == fenced)
                .map(|b| b.id)
                .collect()
        };
        let racks: Vec<Rack> = order
            .iter()
            .map(|&i| {
                let fenced = BrokerList::new(ids(seen[i], true), rng);
                let unfenced = BrokerList::new(ids(seen[i], false), rng);
                Rack { fenced, unfenced }
            })
            .collect();
        let mut names: Vec<usize> = (0..racks.len()).collect();
        names.sort_by(|&a, &b| seen[order[a]].cmp(seen[order[b]]));
        let offset = if names.is_empty() {
            0
        } else {
            rng.below(names.len())
        };
        RackList {
            racks,
            names,
            unfenced_count: brokers.iter().filter(|b| !b.fenced).count(),
            epoch: 0,
            offset,
        }
    }

    /// `RackList.place`: one partition's replicas. The leader is the first unfenced broker
    /// found from the rack at `offset` on; the followers come one per rack from `offset` on,
    /// skipping the leader's rack the first time round. `None` only if the brokers cannot
    /// hold `replication_factor` replicas, which `place` checks first.
    fn place(&mut self, replication_factor: u32, rng: &mut impl Draw) -> Option<Vec<BrokerId>> {
        // After as many partitions as there are unfenced brokers, shuffle to avoid repeating
        // the same assignments (never with one, which would loop).
        if self.epoch == self.unfenced_count && self.unfenced_count > 1 {
            shuffle(&mut self.names, rng);
            for rack in &mut self.racks {
                rack.shuffle(rng);
            }
            self.epoch = 0;
        }
        let count = self.names.len();
        if self.offset == count {
            self.offset = 0;
        }
        let epoch = self.epoch;
        let mut brokers = Vec::with_capacity(replication_factor as usize);
        let mut first_rack = self.offset;
        let mut tried = 0;
        loop {
            if let Some(leader) = self.racks[self.names[first_rack]].unfenced.next(epoch) {
                brokers.push(leader);
                break;
            }
            tried += 1;
            if tried == count {
                return None;
            }
            first_rack = (first_rack + 1) % count;
        }
        let mut first_rack = Some(first_rack);
        let mut rack = self.offset;
        for _ in 1..replication_factor {
            // Each broker is handed out once per epoch, so a round over every rack as many
            // times as there are brokers finds any broker left.
            let mut found = None;
            for _ in 0..=count * (self.racks.iter().map(Rack::len).sum::<usize>() + 1) {
                if first_rack == Some(rack) {
                    first_rack = None;
                } else {
                    found = self.racks[self.names[rack]].next(epoch);
                }
                rack = (rack + 1) % count;
                if found.is_some() {
                    break;
                }
            }
            brokers.push(found?);
        }
        self.epoch += 1;
        self.offset += 1;
        Some(brokers)
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
    let mut racks = RackList::new(brokers, rng);
    (0..partitions)
        .map(|_| {
            // Every list is long enough: the checks above ensure it.
            racks
                .place(replication_factor, rng)
                .ok_or(PlacementError::TooFewBrokers {
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
                rack: None,
                fenced,
            })
            .collect()
    }

    fn racked(list: &[(u32, &str, bool)]) -> Vec<UsableBroker> {
        list.iter()
            .map(|&(id, rack, fenced)| UsableBroker {
                id: BrokerId(id),
                rack: Some(rack.to_owned()),
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

    /// `StripedReplicaPlacerTest.testRackListWithMultipleRacks`: leaders go round the racks
    /// in name order, followers take one broker per rack from there, and the fenced broker
    /// 20 is used only once rack 2's unfenced one is taken.
    #[test]
    fn kafka_spreads_replicas_over_racks() {
        let cluster = racked(&[
            (11, "1", false),
            (10, "1", false),
            (30, "3", false),
            (31, "3", false),
            (21, "2", false),
            (20, "2", true),
        ]);
        let got = place(&cluster, 3, 4, &mut MockRandom(17)).expect("placed");
        let expected: &[&[u32]] = &[&[11, 21, 31, 10], &[21, 30, 10, 20], &[31, 11, 21, 30]];
        assert_eq!(got, lists(expected));
    }

    /// `StripedReplicaPlacerTest.testRackListWithInvalidRacks`: racks with only fenced
    /// brokers never lead; their brokers still take followers.
    #[test]
    fn racks_with_only_fenced_brokers_hold_followers_only() {
        let cluster = racked(&[
            (11, "1", false),
            (10, "1", false),
            (30, "3", true),
            (31, "3", true),
            (20, "2", true),
            (21, "2", true),
            (41, "4", false),
            (40, "4", true),
        ]);
        let got = place(&cluster, 3, 4, &mut MockRandom(17)).expect("placed");
        let expected: &[&[u32]] = &[&[41, 11, 21, 30], &[10, 20, 31, 41], &[41, 21, 30, 11]];
        assert_eq!(got, lists(expected));
    }

    /// `StripedReplicaPlacerTest.testSuccessfulPlacement`: one rack, RF 3 over four brokers.
    #[test]
    fn kafka_places_five_partitions_on_four_brokers() {
        let cluster = brokers(&[(0, false), (3, false), (2, false), (1, false)]);
        let got = place(&cluster, 5, 3, &mut MockRandom(17)).expect("placed");
        let expected: &[&[u32]] = &[&[2, 3, 0], &[3, 0, 1], &[0, 1, 2], &[1, 2, 3], &[1, 0, 2]];
        assert_eq!(got, lists(expected));
    }

    /// `StripedReplicaPlacerTest.testEvenDistribution`: 200 partitions of RF 2 on four
    /// brokers, counted by replica list.
    #[test]
    fn kafka_distributes_two_hundred_partitions_evenly() {
        let cluster = brokers(&[(0, false), (1, false), (2, false), (3, false)]);
        let got = place(&cluster, 200, 2, &mut MockRandom(17)).expect("placed");
        let count = |list: &[u32]| got.iter().filter(|r| **r == ids(list)).count();
        let expected = [
            ([0, 1], 14),
            ([0, 2], 22),
            ([0, 3], 14),
            ([1, 0], 17),
            ([1, 2], 17),
            ([1, 3], 16),
            ([2, 0], 13),
            ([2, 1], 17),
            ([2, 3], 20),
            ([3, 0], 20),
            ([3, 1], 19),
            ([3, 2], 11),
        ];
        for (list, n) in expected {
            assert_eq!(count(&list), n, "{list:?}");
        }
    }

    /// `StripedReplicaPlacerTest.testRackListWithMultipleRacks` checks the rack names sorted;
    /// Java's `HashMap` order, in which Kafka draws each rack's start, is by spread hash
    /// bucket, then insertion order.
    #[test]
    fn java_hash_order_is_by_bucket_then_insertion() {
        assert_eq!(java_string_hash("1"), 49);
        assert_eq!(java_string_hash("rack1"), 108_269_626);
        // "3" (bucket 3), "1" (bucket 1), "2" (bucket 2); 0 and 16 share bucket 0.
        assert_eq!(java_hash_order(&[51, 49, 50]), vec![1, 2, 0]);
        assert_eq!(java_hash_order(&[16, 0]), vec![0, 1]);
        // Past 12 keys the table has 32 buckets: 16 no longer shares bucket 0.
        let many: Vec<i32> = (0..13).map(|k| if k == 0 { 16 } else { k - 1 }).collect();
        assert_eq!(java_hash_order(&many)[..3], [1, 2, 3]);
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
