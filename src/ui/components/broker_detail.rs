//! A broker in the Inspector: its state and every partition
//! replica it holds (leader, in-sync follower, eligible leader replica, or out of sync).

use crate::ui::components::broker_strip::status_name;
use crate::ui::playground::use_playground;
use crate::ui::reactive::memo;
use kafka_sim::sim::BrokerId;
use leptos::prelude::*;

#[component]
pub fn BrokerDetail(broker: BrokerId) -> impl IntoView {
    let pg = use_playground();
    let detail = memo(move || {
        pg.view.with(|v| {
            let b = v.brokers.iter().find(|b| b.id == broker)?;
            let hosted: Vec<(String, &'static str)> = v
                .topics
                .iter()
                .flat_map(|t| {
                    t.partitions.iter().filter_map(move |p| {
                        let replica = p.replicas.iter().find(|r| r.broker == broker)?;
                        Some((format!("{}-{}", t.name, p.id), p.role_of(replica)))
                    })
                })
                .collect();
            Some((status_name(b.status), hosted))
        })
    });
    move || {
        detail.get().map(|(status, hosted)| {
            view! {
                <article class="broker-detail" data-testid="broker-detail">
                    <h2>"Broker " {broker.0}</h2>
                    <p class="facts">
                        <span>{status}</span>
                        <span>{format!("{} replica(s)", hosted.len())}</span>
                    </p>
                    <ul class="replicas" aria-label=format!("Replicas on broker {}", broker.0)>
                        {hosted
                            .into_iter()
                            .map(|(name, role)| view! { <li class=format!("replica replica-{role}") title=role>{name}</li> })
                            .collect_view()}
                    </ul>
                    <p class="hint">
                        "Solid: leader. Outlined: in-sync follower. Dotted: eligible leader replica (out of the ISR, which fell below min.insync.replicas, yet it has every committed record and may lead if the ISR empties). Dashed: out of sync. A crashed broker is fenced by the controller after broker.session.timeout.ms; a stopped one left gracefully."
                    </p>
                </article>
            }
        })
    }
}
