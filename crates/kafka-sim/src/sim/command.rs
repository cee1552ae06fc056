//! What the user (or a lesson, or the UI) asks the simulated cluster to do.
use crate::sim::ids::{BrokerId, ControllerId, PartitionId};
use crate::sim::network::Isolation;
use crate::sim::ordered::Map;
use crate::sim::types::{
    ConsumerConfig, KeySet, ProducerConfig, ResetSpec, Subscription, TopicPartition,
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    /// A new broker with the next free id.
    AddBroker,
    /// Stops a broker at once, without a controlled shutdown.
    CrashBroker {
        broker: BrokerId,
    },
    RestartBroker {
        broker: BrokerId,
    },
    /// Removes a broker that holds no replicas.
    DecommissionBroker {
        broker: BrokerId,
    },
    /// `kafka-topics.sh --create`. Counts are signed so that any number typed can be checked.
    CreateTopic {
        name: String,
        partitions: i64,
        replication_factor: i64,
        #[serde(deserialize_with = "crate::sim::ordered::deserialize_map")]
        configs: Map<String, String>,
    },
    DeleteTopic {
        topic: String,
    },
    /// `kafka-topics.sh --alter --partitions`: grows a topic to `partitions`.
    AddPartitions {
        topic: String,
        partitions: i64,
    },
    /// `kafka-configs.sh --alter --add-config` (a value) or `--delete-config` (`None`).
    AlterTopicConfig {
        topic: String,
        key: String,
        value: Option<String>,
    },
    /// `kafka-reassign-partitions.sh --execute`: moves a partition's replicas to `replicas`,
    /// whose length may differ from the replication factor's.
    ReassignPartition {
        topic: String,
        partition: PartitionId,
        replicas: Vec<BrokerId>,
    },
    /// `kafka-leader-election.sh --election-type PREFERRED`, for one topic or all.
    ElectPreferredLeaders {
        topic: Option<String>,
    },
    AddProducer {
        producer: String,
        config: ProducerConfig,
    },
    /// `producer.send(new ProducerRecord(topic, partition, key, value))`. No key means a null
    /// key, no value a tombstone, no partition lets the partitioner choose.
    Produce {
        producer: String,
        topic: String,
        partition: Option<i64>,
        key: Option<String>,
        value: Option<String>,
    },
    /// `producer.flush()`: send every buffered batch now, whatever linger.ms says.
    Flush {
        producer: String,
    },
    /// A producer sending `rate_per_sec` records per second to `topic`.
    StartGenerator {
        generator: String,
        producer: String,
        topic: String,
        rate_per_sec: u64,
        keys: KeySet,
    },
    StopGenerator {
        generator: String,
    },
    /// A producer with a `transactional.id` opens a transaction.
    BeginTransaction {
        producer: String,
    },
    /// Commits the open transaction once its batches are written.
    CommitTransaction {
        producer: String,
    },
    /// Aborts the open transaction: unsent batches are dropped, written ones marked aborted.
    AbortTransaction {
        producer: String,
    },
    /// Starts a consumer: `subscribe()` to topics (joining its group) or `assign()` partitions.
    AddConsumer {
        consumer: String,
        subscription: Subscription,
        config: ConsumerConfig,
    },
    /// `subscribe()` to other topics or `assign()` other partitions.
    Subscribe {
        consumer: String,
        subscription: Subscription,
    },
    /// One `consumer.poll()`.
    Poll {
        consumer: String,
    },
    /// `consumer.commitSync()`: commits the consumer's current positions.
    Commit {
        consumer: String,
    },
    /// `consumer.seek(partition, offset)`.
    Seek {
        consumer: String,
        topic: String,
        partition: PartitionId,
        offset: u64,
    },
    /// `consumer.close()`: commit (with auto-commit on), leave the group, stop.
    CloseConsumer {
        consumer: String,
    },
    /// The consumer's process dies: no commit, no goodbye.
    CrashConsumer {
        consumer: String,
    },
    /// `kafka-consumer-groups.sh --delete --group`: only an Empty group; its offsets go and it is
    /// Dead.
    DeleteGroup {
        group: String,
    },
    /// `kafka-consumer-groups.sh --reset-offsets ... --execute` for one topic or all the
    /// group's topics; only while the group has no active members.
    ResetOffsets {
        group: String,
        topic: Option<String>,
        spec: ResetSpec,
    },
    // Shared links encode a variant by its position (postcard), so new variants go last and
    // existing ones keep their fields: a link written before still reads as it did.
    /// `kafka-topics.sh --create --replica-assignment`: a topic whose partition p has the
    /// replicas `assignment[p]`, the first of each list its preferred leader (the Admin API's
    /// `new NewTopic(name, replicasAssignments)`).
    CreateTopicWithAssignment {
        name: String,
        assignment: Vec<Vec<BrokerId>>,
        #[serde(deserialize_with = "crate::sim::ordered::deserialize_map")]
        configs: Map<String, String>,
    },
    /// `kafka-topics.sh --alter --partitions N --replica-assignment`: grows a topic to
    /// `partitions`, the new partitions on `assignment`, in order (the Admin API's
    /// `NewPartitions.increaseTo(partitions, assignment)`: the new partitions' lists only).
    AddPartitionsWithAssignment {
        topic: String,
        partitions: i64,
        assignment: Vec<Vec<BrokerId>>,
    },
    /// `kafka-leader-election.sh` (`Admin.electLeaders`): a preferred or an unclean election in
    /// each of `partitions`, every partition with `None` (`--all-topic-partitions`). Each
    /// partition gets its own answer (`Outcome::LeadersElected`), as
    /// `ReplicationControlManager.electLeaders` gives them.
    ElectLeaders {
        election: ElectionType,
        partitions: Option<Vec<TopicPartition>>,
    },
    /// Stops a broker gracefully (SIGTERM: a controlled shutdown): the controller first moves
    /// its leaderships to other in-sync replicas and takes it out of every ISR; it restarts
    /// clean.
    ShutDownBroker {
        broker: BrokerId,
    },
    /// A new broker with the next free id and `broker.rack` set to `rack`.
    AddBrokerOnRack {
        rack: String,
    },
    /// `kafka-reassign-partitions.sh --cancel`: stops a partition's reassignment, dropping
    /// the replicas it was adding (the Admin API's `alterPartitionReassignments` with no
    /// target).
    CancelReassignment {
        topic: String,
        partition: PartitionId,
    },
    /// A broker's replica fetchers slow down (a slow disk or a saturated network link): one
    /// batch a second (`network.rs`). Heal undoes it.
    SlowBroker {
        broker: BrokerId,
    },
    /// Cuts a broker off from the controller (its heartbeats stop arriving; it is fenced and
    /// may go on as a zombie leader) or from the clients (`network.rs`). Heal undoes it.
    IsolateBroker {
        broker: BrokerId,
        from: Isolation,
    },
    /// Ends every network and disk fault of a broker: it reaches the controller and the
    /// clients again and fetches at full speed.
    HealBroker {
        broker: BrokerId,
    },
    /// Starts a static consumer (KIP-345): as `AddConsumer`, with `group.instance.id` set.
    AddStaticConsumer {
        consumer: String,
        subscription: Subscription,
        config: ConsumerConfig,
        group_instance_id: String,
    },
    /// The consumer's process restarts: it closes (a static member without leaving its group)
    /// and starts again at once with the same settings.
    RestartConsumer {
        consumer: String,
    },
    /// Stops a KRaft controller's process at once (`docker compose kill` in the export).
    CrashController {
        controller: ControllerId,
    },
    /// Starts a crashed controller again, from its epoch, vote and log on disk.
    RestartController {
        controller: ControllerId,
    },
}

/// `kafka-leader-election.sh --election-type` (Kafka's `ElectionType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ElectionType {
    /// Leadership back to the preferred (first assigned) replica, if it is alive and in sync.
    Preferred,
    /// A leader for a partition that has none: in sync if one is alive, else any live replica,
    /// whatever `unclean.leader.election.enable` says (the records it lacks are lost).
    Unclean,
}

impl ElectionType {
    /// As Kafka prints it.
    pub fn name(self) -> &'static str {
        match self {
            ElectionType::Preferred => "PREFERRED",
            ElectionType::Unclean => "UNCLEAN",
        }
    }
}

/// The controller's answer for one partition of an `ElectLeaders`
/// (`ReplicationControlManager.electLeader`), named by Kafka's error codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ElectionAnswer {
    Elected,
    /// `ELECTION_NOT_NEEDED`: the preferred replica leads already (preferred), or the partition
    /// has a leader (unclean).
    NotNeeded,
    /// `PREFERRED_LEADER_NOT_AVAILABLE`: the preferred replica is down or out of sync.
    PreferredLeaderNotAvailable,
    /// `ELIGIBLE_LEADERS_NOT_AVAILABLE`: no replica of the partition is alive.
    EligibleLeadersNotAvailable,
    /// `UNKNOWN_TOPIC_OR_PARTITION`.
    UnknownTopicOrPartition,
}

impl Command {
    /// A topic with Kafka's default configs.
    pub fn create_topic(name: &str, partitions: i64, replication_factor: i64) -> Command {
        Command::CreateTopic {
            name: name.to_owned(),
            partitions,
            replication_factor,
            configs: Map::new(),
        }
    }

    /// A consumer subscribed to one topic.
    pub fn subscribe(consumer: &str, topic: &str, config: ConsumerConfig) -> Command {
        Command::AddConsumer {
            consumer: consumer.to_owned(),
            subscription: Subscription::Topics(vec![topic.to_owned()]),
            config,
        }
    }

    /// A record from `producer` to `topic`.
    pub fn produce(producer: &str, topic: &str, key: Option<&str>, value: &str) -> Command {
        Command::Produce {
            producer: producer.to_owned(),
            topic: topic.to_owned(),
            partition: None,
            key: key.map(str::to_owned),
            value: Some(value.to_owned()),
        }
    }
}

/// What an accepted command did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Done,
    BrokerAdded {
        broker: BrokerId,
    },
    /// The record waits in the producer's batch for `partition`; it is the producer's record
    /// number `record`.
    Queued {
        partition: PartitionId,
        record: u64,
    },
    /// How many records the poll returned.
    Polled {
        records: usize,
    },
    /// How many partitions got a new committed offset.
    Committed {
        partitions: usize,
    },
    /// Each partition's answer to an `ElectLeaders`, in the order asked (all partitions: in
    /// topic order, leaving out those that needed no election, as Kafka does).
    LeadersElected {
        answers: Vec<(TopicPartition, ElectionAnswer)>,
    },
}
