//! The stage as a learner watches it: records travelling as tokens into the right partition at
//! the right offset, the head of a log in view, captions where the engine reports something,
//! the timeline's marks and its set-aside future, reduced motion, the starter and the picker.

use super::{clock_ms, fast, pause, playing, produce, speed};
use crate::harness::{Browser, Screen, Theme};
use kafka_sim::sim::partitioner::partition_for_key;
use serde_json::Value;

async fn play(browser: &Browser) {
    if !playing(browser).await {
        browser.click("play").await;
    }
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_record_travels_as_a_token_lands_at_its_offset_and_its_token_opens_the_inspector() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    pause(&browser).await;
    // 0.25×: a token takes 2.8 s to travel.
    speed(&browser, 1).await;
    let partition = partition_for_key(b"user-7", 3);
    produce(&browser, "user-7", "on its way", "").await;
    play(&browser).await;
    // Sent after linger.ms (5 ms): its token leaves producer-1 for orders-<partition>.
    let token =
        format!(".token[data-topic=orders][data-partition=\"{partition}\"][data-offset=\"0\"]");
    let found = browser
        .until("the record's token travels", || async {
            browser.all(&token).await.into_iter().next()
        })
        .await;
    let record = format!(
        "[data-testid=partition][data-partition=\"{partition}\"] [data-testid=record][data-offset=\"0\"]"
    );
    browser
        .until("the record lands in its partition at offset 0", || async {
            browser.all(&record).await.into_iter().next()
        })
        .await;
    // A token moves: a script's click (what a tap does) rather than a pointer chasing it.
    let argument = serde_json::to_value(&found).expect("an element reference");
    let clicked = browser
        .client
        .execute(
            "if (!arguments[0].isConnected) return false; arguments[0].click(); return true;",
            vec![argument],
        )
        .await
        .expect("click the token");
    if clicked == Value::Bool(true) {
        assert_eq!(browser.text("inspect-key").await, "user-7");
        assert_eq!(browser.text("inspect-value").await, "on its way");
    } else {
        // At 0.25× it travels 2.8 s: having already arrived would mean the speed is ignored.
        panic!("the token had gone before it could be clicked");
    }
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_long_log_keeps_its_head_in_view_until_scrolled_back() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    pause(&browser).await;
    for n in 0..30 {
        produce(&browser, "user-7", &format!("r{n}"), "").await;
    }
    // Sent once linger.ms passes.
    browser.click("step").await;
    let partition = partition_for_key(b"user-7", 3);
    let stage_log = format!("[data-testid=partition][data-partition=\"{partition}\"]");
    // The next cell (the log end offset) lies inside the track's visible width.
    let head_in_view = format!(
        "const p = document.querySelector('.stage {stage_log}'); \
         const track = p.querySelector('.track').getBoundingClientRect(); \
         const next = p.querySelector('.cell-next').getBoundingClientRect(); \
         return next.left >= track.left - 1 && next.right <= track.right + 1 \
             && p.querySelector('.cell-next .cell-offset').textContent;"
    );
    browser
        .until("30 records written and the head in view", || async {
            let answer = browser.client.execute(&head_in_view, vec![]).await.ok()?;
            (answer == Value::String("30".into())).then_some(())
        })
        .await;
    // Scrolled back, the log stays where the learner looks; "newest" follows the head again.
    browser
        .client
        .execute(
            &format!("document.querySelector('.stage {stage_log} .track').scrollLeft = -100000"),
            vec![],
        )
        .await
        .expect("scroll back");
    let newest = format!("{stage_log} [data-testid=follow-head]");
    let button = browser
        .until("the newest button shows", || async {
            let button = browser
                .all(&format!(".stage {newest}"))
                .await
                .into_iter()
                .next()?;
            button.is_displayed().await.ok()?.then_some(button)
        })
        .await;
    let oldest_drawn = browser
        .all(&format!(
            ".stage {stage_log} [data-testid=record][data-offset=\"0\"]"
        ))
        .await;
    assert_eq!(oldest_drawn.len(), 1, "scrolled back, offset 0 is drawn");
    browser.click_on(&button, "newest").await;
    browser
        .until("back at the head", || async {
            let answer = browser.client.execute(&head_in_view, vec![]).await.ok()?;
            (answer == Value::String("30".into())).then_some(())
        })
        .await;
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_crash_is_captioned_where_it_happens_and_marked_on_the_timeline() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    fast(&browser).await;
    let partition = partition_for_key(b"user-7", 3);
    produce(&browser, "user-7", "x", "").await;
    let leader = browser
        .all(&format!(
            "[data-testid=partition][data-partition=\"{partition}\"] [data-testid=leader]"
        ))
        .await[0]
        .text()
        .await
        .expect("text");
    let broker = leader.trim_start_matches("leader: broker ").to_owned();
    let crash = browser
        .all(&format!(
            "[data-testid=broker][data-broker=\"{broker}\"] [data-testid=crash-broker]"
        ))
        .await;
    browser.click_on(&crash[0], "crash").await;
    pause(&browser).await;
    // On the broker: the countdown to its fencing.
    let countdown = browser
        .until("the broker counts down to its fencing", || async {
            let countdown = browser
                .all(&format!(
                    "[data-testid=broker][data-broker=\"{broker}\"] [data-testid=fence-countdown]"
                ))
                .await
                .into_iter()
                .next()?;
            let text = countdown.text().await.ok()?;
            text.contains("broker.session.timeout.ms").then_some(text)
        })
        .await;
    assert!(
        countdown.contains("still leader and in sync"),
        "{countdown}"
    );
    // On the partition, once the controller fences the broker: the election with its epoch.
    play(&browser).await;
    browser
        .until("another broker leads", || async {
            let text = browser
                .all(&format!(
                    "[data-testid=partition][data-partition=\"{partition}\"] [data-testid=leader]"
                ))
                .await
                .into_iter()
                .next()?
                .text()
                .await
                .ok()?;
            (text.starts_with("leader: broker ") && text != leader).then_some(())
        })
        .await;
    pause(&browser).await;
    let election = browser
        .all(&format!(
            ".stage [data-testid=partition][data-partition=\"{partition}\"] [data-testid=stage-captions]"
        ))
        .await[0]
        .text()
        .await
        .expect("text");
    assert!(
        election.contains(&format!("new leader: broker {broker} → broker"))
            && election.contains("epoch 1"),
        "{election}"
    );
    let pinned = browser.text("pinned-events").await;
    assert!(
        pinned.contains(&format!("broker {broker} crashed")),
        "{pinned}"
    );
    // The crash is a mark on the timeline; ⇤ Prev goes back to the latest one.
    pause(&browser).await;
    let marks = browser.all("[data-testid=timeline-mark]").await;
    assert!(!marks.is_empty(), "important events are marked");
    let before = clock_ms(&browser).await;
    browser.click("previous-event").await;
    let after = browser
        .until("Prev goes back", || async {
            let now = clock_ms(&browser).await;
            (now < before).then_some(now)
        })
        .await;
    let mut mark_times = Vec::new();
    for mark in browser.all("[data-testid=timeline-mark]").await {
        mark_times.push(
            mark.attr("data-at")
                .await
                .expect("attr")
                .unwrap_or_default(),
        );
    }
    assert!(
        mark_times.contains(&after.to_string()),
        "Prev lands on a mark: {after} in {mark_times:?}"
    );
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn a_command_while_rewound_sets_the_future_aside_and_it_comes_back() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    fast(&browser).await;
    browser
        .until("two virtual seconds", || async {
            (clock_ms(&browser).await >= 2_000).then_some(())
        })
        .await;
    pause(&browser).await;
    let end = clock_ms(&browser).await;
    for _ in 0..5 {
        browser.click("step-back").await;
    }
    browser
        .until("rewound", || async {
            (clock_ms(&browser).await < end).then_some(())
        })
        .await;
    assert!(
        browser
            .find("future-aside")
            .await
            .attr("hidden")
            .await
            .expect("attr")
            .is_some()
    );
    browser.click("add-broker").await;
    let said = browser
        .until("the future is set aside", || async {
            let bar = browser.find("future-aside").await;
            bar.attr("hidden").await.ok()?.is_none().then_some(())?;
            bar.text().await.ok()
        })
        .await;
    assert!(said.contains("set aside"), "{said}");
    assert_eq!(browser.all("[data-testid=broker]").await.len(), 4);
    browser.click("restore-future").await;
    browser
        .until(
            "the old future is back: three brokers and the rewound tag",
            || async {
                let brokers = browser.all("[data-testid=broker]").await.len();
                let rewound = browser
                    .find("rewound")
                    .await
                    .attr("hidden")
                    .await
                    .ok()?
                    .is_none();
                (brokers == 3 && rewound).then_some(())
            },
        )
        .await;
    let timeline = browser.find("timeline").await;
    assert_eq!(
        timeline.attr("max").await.expect("attr"),
        Some(end.to_string()),
        "the history reaches as far as before"
    );
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn with_reduced_motion_no_token_travels_and_every_number_still_moves() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    browser
        .cdp(
            "Emulation.setEmulatedMedia",
            serde_json::json!({"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]}),
        )
        .await;
    // The page reads the preference as it starts.
    browser.client.refresh().await.expect("reload");
    browser.click("tab-actions").await;
    pause(&browser).await;
    let partition = partition_for_key(b"user-7", 3);
    produce(&browser, "user-7", "still", "").await;
    play(&browser).await;
    let hw = format!(
        ".stage [data-testid=partition][data-partition=\"{partition}\"] [data-testid=high-watermark]"
    );
    browser
        .until("the high watermark moves to 1", || async {
            let text = browser
                .all(&hw)
                .await
                .into_iter()
                .next()?
                .text()
                .await
                .ok()?;
            (text == "high watermark 1").then_some(())
        })
        .await;
    // Visually hidden: read as a screen reader does, not as WebDriver's rendered text.
    let told = browser
        .until("the screen reader's line says what travelled", || async {
            let text = browser
                .eval("document.querySelector('[data-testid=stage-told]').textContent")
                .await;
            let text = text.as_str()?.to_owned();
            (!text.is_empty()).then_some(text)
        })
        .await;
    assert!(
        told.contains(&format!("orders-{partition}")),
        "the line names the partition: {told}"
    );
    assert!(browser.all(".token").await.is_empty(), "no token travels");
    browser.close().await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn the_starter_moves_at_once_says_what_to_try_and_the_picker_changes_scenario() {
    let browser = Browser::open_at(Theme::Light, Screen::Wide, "").await;
    let try_first = browser.text("try-first").await;
    assert!(try_first.contains("Try first"), "{try_first}");
    browser
        .until("records flow within the first seconds", || async {
            let drawn = browser.all(".stage [data-testid=record]").await.len();
            (drawn >= 2).then_some(())
        })
        .await;
    browser
        .find("scenario-picker")
        .await
        .select_by(fantoccini::Locator::Css("option[value=\"quiet\"]"))
        .await
        .expect("choose quiet");
    browser
        .until("the quiet scenario has no records", || async {
            browser
                .all(".stage [data-testid=record]")
                .await
                .is_empty()
                .then_some(())
        })
        .await;
    let try_first = browser.text("try-first").await;
    assert!(
        try_first.contains("Nothing moves until you act"),
        "{try_first}"
    );
    browser
        .find("glossary")
        .await
        .click()
        .await
        .expect("open the glossary");
    let glossary = browser.text("glossary").await;
    assert!(glossary.contains("HW (high watermark)"), "{glossary}");
    browser.close().await;
}

/// An offline partition offers an admin's unclean election in the Inspector
/// (`kafka-leader-election.sh --election-type UNCLEAN`): one click and an out-of-sync replica
/// leads, and the partition says how many records that lost.
#[tokio::test]
#[ignore = "needs dist/ and chromedriver: run scripts/test"]
async fn an_offline_partition_comes_back_by_an_unclean_election_that_counts_its_loss() {
    let browser = Browser::open(Theme::Light, Screen::Wide).await;
    pause(&browser).await;
    browser.click("tab-console").await;
    let boot = "--bootstrap-server localhost:9092";
    for line in [
        format!("kafka-topics.sh {boot} --create --topic t --replica-assignment 1:2"),
        format!("kafka-console-producer.sh {boot} --topic t"),
        "a".into(),
        "^D".into(),
        // Broker 2 falls out of the ISR; broker 1 takes a record alone and goes down too.
        "crash-broker 2".into(),
        "sleep 40".into(),
        format!("kafka-console-producer.sh {boot} --topic t"),
        "b".into(),
        "^D".into(),
        "crash-broker 1".into(),
        "restart-broker 2".into(),
        "sleep 15".into(),
    ] {
        browser.console(&line).await;
    }
    browser
        .inspect(".stage [data-testid=partition][data-topic=t] [data-testid=partition-name]")
        .await;
    let leader = || async {
        browser
            .all(".inspected [data-testid=leader]")
            .await
            .into_iter()
            .next()?
            .text()
            .await
            .ok()
    };
    browser
        .until("t-0 is offline", || async {
            (leader().await? == "OFFLINE: no leader").then_some(())
        })
        .await;
    let elect = browser
        .all(".inspected [data-testid=unclean-election]")
        .await;
    browser.click_on(&elect[0], "unclean election").await;
    browser
        .until("broker 2 leads t-0", || async {
            (leader().await? == "leader: broker 2").then_some(())
        })
        .await;
    let lost = browser.all(".inspected .badge-lost").await[0]
        .text()
        .await
        .expect("text");
    assert_eq!(lost, "1 record(s) lost to unclean elections");
    browser.close().await;
}
