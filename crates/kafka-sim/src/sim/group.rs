//! Consumer groups and their coordinator, with both rebalance protocols.
//!
//! **Classic** (`group.protocol=classic`, `ClassicGroup.java`): members join
//! (PreparingRebalance), the join phase ends when every member has rejoined or the rebalance
//! timeout (the longest `max.poll.interval.ms`) passes, the generation goes up
//! (CompletingRebalance), the leader's assignment goes out (Stable). Eager assignors make every
//! member give up everything when it rejoins; cooperative-sticky members keep consuming what
//! they own, give up only what moves, and rejoin at once so a second round hands it over.
//!
//! **Consumer** (`group.protocol=consumer`, KIP-848): no join or sync; every heartbeat carries
//! the member's subscription, the coordinator bumps the group epoch on any change, computes the
//! target assignment with a server-side assignor (uniform or range), and each member converges
//! on its own: it revokes what it must give up, and gets a partition once its previous owner
//! has released it. Nobody stops consuming what stays.
//!
//! Simplifications: static membership (`group.instance.id`) is not modelled; the coordinator
//! is the running broker at index `partitionFor(group) mod running brokers` (Kafka: the leader
//! of `__consumer_offsets` partition `partitionFor(group)`); a member's answer to a heartbeat
//! takes effect in the same tick.

use crate::sim::assignor::{Assignment, Strategy, TopicPartition};
use crate::sim::ordered::Map;
use serde::{Deserialize, Serialize};
use std::fmt;

/// `group.initial.rebalance.delay.ms`.
pub const INITIAL_REBALANCE_DELAY_MS: u64 = 3_000;

/// `offsets.topic.num.partitions`.
pub const OFFSETS_TOPIC_PARTITIONS: u32 = 50;

/// Which rebalance protocol a group uses (`group.protocol`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GroupProtocol {
    Classic,
    /// KIP-848, with the server-side assignor to use.
    Consumer {
        assignor: ServerAssignor,
    },
}

/// `group.consumer.assignors`: the server-side assignors of the consumer protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ServerAssignor {
    Uniform,
    Range,
}

impl ServerAssignor {
    pub fn name(self) -> &'static str {
        match self {
            ServerAssignor::Uniform => "uniform",
            ServerAssignor::Range => "range",
        }
    }

    /// The client assignor with the same goals: uniform spreads evenly and stays sticky.
    pub(crate) fn strategy(self) -> Strategy {
        match self {
            ServerAssignor::Uniform => Strategy::Sticky,
            ServerAssignor::Range => Strategy::Range,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GroupState {
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
    /// Consumer protocol: some member has not yet reached its target assignment.
    Reconciling,
}

impl fmt::Display for GroupState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GroupState::Empty => "Empty",
            GroupState::PreparingRebalance => "PreparingRebalance",
            GroupState::CompletingRebalance => "CompletingRebalance",
            GroupState::Stable => "Stable",
            GroupState::Dead => "Dead",
            GroupState::Reconciling => "Reconciling",
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: String,
    /// The consumer (client) this member is.
    pub client: String,
    pub topics: Vec<String>,
    pub strategy: Strategy,
    pub session_timeout_ms: u64,
    pub rebalance_timeout_ms: u64,
    pub last_heartbeat_ms: u64,
    /// Classic: it has (re)joined in the current join phase.
    pub joined: bool,
    /// What it owned when it joined (sent with JoinGroup, for the sticky assignors).
    pub owned: Vec<TopicPartition>,
    /// Consumer protocol: the group epoch it has caught up with.
    pub epoch: u32,
}

/// What a member sends when it joins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Join {
    pub member_id: String,
    pub client: String,
    pub topics: Vec<String>,
    pub owned: Vec<TopicPartition>,
    pub strategy: Strategy,
    pub session_timeout_ms: u64,
    pub rebalance_timeout_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub protocol: GroupProtocol,
    pub state: GroupState,
    /// Classic: the generation id. Consumer protocol: the group epoch.
    pub generation: u32,
    pub leader: Option<String>,
    pub members: Map<String, Member>,
    pub rebalance_started_ms: u64,
    /// The first rebalance of an empty group waits group.initial.rebalance.delay.ms.
    pub initial_rebalance: bool,
    /// Classic: the assignment the leader sent, handed out when the group becomes Stable.
    /// Consumer protocol: the target assignment.
    pub assignment: Assignment,
    /// The assignor the group uses (classic: the members' `partition.assignment.strategy`).
    pub strategy: Option<Strategy>,
}

impl Group {
    pub fn new(id: String, protocol: GroupProtocol) -> Group {
        Group {
            id,
            protocol,
            state: GroupState::Empty,
            generation: 0,
            leader: None,
            members: Map::new(),
            rebalance_started_ms: 0,
            initial_rebalance: true,
            assignment: Assignment::new(),
            strategy: None,
        }
    }

    /// Whether an admin may reset the group's offsets (no active members).
    pub fn is_inactive(&self) -> bool {
        self.members.is_empty()
    }
}

/// Java's `String.hashCode` over UTF-16 code units.
pub fn java_string_hash(text: &str) -> i32 {
    text.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// The `__consumer_offsets` partition holding a group's offsets
/// (`GroupCoordinatorService.partitionFor`): abs(hashCode) mod 50, where abs(MIN_VALUE) is 0.
pub fn offsets_partition(group: &str) -> u32 {
    let hash = java_string_hash(group);
    let positive = if hash == i32::MIN {
        0
    } else {
        hash.unsigned_abs()
    };
    positive % OFFSETS_TOPIC_PARTITIONS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_hash_codes() {
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_string_hash("hello"), 99_162_322);
        // Overflow wraps as in Java.
        assert_eq!(java_string_hash("polygenelubricants"), i32::MIN);
    }

    #[test]
    fn offsets_partition_is_abs_hash_mod_50_with_min_value_as_0() {
        assert_eq!(offsets_partition("polygenelubricants"), 0);
        assert_eq!(offsets_partition("hello"), 99_162_322 % 50);
        let negative = java_string_hash("group-1");
        assert_eq!(offsets_partition("group-1"), negative.unsigned_abs() % 50);
    }
}
