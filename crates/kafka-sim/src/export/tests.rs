use super::*;
use crate::console::Console;
use crate::console::equivalent::line;
use crate::sim::ids::PartitionId;
use crate::sim::scenario::Scenario;
use crate::sim::timeline::Timeline;

/// The starter scenario, then console work with a hostile key and value, a crash and a reset,
/// then a controlled shutdown and a restart.
fn shared() -> (Shared, Timeline) {
    let scenario = Scenario::quiet();
    let mut timeline = Timeline::new(scenario.build().expect("starter"));
    let mut console = Console::new();
    for line in [
        "kafka-topics.sh --bootstrap-server b:9092 --create --topic audit.log --partitions 2 --replication-factor 2 --config cleanup.policy=compact,delete",
        "kafka-console-producer.sh --bootstrap-server b:9092 --topic orders --property parse.key=true --property key.separator=:",
        "it's:$(rm -rf /) `reboot` \"quoted\"",
        "k:NULL",
        "^D",
        "sleep 2.5",
        "crash-broker 2",
        "sleep 10",
        "restart-broker 2",
        "kafka-configs.sh --bootstrap-server b:9092 --topic orders --alter --add-config retention.ms=60000",
        "kafka-console-consumer.sh --bootstrap-server b:9092 --topic orders --group billing --from-beginning --max-messages 1",
        "kafka-consumer-groups.sh --bootstrap-server b:9092 --reset-offsets --group billing --topic orders --to-earliest --execute",
        "add-broker",
    ] {
        assert!(!console.enter(line, &mut timeline).failed, "{line}");
    }
    // A controlled shutdown (a click: no console line does it) and a restart.
    for command in [
        Command::ShutDownBroker {
            broker: BrokerId(3),
        },
        Command::RestartBroker {
            broker: BrokerId(3),
        },
    ] {
        timeline.apply(command).expect("accepted");
        for _ in 0..20 {
            timeline.tick();
        }
    }
    (Shared::of(&scenario, &timeline), timeline)
}

/// `topic`'s replica lists in the playground, as `--replica-assignment` writes them.
fn placed(timeline: &Timeline, topic: &str) -> String {
    let sim = timeline.sim();
    (0..sim.topic_partitions(topic).expect("the topic") as u32)
        .map(|p| {
            let partition = sim.partition(topic, PartitionId(p)).expect("its partition");
            let ids: Vec<String> = partition
                .assignment
                .iter()
                .map(|b| b.0.to_string())
                .collect();
            ids.join(":")
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn the_script_replays_the_history_with_real_cli_commands() {
    let (shared, timeline) = shared();
    let (compose, script) = export(&shared);
    let has = |text: &str| assert!(script.contains(text), "{text:?} in\n{script}");
    has("BOOTSTRAP='kafka-1:29092,kafka-2:29092,kafka-3:29092'");
    // The scenario's topic, a click, in the words of the console line that does the same, on
    // the brokers the playground placed it on.
    has(&format!(
        "kafka kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --create --topic orders --replica-assignment {}\n",
        placed(&timeline, "orders")
    ));
    has("# producer producer-1: acks=all linger.ms=5 batch.size=16384 enable.idempotence=true");
    // Typed lines as they were typed (a creation pinned to its placement, what was typed above
    // it), the records piped into one console producer.
    has(&format!(
        "# typed: kafka-topics.sh --bootstrap-server b:9092 --create --topic audit.log --partitions 2 --replication-factor 2 --config cleanup.policy=compact,delete\n\
         kafka kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --create --topic audit.log --replica-assignment {} --config cleanup.policy=compact,delete\n",
        placed(&timeline, "audit.log")
    ));
    has(
        "{\n  printf '%s\\n' 'it'\\''s:$(rm -rf /) `reboot` \"quoted\"'\n  printf '%s\\n' 'k:NULL'\n} | kafka kafka-console-producer.sh --bootstrap-server \"$BOOTSTRAP\" --topic orders --property parse.key=true --property key.separator=:\n",
    );
    has("sleep 2.5\ndocker compose kill kafka-2\nsleep 10.0\ndocker compose start kafka-2\n");
    has("docker compose stop kafka-3\nsleep 2.0\ndocker compose start kafka-3\n");
    has(
        "kafka kafka-configs.sh --bootstrap-server \"$BOOTSTRAP\" --topic orders --alter --add-config retention.ms=60000\n",
    );
    has(
        "kafka kafka-console-consumer.sh --bootstrap-server \"$BOOTSTRAP\" --topic 'orders' --group 'group-1' --from-beginning --consumer-property client.id='consumer-1'",
    );
    // The console consumer stops as the playground's did, not at Ctrl+C.
    has(
        "kafka kafka-console-consumer.sh --bootstrap-server \"$BOOTSTRAP\" --topic orders --group billing --from-beginning --max-messages 1 --timeout-ms 10000\n",
    );
    has("--reset-offsets --group billing --topic orders --to-earliest --execute\n");
    has("docker compose --profile added up -d kafka-4\n");
    // bash reads the whole script without running it.
    let path =
        std::env::temp_dir().join(format!("kafka-playground-export-{}.sh", std::process::id()));
    std::fs::write(&path, &script).expect("script written");
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash runs");
    let _ = std::fs::remove_file(&path);
    assert!(
        check.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&check.stderr)
    );
    // Four brokers, the added one behind a profile; the playground's three dedicated
    // controllers (3000 to 3002); a tools container.
    assert_eq!(compose.matches("image: apache/kafka:4.4.0").count(), 8);
    assert_eq!(
        compose
            .matches("CLUSTER_ID: MkU3OEVBNTcwNTJENDM2Qk\n")
            .count(),
        7
    );
    assert!(compose.contains(
        "  kafka-4:\n    image: apache/kafka:4.4.0\n    hostname: kafka-4\n    profiles: [added]\n"
    ));
    assert_eq!(
        compose
            .matches("KAFKA_CONTROLLER_QUORUM_VOTERS: 3000@controller-3000:9093,3001@controller-3001:9093,3002@controller-3002:9093\n")
            .count(),
        7
    );
    for id in 3000..3003 {
        assert!(compose.contains(&format!(
            "  controller-{id}:\n    image: apache/kafka:4.4.0\n    hostname: controller-{id}\n    environment:\n      KAFKA_NODE_ID: {id}\n      KAFKA_PROCESS_ROLES: controller\n"
        )));
    }
    assert!(compose.contains("depends_on: [controller-3000, controller-3001, controller-3002]"));
    assert_eq!(compose.matches("KAFKA_PROCESS_ROLES: broker\n").count(), 4);
    assert!(compose.contains("KAFKA_NODE_ID: 4\n      KAFKA_PROCESS_ROLES: broker\n"));
}

#[test]
fn quoting_keeps_any_text_one_inert_word() {
    for text in [
        "plain",
        "it's",
        "$(rm -rf /)",
        "`x`",
        "a\nb",
        "\"; echo pwned",
        "",
    ] {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!("printf '%s' {}", shell_quote(text)))
            .output()
            .expect("bash runs");
        assert_eq!(String::from_utf8_lossy(&out.stdout), text);
    }
}

/// A click while a console producer reads its input goes into the piped block, its output to
/// standard error so that it cannot become a record; what the console producer cannot type is
/// left out with a comment.
#[test]
fn clicks_during_a_console_producer_session_stay_out_of_its_input() {
    let scenario = Scenario::quiet();
    let mut timeline = Timeline::new(scenario.build().expect("starter"));
    let mut console = Console::new();
    let mut enter = |line: &str, timeline: &mut Timeline| {
        assert!(!console.enter(line, timeline).failed, "{line}");
    };
    enter(
        "kafka-console-producer.sh --bootstrap-server b:9092 --topic orders",
        &mut timeline,
    );
    enter("first", &mut timeline);
    for _ in 0..10 {
        timeline.tick();
    }
    timeline
        .apply(Command::produce("producer-1", "orders", Some("a\tb"), "x"))
        .expect("a click");
    timeline
        .apply(Command::AddPartitions {
            topic: "orders".into(),
            partitions: 4,
        })
        .expect("a click");
    enter("second", &mut timeline);
    enter("^D", &mut timeline);
    let (_, script) = export(&Shared::of(&scenario, &timeline));
    assert!(
        script.contains(&format!(
            "{{\n  printf '%s\\n' 'first'\n  sleep 1.0\n  # producer-1 sent a record to orders that the console producer cannot type (a tab in its key, a line break, or the text NULL); left out\n  {{ kafka kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --alter --topic orders --partitions 4 --replica-assignment {}; }} >&2\n  printf '%s\\n' 'second'\n}} | kafka kafka-console-producer.sh --bootstrap-server \"$BOOTSTRAP\" --topic orders\n",
            placed(&timeline, "orders")
        )),
        "{script}"
    );
}

/// A record clicked into the Produce form is sent by a console producer with the clicking
/// producer's settings, its retries and timeouts included: ConsoleProducer's own defaults
/// (3 retries, request.timeout.ms 1500) would give up where the playground's producer retried.
#[test]
fn a_clicked_record_is_sent_with_its_producers_retries_and_timeouts() {
    let scenario = Scenario::quiet();
    let mut timeline = Timeline::new(scenario.build().expect("quiet"));
    let config = ProducerConfig {
        acks: Acks::Leader,
        enable_idempotence: false,
        retries: 7,
        ..ProducerConfig::default()
    };
    timeline
        .apply(Command::AddProducer {
            producer: "audit".into(),
            config,
        })
        .expect("a producer");
    timeline
        .apply(Command::produce("audit", "orders", Some("k"), "v"))
        .expect("a click");
    let (_, script) = export(&Shared::of(&scenario, &timeline));
    assert!(
        script.contains(
            "--producer-property acks=1 --producer-property linger.ms=5 --producer-property enable.idempotence=false --producer-property retries=7 --producer-property request.timeout.ms=30000 --producer-property delivery.timeout.ms=120000\n"
        ),
        "{script}"
    );
}

/// Every topic creation and growth carries the playground's placement (a typed one below what
/// was typed), so a cluster whose controller would place replicas elsewhere (a playground of
/// another seed here; on a real cluster, `StripedReplicaPlacer`'s random start) gets each
/// partition on the brokers, and led by the broker, it had in the playground. A line typed
/// with that placement already is written as typed, without a comment.
#[test]
fn topic_creations_and_growths_are_pinned_to_the_playgrounds_placement() {
    let scenario = Scenario::empty(7);
    let mut timeline = Timeline::new(scenario.build().expect("three brokers"));
    let mut console = Console::new();
    for line in [
        "kafka-topics.sh --bootstrap-server b:9092 --create --topic payments --partitions 4 --replication-factor 2",
        "kafka-topics.sh --bootstrap-server b:9092 --create --topic pinned --replica-assignment 2:3,3:1",
        "kafka-topics.sh --bootstrap-server b:9092 --alter --topic payments --partitions 6",
    ] {
        assert!(!console.enter(line, &mut timeline).failed, "{line}");
    }
    timeline
        .apply(Command::create_topic("audit", 3, 1))
        .expect("a click");
    let (_, script) = export(&Shared::of(&scenario, &timeline));
    assert!(
        script.contains(&format!(
            "# typed: kafka-topics.sh --bootstrap-server b:9092 --create --topic payments --partitions 4 --replication-factor 2\n\
             kafka kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --create --topic payments --replica-assignment {}\n",
            placed(&timeline, "payments").split(',').take(4).collect::<Vec<_>>().join(",")
        )),
        "{script}"
    );
    let lines: Vec<&str> = script.lines().collect();
    let typed_pinned = lines
        .iter()
        .position(|l| {
            *l == "kafka kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --create --topic pinned --replica-assignment 2:3,3:1"
        })
        .expect("the line typed with its placement");
    assert!(!lines[typed_pinned - 1].starts_with("# typed"), "{script}");
    assert!(
        script.contains(&format!(
            "# typed: kafka-topics.sh --bootstrap-server b:9092 --alter --topic payments --partitions 6\n\
             kafka kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --alter --topic payments --partitions 6 --replica-assignment {}\n",
            placed(&timeline, "payments")
        )),
        "{script}"
    );
    let topic_lines: Vec<String> = script
        .lines()
        .filter(|l| l.starts_with("kafka kafka-topics.sh"))
        .map(|l| line(&words(l).expect("shell words")[1..]))
        .collect();
    assert_eq!(topic_lines.len(), 4, "{script}");
    let seed = 8;
    let mut elsewhere = Timeline::new(Scenario::empty(seed).build().expect("three brokers"));
    elsewhere
        .apply(Command::create_topic("payments", 4, 2))
        .expect("placed at random");
    assert_ne!(
        placed(&elsewhere, "payments"),
        placed(&timeline, "payments")
            .split(',')
            .take(4)
            .collect::<Vec<_>>()
            .join(","),
        "seed {seed} places payments elsewhere"
    );
    let mut replayed = Timeline::new(Scenario::empty(seed).build().expect("three brokers"));
    let mut console = Console::new();
    for line in &topic_lines {
        let reply = console.enter(line, &mut replayed);
        assert!(!reply.failed, "{line}: {:?}", reply.lines);
    }
    for topic in ["payments", "pinned", "audit"] {
        assert_eq!(
            placed(&replayed, topic),
            placed(&timeline, topic),
            "{topic}"
        );
    }
}

/// A broker added on a rack gets `broker.rack` in the compose file (Kafka's Docker image
/// reads `KAFKA_BROKER_RACK`), and a reassignment typed with its JSON inline, or clicked, or
/// cancelled, reaches `kafka-reassign-partitions.sh` on its standard input
/// (`ReassignPartitionsCommand` reads `--reassignment-json-file` as a file).
#[test]
fn racks_go_to_the_compose_file_and_reassignments_to_the_tool() {
    let scenario = Scenario::quiet();
    let mut timeline = Timeline::new(scenario.build().expect("starter"));
    let mut console = Console::new();
    let json = r#"{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[4]}]}"#;
    for line in [
        "add-broker --rack east".to_owned(),
        "add-broker".to_owned(),
        format!(
            "kafka-reassign-partitions.sh --bootstrap-server b:9092 --execute --reassignment-json-file '{json}'"
        ),
    ] {
        assert!(!console.enter(&line, &mut timeline).failed, "{line}");
    }
    timeline
        .apply(Command::CancelReassignment {
            topic: "orders".into(),
            partition: PartitionId(0),
        })
        .expect("a cancel click");
    let (compose, script) = export(&Shared::of(&scenario, &timeline));
    let service = |n: u32| {
        let start = compose.find(&format!("  kafka-{n}:")).expect("a service");
        let rest = &compose[start + 4..];
        rest[..rest
            .find("\n  kafka-")
            .or_else(|| rest.find("\n  tools:"))
            .unwrap_or(rest.len())]
            .to_owned()
    };
    assert!(service(4).contains("KAFKA_BROKER_RACK: east"), "{compose}");
    assert!(!service(5).contains("KAFKA_BROKER_RACK"), "{compose}");
    assert!(!service(1).contains("KAFKA_BROKER_RACK"), "{compose}");
    assert!(
        script.contains(&format!(
            "printf '%s' '{json}' | kafka kafka-reassign-partitions.sh --bootstrap-server \"$BOOTSTRAP\" --execute --reassignment-json-file /dev/stdin\n"
        )),
        "{script}"
    );
    assert!(
        script.contains(r#"| kafka kafka-reassign-partitions.sh --bootstrap-server "$BOOTSTRAP" --reassignment-json-file /dev/stdin --cancel"#),
        "{script}"
    );
}

/// A broker's network and disk faults, clicked or typed, are not replayable with one Compose
/// network (`docker network disconnect` cuts every link at once): each becomes a comment that
/// says what the playground did and what the export does instead, and no command.
#[test]
fn network_faults_become_comments_that_say_they_are_not_replayed() {
    let scenario = Scenario::quiet();
    let mut timeline = Timeline::new(scenario.build().expect("quiet"));
    let mut console = Console::new();
    for line in ["slow-broker 3", "isolate-broker 1 controller"] {
        assert!(!console.enter(line, &mut timeline).failed, "{line}");
    }
    for command in [
        Command::IsolateBroker {
            broker: BrokerId(2),
            from: Isolation::Clients,
        },
        Command::HealBroker {
            broker: BrokerId(1),
        },
    ] {
        timeline.apply(command).expect("a click");
    }
    let (_, script) = export(&Shared::of(&scenario, &timeline));
    for text in [
        "# not replayed: the playground slowed broker 3's replica fetchers here",
        "# not replayed: the playground cut broker 1 off from the controller only",
        "# not replayed: the playground cut broker 2 off from the clients only",
        "# the playground healed broker 1's faults here (not replayed above",
    ] {
        assert!(script.contains(text), "{text:?} in\n{script}");
    }
    for stand_in in ["slow-broker", "isolate-broker", "heal-broker", "network"] {
        assert!(
            !script
                .lines()
                .any(|l| !l.starts_with('#') && l.contains(stand_in)),
            "{stand_in} as a command in\n{script}"
        );
    }
}

/// A static consumer starts with `--consumer-property group.instance.id`; its restart stops
/// the console consumer (TERM: `close()`, which for a static member sends no LeaveGroup) and
/// starts the same line again.
#[test]
fn a_static_consumers_restart_is_the_same_console_consumer_started_again() {
    let scenario = Scenario::quiet();
    let mut timeline = Timeline::new(scenario.build().expect("quiet"));
    timeline
        .apply(Command::AddStaticConsumer {
            consumer: "worker".into(),
            subscription: Subscription::Topics(vec!["orders".into()]),
            config: ConsumerConfig::new("billing"),
            group_instance_id: "host-1".into(),
        })
        .expect("a static consumer");
    timeline.tick();
    timeline
        .apply(Command::RestartConsumer {
            consumer: "worker".into(),
        })
        .expect("a restart");
    let (_, script) = export(&Shared::of(&scenario, &timeline));
    let start = "kafka kafka-console-consumer.sh --bootstrap-server \"$BOOTSTRAP\" --topic 'orders' --group 'billing' --from-beginning --consumer-property client.id='worker' --consumer-property enable.auto.commit=true --consumer-property max.poll.records=500 --consumer-property group.instance.id='host-1' >/dev/null &";
    let stop = "pkill -TERM -f -- 'client\\.id=worker( |$)'";
    let first = script.find(start).expect(&script);
    let stopped = script.find(stop).expect(&script);
    let again = script.rfind(start).expect(&script);
    assert!(first < stopped && stopped < again, "{script}");
}
