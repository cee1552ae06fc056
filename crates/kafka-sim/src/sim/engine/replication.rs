//! Replication on the clock: every tick each running follower fetches once from its running
//! leader (a slow broker's followers once a second, `network.rs`), and leaders drop followers
//! that fell more than `replica.lag.time.max.ms` behind. The acknowledged records a follower's
//! truncation removes are counted as lost.
//!
//! Simplification: a follower fetches once per tick, so a record reaches the followers one
//! tick after it is written and the high watermark passes it the tick after that (Kafka's
//! followers fetch continuously, with the same two rounds).
use crate::sim::broker::Broker;
use crate::sim::engine::Sim;
use crate::sim::engine::shutdown::below_min_isr;
use crate::sim::event::Event;
use crate::sim::ids::{BrokerId, PartitionId};
use crate::sim::log::SegmentRules;
use crate::sim::network::{SLOW_FETCH_INTERVAL_MS, SLOW_FETCH_MAX_BYTES};
use crate::sim::ordered::{ValuesMut, set_of};
use crate::sim::partition::ReplicationSettings;

impl Sim {
    pub(crate) fn replicate(&mut self) {
        let running = self.eligible_brokers();
        // A follower joins the ISR through the controller (AlterPartition): not while no
        // controller has a majority.
        let may_join = self.quorum.has_majority();
        let now = self.now_ms;
        let lag_max_ms = self.config.replica_lag_time_max_ms;
        let fetch_max_bytes = self.config.replica_fetch_max_bytes;
        let slow = set_of(
            self.brokers
                .values()
                .filter(|b| b.faults.slow)
                .map(|b| b.id),
        );
        let slow_fetch_due = now % SLOW_FETCH_INTERVAL_MS < self.config.tick_ms;
        let brokers = &self.brokers;
        let cut_at = |b: BrokerId| brokers.get(&b).and_then(Broker::cut_from_controller_at_ms);
        let mut diverged = Vec::new();
        for topic in self.topics.values_mut() {
            let settings = ReplicationSettings {
                lag_max_ms,
                fetch_max_bytes,
                min_insync_replicas: topic.config.min_insync_replicas,
                segments: topic.config.segment_rules(),
            };
            for partition in &mut topic.partitions {
                let Some(leader) = partition.leader.filter(|l| running.contains(l)) else {
                    continue;
                };
                // A leader cut off from the controller cannot add to its ISR: its
                // AlterPartition requests do not arrive.
                let leader_cut = cut_at(leader).is_some();
                // A zombie believes it leads, so it does not follow.
                let followers: Vec<BrokerId> = partition
                    .replicas
                    .iter()
                    .map(|r| r.broker)
                    .filter(|b| *b != leader && running.contains(b))
                    .filter(|b| partition.zombie_leadership(*b, cut_at(*b)).is_none())
                    .filter(|b| slow_fetch_due || !slow.contains(b))
                    .collect();
                for follower in followers {
                    let settings = if slow.contains(&follower) {
                        ReplicationSettings {
                            fetch_max_bytes: settings.fetch_max_bytes.min(SLOW_FETCH_MAX_BYTES),
                            ..settings
                        }
                    } else {
                        settings
                    };
                    let report = partition.fetch(follower, now, &settings, &|b| {
                        may_join && !leader_cut && running.contains(&b)
                    });
                    let id = partition.id;
                    if let Some((removed, high_watermark)) = report.diverged {
                        diverged.push((topic.name.clone(), id, follower, removed, high_watermark));
                    }
                    if let Some((from, records)) = report.truncated {
                        self.events.push(
                            now,
                            Event::RecordsTruncated {
                                topic: topic.name.clone(),
                                partition: id,
                                broker: follower,
                                from,
                                records,
                            },
                        );
                    }
                    if report.joined_isr {
                        self.events.push(
                            now,
                            Event::IsrExpanded {
                                topic: topic.name.clone(),
                                partition: id,
                                broker: follower,
                                isr: partition.isr.clone(),
                            },
                        );
                    }
                    if report.elr_changed {
                        let min_isr = partition.effective_min_isr(settings.min_insync_replicas);
                        let reason = if partition.isr.len() >= min_isr {
                            format!(
                                "the ISR is back at min.insync.replicas ({min_isr}), so none are needed"
                            )
                        } else {
                            format!("broker {follower} rejoined the ISR")
                        };
                        self.events.push(
                            now,
                            Event::ElrChanged {
                                topic: topic.name.clone(),
                                partition: id,
                                elr: partition.elr.clone(),
                                reason,
                            },
                        );
                    }
                    if let Some(high_watermark) = report.high_watermark {
                        self.events.push(
                            now,
                            Event::HighWatermarkAdvanced {
                                topic: topic.name.clone(),
                                partition: id,
                                high_watermark,
                            },
                        );
                    }
                    if let Some((from, to)) = report.copied {
                        self.events.push(
                            now,
                            Event::ReplicaFetched {
                                topic: topic.name.clone(),
                                partition: id,
                                broker: follower,
                                from,
                                to,
                            },
                        );
                    }
                }
            }
        }
        for (topic, partition, broker, removed, high_watermark) in diverged {
            self.count_acknowledged_losses(&topic, partition, broker, &removed, high_watermark);
        }
        self.replicate_offsets_topic();
    }

    /// `__consumer_offsets`' running followers outside the ISR fetch and rejoin it. Its records
    /// are not modelled (`offsets_topic.rs`), so the followers in the ISR have nothing to fetch
    /// and one fetch brings a returning one back; nothing is reported.
    fn replicate_offsets_topic(&mut self) {
        let running = self.eligible_brokers();
        let now = self.now_ms;
        let settings = ReplicationSettings {
            lag_max_ms: self.config.replica_lag_time_max_ms,
            fetch_max_bytes: self.config.replica_fetch_max_bytes,
            min_insync_replicas: 1,
            segments: SegmentRules::UNLIMITED,
        };
        let Some(topic) = self.offsets_topic.as_mut() else {
            return;
        };
        for partition in &mut topic.partitions {
            if !partition.leader.is_some_and(|l| running.contains(&l)) {
                continue;
            }
            let returning: Vec<BrokerId> = partition
                .assignment
                .iter()
                .copied()
                .filter(|b| running.contains(b) && !partition.in_isr(*b))
                .collect();
            for follower in returning {
                partition.fetch(follower, now, &settings, &|b| running.contains(&b));
            }
        }
    }

    /// The leader of a partition moves its high watermark if it can (after its ISR or its
    /// leadership changed), reporting it.
    pub(crate) fn advance_high_watermark(&mut self, topic: &str, p: PartitionId) {
        let settings = self.replication_settings(topic);
        let running = self.eligible_brokers();
        let now = self.now_ms;
        let Some(partition) = self.topics.get_mut(topic).and_then(|t| t.partition_mut(p)) else {
            return;
        };
        if !partition.leader.is_some_and(|l| running.contains(&l)) {
            return;
        }
        if let Some(high_watermark) =
            partition.maybe_increment_high_watermark(now, &settings, &|b| running.contains(&b))
        {
            self.events.push(
                now,
                Event::HighWatermarkAdvanced {
                    topic: topic.to_owned(),
                    partition: partition.id,
                    high_watermark,
                },
            );
        }
    }

    /// Leaders remove in-sync followers that are no longer caught up (`maybeShrinkIsr`),
    /// through the controller (AlterPartition): not while no controller has a majority. Below
    /// min.insync.replicas the controller keeps them as eligible leader replicas. Not a leader
    /// cut off from the controller: its AlterPartition cannot arrive, and Kafka keeps the old
    /// ISR while the change is pending.
    pub(crate) fn shrink_isrs(&mut self) {
        if !self.quorum.has_majority() {
            return;
        }
        let running = self.eligible_brokers();
        let now = self.now_ms;
        let lag_max_ms = self.config.replica_lag_time_max_ms;
        let brokers = &self.brokers;
        let connected = |b: BrokerId| {
            running.contains(&b)
                && brokers
                    .get(&b)
                    .is_some_and(|b| b.faults.cut_from_controller_at_ms.is_none())
        };
        let mut shrunk = Vec::new();
        for topic in self.topics.values_mut() {
            for partition in &mut topic.partitions {
                if !partition.leader.is_some_and(connected) {
                    continue;
                }
                let min_isr = partition.effective_min_isr(topic.config.min_insync_replicas);
                for broker in partition.lagging_followers(now, lag_max_ms) {
                    shrunk.push((topic.name.clone(), partition.id));
                    let (_, elr_changed) = partition.remove_from_isr(broker, min_isr, false);
                    self.events.push(
                        now,
                        Event::IsrShrunk {
                            topic: topic.name.clone(),
                            partition: partition.id,
                            broker,
                            isr: partition.isr.clone(),
                            reason: format!(
                                "fell behind for more than replica.lag.time.max.ms ({} s)",
                                lag_max_ms / 1000
                            ),
                        },
                    );
                    if elr_changed {
                        self.events.push(
                            now,
                            Event::ElrChanged {
                                topic: topic.name.clone(),
                                partition: partition.id,
                                elr: partition.elr.clone(),
                                reason: below_min_isr(broker, min_isr),
                            },
                        );
                    }
                }
            }
        }
        for (topic, p) in shrunk {
            self.advance_high_watermark(&topic, p);
        }
    }
}
