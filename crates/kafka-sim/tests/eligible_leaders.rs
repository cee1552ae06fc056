//! Eligible Leader Replicas (KIP-966) and controlled shutdown, through the engine's public API:
//! an election from the ELR that loses nothing, a controlled shutdown that hands leadership
//! over before the broker stops, and what a crash's restart (an unclean shutdown) changes.

mod support;
use kafka_sim::console::Console;
use kafka_sim::sim::broker::BrokerStatus;
use kafka_sim::sim::event::{ElectionKind, Event};
use kafka_sim::sim::ordered::map_of;
use kafka_sim::sim::timeline::Timeline;
use kafka_sim::sim::view::PartitionView;
use kafka_sim::sim::{BrokerId, Command, Offset, PartitionId, Sim, TimedEvent};
use support::*;

const TOPIC: &str = "payments";

/// The quiet scenario with `payments`: one partition on brokers 1, 2, 3 (1 leads),
/// min.insync.replicas 2, unclean elections off; producer-1 sends with acks=all.
fn cluster() -> Sim {
    let mut sim = quiet();
    sim.apply(Command::CreateTopicWithAssignment {
        name: TOPIC.into(),
        assignment: vec![vec![BrokerId(1), BrokerId(2), BrokerId(3)]],
        configs: map_of([("min.insync.replicas".to_owned(), "2".to_owned())]),
    })
    .expect("payments");
    sim.drain_events();
    sim
}

fn partition(sim: &Sim) -> PartitionView {
    sim.view().topic(TOPIC).expect(TOPIC).partitions[0].clone()
}

/// Sends `n` records to payments and waits until they are answered.
fn write(sim: &mut Sim, n: usize) -> Vec<TimedEvent> {
    for _ in 0..n {
        send_to(sim, TOPIC, Some("k"), Some(0));
    }
    settle(sim, 50)
}

fn apply(sim: &mut Sim, command: Command) -> Vec<TimedEvent> {
    sim.apply(command).expect("accepted");
    sim.drain_events()
}

/// The lines of `events` about payments' replication (its ISR, ELR, leaders and losses).
fn replication_lines(events: &[TimedEvent]) -> Vec<String> {
    events
        .iter()
        .filter(|e| match &e.event {
            Event::IsrShrunk { topic, .. }
            | Event::IsrExpanded { topic, .. }
            | Event::ElrChanged { topic, .. }
            | Event::LeaderElected { topic, .. }
            | Event::RecordsLost { topic, .. } => topic == TOPIC,
            Event::BrokerShutDown { .. } | Event::BrokerFenced { .. } => true,
            _ => false,
        })
        .map(|e| e.event.to_string())
        .collect()
}

fn values(sim: &Sim) -> Vec<u64> {
    sim.records(TOPIC, PartitionId(0))
        .iter()
        .map(|r| r.producer_seq)
        .collect()
}

/// The golden ELR election (`PartitionChangeBuilder.maybePopulateTargetElr` and
/// `electAnyLeader`, `ReplicationControlManager.handleBrokerInControlledShutdown`): with RF 3
/// and min.insync.replicas 2, broker 3 crashes and the ISR is at min; follower 2 falls out
/// (a controlled shutdown) and the ELR holds it; the ISR's last member, leader 1, crashes and
/// the partition is offline with the ELR [1, 2]; broker 2 comes back clean and is elected from
/// the ELR: no unclean election, every acknowledged record there.
#[test]
fn golden_an_elr_member_is_elected_cleanly_and_nothing_acknowledged_is_lost() {
    let mut sim = cluster();
    let written = write(&mut sim, 3);
    assert_eq!(partition(&sim).high_watermark, Offset(3), "{written:?}");
    crash(&mut sim, 3);
    let fenced = ticks(&mut sim, 100);
    assert_eq!(
        replication_lines(&fenced),
        [
            "the controller fenced broker 3: it leaves every ISR and leads nothing",
            "payments-0 ISR shrank to [1, 2]: broker 3 was fenced by the controller",
        ]
    );
    let stopped = apply(
        &mut sim,
        Command::ShutDownBroker {
            broker: BrokerId(2),
        },
    );
    assert_eq!(
        replication_lines(&stopped),
        [
            "broker 2 shut down gracefully (controlled shutdown): the controller moved its leaderships to other in-sync replicas and took it out of every ISR first; it will restart clean",
            "payments-0 ISR shrank to [1]: broker 2 is shutting down (controlled shutdown)",
            "payments-0 eligible leader replicas (ELR) now [2]: broker 2 left the ISR while it was below min.insync.replicas (2), so it still holds every committed record and may lead if the ISR empties",
        ]
    );
    // Below min.insync.replicas acks=all is refused and the high watermark stays.
    let refused = write(&mut sim, 2);
    assert!(
        !lines_with(&refused, "NOT_ENOUGH_REPLICAS").is_empty(),
        "{refused:?}"
    );
    assert_eq!(partition(&sim).high_watermark, Offset(3));
    crash(&mut sim, 1);
    let offline = ticks(&mut sim, 100);
    assert_eq!(
        replication_lines(&offline),
        [
            "the controller fenced broker 1: it leaves every ISR and leads nothing",
            "payments-0 ISR shrank to []: broker 1 was fenced by the controller",
            "payments-0 eligible leader replicas (ELR) now [1, 2]: broker 1 left the ISR while it was below min.insync.replicas (2), so it still holds every committed record and may lead if the ISR empties",
            "payments-0 is OFFLINE: no live in-sync replica to lead (was broker 1); it waits for one to return",
        ]
    );
    let p = partition(&sim);
    assert_eq!(
        (p.isr.len(), p.elr.clone()),
        (0, vec![BrokerId(1), BrokerId(2)])
    );
    assert_eq!(p.last_known_elr, [BrokerId(1)]);
    let back = apply(
        &mut sim,
        Command::RestartBroker {
            broker: BrokerId(2),
        },
    );
    assert_eq!(
        replication_lines(&back),
        [
            "payments-0 leader none → broker 2, leader epoch 2 (from the eligible leader replicas: the ISR was empty, and this replica has every committed record; it is now the ISR)",
            "payments-0 eligible leader replicas (ELR) now [1]: broker 2 was elected from them and is now the ISR",
        ]
    );
    let p = partition(&sim);
    assert_eq!(
        (p.leader, p.isr.clone(), p.elr.clone(), p.lost_records),
        (Some(BrokerId(2)), vec![BrokerId(2)], vec![BrokerId(1)], 0)
    );
    assert!(p.last_known_elr.is_empty());
    let roles: Vec<&str> = p.replicas.iter().map(|r| p.role_of(r)).collect();
    assert_eq!(
        roles,
        ["eligible", "leader", "out-of-sync"],
        "as the page draws them"
    );
    assert_eq!(p.high_watermark, Offset(3));
    assert_eq!(values(&sim), [1, 2, 3], "every acknowledged record");
    let describe = describe(&sim);
    assert!(
        describe.contains("\tLeader: 2\tReplicas: 1,2,3\tIsr: 2\tElr: 1\tLastKnownElr: "),
        "{describe}"
    );
}

/// `kafka-topics.sh --describe`'s partition line, through the console.
fn describe(sim: &Sim) -> String {
    let mut timeline = Timeline::new(sim.clone());
    let reply = Console::new().enter(
        &format!("kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic {TOPIC}"),
        &mut timeline,
    );
    assert!(!reply.failed, "{:?}", reply.lines);
    reply.lines.join("\n")
}

/// `ReplicationControlManager.handleBrokerInControlledShutdown`: the leaderships move to other
/// in-sync replicas before the broker stops, and it leaves the ISRs; acks=all records written
/// before and after are all there; the restart is clean and the broker rejoins.
#[test]
fn a_controlled_shutdown_moves_leadership_first_and_loses_nothing() {
    let mut sim = cluster();
    write(&mut sim, 4);
    let events = apply(
        &mut sim,
        Command::ShutDownBroker {
            broker: BrokerId(1),
        },
    );
    let elected: Vec<(Option<BrokerId>, ElectionKind)> = events
        .iter()
        .filter_map(|e| match &e.event {
            Event::LeaderElected {
                topic, to, kind, ..
            } if topic == TOPIC => Some((*to, *kind)),
            _ => None,
        })
        .collect();
    assert_eq!(elected, [(Some(BrokerId(2)), ElectionKind::Clean)]);
    assert!(matches!(events[0].event, Event::BrokerShutDown { .. }));
    assert_eq!(
        sim.broker(BrokerId(1)).map(|b| b.status),
        Some(BrokerStatus::Stopped)
    );
    let view = sim.view();
    assert!(
        view.topics
            .iter()
            .flat_map(|t| &t.partitions)
            .all(|p| p.leader != Some(BrokerId(1)) && !p.isr.contains(&BrokerId(1))),
        "it leads nothing and is in no ISR"
    );
    // No election was needed later: the partition never went offline.
    let after = write(&mut sim, 3);
    assert!(lines_with(&after, "OFFLINE").is_empty());
    assert_eq!(partition(&sim).high_watermark, Offset(7));
    apply(
        &mut sim,
        Command::RestartBroker {
            broker: BrokerId(1),
        },
    );
    ticks(&mut sim, 5);
    let p = partition(&sim);
    assert_eq!(p.isr, [BrokerId(1), BrokerId(2), BrokerId(3)]);
    assert_eq!(values(&sim), [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(p.lost_records, 0);
}

/// `ReplicationControlManager.handleBrokerShutdown`: a broker restarting after a crash (an
/// unclean shutdown) leaves the ELRs; one stopped gracefully keeps its place.
#[test]
fn only_a_clean_restart_keeps_a_place_in_the_elr() {
    for (stop, kept) in [
        (
            Command::ShutDownBroker {
                broker: BrokerId(2),
            },
            true,
        ),
        (
            Command::CrashBroker {
                broker: BrokerId(2),
            },
            false,
        ),
    ] {
        let mut sim = cluster();
        write(&mut sim, 2);
        crash(&mut sim, 3);
        ticks(&mut sim, 100);
        sim.apply(stop).expect("stops");
        ticks(&mut sim, 100);
        assert_eq!(partition(&sim).elr, [BrokerId(2)]);
        let back = apply(
            &mut sim,
            Command::RestartBroker {
                broker: BrokerId(2),
            },
        );
        assert_eq!(partition(&sim).elr.contains(&BrokerId(2)), kept, "{back:?}");
        if !kept {
            assert_eq!(
                lines_with(&back, "ELR"),
                [
                    "payments-0 eligible leader replicas (ELR) now []: broker 2 restarted after an unclean shutdown (a crash), so its log may have lost records and it may no longer lead"
                ]
            );
        }
    }
}

/// A broker is shut down only while running, and a refused shutdown changes nothing.
#[test]
fn only_a_running_broker_shuts_down() {
    let mut sim = cluster();
    crash(&mut sim, 2);
    refused(
        &mut sim,
        Command::ShutDownBroker {
            broker: BrokerId(2),
        },
        kafka_sim::sim::SimError::BrokerState {
            broker: BrokerId(2),
            state: "crashed".into(),
            needed: "running".into(),
            action: "shut down".into(),
        },
    );
}
