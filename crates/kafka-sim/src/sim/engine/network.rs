//! The engine's side of `network.rs`: the fault commands (slow, isolate, heal), where a
//! producer sends a partition's batches (to a zombie it has not heard is deposed, until its
//! metadata is refreshed), and the acknowledged records a truncation loses.
use crate::sim::broker::{Broker, BrokerStatus};
use crate::sim::command::Outcome;
use crate::sim::engine::Sim;
use crate::sim::error::SimError;
use crate::sim::event::Event;
use crate::sim::ids::{BrokerId, Offset, PartitionId};
use crate::sim::log::Record;
use crate::sim::network::{Isolation, METADATA_MAX_AGE_MS};
use crate::sim::partition::Partition;
use crate::sim::producer::Producer;
use crate::sim::types::{Acks, ProduceError};
use std::sync::Arc;

impl Sim {
    pub(crate) fn slow_broker(&mut self, id: BrokerId) -> Result<Outcome, SimError> {
        let broker = self.broker_mut(id)?;
        if broker.faults.slow {
            return Err(fault(id, "is already slow"));
        }
        broker.faults.slow = true;
        self.emit(Event::BrokerSlowed { broker: id });
        Ok(Outcome::Done)
    }

    pub(crate) fn isolate_broker(
        &mut self,
        id: BrokerId,
        from: Isolation,
    ) -> Result<Outcome, SimError> {
        let now = self.now_ms;
        let faults = &mut self.broker_mut(id)?.faults;
        match from {
            Isolation::Controller if faults.cut_from_controller_at_ms.is_some() => {
                return Err(fault(id, "is already cut off from the controller"));
            }
            Isolation::Clients if faults.cut_from_clients => {
                return Err(fault(id, "is already cut off from the clients"));
            }
            Isolation::Controller => faults.cut_from_controller_at_ms = Some(now),
            Isolation::Clients => faults.cut_from_clients = true,
        }
        self.emit(Event::BrokerIsolated { broker: id, from });
        Ok(Outcome::Done)
    }

    /// Ends a broker's faults. Fenced while cut off, it is unfenced (its heartbeats arrive
    /// again) and the offline partitions waiting for it elect it.
    pub(crate) fn heal_broker(&mut self, id: BrokerId) -> Result<Outcome, SimError> {
        // A broker fenced while cut off comes back through the controller, which unfences it.
        // Simplification: with no controller to do so, the heal is refused (Kafka's broker
        // would reconnect and wait, fenced, for one).
        if self
            .brokers
            .get(&id)
            .is_some_and(|b| b.status == BrokerStatus::FencedRunning)
        {
            self.need_controller("unfence the healed broker")?;
        }
        let broker = self.broker_mut(id)?;
        if !broker.faults.any() {
            return Err(fault(id, "has no fault to heal"));
        }
        broker.faults = Default::default();
        let unfenced = broker.status == BrokerStatus::FencedRunning;
        if unfenced {
            broker.status = BrokerStatus::Running;
        }
        self.emit(Event::BrokerHealed {
            broker: id,
            unfenced,
        });
        if unfenced {
            self.elect_where_waiting(id);
        }
        Ok(Outcome::Done)
    }

    fn broker_mut(&mut self, id: BrokerId) -> Result<&mut Broker, SimError> {
        self.brokers
            .get_mut(&id)
            .ok_or(SimError::UnknownBroker { broker: id })
    }

    /// Since when `broker` is cut off from the controller with its process up.
    pub(crate) fn cut_from_controller_at(&self, broker: BrokerId) -> Option<u64> {
        self.brokers
            .get(&broker)
            .and_then(Broker::cut_from_controller_at_ms)
    }

    /// Whether producers and consumers can talk to `broker`.
    pub(crate) fn reachable_by_clients(&self, broker: BrokerId) -> bool {
        self.brokers
            .get(&broker)
            .is_some_and(Broker::reachable_by_clients)
    }

    /// The broker `producer` sends `partition`'s batches to: a zombie leader if the controller
    /// moved the leadership away after the producer's last metadata refresh (nothing has told
    /// it: the zombie answers as the leader), else the controller's leader.
    pub(crate) fn producer_leader(
        &self,
        producer: &Producer,
        partition: &Partition,
    ) -> Option<BrokerId> {
        let zombie = partition.replicas.iter().find_map(|r| {
            let led =
                partition.zombie_leadership(r.broker, self.cut_from_controller_at(r.broker))?;
            (led.until_ms > producer.metadata_refreshed_ms).then_some(r.broker)
        });
        zombie.or(partition.leader)
    }

    /// Producers refresh their metadata every `metadata.max.age.ms`, and at once when the
    /// zombie they would send a batch to cannot be reached (the failed connection asks for an
    /// update, `NetworkClient.handleServerDisconnect`).
    pub(crate) fn refresh_stale_metadata(&mut self) {
        let now = self.now_ms;
        let unreachable_zombies = self
            .brokers
            .values()
            .any(|b| b.cut_from_controller_at_ms().is_some() && !b.reachable_by_clients());
        let stranded = |producer: &Producer| {
            unreachable_zombies
                && producer.queues.iter().any(|(topic, queues)| {
                    queues.iter().any(|(partition, queue)| {
                        !queue.is_empty()
                            && self
                                .partition(topic, *partition)
                                .and_then(|p| self.producer_leader(producer, p))
                                .is_some_and(|b| {
                                    !self.reachable_by_clients(b)
                                        && self.cut_from_controller_at(b).is_some()
                                })
                    })
                })
        };
        let due: Vec<String> = self
            .producers
            .values()
            .filter(|p| {
                now >= p.metadata_refreshed_ms.saturating_add(METADATA_MAX_AGE_MS) || stranded(p)
            })
            .map(|p| p.id.clone())
            .collect();
        for id in due {
            if let Some(producer) = self.producers.get_mut(&id) {
                producer.metadata_refreshed_ms = now;
            }
        }
    }

    /// A replica of `topic`-`partition` on `broker` truncated `removed`, its high watermark
    /// having been `high_watermark`: the records their producers had been told were written
    /// (acks=1, or acks=all below that high watermark) are counted once and reported.
    pub(crate) fn count_acknowledged_losses(
        &mut self,
        topic: &str,
        partition: PartitionId,
        broker: BrokerId,
        removed: &[Arc<Record>],
        high_watermark: Offset,
    ) {
        let producers = &self.producers;
        let acknowledged = |record: &Record| {
            record.control.is_none()
                && match producers
                    .get(record.producer.as_ref())
                    .map(|p| p.config.acks)
                {
                    Some(Acks::Leader) => true,
                    Some(Acks::All) => record.offset < high_watermark,
                    Some(Acks::None) | None => false,
                }
        };
        let Some(p) = self
            .topics
            .get_mut(topic)
            .and_then(|t| t.partition_mut(partition))
        else {
            return;
        };
        if let Some((records, from, to)) = p.acknowledged_losses.count(removed, acknowledged) {
            self.emit(Event::AcknowledgedRecordsLost {
                topic: topic.to_owned(),
                partition,
                broker,
                records,
                from,
                to,
            });
        }
    }
}

/// The errors after which Kafka's producer asks for a metadata update at once: invalid
/// metadata (`Sender.completeBatch`), and a broken or timed-out connection
/// (`NetworkClient.handleServerDisconnect`).
pub(crate) fn refreshes_metadata(error: &ProduceError) -> bool {
    matches!(
        error,
        ProduceError::NotLeaderOrFollower { .. }
            | ProduceError::NetworkException { .. }
            | ProduceError::RequestTimedOut
            | ProduceError::UnknownTopicOrPartition
    )
}

fn fault(broker: BrokerId, reason: &str) -> SimError {
    SimError::BrokerFault {
        broker,
        reason: reason.to_owned(),
    }
}
