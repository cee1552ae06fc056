//! Partition reassignments (`kafka-reassign-partitions.sh`, the Admin API's
//! `alterPartitionReassignments`), as the KRaft controller runs them
//! (`ReplicationControlManager.changePartitionReassignment` and
//! `.cancelPartitionReassignment`, `PartitionChangeBuilder`):
//!
//! 1. The replica list becomes the target followed by the replicas being removed; the new
//!    replicas are listed as adding, the leaving ones as removing (`reassignment.rs`).
//! 2. The adding replicas fetch from the leader like any follower and join the ISR once
//!    caught up.
//! 3. Once the ISR holds every replica that stays, the removing replicas are dropped with
//!    their logs; if the leader was one of them, a staying in-sync replica is elected, and
//!    otherwise the leader epoch is bumped, as Kafka bumps it whenever replicas leave.
//!
//! A move that adds nothing (a smaller replication factor, a new order) completes in the same
//! step. A second reassignment of a moving partition starts from its whole replica list; as in
//! Kafka, an empty adding or removing list leaves the earlier one in place. A cancelled
//! reassignment drops the replicas being added and keeps the others.
//!
//! Simplification: the controller checks whether a reassignment can complete at each tick
//! after the followers fetched, where Kafka checks at each ISR change.
use crate::sim::command::Outcome;
use crate::sim::engine::{Sim, unknown_topic};
use crate::sim::error::SimError;
use crate::sim::event::Event;
use crate::sim::ids::{BrokerId, PartitionId};
use crate::sim::ordered::sort_by_key;
use crate::sim::partition::Partition;
use crate::sim::placement::validate_replicas;
use crate::sim::reassignment::ReassignmentReplicas;
use crate::sim::replica::Replica;

/// Keeps `isr` in the order of `assignment`, as the playground's ISRs are kept.
fn in_assignment_order(p: &mut Partition) {
    let mut isr = std::mem::take(&mut p.isr);
    sort_by_key(&mut isr, |b| p.assignment.iter().position(|a| a == b));
    p.isr = isr;
}

impl Sim {
    /// The partition of a reassignment request, or Kafka's refusal
    /// (`ReplicationControlManager.alterPartitionReassignment`).
    fn reassigned(&self, topic: &str, partition: PartitionId) -> Result<&Partition, SimError> {
        let t = self.topic_ref(topic)?;
        t.partition(partition)
            .ok_or_else(|| SimError::InvalidReassignment {
                reason: format!("Unable to find partition {topic}:{partition}."),
            })
    }

    fn reassigned_mut(
        &mut self,
        topic: &str,
        partition: PartitionId,
    ) -> Result<&mut Partition, SimError> {
        self.topics
            .get_mut(topic)
            .and_then(|t| t.partition_mut(partition))
            .ok_or_else(|| unknown_topic(topic))
    }

    /// Starts moving a partition to `target` (`changePartitionReassignment`): the target is
    /// checked as any manual assignment, of any length, so the replication factor may change.
    pub(crate) fn reassign_partition(
        &mut self,
        topic: &str,
        partition: PartitionId,
        target: Vec<BrokerId>,
    ) -> Result<Outcome, SimError> {
        let current = self.reassigned(topic, partition)?;
        validate_replicas(&target, |b| self.brokers.contains_key(&b), None)
            .map_err(SimError::InvalidReplicaAssignment)?;
        let moving = ReassignmentReplicas::new(&current.assignment, &target);
        let before = current.reassignment();
        let p = self.reassigned_mut(topic, partition)?;
        for &broker in &moving.replicas {
            if p.replica(broker).is_none() {
                p.replicas.push(Replica::new(broker, 0));
            }
        }
        p.assignment = moving.replicas;
        if !moving.adding.is_empty() {
            p.adding_replicas = moving.adding;
        }
        if !moving.removing.is_empty() {
            p.removing_replicas = moving.removing;
        }
        in_assignment_order(p);
        if p.reassignment() != before {
            self.emit(Event::ReassignmentStarted {
                topic: topic.to_owned(),
                partition,
                target,
            });
        }
        self.complete_reassignment(topic, partition);
        Ok(Outcome::Done)
    }

    /// Completes every reassignment whose ISR allows it.
    pub(crate) fn complete_reassignments(&mut self) {
        // Completing is the controller's partition change: not while the metadata is frozen.
        if !self.quorum.has_majority() {
            return;
        }
        let moving: Vec<(String, PartitionId)> = self
            .topics
            .values()
            .flat_map(|t| {
                t.partitions
                    .iter()
                    .filter(|p| !p.adding_replicas.is_empty() || !p.removing_replicas.is_empty())
                    .map(|p| (t.name.clone(), p.id))
            })
            .collect();
        for (topic, partition) in moving {
            self.complete_reassignment(&topic, partition);
        }
    }

    /// `PartitionChangeBuilder.completeReassignmentIfNeeded`: drops the removing replicas once
    /// the ISR holds every replica that stays.
    fn complete_reassignment(&mut self, topic: &str, partition: PartitionId) {
        let Ok(p) = self.reassigned_mut(topic, partition) else {
            return;
        };
        let Some((replicas, isr)) = p.reassignment().completed(&p.isr) else {
            return;
        };
        p.adding_replicas.clear();
        p.removing_replicas.clear();
        self.settle_replicas(topic, partition, replicas.clone(), isr);
        self.emit(Event::ReassignmentCompleted {
            topic: topic.to_owned(),
            partition,
            replicas,
        });
    }

    /// `cancelPartitionReassignment` (the Admin API's `alterPartitionReassignments` with no
    /// target): the replicas being added go, the others stay. Refused when nothing is moving,
    /// and when no replica that stays is in sync unless the topic allows unclean elections.
    pub(crate) fn cancel_reassignment(
        &mut self,
        topic: &str,
        partition: PartitionId,
    ) -> Result<Outcome, SimError> {
        let p = self.reassigned(topic, partition)?;
        if p.adding_replicas.is_empty() && p.removing_replicas.is_empty() {
            return Err(SimError::InvalidReassignment {
                reason: "No partition reassignment is in progress.".to_owned(),
            });
        }
        let (replicas, isr, unclean) = p.reassignment().reverted(&p.isr);
        let unclean_allowed = self
            .topics
            .get(topic)
            .is_some_and(|t| t.config.unclean_leader_election_enable);
        if unclean && !unclean_allowed {
            return Err(SimError::InvalidReassignment {
                reason: format!(
                    "Unable to revert partition assignment for {topic}:{partition} because it would require an unclean leader election."
                ),
            });
        }
        let p = self.reassigned_mut(topic, partition)?;
        p.adding_replicas.clear();
        p.removing_replicas.clear();
        self.emit(Event::ReassignmentCancelled {
            topic: topic.to_owned(),
            partition,
            replicas: replicas.clone(),
        });
        self.settle_replicas(topic, partition, replicas.clone(), isr);
        // Kafka's revert puts the first replica in an ISR it would leave empty.
        if let Ok(p) = self.reassigned_mut(topic, partition)
            && p.isr.is_empty()
        {
            p.isr = replicas.into_iter().take(1).collect();
        }
        Ok(Outcome::Done)
    }

    /// Gives a partition its `replicas` and `isr` after a reassignment ended: the replicas
    /// that left are deleted with their logs, a leader that left (or fell out of the ISR) is
    /// replaced by an election, and a leader that stays starts a new epoch
    /// (`PartitionChangeBuilder.triggerLeaderEpochBumpForReplicaReassignmentIfNeeded`).
    fn settle_replicas(
        &mut self,
        topic: &str,
        partition: PartitionId,
        replicas: Vec<BrokerId>,
        isr: Vec<BrokerId>,
    ) {
        let running = self.eligible_brokers();
        let now = self.now_ms;
        let min_insync_replicas = self
            .topics
            .get(topic)
            .map_or(1, |t| t.config.min_insync_replicas);
        let Ok(p) = self.reassigned_mut(topic, partition) else {
            return;
        };
        let shrank = p.assignment.iter().any(|b| !replicas.contains(b));
        p.assignment = replicas;
        // The ELR keeps only replicas that stay (`PartitionChangeBuilder` rebuilds it with the
        // new replica list).
        let min_isr = (min_insync_replicas as usize).min(p.assignment.len());
        p.set_isr(isr, min_isr, None);
        p.last_known_elr.retain(|b| p.assignment.contains(b));
        in_assignment_order(p);
        let leader_stays = p
            .leader
            .is_some_and(|l| p.isr.contains(&l) && running.contains(&l));
        if leader_stays {
            if shrank {
                p.change_leader(p.leader, now);
            }
        } else {
            // The leaving leader's replica is still there, so the new leader starts from its
            // high watermark.
            self.elect_leader(topic, partition);
        }
        if let Ok(Partition {
            assignment,
            replicas,
            ..
        }) = self.reassigned_mut(topic, partition)
        {
            replicas.retain(|r| assignment.contains(&r.broker));
        }
        self.advance_high_watermark(topic, partition);
    }
}
