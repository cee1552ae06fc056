//! One partition as a horizontal log: a cell per record, coloured by key, and markers for each
//! consumer's position and its group's committed offset.

use crate::sim::log::Record;
use crate::sim::{Offset, PartitionId};
use crate::ui::format::maybe_offset;
use crate::ui::palette::key_class;
use crate::ui::playground::use_playground;
use leptos::prelude::*;

/// A consumer's two markers in this partition.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Markers {
    consumer: String,
    group: String,
    position: Option<Offset>,
    committed: Option<Offset>,
}

#[component]
pub fn PartitionLog(topic: String, partition: PartitionId) -> impl IntoView {
    let pg = use_playground();
    let summary = {
        let topic = topic.clone();
        Memo::new(move |_| {
            pg.view.with(|v| {
                v.topic(&topic)
                    .and_then(|t| t.partitions.get(partition.0 as usize))
                    .cloned()
            })
        })
    };
    // Records change only when the log's ends move, so they are copied out only then.
    let records = {
        let topic = topic.clone();
        Memo::new(move |_| {
            summary.track();
            pg.sim
                .with_untracked(|sim| sim.records(&topic, partition).to_vec())
        })
    };
    let markers = {
        let topic = topic.clone();
        Memo::new(move |_| {
            pg.view.with(|v| {
                v.consumers
                    .iter()
                    .filter(|c| c.topic == topic)
                    .map(|c| Markers {
                        consumer: c.id.clone(),
                        group: c.group.clone(),
                        position: c.positions.get(&partition).copied(),
                        committed: c.committed.get(&partition).copied(),
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let log_start = move || summary.with(|s| s.as_ref().map_or(0, |s| s.log_start.0));
    let log_end = move || summary.with(|s| s.as_ref().map_or(0, |s| s.log_end.0));
    // Cells are placed by offset; a marker at offset n sits at the left edge of cell n.
    let at = move |offset: Option<Offset>| {
        offset.map_or_else(String::new, |o| {
            format!("--at:{}", o.0.saturating_sub(log_start()))
        })
    };
    let name = format!("{topic}-{partition}");
    view! {
        <div class="partition" data-testid="partition" data-partition=partition.0>
            <div class="partition-head">
                <span class="partition-name">{name.clone()}</span>
                <span class="badge" title="The broker holding this partition's leader replica">
                    "leader: broker " {move || summary.with(|s| s.as_ref().map(|s| s.leader.0))}
                </span>
                <span class="badge" title="Consumers read only offsets below the high watermark">
                    "high watermark " {move || summary.with(|s| s.as_ref().map(|s| s.high_watermark.0))}
                </span>
            </div>
            <div class="track" style=move || format!("--cells:{}", log_end() - log_start() + 1)>
                <ol class="cells" aria-label=format!("Records in {name}")>
                    <For each=move || records.get() key=|record| record.offset let(record)>
                        <RecordCell record />
                    </For>
                    <li class="cell cell-next" aria-hidden="true" title="The next record gets this offset (the log end offset)">
                        <span class="cell-offset">{log_end}</span>
                        <span>"next"</span>
                    </li>
                </ol>
                <For each=move || markers.get() key=|m| m.consumer.clone() let(m)>
                    {
                        let consumer = m.consumer.clone();
                        let mine = Memo::new(move |_| {
                            markers.with(|all| {
                                all.iter()
                                    .find(|x| x.consumer == consumer)
                                    .map(|x| (x.position, x.committed))
                            })
                        });
                        let position = move || mine.get().and_then(|m| m.0);
                        let committed = move || mine.get().and_then(|m| m.1);
                        view! {
                            <div
                                class="marker marker-position"
                                data-testid="consumer-position"
                                data-consumer=m.consumer.clone()
                                data-offset=move || maybe_offset(position().map(|o| o.0))
                                hidden=move || position().is_none()
                                style=move || at(position())
                                title=format!("{}'s position: the next offset it will read", m.consumer)
                            >
                                <span>{m.consumer.clone()}</span>
                            </div>
                            <div
                                class="marker marker-committed"
                                data-testid="committed-offset"
                                data-group=m.group.clone()
                                data-offset=move || maybe_offset(committed().map(|o| o.0))
                                hidden=move || committed().is_none()
                                style=move || at(committed())
                                title=format!("Group {}'s committed offset", m.group)
                            >
                                <span>"committed"</span>
                            </div>
                        }
                    }
                </For>
            </div>
        </div>
    }
}

#[component]
fn RecordCell(record: Record) -> impl IntoView {
    let key_text = record
        .key
        .as_deref()
        .map_or_else(|| "no key".to_owned(), str::to_owned);
    let title = format!(
        "offset {} · key {} · value {:?} · {}",
        record.offset,
        record
            .key
            .as_deref()
            .map_or_else(|| "none".to_owned(), |k| format!("{k:?}")),
        record.value,
        record.partition_choice
    );
    view! {
        <li
            class=format!("cell record {}", key_class(record.key.as_deref()))
            data-testid="record"
            data-offset=record.offset.0
            title=title
        >
            <span class="cell-offset">{record.offset.0}</span>
            <span class="cell-key">{key_text}</span>
            <span class="cell-value">{record.value}</span>
        </li>
    }
}
