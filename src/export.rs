//! The playground's history as something a class can repeat on a real cluster: a Docker Compose
//! file running Apache Kafka in KRaft mode with as many brokers as the playground had, and a
//! bash script of real Kafka CLI commands in the playground's order and timing.
//!
//! What the CLI cannot express is written as a comment that says what the playground did:
//! transactions, commits and seeks of a simulated client (real console consumers commit by
//! themselves), a record pinned to a partition (the console producer lets the partitioner
//! choose). Single polls are left out: a console consumer polls by itself. Generators become `kafka-producer-perf-test.sh` runs
//! (without keys). Virtual time becomes real `sleep`s. Every name and value from the
//! playground is single-quoted for the shell.

use crate::share::Shared;
use crate::sim::command::Command;
use crate::sim::consumer::{AutoOffsetReset, Subscription};
use crate::sim::offsets::ResetSpec;
use crate::sim::ordered::Map;
use crate::sim::producer::ProducerConfig;
use std::fmt::Write;

/// The Apache Kafka image the compose file runs.
pub const KAFKA_IMAGE: &str = "apache/kafka:3.9.1";

/// `text` as one single-quoted shell word: nothing in it is expanded or run.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The compose file and the script for `shared`.
pub fn export(shared: &Shared) -> (String, String) {
    let initial = shared.scenario.config.brokers;
    let added = shared
        .scenario
        .commands
        .iter()
        .chain(shared.commands.iter().map(|(_, c)| c))
        .filter(|c| matches!(c, Command::AddBroker))
        .count() as u32;
    (compose(initial, initial + added), script(shared))
}

/// KRaft: the first brokers (up to three) are also the controllers; brokers the playground
/// added later start only when the script asks (`profiles: [added]`).
fn compose(initial: u32, total: u32) -> String {
    let controllers = initial.clamp(1, 3);
    let voters: Vec<String> = (1..=controllers)
        .map(|n| format!("{n}@kafka-{n}:9093"))
        .collect();
    let replication = initial.clamp(1, 3);
    let mut out = format!(
        "# Apache Kafka for the Kafka Playground export: {total} broker(s) in KRaft mode.\n\
         # docker compose up -d, then run the script beside this file.\nservices:\n"
    );
    for n in 1..=total {
        let roles = if n <= controllers {
            "broker,controller"
        } else {
            "broker"
        };
        let listeners = if n <= controllers {
            "INTERNAL://:29092,CONTROLLER://:9093,EXTERNAL://:9092"
        } else {
            "INTERNAL://:29092,EXTERNAL://:9092"
        };
        let _ = write!(
            out,
            "  kafka-{n}:\n    image: {KAFKA_IMAGE}\n    hostname: kafka-{n}\n{profile}    ports: [\"{port}:9092\"]\n    environment:\n      \
             KAFKA_NODE_ID: {n}\n      KAFKA_PROCESS_ROLES: {roles}\n      KAFKA_LISTENERS: {listeners}\n      \
             KAFKA_ADVERTISED_LISTENERS: INTERNAL://kafka-{n}:29092,EXTERNAL://localhost:{port}\n      \
             KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT\n      \
             KAFKA_INTER_BROKER_LISTENER_NAME: INTERNAL\n      KAFKA_CONTROLLER_LISTENER_NAMES: CONTROLLER\n      \
             KAFKA_CONTROLLER_QUORUM_VOTERS: {voters}\n      CLUSTER_ID: kafka-playground-01\n      \
             KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: {replication}\n      \
             KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: {replication}\n      \
             KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: 1\n",
            profile = if n > initial {
                "    profiles: [added]\n"
            } else {
                ""
            },
            port = 9091 + n,
            voters = voters.join(","),
        );
    }
    let _ = write!(
        out,
        "  tools:\n    image: {KAFKA_IMAGE}\n    entrypoint: [\"sleep\", \"infinity\"]\n"
    );
    out
}

fn script(shared: &Shared) -> String {
    let mut s = Script::default();
    let brokers = (1..=shared.scenario.config.brokers)
        .map(|n| format!("kafka-{n}:29092"))
        .collect::<Vec<_>>()
        .join(",");
    s.line("#!/usr/bin/env bash");
    s.line("# The Kafka Playground's history as real Kafka CLI commands. Start the cluster first:");
    s.line("#   docker compose up -d");
    s.line("# The tools run in the compose file's tools container; virtual time becomes sleep.");
    s.line("set -euo pipefail");
    s.line(&format!("BOOTSTRAP={}", shell_quote(&brokers)));
    s.line(
        "kafka() { tool=$1; shift; docker compose exec -T tools \"/opt/kafka/bin/$tool\" \"$@\"; }",
    );
    s.line("");
    for command in &shared.scenario.commands {
        s.command(command);
    }
    let mut at = 0;
    if shared.scenario.warm_up_ms > 0 {
        s.sleep(shared.scenario.warm_up_ms);
        at = shared.scenario.warm_up_ms;
    }
    // A console consumer polls by itself: the simulated client's single polls are left out.
    let steps = shared
        .commands
        .iter()
        .filter(|(_, c)| !matches!(c, Command::Poll { .. }));
    for (at_ms, command) in steps {
        s.sleep(at_ms.saturating_sub(at));
        at = (*at_ms).max(at);
        s.command(command);
    }
    s.sleep(shared.now_ms.saturating_sub(at));
    s.line("echo 'The playground history has been replayed.'");
    s.out
}

#[derive(Default)]
struct Script {
    out: String,
    producers: Map<String, ProducerConfig>,
}

impl Script {
    fn line(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }

    fn comment(&mut self, text: &str) {
        self.line(&format!("# {}", text.replace('\n', " ")));
    }

    fn sleep(&mut self, ms: u64) {
        if ms >= 100 {
            self.line(&format!("sleep {}.{}", ms / 1000, ms % 1000 / 100));
        }
    }

    fn command(&mut self, command: &Command) {
        let q = shell_quote;
        match command {
            Command::AddBroker => {
                self.comment("the playground added a broker");
                self.line("docker compose --profile added up -d");
            }
            Command::CrashBroker { broker } => {
                self.line(&format!("docker compose kill kafka-{}", broker.0))
            }
            Command::RestartBroker { broker } => {
                self.line(&format!("docker compose start kafka-{}", broker.0))
            }
            Command::DecommissionBroker { broker } => {
                self.line(&format!("docker compose stop kafka-{}", broker.0));
                self.line(&format!(
                    "kafka kafka-cluster.sh unregister --bootstrap-server \"$BOOTSTRAP\" --id {}",
                    broker.0
                ));
            }
            Command::CreateTopic {
                name,
                partitions,
                replication_factor,
                configs,
            } => {
                let configs: String = configs
                    .iter()
                    .map(|(k, v)| format!(" --config {}", q(&format!("{k}={v}"))))
                    .collect();
                self.line(&format!(
                    "kafka kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --create --topic {} --partitions {partitions} --replication-factor {replication_factor}{configs}",
                    q(name)
                ));
            }
            Command::DeleteTopic { topic } => self.line(&format!(
                "kafka kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --delete --topic {}",
                q(topic)
            )),
            Command::AddPartitions { topic, partitions } => self.line(&format!(
                "kafka kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --alter --topic {} --partitions {partitions}",
                q(topic)
            )),
            Command::AlterTopicConfig { topic, key, value } => {
                let change = match value {
                    // A list value goes in brackets: cleanup.policy=[compact,delete].
                    Some(v) if v.contains(',') => format!("--add-config {}", q(&format!("{key}=[{v}]"))),
                    Some(v) => format!("--add-config {}", q(&format!("{key}={v}"))),
                    None => format!("--delete-config {}", q(key)),
                };
                self.line(&format!(
                    "kafka kafka-configs.sh --bootstrap-server \"$BOOTSTRAP\" --entity-type topics --entity-name {} --alter {change}",
                    q(topic)
                ));
            }
            Command::ReassignPartition {
                topic,
                partition,
                replicas,
            } => {
                let replicas: Vec<String> = replicas.iter().map(|b| b.0.to_string()).collect();
                let plan = format!(
                    "{{\"version\":1,\"partitions\":[{{\"topic\":{},\"partition\":{},\"replicas\":[{}]}}]}}",
                    serde_json::Value::String(topic.clone()),
                    partition.0,
                    replicas.join(",")
                );
                self.line(&format!(
                    "printf '%s' {} | kafka kafka-reassign-partitions.sh --bootstrap-server \"$BOOTSTRAP\" --reassignment-json-file /dev/stdin --execute",
                    q(&plan)
                ));
            }
            Command::ElectPreferredLeaders { topic } => {
                if let Some(topic) = topic {
                    self.comment(&format!("the playground elected preferred leaders of {topic} only"));
                }
                self.line("kafka kafka-leader-election.sh --bootstrap-server \"$BOOTSTRAP\" --election-type PREFERRED --all-topic-partitions");
            }
            Command::AddProducer { producer, config } => {
                self.comment(&format!(
                    "producer {producer}: acks={} linger.ms={} batch.size={} enable.idempotence={}",
                    config.acks, config.linger_ms, config.batch_size, config.enable_idempotence
                ));
                self.producers.insert(producer.clone(), config.clone());
            }
            Command::Produce {
                producer,
                topic,
                partition,
                key,
                value,
            } => {
                if let Some(p) = partition {
                    self.comment(&format!(
                        "the playground pinned this record to partition {p}; the console producer lets the partitioner choose"
                    ));
                }
                let record = format!(
                    "{}\t{}",
                    key.as_deref().unwrap_or("NULL"),
                    value.as_deref().unwrap_or("NULL")
                );
                let settings = self
                    .producers
                    .get(producer)
                    .map(|c| {
                        format!(
                            " --producer-property acks={} --producer-property linger.ms={} --producer-property enable.idempotence={}",
                            c.acks, c.linger_ms, c.enable_idempotence
                        )
                    })
                    .unwrap_or_default();
                self.line(&format!(
                    "printf '%s\\n' {} | kafka kafka-console-producer.sh --bootstrap-server \"$BOOTSTRAP\" --topic {} --property parse.key=true --property null.marker=NULL{settings}",
                    q(&record),
                    q(topic)
                ));
            }
            Command::StartGenerator {
                generator,
                producer,
                topic,
                rate_per_sec,
                keys,
            } => {
                let acks = self.producers.get(producer).map_or_else(|| "all".to_owned(), |c| c.acks.to_string());
                self.comment(&format!(
                    "generator {generator}: {rate_per_sec} records/s ({keys}; the perf test sends no keys), until stopped"
                ));
                self.line(&format!(
                    "kafka kafka-producer-perf-test.sh --topic {} --num-records 100000000 --throughput {rate_per_sec} --record-size 100 --producer-props bootstrap.servers=\"$BOOTSTRAP\" acks={acks} client.id={} >/dev/null &",
                    q(topic),
                    q(generator)
                ));
            }
            Command::StopGenerator { generator } => self.line(&format!(
                "docker compose exec -T tools pkill -f -- {}",
                q(&format!("client.id={generator}"))
            )),
            Command::AddConsumer {
                consumer,
                subscription,
                config,
            } => {
                let from = match config.auto_offset_reset {
                    AutoOffsetReset::Earliest => " --from-beginning",
                    _ => "",
                };
                let what = match subscription {
                    Subscription::Topics(topics) => {
                        let which = match topics.as_slice() {
                            [one] => format!("--topic {}", q(one)),
                            many => {
                                let names: Vec<String> =
                                    many.iter().map(|t| t.replace('.', r"\.")).collect();
                                format!("--include {}", q(&names.join("|")))
                            }
                        };
                        format!("{which} --group {}", q(&config.group_id))
                    }
                    Subscription::Partitions(partitions) => {
                        if partitions.len() > 1 {
                            self.comment("the playground assigned several partitions; the console consumer reads one");
                        }
                        partitions
                            .first()
                            .map(|(t, p)| format!("--topic {} --partition {p}", q(t)))
                            .unwrap_or_default()
                    }
                };
                self.line(&format!(
                    "kafka kafka-console-consumer.sh --bootstrap-server \"$BOOTSTRAP\" {what}{from} --consumer-property client.id={} --consumer-property enable.auto.commit={} --consumer-property max.poll.records={} >/dev/null &",
                    q(consumer),
                    config.enable_auto_commit,
                    config.max_poll_records
                ));
            }
            Command::CloseConsumer { consumer } => self.line(&format!(
                "docker compose exec -T tools pkill -TERM -f -- {}",
                q(&format!("client.id={consumer}"))
            )),
            Command::CrashConsumer { consumer } => self.line(&format!(
                "docker compose exec -T tools pkill -KILL -f -- {}",
                q(&format!("client.id={consumer}"))
            )),
            Command::DeleteGroup { group } => self.line(&format!(
                "kafka kafka-consumer-groups.sh --bootstrap-server \"$BOOTSTRAP\" --delete --group {}",
                q(group)
            )),
            Command::ResetOffsets { group, topic, spec } => {
                let scope = topic
                    .as_ref()
                    .map_or_else(|| "--all-topics".to_owned(), |t| format!("--topic {}", q(t)));
                let to = match spec {
                    ResetSpec::Earliest => "--to-earliest".to_owned(),
                    ResetSpec::Latest => "--to-latest".to_owned(),
                    ResetSpec::ToOffset(n) => format!("--to-offset {n}"),
                    ResetSpec::ShiftBy(n) => format!("--shift-by {n}"),
                    ResetSpec::ToDatetime(ms) => {
                        self.comment("virtual time counts from 1970-01-01; on a real cluster pick a time in its records' range");
                        format!("--to-datetime {}", datetime(*ms))
                    }
                };
                self.line(&format!(
                    "kafka kafka-consumer-groups.sh --bootstrap-server \"$BOOTSTRAP\" --reset-offsets --group {} {scope} {to} --execute",
                    q(group)
                ));
            }
            other => self.comment(&format!(
                "the playground's simulated client did this, which a console tool does by itself or not at all: {}",
                client_action(other)
            )),
        }
    }
}

/// Plain words for client calls the CLI tools have no command for.
fn client_action(command: &Command) -> String {
    match command {
        Command::Flush { producer } => format!("{producer}.flush()"),
        Command::BeginTransaction { producer } => format!("{producer}.beginTransaction()"),
        Command::CommitTransaction { producer } => format!("{producer}.commitTransaction()"),
        Command::AbortTransaction { producer } => format!("{producer}.abortTransaction()"),
        Command::Subscribe { consumer, .. } => format!("{consumer}.subscribe(...) anew"),
        Command::Commit { consumer } => format!("{consumer}.commitSync()"),
        Command::Seek {
            consumer,
            topic,
            partition,
            offset,
        } => format!("{consumer}.seek({topic}-{}, {offset})", partition.0),
        _ => "a step with no CLI equivalent".to_owned(),
    }
}

/// Virtual ms as `yyyy-MM-ddTHH:mm:ss.SSS` from 1970-01-01 (days counted by Hinnant's civil
/// date algorithm).
fn datetime(ms: u64) -> String {
    let days = (ms / 86_400_000) as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let in_day = ms % 86_400_000;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

#[cfg(test)]
mod tests;
