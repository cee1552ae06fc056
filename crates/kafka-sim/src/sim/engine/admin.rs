//! Topic administration, as `kafka-topics.sh` and `kafka-configs.sh` do it through the
//! controller: create and grow (with Kafka's placement, `placement.rs`, or a manual
//! assignment), delete, alter configs.
use crate::sim::broker::Broker;
use crate::sim::command::Outcome;
use crate::sim::engine::{Sim, unknown_topic};
use crate::sim::error::{ReplicaAssignmentError, SimError};
use crate::sim::event::Event;
use crate::sim::ids::{BrokerId, PartitionId};
use crate::sim::ordered::{Map, ValuesMut};
use crate::sim::partition::Partition;
use crate::sim::placement::{UsableBroker, check_manual_assignment, place, placement_rng};
use crate::sim::sender::PartState;
use crate::sim::topic::{
    DEFAULT_REPLICATION_FACTOR, Topic, names_collide, validate_partition_count, validate_topic_name,
};
use crate::sim::topic_config::TopicConfig;
use crate::sim::types::ProduceError;

/// Where a new topic's replicas go: counts for the controller to place at random, or a
/// manual assignment (each partition's replicas, preferred leader first).
pub(crate) enum Placement {
    Counts {
        partitions: i64,
        replication_factor: i64,
    },
    Manual(Vec<Vec<BrokerId>>),
}

impl Sim {
    /// `CreateTopics` as `ReplicationControlManager.createTopic` handles it: the name, then the
    /// replicas (placed, or the manual assignment checked), then the configs.
    pub(crate) fn create_topic(
        &mut self,
        name: String,
        placement: Placement,
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
        let assignment = match placement {
            Placement::Counts {
                partitions,
                replication_factor,
            } => {
                let count = validate_partition_count(partitions)?;
                let rf = match replication_factor {
                    -1 => DEFAULT_REPLICATION_FACTOR,
                    n if n < 1 => {
                        return Err(SimError::NonPositiveReplicationFactor { requested: n });
                    }
                    n => u32::try_from(n).unwrap_or(u32::MAX),
                };
                self.place(count, rf, true)?
            }
            Placement::Manual(assignment) => {
                validate_partition_count(assignment.len() as i64)?;
                self.check_manual_assignment(&assignment, 0, None)?;
                assignment
            }
        };
        let mut config = TopicConfig::default();
        for (key, value) in configs {
            config.set(key, Some(value))?;
        }
        let partitions = self.new_partitions(0, &assignment);
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

    /// Grows `name` to `partitions`: the new partitions on `manual` (their lists only), or
    /// placed by the controller (`ReplicationControlManager.createPartitions`).
    pub(crate) fn add_partitions(
        &mut self,
        name: &str,
        partitions: i64,
        manual: Option<Vec<Vec<BrokerId>>>,
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
        let assignment = match manual {
            Some(assignment) => {
                let additional = i64::from(total - current);
                if assignment.len() as i64 != additional {
                    return Err(SimError::InvalidReplicaAssignment(
                        ReplicaAssignmentError::AssignmentCountMismatch {
                            additional,
                            given: assignment.len(),
                        },
                    ));
                }
                self.check_manual_assignment(&assignment, current, Some(rf as usize))?;
                assignment
            }
            None => self.place(total - current, rf, false)?,
        };
        let added = self.new_partitions(current, &assignment);
        if let Some(topic) = self.topics.get_mut(name) {
            topic.partitions.extend(added);
        }
        self.emit(Event::PartitionsAdded {
            topic: name.to_owned(),
            assignment,
            from: current,
        });
        self.topic_changed(name);
        Ok(Outcome::Done)
    }

    /// The registered brokers as the controller sees them: fenced or not, with their racks.
    pub(crate) fn usable_brokers(&self) -> Vec<UsableBroker> {
        self.brokers
            .values()
            .map(|b| UsableBroker {
                id: b.id,
                rack: b.rack.clone(),
                fenced: b.is_fenced(),
            })
            .collect()
    }

    /// The replica lists of `count` new partitions, placed by the controller on the registered
    /// brokers (`StripedReplicaPlacer`): fenced brokers count and may hold followers; a crashed
    /// broker the controller has not fenced yet is still unfenced. The draws come from this
    /// placement's own stream (`placement_rng`).
    fn place(
        &self,
        count: u32,
        replication_factor: u32,
        new_topic: bool,
    ) -> Result<Vec<Vec<BrokerId>>, SimError> {
        let mut rng = placement_rng(self.seed, self.placements);
        place(&self.usable_brokers(), count, replication_factor, &mut rng).map_err(|reason| {
            SimError::InvalidReplicationFactor {
                replication_factor,
                reason,
                new_topic,
            }
        })
    }

    /// A manual assignment of the partitions from `first_partition` as the controller checks
    /// it against the registered brokers (`check_manual_assignment`).
    fn check_manual_assignment(
        &self,
        assignment: &[Vec<BrokerId>],
        first_partition: u32,
        replica_count: Option<usize>,
    ) -> Result<(), SimError> {
        let usable = self.usable_brokers();
        let broker = |id: BrokerId| usable.iter().find(|u| u.id == id);
        check_manual_assignment(
            assignment,
            first_partition,
            replica_count,
            |id| broker(id).is_some(),
            |id| broker(id).is_some_and(|u| !u.fenced),
        )
        .map_err(SimError::InvalidReplicaAssignment)
    }

    /// Partitions `first..` on `assignment`, as the controller registers them
    /// (`buildPartitionRegistration`): replicas on fenced brokers start outside the ISR. Counts
    /// the placement, so the next one draws from a stream of its own.
    fn new_partitions(&mut self, first: u32, assignment: &[Vec<BrokerId>]) -> Vec<Partition> {
        self.placements += 1;
        let fenced = |b: &BrokerId| self.brokers.get(b).is_some_and(Broker::is_fenced);
        assignment
            .iter()
            .zip(first..)
            .map(|(replicas, p)| {
                let isr = replicas.iter().copied().filter(|b| !fenced(b)).collect();
                Partition::new(PartitionId(p), replicas.clone(), isr, self.now_ms)
            })
            .collect()
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
        if key == "min.insync.replicas" {
            self.clear_elrs(name);
        }
        Ok(Outcome::Done)
    }
}
