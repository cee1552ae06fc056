//! Kafka's consumer partition assignors, as pure functions over member subscriptions
//! (`RangeAssignor`, `RoundRobinAssignor`, `AbstractStickyAssignor`,
//! `CooperativeStickyAssignor`).
//!
//! Members are visited in member-id order (byte order, as Java's `String.compareTo` for ASCII
//! ids). Simplifications: Kafka puts static members (`group.instance.id`) first, in instance-id
//! order, which here they are not (a restarted static member keeps its partitions anyway, with
//! no rebalance); where Kafka's
//! sticky assignor walks members in `HashMap` order it walks them in id order, and its
//! general path (members with different subscriptions) is modelled by a balancing loop with
//! the same goal (as balanced as the subscriptions allow, moving as few partitions as
//! possible) rather than Kafka's exact move search.
use crate::sim::ids::PartitionId;
use crate::sim::ordered::{Map, Set, ValuesMut, map_of, set_of, sort, sort_by, sort_by_key};
use crate::sim::types::{Strategy, TopicPartition};

/// member id → its assigned partitions, sorted.
pub type Assignment = Map<String, Vec<TopicPartition>>;

impl Strategy {
    /// Whether members keep their partitions during a rebalance (cooperative protocol) instead
    /// of revoking everything first (eager).
    pub fn cooperative(self) -> bool {
        self == Strategy::CooperativeSticky
    }
}

/// Assigns the partitions of the subscribed topics to the members. `subscriptions` maps a
/// member id to its topics, `partitions_per_topic` gives each topic's partition count (a
/// missing or empty topic is skipped), `current` is what each member owns now (used by the
/// sticky assignors). Every member appears in the result, possibly with nothing.
pub fn assign(
    strategy: Strategy,
    subscriptions: &Map<String, Vec<String>>,
    partitions_per_topic: &Map<String, u32>,
    current: &Assignment,
) -> Assignment {
    match strategy {
        Strategy::Range => range(subscriptions, partitions_per_topic),
        Strategy::RoundRobin => round_robin(subscriptions, partitions_per_topic),
        Strategy::Sticky => sticky(subscriptions, partitions_per_topic, current),
        Strategy::CooperativeSticky => cooperative(
            sticky(subscriptions, partitions_per_topic, current),
            current,
        ),
    }
}

fn empty_assignment(subscriptions: &Map<String, Vec<String>>) -> Assignment {
    map_of(subscriptions.keys().map(|m| (m.clone(), Vec::new())))
}

fn partition_count(partitions_per_topic: &Map<String, u32>, topic: &str) -> u32 {
    partitions_per_topic.get(topic).copied().unwrap_or(0)
}

/// Each topic on its own: its N partitions in contiguous ranges over its C subscribers in
/// member order, ⌊N/C⌋ each and one more for the first N mod C.
fn range(
    subscriptions: &Map<String, Vec<String>>,
    partitions_per_topic: &Map<String, u32>,
) -> Assignment {
    let mut assignment = empty_assignment(subscriptions);
    let topics = set_of(subscriptions.values().flatten());
    for topic in topics {
        let members: Vec<&String> = subscriptions
            .iter()
            .filter(|(_, topics)| topics.contains(topic))
            .map(|(member, _)| member)
            .collect();
        let n = partition_count(partitions_per_topic, topic);
        let c = members.len() as u32;
        let mut next = 0;
        for (i, member) in members.into_iter().enumerate() {
            let take = n / c + u32::from((i as u32) < n % c);
            if let Some(owned) = assignment.get_mut(member) {
                owned.extend(
                    (next..next + take).map(|p| TopicPartition::new(topic, PartitionId(p))),
                );
            }
            next += take;
        }
    }
    sorted(assignment)
}

/// Every partition of every subscribed topic (topics by name, partitions in order), in turn to
/// the next member in a circular list that subscribes to its topic.
fn round_robin(
    subscriptions: &Map<String, Vec<String>>,
    partitions_per_topic: &Map<String, u32>,
) -> Assignment {
    let mut assignment = empty_assignment(subscriptions);
    let members: Vec<(&String, &Vec<String>)> = subscriptions.iter().collect();
    let mut cursor = 0;
    for tp in all_partitions(subscriptions, partitions_per_topic) {
        // Some member subscribes to every listed topic, so this finds one within a lap.
        for _ in 0..members.len() {
            let (member, topics) = members[cursor % members.len()];
            cursor += 1;
            if topics.contains(&tp.topic) {
                if let Some(owned) = assignment.get_mut(member) {
                    owned.push(tp.clone());
                }
                break;
            }
        }
    }
    sorted(assignment)
}

/// The partitions of the subscribed topics that exist, topics by name.
fn all_partitions(
    subscriptions: &Map<String, Vec<String>>,
    partitions_per_topic: &Map<String, u32>,
) -> Vec<TopicPartition> {
    let topics = set_of(subscriptions.values().flatten());
    topics
        .into_iter()
        .flat_map(|t| {
            (0..partition_count(partitions_per_topic, t))
                .map(move |p| TopicPartition::new(t, PartitionId(p)))
        })
        .collect()
}

fn sorted(mut assignment: Assignment) -> Assignment {
    for owned in assignment.values_mut() {
        sort(owned);
    }
    assignment
}

/// Kafka's sticky assignment: balanced first, then keeping as much of `current` as it can.
fn sticky(
    subscriptions: &Map<String, Vec<String>>,
    partitions_per_topic: &Map<String, u32>,
    current: &Assignment,
) -> Assignment {
    let all = all_partitions(subscriptions, partitions_per_topic);
    let valid = set_of(all.iter());
    // A partition claimed by two members counts as owned by neither.
    let mut claims: Map<&TopicPartition, u32> = Map::new();
    for owned in current.values() {
        for tp in owned {
            *claims.entry(tp).or_default() += 1;
        }
    }
    let owned = |member: &String| -> Vec<TopicPartition> {
        let topics = &subscriptions[member];
        let mut owned: Vec<TopicPartition> = current
            .get(member)
            .into_iter()
            .flatten()
            .filter(|tp| {
                valid.contains(tp) && topics.contains(&tp.topic) && claims.get(tp) == Some(&1)
            })
            .cloned()
            .collect();
        // Kept in partition order, then topic name.
        sort_by(&mut owned, |a, b| {
            (a.partition, &a.topic).cmp(&(b.partition, &b.topic))
        });
        owned
    };
    let first = subscriptions.values().next();
    let all_equal = subscriptions.values().all(|topics| {
        let mut a = topics.clone();
        let mut b = first.cloned().unwrap_or_default();
        sort(&mut a);
        sort(&mut b);
        a == b
    });
    let assignment = if all_equal {
        constrained(subscriptions, &all, &owned)
    } else {
        general(subscriptions, partitions_per_topic, &owned)
    };
    sorted(assignment)
}

/// The "constrained" path for members that all subscribe to the same topics.
fn constrained(
    subscriptions: &Map<String, Vec<String>>,
    all: &[TopicPartition],
    owned: &dyn Fn(&String) -> Vec<TopicPartition>,
) -> Assignment {
    let mut assignment = empty_assignment(subscriptions);
    let members = subscriptions.len();
    if members == 0 {
        return assignment;
    }
    let total = all.len();
    let min_quota = total / members;
    let max_quota = total.div_ceil(members);
    let expected_over_min = total % members;
    let mut over_min = 0;
    let mut under_min: Vec<String> = Vec::new();
    let mut exactly_min: Vec<String> = Vec::new();
    let mut assigned: Set<TopicPartition> = Set::new();
    for member in subscriptions.keys() {
        let owned = owned(member);
        let keep = if owned.len() < min_quota {
            under_min.push(member.clone());
            owned.len()
        } else if owned.len() >= max_quota && over_min < expected_over_min {
            over_min += 1;
            if over_min == expected_over_min {
                exactly_min.clear();
            }
            max_quota
        } else {
            if over_min < expected_over_min {
                exactly_min.push(member.clone());
            }
            min_quota
        };
        let kept: Vec<TopicPartition> = owned.into_iter().take(keep).collect();
        assigned.extend(kept.iter().cloned());
        if let Some(slot) = assignment.get_mut(member) {
            *slot = kept;
        }
    }
    // Deal the rest round robin (Kafka's loop): cycle over the members under minQuota; once
    // none is left, take members at exactly minQuota up to maxQuota while slots remain.
    sort(&mut under_min);
    sort(&mut exactly_min);
    let mut cursor = 0;
    for tp in all.iter().filter(|tp| !assigned.contains(*tp)) {
        let from_under = if cursor < under_min.len() {
            true
        } else if !under_min.is_empty() {
            cursor = 0;
            true
        } else {
            false
        };
        let member = if from_under {
            cursor += 1;
            under_min[cursor - 1].clone()
        } else if !exactly_min.is_empty() {
            exactly_min.remove(0)
        } else {
            // Kafka throws here; the quotas make it unreachable. Give the partition to the
            // member with the fewest rather than drop it.
            fewest(&assignment, subscriptions.keys(), &tp.topic, subscriptions)
        };
        let Some(slot) = assignment.get_mut(&member) else {
            continue;
        };
        slot.push(tp.clone());
        let count = slot.len();
        if count == min_quota && from_under {
            cursor -= 1;
            under_min.remove(cursor);
            exactly_min.push(member);
        } else if count == max_quota {
            over_min += 1;
            if over_min == expected_over_min {
                exactly_min.clear();
            }
        }
    }
    assignment
}

/// The member subscribed to `topic` with the fewest partitions (ties by id).
fn fewest<'a>(
    assignment: &Assignment,
    members: impl Iterator<Item = &'a String>,
    topic: &str,
    subscriptions: &Map<String, Vec<String>>,
) -> String {
    members
        .filter(|m| subscriptions[*m].iter().any(|t| t == topic))
        .min_by_key(|m| (assignment.get(*m).map_or(0, Vec::len), (*m).clone()))
        .cloned()
        .unwrap_or_default()
}

/// The "general" path for members with different subscriptions: keep what is still valid,
/// give each unowned partition (topics with the fewest subscribers first) to the subscribed
/// member with the fewest partitions, then move partitions one at a time from a member with
/// more to a subscribed member with at least two fewer, until no such move is left.
fn general(
    subscriptions: &Map<String, Vec<String>>,
    partitions_per_topic: &Map<String, u32>,
    owned: &dyn Fn(&String) -> Vec<TopicPartition>,
) -> Assignment {
    let mut assignment = empty_assignment(subscriptions);
    let mut taken: Set<TopicPartition> = Set::new();
    for member in subscriptions.keys() {
        let kept = owned(member);
        taken.extend(kept.iter().cloned());
        if let Some(slot) = assignment.get_mut(member) {
            *slot = kept;
        }
    }
    let mut topics: Vec<&String> = set_of(subscriptions.values().flatten())
        .into_iter()
        .collect();
    let subscribers = |t: &String| subscriptions.values().filter(|ts| ts.contains(t)).count();
    sort_by_key(&mut topics, |t| (subscribers(t), (*t).clone()));
    for topic in topics {
        for p in 0..partition_count(partitions_per_topic, topic) {
            let tp = TopicPartition::new(topic, PartitionId(p));
            if taken.contains(&tp) {
                continue;
            }
            let member = fewest(&assignment, subscriptions.keys(), topic, subscriptions);
            if let Some(slot) = assignment.get_mut(&member) {
                slot.push(tp);
            }
        }
    }
    // Balance: each move lowers the sum of squared counts, so this ends.
    loop {
        let mut moved = false;
        let mut by_count: Vec<String> = assignment.keys().cloned().collect();
        sort_by_key(&mut by_count, |m| std::cmp::Reverse(assignment[m].len()));
        'search: for giver in &by_count {
            let count = assignment[giver].len();
            let mut candidates = assignment[giver].clone();
            sort(&mut candidates);
            for tp in candidates {
                let receiver = fewest(&assignment, subscriptions.keys(), &tp.topic, subscriptions);
                if receiver != *giver && assignment[&receiver].len() + 1 < count {
                    if let Some(slot) = assignment.get_mut(giver) {
                        slot.retain(|x| *x != tp);
                    }
                    if let Some(slot) = assignment.get_mut(&receiver) {
                        slot.push(tp);
                    }
                    moved = true;
                    break 'search;
                }
            }
        }
        if !moved {
            break;
        }
    }
    assignment
}

/// Cooperative-sticky: a partition that moves to another member is left out this round, so its
/// owner only revokes it; a follow-up rebalance hands it over.
fn cooperative(target: Assignment, current: &Assignment) -> Assignment {
    let owner = map_of(
        current
            .iter()
            .flat_map(|(member, owned)| owned.iter().map(move |tp| (tp, member))),
    );
    map_of(target.iter().map(|(member, partitions)| {
        let keep = partitions
            .iter()
            .filter(|tp| {
                owner
                    .get(tp)
                    .is_none_or(|o| *o == member || !current.contains_key(*o))
            })
            .cloned()
            .collect();
        (member.clone(), keep)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subs(list: &[(&str, &[&str])]) -> Map<String, Vec<String>> {
        list.iter()
            .map(|(m, ts)| (m.to_string(), ts.iter().map(|t| t.to_string()).collect()))
            .collect()
    }

    fn topics(list: &[(&str, u32)]) -> Map<String, u32> {
        list.iter().map(|(t, n)| (t.to_string(), *n)).collect()
    }

    fn tps(list: &[(&str, u32)]) -> Vec<TopicPartition> {
        list.iter()
            .map(|(t, p)| TopicPartition::new(*t, PartitionId(*p)))
            .collect()
    }

    fn expect(list: &[(&str, &[(&str, u32)])]) -> Assignment {
        list.iter()
            .map(|(m, owned)| (m.to_string(), tps(owned)))
            .collect()
    }

    #[test]
    fn range_kafka_cases() {
        // RangeAssignorTest.testTwoConsumersTwoTopicsSixPartitions
        let s = subs(&[("c1", &["t1", "t2"]), ("c2", &["t1", "t2"])]);
        let got = assign(
            Strategy::Range,
            &s,
            &topics(&[("t1", 3), ("t2", 3)]),
            &Assignment::new(),
        );
        assert_eq!(
            got,
            expect(&[
                ("c1", &[("t1", 0), ("t1", 1), ("t2", 0), ("t2", 1)]),
                ("c2", &[("t1", 2), ("t2", 2)])
            ])
        );
        // testMultipleConsumersMixedTopics
        let s = subs(&[("c1", &["t1"]), ("c2", &["t1", "t2"]), ("c3", &["t1"])]);
        let got = assign(
            Strategy::Range,
            &s,
            &topics(&[("t1", 3), ("t2", 2)]),
            &Assignment::new(),
        );
        assert_eq!(
            got,
            expect(&[
                ("c1", &[("t1", 0)]),
                ("c2", &[("t1", 1), ("t2", 0), ("t2", 1)]),
                ("c3", &[("t1", 2)])
            ])
        );
        // The rules' example: a:4 and b:4 over c1..c3 give c1 four partitions.
        let s = subs(&[
            ("c1", &["a", "b"]),
            ("c2", &["a", "b"]),
            ("c3", &["a", "b"]),
        ]);
        let got = assign(
            Strategy::Range,
            &s,
            &topics(&[("a", 4), ("b", 4)]),
            &Assignment::new(),
        );
        assert_eq!(got[&"c1".to_owned()].len(), 4);
        assert_eq!(
            (got[&"c2".to_owned()].len(), got[&"c3".to_owned()].len()),
            (2, 2)
        );
    }

    #[test]
    fn range_skips_missing_topics_and_keeps_idle_members() {
        let s = subs(&[("c1", &["t1", "gone"]), ("c2", &["t1"]), ("c3", &["t1"])]);
        let got = assign(
            Strategy::Range,
            &s,
            &topics(&[("t1", 2)]),
            &Assignment::new(),
        );
        assert_eq!(
            got,
            expect(&[("c1", &[("t1", 0)]), ("c2", &[("t1", 1)]), ("c3", &[])])
        );
    }

    #[test]
    fn member_order_is_string_order() {
        let s = subs(&[("consumer-10", &["t"]), ("consumer-2", &["t"])]);
        let got = assign(
            Strategy::Range,
            &s,
            &topics(&[("t", 3)]),
            &Assignment::new(),
        );
        assert_eq!(
            got[&"consumer-10".to_owned()],
            tps(&[("t", 0), ("t", 1)]),
            "consumer-10 sorts first"
        );
    }

    #[test]
    fn round_robin_kafka_cases() {
        // RoundRobinAssignorTest.testMultipleConsumersMixedTopics
        let s = subs(&[("c1", &["t1"]), ("c2", &["t1", "t2"]), ("c3", &["t1"])]);
        let got = assign(
            Strategy::RoundRobin,
            &s,
            &topics(&[("t1", 3), ("t2", 2)]),
            &Assignment::new(),
        );
        assert_eq!(
            got,
            expect(&[
                ("c1", &[("t1", 0)]),
                ("c2", &[("t1", 1), ("t2", 0), ("t2", 1)]),
                ("c3", &[("t1", 2)])
            ])
        );
        // testTwoConsumersTwoTopicsSixPartitions
        let s = subs(&[("c1", &["t1", "t2"]), ("c2", &["t1", "t2"])]);
        let got = assign(
            Strategy::RoundRobin,
            &s,
            &topics(&[("t1", 3), ("t2", 3)]),
            &Assignment::new(),
        );
        assert_eq!(
            got,
            expect(&[
                ("c1", &[("t1", 0), ("t1", 2), ("t2", 1)]),
                ("c2", &[("t1", 1), ("t2", 0), ("t2", 2)])
            ])
        );
    }

    #[test]
    fn sticky_without_history_is_round_robin_and_keeps_ownership_later() {
        let s = subs(&[("c1", &["t"]), ("c2", &["t"])]);
        let first = assign(
            Strategy::Sticky,
            &s,
            &topics(&[("t", 4)]),
            &Assignment::new(),
        );
        assert_eq!(
            first,
            assign(
                Strategy::RoundRobin,
                &s,
                &topics(&[("t", 4)]),
                &Assignment::new()
            )
        );
        // c3 joins: c1 and c2 keep what they can, c3 gets what is left over from them.
        let s3 = subs(&[("c1", &["t"]), ("c2", &["t"]), ("c3", &["t"])]);
        let second = assign(Strategy::Sticky, &s3, &topics(&[("t", 4)]), &first);
        for member in ["c1", "c2"] {
            assert!(
                second[&member.to_owned()]
                    .iter()
                    .all(|tp| first[&member.to_owned()].contains(tp)),
                "{member} kept its own"
            );
        }
        let counts: Vec<usize> = second.values().map(Vec::len).collect();
        assert_eq!(counts.iter().sum::<usize>(), 4);
        assert!(counts.iter().max().unwrap_or(&0) - counts.iter().min().unwrap_or(&0) <= 1);
    }

    #[test]
    fn cooperative_example_from_the_rules() {
        // owned c1=[0,1,2] and c2 joins: phase 1 gives c1=[0,1], c2=[]; phase 2 gives c2=[2].
        let s = subs(&[("c1", &["t"]), ("c2", &["t"])]);
        let owned = expect(&[("c1", &[("t", 0), ("t", 1), ("t", 2)])]);
        let phase1 = assign(
            Strategy::CooperativeSticky,
            &s,
            &topics(&[("t", 3)]),
            &owned,
        );
        assert_eq!(
            phase1,
            expect(&[("c1", &[("t", 0), ("t", 1)]), ("c2", &[])])
        );
        let phase2 = assign(
            Strategy::CooperativeSticky,
            &s,
            &topics(&[("t", 3)]),
            &phase1,
        );
        assert_eq!(
            phase2,
            expect(&[("c1", &[("t", 0), ("t", 1)]), ("c2", &[("t", 2)])])
        );
    }

    #[test]
    fn doubly_claimed_partitions_count_as_unowned() {
        let s = subs(&[("c1", &["t"]), ("c2", &["t"])]);
        let owned = expect(&[("c1", &[("t", 0)]), ("c2", &[("t", 0)])]);
        let got = assign(Strategy::Sticky, &s, &topics(&[("t", 2)]), &owned);
        assert_eq!(got.values().map(Vec::len).sum::<usize>(), 2);
        assert_eq!(got[&"c1".to_owned()].len(), 1);
    }

    #[test]
    fn general_path_balances_as_subscriptions_allow() {
        let s = subs(&[("c1", &["a"]), ("c2", &["a", "b"]), ("c3", &["b"])]);
        let got = assign(
            Strategy::Sticky,
            &s,
            &topics(&[("a", 3), ("b", 3)]),
            &Assignment::new(),
        );
        let counts: Vec<usize> = got.values().map(Vec::len).collect();
        assert_eq!(counts, [2, 2, 2]);
        for (member, owned) in &got {
            assert!(owned.iter().all(|tp| s[member].contains(&tp.topic)));
        }
    }

    use proptest::prelude::{any, prop_assert, prop_assert_eq, proptest};

    proptest! {
        /// Members join and leave a group of identical subscriptions at random: after every
        /// rebalance the sticky assignment covers every partition once, is balanced, and each
        /// member that stays keeps as many of its partitions as its quota allows; the
        /// cooperative one never gives a member a partition another live member still owns.
        #[test]
        fn sticky_and_cooperative_stay_balanced_and_sticky(
            partitions in 1u32..13,
            changes in proptest::collection::vec((any::<bool>(), 0usize..6), 1..25),
        ) {
            let counts = topics(&[("t", partitions)]);
            let mut members: Set<String> = set_of(["m0".to_owned()]);
            let mut sticky = Assignment::new();
            let mut coop = Assignment::new();
            for (join, which) in changes {
                let name = format!("m{which}");
                if join { members.insert(name); } else if members.len() > 1 { members.remove(&name); }
                let s: Map<String, Vec<String>> = members.iter().map(|m| (m.clone(), vec!["t".to_owned()])).collect();
                let before = sticky.clone();
                sticky = assign(Strategy::Sticky, &s, &counts, &before);
                let owned: Vec<&TopicPartition> = sticky.values().flatten().collect();
                prop_assert_eq!(owned.len(), partitions as usize);
                let distinct = set_of(owned.iter());
                prop_assert_eq!(distinct.len(), partitions as usize);
                let sizes: Vec<usize> = sticky.values().map(Vec::len).collect();
                let (min, max) = (sizes.iter().min().copied().unwrap_or(0), sizes.iter().max().copied().unwrap_or(0));
                prop_assert!(max - min <= 1, "balanced: {:?}", sizes);
                for (member, now) in &sticky {
                    if let Some(had) = before.get(member) {
                        let kept = now.iter().filter(|tp| had.contains(tp)).count();
                        prop_assert!(kept >= had.len().min(min), "{} kept {} of {:?}", member, kept, had);
                    }
                }
                // Two cooperative rounds: revocations first, then hand-overs.
                for _ in 0..2 {
                    let live: Assignment = coop.iter().filter(|(m, _)| members.contains(*m)).map(|(m, o)| (m.clone(), o.clone())).collect();
                    let next = assign(Strategy::CooperativeSticky, &s, &counts, &live);
                    for (member, partitions) in &next {
                        for tp in partitions {
                            let elsewhere = live.iter().any(|(other, owned)| other != member && owned.contains(tp));
                            prop_assert!(!elsewhere, "{:?} given to {} while another member owns it", tp, member);
                        }
                    }
                    coop = next;
                }
                prop_assert_eq!(coop.values().map(Vec::len).sum::<usize>(), partitions as usize, "two rounds complete the move");
            }
        }
    }
}
