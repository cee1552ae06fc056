//! A scenario: the cluster, the seed and the commands that set a playground up. Replaying it
//! always gives the same state.
use crate::sim::command::Command;
use crate::sim::engine::{Sim, SimConfig};
use crate::sim::error::SimError;
use crate::sim::types::{ConsumerConfig, KeySet, MAX_BROKERS, ProducerConfig, Subscription};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub config: SimConfig,
    pub seed: u64,
    pub commands: Vec<Command>,
    /// Virtual time to run after the commands, so the scenario starts with history (records
    /// already written, groups already stable).
    #[serde(default)]
    pub warm_up_ms: u64,
}

/// The scenarios a page can start with (`?scenario=<name>`).
pub const SCENARIO_NAMES: [&str; 4] = ["starter", "quiet", "busy", "large"];

/// The starter's running producer: slow enough that one record can be followed on the stage.
const STARTER_RATE_PER_SEC: u64 = 2;

/// The starter's keys: two for each of `orders`' three partitions by murmur2 (user-1 to user-4
/// would all land in orders-1 and orders-2, leaving the first log on the screen empty).
const STARTER_KEYS: [&str; 6] = ["user-1", "user-3", "user-4", "user-5", "user-8", "user-12"];

impl Scenario {
    /// What a learner sees first: the quiet cluster, with producer-1 sending a record with one of
    /// `STARTER_KEYS` every half second (a generator), so records flow into every partition of
    /// `orders` and consumer-1 reads them from the first seconds.
    pub fn starter() -> Scenario {
        let mut scenario = Scenario::quiet();
        scenario.commands.push(Command::StartGenerator {
            generator: "producer-1:orders".into(),
            producer: "producer-1".into(),
            topic: "orders".into(),
            rate_per_sec: STARTER_RATE_PER_SEC,
            keys: KeySet::Fixed(STARTER_KEYS.iter().map(|k| (*k).to_owned()).collect()),
        });
        scenario
    }

    /// The starter with nothing running: three brokers, a topic `orders` with three partitions
    /// each on all three brokers, a producer with Kafka's defaults and one consumer (group-1)
    /// reading the topic. Where a learner follows one record at a time, and where tests know
    /// every offset.
    pub fn quiet() -> Scenario {
        Scenario {
            config: SimConfig::default(),
            seed: 42,
            commands: vec![
                Command::create_topic("orders", 3, 3),
                Command::AddProducer {
                    producer: "producer-1".into(),
                    config: ProducerConfig::default(),
                },
                Command::subscribe("consumer-1", "orders", ConsumerConfig::new("group-1")),
            ],
            warm_up_ms: 0,
        }
    }

    /// Three brokers and nothing else, seeded with `seed`: where lessons and console scripts
    /// start.
    pub fn empty(seed: u64) -> Scenario {
        Scenario {
            config: SimConfig::default(),
            seed,
            commands: Vec::new(),
            warm_up_ms: 0,
        }
    }

    /// The scenario called `name` in `SCENARIO_NAMES`.
    pub fn named(name: &str) -> Option<Scenario> {
        match name {
            "starter" => Some(Scenario::starter()),
            "quiet" => Some(Scenario::quiet()),
            "busy" => Some(Scenario::busy()),
            "large" => Some(Scenario::large()),
            _ => None,
        }
    }

    /// A busy cluster (the frame-time benchmark's): 3 brokers, topics `orders` and `payments`
    /// with 12 partitions each (RF 3), 1,000 records/s between them, and two groups of four
    /// consumers each reading both topics.
    pub fn busy() -> Scenario {
        let mut commands = vec![
            Command::create_topic("orders", 12, 3),
            Command::create_topic("payments", 12, 3),
            Command::AddProducer {
                producer: "producer-1".into(),
                config: ProducerConfig::default(),
            },
        ];
        for topic in ["orders", "payments"] {
            commands.push(Command::StartGenerator {
                generator: format!("producer-1:{topic}"),
                producer: "producer-1".into(),
                topic: topic.into(),
                rate_per_sec: 500,
                keys: KeySet::Uniform { count: 100 },
            });
        }
        for (group, prefix) in [("billing", "billing"), ("analytics", "analytics")] {
            for n in 1..=4 {
                commands.push(Command::AddConsumer {
                    consumer: format!("{prefix}-{n}"),
                    subscription: Subscription::Topics(vec!["orders".into(), "payments".into()]),
                    config: ConsumerConfig::new(group),
                });
            }
        }
        Scenario {
            config: SimConfig::default(),
            seed: 7,
            commands,
            warm_up_ms: 0,
        }
    }

    /// The busy scenario with `retention.ms` 60 s and `segment.ms` 10 s on both topics, so its
    /// logs level off (at Kafka's 5-minute retention check) instead of growing: the memory and
    /// time-travel benchmarks' workload (examples/throughput_wasm.rs, benches/time_travel.rs).
    pub fn busy_with_retention() -> Scenario {
        let mut scenario = Scenario::busy();
        for topic in ["orders", "payments"] {
            for (key, value) in [("retention.ms", "60000"), ("segment.ms", "10000")] {
                scenario.commands.push(Command::AlterTopicConfig {
                    topic: topic.into(),
                    key: key.into(),
                    value: Some(value.into()),
                });
            }
        }
        scenario
    }

    /// A large cluster: 12 brokers and a topic `events` with 64 partitions (RF 3) that already
    /// holds 200,000 records, written at 2,000 records/s, which go on.
    pub fn large() -> Scenario {
        Scenario {
            config: SimConfig {
                brokers: MAX_BROKERS,
                ..SimConfig::default()
            },
            seed: 12,
            commands: vec![
                Command::create_topic("events", 64, 3),
                Command::AddProducer {
                    producer: "producer-1".into(),
                    config: ProducerConfig::default(),
                },
                Command::StartGenerator {
                    generator: "producer-1:events".into(),
                    producer: "producer-1".into(),
                    topic: "events".into(),
                    rate_per_sec: 2_000,
                    keys: KeySet::Uniform { count: 10_000 },
                },
            ],
            warm_up_ms: 100_000,
        }
    }

    /// The throughput benchmark's workload: three brokers, a topic `bench` with 12 partitions
    /// on all three (RF 3), and producer `bench` with Kafka's defaults (acks=all, idempotent)
    /// fed at `rate_per_sec` records/s, keys uniform over 1000.
    pub fn throughput(rate_per_sec: u64) -> Scenario {
        Scenario {
            config: SimConfig::default(),
            seed: 1,
            commands: vec![
                Command::create_topic("bench", 12, 3),
                Command::AddProducer {
                    producer: "bench".into(),
                    config: ProducerConfig::default(),
                },
                Command::StartGenerator {
                    generator: "load".into(),
                    producer: "bench".into(),
                    topic: "bench".into(),
                    rate_per_sec,
                    keys: KeySet::Uniform { count: 1000 },
                },
            ],
            warm_up_ms: 0,
        }
    }

    /// A fresh simulation with every command applied and the warm-up run; the first refused
    /// command stops it.
    pub fn build(&self) -> Result<Sim, SimError> {
        let mut sim = self.build_setup()?;
        self.warm_up(&mut sim, u32::MAX);
        Ok(sim)
    }

    /// The cluster its commands set up, before the warm-up: what a page can draw first.
    pub fn build_setup(&self) -> Result<Sim, SimError> {
        let mut sim = Sim::new(self.config.clone(), self.seed)?;
        for command in &self.commands {
            sim.apply(command.clone())?;
        }
        Ok(sim)
    }

    /// Runs at most `ticks` more ticks of the warm-up on `sim` (built by `build_setup`); true
    /// once the warm-up is over. The warm-up's own events would only bury the setup's, so they
    /// are dropped.
    pub fn warm_up(&self, sim: &mut Sim, ticks: u32) -> bool {
        for _ in 0..ticks {
            if sim.now_ms() >= self.warm_up_ms {
                break;
            }
            sim.tick();
            sim.drain_events();
        }
        sim.now_ms() >= self.warm_up_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::partitioner::partition_for_key;

    #[test]
    fn a_warm_up_in_slices_reaches_the_built_state() {
        let scenario = Scenario::large();
        let built = scenario.build().expect("large builds");
        let mut sim = scenario.build_setup().expect("large builds");
        assert_eq!(sim.now_ms(), 0);
        let mut slices = 0;
        while !scenario.warm_up(&mut sim, 37) {
            slices += 1;
        }
        assert!(slices > 1);
        assert_eq!(sim.state_hash(), built.state_hash());
        assert!(scenario.warm_up(&mut sim, 1), "done stays done");
        assert_eq!(sim.now_ms(), built.now_ms());
    }

    #[test]
    fn throughput_workload_gets_acknowledged() {
        let mut sim = Scenario::throughput(10_000).build().expect("valid");
        for _ in 0..20 {
            sim.tick();
            sim.drain_events();
        }
        let acked = sim.producer("bench").map_or(0, |p| p.stats.acknowledged);
        assert!(acked > 15_000, "{acked} of ~20000 acknowledged after 2 s");
    }

    #[test]
    fn starter_builds() {
        let sim = Scenario::starter()
            .build()
            .expect("the starter scenario is valid");
        let view = sim.view();
        assert_eq!(view.topics.len(), 1);
        assert_eq!(view.topics[0].partitions.len(), 3);
        assert_eq!(view.topics[0].replication_factor, 3);
        assert_eq!(view.producers.len(), 1);
        assert_eq!(view.consumers.len(), 1);
    }

    #[test]
    fn the_starters_keys_cover_every_partition_twice() {
        let mut partitions: Vec<u32> = STARTER_KEYS
            .iter()
            .map(|k| partition_for_key(k.as_bytes(), 3))
            .collect();
        partitions.sort_unstable();
        assert_eq!(partitions, [0, 0, 1, 1, 2, 2]);
    }

    #[test]
    fn the_starter_moves_within_its_first_seconds_and_the_quiet_one_does_not() {
        let end_of_orders = |mut sim: Sim| {
            sim.advance_to(5_000);
            let view = sim.view();
            let ends: Vec<u64> = view.topics[0]
                .partitions
                .iter()
                .map(|p| p.log_end.0)
                .collect();
            let written: u64 = ends.iter().sum();
            assert!(
                written == 0 || ends.iter().all(|end| *end > 0),
                "every partition gets records: {ends:?}"
            );
            let read = view.consumers[0]
                .partitions
                .iter()
                .filter(|p| p.position.is_some_and(|o| o.0 > 0))
                .count();
            (written, read)
        };
        let (written, read) = end_of_orders(Scenario::starter().build().expect("starter"));
        assert!(
            (8..=10).contains(&written),
            "2 records/s for 5 s: {written}"
        );
        assert!(read > 0, "consumer-1 reads them");
        assert_eq!(
            end_of_orders(Scenario::quiet().build().expect("quiet")),
            (0, 0)
        );
    }

    #[test]
    fn busy_and_large_have_the_benchmarks_shapes() {
        let mut busy = Scenario::named("busy")
            .expect("busy")
            .build()
            .expect("busy builds");
        busy.advance_to(10_000);
        let view = busy.view();
        assert_eq!(
            view.topics
                .iter()
                .map(|t| t.partitions.len())
                .sum::<usize>(),
            24
        );
        assert_eq!(view.groups.len(), 2);
        assert!(view.groups.iter().all(|g| g.members.len() == 4));
        let large = Scenario::named("large")
            .expect("large")
            .build()
            .expect("large builds");
        let view = large.view();
        assert_eq!(view.brokers.len(), 12);
        let records: u64 = view.topics[0].partitions.iter().map(|p| p.log_end.0).sum();
        assert!((199_000..=201_000).contains(&records), "{records} records");
        assert!(Scenario::named("huge").is_none());
    }
}
