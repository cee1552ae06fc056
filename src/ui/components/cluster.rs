//! The brokers, each with the partitions whose leader it holds.

use crate::ui::playground::use_playground;
use leptos::prelude::*;

#[component]
pub fn Cluster() -> impl IntoView {
    let pg = use_playground();
    let brokers = Memo::new(move |_| {
        pg.view.with(|v| {
            v.brokers
                .iter()
                .map(|&broker| {
                    let leads: Vec<String> = v
                        .topics
                        .iter()
                        .flat_map(|t| {
                            t.partitions
                                .iter()
                                .filter(move |p| p.leader == broker)
                                .map(move |p| format!("{}-{}", t.name, p.id))
                        })
                        .collect();
                    (broker.0, leads)
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="panel cluster" aria-label="Brokers">
            <h2>"Cluster"</h2>
            <ul class="brokers">
                <For each=move || brokers.get() key=|b| b.clone() let((broker, leads))>
                    <li class="broker" data-testid="broker" data-broker=broker>
                        <h3>"Broker " {broker}</h3>
                        <p class="leads">
                            {if leads.is_empty() {
                                "leads no partitions".to_owned()
                            } else {
                                format!("leader of {}", leads.join(", "))
                            }}
                        </p>
                    </li>
                </For>
            </ul>
            <p class="hint">"Each partition has one replica for now (replication factor 1), on its leader."</p>
        </section>
    }
}
