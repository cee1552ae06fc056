//! Topics: a name and its partitions. Names follow Kafka's rules
//! (`org.apache.kafka.common.internals.Topic`).
use crate::sim::error::{SimError, TopicNameError, cut};
use crate::sim::ids::PartitionId;
use crate::sim::partition::Partition;
use crate::sim::topic_config::TopicConfig;
use crate::sim::types::MAX_PARTITIONS;
use serde::{Deserialize, Serialize};

/// Kafka's longest legal topic name.
pub const MAX_TOPIC_NAME_LEN: usize = 249;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub name: String,
    pub config: TopicConfig,
    pub partitions: Vec<Partition>,
}

impl Topic {
    pub fn partition_count(&self) -> u32 {
        self.partitions.len() as u32
    }

    /// Partition `id`: the partitions are kept in number order, so its number is its index.
    pub fn partition(&self, id: PartitionId) -> Option<&Partition> {
        self.partitions.get(id.0 as usize)
    }

    pub fn partition_mut(&mut self, id: PartitionId) -> Option<&mut Partition> {
        self.partitions.get_mut(id.0 as usize)
    }
}

/// Checks a topic name as Kafka does: non-empty, not "." or "..", at most 249 characters, only
/// ASCII letters, digits, '.', '_' and '-'.
pub fn validate_topic_name(name: &str) -> Result<(), SimError> {
    let error = if name.is_empty() {
        TopicNameError::Empty
    } else if name == "." {
        TopicNameError::Dot
    } else if name == ".." {
        TopicNameError::DotDot
    } else if name.encode_utf16().count() > MAX_TOPIC_NAME_LEN {
        TopicNameError::TooLong { name: cut(name) }
    } else if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        TopicNameError::IllegalCharacters { name: cut(name) }
    } else {
        return Ok(());
    };
    Err(SimError::InvalidTopicName(error))
}

/// Whether two names collide in Kafka's metric names, where '.' and '_' are the same.
pub fn names_collide(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .all(|(x, y)| x == y || (matches!(x, b'.' | b'_') && matches!(y, b'.' | b'_')))
}

/// The broker default `num.partitions`, used when a topic is created with −1 partitions.
pub const DEFAULT_PARTITIONS: u32 = 1;

/// The broker default `default.replication.factor`, used for −1.
pub const DEFAULT_REPLICATION_FACTOR: u32 = 1;

/// Checks the partition count of a new topic; −1 means the broker default.
pub fn validate_partition_count(requested: i64) -> Result<u32, SimError> {
    if requested == -1 {
        return Ok(DEFAULT_PARTITIONS);
    }
    u32::try_from(requested)
        .ok()
        .filter(|n| (1..=MAX_PARTITIONS).contains(n))
        .ok_or(SimError::InvalidPartitionCount { requested })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kafka_valid_names() {
        let long = "a".repeat(249);
        for name in [
            "...",
            "_0-9_.",
            "-",
            "orders",
            "Orders.v2_final-1",
            long.as_str(),
        ] {
            assert_eq!(validate_topic_name(name), Ok(()), "{name:?}");
        }
    }

    #[test]
    fn kafka_invalid_names() {
        let cases: Vec<(String, TopicNameError)> = vec![
            ("".into(), TopicNameError::Empty),
            (".".into(), TopicNameError::Dot),
            ("..".into(), TopicNameError::DotDot),
            (
                "a".repeat(250),
                TopicNameError::TooLong {
                    name: format!("{}… (250 bytes)", "a".repeat(60)),
                },
            ),
        ];
        for (name, expected) in cases {
            assert_eq!(
                validate_topic_name(&name),
                Err(SimError::InvalidTopicName(expected))
            );
        }
        for name in [
            "foo bar",
            "foo:bar",
            "foo=bar",
            "a/b",
            "a\\b",
            "a,b",
            "a\0b",
            "a\"b",
            "a'b",
            "a;b",
            "a*b",
            "a?b",
            "a\tb",
            "a\rb",
            "a\nb",
            "ümlaut",
            "<img src=x>",
        ] {
            assert_eq!(
                validate_topic_name(name),
                Err(SimError::InvalidTopicName(
                    TopicNameError::IllegalCharacters { name: name.into() }
                )),
                "{name:?}"
            );
        }
    }

    #[test]
    fn kafka_error_texts() {
        assert_eq!(
            TopicNameError::Empty.to_string(),
            "Topic name is invalid: the empty string is not allowed"
        );
        assert_eq!(
            TopicNameError::IllegalCharacters { name: "a b".into() }.to_string(),
            "Topic name is invalid: 'a b' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"
        );
    }

    #[test]
    fn dot_and_underscore_collide() {
        assert!(names_collide("to.pic", "to_pic"));
        assert!(names_collide("a_b.c", "a.b_c"));
        assert!(!names_collide(".topic", "topic"));
        assert!(!names_collide("orders", "order"));
    }

    #[test]
    fn partition_count_limits() {
        assert_eq!(validate_partition_count(1), Ok(1));
        assert_eq!(validate_partition_count(64), Ok(64));
        assert_eq!(
            validate_partition_count(-1),
            Ok(DEFAULT_PARTITIONS),
            "-1: the default"
        );
        for bad in [0, -2, 65, i64::MAX, i64::MIN] {
            assert_eq!(
                validate_partition_count(bad),
                Err(SimError::InvalidPartitionCount { requested: bad })
            );
        }
    }
}
