//! Lines over virtual time: lag per group, replication health, throughput per topic.

use crate::charts::frame::{Frame, time_ticks};
use crate::charts::{ChartColours, label_font, say, y_top};
use crate::format::seconds;
use crate::history::Series;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Draws each series as a line in the next series colour, with a legend, onto `area`; x is
/// virtual time, y whole numbers from 0. `scale` multiplies font sizes and margins.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series],
    colours: &ChartColours,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let font = label_font(colours, scale);
    let points = || series.iter().flat_map(|s| &s.points);
    let (Some(first), Some(last)) = (points().map(|p| p.0).min(), points().map(|p| p.0).max())
    else {
        return say(area, "nothing to draw yet", colours, scale);
    };
    let top = y_top(points().map(|p| p.1).max().unwrap_or(0));
    // At least a second wide, so one sample still has an axis.
    let right = last.max(first + 1000);
    let frame = Frame::new(area, scale, 36.0, (first, right), top);
    frame.draw_axes(area, colours.grid, &font)?;
    for t in time_ticks(first, right) {
        frame.draw_x_label(area, frame.x(t), seconds(t), &font)?;
    }
    for (line, colour) in series.iter().zip(colours.series.iter().cycle()) {
        area.draw(&PathElement::new(
            line.points
                .iter()
                .map(|&(t, value)| (frame.x(t), frame.y(value)))
                .collect::<Vec<_>>(),
            colour.stroke_width(frame.px(2.0) as u32),
        ))?;
    }
    let (left, _, _) = frame.edges();
    legend(
        &area.margin(frame.px(8.0) as u32, 0, left as u32, 0),
        series,
        colours,
        &font,
        scale,
    )?;
    area.present()
}

/// The legend in the plot's upper left corner: a swatch and the name of each series. Drawn here
/// rather than by plotters' series labels, whose default font is named by a string that plotters
/// lower-cases, which brings Unicode's case tables (about 12 KB) into the bundle.
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series],
    colours: &ChartColours,
    font: &TextStyle,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |n: f64| (n * scale).round() as i32;
    let (pad, swatch, row) = (px(6.0), px(16.0), px(16.0));
    let mut widest = 0;
    for line in series {
        widest = widest.max(area.estimate_text_size(&line.name, font)?.0 as i32);
    }
    let (left, top) = (pad, pad);
    let right = left + pad + swatch + pad + widest + pad;
    let bottom = top + pad + row * series.len() as i32 + pad;
    area.draw(&Rectangle::new(
        [(left, top), (right, bottom)],
        colours.background.mix(0.85).filled(),
    ))?;
    area.draw(&Rectangle::new(
        [(left, top), (right, bottom)],
        colours.grid,
    ))?;
    for (i, (line, colour)) in series.iter().zip(colours.series.iter().cycle()).enumerate() {
        let y = top + pad + row * i as i32;
        let middle = y + row / 2;
        let x = left + pad;
        area.draw(&PathElement::new(
            vec![(x, middle), (x + swatch, middle)],
            colour.stroke_width(px(2.0) as u32),
        ))?;
        area.draw(&Text::new(
            line.name.clone(),
            (x + swatch + pad, y),
            font.clone(),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(series: &[Series]) -> String {
        crate::charts::svg_of(|area| {
            draw(area, series, &ChartColours::default(), 1.0).expect("drawing into a string");
        })
    }

    #[test]
    fn one_line_per_series_with_its_name_in_the_legend() {
        let series = vec![
            Series {
                name: "group-1".into(),
                points: vec![(0, 0), (500, 4), (1000, 2)],
            },
            Series {
                name: "group-2".into(),
                points: vec![(500, 1), (1000, 9)],
            },
        ];
        let out = svg(&series);
        for colour in ["#0072B2", "#D55E00"] {
            let drawn = out
                .matches(&format!("stroke=\"{colour}\" stroke-width=\"2\""))
                .count();
            assert_eq!(drawn, 2, "a line and its legend swatch in {colour}: {out}");
        }
        for name in ["group-1", "group-2"] {
            assert!(
                out.contains(&format!(">\n{name}\n</text>")),
                "legend {name} in {out}"
            );
        }
        assert!(
            out.contains(">\n1.0 s\n</text>"),
            "time labels in seconds: {out}"
        );
    }

    #[test]
    fn nothing_to_draw_says_so() {
        assert!(svg(&[]).contains("nothing to draw yet"));
        assert!(
            svg(&[Series {
                name: "empty".into(),
                points: vec![]
            }])
            .contains("nothing to draw yet")
        );
    }
}
