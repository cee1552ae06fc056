//! The engine's side of `transaction.rs`: the `Sim` methods that route commands and the clock to it.
use crate::sim::command::Outcome;
use crate::sim::engine::Sim;
use crate::sim::error::SimError;
use crate::sim::event::Event;
use crate::sim::ids::Offset;
use crate::sim::ids::PartitionId;
use crate::sim::log::{Control, Record};
use crate::sim::ordered::Set;
use crate::sim::partition::AbortedTransaction;
use crate::sim::partitioner::PartitionChoice;
use crate::sim::producer::Producer;
use crate::sim::transaction::{Ending, TransactionState};
use crate::sim::types::TopicPartition;
use std::sync::Arc;

impl Sim {
    fn transactional(&mut self, producer: &str) -> Result<&mut Producer, SimError> {
        let client = self
            .producers
            .get_mut(producer)
            .ok_or_else(|| SimError::UnknownProducer {
                producer: producer.to_owned(),
            })?;
        if client.config.transactional_id.is_none() {
            return Err(SimError::NotTransactional {
                producer: producer.to_owned(),
            });
        }
        Ok(client)
    }

    pub(crate) fn begin_transaction(&mut self, producer: &str) -> Result<Outcome, SimError> {
        let client = self.transactional(producer)?;
        if client.transaction != TransactionState::Ready {
            return Err(SimError::TransactionState {
                producer: producer.to_owned(),
                reason: "a transaction is already open or ending; commit or abort it first"
                    .to_owned(),
            });
        }
        client.transaction = TransactionState::Open {
            partitions: Set::new(),
        };
        self.emit(Event::TransactionBegun {
            producer: producer.to_owned(),
        });
        Ok(Outcome::Done)
    }

    /// `commitTransaction()` or `abortTransaction()`. An abort drops the batches not yet sent.
    pub(crate) fn end_transaction(
        &mut self,
        producer: &str,
        outcome: Control,
    ) -> Result<Outcome, SimError> {
        let client = self.transactional(producer)?;
        if !matches!(client.transaction, TransactionState::Open { .. }) {
            return Err(SimError::TransactionState {
                producer: producer.to_owned(),
                reason: "no transaction is open; call beginTransaction() first".to_owned(),
            });
        }
        let TransactionState::Open { partitions } = std::mem::take(&mut client.transaction) else {
            return Ok(Outcome::Done);
        };
        if outcome == Control::Abort {
            let dropped = client.buffered_records();
            client.queues.clear();
            client.stats.failed += dropped as u64;
        } else {
            client.flushing = true;
        }
        client.transaction = TransactionState::Ending {
            outcome,
            partitions,
        };
        Ok(Outcome::Done)
    }

    /// Notes that a transactional producer sent a record to a partition.
    pub(crate) fn add_to_transaction(
        &mut self,
        producer: &str,
        topic: &str,
        partition: PartitionId,
    ) {
        if let Some(client) = self.producers.get_mut(producer)
            && let TransactionState::Open { partitions } = &mut client.transaction
        {
            partitions.insert(TopicPartition::new(topic, partition));
        }
    }

    /// Ends the transactions whose producers have no batch left waiting or in flight: the
    /// partition leaders append the markers, and aborted ranges are remembered.
    pub(crate) fn complete_transactions(&mut self) {
        let now = self.now_ms;
        let ending: Vec<Ending> = self
            .producers
            .values()
            .filter_map(|p| match &p.transaction {
                TransactionState::Ending {
                    outcome,
                    partitions,
                } if p.buffered_records() == 0
                    && !self.in_flight.iter().any(|r| r.producer == p.id) =>
                {
                    Some((p.id.clone(), *outcome, partitions.clone()))
                }
                _ => None,
            })
            .collect();
        for (producer, outcome, partitions) in ending {
            let Some(pid) = self.producers.get(&producer).and_then(|p| p.producer_id) else {
                continue;
            };
            // Every touched partition needs a running leader to append its marker.
            let running = self.eligible_brokers();
            let ready = partitions.iter().all(|tp| {
                self.topics
                    .get(&tp.topic)
                    .and_then(|topic| topic.partition(tp.partition))
                    .is_none_or(|partition| partition.leader.is_some_and(|l| running.contains(&l)))
            });
            if !ready {
                continue;
            }
            let name: Arc<str> = Arc::from(producer.as_str());
            for tp in partitions.iter() {
                let rules = self.replication_settings(&tp.topic).segments;
                let Some(partition) = self
                    .topics
                    .get_mut(&tp.topic)
                    .and_then(|t| t.partition_mut(tp.partition))
                else {
                    continue;
                };
                let marker = Record {
                    offset: Offset(0),
                    leader_epoch: partition.leader_epoch,
                    timestamp_ms: now,
                    key: None,
                    value: None,
                    producer: name.clone(),
                    producer_seq: 0,
                    sequence: None,
                    partition_choice: PartitionChoice::Explicit,
                    transactional: true,
                    control: Some(outcome),
                    last_in_batch: true,
                };
                let first = partition.open_transactions.remove(&pid);
                if let Some((at, _)) = partition.append_as_leader([marker], &rules)
                    && outcome == Control::Abort
                    && let Some(first) = first
                {
                    partition.aborted.push(AbortedTransaction {
                        producer: pid,
                        first,
                        last: at,
                    });
                }
                // A marker is an append like any other (`Partition.appendRecordsToLeader` →
                // `maybeIncrementLeaderHW`): with the leader alone in the ISR, the high
                // watermark, and so the last stable offset, pass it at once.
                self.advance_high_watermark(&tp.topic, tp.partition);
            }
            if let Some(client) = self.producers.get_mut(&producer) {
                client.transaction = TransactionState::Ready;
            }
            self.emit(Event::TransactionEnded {
                producer,
                outcome,
                partitions: partitions.iter().map(TopicPartition::to_string).collect(),
            });
        }
    }
}
