//! The zombie leader (`network.rs`): a broker cut off from the controller that still
//! believes it leads a partition the controller has given to another broker, and what it does
//! with the produce requests that reach it.
use crate::sim::ids::BrokerId;
use crate::sim::network::LastLeadership;
use crate::sim::partition::{LeaderProduce, LeaderRole, Partition, Produced, ReplicationSettings};
use crate::sim::types::ProduceError;

impl Partition {
    /// The leadership `broker` still believes it holds here though the controller moved it:
    /// its broker has been cut off from the controller since `cut_at_ms` (`None`: it is not),
    /// from before the move, so it never heard; and from after it took the leadership, so it
    /// knew of it (a broker cut off first and made leader after never learns that it leads).
    pub fn zombie_leadership(
        &self,
        broker: BrokerId,
        cut_at_ms: Option<u64>,
    ) -> Option<&LastLeadership> {
        let cut_at_ms = cut_at_ms?;
        if self.leader == Some(broker) {
            return None;
        }
        let led = self.replica(broker)?.last_led.as_ref()?;
        (led.since_ms <= cut_at_ms && led.until_ms >= cut_at_ms).then_some(led)
    }

    /// A zombie leader's side of a produce request: `broker` checks and appends as the leader
    /// it believes it is (in its old epoch, with its old ISR, `Partition::append_produced`).
    /// Nobody fetches from it, so its high watermark moves only when it believes itself the
    /// whole ISR (then to its log end, as `maybeIncrementLeaderHW` would, but not below
    /// min.insync.replicas). Transactions are not tracked on a zombie.
    pub fn produce_as_zombie(
        &mut self,
        request: LeaderProduce,
        settings: &ReplicationSettings,
    ) -> Result<Produced, ProduceError> {
        let broker = request.broker;
        let not_leader = ProduceError::NotLeaderOrFollower { broker };
        let led = self
            .replica(broker)
            .and_then(|r| r.last_led.clone())
            .ok_or(not_leader)?;
        let role = LeaderRole {
            epoch: led.epoch,
            isr: led.isr.len(),
        };
        let (from, to) = match self.append_produced(request, role, settings)? {
            Produced::Appended { from, to, .. } => (from, to),
            duplicate => return Ok(duplicate),
        };
        let alone =
            led.isr == [broker] && self.effective_min_isr(settings.min_insync_replicas) <= 1;
        let high_watermark = self.replica_mut(broker).and_then(|replica| {
            let end = replica.log.end_offset();
            (alone && end > replica.high_watermark).then(|| {
                replica.high_watermark = end;
                end
            })
        });
        Ok(Produced::Appended {
            from,
            to,
            high_watermark,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ids::{LeaderEpoch, Offset, PartitionId};
    use crate::sim::partition::tests::{batch, request, settings};
    use crate::sim::types::Acks;

    /// Broker 1 led orders-0 in epoch 0 with `isr` until the controller fenced it (out of
    /// the ISR, its last member too with ELR on) and moved the leadership at 100 ms.
    fn deposed(isr: Vec<BrokerId>) -> Partition {
        let brokers = vec![BrokerId(1), BrokerId(2), BrokerId(3)];
        let mut p = Partition::new(PartitionId(0), brokers, isr, 0);
        p.remove_from_isr(BrokerId(1), 1, false);
        let leader = p.isr.first().copied().filter(|b| *b != BrokerId(1));
        p.change_leader(leader, 100);
        p
    }

    /// A broker cut off from the controller before the move is a zombie; one cut off after it
    /// heard of the move is not (`BrokerHeartbeatManager` fences, the broker never learns).
    #[test]
    fn a_broker_is_a_zombie_only_if_it_was_cut_off_before_the_move() {
        let p = deposed(vec![BrokerId(1), BrokerId(2), BrokerId(3)]);
        assert_eq!(
            p.zombie_leadership(BrokerId(1), Some(50)).map(|l| l.epoch),
            Some(LeaderEpoch(0))
        );
        assert!(p.zombie_leadership(BrokerId(1), Some(150)).is_none());
        assert!(p.zombie_leadership(BrokerId(1), None).is_none());
        assert!(
            p.zombie_leadership(BrokerId(2), Some(50)).is_none(),
            "it leads"
        );
    }

    /// A broker cut off before the controller made it leader never heard of that leadership,
    /// so when the controller moves it on, the broker is no zombie of it (found by the Jepsen
    /// property: two brokers cut off, the second briefly elected as the first was fenced).
    #[test]
    fn a_broker_cut_off_before_it_was_made_leader_is_no_zombie() {
        let brokers = vec![BrokerId(1), BrokerId(2), BrokerId(3)];
        let mut p = Partition::new(PartitionId(0), brokers.clone(), brokers, 0);
        p.change_leader(Some(BrokerId(2)), 100);
        p.change_leader(Some(BrokerId(3)), 150);
        assert!(p.zombie_leadership(BrokerId(2), Some(50)).is_none());
        assert_eq!(
            p.zombie_leadership(BrokerId(2), Some(120)).map(|l| l.epoch),
            Some(LeaderEpoch(1))
        );
    }

    /// The zombie appends in its old epoch; with followers in the ISR it believes in, its high
    /// watermark stays (`maybeIncrementLeaderHW` waits for them), while alone in it, it moves.
    /// It checks min.insync.replicas against the ISR it believes in.
    #[test]
    fn a_zombie_appends_in_its_old_epoch_and_moves_its_high_watermark_only_alone() {
        let mut p = deposed(vec![BrokerId(1), BrokerId(2), BrokerId(3)]);
        let b = batch(2, Some(0));
        let appended = p.produce_as_zombie(request(BrokerId(1), &b, Acks::All, 200), &settings(2));
        assert_eq!(
            appended,
            Ok(Produced::Appended {
                from: Offset(0),
                to: Offset(2),
                high_watermark: None,
            })
        );
        let zombie = p.replica(BrokerId(1)).expect("replica");
        assert_eq!(
            zombie.log.records().get(0).map(|r| r.leader_epoch),
            Some(LeaderEpoch(0))
        );
        assert_eq!(zombie.high_watermark, Offset(0));
        assert_eq!(
            p.leader_replica().expect("leader").log.end_offset(),
            Offset(0)
        );
        // Its idempotence checks are its own: the same batch again is a duplicate.
        assert_eq!(
            p.produce_as_zombie(request(BrokerId(1), &b, Acks::All, 200), &settings(2)),
            Ok(Produced::Duplicate {
                from: Offset(0),
                to: Offset(2),
            })
        );

        let mut alone = deposed(vec![BrokerId(1)]);
        let b = batch(3, None);
        assert_eq!(
            alone.produce_as_zombie(request(BrokerId(1), &b, Acks::All, 200), &settings(2)),
            Err(ProduceError::NotEnoughReplicas {
                isr: 1,
                min_insync_replicas: 2,
            })
        );
        assert_eq!(
            alone.produce_as_zombie(request(BrokerId(1), &b, Acks::All, 200), &settings(1)),
            Ok(Produced::Appended {
                from: Offset(0),
                to: Offset(3),
                high_watermark: Some(Offset(3)),
            })
        );
    }
}
