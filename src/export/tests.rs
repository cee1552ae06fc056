use super::*;
use crate::console::Console;
use crate::sim::scenario::Scenario;
use crate::sim::timeline::Timeline;

/// The starter scenario, then console work with a hostile key and value, a crash and a reset.
fn shared() -> Shared {
    let scenario = Scenario::starter();
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
    Shared::of(&scenario, &timeline)
}

#[test]
fn the_script_replays_the_history_with_real_cli_commands() {
    let (compose, script) = export(&shared());
    let has = |text: &str| assert!(script.contains(text), "{text:?} in\n{script}");
    has("BOOTSTRAP='kafka-1:29092,kafka-2:29092,kafka-3:29092'");
    has(
        "kafka kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --create --topic 'orders' --partitions 3 --replication-factor 3\n",
    );
    has(
        "--create --topic 'audit.log' --partitions 2 --replication-factor 2 --config 'cleanup.policy=compact,delete'",
    );
    has("# producer producer-1: acks=all linger.ms=5 batch.size=16384 enable.idempotence=true");
    has(
        "printf '%s\\n' 'it'\\''s\t$(rm -rf /) `reboot` \"quoted\"' | kafka kafka-console-producer.sh --bootstrap-server \"$BOOTSTRAP\" --topic 'orders' --property parse.key=true --property null.marker=NULL --producer-property acks=all --producer-property linger.ms=1000 --producer-property enable.idempotence=true",
    );
    has("sleep 2.5\ndocker compose kill kafka-2\nsleep 10.0\ndocker compose start kafka-2\n");
    has(
        "# console-producer-1 sent a record to orders that the console producer cannot type (a tab in its key, a line break, or the text NULL); left out",
    );
    has("--entity-type topics --entity-name 'orders' --alter --add-config 'retention.ms=60000'");
    has(
        "kafka kafka-console-consumer.sh --bootstrap-server \"$BOOTSTRAP\" --topic 'orders' --group 'group-1' --from-beginning --consumer-property client.id='consumer-1'",
    );
    has("--reset-offsets --group 'billing' --topic 'orders' --to-earliest --execute");
    has(
        "docker compose exec -T tools pkill -TERM -f -- 'client\\.id=console-consumer-1( |$)' || true",
    );
    has("docker compose --profile added up -d");
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
    // Four brokers, the added one behind a profile; three controllers; a tools container.
    assert_eq!(compose.matches("image: apache/kafka:3.9.1").count(), 5);
    assert_eq!(
        compose
            .matches("CLUSTER_ID: MkU3OEVBNTcwNTJENDM2Qk\n")
            .count(),
        4
    );
    assert!(compose.contains(
        "  kafka-4:\n    image: apache/kafka:3.9.1\n    hostname: kafka-4\n    profiles: [added]\n"
    ));
    assert!(
        compose.contains(
            "KAFKA_CONTROLLER_QUORUM_VOTERS: 1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093"
        )
    );
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
