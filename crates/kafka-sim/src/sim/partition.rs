//! A partition: its assigned replicas, its leader and leader epoch, the in-sync replica set
//! (ISR) and the leader-side rules that move the high watermark, follow Kafka's
//! `Partition.scala`: followers fetch from the leader; the leader tracks when each was last
//! caught up, grows and shrinks the ISR, and sets the high watermark to the smallest LEO among
//! the replicas it must wait for. The leader also checks and appends produced batches
//! (`appendRecordsToLeader` with the idempotent producer's sequence checks), and the
//! controller's elections pick its leader (`PartitionChangeBuilder.electLeader`), with the
//! eligible leader replicas of `eligible_leaders.rs`.
use crate::sim::event::ElectionKind;
use crate::sim::ids::{BrokerId, LeaderEpoch, Offset, PartitionId, ProducerEpoch, ProducerId};
use crate::sim::log::{Record, SegmentRules};
use crate::sim::network::{AcknowledgedLosses, LastLeadership};
use crate::sim::ordered::Map;
use crate::sim::ordered::sort_by_key;
use crate::sim::producer::{Batch, increment_sequence};
use crate::sim::reassignment::ReassignmentReplicas;
use crate::sim::replica::{FollowerState, Replica};
use crate::sim::types::{Acks, IsolationLevel, ProduceError};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The settings replication runs with (broker settings and the topic's min.insync.replicas).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplicationSettings {
    /// `replica.lag.time.max.ms`.
    pub lag_max_ms: u64,
    /// `replica.fetch.max.bytes`.
    pub fetch_max_bytes: u64,
    /// The topic's `min.insync.replicas`.
    pub min_insync_replicas: u32,
    /// The topic's `segment.bytes` and `segment.ms`.
    pub segments: SegmentRules,
}

/// What one follower fetch did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FetchReport {
    /// The follower first truncated its log to this offset, removing this many records.
    pub truncated: Option<(Offset, u64)>,
    /// The records a truncation removed where the follower's log diverged from the leader's
    /// (not those below the leader's log start), and the follower's high watermark before it:
    /// the engine counts the acknowledged ones as lost (`network::AcknowledgedLosses`).
    pub diverged: Option<(Vec<Arc<Record>>, Offset)>,
    /// It copied the records `from..to`.
    pub copied: Option<(Offset, Offset)>,
    /// The leader took it back into the ISR.
    pub joined_isr: bool,
    /// Joining changed the eligible leader replicas (it left them, or the ISR reached
    /// min.insync.replicas and they were cleared).
    pub elr_changed: bool,
    /// The leader's high watermark moved to this offset.
    pub high_watermark: Option<Offset>,
}

/// One batch of a produce request, as the partition's leader receives it.
#[derive(Clone, Copy, Debug)]
pub struct LeaderProduce<'a> {
    /// The broker the producer sent it to, believing it the leader.
    pub broker: BrokerId,
    /// The producer's client id, stamped on each record.
    pub producer: &'a str,
    /// The idempotent producer's id, if it has one.
    pub producer_id: Option<ProducerId>,
    pub batch: &'a Batch,
    pub acks: Acks,
    /// The producer still holds a batch for this partition with an earlier sequence, so a gap
    /// in the sequence is out of order rather than records that will never come.
    pub earlier_pending: bool,
    pub now_ms: u64,
}

/// What the leader did with a produced batch it accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Produced {
    /// Appended at `from..to`; the high watermark moved to `high_watermark` if it advanced.
    Appended {
        from: Offset,
        to: Offset,
        high_watermark: Option<Offset>,
    },
    /// A retry of a batch the log already holds at `from..to`: not appended again.
    Duplicate { from: Offset, to: Offset },
}

/// The leader a produce request meets: its epoch and the size of the ISR it knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeaderRole {
    pub epoch: LeaderEpoch,
    pub isr: usize,
}

/// A change of leadership, for the controller to report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Election {
    pub from: Option<BrokerId>,
    /// `None` takes the partition offline.
    pub to: Option<BrokerId>,
    /// The new leader epoch.
    pub epoch: LeaderEpoch,
    pub kind: ElectionKind,
    /// What an unclean election threw away, if anything.
    pub lost: Option<LostRecords>,
}

/// Records an unclean election left behind on replicas the new leader does not have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LostRecords {
    /// The replica that held the most of them.
    pub holder: BrokerId,
    /// The lost offsets, `from..to`.
    pub from: Offset,
    pub to: Offset,
    /// How many of them were below the old high watermark: acknowledged to acks=all.
    pub committed: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partition {
    pub id: PartitionId,
    /// The assigned replicas, preferred leader first.
    pub assignment: Vec<BrokerId>,
    /// One per assigned broker (those a reassignment is adding included).
    pub replicas: Vec<Replica>,
    /// `None` while the partition is offline.
    pub leader: Option<BrokerId>,
    pub leader_epoch: LeaderEpoch,
    /// In assignment order. Empty when its last member's broker is gone (ELR on).
    pub isr: Vec<BrokerId>,
    /// Eligible leader replicas (KIP-966, `eligible_leaders.rs`): replicas that left the ISR
    /// while it was below min.insync.replicas, so hold every committed record. In assignment
    /// order, never in the ISR.
    pub elr: Vec<BrokerId>,
    /// The last leader, kept while the ISR is empty and the partition has none
    /// (`LastKnownElr` as Kafka uses it by default, the last known leader).
    pub last_known_elr: Vec<BrokerId>,
    /// The replicas an ongoing reassignment is adding and removing, ascending (Kafka's
    /// `addingReplicas` and `removingReplicas`); both are in `assignment` while it runs.
    pub adding_replicas: Vec<BrokerId>,
    pub removing_replicas: Vec<BrokerId>,
    /// Records lost to leader elections so far (shown, never hidden).
    pub lost_records: u64,
    /// When the current leader took over (or the partition went offline): a broker cut off
    /// from the controller before then never heard that it leads (`zombie.rs`).
    pub leader_since_ms: u64,
    /// Records acknowledged to their producers and later truncated away, counted once each.
    pub acknowledged_losses: AcknowledgedLosses,
    /// Open transactions: producer id → the first offset it wrote here in the transaction.
    pub open_transactions: Map<ProducerId, Offset>,
    /// Aborted transactions, oldest first: read_committed consumers skip their records.
    pub aborted: Vec<AbortedTransaction>,
    /// The newest epoch seen of each producer id, from its batches and its transactions'
    /// markers (Kafka's `ProducerStateEntry.producerEpoch`). Simplification: kept per partition,
    /// as if every replica rebuilt it from the same batches; Kafka keeps it per replica.
    pub producer_epochs: Map<ProducerId, ProducerEpoch>,
}

/// A transaction that was aborted: a producer's records from `first` to the abort marker at
/// `last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbortedTransaction {
    pub producer: ProducerId,
    pub first: Offset,
    pub last: Offset,
}

/// Whether `record` is a data record of one of the `aborted` transactions: read_committed
/// consumers skip it and the log cleaner removes it.
pub fn in_aborted_transaction(aborted: &[AbortedTransaction], record: &Record) -> bool {
    record.transactional
        && record.control.is_none()
        && record.sequence.is_some_and(|(producer, _)| {
            aborted.iter().any(|a| {
                a.producer == producer && a.first <= record.offset && record.offset <= a.last
            })
        })
}

/// What a consumer fetch gets from a partition: the records to return, and where the next
/// fetch starts (past any records it skipped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Readable {
    pub records: Vec<Arc<Record>>,
    pub next: Offset,
    /// The leader epoch of the last record read, returned or skipped (the consumer's
    /// `CompletedFetch.lastEpoch`), if it read any.
    pub last_epoch: Option<LeaderEpoch>,
}

impl Partition {
    /// A new partition as the controller registers it (`ReplicationControlManager
    /// .buildPartitionRegistration`): the ISR is the replicas on active (unfenced) brokers, in
    /// assignment order, and its first member leads in epoch 0.
    pub fn new(
        id: PartitionId,
        assignment: Vec<BrokerId>,
        isr: Vec<BrokerId>,
        now_ms: u64,
    ) -> Partition {
        let leader = isr.first().copied();
        let mut replicas: Vec<Replica> = assignment
            .iter()
            .map(|&b| Replica::new(b, now_ms))
            .collect();
        if let Some(first) = replicas.iter_mut().find(|r| Some(r.broker) == leader) {
            first.log.start_epoch(LeaderEpoch(0));
        }
        Partition {
            id,
            leader,
            isr,
            elr: Vec::new(),
            last_known_elr: Vec::new(),
            assignment,
            replicas,
            leader_epoch: LeaderEpoch(0),
            adding_replicas: Vec::new(),
            removing_replicas: Vec::new(),
            lost_records: 0,
            leader_since_ms: now_ms,
            acknowledged_losses: AcknowledgedLosses::default(),
            open_transactions: Map::new(),
            aborted: Vec::new(),
            producer_epochs: Map::new(),
        }
    }

    /// The partition's reassignment lists as the controller holds them.
    pub fn reassignment(&self) -> ReassignmentReplicas {
        ReassignmentReplicas {
            replicas: self.assignment.clone(),
            adding: self.adding_replicas.clone(),
            removing: self.removing_replicas.clone(),
        }
    }

    /// `ProducerAppendInfo.checkProducerEpoch` at the leader: a batch (or marker) of an epoch
    /// older than the newest this partition has seen from its producer id is refused with
    /// INVALID_PRODUCER_EPOCH (`InvalidProducerEpochException`, which Kafka returns to
    /// producers since 2.7 instead of the fatal PRODUCER_FENCED).
    pub fn check_producer_epoch(
        &self,
        producer_id: ProducerId,
        epoch: ProducerEpoch,
    ) -> Result<(), ProduceError> {
        match self.producer_epochs.get(&producer_id) {
            Some(newest) if epoch < *newest => Err(ProduceError::InvalidProducerEpoch {
                epoch: epoch.0,
                newest: newest.0,
            }),
            _ => Ok(()),
        }
    }

    /// Notes an append of `producer_id` at `epoch` (a batch, or a marker written with the
    /// coordinator's bumped epoch): later batches of older epochs are refused.
    pub fn note_producer_epoch(&mut self, producer_id: ProducerId, epoch: ProducerEpoch) {
        let newest = self.producer_epochs.entry(producer_id).or_insert(epoch);
        *newest = (*newest).max(epoch);
    }

    /// The last stable offset: where the first open transaction begins, or the high watermark.
    pub fn last_stable_offset(&self) -> Offset {
        let high_watermark = self.high_watermark();
        self.open_transactions
            .values()
            .copied()
            .min()
            .map_or(high_watermark, |first| first.min(high_watermark))
    }

    /// The end a consumer with `isolation` may read up to.
    pub fn visible_end(&self, isolation: IsolationLevel) -> Offset {
        match isolation {
            IsolationLevel::ReadUncommitted => self.high_watermark(),
            IsolationLevel::ReadCommitted => self.last_stable_offset(),
        }
    }

    /// Up to `max` records from the leader's log from `from` below the visible end. Markers are
    /// never returned; with read_committed neither are records of aborted transactions.
    pub fn readable(&self, from: Offset, max: usize, isolation: IsolationLevel) -> Readable {
        let end = self.visible_end(isolation);
        let Some(leader) = self.leader_replica() else {
            return Readable {
                records: Vec::new(),
                next: from,
                last_epoch: None,
            };
        };
        let mut records = Vec::new();
        let mut next = from;
        let mut last_epoch = None;
        for record in leader.log.read(from, end, usize::MAX, u64::MAX) {
            if records.len() >= max {
                break;
            }
            next = record.offset.next();
            last_epoch = Some(record.leader_epoch);
            let aborted = isolation == IsolationLevel::ReadCommitted
                && record.transactional
                && in_aborted_transaction(&self.aborted, record);
            if record.control.is_none() && !aborted {
                records.push(Arc::clone(record));
            }
        }
        Readable {
            records,
            next,
            last_epoch,
        }
    }

    pub fn replica(&self, broker: BrokerId) -> Option<&Replica> {
        self.replicas.iter().find(|r| r.broker == broker)
    }

    pub fn replica_mut(&mut self, broker: BrokerId) -> Option<&mut Replica> {
        self.replicas.iter_mut().find(|r| r.broker == broker)
    }

    pub fn leader_replica(&self) -> Option<&Replica> {
        self.leader.and_then(|b| self.replica(b))
    }

    pub fn leader_replica_mut(&mut self) -> Option<&mut Replica> {
        let leader = self.leader?;
        self.replica_mut(leader)
    }

    /// The high watermark consumers see: the leader's, or while offline the highest any replica
    /// knew.
    pub fn high_watermark(&self) -> Offset {
        match self.leader_replica() {
            Some(leader) => leader.high_watermark,
            None => self
                .replicas
                .iter()
                .map(|r| r.high_watermark)
                .max()
                .unwrap_or_default(),
        }
    }

    /// The leader's log end offset, or while offline the highest any replica has.
    pub fn log_end(&self) -> Offset {
        match self.leader_replica() {
            Some(leader) => leader.log.end_offset(),
            None => self
                .replicas
                .iter()
                .map(|r| r.log.end_offset())
                .max()
                .unwrap_or_default(),
        }
    }

    pub fn log_start(&self) -> Offset {
        self.leader_replica()
            .or_else(|| self.replicas.first())
            .map(|r| r.log.start_offset())
            .unwrap_or_default()
    }

    pub fn in_isr(&self, broker: BrokerId) -> bool {
        self.isr.contains(&broker)
    }

    /// Led by its preferred (first assigned) replica (`PartitionRegistration.hasPreferredLeader`):
    /// an offline partition is not, so the controller's leader balance check keeps coming back
    /// to it.
    pub fn has_preferred_leader(&self) -> bool {
        self.leader == self.assignment.first().copied()
    }

    /// min(min.insync.replicas, replica count), as Kafka applies it.
    pub fn effective_min_isr(&self, min_insync_replicas: u32) -> usize {
        (min_insync_replicas as usize).min(self.replicas.len())
    }

    pub fn is_under_min_isr(&self, min_insync_replicas: u32) -> bool {
        self.isr.len() < self.effective_min_isr(min_insync_replicas)
    }

    /// Appends records at the leader, numbering them from its LEO in the current epoch.
    /// Returns the offsets used, or `None` without a leader.
    pub fn append_as_leader(
        &mut self,
        records: impl IntoIterator<Item = Record>,
        rules: &SegmentRules,
    ) -> Option<(Offset, Offset)> {
        let leader = self.leader?;
        self.append_at(leader, self.leader_epoch, records, rules)
    }

    /// Appends records to `broker`'s replica as its leader in `epoch`, numbering them from its
    /// LEO. Returns the offsets used, or `None` without such a replica.
    pub(crate) fn append_at(
        &mut self,
        broker: BrokerId,
        epoch: LeaderEpoch,
        records: impl IntoIterator<Item = Record>,
        rules: &SegmentRules,
    ) -> Option<(Offset, Offset)> {
        let leader = self.replica_mut(broker)?;
        let first = leader.log.end_offset();
        let mut records = records.into_iter().peekable();
        let mut offset = first;
        let numbered = std::iter::from_fn(|| {
            let mut record = records.next()?;
            record.offset = offset;
            record.leader_epoch = epoch;
            record.last_in_batch = records.peek().is_none();
            offset = offset.next();
            Some(Arc::new(record))
        });
        leader.append(numbered, rules);
        Some((first, leader.log.end_offset()))
    }

    /// The leader's side of a produce request for one batch: refused unless `broker` leads,
    /// with acks=all refused below min.insync.replicas; an idempotent producer's retry the log
    /// already holds is not appended again, and a sequence gap is refused while an earlier
    /// batch is still pending. Otherwise the records are appended, a transactional producer's
    /// transaction opens here, and the high watermark may advance.
    pub fn produce(
        &mut self,
        request: LeaderProduce,
        settings: &ReplicationSettings,
        eligible: &dyn Fn(BrokerId) -> bool,
    ) -> Result<Produced, ProduceError> {
        if self.leader != Some(request.broker) {
            return Err(ProduceError::NotLeaderOrFollower {
                broker: request.broker,
            });
        }
        let role = LeaderRole {
            epoch: self.leader_epoch,
            isr: self.isr.len(),
        };
        let (from, to) = match self.append_produced(request, role, settings)? {
            Produced::Appended { from, to, .. } => (from, to),
            duplicate => return Ok(duplicate),
        };
        if let (true, Some(pid)) = (request.batch.transactional, request.producer_id) {
            self.open_transactions.entry(pid).or_insert(from);
        }
        let high_watermark =
            self.maybe_increment_high_watermark(request.now_ms, settings, eligible);
        Ok(Produced::Appended {
            from,
            to,
            high_watermark,
        })
    }

    /// What `produce` checks and appends at `request.broker`'s replica as the leader `role`
    /// describes (the partition's leader, or a zombie in the epoch it believes in): acks=all
    /// below min.insync.replicas is refused, an idempotent retry is found, a sequence gap
    /// refused; otherwise the batch is appended. The high watermark is the caller's.
    pub(crate) fn append_produced(
        &mut self,
        request: LeaderProduce,
        role: LeaderRole,
        settings: &ReplicationSettings,
    ) -> Result<Produced, ProduceError> {
        let LeaderProduce {
            broker,
            producer,
            producer_id,
            batch,
            acks,
            earlier_pending,
            now_ms: _,
        } = request;
        let min_insync_replicas = settings.min_insync_replicas;
        if acks == Acks::All && role.isr < self.effective_min_isr(min_insync_replicas) {
            return Err(ProduceError::NotEnoughReplicas {
                isr: role.isr as u32,
                min_insync_replicas,
            });
        }
        if let Some(pid) = producer_id {
            self.check_producer_epoch(pid, batch.producer_epoch)?;
        }
        // The first batch of a newer epoch starts the producer's sequence afresh: Kafka looks
        // for duplicates and gaps within one epoch only (`ProducerAppendInfo.checkSequence`,
        // `ProducerStateEntry.findDuplicateBatch`). Simplification: Kafka also wants it to
        // start at sequence 0; the playground's producers keep counting across their epochs.
        let new_epoch = producer_id.is_some_and(|pid| {
            self.producer_epochs
                .get(&pid)
                .is_some_and(|newest| batch.producer_epoch > *newest)
        });
        let sequence = producer_id.zip(batch.base_sequence);
        if let Some((pid, base)) = sequence
            && !new_epoch
            && let Some((from, to)) =
                self.check_sequence(broker, pid, base, batch.len() as u32, earlier_pending)?
        {
            return Ok(Produced::Duplicate { from, to });
        }
        let epoch = role.epoch;
        let transactional = batch.transactional;
        let producer: Arc<str> = Arc::from(producer);
        let records = batch.records.iter().zip(0u32..).map(|(r, i)| Record {
            offset: Offset(0),
            leader_epoch: epoch,
            timestamp_ms: r.created_ms,
            key: r.key.clone(),
            value: r.value.clone(),
            producer: producer.clone(),
            producer_seq: r.producer_seq,
            sequence: sequence.map(|(pid, base)| (pid, increment_sequence(base, i))),
            partition_choice: r.choice.clone(),
            transactional,
            control: None,
            last_in_batch: false,
        });
        let (from, to) = self
            .append_at(broker, epoch, records, &settings.segments)
            .ok_or(ProduceError::NotLeaderOrFollower { broker })?;
        if let Some(pid) = producer_id {
            self.note_producer_epoch(pid, batch.producer_epoch);
            if transactional {
                self.open_transactions.entry(pid).or_insert(from);
            }
        }
        Ok(Produced::Appended {
            from,
            to,
            high_watermark: None,
        })
    }

    /// The idempotent producer's checks at `broker`'s replica, leading, for a batch of `count`
    /// records from sequence `base`: the offsets `from..to` of a retry the log already holds, or
    /// OUT_OF_ORDER_SEQUENCE_NUMBER for a gap while an earlier batch is pending.
    fn check_sequence(
        &self,
        broker: BrokerId,
        producer_id: ProducerId,
        base: u32,
        count: u32,
        earlier_pending: bool,
    ) -> Result<Option<(Offset, Offset)>, ProduceError> {
        let Some(leader) = self.replica(broker) else {
            return Ok(None);
        };
        let last = leader.last_sequence(producer_id);
        if last.is_some_and(|l| base <= l)
            && let Some((from, last_offset)) = leader.find_sequences(producer_id, base, count)
        {
            return Ok(Some((from, last_offset.next())));
        }
        // A gap no earlier batch will fill (its records were lost or expired): the producer
        // carries on, as Kafka's does by bumping its epoch (KIP-360).
        if let Some(expected) = last.map(|l| increment_sequence(l, 1))
            && base != expected
            && earlier_pending
        {
            return Err(ProduceError::OutOfOrderSequenceNumber {
                expected,
                got: base,
            });
        }
        Ok(None)
    }

    /// Kafka's `maybeIncrementLeaderHW`: the smallest LEO among the leader, the ISR followers,
    /// and followers that are caught up and eligible to join it; never backwards, and not at
    /// all while the ISR is smaller than min.insync.replicas (KAFKA-15583).
    pub fn maybe_increment_high_watermark(
        &mut self,
        now_ms: u64,
        settings: &ReplicationSettings,
        eligible: &dyn Fn(BrokerId) -> bool,
    ) -> Option<Offset> {
        if self.is_under_min_isr(settings.min_insync_replicas) {
            return None;
        }
        let leader = self.leader?;
        let leader_end = self.replica(leader)?.log.end_offset();
        let mut candidate = leader_end;
        for replica in self.replicas.iter().filter(|r| r.broker != leader) {
            let state = &replica.follower;
            let must_wait = self.isr.contains(&replica.broker)
                || (state.is_caught_up(leader_end, now_ms, settings.lag_max_ms)
                    && eligible(replica.broker));
            if must_wait && state.log_end < candidate {
                candidate = state.log_end;
            }
        }
        let leader = self.leader_replica_mut()?;
        if candidate > leader.high_watermark {
            leader.high_watermark = candidate;
            Some(candidate)
        } else {
            None
        }
    }

    /// One fetch by `follower` from the leader: the follower first truncates whatever diverges
    /// from the leader (the fetch protocol's diverging-epoch check), the leader records the
    /// fetch, may take the follower into the ISR and move the high watermark, then the follower
    /// copies up to `replica.fetch.max.bytes` of records.
    pub fn fetch(
        &mut self,
        follower: BrokerId,
        now_ms: u64,
        settings: &ReplicationSettings,
        eligible: &dyn Fn(BrokerId) -> bool,
    ) -> FetchReport {
        let mut report = FetchReport::default();
        let (Some(leader_index), Some(follower_index)) = (
            self.leader
                .and_then(|l| self.replicas.iter().position(|r| r.broker == l)),
            self.replicas.iter().position(|r| r.broker == follower),
        ) else {
            return report;
        };
        if leader_index == follower_index {
            return report;
        }
        {
            let (leader, replica) = two_mut(&mut self.replicas, leader_index, follower_index);
            if replica.log.end_offset() < leader.log.start_offset() {
                let removed = replica.log.restart_at(leader.log.start_offset());
                replica.high_watermark = leader.log.start_offset();
                report.truncated = Some((leader.log.start_offset(), removed));
            } else {
                let divergence = replica.log.divergence_from(&leader.log);
                let records = replica.log.records();
                let diverged: Vec<_> = records
                    .slice(records.partition_point(|r| r.offset < divergence)..records.len())
                    .iter()
                    .cloned()
                    .collect();
                let high_watermark = replica.high_watermark;
                let removed = replica.truncate_to(divergence);
                if removed > 0 {
                    report.truncated = Some((divergence, removed));
                    report.diverged = Some((diverged, high_watermark));
                }
            }
            let fetch_offset = replica.log.end_offset();
            replica
                .follower
                .record_fetch(fetch_offset, leader.log.end_offset(), now_ms);
        }

        let leader = &self.replicas[leader_index];
        let state = &self.replicas[follower_index].follower;
        let epoch_start = leader
            .log
            .epoch_start(self.leader_epoch)
            .unwrap_or_default();
        if !self.isr.contains(&follower)
            && eligible(follower)
            && state.log_end >= leader.high_watermark
            && state.log_end >= epoch_start
        {
            let mut isr = self.isr.clone();
            isr.push(follower);
            let order = |b: &BrokerId| self.assignment.iter().position(|a| a == b);
            sort_by_key(&mut isr, order);
            let min_isr = self.effective_min_isr(settings.min_insync_replicas);
            report.elr_changed = self.set_isr(isr, min_isr, None);
            report.joined_isr = true;
        }
        report.high_watermark = self.maybe_increment_high_watermark(now_ms, settings, eligible);

        let (leader, replica) = two_mut(&mut self.replicas, leader_index, follower_index);
        let from = replica.log.end_offset();
        let records =
            leader
                .log
                .read_batches(from, leader.log.end_offset(), settings.fetch_max_bytes);
        replica.append(records.iter().cloned(), &settings.segments);
        let to = replica.log.end_offset();
        if to > from {
            report.copied = Some((from, to));
        }
        replica.high_watermark = leader
            .high_watermark
            .min(to)
            .max(replica.high_watermark.min(to));
        report
    }

    /// Followers in the ISR that are no longer caught up (Kafka's `maybeShrinkIsr`).
    pub fn lagging_followers(&self, now_ms: u64, lag_max_ms: u64) -> Vec<BrokerId> {
        let Some(leader) = self.leader_replica() else {
            return Vec::new();
        };
        let leader_end = leader.log.end_offset();
        self.isr
            .iter()
            .copied()
            .filter(|&b| b != leader.broker)
            .filter(|&b| {
                self.replica(b)
                    .is_some_and(|r| !r.follower.is_caught_up(leader_end, now_ms, lag_max_ms))
            })
            .collect()
    }

    /// Makes `leader` the leader in a new epoch (or takes the partition offline with `None`).
    /// The leader it replaces keeps what it led (`Replica::last_led`), for the case where its
    /// broker cannot hear of the change (a zombie leader, `network.rs`). As Kafka's
    /// `resetReplicaState`, followers in the ISR count as caught up from now on,
    /// the others not at all, and their LEOs are unknown until they fetch.
    ///
    /// Simplification: the new leader starts from the old high watermark (as far as its own
    /// log reaches), so the watermark consumers see never steps back in a clean election. In
    /// Kafka a new leader starts from the watermark its last fetch told it, which can be a
    /// little behind until the followers fetch again.
    pub fn change_leader(&mut self, leader: Option<BrokerId>, now_ms: u64) {
        let previous_high_watermark = self.high_watermark();
        if let Some(previous) = self.leader.filter(|l| Some(*l) != leader) {
            // The fence that removed the leader from the ISR just before, it never heard of.
            let isr = self
                .assignment
                .iter()
                .copied()
                .filter(|b| *b == previous || self.isr.contains(b))
                .collect();
            let last = LastLeadership {
                epoch: self.leader_epoch,
                isr,
                since_ms: self.leader_since_ms,
                until_ms: now_ms,
            };
            if let Some(replica) = self.replica_mut(previous) {
                replica.last_led = Some(last);
            }
        }
        self.leader_epoch = LeaderEpoch(self.leader_epoch.0 + 1);
        self.leader = leader;
        self.leader_since_ms = now_ms;
        let epoch = self.leader_epoch;
        let isr = self.isr.clone();
        for replica in &mut self.replicas {
            if Some(replica.broker) == leader {
                replica.last_led = None;
                replica.log.start_epoch(epoch);
                let reachable = previous_high_watermark.min(replica.log.end_offset());
                replica.high_watermark = replica.high_watermark.max(reachable);
            } else {
                replica.follower = FollowerState {
                    last_caught_up_ms: if isr.contains(&replica.broker) {
                        now_ms
                    } else {
                        0
                    },
                    ..FollowerState::default()
                };
            }
        }
    }

    /// The controller's election when the leader may be gone (`PartitionChangeBuilder
    /// .electAnyLeader`): the current leader stays while it may lead; else the first running
    /// in-sync replica in assignment order; with the ISR empty, the first running eligible
    /// leader replica, which becomes the ISR alone; with the ELR empty too, the last known
    /// leader once it runs; else, only when `unclean_allowed`, the first running replica at
    /// all. The last two become the whole ISR and clear the ELR (what they lack is lost);
    /// without any, the partition goes offline. `None` when nothing changed.
    pub fn elect_leader(
        &mut self,
        running: &dyn Fn(BrokerId) -> bool,
        unclean_allowed: bool,
        now_ms: u64,
    ) -> Option<Election> {
        let previous = self.leader;
        if previous.is_some_and(|l| self.is_valid_leader(l, running)) {
            return None;
        }
        let valid = self
            .assignment
            .iter()
            .copied()
            .find(|&b| self.is_valid_leader(b, running));
        let unclean = || {
            self.assignment
                .iter()
                .copied()
                .find(|&b| running(b) && self.replica(b).is_some())
                .filter(|_| unclean_allowed)
        };
        let (leader, kind) = match (valid, self.last_known_leader(running)) {
            (Some(leader), _) if self.in_isr(leader) => (Some(leader), ElectionKind::Clean),
            (Some(leader), _) => (Some(leader), ElectionKind::Eligible),
            (None, Some(leader)) => (Some(leader), ElectionKind::LastKnownLeader),
            (None, None) => match unclean() {
                Some(leader) => (Some(leader), ElectionKind::Unclean),
                None => (None, ElectionKind::Clean),
            },
        };
        if leader.is_none() && previous.is_none() {
            return None;
        }
        let mut lost = None;
        match (leader, kind) {
            (Some(new), ElectionKind::Eligible) => {
                self.isr = vec![new];
                self.elr.retain(|b| *b != new);
            }
            (Some(new), ElectionKind::Unclean | ElectionKind::LastKnownLeader) => {
                lost = self.unclean_loss(new);
                if let Some(lost) = lost {
                    self.lost_records += lost.to.0 - lost.from.0;
                }
                self.isr = vec![new];
                self.elr.clear();
            }
            _ => {}
        }
        self.change_leader(leader, now_ms);
        self.note_last_known_leader(previous);
        Some(Election {
            from: previous,
            to: leader,
            epoch: self.leader_epoch,
            kind,
            lost,
        })
    }

    /// Moves leadership back to the preferred (first assigned) replica when it is running, in
    /// sync and not leading already. `None` when nothing changed.
    pub fn elect_preferred_leader(
        &mut self,
        running: &dyn Fn(BrokerId) -> bool,
        now_ms: u64,
    ) -> Option<Election> {
        let preferred = *self.assignment.first()?;
        if self.leader == Some(preferred) || !running(preferred) || !self.in_isr(preferred) {
            return None;
        }
        let previous = self.leader;
        self.change_leader(Some(preferred), now_ms);
        Some(Election {
            from: previous,
            to: Some(preferred),
            epoch: self.leader_epoch,
            kind: ElectionKind::Preferred,
            lost: None,
        })
    }

    /// What an unclean election to `new_leader` throws away: every other replica's records from
    /// the point where its log stops agreeing with the new leader's (by leader epoch, as the
    /// followers' truncation will find it), up to its end, held longest by `holder`; `None`
    /// when no replica had anything the new leader lacks. Records the new leader holds in a
    /// later epoch at the same offsets are not counted: an earlier leader already discarded
    /// them (`Log::first_not_replaced`). Taken before the election moves the high watermark,
    /// which tells how many were committed.
    fn unclean_loss(&self, new_leader: BrokerId) -> Option<LostRecords> {
        let leader_log = &self.replica(new_leader)?.log;
        let mut from: Option<Offset> = None;
        let mut holder: Option<(BrokerId, Offset)> = None;
        for replica in self.replicas.iter().filter(|r| r.broker != new_leader) {
            let end = replica.log.end_offset();
            let divergence = replica.log.divergence_from(leader_log);
            let start = replica.log.first_not_replaced(leader_log, divergence);
            if end <= start {
                continue;
            }
            from = Some(from.map_or(start, |f| f.min(start)));
            if holder.is_none_or(|(_, most)| end > most) {
                holder = Some((replica.broker, end));
            }
        }
        let (holder, to) = holder?;
        let from = from?;
        let committed = self.high_watermark().0.min(to.0).saturating_sub(from.0);
        Some(LostRecords {
            holder,
            from,
            to,
            committed,
        })
    }
}

/// Two distinct elements of a slice, mutably.
fn two_mut<T>(items: &mut [T], a: usize, b: usize) -> (&mut T, &mut T) {
    if a < b {
        let (left, right) = items.split_at_mut(b);
        (&mut left[a], &mut right[0])
    } else {
        let (left, right) = items.split_at_mut(a);
        (&mut right[0], &mut left[b])
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::sim::partitioner::PartitionChoice;
    use crate::sim::producer::PendingRecord;

    const LAG_MAX_MS: u64 = 30_000;
    const PRODUCER_ID: ProducerId = ProducerId(7);

    fn broker(id: u32) -> BrokerId {
        BrokerId(id)
    }

    /// A new partition on brokers 1, 2 and 3: broker 1 leads and all are in sync.
    fn partition() -> Partition {
        let replicas = vec![broker(1), broker(2), broker(3)];
        Partition::new(PartitionId(0), replicas.clone(), replicas, 0)
    }

    pub(crate) fn settings(min_insync_replicas: u32) -> ReplicationSettings {
        ReplicationSettings {
            lag_max_ms: LAG_MAX_MS,
            fetch_max_bytes: u64::MAX,
            min_insync_replicas,
            segments: SegmentRules::UNLIMITED,
        }
    }

    /// A batch of `count` records; an idempotent producer's carries `base_sequence`.
    pub(crate) fn batch(count: u64, base_sequence: Option<u32>) -> Batch {
        Batch {
            records: (1..=count)
                .map(|n| PendingRecord {
                    key: Some(Arc::from("k")),
                    value: Some(Arc::from(format!("v{n}"))),
                    producer_seq: n,
                    created_ms: 0,
                    size: 10,
                    choice: PartitionChoice::Explicit,
                })
                .collect(),
            bytes: 10 * count,
            created_ms: 0,
            attempts: 1,
            retry_at_ms: 0,
            base_sequence,
            producer_epoch: ProducerEpoch(0),
            sealed: true,
            transactional: false,
        }
    }

    pub(crate) fn request(
        broker: BrokerId,
        batch: &Batch,
        acks: Acks,
        now_ms: u64,
    ) -> LeaderProduce<'_> {
        LeaderProduce {
            broker,
            producer: "producer-1",
            producer_id: batch.base_sequence.map(|_| PRODUCER_ID),
            batch,
            acks,
            earlier_pending: false,
            now_ms,
        }
    }

    fn everyone(_: BrokerId) -> bool {
        true
    }

    /// Produces `count` plain records at broker 1 with acks=1 at `now_ms`.
    fn produce_at_leader(p: &mut Partition, count: u64, now_ms: u64) -> Produced {
        let batch = batch(count, None);
        p.produce(
            request(broker(1), &batch, Acks::Leader, now_ms),
            &settings(1),
            &everyone,
        )
        .expect("broker 1 leads")
    }

    fn sequences(p: &Partition) -> Vec<Option<u32>> {
        let leader = p.leader_replica().expect("a leader");
        leader
            .log
            .records()
            .iter()
            .map(|r| r.sequence.map(|(_, s)| s))
            .collect()
    }

    #[test]
    fn produce_to_a_follower_is_not_leader_or_follower() {
        let mut p = partition();
        let batch = batch(2, None);
        let refused = p.produce(
            request(broker(2), &batch, Acks::All, 0),
            &settings(1),
            &everyone,
        );
        assert_eq!(
            refused,
            Err(ProduceError::NotLeaderOrFollower { broker: broker(2) })
        );
        assert_eq!(p.log_end(), Offset(0));
    }

    #[test]
    fn acks_all_below_min_insync_replicas_is_refused_but_acks_1_is_appended() {
        let mut p = partition();
        p.isr = vec![broker(1)];
        let batch = batch(3, None);
        let refused = p.produce(
            request(broker(1), &batch, Acks::All, 0),
            &settings(2),
            &everyone,
        );
        assert_eq!(
            refused,
            Err(ProduceError::NotEnoughReplicas {
                isr: 1,
                min_insync_replicas: 2,
            })
        );
        assert_eq!(p.log_end(), Offset(0));
        let accepted = p.produce(
            request(broker(1), &batch, Acks::Leader, 0),
            &settings(2),
            &everyone,
        );
        // Below min.insync.replicas the high watermark stays put (KAFKA-15583).
        assert_eq!(
            accepted,
            Ok(Produced::Appended {
                from: Offset(0),
                to: Offset(3),
                high_watermark: None,
            })
        );
        assert_eq!(p.high_watermark(), Offset(0));
    }

    #[test]
    fn a_retried_batch_is_not_appended_again_and_answers_its_first_offsets() {
        let mut p = partition();
        let first = batch(3, Some(0));
        let second = batch(2, Some(3));
        let settings = settings(1);
        let appended = p.produce(
            request(broker(1), &first, Acks::All, 0),
            &settings,
            &everyone,
        );
        assert_eq!(
            appended,
            Ok(Produced::Appended {
                from: Offset(0),
                to: Offset(3),
                high_watermark: None,
            })
        );
        p.produce(
            request(broker(1), &second, Acks::All, 0),
            &settings,
            &everyone,
        )
        .expect("the next sequence");
        let retried = p.produce(
            request(broker(1), &first, Acks::All, 0),
            &settings,
            &everyone,
        );
        assert_eq!(
            retried,
            Ok(Produced::Duplicate {
                from: Offset(0),
                to: Offset(3),
            })
        );
        assert_eq!(p.log_end(), Offset(5));
        assert_eq!(sequences(&p), [Some(0), Some(1), Some(2), Some(3), Some(4)]);
    }

    /// `ProducerAppendInfo.checkProducerEpoch` (storage/src/main/java/org/apache/kafka/storage/
    /// internals/log/ProducerAppendInfo.java): a batch of an epoch older than the newest the
    /// partition has seen from its producer id (from a batch or a marker) is refused with
    /// INVALID_PRODUCER_EPOCH; a newer epoch's first batch starts its sequence afresh
    /// (`checkSequence`, `ProducerStateEntry.findDuplicateBatch` look within one epoch), so a
    /// new producer with the same id is not taken for a retry of the old one's records.
    #[test]
    fn a_batch_of_an_older_producer_epoch_is_refused_and_a_newer_epoch_starts_afresh() {
        let mut p = partition();
        let settings = settings(1);
        let old = batch(2, Some(0));
        p.produce(request(broker(1), &old, Acks::All, 0), &settings, &everyone)
            .expect("epoch 0");
        assert_eq!(p.producer_epochs.get(&PRODUCER_ID), Some(&ProducerEpoch(0)));
        let newer = Batch {
            producer_epoch: ProducerEpoch(2),
            ..batch(1, Some(0))
        };
        let appended = p.produce(
            request(broker(1), &newer, Acks::All, 0),
            &settings,
            &everyone,
        );
        assert_eq!(
            appended,
            Ok(Produced::Appended {
                from: Offset(2),
                to: Offset(3),
                high_watermark: None,
            }),
            "sequence 0 again, but of a new epoch: not a duplicate"
        );
        let late = batch(1, Some(2));
        assert_eq!(
            p.produce(
                request(broker(1), &late, Acks::All, 0),
                &settings,
                &everyone
            ),
            Err(ProduceError::InvalidProducerEpoch {
                epoch: 0,
                newest: 2
            })
        );
        p.note_producer_epoch(PRODUCER_ID, ProducerEpoch(3));
        p.note_producer_epoch(PRODUCER_ID, ProducerEpoch(1));
        assert_eq!(
            p.check_producer_epoch(PRODUCER_ID, ProducerEpoch(2)),
            Err(ProduceError::InvalidProducerEpoch {
                epoch: 2,
                newest: 3
            }),
            "a marker's epoch counts too, and epochs never go back"
        );
        assert_eq!(p.log_end(), Offset(3));
    }

    #[test]
    fn a_sequence_gap_is_refused_while_an_earlier_batch_is_pending_and_accepted_without_one() {
        let mut p = partition();
        let settings = settings(1);
        p.produce(
            request(broker(1), &batch(3, Some(0)), Acks::All, 0),
            &settings,
            &everyone,
        )
        .expect("the first batch");
        let gap = batch(2, Some(5));
        let pending = LeaderProduce {
            earlier_pending: true,
            ..request(broker(1), &gap, Acks::All, 0)
        };
        assert_eq!(
            p.produce(pending, &settings, &everyone),
            Err(ProduceError::OutOfOrderSequenceNumber {
                expected: 3,
                got: 5,
            })
        );
        assert_eq!(p.log_end(), Offset(3));
        // Sequences 3 and 4 will never come (KIP-360): the leader takes the batch.
        let accepted = p.produce(request(broker(1), &gap, Acks::All, 0), &settings, &everyone);
        assert_eq!(
            accepted,
            Ok(Produced::Appended {
                from: Offset(3),
                to: Offset(5),
                high_watermark: None,
            })
        );
        assert_eq!(sequences(&p), [Some(0), Some(1), Some(2), Some(5), Some(6)]);
    }

    #[test]
    fn the_high_watermark_advances_only_when_the_isr_has_the_records() {
        let mut p = partition();
        let settings = settings(1);
        assert_eq!(
            produce_at_leader(&mut p, 3, 0),
            Produced::Appended {
                from: Offset(0),
                to: Offset(3),
                high_watermark: None,
            }
        );
        let copying = p.fetch(broker(2), 10, &settings, &everyone);
        assert_eq!(copying.copied, Some((Offset(0), Offset(3))));
        assert_eq!(copying.high_watermark, None, "broker 3 has nothing yet");
        p.fetch(broker(3), 10, &settings, &everyone);
        let caught_up = p.fetch(broker(2), 20, &settings, &everyone);
        assert_eq!(caught_up.high_watermark, None, "broker 3 has not said so");
        let committed = p.fetch(broker(3), 20, &settings, &everyone);
        assert_eq!(committed.high_watermark, Some(Offset(3)));
        assert_eq!(p.high_watermark(), Offset(3));

        // Once the ISR is the leader alone, its own append is enough.
        p.isr = vec![broker(1)];
        assert_eq!(
            produce_at_leader(&mut p, 2, 20 + LAG_MAX_MS + 1),
            Produced::Appended {
                from: Offset(3),
                to: Offset(5),
                high_watermark: Some(Offset(5)),
            }
        );
    }

    #[test]
    fn a_clean_election_picks_the_first_running_in_sync_replica_and_bumps_the_epoch() {
        let mut p = partition();
        p.isr = vec![broker(1), broker(3)];
        assert_eq!(
            p.elect_leader(&everyone, false, 0),
            None,
            "the leader is running and in sync"
        );
        let election = p.elect_leader(&|id| id != broker(1), false, 5);
        assert_eq!(
            election,
            Some(Election {
                from: Some(broker(1)),
                to: Some(broker(3)),
                epoch: LeaderEpoch(1),
                kind: ElectionKind::Clean,
                lost: None,
            }),
            "broker 2 comes first but is out of sync"
        );
        assert_eq!(p.leader, Some(broker(3)));
        assert_eq!(p.leader_epoch, LeaderEpoch(1));
        assert_eq!(p.isr, [broker(1), broker(3)]);
    }

    #[test]
    fn without_a_running_in_sync_replica_and_unclean_disallowed_the_partition_goes_offline() {
        let mut p = partition();
        p.isr = vec![broker(1)];
        let only_2 = |id: BrokerId| id == broker(2);
        assert_eq!(
            p.elect_leader(&only_2, false, 5),
            Some(Election {
                from: Some(broker(1)),
                to: None,
                epoch: LeaderEpoch(1),
                kind: ElectionKind::Clean,
                lost: None,
            })
        );
        assert_eq!(p.leader, None);
        assert_eq!(
            p.isr,
            [broker(1)],
            "the controller, not the election, changes the ISR"
        );
        assert_eq!(p.elect_leader(&only_2, false, 6), None, "still offline");
        assert_eq!(p.leader_epoch, LeaderEpoch(1));
    }

    #[test]
    fn an_unclean_election_makes_an_out_of_sync_replica_the_whole_isr_and_counts_the_loss() {
        let mut p = partition();
        let settings = settings(1);
        produce_at_leader(&mut p, 3, 0);
        for now_ms in [10, 20] {
            p.fetch(broker(2), now_ms, &settings, &everyone);
            p.fetch(broker(3), now_ms, &settings, &everyone);
        }
        assert_eq!(p.high_watermark(), Offset(3));
        // Broker 2 stops fetching and leaves the ISR; broker 3 commits two more records.
        let later = 20 + LAG_MAX_MS + 1;
        p.isr = vec![broker(1), broker(3)];
        produce_at_leader(&mut p, 2, later);
        p.fetch(broker(3), later, &settings, &everyone);
        let committed = p.fetch(broker(3), later, &settings, &everyone);
        assert_eq!(committed.high_watermark, Some(Offset(5)));
        // One more that only the leader has.
        produce_at_leader(&mut p, 1, later);
        assert_eq!(p.log_end(), Offset(6));

        let only_2 = |id: BrokerId| id == broker(2);
        let election = p.elect_leader(&only_2, true, later);
        assert_eq!(
            election,
            Some(Election {
                from: Some(broker(1)),
                to: Some(broker(2)),
                epoch: LeaderEpoch(1),
                kind: ElectionKind::Unclean,
                lost: Some(LostRecords {
                    holder: broker(1),
                    from: Offset(3),
                    to: Offset(6),
                    committed: 2,
                }),
            })
        );
        assert_eq!(p.isr, [broker(2)]);
        assert_eq!(p.lost_records, 3);
        assert_eq!(p.log_end(), Offset(3));
        assert_eq!(p.high_watermark(), Offset(3));
    }

    #[test]
    fn a_preferred_election_returns_leadership_only_to_a_running_in_sync_preferred_replica() {
        let mut p = partition();
        p.elect_leader(&|id| id != broker(1), false, 0)
            .expect("broker 2 takes over");
        p.isr = vec![broker(2), broker(3)];
        assert_eq!(
            p.elect_preferred_leader(&|id| id != broker(1), 5),
            None,
            "broker 1 is down"
        );
        assert_eq!(
            p.elect_preferred_leader(&everyone, 5),
            None,
            "broker 1 is out of sync"
        );
        let rejoined = p.fetch(broker(1), 10, &settings(1), &everyone);
        assert!(rejoined.joined_isr);
        assert_eq!(
            p.elect_preferred_leader(&everyone, 10),
            Some(Election {
                from: Some(broker(2)),
                to: Some(broker(1)),
                epoch: LeaderEpoch(2),
                kind: ElectionKind::Preferred,
                lost: None,
            })
        );
        assert_eq!(p.leader, Some(broker(1)));
        assert_eq!(p.elect_preferred_leader(&everyone, 11), None, "it leads");
    }
}
