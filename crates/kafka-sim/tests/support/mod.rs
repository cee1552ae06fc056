//! Helpers the engine test files share.
#![allow(dead_code)]
use kafka_sim::sim::scenario::Scenario;
use kafka_sim::sim::{
    BrokerId, Command, ConsumerConfig, IsolationLevel, Outcome, PartitionId, Sim, SimError,
    TimedEvent,
};

/// The quiet scenario (the starter with nothing running) with its set-up events drained.
pub fn quiet() -> Sim {
    let mut sim = Scenario::quiet().build().expect("the starter scenario");
    sim.drain_events();
    sim
}

/// The quiet scenario without its consumer, events drained.
pub fn quiet_without_consumer() -> Sim {
    let mut sim = quiet();
    sim.apply(Command::CloseConsumer {
        consumer: "consumer-1".into(),
    })
    .expect("close");
    sim.drain_events();
    sim
}

/// Queues a record from producer-1 to `orders` and returns its partition.
pub fn send(sim: &mut Sim, key: Option<&str>, partition: Option<i64>) -> u32 {
    send_to(sim, "orders", key, partition)
}

pub fn send_to(sim: &mut Sim, topic: &str, key: Option<&str>, partition: Option<i64>) -> u32 {
    match sim.apply(Command::Produce {
        producer: "producer-1".into(),
        topic: topic.into(),
        partition,
        key: key.map(str::to_owned),
        value: Some("v".into()),
    }) {
        Ok(Outcome::Queued { partition, .. }) => partition.0,
        other => panic!("produce failed: {other:?}"),
    }
}

/// Ticks until every producer's buffer is empty and nothing is in flight (at most `ticks`),
/// returning the events seen.
pub fn settle(sim: &mut Sim, ticks: u32) -> Vec<TimedEvent> {
    let mut events = Vec::new();
    for _ in 0..ticks {
        sim.tick();
        events.extend(sim.drain_events());
        let view = sim.view();
        if view
            .producers
            .iter()
            .all(|p| p.buffered.is_empty() && p.in_flight_requests == 0)
        {
            break;
        }
    }
    events
}

/// Crashes `broker` (the controller fences it after broker.session.timeout.ms).
pub fn crash(sim: &mut Sim, broker: u32) {
    sim.apply(Command::CrashBroker {
        broker: BrokerId(broker),
    })
    .expect("crash");
}

/// Ticks `n` times and returns the events.
pub fn ticks(sim: &mut Sim, n: u32) -> Vec<TimedEvent> {
    (0..n)
        .flat_map(|_| {
            sim.tick();
            sim.drain_events()
        })
        .collect()
}

/// The offsets of the leader's records in a partition.
pub fn offsets(sim: &Sim, topic: &str, partition: u32) -> Vec<u64> {
    sim.records(topic, PartitionId(partition))
        .iter()
        .map(|r| r.offset.0)
        .collect()
}

/// Applies `command`, expects `error`, and checks that nothing changed.
pub fn refused(sim: &mut Sim, command: Command, error: SimError) {
    sim.drain_events();
    let before = sim.clone();
    assert_eq!(sim.apply(command), Err(error));
    assert_eq!(*sim, before, "a refused command changes nothing");
    assert!(sim.drain_events().is_empty(), "and reports nothing");
}

/// The event texts that contain `needle`.
pub fn lines_with(events: &[TimedEvent], needle: &str) -> Vec<String> {
    events
        .iter()
        .map(|e| e.event.to_string())
        .filter(|line| line.contains(needle))
        .collect()
}

/// Subscribes `consumer` (group `group`, read_committed) to `topic`.
pub fn read_committed(sim: &mut Sim, consumer: &str, topic: &str, group: &str) {
    sim.apply(Command::subscribe(
        consumer,
        topic,
        ConsumerConfig {
            isolation_level: IsolationLevel::ReadCommitted,
            ..ConsumerConfig::new(group)
        },
    ))
    .expect("consumer");
}

/// The event log of `events`, one line each, compared with the golden file `name` in
/// tests/golden; UPDATE_GOLDEN=1 rewrites the file (then read the diff).
pub fn matches_golden_log(name: &str, events: &[TimedEvent]) {
    matches_golden_text(name, &event_log(events));
}

/// `events` as the golden files hold them: one line each, its time and its text.
pub fn event_log(events: &[TimedEvent]) -> String {
    events
        .iter()
        .map(|e| format!("{:>6} ms  {}\n", e.at_ms, e.event))
        .collect()
}

/// `text` compared with the golden file `name` in tests/golden; UPDATE_GOLDEN=1 rewrites the
/// file (then read the diff).
pub fn matches_golden_text(name: &str, text: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, text).expect("write the golden file");
    }
    let golden = std::fs::read_to_string(&path).expect("the golden file");
    assert_eq!(
        text,
        golden,
        "the event log differs from {}",
        path.display()
    );
}
