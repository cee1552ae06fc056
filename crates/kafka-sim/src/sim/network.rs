//! Network and disk faults on a broker, and what Kafka does about them (the commands are in
//! `engine/network.rs`, the flags in `broker::BrokerFaults`):
//!
//! - **Slow** (a slow disk, or a saturated network link): the broker's replica fetchers
//!   complete one fetch every `SLOW_FETCH_INTERVAL_MS`, bringing one batch
//!   (`SLOW_FETCH_MAX_BYTES`). Under load such a follower stops reaching the
//!   leader's log end, and once it has not for `replica.lag.time.max.ms` its leader drops it
//!   from the ISR (`Partition.getOutOfSyncReplicas`, `maybeShrinkIsr`); healed, it catches up
//!   and joins again. Kafka's own replication throttle (`follower.replication.throttled.rate`)
//!   is not this: it only slows replicas already out of the ISR.
//! - **Cut off from the controller**: its heartbeats stop arriving, so after
//!   `broker.session.timeout.ms` the controller fences it (`BrokerHeartbeatManager`) and
//!   elects new leaders for what it led. The broker never hears of it: it still believes it
//!   leads in the old epoch with the old ISR (a *zombie* leader, `LastLeadership`, `zombie.rs`) and
//!   appends what the producers that still send to it write. Its followers follow the new
//!   leader, and it cannot shrink its ISR (`AlterPartition` cannot reach the controller;
//!   Kafka keeps the old ISR as its "maximal ISR" while the change is pending), so its high
//!   watermark stays put: acks=all writes to it wait and time out, never acknowledged, while
//!   acks=1 writes are acknowledged at once. Even before it is fenced, a leader cut off from
//!   the controller cannot change its ISR. Healed, the broker is unfenced, learns the new
//!   leader and, as a follower, truncates to where its log agrees with the new leader's
//!   (leader epochs, KIP-101): the acks=1 records it acknowledged are gone
//!   (`AcknowledgedLosses`).
//! - **Cut off from the clients**: producers and consumers cannot reach it. Requests already
//!   sent get no answer and time out (`request.timeout.ms`); new ones are not sent, as a
//!   producer does not send to a leader it cannot connect to (batches wait in the accumulator
//!   until `delivery.timeout.ms`), and consumers get nothing from the partitions it leads.
//!   The controller still sees it, so it keeps its leaderships.
//!
//! Simplifications: a broker cut off from the controller keeps the links to the other
//! brokers and to the clients (in Kafka a network partition may cut any of them); until it
//! is fenced its follower replicas fetch from the leaders the controller chose, and once
//! fenced they stop (fenced, they could not rejoin an ISR anyway; healed, they catch up).
//! The followers of a zombie never fetch from it, so its high watermark moves only when it
//! believes itself the whole ISR. Consumers read from the leader the controller chose and
//! reach every group coordinator. Healing unfences the broker at once (in Kafka it first
//! catches up with the metadata log).
use crate::sim::ids::{BrokerId, LeaderEpoch, Offset};
use crate::sim::log::Record;
use crate::sim::ordered::Map;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A slow broker's replica fetchers complete one fetch this often.
pub const SLOW_FETCH_INTERVAL_MS: u64 = 1_000;

/// A slow fetch's `replica.fetch.max.bytes`: one byte, so each brings one batch (Kafka's fetch
/// always returns at least one whole batch).
pub const SLOW_FETCH_MAX_BYTES: u64 = 1;

/// `metadata.max.age.ms` (5 minutes), the producers' default: how long a producer goes on
/// with its metadata when nothing makes it refresh sooner.
pub const METADATA_MAX_AGE_MS: u64 = 300_000;

/// Which link of a broker a fault cuts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Isolation {
    /// The controller (heartbeats, AlterPartition, metadata).
    Controller,
    /// Producers and consumers.
    Clients,
}

/// The leadership a replica held until the controller moved it (`Partition::change_leader`).
/// A broker cut off from the controller since before the move never hears of it and goes on
/// leading as it was: in this epoch, with this ISR: the controller's at the move, with the
/// leader itself back in it. Simplification: Kafka's zombie would not know either of other
/// brokers the controller removed from the ISR after the cut (fenced ones); the playground
/// counts those removals as known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastLeadership {
    pub epoch: LeaderEpoch,
    pub isr: Vec<BrokerId>,
    /// When the controller gave it the leadership.
    pub since_ms: u64,
    /// When the controller moved the leadership away.
    pub until_ms: u64,
}

/// Records acknowledged to their producers and later truncated away, each counted once: a
/// record is one offset in one leader epoch, so a second replica truncating its copy does not
/// count it again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcknowledgedLosses {
    pub count: u64,
    /// The offsets counted, as ranges `from..to` per leader epoch.
    counted: Map<LeaderEpoch, Vec<(Offset, Offset)>>,
}

impl AcknowledgedLosses {
    /// Counts the `removed` records that were `acknowledged` and not counted before. Returns
    /// how many, and the offsets they span.
    pub fn count(
        &mut self,
        removed: &[Arc<Record>],
        acknowledged: impl Fn(&Record) -> bool,
    ) -> Option<(u64, Offset, Offset)> {
        let mut newly = 0;
        let mut span: Option<(Offset, Offset)> = None;
        for record in removed.iter().filter(|r| acknowledged(r)) {
            let offset = record.offset;
            let ranges = self.counted.entry(record.leader_epoch).or_default();
            if ranges
                .iter()
                .any(|&(from, to)| from <= offset && offset < to)
            {
                continue;
            }
            match ranges.iter_mut().find(|(_, to)| *to == offset) {
                Some(range) => range.1 = offset.next(),
                None => ranges.push((offset, offset.next())),
            }
            newly += 1;
            span = Some(span.map_or((offset, offset.next()), |(from, _)| (from, offset.next())));
        }
        self.count += newly;
        span.map(|(from, to)| (newly, from, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::log::tests::record;

    /// Two replicas truncating copies of the same lost records (Kafka's followers each
    /// truncate to the divergence point, `Partition.makeFollower`): each record counts once.
    #[test]
    fn a_lost_record_is_counted_once_however_many_replicas_truncate_it() {
        let mut losses = AcknowledgedLosses::default();
        let follower: Vec<_> = (3..5).map(|o| record(o, 0)).collect();
        let old_leader: Vec<_> = (3..8).map(|o| record(o, 0)).collect();
        assert_eq!(
            losses.count(&follower, |_| true),
            Some((2, Offset(3), Offset(5)))
        );
        assert_eq!(
            losses.count(&old_leader, |_| true),
            Some((3, Offset(5), Offset(8)))
        );
        assert_eq!(losses.count(&old_leader, |_| true), None);
        // The same offsets in another epoch are other records.
        let other_epoch: Vec<_> = (3..4).map(|o| record(o, 1)).collect();
        assert_eq!(losses.count(&other_epoch, |r| r.offset.0 != 3), None);
        assert_eq!(
            losses.count(&other_epoch, |_| true),
            Some((1, Offset(3), Offset(4)))
        );
        assert_eq!(losses.count, 6);
    }
}
