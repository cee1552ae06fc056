//! One partition as a horizontal log: a cell per record, coloured by key, the high watermark
//! (records above it are not yet on every in-sync replica), each replica's log end offset, and
//! markers for each consumer's position and its group's committed offset.

use crate::ui::components::keyed_list::KeyedList;
use crate::ui::components::stage_captions::StageCaptions;
use crate::ui::palette::key_class;
use crate::ui::playground::{Inspected, Playground, RecordRef, use_playground};
use crate::ui::reactive::{effect, memo};
use crate::ui::redraw::paced;
use crate::ui::virtual_log::{TrackView, cells_to_draw};
use kafka_sim::format::maybe_offset;
use kafka_sim::sim::command::ElectionType;
use kafka_sim::sim::event_text::brokers;
use kafka_sim::sim::log::{Record, Records};
use kafka_sim::sim::partition::{AbortedTransaction, in_aborted_transaction};
use kafka_sim::sim::types::TopicPartition;
use kafka_sim::sim::view::{PartitionView, ReplicaView};
use kafka_sim::sim::{Command, Offset, PartitionId};
use leptos::html::Div;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use std::sync::Arc;

/// A marker under the log: a consumer's position, or a group's committed offset.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Marker {
    /// The consumer or the group.
    owner: String,
    offset: Option<Offset>,
}

#[component]
pub fn PartitionLog(topic: String, partition: PartitionId) -> impl IntoView {
    let pg = use_playground();
    // Every part of the log is drawn from the view as it was at the last redraw (see `redraw`).
    let redrawn = {
        let topic = topic.clone();
        paced(1, move || {
            pg.view.with(|v| {
                v.topic(&topic)
                    .and_then(|t| t.partition(partition))
                    .map_or(0, |p| p.log_end.0)
            })
        })
    };
    let summary = {
        let topic = topic.clone();
        memo(move || {
            redrawn.track();
            pg.view.with_untracked(|v| {
                v.topic(&topic)
                    .and_then(|t| t.partition(partition))
                    .cloned()
            })
        })
    };
    // Records change only when the log's ends move, so they are read only then; only the
    // cells in view are copied out and drawn (see `virtual_log`).
    let topic_name = StoredValue::new(topic.clone());
    let record_count = memo(move || {
        summary.track();
        read_records(pg, topic_name, partition, |rs| rs.len())
    });
    let track = NodeRef::<Div>::new();
    let track_view = RwSignal::new(None::<TrackView>);
    // The track lays its content out from the right (`flex-direction: row-reverse`), so the
    // browser keeps the head in view as the log grows, with no script and no layout read per
    // record; its scrollLeft is 0 at the head and negative further back.
    let measure = move || {
        let Some(track) = track.get_untracked() else {
            return;
        };
        let count = record_count.get_untracked();
        // The "next" cell sits after every record: its left edge over the count is the pitch.
        let next = track
            .query_selector(".cell-next")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let (Some(next), true) = (next, count > 0) {
            let width = track.client_width();
            track_view.set(Some(TrackView {
                scroll_left: f64::from(track.scroll_width() - width + track.scroll_left()),
                width: f64::from(width),
                pitch: f64::from(next.offset_left()) / count as f64,
            }));
        }
    };
    // Scrolling back pins the log where the learner looks; back at the head it follows again.
    let pinned = RwSignal::new(false);
    let to_head = move || {
        if let Some(track) = track.get_untracked() {
            track.set_scroll_left(0);
        }
    };
    // While pinned, records arriving at the head would slide the view along: it is moved back
    // by as many cells, so the offsets in view stay put.
    let mut before = None;
    effect(move || {
        let count = record_count.get();
        if let (Some(before), true, Some(track), Some(view)) = (
            before,
            pinned.get_untracked(),
            track.get_untracked(),
            track_view.get_untracked(),
        ) {
            let added = count.saturating_sub(before) as f64 * view.pitch;
            track.set_scroll_left(track.scroll_left() - added as i32);
        }
        before = Some(count);
    });
    let scrolled = move || {
        measure();
        if let Some(track) = track.get_untracked() {
            pinned.set(track.scroll_left() < -40);
        }
    };
    let drawn = memo(move || cells_to_draw(track_view.get(), record_count.get(), !pinned.get()));
    let records = memo(move || {
        summary.track();
        let range = drawn.get();
        // Nothing while the range is past the end (the log shrank since it was worked out).
        read_records(pg, topic_name, partition, |rs| {
            let within = range.start <= range.end && range.end <= rs.len();
            let drawn = within.then(|| rs.slice(range).iter().cloned().collect::<Vec<_>>());
            drawn.unwrap_or_default()
        })
    });
    // Measure once the first records are drawn, so the window follows the real pitch.
    let mut measured = false;
    effect(move || {
        let has_records = record_count.get() > 0;
        if has_records && !measured {
            measure();
        }
        measured = has_records;
    });
    let positions = {
        let topic = topic.clone();
        memo(move || {
            redrawn.track();
            pg.view.with_untracked(|v| {
                v.consumers
                    .iter()
                    .filter(|c| {
                        c.partitions
                            .iter()
                            .any(|p| p.topic == topic && p.partition == partition.0)
                    })
                    .map(|c| Marker {
                        owner: c.id.clone(),
                        offset: c.position(&topic, partition.0),
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let commits = {
        let topic = topic.clone();
        memo(move || {
            redrawn.track();
            pg.view.with_untracked(|v| {
                v.groups
                    .iter()
                    .filter_map(|g| {
                        g.partitions
                            .iter()
                            .find(|p| {
                                p.topic == topic
                                    && p.partition == partition.0
                                    && p.committed.is_some()
                            })
                            .map(|p| Marker {
                                owner: g.id.clone(),
                                offset: p.committed,
                            })
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let log_start = move || summary.with(|s| s.as_ref().map_or(0, |s| s.log_start.0));
    let log_end = move || summary.with(|s| s.as_ref().map_or(0, |s| s.log_end.0));
    // Cells are placed by offset; a marker at offset n sits at the left edge of cell n.
    // Cells are laid out one per record, so an offset's place is the number of records below
    // it (a compacted log has gaps between offsets).
    let at = move |offset: Option<Offset>| {
        record_count.track();
        offset.map(|o| {
            read_records(pg, topic_name, partition, |rs| {
                rs.partition_point(|r| r.offset < o)
            })
        })
    };
    let high_watermark = move || summary.with(|s| s.as_ref().map_or(0, |s| s.high_watermark.0));
    // Aborted transactions change only at an abort marker, which moves the log end.
    let aborted = {
        let topic = topic.clone();
        memo(move || {
            summary.track();
            pg.timeline.with_untracked(|t| {
                t.sim()
                    .partition(&topic, partition)
                    .map(|p| p.aborted.clone())
                    .unwrap_or_default()
            })
        })
    };
    let leader = move || summary.with(|s| s.as_ref().and_then(|s| s.leader));
    // Offline with a replica alive: an admin's unclean election would bring it back.
    let electable_uncleanly = move || {
        summary.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.leader.is_none() && s.replicas.iter().any(|r| r.online))
        })
    };
    let name = format!("{topic}-{partition}");
    let replicas =
        memo(move || summary.with(|s| s.as_ref().map(ReplicaChip::all).unwrap_or_default()));
    // The first leg of a record's trip: batched in a producer, bound for this partition.
    let incoming = {
        let name = name.clone();
        memo(move || {
            redrawn.track();
            pg.view.with_untracked(|v| {
                v.producers
                    .iter()
                    .filter_map(|p| p.buffered.get(&name).map(|n| (p.id.clone(), *n)))
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <div class="partition" data-testid="partition" data-topic=topic_name.get_value() data-partition=partition.0 class:offline=move || leader().is_none()>
            <div class="partition-head">
                <button class="partition-name node-name" data-testid="partition-name" title="Details in the Inspector" on:click={
                    let topic = topic.clone();
                    move |_| pg.selected.set(Some(Inspected::Partition { topic: topic.clone(), partition }))
                }>
                    {name.clone()}
                </button>
                <span class="badge" data-testid="leader" title="The broker holding this partition's leader replica">
                    {move || match leader() {
                        Some(b) => format!("leader: broker {b}"),
                        None => "OFFLINE: no leader".to_owned(),
                    }}
                </span>
                <span class="badge" title="Bumped at every leader change">
                    "epoch " {move || summary.with(|s| s.as_ref().map(|s| s.leader_epoch.0))}
                </span>
                <span class="badge" data-testid="log-start" title="The oldest offset still in the log (retention moves it)" hidden=move || log_start() == 0>
                    // `{move || f()}`, not `{f}`: Leptos type-erases only the closures written in a
                    // view, so this renders through the shared code (BENCHMARKS.md, transfer size).
                    "log start " {move || log_start()}
                </span>
                <span class="badge" data-testid="high-watermark" title="Consumers read only offsets below the high watermark">
                    "high watermark " {move || high_watermark()}
                </span>
                <span class="badge" data-testid="reassigning" title="kafka-reassign-partitions.sh: the new replicas copy the log and join the ISR, then the removed ones are deleted" hidden=move || summary.with(|s| s.as_ref().is_none_or(|s| s.moving_note().is_none()))>
                    {move || summary.with(|s| s.as_ref().and_then(|s| s.moving_note()))}
                </span>
                <span class="badge badge-lost" hidden=move || summary.with(|s| s.as_ref().is_none_or(|s| s.lost_records == 0))>
                    {move || summary.with(|s| s.as_ref().map(|s| format!("{} record(s) lost to unclean elections", s.lost_records)))}
                </span>
                <button
                    class="small"
                    data-testid="unclean-election"
                    hidden=move || !electable_uncleanly()
                    title="kafka-leader-election.sh --election-type UNCLEAN: an out-of-sync replica leads now, whatever unclean.leader.election.enable says; the records only the in-sync replicas had are lost (the event log says which)"
                    on:click={
                        let topic = topic.clone();
                        move |_| {
                            // Shown only while a live replica can lead, so it is elected; the
                            // outcome is on the stage and in the event log.
                            let _ = pg.apply(Command::ElectLeaders {
                                election: ElectionType::Unclean,
                                partitions: Some(vec![TopicPartition::new(topic.clone(), partition)]),
                            });
                        }
                    }
                >
                    "Unclean election"
                </button>
                <span class="badge badge-lost" data-testid="acknowledged-lost" title="Records whose producers had been told they were written, later truncated away: acks=1 writes only the old (or a zombie) leader had, or acks=all ones an unclean election undid" hidden=move || summary.with(|s| s.as_ref().is_none_or(|s| s.acknowledged_lost == 0))>
                    {move || summary.with(|s| s.as_ref().map(|s| format!("{} acknowledged record(s) lost", s.acknowledged_lost)))}
                </span>
                <span class="badge badge-lost" data-testid="zombie-leaders" title="Cut off from the controller, these brokers never heard that they were replaced: they still take writes from producers whose metadata names them, and will truncate them when healed" hidden=move || summary.with(|s| s.as_ref().is_none_or(|s| s.zombie_leaders.is_empty()))>
                    {move || summary.with(|s| s.as_ref().map(|s| format!("zombie leader: {}", brokers(&s.zombie_leaders))))}
                </span>
            </div>
            <StageCaptions place=Inspected::Partition { topic: topic_name.get_value(), partition } />
            <ul class="replica-row" aria-label=format!("Records on their way into {name}, and its replicas")>
                {move || {
                    incoming
                        .get()
                        .into_iter()
                        .map(|(producer, records)| {
                            view! {
                                <li class="replica replica-incoming" data-testid="incoming" data-producer=producer.clone() title="Records batched in the producer, waiting for linger.ms or batch.size before they are sent to the leader">
                                    {format!("{producer} ▸ {records} in its batch")}
                                </li>
                            }
                        })
                        .collect_view()
                }}
                {move || {
                    replicas.with(|all| {
                        all.iter()
                            .map(|r| {
                                view! {
                                    <li
                                        class=format!("replica replica-{}", r.role)
                                        class=("replica-behind", r.fetching > 0)
                                        data-testid="replica"
                                        data-broker=r.broker
                                        data-role=r.role
                                        data-fetching=r.fetching
                                        title=role_title(r.role)
                                    >
                                        "broker " {r.broker} {if r.role == "leader" { " ★" } else { "" }} " · LEO " {r.log_end}
                                        {(r.fetching > 0).then(|| format!(" · fetching {}", r.fetching))}
                                    </li>
                                }
                            })
                            .collect_view()
                    })
                }}
            </ul>
            <button class="small follow" data-testid="follow-head" hidden=move || !pinned.get() title="Back to the newest offsets, and follow them" on:click=move |_| to_head()>
                "newest ⇥"
            </button>
            <div class="track" node_ref=track on:scroll=move |_| scrolled()>
                <div class="track-content" style=move || format!("--rows:{}", positions.with(Vec::len) + commits.with(Vec::len))>
                <ol class="cells" aria-label=format!("Records in {name}")>
                    <li class="cell-gap" aria-hidden="true" hidden=move || drawn.get().start == 0 style=move || format!("--cells:{}", drawn.get().start)></li>
                    <KeyedList each=move || records.get() key=|record| record.offset let(record)>
                        <RecordCell topic=topic.clone() partition record high_watermark=Signal::derive(high_watermark) aborted />
                    </KeyedList>
                    <li
                        class="cell-gap"
                        aria-hidden="true"
                        hidden=move || drawn.get().end == record_count.get()
                        style=move || format!("--cells:{}", record_count.get() - drawn.get().end)
                    ></li>
                    <li class="cell cell-next" aria-hidden="true" title="The next record gets this offset (the log end offset)">
                        <span class="cell-offset">{move || log_end()}</span>
                        <span>"next"</span>
                    </li>
                </ol>
                <div
                    class="marker marker-hw"
                    data-testid="hw-marker"
                    data-offset=high_watermark
                    style=move || format!("--at:{}", at(Some(Offset(high_watermark()))).unwrap_or(0))
                    title="High watermark: records before this line are on every in-sync replica"
                >
                    <span>"HW"</span>
                </div>
                <MarkerRow markers=positions at first_row=Signal::stored(0) class="marker marker-position" testid="consumer-position" owner_attr="consumer" label=None />
                <MarkerRow markers=commits at first_row=Signal::derive(move || positions.with(Vec::len)) class="marker marker-committed" testid="committed-offset" owner_attr="group" label=Some("committed") />
                </div>
            </div>
        </div>
    }
}

/// A replica as its chip shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ReplicaChip {
    broker: u32,
    log_end: u64,
    /// `PartitionView::role_of`: "leader", "follower", "eligible" or "out-of-sync".
    role: &'static str,
    /// How far a running follower is behind its leader: what it is fetching.
    fetching: u64,
}

impl ReplicaChip {
    fn all(partition: &PartitionView) -> Vec<ReplicaChip> {
        let is_leader = |r: &ReplicaView| partition.leader == Some(r.broker);
        let leader_end = partition
            .replicas
            .iter()
            .find(|r| is_leader(r))
            .map(|r| r.log_end.0);
        partition
            .replicas
            .iter()
            .map(|r| ReplicaChip {
                broker: r.broker.0,
                log_end: r.log_end.0,
                role: partition.role_of(r),
                fetching: leader_end
                    .filter(|_| !is_leader(r) && r.online)
                    .map_or(0, |end| end.saturating_sub(r.log_end.0)),
            })
            .collect()
    }
}

/// A replica chip's tooltip: what its role means.
fn role_title(role: &str) -> &'static str {
    match role {
        "leader" => "Leader: takes the writes; followers copy from it",
        "follower" => "In sync (ISR): caught up with the leader",
        "eligible" => {
            "Eligible leader replica (ELR, KIP-966): it left the ISR while the ISR was below min.insync.replicas, so the high watermark stopped and it still has every committed record; it may lead cleanly if the ISR empties"
        }
        _ => "Out of sync: behind the leader or down; it may lead only in an unclean election",
    }
}

/// Reads the partition's records without tracking: callers track the partition's summary.
fn read_records<T>(
    pg: Playground,
    topic: StoredValue<String>,
    partition: PartitionId,
    read: impl FnOnce(Records) -> T,
) -> T {
    topic.with_value(|topic| {
        pg.timeline
            .with_untracked(|t| read(t.sim().records(topic, partition)))
    })
}

/// From this cell on, a marker's name fits left of its line.
const LABEL_LEFT_FROM: usize = 3;

/// One kind of marker for every consumer (or group) that has one in this partition. Each
/// marker stays in the DOM while its owner does, so it slides when its offset moves. Each has
/// a row of its own under the log, from `first_row` on, so that two owners at one offset (two
/// groups, say) do not print over each other.
#[component]
fn MarkerRow(
    markers: Memo<Vec<Marker>>,
    at: impl Fn(Option<Offset>) -> Option<usize> + Copy + Send + Sync + 'static,
    first_row: Signal<usize>,
    class: &'static str,
    testid: &'static str,
    owner_attr: &'static str,
    label: Option<&'static str>,
) -> impl IntoView {
    view! {
        <KeyedList each=move || markers.get() key=|m| m.owner.clone() let(m)>
            {
                let owner = m.owner.clone();
                let row = {
                    let owner = owner.clone();
                    memo(move || {
                        first_row.get() + markers.with(|all| all.iter().position(|x| x.owner == owner).unwrap_or(0))
                    })
                };
                let offset = memo(move || {
                    markers.with(|all| all.iter().find(|x| x.owner == owner).and_then(|x| x.offset))
                });
                let title = match label {
                    Some(_) => format!("Group {}'s committed offset: where it resumes", m.owner),
                    None => format!("{}'s position: the next offset it will read", m.owner),
                };
                view! {
                    <div
                        class=class
                        data-testid=testid
                        data-consumer=(owner_attr == "consumer").then(|| m.owner.clone())
                        data-group=(owner_attr == "group").then(|| m.owner.clone())
                        data-offset=move || maybe_offset(offset.get().map(|o| o.0))
                        hidden=move || offset.get().is_none()
                        style=move || format!("--at:{};--row:{}", at(offset.get()).unwrap_or(0), row.get())
                        // Near the log's start the name goes right of the line, inside the log.
                        class:label-right=move || at(offset.get()).is_some_and(|i| i < LABEL_LEFT_FROM)
                        title=title
                    >
                        <span>{label.map_or_else(|| m.owner.clone(), |l| format!("{l} ({})", m.owner))}</span>
                    </div>
                }
            }
        </KeyedList>
    }
}

/// A record; clicking it (or Enter on it) opens it in the record inspector.
#[component]
fn RecordCell(
    topic: String,
    partition: PartitionId,
    record: Arc<Record>,
    high_watermark: Signal<u64>,
    aborted: Memo<Vec<AbortedTransaction>>,
) -> impl IntoView {
    let pg = use_playground();
    let is_aborted = {
        let record = record.clone();
        move || aborted.with(|a| in_aborted_transaction(a, &record))
    };
    let (key_text, value_text) = match record.control {
        Some(control) => (control.marker_label().to_owned(), "marker".to_owned()),
        None => (
            record
                .key
                .as_deref()
                .map_or_else(|| "no key".to_owned(), str::to_owned),
            record
                .value
                .as_deref()
                .map_or_else(|| "null (tombstone)".to_owned(), str::to_owned),
        ),
    };
    let title = format!(
        "offset {} · key {} · value {} · {} #{} · leader epoch {} · {}",
        record.offset,
        record
            .key
            .as_deref()
            .map_or_else(|| "none".to_owned(), |k| format!("{k:?}")),
        record
            .value
            .as_deref()
            .map_or_else(|| "null".to_owned(), |v| format!("{v:?}")),
        record.producer,
        record.producer_seq,
        record.leader_epoch,
        record.partition_choice
    );
    let offset = record.offset.0;
    let here = RecordRef {
        topic,
        partition,
        offset: record.offset,
    };
    let selected = {
        let here = here.clone();
        memo(move || {
            pg.selected
                .with(|s| matches!(s, Some(Inspected::Record(r)) if *r == here))
        })
    };
    let inspect = move || pg.selected.set(Some(Inspected::Record(here.clone())));
    let inspect_on_key = inspect.clone();
    view! {
        <li
            class=format!("cell record {}", key_class(record.key.as_deref()))
            class=("uncommitted", move || offset >= high_watermark.get())
            class=("selected", selected)
            class=("control", record.control.is_some())
            class=("aborted", is_aborted)
            data-testid="record"
            data-offset=offset
            title=title
            role="button"
            tabindex="0"
            aria-pressed=move || selected.get().to_string()
            on:click=move |_| inspect()
            on:keydown=move |ev| {
                if ev.key() == "Enter" || ev.key() == " " {
                    // Not also the page's space shortcut (play / pause).
                    ev.prevent_default();
                    ev.stop_propagation();
                    inspect_on_key();
                }
            }
        >
            <span class="cell-offset">{offset}</span>
            <span class="cell-key">{key_text}</span>
            <span class="cell-value">{value_text}</span>
        </li>
    }
}
