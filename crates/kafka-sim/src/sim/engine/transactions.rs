//! The engine's side of `transaction.rs`: the `Sim` methods that route commands and the clock
//! to it, and the transaction coordinator's timeout check.
use crate::sim::command::Outcome;
use crate::sim::engine::Sim;
use crate::sim::error::SimError;
use crate::sim::event::Event;
use crate::sim::ids::Offset;
use crate::sim::ids::PartitionId;
use crate::sim::log::{Control, Record};
use crate::sim::ordered::{Set, ValuesMut, set_of};
use crate::sim::partition::AbortedTransaction;
use crate::sim::partitioner::PartitionChoice;
use crate::sim::producer::Producer;
use crate::sim::transaction::{ABORT_TIMED_OUT_CHECK_INTERVAL_MS, Ending, TransactionState};
use crate::sim::types::TopicPartition;
use std::sync::Arc;

/// Why a timed-out transaction refuses a command, and what the application does next.
fn timed_out_reason(timeout_ms: u64) -> String {
    format!(
        "the transaction coordinator aborted the transaction: it was open longer than transaction.timeout.ms ({timeout_ms} ms) and the producer's epoch was bumped (Kafka's commitTransaction() fails here); call abortTransaction()"
    )
}

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
        let reason = match client.transaction {
            TransactionState::Ready => None,
            TransactionState::TimedOut {
                aborting: false, ..
            } => Some(timed_out_reason(client.config.transaction_timeout_ms)),
            _ => {
                Some("a transaction is already open or ending; commit or abort it first".to_owned())
            }
        };
        if let Some(reason) = reason {
            return Err(SimError::TransactionState {
                producer: producer.to_owned(),
                reason,
            });
        }
        client.transaction = TransactionState::Open {
            partitions: Set::new(),
            started_ms: None,
        };
        self.emit(Event::TransactionBegun {
            producer: producer.to_owned(),
        });
        Ok(Outcome::Done)
    }

    /// `commitTransaction()` or `abortTransaction()`. An abort drops the batches not yet sent.
    /// After the coordinator's timeout a commit is refused and an abort lets the producer's
    /// last batches settle (the markers are written already).
    pub(crate) fn end_transaction(
        &mut self,
        producer: &str,
        outcome: Control,
    ) -> Result<Outcome, SimError> {
        let client = self.transactional(producer)?;
        let reason = match (&client.transaction, outcome) {
            (TransactionState::Open { .. }, _)
            | (
                TransactionState::TimedOut {
                    aborting: false, ..
                },
                Control::Abort,
            ) => None,
            (
                TransactionState::TimedOut {
                    aborting: false, ..
                },
                Control::Commit,
            ) => Some(timed_out_reason(client.config.transaction_timeout_ms)),
            _ => Some("no transaction is open; call beginTransaction() first".to_owned()),
        };
        if let Some(reason) = reason {
            return Err(SimError::TransactionState {
                producer: producer.to_owned(),
                reason,
            });
        }
        if outcome == Control::Abort {
            let dropped = client.buffered_records();
            client.queues.clear();
            client.stats.failed += dropped as u64;
        } else {
            client.flushing = true;
        }
        client.transaction = match std::mem::take(&mut client.transaction) {
            TransactionState::Open {
                partitions,
                started_ms,
            } => TransactionState::Ending {
                outcome,
                partitions,
                started_ms,
            },
            TransactionState::TimedOut { unmarked, .. } => TransactionState::TimedOut {
                unmarked,
                aborting: true,
            },
            other => other,
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
            && let TransactionState::Open { partitions, .. } = &mut client.transaction
        {
            partitions.insert(TopicPartition::new(topic, partition));
        }
    }

    /// Whether the producer has a batch waiting or in flight.
    fn unsettled(&self, producer: &Producer) -> bool {
        producer.buffered_records() > 0 || self.in_flight.iter().any(|r| r.producer == producer.id)
    }

    /// Kafka's transaction coordinator every
    /// `transaction.abort.timed.out.transaction.cleanup.interval.ms`, from the start
    /// (`TransactionCoordinator.abortTimedOutTransactions`, core/.../coordinator/transaction/
    /// TransactionCoordinator.scala): a transaction ongoing for longer than its producer's
    /// `transaction.timeout.ms` is aborted. The coordinator bumps the producer's epoch and
    /// writes abort markers to the transaction's partitions (`complete_transactions`), so the
    /// LSO moves on and read_committed consumers skip its records.
    pub(crate) fn abort_timed_out_transactions(&mut self) {
        let now = self.now_ms;
        let interval = ABORT_TIMED_OUT_CHECK_INTERVAL_MS;
        if now.saturating_sub(self.config.tick_ms) / interval == now / interval {
            return;
        }
        let unsettled: Set<String> = set_of(
            self.producers
                .values()
                .filter(|p| self.unsettled(p))
                .map(|p| p.id.clone()),
        );
        for producer in self.producers.values_mut() {
            let timeout_ms = producer.config.transaction_timeout_ms;
            let busy = unsettled.contains(&producer.id);
            producer.transaction.time_out(now, timeout_ms, busy);
        }
    }

    /// Writes the markers of the transactions that can end now: those whose producers have no
    /// batch left waiting or in flight after a commit or abort, and those the coordinator
    /// aborted; every partition needs a running leader. Aborted ranges are remembered. A
    /// producer that aborted after the coordinator's timeout is ready once its batches settle.
    pub(crate) fn complete_transactions(&mut self) {
        let mut ending: Vec<Ending> = Vec::new();
        let mut ready: Vec<String> = Vec::new();
        for p in self.producers.values() {
            match &p.transaction {
                TransactionState::Ending {
                    outcome,
                    partitions,
                    ..
                } if !self.unsettled(p) => ending.push(Ending {
                    producer: p.id.clone(),
                    outcome: *outcome,
                    partitions: partitions.clone(),
                    timed_out: false,
                }),
                TransactionState::TimedOut { unmarked, .. } if !unmarked.is_empty() => {
                    ending.push(Ending {
                        producer: p.id.clone(),
                        outcome: Control::Abort,
                        partitions: unmarked.clone(),
                        timed_out: true,
                    })
                }
                TransactionState::TimedOut { aborting: true, .. } if !self.unsettled(p) => {
                    ready.push(p.id.clone())
                }
                _ => {}
            }
        }
        for producer in ready {
            if let Some(client) = self.producers.get_mut(&producer) {
                client.transaction = TransactionState::Ready;
            }
            self.emit(Event::TransactionEnded {
                producer,
                outcome: Control::Abort,
                partitions: Vec::new(),
            });
        }
        for end in ending {
            if let Some(marked) = self.write_markers(&end) {
                self.transaction_ended(end, &marked);
            }
        }
    }

    /// The leaders of the partitions the transaction reached append its markers, if each has
    /// a running leader; returns those partitions, or `None` while one waits for a leader.
    /// With transactions v2 a partition joins a transaction when its first batch reaches the
    /// leader, so a partition whose batches never arrived gets no marker.
    fn write_markers(&mut self, end: &Ending) -> Option<Vec<TopicPartition>> {
        let now = self.now_ms;
        let pid = self
            .producers
            .get(&end.producer)
            .and_then(|p| p.producer_id)?;
        let reached: Vec<TopicPartition> = end
            .partitions
            .iter()
            .filter(|tp| {
                self.partition(&tp.topic, tp.partition)
                    .is_some_and(|p| p.open_transactions.contains_key(&pid))
            })
            .cloned()
            .collect();
        let running = self.eligible_brokers();
        let ready = reached.iter().all(|tp| {
            self.partition(&tp.topic, tp.partition)
                .is_some_and(|p| p.leader.is_some_and(|l| running.contains(&l)))
        });
        if !ready {
            return None;
        }
        let name: Arc<str> = Arc::from(end.producer.as_str());
        for tp in &reached {
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
                control: Some(end.outcome),
                last_in_batch: true,
            };
            let first = partition.open_transactions.remove(&pid);
            if let Some((at, _)) = partition.append_as_leader([marker], &rules)
                && end.outcome == Control::Abort
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
        Some(reached)
    }

    /// After the markers went to `marked`: the producer is ready again, or (after the
    /// coordinator's abort) still fenced until it aborts; the event says which.
    fn transaction_ended(&mut self, end: Ending, marked: &[TopicPartition]) {
        let partitions = marked.iter().map(TopicPartition::to_string).collect();
        let Some(client) = self.producers.get_mut(&end.producer) else {
            return;
        };
        if !end.timed_out {
            client.transaction = TransactionState::Ready;
            self.emit(Event::TransactionEnded {
                producer: end.producer,
                outcome: end.outcome,
                partitions,
            });
            return;
        }
        if let TransactionState::TimedOut { unmarked, .. } = &mut client.transaction {
            *unmarked = Set::new();
        }
        let timeout_ms = client.config.transaction_timeout_ms;
        self.emit(Event::TransactionTimedOut {
            producer: end.producer,
            timeout_ms,
            partitions,
        });
    }
}
