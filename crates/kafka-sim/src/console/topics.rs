//! `kafka-topics.sh`: create, list, describe, alter (partitions) and delete topics.

use super::kafka_message;
use super::options::{ToolOptions, pair};
use crate::sim::command::Command;
use crate::sim::error::SimError;
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
        "config",
    ],
};

pub fn run(args: &[String], timeline: &mut Timeline) -> Result<Vec<String>, String> {
    let options = OPTIONS.parse(args)?;
    options.required("bootstrap-server")?;
    let failed = |error| {
        format!(
            "Error while executing topic command : {}",
            kafka_message(&error)
        )
    };
    match options.action(&ACTIONS)? {
        "create" => {
            let name = options.required("topic")?.to_owned();
            let mut configs = Map::new();
            for item in options.values("config") {
                let (key, value) = pair(item)?;
                configs.insert(key, value);
            }
            let command = Command::CreateTopic {
                name: name.clone(),
                // Kafka's broker defaults: num.partitions=1, default.replication.factor=1.
                partitions: options.number("partitions")?.unwrap_or(1),
                replication_factor: options.number("replication-factor")?.unwrap_or(1),
                configs,
            };
            timeline.apply(command).map_err(failed)?;
            Ok(vec![format!("Created topic {name}.")])
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
            let partitions = options
                .number("partitions")?
                .ok_or("Option \"[partitions]\" is required with --alter (the playground alters nothing else here; use kafka-configs.sh for configs)")?;
            timeline
                .apply(Command::AddPartitions { topic, partitions })
                .map_err(failed)?;
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

/// The topic's line and a line per partition, as Kafka 3.x prints them (without the topic id
/// and the eligible leader replicas, which the playground does not model).
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
            .join(",")
    ));
    for p in &topic.partitions {
        let offline: Vec<BrokerId> = p
            .replicas
            .iter()
            .filter(|r| !r.online)
            .map(|r| r.broker)
            .collect();
        let mut line = format!(
            "\tTopic: {}\tPartition: {}\tLeader: {}\tReplicas: {}\tIsr: {}",
            topic.name,
            p.id.0,
            p.leader
                .map_or_else(|| "none".to_owned(), |b| b.0.to_string()),
            ids(&mut p.replicas.iter().map(|r| r.broker)),
            ids(&mut p.isr.iter().copied()),
        );
        if !offline.is_empty() {
            line.push_str(&format!("\tOffline: {}", ids(&mut offline.into_iter())));
        }
        lines.push(line);
    }
}

/// The configs set on the topic, as `key=value`.
pub fn non_default_configs(config: &TopicConfig) -> Vec<String> {
    let defaults = TopicConfig::default();
    TOPIC_CONFIG_KEYS
        .iter()
        .filter_map(|key| {
            let value = config.get(key)?;
            (defaults.get(key).as_ref() != Some(&value)).then(|| format!("{key}={value}"))
        })
        .collect()
}
