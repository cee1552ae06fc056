//! A topic's configs, with Kafka's names, defaults and limits (`TopicConfig`, `LogConfig`).
use crate::sim::error::{SimError, cut};
use crate::sim::log::SegmentRules;
use crate::sim::names::{Named, either};
use serde::{Deserialize, Serialize};

/// `cleanup.policy`: delete old segments, compact by key, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleanupPolicy {
    pub delete: bool,
    pub compact: bool,
}

impl Named for CleanupPolicy {
    const NAMES: &'static [(&'static str, Self)] = &[
        (
            "delete",
            CleanupPolicy {
                delete: true,
                compact: false,
            },
        ),
        (
            "compact",
            CleanupPolicy {
                delete: false,
                compact: true,
            },
        ),
        (
            "compact,delete",
            CleanupPolicy {
                delete: true,
                compact: true,
            },
        ),
    ];

    fn name(&self) -> &'static str {
        // No value reads as neither policy, so that is never set.
        Self::NAMES
            .iter()
            .find(|(_, policy)| policy == self)
            .map_or("delete", |(name, _)| name)
    }

    /// Kafka reads a list: delete, compact or both, in any order.
    fn from_name(text: &str) -> Option<CleanupPolicy> {
        let none = CleanupPolicy {
            delete: false,
            compact: false,
        };
        text.split(',')
            .map(str::trim)
            .try_fold(none, |policy, part| {
                let (_, one) = Self::NAMES.iter().find(|(name, _)| *name == part)?;
                Some(CleanupPolicy {
                    delete: policy.delete || one.delete,
                    compact: policy.compact || one.compact,
                })
            })
    }
}

/// The smallest `segment.bytes` Kafka 4.x accepts (`LogConfig`: `atLeast(1024 * 1024)`,
/// KIP-1030; 3.x allowed 14 bytes, and 4.x keeps smaller segments to its own tests through
/// the internal `internal.segment.bytes`). Small segments for a lesson roll by `segment.ms`.
pub const MIN_SEGMENT_BYTES: i32 = 1_048_576;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicConfig {
    /// `retention.ms` (7 days; −1 keeps records forever).
    pub retention_ms: i64,
    /// `retention.bytes` per partition (−1: no limit).
    pub retention_bytes: i64,
    /// `segment.bytes` (1 GiB).
    pub segment_bytes: i64,
    /// `segment.ms` (7 days).
    pub segment_ms: i64,
    pub cleanup_policy: CleanupPolicy,
    /// `delete.retention.ms`: how long tombstones stay after compaction (1 day).
    pub delete_retention_ms: i64,
    /// `min.insync.replicas` (1).
    pub min_insync_replicas: u32,
    /// `unclean.leader.election.enable` (false).
    pub unclean_leader_election_enable: bool,
    /// `min.cleanable.dirty.ratio` (0.5), in thousandths.
    pub min_cleanable_dirty_ratio_permille: u32,
}

impl Default for TopicConfig {
    fn default() -> TopicConfig {
        TopicConfig {
            retention_ms: 604_800_000,
            retention_bytes: -1,
            segment_bytes: 1_073_741_824,
            segment_ms: 604_800_000,
            cleanup_policy: CleanupPolicy {
                delete: true,
                compact: false,
            },
            delete_retention_ms: 86_400_000,
            min_insync_replicas: 1,
            unclean_leader_election_enable: false,
            min_cleanable_dirty_ratio_permille: 500,
        }
    }
}

impl TopicConfig {
    /// Sets `key` to `value`, or back to its default with `None`, checking the value as Kafka
    /// does. On `Err` nothing changed.
    pub fn set(&mut self, key: &str, value: Option<&str>) -> Result<(), SimError> {
        let Some(value) = value else {
            let default = TopicConfig::default()
                .get(key)
                .ok_or_else(|| unknown(key))?;
            return self.set(key, Some(&default));
        };
        let value = value.trim();
        let invalid = |allowed: &str| SimError::InvalidConfig {
            key: key.to_owned(),
            value: cut(value),
            allowed: allowed.to_owned(),
        };
        let long = |min: i64, allowed: &str| {
            value
                .parse::<i64>()
                .ok()
                .filter(|v| *v >= min)
                .ok_or_else(|| invalid(allowed))
        };
        match key {
            "retention.ms" => self.retention_ms = long(-1, "-1 (keep forever) or a number of ms")?,
            "retention.bytes" => {
                self.retention_bytes = long(-1, "-1 (no limit) or a number of bytes per partition")?
            }
            // An INT in Kafka, refused in ConfigDef's words.
            "segment.bytes" => {
                let bytes = value
                    .parse::<i32>()
                    .map_err(|_| invalid("Not a number of type INT"))?;
                if bytes < MIN_SEGMENT_BYTES {
                    return Err(invalid(&format!(
                        "Value must be at least {MIN_SEGMENT_BYTES}"
                    )));
                }
                self.segment_bytes = i64::from(bytes);
            }
            "segment.ms" => self.segment_ms = long(1, "at least 1 ms")?,
            "delete.retention.ms" => self.delete_retention_ms = long(0, "0 or more ms")?,
            "min.insync.replicas" => {
                self.min_insync_replicas = value
                    .parse::<u32>()
                    .ok()
                    .filter(|v| *v >= 1)
                    .ok_or_else(|| invalid("a whole number, at least 1"))?
            }
            "min.cleanable.dirty.ratio" => {
                self.min_cleanable_dirty_ratio_permille = parse_permille(value)
                    .ok_or_else(|| invalid("a ratio from 0 to 1, at most 3 decimals (0.5)"))?
            }
            "cleanup.policy" => {
                self.cleanup_policy = CleanupPolicy::from_name(value)
                    .ok_or_else(|| invalid(&either(CleanupPolicy::names())))?
            }
            "unclean.leader.election.enable" => {
                self.unclean_leader_election_enable = match value {
                    "true" => true,
                    "false" => false,
                    _ => return Err(invalid("true or false")),
                }
            }
            _ => return Err(unknown(key)),
        }
        Ok(())
    }

    /// The value of `key` as `kafka-configs.sh --describe` prints it.
    pub fn get(&self, key: &str) -> Option<String> {
        Some(match key {
            "retention.ms" => self.retention_ms.to_string(),
            "retention.bytes" => self.retention_bytes.to_string(),
            "segment.bytes" => self.segment_bytes.to_string(),
            "segment.ms" => self.segment_ms.to_string(),
            "delete.retention.ms" => self.delete_retention_ms.to_string(),
            "min.insync.replicas" => self.min_insync_replicas.to_string(),
            "cleanup.policy" => self.cleanup_policy.name().to_owned(),
            "unclean.leader.election.enable" => self.unclean_leader_election_enable.to_string(),
            "min.cleanable.dirty.ratio" => format_permille(self.min_cleanable_dirty_ratio_permille),
            _ => return None,
        })
    }
}

impl TopicConfig {
    /// When the topic's logs roll a new segment.
    pub fn segment_rules(&self) -> SegmentRules {
        SegmentRules {
            bytes: self.segment_bytes.max(i64::from(MIN_SEGMENT_BYTES)) as u64,
            ms: self.segment_ms.max(1) as u64,
        }
    }

    /// min.cleanable.dirty.ratio as a number.
    pub fn min_cleanable_dirty_ratio(&self) -> f64 {
        f64::from(self.min_cleanable_dirty_ratio_permille) / 1000.0
    }
}

/// "0.5" → 500: a ratio from 0 to 1 with up to three decimals, read exactly.
fn parse_permille(text: &str) -> Option<u32> {
    parse_thousandths(text)
        .filter(|permille| *permille <= 1000)
        .and_then(|permille| u32::try_from(permille).ok())
}

/// "1.5" → 1500: a decimal number of 0 or more with up to three decimals, in thousandths, read
/// exactly (ratios as permille, seconds as milliseconds).
pub fn parse_thousandths(text: &str) -> Option<u64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = whole
        .bytes()
        .chain(fraction.bytes())
        .all(|b| b.is_ascii_digit());
    if fraction.len() > 3 || !digits || (whole.is_empty() && fraction.is_empty()) {
        return None;
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: u64 = format!("{fraction:0<3}").parse().ok()?;
    whole.checked_mul(1000)?.checked_add(fraction)
}

/// 500 → "0.5".
fn format_permille(permille: u32) -> String {
    let fraction = format!("{:03}", permille % 1000);
    let fraction = fraction.trim_end_matches('0');
    format!(
        "{}.{}",
        permille / 1000,
        if fraction.is_empty() { "0" } else { fraction }
    )
}

fn unknown(key: &str) -> SimError {
    SimError::UnknownConfig {
        key: key.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::types::TOPIC_CONFIG_KEYS;

    #[test]
    fn every_key_round_trips_its_default() {
        let defaults = TopicConfig::default();
        for key in TOPIC_CONFIG_KEYS {
            let mut config = TopicConfig::default();
            let value = defaults.get(key).expect("a known key");
            config.set(key, Some(&value)).expect("the default is valid");
            assert_eq!(config, defaults, "{key}");
        }
    }

    #[test]
    fn values_are_checked() {
        let mut config = TopicConfig::default();
        config.set("min.insync.replicas", Some("2")).expect("valid");
        assert_eq!(config.min_insync_replicas, 2);
        config
            .set("cleanup.policy", Some("delete,compact"))
            .expect("valid");
        assert_eq!(
            config.get("cleanup.policy").as_deref(),
            Some("compact,delete")
        );
        let before = config.clone();
        for (key, value) in [
            ("min.insync.replicas", "0"),
            ("retention.ms", "-2"),
            ("retention.ms", "soon"),
            ("cleanup.policy", "keep"),
            ("unclean.leader.election.enable", "yes"),
            ("segment.bytes", "10"),
        ] {
            let error = config.set(key, Some(value)).unwrap_err();
            assert!(
                error.to_string().starts_with(&format!("{key}: ")),
                "{error}"
            );
        }
        assert_eq!(config, before, "refused values change nothing");
        config.set("min.insync.replicas", None).expect("reset");
        assert_eq!(config.min_insync_replicas, 1);
    }

    /// Kafka 4.x's `LogConfig` defines `segment.bytes` as an INT, `atLeast(1024 * 1024)`
    /// (storage/.../log/LogConfig.java), and `ConfigDef` refuses with these words.
    #[test]
    fn segment_bytes_is_at_least_one_mebibyte_as_in_kafka_4() {
        let mut config = TopicConfig::default();
        for (value, reason) in [
            ("1048575", "Value must be at least 1048576"),
            ("14", "Value must be at least 1048576"),
            ("2147483648", "Not a number of type INT"),
            ("1MB", "Not a number of type INT"),
        ] {
            assert_eq!(
                config.set("segment.bytes", Some(value)),
                Err(SimError::InvalidConfig {
                    key: "segment.bytes".into(),
                    value: value.into(),
                    allowed: reason.into(),
                })
            );
        }
        config
            .set("segment.bytes", Some("1048576"))
            .expect("the minimum");
        assert_eq!(config.segment_rules().bytes, 1_048_576);
    }

    #[test]
    fn ratios_are_read_exactly() {
        assert_eq!(parse_permille("0.5"), Some(500));
        assert_eq!(parse_permille(".25"), Some(250));
        assert_eq!(parse_permille("1"), Some(1000));
        assert_eq!(parse_permille("0.125"), Some(125));
        for bad in ["", ".", "1.5", "0.1234", "-0.1", "a"] {
            assert_eq!(parse_permille(bad), None, "{bad:?}");
        }
        assert_eq!(format_permille(500), "0.5");
        assert_eq!(format_permille(1000), "1.0");
        assert_eq!(format_permille(125), "0.125");
    }

    #[test]
    fn unknown_keys_are_named() {
        let error = TopicConfig::default()
            .set("retention", Some("1"))
            .unwrap_err();
        assert_eq!(
            error,
            SimError::UnknownConfig {
                key: "retention".into()
            }
        );
    }
}
