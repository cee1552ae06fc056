//! Transactions (KIP-98): a producer with a `transactional.id` writes records inside a
//! transaction and ends it with commit or abort; the cluster then writes a marker (a control
//! record) to every partition the transaction touched. Until a transaction ends, a partition's
//! last stable offset (LSO) stays at its first record, so read_committed consumers stop there;
//! afterwards they read the committed records and skip the aborted ones.
//!
//! The transaction coordinator keeps, per `transactional.id`, a producer id and its epoch
//! (`TransactionalId`, Kafka's `TransactionMetadata`). A producer starting with a
//! `transactional.id` (InitProducerId) gets the id's producer id with the epoch bumped, which
//! fences any older producer with that id: its transaction is aborted, the leaders refuse its
//! late batches (INVALID_PRODUCER_EPOCH) and its commit or abort fails with
//! ProducerFencedException, a fatal error (the producer must be closed). Transactions v2
//! (KIP-890, Kafka 4.x's default) bump the epoch at every commit and abort too; the markers
//! carry the new epoch and the producer continues with it.
//!
//! The transaction coordinator aborts a transaction open longer than the producer's
//! `transaction.timeout.ms` (`TransactionCoordinator.abortTimedOutTransactions`), so a
//! producer that never ends its transaction cannot hold the LSO forever. It bumps the
//! producer's epoch, fencing the transaction's late batches (INVALID_PRODUCER_EPOCH); the
//! application learns of it when it next sends or commits, and calls `abortTransaction()`,
//! which (a transactions v2 retry) hands it the bumped epoch.
//!
//! Simplifications: `__transaction_state` is not modelled; the markers are written by the
//! partition leaders once the producer's batches are settled (or at once after a timeout or a
//! fence). A partition joins a transaction when its first batch reaches the leader
//! (transactions v2). After a timeout, Kafka's `commitTransaction()` fails fatally
//! (INVALID_TXN_STATE, PRODUCER_FENCED in later versions) and the producer must be closed; the
//! playground refuses the commit and lets `abortTransaction()` make the producer ready again,
//! as Kafka's abort after a failed send does. A fenced producer learns of the fence from its
//! next response in Kafka; the playground refuses its calls at once, while the batches it had
//! already handed to its sender still go out and are refused by the leaders.
use crate::sim::ids::{ProducerEpoch, ProducerId};
use crate::sim::log::Control;
use crate::sim::ordered::Set;
use crate::sim::types::TopicPartition;
use serde::{Deserialize, Serialize};

/// How often the transaction coordinator looks for timed-out transactions:
/// `transaction.abort.timed.out.transaction.cleanup.interval.ms`, Kafka's default (a broker
/// setting the playground does not change).
pub const ABORT_TIMED_OUT_CHECK_INTERVAL_MS: u64 = 10_000;

/// The largest `transaction.timeout.ms` the brokers accept: `transaction.max.timeout.ms`,
/// Kafka's default (15 minutes).
pub const TRANSACTION_MAX_TIMEOUT_MS: u64 = 900_000;

/// The last epoch a producer id may have before the coordinator moves its `transactional.id`
/// to a new producer id (`TransactionMetadata.isProducerEpochExhausted`: Short.MaxValue - 1).
pub const LAST_PRODUCER_EPOCH: ProducerEpoch = ProducerEpoch(i16::MAX as u16 - 1);

/// The transaction coordinator's record of one `transactional.id` (Kafka's
/// `TransactionMetadata`): the producer id and epoch it hands out, and the producer that got
/// them last (the only one whose transactions may go on).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionalId {
    pub producer_id: ProducerId,
    pub epoch: ProducerEpoch,
    /// The producer (client) that holds it now.
    pub holder: String,
}

impl TransactionalId {
    /// Bumps the epoch, as `prepareIncrementProducerEpoch` (a new producer's InitProducerId),
    /// `prepareFenceProducerEpoch` (the coordinator's own abort) and transactions v2's
    /// `prepareAbortOrCommit` do (TransactionMetadata.scala); an exhausted epoch moves to
    /// `next_id` at epoch 0 instead (`prepareProducerIdRotation`).
    pub fn bump(&mut self, next_id: impl FnOnce() -> ProducerId) {
        if self.epoch >= LAST_PRODUCER_EPOCH {
            self.producer_id = next_id();
            self.epoch = ProducerEpoch(0);
        } else {
            self.epoch = ProducerEpoch(self.epoch.0 + 1);
        }
    }
}

/// Where a transactional producer is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransactionState {
    /// Ready: no transaction open (Kafka's READY).
    #[default]
    Ready,
    /// `beginTransaction()` was called; these partitions got records. `started_ms`: when the
    /// first batch reached a partition leader, adding the partition to the transaction at the
    /// coordinator, which counts `transaction.timeout.ms` from there.
    Open {
        partitions: Set<TopicPartition>,
        started_ms: Option<u64>,
    },
    /// `commitTransaction()` or `abortTransaction()` was called: the producer waits for its
    /// batches, then the markers are written.
    Ending {
        outcome: Control,
        partitions: Set<TopicPartition>,
        started_ms: Option<u64>,
    },
    /// The transaction coordinator aborted the transaction after `transaction.timeout.ms` and
    /// bumped the producer's epoch: the leaders refuse the transaction's batches
    /// (INVALID_PRODUCER_EPOCH) until the producer is ready again. `unmarked`: the partitions
    /// still waiting for the coordinator's abort marker (for a leader). `aborting`: the
    /// application called `abortTransaction()`; the producer is ready again once its last
    /// batches are settled.
    TimedOut {
        unmarked: Set<TopicPartition>,
        aborting: bool,
    },
    /// Another producer started with the same `transactional.id`, so the coordinator fenced
    /// this one (ProducerFencedException, a fatal error): every call fails and the producer
    /// must be closed. `by`: the producer that took the `transactional.id`.
    Fenced { by: String },
}

impl TransactionState {
    /// A batch of the transaction reached a partition leader. With transactions v2 the
    /// leader adds the partition to the transaction, and the first addition starts the
    /// transaction's clock (`TransactionMetadata.prepareAddPartitions`).
    pub fn partition_added(&mut self, now_ms: u64) {
        if let TransactionState::Open { started_ms, .. }
        | TransactionState::Ending { started_ms, .. } = self
        {
            started_ms.get_or_insert(now_ms);
        }
    }

    /// Whether `send()` takes records: inside a transaction, as far as the producer knows (it
    /// learns of a timeout only from its batches' errors).
    pub fn takes_records(&self) -> bool {
        matches!(
            self,
            TransactionState::Open { .. }
                | TransactionState::TimedOut {
                    aborting: false,
                    ..
                }
        )
    }

    /// Kafka's `TransactionStateManager.timedOutTransactions` for this producer, then the
    /// coordinator's abort: if the transaction is still ongoing at the coordinator and began
    /// more than `timeout_ms` before `now_ms` (strictly), it becomes `TimedOut`, its partitions
    /// waiting for abort markers. A commit whose batches are still `unsettled` has not reached
    /// the coordinator yet; an abort the application asked for is left to finish. Returns
    /// whether it timed out.
    pub fn time_out(&mut self, now_ms: u64, timeout_ms: u64, unsettled: bool) -> bool {
        let (partitions, started_ms) = match self {
            TransactionState::Open {
                partitions,
                started_ms,
            } => (partitions, started_ms),
            TransactionState::Ending {
                outcome: Control::Commit,
                partitions,
                started_ms,
            } if unsettled => (partitions, started_ms),
            _ => return false,
        };
        if !started_ms.is_some_and(|start| start.saturating_add(timeout_ms) < now_ms) {
            return false;
        }
        *self = TransactionState::TimedOut {
            unmarked: std::mem::replace(partitions, Set::new()),
            aborting: false,
        };
        true
    }
}

/// A transaction whose markers can be written now: its producer, the outcome and the
/// partitions; `timed_out` when the coordinator aborts it; `started` when a partition joined
/// it, so that the coordinator holds it as ongoing and its end bumps the epoch.
pub(crate) struct Ending {
    pub producer: String,
    pub outcome: Control,
    pub partitions: Set<TopicPartition>,
    pub timed_out: bool,
    pub started: bool,
}

impl TransactionState {
    /// Whether the transaction coordinator holds a transaction of this producer as ongoing (a
    /// partition joined it and it has not ended): a new producer with its `transactional.id`
    /// makes the coordinator abort it. `None` while the coordinator is still aborting it after
    /// the timeout (PrepareAbort): the new producer's InitProducerId must wait
    /// (CONCURRENT_TRANSACTIONS).
    pub fn ongoing_partitions(&self) -> Option<Set<TopicPartition>> {
        match self {
            TransactionState::Open {
                partitions,
                started_ms: Some(_),
            }
            | TransactionState::Ending {
                partitions,
                started_ms: Some(_),
                ..
            } => Some(partitions.clone()),
            TransactionState::TimedOut { unmarked, .. } if !unmarked.is_empty() => None,
            _ => Some(Set::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ids::PartitionId;
    use crate::sim::ordered::set_of;

    fn open(started_ms: Option<u64>) -> TransactionState {
        TransactionState::Open {
            partitions: set_of([TopicPartition::new("orders", PartitionId(0))]),
            started_ms,
        }
    }

    /// `TransactionStateManager.timedOutTransactions`: an ongoing transaction times out once
    /// `txnStartTimestamp + txnTimeoutMs < now`, strictly, counted from the first partition
    /// added (`TransactionMetadata.prepareAddPartitions`); its partitions then wait for the
    /// coordinator's abort markers.
    #[test]
    fn an_ongoing_transaction_times_out_strictly_after_its_timeout() {
        let mut state = open(None);
        assert!(
            !state.time_out(1_000_000, 60_000, false),
            "nothing added yet"
        );
        state.partition_added(1_000);
        state.partition_added(5_000);
        assert!(!state.time_out(61_000, 60_000, false), "not strictly after");
        assert!(state.time_out(61_001, 60_000, false));
        assert_eq!(
            state,
            TransactionState::TimedOut {
                unmarked: set_of([TopicPartition::new("orders", PartitionId(0))]),
                aborting: false,
            }
        );
        assert!(
            !state.time_out(200_000, 60_000, false),
            "once timed out, it stays so"
        );
    }

    /// `TransactionMetadata.prepareIncrementProducerEpoch` and `prepareProducerIdRotation`
    /// (core/src/main/scala/kafka/coordinator/transaction/TransactionMetadata.scala): a bump
    /// adds one to the epoch, until `isProducerEpochExhausted` (Short.MaxValue - 1), when the
    /// transactional.id moves to a new producer id at epoch 0.
    #[test]
    fn a_bump_adds_one_until_the_epoch_is_exhausted_then_takes_a_new_producer_id() {
        let mut entry = TransactionalId {
            producer_id: ProducerId(7),
            epoch: ProducerEpoch(0),
            holder: "app".into(),
        };
        entry.bump(|| ProducerId(8));
        assert_eq!(
            (entry.producer_id, entry.epoch),
            (ProducerId(7), ProducerEpoch(1))
        );
        entry.epoch = ProducerEpoch(32_765);
        entry.bump(|| ProducerId(8));
        assert_eq!(entry.epoch, LAST_PRODUCER_EPOCH);
        entry.bump(|| ProducerId(8));
        assert_eq!(
            (entry.producer_id, entry.epoch),
            (ProducerId(8), ProducerEpoch(0))
        );
    }

    /// A commit reaches the coordinator (EndTxn) only once its batches are settled, so until
    /// then its transaction is still ongoing and may time out; an abort is left to finish.
    #[test]
    fn only_a_commit_still_flushing_can_time_out() {
        let ending = |outcome| TransactionState::Ending {
            outcome,
            partitions: Set::new(),
            started_ms: Some(0),
        };
        assert!(ending(Control::Commit).time_out(10_000, 1_000, true));
        assert!(!ending(Control::Commit).time_out(10_000, 1_000, false));
        assert!(!ending(Control::Abort).time_out(10_000, 1_000, true));
        assert!(!TransactionState::Ready.time_out(10_000, 1_000, true));
    }
}
