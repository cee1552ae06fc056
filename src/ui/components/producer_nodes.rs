//! The producers down the stage's left side: each its settings in a word, what waits in its
//! batches, what it sent and what came back. A click opens it in the Inspector (its counters,
//! generators, flush and transaction buttons).

use crate::ui::components::keyed_list::KeyedList;
use crate::ui::components::stage_captions::StageCaptions;
use crate::ui::playground::{Inspected, use_playground};
use crate::ui::reactive::memo;
use leptos::prelude::*;

#[component]
pub fn ProducerNodes() -> impl IntoView {
    let pg = use_playground();
    view! {
        <section class="producer-nodes" aria-label="Producers">
            <h2>"Producers"</h2>
            <KeyedList each=move || pg.producer_names.get() key=|id| id.clone() let(id)>
                <ProducerNode id />
            </KeyedList>
            <p class="hint" hidden=move || pg.producer_names.with(|p| !p.is_empty())>
                "No producers: add one in the Actions tab."
            </p>
        </section>
    }
}

#[component]
fn ProducerNode(id: String) -> impl IntoView {
    let pg = use_playground();
    let summary = {
        let id = id.clone();
        memo(move || {
            pg.view.with(|v| {
                v.producers.iter().find(|p| p.id == id).map(|p| {
                    (
                        format!("acks={} · linger.ms={}", p.acks, p.linger_ms),
                        p.buffered.values().sum::<usize>(),
                        format!("sent {} · acked {}", p.stats.sent, p.stats.acknowledged),
                        p.stats.failed,
                        p.generators.iter().map(|g| g.rate_per_sec).sum::<u64>(),
                    )
                })
            })
        })
    };
    let part = move |f: fn(&(String, usize, String, u64, u64)) -> String| {
        move || summary.with(|s| s.as_ref().map(f).unwrap_or_default())
    };
    let inspect = {
        let id = id.clone();
        move |_| pg.selected.set(Some(Inspected::Producer(id.clone())))
    };
    view! {
        <button class="node producer-node" data-testid="producer-node" data-producer=id.clone() title="Details in the Inspector" on:click=inspect>
            <strong>{id.clone()}</strong>
            <small>{part(|s| s.0.clone())}</small>
            <small data-testid="producer-batched">{part(|s| if s.1 == 0 { String::new() } else { format!("{} in its batches", s.1) })}</small>
            <small>{part(|s| s.2.clone())}</small>
            <small class="caption-alert">{part(|s| if s.3 == 0 { String::new() } else { format!("{} failed", s.3) })}</small>
            <small>{part(|s| if s.4 == 0 { String::new() } else { format!("sending {}/s", s.4) })}</small>
            <StageCaptions place=Inspected::Producer(id.clone()) />
        </button>
    }
}
