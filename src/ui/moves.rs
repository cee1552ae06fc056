//! Recent partition hand-overs, read from the engine's events, so that a rebalance can be drawn:
//! for each member, which partitions it gave up (revoked, or lost without a chance to commit)
//! and which it was given in the last few seconds of virtual time. An eager rebalance revokes
//! everything and hands most of it straight back; a cooperative one moves only what changes
//! owner. Drawing both from the events makes that difference visible.
use kafka_sim::sim::{Event, TimedEvent};

/// How long a hand-over stays on screen, in virtual ms.
pub const SHOWN_MS: u64 = 4_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoveKind {
    Assigned,
    Revoked,
    Lost,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Move {
    at_ms: u64,
    member: String,
    /// "topic-partition".
    partition: String,
    kind: MoveKind,
}

/// What a member's partition chip shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chip {
    /// Held, and not handed over lately.
    Kept,
    /// Held, newly assigned.
    Assigned,
    /// Held again: revoked (or lost) and assigned back to the same member, as an eager
    /// rebalance does to every partition.
    Reassigned,
    /// Not held any more: revoked lately.
    Revoked,
    /// Not held any more: lost lately (the member was dropped from the group).
    Lost,
}

impl Chip {
    /// The CSS class and the words a screen reader gets.
    pub fn describe(self) -> (&'static str, &'static str) {
        match self {
            Chip::Kept => ("chip-kept", "held"),
            Chip::Assigned => ("chip-assigned", "newly assigned"),
            Chip::Reassigned => ("chip-reassigned", "revoked and assigned back"),
            Chip::Revoked => ("chip-revoked", "revoked"),
            Chip::Lost => ("chip-lost", "lost"),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Moves {
    recent: Vec<Move>,
}

impl Moves {
    /// Notes the hand-overs among `events` and forgets those older than `SHOWN_MS`. True if
    /// there were any (most ticks hand nothing over, and then nothing is redrawn).
    pub fn note(&mut self, events: &[TimedEvent]) -> bool {
        let before = self.recent.len();
        for timed in events {
            let (member, partitions, kind) = match &timed.event {
                Event::PartitionsAssigned {
                    member, partitions, ..
                } => (member, partitions, MoveKind::Assigned),
                Event::PartitionsRevoked {
                    member, partitions, ..
                } => (member, partitions, MoveKind::Revoked),
                Event::PartitionsLost {
                    member, partitions, ..
                } => (member, partitions, MoveKind::Lost),
                _ => continue,
            };
            self.recent.extend(partitions.iter().map(|tp| Move {
                at_ms: timed.at_ms,
                member: member.clone(),
                partition: tp.to_string(),
                kind,
            }));
        }
        let noted = self.recent.len() > before;
        if noted && let Some(last) = events.last() {
            let oldest = last.at_ms.saturating_sub(SHOWN_MS);
            self.recent.retain(|m| m.at_ms >= oldest);
        }
        noted
    }

    /// After travelling back to `now_ms`: the hand-overs that have not happened yet go.
    pub fn forget_after(&mut self, now_ms: u64) {
        self.recent.retain(|m| m.at_ms <= now_ms);
    }

    /// A member's chips at `now_ms`: each held partition (in the order given) and then each
    /// partition it gave up lately and does not hold now.
    pub fn chips(&self, member: &str, held: &[String], now_ms: u64) -> Vec<(String, Chip)> {
        let shown =
            |m: &Move| m.member == member && m.at_ms <= now_ms && now_ms - m.at_ms < SHOWN_MS;
        let mut chips: Vec<(String, Chip)> = held
            .iter()
            .map(|partition| {
                let lately = |kind: fn(MoveKind) -> bool| {
                    self.recent
                        .iter()
                        .any(|m| shown(m) && m.partition == *partition && kind(m.kind))
                };
                let assigned = lately(|k| k == MoveKind::Assigned);
                let gave_up = lately(|k| k != MoveKind::Assigned);
                let chip = match (assigned, gave_up) {
                    (true, true) => Chip::Reassigned,
                    (true, false) => Chip::Assigned,
                    _ => Chip::Kept,
                };
                (partition.clone(), chip)
            })
            .collect();
        for m in self
            .recent
            .iter()
            .filter(|m| shown(m) && m.kind != MoveKind::Assigned)
        {
            if !chips.iter().any(|(p, _)| *p == m.partition) {
                let chip = if m.kind == MoveKind::Lost {
                    Chip::Lost
                } else {
                    Chip::Revoked
                };
                chips.push((m.partition.clone(), chip));
            }
        }
        chips
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_sim::sim::scenario::Scenario;
    use kafka_sim::sim::types::{Strategy, TopicPartition};
    use kafka_sim::sim::{Command, ConsumerConfig, PartitionId, Sim, Subscription};

    fn at(at_ms: u64, event: Event) -> TimedEvent {
        TimedEvent { at_ms, event }
    }

    fn tp(p: u32) -> TopicPartition {
        TopicPartition::new("orders", PartitionId(p))
    }

    fn held(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn a_revoked_and_reassigned_partition_is_told_apart_from_a_new_one() {
        let mut moves = Moves::default();
        assert!(!moves.note(&[at(
            900,
            Event::BrokerAdded {
                broker: kafka_sim::sim::BrokerId(4)
            }
        )]));
        assert!(moves.note(&[
            at(
                1000,
                Event::PartitionsRevoked {
                    group: "g".into(),
                    member: "m1".into(),
                    partitions: vec![tp(0), tp(1)],
                },
            ),
            at(
                1200,
                Event::PartitionsAssigned {
                    group: "g".into(),
                    member: "m1".into(),
                    partitions: vec![tp(0), tp(2)],
                    generation: 2,
                },
            ),
        ]));
        let chips = moves.chips("m1", &held(&["orders-0", "orders-2"]), 1500);
        assert_eq!(
            chips,
            vec![
                ("orders-0".to_owned(), Chip::Reassigned),
                ("orders-2".to_owned(), Chip::Assigned),
                ("orders-1".to_owned(), Chip::Revoked),
            ]
        );
        assert_eq!(
            moves.chips("m1", &held(&["orders-0", "orders-2"]), 1200 + SHOWN_MS),
            vec![
                ("orders-0".to_owned(), Chip::Kept),
                ("orders-2".to_owned(), Chip::Kept)
            ],
            "hand-overs fade after SHOWN_MS"
        );
        moves.forget_after(1100);
        assert_eq!(
            moves.chips("m1", &held(&["orders-0"]), 1100),
            vec![
                ("orders-0".to_owned(), Chip::Kept),
                ("orders-1".to_owned(), Chip::Revoked)
            ],
            "back before the assignment, only the revocation happened"
        );
        assert!(moves.chips("m2", &[], 1500).is_empty());
    }

    /// Two consumers; a third joins. The members' chips right after the rebalance settles.
    fn chips_after_a_join(strategy: Strategy) -> Vec<Vec<(String, Chip)>> {
        let mut sim: Sim = Scenario::quiet().build().expect("starter builds");
        let mut moves = Moves::default();
        let mut config = ConsumerConfig::new("g");
        config.strategy = strategy;
        let subscription = Subscription::Topics(vec!["orders".into()]);
        let run = |sim: &mut Sim, moves: &mut Moves, ms: u64| {
            let until = sim.now_ms() + ms;
            while sim.now_ms() < until {
                sim.tick();
                moves.note(&sim.drain_events());
            }
        };
        for name in ["a", "b"] {
            sim.apply(Command::AddConsumer {
                consumer: name.into(),
                subscription: subscription.clone(),
                config: config.clone(),
            })
            .expect("consumer starts");
        }
        run(&mut sim, &mut moves, 20_000);
        sim.apply(Command::AddConsumer {
            consumer: "c".into(),
            subscription,
            config,
        })
        .expect("consumer starts");
        let mut chips = Vec::new();
        for _ in 0..400 {
            run(&mut sim, &mut moves, 100);
            let view = sim.view();
            let group = view.groups.iter().find(|g| g.id == "g").expect("group g");
            let settled = group.state.to_string() == "Stable"
                && group.members.len() == 3
                && group.members.iter().all(|m| !m.assigned.is_empty());
            if settled {
                chips = group
                    .members
                    .iter()
                    .map(|m| {
                        let held: Vec<String> =
                            m.assigned.iter().map(ToString::to_string).collect();
                        moves.chips(&m.id, &held, view.now_ms)
                    })
                    .collect();
                break;
            }
        }
        assert!(!chips.is_empty(), "the group settles with three members");
        chips
    }

    #[test]
    fn eager_hands_back_what_stays_and_cooperative_leaves_it_alone() {
        let count = |chips: &[Vec<(String, Chip)>], kind: Chip| {
            chips.iter().flatten().filter(|(_, c)| *c == kind).count()
        };
        let eager = chips_after_a_join(Strategy::Range);
        assert!(
            count(&eager, Chip::Reassigned) >= 1,
            "eager: partitions that stay are revoked and handed back: {eager:?}"
        );
        assert_eq!(count(&eager, Chip::Kept), 0, "{eager:?}");
        let cooperative = chips_after_a_join(Strategy::CooperativeSticky);
        assert!(
            count(&cooperative, Chip::Kept) >= 1,
            "cooperative: partitions that stay are untouched: {cooperative:?}"
        );
        assert_eq!(count(&cooperative, Chip::Reassigned), 0, "{cooperative:?}");
        assert!(count(&cooperative, Chip::Assigned) >= 1, "{cooperative:?}");
    }
}
