//! The timeline: drag back and forth through the remembered history of virtual time, on a row
//! of its own so that it is wide and stays put. Under it, a mark for every important event
//! (a click goes there); while rewound it says how far behind it is and that acting now starts
//! a new future; when a command did, the old future can be brought back.

use crate::ui::components::keyed_list::KeyedList;
use crate::ui::playground::use_playground;
use crate::ui::reactive::memo;
use kafka_sim::format::{seconds, virtual_time};
use leptos::prelude::*;

#[component]
pub fn Timeline() -> impl IntoView {
    let pg = use_playground();
    let tick_ms = pg.timeline.with_untracked(|t| t.sim().config().tick_ms);
    // The remembered history: (start, end, now) in virtual ms.
    let span = move || {
        pg.timeline
            .with(|t| (t.start_ms(), t.end_ms(), t.sim().now_ms()))
    };
    let rewound = move || pg.timeline.with(|t| t.is_rewound());
    let set_aside = memo(move || pg.timeline.with(|t| t.set_aside()));
    let marks = move || {
        pg.marks
            .with(|m| m.all().iter().cloned().enumerate().collect::<Vec<_>>())
    };
    view! {
        <div class="timeline-row">
            <div class="timeline-track">
                <input
                    type="range"
                    class="timeline"
                    data-testid="timeline"
                    aria-label="Virtual time: drag back through the remembered history"
                    min=move || span().0
                    max=move || span().1
                    step=tick_ms
                    // Where a seek is going while it replays, so the thumb stays under the
                    // pointer.
                    prop:value=move || pg.seeking_to.get().unwrap_or(span().2)
                    on:input=move |ev| {
                        if let Ok(t_ms) = event_target_value(&ev).parse::<u64>() {
                            pg.playing.set(false);
                            pg.seek(t_ms);
                        }
                    }
                />
                // Marks are placed by CSS from the history's span, so that a tick moves none.
                <ol
                    class="timeline-marks"
                    aria-label="Important events: a click goes back to one"
                    style=move || {
                        let (start, end, _) = span();
                        format!("--start:{start};--span:{}", (end - start).max(1))
                    }
                >
                    <KeyedList each=marks key=|(i, m)| (*i, m.at_ms) let((_, mark))>
                        <li style=format!("--t:{}", mark.at_ms)>
                            <button
                                data-testid="timeline-mark"
                                data-at=mark.at_ms
                                title=format!("{}: {}", virtual_time(mark.at_ms), mark.text)
                                aria-label=format!("Go to {}: {}", virtual_time(mark.at_ms), mark.text)
                                on:click=move |_| {
                                    pg.playing.set(false);
                                    pg.seek(mark.at_ms);
                                }
                            ></button>
                        </li>
                    </KeyedList>
                </ol>
            </div>
            <span
                class="tag tag-rewound"
                data-testid="rewound"
                hidden=move || !rewound()
                title="Play or step to replay what happened next; a command given now starts a new future (the old one can be brought back)"
            >
                {move || {
                    let (_, end, now) = span();
                    format!("replaying: {} behind", seconds(end - now))
                }}
            </span>
            <p class="future-aside" role="status" data-testid="future-aside" hidden=move || set_aside.with(Option::is_none)>
                {move || {
                    set_aside.get().map(|(from, to)| {
                        format!(
                            "A command at {} started a new future; the {} recorded after it are set aside.",
                            virtual_time(from),
                            seconds(to - from)
                        )
                    })
                }}
                " "
                <button class="small" data-testid="restore-future" on:click=move |_| {
                    pg.playing.set(false);
                    pg.restore_future();
                }>
                    "Bring it back"
                </button>
                " "
                <button class="small" data-testid="keep-future" on:click=move |_| pg.keep_new_future()>
                    "Keep the new one"
                </button>
            </p>
        </div>
    }
}
