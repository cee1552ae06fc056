//! Play, pause and step the virtual clock, and show it.

use crate::ui::format::virtual_time;
use crate::ui::playground::use_playground;
use gloo_timers::callback::Interval;
use leptos::prelude::*;

#[component]
pub fn Controls() -> impl IntoView {
    let pg = use_playground();
    // While playing, one tick of virtual time passes per tick of real time (1×).
    let tick_ms = pg.sim.with_untracked(|sim| sim.config().tick_ms);
    let ticker = StoredValue::new_local(None::<Interval>);
    Effect::new(move |_| {
        let playing = pg.playing.get();
        // Dropping the old interval cancels it.
        ticker.set_value(
            playing
                .then(|| Interval::new(tick_ms.try_into().unwrap_or(u32::MAX), move || pg.tick())),
        );
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
                on:click=move |_| pg.tick()
            >
                "Step →"
            </button>
            <span class="clock" data-testid="clock" aria-live="off">
                {move || virtual_time(pg.view.with(|v| v.now_ms))}
            </span>
        </div>
    }
}
