//! `kafka-reassign-partitions.sh`: `--generate` a proposal, `--execute` it, `--verify` it,
//! `--cancel` it, `--list` what is moving, printing what Kafka 4's `ReassignPartitionsCommand`
//! prints (tools/.../reassign/ReassignPartitionsCommand.java).
//!
//! Simplifications, also in `help`: the console has no files, so `--topics-to-move-json-file`
//! and `--reassignment-json-file` take the JSON itself (in single quotes) where Kafka takes a
//! file's path (the export writes it to the tool's standard input); there are no throttles and
//! no log directories (`log_dirs` other than "any" are refused), so the throttle options are not
//! offered and `--verify` only says so in Kafka's words; `--generate` draws its random start
//! from the playground's seed and the virtual time, where Kafka's tool draws from an unseeded
//! generator, and takes each topic's replication factor from its partition 0.

use super::json::Json;
use super::kafka_message;
use super::options::{Options, ToolOptions, repeated};
use crate::sim::assign_replicas::{BrokerMetadata, assign_replicas_to_brokers};
use crate::sim::command::Command;
use crate::sim::ids::{BrokerId, PartitionId};
use crate::sim::placement::{java_hash_order, java_string_hash};
use crate::sim::timeline::Timeline;
use crate::sim::view::SimView;
use rand_pcg::Pcg32;

const ACTIONS: [&str; 5] = ["generate", "execute", "verify", "cancel", "list"];

pub(super) const OPTIONS: ToolOptions = ToolOptions {
    switches: &[
        "generate",
        "execute",
        "verify",
        "cancel",
        "list",
        "disable-rack-aware",
        "additional",
        "preserve-throttles",
    ],
    valued: &[
        "bootstrap-server",
        "topics-to-move-json-file",
        "broker-list",
        "reassignment-json-file",
    ],
};

/// Each action's required options, then the others it permits
/// (`ReassignPartitionsCommand.validateAndParseArgs`).
fn arguments(action: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match action {
        "generate" => (
            &["topics-to-move-json-file", "broker-list"],
            &["bootstrap-server", "disable-rack-aware"],
        ),
        "execute" => (
            &["reassignment-json-file"],
            &["bootstrap-server", "additional"],
        ),
        "verify" | "cancel" => (
            &["reassignment-json-file"],
            &["bootstrap-server", "preserve-throttles"],
        ),
        _ => (&[], &["bootstrap-server"]),
    }
}

/// `--generate`'s random stream, apart from the engine's.
const GENERATE_STREAM: u64 = 0x7265_6173_7369_676e;

const CANNOT_EXECUTE_BECAUSE_OF_EXISTING_MESSAGE: &str = "Cannot execute because there is an existing partition assignment.  Use --additional to override this and create a new partition assignment in addition to the existing one. The --additional flag can also be used to change the throttle by resubmitting the current reassignment.";

/// A partition and its replicas, as the tool's JSON lists them.
type Moves = Vec<((String, u32), Vec<i64>)>;

pub fn run(args: &[String], timeline: &mut Timeline) -> Result<Vec<String>, String> {
    let options = OPTIONS.parse(args)?;
    let action = options.action(&ACTIONS)?;
    options.required("bootstrap-server").map_err(|_| {
        "Please specify either --bootstrap-server or --bootstrap-controller".to_owned()
    })?;
    let (required, permitted) = arguments(action);
    for name in required {
        options.required(name)?;
    }
    for name in OPTIONS.switches.iter().chain(OPTIONS.valued) {
        if *name != action
            && options.has(name)
            && !required.contains(name)
            && !permitted.contains(name)
        {
            return Err(format!(
                "Option \"[{name}]\" can't be used with action \"[{action}]\""
            ));
        }
    }
    match action {
        "generate" => generate(&options, timeline),
        "execute" => execute(&options, timeline),
        "verify" => verify(&options, timeline),
        "cancel" => cancel(&options, timeline),
        _ => Ok(list(&timeline.sim().view())),
    }
}

/// A JSON option's value: the document itself, since the console has no files.
fn document(options: &Options, name: &str) -> Result<Json, String> {
    let text = options.required(name)?;
    if !text.trim_start().starts_with('{') {
        return Err(format!(
            "--{name}: the playground's console has no files; give the JSON itself in single quotes, e.g. --{name} '{{\"version\":1,...}}'"
        ));
    }
    Json::parse(text).ok_or_else(|| "Error: The input string is not a valid JSON".to_owned())
}

/// The `version` field: 1, or absent.
fn check_version(json: &Json) -> Result<(), String> {
    match json.get("version") {
        None | Some(Json::Number(1)) => Ok(()),
        Some(Json::Number(v)) => Err(format!("Error: Not supported version field value {v}")),
        Some(_) => Err("Error: the \"version\" field is not a number".to_owned()),
    }
}

fn items<'a>(json: &'a Json, field: &str) -> Result<&'a [Json], String> {
    match json.get(field) {
        None => Ok(&[]),
        Some(Json::Array(items)) => Ok(items),
        Some(_) => Err(format!("Error: the \"{field}\" field is not a list")),
    }
}

/// `parsePartitionReassignmentData`: each partition's topic and replicas, in order.
fn moves(json: &Json) -> Result<Moves, String> {
    check_version(json)?;
    let mut moves = Vec::new();
    for item in items(json, "partitions")? {
        let field = |name: &str| {
            item.get(name)
                .ok_or_else(|| format!("Error: a partition has no \"{name}\" field"))
        };
        let (Json::Text(topic), Json::Number(partition), Json::Array(replicas)) =
            (field("topic")?, field("partition")?, field("replicas")?)
        else {
            return Err("Error: a partition needs a \"topic\" text, a \"partition\" number and a \"replicas\" list".to_owned());
        };
        let replicas = replicas
            .iter()
            .map(|r| match r {
                Json::Number(id) => Ok(*id),
                _ => Err("Error: \"replicas\" lists broker ids".to_owned()),
            })
            .collect::<Result<Vec<i64>, String>>()?;
        if let Some(log_dirs) = item.get("log_dirs") {
            let Json::Array(dirs) = log_dirs else {
                return Err("Error: \"log_dirs\" is not a list".to_owned());
            };
            if dirs.len() != replicas.len() {
                return Err(format!(
                    "Error: Size of replicas list {} is different from size of log dirs list {} for partition {topic}-{partition}",
                    java_list(&replicas),
                    java_list(
                        &dirs
                            .iter()
                            .map(|d| match d {
                                Json::Text(t) => t.clone(),
                                other => format!("{other:?}"),
                            })
                            .collect::<Vec<_>>()
                    )
                ));
            }
            if dirs.iter().any(|d| d != &Json::Text("any".into())) {
                return Err("Error: the playground's brokers have one log directory each: \"log_dirs\" may only say \"any\"".to_owned());
            }
        }
        let partition = u32::try_from(*partition).map_err(|_| {
            format!("Error: partition {partition} of {topic} is not a partition number")
        })?;
        moves.push(((topic.clone(), partition), replicas));
    }
    Ok(moves)
}

/// A Java list's `toString`: `[1, 2, 3]`.
fn java_list<T: ToString>(items: &[T]) -> String {
    let items: Vec<String> = items.iter().map(ToString::to_string).collect();
    format!("[{}]", items.join(", "))
}

fn joined<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// `formatAsReassignmentJson`: sorted by topic, then partition, every log dir "any".
fn reassignment_json(parts: &[((String, u32), Vec<BrokerId>)]) -> String {
    let mut parts: Vec<&((String, u32), Vec<BrokerId>)> = parts.iter().collect();
    parts.sort_by(|a, b| a.0.cmp(&b.0));
    let partitions: Vec<String> = parts
        .iter()
        .map(|((topic, partition), replicas)| {
            let ids: Vec<u32> = replicas.iter().map(|b| b.0).collect();
            format!(
                "{{\"topic\":\"{topic}\",\"partition\":{partition},\"replicas\":[{}],\"log_dirs\":[{}]}}",
                joined(&ids),
                vec!["\"any\""; ids.len()].join(",")
            )
        })
        .collect();
    format!(
        "{{\"version\":1,\"partitions\":[{}]}}",
        partitions.join(",")
    )
}

/// Every partition of `topic` with its replicas now (adding and removing ones included).
fn current_assignment(view: &SimView, topic: &str) -> Vec<((String, u32), Vec<BrokerId>)> {
    view.topic(topic)
        .map(|t| {
            t.partitions
                .iter()
                .map(|p| {
                    (
                        (topic.to_owned(), p.id.0),
                        p.replicas.iter().map(|r| r.broker).collect(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A topic's replicas now as the tool's JSON: what Tab offers for `--reassignment-json-file`,
/// to edit into a target.
pub fn topic_json(view: &SimView, topic: &str) -> String {
    reassignment_json(&current_assignment(view, topic))
}

/// The brokers `describeCluster` answers: the registered ones the controller has not fenced.
fn cluster_brokers(view: &SimView) -> Vec<(BrokerId, Option<String>)> {
    view.brokers
        .iter()
        .filter(|b| !b.status.is_fenced())
        .map(|b| (b.id, b.rack.clone()))
        .collect()
}

fn unknown_topic(topic: &str) -> String {
    format!(
        "Error: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: Topic {topic} not found."
    )
}

/// `generateAssignment`: the topics' replicas now, and where `assignReplicasToBrokers` would
/// put them on the brokers listed.
fn generate(options: &Options, timeline: &Timeline) -> Result<Vec<String>, String> {
    let brokers_text = options.required("broker-list")?;
    let mut brokers = Vec::new();
    for id in brokers_text.split(',') {
        let id: i64 = id
            .parse::<i32>()
            .map(i64::from)
            .map_err(|_| format!("Error: For input string: \"{id}\""))?;
        brokers.push(id);
    }
    let twice = repeated(&brokers);
    if !twice.is_empty() {
        return Err(format!(
            "Error: Broker list contains duplicate entries: {}",
            java_list(&twice)
        ));
    }
    let json = document(options, "topics-to-move-json-file")?;
    check_version(&json)?;
    let mut topics = Vec::new();
    for item in items(&json, "topics")? {
        match item.get("topic") {
            Some(Json::Text(topic)) => topics.push(topic.clone()),
            _ => return Err("Error: each of \"topics\" needs a \"topic\" text".to_owned()),
        }
    }
    let twice = repeated(&topics);
    if !twice.is_empty() {
        return Err(format!(
            "Error: List of topics to reassign contains duplicate entries: {}",
            java_list(&twice)
        ));
    }
    let view = timeline.sim().view();
    if let Some(missing) = topics.iter().find(|t| view.topic(t).is_none()) {
        return Err(unknown_topic(missing));
    }
    let rack_aware = !options.has("disable-rack-aware");
    let metadata: Vec<BrokerMetadata> = cluster_brokers(&view)
        .into_iter()
        .filter(|(id, _)| brokers.contains(&i64::from(id.0)))
        .map(|(id, rack)| BrokerMetadata {
            id,
            rack: rack.filter(|_| rack_aware),
        })
        .collect();
    let rackless = metadata.iter().filter(|b| b.rack.is_none()).count();
    if rack_aware && rackless != 0 && rackless != metadata.len() {
        return Err("Error: Not all brokers have rack information. Add --disable-rack-aware in command line to make replica assignment without rack information.".to_owned());
    }
    // Kafka walks the topics in its hash map's order, each drawing its own start.
    let hashes: Vec<i32> = topics.iter().map(|t| java_string_hash(t)).collect();
    let mut rng = Pcg32::new(
        timeline.sim().seed() ^ timeline.sim().now_ms(),
        GENERATE_STREAM,
    );
    let mut current = Vec::new();
    let mut proposed = Vec::new();
    for index in java_hash_order(&hashes) {
        let topic = &topics[index];
        let now = current_assignment(&view, topic);
        let replication_factor = now.first().map_or(1, |(_, r)| r.len() as u32);
        let lists = assign_replicas_to_brokers(
            &metadata,
            now.len() as u32,
            replication_factor,
            None,
            &mut rng,
        )
        .map_err(|e| format!("Error: {e}"))?;
        proposed.extend(
            lists
                .into_iter()
                .zip(0..)
                .map(|(replicas, p)| ((topic.clone(), p), replicas)),
        );
        current.extend(now);
    }
    Ok(vec![
        "Current partition replica assignment".to_owned(),
        reassignment_json(&current),
        String::new(),
        "Proposed partition reassignment configuration".to_owned(),
        reassignment_json(&proposed),
    ])
}

/// `parseExecuteAssignmentArgs`' checks of the moves.
fn check_moves(moves: &Moves) -> Result<(), String> {
    if moves.is_empty() {
        return Err("Error: Partition reassignment list cannot be empty".to_owned());
    }
    if moves.iter().any(|(_, replicas)| replicas.is_empty()) {
        return Err("Error: Partition replica list cannot be empty".to_owned());
    }
    let parts: Vec<&(String, u32)> = moves.iter().map(|(part, _)| part).collect();
    let twice: Vec<String> = repeated(&parts)
        .iter()
        .map(|(topic, partition)| format!("{topic}-{partition}"))
        .collect();
    if !twice.is_empty() {
        return Err(format!(
            "Error: Partition reassignment contains duplicate topic partitions: {}",
            twice.join(",")
        ));
    }
    let twice: Vec<String> = moves
        .iter()
        .filter_map(|((topic, partition), replicas)| {
            let twice = repeated(replicas);
            (!twice.is_empty()).then(|| {
                format!(
                    "{topic}-{partition} contains multiple entries for {}",
                    joined(&twice)
                )
            })
        })
        .collect();
    if !twice.is_empty() {
        return Err(format!(
            "Error: Partition replica lists may not contain duplicate entries: {}",
            twice.join(". ")
        ));
    }
    Ok(())
}

/// Whether any partition of the cluster is being reassigned.
fn any_moving(view: &SimView) -> bool {
    view.topics
        .iter()
        .flat_map(|t| &t.partitions)
        .any(|p| !p.adding.is_empty() || !p.removing.is_empty())
}

/// `executeAssignment`: prints the replicas now (to roll back with), then starts each move.
fn execute(options: &Options, timeline: &mut Timeline) -> Result<Vec<String>, String> {
    let mut moves = moves(&document(options, "reassignment-json-file")?)?;
    check_moves(&moves)?;
    let view = timeline.sim().view();
    if !options.has("additional") && any_moving(&view) {
        return Err(CANNOT_EXECUTE_BECAUSE_OF_EXISTING_MESSAGE.to_owned());
    }
    let known = cluster_brokers(&view);
    if let Some(unknown) = moves
        .iter()
        .flat_map(|(_, replicas)| replicas)
        .find(|id| !known.iter().any(|(b, _)| i64::from(b.0) == **id))
    {
        return Err(format!("Error: Unknown broker id {unknown}"));
    }
    moves.sort_by(|a, b| a.0.cmp(&b.0));
    let mut current = Vec::new();
    for ((topic, partition), _) in &moves {
        if view.topic(topic).is_none() {
            return Err(unknown_topic(topic));
        }
        match current_assignment(&view, topic)
            .into_iter()
            .nth(*partition as usize)
        {
            Some(now) => current.push(now),
            None => {
                return Err(format!(
                    "Error: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: Unable to find partition: {topic}-{partition}"
                ));
            }
        }
    }
    let mut lines = vec![
        "Current partition replica assignment".to_owned(),
        String::new(),
        reassignment_json(&current),
        String::new(),
        "Save this to use as the --reassignment-json-file option during rollback".to_owned(),
    ];
    let mut errors = Vec::new();
    for ((topic, partition), replicas) in &moves {
        let command = Command::ReassignPartition {
            topic: topic.clone(),
            partition: PartitionId(*partition),
            // Every id is a known broker's, so it fits.
            replicas: replicas
                .iter()
                .map(|id| BrokerId(u32::try_from(*id).unwrap_or_default()))
                .collect(),
        };
        if let Err(error) = timeline.apply(command) {
            errors.push(format!("{topic}-{partition}: {}", kafka_message(&error)));
        }
    }
    if !errors.is_empty() {
        lines.push(format!(
            "Error reassigning partition(s):\n{}",
            errors.join("\n")
        ));
        return Err(lines.join("\n"));
    }
    lines.push(format!(
        "Successfully started partition reassignment{} for {}",
        if moves.len() == 1 { "" } else { "s" },
        moves
            .iter()
            .map(|((topic, partition), _)| format!("{topic}-{partition}"))
            .collect::<Vec<_>>()
            .join(",")
    ));
    Ok(lines)
}

/// `verifyAssignment`: each partition's state, then, once nothing in the cluster moves, the
/// throttles cleared (the playground has none to clear, but Kafka's tool says it clears them).
fn verify(options: &Options, timeline: &Timeline) -> Result<Vec<String>, String> {
    let mut moves = moves(&document(options, "reassignment-json-file")?)?;
    moves.sort_by(|a, b| a.0.cmp(&b.0));
    let view = timeline.sim().view();
    let mut lines = vec!["Status of partition reassignment:".to_owned()];
    for ((topic, partition), target) in &moves {
        let p = view
            .topic(topic)
            .and_then(|t| t.partition(PartitionId(*partition)));
        let moving = p.is_some_and(|p| !p.adding.is_empty() || !p.removing.is_empty());
        let now: Vec<i64> = p
            .map(|p| p.replicas.iter().map(|r| i64::from(r.broker.0)).collect())
            .unwrap_or_default();
        lines.push(if moving {
            format!("Reassignment of partition {topic}-{partition} is still in progress.")
        } else if &now == target {
            format!("Reassignment of partition {topic}-{partition} is completed.")
        } else {
            format!(
                "There is no active reassignment of partition {topic}-{partition}, but replica set is {} rather than {}.",
                joined(&now),
                joined(target)
            )
        });
    }
    // The log directory moves, of which there are none.
    lines.push(String::new());
    if !any_moving(&view) && !options.has("preserve-throttles") {
        lines.extend(clearing_throttles(&view, &moves));
    }
    Ok(lines)
}

/// `clearAllThrottles`' two lines: every broker of the cluster and of the moves, every topic
/// moved (in Java's hash set order).
fn clearing_throttles(view: &SimView, moves: &Moves) -> Vec<String> {
    let mut brokers: Vec<i64> = cluster_brokers(view)
        .iter()
        .map(|(b, _)| i64::from(b.0))
        .chain(
            moves
                .iter()
                .flat_map(|(_, replicas)| replicas.iter().copied()),
        )
        .collect();
    brokers.sort_unstable();
    brokers.dedup();
    let mut topics: Vec<&str> = Vec::new();
    for ((topic, _), _) in moves {
        if !topics.contains(&topic.as_str()) {
            topics.push(topic);
        }
    }
    let hashes: Vec<i32> = topics.iter().map(|t| java_string_hash(t)).collect();
    let topics: Vec<&str> = java_hash_order(&hashes)
        .into_iter()
        .map(|i| topics[i])
        .collect();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    vec![
        format!(
            "Clearing broker-level throttles on broker{} {}",
            plural(brokers.len()),
            joined(&brokers)
        ),
        format!(
            "Clearing topic-level throttles on topic{} {}",
            plural(topics.len()),
            topics.join(",")
        ),
    ]
}

/// `cancelAssignment`: cancels the listed partitions' reassignments that are moving (as
/// Kafka's tool chooses them: those removing replicas, or adding none).
fn cancel(options: &Options, timeline: &mut Timeline) -> Result<Vec<String>, String> {
    let mut moves = moves(&document(options, "reassignment-json-file")?)?;
    moves.sort_by(|a, b| a.0.cmp(&b.0));
    let view = timeline.sim().view();
    let mut cancelling: Vec<(String, u32)> = Vec::new();
    for ((topic, partition), _) in &moves {
        let p = view
            .topic(topic)
            .and_then(|t| t.partition(PartitionId(*partition)));
        if p.is_some_and(|p| {
            (!p.adding.is_empty() || !p.removing.is_empty())
                && (p.adding.is_empty() || !p.removing.is_empty())
        }) && !cancelling.contains(&(topic.clone(), *partition))
        {
            cancelling.push((topic.clone(), *partition));
        }
    }
    let mut lines = Vec::new();
    if cancelling.is_empty() {
        lines.push("None of the specified partition reassignments are active.".to_owned());
    } else {
        let mut errors = Vec::new();
        for (topic, partition) in &cancelling {
            let command = Command::CancelReassignment {
                topic: topic.clone(),
                partition: PartitionId(*partition),
            };
            if let Err(error) = timeline.apply(command) {
                errors.push(format!("{topic}-{partition}: {}", kafka_message(&error)));
            }
        }
        let plural = if cancelling.len() == 1 { "" } else { "s" };
        if !errors.is_empty() {
            return Err(format!(
                "Error cancelling partition reassignment{} for:\n{}",
                if errors.len() == 1 { "" } else { "s" },
                errors.join("\n")
            ));
        }
        lines.push(format!(
            "Successfully cancelled partition reassignment{plural} for: {}",
            cancelling
                .iter()
                .map(|(topic, partition)| format!("{topic}-{partition}"))
                .collect::<Vec<_>>()
                .join(",")
        ));
    }
    // Kafka prints this without a line break, so the throttle line follows on the same line.
    let mut moves_line = "None of the specified partition moves are active.".to_owned();
    if options.has("preserve-throttles") {
        lines.push(moves_line);
    } else {
        let view = timeline.sim().view();
        let mut clearing = clearing_throttles(&view, &moves).into_iter();
        moves_line.push_str(&clearing.next().unwrap_or_default());
        lines.push(moves_line);
        lines.extend(clearing);
    }
    Ok(lines)
}

/// `--list` (`curReassignmentsToString`).
fn list(view: &SimView) -> Vec<String> {
    let moving: Vec<String> = view
        .topics
        .iter()
        .flat_map(|t| t.partitions.iter().map(move |p| (t, p)))
        .filter(|(_, p)| !p.adding.is_empty() || !p.removing.is_empty())
        .map(|(t, p)| {
            let ids =
                |brokers: &[BrokerId]| joined(&brokers.iter().map(|b| b.0).collect::<Vec<_>>());
            let replicas: Vec<BrokerId> = p.replicas.iter().map(|r| r.broker).collect();
            format!(
                "{}-{}: replicas: {}.{}{}",
                t.name,
                p.id.0,
                ids(&replicas),
                if p.adding.is_empty() {
                    String::new()
                } else {
                    format!(" adding: {}.", ids(&p.adding))
                },
                if p.removing.is_empty() {
                    String::new()
                } else {
                    format!(" removing: {}.", ids(&p.removing))
                }
            )
        })
        .collect();
    if moving.is_empty() {
        vec!["No partition reassignments found.".to_owned()]
    } else {
        std::iter::once("Current partition reassignments:".to_owned())
            .chain(moving)
            .collect()
    }
}
