//! A console that takes Kafka's own command-line tools (`kafka-topics.sh`,
//! `kafka-console-producer.sh`, `kafka-console-consumer.sh`, `kafka-consumer-groups.sh`,
//! `kafka-configs.sh`, `kafka-get-offsets.sh`, `kafka-leader-election.sh`,
//! `kafka-reassign-partitions.sh`, `kafka-metadata-quorum.sh`) and runs them against the
//! simulated cluster,
//! answering in the tools' own output and error formats.
//!
//! Plain Rust with no UI: the page's console panel, lessons and the headless runner all send it
//! lines. Every command it runs goes through the timeline as engine commands, so what a console
//! line did is replayed by time travel like anything else. Simplifications, also named by
//! `help`: `--bootstrap-server` must be given but any address reaches the one simulated
//! cluster; topics have no topic ids; a console consumer without `--max-messages` stops after
//! `--timeout-ms` of virtual time without a record (10 s if not given; Kafka's runs until
//! Ctrl+C), and running it moves the virtual clock on.

mod clients;
pub mod complete;
mod configs;
pub mod datetime;
pub mod equivalent;
mod get_offsets;
mod groups;
pub mod history;
mod json;
mod leader_election;
mod metadata_quorum;
pub mod options;
mod reassign;
pub mod script;
mod topics;
use crate::sim::command::Command;
use crate::sim::command::Outcome;
use crate::sim::error::SimError;
use crate::sim::ids::{BrokerId, ControllerId};
use crate::sim::network::Isolation;
use crate::sim::timeline::{Timeline, TypedLine};
use crate::sim::topic_config::parse_thousandths;
use crate::sim::types::MAX_PARTITIONS;
use options::words;

/// What a console line printed, and whether the tool failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub lines: Vec<String>,
    pub failed: bool,
}

impl Reply {
    fn from(result: Result<Vec<String>, String>) -> Reply {
        match result {
            Ok(lines) => Reply {
                lines,
                failed: false,
            },
            Err(message) => Reply {
                lines: message.lines().map(str::to_owned).collect(),
                failed: true,
            },
        }
    }
}

/// A console session: a shell prompt, or a console producer reading records line by line.
#[derive(Debug, Default)]
pub struct Console {
    producing: Option<clients::Producing>,
}

impl Console {
    pub fn new() -> Console {
        Console::default()
    }

    /// `>` while a console producer reads records, `$` otherwise.
    pub fn prompt(&self) -> &'static str {
        if self.producing.is_some() { ">" } else { "$" }
    }

    /// Runs one line: a command at the `$` prompt, a record at the `>` prompt (`^D` ends it).
    /// The line is noted on the timeline beside the commands it made, for the export.
    pub fn enter(&mut self, line: &str, timeline: &mut Timeline) -> Reply {
        let before = timeline.accepted();
        let prompt = if self.producing.is_some() { '>' } else { '$' };
        let reply = self.run(line, timeline);
        timeline.note_typed(
            before,
            TypedLine {
                prompt,
                line: line.to_owned(),
            },
        );
        reply
    }

    fn run(&mut self, line: &str, timeline: &mut Timeline) -> Reply {
        if let Some(producing) = &mut self.producing {
            if line.trim() == "^D" {
                // End of input: Kafka's console producer closes its producer, which sends
                // what waits in its batches first.
                let flushed = producing.flush(timeline);
                self.producing = None;
                return Reply::from(flushed);
            }
            let sent = producing.send(line, timeline);
            if sent.is_err() {
                // Kafka's console producer exits on a line it cannot read.
                self.producing = None;
            }
            return Reply::from(sent);
        }
        Reply::from(self.command(line, timeline))
    }

    fn command(&mut self, line: &str, timeline: &mut Timeline) -> Result<Vec<String>, String> {
        let words = words(line)?;
        let Some((tool, args)) = words.split_first() else {
            return Ok(Vec::new());
        };
        // `bin/kafka-topics.sh` and `./kafka-topics.sh` work as well.
        let tool = tool.rsplit('/').next().unwrap_or(tool);
        match tool {
            "kafka-topics.sh" => topics::run(args, timeline),
            "kafka-configs.sh" => configs::run(args, timeline),
            "kafka-consumer-groups.sh" => groups::run(args, timeline),
            "kafka-get-offsets.sh" => get_offsets::run(args, timeline),
            "kafka-leader-election.sh" => leader_election::run(args, timeline),
            "kafka-reassign-partitions.sh" => reassign::run(args, timeline),
            "kafka-metadata-quorum.sh" => metadata_quorum::run(args, timeline),
            "kafka-console-consumer.sh" => clients::consume(args, timeline),
            "kafka-console-producer.sh" => {
                self.producing = Some(clients::Producing::start(args, timeline)?);
                Ok(Vec::new())
            }
            "crash-broker" | "restart-broker" | "crash-controller" | "restart-controller" => {
                process(tool, args, timeline)
            }
            "slow-broker" | "isolate-broker" | "heal-broker" => broker_fault(tool, args, timeline),
            "add-broker" => add_broker(args, timeline),
            "sleep" => sleep(args, timeline),
            "help" => Ok(HELP.lines().map(str::to_owned).collect()),
            other => Err(format!(
                "{other}: command not found (type help for the tools)"
            )),
        }
    }
}

/// `slow-broker N`, `isolate-broker N controller|clients` and `heal-broker N`: the
/// playground's stand-ins for a slow disk or link, a network partition, and the end of both
/// (`sim/network.rs`).
fn broker_fault(
    tool: &str,
    args: &[String],
    timeline: &mut Timeline,
) -> Result<Vec<String>, String> {
    let usage = || match tool {
        "isolate-broker" => format!("{tool}: usage: {tool} BROKER-ID controller|clients"),
        _ => format!("{tool}: usage: {tool} BROKER-ID"),
    };
    let Some((id, rest)) = args.split_first() else {
        return Err(usage());
    };
    let broker = id
        .parse()
        .map(BrokerId)
        .map_err(|_| format!("{tool}: {id:?} is not a broker id"))?;
    let command = match (tool, rest) {
        ("slow-broker", []) => Command::SlowBroker { broker },
        ("heal-broker", []) => Command::HealBroker { broker },
        ("isolate-broker", [from]) => Command::IsolateBroker {
            broker,
            from: match from.as_str() {
                "controller" => Isolation::Controller,
                "clients" => Isolation::Clients,
                _ => return Err(usage()),
            },
        },
        _ => return Err(usage()),
    };
    timeline
        .apply(command)
        .map_err(|e| format!("{tool}: {e}"))?;
    Ok(Vec::new())
}

/// `add-broker [--rack RACK]`: starts one more broker, on a rack (`broker.rack`) if given.
fn add_broker(args: &[String], timeline: &mut Timeline) -> Result<Vec<String>, String> {
    let command = match args {
        [] => Command::AddBroker,
        [option, rack] if option == "--rack" => Command::AddBrokerOnRack { rack: rack.clone() },
        _ => return Err("add-broker: usage: add-broker [--rack RACK]".to_owned()),
    };
    match timeline.apply(command) {
        Ok(Outcome::BrokerAdded { broker }) => Ok(vec![format!("Broker {} started.", broker.0)]),
        Ok(_) => Ok(Vec::new()),
        Err(e) => Err(format!("add-broker: {e}")),
    }
}

/// `crash-broker N` / `restart-broker N` / `crash-controller N` / `restart-controller N`: the
/// playground's stand-ins for killing a broker's or a KRaft controller's process (`kill -9`, no
/// controlled shutdown) and starting it again.
fn process(tool: &str, args: &[String], timeline: &mut Timeline) -> Result<Vec<String>, String> {
    let (kind, ids) = if tool.ends_with("-broker") {
        ("broker", "")
    } else {
        ("controller", " (3000, 3001, ...)")
    };
    let [id] = args else {
        return Err(format!(
            "{tool}: usage: {tool} {}-ID{ids}",
            kind.to_uppercase()
        ));
    };
    let id: u32 = id
        .parse()
        .map_err(|_| format!("{tool}: {id:?} is not a {kind} id{ids}"))?;
    let command = match tool {
        "crash-broker" => Command::CrashBroker {
            broker: BrokerId(id),
        },
        "restart-broker" => Command::RestartBroker {
            broker: BrokerId(id),
        },
        "crash-controller" => Command::CrashController {
            controller: ControllerId(id),
        },
        _ => Command::RestartController {
            controller: ControllerId(id),
        },
    };
    timeline
        .apply(command)
        .map_err(|e| format!("{tool}: {e}"))?;
    Ok(Vec::new())
}

/// `sleep N`: lets N seconds of virtual time pass (whole or decimal, at most an hour).
fn sleep(args: &[String], timeline: &mut Timeline) -> Result<Vec<String>, String> {
    let [seconds] = args else {
        return Err("sleep: usage: sleep SECONDS".to_owned());
    };
    let ms = parse_thousandths(seconds)
        .filter(|ms| *ms <= 3_600_000)
        .ok_or_else(|| format!("sleep: invalid time interval '{seconds}' (0 to 3600 seconds)"))?;
    let until = timeline.sim().now_ms().saturating_add(ms);
    while timeline.sim().now_ms() < until {
        timeline.tick();
    }
    Ok(Vec::new())
}

/// The host port of broker `n`'s EXTERNAL listener in the exported cluster (localhost:9092
/// reaches broker 1): where a client outside Docker finds the broker, as it advertises itself.
pub fn external_port(n: u32) -> u32 {
    9091 + n
}

/// A refused engine command in the words of Kafka's exception for it.
fn kafka_message(error: &SimError) -> String {
    match error {
        SimError::InvalidTopicName(reason) => reason.to_string(),
        SimError::TopicAlreadyExists { topic } => format!("Topic '{topic}' already exists."),
        SimError::TopicCollides { topic, existing } => {
            format!("Topic '{topic}' collides with existing topic: {existing}")
        }
        SimError::UnknownTopic { topic } => format!("Topic '{topic}' does not exist as expected"),
        // kafka-topics.sh refuses fewer than 1 partition itself; only the playground's
        // limit reaches the engine.
        SimError::InvalidPartitionCount { requested } => format!(
            "The playground allows at most {} partitions per topic (requested {requested}).",
            MAX_PARTITIONS
        ),
        // The controller's words (`ReplicationControlManager.createPartitions`).
        SimError::PartitionCountNotIncreased { .. } => error.detail(),
        // CreateTopics prefixes the placer's words; CreatePartitions returns them as they are
        // (`ReplicationControlManager.createTopic` and `.createPartitions`).
        SimError::InvalidReplicationFactor {
            replication_factor,
            reason,
            new_topic: true,
        } => format!("Unable to replicate the partition {replication_factor} time(s): {reason}"),
        SimError::InvalidReplicationFactor { reason, .. } => reason.to_string(),
        SimError::NonPositiveReplicationFactor { .. } => {
            "Replication factor must be larger than 0, or -1 to use the default value.".to_owned()
        }
        SimError::InvalidReplicaAssignment(reason) => reason.to_string(),
        SimError::InvalidReassignment { reason } => reason.clone(),
        SimError::UnknownConfig { key } => format!("Unknown topic config name: {key}"),
        SimError::InvalidConfig {
            key,
            value,
            allowed,
        } => format!("Invalid value {value} for configuration {key}: {allowed}"),
        // `new KafkaConsumer` throws it (`JoinGroupRequest.validateGroupInstanceId`).
        SimError::InvalidConsumerConfig { key, reason } if key == "group.instance.id" => {
            format!("org.apache.kafka.common.errors.InvalidConfigurationException: {reason}")
        }
        // The broker's forwarded request times out (`ForwardingManager`); the playground says why.
        SimError::NoActiveController { .. } => {
            format!("The request timed out.\n(playground: {})", error.detail())
        }
        other => other.to_string(),
    }
}

const HELP: &str = "\
Kafka's command-line tools, against the simulated cluster (any --bootstrap-server address
reaches it, e.g. localhost:9092):

kafka-topics.sh --bootstrap-server localhost:9092
    --create --topic T [--partitions N] [--replication-factor N] [--config K=V]...
    --create --topic T --replica-assignment 1:2,2:3,... (each partition's brokers, leader first)
    --list | --describe [--topic T] | --delete --topic T
    --alter --topic T --partitions N [--replica-assignment LISTS-OF-ALL-N-PARTITIONS]
kafka-console-producer.sh --bootstrap-server localhost:9092 --topic T
    [--property parse.key=true] [--property key.separator=:] [--property null.marker=NULL]
    [--request-required-acks all|1|0] [--timeout LINGER-MS (1000)]
    [--message-send-max-retries N (3)] [--retry-backoff-ms MS (100)]
    [--request-timeout-ms MS (1500)] [--batch-size BYTES] [--max-memory-bytes BYTES]
    [--producer-property acks|linger.ms|batch.size|enable.idempotence|retries|...=V]
    then one record per line; ^D (or Ctrl+D) ends
kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic T
    [--group G] [--from-beginning] [--max-messages N] [--timeout-ms MS]
    [--partition P [--offset earliest|latest|N]]
    [--property print.key|print.partition|print.offset|print.timestamp=true]
    [--consumer-property group.instance.id=ID (a static member)]
kafka-consumer-groups.sh --bootstrap-server localhost:9092
    --list | --describe --group G [--members [--verbose] | --state] | --delete --group G
    --reset-offsets --group G (--topic T | --all-topics)
        (--to-earliest | --to-latest | --to-offset N | --shift-by N
         | --to-datetime 1970-01-01T00:00:05.000) [--dry-run | --execute]
kafka-configs.sh --bootstrap-server localhost:9092 --entity-type topics --entity-name T
    --alter (--add-config K=V[,K=V] | --delete-config K) | --describe
kafka-get-offsets.sh --bootstrap-server localhost:9092 [--topic T] [--partitions 0,1]
    [--time -1 (latest) | -2 (earliest) | TIMESTAMP-MS]
kafka-leader-election.sh --bootstrap-server localhost:9092 --election-type PREFERRED|UNCLEAN
    (--topic T --partition P | --all-topic-partitions)
kafka-reassign-partitions.sh --bootstrap-server localhost:9092
    --generate --topics-to-move-json-file '{\"version\":1,\"topics\":[{\"topic\":\"T\"}]}'
        --broker-list 1,2,3 [--disable-rack-aware]
    --execute --reassignment-json-file 'JSON' [--additional]   (a partition list of any length)
    --verify | --cancel --reassignment-json-file 'JSON' [--preserve-throttles]
    --list
    The console has no files: give the JSON itself, in single quotes, where Kafka takes a file.
kafka-metadata-quorum.sh --bootstrap-server localhost:9092 describe
    --status | --replication [--human-readable]
add-broker [--rack R]  start one more broker (the next free id), on rack R (broker.rack)
crash-broker N   the playground's kill -9 of broker N (no controlled shutdown)
restart-broker N start broker N again
slow-broker N    slow broker N's replica fetchers (a slow disk or a saturated link)
isolate-broker N controller|clients
                 cut broker N off from the controller (a zombie leader) or the clients
heal-broker N    end broker N's faults
crash-controller N   kill KRaft controller N (3000, 3001, ...)
restart-controller N start controller N again
sleep SECONDS    let virtual time pass
help             this text

Simplified: topics have no topic ids; reassignments have no throttles or log directories; a
console consumer without --max-messages stops after --timeout-ms (10000) of virtual time
without a record, where Kafka's runs until Ctrl+C; and a console consumer moves the virtual
clock on while it runs.";

#[cfg(test)]
mod tests;
