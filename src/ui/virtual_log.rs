//! Which cells of a partition log are in the DOM: only those in view (plus a margin on each
//! side), so a log of hundreds of thousands of records costs no more to draw than a short one.
//! Cells sit at fixed steps (the pitch) along a horizontally scrolled track.

use std::ops::Range;

/// Cells drawn beyond each edge of the view, so a short scroll shows no blank.
pub const MARGIN_CELLS: usize = 8;
/// Cells drawn before the track has been measured.
pub const UNMEASURED_CELLS: usize = 24;

/// Where the track is scrolled to, and how wide it and one cell step are, in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackView {
    pub scroll_left: f64,
    pub width: f64,
    pub pitch: f64,
}

/// The indexes of the cells to draw out of `count`.
pub fn cells_to_draw(view: Option<TrackView>, count: usize) -> Range<usize> {
    let (first, visible) = match view {
        Some(v) if v.pitch > 0.0 && v.width >= 0.0 && v.scroll_left >= 0.0 => (
            (v.scroll_left / v.pitch) as usize,
            (v.width / v.pitch).ceil() as usize + 1,
        ),
        _ => (0, UNMEASURED_CELLS),
    };
    let start = first.saturating_sub(MARGIN_CELLS).min(count);
    let end = first
        .saturating_add(visible)
        .saturating_add(MARGIN_CELLS)
        .min(count);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(scroll_left: f64) -> Option<TrackView> {
        Some(TrackView {
            scroll_left,
            width: 780.0,
            pitch: 78.0,
        })
    }

    #[test]
    fn only_the_cells_in_view_and_a_margin_are_drawn() {
        assert_eq!(cells_to_draw(view(0.0), 200_000), 0..19);
        assert_eq!(
            cells_to_draw(view(78.0 * 1000.0 + 30.0), 200_000),
            992..1019
        );
        assert_eq!(
            cells_to_draw(view(78.0 * 199_995.0), 200_000),
            199_987..200_000
        );
    }

    #[test]
    fn short_logs_and_odd_measurements_stay_in_bounds() {
        assert_eq!(cells_to_draw(view(0.0), 3), 0..3);
        assert_eq!(cells_to_draw(view(1e12), 3), 3..3);
        assert_eq!(cells_to_draw(None, 100), 0..UNMEASURED_CELLS + MARGIN_CELLS);
        let broken = Some(TrackView {
            scroll_left: f64::NAN,
            width: 10.0,
            pitch: 0.0,
        });
        assert_eq!(
            cells_to_draw(broken, 100),
            0..UNMEASURED_CELLS + MARGIN_CELLS
        );
    }
}
