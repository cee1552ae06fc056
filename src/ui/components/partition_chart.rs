//! A bar chart of records per partition, drawn with plotters on a canvas.

use crate::ui::canvas::{Look, paint, watch_look};
use crate::ui::playground::use_playground;
use crate::ui::reactive::{effect, memo};
use gloo_timers::callback::Timeout;
use kafka_sim::charts::partition_counts;
use leptos::html::Canvas;
use leptos::prelude::*;

/// At most this often, in real ms.
const REDRAW_MS: u32 = 250;

#[component]
pub fn PartitionChart() -> impl IntoView {
    let pg = use_playground();
    let canvas = NodeRef::<Canvas>::new();
    let bars = memo(move || {
        pg.view.with(|v| {
            v.topics
                .iter()
                .flat_map(|t| {
                    t.partitions
                        .iter()
                        .map(move |p| (format!("{}-{}", t.name, p.id), p.log_end.0 - p.log_start.0))
                })
                .collect::<Vec<_>>()
        })
    });
    let look = watch_look(canvas, pg.restyle);
    // The counts change at every tick while records flow; drawing them that often cost more
    // than the rest of the page (each label sets the canvas font). A change schedules one
    // draw REDRAW_MS later, which draws the counts as they are then.
    let scheduled = StoredValue::new_local(None::<Timeout>);
    effect(move || {
        bars.track();
        look.track();
        if scheduled.with_value(Option::is_some) {
            return;
        }
        scheduled.set_value(Some(Timeout::new(REDRAW_MS, move || {
            scheduled.set_value(None);
            if let (Some(canvas), Some(look)) = (canvas.get_untracked(), look.get_untracked()) {
                bars.with_untracked(|bars| draw(&canvas, &look, bars));
            }
        })));
    });
    view! {
        <section class="panel chart" aria-label="Records per partition">
            <h2>"Records per partition"</h2>
            <canvas
                node_ref=canvas
                class="chart-canvas"
                data-testid="partition-chart"
                role="img"
                aria-label=move || {
                    bars.with(|b| {
                        b.iter().map(|(label, n)| format!("{label}: {n}")).collect::<Vec<_>>().join(", ")
                    })
                }
            ></canvas>
        </section>
    }
}

/// Draws the bars on the canvas; a failed draw leaves the previous picture, there is nothing
/// better to show.
fn draw(canvas: &web_sys::HtmlCanvasElement, look: &Look, bars: &[(String, u64)]) {
    paint(canvas, look, |area, colours, ratio| {
        let _ = partition_counts::draw(area, bars, colours, ratio);
    });
}
