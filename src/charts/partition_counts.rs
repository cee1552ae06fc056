//! Records per partition as bars: how evenly keys (or round robin) spread a topic's records.

use crate::charts::{ChartColours, label_font, say, y_top};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Draws one bar per `(label, records)` pair onto `area`. `scale` multiplies font sizes and
/// margins (the device pixel ratio on a canvas).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bars: &[(String, u64)],
    colours: &ChartColours,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |n: f64| (n * scale).round() as u32;
    let font = label_font(colours, scale);
    if bars.is_empty() {
        return say(area, "no partitions yet", colours, scale);
    }
    let top = y_top(bars.iter().map(|(_, n)| *n).max().unwrap_or(0));
    let mut chart = ChartBuilder::on(area)
        .margin(px(8.0))
        .x_label_area_size(px(22.0))
        .y_label_area_size(px(36.0))
        // A segmented range a..b has a segment for every value in a..=b, so one per bar is 0..n-1.
        .build_cartesian_2d((0..bars.len() as u32 - 1).into_segmented(), 0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(colours.grid)
        .light_line_style(TRANSPARENT)
        .axis_style(colours.grid)
        .x_labels(bars.len())
        .y_labels(5)
        .label_style(font)
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) => bars
                .get(*i as usize)
                .map(|(label, _)| label.clone())
                .unwrap_or_default(),
            _ => String::new(),
        })
        .y_label_formatter(&|y| y.to_string())
        .draw()?;
    chart.draw_series(bars.iter().zip(0u32..).map(|((_, n), i)| {
        let mut bar = Rectangle::new(
            [
                (SegmentValue::Exact(i), 0),
                (SegmentValue::Exact(i + 1), *n),
            ],
            colours.bar.filled(),
        );
        bar.set_margin(0, 0, px(6.0), px(6.0));
        bar
    }))?;
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
