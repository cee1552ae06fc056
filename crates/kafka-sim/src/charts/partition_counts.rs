//! Records per partition as bars: how evenly keys (or round robin) spread a topic's records.

use crate::charts::frame::Frame;
use crate::charts::{ChartColours, label_font, say, y_top};
use plotters::coord::Shift;
use plotters::prelude::*;

/// About how wide a character of the 12 px label font is, and the room between two labels.
const LABEL_CHAR_PX: f64 = 7.0;
const LABEL_GAP_PX: f64 = 8.0;

/// Draws one bar per `(label, records)` pair onto `area`. `scale` multiplies font sizes and
/// margins (the device pixel ratio on a canvas).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bars: &[(String, u64)],
    colours: &ChartColours,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let font = label_font(colours, scale);
    if bars.is_empty() {
        return say(area, "no partitions yet", colours, scale);
    }
    let top = y_top(bars.iter().map(|(_, n)| *n).max().unwrap_or(0));
    // x counts bars: bar i spans i..i+1.
    let frame = Frame::new(area, scale, 28.0, (0, bars.len() as u64), top);
    frame.draw_axes(area, colours.grid, &font)?;
    let gap = frame.px(6.0);
    // Labels that would overlap are thinned out: every `step`-th bar is labelled (the canvas's
    // text alternative names every bar).
    let longest = bars
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(1);
    let label_px = frame.px(LABEL_CHAR_PX * longest as f64 + LABEL_GAP_PX);
    let bar_px = (frame.x(1) - frame.x(0)).max(1);
    let step = (label_px + bar_px - 1) / bar_px;
    for ((label, records), i) in bars.iter().zip(0u64..) {
        let (from, to) = (frame.x(i), frame.x(i + 1));
        if i % step.max(1) as u64 == 0 {
            frame.draw_x_label(area, (from + to) / 2, label.clone(), &font)?;
        }
        let left = (from + gap).min((from + to) / 2);
        let right = (to - gap).max(left + 1);
        area.draw(&Rectangle::new(
            [(left, frame.y(*records)), (right, frame.y(0))],
            colours.bar.filled(),
        ))?;
    }
    area.present()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(bars: &[(String, u64)]) -> String {
        crate::charts::svg_of(|area| {
            draw(area, bars, &ChartColours::default(), 1.0).expect("drawing into a string");
        })
    }

    #[test]
    fn one_bar_per_partition_labelled() {
        let bars: Vec<(String, u64)> = vec![("p0".into(), 3), ("p1".into(), 0), ("p2".into(), 5)];
        let out = svg(&bars);
        for label in ["p0", "p1", "p2"] {
            assert!(
                out.contains(&format!(">\n{label}\n</text>")),
                "label {label} in {out}"
            );
        }
        // The bars are the only shapes filled with the bar colour.
        assert_eq!(out.matches("fill=\"#0072B2\"").count(), 3, "{out}");
    }

    #[test]
    fn many_partitions_get_every_nth_label_so_none_overlap() {
        let bars: Vec<(String, u64)> = (0..64).map(|p| (format!("events-{p}"), 5)).collect();
        let out = svg(&bars);
        let labelled: Vec<usize> = (0..64)
            .filter(|p| out.contains(&format!(">\nevents-{p}\n</text>")))
            .collect();
        assert!(labelled.len() < 10, "{labelled:?}");
        assert_eq!(labelled[0], 0);
        let step = labelled[1];
        assert!(labelled.iter().all(|p| p % step == 0), "{labelled:?}");
        assert_eq!(
            out.matches("fill=\"#0072B2\"").count(),
            64,
            "every bar is drawn"
        );
    }

    #[test]
    fn taller_bar_for_more_records() {
        let out = svg(&[("a".into(), 1), ("b".into(), 4)]);
        let heights: Vec<f64> = out
            .split("<rect")
            .filter(|r| r.contains("fill=\"#0072B2\""))
            .map(|r| {
                let h = r
                    .split("height=\"")
                    .nth(1)
                    .expect("a height")
                    .split('"')
                    .next();
                h.and_then(|h| h.parse().ok()).expect("a number")
            })
            .collect();
        assert_eq!(heights.len(), 2);
        assert!(heights[1] > 3.0 * heights[0], "{heights:?}");
    }

    #[test]
    fn no_bars_says_so() {
        assert!(svg(&[]).contains("no partitions yet"));
    }
}
