//! `kafka-consumer-groups.sh`: list groups, describe one, reset its offsets, delete one.

use super::datetime;
use super::external_port;
use super::kafka_message;
use super::options::{Options, ToolOptions};
use crate::sim::Sim;
use crate::sim::command::Command;
use crate::sim::coordinator::GroupState;
use crate::sim::error::SimError;
use crate::sim::ids::PartitionId;
use crate::sim::names::{Named, either};
use crate::sim::ordered::Map;
use crate::sim::timeline::Timeline;
use crate::sim::types::{GroupProtocol, ResetSpec, TopicPartition};
use crate::sim::view::GroupView;

const ACTIONS: [&str; 4] = ["list", "describe", "reset-offsets", "delete"];

pub(super) const OPTIONS: ToolOptions = ToolOptions {
    switches: &[
        "list",
        "describe",
        "reset-offsets",
        "delete",
        "members",
        "offsets",
        "state",
        "verbose",
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

/// `--describe`'s views: at most one; the offsets without any.
const DESCRIBE_VIEWS: [&str; 3] = ["members", "offsets", "state"];

/// `ConsumerGroupCommand`'s marker for a value it does not have.
const MISSING: &str = "-";

/// The host Kafka reports for a member: where its client connected from.
const MEMBER_HOST: &str = "/127.0.0.1";

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
    let group = view.groups.iter().find(|g| g.id == group_id);
    if action == "describe" {
        return describe(&options, group_id, group, timeline.sim());
    }
    reset(&options, group_id, group, timeline)
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

/// `--describe` as `ConsumerGroupCommand.describeGroups` prints it: the group's offsets (the
/// default, `--offsets`), its members (`--members`, `--verbose` adds their partitions) or its
/// state (`--state`), after what `shouldPrintMemberState` says about the group's state.
fn describe(
    options: &Options,
    group_id: &str,
    group: Option<&GroupView>,
    sim: &Sim,
) -> Result<Vec<String>, String> {
    if DESCRIBE_VIEWS.iter().filter(|v| options.has(v)).count() > 1 {
        return Err(format!(
            "Option [describe] takes at most one of these options: {}",
            DESCRIBE_VIEWS.map(|v| format!("[{v}]")).join(", ")
        ));
    }
    let Some(group) = group else {
        // Kafka describes a group it does not know as Dead; its --members prints the header
        // even then.
        let mut lines = vec![
            String::new(),
            format!("Error: Consumer group '{group_id}' does not exist."),
        ];
        if options.has("members") {
            let no_members: &[[String; 5]] = &[];
            let header = MEMBER_HEADER.map(str::to_owned);
            lines.extend(table(&MEMBER_WIDTHS, &header, no_members));
        }
        return Err(lines.join("\n"));
    };
    if options.has("members") {
        Ok(members(group, options.has("verbose")))
    } else if options.has("state") {
        Ok(state(group, sim))
    } else {
        Ok(offsets(group))
    }
}

/// What `shouldPrintMemberState` prints before a table: a blank line and a note for an Empty
/// group or one that is rebalancing, nothing for a Stable one.
fn state_note(group: &GroupView) -> Vec<String> {
    let note = match group.state {
        GroupState::Empty => format!("Consumer group '{}' has no active members.", group.id),
        GroupState::Stable | GroupState::Dead => return Vec::new(),
        GroupState::PreparingRebalance
        | GroupState::CompletingRebalance
        | GroupState::Reconciling
        | GroupState::Assigning => {
            format!("Warning: Consumer group '{}' is rebalancing.", group.id)
        }
    };
    vec![String::new(), note]
}

/// The widest of `cells`, at least `min`: how `ConsumerGroupCommand` sizes a column.
fn width<'a>(min: usize, cells: impl IntoIterator<Item = &'a str>) -> usize {
    cells
        .into_iter()
        .map(|c| c.chars().count())
        .fold(min, usize::max)
}

/// A line as Java's `printf` pads it: each cell left-aligned to at least its column's width
/// and followed by a space, the last one as it is; the spaces that would end the line are left
/// out, as a terminal shows it.
fn padded(widths: &[usize], cells: &[String]) -> String {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        match widths.get(i) {
            Some(&width) if i + 1 < cells.len() => line.push_str(&format!("{cell:<width$} ")),
            _ => line.push_str(cell),
        }
    }
    line.trim_end().to_owned()
}

/// A table as `ConsumerGroupCommand` prints one: a blank line, the header, the rows, each line
/// `padded` to `widths`.
fn table<Row: AsRef<[String]>>(widths: &[usize], header: &[String], rows: &[Row]) -> Vec<String> {
    let lines = std::iter::once(header).chain(rows.iter().map(AsRef::as_ref));
    std::iter::once(String::new())
        .chain(lines.map(|cells| padded(widths, cells)))
        .collect()
}

/// `printOffsets`: a row per partition the group's members own or it has an offset for, with
/// its committed offset, the log end (the high watermark), the lag and the member that owns it.
/// GROUP, TOPIC, CONSUMER-ID and HOST are as wide as their widest value, at least 15;
/// PARTITION is 10 wide and the offset columns 15. Rows come sorted by topic and partition.
fn offsets(group: &GroupView) -> Vec<String> {
    let client_of = |member: &str| {
        group
            .members
            .iter()
            .find(|m| m.id == member)
            .map_or(MISSING, |m| m.client.as_str())
    };
    let missing = || MISSING.to_owned();
    let rows: Vec<[String; 9]> = group
        .partitions
        .iter()
        .filter(|p| p.owner.is_some() || p.committed.is_some())
        .map(|p| {
            let owner = p.owner.as_deref();
            [
                group.id.clone(),
                p.topic.clone(),
                p.partition.to_string(),
                p.committed.map_or_else(missing, |o| o.0.to_string()),
                p.end.0.to_string(),
                p.lag.map_or_else(missing, |l| l.to_string()),
                owner.map_or_else(missing, str::to_owned),
                owner.map_or_else(missing, |_| MEMBER_HOST.to_owned()),
                owner.map_or_else(missing, |m| client_of(m).to_owned()),
            ]
        })
        .collect();
    let mut lines = state_note(group);
    if rows.is_empty() {
        return lines;
    }
    let column = |i: usize| width(15, rows.iter().map(|r| r[i].as_str()));
    let widths = [column(0), column(1), 10, 15, 15, 15, column(6), column(7)];
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
    lines.extend(table(&widths, &header, &rows));
    lines
}

/// `printMembers`' header, and its columns' widths when no value is wider.
const MEMBER_HEADER: [&str; 5] = ["GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS"];
const MEMBER_WIDTHS: [usize; 5] = [15; 5];
/// The GROUP-INSTANCE-ID column's least width.
const INSTANCE_ID_WIDTH: usize = 17;

/// `printMembers`: a row per member with its host, client and how many partitions it holds;
/// with `--verbose` also which, as `(0,1)` per topic (Kafka 4's tool leaves the topic's name
/// out). When a member is static, a GROUP-INSTANCE-ID column follows CONSUMER-ID (at least 17
/// wide, empty for dynamic members). GROUP, CONSUMER-ID, HOST and CLIENT-ID are as wide as
/// their widest value, at least 15; #PARTITIONS is 15. The header is printed whatever the
/// group's state.
fn members(group: &GroupView, verbose: bool) -> Vec<String> {
    let with_instance = group.members.iter().any(|m| m.instance_id.is_some());
    let rows: Vec<Vec<String>> = group
        .members
        .iter()
        .map(|m| {
            let mut row = vec![group.id.clone(), m.id.clone()];
            if with_instance {
                row.push(m.instance_id.clone().unwrap_or_default());
            }
            row.extend([
                MEMBER_HOST.to_owned(),
                m.client.clone(),
                m.assigned.len().to_string(),
            ]);
            if verbose {
                row.push(assignment(&m.assigned));
            }
            row
        })
        .collect();
    let mut header = MEMBER_HEADER.map(str::to_owned).to_vec();
    let mut minimums = MEMBER_WIDTHS.to_vec();
    if with_instance {
        header.insert(2, "GROUP-INSTANCE-ID".to_owned());
        minimums.insert(2, INSTANCE_ID_WIDTH);
    }
    let last = minimums.len() - 1;
    let widths: Vec<usize> = minimums
        .iter()
        .enumerate()
        .map(|(i, &min)| {
            if i == last {
                min
            } else {
                width(min, rows.iter().map(|r| r[i].as_str()))
            }
        })
        .collect();
    if verbose {
        header.push("ASSIGNMENT".to_owned());
    }
    let mut lines = state_note(group);
    lines.extend(table(&widths, &header, &rows));
    lines
}

/// A member's partitions as `--members --verbose` prints them: per topic `(0,1)`, the numbers
/// and the topics' lists sorted as text; `-` for none.
fn assignment(partitions: &[TopicPartition]) -> String {
    if partitions.is_empty() {
        return MISSING.to_owned();
    }
    let mut by_topic: Map<&str, Vec<String>> = Map::new();
    for tp in partitions {
        by_topic
            .entry(tp.topic.as_str())
            .or_default()
            .push(tp.partition.0.to_string());
    }
    let mut lists: Vec<String> = by_topic
        .values()
        .map(|numbers| {
            let mut numbers = numbers.clone();
            numbers.sort();
            format!("({})", numbers.join(","))
        })
        .collect();
    lists.sort();
    lists.join(", ")
}

/// `printStates`: the group's coordinator (as the exported cluster advertises it to a client
/// outside Docker), its assignor, state and member count. The first column is as wide as the
/// coordinator's text, at least 25 (Kafka sizes it so).
fn state(group: &GroupView, sim: &Sim) -> Vec<String> {
    let coordinator = group.coordinator.map_or_else(
        || MISSING.to_owned(),
        |b| format!("localhost:{}  ({})", external_port(b.0), b.0),
    );
    // A classic group's protocol is its members' strategy (none while Empty); a consumer
    // protocol group's is its server-side assignor.
    let strategy = match sim.group(&group.id).map(|g| g.protocol) {
        Some(GroupProtocol::Consumer { assignor }) => assignor.name().to_owned(),
        _ if group.members.is_empty() => String::new(),
        _ => group.strategy.clone().unwrap_or_default(),
    };
    let widths = [width(25, [coordinator.as_str()]), 25, 20, 15];
    let header = [
        "GROUP",
        "COORDINATOR (ID)",
        "ASSIGNMENT-STRATEGY",
        "STATE",
        "#MEMBERS",
    ]
    .map(str::to_owned);
    let row = [
        group.id.clone(),
        coordinator,
        strategy,
        group.state.to_string(),
        group.members.len().to_string(),
    ];
    let mut lines = state_note(group);
    lines.extend(table(&widths, &header, &[row]));
    lines
}

/// What `kafka-consumer-groups.sh --reset-offsets` prints without `--execute` or `--dry-run`
/// (`ConsumerGroupCommandOptions.checkArgs`, a missing space and all).
const NO_EXECUTE_WARNING: &str = "WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.";

/// `printOffsetsToReset`'s columns: 30, 30, 10 and 15 wide.
const RESET_WIDTHS: [usize; 3] = [30, 30, 10];

/// `--reset-offsets` as `ConsumerGroupCommand.resetOffsets` does it: only for a group that is
/// Empty or that Kafka does not know (the coordinator then creates it, which is how a new
/// group is placed before its first consumer), for `--topic`'s partitions or those the group
/// has offsets for (`--all-topics`); `--execute` commits, a dry run works the offsets out on a
/// copy. Then the new offsets in `printOffsetsToReset`'s table.
fn reset(
    options: &Options,
    group_id: &str,
    group: Option<&GroupView>,
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
    let mut lines = Vec::new();
    if !options.has("execute") && !options.has("dry-run") {
        lines.push(NO_EXECUTE_WARNING.to_owned());
    }
    let header = ["GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"].map(str::to_owned);
    let no_rows: &[[String; 4]] = &[];
    if let Some(g) = group.filter(|g| g.state != GroupState::Empty) {
        // Kafka says so, then prints an empty table.
        lines.extend([
            String::new(),
            format!(
                "Error: Assignments can only be reset if the group '{group_id}' is inactive, but the current state is {}.",
                g.state
            ),
        ]);
        lines.extend(table(&RESET_WIDTHS, &header, no_rows));
        return Err(lines.join("\n"));
    }
    let topics: Vec<String> = match &topic {
        Some(topic) => vec![topic.clone()],
        None => {
            let mut topics: Vec<String> = group
                .into_iter()
                .flat_map(|g| &g.partitions)
                .filter(|p| p.committed.is_some())
                .map(|p| p.topic.clone())
                .collect();
            topics.dedup();
            topics
        }
    };
    if topics.is_empty() {
        // --all-topics for a group without offsets: nothing to reset.
        lines.extend(table(&RESET_WIDTHS, &header, no_rows));
        return Ok(lines);
    }
    let command = Command::ResetOffsets {
        group: group_id.to_owned(),
        topic,
        spec,
    };
    let failed = |e: SimError| match e {
        // prepareOffsetsToReset's IllegalArgumentException, printed as it is.
        SimError::NothingToShift { .. } => e.detail(),
        e => format!("Error: {}", kafka_message(&e)),
    };
    // --execute resets the group; a dry run works the new offsets out on a copy.
    let trial;
    let after = if options.has("execute") {
        timeline.apply(command).map_err(failed)?;
        timeline.sim()
    } else {
        let mut copy = timeline.sim().clone();
        copy.apply(command).map_err(failed)?;
        trial = copy;
        &trial
    };
    let rows: Vec<[String; 4]> = topics
        .iter()
        .flat_map(|topic| {
            let count = after.topic_partitions(topic).unwrap_or(0) as u32;
            (0..count).filter_map(move |p| {
                let offset = after.committed(group_id, topic, PartitionId(p))?;
                Some([
                    group_id.to_owned(),
                    topic.clone(),
                    p.to_string(),
                    offset.0.to_string(),
                ])
            })
        })
        .collect();
    lines.extend(table(&RESET_WIDTHS, &header, &rows));
    Ok(lines)
}
