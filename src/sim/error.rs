//! Why the engine refused a command. Every message starts with the field it is about and says
//! what is allowed, so the UI can show it next to that field as it is.

use crate::sim::ids::PartitionId;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Kafka's own reasons a topic name is invalid (`org.apache.kafka.common.internals.Topic`).
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum TopicNameError {
    #[error("Topic name is invalid: the empty string is not allowed")]
    Empty,
    #[error("Topic name is invalid: '.' is not allowed")]
    Dot,
    #[error("Topic name is invalid: '..' is not allowed")]
    DotDot,
    #[error(
        "Topic name is invalid: the length of '{name}' is longer than the max allowed length 249"
    )]
    TooLong { name: String },
    #[error(
        "Topic name is invalid: '{name}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"
    )]
    IllegalCharacters { name: String },
}

/// A rejected command. The state is unchanged whenever one of these is returned.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum SimError {
    #[error(
        "topic name: {0}. Allowed: 1 to 249 characters from a-z A-Z 0-9 . _ - (but not \".\" or \"..\")"
    )]
    InvalidTopicName(TopicNameError),
    #[error("topic name: Topic '{topic}' already exists.")]
    TopicAlreadyExists { topic: String },
    #[error(
        "topic name: Topic '{topic}' collides with existing topic: {existing} ('.' and '_' count as the same character)"
    )]
    TopicCollides { topic: String, existing: String },
    #[error("topic: there is no topic named '{topic}'; create it first")]
    UnknownTopic { topic: String },
    #[error(
        "partitions: a topic needs 1 to {max} partitions in this playground (got {requested})",
        max = crate::sim::topic::MAX_PARTITIONS
    )]
    InvalidPartitionCount { requested: i64 },
    /// Simplification: a real producer waits `max.block.ms` for the partition to appear in its
    /// metadata and then fails with TimeoutException; the playground refuses at once.
    #[error(
        "partition: topic '{topic}' has {partitions} partition(s), so the partition must be 0 to {} or left empty (got {requested}; a real producer would wait max.block.ms for it, then time out)",
        partitions.saturating_sub(1)
    )]
    PartitionOutOfRange {
        topic: String,
        requested: i64,
        partitions: u32,
    },
    #[error("consumer: there is no consumer named '{consumer}'")]
    UnknownConsumer { consumer: String },
    #[error("consumer: a consumer named '{consumer}' already exists; pick another name")]
    ConsumerExists { consumer: String },
    #[error("consumer: the name must not be empty")]
    EmptyConsumerName,
    #[error("group.id: must not be empty")]
    EmptyGroupId,
    #[error("max.poll.records: must be at least 1 (got {requested})")]
    InvalidMaxPollRecords { requested: u32 },
    #[error("brokers: a cluster has 1 to {max} brokers in this playground (got {requested})", max = crate::sim::engine::MAX_BROKERS)]
    InvalidBrokerCount { requested: u32 },
    #[error("tick_ms: one tick of virtual time must be 1 to 60000 ms (got {requested})")]
    InvalidTick { requested: u64 },
    #[error(
        "auto.offset.reset: consumer '{consumer}' has no committed offset for {topic}-{partition} and auto.offset.reset is none (NoOffsetForPartitionException); use earliest or latest"
    )]
    NoOffsetForPartition {
        consumer: String,
        topic: String,
        partition: PartitionId,
    },
}

impl SimError {
    /// The form field or command argument the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            SimError::InvalidTopicName(_)
            | SimError::TopicAlreadyExists { .. }
            | SimError::TopicCollides { .. } => "topic name",
            SimError::UnknownTopic { .. } => "topic",
            SimError::InvalidPartitionCount { .. } => "partitions",
            SimError::PartitionOutOfRange { .. } => "partition",
            SimError::UnknownConsumer { .. }
            | SimError::ConsumerExists { .. }
            | SimError::EmptyConsumerName => "consumer",
            SimError::EmptyGroupId => "group.id",
            SimError::InvalidMaxPollRecords { .. } => "max.poll.records",
            SimError::InvalidBrokerCount { .. } => "brokers",
            SimError::InvalidTick { .. } => "tick_ms",
            SimError::NoOffsetForPartition { .. } => "auto.offset.reset",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_starts_with_its_field() {
        let errors = [
            SimError::InvalidTopicName(TopicNameError::Empty),
            SimError::TopicAlreadyExists { topic: "a".into() },
            SimError::TopicCollides {
                topic: "a.b".into(),
                existing: "a_b".into(),
            },
            SimError::UnknownTopic { topic: "a".into() },
            SimError::InvalidPartitionCount { requested: 0 },
            SimError::PartitionOutOfRange {
                topic: "orders".into(),
                requested: 7,
                partitions: 3,
            },
            SimError::UnknownConsumer {
                consumer: "c".into(),
            },
            SimError::ConsumerExists {
                consumer: "c".into(),
            },
            SimError::EmptyConsumerName,
            SimError::EmptyGroupId,
            SimError::InvalidMaxPollRecords { requested: 0 },
            SimError::InvalidBrokerCount { requested: 0 },
            SimError::InvalidTick { requested: 0 },
            SimError::NoOffsetForPartition {
                consumer: "c".into(),
                topic: "t".into(),
                partition: PartitionId(0),
            },
        ];
        for error in errors {
            let text = error.to_string();
            assert!(
                text.starts_with(&format!("{}: ", error.field())),
                "{text:?} should start with its field {:?}",
                error.field()
            );
        }
    }

    #[test]
    fn partition_out_of_range_says_what_is_allowed() {
        let error = SimError::PartitionOutOfRange {
            topic: "orders".into(),
            requested: 7,
            partitions: 3,
        };
        assert_eq!(
            error.to_string(),
            "partition: topic 'orders' has 3 partition(s), so the partition must be 0 to 2 or left empty (got 7; a real producer would wait max.block.ms for it, then time out)"
        );
    }
}
