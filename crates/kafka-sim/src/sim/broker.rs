//! Brokers and their life cycle. A crashed broker stops at once (no controlled shutdown); the
//! controller notices only when its heartbeats have been missing for
//! `broker.session.timeout.ms`, then fences it. A stopped broker shut down gracefully (a
//! controlled shutdown, SIGTERM): it left its ISRs and handed its leaderships over first, and it
//! restarts clean. Simplification: a crash is a process crash, so the broker's log survives on
//! disk (no unflushed data is lost), yet the controller treats its restart as unclean, as Kafka
//! does when the clean shutdown file is missing.
//!
//! A broker may sit on a rack (`broker.rack`), which it registers with and which replica
//! placement spreads partitions over (`placement.rs`). Kafka reads it at startup, so the
//! playground sets it only when a broker is added.
use crate::sim::error::SimError;
use crate::sim::ids::BrokerId;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BrokerStatus {
    Running,
    /// Crashed at this virtual time; the controller has not noticed yet.
    Crashed {
        at_ms: u64,
    },
    /// The controller fenced it: no leadership, no ISR membership until it restarts.
    Fenced,
    /// Shut down gracefully (controlled shutdown) and fenced as it left: it restarts clean, so
    /// it keeps its place in any eligible leader replica set (`ReplicationControlManager
    /// .handleBrokerShutdown` with a clean shutdown).
    Stopped,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Broker {
    pub id: BrokerId,
    pub status: BrokerStatus,
    /// `broker.rack`, if set.
    pub rack: Option<String>,
}

/// The longest `broker.rack` the playground takes.
pub const MAX_RACK_LENGTH: usize = 64;

/// Checks a `broker.rack`. Kafka takes any string; the playground takes 1 to 64 ASCII
/// letters, digits, '.', '_' and '-' (as topic names), so that a rack reads the same in the
/// console, the page and the exported compose file.
pub fn validate_rack(rack: &str) -> Result<(), SimError> {
    let refuse = |reason: &str| {
        Err(SimError::InvalidRack {
            rack: crate::sim::error::cut(rack),
            reason: reason.to_owned(),
        })
    };
    if rack.is_empty() {
        refuse("a rack name is not empty")
    } else if rack.len() > MAX_RACK_LENGTH {
        refuse("a rack name is at most 64 characters")
    } else if !rack
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        refuse("a rack name uses only ASCII letters, digits, '.', '_' and '-'")
    } else {
        Ok(())
    }
}

impl Broker {
    pub fn is_running(&self) -> bool {
        self.status == BrokerStatus::Running
    }

    /// Fenced by the controller: after a crash was noticed, or as it stopped gracefully.
    pub fn is_fenced(&self) -> bool {
        matches!(self.status, BrokerStatus::Fenced | BrokerStatus::Stopped)
    }
}
