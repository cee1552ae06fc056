//! The KRaft controller quorum through the engine: losing a majority of the controllers
//! freezes the metadata, and getting one back elects a new active controller that does what
//! was pending. The event log is compared with tests/golden/quorum.log.

mod support;
use kafka_sim::sim::broker::BrokerStatus;
use kafka_sim::sim::event::Event;
use kafka_sim::sim::ids::ControllerId;
use kafka_sim::sim::{BrokerId, Command, PartitionId, SimError};
use support::*;

fn controller(id: u32) -> ControllerId {
    ControllerId(id)
}

/// `KafkaRaftClient` (a leader resigns without a majority, `LeaderState` check quorum; nobody
/// wins an election without a majority of votes) and `QuorumController` (decisions only while
/// active; `BrokerHeartbeatManager` starts afresh on a new active controller): crash 2 of the 3
/// controllers and a broker, and nothing is fenced or elected and no topic can be created;
/// restart one controller and a new active controller with a higher epoch fences the broker
/// `broker.session.timeout.ms` after it took over, and its partitions get new leaders.
/// Set UPDATE_GOLDEN=1 to rewrite tests/golden/quorum.log after a deliberate change.
#[test]
fn quorum_loss_freezes_the_metadata_and_recovery_does_what_was_pending() {
    let mut sim = quiet();
    let leader = |sim: &kafka_sim::sim::Sim| {
        sim.partition("orders", PartitionId(1))
            .and_then(|p| p.leader)
    };
    assert_eq!(leader(&sim), Some(BrokerId(1)));
    assert_eq!(sim.quorum().active_controller(), Some(controller(3000)));
    for id in [3000, 3001] {
        sim.apply(Command::CrashController {
            controller: controller(id),
        })
        .expect("crash a controller");
    }
    crash(&mut sim, 1);
    sim.advance_to(30_000);
    assert_eq!(sim.quorum().active_controller(), None);
    assert!(!sim.quorum().has_majority());
    assert!(
        matches!(
            sim.broker(BrokerId(1)).map(|b| b.status),
            Some(BrokerStatus::Crashed { .. })
        ),
        "no controller fenced it"
    );
    assert_eq!(leader(&sim), Some(BrokerId(1)), "nothing was elected");
    let view = sim.view();
    let frozen = view.quorum.frozen.expect("the page says why");
    assert!(
        frozen.starts_with("metadata frozen: only 1 of 3"),
        "{frozen}"
    );
    assert_eq!(view.brokers[0].fenced_at_ms, None);
    // Every command that needs the controller is refused while frozen, and changes nothing.
    let hash = sim.state_hash();
    for command in [
        Command::create_topic("audit", 1, 1),
        Command::AddBrokerOnRack {
            rack: "east".into(),
        },
        Command::ShutDownBroker {
            broker: BrokerId(2),
        },
        Command::ElectLeaders {
            election: kafka_sim::sim::command::ElectionType::Unclean,
            partitions: None,
        },
        Command::CancelReassignment {
            topic: "orders".into(),
            partition: PartitionId(0),
        },
    ] {
        let refused = sim.apply(command.clone());
        assert!(
            matches!(refused, Err(SimError::NoActiveController { .. })),
            "{command:?}: {refused:?}"
        );
    }
    assert_eq!(sim.state_hash(), hash);
    let epoch_before = sim
        .quorum()
        .voters()
        .map(|v| v.epoch)
        .max()
        .expect("voters");

    sim.apply(Command::RestartController {
        controller: controller(3001),
    })
    .expect("restart a controller");
    sim.advance_to(45_000);
    let active = sim.quorum().active().expect("a new active controller");
    assert!(active.epoch > epoch_before, "a higher epoch");
    assert!(sim.quorum().has_majority());
    assert_eq!(
        sim.broker(BrokerId(1)).map(|b| b.status),
        Some(BrokerStatus::Fenced)
    );
    assert_eq!(leader(&sim), Some(BrokerId(2)), "a new leader for orders-1");
    sim.apply(Command::create_topic("audit", 1, 1))
        .expect("the controller creates topics again");

    let events = sim.drain_events();
    let elected_at = events
        .iter()
        .find(|e| matches!(e.event, Event::ControllerElected { .. }))
        .map(|e| e.at_ms)
        .expect("an election");
    let fenced_at = events
        .iter()
        .find(|e| {
            e.event
                == Event::BrokerFenced {
                    broker: BrokerId(1),
                }
        })
        .map(|e| e.at_ms)
        .expect("the pending fencing");
    assert_eq!(
        fenced_at,
        elected_at + 9_000,
        "a fresh session from the new controller"
    );
    matches_golden_log("quorum.log", &events);
}

/// Refusals name the field and what is allowed, and change nothing.
#[test]
fn controller_commands_refuse_unknown_ids_and_wrong_states() {
    let mut sim = quiet();
    let hash = sim.state_hash();
    let unknown = sim
        .apply(Command::CrashController {
            controller: controller(7),
        })
        .expect_err("no controller 7");
    assert_eq!(
        unknown.to_string(),
        "controller: there is no controller 7; the controllers are 3000, 3001, 3002"
    );
    let running = sim
        .apply(Command::RestartController {
            controller: controller(3002),
        })
        .expect_err("it runs");
    assert_eq!(
        running.to_string(),
        "controller: controller 3002 is running; only a crashed controller can be restarted"
    );
    assert_eq!(sim.state_hash(), hash);
}
