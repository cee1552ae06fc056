//! `kafka-configs.sh` for topics: `--alter --add-config` / `--delete-config` and `--describe`.

use super::kafka_message;
use super::options::{ToolOptions, config_list};
use super::topics::non_default_configs;
use crate::sim::command::Command;
use crate::sim::error::SimError;
use crate::sim::timeline::Timeline;
use crate::sim::topic_config::TopicConfig;

pub(super) const OPTIONS: ToolOptions = ToolOptions {
    switches: &["alter", "describe"],
    valued: &[
        "bootstrap-server",
        "entity-type",
        "entity-name",
        "topic",
        "add-config",
        "delete-config",
    ],
};

pub fn run(args: &[String], timeline: &mut Timeline) -> Result<Vec<String>, String> {
    let options = OPTIONS.parse(args)?;
    options.required("bootstrap-server")?;
    // `--topic T` is Kafka's short form of `--entity-type topics --entity-name T`.
    let topic = match (options.value("topic"), options.value("entity-type")) {
        (Some(topic), None) => topic,
        (None, Some("topics")) => options.required("entity-name")?,
        (None, Some(other)) => {
            return Err(format!(
                "The playground's kafka-configs.sh alters topics only (--entity-type topics), not {other}"
            ));
        }
        (Some(_), Some(_)) => return Err("Use either --topic or --entity-type topics --entity-name, not both".to_owned()),
        (None, None) => return Err("Missing required argument \"[entity-type]\"".to_owned()),
    }
    .to_owned();
    let failed = |error: &SimError| {
        format!(
            "Error while executing config command with args '{}'\n{}",
            args.join(" "),
            kafka_message(error)
        )
    };
    let Some(config) = timeline.sim().topic_config(&topic) else {
        return Err(failed(&SimError::UnknownTopic { topic }));
    };
    if options.action(&["alter", "describe"])? == "describe" {
        return Ok(describe(&topic, config));
    }
    let mut changes: Vec<(String, Option<String>)> = Vec::new();
    for list in options.values("add-config") {
        changes.extend(config_list(list)?.into_iter().map(|(k, v)| (k, Some(v))));
    }
    for keys in options.values("delete-config") {
        changes.extend(
            keys.split(',')
                .filter(|k| !k.trim().is_empty())
                .map(|k| (k.trim().to_owned(), None)),
        );
    }
    if changes.is_empty() {
        return Err("Nothing to alter: give --add-config K=V or --delete-config K".to_owned());
    }
    // Kafka applies the whole request or none of it: check every change on a copy of the
    // topic's configs first (the engine checks a change with the same `TopicConfig::set`).
    let mut trial = config.clone();
    for (key, value) in &changes {
        trial.set(key, value.as_deref()).map_err(|e| failed(&e))?;
    }
    for (key, value) in changes {
        timeline
            .apply(Command::AlterTopicConfig {
                topic: topic.clone(),
                key,
                value,
            })
            .map_err(|e| kafka_message(&e))?;
    }
    Ok(vec![format!(
        "Completed updating config for topic {topic}."
    )])
}

/// The broker config whose default a topic config has (`ServerTopicConfigSynonyms`), for each
/// topic config the broker lists a default for. retention.ms and segment.ms are not here: their
/// broker configs (log.retention.ms, log.roll.ms) have no default, and the broker leaves their
/// lower synonyms' defaults (log.retention.hours, log.roll.hours) out of the list
/// (`ConfigHelper.configSynonyms` drops what comes before the first synonym's name).
const BROKER_SYNONYMS: [(&str, &str); 7] = [
    ("cleanup.policy", "log.cleanup.policy"),
    ("delete.retention.ms", "log.cleaner.delete.retention.ms"),
    (
        "min.cleanable.dirty.ratio",
        "log.cleaner.min.cleanable.ratio",
    ),
    ("min.insync.replicas", "min.insync.replicas"),
    ("retention.bytes", "log.retention.bytes"),
    ("segment.bytes", "log.segment.bytes"),
    (
        "unclean.leader.election.enable",
        "unclean.leader.election.enable",
    ),
];

/// `--describe` as `ConfigCommand.describeResourceConfig` prints a topic: each config set on
/// it, sorted by name, with its synonyms: the topic's value, then the broker's default for it
/// (`DEFAULT_CONFIG`, the same value as the topic's default). The exported brokers set none of
/// these configs, so no `STATIC_BROKER_CONFIG` synonym appears, and the playground has no
/// dynamic broker configs.
fn describe(topic: &str, config: &TopicConfig) -> Vec<String> {
    let defaults = TopicConfig::default();
    let mut lines = vec![format!("Dynamic configs for topic {topic} are:")];
    for (key, value) in non_default_configs(config) {
        let mut synonyms = vec![format!("DYNAMIC_TOPIC_CONFIG:{key}={value}")];
        if let Some((_, broker)) = BROKER_SYNONYMS.iter().find(|(k, _)| *k == key) {
            let default = defaults.get(key).unwrap_or_default();
            synonyms.push(format!("DEFAULT_CONFIG:{broker}={default}"));
        }
        lines.push(format!(
            "  {key}={value} sensitive=false synonyms={{{}}}",
            synonyms.join(", ")
        ));
    }
    lines
}
