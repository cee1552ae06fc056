//! Network and disk faults (`sim/network.rs`): a slow follower leaving and rejoining the ISR,
//! a broker cut off from the clients, and the zombie leader a broker cut off from the
//! controller becomes, with acks=1 (acknowledged records lost, counted) and with acks=all and
//! min.insync.replicas 2 (nothing acknowledged lost). The two zombie sessions are golden event
//! logs (`tests/golden/zombie-*.log`); UPDATE_GOLDEN=1 rewrites them, then read the diff.
mod support;

use kafka_sim::sim::broker::BrokerStatus;
use kafka_sim::sim::event::Event;
use kafka_sim::sim::network::Isolation;
use kafka_sim::sim::ordered::Map;
use kafka_sim::sim::types::{KeySet, ProduceError};
use kafka_sim::sim::{
    Acks, BrokerId, Command, PartitionId, ProducerConfig, Sim, SimConfig, TimedEvent,
};
use support::{matches_golden_log, ticks};

/// Whether one of `events` matches `pattern`.
macro_rules! happened {
    ($events:expr, $pattern:pat $(if $guard:expr)?) => {
        $events.iter().any(|e| matches!(&e.event, $pattern $(if $guard)?))
    };
}

const TOPIC: &str = "orders";

/// Three brokers and `orders`, one partition on brokers 1, 2, 3 (broker 1 leads) with
/// `min.insync.replicas`, and producer `app` with `acks` (idempotent only with acks=all).
fn cluster(acks: Acks, min_insync_replicas: u32) -> Sim {
    let mut sim = Sim::new(SimConfig::default(), 7).expect("config");
    let mut configs = Map::new();
    configs.insert(
        "min.insync.replicas".to_owned(),
        min_insync_replicas.to_string(),
    );
    let commands = [
        Command::CreateTopicWithAssignment {
            name: TOPIC.into(),
            assignment: vec![vec![BrokerId(1), BrokerId(2), BrokerId(3)]],
            configs,
        },
        Command::AddProducer {
            producer: "app".into(),
            config: ProducerConfig {
                acks,
                enable_idempotence: acks == Acks::All,
                ..ProducerConfig::default()
            },
        },
    ];
    for command in commands {
        sim.apply(command).expect("set-up");
    }
    sim
}

fn produce(sim: &mut Sim, count: u32, value: &str) {
    for n in 0..count {
        sim.apply(Command::produce(
            "app",
            TOPIC,
            None,
            &format!("{value}-{n}"),
        ))
        .expect("send");
    }
}

fn isolate(sim: &mut Sim, broker: u32, from: Isolation) {
    sim.apply(Command::IsolateBroker {
        broker: BrokerId(broker),
        from,
    })
    .expect("isolate");
}

fn heal(sim: &mut Sim, broker: u32) {
    sim.apply(Command::HealBroker {
        broker: BrokerId(broker),
    })
    .expect("heal");
}

/// The values in the partition's (leader's) log.
fn values(sim: &Sim) -> Vec<String> {
    sim.records(TOPIC, PartitionId(0))
        .iter()
        .filter_map(|r| r.value.as_deref().map(str::to_owned))
        .collect()
}

/// The zombie session: three records replicated, broker 1 (the leader) cut off from the
/// controller, fenced after broker.session.timeout.ms (9 s) while broker 2 takes over, four
/// records sent to broker 1 by a producer whose metadata still names it, then healed at 50 s.
fn zombie_session(acks: Acks, min_insync_replicas: u32) -> (Sim, Vec<TimedEvent>) {
    let mut sim = cluster(acks, min_insync_replicas);
    let mut events = sim.drain_events();
    produce(&mut sim, 3, "before");
    events.extend(ticks(&mut sim, 5));
    isolate(&mut sim, 1, Isolation::Controller);
    events.extend(ticks(&mut sim, 100));
    produce(&mut sim, 4, "zombie");
    events.extend(ticks(&mut sim, 400));
    heal(&mut sim, 1);
    events.extend(ticks(&mut sim, 10));
    (sim, events)
}

/// Kafka's zombie leader with acks=1: the controller fences broker 1
/// (`BrokerHeartbeatManager`, broker.session.timeout.ms) and elects broker 2, but broker 1
/// never hears and acknowledges the producer's acks=1 writes at once
/// (`Partition.appendRecordsToLeader`); healed, it follows broker 2 and truncates to where
/// their logs agree by leader epoch (`Partition.makeFollower`, KIP-101), and the four
/// acknowledged records are gone: counted on the partition and in the cluster total.
#[test]
fn a_zombie_leader_acknowledges_acks_1_records_that_are_lost_when_it_rejoins() {
    let (sim, events) = zombie_session(Acks::Leader, 1);
    let zombie_writes = events
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                Event::ZombieAppended {
                    broker: BrokerId(1),
                    ..
                }
            )
        })
        .count();
    assert!(zombie_writes > 0, "the producer kept sending to broker 1");
    let lost: Vec<(u64, u64)> = events
        .iter()
        .filter_map(|e| match e.event {
            Event::AcknowledgedRecordsLost {
                broker: BrokerId(1),
                records,
                from,
                ..
            } => Some((records, from.0)),
            _ => None,
        })
        .collect();
    assert_eq!(lost, [(4, 3)], "the four zombie writes, from offset 3");
    let view = sim.view();
    let partition = &view.topic(TOPIC).expect("orders").partitions[0];
    assert_eq!(partition.acknowledged_lost, 4);
    assert_eq!(view.acknowledged_lost(), 4);
    assert_eq!(partition.leader, Some(BrokerId(2)));
    assert!(partition.zombie_leaders.is_empty(), "healed");
    assert!(values(&sim).iter().all(|v| v.starts_with("before")));
    assert_eq!(
        sim.producer("app").expect("app").stats.acknowledged,
        7,
        "all seven were acknowledged"
    );
    matches_golden_log("zombie-acks-1.log", &events);
}

/// The same zombie with acks=all and min.insync.replicas 2: broker 1 believes its ISR is still
/// [1, 2, 3] (it cannot shrink it: `maybeShrinkIsr`'s AlterPartition never reaches the
/// controller) and no follower fetches from it, so its high watermark stays put
/// (`maybeIncrementLeaderHW`) and nothing it takes is acknowledged. The requests time out
/// (request.timeout.ms), the producer refreshes its metadata (`NetworkClient` on the
/// timeout) and retries on broker 2, where the records are acknowledged; broker 1's copies
/// are truncated when it rejoins, and no acknowledged record is lost.
#[test]
fn a_zombie_leader_acknowledges_nothing_with_acks_all_and_min_insync_replicas_2() {
    let (sim, events) = zombie_session(Acks::All, 2);
    assert!(
        happened!(
            events,
            Event::ZombieAppended {
                broker: BrokerId(1),
                ..
            }
        ),
        "the producer sent to broker 1 first"
    );
    assert!(
        happened!(events, Event::ProduceRetrying { error, .. } if *error == ProduceError::RequestTimedOut),
        "the zombie's requests timed out"
    );
    assert!(
        !happened!(events, Event::AcknowledgedRecordsLost { .. }),
        "nothing acknowledged is lost"
    );
    let view = sim.view();
    assert_eq!(view.acknowledged_lost(), 0);
    let mut written = values(&sim);
    written.sort();
    let expected: Vec<String> = (0..3)
        .map(|n| format!("before-{n}"))
        .chain((0..4).map(|n| format!("zombie-{n}")))
        .collect();
    assert_eq!(written, expected, "every record once, on the new leader");
    assert_eq!(sim.producer("app").expect("app").stats.acknowledged, 7);
    matches_golden_log("zombie-acks-all.log", &events);
}

/// A slow follower (`SLOW_FETCH_INTERVAL_MS`, `SLOW_FETCH_MAX_BYTES`) under load stops
/// reaching the leader's log end; after replica.lag.time.max.ms (30 s) without catching up,
/// the leader drops it from the ISR (`Partition.getOutOfSyncReplicas`, `maybeShrinkIsr`).
/// Healed, it catches up and joins again (`Partition.maybeExpandIsr`).
///
/// The producer uses acks=1: with acks=all the slow follower would hold the high watermark,
/// and with it the producer's requests in flight, back to its own pace.
#[test]
fn a_slow_follower_falls_out_of_the_isr_under_load_and_rejoins_when_healed() {
    let mut sim = cluster(Acks::Leader, 1);
    sim.apply(Command::StartGenerator {
        generator: "load".into(),
        producer: "app".into(),
        topic: TOPIC.into(),
        rate_per_sec: 50,
        keys: KeySet::Uniform { count: 5 },
    })
    .expect("generator");
    sim.apply(Command::SlowBroker {
        broker: BrokerId(3),
    })
    .expect("slow");
    let in_isr = |sim: &Sim| {
        sim.partition(TOPIC, PartitionId(0))
            .expect("partition")
            .in_isr(BrokerId(3))
    };
    sim.advance_to(25_000);
    assert!(in_isr(&sim), "not yet replica.lag.time.max.ms behind");
    let events: Vec<TimedEvent> = (0..200).flat_map(|_| ticks(&mut sim, 1)).collect();
    let shrunk = events.iter().find_map(|e| match &e.event {
        Event::IsrShrunk {
            broker: BrokerId(3),
            reason,
            ..
        } => Some((e.at_ms, reason.clone())),
        _ => None,
    });
    let (at_ms, reason) = shrunk.expect("broker 3 left the ISR");
    assert!((30_000..=45_000).contains(&at_ms), "left at {at_ms} ms");
    assert!(reason.contains("replica.lag.time.max.ms"));
    heal(&mut sim, 3);
    let events = ticks(&mut sim, 20);
    assert!(
        happened!(
            events,
            Event::IsrExpanded {
                broker: BrokerId(3),
                ..
            }
        ),
        "healed, it caught up and rejoined"
    );
    assert!(in_isr(&sim));
}

/// Cut off from the clients, the leader keeps its leadership (the controller still hears it)
/// but the producer's request gets no answer and times out (request.timeout.ms, as
/// `NetworkClient.handleTimedOutRequests`), and the batches wait; healed, they are written.
#[test]
fn a_leader_cut_off_from_the_clients_times_requests_out_and_keeps_leading() {
    let mut sim = cluster(Acks::All, 2);
    isolate(&mut sim, 1, Isolation::Clients);
    produce(&mut sim, 2, "waiting");
    let events = ticks(&mut sim, 50);
    assert!(
        !happened!(events, Event::RecordsAppended { .. }),
        "nothing reached broker 1"
    );
    let view = sim.view();
    assert_eq!(view.topics[0].partitions[0].leader, Some(BrokerId(1)));
    assert!(view.brokers[0].faults.cut_from_clients);
    heal(&mut sim, 1);
    let events = ticks(&mut sim, 10);
    assert!(happened!(events, Event::ProduceAcked { .. }));
    assert_eq!(values(&sim).len(), 2);
}

/// An acks=all request already waiting at a leader that gets cut off from the clients is never
/// answered: it times out after request.timeout.ms, and the retry, once healed, is recognised
/// as a duplicate by the idempotent producer's sequence numbers.
#[test]
fn a_request_waiting_when_the_clients_are_cut_off_times_out_and_its_retry_is_a_duplicate() {
    let mut sim = cluster(Acks::All, 3);
    sim.apply(Command::SlowBroker {
        broker: BrokerId(3),
    })
    .expect("slow");
    produce(&mut sim, 1, "late");
    // Written on broker 1 at the next tick; broker 3 copies it within a second.
    ticks(&mut sim, 1);
    isolate(&mut sim, 1, Isolation::Clients);
    let events = ticks(&mut sim, 310);
    assert!(
        happened!(events, Event::ProduceRetrying { error, .. } if *error == ProduceError::RequestTimedOut)
    );
    heal(&mut sim, 1);
    let events = ticks(&mut sim, 30);
    assert!(happened!(events, Event::DuplicateIgnored { .. }));
    assert_eq!(values(&sim), ["late-0"]);
}

/// Fault commands refuse what makes no sense, and leave the state as it was.
#[test]
fn fault_commands_refuse_repeats_and_a_restart_while_cut_off() {
    let mut sim = cluster(Acks::All, 1);
    isolate(&mut sim, 2, Isolation::Controller);
    let before = sim.state_hash();
    for command in [
        Command::IsolateBroker {
            broker: BrokerId(2),
            from: Isolation::Controller,
        },
        Command::HealBroker {
            broker: BrokerId(3),
        },
        Command::SlowBroker {
            broker: BrokerId(9),
        },
    ] {
        assert!(sim.apply(command).is_err());
        assert_eq!(sim.state_hash(), before);
    }
    sim.apply(Command::CrashBroker {
        broker: BrokerId(2),
    })
    .expect("a cut-off broker can crash");
    let refused = sim
        .apply(Command::RestartBroker {
            broker: BrokerId(2),
        })
        .expect_err("cut off from the controller");
    assert!(refused.to_string().contains("heal it first"), "{refused}");
    heal(&mut sim, 2);
    sim.apply(Command::RestartBroker {
        broker: BrokerId(2),
    })
    .expect("healed, it restarts");
}

/// What the page draws of a broker cut off from the controller: until it is fenced, when the
/// controller will fence it (`BrokerHeartbeatManager`, broker.session.timeout.ms after its last
/// heartbeat); then fenced while still running, and a zombie in the partition it led.
#[test]
fn the_view_shows_the_fence_countdown_then_the_zombie() {
    let mut sim = cluster(Acks::Leader, 1);
    isolate(&mut sim, 1, Isolation::Controller);
    let view = sim.view();
    assert_eq!(view.brokers[0].fenced_at_ms, Some(9_000));
    assert_eq!(view.zombie_partitions(BrokerId(1)), 0);
    sim.advance_to(9_000);
    let view = sim.view();
    assert_eq!(view.brokers[0].status, BrokerStatus::FencedRunning);
    assert_eq!(view.brokers[0].fenced_at_ms, None);
    assert_eq!(view.zombie_partitions(BrokerId(1)), 1);
    let partition = &view.topics[0].partitions[0];
    assert_eq!(partition.zombie_leaders, [BrokerId(1)]);
    assert_eq!(partition.leader, Some(BrokerId(2)));
    assert_eq!(
        view.brokers[0].faults.describe(1),
        "cut off from the controller · zombie: still believes it leads 1 partition(s)"
    );
}

/// A zombie the producer cannot reach either: the failed connection makes it refresh its
/// metadata (`NetworkClient.handleServerDisconnect`), so its records go to the new leader.
#[test]
fn a_producer_that_cannot_reach_its_zombie_refreshes_and_writes_to_the_new_leader() {
    let mut sim = cluster(Acks::Leader, 1);
    isolate(&mut sim, 1, Isolation::Controller);
    sim.advance_to(10_000);
    isolate(&mut sim, 1, Isolation::Clients);
    produce(&mut sim, 2, "rerouted");
    let events = ticks(&mut sim, 5);
    assert!(!happened!(events, Event::ZombieAppended { .. }));
    assert!(happened!(
        events,
        Event::RecordsAppended {
            leader: BrokerId(2),
            ..
        }
    ));
    assert_eq!(values(&sim), ["rerouted-0", "rerouted-1"]);
}
