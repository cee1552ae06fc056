//! What happened in the simulated cluster, stamped with virtual time. The UI animates these and
//! the event log prints them in plain words (their `Display`).

use crate::sim::assignor::{Assignment, TopicPartition};
use crate::sim::ids::{BrokerId, LeaderEpoch, Offset, PartitionId};
use crate::sim::log::Control;
use crate::sim::partitioner::PartitionChoice;
use crate::sim::producer::Acks;
use crate::sim::sender::ProduceError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedEvent {
    /// Virtual time in ms.
    pub at_ms: u64,
    pub event: Event,
}

/// Where a consumer's first position in a partition came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PositionSource {
    /// The group's committed offset.
    Committed,
    /// `auto.offset.reset=earliest`: the log start offset.
    Earliest,
    /// `auto.offset.reset=latest`: the high watermark.
    Latest,
}

/// How a leader was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ElectionKind {
    /// The first live in-sync replica in assignment order.
    Clean,
    /// The preferred (first assigned) replica took leadership back.
    Preferred,
    /// No in-sync replica was alive and unclean.leader.election.enable let an out-of-sync one
    /// lead.
    Unclean,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    BrokerAdded {
        broker: BrokerId,
    },
    BrokerCrashed {
        broker: BrokerId,
        session_timeout_ms: u64,
    },
    BrokerFenced {
        broker: BrokerId,
    },
    BrokerRestarted {
        broker: BrokerId,
    },
    BrokerDecommissioned {
        broker: BrokerId,
    },
    ControllerMoved {
        from: Option<BrokerId>,
        to: Option<BrokerId>,
    },
    TopicCreated {
        topic: String,
        assignment: Vec<Vec<BrokerId>>,
    },
    TopicDeleted {
        topic: String,
    },
    PartitionsAdded {
        topic: String,
        assignment: Vec<Vec<BrokerId>>,
        from: u32,
    },
    TopicConfigChanged {
        topic: String,
        key: String,
        value: String,
    },
    LeaderElected {
        topic: String,
        partition: PartitionId,
        from: Option<BrokerId>,
        to: Option<BrokerId>,
        epoch: LeaderEpoch,
        kind: ElectionKind,
    },
    /// An unclean election left records behind on replicas the new leader does not have.
    RecordsLost {
        topic: String,
        partition: PartitionId,
        /// The replica that held the most of them.
        broker: BrokerId,
        from: Offset,
        to: Offset,
        /// How many of them were below the old high watermark: acknowledged to acks=all.
        committed: u64,
    },
    IsrShrunk {
        topic: String,
        partition: PartitionId,
        broker: BrokerId,
        isr: Vec<BrokerId>,
        reason: String,
    },
    IsrExpanded {
        topic: String,
        partition: PartitionId,
        broker: BrokerId,
        isr: Vec<BrokerId>,
    },
    RecordsAppended {
        topic: String,
        partition: PartitionId,
        leader: BrokerId,
        from: Offset,
        to: Offset,
        producer: String,
        /// Why the partition was chosen, for a batch of one record.
        choice: Option<PartitionChoice>,
    },
    ReplicaFetched {
        topic: String,
        partition: PartitionId,
        broker: BrokerId,
        from: Offset,
        to: Offset,
    },
    RecordsTruncated {
        topic: String,
        partition: PartitionId,
        broker: BrokerId,
        from: Offset,
        records: u64,
    },
    HighWatermarkAdvanced {
        topic: String,
        partition: PartitionId,
        high_watermark: Offset,
    },
    ProduceAcked {
        producer: String,
        topic: String,
        partition: PartitionId,
        from: Offset,
        to: Offset,
        acks: Acks,
    },
    ProduceRetrying {
        producer: String,
        topic: String,
        partition: PartitionId,
        records: usize,
        attempt: u32,
        error: ProduceError,
    },
    ProduceFailed {
        producer: String,
        topic: String,
        partition: PartitionId,
        records: usize,
        error: ProduceError,
    },
    /// acks=0 records that never reached a log; the producer does not know.
    RecordsDropped {
        producer: String,
        topic: String,
        partition: PartitionId,
        records: usize,
        error: ProduceError,
    },
    DuplicateIgnored {
        producer: String,
        topic: String,
        partition: PartitionId,
        from: Offset,
        to: Offset,
    },
    ReassignmentStarted {
        topic: String,
        partition: PartitionId,
        target: Vec<BrokerId>,
    },
    ReassignmentCompleted {
        topic: String,
        partition: PartitionId,
        replicas: Vec<BrokerId>,
    },
    GeneratorStopped {
        generator: String,
        reason: String,
    },
    ConsumerStarted {
        consumer: String,
        group: String,
        subscription: String,
    },
    ConsumerSubscribed {
        consumer: String,
        subscription: String,
    },
    ConsumerStopped {
        consumer: String,
        crashed: bool,
    },
    RebalanceStarted {
        group: String,
        reason: String,
    },
    GroupStateChanged {
        group: String,
        from: String,
        to: String,
        generation: u32,
    },
    MemberJoined {
        group: String,
        member: String,
    },
    MemberLeft {
        group: String,
        member: String,
        reason: String,
    },
    PartitionsAssigned {
        group: String,
        member: String,
        partitions: Vec<TopicPartition>,
        generation: u32,
    },
    PartitionsRevoked {
        group: String,
        member: String,
        partitions: Vec<TopicPartition>,
    },
    /// Taken away without a chance to commit (the group dropped the member).
    PartitionsLost {
        group: String,
        member: String,
        partitions: Vec<TopicPartition>,
    },
    /// Consumer protocol: the coordinator's new target assignment for a group epoch.
    TargetAssignment {
        group: String,
        epoch: u32,
        assignment: Assignment,
    },
    CommitFailed {
        consumer: String,
        error: String,
    },
    OffsetReset {
        group: String,
        topic: String,
        partition: PartitionId,
        from: Option<Offset>,
        to: Offset,
    },
    TransactionBegun {
        producer: String,
    },
    TransactionEnded {
        producer: String,
        outcome: Control,
        partitions: Vec<String>,
    },
    /// Retention deleted whole segments from the start of a partition's log.
    SegmentsDeleted {
        topic: String,
        partition: PartitionId,
        records: u64,
        log_start: Offset,
        reason: String,
    },
    /// The log cleaner compacted a partition.
    LogCompacted {
        topic: String,
        partition: PartitionId,
        removed: u64,
        tombstones: u64,
    },
    PositionReset {
        consumer: String,
        topic: String,
        partition: PartitionId,
        offset: Offset,
        source: PositionSource,
        /// The offset it had, if that was out of the log's range.
        out_of_range: Option<Offset>,
    },
    /// A poll returned the records `from..to` of one partition.
    Fetched {
        consumer: String,
        topic: String,
        partition: PartitionId,
        from: Offset,
        to: Offset,
    },
    /// A poll moved past records it does not return: transaction markers, and with
    /// read_committed the records of aborted transactions.
    Skipped {
        consumer: String,
        topic: String,
        partition: PartitionId,
        from: Offset,
        to: Offset,
    },
    OffsetCommitted {
        group: String,
        consumer: String,
        topic: String,
        partition: PartitionId,
        offset: Offset,
    },
    /// The consumer's poll loop stopped with this refusal (its message).
    PollFailed {
        consumer: String,
        error: String,
    },
}

/// Events waiting to be drained by the UI. Not part of the simulation's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventQueue(Vec<TimedEvent>);

impl EventQueue {
    pub fn push(&mut self, at_ms: u64, event: Event) {
        self.0.push(TimedEvent { at_ms, event });
    }

    pub fn drain(&mut self) -> Vec<TimedEvent> {
        std::mem::take(&mut self.0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The waiting events, oldest first, left in place.
    pub fn waiting(&self) -> &[TimedEvent] {
        &self.0
    }
}

/// The event queue and the clock's time, lent to a part of the engine (a group's coordinator,
/// a consumer's routing) so that it reports what it did without being handed the whole `Sim`.
pub struct Events<'a> {
    now_ms: u64,
    queue: &'a mut EventQueue,
}

impl<'a> Events<'a> {
    pub fn new(now_ms: u64, queue: &'a mut EventQueue) -> Events<'a> {
        Events { now_ms, queue }
    }

    /// Reports `event` as happening now.
    pub fn push(&mut self, event: Event) {
        self.queue.push(self.now_ms, event);
    }

    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }
}
