//! Drawing a plotters chart on a canvas: sized to its box at the device pixel ratio, in the
//! theme's colours (the `--chart-*` and `--key-*` CSS variables). The box and the colours are
//! measured when the canvas appears and again only when the page's size or theme changes:
//! reading them forces the browser to lay out the page, which cost a third of the busy
//! scenario's frame time when every redraw did it.

use crate::ui::canvas_backend::CanvasBackend;
use crate::ui::reactive::effect;
use kafka_sim::charts::{ChartColours, parse_hex_colour};
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea};

/// A canvas's size in device pixels, its pixel ratio and the theme's chart colours.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Look {
    width: u32,
    height: u32,
    ratio: f64,
    colours: ChartColours,
}

/// The canvas's look, measured when it appears and each time `restyle` is notified.
pub fn watch_look(canvas: NodeRef<Canvas>, restyle: Trigger) -> ReadSignal<Option<Look>> {
    let (look, set_look) = signal(None);
    effect(move || {
        restyle.track();
        if let Some(canvas) = canvas.get() {
            set_look.set(Some(measure(&canvas)));
        }
    });
    look
}

fn measure(canvas: &web_sys::HtmlCanvasElement) -> Look {
    let ratio = window().device_pixel_ratio().max(1.0);
    let width = (f64::from(canvas.client_width()) * ratio).round() as u32;
    let height = (f64::from(canvas.client_height()) * ratio).round() as u32;
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
    Look {
        width: width.max(1),
        height: height.max(1),
        ratio,
        colours: ChartColours {
            text: var("--chart-text").unwrap_or(fallback.text),
            grid: var("--chart-grid").unwrap_or(fallback.grid),
            bar: var("--chart-bar").unwrap_or(fallback.bar),
            background: var("--panel").unwrap_or(fallback.background),
            series,
        },
    }
}

/// Clears the canvas to `look`'s size and calls `paint` with it as a drawing area, the theme's
/// colours and the pixel ratio.
pub fn paint(
    canvas: &web_sys::HtmlCanvasElement,
    look: &Look,
    paint: impl FnOnce(&DrawingArea<CanvasBackend, Shift>, &ChartColours, f64),
) {
    canvas.set_width(look.width);
    canvas.set_height(look.height);
    if let Some(backend) = CanvasBackend::new(canvas.clone()) {
        paint(&backend.into_drawing_area(), &look.colours, look.ratio);
    }
}
