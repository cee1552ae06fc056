//! Short texts the views show, kept out of the views so they are tested natively.

/// Virtual time for the clock: "t = 12.3 s".
pub fn virtual_time(now_ms: u64) -> String {
    format!("t = {}", seconds(now_ms))
}

/// A span of virtual time to a tenth of a second: "12.3 s".
pub fn seconds(ms: u64) -> String {
    format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
}

/// An offset that may not be known yet ("–" until the consumer has one).
pub fn maybe_offset(offset: Option<u64>) -> String {
    offset.map_or_else(|| "–".to_owned(), |o| o.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_shows_tenths_of_seconds() {
        assert_eq!(virtual_time(0), "t = 0.0 s");
        assert_eq!(virtual_time(12_345), "t = 12.3 s");
        assert_eq!(seconds(900), "0.9 s");
    }

    #[test]
    fn unknown_offsets_show_a_dash() {
        assert_eq!(maybe_offset(None), "–");
        assert_eq!(maybe_offset(Some(3)), "3");
    }
}
