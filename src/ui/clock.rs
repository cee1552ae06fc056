//! How the page turns real time into virtual time at a chosen speed. Speeds are counted in
//! quarters (4 = 1×) so the page needs no floating-point formatting or parsing.

/// The speeds a learner can pick, in quarters: 0.25× to 16×.
pub const SPEEDS: [u32; 7] = [1, 2, 4, 8, 16, 32, 64];

/// Normal speed: one virtual second per real second.
pub const NORMAL_SPEED: u32 = 4;

/// Browsers run timers no more often than this, so faster speeds run several ticks per timer.
const SHORTEST_PERIOD_MS: u64 = 25;

/// The timer period in real ms and the ticks to run each time, so that `tick_ms` of virtual
/// time pass per `tick_ms / speed` of real time (`quarters / 4` is the speed).
pub fn schedule(tick_ms: u64, quarters: u32) -> (u32, u32) {
    let quarters = u64::from(quarters.max(1));
    let period = tick_ms * 4 / quarters;
    if period >= SHORTEST_PERIOD_MS {
        (period.min(u64::from(u32::MAX)) as u32, 1)
    } else {
        let ticks = (SHORTEST_PERIOD_MS * quarters / (4 * tick_ms.max(1))).max(1);
        (
            SHORTEST_PERIOD_MS as u32,
            ticks.min(u64::from(u32::MAX)) as u32,
        )
    }
}

/// "1×", "0.25×", "16×".
pub fn speed_label(quarters: u32) -> String {
    match quarters % 4 {
        0 => format!("{}×", quarters / 4),
        2 => format!("{}.5×", quarters / 4),
        q => format!("{}.{}×", quarters / 4, q * 25),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_time_runs_at_the_chosen_speed() {
        assert_eq!(schedule(100, 4), (100, 1));
        assert_eq!(schedule(100, 1), (400, 1));
        assert_eq!(schedule(100, 16), (25, 1));
        assert_eq!(schedule(100, 32), (25, 2));
        assert_eq!(
            schedule(100, 64),
            (25, 4),
            "1600 virtual ms per real second"
        );
        assert_eq!(schedule(100, 0), (400, 1), "0 counts as the slowest speed");
    }

    #[test]
    fn labels() {
        let labels: Vec<String> = SPEEDS.iter().map(|&q| speed_label(q)).collect();
        assert_eq!(labels, ["0.25×", "0.5×", "1×", "2×", "4×", "8×", "16×"]);
    }
}
