//! A chart of lines over virtual time, drawn with plotters on a canvas; the same figures are
//! in its label for screen readers.

use crate::ui::canvas::{paint, watch_look};
use crate::ui::playground::use_playground;
use crate::ui::reactive::effect;
use kafka_sim::charts::lines;
use kafka_sim::history::Series;
use leptos::html::Canvas;
use leptos::prelude::*;

#[component]
pub fn LineChart(
    title: &'static str,
    /// What the figures mean, under the title.
    note: &'static str,
    testid: &'static str,
    series: Memo<Vec<Series>>,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let look = watch_look(canvas, use_playground().restyle);
    effect(move || {
        series.with(|series| {
            if let (Some(canvas), Some(look)) = (canvas.get(), look.get()) {
                // A failed draw leaves the previous picture; there is nothing better to show.
                paint(&canvas, &look, |area, colours, ratio| {
                    let _ = lines::draw(area, series, colours, ratio);
                });
            }
        });
    });
    // The latest value of each line, for screen readers and tests.
    let latest = move || {
        series.with(|series| {
            series
                .iter()
                .filter_map(|s| s.points.last().map(|(_, v)| format!("{}: {v}", s.name)))
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    view! {
        <section class="panel chart" aria-label=title>
            <h2>{title}</h2>
            <p class="chart-note">{note}</p>
            <canvas node_ref=canvas class="chart-canvas" data-testid=testid data-latest=latest role="img" aria-label=move || format!("{title} now: {}", latest())></canvas>
        </section>
    }
}
