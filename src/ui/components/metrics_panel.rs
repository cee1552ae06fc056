//! The Metrics tab: Kafka's JMX metrics per broker and for the cluster, each as it was a window
//! ago on the virtual clock, now, and the change (the rows come from the core's
//! `MetricsWindow`).

use crate::ui::components::keyed_list::KeyedList;
use crate::ui::playground::use_playground;
use crate::ui::reactive::memo;
use kafka_sim::sim::metrics::METRICS_WINDOW_MS;
use leptos::prelude::*;

#[component]
pub fn MetricsPanel() -> impl IntoView {
    let pg = use_playground();
    let rows = memo(move || pg.metrics.with(|m| m.rows()));
    let window_s = METRICS_WINDOW_MS / 1_000;
    view! {
        <div class="metrics" data-testid="metrics">
            <p class="chart-note">
                {format!("\"was\" is the value {window_s} virtual seconds ago; rates (…PerSec, LeaderElectionRate) are per second over the last {window_s} s (\"was\": the {window_s} s before). Counted since the playground started.")}
            </p>
            <table>
                <thead>
                    <tr><th>"MBean"</th><th>"of"</th><th>"was"</th><th>"now"</th><th>"change"</th></tr>
                </thead>
                <tbody>
                    <KeyedList each=move || rows.get() key=|r| r.clone() let(r)>
                        <tr data-testid="metric">
                            <td><code>{r.name}</code></td>
                            <td>{r.scope.clone()}</td>
                            <td>{r.was.clone()}</td>
                            <td>{r.now.clone()}</td>
                            <td>{r.change.clone()}</td>
                        </tr>
                    </KeyedList>
                </tbody>
            </table>
        </div>
    }
}
