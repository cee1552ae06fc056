//! Topic administration, as `kafka-topics.sh` and `kafka-configs.sh` do it through the
//! controller: create (with Kafka's placement), delete, grow, alter configs.
//!
//! Simplification: new replicas are placed on running brokers only (Kafka's controller would
//! also use a crashed broker it has not fenced yet).
use crate::sim::command::Outcome;
use crate::sim::engine::{Sim, unknown_topic};
use crate::sim::error::SimError;
use crate::sim::event::Event;
use crate::sim::ids::{BrokerId, PartitionId};
use crate::sim::ordered::{Map, ValuesMut};
use crate::sim::partition::Partition;
use crate::sim::placement::assign_replicas;
use crate::sim::sender::PartState;
use crate::sim::topic::{
    DEFAULT_REPLICATION_FACTOR, Topic, names_collide, validate_partition_count, validate_topic_name,
};
use crate::sim::topic_config::TopicConfig;
use crate::sim::types::ProduceError;
use rand::Rng;

impl Sim {
    pub(crate) fn create_topic(
        &mut self,
        name: String,
        partitions: i64,
        replication_factor: i64,
        configs: &Map<String, String>,
    ) -> Result<Outcome, SimError> {
        validate_topic_name(&name)?;
        if self.topics.contains_key(&name) {
            return Err(SimError::TopicAlreadyExists { topic: name });
        }
        if let Some(existing) = self.topics.keys().find(|t| names_collide(t, &name)) {
            return Err(SimError::TopicCollides {
                topic: name,
                existing: existing.clone(),
            });
        }
        let count = validate_partition_count(partitions)?;
        let running: Vec<BrokerId> = self.eligible_brokers().into_iter().collect();
        let rf = match replication_factor {
            -1 => DEFAULT_REPLICATION_FACTOR,
            n if n < 1 => return Err(SimError::NonPositiveReplicationFactor { requested: n }),
            n => u32::try_from(n).unwrap_or(u32::MAX),
        };
        if rf > running.len() as u32 {
            return Err(SimError::InvalidReplicationFactor {
                requested: replication_factor,
                running: running.len() as u32,
            });
        }
        let mut config = TopicConfig::default();
        for (key, value) in configs {
            config.set(key, Some(value))?;
        }
        // Kafka draws a random start broker and a random follower shift for each new topic.
        let start = self.rng.random_range(0..running.len());
        let shift = self.rng.random_range(0..running.len());
        let assignment = assign_replicas(&running, 0, count, rf, start, shift);
        let now = self.now_ms;
        let partitions = assignment
            .iter()
            .zip(0..)
            .map(|(replicas, p)| Partition::new(PartitionId(p), replicas.clone(), now))
            .collect();
        self.topics.insert(
            name.clone(),
            Topic {
                name: name.clone(),
                config,
                partitions,
            },
        );
        self.emit(Event::TopicCreated {
            topic: name.clone(),
            assignment,
        });
        // Groups subscribed to the name (before it existed) now have partitions to share.
        self.topic_changed(&name);
        Ok(Outcome::Done)
    }

    pub(crate) fn delete_topic(&mut self, name: &str) -> Result<Outcome, SimError> {
        if self.topics.remove(name).is_none() {
            return Err(unknown_topic(name));
        }
        for producer in self.producers.values_mut() {
            producer.forget_topic(name);
        }
        // Requests waiting on the topic's partitions fail now, so nothing is later acknowledged
        // against a topic created again with the same name.
        for request in &mut self.in_flight {
            for part in request.parts.iter_mut().filter(|p| p.topic == name) {
                part.state = PartState::Done(Err(ProduceError::UnknownTopicOrPartition));
            }
        }
        self.offsets.remove_topic(name);
        for consumer in self.consumers.values_mut() {
            consumer.assigned.retain(|tp| tp.topic != name);
            consumer.positions.remove(name);
        }
        self.topic_changed(name);
        self.emit(Event::TopicDeleted {
            topic: name.to_owned(),
        });
        let orphaned: Vec<String> = self
            .generators
            .values()
            .filter(|g| g.topic == name)
            .map(|g| g.id.clone())
            .collect();
        for generator in orphaned {
            self.generators.remove(&generator);
            self.emit(Event::GeneratorStopped {
                generator,
                reason: format!("topic {name} was deleted"),
            });
        }
        Ok(Outcome::Done)
    }

    pub(crate) fn add_partitions(
        &mut self,
        name: &str,
        partitions: i64,
    ) -> Result<Outcome, SimError> {
        let topic = self.topic_ref(name)?;
        let current = topic.partitions.len() as u32;
        if partitions <= i64::from(current) {
            return Err(SimError::PartitionCountNotIncreased {
                topic: name.to_owned(),
                current,
                requested: partitions,
            });
        }
        let total = validate_partition_count(partitions)?;
        let rf = topic
            .partitions
            .first()
            .map_or(1, |p| p.assignment.len() as u32);
        let running: Vec<BrokerId> = self.eligible_brokers().into_iter().collect();
        if (running.len() as u32) < rf {
            return Err(SimError::InvalidReplicationFactor {
                requested: i64::from(rf),
                running: running.len() as u32,
            });
        }
        // Kafka continues from where partition 0's first replica sits.
        let start = topic
            .partitions
            .first()
            .and_then(|p| p.assignment.first())
            .and_then(|b| running.iter().position(|r| r == b))
            .unwrap_or(0);
        let shift = self.rng.random_range(0..running.len());
        let assignment = assign_replicas(&running, current, total - current, rf, start, shift);
        let now = self.now_ms;
        if let Some(topic) = self.topics.get_mut(name) {
            for (replicas, p) in assignment.iter().zip(current..) {
                topic
                    .partitions
                    .push(Partition::new(PartitionId(p), replicas.clone(), now));
            }
        }
        self.emit(Event::PartitionsAdded {
            topic: name.to_owned(),
            assignment,
            from: current,
        });
        self.topic_changed(name);
        Ok(Outcome::Done)
    }

    /// `kafka-configs.sh --alter` on a topic. Turning unclean.leader.election.enable on elects
    /// nothing at once: as in Kafka 4.x (KRaft), the controller's periodic check
    /// (`unclean.leader.election.interval.ms`, 5 minutes; `ControllerChecks`) brings offline
    /// partitions back (`ReplicationConfigs.UNCLEAN_LEADER_ELECTION_ENABLE_DOC`).
    pub(crate) fn alter_topic_config(
        &mut self,
        name: &str,
        key: &str,
        value: Option<&str>,
    ) -> Result<Outcome, SimError> {
        let mut config = self.topic_ref(name)?.config.clone();
        config.set(key, value)?;
        let shown = config.get(key).unwrap_or_default();
        if let Some(topic) = self.topics.get_mut(name) {
            topic.config = config;
        }
        self.emit(Event::TopicConfigChanged {
            topic: name.to_owned(),
            key: key.to_owned(),
            value: shown,
        });
        Ok(Outcome::Done)
    }
}
