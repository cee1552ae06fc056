//! A bar chart of records per partition, drawn with plotters on a canvas.

use crate::charts::{ChartColours, parse_hex_colour, partition_counts};
use crate::ui::playground::use_playground;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;

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
    Effect::new(move |_| {
        let bars = bars.get();
        if let Some(canvas) = canvas.get() {
            draw(&canvas, &bars);
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

/// Sizes the canvas to its box at the device's pixel ratio and draws the bars in the theme's
/// colours (the `--chart-*` CSS variables).
fn draw(canvas: &web_sys::HtmlCanvasElement, bars: &[(String, u64)]) {
    let ratio = window().device_pixel_ratio().max(1.0);
    let width = (f64::from(canvas.client_width()) * ratio).round() as u32;
    let height = (f64::from(canvas.client_height()) * ratio).round() as u32;
    canvas.set_width(width.max(1));
    canvas.set_height(height.max(1));
    let style = window().get_computed_style(canvas).ok().flatten();
    let var = |name: &str| {
        style
            .as_ref()
            .and_then(|s| s.get_property_value(name).ok())
            .and_then(|v| parse_hex_colour(&v))
    };
    let fallback = ChartColours::default();
    let colours = ChartColours {
        text: var("--chart-text").unwrap_or(fallback.text),
        grid: var("--chart-grid").unwrap_or(fallback.grid),
        bar: var("--chart-bar").unwrap_or(fallback.bar),
    };
    if let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) {
        let area = backend.into_drawing_area();
        // A failed draw leaves the previous picture; there is nothing better to show.
        let _ = partition_counts::draw(&area, bars, &colours, ratio);
    }
}
