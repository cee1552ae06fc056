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

    /// Draws the key of the next record. `scratch` is reused to build it, so a key costs one
    /// allocation.
    pub fn draw(&self, rng: &mut Pcg32, scratch: &mut String) -> Option<Arc<str>> {
        let index = match self {
            KeySet::NoKey => return None,
            KeySet::Fixed(keys) => {
                return keys
                    .get(rng.random_range(0..keys.len().max(1)))
                    .map(|k| Arc::from(k.as_str()));
            }
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
        scratch.clear();
        let _ = write!(scratch, "key-{index}");
        Some(Arc::from(scratch.as_str()))
    }
}

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
        })
    }

    /// How many records are due in a tick of `tick_ms`.
    pub fn due(&mut self, tick_ms: u64) -> u64 {
        let thousandths = self.rate_per_sec * tick_ms + self.carry;
        self.carry = thousandths % 1000;
        thousandths / 1000
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
        let mut scratch = String::new();
        let hot = (0..10_000)
            .filter(|_| {
                matches!(
                    keys.draw(&mut rng, &mut scratch).as_deref(),
                    Some("key-0" | "key-1")
                )
            })
            .count();
        assert!(
            (7_500..8_500).contains(&hot),
            "{hot} of 10000 on the hot keys"
        );
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
