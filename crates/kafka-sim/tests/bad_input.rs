//! The bad-input matrix for what reaches the engine without a form: console lines, shared
//! links and imported files. Every input is refused with a message, or accepted; nothing
//! panics, a refusal leaves the state hash as it was, and text is kept as data (a value that
//! looks like markup or a URL comes back byte for byte). The forms' fields and the page's
//! address have their matrix in the browser tests (tests/browser), and the page's own sources and
//! embed messages in tests/page_text.rs.

use kafka_sim::console::Console;
use kafka_sim::share::Shared;
use kafka_sim::sim::scenario::Scenario;
use kafka_sim::sim::timeline::Timeline;

const MARKUP: &str = "<img src=x onerror=alert(1)>";

fn quiet() -> (Console, Timeline) {
    let timeline = Timeline::new(Scenario::quiet().build().expect("quiet"));
    (Console::new(), timeline)
}

/// Runs `line`; on a refusal checks the message and that nothing changed. Returns whether it
/// was accepted.
fn try_line(console: &mut Console, timeline: &mut Timeline, line: &str) -> bool {
    let before = timeline.sim().state_hash();
    let reply = console.enter(line, timeline);
    if reply.failed {
        assert!(
            reply.lines.iter().any(|l| !l.trim().is_empty()),
            "{line:.80}: refused without a message"
        );
        assert_eq!(
            timeline.sim().state_hash(),
            before,
            "{line:.80}: refused but changed the state"
        );
    }
    timeline.drain_events();
    !reply.failed
}

#[test]
fn console_lines_out_of_range_empty_huge_and_malicious() {
    let huge = "x".repeat(1 << 20);
    let b = "--bootstrap-server localhost:9092";
    let refused = [
        format!("kafka-topics.sh {b} --create --topic big --partitions 10000"),
        format!("kafka-topics.sh {b} --create --topic big --replication-factor 0"),
        format!("kafka-topics.sh {b} --create --topic big --partitions 99999999999999999999"),
        format!("kafka-topics.sh {b} --create --topic ''"),
        format!("kafka-topics.sh {b} --create --topic {huge}"),
        format!("kafka-topics.sh {b} --create --topic '{MARKUP}'"),
        format!("kafka-topics.sh {b} --create --topic javascript:alert(1)"),
        format!("kafka-topics.sh {b} --alter --topic orders --partitions 100000"),
        format!("kafka-configs.sh {b} --topic orders --alter --add-config retention.ms=-5"),
        format!("kafka-configs.sh {b} --topic orders --alter --add-config '{MARKUP}=1'"),
        format!("kafka-configs.sh {b} --topic orders --alter --add-config segment.bytes={huge}"),
        format!("kafka-console-consumer.sh {b} --topic orders --max-messages -1"),
        format!("kafka-console-consumer.sh {b} --topic '{MARKUP}'"),
        format!("kafka-consumer-groups.sh {b} --describe --group '{MARKUP}'"),
        format!(
            "kafka-consumer-groups.sh {b} --reset-offsets --group group-1 --topic orders --to-offset -3 --execute"
        ),
        format!(
            "kafka-consumer-groups.sh {b} --reset-offsets --group group-1 --topic orders --to-datetime 99999-01-01T00:00 --execute"
        ),
        format!("crash-broker {huge}"),
        format!("sleep {huge}"),
        MARKUP.to_owned(),
        "\"".to_owned(),
    ];
    let (mut console, mut timeline) = quiet();
    for line in &refused {
        assert!(
            !try_line(&mut console, &mut timeline, line),
            "{line:.80} was accepted"
        );
    }
}

#[test]
fn text_that_looks_like_markup_or_a_link_is_kept_as_data() {
    let (mut console, mut timeline) = quiet();
    let b = "--bootstrap-server localhost:9092";
    let huge = "v".repeat(1 << 20);
    for line in [
        format!(
            "kafka-console-producer.sh {b} --topic orders --property parse.key=true --property key.separator=|"
        ),
        format!("{MARKUP}|javascript:alert(1)"),
        format!("k|{huge}"),
        "^D".to_owned(),
        "sleep 2".to_owned(),
    ] {
        try_line(&mut console, &mut timeline, &line);
    }
    let stored: Vec<(Option<String>, Option<usize>)> = (0..3)
        .flat_map(|p| {
            timeline
                .sim()
                .records("orders", kafka_sim::sim::PartitionId(p))
        })
        .map(|r| {
            (
                r.key.as_deref().map(str::to_owned),
                r.value.as_deref().map(str::len),
            )
        })
        .collect();
    assert!(
        stored.contains(&(Some(MARKUP.to_owned()), Some("javascript:alert(1)".len()))),
        "{stored:?}"
    );
}

#[test]
fn links_and_files_that_are_not_ours() {
    let huge = "A".repeat(1 << 20);
    for link in [
        String::new(),
        "#".to_owned(),
        "kp1.".to_owned(),
        format!("kp1.{huge}"),
        "javascript:alert(1)".to_owned(),
        format!("kp1.{MARKUP}"),
        "kp2.AAAA".to_owned(),
    ] {
        let error = Shared::from_link(&link).expect_err("refused");
        assert!(error.starts_with("link: "), "{error}");
    }
    for file in [
        b"".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x41],
        MARKUP.as_bytes().to_vec(),
        b"{\"format\":\"kafka-playground/2\"}".to_vec(),
        huge.as_bytes().to_vec(),
    ] {
        let error = Shared::from_file(&file).expect_err("refused");
        assert!(error.starts_with("file: "), "{error}");
    }
}

#[test]
fn lesson_files_from_a_teacher_are_refused_with_their_line_or_kept_as_text() {
    use kafka_sim::lesson::Lesson;
    let huge = "# x\n".repeat(1 << 18);
    let refused: [(&str, &str, &str); 9] = [
        ("empty.lesson", "", "empty.lesson has no title"),
        (
            "huge.lesson",
            &huge,
            "huge.lesson: 1048576 bytes, more than the 65536",
        ),
        (
            "markup.lesson",
            MARKUP,
            "markup.lesson line 1: \"<img src=x onerror=alert(1)>\" is not key: value",
        ),
        (
            "key.lesson",
            "<b>: x\n",
            "key.lesson line 1: \"<b>\" is not a key (the keys are",
        ),
        (
            "goal.lesson",
            "exercise: e\ngoal: <script>\n",
            "goal.lesson line 2: goal \"<script>\" is not one the playground can check (the goals:",
        ),
        (
            "point.lesson",
            "step: s\npoint: javascript:alert(1)\n",
            "point.lesson line 2: point: \"javascript:alert(1)\" is not one of",
        ),
        (
            "scenario.lesson",
            "scenario: ../../etc\n",
            "scenario.lesson line 1: scenario: \"../../etc\" is not one of empty, starter, quiet, busy, large",
        ),
        (
            "order.lesson",
            "exercise: e\nstep: s\n",
            "order.lesson line 2: step: comes before the first exercise:",
        ),
        (
            "\u{fffd}\u{fffd}.lesson",
            "\u{fffd}\u{fffd}\0A",
            "\u{fffd}\u{fffd}.lesson line 1: ",
        ),
    ];
    for (name, text, message) in refused {
        let error = Lesson::from_file(name, text).expect_err(name);
        assert!(error.starts_with(message), "{name}: {error:.200}");
        assert!(error.len() < 700, "{name}: {} bytes", error.len());
    }
    let kept = format!(
        "title: {MARKUP}\nguide: javascript:alert(1)\nscenario: empty\nstep: {MARKUP}\nexercise: x\ngoal: brokers-running 3\nhint: {MARKUP}\n"
    );
    let lesson = Lesson::from_file("kept.lesson", &kept).expect("markup is text");
    assert_eq!(lesson.title, MARKUP);
    assert_eq!(lesson.steps[0].caption, MARKUP);
    assert_eq!(lesson.guide, "javascript:alert(1)");
}
