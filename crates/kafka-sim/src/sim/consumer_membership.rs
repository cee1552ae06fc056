//! A consumer's own view of its group membership with the consumer protocol (KIP-848): Kafka's
//! client-side `MemberState` (`clients/.../consumer/internals/MemberState.java`,
//! `AbstractMembershipManager`). The coordinator's view of the same member is
//! `coordinator::MemberState`.
//!
//! Simplification: closing is instant in the playground, so a consumer is never seen in
//! Kafka's PREPARE_LEAVING or LEAVING.
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClientMemberState {
    /// `assign()`ed partitions, no group membership.
    Unsubscribed,
    /// Subscribed: it joins (member epoch 0) at its next poll.
    Joining,
    /// A heartbeat brought a new assignment; its next poll gives up and takes partitions (the
    /// rebalance callbacks run in the application thread).
    Reconciling,
    /// It has reconciled; its next heartbeat, sent at once, tells the coordinator.
    Acknowledging,
    /// It holds everything the coordinator gave it.
    Stable,
    /// UNKNOWN_MEMBER_ID: the group dropped it; it lost its partitions and joins again.
    Fenced,
    /// It did not poll within `max.poll.interval.ms`, left its group and joins again at its
    /// next poll.
    Stale,
    /// An error it cannot recover from (UNRELEASED_INSTANCE_ID, FENCED_INSTANCE_ID): its poll
    /// loop stopped; an explicit poll tries again.
    Fatal,
}

impl fmt::Display for ClientMemberState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ClientMemberState::Unsubscribed => "UNSUBSCRIBED",
            ClientMemberState::Joining => "JOINING",
            ClientMemberState::Reconciling => "RECONCILING",
            ClientMemberState::Acknowledging => "ACKNOWLEDGING",
            ClientMemberState::Stable => "STABLE",
            ClientMemberState::Fenced => "FENCED",
            ClientMemberState::Stale => "STALE",
            ClientMemberState::Fatal => "FATAL",
        })
    }
}
