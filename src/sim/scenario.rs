//! A scenario: the cluster, the seed and the commands that set a playground up. Replaying it
//! always gives the same state.

use crate::sim::command::Command;
use crate::sim::consumer::ConsumerConfig;
use crate::sim::engine::{Sim, SimConfig};
use crate::sim::error::SimError;
use crate::sim::generator::KeySet;
use crate::sim::producer::ProducerConfig;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub config: SimConfig,
    pub seed: u64,
    pub commands: Vec<Command>,
}

impl Scenario {
    /// What a learner sees first: three brokers, a topic `orders` with three partitions each on
    /// all three brokers, a producer with Kafka's defaults and one consumer reading the topic.
    pub fn starter() -> Scenario {
        Scenario {
            config: SimConfig::default(),
            seed: 42,
            commands: vec![
                Command::create_topic("orders", 3, 3),
                Command::AddProducer {
                    producer: "producer-1".into(),
                    config: ProducerConfig::default(),
                },
                Command::subscribe("consumer-1", "orders", ConsumerConfig::new("group-1")),
            ],
        }
    }

    /// The throughput benchmark's workload: three brokers, a topic `bench` with 12 partitions
    /// on all three (RF 3), and producer `bench` with Kafka's defaults (acks=all, idempotent)
    /// fed at `rate_per_sec` records/s, keys uniform over 1000.
    pub fn throughput(rate_per_sec: u64) -> Scenario {
        Scenario {
            config: SimConfig::default(),
            seed: 1,
            commands: vec![
                Command::create_topic("bench", 12, 3),
                Command::AddProducer {
                    producer: "bench".into(),
                    config: ProducerConfig::default(),
                },
                Command::StartGenerator {
                    generator: "load".into(),
                    producer: "bench".into(),
                    topic: "bench".into(),
                    rate_per_sec,
                    keys: KeySet::Uniform { count: 1000 },
                },
            ],
        }
    }

    /// A fresh simulation with every command applied; the first refused command stops it.
    pub fn build(&self) -> Result<Sim, SimError> {
        let mut sim = Sim::new(self.config.clone(), self.seed)?;
        for command in &self.commands {
            sim.apply(command.clone())?;
        }
        Ok(sim)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throughput_workload_gets_acknowledged() {
        let mut sim = Scenario::throughput(10_000).build().expect("valid");
        for _ in 0..20 {
            sim.tick();
            sim.drain_events();
        }
        let acked = sim.producer("bench").map_or(0, |p| p.stats.acknowledged);
        assert!(acked > 15_000, "{acked} of ~20000 acknowledged after 2 s");
    }

    #[test]
    fn starter_builds() {
        let sim = Scenario::starter()
            .build()
            .expect("the starter scenario is valid");
        let view = sim.view();
        assert_eq!(view.topics.len(), 1);
        assert_eq!(view.topics[0].partitions.len(), 3);
        assert_eq!(view.topics[0].replication_factor, 3);
        assert_eq!(view.producers.len(), 1);
        assert_eq!(view.consumers.len(), 1);
    }
}
