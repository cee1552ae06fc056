use super::*;
use crate::sim::broker::BrokerStatus;
use crate::sim::coordinator::GroupState;
use crate::sim::event::Event;
use crate::sim::ids::Offset;
use crate::sim::types::{Acks, ConsumerConfig, ProduceError, Subscription};
use crate::sim::{PartitionId, Sim, SimConfig};

const BOOT: &str = "--bootstrap-server localhost:9092";

fn timeline() -> Timeline {
    Timeline::new(Sim::new(SimConfig::default(), 7).expect("three brokers"))
}

/// Runs each line; returns the last reply.
fn run(console: &mut Console, timeline: &mut Timeline, lines: &[&str]) -> Reply {
    let mut reply = Reply::from(Ok(Vec::new()));
    for line in lines {
        reply = console.enter(&line.replace("BOOT", BOOT), timeline);
    }
    reply
}

fn ok(console: &mut Console, timeline: &mut Timeline, line: &str) -> Vec<String> {
    let reply = run(console, timeline, &[line]);
    assert!(!reply.failed, "{line}: {:?}", reply.lines);
    reply.lines
}

/// The line fails with `expected` as its first line and changes nothing.
fn refused(console: &mut Console, timeline: &mut Timeline, line: &str, expected: &str) {
    let before = timeline.sim().state_hash();
    let reply = run(console, timeline, &[line]);
    assert!(reply.failed, "{line} should fail: {:?}", reply.lines);
    assert_eq!(
        reply.lines.first().map(String::as_str),
        Some(expected),
        "{line}"
    );
    assert_eq!(
        timeline.sim().state_hash(),
        before,
        "{line} changed the state"
    );
}

#[test]
fn kafka_topics_creates_lists_describes_alters_and_deletes() {
    let (mut c, mut t) = (Console::new(), timeline());
    assert_eq!(
        ok(
            &mut c,
            &mut t,
            "kafka-topics.sh BOOT --create --topic orders --partitions 3 --replication-factor 2 --config min.insync.replicas=2"
        ),
        ["Created topic orders."]
    );
    ok(
        &mut c,
        &mut t,
        "bin/kafka-topics.sh BOOT --create --topic audit",
    );
    assert_eq!(
        ok(&mut c, &mut t, "kafka-topics.sh BOOT --list"),
        ["audit", "orders"]
    );
    let described = ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --describe --topic orders",
    );
    assert_eq!(
        described[0],
        "Topic: orders\tPartitionCount: 3\tReplicationFactor: 2\tConfigs: min.insync.replicas=2"
    );
    assert_eq!(described.len(), 4);
    for (i, line) in described[1..].iter().enumerate() {
        assert!(
            line.starts_with(&format!("\tTopic: orders\tPartition: {i}\tLeader: ")),
            "{line}"
        );
        assert!(
            line.contains("\tReplicas: ") && line.contains("\tIsr: "),
            "{line}"
        );
    }
    assert!(
        ok(
            &mut c,
            &mut t,
            "kafka-topics.sh BOOT --alter --topic orders --partitions 5"
        )
        .is_empty()
    );
    assert_eq!(
        t.sim().view().topic("orders").map(|t| t.partitions.len()),
        Some(5)
    );
    assert!(
        ok(
            &mut c,
            &mut t,
            "kafka-topics.sh BOOT --delete --topic audit"
        )
        .is_empty()
    );
    assert_eq!(
        ok(&mut c, &mut t, "kafka-topics.sh BOOT --list"),
        ["orders"]
    );
    assert_eq!(
        ok(&mut c, &mut t, "kafka-topics.sh BOOT --describe").len(),
        6
    );
}

/// The tool's own checks of `--partitions` and `--replication-factor` (TopicCommand.java,
/// `TopicService.createTopic`), the controller's words for an alter that does not grow
/// (`ReplicationControlManager.createPartitions`) and `checkRequiredArgs` for `--alter`.
#[test]
fn kafka_topics_errors_read_like_kafkas_and_change_nothing() {
    let (mut c, mut t) = (Console::new(), timeline());
    ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic orders --partitions 2",
    );
    let cases = [
        (
            "kafka-topics.sh BOOT --create --topic orders",
            "Error while executing topic command : Topic 'orders' already exists.",
        ),
        (
            "kafka-topics.sh BOOT --create --topic 'bad name'",
            "Error while executing topic command : Topic name is invalid: 'bad name' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'",
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --replication-factor 4",
            "Error while executing topic command : Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered.",
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --partitions 0",
            "Error while executing topic command : The partitions must be greater than 0",
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --partitions -1",
            "Error while executing topic command : The partitions must be greater than 0",
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --replication-factor 0",
            "Error while executing topic command : The replication factor must be between 1 and 32767 inclusive",
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --replication-factor -1",
            "Error while executing topic command : The replication factor must be between 1 and 32767 inclusive",
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --replication-factor 32768",
            "Error while executing topic command : The replication factor must be between 1 and 32767 inclusive",
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --config retention.ms=soon",
            "Error while executing topic command : Invalid value soon for configuration retention.ms: -1 (keep forever) or a number of ms",
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --config colour=red",
            "Error while executing topic command : Unknown topic config name: colour",
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --partitions three",
            "Cannot parse argument 'three' of option partitions",
        ),
        (
            "kafka-topics.sh BOOT --alter --topic orders --partitions 1",
            "Error while executing topic command : The topic orders currently has 2 partition(s); 1 would not be an increase.",
        ),
        (
            "kafka-topics.sh BOOT --alter --topic orders --partitions 2",
            "Error while executing topic command : Topic already has 2 partition(s).",
        ),
        (
            "kafka-topics.sh BOOT --alter --topic orders --partitions -1",
            "Error while executing topic command : The topic orders currently has 2 partition(s); -1 would not be an increase.",
        ),
        (
            "kafka-topics.sh BOOT --alter --topic orders",
            "Missing required argument \"[partitions]\"",
        ),
        (
            "kafka-topics.sh BOOT --describe --topic nope",
            "Error while executing topic command : Topic 'nope' does not exist as expected",
        ),
        (
            "kafka-topics.sh BOOT --delete --topic nope",
            "Error while executing topic command : Topic 'nope' does not exist as expected",
        ),
        (
            "kafka-topics.sh --list",
            "Missing required argument \"[bootstrap-server]\"",
        ),
        (
            "kafka-topics.sh BOOT --list --describe",
            "Command must include exactly one action: --create, --list, --describe, --alter, --delete",
        ),
        (
            "kafka-topics.sh BOOT --create",
            "Missing required argument \"[topic]\"",
        ),
        (
            "kafka-topics.sh BOOT --list --colour",
            "colour is not a recognized option",
        ),
        (
            "kafka-topics.sh BOOT --create --topic 'x",
            "unexpected end of line: a ' is not closed",
        ),
        (
            "kafak-topics.sh --list",
            "kafak-topics.sh: command not found (type help for the tools)",
        ),
    ];
    for (line, expected) in cases {
        refused(&mut c, &mut t, line, expected);
    }
}

/// `ReplicationControlManager.createTopic` prefixes the placer's words ("Unable to replicate
/// the partition R time(s): ..."), `.createPartitions` returns them as they are; a fenced
/// broker still counts as registered (`StripedReplicaPlacer.place`).
#[test]
fn placement_errors_read_like_the_controllers() {
    let (mut c, mut t) = (Console::new(), timeline());
    ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic orders --partitions 1",
    );
    run(&mut c, &mut t, &["crash-broker 3", "sleep 10"]);
    ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic three --replication-factor 3",
    );
    refused(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic four --replication-factor 4",
        "Error while executing topic command : Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered.",
    );
    run(
        &mut c,
        &mut t,
        &["crash-broker 1", "crash-broker 2", "sleep 10"],
    );
    refused(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic none",
        "Error while executing topic command : Unable to replicate the partition 1 time(s): All brokers are currently fenced.",
    );
    refused(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --alter --topic orders --partitions 2",
        "Error while executing topic command : All brokers are currently fenced.",
    );
}

/// `--replica-assignment` as `TopicCommand` reads it (`parseReplicaAssignment`: ',' between
/// partitions, ':' between brokers, Java's `String.split` dropping trailing empty parts,
/// brokers trimmed) and sends it: a new topic's every list, a grown topic's lists past the
/// partitions it has (`topicNewPartitions` skips those). The controller leads each partition
/// from its first replica it has not fenced (`ReplicationControlManager.createTopic`).
#[test]
fn kafka_topics_places_partitions_where_replica_assignment_says() {
    let (mut c, mut t) = (Console::new(), timeline());
    assert_eq!(
        ok(
            &mut c,
            &mut t,
            "kafka-topics.sh BOOT --create --topic pinned --replica-assignment ' 2 : 3 ,3:1, 1:2,' --config min.insync.replicas=2"
        ),
        ["Created topic pinned."]
    );
    assert_eq!(
        t.command_log().last().map(|(_, c)| c.clone()),
        Some(Command::CreateTopicWithAssignment {
            name: "pinned".into(),
            assignment: vec![
                vec![BrokerId(2), BrokerId(3)],
                vec![BrokerId(3), BrokerId(1)],
                vec![BrokerId(1), BrokerId(2)],
            ],
            configs: crate::sim::ordered::map_of([(
                "min.insync.replicas".to_owned(),
                "2".to_owned()
            )]),
        })
    );
    let described = ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --describe --topic pinned",
    );
    assert!(
        described[1].contains("Partition: 0\tLeader: 2\tReplicas: 2,3\tIsr: 2,3"),
        "{described:?}"
    );
    assert!(
        described[3].contains("Partition: 2\tLeader: 1\tReplicas: 1,2\tIsr: 1,2"),
        "{described:?}"
    );
    // The first three lists stand for the partitions the topic has: TopicCommand skips them.
    ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --alter --topic pinned --partitions 5 --replica-assignment=9:8,9:8,9:8,3:2,1:3",
    );
    assert_eq!(
        t.command_log().last().map(|(_, c)| c.clone()),
        Some(Command::AddPartitionsWithAssignment {
            topic: "pinned".into(),
            partitions: 5,
            assignment: vec![
                vec![BrokerId(3), BrokerId(2)],
                vec![BrokerId(1), BrokerId(3)]
            ],
        })
    );
    let leaders: Vec<Option<BrokerId>> = (0..5)
        .map(|p| {
            t.sim()
                .partition("pinned", PartitionId(p))
                .and_then(|p| p.leader)
        })
        .collect();
    assert_eq!(
        leaders,
        [2, 3, 1, 3, 1].map(|b| Some(BrokerId(b))),
        "each partition led by its first replica"
    );
    // A broker the controller fenced is a replica but not in the ISR.
    ok(&mut c, &mut t, "crash-broker 1");
    ok(&mut c, &mut t, "sleep 10");
    ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic later --replica-assignment 1:2",
    );
    let later = ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --describe --topic later",
    );
    assert!(
        later[1].contains("Leader: 2\tReplicas: 1,2\tIsr: 2\tElr"),
        "{later:?}"
    );
}

/// `--replica-assignment` refused as Kafka 4.0 refuses it, changing nothing: beside
/// --partitions or --replication-factor with --create, and with any action but --create and
/// --alter (`TopicCommandOptions.checkInvalidArgs`, `CommandLineUtils.checkInvalidArgs`);
/// what `TopicCommand.parseReplicaAssignment` cannot read (`Integer.parseInt`'s
/// NumberFormatException, duplicates, lists of different lengths); and what the controller
/// refuses (`ReplicationControlManager.validateManualPartitionAssignment`, `createTopic`,
/// `createPartitions`).
#[test]
fn kafka_topics_replica_assignment_errors_read_like_kafkas() {
    let (mut c, mut t) = (Console::new(), timeline());
    ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic orders --partitions 2",
    );
    let failed = |message: &str| format!("Error while executing topic command : {message}");
    let cases = [
        (
            "kafka-topics.sh BOOT --create --topic x --replica-assignment 1:2 --partitions 1",
            "Option \"[replica-assignment]\" can't be used with option \"[partitions]\"".to_owned(),
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --replication-factor 2 --replica-assignment 1:2",
            "Option \"[replica-assignment]\" can't be used with option \"[replication-factor]\""
                .to_owned(),
        ),
        (
            "kafka-topics.sh BOOT --describe --replica-assignment 1:2",
            "Option \"[replica-assignment]\" can't be used with option \"[describe]\"".to_owned(),
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --replica-assignment 1:two",
            failed("For input string: \"two\""),
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --replica-assignment ,1",
            failed("For input string: \"\""),
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --replica-assignment 1:3000000000",
            failed("For input string: \"3000000000\""),
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --replica-assignment 3:2:3:2,1:2",
            failed("Partition replica lists may not contain duplicate entries: 2,3"),
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --replica-assignment 1:2,3",
            failed("Partition 1 has different replication factor: [3]"),
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --replica-assignment 1:9",
            failed(
                "The manual partition assignment includes broker 9, but no such broker is registered.",
            ),
        ),
        (
            "kafka-topics.sh BOOT --create --topic x --replica-assignment 1:-1",
            failed(
                "The manual partition assignment includes broker -1, but no such broker is registered.",
            ),
        ),
        (
            // Every part empty: one partition with no brokers.
            "kafka-topics.sh BOOT --create --topic x --replica-assignment ::",
            failed("The manual partition assignment includes an empty replica list."),
        ),
        (
            "kafka-topics.sh BOOT --create --topic orders --replica-assignment 1",
            failed("Topic 'orders' already exists."),
        ),
        (
            "kafka-topics.sh BOOT --alter --topic orders --partitions 4 --replica-assignment 1,2,3",
            failed(
                "Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified.",
            ),
        ),
        (
            "kafka-topics.sh BOOT --alter --topic orders --partitions 3 --replica-assignment 1:2,2:3,3:1",
            failed(
                "The manual partition assignment includes a partition with 2 replica(s), but this is not consistent with previous partitions, which have 1 replica(s).",
            ),
        ),
    ];
    for (line, expected) in cases {
        refused(&mut c, &mut t, line, &expected);
    }
}

#[test]
fn the_console_producer_sends_lines_and_the_consumer_reads_them_back() {
    let (mut c, mut t) = (Console::new(), timeline());
    ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic orders --partitions 3",
    );
    ok(
        &mut c,
        &mut t,
        "kafka-console-producer.sh BOOT --topic orders --property parse.key=true --property key.separator=:",
    );
    assert_eq!(c.prompt(), ">");
    for line in [
        "user-7:first",
        "user-7:second",
        "user-9:other",
        "user-7:third",
    ] {
        assert!(ok(&mut c, &mut t, line).is_empty());
    }
    ok(&mut c, &mut t, "^D");
    assert_eq!(c.prompt(), "$");
    ok(&mut c, &mut t, "sleep 2");
    let read = ok(
        &mut c,
        &mut t,
        "kafka-console-consumer.sh BOOT --topic orders --from-beginning --max-messages 4 --property print.key=true --group readers",
    );
    assert_eq!(read.len(), 5, "{read:?}");
    assert_eq!(read[4], "Processed a total of 4 messages");
    // One key, one partition: user-7's records come back in the order they were sent.
    let user7: Vec<&str> = read
        .iter()
        .filter_map(|l| l.strip_prefix("user-7\t"))
        .collect();
    assert_eq!(user7, ["first", "second", "third"]);
    assert!(read.contains(&"user-9\tother".to_owned()));
    // The formatter's other fields, in Kafka's order, each followed by a tab.
    let partition = t
        .sim()
        .records("orders", PartitionId(0))
        .iter()
        .chain(t.sim().records("orders", PartitionId(1)))
        .chain(t.sim().records("orders", PartitionId(2)))
        .find(|r| r.value.as_deref() == Some("first"))
        .map(|r| (r.offset.0, r.timestamp_ms))
        .expect("the first record");
    let fields = ok(
        &mut c,
        &mut t,
        "kafka-console-consumer.sh BOOT --topic orders --from-beginning --max-messages 4 --property print.timestamp=true --property print.offset=true --property print.partition=true --property print.key=true",
    );
    assert!(
        fields.iter().any(
            |l| l.starts_with(&format!("CreateTime:{}\tPartition:", partition.1))
                && l.ends_with(&format!("\tOffset:{}\tuser-7\tfirst", partition.0))
        ),
        "{fields:?}"
    );
    // The group committed its positions when the console consumer closed: nothing left to read.
    let again = ok(
        &mut c,
        &mut t,
        "kafka-console-consumer.sh BOOT --topic orders --group readers --timeout-ms 2000",
    );
    assert_eq!(again, ["Processed a total of 0 messages"]);
    let described = ok(
        &mut c,
        &mut t,
        "kafka-consumer-groups.sh BOOT --describe --group readers",
    );
    assert_eq!(
        described[1],
        "Consumer group 'readers' has no active members."
    );
    assert!(described[3].starts_with("GROUP"), "{described:?}");
    let lags: u64 = described[4..]
        .iter()
        .map(|row| {
            row.split_whitespace()
                .nth(5)
                .and_then(|l| l.parse::<u64>().ok())
                .unwrap_or(99)
        })
        .sum();
    assert_eq!(lags, 0, "{described:?}");
}

/// `null.marker` (Kafka's `LineMessageReader`): a key or value equal to it is sent as null, a
/// null value being a tombstone; the marker may not equal a separator.
#[test]
fn the_null_marker_sends_null_keys_and_tombstones() {
    let (mut c, mut t) = (Console::new(), timeline());
    ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic orders",
    );
    refused(
        &mut c,
        &mut t,
        "kafka-console-producer.sh BOOT --topic orders --property parse.key=true --property key.separator=: --property null.marker=:",
        "org.apache.kafka.common.KafkaException: null.marker and key.separator may not be equal",
    );
    ok(
        &mut c,
        &mut t,
        "kafka-console-producer.sh BOOT --topic orders --property parse.key=true --property null.marker=NULL",
    );
    ok(&mut c, &mut t, "NULL\tkeyless");
    ok(&mut c, &mut t, "gone\tNULL");
    ok(&mut c, &mut t, "^D");
    for _ in 0..20 {
        t.tick();
    }
    let records: Vec<_> = t
        .sim()
        .records("orders", PartitionId(0))
        .iter()
        .map(|r| (r.key.as_deref(), r.value.as_deref()))
        .collect();
    assert_eq!(records, [(None, Some("keyless")), (Some("gone"), None)]);
}

#[test]
fn a_line_without_the_key_separator_ends_the_console_producer_as_in_kafka() {
    let (mut c, mut t) = (Console::new(), timeline());
    ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic orders",
    );
    ok(
        &mut c,
        &mut t,
        "kafka-console-producer.sh BOOT --topic orders --property parse.key=true",
    );
    refused(
        &mut c,
        &mut t,
        "no tab here",
        "org.apache.kafka.common.KafkaException: No key separator found on line number 1: 'no tab here'",
    );
    assert_eq!(c.prompt(), "$");
    refused(
        &mut c,
        &mut t,
        "kafka-console-producer.sh BOOT --topic nope",
        "[Producer clientId=console-producer] Error while fetching metadata: {nope=UNKNOWN_TOPIC_OR_PARTITION}",
    );
    assert_eq!(c.prompt(), "$");
}

/// A console and a cluster with a one-partition topic `orders` holding `records` as values,
/// replicated and readable.
fn orders_with(records: &[&str]) -> (Console, Timeline) {
    let (mut c, mut t) = (Console::new(), timeline());
    ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic orders",
    );
    ok(
        &mut c,
        &mut t,
        "kafka-console-producer.sh BOOT --topic orders",
    );
    for record in records.iter().chain(&["^D", "sleep 2"]) {
        ok(&mut c, &mut t, record);
    }
    (c, t)
}

#[test]
fn without_from_beginning_the_console_consumer_starts_at_the_end() {
    let (mut c, mut t) = orders_with(&["old"]);
    let read = ok(
        &mut c,
        &mut t,
        "kafka-console-consumer.sh BOOT --topic orders --timeout-ms 3000",
    );
    assert_eq!(read, ["Processed a total of 0 messages"]);
    let read = ok(
        &mut c,
        &mut t,
        "kafka-console-consumer.sh BOOT --topic orders --partition 0 --offset 0 --max-messages 1",
    );
    assert_eq!(read, ["old", "Processed a total of 1 messages"]);
    refused(
        &mut c,
        &mut t,
        "kafka-console-consumer.sh BOOT --topic orders --partition 3",
        "--partition: orders has partitions 0 to 0",
    );
    refused(
        &mut c,
        &mut t,
        "kafka-console-consumer.sh BOOT --topic orders --offset 2",
        "The partition is required when offset is specified.",
    );
    refused(
        &mut c,
        &mut t,
        "kafka-console-consumer.sh BOOT --topic orders --max-messages 0",
        "--max-messages must be 1 or more",
    );
}

/// As `GetOffsetShell`: `topic:partition:offset`, latest by default (the high watermark),
/// earliest the log start, a timestamp the first record at or after it (empty when none).
#[test]
fn get_offsets_prints_each_partitions_offsets_as_kafka_does() {
    let (mut c, mut t) = orders_with(&["a", "b", "c"]);
    ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic empty --partitions 2",
    );
    assert_eq!(
        ok(&mut c, &mut t, "kafka-get-offsets.sh BOOT"),
        ["empty:0:0", "empty:1:0", "orders:0:3"]
    );
    assert_eq!(
        ok(
            &mut c,
            &mut t,
            "kafka-get-offsets.sh BOOT --topic orders --time -2"
        ),
        ["orders:0:0"]
    );
    assert_eq!(
        ok(
            &mut c,
            &mut t,
            "kafka-get-offsets.sh BOOT --topic empty --partitions 1"
        ),
        ["empty:1:0"]
    );
    assert_eq!(
        ok(
            &mut c,
            &mut t,
            "kafka-get-offsets.sh BOOT --topic orders --time 99999999"
        ),
        ["orders:0:"]
    );
    refused(
        &mut c,
        &mut t,
        "kafka-get-offsets.sh BOOT --topic nope",
        "Error occurred: Could not match any topic-partitions with the specified filters",
    );
    refused(
        &mut c,
        &mut t,
        "kafka-get-offsets.sh BOOT --partitions x",
        "Error occurred: --partitions expects a comma separated list of numeric partition ids, but received: x",
    );
}

/// As `ConsumerGroupCommand.deleteGroups`: every group named, a group with members refused
/// with GroupNotEmptyException, an unknown one with GroupIdNotFoundException, the ones deleted
/// listed after the failures.
#[test]
fn consumer_groups_delete_says_what_kafka_says() {
    let (mut c, mut t) = orders_with(&["a"]);
    ok(
        &mut c,
        &mut t,
        "kafka-console-consumer.sh BOOT --topic orders --group billing --from-beginning --max-messages 1",
    );
    ok(
        &mut c,
        &mut t,
        "kafka-console-consumer.sh BOOT --topic orders --group audit --from-beginning --max-messages 1",
    );
    assert_eq!(
        ok(
            &mut c,
            &mut t,
            "kafka-consumer-groups.sh BOOT --delete --group billing"
        ),
        ["Deletion of requested consumer groups ('billing') was successful."]
    );
    let reply = run(
        &mut c,
        &mut t,
        &["kafka-consumer-groups.sh BOOT --delete --group audit --group nope"],
    );
    assert!(reply.failed);
    assert_eq!(
        reply.lines,
        [
            "",
            "Error: Deletion of some consumer groups failed:",
            "* Group 'nope' could not be deleted due to: java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.GroupIdNotFoundException: The group id does not exist.",
            "",
            "These consumer groups were deleted successfully: 'audit'",
        ]
    );
    assert_eq!(
        ok(&mut c, &mut t, "kafka-consumer-groups.sh BOOT --list"),
        Vec::<String>::new()
    );
}

#[test]
fn consumer_groups_reset_offsets_dry_run_then_execute() {
    let (mut c, mut t) = orders_with(&["a", "b", "c"]);
    ok(
        &mut c,
        &mut t,
        "kafka-console-consumer.sh BOOT --topic orders --group billing --from-beginning --max-messages 3",
    );
    assert_eq!(
        ok(&mut c, &mut t, "kafka-consumer-groups.sh BOOT --list"),
        ["billing"]
    );
    let committed = |t: &Timeline| {
        t.sim()
            .committed("billing", "orders", PartitionId(0))
            .map(|o| o.0)
    };
    assert_eq!(committed(&t), Some(3));
    let dry = ok(
        &mut c,
        &mut t,
        "kafka-consumer-groups.sh BOOT --reset-offsets --group billing --topic orders --shift-by -2",
    );
    assert!(
        dry[0].starts_with("WARN: No action will be performed"),
        "{dry:?}"
    );
    assert_eq!(
        dry[2].split_whitespace().collect::<Vec<_>>(),
        ["GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"]
    );
    assert_eq!(
        dry[3].split_whitespace().collect::<Vec<_>>(),
        ["billing", "orders", "0", "1"]
    );
    assert_eq!(committed(&t), Some(3), "a dry run changes nothing");
    ok(
        &mut c,
        &mut t,
        "kafka-consumer-groups.sh BOOT --reset-offsets --group billing --all-topics --to-earliest --execute",
    );
    assert_eq!(committed(&t), Some(0));
    ok(
        &mut c,
        &mut t,
        "kafka-consumer-groups.sh BOOT --reset-offsets --group billing --topic orders --to-datetime 1970-01-01T00:00:00.000 --execute",
    );
    assert_eq!(committed(&t), Some(0));
    let unknown = run(
        &mut c,
        &mut t,
        &["kafka-consumer-groups.sh BOOT --describe --group nobody"],
    );
    assert!(unknown.failed);
    assert_eq!(
        unknown.lines,
        ["", "Error: Consumer group 'nobody' does not exist."]
    );
    refused(
        &mut c,
        &mut t,
        "kafka-consumer-groups.sh BOOT --reset-offsets --group billing --topic orders --execute",
        "Option [reset-offsets] needs one reset scenario: --to-earliest, --to-latest, --to-offset, --shift-by or --to-datetime",
    );
    refused(
        &mut c,
        &mut t,
        "kafka-consumer-groups.sh BOOT --reset-offsets --group billing --to-latest --execute",
        "Option [reset-offsets] takes exactly one of --topic or --all-topics",
    );
    refused(
        &mut c,
        &mut t,
        "kafka-consumer-groups.sh BOOT --reset-offsets --group billing --topic orders --to-datetime yesterday --execute",
        "Error parsing timestamp 'yesterday': use yyyy-MM-dd'T'HH:mm:ss.SSS; the virtual clock starts at 1970-01-01T00:00:00.000",
    );
}

/// The console producer's own defaults, not the Java producer's (ConsoleProducer.java,
/// `ConsoleProducerOptions` and `producerProps()`): 3 retries 100 ms apart, 1.5 s per request,
/// linger.ms 1000, acks -1. As `CommandLineUtils.maybeMergeOptions` merges them, an option
/// given wins over `--producer-property`, which wins over an option's default; the values are
/// read as `ProducerConfig` reads them; unset, delivery.timeout.ms grows to linger.ms +
/// request.timeout.ms (`KafkaProducer.configureDeliveryTimeout`); idempotence goes off by
/// itself with retries=0 (`ProducerConfig.postProcessAndValidateIdempotenceConfigs`).
#[test]
fn the_console_producer_has_the_console_producers_defaults() {
    let (mut c, mut t) = (Console::new(), timeline());
    ok(&mut c, &mut t, "kafka-topics.sh BOOT --create --topic t");
    let config = |t: &Timeline, producer: &str| {
        t.sim()
            .producer(producer)
            .map(|p| p.config.clone())
            .expect("the producer")
    };
    ok(&mut c, &mut t, "kafka-console-producer.sh BOOT --topic t");
    ok(&mut c, &mut t, "^D");
    let console = config(&t, "console-producer-1");
    assert_eq!(
        (
            console.retries,
            console.retry_backoff_ms,
            console.request_timeout_ms,
            console.delivery_timeout_ms,
            console.linger_ms,
            console.batch_size,
            console.acks,
            console.enable_idempotence,
        ),
        (3, 100, 1500, 120_000, 1000, 16_384, Acks::All, true)
    );
    ok(
        &mut c,
        &mut t,
        "kafka-console-producer.sh BOOT --topic t --producer-property retries=7 --producer-property request.timeout.ms=2000 --message-send-max-retries 5 --retry-backoff-ms 50 --timeout 200000 --batch-size 100 --max-partition-memory-bytes 200",
    );
    ok(&mut c, &mut t, "^D");
    let merged = config(&t, "console-producer-2");
    assert_eq!(
        (
            merged.retries,
            merged.retry_backoff_ms,
            merged.request_timeout_ms,
            merged.delivery_timeout_ms,
            merged.linger_ms,
            merged.batch_size,
        ),
        (5, 50, 2000, 202_000, 200_000, 200)
    );
    ok(
        &mut c,
        &mut t,
        "kafka-console-producer.sh BOOT --topic t --producer-property retries=0",
    );
    ok(&mut c, &mut t, "^D");
    let no_retries = config(&t, "console-producer-3");
    assert_eq!(
        (no_retries.retries, no_retries.enable_idempotence),
        (0, false)
    );
    let cases = [
        (
            "kafka-console-producer.sh BOOT --topic t --producer-property linger.ms=soon",
            "org.apache.kafka.common.config.ConfigException: Invalid value soon for configuration linger.ms: Not a number of type LONG",
        ),
        (
            "kafka-console-producer.sh BOOT --topic t --producer-property batch.size=3000000000",
            "org.apache.kafka.common.config.ConfigException: Invalid value 3000000000 for configuration batch.size: Not a number of type INT",
        ),
        (
            "kafka-console-producer.sh BOOT --topic t --producer-property retries=-1",
            "org.apache.kafka.common.config.ConfigException: Invalid value -1 for configuration retries: Value must be at least 0",
        ),
        (
            "kafka-console-producer.sh BOOT --topic t --message-send-max-retries x",
            "Cannot parse argument 'x' of option message-send-max-retries",
        ),
        (
            "kafka-console-producer.sh BOOT --topic t --producer-property delivery.timeout.ms=2000",
            "org.apache.kafka.common.config.ConfigException: delivery.timeout.ms: should be equal to or larger than linger.ms + request.timeout.ms",
        ),
        // ConsoleProducer.java never calls initTransactions().
        (
            "kafka-console-producer.sh BOOT --topic t --producer-property transactional.id=app",
            "transactional.id: Kafka's console producer never calls initTransactions(), so its first send() fails (IllegalStateException); add a transactional producer with the Actions panel's producer form",
        ),
    ];
    for (line, expected) in cases {
        refused(&mut c, &mut t, line, expected);
    }
}

/// With acks=all and fewer in-sync replicas than min.insync.replicas, the console producer
/// gives up with NOT_ENOUGH_REPLICAS after its 3 retries 100 ms apart (ConsoleProducer.java's
/// `--message-send-max-retries` and `--retry-backoff-ms` defaults): within a second of sending,
/// where a Java producer with its defaults retries for two minutes.
#[test]
fn too_few_in_sync_replicas_fail_the_console_producer_within_a_second() {
    let (mut c, mut t) = (Console::new(), timeline());
    ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic orders --replication-factor 3 --config min.insync.replicas=2",
    );
    let view = t.sim().view();
    let partition = &view.topic("orders").expect("orders").partitions[0];
    let leader = partition.leader.expect("a leader");
    for follower in partition.replicas.iter().filter(|r| r.broker != leader) {
        ok(
            &mut c,
            &mut t,
            &format!("crash-broker {}", follower.broker.0),
        );
    }
    ok(&mut c, &mut t, "sleep 10");
    ok(
        &mut c,
        &mut t,
        "kafka-console-producer.sh BOOT --topic orders --timeout 0",
    );
    ok(&mut c, &mut t, "after the ISR shrank");
    let sent_ms = t.sim().now_ms();
    ok(&mut c, &mut t, "^D");
    t.drain_events();
    ok(&mut c, &mut t, "sleep 2");
    let events = t.drain_events();
    let not_enough = |error: &ProduceError| matches!(error, ProduceError::NotEnoughReplicas { .. });
    let retries = events
        .iter()
        .filter(|e| matches!(&e.event, Event::ProduceRetrying { error, .. } if not_enough(error)))
        .count();
    let failed_ms = events
        .iter()
        .find(|e| matches!(&e.event, Event::ProduceFailed { error, .. } if not_enough(error)))
        .map(|e| e.at_ms);
    assert_eq!(retries, 3);
    assert!(
        failed_ms.is_some_and(|at| at - sent_ms <= 1000),
        "failed at {failed_ms:?}, sent at {sent_ms}"
    );
}

/// Without `--group`, Kafka's console consumer joins `console-consumer-` and a random number
/// below 100000 with enable.auto.commit=false, so it commits nothing (ConsoleConsumerOptions.java,
/// `buildConsumerProps`). The playground draws the number from the Sim's seed and the history:
/// the same seed and commands give the same name, the next run another.
#[test]
fn without_a_group_the_console_consumer_joins_a_random_group_and_commits_nothing() {
    let groups_after = |runs: usize| {
        let (mut c, mut t) = orders_with(&["a", "b"]);
        for _ in 0..runs {
            let read = ok(
                &mut c,
                &mut t,
                "kafka-console-consumer.sh BOOT --topic orders --from-beginning --max-messages 2",
            );
            assert_eq!(read, ["a", "b", "Processed a total of 2 messages"]);
        }
        let groups = ok(&mut c, &mut t, "kafka-consumer-groups.sh BOOT --list");
        for group in &groups {
            let number = group
                .strip_prefix("console-consumer-")
                .and_then(|n| n.parse::<u32>().ok());
            assert!(number.is_some_and(|n| n < 100_000), "{group}");
            assert_eq!(t.sim().committed(group, "orders", PartitionId(0)), None);
        }
        groups
    };
    let once = groups_after(1);
    assert_eq!(once.len(), 1);
    assert_eq!(
        groups_after(1),
        once,
        "same seed, same commands, same group"
    );
    let twice = groups_after(2);
    assert_eq!(twice.len(), 2, "each run joins a group of its own");
    assert!(twice.contains(&once[0]));
}

/// `--reset-offsets` for a group Kafka does not know: `ConsumerGroupCommand.resetOffsets`
/// resets it as it resets an Empty or Dead one, and the coordinator creates the group, Empty,
/// for the admin's commit (`OffsetMetadataManager.commitOffset`): the usual way to place a new
/// group. The new offsets come in `printOffsetsToReset`'s table (columns 30, 30, 10, 15).
/// `--shift-by` needs a committed offset (`prepareOffsetsToReset`); `--all-topics` of a group
/// without offsets resets nothing.
#[test]
fn reset_offsets_places_a_group_kafka_does_not_know() {
    let (mut c, mut t) = orders_with(&["a", "b", "c"]);
    let header =
        "GROUP                          TOPIC                          PARTITION  NEW-OFFSET";
    assert_eq!(
        ok(
            &mut c,
            &mut t,
            "kafka-consumer-groups.sh BOOT --reset-offsets --group fresh --all-topics --to-earliest --execute"
        ),
        ["", header]
    );
    assert!(t.sim().group("fresh").is_none(), "nothing was reset");
    refused(
        &mut c,
        &mut t,
        "kafka-consumer-groups.sh BOOT --reset-offsets --group fresh --topic orders --shift-by 1 --execute",
        "Cannot shift offset for partition orders-0 since there is no current committed offset",
    );
    let dry = ok(
        &mut c,
        &mut t,
        "kafka-consumer-groups.sh BOOT --reset-offsets --group fresh --topic orders --to-offset 1 --dry-run",
    );
    assert_eq!(
        dry,
        [
            "",
            header,
            "fresh                          orders                         0          1"
        ]
    );
    assert!(
        t.sim().group("fresh").is_none(),
        "a dry run changes nothing"
    );
    ok(
        &mut c,
        &mut t,
        "kafka-consumer-groups.sh BOOT --reset-offsets --group fresh --topic orders --to-offset 1 --execute",
    );
    assert_eq!(
        t.sim().committed("fresh", "orders", PartitionId(0)),
        Some(Offset(1))
    );
    assert_eq!(
        ok(&mut c, &mut t, "kafka-consumer-groups.sh BOOT --list"),
        ["fresh"]
    );
    let read = ok(
        &mut c,
        &mut t,
        "kafka-console-consumer.sh BOOT --topic orders --group fresh --max-messages 2",
    );
    assert_eq!(read, ["b", "c", "Processed a total of 2 messages"]);
}

/// A consumer `fan` of group `billing` reading `orders`, ticked until the group is `state`.
fn billing_until(t: &mut Timeline, state: GroupState) {
    t.apply(Command::AddConsumer {
        consumer: "fan".to_owned(),
        subscription: Subscription::Topics(vec!["orders".to_owned()]),
        config: ConsumerConfig::new("billing".to_owned()),
    })
    .expect("a consumer");
    while t.sim().group("billing").map(|g| g.state) != Some(state) {
        t.tick();
    }
}

/// A group with active members: `--reset-offsets` refuses it with `resetOffsets`' words and
/// the group's state, then prints `printOffsetsToReset`'s empty table; `--describe` warns
/// while it rebalances (`shouldPrintMemberState`).
#[test]
fn an_active_group_is_not_reset_and_a_rebalancing_one_is_said_so() {
    let (mut c, mut t) = orders_with(&["a"]);
    billing_until(&mut t, GroupState::PreparingRebalance);
    let described = ok(
        &mut c,
        &mut t,
        "kafka-consumer-groups.sh BOOT --describe --group billing --members",
    );
    assert_eq!(
        described[..2],
        ["", "Warning: Consumer group 'billing' is rebalancing."]
    );
    let reset = "kafka-consumer-groups.sh BOOT --reset-offsets --group billing --topic orders --to-earliest --execute";
    let refusal = |state: &str| {
        vec![
            String::new(),
            format!(
                "Error: Assignments can only be reset if the group 'billing' is inactive, but the current state is {state}."
            ),
            String::new(),
            "GROUP                          TOPIC                          PARTITION  NEW-OFFSET"
                .to_owned(),
        ]
    };
    let before = t.sim().state_hash();
    let reply = run(&mut c, &mut t, &[reset]);
    assert!(reply.failed);
    assert_eq!(reply.lines, refusal("PreparingRebalance"));
    assert_eq!(t.sim().state_hash(), before);
    while t.sim().group("billing").map(|g| g.state) != Some(GroupState::Stable) {
        t.tick();
    }
    let reply = run(&mut c, &mut t, &[reset]);
    assert!(reply.failed);
    assert_eq!(reply.lines, refusal("Stable"));
    assert_eq!(t.sim().committed("billing", "orders", PartitionId(0)), None);
}

/// `--describe`'s three tables as `ConsumerGroupCommand` formats them: `printOffsets`
/// (GROUP, TOPIC, CONSUMER-ID and HOST as wide as their widest value, at least 15; PARTITION
/// 10; the offsets 15), `printMembers` (GROUP, CONSUMER-ID, HOST and CLIENT-ID at least 15,
/// #PARTITIONS 15, `--verbose` adds the partitions as `(0)`) and `printStates` (the first
/// column as wide as the coordinator's text, at least 25; then 25, 20, 15), each after a blank
/// line.
#[test]
fn consumer_groups_describe_pads_columns_as_kafka_does() {
    let (mut c, mut t) = orders_with(&["a", "b"]);
    billing_until(&mut t, GroupState::Stable);
    let member = t
        .sim()
        .view()
        .groups
        .iter()
        .find(|g| g.id == "billing")
        .and_then(|g| g.members.first().map(|m| m.id.clone()))
        .expect("a member");
    let coordinator = t.sim().coordinator("billing").expect("a coordinator").0;
    let offsets = ok(
        &mut c,
        &mut t,
        "kafka-consumer-groups.sh BOOT --describe --group billing",
    );
    assert_eq!(
        offsets,
        [
            String::new(),
            format!(
                "GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             {:<15} HOST            CLIENT-ID",
                "CONSUMER-ID"
            ),
            format!(
                "billing         orders          0          -               2               -               {member:<15} /127.0.0.1      fan"
            ),
        ]
    );
    let members = ok(
        &mut c,
        &mut t,
        "kafka-consumer-groups.sh BOOT --describe --group billing --members --verbose",
    );
    assert_eq!(
        members,
        [
            String::new(),
            format!(
                "GROUP           {:<15} HOST            CLIENT-ID       #PARTITIONS     ASSIGNMENT",
                "CONSUMER-ID"
            ),
            format!(
                "billing         {member:<15} /127.0.0.1      fan             1               (0)"
            ),
        ]
    );
    let state = ok(
        &mut c,
        &mut t,
        "kafka-consumer-groups.sh BOOT --describe --group billing --state",
    );
    assert_eq!(
        state,
        [
            String::new(),
            "GROUP                     COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE           #MEMBERS".to_owned(),
            format!(
                "billing                   {:<25} range                Stable          1",
                format!("localhost:{}  ({coordinator})", 9091 + coordinator)
            ),
        ]
    );
    refused(
        &mut c,
        &mut t,
        "kafka-consumer-groups.sh BOOT --describe --group billing --members --state",
        "Option [describe] takes at most one of these options: [members], [offsets], [state]",
    );
}

/// `kafka-configs.sh --describe` lists each config set on the topic with every synonym the
/// broker reports (ConfigCommand.scala `describeResourceConfig`; `ConfigHelper.createTopicConfigEntry`
/// and `configSynonyms` with `ServerTopicConfigSynonyms`): the topic's value, then the
/// broker config's default. retention.ms and segment.ms have none: log.retention.ms and
/// log.roll.ms have no default, and the broker drops the hours' defaults before them.
#[test]
fn kafka_configs_describe_lists_the_brokers_synonyms() {
    let (mut c, mut t) = (Console::new(), timeline());
    ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic all --replication-factor 2",
    );
    ok(
        &mut c,
        &mut t,
        "kafka-configs.sh BOOT --topic all --alter --add-config cleanup.policy=compact,delete.retention.ms=1000,min.cleanable.dirty.ratio=0.25,min.insync.replicas=2,retention.bytes=100,retention.ms=2000,segment.bytes=2097152,segment.ms=3000,unclean.leader.election.enable=true",
    );
    assert_eq!(
        ok(
            &mut c,
            &mut t,
            "kafka-configs.sh BOOT --topic all --describe"
        ),
        [
            "Dynamic configs for topic all are:",
            "  cleanup.policy=compact sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact, DEFAULT_CONFIG:log.cleanup.policy=delete}",
            "  delete.retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:delete.retention.ms=1000, DEFAULT_CONFIG:log.cleaner.delete.retention.ms=86400000}",
            "  min.cleanable.dirty.ratio=0.25 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:min.cleanable.dirty.ratio=0.25, DEFAULT_CONFIG:log.cleaner.min.cleanable.ratio=0.5}",
            "  min.insync.replicas=2 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:min.insync.replicas=2, DEFAULT_CONFIG:min.insync.replicas=1}",
            "  retention.bytes=100 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.bytes=100, DEFAULT_CONFIG:log.retention.bytes=-1}",
            "  retention.ms=2000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=2000}",
            "  segment.bytes=2097152 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:segment.bytes=2097152, DEFAULT_CONFIG:log.segment.bytes=1073741824}",
            "  segment.ms=3000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:segment.ms=3000}",
            "  unclean.leader.election.enable=true sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:unclean.leader.election.enable=true, DEFAULT_CONFIG:unclean.leader.election.enable=false}",
        ]
    );
}

/// `kafka-topics.sh --describe` prints a partition line as Kafka 4's
/// `PartitionDescription.printDescription` does: Leader (none while offline), Replicas, Isr,
/// then Elr and LastKnownElr (no "Offline" field): with ELR on (Kafka 4.1+), the fenced last
/// member leaves the ISR for the ELR and is the last known leader; `--create` warns about
/// a name with '.' or '_' before anything else (`TopicService.createTopic`).
#[test]
fn kafka_topics_describes_partitions_and_warns_of_colliding_names_as_kafka_4_does() {
    let (mut c, mut t) = (Console::new(), timeline());
    let warning = "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.";
    assert_eq!(
        ok(
            &mut c,
            &mut t,
            "kafka-topics.sh BOOT --create --topic web.clicks"
        ),
        [warning, "Created topic web.clicks."]
    );
    let reply = run(
        &mut c,
        &mut t,
        &["kafka-topics.sh BOOT --create --topic web_clicks --partitions 0"],
    );
    assert!(reply.failed);
    assert_eq!(
        reply.lines,
        [
            warning,
            "Error while executing topic command : The partitions must be greater than 0"
        ]
    );
    let reply = run(
        &mut c,
        &mut t,
        &["kafka-topics.sh BOOT --create --topic web_clicks"],
    );
    assert_eq!(
        reply.lines,
        [
            warning,
            "Error while executing topic command : Topic 'web_clicks' collides with existing topic: web.clicks"
        ]
    );
    let leader = t
        .sim()
        .view()
        .topic("web.clicks")
        .expect("the topic")
        .partitions[0]
        .leader
        .expect("a leader");
    ok(&mut c, &mut t, &format!("crash-broker {}", leader.0));
    ok(&mut c, &mut t, "sleep 10");
    assert_eq!(
        ok(
            &mut c,
            &mut t,
            "kafka-topics.sh BOOT --describe --topic web.clicks"
        ),
        [
            "Topic: web.clicks\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: ".to_owned(),
            format!(
                "\tTopic: web.clicks\tPartition: 0\tLeader: none\tReplicas: {0}\tIsr: \tElr: {0}\tLastKnownElr: {0}",
                leader.0
            ),
        ]
    );
}

#[test]
fn kafka_configs_alters_all_or_nothing_and_describes() {
    let (mut c, mut t) = (Console::new(), timeline());
    ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic orders",
    );
    assert_eq!(
        ok(
            &mut c,
            &mut t,
            "kafka-configs.sh BOOT --entity-type topics --entity-name orders --alter --add-config retention.ms=60000,cleanup.policy=[compact,delete]"
        ),
        ["Completed updating config for topic orders."]
    );
    assert_eq!(
        ok(
            &mut c,
            &mut t,
            "kafka-configs.sh BOOT --topic orders --describe"
        ),
        [
            "Dynamic configs for topic orders are:",
            "  cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, DEFAULT_CONFIG:log.cleanup.policy=delete}",
            "  retention.ms=60000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=60000}",
        ]
    );
    refused(
        &mut c,
        &mut t,
        "kafka-configs.sh BOOT --topic orders --alter --add-config retention.ms=1,segment.ms=0",
        "Error while executing config command with args '--bootstrap-server localhost:9092 --topic orders --alter --add-config retention.ms=1,segment.ms=0'",
    );
    assert_eq!(
        t.sim()
            .topic_config("orders")
            .and_then(|c| c.get("retention.ms"))
            .as_deref(),
        Some("60000")
    );
    ok(
        &mut c,
        &mut t,
        "kafka-configs.sh BOOT --topic orders --alter --delete-config retention.ms",
    );
    assert_eq!(
        ok(
            &mut c,
            &mut t,
            "kafka-configs.sh BOOT --topic orders --describe"
        )
        .len(),
        2
    );
    refused(
        &mut c,
        &mut t,
        "kafka-configs.sh BOOT --entity-type brokers --entity-name 1 --describe",
        "The playground's kafka-configs.sh alters topics only (--entity-type topics), not brokers",
    );
}

#[test]
fn sleep_moves_the_clock_and_help_names_every_tool() {
    let (mut c, mut t) = (Console::new(), timeline());
    ok(&mut c, &mut t, "sleep 1.5");
    assert_eq!(t.sim().now_ms(), 1500);
    refused(
        &mut c,
        &mut t,
        "sleep soon",
        "sleep: invalid time interval 'soon' (0 to 3600 seconds)",
    );
    refused(
        &mut c,
        &mut t,
        "sleep 3601",
        "sleep: invalid time interval '3601' (0 to 3600 seconds)",
    );
    let help = ok(&mut c, &mut t, "help").join("\n");
    for tool in crate::console::complete::COMMANDS {
        assert!(help.contains(tool), "help names {tool}");
    }
    assert!(ok(&mut c, &mut t, "   ").is_empty());
}

#[test]
fn producer_options_and_broker_stand_ins() {
    let (mut c, mut t) = (Console::new(), timeline());
    ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic t --replication-factor 3 --config min.insync.replicas=2",
    );
    ok(
        &mut c,
        &mut t,
        "kafka-console-producer.sh BOOT --topic t --request-required-acks 1 --timeout 0",
    );
    ok(&mut c, &mut t, "^D");
    ok(
        &mut c,
        &mut t,
        "kafka-console-producer.sh BOOT --topic t --producer-property acks=0 --producer-property linger.ms=5",
    );
    ok(&mut c, &mut t, "^D");
    let producers = t.sim().view().producers;
    let settings: Vec<(&str, &str, u64, bool)> = producers
        .iter()
        .map(|p| {
            (
                p.id.as_str(),
                p.acks.as_str(),
                p.linger_ms,
                p.enable_idempotence,
            )
        })
        .collect();
    assert_eq!(
        settings,
        [
            ("console-producer-1", "1", 0, false),
            ("console-producer-2", "0", 5, false)
        ]
    );
    refused(
        &mut c,
        &mut t,
        "kafka-console-producer.sh BOOT --topic t --request-required-acks 2",
        "org.apache.kafka.common.config.ConfigException: Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1",
    );
    refused(
        &mut c,
        &mut t,
        "kafka-console-producer.sh BOOT --topic t --producer-property colour=red",
        "Unknown producer property colour: the playground's console producer takes acks, batch.size, buffer.memory, delivery.timeout.ms, enable.idempotence, linger.ms, request.timeout.ms, retries or retry.backoff.ms",
    );
    ok(&mut c, &mut t, "crash-broker 2");
    let status = |t: &Timeline| {
        t.sim()
            .view()
            .brokers
            .iter()
            .find(|b| b.id.0 == 2)
            .map(|b| b.status)
    };
    assert_eq!(status(&t), Some(BrokerStatus::Crashed { at_ms: 0 }));
    refused(
        &mut c,
        &mut t,
        "crash-broker two",
        "crash-broker: \"two\" is not a broker id",
    );
    refused(
        &mut c,
        &mut t,
        "crash-broker 9",
        "crash-broker: broker: there is no broker 9",
    );
    ok(&mut c, &mut t, "restart-broker 2");
    assert_eq!(ok(&mut c, &mut t, "add-broker"), ["Broker 4 started."]);
    refused(
        &mut c,
        &mut t,
        "add-broker 5",
        "add-broker: usage: add-broker [--rack RACK]",
    );
    refused(
        &mut c,
        &mut t,
        "add-broker --rack 'rack one'",
        "add-broker: broker.rack: a rack name uses only ASCII letters, digits, '.', '_' and '-' (got \"rack one\")",
    );
    assert_eq!(
        ok(&mut c, &mut t, "add-broker --rack us-east-1a"),
        ["Broker 5 started."]
    );
    assert_eq!(
        t.sim().broker(BrokerId(5)).and_then(|b| b.rack.as_deref()),
        Some("us-east-1a")
    );
    assert_eq!(status(&t), Some(BrokerStatus::Running));
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("--bootstrap-server".to_owned()),
            Just("localhost:9092".to_owned()),
            Just("--create".to_owned()),
            Just("--list".to_owned()),
            Just("--describe".to_owned()),
            Just("--alter".to_owned()),
            Just("--delete".to_owned()),
            Just("--topic".to_owned()),
            Just("orders".to_owned()),
            Just("--partitions".to_owned()),
            Just("--replication-factor".to_owned()),
            Just("--config".to_owned()),
            Just("retention.ms=1000".to_owned()),
            Just("--group".to_owned()),
            Just("g".to_owned()),
            Just("--reset-offsets".to_owned()),
            Just("--to-earliest".to_owned()),
            Just("--shift-by".to_owned()),
            Just("--execute".to_owned()),
            Just("--from-beginning".to_owned()),
            Just("--max-messages".to_owned()),
            Just("--timeout-ms".to_owned()),
            Just("--partition".to_owned()),
            Just("--offset".to_owned()),
            Just("--property".to_owned()),
            Just("parse.key=true".to_owned()),
            Just("--entity-type".to_owned()),
            Just("topics".to_owned()),
            Just("--entity-name".to_owned()),
            Just("--add-config".to_owned()),
            Just("--delete-config".to_owned()),
            Just("^D".to_owned()),
            (-3i64..2_000).prop_map(|n| n.to_string()),
            "\\PC{0,12}",
            Just("'".to_owned()),
            Just("\"".to_owned()),
            Just("<img src=x onerror=alert(1)>".to_owned()),
            Just("--execute".to_owned()),
            Just("--cancel".to_owned()),
            Just("--reassignment-json-file".to_owned()),
            Just(
                r#"{"partitions":[{"topic":"orders","partition":0,"replicas":[3,1]}]}"#.to_owned()
            ),
            Just("--generate".to_owned()),
            Just("--topics-to-move-json-file".to_owned()),
            Just(r#"{"topics":[{"topic":"orders"}]}"#.to_owned()),
            Just("--broker-list".to_owned()),
            Just("1,2".to_owned()),
        ]
    }

    fn line() -> impl Strategy<Value = String> {
        let tool = prop_oneof![
            Just("kafka-topics.sh"),
            Just("kafka-console-producer.sh"),
            Just("kafka-console-consumer.sh"),
            Just("kafka-consumer-groups.sh"),
            Just("kafka-configs.sh"),
            Just("kafka-reassign-partitions.sh"),
            Just("crash-broker"),
            Just("restart-broker"),
            Just("add-broker"),
            Just("sleep"),
            Just("help"),
            Just("nonsense"),
            Just(""),
        ];
        (tool, proptest::collection::vec(word(), 0..10)).prop_map(|(tool, words)| {
            // Keep sleeps and consumer timeouts short, so many lines run.
            let words: Vec<String> = words
                .into_iter()
                .map(|w| match w.parse::<i64>() {
                    Ok(n) if tool == "sleep" || n > 200 => (n % 3).to_string(),
                    _ => w,
                })
                .collect();
            format!("{tool} {}", words.join(" "))
        })
    }

    proptest! {
        /// Any sequence of console lines: nothing panics, and a failed line changes nothing.
        #[test]
        fn fuzz_console_lines_never_panic_and_refusals_change_nothing(
            lines in proptest::collection::vec(line(), 1..25),
        ) {
            let (mut console, mut timeline) = (Console::new(), timeline());
            for line in lines {
                let before = timeline.sim().state_hash();
                let reply = console.enter(&line, &mut timeline);
                if reply.failed {
                    prop_assert_eq!(timeline.sim().state_hash(), before, "{} changed the state", line);
                }
                timeline.drain_events();
            }
        }
    }
}

/// `kafka-leader-election.sh` as `LeaderElectionCommand` reports the controller's answers
/// (`ReplicationControlManager.electLeader`): an unclean election brings an offline partition
/// back with the records only the lost leader had thrown away (an event says so), and each
/// partition that needs no election or cannot have one is said so in Kafka's words.
#[test]
fn leader_election_elects_unclean_and_preferred_leaders_as_kafka_answers() {
    let (mut c, mut t) = (Console::new(), timeline());
    let produce = |c: &mut Console, t: &mut Timeline, value: &str| {
        ok(c, t, "kafka-console-producer.sh BOOT --topic t");
        ok(c, t, value);
        ok(c, t, "^D");
    };
    ok(
        &mut c,
        &mut t,
        "kafka-topics.sh BOOT --create --topic t --replica-assignment 1:2",
    );
    produce(&mut c, &mut t, "a");
    // Broker 2 leaves the ISR, broker 1 takes a record alone, then goes down too.
    ok(&mut c, &mut t, "crash-broker 2");
    ok(&mut c, &mut t, "sleep 40");
    produce(&mut c, &mut t, "b");
    ok(&mut c, &mut t, "crash-broker 1");
    ok(&mut c, &mut t, "restart-broker 2");
    ok(&mut c, &mut t, "sleep 15");
    assert_eq!(
        t.sim().view().topic("t").expect("t").partitions[0].leader,
        None
    );
    t.drain_events();

    let preferred = run(
        &mut c,
        &mut t,
        &["kafka-leader-election.sh BOOT --election-type preferred --topic t --partition 0"],
    );
    assert!(preferred.failed);
    assert_eq!(
        preferred.lines,
        [
            "Error completing leader election (PREFERRED) for partition: t-0: org.apache.kafka.common.errors.PreferredLeaderNotAvailableException: The preferred leader was not available.",
            "1 replica(s) could not be elected"
        ]
    );
    assert_eq!(
        ok(
            &mut c,
            &mut t,
            "kafka-leader-election.sh BOOT --election-type UNCLEAN --topic t --partition 0"
        ),
        ["Successfully completed leader election (UNCLEAN) for partitions t-0"]
    );
    assert_eq!(
        t.sim().view().topic("t").expect("t").partitions[0].leader,
        Some(BrokerId(2))
    );
    assert!(
        t.drain_events().iter().any(|e| matches!(
            &e.event,
            Event::RecordsLost { topic, from, to, .. } if topic == "t" && to.0 - from.0 == 1
        )),
        "the record only broker 1 had is lost, and said so"
    );
    assert_eq!(
        ok(
            &mut c,
            &mut t,
            "kafka-leader-election.sh BOOT --election-type unclean --topic t --partition 0"
        ),
        ["Valid replica already elected for partitions t-0"]
    );
    // Every partition: only those that needed an election are answered.
    assert!(
        ok(
            &mut c,
            &mut t,
            "kafka-leader-election.sh BOOT --election-type unclean --all-topic-partitions"
        )
        .is_empty()
    );
    let unknown = run(
        &mut c,
        &mut t,
        &["kafka-leader-election.sh BOOT --election-type unclean --topic nope --partition 0"],
    );
    assert_eq!(
        unknown.lines[0],
        "Error completing leader election (UNCLEAN) for partition: nope-0: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: No such topic as nope"
    );
    for (line, expected) in [
        (
            "kafka-leader-election.sh BOOT --topic t --partition 0",
            "Missing required option(s): election-type",
        ),
        (
            "kafka-leader-election.sh BOOT --election-type preferred",
            "One and only one of the following options is required: topic, all-topic-partitions, path-to-json-file",
        ),
        (
            "kafka-leader-election.sh BOOT --election-type preferred --topic t",
            "Missing required option(s): partition",
        ),
        (
            "kafka-leader-election.sh BOOT --election-type preferred --all-topic-partitions --partition 0",
            "Option partition is only allowed if topic is used",
        ),
        (
            "kafka-leader-election.sh BOOT --election-type soon --all-topic-partitions",
            "Cannot parse argument 'soon' of option election-type (PREFERRED or UNCLEAN)",
        ),
    ] {
        refused(&mut c, &mut t, line, expected);
    }
}

/// `--consumer-property group.instance.id` makes the console consumer a static member
/// (checked by `JoinGroupRequest.validateGroupInstanceId`); `printMembers` adds a
/// GROUP-INSTANCE-ID column, at least 17 wide, when a member has one (`ConsumerGroupCommand`);
/// the static member stays after the console consumer closes (no LeaveGroup).
#[test]
fn a_static_console_consumer_and_the_group_instance_id_column() {
    let (mut c, mut t) = orders_with(&["a"]);
    refused(
        &mut c,
        &mut t,
        "kafka-console-consumer.sh BOOT --topic orders --group g --consumer-property group.instance.id=no/slash",
        "org.apache.kafka.common.errors.InvalidConfigurationException: Group instance id is invalid: 'no/slash' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'",
    );
    refused(
        &mut c,
        &mut t,
        "kafka-console-consumer.sh BOOT --topic orders --consumer-property fetch.min.bytes=1",
        "Unknown consumer-property fetch.min.bytes: the playground's console consumer reads group.instance.id",
    );
    ok(
        &mut c,
        &mut t,
        "kafka-console-consumer.sh BOOT --topic orders --group g --from-beginning --max-messages 1 --consumer-property group.instance.id=host-1",
    );
    let member = t
        .sim()
        .group("g")
        .and_then(|g| g.static_member("host-1"))
        .map(|m| m.id.clone())
        .expect("the static member stays after close()");
    assert_eq!(
        ok(
            &mut c,
            &mut t,
            "kafka-consumer-groups.sh BOOT --describe --group g --members"
        ),
        [
            String::new(),
            // CONSUMER-ID and CLIENT-ID as wide as their values.
            format!(
                "GROUP           {:<20} GROUP-INSTANCE-ID HOST            CLIENT-ID          #PARTITIONS",
                "CONSUMER-ID"
            ),
            format!(
                "g               {member:<20} host-1            /127.0.0.1      console-consumer-1 0"
            ),
        ]
    );
}

/// A consumer protocol group whose member left is Assigning until the next heartbeat computes
/// its new target; `--describe --state` says so and warns that it is rebalancing
/// (`ConsumerGroup.maybeUpdateGroupState`, `ConsumerGroupCommand.shouldPrintMemberState`).
#[test]
fn describe_state_shows_a_consumer_group_assigning() {
    let (mut c, mut t) = orders_with(&["a"]);
    let config = ConsumerConfig {
        group_protocol: crate::sim::types::GroupProtocol::Consumer {
            assignor: crate::sim::types::ServerAssignor::Uniform,
        },
        ..ConsumerConfig::new("g")
    };
    for consumer in ["x", "y"] {
        t.apply(Command::AddConsumer {
            consumer: consumer.to_owned(),
            subscription: Subscription::Topics(vec!["orders".to_owned()]),
            config: config.clone(),
        })
        .expect("a consumer");
    }
    while t.sim().group("g").map(|g| g.state) != Some(GroupState::Stable) {
        t.tick();
    }
    t.apply(Command::CloseConsumer {
        consumer: "y".to_owned(),
    })
    .expect("close");
    let state = ok(
        &mut c,
        &mut t,
        "kafka-consumer-groups.sh BOOT --describe --group g --state",
    );
    assert_eq!(state[1], "Warning: Consumer group 'g' is rebalancing.");
    assert!(
        state[4].contains(" uniform              Assigning       1"),
        "{state:?}"
    );
}
