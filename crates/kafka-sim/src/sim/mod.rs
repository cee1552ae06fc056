//! The simulation core: a pure, deterministic model of a Kafka cluster. No UI, no wall clock, no
//! unseeded randomness; one file per Kafka concept.

pub mod assignor;
pub mod broker;
pub mod command;
pub mod consumer;
pub mod coordinator;
pub mod engine;
pub mod error;
pub mod event;
pub mod event_text;
pub mod generator;
pub mod ids;
pub mod log;
pub mod names;
pub mod offsets;
pub mod ordered;
pub mod partition;
pub mod partitioner;
pub mod placement;
pub mod producer;
pub mod replica;
pub mod scenario;
pub mod sender;
pub mod timeline;
pub mod topic;
pub mod topic_config;
pub mod transaction;
pub mod types;
pub mod view;

pub use command::{Command, Outcome};
pub use consumer::{AutoOffsetReset, ConsumerConfig, IsolationLevel, Subscription};
pub use engine::{Sim, SimConfig};
pub use error::SimError;
pub use event::{Event, TimedEvent};
pub use ids::{BrokerId, LeaderEpoch, Offset, PartitionId};
pub use producer::{Acks, ProducerConfig};
pub use view::SimView;
