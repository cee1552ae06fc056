//! Log maintenance every `log.retention.check.interval.ms`: the delete policy removes whole
//! old segments by `retention.ms` and `retention.bytes` and moves the log start offset; the
//! compact policy runs the log cleaner, keeping the newest record of each key (and tombstones
//! for `delete.retention.ms`). `compact,delete` does both. Consumers whose offset falls below
//! the new log start get OFFSET_OUT_OF_RANGE and follow auto.offset.reset.
//!
//! Simplifications: the log cleaner runs at the same interval as the retention check (Kafka's
//! cleaner threads back off for `log.cleaner.backoff.ms`); followers drop records below the
//! leader's new log start at the same moment (Kafka's follow on their next fetch); segments
//! are not merged after cleaning.
use crate::sim::engine::Sim;
use crate::sim::event::Event;
use crate::sim::log::Record;
use crate::sim::ordered::ValuesMut;
use crate::sim::partition::in_aborted_transaction;

impl Sim {
    pub(crate) fn run_log_maintenance(&mut self) {
        let interval = self.config.log_retention_check_interval_ms;
        if self.now_ms.saturating_sub(self.last_log_check_ms) < interval {
            return;
        }
        self.last_log_check_ms = self.now_ms;
        let now = self.now_ms;
        let running = self.eligible_brokers();
        for topic in self.topics.values_mut() {
            let config = topic.config.clone();
            for partition in &mut topic.partitions {
                let Some(leader) = partition.leader.filter(|l| running.contains(l)) else {
                    continue;
                };
                let high_watermark = partition.high_watermark();
                if config.cleanup_policy.delete {
                    let cut = partition.replica(leader).and_then(|r| {
                        r.log.retention_cut(
                            now,
                            high_watermark,
                            config.retention_ms,
                            config.retention_bytes,
                        )
                    });
                    if let Some((log_start, reason)) = cut {
                        let mut deleted = 0;
                        for replica in &mut partition.replicas {
                            let removed = replica.log.delete_below(log_start);
                            if replica.broker == leader {
                                deleted = removed;
                            }
                        }
                        partition.aborted.retain(|a| a.last >= log_start);
                        self.events.push(now, Event::SegmentsDeleted {
                                topic: topic.name.clone(),
                                partition: partition.id,
                                records: deleted,
                                log_start,
                                reason: format!(
                                    "{reason}: {}",
                                    match reason {
                                        "retention.ms" => format!("records older than {} ms", config.retention_ms),
                                        _ => format!("over {} bytes", config.retention_bytes),
                                    }
                                ),
                            },
                        );
                    }
                }
                if config.cleanup_policy.compact {
                    let stable = partition.last_stable_offset();
                    let aborted = &partition.aborted;
                    let is_aborted = |record: &Record| in_aborted_transaction(aborted, record);
                    for replica in partition
                        .replicas
                        .iter_mut()
                        .filter(|r| running.contains(&r.broker))
                    {
                        let clean_end = replica.high_watermark.min(stable);
                        let cleaned = replica.log.compact(
                            now,
                            clean_end,
                            config.min_cleanable_dirty_ratio(),
                            config.delete_retention_ms.max(0) as u64,
                            &is_aborted,
                        );
                        if let (Some(cleaned), true) = (cleaned, replica.broker == leader)
                            && cleaned.superseded + cleaned.tombstones > 0
                        {
                            self.events.push(
                                now,
                                Event::LogCompacted {
                                    topic: topic.name.clone(),
                                    partition: partition.id,
                                    removed: cleaned.superseded,
                                    tombstones: cleaned.tombstones,
                                },
                            );
                        }
                    }
                }
            }
        }
    }
}
