//! Record colours: one of twelve hues (Okabe–Ito's eight colour-blind safe ones and four of
//! Paul Tol's muted set) per key, so records with the same key look alike wherever they land.
//! Keys numbered as the guide's are (`user-1` … `user-12`) get a colour each by their number;
//! other keys are hashed. Records without a key stay neutral.
use kafka_sim::sim::ordered::set_of;
use kafka_sim::sim::partitioner::partition_for_key;

/// How many key colours the style sheet defines (`.key-0` .. `.key-11`).
pub const KEY_COLOURS: u32 = 12;

/// The colour index of a key: its trailing number if it has one, so that a run of numbered
/// keys never shares a colour, else its murmur2 hash.
pub fn key_colour(key: &str) -> u32 {
    let digits = key.len() - key.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let number = key[key.len() - digits..].parse::<u64>().ok();
    match number {
        Some(n) => (n % u64::from(KEY_COLOURS)) as u32,
        None => partition_for_key(key.as_bytes(), KEY_COLOURS),
    }
}

/// The CSS class of a record's colour.
pub fn key_class(key: Option<&str>) -> String {
    match key {
        Some(key) => format!("key-{}", key_colour(key)),
        None => "key-none".to_owned(),
    }
}

/// The legend's keys: distinct, in their natural order (`user-2` before `user-10`), at most
/// `max`, and how many more there were.
pub fn legend<'a>(keys: impl IntoIterator<Item = &'a str>, max: usize) -> (Vec<String>, usize) {
    let natural = |key: &str| {
        let stem = key.trim_end_matches(|c: char| c.is_ascii_digit());
        (
            stem.to_owned(),
            key[stem.len()..].parse::<u64>().ok(),
            key.to_owned(),
        )
    };
    let distinct = set_of(keys.into_iter().map(natural));
    let more = distinct.len().saturating_sub(max);
    let shown = distinct
        .into_iter()
        .take(max)
        .map(|(_, _, key)| key)
        .collect();
    (shown, more)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legend_lists_distinct_keys_in_natural_order() {
        let (keys, more) = legend(["user-10", "user-2", "user-2", "apple", "user-1"], 3);
        assert_eq!(keys, ["apple", "user-1", "user-2"]);
        assert_eq!(more, 1);
    }

    #[test]
    fn same_key_same_colour_and_null_key_neutral() {
        assert_eq!(key_class(Some("user-7")), key_class(Some("user-7")));
        assert_eq!(key_class(None), "key-none");
        let classes: std::collections::BTreeSet<String> = (0..200)
            .map(|i| key_class(Some(&format!("k{i}x"))))
            .collect();
        assert_eq!(
            classes.len(),
            KEY_COLOURS as usize,
            "hashed keys spread over every colour"
        );
    }

    #[test]
    fn twelve_numbered_keys_get_twelve_colours() {
        let colours: std::collections::BTreeSet<u32> =
            (1..=12).map(|i| key_colour(&format!("user-{i}"))).collect();
        assert_eq!(colours.len(), 12);
        assert_ne!(key_colour("user-1"), key_colour("user-7"));
        assert_eq!(key_colour("user-1"), key_colour("customer-13"));
        assert_eq!(key_colour("9"), 9);
    }
}
