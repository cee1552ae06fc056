//! What happened, newest first, in plain words.

use crate::ui::components::keyed_list::KeyedList;
use crate::ui::format::virtual_time;
use crate::ui::playground::use_playground;
use leptos::prelude::*;

/// How many lines are drawn.
const SHOWN: usize = 100;

#[component]
pub fn EventLog() -> impl IntoView {
    let pg = use_playground();
    let newest = move || {
        pg.log
            .with(|log| log.iter().rev().take(SHOWN).cloned().collect::<Vec<_>>())
    };
    view! {
        <section class="panel events" aria-label="Event log">
            <h2>"Event log"</h2>
            <ol class="event-log" data-testid="event-log" aria-live="polite">
                <KeyedList each=newest key=|line| line.seq let(line)>
                    <li>
                        <time>{virtual_time(line.at_ms)}</time>
                        " "
                        {line.text}
                    </li>
                </KeyedList>
            </ol>
        </section>
    }
}
