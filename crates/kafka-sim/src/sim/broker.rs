//! Brokers and their life cycle. A crashed broker stops at once (no controlled shutdown); the
//! controller notices only when its heartbeats have been missing for
//! `broker.session.timeout.ms`, then fences it. A stopped broker shut down gracefully (a
//! controlled shutdown, SIGTERM): it left its ISRs and handed its leaderships over first, and it
//! restarts clean. Simplification: a crash is a process crash, so the broker's log survives on
//! disk (no unflushed data is lost), yet the controller treats its restart as unclean, as Kafka
//! does when the clean shutdown file is missing.
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
