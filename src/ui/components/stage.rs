//! The playground in the middle of the page: the brokers, the producers, every topic's
//! partitions as logs, and the consumer groups. A lesson's caption that points at one of them
//! makes it stand out (`data-spot`).

use crate::ui::components::{
    cluster::Cluster, consumer_panel::ConsumerPanel, producers::Producers, topic_view::Topics,
};
use crate::ui::playground::use_playground;
use leptos::prelude::*;

#[component]
pub fn Stage() -> impl IntoView {
    let pg = use_playground();
    // The panel the current lesson step points at.
    let spot = Memo::new(move |_| {
        pg.lesson.with(|l| {
            l.as_ref()
                .and_then(|a| a.lesson.steps.get(a.step))
                .and_then(|s| s.point.clone())
        })
    });
    view! {
        <main class="stage" aria-label="The playground" data-spot=move || spot.get().unwrap_or_default()>
            <Cluster />
            <Producers />
            <Topics />
            <ConsumerPanel />
        </main>
    }
}
