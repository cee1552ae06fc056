//! A bar chart of records per partition, drawn with plotters on a canvas.

use crate::charts::partition_counts;
use crate::ui::canvas::{Look, paint, watch_look};
use crate::ui::playground::use_playground;
use leptos::html::Canvas;
use leptos::prelude::*;

#[component]
pub fn PartitionChart() -> impl IntoView {
    let pg = use_playground();
    let canvas = NodeRef::<Canvas>::new();
    let bars = Memo::new(move |_| {
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
    Effect::new(move |_| {
        let bars = bars.get();
        if let (Some(canvas), Some(look)) = (canvas.get(), look.get()) {
            draw(&canvas, &look, &bars);
        }
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
