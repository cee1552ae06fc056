//! What the user (or a lesson, or the UI) asks the simulated cluster to do.

use crate::sim::consumer::ConsumerConfig;
use crate::sim::ids::{Offset, PartitionId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    /// `kafka-topics.sh --create`. The count is signed so that any number typed can be checked.
    CreateTopic { name: String, partitions: i64 },
    /// `producer.send(new ProducerRecord(topic, partition, key, value))`. No key means a null
    /// key; no partition lets the partitioner choose.
    Produce {
        topic: String,
        partition: Option<i64>,
        key: Option<String>,
        value: String,
    },
    /// Starts a consumer reading every partition of `topic`.
    AddConsumer {
        consumer: String,
        topic: String,
        config: ConsumerConfig,
    },
    /// Points a consumer at another topic; it starts from its group's committed offsets there.
    Subscribe { consumer: String, topic: String },
    /// One `consumer.poll()`.
    Poll { consumer: String },
    /// `consumer.commitSync()`: commits the consumer's current positions.
    Commit { consumer: String },
}

/// What an accepted command did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    TopicCreated,
    Produced {
        partition: PartitionId,
        offset: Offset,
    },
    ConsumerAdded,
    Subscribed,
    /// How many records the poll returned.
    Polled {
        records: usize,
    },
    /// How many partitions got a new committed offset.
    Committed {
        partitions: usize,
    },
}
