//! The cluster's figures over virtual time, for the charts: each group's lag, the in-sync
//! replicas and under-replicated partitions, and each partition's log end (its throughput). One
//! sample per `SAMPLE_EVERY_MS` of virtual time at most; going back in time drops the samples
//! of moments that have not happened (again).
use crate::sim::PartitionId;
use crate::sim::SimView;
use crate::sim::ordered::Map;
use crate::sim::ordered::map_of;
use crate::sim::types::TopicPartition;

/// Half a virtual second between samples.
pub const SAMPLE_EVERY_MS: u64 = 500;
/// Five virtual minutes of samples.
pub const MAX_SAMPLES: usize = 600;
/// A partition's rate is measured over this many sample intervals (two virtual seconds).
const RATE_SAMPLES: usize = 4;
/// Up to this many partitions, throughput is drawn per partition; beyond, per topic (more
/// lines than the chart has colours would not tell anything apart).
pub const PARTITION_LINES: usize = 8;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    pub at_ms: u64,
    /// Group → total lag (the sum of the lags it knows).
    pub group_lag: Map<String, u64>,
    /// Replicas in some ISR, over all partitions.
    pub in_sync_replicas: u64,
    /// Partitions whose ISR is smaller than their replica set.
    pub under_replicated: u64,
    /// (topic, partition) → its log end offset.
    pub log_end: Map<TopicPartition, u64>,
}

impl Sample {
    pub fn of(view: &SimView) -> Sample {
        let partitions = || view.topics.iter().flat_map(|t| &t.partitions);
        Sample {
            at_ms: view.now_ms,
            group_lag: map_of(view.groups.iter().map(|g| (g.id.clone(), g.lag))),
            in_sync_replicas: partitions().map(|p| p.isr.len() as u64).sum(),
            under_replicated: partitions()
                .filter(|p| p.isr.len() < p.replicas.len())
                .count() as u64,
            log_end: map_of(view.topics.iter().flat_map(|t| {
                t.partitions
                    .iter()
                    .map(|p| (TopicPartition::new(t.name.clone(), p.id), p.log_end.0))
            })),
        }
    }
}

/// A named line: `(virtual ms, value)` points, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(u64, u64)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    samples: Vec<Sample>,
}

impl History {
    /// Notes the cluster as `view` shows it. True if the history changed (most calls come
    /// between samples and change nothing, so the charts are not recomputed).
    pub fn record(&mut self, view: &SimView) -> bool {
        let now = view.now_ms;
        // Back in time: what came after now is not history any more.
        let kept = self.samples.partition_point(|s| s.at_ms <= now);
        let forgot = kept < self.samples.len();
        self.samples.truncate(kept);
        if self
            .samples
            .last()
            .is_some_and(|last| now < last.at_ms + SAMPLE_EVERY_MS)
        {
            return forgot;
        }
        self.samples.push(Sample::of(view));
        let excess = self.samples.len().saturating_sub(MAX_SAMPLES);
        self.samples.drain(..excess);
        true
    }

    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    /// A partition's records per virtual second over the last `RATE_SAMPLES` samples, once
    /// there are two.
    pub fn rate(&self, topic: &str, partition: PartitionId) -> Option<u64> {
        let newest = self.samples.last()?;
        let oldest = &self.samples[self.samples.len().saturating_sub(RATE_SAMPLES + 1)];
        let key = TopicPartition::new(topic, partition);
        let (end, start) = (newest.log_end.get(&key)?, oldest.log_end.get(&key)?);
        let ms = newest
            .at_ms
            .checked_sub(oldest.at_ms)
            .filter(|ms| *ms > 0)?;
        Some(end.saturating_sub(*start) * 1_000 / ms)
    }

    /// One line per group with its total lag; a group is drawn from its first sample.
    pub fn lag(&self) -> Vec<Series> {
        let mut lines: Map<&str, Vec<(u64, u64)>> = Map::new();
        for sample in &self.samples {
            for (group, lag) in &sample.group_lag {
                lines.entry(group).or_default().push((sample.at_ms, *lag));
            }
        }
        named(lines)
    }

    /// In-sync replicas and under-replicated partitions.
    pub fn replication(&self) -> Vec<Series> {
        let line = |name: &str, value: fn(&Sample) -> u64| Series {
            name: name.to_owned(),
            points: self.samples.iter().map(|s| (s.at_ms, value(s))).collect(),
        };
        vec![
            line("in-sync replicas", |s| s.in_sync_replicas),
            line("under-replicated partitions", |s| s.under_replicated),
        ]
    }

    /// Records per second appended to each partition between consecutive samples, or to each
    /// topic when the cluster has more than `PARTITION_LINES` partitions.
    pub fn throughput(&self) -> Vec<Series> {
        let per_partition = self
            .samples
            .last()
            .is_some_and(|s| s.log_end.len() <= PARTITION_LINES);
        // A line is a topic and, when drawn per partition, a partition.
        fn line_of(key: &TopicPartition, per_partition: bool) -> (&str, Option<PartitionId>) {
            (key.topic.as_str(), per_partition.then_some(key.partition))
        }
        let mut lines: Map<_, Vec<(u64, u64)>> = Map::new();
        for pair in self.samples.windows(2) {
            let (before, after) = (&pair[0], &pair[1]);
            let elapsed = after.at_ms - before.at_ms;
            let mut appended: Map<(&str, Option<PartitionId>), u64> = Map::new();
            for (partition, end) in &after.log_end {
                // A partition (or topic) is drawn from the first sample that had it.
                if let Some(start) = before.log_end.get(partition) {
                    *appended
                        .entry(line_of(partition, per_partition))
                        .or_default() += end.saturating_sub(*start);
                }
            }
            for (line, records) in appended {
                let rate = records * 1000 / elapsed.max(1);
                lines.entry(line).or_default().push((after.at_ms, rate));
            }
        }
        lines
            .into_iter()
            .map(|((topic, partition), points)| Series {
                name: partition.map_or_else(
                    || topic.to_owned(),
                    |p| TopicPartition::new(topic, p).to_string(),
                ),
                points,
            })
            .collect()
    }
}

fn named(lines: Map<&str, Vec<(u64, u64)>>) -> Vec<Series> {
    lines
        .into_iter()
        .map(|(name, points)| Series {
            name: name.to_owned(),
            points,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::Scenario;
    use crate::sim::types::KeySet;
    use crate::sim::{BrokerId, Command};

    fn run(sim: &mut crate::sim::Sim, history: &mut History, ticks: u32) {
        for _ in 0..ticks {
            sim.tick();
            history.record(&sim.view());
        }
    }

    #[test]
    fn samples_every_half_second_and_forgets_the_future_when_going_back() {
        let mut sim = Scenario::quiet().build().expect("starter builds");
        let mut history = History::default();
        assert!(history.record(&sim.view()), "the first sample");
        run(&mut sim, &mut history, 20);
        let times: Vec<u64> = history.samples().iter().map(|s| s.at_ms).collect();
        assert_eq!(times, [0, 500, 1000, 1500, 2000]);
        sim.tick();
        assert!(!history.record(&sim.view()), "2100 ms: between samples");
        let mut earlier = sim.view();
        earlier.now_ms = 1200;
        assert!(history.record(&earlier), "going back forgets samples");
        let times: Vec<u64> = history.samples().iter().map(|s| s.at_ms).collect();
        assert_eq!(times, [0, 500, 1000]);
    }

    #[test]
    fn a_partitions_rate_is_its_records_per_second_lately() {
        let mut sim = Scenario::busy().build().expect("busy builds");
        let mut history = History::default();
        history.record(&sim.view());
        assert_eq!(history.rate("orders", PartitionId(0)), None, "one sample");
        run(&mut sim, &mut history, 50);
        let total: u64 = (0..12)
            .filter_map(|p| history.rate("orders", PartitionId(p)))
            .sum();
        // 500 records/s to orders, spread over its 12 partitions by key.
        assert!((400..=600).contains(&total), "{total}/s");
        assert_eq!(history.rate("nothing", PartitionId(0)), None);
    }

    #[test]
    fn many_partitions_are_drawn_per_topic() {
        let mut sim = Scenario::busy().build().expect("busy builds");
        let mut history = History::default();
        run(&mut sim, &mut history, 30);
        let names: Vec<String> = history.throughput().into_iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            ["orders", "payments"],
            "24 partitions: one line per topic"
        );
    }

    #[test]
    fn throughput_lag_and_replication_follow_the_cluster() {
        let mut sim = Scenario::quiet().build().expect("starter builds");
        sim.apply(Command::StartGenerator {
            generator: "load".into(),
            producer: "producer-1".into(),
            topic: "orders".into(),
            rate_per_sec: 40,
            keys: KeySet::Uniform { count: 9 },
        })
        .expect("the generator starts");
        let mut history = History::default();
        run(&mut sim, &mut history, 100);
        let throughput = history.throughput();
        let names: Vec<&str> = throughput.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["orders-0", "orders-1", "orders-2"],
            "a line per partition"
        );
        let total = |i: usize| throughput.iter().map(|s| s.points[i].1).sum::<u64>();
        let late: Vec<u64> = (5..throughput[0].points.len()).map(total).collect();
        assert!(
            late.iter().all(|r| (30..=50).contains(r)),
            "about 40/s over the partitions: {late:?}"
        );
        assert_eq!(
            history.lag().first().map(|s| s.name.as_str()),
            Some("group-1")
        );
        let replication = history.replication();
        assert_eq!(
            replication[0].points.last().map(|p| p.1),
            Some(9),
            "3 partitions × 3 in sync"
        );
        sim.apply(Command::CrashBroker {
            broker: BrokerId(2),
        })
        .expect("broker 2 runs");
        run(&mut sim, &mut history, 200);
        let replication = history.replication();
        assert_eq!(replication[0].points.last().map(|p| p.1), Some(6));
        assert_eq!(replication[1].points.last().map(|p| p.1), Some(3));
    }
}
