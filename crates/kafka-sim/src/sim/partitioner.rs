//! How a producer picks a partition, following Kafka's client (`KafkaProducer.partition`,
//! `BuiltInPartitioner`, `RoundRobinPartitioner`, `Utils.murmur2`): an explicit partition wins;
//! a key is hashed with murmur2; a record without a key goes to the sticky partition (KIP-480),
//! or round robin when chosen. The guide's `key % partitions` rule is a labelled teaching mode.
use crate::sim::types::PartitionerMode;
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

impl PartitionerMode {
    /// What the page shows: the mode and its rule.
    pub fn label(self) -> &'static str {
        match self {
            PartitionerMode::Default => "default (sticky)",
            PartitionerMode::RoundRobin => "round-robin",
            PartitionerMode::Guide => "guide (key % partitions)",
        }
    }
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
    /// The guide's teaching rule: a numeric key modulo the partition count.
    KeyModulo { key: i64, partitions: u32 },
    /// No key: the producer's sticky partition for this topic at the time.
    Sticky { partitions: u32 },
    /// The producer's per-topic counter picked it: the `counter % available`-th available
    /// partition.
    RoundRobin { counter: u32, available: u32 },
}

/// The partition a key goes to under `mode` (`None` when the key does not decide it).
pub fn partition_for(
    mode: PartitionerMode,
    key: Option<&str>,
    partitions: u32,
) -> Option<(u32, PartitionChoice)> {
    let key = key?;
    match mode {
        PartitionerMode::RoundRobin => None,
        PartitionerMode::Guide => match key.trim().parse::<i64>() {
            Ok(number) => {
                let partition = number.rem_euclid(i64::from(partitions.max(1))) as u32;
                Some((
                    partition,
                    PartitionChoice::KeyModulo {
                        key: number,
                        partitions,
                    },
                ))
            }
            Err(_) => Some(hash_choice(key, partitions)),
        },
        PartitionerMode::Default => Some(hash_choice(key, partitions)),
    }
}

fn hash_choice(key: &str, partitions: u32) -> (u32, PartitionChoice) {
    let hash = murmur2(key.as_bytes());
    let positive = to_positive(hash);
    let choice = PartitionChoice::KeyHash {
        murmur2: hash,
        positive,
        partitions,
    };
    (positive.checked_rem(partitions).unwrap_or(0), choice)
}

/// Kafka's adaptive partitioning weights (`BuiltInPartitioner`): a partition with a longer
/// queue of unsent batches gets a smaller weight, `(longest + 1) − its length`.
pub fn adaptive_weights(queue_lengths: &[u32]) -> Vec<u32> {
    let longest = queue_lengths.iter().copied().max().unwrap_or(0);
    queue_lengths.iter().map(|len| longest + 1 - len).collect()
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
            PartitionChoice::KeyModulo { key, partitions } => write!(
                f,
                "the guide's rule (not Kafka's): key {key} % {partitions} = {}",
                key.rem_euclid(i64::from(*partitions.max(&1)))
            ),
            PartitionChoice::Sticky { partitions } => write!(
                f,
                "no key: the sticky partitioner keeps one of the {partitions} partitions until about batch.size bytes have gone to it"
            ),
            PartitionChoice::RoundRobin { counter, available } => write!(
                f,
                "round robin: counter {counter} % {available} available partition(s) = {}",
                counter % available.max(&1)
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
    fn key_choice_explains_the_arithmetic() {
        let (p, choice) =
            partition_for(PartitionerMode::Default, Some("abc"), 1000).expect("a key");
        assert_eq!(p, 107);
        assert_eq!(
            choice.to_string(),
            "key hash: murmur2 = 479470107, toPositive = 479470107, 479470107 % 1000 = 107"
        );
    }

    #[test]
    fn guide_mode_takes_numeric_keys_modulo_the_count() {
        let guide = |key| {
            partition_for(PartitionerMode::Guide, Some(key), 3)
                .expect("a key")
                .0
        };
        assert_eq!([guide("7"), guide("9"), guide("-1")], [1, 0, 2]);
        assert_eq!(
            guide("user-7"),
            partition_for_key(b"user-7", 3),
            "other keys are hashed"
        );
        assert_eq!(
            partition_for(PartitionerMode::RoundRobin, Some("7"), 3),
            None,
            "keys ignored"
        );
        assert_eq!(partition_for(PartitionerMode::Default, None, 3), None);
    }

    #[test]
    fn kafka_adaptive_partitioning_example() {
        // BuiltInPartitionerTest.adaptivePartitionsTest
        assert_eq!(adaptive_weights(&[5, 0, 3, 0, 1]), [1, 6, 3, 6, 5]);
    }
}
