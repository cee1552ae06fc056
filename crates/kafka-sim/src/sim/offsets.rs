//! Committed offsets, as Kafka keeps them in `__consumer_offsets`: per group and partition, the
//! next offset to read (last processed + 1). They outlive the consumers that committed them.

use crate::sim::command::Outcome;
use crate::sim::engine::Sim;
use crate::sim::error::SimError;
use crate::sim::event::Event;
use crate::sim::ids::{Offset, PartitionId};
use crate::sim::ordered::{Map, ValuesMut};
use serde::{Deserialize, Serialize};

/// group → topic → partition → committed offset.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsetStore {
    committed: Map<String, Map<String, Map<PartitionId, Offset>>>,
}

impl OffsetStore {
    pub fn committed(&self, group: &str, topic: &str, partition: PartitionId) -> Option<Offset> {
        self.committed
            .get(group)?
            .get(topic)?
            .get(&partition)
            .copied()
    }

    /// The topics a group has committed offsets for.
    pub fn topics_of(&self, group: &str) -> Vec<String> {
        self.committed
            .get(group)
            .map(|topics| topics.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Every committed offset of a group: topic → partition → offset.
    pub fn of_group(&self, group: &str) -> Option<&Map<String, Map<PartitionId, Offset>>> {
        self.committed.get(group)
    }

    /// Forgets a deleted group's offsets.
    pub fn remove_group(&mut self, group: &str) -> bool {
        self.committed.remove(group).is_some()
    }

    /// Forgets every group's offsets for a deleted topic.
    pub fn remove_topic(&mut self, topic: &str) {
        for topics in self.committed.values_mut() {
            topics.remove(topic);
        }
    }

    /// Stores `offset` and says whether it differs from what was committed before.
    pub fn commit(
        &mut self,
        group: &str,
        topic: &str,
        partition: PartitionId,
        offset: Offset,
    ) -> bool {
        let previous = self
            .committed
            .entry(group.to_owned())
            .or_default()
            .entry(topic.to_owned())
            .or_default()
            .insert(partition, offset);
        previous != Some(offset)
    }
}

/// Where `kafka-consumer-groups.sh --reset-offsets` moves a group's offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResetSpec {
    /// `--to-earliest`: the log start offset.
    Earliest,
    /// `--to-latest`: the high watermark.
    Latest,
    /// `--to-offset N`, kept within the log.
    ToOffset(u64),
    /// `--shift-by N` from the committed offset, kept within the log.
    ShiftBy(i64),
    /// `--to-datetime`: the first record with a timestamp at or after this virtual time (ms),
    /// or the high watermark if there is none.
    ToDatetime(u64),
}

impl Sim {
    /// Resets a group's committed offsets for `topic` (every topic it has offsets for with
    /// `None`), only while the group has no active members, as Kafka requires.
    pub(crate) fn reset_offsets(
        &mut self,
        group: &str,
        topic: Option<&str>,
        spec: ResetSpec,
    ) -> Result<Outcome, SimError> {
        if let Some(g) = self.groups.get(group)
            && !g.is_inactive()
        {
            return Err(SimError::GroupNotInactive {
                group: group.to_owned(),
                state: g.state.to_string(),
            });
        }
        let topics: Vec<String> = match topic {
            Some(topic) => {
                self.topic_ref(topic)?;
                vec![topic.to_owned()]
            }
            None => self.offsets.topics_of(group),
        };
        if topics.is_empty() {
            return Err(SimError::UnknownGroup {
                group: group.to_owned(),
            });
        }
        let now = self.now_ms;
        let mut moves = Vec::new();
        for topic in &topics {
            let Some(t) = self.topics.get(topic) else {
                continue;
            };
            for partition in &t.partitions {
                let start = partition.log_start();
                let end = partition.high_watermark();
                let current = self.offsets.committed(group, topic, partition.id);
                let target = match spec {
                    ResetSpec::Earliest => start,
                    ResetSpec::Latest => end,
                    ResetSpec::ToOffset(offset) => Offset(offset),
                    ResetSpec::ShiftBy(delta) => {
                        let from = current.unwrap_or(end).0;
                        Offset(from.saturating_add_signed(delta))
                    }
                    ResetSpec::ToDatetime(ms) => partition
                        .leader_replica()
                        .and_then(|r| {
                            r.log
                                .records()
                                .iter()
                                .find(|r| r.timestamp_ms >= ms && r.offset < end)
                        })
                        .map_or(end, |r| r.offset),
                };
                let target = target.clamp(start, end.max(start));
                moves.push((topic.clone(), partition.id, current, target));
            }
        }
        for (topic, partition, from, to) in moves {
            self.offsets.commit(group, &topic, partition, to);
            self.events.push(
                now,
                Event::OffsetReset {
                    group: group.to_owned(),
                    topic,
                    partition,
                    from,
                    to,
                },
            );
        }
        Ok(Outcome::Done)
    }
}
