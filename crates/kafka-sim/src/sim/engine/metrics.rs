//! The engine's side of `metrics.rs`: the meters counted from each step's events, and a
//! reading of every metric for the view.
use crate::sim::broker::Broker;
use crate::sim::consumer::Consumer;
use crate::sim::engine::Sim;
use crate::sim::ids::{BrokerId, Offset};
use crate::sim::log::record_size;
use crate::sim::metrics::MetricReading;
use crate::sim::ordered::map_of;
use crate::sim::types::TopicPartition;

impl Sim {
    /// Counts the meters for the events pushed since `seen` were waiting (one step's).
    pub(crate) fn count_meters(&mut self, seen: usize) {
        let mut meters = std::mem::take(&mut self.meters);
        for event in self.events.waiting().iter().skip(seen) {
            meters.observe(
                &event.event,
                |topic, partition| self.partition(topic, partition).and_then(|p| p.leader),
                |broker| self.brokers.get(&broker).is_some_and(Broker::is_fenced),
                |topic, partition, from, to| {
                    let records = self.records(topic, partition);
                    let start = records.partition_point(|r| r.offset.0 < from);
                    records
                        .slice(start..records.len())
                        .iter()
                        .take_while(|r| r.offset.0 < to)
                        .map(|r| record_size(r.key.as_deref(), r.value.as_deref()))
                        .sum()
                },
            );
        }
        self.meters = meters;
    }

    /// The number of active controllers in the cluster (ActiveControllerCount summed over the
    /// controllers, `QuorumControllerMetrics`): 1 while the KRaft quorum has an active
    /// controller, 0 while it elects one or has no majority.
    fn active_controllers(&self) -> u64 {
        u64::from(self.quorum.active_controller().is_some())
    }

    /// A consumer's lag in `tp` (its records-lag metric) and the end it is counted to: the
    /// high watermark, or the last stable offset with read_committed, less its position.
    pub(crate) fn consumer_lag(&self, c: &Consumer, tp: &TopicPartition) -> (Offset, Option<u64>) {
        let end = self
            .partition(&tp.topic, tp.partition)
            .map_or(Offset(0), |p| p.visible_end(c.config.isolation_level));
        (end, c.position(tp).map(|p| end.0.saturating_sub(p.0)))
    }

    /// Every metric now (`metrics.rs`).
    pub(crate) fn metric_reading(&self) -> MetricReading {
        let partitions = || self.topics.values().flat_map(|t| t.partitions.iter());
        let under_replicated = |broker: BrokerId| {
            partitions()
                .filter(|p| p.leader == Some(broker) && p.isr.len() < p.assignment.len())
                .count() as u64
        };
        MetricReading {
            at_ms: self.now_ms,
            meters: self.meters.clone(),
            under_replicated: map_of(self.brokers.keys().map(|&b| (b, under_replicated(b)))),
            offline_partitions: partitions().filter(|p| p.leader.is_none()).count() as u64,
            active_controllers: self.active_controllers(),
            records_lag_max: map_of(self.consumers.values().map(|c| {
                let lags = c
                    .assigned
                    .iter()
                    .filter_map(|tp| self.consumer_lag(c, tp).1);
                (c.id.clone(), lags.max())
            })),
        }
    }
}
