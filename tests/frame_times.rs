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
/// was painted, for `ROUNDS` clicks each on a record, or a large topic's partition tile (the
/// Inspector opens; none in a scenario without records) and on the play button (its label
/// changes). Sorted. The check runs once
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
             if (close) {{ close.click(); await until(() => !document.querySelector('.inspected')); }}
             const cells = document.querySelectorAll('.stage [data-testid=record], [data-testid=partition-tile]');
             const cell = cells[i % Math.max(cells.length, 1)];
             let t = performance.now();
             if (cell) {{
               cell.click();
               await until(() => document.querySelector('.inspected'));
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
    timed(browser, &script, "the page answers clicks").await
}

/// Time-travel seek latency: from moving the timeline to a moment (as a drag does, an input
/// event) until the page answers (the clock moves: the nearest snapshot or the moment itself)
/// and until it has settled on the moment, each with one more frame painted, for `ROUNDS`
/// moments spread over the remembered history, paused. Both sorted.
async fn seek_ms(browser: &Browser) -> (Vec<f64>, Vec<f64>) {
    const ROUNDS: u32 = 20;
    let script = format!(
        "const done = arguments[arguments.length - 1];
         const times = [];
         const frame = () => new Promise(r => requestAnimationFrame(() => r()));
         const slider = document.querySelector('[data-testid=timeline]');
         const clock = document.querySelector('[data-testid=clock]');
         const [answered, settled] = [[], []];
         (async () => {{
           const [min, max] = [Number(slider.min), Number(slider.max)];
           for (let i = 0; i < {ROUNDS}; i++) {{
             // Back and forth: every other moment lies behind the one before.
             let to = Math.round((min + (max - min) * (i % 2 ? i / {ROUNDS} : 1 - i / {ROUNDS})) / 100) * 100;
             // A moment other than the one shown, or the clock would not change.
             if (to === Number(slider.value)) to = to === min ? max : min;
             const before = clock.textContent;
             const shown = `t = ${{Math.floor(to / 1000)}}.${{Math.floor(to % 1000 / 100)}} s`;
             const t = performance.now();
             slider.value = String(to);
             slider.dispatchEvent(new Event('input', {{ bubbles: true }}));
             while (clock.textContent === before) await frame();
             await frame();
             answered.push(performance.now() - t);
             while (clock.textContent !== shown) await frame();
             await frame();
             settled.push(performance.now() - t);
           }}
           done([...answered, ...settled]);
         }})();"
    );
    let both = times(browser, &script, "the page seeks").await;
    let (mut answered, mut settled) = (
        both[..both.len() / 2].to_vec(),
        both[both.len() / 2..].to_vec(),
    );
    answered.sort_by(f64::total_cmp);
    settled.sort_by(f64::total_cmp);
    (answered, settled)
}

/// Runs an asynchronous `script` that ends with `done(times)`: its times in ms, sorted.
async fn timed(browser: &Browser, script: &str, what: &str) -> Vec<f64> {
    let mut times = times(browser, script, what).await;
    times.sort_by(f64::total_cmp);
    times
}

/// The times in ms an asynchronous `script` gives to `done`, in its order.
async fn times(browser: &Browser, script: &str, what: &str) -> Vec<f64> {
    let times = browser
        .client
        .execute_async(script, Vec::new())
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    times
        .as_array()
        .map(|a| a.iter().filter_map(|t| t.as_f64()).collect())
        .unwrap_or_default()
}

/// Sets the clock's speed (in quarters: 64 is 16×) as the speed menu does.
async fn set_speed(browser: &Browser, quarters: u32) {
    browser
        .eval(&format!(
            "(() => {{ const s = document.querySelector('[data-testid=speed]'); s.value = '{quarters}'; s.dispatchEvent(new Event('change', {{ bubbles: true }})); }})()"
        ))
        .await;
}

/// "frame gap p50 …, p95 …, max …, n gaps longer than 1.5 refreshes".
fn gaps_told(gaps: &[f64]) -> String {
    // A frame was dropped where the gap spans more than one display refresh (the median).
    let refresh = percentile(gaps, 0.5);
    let dropped = gaps.iter().filter(|g| **g > 1.5 * refresh).count();
    format!(
        "{} frames in {SECONDS} s, frame gap p50 {:.2} ms, p95 {:.2} ms, max {:.1} ms, {dropped} gaps longer than 1.5 refreshes",
        gaps.len(),
        refresh,
        percentile(gaps, 0.95),
        gaps.last().copied().unwrap_or(f64::NAN),
    )
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
        .eval("[...document.querySelectorAll('.stage [data-testid=partition] .cell-next .cell-offset')].reduce((n, e) => n + Number(e.textContent), 0)")
        .await
        .as_u64()
        .unwrap_or(0);
    println!(
        "scenario {scenario}: first render {rendered:.0} ms; at 1x: {}; {records} records in the logs drawn on the stage, {cells} record cells and {nodes} elements in the DOM",
        gaps_told(&gaps)
    );
    set_speed(&browser, 64).await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    println!(
        "scenario {scenario}: at 16x: {}",
        gaps_told(&frame_gaps_ms(&browser).await)
    );
    set_speed(&browser, 4).await;
    let clicks = interaction_ms(&browser).await;
    println!(
        "scenario {scenario}: interaction latency (click to painted answer) over {} clicks: p50 {:.1} ms, max {:.1} ms",
        clicks.len(),
        percentile(&clicks, 0.5),
        clicks.last().copied().unwrap_or(f64::NAN),
    );
    browser
        .eval("(() => { const p = document.querySelector('[data-testid=play]'); if (p.getAttribute('aria-pressed') === 'true') p.click(); })()")
        .await;
    let (answered, settled) = seek_ms(&browser).await;
    println!(
        "scenario {scenario}: time-travel seek over {} moments: answered (the clock moves, painted) p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms; settled on the moment p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        answered.len(),
        percentile(&answered, 0.5),
        percentile(&answered, 0.95),
        answered.last().copied().unwrap_or(f64::NAN),
        percentile(&settled, 0.5),
        percentile(&settled, 0.95),
        settled.last().copied().unwrap_or(f64::NAN),
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
