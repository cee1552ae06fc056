//! Play, pause, step forward and back, the speed of the virtual clock, the timeline to travel
//! through the remembered history, and the keyboard shortcuts for them.

use crate::ui::clock::{SPEEDS, schedule, speed_label};
use crate::ui::playground::{Playground, use_playground};
use crate::ui::reactive::effect;
use crate::ui::shortcuts::ClockAction;
use gloo_timers::callback::Interval;
use kafka_sim::format::virtual_time;
use leptos::prelude::*;

/// Runs the virtual clock while the playground plays, at its speed.
pub fn run_the_clock(pg: Playground) {
    let ticker = StoredValue::new_local(None::<Interval>);
    effect(move || {
        let playing = pg.playing.get();
        let tick_ms = pg.timeline.with_untracked(|t| t.sim().config().tick_ms);
        let (period, ticks) = schedule(tick_ms, pg.speed.get());
        // Replacing the interval drops (cancels) the old one.
        ticker.set_value(playing.then(|| Interval::new(period, move || pg.tick(ticks))));
    });
}

/// The clock's buttons; `minimal` shows only play or pause, step and the speed.
#[component]
pub fn Controls(minimal: bool) -> impl IntoView {
    let pg = use_playground();
    // The remembered history: (start, end, now) in virtual ms.
    let span = move || {
        pg.timeline
            .with(|t| (t.start_ms(), t.end_ms(), t.sim().now_ms()))
    };
    view! {
        <div class="controls" role="toolbar" aria-label="Simulation clock">
            <button
                data-testid="step-back"
                hidden=minimal
                title="Back one tick, as it was then (←)"
                disabled=move || { let (start, _, now) = span(); now <= start }
                on:click=move |_| run(pg, ClockAction::StepBack)
            >
                "← Back"
            </button>
            <button
                data-testid="previous-event"
                hidden=minimal
                title="Back to the previous change: a crash, an election, a rebalance, lost records (p)"
                disabled=move || { let (start, _, now) = span(); now <= start }
                on:click=move |_| run(pg, ClockAction::PreviousEvent)
            >
                "⇤ Prev"
            </button>
            <button
                data-testid="play"
                aria-pressed=move || pg.playing.get().to_string()
                title="Play or pause the virtual clock (space)"
                on:click=move |_| run(pg, ClockAction::PlayPause)
            >
                {move || if pg.playing.get() { "‖ Pause" } else { "▶ Play" }}
            </button>
            <button
                data-testid="step"
                title="Advance virtual time by one tick (→)"
                on:click=move |_| run(pg, ClockAction::StepForward)
            >
                "Step →"
            </button>
            <button
                data-testid="next-event"
                hidden=minimal
                title="Run until the next event happens, at most a minute of virtual time (n)"
                on:click=move |_| run(pg, ClockAction::NextEvent)
            >
                "Next ⇥"
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
            <button
                data-testid="reset"
                hidden=minimal
                title="Start over: the scenario (or the lesson) from its start, a new history and an empty event log; the clock runs on"
                on:click=move |_| crate::ui::session::reset(pg)
            >
                "Reset"
            </button>
            <span class="clock" data-testid="clock" aria-live="off">
                {move || virtual_time(pg.view.with(|v| v.now_ms))}
            </span>
        </div>
    }
}

/// A clock action from a button or a key. Stepping pauses first: a step is for looking closely.
pub fn run(pg: Playground, action: ClockAction) {
    match action {
        ClockAction::PlayPause => pg.playing.update(|playing| *playing = !*playing),
        ClockAction::StepForward => {
            pg.playing.set(false);
            pg.tick(1);
        }
        ClockAction::StepBack => {
            pg.playing.set(false);
            pg.step_back();
        }
        ClockAction::NextEvent => {
            pg.playing.set(false);
            pg.tick_to_event();
        }
        ClockAction::PreviousEvent => {
            pg.playing.set(false);
            pg.previous_event();
        }
    }
}
