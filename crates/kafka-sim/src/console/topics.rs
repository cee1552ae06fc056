//! `kafka-topics.sh`: create, list, describe, alter (partitions) and delete topics.

use super::kafka_message;
use super::options::{Options, ToolOptions, pair, repeated};
use crate::sim::command::Command;
use crate::sim::error::{ReplicaAssignmentError, SimError};
use crate::sim::ids::BrokerId;
use crate::sim::ordered::Map;
use crate::sim::timeline::Timeline;
use crate::sim::topic_config::TopicConfig;
use crate::sim::types::TOPIC_CONFIG_KEYS;
use crate::sim::view::TopicView;

const ACTIONS: [&str; 5] = ["create", "list", "describe", "alter", "delete"];

pub(super) const OPTIONS: ToolOptions = ToolOptions {
    switches: &ACTIONS,
    valued: &[
        "bootstrap-server",
        "topic",
        "partitions",
        "replication-factor",
        "replica-assignment",
        "config",
    ],
};

pub fn run(args: &[String], timeline: &mut Timeline) -> Result<Vec<String>, String> {
    let options = OPTIONS.parse(args)?;
    options.required("bootstrap-server")?;
    let failed = |error| command_error(&kafka_message(&error));
    let action = options.action(&ACTIONS)?;
    options.refuse_beside("replica-assignment", &["list", "describe", "delete"])?;
    match action {
        "create" => {
            let name = options.required("topic")?.to_owned();
            let assignment = replica_assignment(&options, &["partitions", "replication-factor"])?;
            let mut configs = Map::new();
            for item in options.values("config") {
                let (key, value) = pair(item)?;
                configs.insert(key, value);
            }
            let partitions = options.number("partitions")?;
            let replication_factor = options.number("replication-factor")?;
            // TopicService.createTopic warns first, then checks the numbers itself.
            let mut lines = Vec::new();
            if name.contains(['.', '_']) {
                lines.push(COLLISION_WARNING.to_owned());
            }
            let refused = |lines: &mut Vec<String>, message: &str| {
                lines.push(command_error(message));
                lines.join("\n")
            };
            if replication_factor.is_some_and(|rf| !(1..=i64::from(i16::MAX)).contains(&rf)) {
                return Err(refused(
                    &mut lines,
                    "The replication factor must be between 1 and 32767 inclusive",
                ));
            }
            if partitions.is_some_and(|p| p < 1) {
                return Err(refused(&mut lines, "The partitions must be greater than 0"));
            }
            let command = Command::CreateTopic {
                name: name.clone(),
                // Kafka's broker defaults: num.partitions=1, default.replication.factor=1.
                partitions: partitions.unwrap_or(1),
                replication_factor: replication_factor.unwrap_or(1),
                configs,
            };
            let command = on_replicas(command, assignment, timeline);
            if let Err(error) = timeline.apply(command) {
                return Err(refused(&mut lines, &kafka_message(&error)));
            }
            lines.push(format!("Created topic {name}."));
            Ok(lines)
        }
        "list" => Ok(timeline
            .sim()
            .view()
            .topics
            .into_iter()
            .map(|t| t.name)
            .collect()),
        "describe" => {
            let view = timeline.sim().view();
            let chosen = options.value("topic");
            if let Some(name) = chosen
                && view.topic(name).is_none()
            {
                return Err(failed(SimError::UnknownTopic {
                    topic: name.to_owned(),
                }));
            }
            let mut lines = Vec::new();
            for topic in view
                .topics
                .iter()
                .filter(|t| chosen.is_none_or(|c| c == t.name))
            {
                let config = timeline.sim().topic_config(&topic.name);
                describe(topic, config, &mut lines);
            }
            Ok(lines)
        }
        "alter" => {
            let topic = options.required("topic")?.to_owned();
            options.required("partitions")?;
            let partitions = options.number("partitions")?.unwrap_or_default();
            let assignment = replica_assignment(&options, &[])?;
            let command = on_replicas(
                Command::AddPartitions { topic, partitions },
                assignment,
                timeline,
            );
            timeline.apply(command).map_err(failed)?;
            Ok(Vec::new())
        }
        _ => {
            let topic = options.required("topic")?.to_owned();
            timeline
                .apply(Command::DeleteTopic { topic })
                .map_err(failed)?;
            Ok(Vec::new())
        }
    }
}

/// What `kafka-topics.sh --create` prints for a name with a '.' or a '_'
/// (`TopicService.createTopic`).
const COLLISION_WARNING: &str = "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.";

/// What kafka-topics.sh prints for a failure in its topic service.
fn command_error(message: &str) -> String {
    format!("Error while executing topic command : {message}")
}

/// `--replica-assignment` with --create or --alter, refused beside `conflicting` options
/// (`TopicCommandOptions.checkInvalidArgs`), then read as `TopicCommand.parseReplicaAssignment`
/// reads it: partitions split at ',' and brokers at ':' (Java's `String.split`, which drops
/// trailing empty parts), each broker trimmed and read as an int; a list may not repeat a
/// broker (Kafka names the repeated ones from a hash set: ascending for broker-sized ids), and
/// every list is as long as the first. `None` when absent or empty, as for Kafka.
///
/// Simplification: a negative broker id, which no broker has, is refused here in the
/// controller's words, before the controller would have checked the other partitions.
fn replica_assignment(
    options: &Options,
    conflicting: &[&str],
) -> Result<Option<Vec<Vec<BrokerId>>>, String> {
    options.refuse_beside("replica-assignment", conflicting)?;
    let Some(text) = options
        .value("replica-assignment")
        .filter(|t| !t.is_empty())
    else {
        return Ok(None);
    };
    let mut lists: Vec<Vec<i64>> = Vec::new();
    for (p, part) in java_split(text, ',').into_iter().enumerate() {
        let list = java_split(part, ':')
            .into_iter()
            .map(|id| {
                let id = id.trim_matches(|c| c <= ' ');
                id.parse::<i32>()
                    .map(i64::from)
                    .map_err(|_| command_error(&format!("For input string: \"{id}\"")))
            })
            .collect::<Result<Vec<i64>, String>>()?;
        let twice: Vec<String> = repeated(&list).iter().map(i64::to_string).collect();
        if !twice.is_empty() {
            return Err(command_error(&format!(
                "Partition replica lists may not contain duplicate entries: {}",
                twice.join(",")
            )));
        }
        if lists.first().is_some_and(|first| first.len() != list.len()) {
            let shown: Vec<String> = list.iter().map(i64::to_string).collect();
            return Err(command_error(&format!(
                "Partition {p} has different replication factor: [{}]",
                shown.join(", ")
            )));
        }
        lists.push(list);
    }
    if lists.is_empty() {
        return Ok(None);
    }
    lists
        .into_iter()
        .map(|list| {
            list.into_iter()
                .map(|id| {
                    u32::try_from(id).map(BrokerId).map_err(|_| {
                        command_error(&kafka_message(&SimError::InvalidReplicaAssignment(
                            ReplicaAssignmentError::UnregisteredBroker { broker: id },
                        )))
                    })
                })
                .collect()
        })
        .collect::<Result<_, _>>()
        .map(Some)
}

/// `text` split at `separator` as Java's `String.split` splits it: trailing empty parts are
/// dropped, and an empty text is one empty part.
fn java_split(text: &str, separator: char) -> Vec<&str> {
    if text.is_empty() {
        return vec![text];
    }
    let mut parts: Vec<&str> = text.split(separator).collect();
    while parts.last() == Some(&"") {
        parts.pop();
    }
    parts
}

/// A topic creation or growth on the replica lists given with `--replica-assignment`, if
/// any, instead of the controller's placement. Growing, TopicCommand skips the lists of the
/// partitions the topic has and sends the rest.
fn on_replicas(
    command: Command,
    assignment: Option<Vec<Vec<BrokerId>>>,
    timeline: &Timeline,
) -> Command {
    match (command, assignment) {
        (Command::CreateTopic { name, configs, .. }, Some(assignment)) => {
            Command::CreateTopicWithAssignment {
                name,
                assignment,
                configs,
            }
        }
        (Command::AddPartitions { topic, partitions }, Some(mut assignment)) => {
            let existing = timeline.sim().topic_partitions(&topic).unwrap_or(0);
            Command::AddPartitionsWithAssignment {
                assignment: assignment.split_off(existing.min(assignment.len())),
                topic,
                partitions,
            }
        }
        (command, _) => command,
    }
}

/// The topic's line and a line per partition, as Kafka 4's `TopicCommand` prints them
/// (`TopicDescription` and `PartitionDescription.printDescription`; the replication factor of a
/// moving topic without the replicas being added, `getReplicationFactor`), without the topic id,
/// which the playground does not model. The eligible leader replicas (`Elr`, `LastKnownElr`)
/// are those of a Kafka 4.1+ cluster, which runs them by default.
fn describe(topic: &TopicView, config: Option<&TopicConfig>, lines: &mut Vec<String>) {
    let ids = |brokers: &mut dyn Iterator<Item = BrokerId>| {
        brokers
            .map(|b| b.0.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    lines.push(format!(
        "Topic: {}\tPartitionCount: {}\tReplicationFactor: {}\tConfigs: {}",
        topic.name,
        topic.partitions.len(),
        topic.replication_factor,
        config
            .map(non_default_configs)
            .unwrap_or_default()
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect::<Vec<_>>()
            .join(",")
    ));
    for p in &topic.partitions {
        // A moving partition also shows its reassignment (`PartitionDescription`).
        let moving = if p.adding.is_empty() && p.removing.is_empty() {
            String::new()
        } else {
            format!(
                "\tAdding Replicas: {}\tRemoving Replicas: {}",
                ids(&mut p.adding.iter().copied()),
                ids(&mut p.removing.iter().copied())
            )
        };
        lines.push(format!(
            "\tTopic: {}\tPartition: {}\tLeader: {}\tReplicas: {}\tIsr: {}{moving}\tElr: {}\tLastKnownElr: {}",
            topic.name,
            p.id.0,
            p.leader
                .map_or_else(|| "none".to_owned(), |b| b.0.to_string()),
            ids(&mut p.replicas.iter().map(|r| r.broker)),
            ids(&mut p.isr.iter().copied()),
            ids(&mut p.elr.iter().copied()),
            ids(&mut p.last_known_elr.iter().copied()),
        ));
    }
}

/// The configs set on the topic, with their values, sorted by name. (The playground keeps a
/// topic's values, not which were set: one set to its default does not show.)
pub fn non_default_configs(config: &TopicConfig) -> Vec<(&'static str, String)> {
    let defaults = TopicConfig::default();
    TOPIC_CONFIG_KEYS
        .iter()
        .filter_map(|&key| {
            let value = config.get(key)?;
            (defaults.get(key).as_ref() != Some(&value)).then_some((key, value))
        })
        .collect()
}
