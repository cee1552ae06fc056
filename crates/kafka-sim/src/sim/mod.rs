//! The simulation core: a pure, deterministic model of a Kafka cluster. No UI, no wall clock, no
//! unseeded randomness; one file per Kafka concept.

pub mod admin;
pub mod assignor;
pub mod broker;
pub mod command;
pub mod consumer;
pub mod controller;
pub mod engine;
pub mod error;
pub mod event;
pub mod generator;
pub mod group;
pub mod ids;
pub mod log;
pub mod offsets;
pub mod ordered;
pub mod partition;
pub mod partitioner;
pub mod placement;
pub mod produce;
pub mod producer;
pub mod replica;
pub mod replication;
pub mod retention;
pub mod scenario;
pub mod sender;
pub mod timeline;
pub mod topic;
pub mod topic_config;
pub mod transaction;
pub mod view;

pub use command::{Command, Outcome};
pub use consumer::{AutoOffsetReset, ConsumerConfig, IsolationLevel, Subscription};
pub use engine::{Sim, SimConfig};
pub use error::SimError;
pub use event::{Event, TimedEvent};
pub use ids::{BrokerId, LeaderEpoch, Offset, PartitionId};
pub use producer::{Acks, ProducerConfig};
pub use view::SimView;
