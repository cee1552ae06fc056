//! What a click in the page is in Kafka's own terms: the console line that does exactly the
//! same (the page's "show as CLI" prints it, the export writes it), or, for what only a client
//! application can do, the client call in Java's words.
//!
//! A console line given here, run by the console, applies exactly the command it came from
//! (tested on every command): so a playground made of such clicks and console lines exports to a
//! script that the console replays to the same state hash.

use crate::console::datetime;
use crate::console::options::quote;
use crate::sim::command::Command;
use crate::sim::ids::BrokerId;
use crate::sim::names::Named;
use crate::sim::network::Isolation;
use crate::sim::ordered::Map;
use crate::sim::types::{ConsumerConfig, ResetSpec, Subscription, TopicPartition};

/// Where the console's tools are told the cluster is (any address reaches the simulated one).
pub const BOOTSTRAP: &str = "localhost:9092";

/// A command in Kafka's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Equivalent {
    /// The console line (as words) that does exactly this.
    Line(Vec<String>),
    /// No Kafka tool does this: a client application's call, in Java's words.
    ClientCall(String),
}

/// `command` in Kafka's terms.
pub fn equivalent(command: &Command) -> Equivalent {
    let tool = |name: &str, rest: Vec<String>| Equivalent::Line(tool_words(name, rest));
    let owned = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    match command {
        Command::AddBroker => Equivalent::Line(owned(&["add-broker"])),
        Command::AddBrokerOnRack { rack } => {
            Equivalent::Line(vec!["add-broker".into(), "--rack".into(), rack.clone()])
        }
        Command::CrashBroker { broker } => {
            Equivalent::Line(vec!["crash-broker".into(), broker.0.to_string()])
        }
        Command::RestartBroker { broker } => {
            Equivalent::Line(vec!["restart-broker".into(), broker.0.to_string()])
        }
        Command::SlowBroker { broker } => {
            Equivalent::Line(vec!["slow-broker".into(), broker.0.to_string()])
        }
        Command::IsolateBroker { broker, from } => Equivalent::Line(vec![
            "isolate-broker".into(),
            broker.0.to_string(),
            match from {
                Isolation::Controller => "controller",
                Isolation::Clients => "clients",
            }
            .into(),
        ]),
        Command::HealBroker { broker } => {
            Equivalent::Line(vec!["heal-broker".into(), broker.0.to_string()])
        }
        Command::CrashController { controller } => {
            Equivalent::Line(vec!["crash-controller".into(), controller.0.to_string()])
        }
        Command::RestartController { controller } => {
            Equivalent::Line(vec!["restart-controller".into(), controller.0.to_string()])
        }
        Command::CreateTopic {
            name,
            partitions,
            replication_factor,
            configs,
        } => {
            let mut rest = owned(&["--create", "--topic"]);
            rest.extend([
                name.clone(),
                "--partitions".into(),
                partitions.to_string(),
                "--replication-factor".into(),
                replication_factor.to_string(),
            ]);
            rest.extend(config_words(configs));
            tool("kafka-topics.sh", rest)
        }
        Command::CreateTopicWithAssignment {
            name,
            assignment,
            configs,
        } => Equivalent::Line(create_topic_words(name, assignment, configs)),
        Command::DeleteTopic { topic } => tool(
            "kafka-topics.sh",
            vec!["--delete".into(), "--topic".into(), topic.clone()],
        ),
        Command::AddPartitions { topic, partitions } => tool(
            "kafka-topics.sh",
            vec![
                "--alter".into(),
                "--topic".into(),
                topic.clone(),
                "--partitions".into(),
                partitions.to_string(),
            ],
        ),
        Command::AddPartitionsWithAssignment {
            topic,
            partitions,
            assignment,
        } => {
            // The command does not know the lists of the partitions the topic has.
            let existing = usize::try_from(*partitions)
                .unwrap_or(0)
                .saturating_sub(assignment.len());
            Equivalent::Line(grow_topic_words(
                topic,
                *partitions,
                &vec![Vec::new(); existing],
                assignment,
            ))
        }
        Command::AlterTopicConfig { topic, key, value } => {
            let mut rest = owned(&["--entity-type", "topics", "--entity-name"]);
            rest.extend([topic.clone(), "--alter".into()]);
            match value {
                // A list value goes in brackets: cleanup.policy=[compact,delete].
                Some(v) if v.contains(',') => {
                    rest.extend(["--add-config".to_owned(), format!("{key}=[{v}]")])
                }
                Some(v) => rest.extend(["--add-config".to_owned(), format!("{key}={v}")]),
                None => rest.extend(["--delete-config".to_owned(), key.clone()]),
            }
            tool("kafka-configs.sh", rest)
        }
        Command::DeleteGroup { group } => tool(
            "kafka-consumer-groups.sh",
            vec!["--delete".into(), "--group".into(), group.clone()],
        ),
        Command::ResetOffsets { group, topic, spec } => {
            let mut rest = vec!["--reset-offsets".into(), "--group".into(), group.clone()];
            match topic {
                Some(topic) => rest.extend(["--topic".to_owned(), topic.clone()]),
                None => rest.push("--all-topics".into()),
            }
            rest.push(format!("--{}", spec.name()));
            match spec {
                ResetSpec::Earliest | ResetSpec::Latest => {}
                ResetSpec::ToOffset(n) => rest.push(n.to_string()),
                ResetSpec::ShiftBy(n) => rest.push(n.to_string()),
                ResetSpec::ToDatetime(ms) => rest.push(datetime::format(*ms)),
            }
            rest.push("--execute".into());
            tool("kafka-consumer-groups.sh", rest)
        }
        Command::ElectLeaders {
            election,
            partitions,
        } => {
            let mut rest = vec!["--election-type".into(), election.name().to_owned()];
            match partitions.as_deref() {
                None => rest.push("--all-topic-partitions".into()),
                Some([one]) => rest.extend([
                    "--topic".to_owned(),
                    one.topic.clone(),
                    "--partition".to_owned(),
                    one.partition.0.to_string(),
                ]),
                // The tool takes several only from a JSON file.
                Some(many) => {
                    let list: Vec<String> = many
                        .iter()
                        .map(|tp| {
                            format!("new TopicPartition(\"{}\", {})", tp.topic, tp.partition.0)
                        })
                        .collect();
                    return Equivalent::ClientCall(format!(
                        "admin.electLeaders(ElectionType.{}, Set.of({}))",
                        election.name(),
                        list.join(", ")
                    ));
                }
            }
            tool("kafka-leader-election.sh", rest)
        }
        other => Equivalent::ClientCall(client_call(other)),
    }
}

/// A console tool's words: its name, the bootstrap server, then `rest`.
fn tool_words(name: &str, rest: Vec<String>) -> Vec<String> {
    let mut line = vec![
        name.to_owned(),
        "--bootstrap-server".to_owned(),
        BOOTSTRAP.to_owned(),
    ];
    line.extend(rest);
    line
}

/// `--config key=value` for each config.
fn config_words(configs: &Map<String, String>) -> Vec<String> {
    configs
        .iter()
        .flat_map(|(key, value)| ["--config".to_owned(), format!("{key}={value}")])
        .collect()
}

/// Replica lists as `--replica-assignment` takes them: `1:2:3,2:3:1`.
pub fn replica_lists(lists: &[Vec<BrokerId>]) -> String {
    lists
        .iter()
        .map(|list| {
            list.iter()
                .map(|b| b.0.to_string())
                .collect::<Vec<_>>()
                .join(":")
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `kafka-topics.sh --create` of `name` on `assignment`, with `configs`.
pub fn create_topic_words(
    name: &str,
    assignment: &[Vec<BrokerId>],
    configs: &Map<String, String>,
) -> Vec<String> {
    let mut rest = vec![
        "--create".to_owned(),
        "--topic".to_owned(),
        name.to_owned(),
        "--replica-assignment".to_owned(),
        replica_lists(assignment),
    ];
    rest.extend(config_words(configs));
    tool_words("kafka-topics.sh", rest)
}

/// `kafka-topics.sh --alter` growing `topic`, whose partitions are on `existing`, to
/// `partitions` with the new ones on `added`. TopicCommand skips the lists of the partitions
/// the topic has (it only reads them, each as long as the first), so each of those is its
/// partition's list where that is as long as the new ones, else the first new list.
pub fn grow_topic_words(
    topic: &str,
    partitions: i64,
    existing: &[Vec<BrokerId>],
    added: &[Vec<BrokerId>],
) -> Vec<String> {
    let length = added.first().map_or(0, Vec::len);
    let skipped = existing.iter().map(|list| {
        if list.len() == length {
            list.clone()
        } else {
            added.first().cloned().unwrap_or_default()
        }
    });
    let lists: Vec<Vec<BrokerId>> = skipped.chain(added.iter().cloned()).collect();
    tool_words(
        "kafka-topics.sh",
        vec![
            "--alter".into(),
            "--topic".into(),
            topic.to_owned(),
            "--partitions".into(),
            partitions.to_string(),
            "--replica-assignment".into(),
            replica_lists(&lists),
        ],
    )
}

/// The Java client call (or admin tool) for what the console's tools cannot do.
fn client_call(command: &Command) -> String {
    let text = |s: &Option<String>| {
        s.as_ref()
            .map_or_else(|| "null".to_owned(), |s| format!("{s:?}"))
    };
    match command {
        Command::DecommissionBroker { broker } => format!(
            "stop broker {0}, then kafka-cluster.sh unregister --bootstrap-server {BOOTSTRAP} --id {0}",
            broker.0
        ),
        Command::ShutDownBroker { broker } => format!(
            "stop broker {} with SIGTERM (kafka-server-stop.sh, docker compose stop): a controlled shutdown",
            broker.0
        ),
        Command::ReassignPartition {
            topic,
            partition,
            replicas,
        } => {
            let replicas: Vec<String> = replicas.iter().map(|b| b.0.to_string()).collect();
            format!(
                "kafka-reassign-partitions.sh --bootstrap-server {BOOTSTRAP} --execute with {topic}-{} on brokers [{}]",
                partition.0,
                replicas.join(",")
            )
        }
        Command::ElectPreferredLeaders { topic } => format!(
            "kafka-leader-election.sh --bootstrap-server {BOOTSTRAP} --election-type PREFERRED {}",
            topic.as_ref().map_or_else(
                || "--all-topic-partitions".to_owned(),
                |t| format!("for {t}")
            )
        ),
        Command::AddProducer { producer, config } => format!(
            "{producer} = new KafkaProducer<>(acks={}, linger.ms={}, batch.size={}, enable.idempotence={}{})",
            config.acks,
            config.linger_ms,
            config.batch_size,
            config.enable_idempotence,
            config
                .transactional_id
                .as_ref()
                .map(|t| format!(", transactional.id={t}"))
                .unwrap_or_default()
        ),
        Command::Produce {
            producer,
            topic,
            partition,
            key,
            value,
        } => {
            let partition = partition.map(|p| format!("{p}, ")).unwrap_or_default();
            format!(
                "{producer}.send(new ProducerRecord<>({topic:?}, {partition}{}, {}))",
                text(key),
                text(value)
            )
        }
        Command::Flush { producer } => format!("{producer}.flush()"),
        Command::StartGenerator {
            generator,
            producer,
            topic,
            rate_per_sec,
            keys,
        } => format!(
            "{generator}: {producer}.send(...) to {topic}, {rate_per_sec} records/s ({keys}); kafka-producer-perf-test.sh --throughput {rate_per_sec} comes close"
        ),
        Command::StopGenerator { generator } => format!("{generator}: stop sending"),
        Command::BeginTransaction { producer } => format!("{producer}.beginTransaction()"),
        Command::CommitTransaction { producer } => format!("{producer}.commitTransaction()"),
        Command::AbortTransaction { producer } => format!("{producer}.abortTransaction()"),
        Command::AddConsumer {
            consumer,
            subscription,
            config,
        } => new_consumer_call(consumer, subscription, config, None),
        Command::AddStaticConsumer {
            consumer,
            subscription,
            config,
            group_instance_id,
        } => new_consumer_call(consumer, subscription, config, Some(group_instance_id)),
        Command::RestartConsumer { consumer } => format!(
            "{consumer}.close(); {consumer} = new KafkaConsumer<>(the same configs), subscribed as before (the process restarts)"
        ),
        Command::Subscribe {
            consumer,
            subscription,
        } => format!("{consumer}.{}", subscribe_call(subscription)),
        Command::Poll { consumer } => format!("{consumer}.poll(timeout)"),
        Command::Commit { consumer } => format!("{consumer}.commitSync()"),
        Command::Seek {
            consumer,
            topic,
            partition,
            offset,
        } => format!(
            "{consumer}.seek(new TopicPartition({topic:?}, {}), {offset})",
            partition.0
        ),
        Command::CloseConsumer { consumer } => format!("{consumer}.close()"),
        Command::CrashConsumer { consumer } => {
            format!("the process running {consumer} dies (kill -9)")
        }
        // kafka-reassign-partitions.sh --cancel leaves alone a move that only adds replicas.
        Command::CancelReassignment { topic, partition } => format!(
            "admin.alterPartitionReassignments(Map.of(new TopicPartition({topic:?}, {}), Optional.empty()))",
            partition.0
        ),
        _ => "a step the console's tools do".to_owned(),
    }
}

/// `new KafkaConsumer<>(configs)` and its `subscribe()` or `assign()`.
fn new_consumer_call(
    consumer: &str,
    subscription: &Subscription,
    config: &ConsumerConfig,
    instance: Option<&str>,
) -> String {
    let instance = instance
        .map(|id| format!(", group.instance.id={id}"))
        .unwrap_or_default();
    format!(
        "{consumer} = new KafkaConsumer<>(group.id={}{instance}, partition.assignment.strategy={}, enable.auto.commit={}, auto.offset.reset={}); {consumer}.{}",
        config.group_id,
        config.strategy.name(),
        config.enable_auto_commit,
        config.auto_offset_reset,
        subscribe_call(subscription)
    )
}

fn subscribe_call(subscription: &Subscription) -> String {
    match subscription {
        Subscription::Topics(topics) => format!("subscribe({topics:?})"),
        Subscription::Partitions(partitions) => {
            let list: Vec<String> = partitions.iter().map(TopicPartition::to_string).collect();
            format!("assign([{}])", list.join(", "))
        }
    }
}

/// `words` as a console line (and a shell line): each word quoted only where it needs it.
pub fn line(words: &[String]) -> String {
    words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
}

/// Whether `line` of the words reads back as the same words (the console's own parser).
#[cfg(test)]
fn reads_back(words_given: &[String]) -> bool {
    super::options::words(&line(words_given)).is_ok_and(|read| read == words_given)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Console;
    use crate::sim::command::ElectionType;
    use crate::sim::ids::{BrokerId, PartitionId};
    use crate::sim::ordered::Map;
    use crate::sim::scenario::Scenario;
    use crate::sim::timeline::Timeline;

    /// The starter scenario with a group that has committed offsets and no members, and a slow
    /// broker 2 (a fault to heal).
    fn cluster() -> Timeline {
        let mut timeline = Timeline::new(Scenario::quiet().build().expect("starter"));
        let mut console = Console::new();
        for line in [
            "kafka-console-producer.sh --bootstrap-server b:9092 --topic orders",
            "a",
            "b",
            "^D",
            "kafka-console-consumer.sh --bootstrap-server b:9092 --topic orders --group audit --from-beginning --max-messages 2",
            "slow-broker 2",
        ] {
            assert!(!console.enter(line, &mut timeline).failed, "{line}");
        }
        timeline
    }

    /// Every command the console has a line for: the line, run on a copy, gives the same
    /// state as the command itself.
    #[test]
    fn each_console_line_does_exactly_its_command() {
        let mut configs = Map::new();
        configs.insert("cleanup.policy".to_owned(), "compact,delete".to_owned());
        configs.insert("retention.ms".to_owned(), "60000".to_owned());
        let commands = [
            Command::AddBroker,
            Command::AddBrokerOnRack {
                rack: "us-east-1a".into(),
            },
            Command::CrashBroker {
                broker: BrokerId(2),
            },
            Command::SlowBroker {
                broker: BrokerId(3),
            },
            Command::IsolateBroker {
                broker: BrokerId(1),
                from: Isolation::Controller,
            },
            Command::IsolateBroker {
                broker: BrokerId(3),
                from: Isolation::Clients,
            },
            Command::HealBroker {
                broker: BrokerId(2),
            },
            Command::CrashController {
                controller: crate::sim::ids::ControllerId(3001),
            },
            Command::CreateTopic {
                name: "audit.log-1".into(),
                partitions: 4,
                replication_factor: 2,
                configs: configs.clone(),
            },
            Command::DeleteTopic {
                topic: "orders".into(),
            },
            Command::AddPartitions {
                topic: "orders".into(),
                partitions: 5,
            },
            Command::CreateTopicWithAssignment {
                name: "pinned".into(),
                assignment: vec![
                    vec![BrokerId(2), BrokerId(3)],
                    vec![BrokerId(3), BrokerId(1)],
                ],
                configs: configs.clone(),
            },
            // TopicCommand skips the lists the line gives for orders' three partitions.
            Command::AddPartitionsWithAssignment {
                topic: "orders".into(),
                partitions: 5,
                assignment: vec![
                    vec![BrokerId(3), BrokerId(1), BrokerId(2)],
                    vec![BrokerId(2), BrokerId(1), BrokerId(3)],
                ],
            },
            Command::AlterTopicConfig {
                topic: "orders".into(),
                key: "cleanup.policy".into(),
                value: Some("compact,delete".into()),
            },
            Command::AlterTopicConfig {
                topic: "orders".into(),
                key: "min.insync.replicas".into(),
                value: Some("2".into()),
            },
            Command::ResetOffsets {
                group: "audit".into(),
                topic: Some("orders".into()),
                spec: ResetSpec::ShiftBy(-1),
            },
            Command::ResetOffsets {
                group: "audit".into(),
                topic: None,
                spec: ResetSpec::ToDatetime(1_500),
            },
            Command::ResetOffsets {
                group: "audit".into(),
                topic: None,
                spec: ResetSpec::ToOffset(1),
            },
            Command::ResetOffsets {
                group: "audit".into(),
                topic: Some("orders".into()),
                spec: ResetSpec::Earliest,
            },
            Command::ResetOffsets {
                group: "audit".into(),
                topic: None,
                spec: ResetSpec::Latest,
            },
            Command::AlterTopicConfig {
                topic: "orders".into(),
                key: "retention.ms".into(),
                value: None,
            },
            Command::DeleteGroup {
                group: "audit".into(),
            },
            Command::ElectLeaders {
                election: ElectionType::Unclean,
                partitions: None,
            },
            Command::ElectLeaders {
                election: ElectionType::Preferred,
                partitions: Some(vec![TopicPartition::new("orders", PartitionId(1))]),
            },
        ];
        for command in commands {
            let Equivalent::Line(words_given) = equivalent(&command) else {
                panic!("{command:?} has a console line");
            };
            assert!(reads_back(&words_given), "{words_given:?}");
            let mut by_command = cluster();
            by_command.apply(command.clone()).expect("accepted");
            let mut by_line = cluster();
            let reply = Console::new().enter(&line(&words_given), &mut by_line);
            assert!(!reply.failed, "{}: {:?}", line(&words_given), reply.lines);
            assert_eq!(
                by_line.command_log().map(|(_, c)| c).last(),
                Some(&command),
                "{}",
                line(&words_given)
            );
            assert_eq!(
                by_line.sim().state_hash(),
                by_command.sim().state_hash(),
                "{}",
                line(&words_given)
            );
        }
        let mut restart = cluster();
        restart
            .apply(Command::CrashBroker {
                broker: BrokerId(1),
            })
            .expect("crash");
        let mut by_line = restart.clone();
        restart
            .apply(Command::RestartBroker {
                broker: BrokerId(1),
            })
            .expect("restart");
        assert!(
            !Console::new()
                .enter("restart-broker 1", &mut by_line)
                .failed
        );
        assert_eq!(by_line.sim().state_hash(), restart.sim().state_hash());
    }

    #[test]
    fn client_calls_are_said_in_javas_words() {
        let send = Command::Produce {
            producer: "producer-1".into(),
            topic: "orders".into(),
            partition: Some(2),
            key: Some("user-1".into()),
            value: None,
        };
        assert_eq!(
            equivalent(&send),
            Equivalent::ClientCall(
                "producer-1.send(new ProducerRecord<>(\"orders\", 2, \"user-1\", null))".into()
            )
        );
    }

    #[test]
    fn words_with_spaces_or_quotes_are_quoted_and_read_back() {
        let given: Vec<String> = ["a b", "it's", "", "plain-1.x", "$HOME", "<b>"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(line(&given), r"'a b' 'it'\''s' '' plain-1.x '$HOME' '<b>'");
        assert!(reads_back(&given));
    }
}
