//! How the page turns real time into virtual time at a chosen speed.

/// The speeds a learner can pick.
pub const SPEEDS: [f64; 7] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0];

/// Browsers run timers no more often than this, so faster speeds run several ticks per timer.
const SHORTEST_PERIOD_MS: u64 = 25;

/// The timer period in real ms and the ticks to run each time, so that `tick_ms` of virtual
/// time pass per `tick_ms / speed` of real time.
pub fn schedule(tick_ms: u64, speed: f64) -> (u32, u32) {
    let speed = if speed.is_finite() && speed > 0.0 {
        speed
    } else {
        1.0
    };
    let period = (tick_ms as f64 / speed).round() as u64;
    if period >= SHORTEST_PERIOD_MS {
        (period.min(u64::from(u32::MAX)) as u32, 1)
    } else {
        let ticks = ((SHORTEST_PERIOD_MS as f64 * speed) / tick_ms as f64)
            .round()
            .max(1.0);
        (SHORTEST_PERIOD_MS as u32, ticks as u32)
    }
}

/// "1×", "0.25×", "16×".
pub fn speed_label(speed: f64) -> String {
    format!("{speed}×")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_time_runs_at_the_chosen_speed() {
        assert_eq!(schedule(100, 1.0), (100, 1));
        assert_eq!(schedule(100, 0.25), (400, 1));
        assert_eq!(schedule(100, 4.0), (25, 1));
        assert_eq!(schedule(100, 8.0), (25, 2));
        assert_eq!(
            schedule(100, 16.0),
            (25, 4),
            "1600 virtual ms per real second"
        );
        assert_eq!(schedule(100, f64::NAN), (100, 1));
    }

    #[test]
    fn labels() {
        assert_eq!(speed_label(0.25), "0.25×");
        assert_eq!(speed_label(16.0), "16×");
    }
}
