//! The producers' network side (Kafka's `Sender` and the leader's produce handling): ready
//! batches go to their partition leaders, one request per broker per tick holding at most one
//! batch per partition, limited by `max.in.flight.requests.per.connection`. The leader checks
//! min.insync.replicas and idempotent sequence numbers, appends, and answers at once (acks=1),
//! never (acks=0), or when the high watermark passes the batch (acks=all). Failed batches are
//! retried until `delivery.timeout.ms`, after a backoff that starts at `retry.backoff.ms` and
//! doubles with each retry up to `retry.backoff.max.ms`, jittered ±20%
//! (`ProducerConfig::retry_backoff`).
//!
//! As in Kafka, batches for a partition whose leader is down wait in the accumulator (the
//! producer cannot connect) until a new leader is elected or delivery.timeout.ms runs out, and
//! requests in flight to a broker that crashes fail with a disconnection and are retried; to a
//! broker cut off from the clients, they get no answer and time out.
//! Simplification: a producer knows the current leaders at once (metadata refresh is
//! instant), with one exception: a leadership moved away from a zombie leader (a broker cut
//! off from the controller, `network.rs`), which answers as the leader, reaches a producer only
//! at its next refresh: after an error that asks for one (NOT_LEADER_OR_FOLLOWER, a timeout or
//! a disconnection, as `Sender.completeBatch` and `NetworkClient` do), or every
//! `metadata.max.age.ms`. A refresh reaches a broker that has the latest metadata.
use crate::sim::ids::{BrokerId, LeaderEpoch, Offset, PartitionId};
use crate::sim::producer::Batch;
use crate::sim::types::ProduceError;
use serde::{Deserialize, Serialize};

/// One batch of a produce request and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestPart {
    pub topic: String,
    pub partition: PartitionId,
    pub batch: Batch,
    pub state: PartState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartState {
    /// Written at `from..to` in `epoch`; waiting until the high watermark reaches `to`.
    AwaitingReplicas {
        epoch: LeaderEpoch,
        from: Offset,
        to: Offset,
    },
    Done(Result<(Offset, Offset), ProduceError>),
}

/// A produce request in flight from a producer to a broker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProduceRequest {
    pub producer: String,
    pub broker: BrokerId,
    pub deadline_ms: u64,
    pub parts: Vec<RequestPart>,
}
