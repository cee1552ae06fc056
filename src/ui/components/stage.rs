//! The stage, the playground in the middle of the page: the scenario and what to try first,
//! the brokers along the top, the producers
//! on the left, every topic's partitions as logs in the middle, the consumer groups on the
//! right, and records travelling between them as tokens. Details are a click away, in the
//! Inspector. A lesson's caption that points at one part makes it stand out (`data-spot`).

use crate::ui::components::{
    broker_strip::BrokerStrip, group_nodes::GroupNodes, producer_nodes::ProducerNodes,
    stage_intro::StageIntro, token_layer::TokenLayer, topic_view::Topics,
};
use crate::ui::playground::use_playground;
use crate::ui::reactive::memo;
use leptos::prelude::*;

#[component]
pub fn Stage() -> impl IntoView {
    let pg = use_playground();
    // The panel the current lesson step points at.
    let spot = memo(move || {
        pg.lesson.with(|l| {
            l.as_ref()
                .and_then(|a| a.lesson.steps.get(a.step))
                .and_then(|s| s.point.clone())
        })
    });
    view! {
        <main class="stage" aria-label="The playground" data-spot=move || spot.get().unwrap_or_default()>
            <StageIntro />
            <BrokerStrip />
            <ProducerNodes />
            <Topics />
            <GroupNodes />
            <TokenLayer />
        </main>
    }
}
