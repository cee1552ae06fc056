//! A broker leaving the ISRs, as `ReplicationControlManager.generateLeaderAndIsrUpdates` takes
//! it out: fenced after a crash, in a controlled shutdown (`handleBrokerInControlledShutdown`),
//! or back from an unclean shutdown (`handleBrokerShutdown`, which also takes it out of the
//! ELRs); with the eligible leader replicas (`eligible_leaders.rs`) that follow, and the ELRs a
//! min.insync.replicas change clears.
//!
//! Simplification: a controlled shutdown is one step. Kafka's broker asks in its heartbeats,
//! the controller moves the leaderships, and the broker stops once it leads nothing; here the
//! broker stops at once, after the controller's moves.
use crate::sim::broker::BrokerStatus;
use crate::sim::command::Outcome;
use crate::sim::engine::Sim;
use crate::sim::error::SimError;
use crate::sim::event::Event;
use crate::sim::ids::{BrokerId, PartitionId};
use crate::sim::types::TopicPartition;

/// Why a broker leaves the ISRs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Leaving {
    Fenced,
    ControlledShutdown,
    /// Restarting after a crash: it leaves the ELRs too.
    UncleanShutdown,
}

impl Sim {
    /// `Command::ShutDownBroker`: the broker stops taking leaderships and ISR places, the
    /// controller moves what it led to other in-sync replicas and takes it out of every ISR,
    /// then it stops, clean (`BrokerStatus::Stopped`).
    pub(crate) fn shut_down_broker(&mut self, id: BrokerId) -> Result<Outcome, SimError> {
        let broker = self.broker_in(id, &["running"], "shut down")?;
        if broker.faults.cut_from_controller_at_ms.is_some() {
            return Err(SimError::BrokerFault {
                broker: id,
                reason: "is cut off from the controller, so a controlled shutdown cannot reach it; heal it first (or crash it)".to_owned(),
            });
        }
        self.emit(Event::BrokerShutDown { broker: id });
        if let Some(broker) = self.brokers.get_mut(&id) {
            broker.status = BrokerStatus::Stopped;
        }
        self.leave_partitions(id, Leaving::ControlledShutdown);
        Ok(Outcome::Done)
    }

    /// `broker` leaves the ISR of each partition it is in (and the ELRs after an unclean
    /// shutdown), reported with the ELRs that change; the partitions it led elect new leaders,
    /// and `__consumer_offsets` follows (unreported).
    pub(crate) fn leave_partitions(&mut self, broker: BrokerId, why: Leaving) {
        let unclean = why == Leaving::UncleanShutdown;
        for TopicPartition {
            topic,
            partition: p,
        } in self.partitions_on(broker)
        {
            let min_isr = self.replication_settings(&topic).min_insync_replicas;
            let Some(partition) = self.topics.get_mut(&topic).and_then(|t| t.partition_mut(p))
            else {
                continue;
            };
            let min_isr = partition.effective_min_isr(min_isr);
            let (left, elr_changed) = partition.remove_from_isr(broker, min_isr, unclean);
            let (isr, elr, led) = (
                partition.isr.clone(),
                partition.elr.clone(),
                partition.leader == Some(broker),
            );
            if left {
                let reason = match why {
                    Leaving::Fenced => "was fenced by the controller",
                    Leaving::ControlledShutdown => "is shutting down (controlled shutdown)",
                    Leaving::UncleanShutdown => "restarted after an unclean shutdown",
                };
                self.emit(Event::IsrShrunk {
                    topic: topic.clone(),
                    partition: p,
                    broker,
                    isr,
                    reason: reason.to_owned(),
                });
            }
            if elr_changed {
                let reason = if unclean {
                    format!(
                        "broker {broker} restarted after an unclean shutdown (a crash), so its log may have lost records and it may no longer lead"
                    )
                } else {
                    below_min_isr(broker, min_isr)
                };
                self.report_elr(&topic, p, elr, reason);
            }
            if led {
                self.elect_leader(&topic, p);
            }
            self.advance_high_watermark(&topic, p);
        }
        self.leave_offsets_topic(broker, unclean);
    }

    /// Reports partition `p`'s ELR, now `elr`.
    pub(crate) fn report_elr(
        &mut self,
        topic: &str,
        p: PartitionId,
        elr: Vec<BrokerId>,
        reason: String,
    ) {
        self.emit(Event::ElrChanged {
            topic: topic.to_owned(),
            partition: p,
            elr,
            reason,
        });
    }

    /// A topic's min.insync.replicas changed: the controller clears its partitions' ELRs and
    /// last known leaders.
    pub(crate) fn clear_elrs(&mut self, topic: &str) {
        let Some(t) = self.topics.get_mut(topic) else {
            return;
        };
        let cleared: Vec<PartitionId> = t
            .partitions
            .iter_mut()
            .filter_map(|p| p.clear_elr().then_some(p.id))
            .collect();
        for p in cleared {
            let reason = "min.insync.replicas changed, so the controller cleared them".to_owned();
            self.report_elr(topic, p, Vec::new(), reason);
        }
    }
}

/// Why `broker` joined the ELR on leaving an ISR below `min_isr`.
pub(crate) fn below_min_isr(broker: BrokerId, min_isr: usize) -> String {
    format!(
        "broker {broker} left the ISR while it was below min.insync.replicas ({min_isr}), so it still holds every committed record and may lead if the ISR empties"
    )
}
