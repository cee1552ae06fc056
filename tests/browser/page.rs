//! The page's regions, lessons, console, sharing, embedding and export, driven as a learner, a
//! teacher and a guide website would.

use super::{clock_ms, fast, pause, produce, records_by_partition};
use crate::harness::{Browser, Screen, Theme};
use serde_json::Value;
use std::time::Duration;

/// The playground's state hash, as the Share box shows it (the box is closed again).
async fn state_hash(browser: &Browser) -> String {
    browser.click("share").await;
    let hash = browser.text("share-hash").await;
    browser.click("menu-box-close").await;
    hash
}

/// The link the Share box offers.
async fn share_link(browser: &Browser) -> String {
    browser.click("share").await;
    let link = browser
        .find("share-link")
        .await
        .prop("value")
        .await
        .expect("the link")
        .expect("a value");
    browser.click("menu-box-close").await;
    link
}

/// The status of exercise `n` ("✓ Solved" or "○ Not yet").
async fn exercise_status(browser: &Browser, n: usize) -> String {
    browser.text(&format!("exercise-status-{n}")).await
}

/// The console's output, line by line.
async fn console_lines(browser: &Browser) -> Vec<String> {
    let lines = browser
        .eval("[...document.querySelectorAll('[data-testid=console-output] .line')].map(l => l.textContent)")
        .await;
    serde_json::from_value(lines).expect("lines of text")
}

/// Writes `text` to a file under the system's temporary folder and gives it to the `<input
/// type=file>` with `testid`, as a learner choosing the file would.
async fn choose_file(browser: &Browser, testid: &str, name: &str, bytes: &[u8]) {
    let folder =
        std::env::temp_dir().join(format!("kafka-playground-files-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("a folder");
    let path = folder.join(name);
    std::fs::write(&path, bytes).expect("the file");
    browser
        .find(testid)
        .await
        .send_keys(&path.to_string_lossy())
        .await
        .expect("choose the file");
}

/// Makes the page keep what it offers to download (`URL.createObjectURL` of a Blob) as text in
/// `window.downloaded`, name and contents.
const CATCH_DOWNLOADS: &str = "window.downloaded = []; \
    const made = URL.createObjectURL; \
    URL.createObjectURL = blob => { const url = made(blob); blob.text().then(text => window.downloaded.push(text)); return url; }; \
    const click = HTMLAnchorElement.prototype.click; \
    HTMLAnchorElement.prototype.click = function () { window.downloadNames = (window.downloadNames || []).concat(this.download); }; \
    return true;";

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_lesson_is_walked_with_do_it_and_its_exercise_solved_by_console_and_forms() {
    let browser = Browser::open_at(Theme::Light, Screen::Wide, "?lesson=partition").await;
    assert_eq!(
        browser.text("lesson-title").await,
        "Partitions: where a record goes"
    );
    assert_eq!(
        browser
            .eval("document.querySelector('.stage').dataset.spot")
            .await,
        "topics",
        "the first step points at the topics, which stand out"
    );
    browser.click("step-next").await;
    browser.click("do-it").await;
    // "Do it" types the step's lines in the console, where the learner sees them.
    browser
        .until("the step's lines ran in the console", || async {
            let lines = console_lines(&browser).await;
            lines.iter().any(|l| l == ">user-1:paid").then_some(())
        })
        .await;
    browser
        .until("user-1's three records are in one partition", || async {
            let drawn = records_by_partition(&browser).await;
            drawn
                .values()
                .any(|offsets| offsets.len() == 3)
                .then_some(())
        })
        .await;
    // To the exercise: it is open.
    browser.click("step-dot-5").await;
    assert_eq!(exercise_status(&browser, 1).await, "○ Not yet");
    // Three records with key user-7 typed in the console: not the five asked for.
    for line in [
        "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=:",
        "user-7:one",
        "user-7:two",
        "user-7:three",
        "^D",
        "sleep 2",
    ] {
        browser.console(line).await;
    }
    fast(&browser).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        exercise_status(&browser, 1).await,
        "○ Not yet",
        "three records are not five"
    );
    // Two more with the Produce form: now the goal holds, and ✓ appears.
    browser.click("tab-actions").await;
    produce(&browser, "user-7", "four", "").await;
    produce(&browser, "user-7", "five", "").await;
    browser.click("tab-lessons").await;
    browser
        .until("the exercise is solved", || async {
            (exercise_status(&browser, 1).await == "✓ Solved").then_some(())
        })
        .await;
    let said = console_lines(&browser).await;
    assert!(
        said.iter().any(|l| l.starts_with("# ✓ exercise solved")),
        "{said:?}"
    );
    browser.screenshot("lesson-solved").await;
    // Progress is kept, and shown in the list of lessons.
    let kept = browser
        .eval("localStorage.getItem('kafka-playground:progress')")
        .await;
    assert_eq!(kept, "partition 5 1", "{kept}");
    browser.click("lesson-leave").await;
    assert!(
        browser
            .text("lesson-progress-partition")
            .await
            .contains("✓ 4 of 4 steps seen · 1 of 1 exercise solved")
    );
    // It survives a reload; Reset progress forgets it.
    browser.client.refresh().await.expect("reload");
    browser.click("tab-lessons").await;
    assert!(
        browser
            .text("lesson-progress-partition")
            .await
            .contains("1 of 1 exercise solved")
    );
    browser.click("progress-reset").await;
    browser
        .client
        .accept_alert()
        .await
        .expect("confirm the reset");
    assert!(
        browser
            .text("lesson-progress-partition")
            .await
            .contains("0 of 4 steps seen · 0 of 1 exercise solved")
    );
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_deep_link_opens_a_step_and_hints_and_the_solution_come_on_request() {
    let browser = Browser::open_at(Theme::Dark, Screen::Wide, "?lesson=partition&step=3").await;
    assert_eq!(
        browser
            .find("lesson-step")
            .await
            .attr("data-step")
            .await
            .expect("attr"),
        Some("3".to_owned())
    );
    // The steps before it were done, in the console: user-1's records are in.
    let lines = console_lines(&browser).await;
    assert!(lines.iter().any(|l| l == ">user-1:paid"), "{lines:?}");
    assert!(browser.text("step-ask").await.contains("Click a record"));
    browser.click("step-dot-5").await;
    assert!(browser.all("[data-testid=hint]").await.is_empty());
    browser.click("hint-1").await;
    assert_eq!(browser.all("[data-testid=hint]").await.len(), 1);
    browser.click("hint-1").await;
    assert_eq!(browser.all("[data-testid=hint]").await.len(), 2);
    assert!(
        browser
            .find("hint-1")
            .await
            .attr("disabled")
            .await
            .expect("attr")
            .is_some(),
        "no third hint"
    );
    browser.click("solution-1").await;
    assert!(
        browser
            .text("solution-lines-1")
            .await
            .contains("user-7:five")
    );
    assert_eq!(exercise_status(&browser, 1).await, "○ Not yet");
    browser.click("run-solution-1").await;
    browser
        .until("the solution solves it", || async {
            (exercise_status(&browser, 1).await == "✓ Solved").then_some(())
        })
        .await;
    browser.screenshot("lesson-dark").await;
    browser.close().await;
}

const TEACHERS_LESSON: &str = "title: Our <b>own</b> topic\nguide: Kafka Topic\nscenario: empty\n\nstep: We make a topic called shipments.\npoint: topics\ndo: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic shipments --partitions 2\n\nexercise: Give shipments a third partition.\ngoal: topic shipments partitions 3\nhint: kafka-topics.sh --alter\nsolution: kafka-topics.sh --bootstrap-server localhost:9092 --alter --topic shipments --partitions 3\n";

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_teachers_lesson_file_opens_is_checked_line_by_line_and_travels_in_a_link() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    pause(&browser).await;
    let before = state_hash(&browser).await;
    browser.click("tab-lessons").await;
    // A file with a mistake: refused, naming the line and what is allowed; nothing changes.
    choose_file(
        &browser,
        "lesson-file",
        "broken.lesson",
        b"title: t\nguide: g\nscenario: empty\nstep: s\npoint: kitchen\n",
    )
    .await;
    let message = browser.text("notice-text").await;
    assert_eq!(
        message,
        "broken.lesson line 5: point: \"kitchen\" is not one of cluster, topics, producers, consumers, charts, events, forms. The playground is as it was."
    );
    assert_eq!(state_hash(&browser).await, before);
    browser.click("notice-close").await;
    // A good one starts, its markup shown as text.
    choose_file(
        &browser,
        "lesson-file",
        "ours.lesson",
        TEACHERS_LESSON.as_bytes(),
    )
    .await;
    assert_eq!(browser.text("lesson-title").await, "Our <b>own</b> topic");
    assert!(browser.all("b").await.is_empty(), "text, never markup");
    browser.click("do-it").await;
    browser.click("step-next").await;
    assert_eq!(exercise_status(&browser, 1).await, "○ Not yet");
    let link = share_link(&browser).await;
    // Back in the list, the file is listed with the lessons, to start again.
    browser.click("lesson-leave").await;
    assert!(
        browser
            .text("lesson-own")
            .await
            .contains("Our <b>own</b> topic")
    );
    browser.click("lesson-start-own").await;
    assert_eq!(browser.text("lesson-title").await, "Our <b>own</b> topic");
    browser.close().await;

    // Shared as a link like any playground: the lesson comes along.
    let fresh = Browser::open(Theme::Light, Screen::Wide).await;
    let hash = link.split_once('#').map(|(_, h)| h).expect("a fragment");
    fresh
        .client
        .goto(&format!("{}#{hash}", fresh.url))
        .await
        .expect("open the link");
    fresh
        .until("the teacher's lesson opens", || async {
            let titles = fresh.all("[data-testid=lesson-title]").await;
            let title = titles.first()?.text().await.ok()?;
            (title == "Our <b>own</b> topic").then_some(())
        })
        .await;
    fresh.click("tab-console").await;
    fresh
        .console("kafka-topics.sh --bootstrap-server localhost:9092 --alter --topic shipments --partitions 3")
        .await;
    fresh
        .until("the exercise is solved", || async {
            (exercise_status(&fresh, 1).await == "✓ Solved").then_some(())
        })
        .await;
    fresh.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn the_console_has_history_completion_and_a_terminals_keys_and_shows_clicks_as_cli() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    pause(&browser).await;
    browser.click("tab-console").await;
    let input = browser.find("console-input").await;
    // Tab completes the command, the option and the topic.
    input.send_keys("kafka-t\u{E004}").await.expect("tab");
    input
        .send_keys("--bootstrap-server localhost:9092 --desc\u{E004}--topic or\u{E004}")
        .await
        .expect("tab");
    let typed = input.prop("value").await.expect("value").expect("text");
    assert_eq!(
        typed,
        "kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic orders "
    );
    input.send_keys("\u{E007}").await.expect("enter");
    browser
        .until("the tool answers like kafka-topics.sh", || async {
            let lines = console_lines(&browser).await;
            lines
                .iter()
                .any(|l| l.starts_with("Topic: orders\tPartitionCount: 3"))
                .then_some(())
        })
        .await;
    // Several completions are listed.
    input.send_keys("kafka-con\u{E004}").await.expect("tab");
    let lines = console_lines(&browser).await;
    assert!(
        lines.last().is_some_and(
            |l| l.contains("kafka-console-producer.sh") && l.contains("kafka-configs.sh")
        ),
        "{lines:?}"
    );
    browser.fill("console-input", "").await;
    // ↑ brings the last line back, ↓ the draft.
    input.send_keys("draft\u{E013}").await.expect("up");
    assert_eq!(
        input.prop("value").await.expect("value").as_deref(),
        Some("kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic orders ")
    );
    input.send_keys("\u{E015}").await.expect("down");
    assert_eq!(
        input.prop("value").await.expect("value").as_deref(),
        Some("draft")
    );
    browser.fill("console-input", "").await;
    // A console producer: Ctrl+C stops it, sending what it holds, as Kafka's does.
    browser
        .console("kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders")
        .await;
    assert_eq!(browser.text("console-prompt").await, ">");
    browser.console("typed, then interrupted").await;
    input.send_keys("\u{E009}c\u{E000}").await.expect("ctrl+c");
    assert_eq!(browser.text("console-prompt").await, "$");
    browser.click("step").await;
    browser.click("step").await;
    let drawn: usize = records_by_partition(&browser)
        .await
        .values()
        .map(Vec::len)
        .sum();
    assert_eq!(drawn, 1, "the interrupted producer sent its record");
    // Errors read like Kafka's.
    browser
        .console("kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders")
        .await;
    let lines = console_lines(&browser).await;
    assert_eq!(
        lines.last().map(String::as_str),
        Some("Error while executing topic command : Topic 'orders' already exists.")
    );
    // Show as CLI: clicks print the command they equal.
    browser.click("show-cli").await;
    browser.click("add-broker").await;
    browser.click("tab-actions").await;
    browser.fill("topic-name", "audit").await;
    browser.click("create-topic").await;
    browser.click("tab-console").await;
    let lines = console_lines(&browser).await;
    let clicks: Vec<&String> = lines.iter().filter(|l| l.starts_with("click")).collect();
    assert_eq!(
        clicks,
        [
            "click$add-broker",
            "click$kafka-topics.sh --bootstrap-server localhost:9092 --create --topic audit --partitions 3 --replication-factor 3"
        ],
        "{lines:?}"
    );
    // The keys: Esc leaves the console for the page's shortcuts, c comes back to it, also from
    // another tab of the dock, at the first press.
    input.send_keys("\u{E00C}").await.expect("escape");
    browser.click("tab-events").await;
    browser.press('c').await;
    browser
        .until("the console has the focus", || async {
            (browser.eval("document.activeElement.id").await == "console-input").then_some(())
        })
        .await;
    browser.screenshot("console").await;
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_shared_link_opens_the_same_moment_and_a_reload_keeps_the_work() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    fast(&browser).await;
    produce(&browser, "user-3", "shared", "").await;
    browser.click("crash-broker").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    pause(&browser).await;
    let hash = state_hash(&browser).await;
    let clock = clock_ms(&browser).await;
    let link = share_link(&browser).await;
    assert!(link.contains("#kp1."), "{link}");

    // Another browser: the same moment, hash for hash, held still.
    let fresh = Browser::open(Theme::Light, Screen::Wide).await;
    let fragment = link.split_once('#').map(|(_, f)| f).expect("a fragment");
    fresh
        .client
        .goto(&format!("{}#{fragment}", fresh.url))
        .await
        .expect("open the link");
    fresh
        .until("the shared moment", || async {
            (clock_ms(&fresh).await == clock).then_some(())
        })
        .await;
    assert_eq!(state_hash(&fresh).await, hash);
    // The link leaves the address once it is open: what is done after it survives a reload.
    assert_eq!(fresh.eval("location.hash").await, "");
    produce(&fresh, "user-4", "after the link", "").await;
    fresh.click("step").await;
    let moved_on = state_hash(&fresh).await;
    assert_ne!(moved_on, hash);
    fresh.client.refresh().await.expect("reload");
    fresh
        .until("the work after the link is back", || async {
            (clock_ms(&fresh).await == clock + 100).then_some(())
        })
        .await;
    assert_eq!(state_hash(&fresh).await, moved_on);
    fresh.close().await;

    // A reload comes back to the work, and so does the error screen's Reload.
    browser.client.refresh().await.expect("reload");
    browser
        .until("the work is back after a reload", || async {
            (clock_ms(&browser).await == clock).then_some(())
        })
        .await;
    assert_eq!(state_hash(&browser).await, hash);
    browser.raise_a_trap().await;
    browser.click("crash-reload").await;
    browser
        .until("the work is back after the error screen", || async {
            let fresh = browser.all("[data-testid=crash]").await.is_empty();
            (fresh && clock_ms(&browser).await == clock).then_some(())
        })
        .await;
    assert_eq!(state_hash(&browser).await, hash);
    // Start over forgets it.
    browser.raise_a_trap().await;
    browser.click("crash-start-over").await;
    browser
        .until("a new playground", || async {
            let none = records_by_partition(&browser)
                .await
                .values()
                .all(Vec::is_empty);
            (browser.all("[data-testid=crash]").await.is_empty() && none).then_some(())
        })
        .await;
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn save_open_and_export_give_files_and_bad_links_and_files_change_nothing() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    fast(&browser).await;
    produce(&browser, "user-5", "saved", "").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    pause(&browser).await;
    browser
        .client
        .execute(CATCH_DOWNLOADS, Vec::new())
        .await
        .expect("catch downloads");
    browser.click("save").await;
    browser.click("export").await;
    let files: Vec<String> = browser
        .until("both files are made", || async {
            let made = browser.eval("window.downloaded").await;
            let made: Vec<String> = serde_json::from_value(made).ok()?;
            (made.len() == 2).then_some(made)
        })
        .await;
    let names = browser.eval("window.downloadNames").await;
    assert_eq!(names[1], "kafka-playground-export.sh");
    assert!(
        names[0].as_str().is_some_and(|n| n.ends_with(".json")),
        "{names}"
    );
    let saved = &files[0];
    assert!(
        saved.contains("\"format\": \"kafka-playground/3\""),
        "{saved}"
    );
    assert!(saved.contains("\"link\": \"kp1."), "{saved}");
    let bundle = &files[1];
    assert!(bundle.starts_with("#!/usr/bin/env bash"), "{bundle:.200}");
    assert!(
        bundle.contains("cat >\"$dir/compose.yaml\""),
        "{bundle:.400}"
    );
    assert!(
        bundle.contains("docker compose exec -T tools"),
        "{bundle:.400}"
    );
    let hash = state_hash(&browser).await;

    // Bad links: each says why and leaves the playground as it was (files: the matrix below).
    for fragment in [
        "#kp1.garbage",
        "#kp1.",
        &format!("#kp1.{}", "A".repeat(2_000_000)),
    ] {
        browser
            .eval(&format!("(location.hash = '{fragment}', true)"))
            .await;
        let message = browser.text("notice-text").await;
        assert!(message.starts_with("This link: link:"), "{message:.200}");
        browser.click("notice-close").await;
        assert_eq!(state_hash(&browser).await, hash);
    }
    assert_eq!(browser.eval("window.pwned === undefined").await, true);

    // The saved file opens to the same moment.
    let fresh = Browser::open(Theme::Light, Screen::Wide).await;
    choose_file(&fresh, "open-file", "saved.json", saved.as_bytes()).await;
    fresh
        .until("the saved playground opens", || async {
            let lines = console_lines(&fresh).await;
            lines
                .iter()
                .any(|l| l == "# Opened saved.json")
                .then_some(())
        })
        .await;
    assert_eq!(state_hash(&fresh).await, hash);
    fresh.close().await;
    browser.close().await;
}

/// The bad-input matrix's rows for files: a saved playground opened (Open…), a lesson file
/// opened from the Lessons tab. Each is refused with a message that names the file or the
/// field, the playground is as it was, and nothing in it becomes markup.
const BAD_FILES: [(&str, &str, &[u8], &str); 12] = [
    (
        "open-file",
        "empty.json",
        b"",
        "file: not a Kafka Playground file (it is not JSON)",
    ),
    (
        "open-file",
        "other.json",
        b"{\"format\": \"other/1\", \"link\": \"kp1.AA\"}",
        "file: its format is \"other/1\"",
    ),
    (
        "open-file",
        "markup.json",
        b"<img src=x onerror=window.pwned=1>",
        "file: not a Kafka Playground file (it is not JSON)",
    ),
    (
        "open-file",
        "array.json",
        b"[1, 2]",
        "file: not a Kafka Playground file (it has no \"format\"",
    ),
    (
        "open-file",
        "damaged.json",
        b"{\"format\": \"kafka-playground/2\", \"link\": \"kp1.@@\"}",
        "file: link: damaged",
    ),
    (
        "open-file",
        "script.json",
        b"{\"format\": \"kafka-playground/2\", \"link\": \"javascript:alert(1)\"}",
        "file: link: not a Kafka Playground link",
    ),
    (
        "open-file",
        "bytes.lesson",
        &[0xff, 0xfe, 0x00, 0x41],
        "bytes.lesson line 1: ",
    ),
    (
        "lesson-file",
        "empty.lesson",
        b"",
        "empty.lesson has no title",
    ),
    (
        "lesson-file",
        "markup.lesson",
        b"title: <img src=x onerror=window.pwned=1>\n",
        "markup.lesson has no guide",
    ),
    (
        "lesson-file",
        "key.lesson",
        b"<script>: x\n",
        "key.lesson line 1: \"<script>\" is not a key (the keys are",
    ),
    (
        "lesson-file",
        "goal.lesson",
        b"exercise: e\ngoal: fly\n",
        "goal.lesson line 2: goal \"fly\" is not one the playground can check (the goals:",
    ),
    (
        "lesson-file",
        "step.lesson",
        b"title: t\nguide: g\nscenario: moon\n",
        "step.lesson line 3: scenario: \"moon\" is not one of empty, starter, quiet, busy, large",
    ),
];

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn bad_files_and_lesson_files_are_refused_and_change_nothing() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    fast(&browser).await;
    produce(&browser, "user-5", "kept", "").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    pause(&browser).await;
    let hash = state_hash(&browser).await;
    browser.click("tab-lessons").await;
    let mut failures = Vec::new();
    for (input, name, bytes, said) in BAD_FILES {
        choose_file(&browser, input, name, bytes).await;
        let message = browser.text("notice-text").await;
        if !message.starts_with(said) || message.chars().count() > 500 {
            failures.push(format!("{name}: {message:.300}"));
        }
        browser.click("notice-close").await;
        if state_hash(&browser).await != hash {
            failures.push(format!("{name}: the playground changed"));
        }
        let markup = browser
            .eval("document.querySelectorAll('img, script:not([src])').length + (window.pwned ? 1 : 0)")
            .await;
        if markup != 0 {
            failures.push(format!("{name}: rendered as markup"));
        }
    }
    let huge = vec![b'{'; 1_100_000];
    choose_file(&browser, "open-file", "huge.json", &huge).await;
    let message = browser.text("notice-text").await;
    if !message.starts_with("huge.json: 1100000 bytes, more than the 1048576 the playground opens")
    {
        failures.push(format!("huge.json: {message:.200}"));
    }
    browser.close().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The guide site's page: the playground in a frame, a sibling frame of its own, and every
/// message from the playground kept in `window.received`.
const GUIDE: &str = r#"<!doctype html><meta charset="utf-8"><title>A Kafka guide</title>
<iframe id="playground" width="900" height="700"></iframe>
<iframe id="sibling" src="about:blank" width="10" height="10"></iframe>
<script>
const allowed = "ORIGIN" === "this site" ? location.origin : "ORIGIN";
document.getElementById("playground").src = "{playground}?embed=1&panels=lessons,console&autoplay=0&origins=" + encodeURIComponent(allowed);
window.received = [];
addEventListener("message", e => { if (e.data && e.data.source === "kafka-playground") window.received.push(e.data); });
window.send = request => document.getElementById("playground").contentWindow.postMessage(request, "*");
window.sendFromSibling = request => frames[1].eval("parent.frames[0].postMessage(" + JSON.stringify(request) + ", '*')");
</script>"#;

/// Asks the embedded playground where it is (`{type: "state"}`) and waits for the answer.
async fn embedded_state(browser: &Browser) -> Value {
    let asked = received(browser, "state").await.len();
    browser.eval("(send({type: 'state'}), true)").await;
    browser
        .until("the playground says where it is", || async {
            received(browser, "state").await.into_iter().nth(asked)
        })
        .await
}

/// The messages of `kind` the guide received.
async fn received(browser: &Browser, kind: &str) -> Vec<Value> {
    let all = browser.eval("window.received").await;
    all.as_array()
        .map(|a| a.iter().filter(|m| m["type"] == kind).cloned().collect())
        .unwrap_or_default()
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn an_embedded_playground_answers_its_guide_and_ignores_foreign_messages() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    let site = browser
        .open_guide(&GUIDE.replace("ORIGIN", "this site"))
        .await;
    browser
        .until("the playground says it is ready", || async {
            (!received(&browser, "ready").await.is_empty()).then_some(())
        })
        .await;
    let heights = received(&browser, "height").await;
    assert!(
        heights
            .iter()
            .any(|h| h["px"].as_f64().is_some_and(|px| px > 100.0))
    );

    // Requests in: a console line, steps, a lesson; answers and events out.
    browser
        .eval("(send({type: 'run', line: 'kafka-topics.sh --bootstrap-server x:9092 --create --topic guide --partitions 2'}), true)")
        .await;
    let output = browser
        .until("the console's answer", || async {
            received(&browser, "output").await.into_iter().next()
        })
        .await;
    assert_eq!(output["failed"], false);
    assert_eq!(output["lines"][0]["text"], "Created topic guide.");
    browser
        .until("the engine's events in words", || async {
            let events = received(&browser, "events").await;
            events
                .iter()
                .flat_map(|m| m["events"].as_array().cloned().unwrap_or_default())
                .any(|e| {
                    e["text"]
                        .as_str()
                        .is_some_and(|t| t.starts_with("created topic guide"))
                })
                .then_some(())
        })
        .await;
    browser
        .eval("(send({type: 'lesson', id: 'topic'}), true)")
        .await;
    browser
        .eval("(send({type: 'run', line: 'kafka-topics.sh --bootstrap-server x:9092 --create --topic payments --partitions 2'}), true)")
        .await;
    let solved = browser
        .until("the exercise is reported solved", || async {
            received(&browser, "exercise-solved")
                .await
                .into_iter()
                .next()
        })
        .await;
    assert_eq!(solved["lesson"], "topic");
    assert_eq!(solved["exercise"], 1);

    // Where it is: asked for by message.
    let before = embedded_state(&browser).await;
    browser.eval("(send({type: 'step', ticks: 5}), true)").await;
    let after = embedded_state(&browser).await;
    assert_eq!(
        after["now_ms"].as_f64(),
        before["now_ms"].as_f64().map(|ms| ms + 500.0),
        "five ticks later"
    );

    // Malformed requests from the guide: refused with a reason, counted, never applied.
    for request in [
        "'just text'",
        "{type: 42}",
        "{type: 'run'}",
        "{type: '<img src=x onerror=window.pwned=1>'}",
        "{type: 'seek', ms: -5}",
        "{type: 'load', scenario: 'moon'}",
        "{type: 'load', link: 'kp1.damaged!'}",
    ] {
        browser.eval(&format!("(send({request}), true)")).await;
    }
    let refused = browser
        .until("seven refusals", || async {
            let refused = received(&browser, "refused").await;
            (refused.len() == 7).then_some(refused)
        })
        .await;
    assert_eq!(
        refused[0]["reason"],
        "a request is an object such as {type: \"play\"}"
    );
    assert_eq!(refused[2]["reason"], "line: missing");
    // A message from another window (the sibling frame) is ignored and counted, not answered.
    browser
        .eval("(sendFromSibling({type: 'load', scenario: 'busy'}), true)")
        .await;
    browser
        .client
        .clone()
        .enter_frame(0)
        .await
        .expect("into the frame");
    browser
        .until("eight ignored", || async {
            let count = browser
                .eval("document.documentElement.dataset.ignoredMessages")
                .await;
            (count == "8").then_some(())
        })
        .await;
    assert!(browser.all("img").await.is_empty());
    browser
        .client
        .clone()
        .enter_parent_frame()
        .await
        .expect("out");
    assert_eq!(
        embedded_state(&browser).await["hash"],
        after["hash"],
        "nothing applied"
    );
    assert_eq!(received(&browser, "refused").await.len(), 7);
    assert_eq!(browser.eval("window.pwned === undefined").await, true);
    browser.screenshot("embedded").await;
    drop(site);

    // Framed by a site the address does not allow: its requests are ignored, and what the
    // playground says goes only to the origin it allows, not to this site.
    let other = browser
        .open_guide(&GUIDE.replace("ORIGIN", "https://guide.example"))
        .await;
    let frame = || async {
        browser
            .client
            .clone()
            .enter_frame(0)
            .await
            .expect("into the frame")
    };
    let parent = || async {
        browser
            .client
            .clone()
            .enter_parent_frame()
            .await
            .expect("out")
    };
    frame().await;
    browser.find("clock").await;
    parent().await;
    browser
        .eval("(send({type: 'pause'}), send({type: 'step', ticks: 3}), true)")
        .await;
    frame().await;
    browser
        .until("both ignored", || async {
            let count = browser
                .eval("document.documentElement.dataset.ignoredMessages")
                .await;
            (count == "2").then_some(())
        })
        .await;
    parent().await;
    assert_eq!(browser.eval("window.received.length").await, 0);
    drop(other);
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn the_regions_collapse_resize_and_stack_on_a_phone() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    let visible = |testid: &'static str| {
        let browser = &browser;
        async move {
            browser
                .eval(&format!(
                    "document.querySelector('[data-testid={testid}]').checkVisibility()"
                ))
                .await
                == true
        }
    };
    assert!(visible("produce-form").await);
    browser.press('s').await;
    assert!(!visible("produce-form").await, "s hides the side panel");
    browser.press('s').await;
    assert!(visible("produce-form").await);
    browser.click("dock-toggle").await;
    assert!(!visible("event-log").await);
    browser.click("dock-toggle").await;
    // The side panel's edge: arrow keys make it wider or narrower, within bounds.
    let width = "document.querySelector('.side').getBoundingClientRect().width";
    let was = browser.eval(width).await.as_f64().expect("a width");
    let edge = browser.find("side-resizer").await;
    edge.send_keys("\u{E012}\u{E012}")
        .await
        .expect("left twice");
    let now = browser.eval(width).await.as_f64().expect("a width");
    assert_eq!(now, was + 48.0);
    // Kept for the next visit.
    let kept = browser
        .eval("localStorage.getItem('kafka-playground:layout')")
        .await;
    assert!(
        kept.as_str()
            .is_some_and(|k| k.contains(&format!(",open,{};", now as u32))),
        "{kept}"
    );
    browser.screenshot("regions-light").await;
    browser.close().await;

    for theme in [Theme::Light, Theme::Dark] {
        let phone = Browser::open(theme, Screen::Phone).await;
        let top =
            |css: &str| format!("document.querySelector('{css}').getBoundingClientRect().top");
        let stage = phone.eval(&top(".stage")).await.as_f64().expect("top");
        let side = phone.eval(&top(".side")).await.as_f64().expect("top");
        let dock = phone.eval(&top(".dock")).await.as_f64().expect("top");
        assert!(
            stage < side && side < dock,
            "stacked: {stage} {side} {dock}"
        );
        let page_width = phone.eval("document.documentElement.scrollWidth").await;
        assert_eq!(
            page_width,
            phone.eval("window.innerWidth").await,
            "nothing sticks out"
        );
        phone.screenshot(&format!("regions-phone-{theme:?}")).await;
        phone.close().await;
    }
}
