//! Records travelling on the stage: which tokens a batch of engine events sends where, as plain
//! data the stage draws. A record appended by a leader travels from its producer to the
//! partition's log; the followers' copies travel from the leader to each follower; a poll's
//! records travel from the log to the consumer. A batch sends at most a few tokens, each for a
//! run of records (`count`): a busy partition shows a flow and its rate, not a swarm.
use kafka_sim::sim::event::{Event, TimedEvent};
use kafka_sim::sim::ids::BrokerId;

/// At most this many tokens leave in one batch of events (one tick, or a few at high speed).
pub const TOKENS_PER_BATCH: usize = 8;

/// At most this many tokens travel at once: a busy cluster shows a steady flow and each
/// partition's rate, not a swarm (and the page keeps its frame rate).
pub const MAX_IN_FLIGHT: usize = 12;

/// One token's trip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trip {
    /// From a producer to the partition's log end, for records written at `first..first+count`.
    Produce {
        producer: String,
        topic: String,
        partition: u32,
        first: u64,
        count: u64,
    },
    /// From the leader's replica to a follower's, a copy of `count` records.
    Replicate {
        topic: String,
        partition: u32,
        leader: Option<BrokerId>,
        follower: BrokerId,
        count: u64,
    },
    /// From the partition's log to a consumer, `count` records from `first`.
    Consume {
        consumer: String,
        topic: String,
        partition: u32,
        first: u64,
        count: u64,
    },
}

impl Trip {
    /// The records it carries.
    pub fn count(&self) -> u64 {
        match self {
            Trip::Produce { count, .. }
            | Trip::Replicate { count, .. }
            | Trip::Consume { count, .. } => *count,
        }
    }
}

/// The trips of a batch of events, at most `TOKENS_PER_BATCH`: writes first (the record's
/// arrival is what a learner follows), then polls, then copies. The leader of a copy is the
/// one that last wrote to the partition in the batch, if any.
pub fn trips(events: &[TimedEvent]) -> Vec<Trip> {
    let mut writes = Vec::new();
    let mut polls = Vec::new();
    let mut copies = Vec::new();
    for event in events {
        match &event.event {
            Event::RecordsAppended {
                topic,
                partition,
                from,
                to,
                producer,
                ..
            } if to.0 > from.0 => writes.push(Trip::Produce {
                producer: producer.clone(),
                topic: topic.clone(),
                partition: partition.0,
                first: from.0,
                count: to.0 - from.0,
            }),
            Event::Fetched {
                consumer,
                topic,
                partition,
                from,
                to,
            } if to.0 > from.0 => polls.push(Trip::Consume {
                consumer: consumer.clone(),
                topic: topic.clone(),
                partition: partition.0,
                first: from.0,
                count: to.0 - from.0,
            }),
            Event::ReplicaFetched {
                topic,
                partition,
                broker,
                from,
                to,
            } if to.0 > from.0 => copies.push(Trip::Replicate {
                topic: topic.clone(),
                partition: partition.0,
                leader: None,
                follower: *broker,
                count: to.0 - from.0,
            }),
            _ => {}
        }
    }
    writes
        .into_iter()
        .chain(polls)
        .chain(copies)
        .take(TOKENS_PER_BATCH)
        .collect()
}

/// How long a token travels, in real ms, at `quarters` speed (4 = 1×): 0.7 s at 1×, slower when
/// slowed down (2.8 s at 0.25×, so that one record can be followed), never under 0.15 s.
pub fn travel_ms(quarters: u32) -> u32 {
    (2_800 / quarters.max(1)).clamp(150, 2_800)
}

/// The batch in words, for screen readers: "3 records to orders-1 from producer-1 at offset
/// 12; consumer-1 read 2 from orders-0". Copies are left out (the high watermark says it).
pub fn told(trips: &[Trip]) -> String {
    trips
        .iter()
        .filter_map(|trip| match trip {
            Trip::Produce {
                producer,
                topic,
                partition,
                first,
                count,
            } => Some(format!(
                "{} to {topic}-{partition} from {producer} at offset {first}",
                records(*count)
            )),
            Trip::Consume {
                consumer,
                topic,
                partition,
                count,
                ..
            } => Some(format!(
                "{consumer} read {} from {topic}-{partition}",
                records(*count)
            )),
            Trip::Replicate { .. } => None,
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn records(n: u64) -> String {
    if n == 1 {
        "1 record".to_owned()
    } else {
        format!("{n} records")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_sim::console::Console;
    use kafka_sim::sim::scenario::Scenario;
    use kafka_sim::sim::timeline::Timeline;

    #[test]
    fn a_record_travels_to_its_partition_then_to_the_followers_then_to_the_consumer() {
        let mut timeline = Timeline::new(Scenario::quiet().build().expect("starter"));
        for _ in 0..40 {
            timeline.tick();
        }
        timeline.drain_events();
        let mut console = Console::new();
        for line in [
            "kafka-console-producer.sh --bootstrap-server b:9092 --topic orders --property parse.key=true --property key.separator=:",
            "user-1:a",
            "^D",
        ] {
            console.enter(line, &mut timeline);
        }
        let mut seen = Vec::new();
        for _ in 0..6 {
            timeline.tick();
            seen.extend(trips(&timeline.drain_events()));
        }
        let produce = seen
            .iter()
            .position(|t| {
                matches!(
                    t,
                    Trip::Produce {
                        first: 0,
                        count: 1,
                        ..
                    }
                )
            })
            .expect("the record's write");
        let copies = seen
            .iter()
            .filter(|t| matches!(t, Trip::Replicate { count: 1, .. }))
            .count();
        assert_eq!(copies, 2, "two followers copy it: {seen:?}");
        let consume = seen
            .iter()
            .position(|t| matches!(t, Trip::Consume { count: 1, .. }))
            .expect("consumer-1 reads it");
        assert!(produce < consume);
        assert_eq!(
            told(&seen[produce..=produce]),
            "1 record to orders-2 from console-producer-1 at offset 0"
        );
    }

    #[test]
    fn a_busy_batch_sends_only_a_few_tokens_and_speed_sets_their_pace() {
        let mut timeline = Timeline::new(Scenario::busy().build().expect("busy"));
        for _ in 0..30 {
            timeline.tick();
        }
        timeline.drain_events();
        timeline.tick();
        let events = timeline.drain_events();
        let sent = trips(&events);
        assert_eq!(sent.len(), TOKENS_PER_BATCH, "{} events", events.len());
        assert!(sent.iter().all(|t| t.count() >= 1));
        assert_eq!(travel_ms(4), 700);
        assert_eq!(travel_ms(1), 2_800);
        assert_eq!(travel_ms(64), 150);
    }
}
