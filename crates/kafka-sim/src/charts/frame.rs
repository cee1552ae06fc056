//! A chart's frame in pixels: the plot area left after the axis labels, the values it spans,
//! the y axis with its grid lines, and labels under the x axis. The charts draw with plotters'
//! primitives (paths, rectangles, text) in pixel coordinates; plotters' `ChartBuilder` and
//! mesh, generic over the coordinate types, cost about 25 KB of the gzipped bundle, and these
//! charts need only whole numbers from 0 up and virtual time.

use plotters::coord::Shift;
use plotters::prelude::{
    DrawingArea, DrawingAreaErrorKind, DrawingBackend, PathElement, Text, TextStyle,
};
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// How many steps the y axis has (five grid lines with 0).
const Y_STEPS: u64 = 4;

pub struct Frame {
    left: i32,
    top: i32,
    right: i32,
    bottom: i32,
    /// The x values at the left and right edges.
    x_span: (u64, u64),
    /// The y value at the top edge (0 is at the bottom).
    y_top: u64,
    scale: f64,
}

impl Frame {
    /// The frame in `area`: a margin, room for y labels `y_label_width` px wide on the left and
    /// for one line of x labels below, all times `scale` (the device pixel ratio).
    pub fn new<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        scale: f64,
        y_label_width: f64,
        x_span: (u64, u64),
        y_top: u64,
    ) -> Frame {
        let (width, height) = area.dim_in_pixel();
        let px = |n: f64| (n * scale).round() as i32;
        Frame {
            left: px(8.0 + y_label_width),
            top: px(8.0),
            // Room on the right for half of the last x label.
            right: (width as i32 - px(20.0)).max(px(9.0 + y_label_width)),
            bottom: (height as i32 - px(30.0)).max(px(9.0)),
            x_span: (x_span.0, x_span.1.max(x_span.0 + 1)),
            // A whole number per grid line.
            y_top: y_top.max(1).div_ceil(Y_STEPS).saturating_mul(Y_STEPS),
            scale,
        }
    }

    pub fn px(&self, n: f64) -> i32 {
        (n * self.scale).round() as i32
    }

    /// The left edge, the right edge and the bottom (the x axis), in pixels.
    pub fn edges(&self) -> (i32, i32, i32) {
        (self.left, self.right, self.bottom)
    }

    /// Where x value `x` is, in pixels from the area's left.
    pub fn x(&self, x: u64) -> i32 {
        let (from, to) = self.x_span;
        let along = x.clamp(from, to) - from;
        self.left + scaled(along, to - from, self.right - self.left)
    }

    /// Where y value `y` is, in pixels from the area's top.
    pub fn y(&self, y: u64) -> i32 {
        self.bottom - scaled(y.min(self.y_top), self.y_top, self.bottom - self.top)
    }

    /// The y axis: grid lines and labels at whole values from 0 to the top, and the x axis.
    pub fn draw_axes<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        grid: RGBColor,
        font: &TextStyle,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let label = font.pos(Pos::new(HPos::Right, VPos::Center));
        let mut last = None;
        for step in 0..=Y_STEPS {
            let value = self.y_top * step / Y_STEPS;
            if last == Some(value) {
                continue;
            }
            last = Some(value);
            let y = self.y(value);
            area.draw(&PathElement::new(
                vec![(self.left, y), (self.right, y)],
                grid,
            ))?;
            area.draw(&Text::new(
                value.to_string(),
                (self.left - self.px(4.0), y),
                label.clone(),
            ))?;
        }
        area.draw(&PathElement::new(
            vec![(self.left, self.top), (self.left, self.bottom)],
            grid,
        ))
    }

    /// `text` centred under the x axis at `x` pixels.
    pub fn draw_x_label<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        x: i32,
        text: String,
        font: &TextStyle,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let label = font.pos(Pos::new(HPos::Center, VPos::Top));
        area.draw(&Text::new(text, (x, self.bottom + self.px(6.0)), label))
    }
}

/// `part / whole` of `pixels`, rounded down.
fn scaled(part: u64, whole: u64, pixels: i32) -> i32 {
    let pixels = u128::from(pixels.max(0).unsigned_abs());
    (u128::from(part) * pixels / u128::from(whole.max(1))) as i32
}

/// Tick values for a time axis from `from` to `to` ms: about five, at a round step.
pub fn time_ticks(from: u64, to: u64) -> Vec<u64> {
    // Whole tenths of a second, as `seconds` shows them.
    const STEPS_MS: [u64; 13] = [
        100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
        600_000,
    ];
    let wanted = (to.saturating_sub(from) / Y_STEPS).max(1);
    let step = STEPS_MS
        .iter()
        .copied()
        .find(|s| *s >= wanted)
        .unwrap_or(wanted.div_ceil(600_000) * 600_000);
    let first = from.div_ceil(step).checked_mul(step);
    std::iter::successors(first, |t| t.checked_add(step))
        .take_while(|t| *t <= to)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::{IntoDrawingArea, SVGBackend};

    #[test]
    fn values_map_to_pixels_inside_the_frame() {
        let mut out = String::new();
        let area = SVGBackend::with_string(&mut out, (400, 200)).into_drawing_area();
        let frame = Frame::new(&area, 1.0, 40.0, (1000, 3000), 10);
        assert_eq!((frame.x(1000), frame.x(3000)), (48, 380));
        assert_eq!(frame.x(2000), 48 + 166);
        assert_eq!(frame.x(0), 48, "clamped to the span");
        // The top rounds up to 12, so each of the four grid lines is a whole number (3).
        assert_eq!((frame.y(0), frame.y(12)), (170, 8));
        assert_eq!(frame.y(6), 89);
        assert_eq!(frame.y(99), 8, "clamped to the top");
    }

    #[test]
    fn time_ticks_are_round() {
        assert_eq!(time_ticks(0, 1000), [0, 500, 1000]);
        assert_eq!(time_ticks(0, 900), [0, 500]);
        assert_eq!(time_ticks(1_300, 21_000), [5_000, 10_000, 15_000, 20_000]);
        assert_eq!(time_ticks(7, 7), Vec::<u64>::new());
        assert_eq!(time_ticks(0, 4_000_000).len(), 4);
        assert_eq!(time_ticks(u64::MAX - 10, u64::MAX).len(), 0);
    }
}
