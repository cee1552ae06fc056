//! Record colours: one of eight colour-blind safe hues (Okabe–Ito) per key, so records with the
//! same key look alike wherever they land. Records without a key stay neutral.

use crate::sim::partitioner::partition_for_key;

/// How many key colours the style sheet defines (`.key-0` .. `.key-7`).
pub const KEY_COLOURS: u32 = 8;

/// The CSS class of a record's colour.
pub fn key_class(key: Option<&str>) -> String {
    match key {
        Some(key) => format!("key-{}", partition_for_key(key.as_bytes(), KEY_COLOURS)),
        None => "key-none".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_key_same_colour_and_null_key_neutral() {
        assert_eq!(key_class(Some("user-7")), key_class(Some("user-7")));
        assert_eq!(key_class(None), "key-none");
        let classes: std::collections::BTreeSet<String> = (0..200)
            .map(|i| key_class(Some(&format!("k{i}"))))
            .collect();
        assert_eq!(
            classes.len(),
            KEY_COLOURS as usize,
            "keys spread over every colour"
        );
    }
}
