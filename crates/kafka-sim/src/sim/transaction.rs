//! Transactions (KIP-98): a producer with a `transactional.id` writes records inside a
//! transaction and ends it with commit or abort; the cluster then writes a marker (a control
//! record) to every partition the transaction touched. Until a transaction ends, a partition's
//! last stable offset (LSO) stays at its first record, so read_committed consumers stop there;
//! afterwards they read the committed records and skip the aborted ones.
//!
//! The transaction coordinator aborts a transaction open longer than the producer's
//! `transaction.timeout.ms` (`TransactionCoordinator.abortTimedOutTransactions`), so a
//! producer that never ends its transaction cannot hold the LSO forever. It bumps the
//! producer's epoch, fencing the transaction's late batches (INVALID_PRODUCER_EPOCH); the
//! application learns of it when it next sends or commits, and calls `abortTransaction()`.
//!
//! Simplifications: the transaction coordinator and `__transaction_state` are not modelled;
//! the markers are written by the partition leaders once the producer's batches are settled
//! (or at once after a timeout). Transactions follow transactions v2 (Kafka 4.x's default,
//! KIP-890): a partition joins a transaction when its first batch reaches the leader. After a
//! timeout, Kafka's `commitTransaction()` fails fatally (INVALID_TXN_STATE, PRODUCER_FENCED in
//! later versions) and the producer must be closed; the playground refuses the commit and lets
//! `abortTransaction()` make the producer ready again, as Kafka's abort after a failed send
//! does.
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
/// partitions; `timed_out` when the coordinator aborts it.
pub(crate) struct Ending {
    pub producer: String,
    pub outcome: Control,
    pub partitions: Set<TopicPartition>,
    pub timed_out: bool,
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
