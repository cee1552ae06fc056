//! Static membership (KIP-345) through the engine, with both group protocols: a static
//! member's restart keeps its partitions without a rebalance; a restart longer than
//! `session.timeout.ms` rebalances; a second consumer with the same `group.instance.id` is
//! fenced (classic) or refused (consumer protocol). A golden event log of the restarts.

mod support;
use kafka_sim::sim::consumer_membership::ClientMemberState;
use kafka_sim::sim::coordinator::{GroupState, MemberState};
use kafka_sim::sim::event::Event;
use kafka_sim::sim::types::{GroupProtocol, ServerAssignor, Subscription, TopicPartition};
use kafka_sim::sim::{Command, ConsumerConfig, Sim, SimError, TimedEvent};
use support::*;

const CONSUMER: GroupProtocol = GroupProtocol::Consumer {
    assignor: ServerAssignor::Uniform,
};

fn add_static(sim: &mut Sim, consumer: &str, group: &str, instance: &str, protocol: GroupProtocol) {
    sim.apply(Command::AddStaticConsumer {
        consumer: consumer.into(),
        subscription: Subscription::Topics(vec!["orders".into()]),
        config: ConsumerConfig {
            group_protocol: protocol,
            ..ConsumerConfig::new(group)
        },
        group_instance_id: instance.into(),
    })
    .expect("a static consumer");
}

fn held(sim: &Sim, consumer: &str) -> Vec<TopicPartition> {
    sim.consumer(consumer)
        .map(|c| c.assigned.clone())
        .unwrap_or_default()
}

/// Ticks for `ms` of virtual time, returning the events.
fn run(sim: &mut Sim, ms: u64) -> Vec<TimedEvent> {
    sim.advance_to(sim.now_ms() + ms);
    sim.drain_events()
}

fn rebalances(events: &[TimedEvent], group: &str) -> usize {
    events
        .iter()
        .filter(|e| match &e.event {
            Event::RebalanceStarted { group: g, .. } => g == group,
            Event::TargetAssignment { group: g, .. } => g == group,
            _ => false,
        })
        .count()
}

/// Two static members of `group` (instances i-a and i-b), settled.
fn pair(sim: &mut Sim, group: &str, protocol: GroupProtocol) -> (String, String) {
    let (a, b) = (format!("{group}-a"), format!("{group}-b"));
    add_static(sim, &a, group, "i-a", protocol);
    add_static(sim, &b, group, "i-b", protocol);
    run(sim, 10_000);
    let group_state = sim
        .view()
        .groups
        .iter()
        .find(|g| g.id == group)
        .map(|g| g.state);
    assert_eq!(group_state, Some(GroupState::Stable));
    assert_eq!(held(sim, &a).len() + held(sim, &b).len(), 3);
    (a, b)
}

/// A quick restart, then a crash with a restart after `session.timeout.ms` (45 s): the log of
/// both, for `group` with `protocol`. Follows `GroupMetadataManager`
/// (`updateStaticMemberThenRebalanceOrCompleteJoin` for classic groups,
/// `consumerGroupStaticMemberGroupLeave` and `getOrMaybeSubscribeStaticConsumerGroupMember`
/// for consumer groups).
fn restarts(sim: &mut Sim, group: &str, protocol: GroupProtocol) -> Vec<TimedEvent> {
    let (a, b) = pair(sim, group, protocol);
    let (a_had, b_had) = (held(sim, &a), held(sim, &b));
    let mut log = sim.drain_events();
    sim.apply(Command::RestartConsumer {
        consumer: a.clone(),
    })
    .expect("restart");
    let quick = run(sim, 5_000);
    assert_eq!(rebalances(&quick, group), 0, "no rebalance: {quick:#?}");
    assert_eq!(
        (held(sim, &a), held(sim, &b)),
        (a_had.clone(), b_had.clone())
    );
    log.extend(quick);
    sim.apply(Command::CrashConsumer {
        consumer: a.clone(),
    })
    .expect("crash");
    let away = run(sim, 46_000);
    assert!(
        rebalances(&away, group) > 0,
        "the session timed out: {away:#?}"
    );
    assert_eq!(held(sim, &b).len(), 3, "b took everything");
    log.extend(away);
    add_static(sim, &a, group, "i-a", protocol);
    let back = run(sim, 10_000);
    assert!(rebalances(&back, group) > 0);
    assert!(!held(sim, &a).is_empty(), "a got partitions again");
    log.extend(back);
    log
}

/// tests/golden/static_member.log: a classic group's restarts, then a consumer group's. Set
/// UPDATE_GOLDEN=1 to rewrite the file after a deliberate change, then read the diff.
#[test]
fn golden_static_member_restarts() {
    let mut sim = quiet_without_consumer();
    let mut log = restarts(&mut sim, "classic", GroupProtocol::Classic);
    log.extend(restarts(&mut sim, "modern", CONSUMER));
    matches_golden_log("static_member.log", &log);
}

/// A dynamic member's restart, for contrast: it leaves (LeaveGroup) and joins as a new member,
/// two rebalances.
#[test]
fn a_dynamic_members_restart_rebalances() {
    let mut sim = quiet_without_consumer();
    for c in ["a", "b"] {
        sim.apply(Command::subscribe(c, "orders", ConsumerConfig::new("g")))
            .expect("consumer");
    }
    run(&mut sim, 10_000);
    sim.apply(Command::RestartConsumer {
        consumer: "a".into(),
    })
    .expect("restart");
    assert!(rebalances(&run(&mut sim, 5_000), "g") >= 1);
}

/// Classic: the newer consumer with an instance id takes the place, and the older one's next
/// heartbeat is FENCED_INSTANCE_ID, fatal (`AbstractCoordinator.HeartbeatResponseHandler`,
/// `GroupMetadataManager.validateClassicGroupMember`).
#[test]
fn a_duplicate_instance_id_fences_the_older_classic_consumer() {
    let mut sim = quiet_without_consumer();
    let (a, _) = pair(&mut sim, "g", GroupProtocol::Classic);
    let a_had = held(&sim, &a);
    add_static(&mut sim, "twin", "g", "i-a", GroupProtocol::Classic);
    let events = run(&mut sim, 5_000);
    assert_eq!(rebalances(&events, "g"), 0);
    assert_eq!(held(&sim, "twin"), a_had);
    assert!(held(&sim, &a).is_empty());
    let older = sim.consumer(&a).expect("still running");
    assert_eq!(older.membership, ClientMemberState::Fatal);
    assert!(
        older
            .failed
            .as_deref()
            .is_some_and(|f| f.starts_with("FENCED_INSTANCE_ID")),
        "{:?}",
        older.failed
    );
    assert!(events.iter().any(|e| matches!(&e.event,
        Event::PartitionsLost { partitions, .. } if *partitions == a_had)));
}

/// Consumer protocol: the newer consumer is refused while the older has not left
/// (UNRELEASED_INSTANCE_ID, `GroupMetadataManager.throwIfInstanceIdIsUnreleased`), and an
/// explicit poll is refused with the state unchanged.
#[test]
fn a_duplicate_instance_id_is_refused_in_a_consumer_group() {
    let mut sim = quiet_without_consumer();
    let (a, _) = pair(&mut sim, "g", CONSUMER);
    let a_had = held(&sim, &a);
    add_static(&mut sim, "twin", "g", "i-a", CONSUMER);
    run(&mut sim, 1_000);
    let twin = sim.consumer("twin").expect("twin");
    assert_eq!(twin.membership, ClientMemberState::Fatal);
    assert_eq!(twin.member_id, None);
    assert_eq!(held(&sim, &a), a_had);
    let hash = sim.state_hash();
    let refused = sim.apply(Command::Poll {
        consumer: "twin".into(),
    });
    assert!(
        matches!(refused, Err(SimError::UnreleasedInstanceId { .. })),
        "{refused:?}"
    );
    assert_eq!(sim.state_hash(), hash);
}

/// A bad `group.instance.id` is refused with Kafka's message, and nothing starts.
#[test]
fn a_bad_instance_id_is_refused() {
    let mut sim = quiet_without_consumer();
    let hash = sim.state_hash();
    let refused = sim.apply(Command::AddStaticConsumer {
        consumer: "c".into(),
        subscription: Subscription::Topics(vec!["orders".into()]),
        config: ConsumerConfig::new("g"),
        group_instance_id: "host 1".into(),
    });
    assert_eq!(
        refused.map_err(|e| e.to_string()),
        Err("group.instance.id: Group instance id is invalid: 'host 1' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'".to_owned())
    );
    assert_eq!(sim.state_hash(), hash);
}

/// The view shows a consumer group's reconciliation: when a member joins, the one giving a
/// partition up is UNREVOKED_PARTITIONS in the old epoch while the newcomer waits
/// (UNRELEASED_PARTITIONS), and both end STABLE in the group epoch (`CurrentAssignmentBuilder`).
#[test]
fn the_view_shows_member_epochs_and_states_while_a_consumer_group_reconciles() {
    let mut sim = quiet_without_consumer();
    add_static(&mut sim, "a", "g", "i-a", CONSUMER);
    run(&mut sim, 10_000);
    sim.apply(Command::subscribe(
        "b",
        "orders",
        ConsumerConfig {
            group_protocol: CONSUMER,
            ..ConsumerConfig::new("g")
        },
    ))
    .expect("b");
    let mut seen = Vec::new();
    for _ in 0..100 {
        sim.tick();
        let view = sim.view();
        let g = view.groups.iter().find(|g| g.id == "g").expect("group g");
        for m in &g.members {
            if let Some(r) = &m.reconciliation {
                seen.push((m.client.clone(), r.state, r.epoch));
                if r.state == MemberState::UnrevokedPartitions {
                    let text = m.reconciliation_text().unwrap_or_default();
                    assert!(
                        text.starts_with("epoch 1 UNREVOKED_PARTITIONS, revoking orders-"),
                        "{text}"
                    );
                }
            }
        }
    }
    assert!(
        seen.contains(&("a".into(), MemberState::UnrevokedPartitions, 1)),
        "{seen:?}"
    );
    assert!(
        seen.contains(&("b".into(), MemberState::UnreleasedPartitions, 2)),
        "{seen:?}"
    );
    let view = sim.view();
    let g = view.groups.iter().find(|g| g.id == "g").expect("group g");
    assert_eq!(
        (g.state, g.generation, g.assignment_epoch),
        (GroupState::Stable, 2, Some(2))
    );
    assert!(g.members.iter().all(|m| {
        m.reconciliation
            .as_ref()
            .is_some_and(|r| r.state == MemberState::Stable && r.epoch == 2)
    }));
    assert_eq!(
        view.consumers
            .iter()
            .map(|c| c.membership)
            .collect::<Vec<_>>(),
        vec![Some(ClientMemberState::Stable); 2]
    );
    assert_eq!(g.members[0].instance_id.as_deref(), Some("i-a"));
}

/// The page's words for a group's epochs and a member's reconciliation
/// (`ConsumerGroupDescribe`'s group epoch, assignment epoch and member epoch).
#[test]
fn the_pages_epoch_and_reconciliation_texts() {
    let mut sim = quiet_without_consumer();
    add_static(&mut sim, "a", "modern", "i-a", CONSUMER);
    sim.apply(Command::subscribe(
        "c",
        "orders",
        ConsumerConfig::new("classic"),
    ))
    .expect("c");
    run(&mut sim, 10_000);
    let view = sim.view();
    let group = |id: &str| view.groups.iter().find(|g| g.id == id).expect("group");
    assert_eq!(group("classic").epoch_text(), "generation 1");
    assert_eq!(group("classic").members[0].reconciliation_text(), None);
    assert_eq!(
        group("modern").epoch_text(),
        "group epoch 1 · target epoch 1"
    );
    assert_eq!(
        group("modern").members[0].reconciliation_text().as_deref(),
        Some("epoch 1 STABLE")
    );
    sim.apply(Command::CloseConsumer {
        consumer: "a".into(),
    })
    .expect("close");
    let view = sim.view();
    let modern = view
        .groups
        .iter()
        .find(|g| g.id == "modern")
        .expect("group");
    assert_eq!(
        modern.members[0].reconciliation_text().as_deref(),
        Some("epoch -2 (away)")
    );
}
