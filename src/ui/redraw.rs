//! How often a partition's log (or the event log) is redrawn. A record at a time (the starter, a learner producing
//! by hand, a replay stepped through) is drawn the moment it lands; a partition taking several
//! records a tick (the busy and large scenarios, high speeds) is redrawn at most once a second:
//! a cell per record at 40 records a second would be a blur no one can read and a page that
//! cannot keep 60 frames a second, so a busy log jumps ahead once a second and its rate is
//! what one reads.

use crate::ui::browser::now_ms;
use crate::ui::reactive::effect;
use gloo_timers::callback::Timeout;
use leptos::prelude::*;

/// The least time between two redraws of a busy partition, in real ms.
pub const BUSY_REDRAW_MS: f64 = 1_000.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Redraw {
    Now,
    /// In this many real ms (unless something asks for `Now` first).
    After(f64),
}

/// Whether a view drawn up to `drawn_end` (a log's end, the newest event's number) whose data
/// now ends at `live_end`, last drawn `since_ms` real ms ago, is redrawn now: at once if it
/// grew by at most `burst` (or shrank), else at most once a second.
pub fn redraw(drawn_end: u64, live_end: u64, burst: u64, since_ms: f64) -> Redraw {
    if live_end <= drawn_end + burst || since_ms >= BUSY_REDRAW_MS {
        Redraw::Now
    } else {
        Redraw::After(BUSY_REDRAW_MS - since_ms)
    }
}

/// A trigger for a view of something that grows (a log's end, the newest event's number):
/// `live` reads it, tracking whatever else should redraw the view too; the trigger is notified
/// by `redraw`'s rule with `burst`. Views read their data untracked after tracking the trigger.
pub fn paced(burst: u64, live: impl Fn() -> u64 + 'static) -> Trigger {
    let redrawn = Trigger::new();
    let drawn_end = StoredValue::new(0);
    let drawn_at = StoredValue::new(f64::MIN);
    let pending = StoredValue::new_local(None::<Timeout>);
    let draw = move |end: u64| {
        drawn_end.set_value(end);
        drawn_at.set_value(now_ms());
        pending.set_value(None);
        redrawn.notify();
    };
    effect(move || {
        let end = live();
        match redraw(
            drawn_end.get_value(),
            end,
            burst,
            now_ms() - drawn_at.get_value(),
        ) {
            Redraw::Now => draw(end),
            Redraw::After(ms) => pending.update_value(|pending| {
                // The latest end is drawn when the time comes.
                *pending = Some(Timeout::new(ms as u32, move || draw(end)));
            }),
        }
    });
    redrawn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_record_at_a_time_is_drawn_at_once_and_a_stream_once_a_second() {
        assert_eq!(redraw(10, 11, 1, 5.0), Redraw::Now, "one record");
        assert_eq!(redraw(10, 10, 1, 5.0), Redraw::Now, "markers moved");
        assert_eq!(redraw(10, 3, 1, 5.0), Redraw::Now, "truncated or rewound");
        assert_eq!(redraw(10, 14, 1, 250.0), Redraw::After(750.0), "a batch");
        assert_eq!(redraw(10, 14, 20, 250.0), Redraw::Now, "a small burst");
        assert_eq!(redraw(10, 400, 1, 1_000.0), Redraw::Now, "a second passed");
    }
}
