//! The controller's work: brokers joining, crashing, being fenced and coming back; leader
//! elections (`PartitionChangeBuilder.electLeader`): the current leader stays while valid,
//! else the first live in-sync replica in assignment order, else, only with
//! unclean.leader.election.enable, the first live replica at all (the ISR becomes just it and
//! what it lacks is lost), else the partition is offline; preferred-leader elections.
//!
//! Simplification: the active controller is the running broker with the lowest id (the KRaft
//! quorum itself is not modelled).
use crate::sim::broker::{Broker, BrokerStatus};
use crate::sim::command::Outcome;
use crate::sim::engine::{Sim, unknown_topic};
use crate::sim::error::SimError;
use crate::sim::event::{ElectionKind, Event};
use crate::sim::ids::{BrokerId, Offset, PartitionId};
use crate::sim::ordered::ValuesMut;
use crate::sim::partition::Partition;
use crate::sim::types::MAX_BROKERS;

impl Sim {
    pub(crate) fn add_broker(&mut self) -> Result<Outcome, SimError> {
        if self.brokers.len() >= MAX_BROKERS as usize {
            return Err(SimError::TooManyBrokers);
        }
        let id = BrokerId(self.brokers.last().map_or(1, |(b, _)| b.0 + 1));
        self.brokers.insert(
            id,
            Broker {
                id,
                status: BrokerStatus::Running,
            },
        );
        self.events
            .push(self.now_ms, Event::BrokerAdded { broker: id });
        self.update_controller();
        Ok(Outcome::BrokerAdded { broker: id })
    }

    fn broker_in(&self, id: BrokerId, wanted: &[&str], action: &str) -> Result<&Broker, SimError> {
        let broker = self
            .brokers
            .get(&id)
            .ok_or(SimError::UnknownBroker { broker: id })?;
        let state = match broker.status {
            BrokerStatus::Running => "running",
            BrokerStatus::Crashed { .. } => "crashed",
            BrokerStatus::Fenced => "fenced",
        };
        if wanted.contains(&state) {
            Ok(broker)
        } else {
            Err(SimError::BrokerState {
                broker: id,
                state: state.to_owned(),
                needed: wanted.join(" or "),
                action: action.to_owned(),
            })
        }
    }

    pub(crate) fn crash_broker(&mut self, id: BrokerId) -> Result<Outcome, SimError> {
        self.broker_in(id, &["running"], "crashed")?;
        if let Some(broker) = self.brokers.get_mut(&id) {
            broker.status = BrokerStatus::Crashed { at_ms: self.now_ms };
        }
        self.events.push(
            self.now_ms,
            Event::BrokerCrashed {
                broker: id,
                session_timeout_ms: self.config.broker_session_timeout_ms,
            },
        );
        self.update_controller();
        Ok(Outcome::Done)
    }

    pub(crate) fn restart_broker(&mut self, id: BrokerId) -> Result<Outcome, SimError> {
        let broker = self.broker_in(id, &["crashed", "fenced"], "restarted")?;
        // A restart registers a new incarnation: the controller fences the old one first.
        if matches!(broker.status, BrokerStatus::Crashed { .. }) {
            self.fence(id);
        }
        if let Some(broker) = self.brokers.get_mut(&id) {
            broker.status = BrokerStatus::Running;
        }
        self.events
            .push(self.now_ms, Event::BrokerRestarted { broker: id });
        self.update_controller();
        // Partitions that were waiting for this broker may have a leader again.
        for (topic, p) in self.partitions_on(id) {
            if self.leader_of(&topic, p).is_none() {
                self.elect_leader(&topic, p);
            }
        }
        Ok(Outcome::Done)
    }

    pub(crate) fn decommission_broker(&mut self, id: BrokerId) -> Result<Outcome, SimError> {
        self.broker_in(id, &["running", "crashed", "fenced"], "decommissioned")?;
        let holding = self.partitions_on(id);
        if !holding.is_empty() {
            let names: Vec<String> = holding.iter().map(|(t, p)| format!("{t}-{p}")).collect();
            return Err(SimError::BrokerHoldsReplicas {
                broker: id,
                partitions: names.join(", "),
            });
        }
        self.brokers.remove(&id);
        self.events
            .push(self.now_ms, Event::BrokerDecommissioned { broker: id });
        self.update_controller();
        Ok(Outcome::Done)
    }

    /// (topic, partition index) of every partition with a replica on `broker`.
    pub(crate) fn partitions_on(&self, broker: BrokerId) -> Vec<(String, usize)> {
        self.topics
            .values()
            .flat_map(|t| {
                t.partitions
                    .iter()
                    .enumerate()
                    .filter(move |(_, p)| p.replicas.iter().any(|r| r.broker == broker))
                    .map(move |(i, _)| (t.name.clone(), i))
            })
            .collect()
    }

    fn leader_of(&self, topic: &str, p: usize) -> Option<BrokerId> {
        self.topics.get(topic)?.partitions.get(p)?.leader
    }

    /// The controller fences brokers whose heartbeats stopped broker.session.timeout.ms ago.
    pub(crate) fn fence_silent_brokers(&mut self) {
        let timeout = self.config.broker_session_timeout_ms;
        let silent: Vec<BrokerId> = self
            .brokers
            .values()
            .filter(|b| {
                matches!(b.status, BrokerStatus::Crashed { at_ms } if self.now_ms.saturating_sub(at_ms) >= timeout)
            })
            .map(|b| b.id)
            .collect();
        for id in silent {
            self.fence(id);
        }
    }

    /// Fences a broker: it leaves every ISR (except as the last member, which Kafka keeps) and
    /// its partitions elect new leaders.
    fn fence(&mut self, id: BrokerId) {
        if let Some(broker) = self.brokers.get_mut(&id) {
            broker.status = BrokerStatus::Fenced;
        }
        self.events
            .push(self.now_ms, Event::BrokerFenced { broker: id });
        for (topic, p) in self.partitions_on(id) {
            let Some(partition) = self
                .topics
                .get_mut(&topic)
                .and_then(|t| t.partitions.get_mut(p))
            else {
                continue;
            };
            if partition.isr.len() > 1 && partition.in_isr(id) {
                partition.isr.retain(|b| *b != id);
                let isr = partition.isr.clone();
                self.events.push(
                    self.now_ms,
                    Event::IsrShrunk {
                        topic: topic.clone(),
                        partition: PartitionId(p as u32),
                        broker: id,
                        isr,
                        reason: "was fenced by the controller".to_owned(),
                    },
                );
            }
            if self.leader_of(&topic, p) == Some(id) {
                self.elect_leader(&topic, p);
            }
            self.advance_high_watermark(&topic, p);
        }
    }

    /// Chooses a leader for a partition whose leader is gone (or that is offline), as Kafka's
    /// controller does.
    pub(crate) fn elect_leader(&mut self, topic_name: &str, p: usize) {
        let running = self.eligible_brokers();
        let now = self.now_ms;
        let Some(topic) = self.topics.get_mut(topic_name) else {
            return;
        };
        let unclean_allowed = topic.config.unclean_leader_election_enable;
        let Some(partition) = topic.partitions.get_mut(p) else {
            return;
        };
        let previous = partition.leader;
        if previous.is_some_and(|l| running.contains(&l) && partition.in_isr(l)) {
            return;
        }
        let clean = partition
            .assignment
            .iter()
            .copied()
            .find(|b| partition.in_isr(*b) && running.contains(b));
        let unclean = || {
            partition
                .assignment
                .iter()
                .copied()
                .find(|b| running.contains(b) && partition.replica(*b).is_some())
        };
        let (leader, kind) = match (clean, unclean_allowed) {
            (Some(leader), _) => (Some(leader), ElectionKind::Clean),
            (None, true) => match unclean() {
                Some(leader) => (Some(leader), ElectionKind::Unclean),
                None => (None, ElectionKind::Clean),
            },
            (None, false) => (None, ElectionKind::Clean),
        };
        if leader.is_none() && previous.is_none() {
            return;
        }
        let mut lost = None;
        if let (Some(new), ElectionKind::Unclean) = (leader, kind) {
            if let Some((holder, from, to)) = unclean_loss(partition, new) {
                let committed = partition
                    .high_watermark()
                    .0
                    .min(to.0)
                    .saturating_sub(from.0);
                partition.lost_records += to.0 - from.0;
                lost = Some(Event::RecordsLost {
                    topic: topic_name.to_owned(),
                    partition: PartitionId(p as u32),
                    broker: holder,
                    from,
                    to,
                    committed,
                });
            }
            partition.isr = vec![new];
        }
        partition.change_leader(leader, now);
        let epoch = partition.leader_epoch;
        self.events.push(
            now,
            Event::LeaderElected {
                topic: topic_name.to_owned(),
                partition: PartitionId(p as u32),
                from: previous,
                to: leader,
                epoch,
                kind,
            },
        );
        if let Some(lost) = lost {
            self.events.push(now, lost);
        }
        self.advance_high_watermark(topic_name, p);
    }

    /// Moves leadership back to each partition's preferred (first assigned) replica where it is
    /// alive and in sync.
    pub(crate) fn elect_preferred_leaders(
        &mut self,
        topic: Option<&str>,
    ) -> Result<Outcome, SimError> {
        if let Some(topic) = topic
            && !self.topics.contains_key(topic)
        {
            return Err(unknown_topic(topic));
        }
        let running = self.eligible_brokers();
        let now = self.now_ms;
        for t in self
            .topics
            .values_mut()
            .filter(|t| topic.is_none_or(|name| name == t.name))
        {
            for partition in &mut t.partitions {
                let Some(&preferred) = partition.assignment.first() else {
                    continue;
                };
                if partition.leader != Some(preferred)
                    && running.contains(&preferred)
                    && partition.in_isr(preferred)
                {
                    let previous = partition.leader;
                    partition.change_leader(Some(preferred), now);
                    self.events.push(
                        now,
                        Event::LeaderElected {
                            topic: t.name.clone(),
                            partition: partition.id,
                            from: previous,
                            to: Some(preferred),
                            epoch: partition.leader_epoch,
                            kind: ElectionKind::Preferred,
                        },
                    );
                }
            }
        }
        Ok(Outcome::Done)
    }

    /// The active controller is the running broker with the lowest id.
    fn update_controller(&mut self) {
        let controller = self.brokers.values().find(|b| b.is_running()).map(|b| b.id);
        if controller != self.controller {
            self.events.push(
                self.now_ms,
                Event::ControllerMoved {
                    from: self.controller,
                    to: controller,
                },
            );
            self.controller = controller;
        }
    }
}

/// What an unclean election to `new_leader` throws away: every other replica's records from
/// the point where its log stops agreeing with the new leader's (by leader epoch, as the
/// followers' truncation will find it), up to its end. Returns the replica that held the most,
/// and the offset range lost; `None` when no replica had anything the new leader lacks.
fn unclean_loss(partition: &Partition, new_leader: BrokerId) -> Option<(BrokerId, Offset, Offset)> {
    let leader_log = &partition.replica(new_leader)?.log;
    let mut from: Option<Offset> = None;
    let mut holder: Option<(BrokerId, Offset)> = None;
    for replica in partition.replicas.iter().filter(|r| r.broker != new_leader) {
        let end = replica.log.end_offset();
        let divergence = replica.log.divergence_from(leader_log);
        if end <= divergence {
            continue;
        }
        from = Some(from.map_or(divergence, |f| f.min(divergence)));
        if holder.is_none_or(|(_, most)| end > most) {
            holder = Some((replica.broker, end));
        }
    }
    let (broker, to) = holder?;
    Some((broker, from?, to))
}
