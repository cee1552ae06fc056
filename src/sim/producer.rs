//! The producer's own state. For now one producer sends every record the user produces.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Producer {
    /// Round-robin counter per topic for records without a key (Kafka keeps one per topic and
    /// starts it at 0).
    pub round_robin: BTreeMap<String, u32>,
}
