//! A scenario: the cluster, the seed and the commands that set a playground up. Replaying it
//! always gives the same state.

use crate::sim::command::Command;
use crate::sim::consumer::ConsumerConfig;
use crate::sim::engine::{Sim, SimConfig};
use crate::sim::error::SimError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub config: SimConfig,
    pub seed: u64,
    pub commands: Vec<Command>,
}

impl Scenario {
    /// What a learner sees first: three brokers, a topic `orders` with three partitions and one
    /// consumer reading it.
    pub fn starter() -> Scenario {
        Scenario {
            config: SimConfig::default(),
            seed: 42,
            commands: vec![
                Command::CreateTopic {
                    name: "orders".into(),
                    partitions: 3,
                },
                Command::AddConsumer {
                    consumer: "consumer-1".into(),
                    topic: "orders".into(),
                    config: ConsumerConfig::new("group-1"),
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
    fn starter_builds() {
        let sim = Scenario::starter()
            .build()
            .expect("the starter scenario is valid");
        let view = sim.view();
        assert_eq!(view.topics.len(), 1);
        assert_eq!(view.topics[0].partitions.len(), 3);
        assert_eq!(view.consumers.len(), 1);
    }
}
