//! Play, pause, step and the speed of the virtual clock, and the clock itself.

use crate::ui::clock::{SPEEDS, schedule, speed_label};
use crate::ui::format::virtual_time;
use crate::ui::playground::use_playground;
use gloo_timers::callback::Interval;
use leptos::prelude::*;

#[component]
pub fn Controls() -> impl IntoView {
    let pg = use_playground();
    let tick_ms = pg.sim.with_untracked(|sim| sim.config().tick_ms);
    let ticker = StoredValue::new_local(None::<Interval>);
    Effect::new(move |_| {
        let playing = pg.playing.get();
        let (period, ticks) = schedule(tick_ms, pg.speed.get());
        // Replacing the interval drops (cancels) the old one.
        ticker.set_value(playing.then(|| Interval::new(period, move || pg.tick(ticks))));
    });
    view! {
        <div class="controls" role="toolbar" aria-label="Simulation clock">
            <button
                data-testid="play"
                aria-pressed=move || pg.playing.get().to_string()
                on:click=move |_| pg.playing.update(|playing| *playing = !*playing)
            >
                {move || if pg.playing.get() { "‖ Pause" } else { "▶ Play" }}
            </button>
            <button
                data-testid="step"
                title="Advance virtual time by one tick"
                disabled=move || pg.playing.get()
                on:click=move |_| pg.tick(1)
            >
                "Step →"
            </button>
            <label class="speed">
                <span class="visually-hidden">"Speed"</span>
                <select
                    data-testid="speed"
                    aria-label="Speed"
                    on:change=move |ev| {
                        if let Ok(quarters) = event_target_value(&ev).parse::<u32>() {
                            pg.speed.set(quarters);
                        }
                    }
                >
                    {SPEEDS
                        .iter()
                        .map(|&speed| {
                            view! {
                                <option value=speed.to_string() selected=move || pg.speed.get() == speed>
                                    {speed_label(speed)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <span class="clock" data-testid="clock" aria-live="off">
                {move || virtual_time(pg.view.with(|v| v.now_ms))}
            </span>
        </div>
    }
}
