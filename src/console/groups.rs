//! `kafka-consumer-groups.sh`: list groups, describe one, reset its offsets.

use super::kafka_message;
use super::options::Options;
use crate::sim::command::Command;
use crate::sim::ids::PartitionId;
use crate::sim::offsets::ResetSpec;
use crate::sim::timeline::Timeline;
use crate::sim::view::GroupView;

const ACTIONS: [&str; 3] = ["list", "describe", "reset-offsets"];
const SPECS: [&str; 5] = [
    "to-earliest",
    "to-latest",
    "to-offset",
    "shift-by",
    "to-datetime",
];

pub fn run(args: &[String], timeline: &mut Timeline) -> Result<Vec<String>, String> {
    let options = Options::parse(
        args,
        &[
            "list",
            "describe",
            "reset-offsets",
            "all-topics",
            "to-earliest",
            "to-latest",
            "dry-run",
            "execute",
        ],
        &[
            "bootstrap-server",
            "group",
            "topic",
            "to-offset",
            "shift-by",
            "to-datetime",
        ],
    )?;
    options.required("bootstrap-server")?;
    let action = options.action(&ACTIONS)?;
    let view = timeline.sim().view();
    if action == "list" {
        return Ok(view.groups.into_iter().map(|g| g.id).collect());
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
    let spec = match options.action(&SPECS).map_err(|_| {
        "Option [reset-offsets] needs one reset scenario: --to-earliest, --to-latest, --to-offset, --shift-by or --to-datetime".to_owned()
    })? {
        "to-earliest" => ResetSpec::Earliest,
        "to-latest" => ResetSpec::Latest,
        "to-offset" => ResetSpec::ToOffset(
            options
                .number("to-offset")?
                .and_then(|n| u64::try_from(n).ok())
                .ok_or("--to-offset needs an offset, 0 or more")?,
        ),
        "shift-by" => ResetSpec::ShiftBy(options.number("shift-by")?.unwrap_or_default()),
        _ => {
            let text = options.value("to-datetime").unwrap_or_default();
            ResetSpec::ToDatetime(datetime_ms(text).ok_or_else(|| {
                format!("Error parsing timestamp '{text}': use yyyy-MM-dd'T'HH:mm:ss.SSS; the virtual clock starts at 1970-01-01T00:00:00.000")
            })?)
        }
    };
    let command = Command::ResetOffsets {
        group: group.id.clone(),
        topic: topic.clone(),
        spec,
    };
    // The new offsets, worked out on a copy: a dry run stops there.
    let mut trial = timeline.sim().clone();
    trial
        .apply(command.clone())
        .map_err(|e| format!("Error: {}", kafka_message(&e)))?;
    let rows: Vec<[String; 4]> = group
        .partitions
        .iter()
        .filter(|p| topic.as_ref().is_none_or(|t| *t == p.topic))
        .filter_map(|p| {
            let offset = trial.committed(&group.id, &p.topic, PartitionId(p.partition))?;
            Some([
                group.id.clone(),
                p.topic.clone(),
                p.partition.to_string(),
                offset.0.to_string(),
            ])
        })
        .collect();
    let mut lines = Vec::new();
    if options.has("execute") {
        timeline
            .apply(command)
            .map_err(|e| format!("Error: {}", kafka_message(&e)))?;
    } else if !options.has("dry-run") {
        lines.push("WARN: No action will be performed as the --execute option is missing. Add --execute to reset the offsets, or --dry-run to say this is a trial.".to_owned());
    }
    lines.push(String::new());
    let header = ["GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"].map(str::to_owned);
    lines.extend(table(&header, &rows));
    Ok(lines)
}

/// `yyyy-MM-ddTHH:mm:ss.SSS` (seconds and milliseconds optional) as virtual ms since
/// 1970-01-01T00:00:00.000, when the virtual clock starts.
fn datetime_ms(text: &str) -> Option<u64> {
    let (date, time) = text.split_once('T')?;
    let mut date = date.split('-').map(|n| n.parse::<i64>().ok());
    let (year, month, day) = (date.next()??, date.next()??, date.next()??);
    if date.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let (clock, millis) = time.split_once('.').unwrap_or((time, "0"));
    let mut clock = clock.split(':').map(|n| n.parse::<i64>().ok());
    let (hour, minute) = (clock.next()??, clock.next()??);
    let second = clock.next().unwrap_or(Some(0))?;
    let millis: i64 = format!("{millis:0<3}").get(..3)?.parse().ok()?;
    if clock.next().is_some() || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let ms = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis;
    u64::try_from(ms).ok()
}

#[cfg(test)]
mod tests {
    use super::datetime_ms;

    #[test]
    fn datetimes_count_from_the_epoch_the_virtual_clock_starts_at() {
        assert_eq!(datetime_ms("1970-01-01T00:00:05.000"), Some(5_000));
        assert_eq!(datetime_ms("1970-01-01T00:01"), Some(60_000));
        assert_eq!(datetime_ms("1970-01-02T00:00:00.5"), Some(86_400_500));
        assert_eq!(
            datetime_ms("2024-03-01T00:00:00.000"),
            Some(1_709_251_200_000)
        );
        assert_eq!(datetime_ms("1969-12-31T23:59:59.000"), None);
        assert_eq!(datetime_ms("1970-13-01T00:00"), None);
        assert_eq!(datetime_ms("yesterday"), None);
    }
}
