//! Drawing a plotters chart on a canvas: sized to its box at the device pixel ratio, in the
//! theme's colours (the `--chart-*` and `--key-*` CSS variables).

use crate::charts::{ChartColours, parse_hex_colour};
use leptos::prelude::window;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea};
use plotters_canvas::CanvasBackend;

/// Calls `paint` with the canvas as a drawing area, the theme's colours and the pixel ratio.
pub fn paint(
    canvas: &web_sys::HtmlCanvasElement,
    paint: impl FnOnce(&DrawingArea<CanvasBackend, Shift>, &ChartColours, f64),
) {
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
    let mut series = fallback.series;
    for (colour, name) in series.iter_mut().zip([
        "--key-4", "--key-5", "--key-2", "--key-6", "--key-0", "--key-1", "--key-7", "--key-3",
    ]) {
        *colour = var(name).unwrap_or(*colour);
    }
    let colours = ChartColours {
        text: var("--chart-text").unwrap_or(fallback.text),
        grid: var("--chart-grid").unwrap_or(fallback.grid),
        bar: var("--chart-bar").unwrap_or(fallback.bar),
        background: var("--panel").unwrap_or(fallback.background),
        series,
    };
    if let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) {
        paint(&backend.into_drawing_area(), &colours, ratio);
    }
}
