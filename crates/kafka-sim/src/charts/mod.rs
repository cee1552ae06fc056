//! Charts drawn with plotters, generic over the backend: a canvas in the browser, an SVG string
//! in native tests.

pub mod frame;
pub mod lines;
pub mod partition_counts;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend, Text, TextStyle};
use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor};

/// Reads a CSS hex colour ("#rrggbb", spaces around it allowed), as the page's theme variables
/// hold them.
pub fn parse_hex_colour(text: &str) -> Option<RGBColor> {
    let hex = text.trim().strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some(RGBColor(channel(0)?, channel(2)?, channel(4)?))
}

/// The colours a chart is drawn in, taken from the page's theme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartColours {
    pub text: RGBColor,
    pub grid: RGBColor,
    pub bar: RGBColor,
    pub background: RGBColor,
    /// Lines, in order: the colour-blind safe key palette (as many as `PARTITION_LINES`).
    pub series: [RGBColor; 8],
}

impl Default for ChartColours {
    fn default() -> ChartColours {
        ChartColours {
            text: RGBColor(0x33, 0x33, 0x33),
            grid: RGBColor(0xcc, 0xcc, 0xcc),
            bar: RGBColor(0x00, 0x72, 0xb2),
            background: RGBColor(0xff, 0xff, 0xff),
            series: [
                RGBColor(0x00, 0x72, 0xb2),
                RGBColor(0xd5, 0x5e, 0x00),
                RGBColor(0x00, 0x9e, 0x73),
                RGBColor(0xcc, 0x79, 0xa7),
                RGBColor(0xe6, 0x9f, 0x00),
                RGBColor(0x56, 0xb4, 0xe9),
                RGBColor(0x88, 0x22, 0x55),
                RGBColor(0xf0, 0xe4, 0x42),
            ],
        }
    }
}

/// What a chart drawing function draws into a 400×200 SVG, for tests to read.
#[cfg(test)]
pub(crate) fn svg_of(
    draw: impl FnOnce(
        &plotters::drawing::DrawingArea<plotters::prelude::SVGBackend, plotters::coord::Shift>,
    ),
) -> String {
    use plotters::prelude::{IntoDrawingArea, SVGBackend};
    let mut out = String::new();
    draw(&SVGBackend::with_string(&mut out, (400, 200)).into_drawing_area());
    out
}

/// A chart's label font at `scale`.
fn label_font(colours: &ChartColours, scale: f64) -> TextStyle<'static> {
    // Named by enum: plotters' `From<&str>` lower-cases the name, which brings Unicode's case
    // tables (about 20 KB) into the bundle.
    FontDesc::new(FontFamily::SansSerif, 12.0 * scale, FontStyle::Normal).color(&colours.text)
}

/// Says `message` where the chart would be, when there is nothing to draw.
fn say<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    message: &str,
    colours: &ChartColours,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let at = (8.0 * scale).round() as i32;
    area.draw(&Text::new(message, (at, at), label_font(colours, scale)))?;
    area.present()
}

/// The top of a y axis over values up to `highest`: a fifth of headroom, and at least 1 so
/// all zeros still have an axis.
fn y_top(highest: u64) -> u64 {
    (highest + highest / 5).max(highest + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_colours() {
        assert_eq!(parse_hex_colour(" #0072b2 "), Some(RGBColor(0, 0x72, 0xb2)));
        assert_eq!(parse_hex_colour("#FFF"), None);
        assert_eq!(parse_hex_colour("0072b2"), None);
        assert_eq!(parse_hex_colour("#00é2b2"), None);
        assert_eq!(parse_hex_colour("#zz72b2"), None);
    }
}
