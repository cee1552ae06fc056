//! Tab completion for the console, as a shell with Kafka's completions would do it: the tools'
//! names first, then each tool's options, then what an option takes (topics, groups, config
//! names, brokers, ...) from the simulated cluster as it is now.

use super::options::{ToolOptions, quote, words};
use super::{
    clients, configs, get_offsets, groups, leader_election, metadata_quorum, reassign, topics,
};
use crate::sim::Sim;
use crate::sim::broker::BrokerStatus;
use crate::sim::coordinator::GroupState;
use crate::sim::names::Named;
use crate::sim::types::{Acks, TOPIC_CONFIG_KEYS};

/// The console's commands, as completed in the first word.
pub const COMMANDS: [&str; 19] = [
    "kafka-topics.sh",
    "kafka-console-producer.sh",
    "kafka-console-consumer.sh",
    "kafka-consumer-groups.sh",
    "kafka-configs.sh",
    "kafka-get-offsets.sh",
    "kafka-leader-election.sh",
    "kafka-reassign-partitions.sh",
    "kafka-metadata-quorum.sh",
    "add-broker",
    "crash-broker",
    "restart-broker",
    "slow-broker",
    "isolate-broker",
    "heal-broker",
    "crash-controller",
    "restart-controller",
    "sleep",
    "help",
];

/// What Tab offers for the word being typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    /// Where the word being completed starts in the line (a byte index).
    pub start: usize,
    /// Every way to complete it, in order.
    pub candidates: Vec<String>,
}

impl Completion {
    /// The line with the word completed as far as every candidate agrees: the whole
    /// candidate and a space when there is one, their common start when there are several.
    pub fn apply(&self, line: &str) -> String {
        let head = line.get(..self.start).unwrap_or(line);
        match self.candidates.as_slice() {
            [] => line.to_owned(),
            [one] if one.ends_with('=') => format!("{head}{one}"),
            [one] => format!("{head}{one} "),
            many => {
                let common = many.iter().skip(1).fold(many[0].as_str(), |common, c| {
                    let same = common
                        .char_indices()
                        .zip(c.chars())
                        .take_while(|((_, a), b)| a == b)
                        .last()
                        .map_or(0, |((i, a), _)| i + a.len_utf8());
                    &common[..same]
                });
                let typed = line.get(self.start..).unwrap_or_default();
                if common.len() > typed.len() {
                    format!("{head}{common}")
                } else {
                    line.to_owned()
                }
            }
        }
    }
}

/// The completions of the last word of `line` (the text before the cursor) on `sim`.
pub fn complete(line: &str, sim: &Sim) -> Completion {
    // The word being typed starts after the last space (a quoted word is not completed).
    let start = line.rfind([' ', '\t']).map_or(0, |i| i + 1);
    let typed = &line[start..];
    let before = words(&line[..start]).unwrap_or_default();
    let matching = |options: Vec<String>| Completion {
        start,
        candidates: options
            .into_iter()
            .filter(|o| o.starts_with(typed))
            .map(|o| if o.ends_with('=') { o } else { quote(&o) })
            .collect(),
    };
    let Some(tool) = before.first() else {
        return matching(COMMANDS.iter().map(|c| (*c).to_owned()).collect());
    };
    let tool = tool.rsplit('/').next().unwrap_or(tool);
    let view = sim.view();
    let brokers = |wanted: fn(BrokerStatus) -> bool| {
        view.brokers
            .iter()
            .filter(|b| wanted(b.status))
            .map(|b| b.id.0.to_string())
            .collect::<Vec<_>>()
    };
    match tool {
        "crash-broker" if before.len() == 1 => {
            return matching(brokers(|s| {
                matches!(s, BrokerStatus::Running | BrokerStatus::FencedRunning)
            }));
        }
        "restart-broker" if before.len() == 1 => {
            return matching(brokers(|s| {
                !matches!(s, BrokerStatus::Running | BrokerStatus::FencedRunning)
            }));
        }
        "slow-broker" | "isolate-broker" | "heal-broker" if before.len() == 1 => {
            return matching(brokers(|_| true));
        }
        "isolate-broker" if before.len() == 2 => {
            return matching(vec!["controller".to_owned(), "clients".to_owned()]);
        }
        "crash-controller" | "restart-controller" if before.len() == 1 => {
            let running = tool == "crash-controller";
            return matching(
                view.quorum
                    .controllers
                    .iter()
                    .filter(|c| c.running == running)
                    .map(|c| c.id.to_string())
                    .collect(),
            );
        }
        "kafka-metadata-quorum.sh" if !before.iter().any(|w| w == "describe") => {
            if before.last().is_some_and(|w| w == "--bootstrap-server") {
                return matching(vec!["localhost:9092".to_owned()]);
            }
            return matching(vec!["--bootstrap-server".to_owned(), "describe".to_owned()]);
        }
        _ => {}
    }
    let Some(options) = tool_options(tool) else {
        return Completion::default();
    };
    let topics = || view.topics.iter().map(|t| t.name.clone()).collect();
    let groups = || {
        view.groups
            .iter()
            .filter(|g| g.state != GroupState::Dead)
            .map(|g| g.id.clone())
            .collect()
    };
    let owned = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
    // The value of the option before the cursor, if it takes one.
    let option = before
        .last()
        .and_then(|w| w.strip_prefix("--"))
        .filter(|name| options.valued.contains(name));
    match option {
        Some("bootstrap-server") => matching(owned(&["localhost:9092"])),
        Some("topic" | "entity-name") => matching(topics()),
        Some("group") => matching(groups()),
        Some("entity-type") => matching(owned(&["topics"])),
        Some("config" | "add-config") => {
            matching(TOPIC_CONFIG_KEYS.iter().map(|k| format!("{k}=")).collect())
        }
        Some("delete-config") => matching(owned(&TOPIC_CONFIG_KEYS)),
        Some("property") if tool == "kafka-console-producer.sh" => {
            matching(owned(&["parse.key=true", "key.separator="]))
        }
        Some("property") => matching(owned(&[
            "print.key=true",
            "print.partition=true",
            "print.offset=true",
            "print.timestamp=true",
        ])),
        Some("producer-property") => matching(
            clients::PRODUCER_PROPERTIES
                .iter()
                .map(|k| format!("{k}="))
                .collect(),
        ),
        Some("consumer-property") => matching(
            clients::CONSUMER_PROPERTIES
                .iter()
                .map(|k| format!("{k}="))
                .collect(),
        ),
        Some("request-required-acks") => matching(Acks::names().map(str::to_owned).collect()),
        Some("offset") => matching(
            clients::OFFSET_WORDS
                .iter()
                .map(|word| word.name().to_owned())
                .collect(),
        ),
        Some("time") => matching(owned(&["-1", "-2"])),
        Some("election-type") => matching(owned(&leader_election::ELECTION_TYPES)),
        Some("topics-to-move-json-file") => matching(
            view.topics
                .iter()
                .map(|t| {
                    format!(
                        "{{\"version\":1,\"topics\":[{{\"topic\":\"{}\"}}]}}",
                        t.name
                    )
                })
                .collect(),
        ),
        Some("reassignment-json-file") => matching(
            view.topics
                .iter()
                .map(|t| reassign::topic_json(&view, &t.name))
                .collect(),
        ),
        Some("broker-list") => matching(vec![
            view.brokers
                .iter()
                .filter(|b| !b.status.is_fenced())
                .map(|b| b.id.0.to_string())
                .collect::<Vec<_>>()
                .join(","),
        ]),
        Some("partition" | "partitions") => {
            let topic = before
                .windows(2)
                .rev()
                .find(|w| w[0] == "--topic")
                .map(|w| w[1].clone());
            let count = topic
                .and_then(|t| view.topic(&t).map(|t| t.partitions.len()))
                .unwrap_or(0);
            matching((0..count).map(|p| p.to_string()).collect())
        }
        Some(_) => Completion::default(),
        None => {
            let given: Vec<&str> = before.iter().filter_map(|w| w.strip_prefix("--")).collect();
            matching(
                options
                    .switches
                    .iter()
                    .chain(options.valued)
                    .filter(|o| !given.contains(o) || **o == "config" || o.ends_with("property"))
                    .map(|o| format!("--{o}"))
                    .collect(),
            )
        }
    }
}

fn tool_options(tool: &str) -> Option<&'static ToolOptions> {
    Some(match tool {
        "kafka-topics.sh" => &topics::OPTIONS,
        "kafka-configs.sh" => &configs::OPTIONS,
        "kafka-consumer-groups.sh" => &groups::OPTIONS,
        "kafka-console-producer.sh" => &clients::PRODUCER_OPTIONS,
        "kafka-console-consumer.sh" => &clients::CONSUMER_OPTIONS,
        "kafka-get-offsets.sh" => &get_offsets::OPTIONS,
        "kafka-leader-election.sh" => &leader_election::OPTIONS,
        "kafka-reassign-partitions.sh" => &reassign::OPTIONS,
        "kafka-metadata-quorum.sh" => &metadata_quorum::OPTIONS,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Console;
    use crate::sim::scenario::Scenario;
    use crate::sim::timeline::Timeline;

    fn starter() -> Timeline {
        let mut timeline = Timeline::new(Scenario::quiet().build().expect("starter"));
        for line in [
            "kafka-topics.sh --bootstrap-server b:9092 --create --topic orders-audit --partitions 2",
            "crash-broker 3",
        ] {
            assert!(!Console::new().enter(line, &mut timeline).failed);
        }
        timeline
    }

    fn tab(line: &str) -> (Vec<String>, String) {
        let timeline = starter();
        let completion = complete(line, timeline.sim());
        (completion.candidates.clone(), completion.apply(line))
    }

    #[test]
    fn commands_then_options_then_their_values() {
        assert_eq!(
            tab("kafka-con"),
            (
                vec![
                    "kafka-console-producer.sh".to_owned(),
                    "kafka-console-consumer.sh".to_owned(),
                    "kafka-consumer-groups.sh".to_owned(),
                    "kafka-configs.sh".to_owned()
                ],
                "kafka-con".to_owned()
            )
        );
        assert_eq!(tab("kafka-conso").1, "kafka-console-");
        assert_eq!(tab("kafka-t").1, "kafka-topics.sh ");
        assert_eq!(tab("kafka-console-p").1, "kafka-console-producer.sh ");
        assert_eq!(tab("kafka-topics.sh --cr").1, "kafka-topics.sh --create ");
        assert_eq!(
            tab("kafka-topics.sh --bootstrap-server ").1,
            "kafka-topics.sh --bootstrap-server localhost:9092 "
        );
        let (topics, line) = tab("kafka-topics.sh --describe --topic ord");
        assert_eq!(topics, ["orders", "orders-audit"]);
        assert_eq!(line, "kafka-topics.sh --describe --topic orders");
        assert_eq!(
            tab("kafka-consumer-groups.sh --describe --group g").1,
            "kafka-consumer-groups.sh --describe --group group-1 "
        );
        assert_eq!(
            tab("kafka-configs.sh --alter --add-config retention.m").1,
            "kafka-configs.sh --alter --add-config retention.ms="
        );
        assert_eq!(
            tab("kafka-console-consumer.sh --topic orders-audit --partition ").0,
            ["0", "1"]
        );
        assert_eq!(tab("crash-broker ").0, ["1", "2"]);
        assert_eq!(tab("restart-broker ").0, ["3"]);
    }

    #[test]
    fn options_given_are_not_offered_again_and_unknown_tools_get_nothing() {
        let (offered, _) = tab("kafka-consumer-groups.sh --bootstrap-server x --list --");
        assert!(!offered.contains(&"--list".to_owned()), "{offered:?}");
        assert!(!offered.contains(&"--bootstrap-server".to_owned()));
        assert!(offered.contains(&"--reset-offsets".to_owned()));
        let (offered, _) = tab("kafka-topics.sh --config a=1 --");
        assert!(offered.contains(&"--config".to_owned()), "repeatable");
        assert_eq!(tab("ls -").0, Vec::<String>::new());
        assert_eq!(tab("sleep 1").0, Vec::<String>::new());
        assert_eq!(tab("").0.len(), COMMANDS.len());
    }
}
