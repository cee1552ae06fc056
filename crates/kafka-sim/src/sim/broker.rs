//! Brokers and their life cycle. A crashed broker stops at once (no controlled shutdown); the
//! controller notices only when its heartbeats have been missing for
//! `broker.session.timeout.ms`, then fences it. Simplification: a crash is a process crash, so
//! the broker's log survives on disk (no unflushed data is lost).
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
}
