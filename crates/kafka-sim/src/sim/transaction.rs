//! Transactions (KIP-98): a producer with a `transactional.id` writes records inside a
//! transaction and ends it with commit or abort; the cluster then writes a marker (a control
//! record) to every partition the transaction touched. Until a transaction ends, a partition's
//! last stable offset (LSO) stays at its first record, so read_committed consumers stop there;
//! afterwards they read the committed records and skip the aborted ones.
//!
//! Simplification: the transaction coordinator and `__transaction_state` are not modelled; the
//! markers are written by the partition leaders once the producer's batches are settled.
use crate::sim::log::Control;
use crate::sim::ordered::Set;
use crate::sim::types::TopicPartition;
use serde::{Deserialize, Serialize};

/// Where a transactional producer is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransactionState {
    /// Ready: no transaction open (Kafka's READY).
    #[default]
    Ready,
    /// `beginTransaction()` was called; these partitions got records.
    Open { partitions: Set<TopicPartition> },
    /// `commitTransaction()` or `abortTransaction()` was called: the producer waits for its
    /// batches, then the markers are written.
    Ending {
        outcome: Control,
        partitions: Set<TopicPartition>,
    },
}

/// A producer whose transaction can end now: its name, the outcome and the partitions.
pub(crate) type Ending = (String, Control, Set<TopicPartition>);
