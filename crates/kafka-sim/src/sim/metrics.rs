//! A few of Kafka's JMX metrics, per broker and for the cluster, as the Metrics tab shows them:
//! each one's value a window ago on the virtual clock (`METRICS_WINDOW_MS`), now, and the
//! change. Rates (Kafka's meters) are counted here (`Meters`, part of the state, so time travel
//! brings them back as they were) and shown per second over the window; gauges are read from the
//! cluster as it is (`MetricReading`). The definitions, each with the Kafka source that defines
//! it:
//!
//! - `kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions` (gauge, per broker):
//!   the partitions the broker leads whose ISR is smaller than their replica set
//!   (`ReplicaManager.underReplicatedPartitionCount` and `Partition.isUnderReplicated`,
//!   core/src/main/scala/kafka/server/ReplicaManager.scala, cluster/Partition.scala).
//! - `kafka.server:type=ReplicaManager,name=IsrShrinksPerSec` and `IsrExpandsPerSec` (meters,
//!   per broker): ISR changes the broker made as leader (`Partition`'s `PendingShrinkIsr` and
//!   `PendingExpandIsr` → `AlterPartitionListener.markIsrShrink` / `markIsrExpand`). The
//!   controller's removal of a fenced broker from the ISRs is not one of them.
//! - `kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec`, `BytesInPerSec` and
//!   `FailedProduceRequestsPerSec` (meters, per broker, all topics): records and bytes the
//!   broker appended as leader, and produce appends that failed but for the "known" errors
//!   (`ReplicaManager.appendToLocalLog`: not UNKNOWN_TOPIC_OR_PARTITION nor
//!   NOT_LEADER_OR_FOLLOWER). The playground's bytes are its records' keys and values.
//! - `kafka.controller:type=KafkaController,name=OfflinePartitionsCount` (gauge, cluster):
//!   partitions without a leader (`ControllerMetadataMetrics`,
//!   metadata/src/main/java/org/apache/kafka/controller/metrics/).
//! - `kafka.controller:type=KafkaController,name=ActiveControllerCount` (gauge, cluster, the sum
//!   over the controllers): 1 on the active controller (`QuorumControllerMetrics`).
//! - `kafka.controller:type=ControllerStats,name=LeaderElectionRateAndTimeMs` (cluster): the
//!   ZooKeeper controller's timer of leader elections (core/src/main/scala/kafka/controller/
//!   ControllerState.scala); KRaft has no such timer, so the playground shows its rate: the
//!   elections that gave a partition a leader (elections take no time here).
//! - `kafka.consumer:type=consumer-fetch-manager-metrics,client-id=…,attribute=records-lag-max`
//!   (per consumer): the largest lag among its partitions (`FetchMetricsManager.recordPartitionLag`,
//!   clients/src/main/java/org/apache/kafka/clients/consumer/internals/). Simplification: now,
//!   where Kafka's is the largest recorded over its metric sample window.
use crate::sim::event::Event;
use crate::sim::ids::{BrokerId, PartitionId};
use crate::sim::ordered::Map;
use crate::sim::types::ProduceError;
use serde::{Deserialize, Serialize};

/// How far back "was" looks, and the window rates are averaged over: ten virtual seconds.
pub const METRICS_WINDOW_MS: u64 = 10_000;
/// At most one reading per half a virtual second is kept.
const READ_EVERY_MS: u64 = 500;

/// A broker's meters: what it counted since the playground started (Kafka's count since the
/// broker process started; the playground keeps counting over restarts).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokerMeters {
    pub isr_shrinks: u64,
    pub isr_expands: u64,
    pub messages_in: u64,
    pub bytes_in: u64,
    pub failed_produce_requests: u64,
}

/// The meters of every broker, and the controller's count of leader elections.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meters {
    pub brokers: Map<BrokerId, BrokerMeters>,
    pub leader_elections: u64,
}

impl Meters {
    pub fn broker(&mut self, broker: BrokerId) -> &mut BrokerMeters {
        self.brokers.entry(broker).or_default()
    }

    /// Counts what one event says. `leader_of` names a partition's leader now, which made
    /// its ISR change; `fenced` says whether a broker is fenced (the controller, not a
    /// leader, took it out of the ISRs); `appended_bytes` sums the key and value sizes of a
    /// partition's records `from..to`.
    pub fn observe(
        &mut self,
        event: &Event,
        leader_of: impl Fn(&str, PartitionId) -> Option<BrokerId>,
        fenced: impl Fn(BrokerId) -> bool,
        appended_bytes: impl Fn(&str, PartitionId, u64, u64) -> u64,
    ) {
        match event {
            Event::IsrShrunk {
                topic,
                partition,
                broker,
                ..
            } if !fenced(*broker) => {
                if let Some(leader) = leader_of(topic, *partition) {
                    self.broker(leader).isr_shrinks += 1;
                }
            }
            Event::IsrExpanded {
                topic, partition, ..
            } => {
                if let Some(leader) = leader_of(topic, *partition) {
                    self.broker(leader).isr_expands += 1;
                }
            }
            Event::RecordsAppended {
                topic,
                partition,
                leader,
                from,
                to,
                ..
            } => {
                let bytes = appended_bytes(topic, *partition, from.0, to.0);
                let meters = self.broker(*leader);
                meters.messages_in += to.0.saturating_sub(from.0);
                meters.bytes_in += bytes;
            }
            Event::LeaderElected { to: Some(_), .. } => self.leader_elections += 1,
            _ => {}
        }
    }

    /// A produce append `broker` refused: counted unless Kafka calls its error known
    /// (`ReplicaManager.appendToLocalLog`).
    pub fn produce_failed(&mut self, broker: BrokerId, error: &ProduceError) {
        if !matches!(
            error,
            ProduceError::NotLeaderOrFollower { .. } | ProduceError::UnknownTopicOrPartition
        ) {
            self.broker(broker).failed_produce_requests += 1;
        }
    }
}

/// Every metric at one moment: the meters' counts and the gauges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MetricReading {
    pub at_ms: u64,
    pub meters: Meters,
    /// UnderReplicatedPartitions per broker (every registered broker, 0 included).
    pub under_replicated: Map<BrokerId, u64>,
    pub offline_partitions: u64,
    pub active_controllers: u64,
    /// records-lag-max per consumer; `None` while it knows no lag.
    pub records_lag_max: Map<String, Option<u64>>,
}

/// One line of the Metrics tab: the MBean and attribute, whose (a broker, the cluster, a
/// consumer), and its value a window ago, now and the change, as text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MetricRow {
    pub name: &'static str,
    pub scope: String,
    pub was: String,
    pub now: String,
    pub change: String,
}

/// How a metric reads a value out of a reading: a gauge as it is, a meter as a count.
#[derive(Clone, Copy)]
enum Kind {
    Gauge,
    Rate,
}

/// The readings of the last two windows, for the Metrics tab; kept outside the `Sim`, like the
/// charts' history. Going back in time forgets the readings of moments not lived (yet).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MetricsWindow {
    readings: Vec<MetricReading>,
}

impl MetricsWindow {
    /// Notes `reading`; true if the rows may have changed.
    pub fn record(&mut self, reading: &MetricReading) -> bool {
        let now = reading.at_ms;
        let kept = self.readings.partition_point(|r| r.at_ms <= now);
        let forgot = kept < self.readings.len();
        self.readings.truncate(kept);
        if self
            .readings
            .last()
            .is_some_and(|last| now < last.at_ms + READ_EVERY_MS)
        {
            return forgot;
        }
        self.readings.push(reading.clone());
        // Keep the newest reading at or before two windows ago, and everything after it.
        let horizon = now.saturating_sub(2 * METRICS_WINDOW_MS);
        let old = self.readings.partition_point(|r| r.at_ms <= horizon);
        self.readings.drain(..old.saturating_sub(1));
        true
    }

    /// The newest reading at or before `at_ms`.
    fn at(&self, at_ms: u64) -> Option<&MetricReading> {
        let after = self.readings.partition_point(|r| r.at_ms <= at_ms);
        after.checked_sub(1).map(|i| &self.readings[i])
    }

    /// The rows, brokers first, then the cluster, then the consumers.
    pub fn rows(&self) -> Vec<MetricRow> {
        let Some(now) = self.readings.last() else {
            return Vec::new();
        };
        let was = self.at(now.at_ms.saturating_sub(METRICS_WINDOW_MS));
        let before = was.and_then(|w| self.at(w.at_ms.saturating_sub(METRICS_WINDOW_MS)));
        let mut rows = Vec::new();
        let mut row = |name: &'static str,
                       scope: String,
                       kind: Kind,
                       read: &dyn Fn(&MetricReading) -> Option<u64>| {
            let value = |newer: &MetricReading, older: Option<&MetricReading>| -> Option<f64> {
                match kind {
                    Kind::Gauge => read(newer).map(|v| v as f64),
                    Kind::Rate => {
                        let older = older.filter(|o| o.at_ms < newer.at_ms)?;
                        let count = read(newer)?.saturating_sub(read(older).unwrap_or(0));
                        Some(count as f64 * 1_000.0 / (newer.at_ms - older.at_ms) as f64)
                    }
                }
            };
            // A rate over the last window, from the oldest reading while there is no older.
            let now_value = value(now, was.or(self.readings.first()));
            let was_value = was.and_then(|w| value(w, before));
            rows.push(MetricRow {
                name,
                scope,
                was: shown(was_value, kind),
                now: shown(now_value, kind),
                change: match (was_value, now_value) {
                    (Some(w), Some(n)) => signed(n - w, kind),
                    _ => "–".to_owned(),
                },
            });
        };
        for &broker in now.under_replicated.keys() {
            let scope = format!("broker {broker}");
            let meter = |pick: fn(&BrokerMeters) -> u64| {
                move |r: &MetricReading| Some(r.meters.brokers.get(&broker).map_or(0, pick))
            };
            row(
                "kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions",
                scope.clone(),
                Kind::Gauge,
                &|r| r.under_replicated.get(&broker).copied(),
            );
            for (name, pick) in [
                (
                    "kafka.server:type=ReplicaManager,name=IsrShrinksPerSec",
                    (|m: &BrokerMeters| m.isr_shrinks) as fn(&BrokerMeters) -> u64,
                ),
                (
                    "kafka.server:type=ReplicaManager,name=IsrExpandsPerSec",
                    |m| m.isr_expands,
                ),
                (
                    "kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec",
                    |m| m.messages_in,
                ),
                (
                    "kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec",
                    |m| m.bytes_in,
                ),
                (
                    "kafka.server:type=BrokerTopicMetrics,name=FailedProduceRequestsPerSec",
                    |m| m.failed_produce_requests,
                ),
            ] {
                row(name, scope.clone(), Kind::Rate, &meter(pick));
            }
        }
        let cluster = || "cluster".to_owned();
        row(
            "kafka.controller:type=KafkaController,name=OfflinePartitionsCount",
            cluster(),
            Kind::Gauge,
            &|r| Some(r.offline_partitions),
        );
        row(
            "kafka.controller:type=KafkaController,name=ActiveControllerCount",
            cluster(),
            Kind::Gauge,
            &|r| Some(r.active_controllers),
        );
        row(
            "kafka.controller:type=ControllerStats,name=LeaderElectionRateAndTimeMs",
            cluster(),
            Kind::Rate,
            &|r| Some(r.meters.leader_elections),
        );
        for consumer in now.records_lag_max.keys() {
            row(
                "kafka.consumer:type=consumer-fetch-manager-metrics,attribute=records-lag-max",
                format!("consumer {consumer}"),
                Kind::Gauge,
                &|r| r.records_lag_max.get(consumer).copied().flatten(),
            );
        }
        rows
    }
}

/// A value as the tab shows it: a gauge whole, a rate per second with one decimal.
fn shown(value: Option<f64>, kind: Kind) -> String {
    match (value, kind) {
        (None, _) => "–".to_owned(),
        (Some(v), Kind::Gauge) => format!("{v:.0}"),
        (Some(v), Kind::Rate) => format!("{v:.1}/s"),
    }
}

/// A change with its sign ("+2", "−0.5/s", "0"), rounded as it is shown.
fn signed(change: f64, kind: Kind) -> String {
    let step = match kind {
        Kind::Gauge => 1.0,
        Kind::Rate => 0.1,
    };
    let rounded = (change / step).round() * step;
    let magnitude = shown(Some(rounded.abs()), kind);
    if rounded == 0.0 {
        magnitude
    } else if rounded < 0.0 {
        format!("−{magnitude}")
    } else {
        format!("+{magnitude}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::Scenario;
    use crate::sim::types::KeySet;
    use crate::sim::{Command, Sim};

    fn reading(at_ms: u64, messages_in: u64, offline: u64) -> MetricReading {
        let mut meters = Meters::default();
        meters.broker(BrokerId(1)).messages_in = messages_in;
        MetricReading {
            at_ms,
            meters,
            under_replicated: map_one(BrokerId(1), 0),
            offline_partitions: offline,
            active_controllers: 1,
            records_lag_max: Map::new(),
        }
    }

    fn map_one(broker: BrokerId, value: u64) -> Map<BrokerId, u64> {
        let mut map = Map::new();
        map.insert(broker, value);
        map
    }

    fn row<'a>(rows: &'a [MetricRow], name: &str, scope: &str) -> &'a MetricRow {
        rows.iter()
            .find(|r| r.name.ends_with(name) && r.scope == scope)
            .unwrap_or_else(|| panic!("{name} for {scope} in {rows:?}"))
    }

    /// A row's was, now and change.
    fn cells<'a>(rows: &'a [MetricRow], name: &str, scope: &str) -> (&'a str, &'a str, &'a str) {
        let r = row(rows, name, scope);
        (&r.was, &r.now, &r.change)
    }

    /// "was" is the reading a window (10 s) before the newest; a meter (Kafka's `Meter`, a
    /// count) is shown as its count per second over the window that ends then and now.
    #[test]
    fn gauges_compare_with_a_window_ago_and_meters_are_per_second_over_the_window() {
        let mut window = MetricsWindow::default();
        // 10 records a second for 20 s, then 30 a second; a partition offline from 25 s.
        for t in (0..=30_000u64).step_by(500) {
            let count = if t <= 20_000 {
                t / 100
            } else {
                200 + (t - 20_000) * 3 / 100
            };
            window.record(&reading(t, count, u64::from(t >= 25_000)));
        }
        let rows = window.rows();
        assert_eq!(
            cells(&rows, "MessagesInPerSec", "broker 1"),
            ("10.0/s", "30.0/s", "+20.0/s")
        );
        assert_eq!(
            cells(&rows, "OfflinePartitionsCount", "cluster"),
            ("0", "1", "+1")
        );
        let controllers = row(&rows, "ActiveControllerCount", "cluster");
        assert_eq!(controllers.change, "0");
        assert!(window.readings.len() <= 2 * 20 + 2, "two windows kept");
    }

    /// Before a window has passed there is no "was"; going back in time forgets the readings
    /// of moments not lived.
    #[test]
    fn without_a_window_of_history_was_is_unknown_and_going_back_forgets() {
        let mut window = MetricsWindow::default();
        assert!(window.rows().is_empty());
        for t in (0..=4_000u64).step_by(500) {
            window.record(&reading(t, t / 100, 0));
        }
        let rows = window.rows();
        assert_eq!(
            cells(&rows, "MessagesInPerSec", "broker 1"),
            ("–", "10.0/s", "–")
        );
        assert!(window.record(&reading(1_000, 10, 0)), "back in time");
        assert_eq!(window.readings.len(), 3);
    }

    fn run(sim: &mut Sim, window: &mut MetricsWindow, ticks: u32) {
        for _ in 0..ticks {
            sim.tick();
            window.record(&sim.view().metrics);
        }
    }

    /// Through the engine: records appended count on their leader
    /// (`BrokerTopicMetrics.MessagesInPerSec`); a crashed broker the controller fences leaves
    /// the ISRs without an IsrShrink on any leader (the controller's change, not an
    /// `AlterPartition` of a leader), its partitions elect leaders
    /// (LeaderElectionRateAndTimeMs), the leaders count the partitions left under-replicated
    /// (`Partition.isUnderReplicated`), and it rejoins with IsrExpands on the leaders.
    #[test]
    fn the_cluster_s_metrics_follow_a_crash_and_a_restart() {
        let mut sim = Scenario::quiet().build().expect("starter");
        let mut window = MetricsWindow::default();
        sim.apply(Command::StartGenerator {
            generator: "load".into(),
            producer: "producer-1".into(),
            topic: "orders".into(),
            rate_per_sec: 20,
            keys: KeySet::Uniform { count: 9 },
        })
        .expect("generator");
        run(&mut sim, &mut window, 150);
        let rows = window.rows();
        let messages: f64 = (1..=3)
            .map(|b| {
                let now = &row(&rows, "MessagesInPerSec", &format!("broker {b}")).now;
                now.trim_end_matches("/s").parse::<f64>().expect("a rate")
            })
            .sum();
        assert!((18.0..=22.0).contains(&messages), "about 20/s: {messages}");
        sim.apply(Command::CrashBroker {
            broker: BrokerId(2),
        })
        .expect("crash");
        run(&mut sim, &mut window, 150);
        let now = sim.view().metrics;
        assert_eq!(
            now.under_replicated.values().sum::<u64>(),
            3,
            "every partition"
        );
        assert_eq!(now.under_replicated.get(&BrokerId(2)), Some(&0));
        assert!(now.meters.leader_elections >= 1);
        let shrinks: u64 = now.meters.brokers.values().map(|m| m.isr_shrinks).sum();
        assert_eq!(shrinks, 0, "the controller took broker 2 out, not a leader");
        assert_eq!(now.offline_partitions, 0);
        assert_eq!(now.active_controllers, 1);
        assert!(now.records_lag_max.contains_key("consumer-1"));
        sim.apply(Command::RestartBroker {
            broker: BrokerId(2),
        })
        .expect("restart");
        run(&mut sim, &mut window, 100);
        let now = sim.view().metrics;
        let expands: u64 = now.meters.brokers.values().map(|m| m.isr_expands).sum();
        assert_eq!(expands, 3, "broker 2 rejoins each partition's ISR");
        assert_eq!(now.under_replicated.values().sum::<u64>(), 0);
    }

    /// `ReplicaManager.appendToLocalLog` counts a failed append in FailedProduceRequestsPerSec
    /// unless its error is a known one (NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION).
    #[test]
    fn failed_produce_requests_leave_out_the_known_errors() {
        let mut meters = Meters::default();
        meters.produce_failed(
            BrokerId(1),
            &ProduceError::NotLeaderOrFollower {
                broker: BrokerId(1),
            },
        );
        meters.produce_failed(BrokerId(1), &ProduceError::UnknownTopicOrPartition);
        meters.produce_failed(
            BrokerId(1),
            &ProduceError::NotEnoughReplicas {
                isr: 1,
                min_insync_replicas: 2,
            },
        );
        assert_eq!(meters.broker(BrokerId(1)).failed_produce_requests, 1);
    }
}
