//! The Inspector tab: the details of whatever was clicked on the stage (a broker, a partition, a
//! producer, a consumer group) or of a record (in a log, or its token on its way), in place of
//! long tables in the page.

use crate::ui::components::{
    broker_detail::BrokerDetail, consumer_panel::GroupCard, partition_log::PartitionLog,
    producers::ProducerCard, record_inspector::RecordInspector,
};
use crate::ui::playground::{Inspected, use_playground};
use leptos::prelude::*;

#[component]
pub fn Inspector() -> impl IntoView {
    let pg = use_playground();
    let close = move |_| pg.selected.set(None);
    view! {
        {move || match pg.selected.get() {
            None => view! {
                <p class="hint" data-testid="inspector-empty">
                    "Click a broker, a partition, a producer or a consumer group on the stage to see its details here; a record in a log (or focused, with Enter) to see its key, value, where it was written and why it went to its partition."
                </p>
            }
            .into_any(),
            Some(shown) => {
                let body = match shown {
                    Inspected::Record(record) => view! { <RecordInspector record /> }.into_any(),
                    Inspected::Broker(broker) => view! { <BrokerDetail broker /> }.into_any(),
                    Inspected::Partition { topic, partition } => {
                        view! { <PartitionLog topic partition /> }.into_any()
                    }
                    Inspected::Producer(id) => {
                        view! { <ProducerCard id /> }.into_any()
                    }
                    Inspected::Group(id) => view! { <GroupCard id /> }.into_any(),
                };
                view! {
                    <div class="inspected">
                        <button class="close" data-testid="inspector-close" aria-label="Close the details" on:click=close>
                            "×"
                        </button>
                        {body}
                    </div>
                }
                .into_any()
            }
        }}
    }
}
