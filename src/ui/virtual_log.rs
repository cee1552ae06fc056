//! Which cells of a partition log are in the DOM: only those in view (plus a margin on each
//! side), so a log of hundreds of thousands of records costs no more to draw than a short one.
//! Cells sit at fixed steps (the pitch) along a horizontally scrolled track. Before the track is
//! measured, the newest cells are drawn: a log follows its head.

use std::ops::Range;

/// Cells drawn beyond each edge of the view, so a short scroll shows no blank.
pub const MARGIN_CELLS: usize = 8;
/// The newest cells drawn before the track has been measured.
pub const UNMEASURED_CELLS: usize = 24;

/// Where the track is scrolled to, and how wide it and one cell step are, in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackView {
    pub scroll_left: f64,
    pub width: f64,
    pub pitch: f64,
}

/// The indexes of the cells to draw out of `count`: those in view, or the newest ones when the
/// log follows its head (`at_head`), wherever the last measurement saw the track scrolled to
/// (the log grows between a scroll and its measurement).
pub fn cells_to_draw(view: Option<TrackView>, count: usize, at_head: bool) -> Range<usize> {
    let measured = view.filter(|v| v.pitch > 0.0 && v.width >= 0.0 && v.scroll_left >= 0.0);
    let visible = measured.map_or(UNMEASURED_CELLS, |v| {
        (v.width / v.pitch).ceil() as usize + 1
    });
    let first = match measured {
        Some(v) if !at_head => (v.scroll_left / v.pitch) as usize,
        _ => count.saturating_sub(visible),
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
        assert_eq!(cells_to_draw(view(0.0), 200_000, false), 0..19);
        assert_eq!(
            cells_to_draw(view(78.0 * 1000.0 + 30.0), 200_000, false),
            992..1019
        );
        assert_eq!(
            cells_to_draw(view(78.0 * 199_995.0), 200_000, false),
            199_987..200_000
        );
    }

    #[test]
    fn short_logs_and_odd_measurements_stay_in_bounds() {
        assert_eq!(cells_to_draw(view(0.0), 3, false), 0..3);
        assert_eq!(cells_to_draw(view(1e12), 3, false), 3..3);
        assert_eq!(
            cells_to_draw(None, 100, false),
            100 - UNMEASURED_CELLS - MARGIN_CELLS..100
        );
        let broken = Some(TrackView {
            scroll_left: f64::NAN,
            width: 10.0,
            pitch: 0.0,
        });
        assert_eq!(
            cells_to_draw(broken, 100, true),
            100 - UNMEASURED_CELLS - MARGIN_CELLS..100
        );
    }

    #[test]
    fn a_log_that_follows_its_head_draws_its_newest_cells_wherever_it_was_last_scrolled() {
        // Measured when the log had 20 records; it has 500 now.
        assert_eq!(cells_to_draw(view(0.0), 500, true), 481..500);
        assert_eq!(cells_to_draw(view(0.0), 5, true), 0..5);
    }
}
