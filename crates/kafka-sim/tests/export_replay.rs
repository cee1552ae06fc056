//! The export, checked by real tools and fed back: the one-file bundle the page downloads is
//! run by bash and writes compose.yaml and replay.sh; shellcheck passes both scripts; a real
//! Compose implementation (docker-compose 1.29.2, which validates without a Docker engine)
//! accepts the compose file; and replay.sh's Kafka commands, fed back through the console
//! in their timing, reach the state hash of the playground they came from.
//!
//! shellcheck and docker-compose are installed by `scripts/setup`.

use kafka_sim::console::Console;
use kafka_sim::console::equivalent::line;
use kafka_sim::console::options::words;
use kafka_sim::export::{bundle, export};
use kafka_sim::lesson::Lesson;
use kafka_sim::share::Shared;
use kafka_sim::sim::command::Command;
use kafka_sim::sim::ids::BrokerId;
use kafka_sim::sim::ordered::Map;
use kafka_sim::sim::scenario::Scenario;
use kafka_sim::sim::timeline::Timeline;
use kafka_sim::sim::types::ResetSpec;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

/// The workspace's root, where scripts/setup installs its tools (`.tools/`).
fn project_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// A session made of console lines and of clicks the console has a line for: topics, console
/// producers (one with clicks while it reads), console consumers with and without a group,
/// configs, offsets, a crash and a restart, a controlled shutdown and a restart, a controller's
/// crash, a quorum described and the controller's restart, an added broker, a reassignment onto
/// it that changes the replication factor, a deleted group.
fn session() -> (Scenario, Timeline) {
    let scenario = Scenario::empty(7);
    let mut timeline = Timeline::new(scenario.build().expect("three brokers"));
    let mut console = Console::new();
    let ticks = |timeline: &mut Timeline, n: u32| {
        for _ in 0..n {
            timeline.tick();
        }
    };
    let mut run = |line: &str, timeline: &mut Timeline| {
        let reply = console.enter(line, timeline);
        assert!(!reply.failed, "{line}: {:?}", reply.lines);
    };
    run(
        "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 3 --replication-factor 3 --config min.insync.replicas=2",
        &mut timeline,
    );
    ticks(&mut timeline, 7);
    run(
        "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=: --producer-property linger.ms=50",
        &mut timeline,
    );
    for (n, record) in ["user-1:cart", "user-7:it's $HOME", "user-1:paid"]
        .iter()
        .enumerate()
    {
        run(record, &mut timeline);
        ticks(&mut timeline, 3 + n as u32);
    }
    let mut configs = Map::new();
    configs.insert("cleanup.policy".to_owned(), "compact".to_owned());
    timeline
        .apply(Command::CreateTopic {
            name: "profiles".into(),
            partitions: 2,
            replication_factor: 2,
            configs,
        })
        .expect("a click while the console producer reads");
    ticks(&mut timeline, 2);
    run("user-9:gift", &mut timeline);
    ticks(&mut timeline, 4);
    run("^D", &mut timeline);
    run("sleep 2", &mut timeline);
    run(
        "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --group billing --from-beginning --max-messages 3",
        &mut timeline,
    );
    run("crash-broker 2", &mut timeline);
    ticks(&mut timeline, 120);
    run("restart-broker 2", &mut timeline);
    ticks(&mut timeline, 30);
    // A controlled shutdown has no console line: a click, replayed as `docker compose stop`.
    timeline
        .apply(Command::ShutDownBroker {
            broker: BrokerId(3),
        })
        .expect("a stop click");
    ticks(&mut timeline, 20);
    timeline
        .apply(Command::RestartBroker {
            broker: BrokerId(3),
        })
        .expect("a restart click");
    ticks(&mut timeline, 30);
    run("crash-controller 3000", &mut timeline);
    ticks(&mut timeline, 40);
    run(
        "kafka-metadata-quorum.sh --bootstrap-server localhost:9092 describe --status",
        &mut timeline,
    );
    timeline
        .apply(Command::RestartController {
            controller: kafka_sim::sim::ids::ControllerId(3000),
        })
        .expect("a controller's restart click");
    ticks(&mut timeline, 5);
    timeline
        .apply(Command::AlterTopicConfig {
            topic: "orders".into(),
            key: "retention.ms".into(),
            value: Some("600000".into()),
        })
        .expect("a config click");
    run(
        "kafka-consumer-groups.sh --bootstrap-server localhost:9092 --reset-offsets --group billing --all-topics --to-earliest --execute",
        &mut timeline,
    );
    run("add-broker", &mut timeline);
    ticks(&mut timeline, 5);
    // orders-0 moves to the new broker and down to two replicas.
    run(
        r#"kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --execute --reassignment-json-file '{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[4,1]}]}'"#,
        &mut timeline,
    );
    ticks(&mut timeline, 5);
    run(
        "kafka-topics.sh --bootstrap-server localhost:9092 --alter --topic orders --partitions 5",
        &mut timeline,
    );
    run(
        "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --partition 1 --offset 0 --max-messages 1 --property print.key=true",
        &mut timeline,
    );
    run(
        "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --group audit --timeout-ms 3000",
        &mut timeline,
    );
    timeline
        .apply(Command::ResetOffsets {
            group: "audit".into(),
            topic: Some("orders".into()),
            // audit has no offsets to shift from (it closed before its first assignment).
            spec: ResetSpec::ToOffset(1),
        })
        .expect("a reset click");
    timeline
        .apply(Command::DeleteGroup {
            group: "billing".into(),
        })
        .expect("a delete click");
    ticks(&mut timeline, 11);
    (scenario, timeline)
}

/// Runs replay.sh's statements on a new playground of `scenario`: each `kafka TOOL ...` as a
/// console line, a producer's piped block as its start line, its records and `^D`, the broker
/// steps as the console's stand-ins (a graceful `docker compose stop`, which has none, as its
/// command), `sleep` as virtual time. Anything else the script does is
/// a failure: this session is meant to export completely.
fn feed_back(scenario: &Scenario, script: &str) -> Timeline {
    let mut timeline = Timeline::new(scenario.build().expect("builds"));
    let mut console = Console::new();
    // What runs beside a console producer runs in a terminal of its own.
    let mut beside = Console::new();
    let mut run = |line: &str, timeline: &mut Timeline| {
        let reply = console.enter(line, timeline);
        assert!(!reply.failed, "fed back: {line}: {:?}", reply.lines);
    };
    let mut run_beside = |line: &str, timeline: &mut Timeline| {
        let reply = beside.enter(line, timeline);
        assert!(!reply.failed, "fed back beside: {line}: {:?}", reply.lines);
    };
    let mut block: Option<Vec<String>> = None;
    for statement in script.lines() {
        let statement = statement.trim();
        if statement == "{" {
            block = Some(Vec::new());
            continue;
        }
        if let Some(pipe) = statement.strip_prefix("} | ") {
            let start = console_line(pipe);
            run(&start, &mut timeline);
            for inner in block.take().expect("a block before its pipe") {
                if let Some(record) = inner.strip_prefix("printf '%s\\n' ") {
                    let record = words(record).expect("a quoted record");
                    run(&record[0], &mut timeline);
                } else {
                    step(&inner, &mut timeline, &mut run_beside);
                }
            }
            run("^D", &mut timeline);
            continue;
        }
        if let Some(inner) = block.as_mut() {
            let inner_statement = statement
                .strip_prefix("{ ")
                .and_then(|s| s.strip_suffix("; } >&2"))
                .unwrap_or(statement);
            inner.push(inner_statement.to_owned());
            continue;
        }
        step(statement, &mut timeline, &mut run);
    }
    timeline
}

/// One statement outside a console producer's input.
fn step(statement: &str, timeline: &mut Timeline, run: &mut impl FnMut(&str, &mut Timeline)) {
    let skipped = ["#", "set -euo pipefail", "BOOTSTRAP=", "kafka() {", "echo "];
    if statement.is_empty() || skipped.iter().any(|s| statement.starts_with(s)) {
        return;
    }
    if let Some(seconds) = statement.strip_prefix("sleep ") {
        let ms = (seconds.parse::<f64>().expect("seconds") * 1000.0).round() as u64;
        let until = timeline.sim().now_ms() + ms;
        while timeline.sim().now_ms() < until {
            timeline.tick();
        }
        return;
    }
    let broker = |prefix: &str| {
        statement
            .strip_prefix(prefix)
            .map(|id| id.trim_start_matches("kafka-").to_owned())
    };
    let controller = |prefix: &str| {
        statement
            .strip_prefix(prefix)
            .and_then(|host| host.strip_prefix("controller-"))
            .map(str::to_owned)
    };
    if let Some(id) = controller("docker compose kill ") {
        run(&format!("crash-controller {id}"), timeline);
    } else if let Some(id) = controller("docker compose start ") {
        run(&format!("restart-controller {id}"), timeline);
    } else if let Some(id) = broker("docker compose kill ") {
        run(&format!("crash-broker {id}"), timeline);
    } else if let Some(id) = broker("docker compose start ") {
        run(&format!("restart-broker {id}"), timeline);
    } else if let Some(id) = broker("docker compose stop ") {
        let broker = BrokerId(id.parse().expect("a broker id"));
        timeline
            .apply(Command::ShutDownBroker { broker })
            .expect("a controlled shutdown");
    } else if broker("docker compose --profile added up -d ").is_some() {
        run("add-broker", timeline);
    } else if statement.starts_with("kafka ") && !statement.ends_with('&') {
        run(&console_line(statement), timeline);
    } else if let Some((input, tool)) = statement
        .strip_prefix("printf '%s' ")
        .and_then(|s| s.split_once(" | kafka "))
    {
        // A tool reading its JSON from standard input: the console takes it inline.
        let json = words(input).expect("a quoted JSON").remove(0);
        let tool_words: Vec<String> = words(tool)
            .expect("shell words")
            .into_iter()
            .map(|w| if w == "/dev/stdin" { json.clone() } else { w })
            .collect();
        run(&line(&tool_words), timeline);
    } else {
        panic!("the script does something the console cannot be fed: {statement}");
    }
}

/// `kafka TOOL ARGS` as the console line `TOOL ARGS`.
fn console_line(statement: &str) -> String {
    let words = words(statement).expect("shell words");
    assert_eq!(words[0], "kafka", "{statement}");
    line(&words[1..])
}

fn tool(name: &str) -> PathBuf {
    let local = project_dir().join(".tools/compose-venv/bin").join(name);
    if local.is_file() {
        local
    } else {
        PathBuf::from(name)
    }
}

/// Runs `program` with `args` in `dir`; its output, or a failure that says what it printed.
fn check(program: &Path, args: &[&str], dir: &Path) -> String {
    let out = Process::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "{} does not run ({e}): run scripts/setup",
                program.display()
            )
        });
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "{} {args:?} failed:\n{printed}",
        program.display()
    );
    printed
}

#[test]
fn the_bundle_writes_files_real_tools_accept_and_its_commands_replay_to_the_same_state() {
    let (scenario, timeline) = session();
    let shared = Shared::of(&scenario, &timeline);
    let dir = std::env::temp_dir().join(format!("kafka-playground-bundle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a folder");
    std::fs::write(dir.join("export.sh"), bundle(&shared)).expect("the bundle");

    let said = check(Path::new("bash"), &["export.sh", "out"], &dir);
    assert!(
        said.contains("Wrote out/compose.yaml and out/replay.sh"),
        "{said}"
    );
    let out = dir.join("out");
    let script = std::fs::read_to_string(out.join("replay.sh")).expect("replay.sh");
    check(
        Path::new("shellcheck"),
        &["--severity=style", "export.sh", "out/replay.sh"],
        &dir,
    );
    check(
        &tool("docker-compose"),
        &["--file", "compose.yaml", "config", "--quiet"],
        &out,
    );
    // Every step was exported as a command, none as a comment about what is left out.
    assert!(!script.contains("left out"), "{script}");

    let fed_back = feed_back(&scenario, &script);
    assert_eq!(fed_back.sim().now_ms(), timeline.sim().now_ms(), "{script}");
    assert_eq!(
        fed_back.sim().state_hash(),
        timeline.sim().state_hash(),
        "the replayed script reaches another state:\n{script}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every lesson exercise, solved in the playground, is reached again by the exported replay.sh
/// fed back: the solution exports completely as real Kafka CLI commands and broker steps (the
/// lesson files say why a real cluster answers them as the playground does). Each exercise is
/// checked where it ends, with the lesson walked up to it. The scenario's own simulated clients
/// export as background console consumers, which the console cannot run beside the script; no
/// goal depends on them, so they are left out of the feed.
#[test]
fn every_lesson_exercise_is_reached_by_its_exported_replay() {
    for lesson in Lesson::all().expect("the lessons parse") {
        for (n, exercise) in lesson.exercises.iter().enumerate() {
            let mut up_to = lesson.clone();
            up_to.exercises.truncate(n + 1);
            let walk = up_to.walk(true).expect("the lesson runs");
            assert!(walk.done_after[n], "{}: {}", lesson.id, exercise.task);
            let scenario = lesson.scenario().expect("its scenario");
            let (_, script) = export(&Shared::of(&scenario, &walk.timeline));
            assert!(!script.contains("left out"), "{}:\n{script}", lesson.id);
            let foreground: String = script
                .lines()
                .filter(|line| !line.ends_with(" &"))
                .map(|line| format!("{line}\n"))
                .collect();
            // A real cluster starts bare: the script creates the scenario's topics too.
            let bare = Scenario {
                commands: Vec::new(),
                warm_up_ms: 0,
                ..scenario
            };
            let mut fed_back = feed_back(&bare, &foreground);
            let events = fed_back.drain_events();
            assert!(
                exercise.goal.holds(fed_back.sim(), &events),
                "lesson {}: the replay does not reach {:?}:\n{script}",
                lesson.id,
                exercise.goal_words
            );
        }
    }
}

/// A shared link carries the typed lines along, so that exporting a link gives the same script
/// as exporting the playground it came from.
#[test]
fn a_shared_link_exports_the_same_script() {
    let (scenario, timeline) = session();
    let shared = Shared::of(&scenario, &timeline);
    let replayed = Shared::from_link(&shared.to_link())
        .expect("reads back")
        .replay()
        .expect("replays");
    let again = Shared::of(&scenario, &replayed);
    assert_eq!(again.typed, shared.typed);
    assert_eq!(bundle(&again), bundle(&shared));
}
