//! Which colour is which key: the keys of the records written lately, each with its colour.

use crate::ui::palette::{key_class, legend};
use crate::ui::playground::use_playground;
use crate::ui::reactive::memo;
use crate::ui::redraw::paced;
use leptos::prelude::*;

/// The newest records looked at per partition.
const RECENT_PER_PARTITION: usize = 12;

/// Keys shown; the rest are counted.
const MAX_KEYS: usize = 12;

#[component]
pub fn KeyLegend() -> impl IntoView {
    let pg = use_playground();
    // The records change only when a log end moves; a busy cluster's once a second.
    let redrawn = paced(1, move || {
        pg.view.with(|v| {
            v.topics
                .iter()
                .flat_map(|t| &t.partitions)
                .map(|p| p.log_end.0)
                .sum::<u64>()
        })
    });
    let keys = memo(move || {
        redrawn.track();
        pg.timeline.with_untracked(|t| {
            let sim = t.sim();
            let view = pg.view.get_untracked();
            let recent = view.topics.iter().flat_map(|topic| {
                topic.partitions.iter().flat_map(move |p| {
                    let records = sim.records(&topic.name, p.id);
                    records
                        .slice(records.len().saturating_sub(RECENT_PER_PARTITION)..records.len())
                        .iter()
                        .filter(|r| r.control.is_none())
                        .filter_map(|r| r.key.as_deref())
                })
            });
            legend(recent, MAX_KEYS)
        })
    });
    view! {
        <p class="key-legend" data-testid="key-legend" hidden=move || keys.with(|(k, _)| k.is_empty())>
            <span class="key-legend-title">"Keys: "</span>
            {move || {
                keys.with(|(shown, _)| {
                    shown
                        .iter()
                        .map(|key| view! { <span class=format!("legend-key {}", key_class(Some(key)))>{key.clone()}</span> })
                        .collect_view()
                })
            }}
            {move || keys.with(|(_, more)| (*more > 0).then(|| format!(" and {more} more")))}
            <span class="legend-key key-none">"no key"</span>
        </p>
    }
}
