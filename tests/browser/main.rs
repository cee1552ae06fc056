//! Browser tests: the release build driven in headless Chromium, reading the DOM as a learner
//! would see it. They need `dist/` (from `trunk build --release`) and chromedriver, so they are
//! ignored by a plain `cargo test`; scripts/test runs them with `-- --ignored`.

#[path = "../../crates/kafka-sim/tests/support/determinism.rs"]
mod determinism;
mod harness;
mod page;
mod stage;

use harness::{Browser, Screen, Theme};
use kafka_sim::sim::partitioner::{murmur2, partition_for_key};
use std::collections::BTreeMap;

/// The offsets of the records drawn in each partition of the page, read in one script: cells
/// are redrawn as a live log moves, so one found by a WebDriver call may be gone by the next.
async fn records_by_partition(browser: &Browser) -> BTreeMap<u32, Vec<u64>> {
    let read = browser
        .eval(
            "Array.from(document.querySelectorAll('[data-testid=partition]'), p => [Number(p.dataset.partition), \
             Array.from(p.querySelectorAll('[data-testid=record]'), r => Number(r.dataset.offset))])",
        )
        .await;
    let mut drawn = BTreeMap::new();
    for entry in read.as_array().expect("an array of partitions") {
        let partition = entry[0].as_u64().expect("a partition number") as u32;
        let offsets = entry[1].as_array().expect("an array of offsets");
        let offsets = offsets.iter().map(|o| o.as_u64().expect("an offset"));
        drawn.insert(partition, offsets.collect());
    }
    drawn
}

async fn produce(browser: &Browser, key: &str, value: &str, partition: &str) {
    browser.fill("produce-key", key).await;
    browser.fill("produce-value", value).await;
    browser.fill("produce-partition", partition).await;
    browser.click("produce").await;
}

/// Pauses the clock (the page starts playing).
async fn pause(browser: &Browser) {
    if playing(browser).await {
        browser.click("play").await;
    }
}

/// Runs the clock at 16× until group-1 is Stable with consumer-1 holding every partition, then
/// pauses: the group's first rebalance waits group.initial.rebalance.delay.ms (3 s).
async fn settle_group(browser: &Browser) {
    fast(browser).await;
    browser
        .until("group-1 is Stable", || async {
            let state = browser.text("group-state").await;
            let held = browser
                .all("[data-testid=member][data-client=consumer-1] [data-testid=member-partitions]")
                .await;
            let holds = match held.first() {
                Some(e) => e.text().await.ok()?,
                None => return None,
            };
            (state == "Stable" && holds.contains("orders-2")).then_some(())
        })
        .await;
    pause(browser).await;
}

/// Runs the clock at 16×.
async fn fast(browser: &Browser) {
    speed(browser, 64).await;
}

/// Sets the clock's speed in quarters (4 is 1×) with the speed menu.
async fn speed(browser: &Browser, quarters: u32) {
    browser
        .find("speed")
        .await
        .select_by(fantoccini::Locator::Css(&format!(
            "option[value=\"{quarters}\"]"
        )))
        .await
        .unwrap_or_else(|e| panic!("choose speed {quarters}: {e}"));
}

/// Whether the play button says the clock runs.
async fn playing(browser: &Browser) -> bool {
    browser
        .find("play")
        .await
        .attr("aria-pressed")
        .await
        .expect("attr")
        .as_deref()
        == Some("true")
}

/// The page's virtual time in ms.
async fn clock_ms(browser: &Browser) -> u64 {
    let text = browser.text("clock").await;
    let seconds: f64 = text
        .trim_start_matches("t = ")
        .trim_end_matches(" s")
        .parse()
        .unwrap_or_else(|_| panic!("a clock reading, got {text:?}"));
    (seconds * 1000.0).round() as u64
}

/// The leader badge of `partition` ("leader: broker 2" or "OFFLINE: no leader").
async fn leader_text(browser: &Browser, partition: u32) -> String {
    let css =
        format!("[data-testid=partition][data-partition=\"{partition}\"] [data-testid=leader]");
    browser.all(&css).await[0].text().await.expect("text")
}

/// The position marker of consumer-1 in `partition`.
async fn position_marker(browser: &Browser, partition: u32) -> Option<String> {
    let css = format!(
        "[data-testid=partition][data-partition=\"{partition}\"] [data-testid=consumer-position][data-consumer=consumer-1]"
    );
    let marker = browser.all(&css).await.into_iter().next()?;
    marker.attr("data-offset").await.expect("attr")
}

/// producer-1's node on the stage: a click opens it in the Inspector.
const PRODUCER_1: &str = "[data-testid=producer-node][data-producer=producer-1]";
/// group-1's name on the stage: a click opens the group and its consumers in the Inspector.
const GROUP_1: &str = "[data-testid=group][data-group=group-1] [data-testid=group-name]";

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn records_with_one_key_share_a_partition_at_offsets_0_1_2() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    for value in ["a", "b", "c"] {
        produce(&browser, "user-7", value, "").await;
    }
    let drawn = browser
        .until("three records are drawn", || async {
            let drawn = records_by_partition(&browser).await;
            (drawn.values().map(Vec::len).sum::<usize>() == 3).then_some(drawn)
        })
        .await;
    let expected = partition_for_key(b"user-7", 3);
    assert_eq!(drawn.len(), 3, "the starter topic has three partitions");
    for (partition, offsets) in &drawn {
        if *partition == expected {
            assert_eq!(
                offsets,
                &[0, 1, 2],
                "user-7's partition holds offsets 0, 1, 2"
            );
        } else {
            assert!(
                offsets.is_empty(),
                "partition {partition} should be empty: {drawn:?}"
            );
        }
    }
    let record =
        format!("[data-testid=partition][data-partition=\"{expected}\"] [data-testid=record]");
    let title = browser.all(&record).await[0]
        .attr("title")
        .await
        .expect("attr")
        .unwrap_or_default();
    assert!(
        title.contains(&format!("% 3 = {expected}")),
        "the record explains the hash: {title}"
    );
    browser.screenshot("records-same-key").await;
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_partition_beyond_the_topic_is_refused_and_nothing_is_added() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    produce(&browser, "user-7", "kept", "").await;
    browser
        .until("the first record is drawn", || async {
            let drawn = records_by_partition(&browser).await;
            (drawn.values().map(Vec::len).sum::<usize>() == 1).then_some(())
        })
        .await;

    produce(&browser, "user-7", "refused", "7").await;
    let message = browser
        .until("the produce error is shown", || async {
            let error = browser.find("produce-error").await;
            let shown = error.is_displayed().await.expect("displayed");
            let text = error.text().await.expect("text");
            (shown && !text.is_empty()).then_some(text)
        })
        .await;
    assert_eq!(
        message,
        "partition: topic 'orders' has 3 partition(s), so the partition must be 0 to 2 or left empty (got 7; a real producer would wait max.block.ms for it, then time out)"
    );
    let invalid = browser.find("produce-partition").await;
    assert_eq!(
        invalid.attr("aria-invalid").await.expect("attr").as_deref(),
        Some("true")
    );
    let total: usize = records_by_partition(&browser)
        .await
        .values()
        .map(Vec::len)
        .sum();
    assert_eq!(total, 1, "the refused record was not added");
    browser.screenshot("produce-error").await;

    // A good record clears the message.
    produce(&browser, "user-7", "ok", "2").await;
    browser
        .until("the error is hidden again", || async {
            let shown = browser.find("produce-error").await.is_displayed().await;
            (!shown.expect("displayed")).then_some(())
        })
        .await;
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn the_topic_form_explains_bad_names_and_counts() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    let cases = [
        (
            "",
            "3",
            "topic name: Topic name is invalid: the empty string is not allowed",
        ),
        (
            "payments",
            "0",
            "partitions: a topic needs 1 to 64 partitions in this playground (got 0)",
        ),
        (
            "pay ments",
            "3",
            "topic name: Topic name is invalid: 'pay ments' contains one or more characters",
        ),
        ("orders", "3", "topic name: Topic 'orders' already exists."),
        (
            "payments",
            "lots",
            "partitions: \"lots\" is not a whole number",
        ),
    ];
    for (name, partitions, expected) in cases {
        browser.fill("topic-name", name).await;
        browser.fill("topic-partitions", partitions).await;
        browser.fill("topic-replication-factor", "3").await;
        browser.click("create-topic").await;
        let text = browser
            .until("the topic error is shown", || async {
                let text = browser.text("topic-error").await;
                text.starts_with(expected).then_some(text)
            })
            .await;
        assert!(text.starts_with(expected), "{text}");
    }
    assert_eq!(
        browser.all("[data-testid=topic]").await.len(),
        1,
        "no topic was added"
    );
    browser.fill("topic-name", "payments").await;
    browser.fill("topic-partitions", "2").await;
    browser.fill("topic-replication-factor", "4").await;
    browser.click("create-topic").await;
    browser
        .until("the replication factor error is shown", || async {
            browser
                .text("topic-error")
                .await
                .starts_with("replication factor: The target replication factor of 4 cannot be reached because only 3 broker(s) are registered.")
                .then_some(())
        })
        .await;
    browser.fill("topic-replication-factor", "2").await;

    browser.fill("topic-name", "payments").await;
    browser.fill("topic-partitions", "2").await;
    browser.click("create-topic").await;
    browser
        .until("the new topic is drawn", || async {
            (browser.all("[data-testid=topic]").await.len() == 2).then_some(())
        })
        .await;
    assert!(
        !browser
            .find("topic-error")
            .await
            .is_displayed()
            .await
            .expect("displayed")
    );
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn polling_moves_the_consumer_marker_to_offset_3_and_commit_follows() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    settle_group(&browser).await;
    let partition = partition_for_key(b"user-7", 3);
    browser.click("step").await;
    browser
        .until("consumer-1 polled the empty partition", || async {
            (position_marker(&browser, partition).await.as_deref() == Some("0")).then_some(())
        })
        .await;
    for value in ["a", "b", "c"] {
        produce(&browser, "user-7", value, "").await;
    }
    // Paused: the records wait in producer-1's batch until time moves.
    assert_eq!(
        records_by_partition(&browser)
            .await
            .values()
            .map(Vec::len)
            .sum::<usize>(),
        0
    );
    browser.inspect(PRODUCER_1).await;
    assert!(
        browser
            .text("buffered")
            .await
            .contains(&format!("orders-{partition}: 3"))
    );
    // Tick 1: the leader appends and the followers copy; tick 2: the high watermark moves.
    for _ in 0..3 {
        browser.click("step").await;
    }
    browser.inspect(GROUP_1).await;
    browser.click("poll").await;
    browser
        .until("consumer-1's marker is at offset 3", || async {
            (position_marker(&browser, partition).await.as_deref() == Some("3")).then_some(())
        })
        .await;
    let marker = browser
        .all(&format!(
            "[data-testid=partition][data-partition=\"{partition}\"] [data-testid=consumer-position]"
        ))
        .await
        .remove(0);
    assert!(
        marker.is_displayed().await.expect("displayed"),
        "the marker is visible"
    );
    let row = format!(
        "[data-testid=consumer-row][data-partition=\"{partition}\"] [data-testid=position]"
    );
    assert_eq!(browser.all(&row).await[0].text().await.expect("text"), "3");
    let hw =
        format!("[data-testid=partition][data-partition=\"{partition}\"] [data-testid=hw-marker]");
    assert_eq!(
        browser.all(&hw).await[0]
            .attr("data-offset")
            .await
            .expect("attr")
            .as_deref(),
        Some("3")
    );

    browser.click("commit").await;
    let committed = format!(
        "[data-testid=partition][data-partition=\"{partition}\"] [data-testid=committed-offset]"
    );
    browser
        .until("the committed marker is at 3", || async {
            let marker = browser.all(&committed).await.into_iter().next()?;
            (marker.attr("data-offset").await.ok()??.as_str() == "3").then_some(())
        })
        .await;
    browser.screenshot("consumer-at-3").await;
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn step_play_and_speed_move_virtual_time() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    pause(&browser).await;
    let paused = clock_ms(&browser).await;
    browser.click("step").await;
    browser
        .until("one step adds 0.1 s", || async {
            (clock_ms(&browser).await == paused + 100).then_some(())
        })
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        clock_ms(&browser).await,
        paused + 100,
        "paused, the clock stands still"
    );
    fast(&browser).await;
    browser.click("play").await;
    let started = std::time::Instant::now();
    let from = clock_ms(&browser).await;
    browser
        .until("16× runs 4 s of virtual time in well under 4 s", || async {
            (clock_ms(&browser).await >= from + 4_000).then_some(())
        })
        .await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_crashed_leader_is_replaced_and_the_broker_rejoins_after_restart() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    fast(&browser).await;
    let partition = partition_for_key(b"user-7", 3);
    produce(&browser, "user-7", "before", "").await;
    let leader = leader_text(&browser, partition).await;
    let broker: u32 = leader
        .trim_start_matches("leader: broker ")
        .parse()
        .unwrap_or_else(|_| panic!("a leader, got {leader:?}"));
    let card = format!("[data-testid=broker][data-broker=\"{broker}\"]");
    let crash = browser
        .all(&format!("{card} [data-testid=crash-broker]"))
        .await;
    browser.click_on(&crash[0], "crash").await;
    let new_leader = browser
        .until(
            "another broker leads after the controller fences the crashed one",
            || async {
                let text = leader_text(&browser, partition).await;
                (text.starts_with("leader: broker ") && text != leader).then_some(text)
            },
        )
        .await;
    let card_status = browser.all(&card).await[0]
        .attr("data-status")
        .await
        .expect("attr");
    assert_eq!(
        card_status.as_deref(),
        Some("fenced"),
        "the crashed broker is fenced"
    );
    let replica = format!(
        "[data-testid=partition][data-partition=\"{partition}\"] [data-testid=replica][data-broker=\"{broker}\"]"
    );
    assert_eq!(
        browser.all(&replica).await[0]
            .attr("data-role")
            .await
            .expect("attr")
            .as_deref(),
        Some("out-of-sync")
    );
    let moved = format!(
        "orders-{partition} leader broker {broker} → {}",
        new_leader.trim_start_matches("leader: ")
    );
    let log = browser.text("event-log").await;
    assert!(log.contains(&moved), "{moved:?} in the event log: {log}");
    browser.click("tab-charts").await;
    browser
        .until(
            "the replication chart shows the under-replicated partitions",
            || async {
                let latest = browser
                    .find("replication-chart")
                    .await
                    .attr("data-latest")
                    .await
                    .ok()??;
                (latest == "in-sync replicas: 6, under-replicated partitions: 3").then_some(())
            },
        )
        .await;
    browser.screenshot("leader-moved").await;

    let restart = browser
        .all(&format!("{card} [data-testid=restart-broker]"))
        .await;
    browser.click_on(&restart[0], "restart").await;
    browser
        .until("the restarted broker is back in sync", || async {
            let role = browser
                .all(&replica)
                .await
                .into_iter()
                .next()?
                .attr("data-role")
                .await
                .ok()??;
            (role == "follower").then_some(())
        })
        .await;
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_second_consumer_makes_the_group_rebalance_and_share_the_partitions() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    settle_group(&browser).await;
    let generation = browser.text("generation").await;
    assert_eq!(generation, "generation 1");
    browser.click("start-consumer").await;
    browser.click("play").await;
    let member = |client: &'static str| {
        format!("[data-testid=member][data-client={client}] [data-testid=member-partitions]")
    };
    browser
        .until(
            "range shares the partitions: consumer-1 takes the extra",
            || async {
                let mut shares = Vec::new();
                for client in ["consumer-1", "consumer-2"] {
                    let held = browser
                        .all(&member(client))
                        .await
                        .into_iter()
                        .next()?
                        .text()
                        .await
                        .ok()?;
                    if held == "nothing" {
                        return None;
                    }
                    shares.push(held);
                }
                let expected = shares == ["orders-0, orders-1", "orders-2"];
                (expected && browser.text("group-state").await == "Stable").then_some(())
            },
        )
        .await;
    assert_eq!(browser.text("generation").await, "generation 2");
    let log = browser.text("event-log").await;
    assert!(
        log.contains("gave up orders-0, orders-1, orders-2"),
        "eager: everything given up first: {log}"
    );
    browser.screenshot("rebalanced").await;
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn dark_theme_and_narrow_screen() {
    let background = "getComputedStyle(document.body).backgroundColor";
    let light = Browser::open(Theme::Light, Screen::Wide).await;
    let light_bg = light.eval(background).await;
    light.close().await;

    let dark = Browser::open(Theme::Dark, Screen::Wide).await;
    produce(&dark, "user-7", "dark", "").await;
    produce(&dark, "", "no key", "").await;
    dark.inspect(GROUP_1).await;
    dark.click("poll").await;
    let dark_bg = dark.eval(background).await;
    assert_ne!(
        light_bg, dark_bg,
        "the dark theme changes the page background"
    );
    dark.screenshot("dark").await;
    // The toggle: system (dark here) → light → dark.
    let theme = "document.documentElement.dataset.theme";
    assert_eq!(dark.eval(theme).await, "dark");
    dark.click("theme-toggle").await;
    assert_eq!(
        dark.find("theme-toggle")
            .await
            .attr("aria-label")
            .await
            .expect("a label"),
        Some("Theme: light".to_owned())
    );
    assert_eq!(dark.eval(theme).await, "light");
    assert_eq!(
        dark.eval(background).await,
        light_bg,
        "light by choice on a dark system"
    );
    dark.click("theme-toggle").await;
    assert_eq!(dark.eval(theme).await, "dark");
    assert_eq!(dark.eval(background).await, dark_bg);
    dark.close().await;

    let narrow = Browser::open(Theme::Light, Screen::Phone).await;
    produce(&narrow, "user-7", "narrow", "").await;
    let page_width = narrow.eval("document.documentElement.scrollWidth").await;
    let viewport = narrow.eval("window.innerWidth").await;
    assert_eq!(
        page_width, viewport,
        "nothing sticks out sideways at 390 px"
    );
    narrow.screenshot("narrow").await;
    narrow.close().await;
}

/// The number of records drawn in all partitions.
async fn record_count(browser: &Browser) -> usize {
    browser.all("[data-testid=record]").await.len()
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn clicking_a_record_opens_the_inspector_with_the_hash_arithmetic() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    produce(&browser, "user-7", "paid", "").await;
    let partition = partition_for_key(b"user-7", 3);
    let css =
        format!("[data-testid=partition][data-partition=\"{partition}\"] [data-testid=record]");
    let record = browser
        .until("the record is drawn", || async {
            browser.all(&css).await.into_iter().next()
        })
        .await;
    browser.click_on(&record, "the record").await;
    let why = browser.text("inspect-why-this-partition").await;
    let hash = murmur2(b"user-7");
    assert!(
        why.contains(&format!("murmur2(\"user-7\") = {hash}")),
        "the inspector shows the hash: {why}"
    );
    assert!(
        why.contains(&format!("% 3 partitions = {partition}")),
        "the inspector shows the modulo: {why}"
    );
    assert_eq!(browser.text("inspect-key").await, "user-7");
    assert_eq!(browser.text("inspect-value").await, "paid");
    browser
        .until("the record is replicated", || async {
            let text = browser.text("inspect-replication").await;
            text.starts_with("below the high watermark").then_some(())
        })
        .await;
    assert_eq!(
        browser.text("inspect-acks").await,
        "acks=all: acknowledged once every in-sync replica had it"
    );
    browser.screenshot("inspector").await;
    browser.click("inspector-close").await;
    browser
        .until("the inspector closes", || async {
            browser
                .all("[data-testid=inspector]")
                .await
                .is_empty()
                .then_some(())
        })
        .await;
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn stepping_back_restores_the_earlier_state_and_forward_replays_it() {
    const LEFT: char = '\u{E012}';
    const RIGHT: char = '\u{E014}';
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    pause(&browser).await;
    let before = clock_ms(&browser).await;
    produce(&browser, "user-7", "a", "").await;
    for _ in 0..3 {
        browser.press(RIGHT).await;
    }
    browser
        .until("three steps forward draw the record", || async {
            (clock_ms(&browser).await == before + 300 && record_count(&browser).await == 1)
                .then_some(())
        })
        .await;
    for _ in 0..3 {
        browser.press(LEFT).await;
    }
    browser
        .until("three steps back remove the record again", || async {
            (clock_ms(&browser).await == before && record_count(&browser).await == 0).then_some(())
        })
        .await;
    let rewound = browser.find("rewound").await;
    assert_eq!(
        rewound.attr("hidden").await.expect("attr"),
        None,
        "the page says it is replaying"
    );
    assert_eq!(browser.text("rewound").await, "replaying: 0.3 s behind");
    browser.screenshot("stepped-back").await;
    browser.click("step").await;
    browser.click("step").await;
    browser.click("step").await;
    browser
        .until("stepping forward replays the produce", || async {
            (clock_ms(&browser).await == before + 300 && record_count(&browser).await == 1)
                .then_some(())
        })
        .await;
    assert!(
        browser
            .find("rewound")
            .await
            .attr("hidden")
            .await
            .expect("attr")
            .is_some(),
        "back at the latest moment"
    );
    browser.close().await;
}

/// Chooses `value` in the select with `testid`.
async fn choose(browser: &Browser, testid: &str, value: &str) {
    browser
        .find(testid)
        .await
        .select_by(fantoccini::Locator::Css(&format!(
            "option[value=\"{value}\"]"
        )))
        .await
        .unwrap_or_else(|e| panic!("choose {value} in {testid}: {e}"));
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_refused_producer_config_is_explained_and_adds_nothing() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    choose(&browser, "producer-acks", "1").await;
    browser.click("add-producer").await;
    let error = browser.text("producer-form-error").await;
    assert!(
        error.starts_with("acks: Must set acks to all in order to use the idempotent producer"),
        "{error}"
    );
    let acks = browser.find("producer-acks").await;
    assert_eq!(
        acks.attr("aria-invalid").await.expect("attr").as_deref(),
        Some("true")
    );
    assert_eq!(
        browser.all("[data-testid=producer-node]").await.len(),
        1,
        "still one producer"
    );
    browser.fill("producer-linger", "-1").await;
    browser.click("add-producer").await;
    browser
        .until("the linger.ms message", || async {
            (browser.text("producer-form-error").await == "linger.ms: -1 is negative; 0 or more ms")
                .then_some(())
        })
        .await;
    browser.fill("generator-rate", "0").await;
    browser.click("start-generator").await;
    assert_eq!(
        browser.text("generator-form-error").await,
        "records/s: must be 1 to 10,000,000 (got 0)"
    );
    browser.inspect(PRODUCER_1).await;
    assert!(browser.all("[data-testid=generator]").await.is_empty());
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_generator_sends_until_stopped() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    fast(&browser).await;
    browser.fill("generator-rate", "50").await;
    browser.click("start-generator").await;
    browser.inspect(PRODUCER_1).await;
    browser.find("generator").await;
    browser
        .until("generated records fill the partitions", || async {
            (record_count(&browser).await >= 40).then_some(())
        })
        .await;
    browser.click("tab-charts").await;
    let throughput = browser
        .find("throughput-chart")
        .await
        .attr("data-latest")
        .await
        .expect("attr")
        .unwrap_or_default();
    let lines: Vec<&str> = throughput
        .split(", ")
        .map(|l| l.split(':').next().unwrap_or(""))
        .collect();
    assert_eq!(
        lines,
        ["orders-0", "orders-1", "orders-2"],
        "a line per partition: {throughput}"
    );
    browser.click("stop-generator").await;
    browser
        .until("the generator is gone", || async {
            browser
                .all("[data-testid=generator]")
                .await
                .is_empty()
                .then_some(())
        })
        .await;
    pause(&browser).await;
    let after_stop = record_count(&browser).await;
    // What was buffered when it stopped still goes out; nothing new is made.
    browser.click("flush").await;
    for _ in 0..5 {
        browser.click("step").await;
    }
    let settled = record_count(&browser).await;
    for _ in 0..10 {
        browser.click("step").await;
    }
    assert_eq!(
        record_count(&browser).await,
        settled,
        "no records after the stop ({after_stop} then)"
    );
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn an_aborted_transaction_stays_in_the_log_marked_aborted() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    fast(&browser).await;
    browser.fill("producer-transactional-id", "tx-1").await;
    browser.click("add-producer").await;
    browser
        .inspect("[data-testid=producer-node][data-producer=producer-2]")
        .await;
    browser.click("begin-transaction").await;
    browser
        .until("the transaction is open", || async {
            (browser.text("transaction-state").await == "transaction open").then_some(())
        })
        .await;
    browser.click("tab-actions").await;
    choose(&browser, "produce-producer", "producer-2").await;
    produce(&browser, "user-7", "doomed", "").await;
    let partition = partition_for_key(b"user-7", 3);
    let in_partition =
        |what: &str| format!("[data-testid=partition][data-partition=\"{partition}\"] {what}");
    browser
        .until("the transactional record is written", || async {
            (!browser
                .all(&in_partition("[data-testid=record]"))
                .await
                .is_empty())
            .then_some(())
        })
        .await;
    browser
        .inspect("[data-testid=producer-node][data-producer=producer-2]")
        .await;
    browser.click("abort-transaction").await;
    browser
        .until("the abort marker follows the record", || async {
            let marker = browser.all(&in_partition(".record.control")).await;
            let aborted = browser.all(&in_partition(".record.aborted")).await;
            (marker.len() == 1 && aborted.len() == 1).then_some(())
        })
        .await;
    let aborted = browser.all(&in_partition(".record.aborted")).await;
    browser.click_on(&aborted[0], "the aborted record").await;
    let transaction = browser.text("inspect-transaction").await;
    assert!(transaction.starts_with("ABORTED"), "{transaction}");
    browser.screenshot("aborted-transaction").await;
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_large_log_draws_only_the_cells_in_view() {
    let browser = Browser::open_at(Theme::Light, Screen::Wide, "?scenario=large").await;
    // Drawn at its setup first, then its 100 s of warm-up simulated a slice at a time.
    browser
        .until("the warm-up is done", || async {
            (clock_ms(&browser).await >= 100_000).then_some(())
        })
        .await;
    pause(&browser).await;
    // 64 partitions are tiles on the stage; a tile's log opens in the Inspector.
    assert!(
        browser.all("[data-testid=partition-tile]").await.len() >= 64,
        "a large topic's partitions are tiles"
    );
    browser
        .inspect("[data-testid=partition-tile][data-partition=\"0\"]")
        .await;
    let first = ".inspected [data-testid=partition][data-partition=\"0\"]";
    let log_end: u64 = browser
        .until("the partition's log in the Inspector", || async {
            browser
                .all(&format!("{first} .cell-next .cell-offset"))
                .await
                .into_iter()
                .next()
        })
        .await
        .text()
        .await
        .expect("text")
        .parse()
        .expect("the log end offset");
    assert!(log_end > 2_000, "partition 0 holds {log_end} records");
    // Read in one script, as the cells are redrawn while the log scrolls: a cell found by
    // one WebDriver call may be gone by the next.
    let offsets = || async {
        let read = browser
            .eval(&format!(
                "Array.from(document.querySelectorAll('{first} [data-testid=record]'), c => Number(c.dataset.offset))"
            ))
            .await;
        read.as_array()
            .expect("an array of offsets")
            .iter()
            .map(|o| o.as_u64().expect("an offset"))
            .collect::<Vec<u64>>()
    };
    let drawn = offsets().await;
    assert!(
        (1..=60).contains(&drawn.len()),
        "{} cells drawn of {log_end}",
        drawn.len()
    );
    assert_eq!(drawn.last(), Some(&(log_end - 1)), "the log shows its head");
    // Scrolled to its start (the log lays out from its head: scrollLeft runs negative).
    browser
        .eval(&format!(
            "(() => {{ const t = document.querySelector('{first} .track'); t.scrollLeft = -t.scrollWidth; }})()"
        ))
        .await;
    let oldest = browser
        .until(
            "scrolling to the start draws the oldest records",
            || async {
                let drawn = offsets().await;
                (drawn.len() <= 60 && drawn.last()? < &(log_end / 2)).then_some(drawn)
            },
        )
        .await;
    assert!(
        oldest.len() <= 60,
        "{} cells drawn at the start",
        oldest.len()
    );
    browser.screenshot("large-log-start").await;
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn an_unknown_scenario_in_the_address_is_reported_as_text() {
    let browser =
        Browser::open_at(Theme::Light, Screen::Wide, "?scenario=%3Cimg%20src%3Dx%3E").await;
    // The address is decoded, then shown as text.
    assert_eq!(
        browser.text("notice-text").await,
        "scenario: \"<img src=x>\" is not one of starter, quiet, busy, large; showing the starter scenario"
    );
    assert!(
        browser.all("img").await.is_empty(),
        "the address is never markup"
    );
    assert_eq!(
        browser.all("[data-testid=partition]").await.len(),
        3,
        "the starter runs"
    );
    // A link and a pasted 30 KB (a server refuses much longer addresses): text, cut short.
    for (query, shown) in [
        ("?scenario=javascript:alert(1)", "\"javascript:alert(1)\""),
        (
            &*format!("?scenario={}", "x".repeat(30_000)),
            "… (30000 bytes)",
        ),
    ] {
        browser
            .client
            .goto(&format!("{}{query}", browser.url))
            .await
            .expect("navigate");
        let message = browser.text("notice-text").await;
        assert!(
            message.contains(shown) && message.len() < 200,
            "{message:.200}"
        );
        assert!(browser.all("a").await.is_empty(), "no link made of it");
    }
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn altering_a_topic_and_resetting_offsets_follow_kafkas_rules() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    let placeholder = browser
        .find("config-value")
        .await
        .attr("placeholder")
        .await
        .expect("attr");
    assert_eq!(
        placeholder.as_deref(),
        Some("now 604800000"),
        "retention.ms's default, 7 days"
    );
    browser.fill("config-value", "soon").await;
    browser.click("alter-topic").await;
    let error = browser.text("topic-config-error").await;
    assert!(error.starts_with("retention.ms: "), "{error}");
    choose(&browser, "config-key", "partitions").await;
    browser.fill("config-value", "4").await;
    browser.click("alter-topic").await;
    browser
        .until("the topic has a fourth partition", || async {
            (browser.all("[data-testid=partition]").await.len() == 4).then_some(())
        })
        .await;
    browser.fill("config-value", "2").await;
    browser.click("alter-topic").await;
    let error = browser.text("topic-config-error").await;
    assert!(error.starts_with("partitions: "), "{error}");
    assert_eq!(
        browser.all("[data-testid=partition]").await.len(),
        4,
        "nothing changed"
    );

    // Give group-1 a committed offset to reset: consumer-1 reads a record and closes, which
    // commits (enable.auto.commit).
    produce(&browser, "user-7", "read once", "").await;
    browser
        .until("consumer-1 has read the record", || async {
            let css =
                "[data-testid=consumer-position][data-consumer=consumer-1][data-offset=\"1\"]";
            (!browser.all(css).await.is_empty()).then_some(())
        })
        .await;
    browser.inspect(GROUP_1).await;
    browser.click("reset-offsets").await;
    let error = browser.text("reset-offsets-error").await;
    assert!(
        error
            .starts_with("group: Assignments can only be reset if the group 'group-1' is inactive"),
        "{error}"
    );
    browser.click("close-consumer").await;
    browser
        .until("the group is empty", || async {
            (browser.text("group-state").await == "Empty").then_some(())
        })
        .await;
    choose(&browser, "reset-spec", "to-offset").await;
    browser.fill("reset-value", "first").await;
    browser.click("reset-offsets").await;
    let error = browser.text("reset-offsets-error").await;
    assert!(
        error.starts_with("offset: \"first\" is not a whole number"),
        "{error}"
    );
    let committed_at_1 = "[data-testid=committed-offset][data-group=group-1][data-offset=\"1\"]";
    assert_eq!(
        browser.all(committed_at_1).await.len(),
        1,
        "the committed offset stays at 1"
    );
    choose(&browser, "reset-spec", "to-earliest").await;
    browser.click("reset-offsets").await;
    browser
        .until(
            "the committed offset goes back to the log start",
            || async {
                let css = "[data-testid=committed-offset][data-group=group-1][data-offset=\"0\"]";
                (!browser.all(css).await.is_empty()).then_some(())
            },
        )
        .await;
    let error = browser.find("reset-offsets-error").await;
    assert!(
        error.attr("hidden").await.expect("attr").is_some(),
        "the reset was accepted"
    );
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_broker_can_be_added_and_reset_starts_over() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    browser.click("add-broker").await;
    browser
        .until("a fourth broker joins", || async {
            (browser.all("[data-testid=broker]").await.len() == 4).then_some(())
        })
        .await;
    produce(&browser, "user-7", "gone after reset", "").await;
    browser
        .until("the record is drawn", || async {
            (record_count(&browser).await == 1).then_some(())
        })
        .await;
    let before = clock_ms(&browser).await;
    browser.click("reset").await;
    browser
        .until("the quiet scenario again, from its start", || async {
            let brokers = browser.all("[data-testid=broker]").await.len();
            (brokers == 3 && record_count(&browser).await == 0 && clock_ms(&browser).await < before)
                .then_some(())
        })
        .await;
    assert!(playing(&browser).await, "Reset leaves the clock running");
    browser.close().await;
}

/// The `data-` attribute `name` of every element matching `css`.
async fn attrs(browser: &Browser, css: &str, name: &str) -> Vec<String> {
    let mut values = Vec::new();
    for element in browser.all(css).await {
        values.push(element.attr(name).await.ok().flatten().unwrap_or_default());
    }
    values
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_record_waits_in_the_batch_lands_on_the_leader_and_commits_when_replicated() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    pause(&browser).await;
    browser.fill("producer-name", "slow").await;
    browser.fill("producer-linger", "60000").await;
    browser.click("add-producer").await;
    browser.find("produce-producer").await;
    choose(&browser, "produce-producer", "slow").await;
    produce(&browser, "user-7", "lingering", "").await;
    browser.click("step").await;
    let incoming = "[data-testid=partition][data-partition=\"2\"] [data-testid=incoming]";
    let waiting = browser
        .until("the record waits in slow's batch (linger.ms)", || async {
            let chips = browser.all(incoming).await;
            chips.first()?.text().await.ok()
        })
        .await;
    assert_eq!(waiting, "slow ▸ 1 in its batch");
    assert_eq!(record_count(&browser).await, 0, "not sent yet");
    browser
        .inspect("[data-testid=producer-node][data-producer=slow]")
        .await;
    browser.click("flush").await;
    browser.click("step").await;
    // Landed on the leader and fetched by the followers in the same tick; not below the high
    // watermark until the leader has seen them fetch it.
    let cell = browser
        .until("the record is in orders-2's log", || async {
            browser.all("[data-testid=record]").await.into_iter().next()
        })
        .await;
    assert!(browser.all(incoming).await.is_empty(), "the batch left");
    let class = cell.attr("class").await.expect("attr").unwrap_or_default();
    assert!(
        class.contains("uncommitted"),
        "above the high watermark: {class}"
    );
    assert_eq!(
        attrs(
            &browser,
            "[data-testid=partition][data-partition=\"2\"] [data-testid=replica]",
            "data-fetching"
        )
        .await,
        ["0", "0", "0"]
    );
    browser.screenshot("record-landed").await;
    browser.click("step").await;
    browser
        .until("the high watermark passes it", || async {
            let class = browser
                .all("[data-testid=record]")
                .await
                .into_iter()
                .next()?
                .attr("class")
                .await
                .ok()??;
            (!class.contains("uncommitted")).then_some(())
        })
        .await;
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn an_eager_rebalance_shows_every_partition_revoked_and_handed_back() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    settle_group(&browser).await;
    let chips = |client: &'static str| {
        format!("[data-testid=member][data-client={client}] [data-testid=chip]")
    };
    browser.click("start-consumer").await;
    // Next event, again and again, until the second member holds partitions: time stops
    // right after the hand-over, while it is drawn.
    let before = clock_ms(&browser).await;
    browser
        .until("consumer-2 is given partitions", || async {
            browser.click("next-event").await;
            let held = attrs(&browser, &chips("consumer-2"), "data-chip").await;
            (!held.is_empty()).then_some(())
        })
        .await;
    assert!(
        clock_ms(&browser).await > before,
        "next event moved time on"
    );
    // Range is eager: consumer-1 revoked all three and got orders-0 and orders-1 back.
    let consumer_1 = attrs(&browser, &chips("consumer-1"), "data-chip").await;
    let consumer_2 = attrs(&browser, &chips("consumer-2"), "data-chip").await;
    assert_eq!(
        consumer_1,
        ["chip-reassigned", "chip-reassigned", "chip-revoked"]
    );
    assert_eq!(consumer_2, ["chip-assigned"]);
    let gave_up = browser
        .all("[data-testid=member][data-client=consumer-1] [data-testid=member-gave-up]")
        .await;
    assert_eq!(gave_up[0].text().await.expect("text"), "· gave up orders-2");
    let told = browser
        .all("[data-testid=member][data-client=consumer-1] [data-testid=member-moves]")
        .await;
    assert_eq!(
        told[0]
            .prop("textContent")
            .await
            .expect("text")
            .unwrap_or_default(),
        "orders-0 revoked and assigned back; orders-1 revoked and assigned back; orders-2 revoked"
    );
    browser.screenshot("eager-rebalance").await;
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn the_consumer_form_sets_commit_mode_and_offset_reset_and_refuses_bad_numbers() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    pause(&browser).await;
    browser.fill("consumer-max-poll", "0").await;
    browser.click("start-consumer").await;
    assert_eq!(
        browser.text("consumer-form-error").await,
        "max.poll.records: 0 is out of range; 1 to 2147483647 records per poll"
    );
    browser.inspect(GROUP_1).await;
    assert_eq!(
        browser.all("[data-testid=consumer]").await.len(),
        1,
        "nothing started"
    );
    browser.click("tab-actions").await;
    browser.fill("consumer-max-poll", "2").await;
    choose(&browser, "consumer-auto-commit", "false").await;
    choose(&browser, "consumer-offset-reset", "latest").await;
    choose(&browser, "consumer-isolation", "read_committed").await;
    browser.click("start-consumer").await;
    browser.inspect(GROUP_1).await;
    let settings = browser
        .until("consumer-2 starts", || async {
            let card = browser
                .all("[data-testid=consumer][data-consumer=consumer-2]")
                .await;
            card.first()?.text().await.ok()
        })
        .await;
    for setting in [
        "enable.auto.commit=false",
        "auto.offset.reset=latest",
        "isolation.level=read_committed",
        "max.poll.records=2",
    ] {
        assert!(settings.contains(setting), "{setting} in {settings}");
    }
    browser.click("tab-actions").await;
    assert!(browser.text("consumer-form-error").await.is_empty());
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn the_page_runs_under_a_strict_content_security_policy_and_may_be_framed() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    let policy = browser
        .eval("document.querySelector('meta[http-equiv=Content-Security-Policy]').content")
        .await;
    let policy = policy.as_str().expect("the page carries its policy");
    let directives: Vec<&str> = policy.split("; ").collect();
    assert!(
        directives.contains(&"script-src 'self' 'wasm-unsafe-eval'"),
        "{policy}"
    );
    assert!(directives.contains(&"style-src 'self'"), "{policy}");
    for directive in directives {
        // Only style attributes, which cannot run code, may be inline (see scripts/finish-build).
        let inline_allowed = directive == "style-src-attr 'unsafe-inline'";
        for refused in ["'unsafe-inline'", "'unsafe-eval'", "frame-ancestors", "*"] {
            assert!(
                inline_allowed || !directive.contains(refused),
                "{refused} in {policy}"
            );
        }
    }

    // The page at work: records drawn with their markers, the inspector, the charts, time travel.
    pause(&browser).await;
    produce(&browser, "user-1", "<b>hello</b>", "").await;
    browser.click("step").await;
    browser.click("step").await;
    let record = browser.find("record").await;
    browser.click_on(&record, "a record").await;
    browser.find("inspector").await;
    browser.click("step-back").await;
    fast(&browser).await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;

    assert_eq!(browser.csp_reports(), Vec::<String>::new(), "no violations");

    // The check can fail: an inline script is refused and reported.
    browser
        .eval(
            "(() => { const s = document.createElement('script'); \
             s.textContent = 'window.inlineRan = true'; document.body.append(s); return true; })()",
        )
        .await;
    let reports = browser
        .until("the inline script is reported", || async {
            let reports = browser.csp_reports();
            (!reports.is_empty()).then_some(reports)
        })
        .await;
    assert!(reports[0].contains("script-src"), "{reports:?}");
    // Reports are sent as they happen: one about the page would have come before this one.
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert_eq!(
        browser.eval("window.inlineRan === undefined").await,
        serde_json::Value::Bool(true),
        "the inline script did not run"
    );

    // Framed by a page of another origin, as a guide embeds it: it starts there too, and
    // reports nothing.
    browser.open_framed_by_another_origin().await;
    assert_eq!(
        browser.csp_reports().len(),
        1,
        "{:?}",
        browser.csp_reports()
    );
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_trap_in_the_webassembly_shows_the_error_screen_not_a_frozen_page() {
    for (theme, screen) in [(Theme::Light, Screen::Wide), (Theme::Dark, Screen::Phone)] {
        let browser = Browser::open(theme, screen).await;
        assert!(browser.all("[data-testid=crash]").await.is_empty());
        browser.raise_a_trap().await;
        let screen_shown = browser.find("crash").await;
        let text = screen_shown.text().await.expect("text");
        assert!(text.contains("The playground stopped"), "{text}");
        browser
            .screenshot(&format!("error-screen-{theme:?}-{screen:?}"))
            .await;
        assert_eq!(
            browser
                .eval("document.querySelector('.workspace').inert")
                .await,
            serde_json::Value::Bool(true),
            "the page behind cannot be used"
        );
        assert_eq!(
            browser.eval("document.activeElement.dataset.testid").await,
            serde_json::Value::String("crash-reload".to_owned()),
            "the reload link has the focus"
        );
        let report = browser
            .eval("document.querySelector('[data-testid=crash-report]').textContent")
            .await;
        let report = report.as_str().expect("the report's text");
        assert!(report.contains("unreachable"), "{report}");
        assert!(
            report.contains(&format!("Address: {}", browser.url)),
            "{report}"
        );
        browser.click("crash-reload").await;
        browser
            .until("the reloaded page runs without the screen", || async {
                let fresh = browser.all("[data-testid=crash]").await.is_empty()
                    && !browser.all("[data-testid=produce-form]").await.is_empty();
                fresh.then_some(())
            })
            .await;
        browser.close().await;
    }
}

/// The page that runs the determinism workload in the browser (examples/determinism_wasm.rs,
/// built into target/determinism-web by scripts/test) and shows its state hashes.
const DETERMINISM_PAGE: &str = r#"<!doctype html><meta charset="utf-8"><title>Determinism</title>
<script type="module">
import init, { state_hashes } from "./determinism_wasm.js";
await init();
const shown = document.createElement("pre");
shown.dataset.testid = "hashes";
shown.textContent = state_hashes();
document.body.append(shown);
</script>"#;

#[tokio::test]
#[ignore = "needs target/determinism-web and chromedriver: run scripts/test"]
async fn the_same_seeds_and_commands_reach_the_same_state_in_the_browser_as_natively() {
    let root = harness::project_dir().join("target/determinism-web");
    std::fs::write(root.join("index.html"), DETERMINISM_PAGE)
        .expect("target/determinism-web exists: scripts/test builds it");
    let browser = Browser::open_page(root, "", "hashes", Theme::Light, Screen::Wide).await;
    let shown = browser
        .eval("document.querySelector('[data-testid=hashes]').textContent")
        .await;
    browser.close().await;
    let shown = shown.as_str().unwrap_or_default();
    let in_browser: Vec<(String, String)> = shown
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .map(|(name, hash)| (name.to_owned(), hash.to_owned()))
        .collect();
    let native = determinism::state_hashes();
    assert!(native.len() >= 15, "{native:?}");
    assert!(
        native.iter().all(|(_, hash)| !hash.starts_with("error")),
        "{native:?}"
    );
    let busy: std::collections::BTreeSet<_> = native
        .iter()
        .filter(|(name, _)| name.starts_with("busy, seed"))
        .map(|(_, hash)| hash)
        .collect();
    assert_eq!(busy.len(), 4, "each seed leads somewhere else: {native:?}");
    assert_eq!(in_browser, native);
}

/// What a bad input must lead to.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Refused: the form's message names this field and the page is as it was.
    Refused(&'static str),
    /// Accepted and shown as text (this JS expression is the text shown).
    Kept(&'static str),
}

/// A markup payload: it would set `window.pwned` if it ever ran as markup.
const MARKUP: &str = "'<img src=x onerror=\"window.pwned=1\">'";
/// The same for the rows where it is kept, a different one each, so each row finds its own.
const KEY_MARKUP: &str = "'<img src=x alt=key onerror=\"window.pwned=1\">'";
const NAME_MARKUP: &str = "'<img src=x alt=name onerror=\"window.pwned=1\">'";
/// 1 MiB of text.
const HUGE: &str = "'9'.repeat(1 << 20)";

/// Every form's text fields with out-of-range, empty, huge, ill-formed (a lone UTF-16
/// surrogate: what a browser has instead of non-UTF-8) and malicious inputs. Each row: the
/// form's submit button and message, the field, the input as a JS expression, the outcome.
#[rustfmt::skip]
const BAD_INPUTS: &[(&str, &str, &str, &str, Expect)] = &[
    ("produce", "produce-error", "produce-partition", "'-1'", Expect::Refused("partition")),
    ("produce", "produce-error", "produce-partition", "'3'", Expect::Refused("partition")),
    ("produce", "produce-error", "produce-partition", "'99999999999999999999'", Expect::Refused("partition")),
    ("produce", "produce-error", "produce-partition", MARKUP, Expect::Refused("partition")),
    ("produce", "produce-error", "produce-partition", HUGE, Expect::Refused("partition")),
    ("produce", "produce-error", "produce-value", HUGE, Expect::Refused("max.request.size")),
    ("produce", "produce-error", "produce-key", HUGE, Expect::Refused("max.request.size")),
    ("produce", "produce-error", "produce-key", KEY_MARKUP, Expect::Kept(KEY_MARKUP)),
    ("produce", "produce-error", "produce-value", "'javascript:window.pwned=1'", Expect::Kept("'javascript:window.pwned=1'")),
    ("produce", "produce-error", "produce-key", "'a\\uD800b'", Expect::Kept("'a\\uFFFDb'")),
    ("start-generator", "generator-form-error", "generator-rate", "'0'", Expect::Refused("records/s")),
    ("start-generator", "generator-form-error", "generator-rate", "''", Expect::Refused("records/s")),
    ("start-generator", "generator-form-error", "generator-rate", "'10000001'", Expect::Refused("records/s")),
    ("start-generator", "generator-form-error", "generator-rate", HUGE, Expect::Refused("records/s")),
    ("start-generator", "generator-form-error", "generator-key-count", "'0'", Expect::Refused("keys")),
    ("start-generator", "generator-form-error", "generator-key-count", MARKUP, Expect::Refused("keys")),
    ("add-producer", "producer-form-error", "producer-name", "''", Expect::Refused("producer")),
    ("add-producer", "producer-form-error", "producer-name", "'producer-1'", Expect::Refused("producer")),
    ("add-producer", "producer-form-error", "producer-name", HUGE, Expect::Refused("producer")),
    ("add-producer", "producer-form-error", "producer-transactional-id", HUGE, Expect::Refused("transactional.id")),
    ("add-producer", "producer-form-error", "producer-linger", "'-1'", Expect::Refused("linger.ms")),
    ("add-producer", "producer-form-error", "producer-linger", HUGE, Expect::Refused("linger.ms")),
    ("add-producer", "producer-form-error", "producer-batch-size", "'-1'", Expect::Refused("batch.size")),
    ("add-producer", "producer-form-error", "producer-batch-size", "'1e3'", Expect::Refused("batch.size")),
    ("add-producer", "producer-form-error", "producer-name", NAME_MARKUP, Expect::Kept(NAME_MARKUP)),
    ("create-topic", "topic-error", "topic-name", "''", Expect::Refused("topic name")),
    ("create-topic", "topic-error", "topic-name", "'..'", Expect::Refused("topic name")),
    ("create-topic", "topic-error", "topic-name", MARKUP, Expect::Refused("topic name")),
    ("create-topic", "topic-error", "topic-name", "'a'.repeat(1 << 20)", Expect::Refused("topic name")),
    ("create-topic", "topic-error", "topic-name", "'orders'", Expect::Refused("topic name")),
    ("create-topic", "topic-error", "topic-partitions", "'0'", Expect::Refused("partitions")),
    ("create-topic", "topic-error", "topic-partitions", "'10000'", Expect::Refused("partitions")),
    ("create-topic", "topic-error", "topic-partitions", "''", Expect::Refused("partitions")),
    ("create-topic", "topic-error", "topic-partitions", HUGE, Expect::Refused("partitions")),
    ("create-topic", "topic-error", "topic-replication-factor", "'0'", Expect::Refused("replication factor")),
    ("create-topic", "topic-error", "topic-replication-factor", "'4'", Expect::Refused("replication factor")),
    ("alter-topic", "topic-config-error", "config-value", "'-5'", Expect::Refused("retention.ms")),
    ("alter-topic", "topic-config-error", "config-value", "'99999999999999999999'", Expect::Refused("retention.ms")),
    ("alter-topic", "topic-config-error", "config-value", MARKUP, Expect::Refused("retention.ms")),
    ("alter-topic", "topic-config-error", "config-value", HUGE, Expect::Refused("retention.ms")),
    ("start-consumer", "consumer-form-error", "consumer-name", "''", Expect::Refused("consumer")),
    ("start-consumer", "consumer-form-error", "consumer-group", "''", Expect::Refused("group.id")),
    ("start-consumer", "consumer-form-error", "consumer-topics", "''", Expect::Refused("subscription")),
    ("start-consumer", "consumer-form-error", "consumer-topics", MARKUP, Expect::Refused("topic")),
    ("start-consumer", "consumer-form-error", "consumer-topics", HUGE, Expect::Refused("topic")),
    ("start-consumer", "consumer-form-error", "consumer-name", HUGE, Expect::Refused("consumer")),
    ("start-consumer", "consumer-form-error", "consumer-group", HUGE, Expect::Refused("group.id")),
    ("start-consumer", "consumer-form-error", "consumer-processing", "'-1'", Expect::Refused("processing")),
    ("start-consumer", "consumer-form-error", "consumer-max-poll", "'0'", Expect::Refused("max.poll.records")),
    ("start-consumer", "consumer-form-error", "consumer-max-poll", HUGE, Expect::Refused("max.poll.records")),
    ("reset-offsets", "reset-offsets-error", "reset-value", MARKUP, Expect::Refused("offset")),
    ("reset-offsets", "reset-offsets-error", "reset-value", HUGE, Expect::Refused("offset")),
];

/// What the page shows of the cluster: the event log, the records, topics, producers and
/// consumers. A refused input leaves it as it was.
const PAGE_STATE: &str = "[document.querySelector('[data-testid=event-log]').textContent, \
    ...['record', 'topic', 'producer-node', 'group', 'member'].map(t => \
    document.querySelectorAll(`[data-testid=${t}]`).length)].join('|')";

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn bad_input_in_every_form_field_is_refused_or_kept_as_text() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    pause(&browser).await;
    // Rows about a topic's counts need a good name beside them.
    browser.fill("topic-name", "checked").await;
    let mut failures = Vec::new();
    let mut group_inspected = false;
    for &(submit, message, field, input, expect) in BAD_INPUTS {
        // The offset reset is the group's, in the Inspector.
        if submit == "reset-offsets" && !group_inspected {
            browser.inspect(GROUP_1).await;
            choose(&browser, "reset-spec", "to-offset").await;
            group_inspected = true;
        }
        let row = format!("{field} = {}", &input[..input.len().min(40)]);
        let before = browser.eval(PAGE_STATE).await;
        let old = browser
            .eval(&format!(
                "(() => {{ const e = document.querySelector('[data-testid={field}]'); \
                 const old = e.value; e.value = {input}; \
                 e.dispatchEvent(new Event('input', {{ bubbles: true }})); return old; }})()"
            ))
            .await;
        browser.click(submit).await;
        let shown = browser
            .eval(&format!(
                "document.querySelector('[data-testid={message}]')?.textContent ?? ''"
            ))
            .await;
        let shown = shown.as_str().unwrap_or_default().to_owned();
        let after = browser.eval(PAGE_STATE).await;
        match expect {
            Expect::Refused(names) => {
                if !shown.starts_with(names) || shown.chars().count() > 400 {
                    failures.push(format!("{row}: message {shown:.300}"));
                }
                if before != after {
                    failures.push(format!("{row}: the page changed"));
                }
            }
            Expect::Kept(text) => {
                // A record reaches its partition's log after linger.ms.
                for _ in 0..5 {
                    browser.click("step").await;
                }
                let found = browser
                    .eval(&format!("document.body.textContent.includes({text})"))
                    .await;
                if !shown.is_empty() || found != serde_json::Value::Bool(true) {
                    failures.push(format!("{row}: not kept as text ({shown:?})"));
                }
            }
        }
        let markup = browser
            .eval("document.querySelectorAll('img, a[href]').length + (window.pwned ? 1 : 0)")
            .await;
        if markup != serde_json::json!(0) {
            failures.push(format!("{row}: rendered as markup"));
        }
        browser
            .eval(&format!(
                "(() => {{ const e = document.querySelector('[data-testid={field}]'); \
                 e.value = {old}; e.dispatchEvent(new Event('input', {{ bubbles: true }})); \
                 return true; }})()"
            ))
            .await;
    }
    browser.close().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
