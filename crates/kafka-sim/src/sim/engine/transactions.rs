//! The engine's side of `transaction.rs`: the `Sim` methods that route commands and the clock
//! to it, and the transaction coordinator's timeout check.
use crate::sim::command::Outcome;
use crate::sim::engine::Sim;
use crate::sim::error::SimError;
use crate::sim::event::Event;
use crate::sim::ids::{Offset, PartitionId, ProducerEpoch, ProducerId};
use crate::sim::log::{Control, Record};
use crate::sim::ordered::{Set, ValuesMut, set_of};
use crate::sim::partition::AbortedTransaction;
use crate::sim::partitioner::PartitionChoice;
use crate::sim::producer::{Batch, Producer};
use crate::sim::transaction::{
    ABORT_TIMED_OUT_CHECK_INTERVAL_MS, Ending, TransactionState, TransactionalId,
};
use crate::sim::types::{ProduceError, TopicPartition};
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
        if let Some(fenced) = client.fenced_error() {
            return Err(fenced);
        }
        Ok(client)
    }

    /// The transaction coordinator's record of a `transactional.id`, if a producer used it.
    pub fn transactional_id(&self, transactional_id: &str) -> Option<&TransactionalId> {
        self.transactional_ids.get(transactional_id)
    }

    /// The coordinator's producer id and epoch for the producer's `transactional.id`.
    fn coordinator_epoch(&self, producer: &str) -> Option<(ProducerId, ProducerEpoch)> {
        let transactional_id = self
            .producers
            .get(producer)?
            .config
            .transactional_id
            .as_ref()?;
        self.transactional_ids
            .get(transactional_id)
            .map(|t| (t.producer_id, t.epoch))
    }

    /// InitProducerId for a new producer `producer` with `transactional_id`
    /// (`TransactionCoordinator.handleInitProducerId`): a new id starts at epoch 0; a known one
    /// keeps its producer id with the epoch bumped, fencing the producer that held it. If that
    /// one's transaction is ongoing, the coordinator first bumps the epoch and aborts it
    /// (`prepareFenceProducerEpoch`; abort markers with that epoch), then the new producer's
    /// retry bumps it again. Refused with CONCURRENT_TRANSACTIONS while a transaction of the id
    /// cannot be ended yet (a partition it reached has no leader); Kafka's `initTransactions()`
    /// would retry until `max.block.ms`. Returns the producer id and epoch to use.
    pub(crate) fn init_producer_id(
        &mut self,
        producer: &str,
        transactional_id: &str,
    ) -> Result<(ProducerId, ProducerEpoch), SimError> {
        let Some(current) = self.transactional_ids.get(transactional_id).cloned() else {
            let producer_id = self.new_producer_id();
            self.transactional_ids.insert(
                transactional_id.to_owned(),
                TransactionalId {
                    producer_id,
                    epoch: ProducerEpoch(0),
                    holder: producer.to_owned(),
                },
            );
            return Ok((producer_id, ProducerEpoch(0)));
        };
        let holder = self.producers.get(&current.holder);
        let ongoing = match holder.map(|p| p.transaction.ongoing_partitions()) {
            Some(Some(partitions)) => partitions,
            None => Set::new(),
            Some(None) => {
                return Err(SimError::TransactionState {
                    producer: producer.to_owned(),
                    reason: format!(
                        "CONCURRENT_TRANSACTIONS: the transaction coordinator is still aborting {}'s timed-out transaction (a partition it reached has no leader); try again once it has one",
                        current.holder
                    ),
                });
            }
        };
        let mut entry = current.clone();
        let mut aborted = Vec::new();
        if !ongoing.is_empty() {
            let fence_epoch = ProducerEpoch(current.epoch.0.saturating_add(1));
            let end = Ending {
                producer: current.holder.clone(),
                outcome: Control::Abort,
                partitions: ongoing,
                timed_out: true,
                started: true,
            };
            aborted = self
                .write_markers(&end, fence_epoch)
                .ok_or_else(|| SimError::TransactionState {
                    producer: producer.to_owned(),
                    reason: format!(
                        "CONCURRENT_TRANSACTIONS: the transaction coordinator must abort {}'s open transaction first, and a partition it reached has no leader; try again once it has one",
                        current.holder
                    ),
                })?;
            entry.bump(|| self.new_producer_id());
        }
        entry.bump(|| self.new_producer_id());
        entry.holder = producer.to_owned();
        let (producer_id, epoch) = (entry.producer_id, entry.epoch);
        self.transactional_ids
            .insert(transactional_id.to_owned(), entry);
        if let Some(fenced) = self.producers.get_mut(&current.holder) {
            fenced.transaction = TransactionState::Fenced {
                by: producer.to_owned(),
            };
            self.emit(Event::ProducerFenced {
                producer: current.holder,
                by: producer.to_owned(),
                transactional_id: transactional_id.to_owned(),
                epoch,
                partitions: aborted.iter().map(TopicPartition::to_string).collect(),
            });
        }
        Ok((producer_id, epoch))
    }

    /// Transactions v2's check at the leader of a transactional batch for a partition not yet in
    /// the producer's transaction there (`AddPartitionsToTxnManager`, which asks the
    /// coordinator: `TransactionCoordinator.handleAddPartitionsToTransaction`): a producer id or
    /// epoch the coordinator no longer hands out gets PRODUCER_FENCED, which the leader returns
    /// as INVALID_PRODUCER_EPOCH. `None` when the batch may go on.
    pub(crate) fn verify_transaction(
        &self,
        producer: &str,
        topic: &str,
        partition: PartitionId,
        batch: &Batch,
    ) -> Option<ProduceError> {
        let pid = self.producers.get(producer)?.producer_id?;
        let joined = self
            .partition(topic, partition)
            .is_some_and(|p| p.open_transactions.contains_key(&pid));
        if !batch.transactional || joined {
            return None;
        }
        let (current_id, current_epoch) = self.coordinator_epoch(producer)?;
        (current_id != pid || current_epoch != batch.producer_epoch).then_some(
            ProduceError::InvalidProducerEpoch {
                epoch: batch.producer_epoch.0,
                newest: current_epoch.0,
            },
        )
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
        // After the coordinator's abort, the producer's abort is taken as a retry of it and is
        // answered with the bumped epoch (transactions v2, `TransactionCoordinator
        // .endTxnEpochBumped`), which the producer uses from now on.
        if matches!(client.transaction, TransactionState::TimedOut { .. })
            && let Some((producer_id, epoch)) = self.coordinator_epoch(producer)
            && let Some(client) = self.producers.get_mut(producer)
        {
            client.producer_id = Some(producer_id);
            client.epoch = epoch;
        }
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
        let mut timed_out = Vec::new();
        for producer in self.producers.values_mut() {
            let timeout_ms = producer.config.transaction_timeout_ms;
            let busy = unsettled.contains(&producer.id);
            if producer.transaction.time_out(now, timeout_ms, busy) {
                timed_out.extend(producer.config.transactional_id.clone());
            }
        }
        // `prepareFenceProducerEpoch`: the abort markers carry the bumped epoch.
        for transactional_id in timed_out {
            if let Some(mut entry) = self.transactional_ids.remove(&transactional_id) {
                entry.bump(|| self.new_producer_id());
                self.transactional_ids.insert(transactional_id, entry);
            }
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
                    started_ms,
                } if !self.unsettled(p) => ending.push(Ending {
                    producer: p.id.clone(),
                    outcome: *outcome,
                    partitions: partitions.clone(),
                    timed_out: false,
                    started: started_ms.is_some(),
                }),
                TransactionState::TimedOut { unmarked, .. } if !unmarked.is_empty() => {
                    ending.push(Ending {
                        producer: p.id.clone(),
                        outcome: Control::Abort,
                        partitions: unmarked.clone(),
                        timed_out: true,
                        started: true,
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
            let Some((_, epoch)) = self.coordinator_epoch(&end.producer) else {
                continue;
            };
            // Transactions v2 (KIP-890): EndTxn bumps the epoch of a transaction the
            // coordinator holds (`TransactionMetadata.prepareAbortOrCommit`), and the markers
            // carry it; the coordinator's own abort bumped it already.
            let bumps = end.started && !end.timed_out;
            let marker_epoch = if bumps {
                ProducerEpoch(epoch.0.saturating_add(1))
            } else {
                epoch
            };
            if let Some(marked) = self.write_markers(&end, marker_epoch) {
                if bumps {
                    self.bump_after_end(&end.producer);
                }
                self.transaction_ended(end, &marked);
            }
        }
    }

    /// The coordinator bumps the epoch at the end of a transaction (transactions v2) and
    /// answers EndTxn with it; the producer writes with it from now on
    /// (`TransactionManager`'s EndTxn handler, KIP-890).
    fn bump_after_end(&mut self, producer: &str) {
        let Some(transactional_id) = self
            .producers
            .get(producer)
            .and_then(|p| p.config.transactional_id.clone())
        else {
            return;
        };
        let Some(mut entry) = self.transactional_ids.remove(&transactional_id) else {
            return;
        };
        entry.bump(|| self.new_producer_id());
        if let Some(client) = self.producers.get_mut(producer) {
            client.producer_id = Some(entry.producer_id);
            client.epoch = entry.epoch;
        }
        self.transactional_ids.insert(transactional_id, entry);
    }

    /// The leaders of the partitions the transaction reached append its markers, written with
    /// `epoch`, if each has a running leader; returns those partitions, or `None` (nothing
    /// written) while one waits for a leader.
    /// With transactions v2 a partition joins a transaction when its first batch reaches the
    /// leader, so a partition whose batches never arrived gets no marker.
    fn write_markers(&mut self, end: &Ending, epoch: ProducerEpoch) -> Option<Vec<TopicPartition>> {
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
            partition.note_producer_epoch(pid, epoch);
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
