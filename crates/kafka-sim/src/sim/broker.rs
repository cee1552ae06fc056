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
//!
//! A running broker can also be hit by network and disk faults (`BrokerFaults`, see
//! `network.rs`): cut off from the controller (its heartbeats stop arriving, so it is fenced
//! the same way, though its process runs on), cut off from the clients, or slow.
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
    /// Its process runs, but the controller fenced it: it was cut off from the controller for
    /// `broker.session.timeout.ms`. It still serves the clients that reach it, as the leader it
    /// last knew itself to be (a zombie leader), until the cut heals.
    FencedRunning,
}

impl BrokerStatus {
    /// Fenced by the controller: after a crash was noticed, as it stopped gracefully, or cut
    /// off from it with its process running. A fenced broker is not in the cluster's metadata
    /// answers (describeCluster) and leads nothing.
    pub fn is_fenced(self) -> bool {
        matches!(
            self,
            BrokerStatus::Fenced | BrokerStatus::Stopped | BrokerStatus::FencedRunning
        )
    }
}

/// What is wrong with a broker's network or disk (`network.rs`), set by the fault commands and
/// cleared by Heal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokerFaults {
    /// Cut off from the controller since this virtual time: its heartbeats and AlterPartition
    /// requests do not arrive, and the metadata it knows stops there.
    pub cut_from_controller_at_ms: Option<u64>,
    /// Producers and consumers cannot reach it.
    pub cut_from_clients: bool,
    /// Its replica fetchers are slow (a slow disk or a saturated network link).
    pub slow: bool,
}

impl BrokerFaults {
    pub fn any(&self) -> bool {
        *self != BrokerFaults::default()
    }

    /// The faults in words, with the partitions the broker still believes it leads though the
    /// controller moved them (`zombie_in`); empty without either.
    pub fn describe(&self, zombie_in: usize) -> String {
        let mut parts = Vec::new();
        if self.cut_from_controller_at_ms.is_some() {
            parts.push("cut off from the controller".to_owned());
        }
        if self.cut_from_clients {
            parts.push("cut off from the clients".to_owned());
        }
        if self.slow {
            parts.push("slow fetching".to_owned());
        }
        if zombie_in > 0 {
            parts.push(format!(
                "zombie: still believes it leads {zombie_in} partition(s)"
            ));
        }
        parts.join(" · ")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Broker {
    pub id: BrokerId,
    pub status: BrokerStatus,
    /// `broker.rack`, if set.
    pub rack: Option<String>,
    pub faults: BrokerFaults,
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
    pub fn new(id: BrokerId, rack: Option<String>) -> Broker {
        Broker {
            id,
            status: BrokerStatus::Running,
            rack,
            faults: BrokerFaults::default(),
        }
    }

    /// Running and not fenced: it may lead and be in an ISR.
    pub fn is_running(&self) -> bool {
        self.status == BrokerStatus::Running
    }

    /// Fenced by the controller (`BrokerStatus::is_fenced`).
    pub fn is_fenced(&self) -> bool {
        self.status.is_fenced()
    }

    /// Its process runs (fenced or not).
    pub fn is_up(&self) -> bool {
        matches!(
            self.status,
            BrokerStatus::Running | BrokerStatus::FencedRunning
        )
    }

    /// Producers and consumers can talk to it.
    pub fn reachable_by_clients(&self) -> bool {
        self.is_up() && !self.faults.cut_from_clients
    }

    /// Cut off from the controller, with its process up: what it believes it leads, it still
    /// leads in its own eyes.
    pub fn cut_from_controller_at_ms(&self) -> Option<u64> {
        self.faults
            .cut_from_controller_at_ms
            .filter(|_| self.is_up())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_described_in_words() {
        assert_eq!(BrokerFaults::default().describe(0), "");
        let faults = BrokerFaults {
            cut_from_controller_at_ms: Some(500),
            cut_from_clients: false,
            slow: true,
        };
        assert_eq!(
            faults.describe(2),
            "cut off from the controller · slow fetching · zombie: still believes it leads 2 partition(s)"
        );
    }
}
