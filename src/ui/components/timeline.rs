//! The timeline: drag back and forth through the remembered history of virtual time, on a row
//! of its own so that it is wide and stays put; while rewound it says how far behind it is.

use crate::ui::format::seconds;
use crate::ui::playground::use_playground;
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
    view! {
        <div class="timeline-row">
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
