//! The engine's value types: the settings, choices and errors the commands, the events and the
//! concept modules share, as plain data with their Kafka names (`names.rs`), and the limits.
//! They depend only on the leaf modules (`ids`, `ordered`, `names`), so every module may use
//! them without an edge back; the behaviour over them stays with its concept (a config's
//! checks in `consumer.rs` and `producer.rs`, a key set's draw in `generator.rs`).
use crate::sim::ids::{BrokerId, PartitionId};
use crate::sim::names::{Named, named};
use serde::{Deserialize, Serialize};
use std::fmt;

// ---- Limits ----

/// The most brokers a playground cluster may have.
pub const MAX_BROKERS: u32 = 12;

/// The most partitions a topic may have in the playground (Kafka allows far more; a learner
/// cannot watch more than this).
pub const MAX_PARTITIONS: u32 = 64;

/// Kafka's default max.request.size: `send()` refuses a record whose serialized size may be
/// larger. Simplification: the playground's producers cannot change it.
pub const MAX_REQUEST_SIZE: u64 = 1_048_576;

/// The configs a topic accepts, in the order `--describe` lists them.
pub const TOPIC_CONFIG_KEYS: [&str; 9] = [
    "cleanup.policy",
    "delete.retention.ms",
    "min.cleanable.dirty.ratio",
    "min.insync.replicas",
    "retention.bytes",
    "retention.ms",
    "segment.bytes",
    "segment.ms",
    "unclean.leader.election.enable",
];

// ---- Partitions and assignment strategies (the assignors are in assignor.rs) ----
/// A topic partition as the assignors name it. Its fields are in a tuple's order, so its
/// postcard bytes (the state hash, shared links) and its ordering are those of `(topic, p)`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TopicPartition {
    pub topic: String,
    pub partition: PartitionId,
}

impl TopicPartition {
    pub fn new(topic: impl Into<String>, partition: PartitionId) -> TopicPartition {
        TopicPartition {
            topic: topic.into(),
            partition,
        }
    }
}

/// As Kafka prints it: `orders-0`.
impl fmt::Display for TopicPartition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

/// `partition.assignment.strategy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Strategy {
    Range,
    RoundRobin,
    Sticky,
    CooperativeSticky,
}

// The assignors' protocol names.
named!(Strategy {
    Range => "range",
    RoundRobin => "roundrobin",
    Sticky => "sticky",
    CooperativeSticky => "cooperative-sticky",
});

// ---- Partitioners (their rules are in partitioner.rs) ----
/// Which partitioner a producer uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartitionerMode {
    /// Kafka's built-in partitioner: keys by murmur2, records without a key sticky.
    Default,
    /// `RoundRobinPartitioner`: every record to the next available partition, keys ignored.
    RoundRobin,
    /// The guide's rule, for teaching (not Kafka's): a numeric key goes to `key % partitions`,
    /// any other key by murmur2, and records without a key round robin.
    Guide,
}

// The names the producer form offers.
named!(PartitionerMode { Default => "default", RoundRobin => "roundrobin", Guide => "guide" });

// ---- Group protocols (the coordinator is in coordinator/) ----
/// Which rebalance protocol a group uses (`group.protocol`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GroupProtocol {
    Classic,
    /// KIP-848, with the server-side assignor to use.
    Consumer {
        assignor: ServerAssignor,
    },
}

impl Named for GroupProtocol {
    /// `consumer` reads as the consumer protocol with the broker's default assignor, uniform.
    const NAMES: &'static [(&'static str, Self)] = &[
        ("classic", GroupProtocol::Classic),
        (
            "consumer",
            GroupProtocol::Consumer {
                assignor: ServerAssignor::Uniform,
            },
        ),
    ];

    fn name(&self) -> &'static str {
        match self {
            GroupProtocol::Classic => "classic",
            GroupProtocol::Consumer { .. } => "consumer",
        }
    }
}

/// `group.consumer.assignors`: the server-side assignors of the consumer protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ServerAssignor {
    Uniform,
    Range,
}

named!(ServerAssignor { Uniform => "uniform", Range => "range" });

// ---- Consumers' settings and subscriptions (the consumer is in consumer.rs, which also checks its config) ----
/// What a consumer does without a usable committed offset (`auto.offset.reset`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AutoOffsetReset {
    /// Start at the log start offset.
    Earliest,
    /// Start at the end the consumer can see (high watermark or last stable offset).
    Latest,
    /// Fail with NoOffsetForPartitionException (or OffsetOutOfRangeException).
    None,
}

named!(AutoOffsetReset { Earliest => "earliest", Latest => "latest", None => "none" });

/// `isolation.level`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IsolationLevel {
    /// Read up to the high watermark, aborted transactions included.
    ReadUncommitted,
    /// Read up to the last stable offset and skip records of aborted transactions.
    ReadCommitted,
}

named!(IsolationLevel { ReadUncommitted => "read_uncommitted", ReadCommitted => "read_committed" });

/// Consumer settings, with Kafka's names and defaults except where noted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerConfig {
    /// `group.id`: committed offsets (and, when subscribing, membership) belong to the group.
    pub group_id: String,
    /// `group.protocol` (classic).
    pub group_protocol: GroupProtocol,
    /// `partition.assignment.strategy` for classic groups. Kafka's default list is
    /// [range, cooperative-sticky], which a group of default consumers uses as range.
    pub strategy: Strategy,
    /// `max.poll.records` (500).
    pub max_poll_records: u32,
    /// `enable.auto.commit` (true).
    pub enable_auto_commit: bool,
    /// `auto.commit.interval.ms` (5000).
    pub auto_commit_interval_ms: u64,
    /// `auto.offset.reset`. Kafka's default is latest; the playground's consumers start at
    /// earliest so a learner sees the records already in the topic.
    pub auto_offset_reset: AutoOffsetReset,
    /// `isolation.level` (read_uncommitted).
    pub isolation_level: IsolationLevel,
    /// `session.timeout.ms` (45000).
    pub session_timeout_ms: u64,
    /// `heartbeat.interval.ms` (3000; with group.protocol=consumer the broker's
    /// group.consumer.heartbeat.interval.ms, 5000, applies).
    pub heartbeat_interval_ms: u64,
    /// `max.poll.interval.ms` (300000).
    pub max_poll_interval_ms: u64,
    /// Time the application spends on each record (not a Kafka setting).
    pub processing_ms_per_record: u64,
}

/// What a consumer reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Subscription {
    /// `subscribe(topics)`: the group assigns partitions.
    Topics(Vec<String>),
    /// `assign(partitions)`: these partitions, no group membership.
    Partitions(Vec<TopicPartition>),
}

/// "topics orders, payments" or "partitions orders-0, orders-2".
pub fn describe(subscription: &Subscription) -> String {
    match subscription {
        Subscription::Topics(topics) => format!("topics {}", topics.join(", ")),
        Subscription::Partitions(partitions) => {
            let names: Vec<String> = partitions.iter().map(TopicPartition::to_string).collect();
            format!("partitions {}", names.join(", "))
        }
    }
}

// ---- Producers' settings (the producer is in producer.rs, which also checks its config) ----
/// `acks`: how many replicas must have a batch before the leader answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Acks {
    /// `acks=0`: no answer at all.
    None,
    /// `acks=1`: the leader has written it.
    Leader,
    /// `acks=all` (-1): every in-sync replica has it.
    All,
}

// -1 is Kafka's other spelling of all.
named!(Acks { All => "all", Leader => "1", None => "0" } aliases { "-1" => All });

/// Serialized by serde's derive, read through `share.rs`, which also reads the shorter
/// spelling of links written before `retry.backoff.max.ms` and `transaction.timeout.ms` joined.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct ProducerConfig {
    /// `acks` (all).
    pub acks: Acks,
    /// `retries` (2147483647: bounded in practice by delivery.timeout.ms).
    pub retries: u32,
    /// `linger.ms` (5 since Kafka 4.0, KIP-1030).
    pub linger_ms: u64,
    /// `batch.size` in bytes (16384); 0 means one record per batch.
    pub batch_size: u64,
    /// `enable.idempotence` (true).
    pub enable_idempotence: bool,
    /// `max.in.flight.requests.per.connection` (5).
    pub max_in_flight: u32,
    /// `delivery.timeout.ms` (120000).
    pub delivery_timeout_ms: u64,
    /// `request.timeout.ms` (30000).
    pub request_timeout_ms: u64,
    /// `retry.backoff.ms` (100): the wait before a failed batch's first retry.
    pub retry_backoff_ms: u64,
    /// `retry.backoff.max.ms` (1000, KIP-580): each further retry of a batch waits twice as
    /// long, up to this, with ±20% jitter.
    pub retry_backoff_max_ms: u64,
    /// `buffer.memory` in bytes (32 MiB): when the batches waiting reach it, send() blocks.
    pub buffer_memory: u64,
    pub partitioner: PartitionerMode,
    /// `transactional.id` (none): set, the producer writes in transactions.
    pub transactional_id: Option<String>,
    /// `transaction.timeout.ms` (60000): the transaction coordinator aborts a transaction open
    /// longer than this.
    pub transaction_timeout_ms: u64,
}

impl Default for ProducerConfig {
    fn default() -> ProducerConfig {
        ProducerConfig {
            acks: Acks::All,
            retries: i32::MAX as u32,
            linger_ms: 5,
            batch_size: 16_384,
            enable_idempotence: true,
            max_in_flight: 5,
            delivery_timeout_ms: 120_000,
            request_timeout_ms: 30_000,
            retry_backoff_ms: 100,
            retry_backoff_max_ms: 1_000,
            buffer_memory: 33_554_432,
            partitioner: PartitionerMode::Default,
            transactional_id: None,
            transaction_timeout_ms: 60_000,
        }
    }
}

// ---- Generators' keys (drawn in generator.rs) ----
/// Which keys generated records carry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeySet {
    /// Records without a key.
    NoKey,
    /// One of these keys, each as likely.
    Fixed(Vec<String>),
    /// `key-0` .. `key-{count-1}`, each as likely.
    Uniform { count: u32 },
    /// `key-0` .. `key-{count-1}`, skewed: 80% of records use the first fifth of the keys (at
    /// least one), the rest spread over the others.
    Skewed { count: u32 },
}

impl Named for KeySet {
    /// The kinds the generator form offers; the counts are placeholders. A fixed list of keys
    /// comes only from scenarios.
    const NAMES: &'static [(&'static str, Self)] = &[
        ("uniform", KeySet::Uniform { count: 0 }),
        ("skewed", KeySet::Skewed { count: 0 }),
        ("none", KeySet::NoKey),
    ];

    fn name(&self) -> &'static str {
        match self {
            KeySet::NoKey => "none",
            KeySet::Fixed(_) => "fixed",
            KeySet::Uniform { .. } => "uniform",
            KeySet::Skewed { .. } => "skewed",
        }
    }
}

impl fmt::Display for KeySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySet::NoKey => f.write_str("no keys"),
            KeySet::Fixed(keys) => write!(f, "keys {}", keys.join(", ")),
            KeySet::Uniform { count } => write!(f, "{count} keys, uniform"),
            KeySet::Skewed { count } => write!(f, "{count} keys, skewed (80% on a fifth)"),
        }
    }
}

// ---- Offset resets (applied in engine/offsets.rs) ----
/// Where `kafka-consumer-groups.sh --reset-offsets` moves a group's offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResetSpec {
    /// `--to-earliest`: the log start offset.
    Earliest,
    /// `--to-latest`: the high watermark.
    Latest,
    /// `--to-offset N`, kept within the log.
    ToOffset(u64),
    /// `--shift-by N` from the committed offset, kept within the log.
    ShiftBy(i64),
    /// `--to-datetime`: the first record with a timestamp at or after this virtual time (ms),
    /// or the high watermark if there is none.
    ToDatetime(u64),
}

impl Named for ResetSpec {
    /// The scenarios by the tool's option names; the numbers are placeholders.
    const NAMES: &'static [(&'static str, Self)] = &[
        ("to-earliest", ResetSpec::Earliest),
        ("to-latest", ResetSpec::Latest),
        ("to-offset", ResetSpec::ToOffset(0)),
        ("shift-by", ResetSpec::ShiftBy(0)),
        ("to-datetime", ResetSpec::ToDatetime(0)),
    ];

    fn name(&self) -> &'static str {
        match self {
            ResetSpec::Earliest => "to-earliest",
            ResetSpec::Latest => "to-latest",
            ResetSpec::ToOffset(_) => "to-offset",
            ResetSpec::ShiftBy(_) => "shift-by",
            ResetSpec::ToDatetime(_) => "to-datetime",
        }
    }
}

// ---- Produce errors (the producer's requests are in sender.rs) ----
/// Why a produce failed, with Kafka's error names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProduceError {
    /// The ISR was smaller than min.insync.replicas before the append: nothing was written.
    NotEnoughReplicas { isr: u32, min_insync_replicas: u32 },
    /// The ISR shrank below min.insync.replicas while the batch waited: it stays in the log.
    NotEnoughReplicasAfterAppend { isr: u32, min_insync_replicas: u32 },
    /// The broker is not (or no longer) the partition's leader.
    NotLeaderOrFollower { broker: BrokerId },
    /// The leader did not have the batch on every in-sync replica within request.timeout.ms;
    /// it may still be in the log.
    RequestTimedOut,
    /// The connection to the broker broke (it crashed) before it answered.
    NetworkException { broker: BrokerId },
    /// An idempotent batch arrived before the one that must come first.
    OutOfOrderSequenceNumber { expected: u32, got: u32 },
    /// delivery.timeout.ms passed since the batch was created.
    DeliveryTimeout { ms: u64 },
    /// The topic was deleted.
    UnknownTopicOrPartition,
    /// A record without a key sent to a compacted topic.
    CompactedTopicWithoutKey,
    /// A batch of an epoch older than the newest the leader (or the transaction coordinator)
    /// knows for its producer id: the coordinator bumped the epoch, aborting the transaction
    /// after transaction.timeout.ms or fencing the producer for a newer one with its
    /// transactional.id.
    InvalidProducerEpoch { epoch: u16, newest: u16 },
}

impl ProduceError {
    /// Whether the producer tries again (Kafka's `RetriableException`s).
    pub fn retriable(&self) -> bool {
        !matches!(
            self,
            ProduceError::DeliveryTimeout { .. }
                | ProduceError::UnknownTopicOrPartition
                | ProduceError::CompactedTopicWithoutKey
                | ProduceError::InvalidProducerEpoch { .. }
        )
    }
}

impl fmt::Display for ProduceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProduceError::NotEnoughReplicas {
                isr,
                min_insync_replicas,
            } => write!(
                f,
                "NOT_ENOUGH_REPLICAS: the ISR has {isr} replica(s), fewer than min.insync.replicas={min_insync_replicas}, so the leader refused the batch"
            ),
            ProduceError::NotEnoughReplicasAfterAppend {
                isr,
                min_insync_replicas,
            } => write!(
                f,
                "NOT_ENOUGH_REPLICAS_AFTER_APPEND: written, but the ISR shrank to {isr} (min.insync.replicas={min_insync_replicas}) before it was acknowledged"
            ),
            ProduceError::NotLeaderOrFollower { broker } => {
                write!(
                    f,
                    "NOT_LEADER_OR_FOLLOWER: broker {broker} is no longer the leader"
                )
            }
            ProduceError::RequestTimedOut => write!(
                f,
                "REQUEST_TIMED_OUT: the in-sync replicas did not all get the batch within request.timeout.ms (it may be in the log already)"
            ),
            ProduceError::NetworkException { broker } => write!(
                f,
                "NetworkException: the connection to broker {broker} was lost before it answered"
            ),
            ProduceError::OutOfOrderSequenceNumber { expected, got } => write!(
                f,
                "OUT_OF_ORDER_SEQUENCE_NUMBER: expected sequence {expected}, got {got}"
            ),
            ProduceError::DeliveryTimeout { ms } => write!(
                f,
                "TimeoutException: {ms} ms has passed since batch creation (delivery.timeout.ms)"
            ),
            ProduceError::UnknownTopicOrPartition => {
                write!(f, "UNKNOWN_TOPIC_OR_PARTITION: the topic is gone")
            }
            ProduceError::CompactedTopicWithoutKey => write!(
                f,
                "INVALID_RECORD: Compacted topic cannot accept message without key"
            ),
            ProduceError::InvalidProducerEpoch { epoch, newest } => write!(
                f,
                "INVALID_PRODUCER_EPOCH: Producer attempted to produce with an old epoch ({epoch}; the cluster knows epoch {newest}): the transaction coordinator bumped it, aborting the transaction after transaction.timeout.ms or fencing this producer for a newer one with its transactional.id"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_names_topics_or_partitions() {
        let topics = Subscription::Topics(vec!["orders".into(), "payments".into()]);
        assert_eq!(describe(&topics), "topics orders, payments");
        let partitions = Subscription::Partitions(vec![
            TopicPartition::new("orders", PartitionId(0)),
            TopicPartition::new("orders", PartitionId(2)),
        ]);
        assert_eq!(describe(&partitions), "partitions orders-0, orders-2");
    }
}
