//! The producers' network side (Kafka's `Sender` and the leader's produce handling): ready
//! batches go to their partition leaders, one request per broker per tick holding at most one
//! batch per partition, limited by `max.in.flight.requests.per.connection`. The leader checks
//! min.insync.replicas and idempotent sequence numbers, appends, and answers at once (acks=1),
//! never (acks=0), or when the high watermark passes the batch (acks=all). Failed batches are
//! retried after `retry.backoff.ms` until `delivery.timeout.ms`.
//!
//! As in Kafka, batches for a partition whose leader is down wait in the accumulator (the
//! producer cannot connect) until a new leader is elected or delivery.timeout.ms runs out, and
//! requests in flight to a broker that crashes fail with a disconnection and are retried.
//! Simplification: a producer always knows the current leaders (metadata refresh is instant).

use crate::sim::ids::{BrokerId, LeaderEpoch, Offset};
use crate::sim::producer::Batch;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a produce failed, with Kafka's error names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProduceError {
    /// The ISR was smaller than min.insync.replicas before the append: nothing was written.
    NotEnoughReplicas { isr: u32, min_insync_replicas: u32 },
    /// The ISR shrank below min.insync.replicas while the batch waited: it stays in the log.
    NotEnoughReplicasAfterAppend { isr: u32, min_insync_replicas: u32 },
    /// The broker is not (or no longer) the partition's leader.
    NotLeaderOrFollower { broker: BrokerId },
    /// The leader did not have the batch on every in-sync replica within request.timeout.ms;
    /// it may still be in the log.
    RequestTimedOut,
    /// The connection to the broker broke (it crashed) before it answered.
    NetworkException { broker: BrokerId },
    /// An idempotent batch arrived before the one that must come first.
    OutOfOrderSequenceNumber { expected: u32, got: u32 },
    /// delivery.timeout.ms passed since the batch was created.
    DeliveryTimeout { ms: u64 },
    /// The topic was deleted.
    UnknownTopicOrPartition,
    /// A record without a key sent to a compacted topic.
    CompactedTopicWithoutKey,
}

impl ProduceError {
    /// Whether the producer tries again (Kafka's `RetriableException`s).
    pub fn retriable(&self) -> bool {
        !matches!(
            self,
            ProduceError::DeliveryTimeout { .. }
                | ProduceError::UnknownTopicOrPartition
                | ProduceError::CompactedTopicWithoutKey
        )
    }
}

impl fmt::Display for ProduceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProduceError::NotEnoughReplicas {
                isr,
                min_insync_replicas,
            } => write!(
                f,
                "NOT_ENOUGH_REPLICAS: the ISR has {isr} replica(s), fewer than min.insync.replicas={min_insync_replicas}, so the leader refused the batch"
            ),
            ProduceError::NotEnoughReplicasAfterAppend {
                isr,
                min_insync_replicas,
            } => write!(
                f,
                "NOT_ENOUGH_REPLICAS_AFTER_APPEND: written, but the ISR shrank to {isr} (min.insync.replicas={min_insync_replicas}) before it was acknowledged"
            ),
            ProduceError::NotLeaderOrFollower { broker } => {
                write!(
                    f,
                    "NOT_LEADER_OR_FOLLOWER: broker {broker} is no longer the leader"
                )
            }
            ProduceError::RequestTimedOut => write!(
                f,
                "REQUEST_TIMED_OUT: the in-sync replicas did not all get the batch within request.timeout.ms (it may be in the log already)"
            ),
            ProduceError::NetworkException { broker } => write!(
                f,
                "NetworkException: the connection to broker {broker} was lost before it answered"
            ),
            ProduceError::OutOfOrderSequenceNumber { expected, got } => write!(
                f,
                "OUT_OF_ORDER_SEQUENCE_NUMBER: expected sequence {expected}, got {got}"
            ),
            ProduceError::DeliveryTimeout { ms } => write!(
                f,
                "TimeoutException: {ms} ms has passed since batch creation (delivery.timeout.ms)"
            ),
            ProduceError::UnknownTopicOrPartition => {
                write!(f, "UNKNOWN_TOPIC_OR_PARTITION: the topic is gone")
            }
            ProduceError::CompactedTopicWithoutKey => write!(
                f,
                "INVALID_RECORD: Compacted topic cannot accept message without key"
            ),
        }
    }
}

/// One batch of a produce request and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestPart {
    pub topic: String,
    pub partition: u32,
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
