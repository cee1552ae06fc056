//! What happened in the simulated cluster, stamped with virtual time: [`Event`], one variant
//! per thing Kafka does that a learner should see, each documented with the mechanism and
//! where the engine pushes it, in sections by concept. The page animates them; the event log
//! prints their plain words, which `event_text.rs` writes. `EventQueue` holds them until the
//! page drains them; it is not part of the state.
use crate::sim::assignor::Assignment;
use crate::sim::ids::{BrokerId, ControllerId, LeaderEpoch, Offset, PartitionId, ProducerEpoch};
use crate::sim::log::Control;
use crate::sim::network::Isolation;
use crate::sim::partitioner::PartitionChoice;
use crate::sim::types::{Acks, ProduceError, TopicPartition};
use serde::{Deserialize, Serialize};

/// An event and when it happened.
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
    /// No in-sync replica was alive and unclean.leader.election.enable (or an admin's unclean
    /// election, `kafka-leader-election.sh --election-type UNCLEAN`) let an out-of-sync one lead.
    Unclean,
    /// The controller's automatic leader rebalance moved leadership back to the preferred
    /// replica (`auto.leader.rebalance.enable`, every `leader.imbalance.check.interval.seconds`).
    AutoLeaderRebalance,
    /// The ISR was empty: an eligible leader replica (KIP-966) leads, cleanly, since it holds
    /// every record below the high watermark.
    Eligible,
    /// The ISR and the ELR were empty: the last known leader leads again once back (Kafka
    /// marks this election unclean and the partition recovering).
    LastKnownLeader,
}

/// One thing that happened, in Kafka's terms. The engine pushes these as it works (the comment
/// on each variant says where); the page animates them and the event log prints their text
/// (`event_text.rs`).
///
/// The variants stay in the order they were added, never sorted: a variant's index is its
/// postcard encoding, which the fuzz digest hashes (the check that a refactor changed nothing).
/// So the sections below are runs, and a section names the later variants that belong to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    // ---- Brokers and the controller ----
    /// A broker joined the cluster (Add broker): it gets the next id and is running, with no
    /// replicas until a topic is created or grown or a partition is moved onto it.
    BrokerAdded { broker: BrokerId },
    /// A broker's process died (Crash broker): no controlled shutdown. Its partitions keep it as
    /// leader and in their ISRs until the controller fences it, after
    /// `broker.session.timeout.ms` without heartbeats.
    BrokerCrashed {
        broker: BrokerId,
        /// `broker.session.timeout.ms`: how long the controller waits before fencing it.
        session_timeout_ms: u64,
    },
    /// The controller fenced a broker: a crashed one whose heartbeats stopped for
    /// `broker.session.timeout.ms` (each tick's check), or a crashed one that restarts (its old
    /// incarnation is fenced first). It leaves every ISR, the last member too (ELR on), and
    /// its partitions elect new leaders (`LeaderElected`).
    BrokerFenced { broker: BrokerId },
    /// A crashed, fenced or stopped broker is running again (Restart broker); after a crash
    /// the controller first takes it out of the ELRs (`ElrChanged`). Its replicas fetch from
    /// their leaders, truncating first where their logs diverge (`RecordsTruncated`), and
    /// rejoin the ISRs once caught up (`IsrExpanded`); its offline partitions elect a leader.
    BrokerRestarted { broker: BrokerId },
    /// A broker holding no replicas left the cluster for good (Decommission broker, as
    /// `kafka-cluster.sh unregister`).
    BrokerDecommissioned { broker: BrokerId },

    // ---- Topics and partitions ----
    /// A topic was created (`kafka-topics.sh --create`) with the controller's replica placement
    /// (`placement.rs`); every partition starts with its preferred replica as leader, and
    /// replicas on fenced brokers start outside the ISR.
    TopicCreated {
        topic: String,
        /// Each partition's replicas, in partition order, the preferred leader first.
        assignment: Vec<Vec<BrokerId>>,
    },
    /// A topic was deleted (`kafka-topics.sh --delete`) with its records and its groups'
    /// committed offsets; batches waiting for it are dropped or fail, its consumers stop reading
    /// it and its generators stop.
    TopicDeleted { topic: String },
    /// A topic grew (`kafka-topics.sh --alter --partitions`): keyed records hash modulo the new
    /// count, so some keys now go to other partitions.
    PartitionsAdded {
        topic: String,
        /// The new partitions' replicas, the preferred leader first.
        assignment: Vec<Vec<BrokerId>>,
        /// The first new partition's number: the count before.
        from: u32,
    },
    /// A topic config was set, or deleted back to its default (`kafka-configs.sh --alter`).
    TopicConfigChanged {
        topic: String,
        key: String,
        /// The value now in force, as `--describe` prints it.
        value: String,
    },

    // ---- Replication: leaders, elections and the ISR ----
    // (ReplicaFetched, RecordsTruncated and HighWatermarkAdvanced, after RecordsAppended, and
    // the replica reassignments, ReassignmentStarted and ReassignmentCompleted, belong here
    // too.)
    /// The controller moved a partition's leadership and bumped its leader epoch: its leader
    /// was fenced or left in a reassignment, a restart or the periodic unclean election check
    /// (`unclean.leader.election.interval.ms`) brought an offline partition back, or a
    /// preferred leader election (`kafka-leader-election.sh`, or the controller's automatic
    /// leader rebalance) moved it back to the preferred replica.
    LeaderElected {
        topic: String,
        partition: PartitionId,
        /// The leader before; `None` when the partition was offline.
        from: Option<BrokerId>,
        /// The leader now; `None`: no live in-sync replica, the partition is offline.
        to: Option<BrokerId>,
        /// The new leader epoch.
        epoch: LeaderEpoch,
        kind: ElectionKind,
    },
    /// An unclean election left records behind on replicas the new leader does not have; they
    /// are truncated away when those replicas fetch. Pushed right after the `LeaderElected`
    /// with `ElectionKind::Unclean`.
    RecordsLost {
        topic: String,
        partition: PartitionId,
        /// The replica that held the most of them.
        broker: BrokerId,
        /// The lost offsets, `from..to`.
        from: Offset,
        to: Offset,
        /// How many of them were below the old high watermark: acknowledged to acks=all.
        committed: u64,
    },
    /// A leader removed a follower from the ISR: it fell behind for more than
    /// `replica.lag.time.max.ms` (each tick's check), or the controller fenced its broker.
    IsrShrunk {
        topic: String,
        partition: PartitionId,
        /// The follower removed.
        broker: BrokerId,
        /// The ISR now.
        isr: Vec<BrokerId>,
        /// Why, in words ("fell behind for more than ...", "was fenced by the controller").
        reason: String,
    },
    /// A follower caught up with the leader's log end and joined the ISR again (on a fetch).
    IsrExpanded {
        topic: String,
        partition: PartitionId,
        /// The follower added.
        broker: BrokerId,
        /// The ISR now.
        isr: Vec<BrokerId>,
    },

    // ---- Producing: the leader appends ----
    // (The producer's answers, ProduceAcked to DuplicateIgnored, come after the next run.)
    /// A partition leader appended a producer's batch to its log (a produce request arrived);
    /// the producer's answer follows as `ProduceAcked` once the acks setting is met.
    RecordsAppended {
        topic: String,
        partition: PartitionId,
        leader: BrokerId,
        /// The offsets written, `from..to`.
        from: Offset,
        to: Offset,
        producer: String,
        /// Why the partition was chosen, for a batch of one record.
        choice: Option<PartitionChoice>,
    },

    // ---- Replication, continued: followers fetch ----
    /// A follower copied records from its leader (one fetch per follower per tick).
    ReplicaFetched {
        topic: String,
        partition: PartitionId,
        /// The follower.
        broker: BrokerId,
        /// The offsets copied, `from..to`.
        from: Offset,
        to: Offset,
    },
    /// Before fetching, a follower cut its log back to where it agrees with the leader's (found
    /// by leader epoch, as KIP-101's truncation does): it held records the leader does not,
    /// written under an earlier leader (after a restart, an unclean election).
    RecordsTruncated {
        topic: String,
        partition: PartitionId,
        /// The follower.
        broker: BrokerId,
        /// Where the removed records started: its log ends here now.
        from: Offset,
        records: u64,
    },
    /// A leader moved its high watermark: every in-sync replica has the records below it, so
    /// consumers may read them and acks=all producers get their answers. Pushed on an append
    /// (a lone leader), on a fetch, and after the ISR or the leadership changed.
    HighWatermarkAdvanced {
        topic: String,
        partition: PartitionId,
        high_watermark: Offset,
    },

    // ---- Producing, continued: answers, retries, failures ----
    /// A producer got its answer for a batch: at once for acks=1, when the high watermark
    /// passed the batch for acks=all; with acks=0 the request went out and nothing is awaited.
    ProduceAcked {
        producer: String,
        topic: String,
        partition: PartitionId,
        /// The batch's offsets, `from..to`.
        from: Offset,
        to: Offset,
        acks: Acks,
    },
    /// A batch failed with a retriable error (not the leader, not enough replicas, timed out,
    /// disconnected, out of order) and waits `backoff_ms` to be sent again: retry.backoff.ms,
    /// doubling with each retry up to retry.backoff.max.ms, jittered ±20%.
    ProduceRetrying {
        producer: String,
        topic: String,
        partition: PartitionId,
        /// The records in the batch.
        records: usize,
        /// The attempt coming next (2 for the first retry).
        attempt: u32,
        /// How long it waits before that attempt.
        backoff_ms: u64,
        error: ProduceError,
    },
    /// A producer gave a batch up: `delivery.timeout.ms` passed (waiting in the accumulator or
    /// in flight), the retries ran out, or the error was not retriable (the topic was deleted,
    /// a record without a key for a compacted topic).
    ProduceFailed {
        producer: String,
        topic: String,
        partition: PartitionId,
        /// The records in the batch.
        records: usize,
        error: ProduceError,
    },
    /// acks=0 records that never reached a log; the producer does not know.
    RecordsDropped {
        producer: String,
        topic: String,
        partition: PartitionId,
        /// The records in the batch.
        records: usize,
        error: ProduceError,
    },
    /// An idempotent producer's retried batch was already in the log (the leader knew its
    /// sequence numbers): not written twice, acknowledged at its first offsets.
    DuplicateIgnored {
        producer: String,
        topic: String,
        partition: PartitionId,
        /// Where the batch already is, `from..to`.
        from: Offset,
        to: Offset,
    },

    // ---- Replication, continued: reassignment (kafka-reassign-partitions.sh) ----
    /// A partition's replicas started moving to `target`: new replicas are added and copy the
    /// log from the leader, the old ones stay until the new ones are in sync.
    ReassignmentStarted {
        topic: String,
        partition: PartitionId,
        /// The brokers it moves to, the preferred leader first.
        target: Vec<BrokerId>,
    },
    /// Every target replica was in the ISR: the leaving replicas were deleted (leadership moved
    /// first if the leader was leaving). Checked each tick.
    ReassignmentCompleted {
        topic: String,
        partition: PartitionId,
        /// The replicas now.
        replicas: Vec<BrokerId>,
    },

    // ---- Generators ----
    /// A rate generator stopped: asked to (Stop generator), its topic was deleted, or a send
    /// was refused (the message says why).
    GeneratorStopped { generator: String, reason: String },

    // ---- Consumers ----
    // (PositionReset, Fetched, Skipped, PollFailed and TruncationDetected, further down, are a
    // consumer's polls.)
    /// A consumer started (Start consumer, `kafka-console-consumer.sh`): subscribed to topics,
    /// it joins its group at its first poll; assigned partitions, it reads them at once.
    ConsumerStarted {
        consumer: String,
        group: String,
        /// "topics orders" or "partitions orders-0", as `consumer::describe` writes it.
        subscription: String,
    },
    /// A consumer changed what it reads (`subscribe()` or `assign()`): a subscription rejoins
    /// its group, an assignment leaves it.
    ConsumerSubscribed {
        consumer: String,
        /// As in `ConsumerStarted`.
        subscription: String,
    },
    /// A consumer stopped: `close()` commits (with auto-commit on) and leaves its group at
    /// once (a static member keeps its place); a crash does neither, so the group notices only
    /// after `session.timeout.ms`.
    ConsumerStopped { consumer: String, crashed: bool },

    // ---- Groups and rebalances ----
    // (CoordinatorMoved, at the end, belongs here too.)
    /// A classic group started a rebalance: the join phase (PreparingRebalance), because a
    /// member joined or left, a subscribed topic's partitions changed, or cooperative members
    /// gave partitions up and a second round hands them over.
    RebalanceStarted { group: String, reason: String },
    /// A group's state changed (the coordinator's state machine, `GroupState`).
    GroupStateChanged {
        group: String,
        /// `GroupState` names.
        from: String,
        to: String,
        /// Classic: the generation; consumer protocol: the group epoch.
        generation: u32,
    },
    /// A new member joined a group: a classic JoinGroup (a rebalance starts), or a consumer
    /// protocol member's first heartbeat (the group epoch goes up).
    MemberJoined {
        group: String,
        /// The member id, `<consumer>#<n>`.
        member: String,
    },
    /// A member left a group: it closed (LeaveGroup), switched to `assign()`, missed
    /// `max.poll.interval.ms` or `session.timeout.ms`, or did not rejoin a classic rebalance
    /// in time.
    MemberLeft {
        group: String,
        member: String,
        reason: String,
    },
    /// A member got partitions it did not own: a classic SyncGroup handing out the leader's
    /// assignment, or a consumer protocol heartbeat once the previous owner released them.
    PartitionsAssigned {
        group: String,
        member: String,
        /// Only the partitions added.
        partitions: Vec<TopicPartition>,
        /// Classic: the generation; consumer protocol: the group epoch.
        generation: u32,
    },
    /// A member gave partitions up (`onPartitionsRevoked`, after a commit with auto-commit
    /// on): all of them when an eager member rejoins, closes or misses
    /// `max.poll.interval.ms`, those it no longer reads after `subscribe()` or `assign()`, and
    /// those a new assignment moves elsewhere.
    PartitionsRevoked {
        group: String,
        /// The member id, or the consumer's name outside a group.
        member: String,
        partitions: Vec<TopicPartition>,
    },
    /// Taken away without a chance to commit (`onPartitionsLost`): the member's heartbeat found
    /// that the group had dropped it (UNKNOWN_MEMBER_ID).
    PartitionsLost {
        group: String,
        member: String,
        partitions: Vec<TopicPartition>,
    },
    /// Consumer protocol: the coordinator's new target assignment for a group epoch, computed
    /// by the server-side assignor whenever members, subscriptions or partitions change.
    TargetAssignment {
        group: String,
        epoch: u32,
        /// Member id → the partitions it should own.
        assignment: Assignment,
    },

    // ---- Offsets ----
    // (OffsetCommitted, further down, belongs here too.)
    /// A poll's auto-commit was refused by the group (an old generation, an unknown member, a
    /// rebalance in progress); the poll goes on.
    CommitFailed {
        consumer: String,
        /// The refusal's message.
        error: String,
    },
    /// `kafka-consumer-groups.sh --reset-offsets --execute` moved a group's committed offset.
    OffsetReset {
        group: String,
        topic: String,
        partition: PartitionId,
        /// The committed offset before; `None` when there was none.
        from: Option<Offset>,
        to: Offset,
    },

    // ---- Transactions ----
    /// A transactional producer called `beginTransaction()`.
    TransactionBegun { producer: String },
    /// A transaction ended: once the producer had no batch waiting or in flight after
    /// `commitTransaction()` or `abortTransaction()`, and every partition its batches reached
    /// had a running leader, each got a commit or abort marker (a control record);
    /// read_committed consumers no longer wait at its first record. Without partitions: the
    /// producer's abort after the coordinator's timeout (whose markers are written already),
    /// or a transaction that wrote nothing.
    TransactionEnded {
        producer: String,
        outcome: Control,
        /// The partitions that got a marker, as `topic-p`.
        partitions: Vec<String>,
    },

    // ---- Logs: retention and compaction ----
    // (RecordsLost and RecordsTruncated, above, also shorten logs.)
    /// Retention deleted whole segments from the start of a partition's log (the delete
    /// policy, every `log.retention.check.interval.ms`).
    SegmentsDeleted {
        topic: String,
        partition: PartitionId,
        /// The records deleted from the leader's log.
        records: u64,
        /// The new log start offset.
        log_start: Offset,
        /// The limit passed: "retention.ms: ..." or "retention.bytes: ...".
        reason: String,
    },
    /// The log cleaner compacted a partition (the compact policy, every
    /// `log.retention.check.interval.ms`).
    LogCompacted {
        topic: String,
        partition: PartitionId,
        /// Records superseded by a newer record with the same key.
        removed: u64,
        /// Tombstones older than `delete.retention.ms`.
        tombstones: u64,
    },

    // ---- Consumers, continued: polls and commits ----
    /// A poll started reading a partition the consumer had no position in: from the group's
    /// committed offset, else by `auto.offset.reset`; also when its offset fell outside the
    /// log (OFFSET_OUT_OF_RANGE: after retention, or past the end without a leader change to
    /// validate it against; see `TruncationDetected`).
    PositionReset {
        consumer: String,
        topic: String,
        partition: PartitionId,
        /// Where it starts reading.
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
    /// A group's committed offset for a partition changed: `commitSync()` (Commit), an
    /// auto-commit in a poll, or the commit before partitions are revoked.
    OffsetCommitted {
        group: String,
        consumer: String,
        topic: String,
        partition: PartitionId,
        /// The next offset to read (the last processed + 1).
        offset: Offset,
    },
    /// The consumer's poll loop stopped with this refusal (its message), e.g. no offset to
    /// start from with `auto.offset.reset=none`; it stays stopped until a Poll or a new
    /// subscription succeeds.
    PollFailed { consumer: String, error: String },

    // ---- Groups, continued ----
    /// A group's coordinator changed because the leadership of its `__consumer_offsets`
    /// partition moved: its leader was fenced, a restart brought the partition back, or a
    /// preferred leader election moved it. `to` is `None` while that partition has no leader
    /// (FindCoordinator answers COORDINATOR_NOT_AVAILABLE).
    CoordinatorMoved {
        group: String,
        /// The group's `__consumer_offsets` partition.
        partition: PartitionId,
        from: Option<BrokerId>,
        to: Option<BrokerId>,
    },

    // ---- Consumers, continued: validation ----
    /// A poll validated a consumer's position after its partition's leader changed, or the
    /// committed offset it starts from (KIP-320: OffsetsForLeaderEpoch for the leader epoch of
    /// the last record read before it), and found the leader's log truncated below it: what it
    /// read there was lost in an unclean election. It moves back to where the logs diverge and
    /// reads what the leader has there ("Truncation detected",
    /// `SubscriptionState.maybeCompleteValidation`).
    TruncationDetected {
        consumer: String,
        topic: String,
        partition: PartitionId,
        /// The position validated, and the epoch it was read in.
        offset: Offset,
        epoch: LeaderEpoch,
        /// The new position; `None` when the leader knew no end for that epoch, so
        /// `auto.offset.reset` chose it (a `PositionReset` follows).
        diverged_at: Option<Offset>,
        /// The position was the group's committed offset.
        committed: bool,
    },

    // ---- Transactions, continued ----
    /// The transaction coordinator aborted a transaction open longer than its producer's
    /// `transaction.timeout.ms` (checked every 10 s) and bumped the producer's epoch; the
    /// leaders of its partitions appended abort markers, so read_committed consumers skip its
    /// records and move past it. Its later batches fail with INVALID_PRODUCER_EPOCH and its
    /// commit is refused until the producer calls `abortTransaction()`.
    TransactionTimedOut {
        producer: String,
        timeout_ms: u64,
        /// The partitions that got an abort marker, as `topic-p`.
        partitions: Vec<String>,
    },

    // ---- Brokers and the controller, continued ----
    /// A broker shut down gracefully (Stop broker, a controlled shutdown as on SIGTERM): the
    /// controller moved its leaderships to other in-sync replicas and took it out of every ISR
    /// (`LeaderElected`, `IsrShrunk`), then fenced it. Its restart is clean, so it keeps its
    /// place in any ELR.
    BrokerShutDown { broker: BrokerId },

    // ---- Replication, continued: eligible leader replicas ----
    /// The controller changed a partition's eligible leader replicas (KIP-966): replicas that
    /// left the ISR while it was below min.insync.replicas join them; they leave on rejoining
    /// the ISR, being elected, restarting after an unclean shutdown, an unclean election, or a
    /// min.insync.replicas change; the ISR at min.insync.replicas clears them.
    ElrChanged {
        topic: String,
        partition: PartitionId,
        /// The ELR now.
        elr: Vec<BrokerId>,
        /// Why, in words.
        reason: String,
    },

    // ---- Replication, continued: a cancelled reassignment ----
    /// `kafka-reassign-partitions.sh --cancel`: the replicas the reassignment was adding were
    /// deleted with what they had copied, the others stay.
    ReassignmentCancelled {
        topic: String,
        partition: PartitionId,
        /// The replicas now.
        replicas: Vec<BrokerId>,
    },

    // ---- Brokers, continued: network and disk faults (`network.rs`) ----
    /// A broker's replica fetchers slowed down (Slow broker: a slow disk or a saturated
    /// link): under load its followers fall behind and leave the ISRs after
    /// `replica.lag.time.max.ms` (`IsrShrunk`).
    BrokerSlowed { broker: BrokerId },
    /// A broker was cut off from the controller (its heartbeats stop; it is fenced after
    /// `broker.session.timeout.ms` and may go on as a zombie leader) or from the clients (their
    /// requests to it time out).
    BrokerIsolated { broker: BrokerId, from: Isolation },
    /// A broker's faults ended (Heal broker): it reaches the controller and the clients and
    /// fetches at full speed again; a broker fenced while cut off is unfenced, and its replicas
    /// follow their leaders, truncating what a zombie wrote (`RecordsTruncated`,
    /// `AcknowledgedRecordsLost`).
    BrokerHealed {
        broker: BrokerId,
        /// It had been fenced and the controller unfenced it.
        unfenced: bool,
    },
    /// A zombie leader appended a producer's batch: `broker`, cut off from the controller,
    /// still believes it leads in `epoch`, though the controller has moved the leadership to
    /// `leader` (`None`: the partition is offline). Pushed instead of `RecordsAppended`.
    ZombieAppended {
        topic: String,
        partition: PartitionId,
        broker: BrokerId,
        /// The epoch the zombie believes in.
        epoch: LeaderEpoch,
        /// The controller's leader.
        leader: Option<BrokerId>,
        /// The offsets written on the zombie, `from..to`.
        from: Offset,
        to: Offset,
        producer: String,
        acks: Acks,
    },
    /// A replica truncated records that their producers had been told were written (acks=1:
    /// the leader answered as it appended them; acks=all: they were below its high
    /// watermark, which only an unclean election undoes). Each is counted once, in the
    /// partition's acknowledged-then-lost total. Pushed after `RecordsTruncated`.
    AcknowledgedRecordsLost {
        topic: String,
        partition: PartitionId,
        /// The replica that truncated them.
        broker: BrokerId,
        records: u64,
        /// The offsets they span, `from..to`.
        from: Offset,
        to: Offset,
    },

    // ---- Groups, continued: static membership (KIP-345) ----
    /// A consumer with a `group.instance.id` took the place of the member holding it: its
    /// partitions, with no rebalance. A live older consumer is fenced (classic).
    StaticMemberReplaced {
        group: String,
        instance: String,
        /// The member id it replaced, and its own.
        from: String,
        to: String,
    },
    /// A static member stopped without leaving its group (classic: no LeaveGroup; consumer
    /// protocol: member epoch -2): its partitions wait for it for `session.timeout.ms`.
    StaticMemberAway {
        group: String,
        member: String,
        instance: String,
        session_timeout_ms: u64,
    },

    /// A producer started with a `transactional.id` another producer held (InitProducerId):
    /// the transaction coordinator bumped the epoch, fencing the older producer. Its open
    /// transaction was aborted (abort markers with the bumped epoch), the leaders refuse its
    /// late batches (INVALID_PRODUCER_EPOCH) and its next call fails with
    /// ProducerFencedException, a fatal error: it must be closed.
    ProducerFenced {
        /// The fenced producer.
        producer: String,
        /// The producer that took the `transactional.id`.
        by: String,
        transactional_id: String,
        /// The epoch `by` got.
        epoch: ProducerEpoch,
        /// The partitions that got an abort marker, as `topic-p`.
        partitions: Vec<String>,
    },

    // ---- The controller quorum (KRaft) ----
    /// A controller's process died (Crash controller). If it was the active controller, the
    /// others elect another (`ControllerLost`, then `ControllerElected`) once their fetch
    /// timeout runs out.
    ControllerCrashed { controller: ControllerId },
    /// A crashed controller runs again, from its epoch, vote and metadata log on disk, and
    /// catches up from the active controller.
    ControllerRestarted { controller: ControllerId },
    /// A controller won a Raft election (pre-vote, then a vote from a majority) and is the
    /// active controller of `epoch`: from now on it fences, elects and creates.
    ControllerElected {
        controller: ControllerId,
        epoch: u32,
    },
    /// The active controller of `epoch` stopped being it (`reason`: it crashed, resigned when
    /// no majority fetched from it, or saw a newer epoch).
    ControllerLost {
        controller: ControllerId,
        epoch: u32,
        reason: String,
    },
    /// Fewer than a majority of the controllers run: none can be elected, and the metadata
    /// freezes (nothing fenced, elected, created or changed) until one more returns.
    QuorumLost { running: u32, voters: u32 },
    /// A majority of the controllers runs again, so they can elect an active controller.
    QuorumRegained { running: u32, voters: u32 },
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
