//! The consumer groups down the stage's right side: each its state and generation, its members
//! with the partitions they hold (what a rebalance did to them drawn on the chips), a crashed
//! consumer counting down to its removal, and the group's lag. A click on its name opens it in
//! the Inspector (the offsets table, its consumers and their buttons, the offset reset).

use crate::ui::captions::rebalance_style;
use crate::ui::components::consumer_panel::{group_of, member_list};
use crate::ui::components::keyed_list::KeyedList;
use crate::ui::components::stage_captions::StageCaptions;
use crate::ui::playground::{Inspected, use_playground};
use crate::ui::reactive::memo;
use leptos::prelude::*;

#[component]
pub fn GroupNodes() -> impl IntoView {
    let pg = use_playground();
    let ids = memo(move || {
        pg.view
            .with(|v| v.groups.iter().map(|g| g.id.clone()).collect::<Vec<_>>())
    });
    view! {
        <section class="group-nodes" aria-label="Consumer groups">
            <h2>"Consumer groups"</h2>
            <KeyedList each=move || ids.get() key=|id| id.clone() let(id)>
                <GroupNode id />
            </KeyedList>
            <p class="hint" hidden=move || ids.with(|g| !g.is_empty())>
                "No consumers: start one in the Actions tab, or with kafka-console-consumer.sh."
            </p>
        </section>
    }
}

#[component]
fn GroupNode(id: String) -> impl IntoView {
    let pg = use_playground();
    let group = group_of(pg, id.clone());
    let text = move |f: fn(&kafka_sim::sim::view::GroupView) -> String| {
        move || group.with(|g| g.as_ref().map(f))
    };
    let inspect = {
        let id = id.clone();
        move |_| pg.selected.set(Some(Inspected::Group(id.clone())))
    };
    view! {
        <article class="node group" data-testid="group" data-group=id.clone()>
            <h3>
                <button class="node-name" data-testid="group-name" title="Details in the Inspector" on:click=inspect>
                    {id.clone()}
                </button>
                " "
                <span class="tag" data-testid="group-state">{text(|g| g.state.to_string())}</span>
                " "
                <small data-testid="generation">{text(kafka_sim::sim::view::GroupView::epoch_text)}</small>
            </h3>
            <small class="rebalance-style" data-testid="rebalance-style">
                {text(|g| format!("{} · {}", g.strategy.as_deref().unwrap_or(&g.protocol), rebalance_style(&g.protocol, g.strategy.as_deref())))}
            </small>
            <StageCaptions place=Inspected::Group(id.clone()) />
            {member_list(group)}
            <p class="lag-total" data-testid="group-lag" title="Records the group has not committed yet, over its partitions (kafka-consumer-groups.sh's LAG)">
                {text(|g| format!("LAG {}: not yet committed", g.lag))}
            </p>
        </article>
    }
}
