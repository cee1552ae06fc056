//! How a producer picks a partition, following Kafka's client
//! (`KafkaProducer.partition`, `BuiltInPartitioner`, `Utils.murmur2`): an explicit partition
//! wins; a key is hashed with murmur2; a record without a key goes round robin.
//!
//! Simplification (stated in the UI too): records without a key use round robin as the guide
//! describes. Kafka's default since 2.4 is the sticky partitioner (KIP-480), which arrives with the
//! producer settings.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The fixed seed Kafka's murmur2 starts from.
const MURMUR2_SEED: u32 = 0x9747_b28c;
const MURMUR2_M: u32 = 0x5bd1_e995;
const MURMUR2_R: u32 = 24;

/// Kafka's 32-bit MurmurHash2 of `data`, as `org.apache.kafka.common.utils.Utils.murmur2`
/// returns it (a signed int). Wrapping arithmetic and logical shifts, bytes read as unsigned.
pub fn murmur2(data: &[u8]) -> i32 {
    // Java starts from `seed ^ length` with an int length; `as u32` wraps the same way.
    let mut h = MURMUR2_SEED ^ data.len() as u32;
    let blocks = data.chunks_exact(4);
    let tail = blocks.remainder();
    for block in blocks {
        let mut k = u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        k = k.wrapping_mul(MURMUR2_M);
        k ^= k >> MURMUR2_R;
        k = k.wrapping_mul(MURMUR2_M);
        h = h.wrapping_mul(MURMUR2_M);
        h ^= k;
    }
    if tail.len() >= 3 {
        h ^= u32::from(tail[2]) << 16;
    }
    if tail.len() >= 2 {
        h ^= u32::from(tail[1]) << 8;
    }
    if !tail.is_empty() {
        h ^= u32::from(tail[0]);
        h = h.wrapping_mul(MURMUR2_M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(MURMUR2_M);
    h ^= h >> 15;
    h as i32
}

/// Kafka's `Utils.toPositive`: clears the sign bit. A mask, not `abs()`.
pub fn to_positive(hash: i32) -> u32 {
    (hash & 0x7fff_ffff) as u32
}

/// The partition Kafka's producer gives a key: `toPositive(murmur2(key)) % partitions`, where
/// `partitions` is the topic's total partition count. A topic always has at least one
/// partition; for `partitions == 0` this returns 0 instead of dividing by zero.
pub fn partition_for_key(key: &[u8], partitions: u32) -> u32 {
    to_positive(murmur2(key))
        .checked_rem(partitions)
        .unwrap_or(0)
}

/// Why a record went to its partition, kept with the record so a learner can ask.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartitionChoice {
    /// The record named its partition.
    Explicit,
    /// The key's hash picked it: `positive % partitions`.
    KeyHash {
        murmur2: i32,
        positive: u32,
        partitions: u32,
    },
    /// No key: the producer's per-topic counter picked it: `counter % partitions`.
    RoundRobin { counter: u32, partitions: u32 },
}

impl PartitionChoice {
    /// Picks the partition for a record as Kafka's producer does. `partition` must already be
    /// validated against `partitions`; `counter` is the producer's round-robin counter for the
    /// topic, advanced only when it is used.
    pub fn choose(
        partition: Option<u32>,
        key: Option<&str>,
        partitions: u32,
        counter: &mut u32,
    ) -> (u32, PartitionChoice) {
        if let Some(partition) = partition {
            return (partition, PartitionChoice::Explicit);
        }
        if let Some(key) = key {
            let hash = murmur2(key.as_bytes());
            let positive = to_positive(hash);
            let choice = PartitionChoice::KeyHash {
                murmur2: hash,
                positive,
                partitions,
            };
            return (positive.checked_rem(partitions).unwrap_or(0), choice);
        }
        let used = *counter;
        *counter = counter.wrapping_add(1);
        let choice = PartitionChoice::RoundRobin {
            counter: used,
            partitions,
        };
        (used.checked_rem(partitions).unwrap_or(0), choice)
    }
}

impl fmt::Display for PartitionChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartitionChoice::Explicit => write!(f, "the record named its partition"),
            PartitionChoice::KeyHash {
                murmur2,
                positive,
                partitions,
            } => write!(
                f,
                "key hash: murmur2 = {murmur2}, toPositive = {positive}, {positive} % {partitions} = {}",
                positive % partitions.max(&1)
            ),
            PartitionChoice::RoundRobin {
                counter,
                partitions,
            } => write!(
                f,
                "no key, round robin: {counter} % {partitions} = {}",
                counter % partitions.max(&1)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kafka_utils_test_vectors() {
        // clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java testMurmur2
        let cases: [(&str, i32); 6] = [
            ("21", -973_932_308),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            (
                "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
                -58_897_971,
            ),
            ("abc", 479_470_107),
        ];
        for (input, expected) in cases {
            assert_eq!(murmur2(input.as_bytes()), expected, "murmur2({input:?})");
        }
    }

    #[test]
    fn empty_key_is_hashed_not_null() {
        assert_eq!(murmur2(b""), 275_646_681);
        let partitions: Vec<u32> = [3, 4, 6, 12]
            .iter()
            .map(|&n| partition_for_key(b"", n))
            .collect();
        assert_eq!(partitions, [0, 1, 3, 9]);
    }

    #[test]
    fn kafka_streams_keys_for_three_partitions() {
        // KTableKTableForeignKeyInnerJoinMultiIntegrationTest: keys "0".."9", 3 partitions.
        let got: Vec<u32> = (0..10)
            .map(|k| partition_for_key(k.to_string().as_bytes(), 3))
            .collect();
        assert_eq!(got, [2, 0, 2, 2, 1, 0, 1, 0, 0, 2]);
    }

    #[test]
    fn kafka_python_partitions_for_1000() {
        // dpkp/kafka-python test/test_partitioner.py
        let cases: [(&[u8], u32); 6] = [
            (b"", 681),
            (b"a", 524),
            (b"ab", 434),
            (b"abc", 107),
            (b"123456789", 566),
            (b"\x00 ", 742),
        ];
        for (key, expected) in cases {
            assert_eq!(partition_for_key(key, 1000), expected, "key {key:?}");
        }
    }

    #[test]
    fn to_positive_is_a_mask_not_abs() {
        assert_eq!(to_positive(-1), 0x7fff_ffff);
        assert_eq!(to_positive(i32::MIN), 0);
        assert_eq!(to_positive(5), 5);
    }

    #[test]
    fn zero_partitions_does_not_divide_by_zero() {
        assert_eq!(partition_for_key(b"x", 0), 0);
    }

    #[test]
    fn explicit_partition_wins_over_key() {
        let mut counter = 0;
        let (p, choice) = PartitionChoice::choose(Some(2), Some("k"), 3, &mut counter);
        assert_eq!((p, choice), (2, PartitionChoice::Explicit));
        assert_eq!(counter, 0, "the round-robin counter is untouched");
    }

    #[test]
    fn no_key_goes_round_robin() {
        let mut counter = 0;
        let got: Vec<u32> = (0..5)
            .map(|_| PartitionChoice::choose(None, None, 3, &mut counter).0)
            .collect();
        assert_eq!(got, [0, 1, 2, 0, 1]);
    }

    #[test]
    fn key_choice_explains_the_arithmetic() {
        let mut counter = 0;
        let (p, choice) = PartitionChoice::choose(None, Some("abc"), 1000, &mut counter);
        assert_eq!(p, 107);
        assert_eq!(
            choice.to_string(),
            "key hash: murmur2 = 479470107, toPositive = 479470107, 479470107 % 1000 = 107"
        );
    }
}
