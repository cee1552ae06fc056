//! A partition of a large topic drawn as a tile instead of a log: its leader and epoch, its
//! high watermark and log end, its in-sync and eligible leader replicas and its rate. Sixty-four logs of cells
//! would be unreadable and slow; a click opens the partition's log and numbers in the
//! Inspector.

use crate::ui::playground::{Inspected, use_playground};
use crate::ui::reactive::memo;
use crate::ui::redraw::paced;
use kafka_sim::sim::PartitionId;
use leptos::prelude::*;

/// What a tile shows.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Tile {
    leader: Option<u32>,
    epoch: u32,
    high_watermark: u64,
    log_end: u64,
    isr: usize,
    /// How many eligible leader replicas (KIP-966) it has.
    elr: usize,
    replicas: usize,
    /// Adding and removing replicas while a reassignment moves it.
    moving: Option<String>,
}

#[component]
pub fn PartitionTile(topic: String, partition: PartitionId) -> impl IntoView {
    let pg = use_playground();
    let facts = {
        let topic = topic.clone();
        move |v: &kafka_sim::sim::SimView| {
            v.topic(&topic)
                .and_then(|t| t.partition(partition))
                .map(|p| Tile {
                    leader: p.leader.map(|b| b.0),
                    epoch: p.leader_epoch.0,
                    high_watermark: p.high_watermark.0,
                    log_end: p.log_end.0,
                    isr: p.isr.len(),
                    elr: p.elr.len(),
                    replicas: p.replicas.len(),
                    moving: p.moving_note(),
                })
        }
    };
    let redrawn = {
        let facts = facts.clone();
        paced(1, move || {
            pg.view.with(|v| facts(v).map_or(0, |t| t.log_end))
        })
    };
    let tile = memo(move || {
        redrawn.track();
        pg.view.with_untracked(|v| facts(v))
    });
    let rate = {
        let topic = topic.clone();
        memo(move || pg.history.with(|h| h.rate(&topic, partition)))
    };
    let text = move |f: fn(&Tile) -> String| move || tile.with(|t| t.as_ref().map(f));
    let name = format!("{topic}-{partition}");
    let inspect = {
        let topic = topic.clone();
        move |_| {
            pg.selected.set(Some(Inspected::Partition {
                topic: topic.clone(),
                partition,
            }))
        }
    };
    view! {
        <button
            class="partition-tile"
            class:offline=move || tile.with(|t| t.as_ref().is_some_and(|t| t.leader.is_none()))
            class:under-replicated=move || tile.with(|t| t.as_ref().is_some_and(|t| t.isr < t.replicas))
            data-testid="partition-tile"
            data-topic=topic.clone()
            data-partition=partition.0
            title="Its log and numbers in the Inspector"
            on:click=inspect
        >
            <strong>{name}</strong>
            <small data-testid="tile-leader">
                {text(|t| match t.leader {
                    Some(b) => format!("leader b{b} · epoch {}", t.epoch),
                    None => "OFFLINE".to_owned(),
                })}
            </small>
            <small>{text(|t| format!("HW {} · LEO {}", t.high_watermark, t.log_end))}</small>
            <small>
                {text(|t| format!("ISR {}/{}", t.isr, t.replicas))}
                <span data-testid="tile-elr" title="Eligible leader replicas (ELR, KIP-966): out of the ISR, which is below min.insync.replicas, yet holding every committed record; one may lead cleanly if the ISR empties" hidden=move || tile.with(|t| t.as_ref().is_none_or(|t| t.elr == 0))>
                    {text(|t| format!(" · ELR {}", t.elr))}
                </span>
                {move || rate.get().map(|r| format!(" · {r}/s"))}
            </small>
            <small class="caption" data-testid="tile-moving" hidden=move || tile.with(|t| t.as_ref().is_none_or(|t| t.moving.is_none()))>
                {move || tile.with(|t| t.as_ref().and_then(|t| t.moving.clone()))}
            </small>
        </button>
    }
}
