//! What the engine reports, sorted for the page: which events are changes to the cluster or a
//! group and which are clients' routine traffic (the event log's filter), which are important
//! enough to pin, and a short caption in plain words drawn on the stage where it happened (the
//! broker, the partition, the producer or the group) for `SHOWN_MS` of virtual time.

use crate::ui::playground::Inspected;
use kafka_sim::sim::event::ElectionKind;
use kafka_sim::sim::event_text::brokers;
use kafka_sim::sim::names::Named;
use kafka_sim::sim::network::Isolation;
use kafka_sim::sim::types::{GroupProtocol, Strategy};
use kafka_sim::sim::{Event, PartitionId, TimedEvent};

/// How long a caption stays on the stage, in virtual ms.
pub const SHOWN_MS: u64 = 10_000;

/// How many captions one place shows at once (the newest).
pub const PER_PLACE: usize = 2;

/// The event log's filter: what a line is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    /// Brokers, topics, leaders, ISRs, retention; groups' membership and assignments.
    Change,
    /// Producers' and consumers' routine work: writes, copies, acknowledgements, polls, commits.
    Traffic,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caption {
    pub at_ms: u64,
    /// Where on the stage it is drawn: the part a click would inspect.
    pub place: Inspected,
    pub text: String,
    /// Something went wrong (drawn in the alert colour).
    pub alert: bool,
}

pub fn category(event: &Event) -> Category {
    match event {
        Event::RecordsAppended { .. }
        | Event::ReplicaFetched { .. }
        | Event::HighWatermarkAdvanced { .. }
        | Event::ProduceAcked { .. }
        | Event::ProduceRetrying { .. }
        | Event::DuplicateIgnored { .. }
        | Event::Fetched { .. }
        | Event::Skipped { .. }
        | Event::OffsetCommitted { .. }
        | Event::PositionReset { .. }
        | Event::TransactionBegun { .. }
        | Event::TransactionEnded { .. }
        | Event::ZombieAppended { .. } => Category::Traffic,
        _ => Category::Change,
    }
}

/// Events pinned above the log so that routine lines do not scroll them away: failures, lost
/// records and what changes who leads or who reads (all but the preferred elections the learner
/// asked for; the controller's automatic ones come unasked, minutes after the failure).
pub fn is_important(event: &Event) -> bool {
    match event {
        Event::ConsumerStopped { crashed, .. } => *crashed,
        Event::LeaderElected { kind, .. } => *kind != ElectionKind::Preferred,
        Event::BrokerCrashed { .. }
        | Event::BrokerFenced { .. }
        | Event::BrokerRestarted { .. }
        | Event::BrokerAdded { .. }
        | Event::BrokerDecommissioned { .. }
        | Event::TopicDeleted { .. }
        | Event::PartitionsAdded { .. }
        | Event::RecordsLost { .. }
        | Event::AcknowledgedRecordsLost { .. }
        | Event::BrokerSlowed { .. }
        | Event::BrokerIsolated { .. }
        | Event::BrokerHealed { .. }
        | Event::IsrShrunk { .. }
        | Event::IsrExpanded { .. }
        | Event::RecordsTruncated { .. }
        | Event::SegmentsDeleted { .. }
        | Event::LogCompacted { .. }
        | Event::ProduceFailed { .. }
        | Event::RecordsDropped { .. }
        | Event::RebalanceStarted { .. }
        | Event::MemberLeft { .. }
        | Event::PartitionsLost { .. }
        | Event::CommitFailed { .. }
        | Event::PollFailed { .. }
        | Event::TruncationDetected { .. }
        | Event::OffsetReset { .. }
        | Event::TransactionTimedOut { .. }
        | Event::BrokerShutDown { .. }
        | Event::ElrChanged { .. }
        | Event::ProducerFenced { .. } => true,
        _ => false,
    }
}

/// The first word of a produce error: Kafka's error code.
fn error_code(error: &impl ToString) -> String {
    let text = error.to_string();
    text.split(':').next().unwrap_or_default().to_owned()
}

fn partition_place(topic: &str, partition: PartitionId) -> Inspected {
    Inspected::Partition {
        topic: topic.to_owned(),
        partition,
    }
}

/// The caption an event draws on the stage, if it draws one.
pub fn caption(at_ms: u64, event: &Event) -> Option<Caption> {
    let (place, text, alert) = match event {
        Event::BrokerFenced { broker } => (
            Inspected::Broker(*broker),
            "fenced: out of every ISR, leads nothing".to_owned(),
            true,
        ),
        Event::BrokerRestarted { broker } => (
            Inspected::Broker(*broker),
            "restarted: its replicas catch up".to_owned(),
            false,
        ),
        Event::BrokerShutDown { broker } => (
            Inspected::Broker(*broker),
            "stopped gracefully: its leaderships moved first".to_owned(),
            false,
        ),
        Event::ElrChanged {
            topic,
            partition,
            elr,
            ..
        } => (
            partition_place(topic, *partition),
            format!("eligible leaders (ELR) now {}", brokers(elr)),
            false,
        ),
        Event::LeaderElected {
            topic,
            partition,
            from,
            to,
            epoch,
            kind,
        } => {
            let was = from.map_or_else(|| "none".to_owned(), |b| format!("broker {b}"));
            let (text, alert) = match (to, kind) {
                (None, _) => (
                    format!("OFFLINE: no live in-sync replica to lead (was {was})"),
                    true,
                ),
                (Some(to), ElectionKind::Unclean) => (
                    format!(
                        "UNCLEAN election: out-of-sync broker {to} leads, epoch {epoch}; records only the old leader had are lost"
                    ),
                    true,
                ),
                (Some(to), ElectionKind::Preferred) => (
                    format!("leadership back to preferred broker {to}, epoch {epoch}"),
                    false,
                ),
                (Some(to), ElectionKind::AutoLeaderRebalance) => (
                    format!(
                        "auto leader rebalance: leadership back to preferred broker {to}, epoch {epoch}"
                    ),
                    false,
                ),
                (Some(to), ElectionKind::Clean) => (
                    format!("new leader: {was} → broker {to}, epoch {epoch}"),
                    false,
                ),
                (Some(to), ElectionKind::Eligible) => (
                    format!(
                        "eligible leader broker {to} leads, epoch {epoch}: it has every committed record"
                    ),
                    false,
                ),
                (Some(to), ElectionKind::LastKnownLeader) => (
                    format!("the last known leader, broker {to}, leads again, epoch {epoch}"),
                    true,
                ),
            };
            (partition_place(topic, *partition), text, alert)
        }
        Event::IsrShrunk {
            topic,
            partition,
            broker,
            isr,
            ..
        } => (
            partition_place(topic, *partition),
            format!("ISR shrank to {}: broker {broker} left it", brokers(isr)),
            true,
        ),
        Event::IsrExpanded {
            topic,
            partition,
            broker,
            isr,
        } => (
            partition_place(topic, *partition),
            format!("ISR grew to {}: broker {broker} caught up", brokers(isr)),
            false,
        ),
        Event::RecordsLost {
            topic,
            partition,
            from,
            to,
            ..
        } => (
            partition_place(topic, *partition),
            format!(
                "LOST {} record(s) at offsets {from}–{} to the unclean election",
                to.0 - from.0,
                to.0.saturating_sub(1)
            ),
            true,
        ),
        Event::RecordsTruncated {
            topic,
            partition,
            broker,
            from,
            records,
        } => (
            partition_place(topic, *partition),
            format!(
                "broker {broker} truncated {records} record(s) from offset {from}: the leader does not have them"
            ),
            true,
        ),
        Event::SegmentsDeleted {
            topic,
            partition,
            records,
            log_start,
            ..
        } => (
            partition_place(topic, *partition),
            format!("retention deleted {records} record(s): log start → {log_start}"),
            true,
        ),
        Event::LogCompacted {
            topic,
            partition,
            removed,
            ..
        } => (
            partition_place(topic, *partition),
            format!(
                "compaction removed {removed} record(s) superseded by a newer one with the same key"
            ),
            true,
        ),
        Event::ProduceRetrying {
            producer,
            topic,
            partition,
            attempt,
            error,
            ..
        } => (
            Inspected::Producer(producer.clone()),
            format!(
                "{} from {topic}-{partition}: retrying (attempt {attempt})",
                error_code(error)
            ),
            true,
        ),
        Event::ProduceFailed {
            producer,
            topic,
            partition,
            records,
            error,
        } => (
            Inspected::Producer(producer.clone()),
            format!(
                "{}: {records} record(s) for {topic}-{partition} failed",
                error_code(error)
            ),
            true,
        ),
        Event::TransactionTimedOut {
            producer,
            timeout_ms,
            ..
        } => (
            Inspected::Producer(producer.clone()),
            format!(
                "transaction aborted by the coordinator after transaction.timeout.ms ({timeout_ms} ms)"
            ),
            true,
        ),
        Event::ProducerFenced {
            producer,
            by,
            epoch,
            ..
        } => (
            Inspected::Producer(producer.clone()),
            format!("fenced: {by} took its transactional.id (epoch {epoch}); close it"),
            true,
        ),
        Event::RecordsDropped {
            producer,
            topic,
            partition,
            records,
            error,
        } => (
            Inspected::Producer(producer.clone()),
            format!(
                "{records} acks=0 record(s) for {topic}-{partition} never arrived ({}); it does not know",
                error_code(error)
            ),
            true,
        ),
        Event::RebalanceStarted { group, reason } => (
            Inspected::Group(group.clone()),
            format!("rebalancing: {reason}"),
            false,
        ),
        Event::MemberLeft {
            group,
            member,
            reason,
        } => (
            Inspected::Group(group.clone()),
            format!("{member} left: {reason}"),
            false,
        ),
        Event::PartitionsLost {
            group,
            member,
            partitions,
        } => (
            Inspected::Group(group.clone()),
            format!(
                "{member} lost {} partition(s) without committing",
                partitions.len()
            ),
            true,
        ),
        Event::OffsetReset {
            group,
            topic,
            partition,
            to,
            ..
        } => (
            Inspected::Group(group.clone()),
            format!("committed offset of {topic}-{partition} reset to {to}"),
            false,
        ),
        Event::TruncationDetected {
            consumer,
            topic,
            partition,
            offset,
            diverged_at,
            ..
        } => (
            partition_place(topic, *partition),
            match diverged_at {
                Some(at) => format!(
                    "{consumer} read past the truncation: back from offset {offset} to {at}, where the logs diverge"
                ),
                None => format!("{consumer} read past the truncation at {offset}: reset"),
            },
            true,
        ),
        Event::CoordinatorMoved {
            group,
            partition,
            to,
            ..
        } => (
            Inspected::Group(group.clone()),
            match to {
                Some(to) => {
                    format!("coordinator now broker {to} (leads __consumer_offsets-{partition})")
                }
                None => format!("no coordinator: __consumer_offsets-{partition} is offline"),
            },
            to.is_none(),
        ),
        Event::BrokerSlowed { broker } => (
            Inspected::Broker(*broker),
            "slow: its followers fetch one batch a second".to_owned(),
            true,
        ),
        Event::BrokerIsolated { broker, from } => (
            Inspected::Broker(*broker),
            match from {
                Isolation::Controller => {
                    "cut off from the controller: fenced soon, it goes on leading (zombie)"
                }
                Isolation::Clients => "cut off from the clients: their requests time out",
            }
            .to_owned(),
            true,
        ),
        Event::BrokerHealed { broker, .. } => (
            Inspected::Broker(*broker),
            "healed: it follows the current leaders again".to_owned(),
            false,
        ),
        Event::ZombieAppended {
            topic,
            partition,
            broker,
            acks,
            ..
        } => (
            partition_place(topic, *partition),
            format!("zombie broker {broker} took a write (acks={acks}) the real leader never sees"),
            true,
        ),
        Event::AcknowledgedRecordsLost {
            topic,
            partition,
            records,
            ..
        } => (
            partition_place(topic, *partition),
            format!("LOST {records} acknowledged record(s)"),
            true,
        ),
        _ => return None,
    };
    Some(Caption {
        at_ms,
        place,
        text,
        alert,
    })
}

/// The captions on the stage: the newest few of the last `SHOWN_MS`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Captions {
    recent: Vec<Caption>,
}

impl Captions {
    /// Notes the captions among `events`, forgetting those that have been shown long enough.
    /// True if anything changed (most ticks caption nothing).
    pub fn note(&mut self, events: &[TimedEvent]) -> bool {
        let before = self.recent.len();
        self.recent
            .extend(events.iter().filter_map(|e| caption(e.at_ms, &e.event)));
        let added = self.recent.len() != before;
        let expired = match events.last() {
            Some(last) => self.expire(last.at_ms),
            None => false,
        };
        added || expired
    }

    /// Forgets captions older than `SHOWN_MS` before `now_ms`. True if any went.
    fn expire(&mut self, now_ms: u64) -> bool {
        let before = self.recent.len();
        self.recent.retain(|c| c.at_ms + SHOWN_MS >= now_ms);
        self.recent.len() != before
    }

    /// Going back in time: what happens after `now_ms` has not happened (yet).
    pub fn forget_after(&mut self, now_ms: u64) {
        self.recent.retain(|c| c.at_ms <= now_ms);
    }

    /// The newest `PER_PLACE` captions at `place` still shown at `now_ms`, newest first.
    pub fn at(&self, place: &Inspected, now_ms: u64) -> Vec<Caption> {
        self.recent
            .iter()
            .rev()
            .filter(|c| c.place == *place && c.at_ms + SHOWN_MS >= now_ms && c.at_ms <= now_ms)
            .take(PER_PLACE)
            .cloned()
            .collect()
    }
}

/// How a group's rebalances look: an eager protocol takes every partition from every member
/// and hands them out again; a cooperative one revokes only what moves.
pub fn rebalance_style(protocol: &str, strategy: Option<&str>) -> &'static str {
    // Every protocol but classic assigns on the broker, cooperatively.
    let broker_assigns = protocol != GroupProtocol::Classic.name();
    if broker_assigns
        || strategy
            .and_then(Strategy::from_name)
            .is_some_and(Strategy::cooperative)
    {
        "cooperative: a rebalance revokes only the partitions that move"
    } else {
        "eager: a rebalance revokes every partition from every member, then hands them out again"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_sim::sim::ids::LeaderEpoch;
    use kafka_sim::sim::{BrokerId, Offset};

    fn elected(kind: ElectionKind, to: Option<u32>) -> Event {
        Event::LeaderElected {
            topic: "orders".to_owned(),
            partition: PartitionId(1),
            from: Some(BrokerId(1)),
            to: to.map(BrokerId),
            epoch: LeaderEpoch(2),
            kind,
        }
    }

    #[test]
    fn an_election_is_captioned_on_its_partition_with_the_new_leader_and_epoch() {
        let c = caption(5, &elected(ElectionKind::Clean, Some(2))).unwrap();
        assert_eq!(c.place, partition_place("orders", PartitionId(1)));
        assert_eq!(c.text, "new leader: broker 1 → broker 2, epoch 2");
        assert!(!c.alert);
        let unclean = caption(5, &elected(ElectionKind::Unclean, Some(3))).unwrap();
        assert!(unclean.alert && unclean.text.starts_with("UNCLEAN"));
        let offline = caption(5, &elected(ElectionKind::Clean, None)).unwrap();
        assert!(offline.alert && offline.text.starts_with("OFFLINE"));
        assert!(is_important(&elected(ElectionKind::Clean, Some(2))));
        assert!(!is_important(&elected(ElectionKind::Preferred, Some(1))));
        let auto = caption(5, &elected(ElectionKind::AutoLeaderRebalance, Some(1))).unwrap();
        assert!(!auto.alert && auto.text.starts_with("auto leader rebalance"));
        assert!(is_important(&elected(
            ElectionKind::AutoLeaderRebalance,
            Some(1)
        )));
    }

    #[test]
    fn a_consumer_moving_back_after_a_truncation_is_an_alert_on_its_partition() {
        let truncation = Event::TruncationDetected {
            consumer: "c".to_owned(),
            topic: "orders".to_owned(),
            partition: PartitionId(1),
            offset: Offset(6),
            epoch: LeaderEpoch(0),
            diverged_at: Some(Offset(3)),
            committed: false,
        };
        let c = caption(5, &truncation).unwrap();
        assert_eq!(c.place, partition_place("orders", PartitionId(1)));
        assert_eq!(
            c.text,
            "c read past the truncation: back from offset 6 to 3, where the logs diverge"
        );
        assert!(c.alert && is_important(&truncation));
    }

    #[test]
    fn not_enough_replicas_is_captioned_at_the_producer_by_its_error_code() {
        let event = Event::ProduceFailed {
            producer: "p".to_owned(),
            topic: "orders".to_owned(),
            partition: PartitionId(0),
            records: 3,
            error: kafka_sim::sim::types::ProduceError::NotEnoughReplicas {
                isr: 1,
                min_insync_replicas: 2,
            },
        };
        let c = caption(0, &event).unwrap();
        assert_eq!(c.place, Inspected::Producer("p".to_owned()));
        assert_eq!(
            c.text,
            "NOT_ENOUGH_REPLICAS: 3 record(s) for orders-0 failed"
        );
        assert!(is_important(&event));
        assert_eq!(category(&event), Category::Change);
    }

    #[test]
    fn routine_traffic_is_neither_captioned_nor_pinned() {
        let event = Event::ReplicaFetched {
            topic: "orders".to_owned(),
            partition: PartitionId(0),
            broker: BrokerId(2),
            from: Offset(0),
            to: Offset(3),
        };
        assert_eq!(category(&event), Category::Traffic);
        assert!(caption(0, &event).is_none());
        assert!(!is_important(&event));
    }

    #[test]
    fn captions_last_ten_virtual_seconds_and_rewinding_forgets_the_future() {
        let mut captions = Captions::default();
        // (A crash itself is told by the broker's fencing countdown.)
        let crash = |at_ms| TimedEvent {
            at_ms,
            event: Event::BrokerFenced {
                broker: BrokerId(1),
            },
        };
        let here = Inspected::Broker(BrokerId(1));
        assert!(captions.note(&[crash(1_000), crash(2_000), crash(3_000)]));
        let shown = captions.at(&here, 3_000);
        assert_eq!(shown.len(), PER_PLACE);
        assert_eq!(shown[0].at_ms, 3_000, "newest first");
        assert!(
            captions
                .at(&Inspected::Broker(BrokerId(2)), 3_000)
                .is_empty()
        );
        assert_eq!(
            captions.at(&here, 12_500).len(),
            1,
            "1 s and 2 s have expired"
        );
        captions.forget_after(1_500);
        assert_eq!(captions.at(&here, 1_500).len(), 1);
        assert!(captions.note(&[TimedEvent {
            at_ms: 20_000,
            event: Event::BrokerAdded {
                broker: BrokerId(4)
            }
        }]));
        assert!(captions.at(&here, 20_000).is_empty());
    }

    #[test]
    fn eager_and_cooperative_rebalances_are_told_apart() {
        assert!(rebalance_style("classic", Some("range")).starts_with("eager"));
        assert!(rebalance_style("classic", Some("cooperative-sticky")).starts_with("cooperative"));
        assert!(rebalance_style("consumer (uniform assignor)", None).starts_with("cooperative"));
    }
}
