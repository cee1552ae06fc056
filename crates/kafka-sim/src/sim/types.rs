//! The engine's value types and limits: plain data that every concept module may use and that
//! depends on nothing else in the engine (the bottom layer of the import graph, with `ids` and
//! `ordered`).

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
