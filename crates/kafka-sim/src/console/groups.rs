//! `kafka-consumer-groups.sh`: list groups, describe one, reset its offsets, delete one.

use super::datetime;
use super::kafka_message;
use super::options::{Options, ToolOptions};
use crate::sim::command::Command;
use crate::sim::coordinator::GroupState;
use crate::sim::error::SimError;
use crate::sim::ids::PartitionId;
use crate::sim::names::{Named, either};
use crate::sim::timeline::Timeline;
use crate::sim::types::ResetSpec;
use crate::sim::view::GroupView;

const ACTIONS: [&str; 4] = ["list", "describe", "reset-offsets", "delete"];

pub(super) const OPTIONS: ToolOptions = ToolOptions {
    switches: &[
        "list",
        "describe",
        "reset-offsets",
        "delete",
        "all-topics",
        "to-earliest",
        "to-latest",
        "dry-run",
        "execute",
    ],
    valued: &[
        "bootstrap-server",
        "group",
        "topic",
        "to-offset",
        "shift-by",
        "to-datetime",
    ],
};

pub fn run(args: &[String], timeline: &mut Timeline) -> Result<Vec<String>, String> {
    let options = OPTIONS.parse(args)?;
    options.required("bootstrap-server")?;
    let action = options.action(&ACTIONS)?;
    let mut view = timeline.sim().view();
    // A deleted group is gone for Kafka's tools (the playground keeps it, Dead, on the page).
    view.groups.retain(|g| g.state != GroupState::Dead);
    if action == "list" {
        return Ok(view.groups.into_iter().map(|g| g.id).collect());
    }
    if action == "delete" {
        return delete(&options, timeline);
    }
    let group_id = options.required("group")?;
    let Some(group) = view.groups.iter().find(|g| g.id == group_id) else {
        return Err(format!(
            "Error: Consumer group '{group_id}' does not exist."
        ));
    };
    if action == "describe" {
        return Ok(describe(group));
    }
    reset(&options, group, timeline)
}

/// `--delete --group G [--group H ...]`: every group named, each only when it has no active
/// members; said as `ConsumerGroupCommand.deleteGroups` says it, failures with the exception
/// Kafka's admin client reports.
fn delete(options: &Options, timeline: &mut Timeline) -> Result<Vec<String>, String> {
    let groups: Vec<String> = options.values("group").map(str::to_owned).collect();
    if groups.is_empty() {
        return Err("Missing required argument \"[group]\"".to_owned());
    }
    let (mut deleted, mut failed) = (Vec::new(), Vec::new());
    for group in groups {
        match timeline.apply(Command::DeleteGroup {
            group: group.clone(),
        }) {
            Ok(_) => deleted.push(group),
            Err(SimError::NonEmptyGroup { .. }) => failed.push((
                group,
                "org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty.",
            )),
            Err(_) => failed.push((
                group,
                "org.apache.kafka.common.errors.GroupIdNotFoundException: The group id does not exist.",
            )),
        }
    }
    let quoted = |groups: &[String]| {
        groups
            .iter()
            .map(|g| format!("'{g}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if failed.is_empty() {
        return Ok(vec![format!(
            "Deletion of requested consumer groups ({}) was successful.",
            quoted(&deleted)
        )]);
    }
    let mut lines = vec![
        String::new(),
        "Error: Deletion of some consumer groups failed:".to_owned(),
    ];
    for (group, error) in failed {
        lines.push(format!(
            "* Group '{group}' could not be deleted due to: java.util.concurrent.ExecutionException: {error}"
        ));
    }
    if !deleted.is_empty() {
        lines.push(String::new());
        lines.push(format!(
            "These consumer groups were deleted successfully: {}",
            quoted(&deleted)
        ));
    }
    Err(lines.join("\n"))
}

/// Kafka's `--describe` table: a row per partition with the group's committed offset, the log
/// end (the high watermark), the lag and the member that owns it.
fn describe(group: &GroupView) -> Vec<String> {
    let mut lines = vec![String::new()];
    if group.members.is_empty() {
        lines.push(format!(
            "Consumer group '{}' has no active members.",
            group.id
        ));
        lines.push(String::new());
    }
    let client_of = |member: &str| {
        group
            .members
            .iter()
            .find(|m| m.id == member)
            .map_or("-", |m| m.client.as_str())
    };
    let dash = || "-".to_owned();
    let rows: Vec<[String; 9]> = group
        .partitions
        .iter()
        .map(|p| {
            let owner = p.owner.as_deref();
            [
                group.id.clone(),
                p.topic.clone(),
                p.partition.to_string(),
                p.committed.map_or_else(dash, |o| o.0.to_string()),
                p.end.0.to_string(),
                p.lag.map_or_else(dash, |l| l.to_string()),
                owner.map_or_else(dash, str::to_owned),
                owner.map_or_else(dash, |_| "/127.0.0.1".to_owned()),
                owner.map_or_else(dash, |m| client_of(m).to_owned()),
            ]
        })
        .collect();
    let header = [
        "GROUP",
        "TOPIC",
        "PARTITION",
        "CURRENT-OFFSET",
        "LOG-END-OFFSET",
        "LAG",
        "CONSUMER-ID",
        "HOST",
        "CLIENT-ID",
    ]
    .map(str::to_owned);
    lines.extend(table(&header, &rows));
    lines
}

/// Columns padded to their widest cell and separated by a space, as Kafka's tool prints them.
fn table<const N: usize>(header: &[String; N], rows: &[[String; N]]) -> Vec<String> {
    let mut widths = header.each_ref().map(|h| h.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    std::iter::once(header)
        .chain(rows)
        .map(|row| {
            row.iter()
                .zip(widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect::<Vec<_>>()
                .join(" ")
                .trim_end()
                .to_owned()
        })
        .collect()
}

fn reset(
    options: &Options,
    group: &GroupView,
    timeline: &mut Timeline,
) -> Result<Vec<String>, String> {
    let topic = match (options.value("topic"), options.has("all-topics")) {
        (Some(topic), false) => Some(topic.to_owned()),
        (None, true) => None,
        _ => {
            return Err(
                "Option [reset-offsets] takes exactly one of --topic or --all-topics".to_owned(),
            );
        }
    };
    let given: Vec<ResetSpec> = ResetSpec::NAMES
        .iter()
        .filter(|(name, _)| options.has(name))
        .map(|(_, spec)| *spec)
        .collect();
    let [scenario] = given[..] else {
        let names = either(ResetSpec::names().map(|name| format!("--{name}")));
        return Err(format!(
            "Option [reset-offsets] needs one reset scenario: {names}"
        ));
    };
    let spec = match scenario {
        ResetSpec::ToOffset(_) => ResetSpec::ToOffset(
            options
                .number("to-offset")?
                .and_then(|n| u64::try_from(n).ok())
                .ok_or("--to-offset needs an offset, 0 or more")?,
        ),
        ResetSpec::ShiftBy(_) => {
            ResetSpec::ShiftBy(options.number("shift-by")?.unwrap_or_default())
        }
        ResetSpec::ToDatetime(_) => {
            let text = options.value("to-datetime").unwrap_or_default();
            ResetSpec::ToDatetime(datetime::parse(text).ok_or_else(|| {
                format!("Error parsing timestamp '{text}': use yyyy-MM-dd'T'HH:mm:ss.SSS; the virtual clock starts at 1970-01-01T00:00:00.000")
            })?)
        }
        end @ (ResetSpec::Earliest | ResetSpec::Latest) => end,
    };
    let command = Command::ResetOffsets {
        group: group.id.clone(),
        topic: topic.clone(),
        spec,
    };
    let failed = |e: crate::sim::SimError| format!("Error: {}", kafka_message(&e));
    let mut lines = Vec::new();
    // --execute resets the group; a dry run works the new offsets out on a copy.
    let trial;
    let after = if options.has("execute") {
        timeline.apply(command).map_err(failed)?;
        timeline.sim()
    } else {
        let mut copy = timeline.sim().clone();
        copy.apply(command).map_err(failed)?;
        if !options.has("dry-run") {
            lines.push("WARN: No action will be performed as the --execute option is missing. Add --execute to reset the offsets, or --dry-run to say this is a trial.".to_owned());
        }
        trial = copy;
        &trial
    };
    let rows: Vec<[String; 4]> = group
        .partitions
        .iter()
        .filter(|p| topic.as_ref().is_none_or(|t| *t == p.topic))
        .filter_map(|p| {
            let offset = after.committed(&group.id, &p.topic, PartitionId(p.partition))?;
            Some([
                group.id.clone(),
                p.topic.clone(),
                p.partition.to_string(),
                offset.0.to_string(),
            ])
        })
        .collect();
    lines.push(String::new());
    let header = ["GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"].map(str::to_owned);
    lines.extend(table(&header, &rows));
    Ok(lines)
}
