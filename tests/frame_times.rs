//! Frame times, first render and interaction latency in headless Chromium, for BENCHMARKS.md:
//! not a test that can pass or fail on speed (machines differ), a measurement. Run by
//! `scripts/perf`; needs `dist/` from `trunk build --release`.

#[path = "browser/harness.rs"]
#[allow(dead_code)]
mod harness;

use harness::{Browser, Screen, Theme};
use kafka_playground::ui::components::app::RENDERED_MARK;

/// How long to record frames.
const SECONDS: u32 = 5;

/// Milliseconds from navigation to the page's first render.
async fn first_render_ms(browser: &Browser) -> f64 {
    let script =
        format!("performance.getEntriesByName('{RENDERED_MARK}').map(m => m.startTime)[0] ?? null");
    browser
        .until("the page marks its first render", || async {
            browser.eval(&script).await.as_f64()
        })
        .await
}

/// The gaps between animation frames over `SECONDS` while the page plays, sorted.
async fn frame_gaps_ms(browser: &Browser) -> Vec<f64> {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         const times = [];
         const end = performance.now() + {SECONDS} * 1000;
         const frame = t => {{ times.push(t); if (t < end) requestAnimationFrame(frame); else done(times); }};
         requestAnimationFrame(frame);"
    );
    let times = browser
        .client
        .execute_async(&script, Vec::new())
        .await
        .expect("the page records its frames");
    let times: Vec<f64> = times
        .as_array()
        .map(|a| a.iter().filter_map(|t| t.as_f64()).collect())
        .unwrap_or_default();
    let mut gaps: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    gaps.sort_by(f64::total_cmp);
    gaps
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Interaction latency: from a click until the page's answer is in the DOM and one more frame
/// was painted, for `ROUNDS` clicks each on a record (the inspector opens; none in a scenario
/// without records) and on the play button (its label changes). Sorted. The check runs once
/// per frame, so one to two frames is as fast as it measures.
async fn interaction_ms(browser: &Browser) -> Vec<f64> {
    const ROUNDS: u32 = 5;
    let script = format!(
        "const done = arguments[arguments.length - 1];
         const times = [];
         const frame = () => new Promise(r => requestAnimationFrame(() => r()));
         const until = async test => {{ while (!test()) await frame(); await frame(); }};
         (async () => {{
           for (let i = 0; i < {ROUNDS}; i++) {{
             const close = document.querySelector('[data-testid=inspector-close]');
             if (close) {{ close.click(); await until(() => !document.querySelector('[data-testid=inspector]')); }}
             const cells = document.querySelectorAll('[data-testid=record]');
             const cell = cells[i % Math.max(cells.length, 1)];
             let t = performance.now();
             if (cell) {{
               cell.click();
               await until(() => document.querySelector('[data-testid=inspector]'));
               times.push(performance.now() - t);
             }}
             const play = document.querySelector('[data-testid=play]');
             const label = play.textContent;
             t = performance.now();
             play.click();
             await until(() => play.textContent !== label);
             times.push(performance.now() - t);
           }}
           done(times);
         }})();"
    );
    let times = browser
        .client
        .execute_async(&script, Vec::new())
        .await
        .expect("the page answers clicks");
    let mut times: Vec<f64> = times
        .as_array()
        .map(|a| a.iter().filter_map(|t| t.as_f64()).collect())
        .unwrap_or_default();
    times.sort_by(f64::total_cmp);
    times
}

async fn measure(scenario: &str) {
    let browser =
        Browser::open_at(Theme::Light, Screen::Wide, &format!("?scenario={scenario}")).await;
    let rendered = first_render_ms(&browser).await;
    // Let the cluster run a little before the frames are counted.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let gaps = frame_gaps_ms(&browser).await;
    let cells = browser.all("[data-testid=record]").await.len();
    let nodes = browser
        .eval("document.getElementsByTagName('*').length")
        .await;
    let records: u64 = browser
        .eval("[...document.querySelectorAll('[data-testid=partition] .cell-next .cell-offset')].reduce((n, e) => n + Number(e.textContent), 0)")
        .await
        .as_u64()
        .unwrap_or(0);
    // A frame was dropped where the gap spans more than one display refresh (the median).
    let refresh = percentile(&gaps, 0.5);
    let dropped = gaps.iter().filter(|g| **g > 1.5 * refresh).count();
    println!(
        "scenario {scenario}: first render {rendered:.0} ms; {} frames in {SECONDS} s, frame gap p50 {:.2} ms, p95 {:.2} ms, max {:.1} ms, {dropped} gaps longer than 1.5 refreshes; {records} records in the logs, {cells} record cells and {nodes} elements in the DOM",
        gaps.len(),
        refresh,
        percentile(&gaps, 0.95),
        gaps.last().copied().unwrap_or(f64::NAN),
    );
    let clicks = interaction_ms(&browser).await;
    println!(
        "scenario {scenario}: interaction latency (click to painted answer) over {} clicks: p50 {:.1} ms, max {:.1} ms",
        clicks.len(),
        percentile(&clicks, 0.5),
        clicks.last().copied().unwrap_or(f64::NAN),
    );
    browser.screenshot(&format!("perf-{scenario}")).await;
    browser.close().await;
}

/// Lighthouse's mobile profile, as Chrome DevTools Protocol settings: 1.6 Mbit/s down,
/// 750 kbit/s up, 150 ms latency, the CPU four times slower.
const MOBILE_DOWN_BYTES_PER_S: u32 = 1_600_000 / 8;
const MOBILE_UP_BYTES_PER_S: u32 = 750_000 / 8;
const MOBILE_LATENCY_MS: u32 = 150;
const MOBILE_CPU_SLOWDOWN: u32 = 4;

/// The first render of `scenario` on the mobile profile, the cache off, the files served
/// gzipped (scripts/perf compresses them as a host would), over `ROUNDS` loads: sorted.
async fn throttled_first_render_ms(scenario: &str) -> Vec<f64> {
    const ROUNDS: usize = 3;
    let browser = Browser::open_at(
        Theme::Light,
        Screen::Phone,
        &format!("?scenario={scenario}"),
    )
    .await;
    browser.cdp("Network.enable", serde_json::json!({})).await;
    browser
        .cdp(
            "Network.setCacheDisabled",
            serde_json::json!({ "cacheDisabled": true }),
        )
        .await;
    browser
        .cdp(
            "Network.emulateNetworkConditions",
            serde_json::json!({
                "offline": false,
                "latency": MOBILE_LATENCY_MS,
                "downloadThroughput": MOBILE_DOWN_BYTES_PER_S,
                "uploadThroughput": MOBILE_UP_BYTES_PER_S,
            }),
        )
        .await;
    browser
        .cdp(
            "Emulation.setCPUThrottlingRate",
            serde_json::json!({ "rate": MOBILE_CPU_SLOWDOWN }),
        )
        .await;
    let mut times = Vec::new();
    for _ in 0..ROUNDS {
        browser.client.refresh().await.expect("reload");
        times.push(first_render_ms(&browser).await);
    }
    let transferred = browser
        .eval("performance.getEntriesByType('resource').reduce((n, r) => n + r.transferSize, 0) + performance.getEntriesByType('navigation')[0].transferSize")
        .await;
    println!(
        "scenario {scenario}: throttled first render (mobile profile: 1.6 Mbit/s, 150 ms, CPU 4x; gzip) {} ms over {ROUNDS} loads; {transferred} bytes transferred",
        times
            .iter()
            .map(|t| format!("{t:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    browser.close().await;
    times.sort_by(f64::total_cmp);
    times
}

#[tokio::test]
#[ignore = "a measurement, not a test: run scripts/perf"]
async fn frame_times_and_first_render() {
    for scenario in ["starter", "busy", "large"] {
        measure(scenario).await;
    }
    for scenario in ["starter", "busy", "large"] {
        throttled_first_render_ms(scenario).await;
    }
}
