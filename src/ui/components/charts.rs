//! The charts: records per partition now, and over virtual time the lag of each group, the
//! throughput of each topic, and replication health. The history behind them is the
//! playground's, sampled as the cluster changes whether or not the charts are shown.

use crate::ui::components::line_chart::LineChart;
use crate::ui::components::partition_chart::PartitionChart;
use crate::ui::playground::use_playground;
use crate::ui::reactive::memo;
use kafka_sim::history::{History, Series};
use leptos::prelude::*;

#[component]
pub fn Charts() -> impl IntoView {
    let pg = use_playground();
    let history = pg.history;
    let resize = window_event_listener(leptos::ev::resize, move |_| pg.restyle.notify());
    on_cleanup(move || resize.remove());
    let lines = move |pick: fn(&History) -> Vec<Series>| memo(move || history.with(pick));
    view! {
        <div class="charts">
            <PartitionChart />
            <LineChart
                title="Consumer lag per group"
                note="Records written but not yet committed by the group (summed over its partitions)."
                testid="lag-chart"
                series=lines(History::lag)
            />
            <LineChart
                title="Throughput"
                note="Records per second appended to each partition's leader (to each topic's, beyond 8 partitions)."
                testid="throughput-chart"
                series=lines(History::throughput)
            />
            <LineChart
                title="Replication"
                note="Replicas in sync, and partitions with a replica out of the ISR (under-replicated)."
                testid="replication-chart"
                series=lines(History::replication)
            />
        </div>
    }
}
