//! The headless runner: console scripts run through the `kafka-playground-runner` binary, its
//! transcript compared with a golden file, its exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn runner(args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kafka-playground-runner"));
    command.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    match stdin {
        None => command.output().expect("the runner runs"),
        Some(text) => {
            use std::io::Write;
            let mut child = command
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("the runner starts");
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(text.as_bytes())
                .expect("script written");
            child.wait_with_output().expect("the runner ends")
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn manifest(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// tests/console/first-steps.console's transcript, compared with first-steps.out. Set
/// UPDATE_GOLDEN=1 to rewrite the file after a deliberate change, then read the diff.
#[test]
fn a_script_runs_to_the_same_transcript_every_time() {
    let out = runner(&["tests/console/first-steps.console"], None);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let transcript = text(&out.stdout);
    for expected in [
        "Created topic orders.",
        "user-7\tshipped",
        "Processed a total of 5 messages",
        "group billing: CompletingRebalance → Stable (generation 1)",
    ] {
        assert!(
            transcript.contains(expected),
            "{expected:?} in\n{transcript}"
        );
    }
    same_as_golden("first-steps", &transcript);
}

/// `transcript` compared with tests/console/NAME.out (rewritten with UPDATE_GOLDEN=1), and
/// the script run again to the same transcript.
fn same_as_golden(name: &str, transcript: &str) {
    let golden = manifest(&format!("tests/console/{name}.out"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, transcript).expect("write the golden file");
    }
    let expected = std::fs::read_to_string(&golden).expect("the golden file");
    assert_eq!(
        transcript,
        expected,
        "the transcript differs from {}",
        golden.display()
    );
    let again = runner(&[&format!("tests/console/{name}.console")], None);
    assert_eq!(
        text(&again.stdout),
        transcript,
        "same seed and script, same transcript"
    );
}

/// tests/console/reassign.console: `kafka-reassign-partitions.sh --generate` (rack-aware
/// refused on a mixed cluster, as `ReassignPartitionsCommand.getBrokerMetadata` refuses it),
/// `--execute` with a replication factor up on one partition and down on another, the moving
/// partition's adding and removing replicas in `--list` and `kafka-topics.sh --describe`
/// (`TopicCommand.PartitionDescription`), `--verify` before and after, every record still
/// there, and `--cancel` (`ReplicationControlManager.cancelPartitionReassignment`).
#[test]
fn the_reassign_script_generates_executes_verifies_and_cancels() {
    let out = runner(&["tests/console/reassign.console"], None);
    let transcript = text(&out.stdout);
    for expected in [
        "! Error: Not all brokers have rack information.",
        "Successfully started partition reassignments for orders-0,orders-1",
        "orders-0: replicas: 4,5,3,1,2. adding: 3,4,5. removing: 1,2.",
        "\tAdding Replicas: 3,4,5\tRemoving Replicas: 1,2\t",
        "Reassignment of partition orders-0 is still in progress.",
        "Reassignment of partition orders-0 is completed.",
        "Processed a total of 4 messages",
        "Successfully cancelled partition reassignment for: orders-1",
    ] {
        assert!(
            transcript.contains(expected),
            "{expected:?} in\n{transcript}"
        );
    }
    same_as_golden("reassign", &transcript);
}

/// tests/console/quorum.console's transcript, compared with quorum.out: `kafka-metadata-quorum.sh
/// describe` in `MetadataQuorumCommand`'s layout (`handleDescribeStatus`,
/// `handleDescribeReplication`) before, during and after the loss of two of the three
/// controllers, and the topic creation the frozen metadata refuses (the broker's forwarded
/// request times out, `ForwardingManager`). Set UPDATE_GOLDEN=1 to rewrite the file.
#[test]
fn the_metadata_quorum_tool_describes_a_quorum_lost_and_regained() {
    let out = runner(&["tests/console/quorum.console"], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let transcript = text(&out.stdout);
    for expected in [
        "LeaderId:               3000",
        "NodeId\tDirectoryId           \tLogEndOffset\t",
        "! Error while executing topic command : The request timed out.",
        "LeaderEpoch:            2",
        "Created topic audit.",
    ] {
        assert!(
            transcript.contains(expected),
            "{expected:?} in\n{transcript}"
        );
    }
    same_as_golden("quorum", &transcript);
}

#[test]
fn a_failed_line_is_marked_and_the_exit_code_says_so() {
    let script = "kafka-topics.sh --bootstrap-server b:9092 --create --topic t\n\
                  kafka-topics.sh --bootstrap-server b:9092 --create --topic t\n\
                  kafka-topics.sh --bootstrap-server b:9092 --list\n";
    let out = runner(&["-"], Some(script));
    assert_eq!(out.status.code(), Some(1));
    let transcript = text(&out.stdout);
    assert!(
        transcript.contains("! Error while executing topic command : Topic 't' already exists."),
        "{transcript}"
    );
    assert!(
        transcript.ends_with("$ kafka-topics.sh --bootstrap-server b:9092 --list\nt\n"),
        "the script went on:\n{transcript}"
    );
}

#[test]
fn scenarios_seeds_and_bad_arguments() {
    let out = runner(
        &["--scenario", "starter", "-"],
        Some("kafka-topics.sh --bootstrap-server b:9092 --list\n"),
    );
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains("\norders\n"),
        "{}",
        text(&out.stdout)
    );
    for args in [
        vec![],
        vec!["--scenario", "huge", "x"],
        vec!["--seed", "many", "x"],
        vec!["--seed", "1", "--scenario", "starter", "x"],
        vec!["tests/console/no-such-script"],
    ] {
        let out = runner(&args, None);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).starts_with("kafka-playground-runner: "),
            "{args:?}"
        );
    }
}

#[test]
fn export_writes_a_compose_file_and_a_replay_script_bash_can_read() {
    let dir = std::env::temp_dir().join(format!("kafka-playground-export-{}", std::process::id()));
    let dir_arg = dir.to_string_lossy().into_owned();
    let out = runner(
        &["--export", &dir_arg, "tests/console/first-steps.console"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let script = std::fs::read_to_string(dir.join("replay.sh")).expect("replay.sh");
    let compose = std::fs::read_to_string(dir.join("compose.yaml")).expect("compose.yaml");
    // The topic as typed, above the line that creates it where the playground placed it.
    assert!(
        script.contains(
            "# typed: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 3 --replication-factor 2\n\
             kafka kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --create --topic orders --replica-assignment "
        ),
        "{script}"
    );
    assert!(
        script.contains("  printf '%s\\n' 'user-7:shipped'\n} | kafka kafka-console-producer.sh"),
        "{script}"
    );
    assert_eq!(
        compose.matches("image: apache/kafka:").count(),
        7,
        "three controllers, three brokers and the tools"
    );
    let check = Command::new("bash")
        .arg("-n")
        .arg(dir.join("replay.sh"))
        .output()
        .expect("bash");
    assert!(check.status.success(), "{}", text(&check.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}
