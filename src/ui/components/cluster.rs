//! The brokers: each card shows the broker's state, whether it is the controller, and every
//! partition replica it holds (leader, in-sync follower, or out of sync), with crash and restart
//! buttons.

use crate::sim::broker::BrokerStatus;
use crate::sim::{BrokerId, Command};
use crate::ui::components::form_error::FormError;
use crate::ui::forms::FieldError;
use crate::ui::playground::use_playground;
use leptos::prelude::*;

/// One replica on a broker card.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Hosted {
    name: String,
    role: &'static str,
}

#[component]
pub fn Cluster() -> impl IntoView {
    let pg = use_playground();
    let error = RwSignal::new(None::<FieldError>);
    let brokers = Memo::new(move |_| {
        pg.view.with(|v| {
            v.brokers
                .iter()
                .map(|b| {
                    let hosted: Vec<Hosted> = v
                        .topics
                        .iter()
                        .flat_map(|t| {
                            t.partitions.iter().filter_map(move |p| {
                                let replica = p.replicas.iter().find(|r| r.broker == b.id)?;
                                let role = if p.leader == Some(b.id) {
                                    "leader"
                                } else if replica.in_isr {
                                    "follower"
                                } else {
                                    "out-of-sync"
                                };
                                Some(Hosted {
                                    name: format!("{}-{}", t.name, p.id),
                                    role,
                                })
                            })
                        })
                        .collect();
                    (b.id, b.status, b.controller, hosted)
                })
                .collect::<Vec<_>>()
        })
    });
    let act = move |command: Command| match pg.apply(command) {
        Ok(_) => error.set(None),
        Err(e) => error.set(Some(e.into())),
    };
    view! {
        <section class="panel cluster" aria-label="Brokers">
            <h2>"Cluster"</h2>
            <ul class="brokers">
                <For each=move || brokers.get() key=|b| b.clone() let((id, status, controller, hosted))>
                    <li
                        class="broker"
                        class:broker-down=status != BrokerStatus::Running
                        data-testid="broker"
                        data-broker=id.0
                        data-status=status_name(status)
                    >
                        <h3>
                            "Broker " {id.0}
                            {controller.then(|| view! { <span class="tag" title="The active controller">"controller"</span> })}
                            <span class="tag tag-status">{status_name(status)}</span>
                        </h3>
                        <ul class="replicas" aria-label=format!("Replicas on broker {}", id.0)>
                            {hosted
                                .into_iter()
                                .map(|h| view! { <li class=format!("replica replica-{}", h.role) title=h.role>{h.name}</li> })
                                .collect_view()}
                        </ul>
                        <BrokerButton id status act />
                    </li>
                </For>
            </ul>
            <div class="buttons">
                <button data-testid="add-broker" title="A new broker with the next free id; it holds nothing until topics are created or reassigned" on:click=move |_| act(Command::AddBroker)>
                    "Add broker"
                </button>
            </div>
            <FormError error testid="cluster-error" />
            <p class="hint">
                "Solid: leader. Outlined: in-sync follower. Dashed: out of sync. "
                "A crashed broker is fenced by the controller after broker.session.timeout.ms."
            </p>
        </section>
    }
}

fn status_name(status: BrokerStatus) -> &'static str {
    match status {
        BrokerStatus::Running => "running",
        BrokerStatus::Crashed { .. } => "crashed",
        BrokerStatus::Fenced => "fenced",
    }
}

#[component]
fn BrokerButton(
    id: BrokerId,
    status: BrokerStatus,
    act: impl Fn(Command) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let running = status == BrokerStatus::Running;
    let label = if running { "Crash" } else { "Restart" };
    view! {
        <button
            class="small"
            data-testid=if running { "crash-broker" } else { "restart-broker" }
            aria-label=format!("{label} broker {}", id.0)
            on:click=move |_| {
                act(if running {
                    Command::CrashBroker { broker: id }
                } else {
                    Command::RestartBroker { broker: id }
                })
            }
        >
            {label}
        </button>
    }
}
