//! The brokers along the top of the stage: each its status (a crashed broker, or one cut off
//! from the controller, counts down to the moment the controller fences it), its network and
//! disk faults and the partitions it still leads as a zombie, how many partitions it leads,
//! and buttons to crash it, stop it gracefully (a controlled shutdown) or restart it (and to
//! heal it while it has a fault; the faults themselves are in the Inspector). A click on its
//! name opens it in the Inspector. The KRaft controllers follow, each with its Raft state and
//! epoch (the active one marked) and a button to crash or restart it, with a notice while no
//! controller with a majority is active (the metadata is frozen); and the records
//! acknowledged then lost, cluster-wide.

use crate::ui::components::form_error::FormError;
use crate::ui::components::keyed_list::KeyedList;
use crate::ui::components::stage_captions::StageCaptions;
use crate::ui::playground::{Inspected, use_playground};
use crate::ui::reactive::memo;
use kafka_sim::format::seconds;
use kafka_sim::forms::FieldError;
use kafka_sim::sim::broker::{BrokerFaults, BrokerStatus};
use kafka_sim::sim::ids::ControllerId;
use kafka_sim::sim::view::ControllerView;
use kafka_sim::sim::{BrokerId, Command};
use leptos::prelude::*;

/// With more brokers than this, each is drawn on one line (its counts in its tooltip).
const COMPACT_ABOVE: usize = 6;

/// What a broker node shows.
#[derive(Clone, Debug, PartialEq, Eq)]
struct BrokerNode {
    id: BrokerId,
    status: BrokerStatus,
    leads: usize,
    holds: usize,
    /// Crashed (or cut off from the controller) and not yet fenced: how long until it is.
    fenced_in_ms: Option<u64>,
    /// `broker.rack`, if set.
    rack: Option<String>,
    faults: BrokerFaults,
    /// Partitions it still believes it leads, though the controller moved them (a zombie).
    zombie_in: usize,
}

#[component]
pub fn BrokerStrip() -> impl IntoView {
    let pg = use_playground();
    let error = RwSignal::new(None::<FieldError>);
    let brokers = memo(move || {
        pg.view.with(|v| {
            v.brokers
                .iter()
                .map(|b| {
                    let replicas = v
                        .topics
                        .iter()
                        .flat_map(|t| &t.partitions)
                        .filter(|p| p.replicas.iter().any(|r| r.broker == b.id));
                    BrokerNode {
                        id: b.id,
                        status: b.status,
                        leads: replicas.clone().filter(|p| p.leader == Some(b.id)).count(),
                        zombie_in: v.zombie_partitions(b.id),
                        holds: replicas.count(),
                        fenced_in_ms: b.fenced_at_ms.map(|at| at.saturating_sub(v.now_ms)),
                        rack: b.rack.clone(),
                        faults: b.faults,
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let act = move |command: Command| match pg.apply(command) {
        Ok(_) => error.set(None),
        Err(e) => error.set(Some(e.into())),
    };
    let ids = memo(move || brokers.with(|b| b.iter().map(|b| b.id).collect::<Vec<_>>()));
    let acknowledged_lost = memo(move || pg.view.with(|v| v.acknowledged_lost()));
    let controllers = memo(move || pg.view.with(|v| v.quorum.controllers.clone()));
    let controller_ids =
        memo(move || controllers.with(|c| c.iter().map(|c| c.id).collect::<Vec<_>>()));
    let frozen = memo(move || pg.view.with(|v| v.quorum.frozen.clone()));
    view! {
        <section class="brokers-strip" class:many=move || ids.with(|ids| ids.len() > COMPACT_ABOVE) aria-label="Brokers">
            <ul class="brokers">
                <KeyedList each=move || ids.get() key=|id| *id let(id)>
                    <BrokerNodeView id brokers act />
                </KeyedList>
            </ul>
            <button class="small" data-testid="add-broker" title="A new broker with the next free id; it holds nothing until topics are created or reassigned" on:click=move |_| act(Command::AddBroker)>
                "+ broker"
            </button>
            <ul class="controllers" aria-label="KRaft controllers" title="The KRaft controllers elect one active controller (Raft: a majority of votes), which registers brokers, fences those whose heartbeats stop, elects partition leaders and creates topics. Simplified: a decision takes effect when made, and only while a majority of the controllers follows the active one.">
                <KeyedList each=move || controller_ids.get() key=|id| *id let(id)>
                    <ControllerNodeView id controllers act />
                </KeyedList>
            </ul>
            <small class="caption caption-alert" data-testid="quorum-frozen" hidden=move || frozen.with(Option::is_none)>
                {move || frozen.get()}
            </small>
            <small class="caption caption-alert" data-testid="acknowledged-lost-total" title="Records their producers had been told were written, later truncated away, over every partition" hidden=move || acknowledged_lost.get() == 0>
                {move || format!("acknowledged, then lost: {} record(s)", acknowledged_lost.get())}
            </small>
            <FormError error testid="cluster-error" />
        </section>
    }
}

/// One broker. The node stays while the broker does and only what it shows changes, so a
/// button is never replaced under the pointer.
#[component]
fn BrokerNodeView(
    id: BrokerId,
    brokers: Memo<Vec<BrokerNode>>,
    act: impl Fn(Command) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let pg = use_playground();
    let node = memo(move || brokers.with(|b| b.iter().find(|b| b.id == id).cloned()));
    // Its process runs (fenced or not): it can crash.
    let running = move || {
        node.with(|n| {
            n.as_ref().is_some_and(|n| {
                matches!(
                    n.status,
                    BrokerStatus::Running | BrokerStatus::FencedRunning
                )
            })
        })
    };
    let faults = move || node.with(|n| n.as_ref().map(|n| n.faults).unwrap_or_default());
    let isolated = move || {
        let f = faults();
        f.cut_from_controller_at_ms.is_some() || f.cut_from_clients
    };
    let status = move || node.with(|n| n.as_ref().map_or("gone", |n| status_name(n.status)));
    let toggle = move || {
        act(if running() {
            Command::CrashBroker { broker: id }
        } else {
            Command::RestartBroker { broker: id }
        })
    };
    view! {
        <li class="node broker" class:broker-down=move || !running() class:broker-isolated=isolated data-testid="broker" data-broker=id.0 data-status=status>
            <button class="node-name" data-testid="broker-name" title="Details in the Inspector" on:click=move |_| pg.selected.set(Some(Inspected::Broker(id)))>
                "Broker " {id.0}
            </button>
            // `{move || f()}`, not `{f}`: see the log start in `partition_log`.
            <span class="tag tag-status">{move || status()}</span>
            <span class="tag" data-testid="broker-rack" title="broker.rack: replica placement spreads each partition over the racks" hidden=move || node.with(|n| n.as_ref().is_none_or(|n| n.rack.is_none()))>
                {move || node.with(|n| n.as_ref().and_then(|n| n.rack.as_ref()).map(|r| format!("rack {r}")))}
            </span>
            <small class="node-facts">
                {move || node.with(|n| n.as_ref().map(|n| format!("leads {} · holds {}", n.leads, n.holds)))}
            </small>
            <small class="caption caption-alert" data-testid="fence-countdown" hidden=move || node.with(|n| n.as_ref().is_none_or(|n| n.fenced_in_ms.is_none()))>
                {move || node.with(|n| {
                    n.as_ref().and_then(|n| n.fenced_in_ms).map(|ms| {
                        format!("no heartbeat: still leader and in sync until the controller fences it in {} (broker.session.timeout.ms)", seconds(ms))
                    })
                })}
            </small>
            <small class="caption caption-alert" data-testid="broker-faults" hidden=move || !faults().any()>
                {move || faults().describe(node.with(|n| n.as_ref().map_or(0, |n| n.zombie_in)))}
            </small>
            <StageCaptions place=Inspected::Broker(id) />
            <CrashRestart node="broker" id=id.0 running=Signal::derive(running) toggle />
            <button
                class="small"
                data-testid="stop-broker"
                hidden=move || {
                    // A controlled shutdown needs the controller: only a running broker it hears.
                    faults().cut_from_controller_at_ms.is_some()
                        || node.with(|n| n.as_ref().is_none_or(|n| n.status != BrokerStatus::Running))
                }
                aria-label=format!("Stop broker {} gracefully", id.0)
                title="A controlled shutdown (SIGTERM): the controller first moves its leaderships to other in-sync replicas and takes it out of every ISR, then it stops; its restart is clean, so it keeps its place among eligible leader replicas"
                on:click=move |_| act(Command::ShutDownBroker { broker: id })
            >
                "Stop"
            </button>
            <button class="small" data-testid="heal-broker" hidden=move || !faults().any() aria-label=format!("Heal broker {}", id.0) title="End its faults: it reaches the controller and the clients and fetches at full speed again" on:click=move |_| act(Command::HealBroker { broker: id })>
                "Heal"
            </button>
        </li>
    }
}

/// One KRaft controller: its Raft state (the active one says so) and epoch, and its crash or
/// restart button.
#[component]
fn ControllerNodeView(
    id: ControllerId,
    controllers: Memo<Vec<ControllerView>>,
    act: impl Fn(Command) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let node = memo(move || controllers.with(|c| c.iter().find(|c| c.id == id).cloned()));
    let running = move || node.with(|n| n.as_ref().is_some_and(|n| n.running));
    let toggle = move || {
        act(if running() {
            Command::CrashController { controller: id }
        } else {
            Command::RestartController { controller: id }
        })
    };
    view! {
        <li class="node controller" class:broker-down=move || !running() class:active=move || node.with(|n| n.as_ref().is_some_and(|n| n.active)) data-testid="controller" data-controller=id.0>
            <span class="node-name">"Controller " {id.0}</span>
            <span class="tag tag-status">
                {move || node.with(|n| n.as_ref().map(|n| if n.active { "active" } else { n.state }))}
            </span>
            <small class="node-facts">
                {move || node.with(|n| n.as_ref().map(|n| format!("epoch {} · log end {}", n.epoch, n.log_end)))}
            </small>
            <CrashRestart node="controller" id=id.0 running=Signal::derive(running) toggle />
        </li>
    }
}

/// The Crash button of a running `node` ("broker", "controller"), Restart of a stopped one.
#[component]
fn CrashRestart(
    node: &'static str,
    id: u32,
    running: Signal<bool>,
    toggle: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let label = move || if running.get() { "Crash" } else { "Restart" };
    view! {
        <button
            class="small"
            data-testid=move || format!("{}-{node}", label().to_lowercase())
            aria-label=move || format!("{} {node} {id}", label())
            title=move || if running.get() { "Kill its process (kill -9), with no controlled shutdown" } else { "Start it again" }
            on:click=move |_| toggle()
        >
            {move || label()}
        </button>
    }
}

pub fn status_name(status: BrokerStatus) -> &'static str {
    match status {
        BrokerStatus::Running => "running",
        BrokerStatus::Crashed { .. } => "crashed",
        BrokerStatus::Fenced => "fenced",
        BrokerStatus::Stopped => "stopped",
        BrokerStatus::FencedRunning => "fenced, still running",
    }
}
