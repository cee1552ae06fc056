//! Where a new topic's partition replicas go, as Kafka places them without racks
//! (`AdminUtils.assignReplicasToBrokersRackUnaware`): the first replica (the preferred leader) of
//! partition p is broker `(start + p) % n`, so leaders spread round robin from a random start
//! broker; the other replicas follow at a shift that grows by one every n partitions.
use crate::sim::ids::BrokerId;

/// The replica lists of partitions `first_partition..first_partition + count`, first replica
/// first. `brokers` must be sorted and hold at least `replication_factor` brokers; `start` and
/// `shift` are Kafka's two random draws (for added partitions, `start` is the index of
/// partition 0's first replica).
pub fn assign_replicas(
    brokers: &[BrokerId],
    first_partition: u32,
    count: u32,
    replication_factor: u32,
    start: usize,
    shift: usize,
) -> Vec<Vec<BrokerId>> {
    let n = brokers.len();
    if n == 0 {
        return vec![Vec::new(); count as usize];
    }
    let mut next_shift = shift;
    let first = first_partition as usize;
    (first..first + count as usize)
        .map(|p| {
            if p > 0 && p % n == 0 {
                next_shift += 1;
            }
            let first = (p + start) % n;
            let followers = (0..replication_factor.saturating_sub(1) as usize).map(|j| {
                let step = 1 + (next_shift + j) % (n - 1).max(1);
                brokers[(first + step) % n]
            });
            std::iter::once(brokers[first]).chain(followers).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[u32]) -> Vec<BrokerId> {
        v.iter().copied().map(BrokerId).collect()
    }

    #[test]
    fn kafka_admin_utils_example() {
        // AdminUtils' doc comment: 5 brokers, 10 partitions, RF 3, start index 0, shift 0.
        let brokers = ids(&[0, 1, 2, 3, 4]);
        let got = assign_replicas(&brokers, 0, 10, 3, 0, 0);
        let expected: Vec<Vec<BrokerId>> = [
            [0, 1, 2],
            [1, 2, 3],
            [2, 3, 4],
            [3, 4, 0],
            [4, 0, 1],
            [0, 2, 3],
            [1, 3, 4],
            [2, 4, 0],
            [3, 0, 1],
            [4, 1, 2],
        ]
        .iter()
        .map(|r| ids(r))
        .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn leaders_spread_round_robin_from_the_start_broker() {
        let brokers = ids(&[1, 2, 3]);
        let leaders: Vec<BrokerId> = assign_replicas(&brokers, 0, 4, 1, 2, 0)
            .iter()
            .map(|r| r[0])
            .collect();
        assert_eq!(leaders, ids(&[3, 1, 2, 3]));
    }

    #[test]
    fn added_partitions_continue_the_pattern() {
        let brokers = ids(&[0, 1, 2, 3, 4]);
        let all = assign_replicas(&brokers, 0, 10, 3, 0, 0);
        // With the shift a full run has reached by partition 7, the added ones match it.
        let added = assign_replicas(&brokers, 7, 3, 3, 0, 1);
        assert_eq!(added, all[7..].to_vec());
    }

    #[test]
    fn single_broker_never_divides_by_zero() {
        let got = assign_replicas(&ids(&[7]), 0, 2, 1, 0, 0);
        assert_eq!(got, vec![ids(&[7]), ids(&[7])]);
    }
}
