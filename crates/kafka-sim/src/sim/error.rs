//! Why the engine refused a command. Every message starts with the field it is about and says
//! what is allowed, so the UI can show it next to that field as it is.
use crate::sim::ids::Offset;
use crate::sim::ids::{BrokerId, ControllerId, PartitionId};
use crate::sim::types::{MAX_BROKERS, MAX_PARTITIONS, MAX_REQUEST_SIZE, TOPIC_CONFIG_KEYS};
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

/// Why the controller cannot place a new partition's replicas, in Kafka's words
/// (`StripedReplicaPlacer`); Kafka answers INVALID_REPLICATION_FACTOR.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum PlacementError {
    /// No registered broker is unfenced, so no partition can have a leader.
    #[error("All brokers are currently fenced.")]
    AllFenced,
    /// Fenced and crashed brokers count: they are registered.
    #[error(
        "The target replication factor of {requested} cannot be reached because only {registered} broker(s) are registered."
    )]
    TooFewBrokers { requested: u32, registered: u32 },
}

/// The controller's reasons to refuse a manual replica assignment (a topic created or grown
/// with `--replica-assignment`, or a reassignment), in its words
/// (`ReplicationControlManager.validateManualPartitionAssignment`, `createTopic`,
/// `createPartitions`).
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum ReplicaAssignmentError {
    #[error("The manual partition assignment includes an empty replica list.")]
    EmptyReplicaList,
    #[error(
        "The manual partition assignment includes broker {broker}, but no such broker is registered."
    )]
    /// The broker id as typed: the tool sends any int, negative ones included.
    UnregisteredBroker { broker: i64 },
    #[error("The manual partition assignment includes the broker {broker} more than once.")]
    DuplicateBroker { broker: BrokerId },
    #[error(
        "The manual partition assignment includes a partition with {replicas} replica(s), but this is not consistent with previous partitions, which have {expected} replica(s)."
    )]
    InconsistentReplicaCount { replicas: usize, expected: usize },
    #[error(
        "All brokers specified in the manual partition assignment for partition {partition} are fenced or in controlled shutdown."
    )]
    NoActiveBroker { partition: u32 },
    #[error(
        "Attempted to add {additional} additional partition(s), but only {given} assignment(s) were specified."
    )]
    AssignmentCountMismatch { additional: i64, given: usize },
}

/// Kafka's protocol strings (a client's id, a group's, a transactional id) carry an int16
/// length, so a client with a longer one cannot talk to the cluster.
pub const MAX_PROTOCOL_STRING_BYTES: usize = 32_767;

/// Refuses a name a Kafka protocol string cannot carry; `field` names it in the message.
pub(crate) fn check_protocol_string(field: &str, name: &str) -> Result<(), SimError> {
    if name.len() > MAX_PROTOCOL_STRING_BYTES {
        return Err(SimError::NameTooLong {
            field: field.to_owned(),
            bytes: name.len(),
        });
    }
    Ok(())
}

/// User text as a message repeats it: whole up to 60 bytes, else its start and its length
/// (a pasted megabyte would otherwise fill the page).
pub fn cut(text: &str) -> String {
    match (0..=60).rev().find(|&end| text.is_char_boundary(end)) {
        Some(end) if text.len() > 60 => format!("{}… ({} bytes)", &text[..end], text.len()),
        _ => text.to_owned(),
    }
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
        max = MAX_PARTITIONS
    )]
    InvalidPartitionCount { requested: i64 },
    #[error(
        "partitions: {}",
        if i64::from(*current) == *requested {
            format!("Topic already has {current} partition(s).")
        } else {
            format!("The topic {topic} currently has {current} partition(s); {requested} would not be an increase.")
        }
    )]
    PartitionCountNotIncreased {
        topic: String,
        current: u32,
        requested: i64,
    },
    /// The controller could not place the replicas of a new topic (`new_topic`) or of added
    /// partitions.
    #[error("replication factor: {reason} (INVALID_REPLICATION_FACTOR)")]
    InvalidReplicationFactor {
        replication_factor: u32,
        reason: PlacementError,
        new_topic: bool,
    },
    #[error(
        "replication factor: Replication factor must be larger than 0, or -1 to use the default value (got {requested})"
    )]
    NonPositiveReplicationFactor { requested: i64 },
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
    #[error("{key}: Unknown topic config name: {key}. Known: {known}", known = TOPIC_CONFIG_KEYS.join(", "))]
    UnknownConfig { key: String },
    #[error("{key}: Invalid value {value:?}; allowed: {allowed}")]
    InvalidConfig {
        key: String,
        value: String,
        allowed: String,
    },
    #[error("broker: there is no broker {broker}")]
    UnknownBroker { broker: BrokerId },
    #[error(
        "broker: the cluster already has the most brokers this playground allows ({})",
        MAX_BROKERS
    )]
    TooManyBrokers,
    #[error("broker: broker {broker} is {state}; only a {needed} broker can be {action}")]
    BrokerState {
        broker: BrokerId,
        state: String,
        needed: String,
        action: String,
    },
    #[error(
        "broker: broker {broker} still holds replicas of {partitions}; move them away with a reassignment first"
    )]
    BrokerHoldsReplicas {
        broker: BrokerId,
        partitions: String,
    },
    #[error("replicas: {reason}")]
    InvalidReassignment { reason: String },
    #[error("replicas: {0}")]
    InvalidReplicaAssignment(ReplicaAssignmentError),
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
    #[error(
        "auto.offset.reset: consumer '{consumer}' has no committed offset for {topic}-{partition} and auto.offset.reset is none (NoOffsetForPartitionException); use earliest or latest"
    )]
    NoOffsetForPartition {
        consumer: String,
        topic: String,
        partition: PartitionId,
    },
    #[error(
        "auto.offset.reset: consumer '{consumer}' is at offset {offset} of {topic}-{partition}, which is no longer in the log (OffsetOutOfRangeException), and auto.offset.reset is none; use earliest or latest"
    )]
    OffsetOutOfRange {
        consumer: String,
        topic: String,
        partition: PartitionId,
        offset: Offset,
    },
    #[error(
        "auto.offset.reset: consumer '{consumer}' is at offset {offset} of {topic}-{partition}, but the leader's log was truncated below it{}, so what it read there is gone (LogTruncationException), and auto.offset.reset is none; seek to where you want to read, or use earliest or latest",
        diverged_at.map_or_else(String::new, |o| format!(" (it diverges at offset {o})"))
    )]
    LogTruncation {
        consumer: String,
        topic: String,
        partition: PartitionId,
        offset: Offset,
        /// Where the leader's log diverges, if it knew.
        diverged_at: Option<Offset>,
    },
    #[error("{key}: {reason}")]
    InvalidConsumerConfig { key: String, reason: String },
    #[error("subscription: name at least one topic or partition")]
    EmptySubscription,
    #[error("group.id: INCONSISTENT_GROUP_PROTOCOL for group '{group}': {reason}")]
    InconsistentGroupProtocol { group: String, reason: String },
    #[error(
        "partition: {consumer} is not assigned {topic}-{partition} (IllegalStateException: No current assignment for partition)"
    )]
    NotAssigned {
        consumer: String,
        topic: String,
        partition: PartitionId,
    },
    #[error("commit: {consumer}'s commit failed (CommitFailedException): {reason}")]
    CommitFailed { consumer: String, reason: String },
    #[error(
        "group: Assignments can only be reset if the group '{group}' is inactive, but the current state is {state}. Stop its consumers first"
    )]
    GroupNotInactive { group: String, state: String },
    #[error("group: there is no group named '{group}' with committed offsets")]
    UnknownGroup { group: String },
    #[error(
        "reset: Cannot shift offset for partition {topic}-{partition} since there is no current committed offset"
    )]
    NothingToShift {
        topic: String,
        partition: PartitionId,
    },
    #[error(
        "group: NON_EMPTY_GROUP: group '{group}' still has members ({state}); stop its consumers first"
    )]
    NonEmptyGroup { group: String, state: String },
    #[error("producer: '{producer}' has no transactional.id, so it cannot use transactions")]
    NotTransactional { producer: String },
    #[error("transaction: {producer}: {reason}")]
    TransactionState { producer: String, reason: String },
    #[error("producer: there is no producer named '{producer}'")]
    UnknownProducer { producer: String },
    #[error("producer: a producer named '{producer}' already exists; pick another name")]
    ProducerExists { producer: String },
    #[error("producer: the name must not be empty")]
    EmptyProducerName,
    #[error("{key}: {reason}")]
    InvalidProducerConfig { key: String, reason: String },
    #[error(
        "buffer.memory: {producer}'s buffer is full ({bytes} bytes wait to be sent): send() would block for max.block.ms, then fail; wait for the cluster to take them"
    )]
    BufferFull { producer: String, bytes: u64 },
    #[error("generator: there is no generator named '{generator}'")]
    UnknownGenerator { generator: String },
    #[error("generator: a generator named '{generator}' already exists; pick another name")]
    GeneratorExists { generator: String },
    #[error("generator: the name must not be empty")]
    EmptyGeneratorName,
    #[error(
        "{field}: {bytes} bytes is too long; Kafka's protocol strings (client.id, group.id, transactional.id) hold at most {MAX_PROTOCOL_STRING_BYTES} bytes"
    )]
    NameTooLong { field: String, bytes: usize },
    #[error(
        "max.request.size: The message is {bytes} bytes when serialized which is larger than {MAX_REQUEST_SIZE}, which is the value of the max.request.size configuration (RecordTooLargeException)"
    )]
    RecordTooLarge { bytes: u64 },
    #[error("records/s: must be 1 to 10,000,000 (got {requested})")]
    InvalidRate { requested: u64 },
    #[error("keys: {reason}")]
    InvalidKeySet { reason: String },
    #[error(
        "brokers: a cluster has 1 to {max} brokers in this playground (got {requested})",
        max = MAX_BROKERS
    )]
    InvalidBrokerCount { requested: u32 },
    #[error("{setting}: {reason} (got {requested})")]
    InvalidClusterSetting {
        setting: String,
        requested: u64,
        reason: String,
    },
    #[error("broker.rack: {reason} (got {rack:?})")]
    InvalidRack { rack: String, reason: String },
    #[error("broker: broker {broker} {reason}")]
    BrokerFault { broker: BrokerId, reason: String },
    #[error(
        "group.instance.id: UNRELEASED_INSTANCE_ID (UnreleasedInstanceIdException): Static member {consumer} with instance id {instance} cannot join the group because the instance id is owned by {holder} member. That member must leave first (or its session.timeout.ms pass)"
    )]
    UnreleasedInstanceId {
        consumer: String,
        instance: String,
        holder: String,
    },
    #[error(
        "transaction: {producer}: ProducerFencedException: {by} started with the same transactional.id '{transactional_id}', so the transaction coordinator fenced {producer} (PRODUCER_FENCED). This error is fatal: close {producer}; {by} carries on"
    )]
    ProducerFenced {
        producer: String,
        transactional_id: String,
        by: String,
    },
    /// Simplification: a real client's request waits for an active controller until it times
    /// out; the playground refuses at once and says why.
    #[error(
        "controller: cannot {action} now: {reason}. Kafka's request would wait for an active controller, then fail with REQUEST_TIMED_OUT"
    )]
    NoActiveController { action: String, reason: String },
    #[error("controller: there is no controller {controller}; the controllers are {known}")]
    UnknownController {
        controller: ControllerId,
        known: String,
    },
    #[error(
        "controller: controller {controller} is {state}; only a {needed} controller can be {action}"
    )]
    ControllerState {
        controller: ControllerId,
        state: String,
        needed: String,
        action: String,
    },
}

impl SimError {
    /// The form field, config name or command argument the error is about: the start of its
    /// message.
    pub fn field(&self) -> String {
        self.parts().0
    }

    /// The message after its field: what the error says about it.
    pub fn detail(&self) -> String {
        self.parts().1
    }

    /// The message split after its field (the whole message both ways if it names none).
    fn parts(&self) -> (String, String) {
        let text = self.to_string();
        match text.split_once(": ") {
            Some((field, detail)) => (field.to_owned(), detail.to_owned()),
            None => (text.clone(), text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_out_of_range_says_what_is_allowed() {
        let error = SimError::PartitionOutOfRange {
            topic: "orders".into(),
            requested: 7,
            partitions: 3,
        };
        assert_eq!(error.field(), "partition");
        assert_eq!(
            error.to_string(),
            "partition: topic 'orders' has 3 partition(s), so the partition must be 0 to 2 or left empty (got 7; a real producer would wait max.block.ms for it, then time out)"
        );
    }

    #[test]
    fn config_errors_name_the_config() {
        let error = SimError::InvalidConfig {
            key: "min.insync.replicas".into(),
            value: "0".into(),
            allowed: "a whole number, at least 1".into(),
        };
        assert_eq!(error.field(), "min.insync.replicas");
        assert_eq!(SimError::UnknownConfig { key: "foo".into() }.field(), "foo");
    }
}
