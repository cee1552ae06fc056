//! A broker in the Inspector: its state, every partition replica it holds (leader, in-sync
//! follower, eligible leader replica, or out of sync), and its network and disk faults, with
//! the buttons that cause them (`sim/network.rs`) and heal them.

use crate::ui::components::broker_strip::status_name;
use crate::ui::components::form_error::FormError;
use crate::ui::playground::use_playground;
use crate::ui::reactive::memo;
use kafka_sim::forms::FieldError;
use kafka_sim::sim::network::Isolation;
use kafka_sim::sim::{BrokerId, Command};
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
            let faults = b.faults.describe(v.zombie_partitions(broker));
            Some((status_name(b.status), hosted, faults))
        })
    });
    let error = RwSignal::new(None::<FieldError>);
    let act = move |command: Command| match pg.apply(command) {
        Ok(_) => error.set(None),
        Err(e) => error.set(Some(e.into())),
    };
    let faults = [
        (
            "Slow",
            "slow-broker",
            "A slow disk or a saturated link: its replica fetchers bring one batch a second. Under load its followers fall behind and leave the ISRs after replica.lag.time.max.ms",
            Command::SlowBroker { broker },
        ),
        (
            "Cut off from controller",
            "isolate-controller",
            "Its heartbeats stop arriving: fenced after broker.session.timeout.ms, its partitions get new leaders, but it never hears of it and goes on leading (a zombie) for producers whose metadata still names it. Simplified: it keeps its links to the other brokers and the clients",
            Command::IsolateBroker {
                broker,
                from: Isolation::Controller,
            },
        ),
        (
            "Cut off from clients",
            "isolate-clients",
            "Producers and consumers cannot reach it: their requests time out; it keeps leading, as the controller still hears it",
            Command::IsolateBroker {
                broker,
                from: Isolation::Clients,
            },
        ),
        (
            "Heal",
            "heal",
            "End its faults: it is unfenced if it was, follows the current leaders (truncating what it wrote as a zombie) and fetches at full speed",
            Command::HealBroker { broker },
        ),
    ];
    move || {
        detail.get().map(|(status, hosted, fault)| {
            let faults = faults.clone();
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
                    <p class="facts" data-testid="broker-detail-faults">
                        {if fault.is_empty() { "No network or disk fault.".to_owned() } else { fault }}
                    </p>
                    <div class="fault-actions" aria-label=format!("Faults of broker {}", broker.0)>
                        {faults
                            .into_iter()
                            .map(|(label, testid, title, command)| view! {
                                <button class="small" data-testid=testid title=title on:click=move |_| act(command.clone())>
                                    {label}
                                </button>
                            })
                            .collect_view()}
                    </div>
                    <FormError error testid="broker-fault-error" />
                </article>
            }
        })
    }
}
