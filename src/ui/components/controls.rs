//! Play, pause, step forward and back, the speed of the virtual clock, the timeline to travel
//! through the remembered history, and the keyboard shortcuts for them.

use crate::ui::clock::{SPEEDS, schedule, speed_label};
use crate::ui::format::{seconds, virtual_time};
use crate::ui::playground::{Playground, use_playground};
use crate::ui::shortcuts::{Shortcut, shortcut};
use gloo_timers::callback::Interval;
use leptos::ev;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

#[component]
pub fn Controls() -> impl IntoView {
    let pg = use_playground();
    let tick_ms = pg.timeline.with_untracked(|t| t.sim().config().tick_ms);
    let ticker = StoredValue::new_local(None::<Interval>);
    Effect::new(move |_| {
        let playing = pg.playing.get();
        let (period, ticks) = schedule(tick_ms, pg.speed.get());
        // Replacing the interval drops (cancels) the old one.
        ticker.set_value(playing.then(|| Interval::new(period, move || pg.tick(ticks))));
    });
    let keys = window_event_listener(ev::keydown, move |ev| {
        let tag = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .map_or_else(String::new, |element| element.tag_name());
        let modifier = ev.ctrl_key() || ev.alt_key() || ev.meta_key();
        if let Some(action) = shortcut(&ev.key(), &tag, modifier) {
            ev.prevent_default();
            run(pg, action);
        }
    });
    on_cleanup(move || keys.remove());
    // The remembered history: (start, end, now) in virtual ms.
    let span = move || {
        pg.timeline
            .with(|t| (t.start_ms(), t.end_ms(), t.sim().now_ms()))
    };
    let rewound = move || pg.timeline.with(|t| t.is_rewound());
    view! {
        <div class="controls" role="toolbar" aria-label="Simulation clock">
            <button
                data-testid="step-back"
                title="Back one tick, as it was then (←)"
                disabled=move || { let (start, _, now) = span(); now <= start }
                on:click=move |_| run(pg, Shortcut::StepBack)
            >
                "← Back"
            </button>
            <button
                data-testid="play"
                aria-pressed=move || pg.playing.get().to_string()
                title="Play or pause the virtual clock (space)"
                on:click=move |_| run(pg, Shortcut::PlayPause)
            >
                {move || if pg.playing.get() { "‖ Pause" } else { "▶ Play" }}
            </button>
            <button
                data-testid="step"
                title="Advance virtual time by one tick (→)"
                on:click=move |_| run(pg, Shortcut::StepForward)
            >
                "Step →"
            </button>
            <button
                data-testid="next-event"
                title="Run until the next event happens, at most a minute of virtual time (n)"
                on:click=move |_| run(pg, Shortcut::NextEvent)
            >
                "Next event ⇥"
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
            <input
                type="range"
                class="timeline"
                data-testid="timeline"
                aria-label="Virtual time: drag back through the remembered history"
                min=move || span().0
                max=move || span().1
                step=tick_ms
                prop:value=move || span().2
                on:input=move |ev| {
                    if let Ok(t_ms) = event_target_value(&ev).parse::<u64>() {
                        pg.playing.set(false);
                        pg.seek(t_ms);
                    }
                }
            />
            <button
                data-testid="reset"
                title="Start the scenario over: a new history and an empty event log"
                on:click=move |_| {
                    pg.playing.set(false);
                    // The scenario built once when the page opened, so it builds again.
                    let _ = pg.reset();
                }
            >
                "Reset"
            </button>
            <span class="clock" data-testid="clock" aria-live="off">
                {move || virtual_time(pg.view.with(|v| v.now_ms))}
            </span>
            <span
                class="tag tag-rewound"
                data-testid="rewound"
                hidden=move || !rewound()
                title="Play or step to replay what happened next; a new command starts a new future from here"
            >
                {move || {
                    let (_, end, now) = span();
                    format!("replaying: {} behind", seconds(end - now))
                }}
            </span>
        </div>
    }
}

/// A clock action from a button or a key. Stepping pauses first: a step is for looking closely.
fn run(pg: Playground, action: Shortcut) {
    match action {
        Shortcut::PlayPause => pg.playing.update(|playing| *playing = !*playing),
        Shortcut::StepForward => {
            pg.playing.set(false);
            pg.tick(1);
        }
        Shortcut::StepBack => {
            pg.playing.set(false);
            pg.step_back();
        }
        Shortcut::NextEvent => {
            pg.playing.set(false);
            pg.tick_to_event();
        }
    }
}
