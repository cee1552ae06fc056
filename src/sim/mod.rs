//! The simulation core: a pure, deterministic model of a Kafka cluster. No UI, no wall clock, no
//! unseeded randomness; one file per Kafka concept.

pub mod command;
pub mod consumer;
pub mod engine;
pub mod error;
pub mod event;
pub mod ids;
pub mod log;
pub mod offsets;
pub mod partition;
pub mod partitioner;
pub mod placement;
pub mod producer;
pub mod scenario;
pub mod topic;
pub mod view;

pub use command::{Command, Outcome};
pub use consumer::{AutoOffsetReset, ConsumerConfig};
pub use engine::{Sim, SimConfig};
pub use error::SimError;
pub use event::{Event, TimedEvent};
pub use ids::{BrokerId, Offset, PartitionId};
pub use view::SimView;
