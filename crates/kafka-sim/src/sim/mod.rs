//! The simulation core: a pure, deterministic model of a Kafka cluster. No UI, no wall clock, no
//! unseeded randomness. In layers, each importing only from the layers below it:
//!
//! - Values: `ids.rs` (newtypes for broker ids, partition numbers, offsets, leader epochs),
//!   `ordered.rs` (the sorted-vector maps and sets the state is made of), `chunked.rs` (a
//!   vector in chunks that copies share: the logs' records), `types.rs` (limits),
//!   `names.rs` (Kafka's names of the config enums' values, one table per enum), `error.rs` (why
//!   a command was refused, in words a form can show).
//! - Concepts, one file each, with their data and their behaviour over that data:
//!   `assignor.rs` (range, roundrobin, sticky, cooperative-sticky, as pure functions),
//!   `broker.rs`, `network.rs` (a broker slow, or cut off from the controller or the clients,
//!   and the acknowledged records such faults lose), `zombie.rs` (a leader cut off from the
//!   controller that goes on leading), `log.rs` (records, segments, the leader-epoch cache, compaction),
//!   `replica.rs`, `partition.rs` (replicas, leader, ISR, high watermark, fetches),
//!   `eligible_leaders.rs` (KIP-966's ELR and last known leader),
//!   `partitioner.rs` (murmur2, sticky, round robin), `placement.rs` (where a topic's replicas
//!   go), `assign_replicas.rs` (the reassign tool's proposals), `reassignment.rs` (a
//!   partition's replicas while they move), `topic.rs` and `topic_config.rs`, `producer.rs` (settings, partitioner state, record
//!   accumulator), `generator.rs` (rate generators and their keys), `sender.rs` (a produce
//!   request and its parts), `transaction.rs`, `consumer.rs` (a consumer as a state machine),
//!   `coordinator/` (consumer groups and their coordinator: what both protocols share,
//!   `classic.rs`, `consumer_protocol.rs` for KIP-848), `offsets.rs` (committed offsets),
//!   `offsets_topic.rs` (`__consumer_offsets`' partitions, whose leaders are the coordinators),
//!   `metrics.rs` (Kafka's JMX metrics: the brokers' meters, readings and the Metrics tab's rows),
//!   `kraft/` (the controller quorum: Raft elections of the active controller and its
//!   metadata log),
//!   `command.rs` (what a learner asks for), `event.rs` (what happened, each variant
//!   documented, in sections) and `event_text.rs` (the event log's words for each).
//! - The engine (`engine/`): `Sim`, the state and the clock, routing commands and requests
//!   between the concepts.
//! - Over the engine: `view.rs` (the read-only summary the page draws), `scenario.rs` (the
//!   setups a playground starts from), `timeline.rs` (time travel: snapshots and replays).

pub mod assign_replicas;
pub mod assignor;
pub mod broker;
pub mod chunked;
pub mod command;
pub mod consumer;
pub mod consumer_membership;
pub mod coordinator;
pub mod eligible_leaders;
pub mod engine;
pub mod error;
pub mod event;
pub mod event_text;
pub mod generator;
pub mod ids;
pub mod kraft;
pub mod log;
pub mod metrics;
pub mod names;
pub mod network;
pub mod offsets;
pub mod offsets_topic;
pub mod ordered;
pub mod partition;
pub mod partitioner;
pub mod placement;
pub mod producer;
pub mod reassignment;
pub mod replica;
pub mod scenario;
pub mod sender;
pub mod timeline;
pub mod topic;
pub mod topic_config;
pub mod transaction;
pub mod types;
pub mod view;
pub mod zombie;

pub use command::{Command, Outcome};
pub use engine::{Sim, SimConfig};
pub use error::SimError;
pub use event::{Event, TimedEvent};
pub use ids::{BrokerId, LeaderEpoch, Offset, PartitionId};
pub use types::{
    Acks, AutoOffsetReset, ConsumerConfig, IsolationLevel, ProducerConfig, Subscription,
};
pub use view::SimView;
