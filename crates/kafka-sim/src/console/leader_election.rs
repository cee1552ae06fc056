//! `kafka-leader-election.sh` (Kafka's `LeaderElectionCommand`): a preferred or unclean leader
//! election for one partition (`--topic T --partition P`) or for every partition that needs one
//! (`--all-topic-partitions`), answered per partition in the tool's words: "Successfully
//! completed leader election", "Valid replica already elected", "Error completing leader
//! election". Simplified: `--path-to-json-file` is not read (the console has no files), and
//! the partitions are listed in order where Kafka's sets print in no particular one.

use super::options::ToolOptions;
use crate::sim::command::{Command, ElectionAnswer, ElectionType, Outcome};
use crate::sim::ids::PartitionId;
use crate::sim::timeline::Timeline;
use crate::sim::types::TopicPartition;

pub(super) const OPTIONS: ToolOptions = ToolOptions {
    switches: &["all-topic-partitions"],
    valued: &[
        "bootstrap-server",
        "election-type",
        "topic",
        "partition",
        "admin.config",
    ],
};

/// The election types the tool takes, as Kafka prints them (any case is read).
pub const ELECTION_TYPES: [&str; 2] = ["PREFERRED", "UNCLEAN"];

pub fn run(args: &[String], timeline: &mut Timeline) -> Result<Vec<String>, String> {
    let options = OPTIONS.parse(args)?;
    // `LeaderElectionCommandOptions.validate`, in its order and words.
    let missing: Vec<&str> = ["bootstrap-server", "election-type"]
        .into_iter()
        .filter(|o| !options.has(o))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "Missing required option(s): {}",
            missing.join(", ")
        ));
    }
    let given = options.value("election-type").unwrap_or_default();
    let election = match given.to_ascii_uppercase().as_str() {
        "PREFERRED" => ElectionType::Preferred,
        "UNCLEAN" => ElectionType::Unclean,
        _ => {
            return Err(format!(
                "Cannot parse argument '{given}' of option election-type (PREFERRED or UNCLEAN)"
            ));
        }
    };
    let exclusive = ["topic", "all-topic-partitions", "path-to-json-file"];
    if exclusive.iter().filter(|o| options.has(o)).count() != 1 {
        return Err(format!(
            "One and only one of the following options is required: {}",
            exclusive.join(", ")
        ));
    }
    let partitions = match (options.value("topic"), options.number("partition")?) {
        (Some(_), None) => return Err("Missing required option(s): partition".to_owned()),
        (None, Some(_)) => {
            return Err("Option partition is only allowed if topic is used".to_owned());
        }
        (Some(topic), Some(p)) => Some(vec![TopicPartition::new(
            topic,
            PartitionId(
                u32::try_from(p)
                    .map_err(|_| format!("Cannot parse argument '{p}' of option partition"))?,
            ),
        )]),
        (None, None) => None,
    };
    let outcome = timeline
        .apply(Command::ElectLeaders {
            election,
            partitions,
        })
        .map_err(|e| e.to_string())?;
    let Outcome::LeadersElected { answers } = outcome else {
        return Ok(Vec::new());
    };
    let view = timeline.sim().view();
    let known_topic = |topic: &str| view.topic(topic).is_some();
    let (lines, failed) = report(election, &answers, &known_topic);
    // Kafka's tool exits with status 1 when a partition could not be elected.
    if failed {
        Err(lines.join("\n"))
    } else {
        Ok(lines)
    }
}

/// `LeaderElectionCommand.electLeaders`' report: the partitions elected, those that needed no
/// election, then one line per failure and the count (which Kafka throws, on standard error);
/// and whether any failed.
fn report(
    election: ElectionType,
    answers: &[(TopicPartition, ElectionAnswer)],
    known_topic: &dyn Fn(&str) -> bool,
) -> (Vec<String>, bool) {
    let listed = |wanted: ElectionAnswer| -> Vec<String> {
        answers
            .iter()
            .filter(|(_, a)| *a == wanted)
            .map(|(tp, _)| tp.to_string())
            .collect()
    };
    let mut lines = Vec::new();
    let elected = listed(ElectionAnswer::Elected);
    if !elected.is_empty() {
        lines.push(format!(
            "Successfully completed leader election ({}) for partitions {}",
            election.name(),
            elected.join(", ")
        ));
    }
    let not_needed = listed(ElectionAnswer::NotNeeded);
    if !not_needed.is_empty() {
        lines.push(format!(
            "Valid replica already elected for partitions {}",
            not_needed.join(", ")
        ));
    }
    let failed: Vec<_> = answers
        .iter()
        .filter_map(|(tp, a)| Some((tp, failure(*a, tp, known_topic(&tp.topic))?)))
        .collect();
    for (tp, error) in &failed {
        lines.push(format!(
            "Error completing leader election ({}) for partition: {tp}: {error}",
            election.name()
        ));
    }
    if !failed.is_empty() {
        lines.push(format!("{} replica(s) could not be elected", failed.len()));
    }
    (lines, !failed.is_empty())
}

/// The exception Kafka's client makes of a failed answer, as its `toString` prints it.
/// (`ReplicationControlManager.electLeader` names the topic when it is unknown, the partition
/// otherwise.)
fn failure(
    answer: ElectionAnswer,
    partition: &TopicPartition,
    known_topic: bool,
) -> Option<String> {
    let errors = "org.apache.kafka.common.errors";
    Some(match answer {
        ElectionAnswer::Elected | ElectionAnswer::NotNeeded => return None,
        ElectionAnswer::PreferredLeaderNotAvailable => format!(
            "{errors}.PreferredLeaderNotAvailableException: The preferred leader was not available."
        ),
        ElectionAnswer::EligibleLeadersNotAvailable => format!(
            "{errors}.EligibleLeadersNotAvailableException: Eligible topic partition leaders are not available."
        ),
        ElectionAnswer::UnknownTopicOrPartition if known_topic => {
            format!("{errors}.UnknownTopicOrPartitionException: No such partition as {partition}")
        }
        ElectionAnswer::UnknownTopicOrPartition => format!(
            "{errors}.UnknownTopicOrPartitionException: No such topic as {}",
            partition.topic
        ),
    })
}
