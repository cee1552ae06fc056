//! The playground's history as something a class can repeat on a real cluster: a Docker Compose
//! file running Apache Kafka in KRaft mode with as many brokers and dedicated controllers as the
//! playground had (crashing and restarting either is `docker compose kill` and `start`), and a
//! bash script of real Kafka CLI commands in the playground's order and timing.
//!
//! What the CLI cannot express is written as a comment that says what the playground did:
//! transactions, commits and seeks of a simulated client (real console consumers commit by
//! themselves), a record pinned to a partition (the console producer lets the partitioner
//! choose), a broker's network and disk faults (slow, cut off from the controller or the
//! clients, healed: one Compose network cannot cut one link alone, so they are not replayed).
//! Single polls are left out: a console consumer polls by itself. Generators become
//! `kafka-producer-perf-test.sh` runs (without keys). Virtual time becomes real `sleep`s. Every name and value from the
//! playground is single-quoted for the shell.
//!
//! Every topic creation and growth carries the playground's replica placement
//! (`--replica-assignment`): a real controller places replicas from a random start of its own,
//! so without it another broker would lead each partition, and crashing a broker would not do
//! what it did in the playground. A typed line written otherwise is kept above as a comment.

use crate::console::equivalent::{Equivalent, create_topic_words, equivalent, grow_topic_words};
use crate::console::external_port;
use crate::console::options::{quote, words};
use crate::share::Shared;
use crate::sim::command::Command;
use crate::sim::engine::Sim;
use crate::sim::ids::BrokerId;
use crate::sim::kraft::{CLUSTER_ID, controller_host, voter_ids};
use crate::sim::network::Isolation;
use crate::sim::ordered::{Map, map_of};
use crate::sim::timeline::TypedLine;
use crate::sim::types::{
    Acks, AutoOffsetReset, ConsumerConfig, MAX_BROKERS, ProducerConfig, ResetSpec, Subscription,
};
use std::fmt::Write;

/// The Apache Kafka image the compose file runs: Kafka 4.4, whose new clusters run Eligible
/// Leader Replicas (`eligible.leader.replicas.version=1`, on by default since 4.1), as the
/// engine does, and keep the 4.0 defaults the engine follows (linger.ms 5, for one).
pub const KAFKA_IMAGE: &str = "apache/kafka:4.4.0";
const _: () = assert!(crate::sim::kraft::FIRST_CONTROLLER_ID > MAX_BROKERS);

/// The environment every node shares to find the controller quorum: its `controllers` voters
/// (`controller.quorum.voters`, a static quorum as the playground's).
fn quorum(controllers: u32) -> String {
    let voters: Vec<String> = voter_ids(controllers)
        .into_iter()
        .map(|id| format!("{id}@{}:9093", controller_host(id)))
        .collect();
    format!(
        "KAFKA_CONTROLLER_QUORUM_VOTERS: {}\n      \
         KAFKA_CONTROLLER_LISTENER_NAMES: CONTROLLER\n      \
         KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT\n",
        voters.join(",")
    )
}

/// `text` as one single-quoted shell word: nothing in it is expanded or run.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The compose file and the script for `shared`.
pub fn export(shared: &Shared) -> (String, String) {
    let initial = shared.scenario.config.brokers;
    // The added brokers' racks, in the order they were added.
    let added: Vec<Option<&str>> = shared
        .scenario
        .commands
        .iter()
        .chain(shared.commands.iter().map(|(_, c)| c))
        .filter_map(|c| match c {
            Command::AddBroker => Some(None),
            Command::AddBrokerOnRack { rack } => Some(Some(rack.as_str())),
            _ => None,
        })
        .collect();
    let controllers = shared.scenario.config.controllers;
    (compose(initial, &added, controllers), script(shared))
}

/// One script that writes both files (`compose.yaml` and `replay.sh`) into the folder it is
/// given (`kafka-playground-export` by default), for the page's Export button: a download is
/// one file. The files go in as quoted here-documents, whose end marker no line of them equals.
pub fn bundle(shared: &Shared) -> String {
    let (compose, script) = export(shared);
    let marker = |stem: &str, text: &str| {
        (0..)
            .map(|n| format!("{stem}_{n}"))
            .find(|m| !text.lines().any(|line| line == m))
            .unwrap_or_default()
    };
    let (compose_end, script_end) = (
        marker("END_OF_COMPOSE", &compose),
        marker("END_OF_REPLAY", &script),
    );
    format!(
        "#!/usr/bin/env bash\n\
         # A Kafka Playground export. Writes compose.yaml (Apache Kafka in Docker, KRaft mode) and\n\
         # replay.sh (the playground's history as real Kafka CLI commands) into the folder given\n\
         # (kafka-playground-export by default). Then: cd into it, docker compose up -d, ./replay.sh\n\
         set -euo pipefail\n\
         dir=${{1:-kafka-playground-export}}\n\
         mkdir -p \"$dir\"\n\
         cat >\"$dir/compose.yaml\" <<'{compose_end}'\n{compose}{compose_end}\n\
         cat >\"$dir/replay.sh\" <<'{script_end}'\n{script}{script_end}\n\
         chmod +x \"$dir/replay.sh\"\n\
         echo \"Wrote $dir/compose.yaml and $dir/replay.sh. Next: cd $dir && docker compose up -d && ./replay.sh\"\n"
    )
}

/// KRaft with dedicated controllers, as the playground's: controller-only nodes
/// (`controller-3000`, ...), and broker-only nodes `kafka-1`… with the playground's broker ids;
/// brokers the playground added later start only when the script asks (`profiles: [added]`).
/// A broker with a rack gets `broker.rack` (`KAFKA_BROKER_RACK`); `added` holds the racks of
/// the brokers added after the `initial` ones.
fn compose(initial: u32, added: &[Option<&str>], controllers: u32) -> String {
    let total = initial + added.len() as u32;
    let replication = initial.clamp(1, 3);
    let ids = voter_ids(controllers);
    let hosts: Vec<String> = ids.iter().map(|id| controller_host(*id)).collect();
    let mut out = format!(
        "# Apache Kafka for the Kafka Playground export: {total} broker(s) and {controllers} dedicated controller(s), KRaft mode.\n\
         # docker compose up -d, then run the script beside this file.\nservices:\n"
    );
    for (id, host) in ids.iter().zip(&hosts) {
        let _ = write!(
            out,
            "  {host}:\n    image: {KAFKA_IMAGE}\n    hostname: {host}\n    environment:\n      \
             KAFKA_NODE_ID: {id}\n      KAFKA_PROCESS_ROLES: controller\n      \
             KAFKA_LISTENERS: CONTROLLER://:9093\n      {quorum}      CLUSTER_ID: {CLUSTER_ID}\n",
            quorum = quorum(controllers),
        );
    }
    let depends_on = hosts.join(", ");
    for n in 1..=total {
        let _ = write!(
            out,
            "  kafka-{n}:\n    image: {KAFKA_IMAGE}\n    hostname: kafka-{n}\n{profile}    depends_on: [{depends_on}]\n    ports: [\"{port}:9092\"]\n    environment:\n      \
             KAFKA_NODE_ID: {n}\n      KAFKA_PROCESS_ROLES: broker\n      \
             KAFKA_LISTENERS: INTERNAL://:29092,EXTERNAL://:9092\n      \
             KAFKA_ADVERTISED_LISTENERS: INTERNAL://kafka-{n}:29092,EXTERNAL://localhost:{port}\n      \
             KAFKA_INTER_BROKER_LISTENER_NAME: INTERNAL\n      {quorum}      CLUSTER_ID: {CLUSTER_ID}\n      \
             KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: {replication}\n      \
             KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: {replication}\n      \
             KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: 1\n{rack}",
            rack = n
                .checked_sub(initial + 1)
                .and_then(|i| added.get(i as usize).copied().flatten())
                // A rack holds only a-z A-Z 0-9 . _ -, which YAML takes as it is.
                .map(|rack| format!("      KAFKA_BROKER_RACK: {rack}\n"))
                .unwrap_or_default(),
            profile = if n > initial {
                "    profiles: [added]\n"
            } else {
                ""
            },
            port = external_port(n),
            quorum = quorum(controllers),
        );
    }
    let _ = write!(
        out,
        "  tools:\n    image: {KAFKA_IMAGE}\n    entrypoint: [\"sleep\", \"infinity\"]\n"
    );
    out
}

/// The console line (as words) that pins each topic creation and growth of the history to
/// the replicas the playground gave it, by the command's index among the scenario's commands
/// followed by the playground's. The placement was drawn, so only the state knows it: the
/// history is replayed up to its last creation or growth.
fn pinned_lines(shared: &Shared) -> Map<usize, Vec<String>> {
    let scenario = &shared.scenario;
    let history: Vec<(u64, &Command)> = scenario
        .commands
        .iter()
        .map(|c| (0, c))
        .chain(shared.commands.iter().map(|(at_ms, c)| (*at_ms, c)))
        .collect();
    let mut pinned = Map::new();
    let (Some(last), Ok(mut sim)) = (
        history.iter().rposition(|(_, c)| topic_placed(c).is_some()),
        Sim::new(scenario.config.clone(), scenario.seed),
    ) else {
        return pinned;
    };
    for (index, &(at_ms, command)) in history.iter().enumerate().take(last + 1) {
        if index == scenario.commands.len() {
            scenario.warm_up(&mut sim, u32::MAX);
        }
        sim.advance_to(at_ms);
        let topic = topic_placed(command);
        let before = topic.and_then(|t| sim.topic_partitions(t)).unwrap_or(0);
        let applied = sim.apply(command.clone());
        sim.drain_events();
        let (Ok(_), Some(topic)) = (applied, topic) else {
            continue;
        };
        let lists = replica_lists(&sim, topic);
        let words = match command {
            Command::CreateTopic { configs, .. }
            | Command::CreateTopicWithAssignment { configs, .. } => {
                create_topic_words(topic, &lists, configs)
            }
            Command::AddPartitions { partitions, .. }
            | Command::AddPartitionsWithAssignment { partitions, .. } => {
                let (existing, added) = lists.split_at(before.min(lists.len()));
                grow_topic_words(topic, *partitions, existing, added)
            }
            _ => continue,
        };
        pinned.insert(index, words);
    }
    pinned
}

/// The topic a creation or growth places replicas for.
fn topic_placed(command: &Command) -> Option<&str> {
    match command {
        Command::CreateTopic { name, .. } | Command::CreateTopicWithAssignment { name, .. } => {
            Some(name)
        }
        Command::AddPartitions { topic, .. }
        | Command::AddPartitionsWithAssignment { topic, .. } => Some(topic),
        _ => None,
    }
}

/// Each partition's replicas of `topic` in `sim`, preferred leader first.
fn replica_lists(sim: &Sim, topic: &str) -> Vec<Vec<BrokerId>> {
    sim.topics
        .get(topic)
        .map(|t| t.partitions.iter().map(|p| p.assignment.clone()).collect())
        .unwrap_or_default()
}

fn script(shared: &Shared) -> String {
    let mut s = Script {
        brokers: (1..=shared.scenario.config.brokers).collect(),
        pinned: pinned_lines(shared),
        ..Script::default()
    };
    let brokers = (1..=shared.scenario.config.brokers)
        .map(|n| format!("kafka-{n}:29092"))
        .collect::<Vec<_>>()
        .join(",");
    s.line("#!/usr/bin/env bash");
    // shellcheck would ask whether a $ in quoted text was meant to expand: it was not.
    s.line("# shellcheck disable=SC2016 # the playground's text is quoted so that nothing in it expands");
    s.line("# The Kafka Playground's history as real Kafka CLI commands. Start the cluster first:");
    s.line("#   docker compose up -d");
    s.line("# The tools run in the compose file's tools container; virtual time becomes sleep.");
    s.line("set -euo pipefail");
    s.line(&format!("BOOTSTRAP={}", shell_quote(&brokers)));
    s.line(
        "kafka() { tool=$1; shift; docker compose exec -T tools \"/opt/kafka/bin/$tool\" \"$@\"; }",
    );
    s.line("# Topics are created and grown on the playground's brokers (--replica-assignment:");
    s.line("# each partition's brokers, its leader first), so each has the leader it had there.");
    s.line("");
    for (index, command) in shared.scenario.commands.iter().enumerate() {
        s.step(index, command);
    }
    s.sleep_until(shared.scenario.warm_up_ms);
    let first = shared.scenario.commands.len();
    let typed: Map<usize, (usize, &TypedLine)> = map_of(
        shared
            .typed
            .iter()
            .map(|(first, count, line)| (*first, (*count, line))),
    );
    let commands = &shared.commands;
    let mut i = 0;
    while i < commands.len() {
        let (at_ms, command) = &commands[i];
        // A line's commands are all in the log (a link's are checked when it is replayed).
        let whole = |count: usize| i + count <= commands.len();
        match typed.get(&i) {
            Some(&(count, line)) if line.prompt == '$' && whole(count) => {
                let words = words(&line.line).unwrap_or_default();
                let tool = words
                    .first()
                    .map(|t| t.rsplit('/').next().unwrap_or(t))
                    .unwrap_or_default();
                s.sleep_until(*at_ms);
                if tool == "kafka-console-producer.sh" {
                    i = s.producer_session(&words, commands, &typed, first, i + count);
                    continue;
                }
                let pinned = (count == 1)
                    .then(|| s.pinned.remove(&(first + i)))
                    .flatten();
                if let Some(pinned) = pinned {
                    // A creation or growth typed without the placement it got.
                    if s.tool_text(tool, &words[1..]) != s.tool_text(&pinned[0], &pinned[1..]) {
                        s.comment(&format!("typed: {}", line.line));
                    }
                    s.tool_line(&pinned[0], &pinned[1..]);
                } else if tool.starts_with("kafka-") {
                    s.tool_line(tool, &words[1..]);
                    // The tool ran until its last command (a console consumer takes time).
                    let last = commands[i + count - 1].0;
                    s.slept_ms = s.slept_ms.max(last / 100 * 100);
                } else {
                    // The playground's own stand-ins (crash-broker, add-broker, ...).
                    for (n, (at_ms, command)) in commands[i..i + count].iter().enumerate() {
                        s.sleep_until(*at_ms);
                        s.step(first + i + n, command);
                    }
                }
                i += count;
            }
            _ => {
                // A click (or a record line out of its session, which cannot happen).
                if !matches!(command, Command::Poll { .. }) {
                    s.sleep_until(*at_ms);
                    s.step(first + i, command);
                }
                i += 1;
            }
        }
    }
    s.sleep_until(shared.now_ms);
    s.line("echo 'The playground history has been replayed.'");
    s.out
}

#[derive(Default)]
struct Script {
    out: String,
    producers: Map<String, ProducerConfig>,
    /// Each consumer's subscription, config and instance id, to start it again on a restart.
    consumers: Map<String, (Subscription, ConsumerConfig, Option<String>)>,
    /// The virtual time the sleeps written so far add up to.
    slept_ms: u64,
    /// The brokers there are now, by id: an added broker takes the next id after the last.
    brokers: Vec<u32>,
    /// Inside a console producer's input (`{ ... } | kafka kafka-console-producer.sh`): lines
    /// are indented, and what is not a record goes to standard error, not to the producer.
    in_session: bool,
    /// The lines pinning topic creations and growths to the playground's placement, by the
    /// command's index in the history (`pinned_lines`), until written.
    pinned: Map<usize, Vec<String>>,
}

impl Script {
    /// A line of the script. Inside a console producer's input, whatever it prints goes to
    /// standard error, so that nothing but the records (`record`) reaches the producer.
    fn line(&mut self, line: &str) {
        if !self.in_session {
            self.out.push_str(line);
        } else if line.starts_with("sleep ") || line.starts_with('#') {
            let _ = write!(self.out, "  {line}");
        } else if line.ends_with('&') {
            let _ = write!(self.out, "  {{ {line} }} >&2");
        } else {
            let _ = write!(self.out, "  {{ {line}; }} >&2");
        }
        self.out.push('\n');
    }

    /// A record for the console producer whose input is being written.
    fn record(&mut self, record: &str) {
        let _ = writeln!(self.out, "  printf '%s\\n' {}", shell_quote(record));
    }

    /// A Kafka tool's console line: the tool run in the tools container against the exported
    /// cluster, every argument quoted. A console consumer gets the `--timeout-ms` the
    /// playground's stops after (Kafka's own would run until Ctrl+C).
    fn tool_line(&mut self, tool: &str, args: &[String]) {
        let line = self.tool_text(tool, args);
        self.line(&line);
    }

    /// The script's line for a Kafka tool's console line (`tool_line`).
    ///
    /// The console's reassign tool takes its JSON inline where Kafka's reads a file: the JSON
    /// goes to the tool's standard input, which it reads as `/dev/stdin`.
    fn tool_text(&self, tool: &str, args: &[String]) -> String {
        let mut line = format!("kafka {}", quote(tool));
        let mut stdin = None;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let json_file = tool == "kafka-reassign-partitions.sh"
                && matches!(
                    arg.as_str(),
                    "--reassignment-json-file" | "--topics-to-move-json-file"
                );
            if json_file && let Some(json) = args.next() {
                stdin = Some(json);
                line.push_str(&format!(" {arg} /dev/stdin"));
            } else if arg == "--bootstrap-server" {
                args.next();
                line.push_str(" --bootstrap-server \"$BOOTSTRAP\"");
            } else if arg.starts_with("--bootstrap-server=") {
                line.push_str(" --bootstrap-server \"$BOOTSTRAP\"");
            } else {
                line.push(' ');
                line.push_str(&quote(arg));
            }
        }
        if tool == "kafka-console-consumer.sh" && !line.contains(" --timeout-ms") {
            line.push_str(" --timeout-ms 10000");
        }
        match stdin {
            Some(json) => format!("printf '%s' {} | {line}", shell_quote(json)),
            None => line,
        }
    }

    /// A console producer's session from its start line (`words`) on: the records typed at its
    /// `>` prompt in their timing, and whatever else happened meanwhile, piped into one console
    /// producer as its standard input, which ends where `^D` was typed. Returns the index of the
    /// first command after the session.
    fn producer_session(
        &mut self,
        words: &[String],
        commands: &[(u64, Command)],
        typed: &Map<usize, (usize, &TypedLine)>,
        first: usize,
        mut i: usize,
    ) -> usize {
        self.line("{");
        self.in_session = true;
        while i < commands.len() {
            let (at_ms, command) = &commands[i];
            match typed.get(&i) {
                Some((_, line)) if line.prompt == '$' => break,
                Some(&(count, line)) => {
                    self.sleep_until(*at_ms);
                    i += count;
                    if line.line.trim() == "^D" {
                        break;
                    }
                    self.record(&line.line);
                }
                None => {
                    if !matches!(command, Command::Poll { .. }) {
                        self.sleep_until(*at_ms);
                        self.step(first + i, command);
                    }
                    i += 1;
                }
            }
        }
        self.in_session = false;
        let mut pipe = String::from("} | ");
        let before = self.out.len();
        self.tool_line("kafka-console-producer.sh", &words[1..]);
        pipe.push_str(&self.out.split_off(before));
        self.out.push_str(&pipe);
        i
    }

    fn comment(&mut self, text: &str) {
        self.line(&format!("# {}", text.replace('\n', " ")));
    }

    /// Sleeps until virtual time `at_ms`, in tenths of a second; what is left over is carried
    /// to the next sleep, so the script keeps the playground's timing.
    fn sleep_until(&mut self, at_ms: u64) {
        let ms = at_ms.saturating_sub(self.slept_ms) / 100 * 100;
        if ms > 0 {
            self.slept_ms += ms;
            let seconds = crate::format::seconds(ms);
            self.line(&format!("sleep {}", seconds.trim_end_matches(" s")));
        }
    }

    /// Ends the simulated client `client` (a console tool started with that client.id):
    /// SIGTERM lets it close cleanly, SIGKILL is a crash. Nothing to end is not an error.
    /// A console consumer standing for the playground's `consumer`, remembered for a restart.
    fn start_consumer(
        &mut self,
        consumer: &str,
        subscription: &Subscription,
        config: &ConsumerConfig,
        instance: Option<&str>,
    ) {
        let q = shell_quote;
        self.consumers.insert(
            consumer.to_owned(),
            (
                subscription.clone(),
                config.clone(),
                instance.map(str::to_owned),
            ),
        );
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
                    .map(|tp| format!("--topic {} --partition {}", q(&tp.topic), tp.partition))
                    .unwrap_or_default()
            }
        };
        let instance = instance
            .map(|id| format!(" --consumer-property group.instance.id={}", q(id)))
            .unwrap_or_default();
        self.line(&format!(
            "kafka kafka-console-consumer.sh --bootstrap-server \"$BOOTSTRAP\" {what}{from} --consumer-property client.id={} --consumer-property enable.auto.commit={} --consumer-property max.poll.records={}{instance} >/dev/null &",
            q(consumer),
            config.enable_auto_commit,
            config.max_poll_records
        ));
    }

    fn end_client(&mut self, client: &str, signal: &str) {
        let pattern = format!("client\\.id={}( |$)", regex_escape(client));
        self.line(&format!(
            "docker compose exec -T tools pkill -{signal} -f -- {} || true",
            shell_quote(&pattern)
        ));
    }

    /// Command `index` of the history (the scenario's commands first): a topic creation or
    /// growth as the line that pins its placement, anything else as `command` writes it.
    fn step(&mut self, index: usize, command: &Command) {
        match self.pinned.remove(&index) {
            Some(words) => self.tool_line(&words[0], &words[1..]),
            None => self.command(command),
        }
    }

    fn command(&mut self, command: &Command) {
        let q = shell_quote;
        if let (false, Equivalent::Line(words)) = (is_broker_step(command), equivalent(command)) {
            if let Command::ResetOffsets {
                spec: ResetSpec::ToDatetime(_),
                ..
            } = command
            {
                self.comment("virtual time counts from 1970-01-01; on a real cluster pick a time in its records' range");
            }
            self.tool_line(&words[0], &words[1..]);
            return;
        }
        match command {
            Command::AddBroker | Command::AddBrokerOnRack { .. } => {
                let id = self.brokers.last().map_or(1, |last| last + 1);
                self.brokers.push(id);
                self.comment("the playground added a broker");
                self.line(&format!("docker compose --profile added up -d kafka-{id}"));
            }
            Command::CrashBroker { broker } => {
                self.line(&format!("docker compose kill kafka-{}", broker.0))
            }
            Command::RestartBroker { broker } => {
                self.line(&format!("docker compose start kafka-{}", broker.0))
            }
            // SIGTERM: the broker's controlled shutdown (`docker compose kill` is SIGKILL).
            Command::ShutDownBroker { broker } => {
                self.line(&format!("docker compose stop kafka-{}", broker.0))
            }
            Command::SlowBroker { broker } => self.comment(&format!(
                "not replayed: the playground slowed broker {}'s replica fetchers here (one batch a second: a slow disk or a saturated link). No Kafka tool does this, and tc on its container would slow its clients and the followers it leads too; here it keeps up.",
                broker.0
            )),
            Command::IsolateBroker {
                broker,
                from: Isolation::Controller,
            } => self.comment(&format!(
                "not replayed: the playground cut broker {} off from the controller only, so it was fenced and went on as a zombie leader. docker network disconnect would cut it off from the other brokers and the clients too, so here it stays connected until the heal.",
                broker.0
            )),
            Command::IsolateBroker {
                broker,
                from: Isolation::Clients,
            } => self.comment(&format!(
                "not replayed: the playground cut broker {} off from the clients only; here the clients and the brokers share one network, so it stays reachable.",
                broker.0
            )),
            Command::HealBroker { broker } => self.comment(&format!(
                "the playground healed broker {}'s faults here (not replayed above, so nothing to undo).",
                broker.0
            )),
            Command::CrashController { controller } => self.line(&format!(
                "docker compose kill {}",
                controller_host(*controller)
            )),
            Command::RestartController { controller } => self.line(&format!(
                "docker compose start {}",
                controller_host(*controller)
            )),
            Command::DecommissionBroker { broker } => {
                self.brokers.retain(|id| *id != broker.0);
                self.line(&format!("docker compose stop kafka-{}", broker.0));
                self.line(&format!(
                    "kafka kafka-cluster.sh unregister --bootstrap-server \"$BOOTSTRAP\" --id {}",
                    broker.0
                ));
            }
            Command::ReassignPartition {
                topic,
                partition,
                replicas,
            } => {
                let replicas: Vec<String> = replicas.iter().map(|b| b.0.to_string()).collect();
                let plan = format!(
                    // A topic name holds only a-z A-Z 0-9 . _ -, which JSON needs no escape for.
                    "{{\"version\":1,\"partitions\":[{{\"topic\":\"{}\",\"partition\":{},\"replicas\":[{}]}}]}}",
                    topic,
                    partition.0,
                    replicas.join(",")
                );
                self.line(&format!(
                    "printf '%s' {} | kafka kafka-reassign-partitions.sh --bootstrap-server \"$BOOTSTRAP\" --reassignment-json-file /dev/stdin --additional --execute",
                    q(&plan)
                ));
            }
            Command::CancelReassignment { topic, partition } => {
                let plan = format!(
                    "{{\"version\":1,\"partitions\":[{{\"topic\":\"{topic}\",\"partition\":{},\"replicas\":[]}}]}}",
                    partition.0
                );
                self.comment(&format!(
                    "the playground cancelled the reassignment of {topic}-{} (the tool cancels a move only if it removes replicas or adds none)",
                    partition.0
                ));
                self.line(&format!(
                    "printf '%s' {} | kafka kafka-reassign-partitions.sh --bootstrap-server \"$BOOTSTRAP\" --reassignment-json-file /dev/stdin --cancel",
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
                let (key_text, value_text) =
                    (key.as_deref().unwrap_or(NULL), value.as_deref().unwrap_or(NULL));
                let typable = !key_text.contains(['\t', '\n', '\r'])
                    && !value_text.contains(['\n', '\r'])
                    && (key.is_none() || key_text != NULL)
                    && (value.is_none() || value_text != NULL);
                if !typable {
                    self.comment(&format!(
                        "{producer} sent a record to {topic} that the console producer cannot type (a tab in its key, a line break, or the text {NULL}); left out"
                    ));
                    return;
                }
                if let Some(p) = partition {
                    self.comment(&format!(
                        "the playground pinned this record to partition {p}; the console producer lets the partitioner choose"
                    ));
                }
                let record = format!("{key_text}\t{value_text}");
                let settings = self
                    .producers
                    .get(producer)
                    .map(|c| {
                        // The console producer's own retries (3) and request timeout (1.5 s)
                        // would give up sooner than the playground's producer did.
                        format!(
                            " --producer-property acks={} --producer-property linger.ms={} --producer-property enable.idempotence={} --producer-property retries={} --producer-property request.timeout.ms={} --producer-property delivery.timeout.ms={}",
                            c.acks,
                            c.linger_ms,
                            c.enable_idempotence,
                            c.retries,
                            c.request_timeout_ms,
                            c.delivery_timeout_ms
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
                let acks = self.producers.get(producer).map_or(Acks::All, |c| c.acks);
                self.comment(&format!(
                    "generator {generator}: {rate_per_sec} records/s ({keys}; the perf test sends no keys), until stopped"
                ));
                self.line(&format!(
                    "kafka kafka-producer-perf-test.sh --topic {} --num-records 100000000 --throughput {rate_per_sec} --record-size 100 --producer-props bootstrap.servers=\"$BOOTSTRAP\" acks={acks} client.id={} >/dev/null &",
                    q(topic),
                    q(generator)
                ));
            }
            Command::StopGenerator { generator } => self.end_client(generator, "TERM"),
            Command::AddConsumer {
                consumer,
                subscription,
                config,
            } => self.start_consumer(consumer, subscription, config, None),
            Command::AddStaticConsumer {
                consumer,
                subscription,
                config,
                group_instance_id,
            } => self.start_consumer(consumer, subscription, config, Some(group_instance_id)),
            Command::RestartConsumer { consumer } => {
                self.end_client(consumer, "TERM");
                if let Some((subscription, config, instance)) = self.consumers.get(consumer).cloned() {
                    self.start_consumer(consumer, &subscription, &config, instance.as_deref());
                }
            }
            Command::CloseConsumer { consumer } => self.end_client(consumer, "TERM"),
            Command::CrashConsumer { consumer } => self.end_client(consumer, "KILL"),
            other => self.comment(&format!(
                "the playground's simulated client did this, which a console tool does by itself or not at all: {}",
                match equivalent(other) {
                    Equivalent::ClientCall(call) => call,
                    Equivalent::Line(words) => crate::console::equivalent::line(&words),
                }
            )),
        }
    }
}

/// The playground's stand-ins for a broker's or a controller's process, which become
/// `docker compose` here, and for a broker's network and disk faults, which become comments
/// (`sim/network.rs`).
fn is_broker_step(command: &Command) -> bool {
    matches!(
        command,
        Command::AddBroker
            | Command::CrashBroker { .. }
            | Command::RestartBroker { .. }
            | Command::ShutDownBroker { .. }
            | Command::AddBrokerOnRack { .. }
            | Command::SlowBroker { .. }
            | Command::IsolateBroker { .. }
            | Command::HealBroker { .. }
            | Command::CrashController { .. }
            | Command::RestartController { .. }
    )
}

/// How the console producer is told a key or a value is null (`null.marker`).
const NULL: &str = "NULL";

/// `text` with the characters a regular expression gives a meaning to escaped.
fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

#[cfg(test)]
mod tests;
