//! `kafka-get-offsets.sh` (Kafka's `GetOffsetShell`): a partition's offsets as a consumer sees
//! them, `topic:partition:offset` a line: `--time -1` (latest, the default) the high watermark,
//! `-2` (earliest) the log start offset, a timestamp the first offset written at or after it
//! (none: the offset is left empty, as Kafka prints it). Simplified: `--topic` names a topic
//! (Kafka's takes a regular expression), and `--topic-partitions` is not read.

use super::options::ToolOptions;
use crate::sim::ids::PartitionId;
use crate::sim::timeline::Timeline;

pub(super) const OPTIONS: ToolOptions = ToolOptions {
    switches: &["exclude-internal-topics"],
    valued: &["bootstrap-server", "topic", "partitions", "time"],
};

/// Which offset of each partition.
enum Time {
    Latest,
    Earliest,
    /// The first record written at or after this virtual time (ms).
    At(u64),
}

pub fn run(args: &[String], timeline: &mut Timeline) -> Result<Vec<String>, String> {
    let options = OPTIONS.parse(args)?;
    options.required("bootstrap-server")?;
    let time = match options.value("time") {
        None | Some("-1" | "latest") => Time::Latest,
        Some("-2" | "earliest") => Time::Earliest,
        Some(other) => Time::At(other.parse::<u64>().map_err(|_| {
            format!(
                "Error occurred: --time takes -1 (latest), -2 (earliest) or a timestamp in ms, not {other}"
            )
        })?),
    };
    let partitions: Option<Vec<u32>> = options
        .value("partitions")
        .map(|list| {
            list.split(',')
                .map(|p| p.trim().parse::<u32>())
                .collect::<Result<Vec<u32>, _>>()
                .map_err(|_| {
                    format!(
                        "Error occurred: --partitions expects a comma separated list of numeric partition ids, but received: {list}"
                    )
                })
        })
        .transpose()?;
    let view = timeline.sim().view();
    let mut lines = Vec::new();
    for topic in view
        .topics
        .iter()
        .filter(|t| options.value("topic").is_none_or(|name| name == t.name))
    {
        for partition in topic
            .partitions
            .iter()
            .filter(|p| partitions.as_ref().is_none_or(|ids| ids.contains(&p.id.0)))
        {
            if partition.leader.is_none() {
                // Kafka says so on standard error and goes on.
                lines.push(format!(
                    "Error: topic-partition {}:{} does not have a leader. Skip getting offsets",
                    topic.name, partition.id
                ));
                continue;
            }
            let offset = match time {
                Time::Latest => Some(partition.high_watermark),
                Time::Earliest => Some(partition.log_start),
                Time::At(ms) => timeline
                    .sim()
                    .records(&topic.name, PartitionId(partition.id.0))
                    .iter()
                    .find(|r| r.timestamp_ms >= ms && r.offset < partition.high_watermark)
                    .map(|r| r.offset),
            };
            lines.push(format!(
                "{}:{}:{}",
                topic.name,
                partition.id,
                offset.map(|o| o.0.to_string()).unwrap_or_default()
            ));
        }
    }
    if lines.is_empty() {
        return Err(
            "Error occurred: Could not match any topic-partitions with the specified filters"
                .to_owned(),
        );
    }
    Ok(lines)
}
