//! Rate generators: a producer sending records at a steady rate on the virtual clock, with keys
//! from a fixed list, uniform over N keys, skewed towards a few hot keys, or no keys at all.
use crate::sim::error::{SimError, check_protocol_string};
use crate::sim::types::KeySet;
use rand::Rng;
use rand_pcg::Pcg32;
use serde::{Deserialize, Serialize};
use std::fmt::Write;
use std::sync::Arc;

/// The most records per second a generator may send.
pub const MAX_RATE: u64 = 10_000_000;

/// Keys numbered below this are made once and shared by every record that carries them.
const SHARED_KEYS: usize = 1024;

impl KeySet {
    pub fn validate(&self) -> Result<(), SimError> {
        let invalid = |reason: &str| {
            Err(SimError::InvalidKeySet {
                reason: reason.to_owned(),
            })
        };
        match self {
            KeySet::Fixed(keys) if keys.is_empty() => invalid("give at least one key"),
            KeySet::Uniform { count } | KeySet::Skewed { count } if *count == 0 => {
                invalid("the number of keys must be at least 1")
            }
            _ => Ok(()),
        }
    }

    /// Draws the number of the next record's key: its place in the list, or the N of `key-N`;
    /// `None` for no key.
    fn draw(&self, rng: &mut Pcg32) -> Option<usize> {
        let index = match self {
            KeySet::NoKey => return None,
            KeySet::Fixed(keys) => return Some(rng.random_range(0..keys.len().max(1))),
            KeySet::Uniform { count } => rng.random_range(0..*count.max(&1)),
            KeySet::Skewed { count } => {
                let count = (*count).max(1);
                let hot = count.div_ceil(5).max(1);
                if hot == count || rng.random_range(0..10u32) < 8 {
                    rng.random_range(0..hot)
                } else {
                    rng.random_range(hot..count)
                }
            }
        };
        Some(index as usize)
    }

    /// The key numbered `index`, built in `scratch`.
    fn key(&self, index: usize, scratch: &mut String) -> Arc<str> {
        if let KeySet::Fixed(keys) = self {
            return Arc::from(keys.get(index).map_or("", String::as_str));
        }
        scratch.clear();
        let _ = write!(scratch, "key-{index}");
        Arc::from(scratch.as_str())
    }
}

/// The keys a generator has made, by number, so that its records share them instead of each
/// holding a copy (a tenth of a record's memory). Not state: serde and equality skip it, and
/// a copy made without it makes the same keys again.
#[derive(Clone, Debug, Default)]
struct KeysMade(Vec<Option<Arc<str>>>);

impl PartialEq for KeysMade {
    fn eq(&self, _: &KeysMade) -> bool {
        true
    }
}

impl Eq for KeysMade {}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generator {
    pub id: String,
    pub producer: String,
    pub topic: String,
    pub rate_per_sec: u64,
    pub keys: KeySet,
    /// Thousandths of a record carried to the next tick, so any rate comes out exact.
    carry: u64,
    /// Records made so far; values are `<id>-<n>`.
    pub made: u64,
    #[serde(skip)]
    keys_made: KeysMade,
}

impl Generator {
    pub fn new(
        id: String,
        producer: String,
        topic: String,
        rate_per_sec: u64,
        keys: KeySet,
    ) -> Result<Generator, SimError> {
        if id.is_empty() {
            return Err(SimError::EmptyGeneratorName);
        }
        check_protocol_string("generator", &id)?;
        if !(1..=MAX_RATE).contains(&rate_per_sec) {
            return Err(SimError::InvalidRate {
                requested: rate_per_sec,
            });
        }
        keys.validate()?;
        Ok(Generator {
            id,
            producer,
            topic,
            rate_per_sec,
            keys,
            carry: 0,
            made: 0,
            keys_made: KeysMade::default(),
        })
    }

    /// How many records are due in a tick of `tick_ms`.
    pub fn due(&mut self, tick_ms: u64) -> u64 {
        let thousandths = self.rate_per_sec * tick_ms + self.carry;
        self.carry = thousandths % 1000;
        thousandths / 1000
    }

    /// Draws the next record's key (built in `scratch` the first time).
    pub fn next_key(&mut self, rng: &mut Pcg32, scratch: &mut String) -> Option<Arc<str>> {
        let index = self.keys.draw(rng)?;
        let made = &mut self.keys_made.0;
        if let Some(Some(key)) = made.get(index) {
            return Some(Arc::clone(key));
        }
        let key = self.keys.key(index, scratch);
        if index < SHARED_KEYS {
            if made.len() <= index {
                made.resize(index + 1, None);
            }
            made[index] = Some(Arc::clone(&key));
        }
        Some(key)
    }

    /// The next record's value, `<id>-<n>`, built in `scratch`.
    pub fn next_value(&mut self, scratch: &mut String) -> Arc<str> {
        self.made += 1;
        scratch.clear();
        let _ = write!(scratch, "{}-{}", self.id, self.made);
        Arc::from(scratch.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn rates_come_out_exact_over_time() {
        let mut generator =
            Generator::new("g".into(), "p".into(), "t".into(), 15, KeySet::NoKey).expect("valid");
        let total: u64 = (0..100).map(|_| generator.due(100)).sum();
        assert_eq!(total, 150, "15 records/s for 10 s");
    }

    #[test]
    fn skewed_keys_favour_the_hot_fifth() {
        let mut rng = Pcg32::seed_from_u64(3);
        let keys = KeySet::Skewed { count: 10 };
        let hot = (0..10_000)
            .filter(|_| matches!(keys.draw(&mut rng), Some(0 | 1)))
            .count();
        assert!(
            (7_500..8_500).contains(&hot),
            "{hot} of 10000 on the hot keys"
        );
    }

    /// Records with the same key share it: one copy per key, however many records.
    #[test]
    fn a_key_is_made_once() {
        let mut rng = Pcg32::seed_from_u64(3);
        let mut scratch = String::new();
        for keys in [
            KeySet::Uniform { count: 3 },
            KeySet::Fixed(vec!["a".into(), "b".into()]),
        ] {
            let mut generator =
                Generator::new("g".into(), "p".into(), "t".into(), 10, keys).expect("valid");
            let drawn: Vec<Arc<str>> = (0..20)
                .filter_map(|_| generator.next_key(&mut rng, &mut scratch))
                .collect();
            let mut distinct: Vec<&Arc<str>> = Vec::new();
            for key in &drawn {
                if !distinct.iter().any(|d| Arc::ptr_eq(d, key)) {
                    distinct.push(key);
                }
            }
            assert!(
                distinct.len() <= 3,
                "{} copies of at most 3 keys",
                distinct.len()
            );
        }
        let mut none =
            Generator::new("g".into(), "p".into(), "t".into(), 10, KeySet::NoKey).expect("valid");
        assert_eq!(none.next_key(&mut rng, &mut scratch), None);
    }

    #[test]
    fn bad_settings_are_refused() {
        let make = |rate, keys| Generator::new("g".into(), "p".into(), "t".into(), rate, keys);
        assert_eq!(
            make(0, KeySet::NoKey).unwrap_err(),
            SimError::InvalidRate { requested: 0 }
        );
        assert!(make(1, KeySet::Fixed(vec![])).is_err());
        assert!(make(1, KeySet::Uniform { count: 0 }).is_err());
    }
}
