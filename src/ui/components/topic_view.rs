//! Every topic with its partitions, each drawn as a log of offset cells; a topic with more
//! partitions than `LOGS_UP_TO` as a grid of tiles (each log a click away, in the Inspector).

use crate::ui::components::key_legend::KeyLegend;
use crate::ui::components::keyed_list::KeyedList;
use crate::ui::components::partition_log::PartitionLog;
use crate::ui::components::partition_tile::PartitionTile;
use crate::ui::playground::use_playground;
use crate::ui::reactive::memo;
use kafka_sim::sim::PartitionId;
use leptos::prelude::*;

/// Topics with up to this many partitions show each as a log.
const LOGS_UP_TO: u32 = 12;

#[component]
pub fn Topics() -> impl IntoView {
    let pg = use_playground();
    // A topic's partition count only grows, so (name, count) is enough to key its rows.
    let topics = memo(move || {
        pg.view.with(|v| {
            v.topics
                .iter()
                .map(|t| (t.name.clone(), t.partitions.len() as u32))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="panel topics" aria-label="Topics">
            <KeyLegend />
            <p class="hint" hidden=move || topics.with(|t| !t.is_empty())>
                "No topics yet: create one in the Actions tab, or in the console with kafka-topics.sh --create."
            </p>
            <KeyedList each=move || topics.get() key=|topic| topic.clone() let((name, partitions))>
                <article class="topic" data-testid="topic" data-topic=name.clone()>
                    <h2>"Topic " <code>{name.clone()}</code></h2>
                    {if partitions <= LOGS_UP_TO {
                        (0..partitions)
                            .map(|p| view! { <PartitionLog topic=name.clone() partition=PartitionId(p) /> })
                            .collect_view()
                            .into_any()
                    } else {
                        view! {
                            <p class="hint">{format!("{partitions} partitions, each a tile: a click shows its log in the Inspector.")}</p>
                            <div class="partition-tiles">
                                {(0..partitions)
                                    .map(|p| view! { <PartitionTile topic=name.clone() partition=PartitionId(p) /> })
                                    .collect_view()}
                            </div>
                        }
                        .into_any()
                    }}
                </article>
            </KeyedList>
        </section>
    }
}
