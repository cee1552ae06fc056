//! The engine's side of `offsets.rs`: the `Sim` methods that route commands and the clock to it.
use crate::sim::command::Outcome;
use crate::sim::coordinator::{Group, GroupState};
use crate::sim::engine::Sim;
use crate::sim::error::SimError;
use crate::sim::event::Event;
use crate::sim::ids::Offset;
use crate::sim::offsets::CommittedOffset;
use crate::sim::types::{GroupProtocol, ResetSpec};

impl Sim {
    /// Resets a group's committed offsets for every partition of `topic` (with `None`, every
    /// partition it has an offset for), only while the group has no active members, as
    /// `ConsumerGroupCommand.resetOffsets` does; a shift needs an offset to shift from
    /// (`prepareOffsetsToReset`). A group the coordinator does not know (or a deleted one) is
    /// created, Empty, as Kafka's coordinator creates a classic group for an admin commit
    /// (`OffsetMetadataManager.commitOffset`): how a new group is placed before its first
    /// consumer starts.
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
        let for_all_topics = topic.is_none();
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
        let mut moves = Vec::new();
        for topic in &topics {
            let Some(t) = self.topics.get(topic) else {
                continue;
            };
            for partition in &t.partitions {
                let start = partition.log_start();
                let end = partition.high_watermark();
                let current = self.offsets.committed(group, topic, partition.id);
                if for_all_topics && current.is_none() {
                    continue;
                }
                let target = match spec {
                    ResetSpec::Earliest => start,
                    ResetSpec::Latest => end,
                    ResetSpec::ToOffset(offset) => Offset(offset),
                    ResetSpec::ShiftBy(delta) => {
                        let Some(from) = current else {
                            return Err(SimError::NothingToShift {
                                topic: topic.clone(),
                                partition: partition.id,
                            });
                        };
                        Offset(from.0.saturating_add_signed(delta))
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
        self.find_coordinator();
        if self
            .groups
            .get(group)
            .is_none_or(|g| g.state == GroupState::Dead)
        {
            self.groups.insert(
                group.to_owned(),
                Group::new(group.to_owned(), GroupProtocol::Classic),
            );
        }
        for (topic, partition, from, to) in moves {
            // The admin client commits no leader epoch (`new OffsetAndMetadata(offset)`).
            let committed = CommittedOffset {
                offset: to,
                leader_epoch: None,
            };
            self.offsets.commit(group, &topic, partition, committed);
            self.emit(Event::OffsetReset {
                group: group.to_owned(),
                topic,
                partition,
                from,
                to,
            });
        }
        Ok(Outcome::Done)
    }
}
