//! What happened, newest first, in plain words. Routine traffic (writes, copies, polls,
//! commits) can be filtered out; the important lines (crashes, elections, lost records,
//! rebalances) stay pinned above it, and only they are read out to screen readers. A busy
//! cluster's log is redrawn once a second (see `redraw`).

use crate::ui::captions::Category;
use crate::ui::components::keyed_list::KeyedList;
use crate::ui::playground::{LogLine, use_playground};
use crate::ui::redraw::paced;
use kafka_sim::format::virtual_time;
use leptos::prelude::*;

/// How many lines are drawn.
const SHOWN: usize = 60;

/// New lines drawn as they come; more at once (a busy cluster writes a hundred a tick) wait
/// for the once-a-second redraw.
const LINES_AT_ONCE: u64 = 30;

/// The event log's filter, by what a line is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Filter {
    All,
    Changes,
    Traffic,
}

impl Filter {
    const ALL: [(Filter, &'static str, &'static str); 3] = [
        (Filter::All, "all", "Everything"),
        (Filter::Changes, "changes", "Cluster and group changes"),
        (
            Filter::Traffic,
            "clients",
            "Clients: writes, copies, polls, commits",
        ),
    ];

    fn shows(self, line: &LogLine) -> bool {
        match self {
            Filter::All => true,
            Filter::Changes => line.category == Category::Change,
            Filter::Traffic => line.category == Category::Traffic,
        }
    }
}

#[component]
pub fn EventLog() -> impl IntoView {
    let pg = use_playground();
    let filter = RwSignal::new(Filter::All);
    let redrawn = paced(LINES_AT_ONCE, move || {
        pg.log.with(|log| log.last().map_or(0, |line| line.seq))
    });
    let newest = move || {
        let filter = filter.get();
        redrawn.track();
        pg.log.with_untracked(|log| {
            log.iter()
                .rev()
                .filter(|line| filter.shows(line))
                .take(SHOWN)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let pinned = move || {
        pg.pinned
            .with(|p| p.iter().rev().cloned().collect::<Vec<_>>())
    };
    let latest_important = move || {
        pg.pinned.with(|p| {
            p.last()
                .map(|l| format!("{}: {}", virtual_time(l.at_ms), l.text))
        })
    };
    let line_view = |line: LogLine| {
        view! {
            <li class:important=line.important>
                <time>{virtual_time(line.at_ms)}</time>
                " "
                {line.text}
            </li>
        }
    };
    view! {
        <section class="panel events" aria-label="Event log">
            <h2>"Event log"</h2>
            <label class="event-filter">
                "Show "
                <select
                    data-testid="event-filter"
                    on:change=move |ev| {
                        let chosen = event_target_value(&ev);
                        if let Some((f, _, _)) = Filter::ALL.iter().find(|(_, value, _)| *value == chosen) {
                            filter.set(*f);
                        }
                    }
                >
                    {Filter::ALL
                        .iter()
                        .map(|(_, value, label)| view! { <option value=*value>{*label}</option> })
                        .collect_view()}
                </select>
            </label>
            <div class="pinned" hidden=move || pg.pinned.with(Vec::is_empty)>
                <h3>"Pinned: what changed lately"</h3>
                <ol class="event-log" data-testid="pinned-events">
                    <KeyedList each=pinned key=|line| line.seq let(line)>
                        {line_view(line)}
                    </KeyedList>
                </ol>
            </div>
            // `{move || f()}`, not `{f}`: see the log start in `partition_log`.
            <p class="visually-hidden" aria-live="polite" data-testid="events-told">{move || latest_important()}</p>
            <ol class="event-log" data-testid="event-log">
                <KeyedList each=newest key=|line| line.seq let(line)>
                    {line_view(line)}
                </KeyedList>
            </ol>
        </section>
    }
}
