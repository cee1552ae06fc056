//! `kafka-metadata-quorum.sh describe --status | --replication` (Kafka's
//! `MetadataQuorumCommand`): the controller quorum as the active controller describes it
//! (DescribeQuorum), in the tool's layout: `handleDescribeStatus`'s lines and
//! `handleDescribeReplication`'s table (`ToolsUtils.prettyPrintTable`: each cell padded to its
//! column, then a tab). Timestamps are virtual milliseconds (virtual time counts from
//! 1970-01-01). Simplified: directory ids print as none (the static quorum's voters have none;
//! Kafka's brokers report theirs); `add-controller` and `remove-controller` are not run (the
//! quorum is static here).

use super::options::ToolOptions;
use crate::sim::ids::ControllerId;
use crate::sim::kraft::voter::ReplicaProgress;
use crate::sim::kraft::{CLUSTER_ID, Quorum, controller_endpoint};
use crate::sim::timeline::Timeline;

pub(super) const OPTIONS: ToolOptions = ToolOptions {
    switches: &["status", "replication", "human-readable"],
    valued: &["bootstrap-server", "bootstrap-controller", "command-config"],
};

/// `Uuid.ZERO_UUID` as Kafka prints it: a replica without a directory id.
const NO_DIRECTORY_ID: &str = "AAAAAAAAAAAAAAAAAAAAAA";

/// One replica of the quorum as DescribeQuorum reports it.
struct Replica {
    id: u32,
    log_end: Option<u64>,
    last_fetch_ms: Option<u64>,
    last_caught_up_ms: Option<u64>,
    /// The voter's endpoint (observers have none in the answer).
    endpoint: Option<String>,
}

/// What DescribeQuorum answers: the leader and its epoch and high watermark, the voters
/// (leader first) and the observers.
struct QuorumInfo {
    leader: Replica,
    epoch: u32,
    high_watermark: Option<u64>,
    followers: Vec<Replica>,
    observers: Vec<Replica>,
}

pub fn run(args: &[String], timeline: &mut Timeline) -> Result<Vec<String>, String> {
    let (Some("describe"), rest) = split_command(args) else {
        return Err(
            "kafka-metadata-quorum: error: give the command describe (add-controller and remove-controller are not run: the quorum is static here)"
                .to_owned(),
        );
    };
    let options = OPTIONS.parse(&rest)?;
    if !options.has("bootstrap-server") && !options.has("bootstrap-controller") {
        return Err(
            "kafka-metadata-quorum: error: one of the arguments --bootstrap-server --bootstrap-controller is required"
                .to_owned(),
        );
    }
    let (status, replication) = (options.has("status"), options.has("replication"));
    if status && replication {
        return Err(
            "Only one of --status or --replication should be specified with describe sub-command"
                .to_owned(),
        );
    }
    if status && options.has("human-readable") {
        return Err(
            "The option --human-readable is only supported along with --replication".to_owned(),
        );
    }
    if !status && !replication {
        return Err(
            "One of --status or --replication must be specified with describe sub-command"
                .to_owned(),
        );
    }
    let sim = timeline.sim();
    let now_ms = sim.now_ms();
    let info = describe(sim.quorum(), now_ms).ok_or_else(|| {
        format!(
            "org.apache.kafka.common.errors.TimeoutException: The request timed out.\n(playground: no active controller answers DescribeQuorum; {})",
            sim.frozen_reason()
        )
    })?;
    Ok(if status {
        status_lines(&info)
    } else {
        replication_table(&info, options.has("human-readable").then_some(now_ms))
    })
}

/// The sub-command (the one word not an option nor an option's value) and the other words.
fn split_command(args: &[String]) -> (Option<&str>, Vec<String>) {
    let mut rest = Vec::new();
    let mut command = None;
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if let Some(name) = word.strip_prefix("--") {
            rest.push(word.clone());
            if OPTIONS.valued.contains(&name)
                && let Some(value) = words.next()
            {
                rest.push(value.clone());
            }
        } else if command.is_none() {
            command = Some(word.as_str());
        } else {
            rest.push(word.clone());
        }
    }
    (command, rest)
}

/// The active controller's DescribeQuorum answer; `None` when there is no active controller.
fn describe(quorum: &Quorum, now_ms: u64) -> Option<QuorumInfo> {
    let leader = quorum.active()?;
    let state = quorum.leader_state()?;
    let voter = |id: ControllerId, progress: &ReplicaProgress| Replica {
        id: id.0,
        log_end: progress.end,
        last_fetch_ms: progress.last_fetch_ms,
        last_caught_up_ms: progress.last_caught_up_ms,
        endpoint: Some(controller_endpoint(id)),
    };
    Some(QuorumInfo {
        // The leader reports itself at its log end, fetched and caught up now.
        leader: Replica {
            id: leader.id.0,
            log_end: Some(leader.log.end_offset()),
            last_fetch_ms: Some(now_ms),
            last_caught_up_ms: Some(now_ms),
            endpoint: Some(controller_endpoint(leader.id)),
        },
        epoch: leader.epoch,
        high_watermark: leader.high_watermark,
        followers: state
            .voters
            .iter()
            .filter(|(id, _)| **id != leader.id)
            .map(|(id, progress)| voter(*id, progress))
            .collect(),
        observers: state
            .observers
            .iter()
            .map(|(id, progress)| Replica {
                endpoint: None,
                ..voter(ControllerId(id.0), progress)
            })
            .collect(),
    })
}

/// A value DescribeQuorum leaves unknown prints as -1.
fn known(value: Option<u64>) -> String {
    value.map_or_else(|| "-1".to_owned(), |v| v.to_string())
}

/// `handleDescribeStatus`.
fn status_lines(info: &QuorumInfo) -> Vec<String> {
    let end = |r: &Replica| r.log_end.map_or(-1, |e| e as i64);
    let voters = || std::iter::once(&info.leader).chain(&info.followers);
    let max_lag_follower = voters().min_by_key(|r| end(r)).unwrap_or(&info.leader);
    let max_lag = end(&info.leader) - end(max_lag_follower);
    let max_lag_time = if max_lag_follower.id == info.leader.id {
        0
    } else {
        match (
            info.leader.last_caught_up_ms,
            max_lag_follower.last_caught_up_ms,
        ) {
            (Some(leader), Some(follower)) => leader as i64 - follower as i64,
            _ => -1,
        }
    };
    let nodes = |replicas: Vec<&Replica>| {
        let nodes: Vec<String> = replicas
            .iter()
            .map(|r| match &r.endpoint {
                Some(endpoint) => format!(
                    "{{\"id\": {}, \"directoryId\": null, \"endpoints\": [\"{endpoint}\"]}}",
                    r.id
                ),
                None => format!("{{\"id\": {}, \"directoryId\": null}}", r.id),
            })
            .collect();
        format!("[{}]", nodes.join(", "))
    };
    vec![
        format!("ClusterId:              {CLUSTER_ID}"),
        format!("LeaderId:               {}", info.leader.id),
        format!("LeaderEpoch:            {}", info.epoch),
        format!("HighWatermark:          {}", known(info.high_watermark)),
        format!("MaxFollowerLag:         {max_lag}"),
        format!("MaxFollowerLagTimeMs:   {max_lag_time}"),
        // The leader reports its voters by id.
        format!("CurrentVoters:          {}", nodes(by_id(voters()))),
        format!(
            "CurrentObservers:       {}",
            nodes(info.observers.iter().collect())
        ),
    ]
}

fn by_id<'a>(replicas: impl Iterator<Item = &'a Replica>) -> Vec<&'a Replica> {
    let mut replicas: Vec<&Replica> = replicas.collect();
    replicas.sort_by_key(|r| r.id);
    replicas
}

/// `handleDescribeReplication`: the leader, its followers, then the observers. With
/// `--human-readable` (`now_ms` given) timestamps print as "N ms ago".
fn replication_table(info: &QuorumInfo, now_ms: Option<u64>) -> Vec<String> {
    let leader_end = info.leader.log_end.unwrap_or_default() as i64;
    let time = |at: Option<u64>| match (at, now_ms) {
        (None, _) => "-1".to_owned(),
        (Some(at), Some(now)) => format!("{} ms ago", now.saturating_sub(at)),
        (Some(at), None) => at.to_string(),
    };
    let row = |r: &Replica, status: &str| {
        vec![
            r.id.to_string(),
            NO_DIRECTORY_ID.to_owned(),
            known(r.log_end),
            (leader_end - r.log_end.map_or(-1, |e| e as i64)).to_string(),
            time(r.last_fetch_ms),
            time(r.last_caught_up_ms),
            status.to_owned(),
        ]
    };
    let mut rows = vec![row(&info.leader, "Leader")];
    rows.extend(info.followers.iter().map(|r| row(r, "Follower")));
    rows.extend(info.observers.iter().map(|r| row(r, "Observer")));
    let headers: Vec<String> = [
        "NodeId",
        "DirectoryId",
        "LogEndOffset",
        "Lag",
        "LastFetchTimestamp",
        "LastCaughtUpTimestamp",
        "Status",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    let widths: Vec<usize> = (0..headers.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].len())
                .chain([headers[i].len()])
                .max()
                .unwrap_or_default()
        })
        .collect();
    std::iter::once(&headers)
        .chain(&rows)
        .map(|cells| {
            cells
                .iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:<width$}\t"))
                .collect()
        })
        .collect()
}
