//! A producer client: its settings (Kafka's names and 4.x defaults), the partitioner state and
//! the record accumulator, where records wait in per-partition batches until `batch.size` fills
//! or `linger.ms` passes. The network side (sending batches to leaders, acks, retries) is in
//! `sender.rs`.
use crate::sim::error::SimError;
use crate::sim::ids::{PartitionId, ProducerEpoch, ProducerId};
use crate::sim::ordered::Map;
use crate::sim::partitioner::to_positive;
use crate::sim::partitioner::{PartitionChoice, adaptive_weights, partition_for};
use crate::sim::transaction::{TRANSACTION_MAX_TIMEOUT_MS, TransactionState};
use crate::sim::types::{Acks, PartitionerMode, ProducerConfig};
use rand::Rng;
use rand_pcg::Pcg32;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::Arc;

impl ProducerConfig {
    /// Kafka's `ProducerConfig` checks, with its messages.
    pub fn validate(&self) -> Result<(), SimError> {
        let invalid = |key: &str, reason: &str| {
            Err(SimError::InvalidProducerConfig {
                key: key.to_owned(),
                reason: reason.to_owned(),
            })
        };
        // Kafka declares these as ints or longs, all at least 0.
        let (int, long) = (i32::MAX as u64, i64::MAX as u64);
        for (key, value, max) in [
            ("batch.size", self.batch_size, int),
            ("request.timeout.ms", self.request_timeout_ms, int),
            ("delivery.timeout.ms", self.delivery_timeout_ms, int),
            ("transaction.timeout.ms", self.transaction_timeout_ms, int),
            ("linger.ms", self.linger_ms, long),
            ("retry.backoff.ms", self.retry_backoff_ms, long),
            ("retry.backoff.max.ms", self.retry_backoff_max_ms, long),
            ("buffer.memory", self.buffer_memory, long),
        ] {
            if value > max {
                return invalid(key, &format!("must be at most {max}"));
            }
        }
        if self.max_in_flight == 0 {
            return invalid(
                "max.in.flight.requests.per.connection",
                "must be at least 1",
            );
        }
        if self.request_timeout_ms == 0 {
            return invalid("request.timeout.ms", "must be at least 1");
        }
        if self.delivery_timeout_ms < self.linger_ms.saturating_add(self.request_timeout_ms) {
            return invalid(
                "delivery.timeout.ms",
                "should be equal to or larger than linger.ms + request.timeout.ms",
            );
        }
        if self.transactional_id.as_deref() == Some("") {
            return invalid(
                "transactional.id",
                "must not be empty (leave it unset for no transactions)",
            );
        }
        // The brokers check it when the producer starts its transactions (InitProducerId).
        if self.transactional_id.is_some()
            && !(1..=TRANSACTION_MAX_TIMEOUT_MS).contains(&self.transaction_timeout_ms)
        {
            return invalid(
                "transaction.timeout.ms",
                "INVALID_TRANSACTION_TIMEOUT: The transaction timeout is larger than the maximum value allowed by the broker (as configured by transaction.max.timeout.ms). Allowed: 1 to 900000",
            );
        }
        if self.transactional_id.is_some() && !self.enable_idempotence {
            return invalid(
                "transactional.id",
                "Cannot set a transactional.id without also enabling idempotence",
            );
        }
        if self.enable_idempotence {
            if self.acks != Acks::All {
                return invalid(
                    "acks",
                    "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence (or set enable.idempotence=false)",
                );
            }
            if self.max_in_flight > 5 {
                return invalid(
                    "max.in.flight.requests.per.connection",
                    "Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer",
                );
            }
            if self.retries == 0 {
                return invalid(
                    "retries",
                    "Must set retries to non-zero when using the idempotent producer",
                );
            }
        }
        Ok(())
    }

    /// How long a failed batch waits before it is sent again, after `attempts` sends (1 for
    /// the first retry): Kafka's `ExponentialBackoff.backoff(attempts - 1)` with the
    /// producer's settings (`RecordAccumulator`, clients/.../common/utils/ExponentialBackoff
    /// .java): retry.backoff.ms × 2^(attempts − 1), capped at retry.backoff.max.ms, times a
    /// jitter factor drawn from [0.8, 1.2), never above the cap. With retry.backoff.ms at or
    /// above retry.backoff.max.ms, the wait is retry.backoff.max.ms every time, without jitter.
    ///
    /// Simplification: Kafka draws the jitter anew each time the sender checks whether the
    /// batch may go; the playground draws it once per retry.
    pub fn retry_backoff(&self, attempts: u32, rng: &mut Pcg32) -> u64 {
        let (initial, max) = (self.retry_backoff_ms, self.retry_backoff_max_ms);
        if max <= initial {
            return max;
        }
        let doublings = attempts.saturating_sub(1);
        let term = if doublings >= 64 {
            max
        } else {
            initial.saturating_mul(1 << doublings).min(max)
        };
        let jitter: f64 = rng.random_range(0.8..1.2);
        ((jitter * term as f64) as u64).min(max)
    }

    /// batch.size as the accumulator uses it (Kafka treats 0 as 1).
    pub fn batch_bytes(&self) -> u64 {
        self.batch_size.max(1)
    }
}

/// A record in the producer, not yet written to any broker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRecord {
    pub key: Option<Arc<str>>,
    pub value: Option<Arc<str>>,
    pub producer_seq: u64,
    pub created_ms: u64,
    pub size: u64,
    pub choice: PartitionChoice,
}

/// A batch of records for one partition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    pub records: Vec<PendingRecord>,
    pub bytes: u64,
    pub created_ms: u64,
    /// Sends so far (the first send is attempt 1).
    pub attempts: u32,
    /// Not to be sent again before this time (the retry backoff).
    pub retry_at_ms: u64,
    /// The idempotent sequence number of its first record, fixed at its first send.
    pub base_sequence: Option<u32>,
    /// The producer's epoch, fixed at its first send: a batch retried after the epoch moved on
    /// still carries the old one, and the leaders refuse it.
    pub producer_epoch: ProducerEpoch,
    /// No more records may join it (it has been sent at least once).
    pub sealed: bool,
    /// Its records belong to the producer's open transaction.
    pub transactional: bool,
}

impl Batch {
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The first record's producer number: retried batches go back in this order.
    pub fn first_seq(&self) -> u64 {
        self.records.first().map_or(0, |r| r.producer_seq)
    }
}

/// Kafka's `DefaultRecordBatch.incrementSequence`: sequence numbers run from 0 to
/// Integer.MAX_VALUE and wrap to 0.
pub fn increment_sequence(sequence: u32, increment: u32) -> u32 {
    ((u64::from(sequence) + u64::from(increment)) % (1u64 << 31)) as u32
}

/// Where records without a key go for a topic under the default partitioner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Sticky {
    partition: u32,
    /// Bytes sent to it since it was chosen.
    bytes: u64,
}

/// Running totals for the producer panel.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProducerStats {
    pub sent: u64,
    pub acknowledged: u64,
    pub failed: u64,
    pub retries: u64,
    pub duplicates_avoided: u64,
    /// acks=0 records that never reached a log: gone, and the producer never knows.
    pub lost_unacknowledged: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Producer {
    pub id: String,
    pub config: ProducerConfig,
    /// Given by the cluster to idempotent producers.
    pub producer_id: Option<ProducerId>,
    /// The epoch of `producer_id` it writes with (0 but for transactional producers, whose
    /// coordinator bumps it).
    pub epoch: ProducerEpoch,
    next_record: u64,
    sticky: Map<String, Sticky>,
    round_robin: Map<String, u32>,
    /// The accumulator: topic → partition → batches, oldest first. A partition keeps its
    /// (possibly empty) queue once used, as Kafka's does.
    pub queues: Map<String, Map<PartitionId, VecDeque<Batch>>>,
    /// The next idempotent sequence number per topic and partition.
    next_sequence: Map<String, Map<PartitionId, u32>>,
    pub stats: ProducerStats,
    /// A flush() is pending: send every batch now, whatever linger.ms says.
    pub flushing: bool,
    pub transaction: TransactionState,
    /// When it last refreshed its metadata (Kafka's `Metadata`): a leader change since then
    /// that no broker it talks to tells it of (a zombie leader, `network.rs`) it does not know.
    pub metadata_refreshed_ms: u64,
}

impl Producer {
    pub fn new(id: String, config: ProducerConfig, producer_id: Option<ProducerId>) -> Producer {
        Producer {
            id,
            config,
            producer_id,
            epoch: ProducerEpoch(0),
            next_record: 0,
            sticky: Map::new(),
            round_robin: Map::new(),
            queues: Map::new(),
            next_sequence: Map::new(),
            stats: ProducerStats::default(),
            flushing: false,
            transaction: TransactionState::Ready,
            metadata_refreshed_ms: 0,
        }
    }

    /// ProducerFencedException, once another producer took its `transactional.id`: every call
    /// of a fenced producer fails with it.
    pub fn fenced_error(&self) -> Option<SimError> {
        let TransactionState::Fenced { by } = &self.transaction else {
            return None;
        };
        Some(SimError::ProducerFenced {
            producer: self.id.clone(),
            transactional_id: self.config.transactional_id.clone().unwrap_or_default(),
            by: by.clone(),
        })
    }

    /// Picks the partition for a record of a topic with `partitions` partitions, of which those
    /// flagged in `available` have a leader. `explicit` was checked against the count.
    pub fn choose_partition(
        &mut self,
        topic: &str,
        explicit: Option<u32>,
        key: Option<&str>,
        available: &[bool],
        rng: &mut Pcg32,
    ) -> (PartitionId, PartitionChoice) {
        let partitions = available.len() as u32;
        if let Some(partition) = explicit {
            return (PartitionId(partition), PartitionChoice::Explicit);
        }
        if let Some((partition, choice)) = partition_for(self.config.partitioner, key, partitions) {
            return (PartitionId(partition), choice);
        }
        if self.config.partitioner == PartitionerMode::Default {
            let partition = match self.sticky.get(topic) {
                Some(sticky) => sticky.partition,
                None => {
                    let partition = self.next_sticky(topic, available, rng);
                    self.sticky.insert(
                        topic.to_owned(),
                        Sticky {
                            partition,
                            bytes: 0,
                        },
                    );
                    partition
                }
            };
            return (
                PartitionId(partition),
                PartitionChoice::Sticky { partitions },
            );
        }
        // RoundRobinPartitioner: the counter picks among the available partitions, or among all
        // when none is.
        let counter = self.round_robin.entry(topic.to_owned()).or_insert(0);
        let used = *counter;
        *counter = counter.wrapping_add(1);
        let candidates: Vec<u32> = (0..partitions).filter(|&p| available[p as usize]).collect();
        // Kafka's counter is an int that wraps negative; toPositive masks it.
        let positive = to_positive(used as i32);
        let (partition, among) = if candidates.is_empty() {
            (positive.checked_rem(partitions).unwrap_or(0), partitions)
        } else {
            (
                candidates[(positive % candidates.len() as u32) as usize],
                candidates.len() as u32,
            )
        };
        (
            PartitionId(partition),
            PartitionChoice::RoundRobin {
                counter: used,
                available: among,
            },
        )
    }

    /// A new sticky partition: random over the available ones (all when none is), weighted by
    /// how short their queues are once every partition has one and they differ.
    fn next_sticky(&self, topic: &str, available: &[bool], rng: &mut Pcg32) -> u32 {
        let partitions = available.len() as u32;
        let mut candidates: Vec<u32> = (0..partitions).filter(|&p| available[p as usize]).collect();
        if candidates.is_empty() {
            candidates = (0..partitions).collect();
        }
        if candidates.is_empty() {
            return 0;
        }
        // Load stats exist once every partition of the topic has a batch queue.
        let queues = self.queues.get(topic);
        let all_have_queues =
            (0..partitions).all(|p| queues.is_some_and(|q| q.contains_key(&PartitionId(p))));
        let lengths: Vec<u32> = candidates
            .iter()
            .map(|p| {
                queues
                    .and_then(|q| q.get(&PartitionId(*p)))
                    .map_or(0, |q| q.len() as u32)
            })
            .collect();
        let weights =
            if all_have_queues && partitions >= 2 && lengths.iter().any(|l| *l != lengths[0]) {
                adaptive_weights(&lengths)
            } else {
                vec![1; candidates.len()]
            };
        let total: u32 = weights.iter().sum();
        let mut pick = rng.random_range(0..total.max(1));
        for (partition, weight) in candidates.iter().zip(&weights) {
            if pick < *weight {
                return *partition;
            }
            pick -= weight;
        }
        candidates[0]
    }

    /// Puts a record into its partition's open batch, or a new one, and moves the sticky
    /// partition on once batch.size bytes have gone to it (at once after 2 × batch.size).
    pub fn enqueue(
        &mut self,
        topic: &str,
        partition: PartitionId,
        record: PendingRecord,
        available: &[bool],
        rng: &mut Pcg32,
    ) {
        let batch_bytes = self.config.batch_bytes();
        let sticky = matches!(record.choice, PartitionChoice::Sticky { .. });
        let transactional = self.transaction.takes_records();
        let size = record.size;
        let now = record.created_ms;
        self.stats.sent += 1;
        self.ensure_queues(topic);
        let mut all_full = true;
        if let Some(queues) = self.queues.get_mut(topic) {
            let queue = queues.entry(partition).or_default();
            match queue.back_mut() {
                Some(open)
                    if !open.sealed && !open.is_empty() && open.bytes + size <= batch_bytes =>
                {
                    open.bytes += size;
                    open.records.push(record);
                }
                _ => queue.push_back(Batch {
                    records: vec![record],
                    bytes: size,
                    created_ms: now,
                    attempts: 0,
                    retry_at_ms: now,
                    base_sequence: None,
                    producer_epoch: ProducerEpoch::default(),
                    sealed: false,
                    transactional,
                }),
            }
            all_full = queue
                .back()
                .is_none_or(|b| b.sealed || b.bytes >= batch_bytes);
        }
        if sticky {
            let bytes = self.sticky.get(topic).map_or(0, |s| s.bytes) + size;
            if (bytes >= batch_bytes && all_full) || bytes >= batch_bytes.saturating_mul(2) {
                let partition = self.next_sticky(topic, available, rng);
                self.sticky.insert(
                    topic.to_owned(),
                    Sticky {
                        partition,
                        bytes: 0,
                    },
                );
            } else if let Some(state) = self.sticky.get_mut(topic) {
                state.bytes = bytes;
            }
        }
    }

    /// The next record number (1, 2, ...).
    pub fn next_record_number(&mut self) -> u64 {
        self.next_record += 1;
        self.next_record
    }

    /// Reserves `count` idempotent sequence numbers for a partition and returns the first.
    pub fn reserve_sequence(&mut self, topic: &str, partition: PartitionId, count: u32) -> u32 {
        let next = self
            .next_sequence
            .entry(topic.to_owned())
            .or_default()
            .entry(partition)
            .or_insert(0);
        let base = *next;
        *next = increment_sequence(base, count);
        base
    }

    /// Puts a batch back to be sent again, in record order among the waiting ones.
    pub fn requeue(&mut self, topic: &str, partition: PartitionId, batch: Batch) {
        self.ensure_queues(topic);
        if let Some(queues) = self.queues.get_mut(topic) {
            let queue = queues.entry(partition).or_default();
            let at = queue
                .iter()
                .position(|b| b.first_seq() > batch.first_seq())
                .unwrap_or(queue.len());
            queue.insert(at, batch);
        }
    }

    /// Makes a topic's queue map on first use; looking it up afterwards allocates nothing,
    /// which matters as it happens for every record sent.
    fn ensure_queues(&mut self, topic: &str) {
        if !self.queues.contains_key(topic) {
            self.queues.insert(topic.to_owned(), Map::new());
        }
    }

    /// Forgets a deleted topic.
    pub fn forget_topic(&mut self, topic: &str) {
        self.queues.remove(topic);
        self.sticky.remove(topic);
        self.round_robin.remove(topic);
        self.next_sequence.remove(topic);
    }

    fn batches(&self) -> impl Iterator<Item = &Batch> {
        self.queues
            .values()
            .flat_map(|q| q.values())
            .flat_map(|q| q.iter())
    }

    /// Records waiting in the accumulator.
    pub fn buffered_records(&self) -> usize {
        self.batches().map(Batch::len).sum()
    }

    /// Whether the waiting batches fill buffer.memory, so that send() would block.
    pub fn buffer_full(&self) -> bool {
        self.batches().map(|b| b.bytes).sum::<u64>() >= self.config.buffer_memory
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn record(producer: &mut Producer, choice: PartitionChoice, size: u64) -> PendingRecord {
        PendingRecord {
            key: None,
            value: Some(Arc::from("v")),
            producer_seq: producer.next_record_number(),
            created_ms: 0,
            size,
            choice,
        }
    }

    #[test]
    fn validation_uses_kafkas_rules() {
        assert_eq!(ProducerConfig::default().validate(), Ok(()));
        let acks_one = ProducerConfig {
            acks: Acks::Leader,
            ..ProducerConfig::default()
        };
        assert!(
            acks_one
                .validate()
                .unwrap_err()
                .to_string()
                .starts_with("acks: Must set acks to all")
        );
        let plain = ProducerConfig {
            enable_idempotence: false,
            ..acks_one
        };
        assert_eq!(plain.validate(), Ok(()));
        let short = ProducerConfig {
            delivery_timeout_ms: 100,
            ..ProducerConfig::default()
        };
        assert!(short.validate().is_err());
        // ProducerConfig defines retry.backoff.max.ms as a long, at least 0.
        let beyond_long = ProducerConfig {
            retry_backoff_max_ms: u64::MAX,
            ..ProducerConfig::default()
        };
        assert_eq!(
            beyond_long.validate().unwrap_err().to_string(),
            "retry.backoff.max.ms: must be at most 9223372036854775807"
        );
        // The brokers take 1 ms to transaction.max.timeout.ms (15 minutes) from a
        // transactional producer (`TransactionStateManager.validateTransactionTimeoutMs`).
        for (timeout, transactional, valid) in [
            (0, true, false),
            (900_001, true, false),
            (900_000, true, true),
            (0, false, true),
        ] {
            let config = ProducerConfig {
                transaction_timeout_ms: timeout,
                transactional_id: transactional.then(|| "app".to_owned()),
                ..ProducerConfig::default()
            };
            assert_eq!(
                config.validate().is_ok(),
                valid,
                "{timeout} {transactional}"
            );
        }
    }

    /// Kafka's `ExponentialBackoffTest` and `RecordAccumulatorTest.testExponentialRetryBackoff`
    /// (clients/.../common/utils/ExponentialBackoff.java, `backoff(attempts - 1)`): the first
    /// retry waits retry.backoff.ms ± 20%, each further one twice as long, never above
    /// retry.backoff.max.ms; with retry.backoff.ms at or above the max, a constant max, no draw.
    #[test]
    fn retry_backoff_doubles_with_jitter_up_to_the_max() {
        let config = ProducerConfig::default();
        let mut rng = Pcg32::seed_from_u64(5);
        for (attempts, low, high) in [
            (1, 80, 120),
            (2, 160, 240),
            (3, 320, 480),
            (4, 640, 960),
            (5, 800, 1_000),
            (40, 800, 1_000),
        ] {
            let waits: Vec<u64> = (0..200)
                .map(|_| config.retry_backoff(attempts, &mut rng))
                .collect();
            assert!(
                waits.iter().all(|w| (low..=high).contains(w)),
                "attempt {attempts}: {waits:?}"
            );
            assert!(waits.iter().any(|w| *w != waits[0]), "jittered: {waits:?}");
        }
        let constant = ProducerConfig {
            retry_backoff_ms: 2_000,
            retry_backoff_max_ms: 500,
            ..ProducerConfig::default()
        };
        let before = rng.clone();
        for attempts in 1..5 {
            assert_eq!(constant.retry_backoff(attempts, &mut rng), 500);
        }
        assert_eq!(rng, before, "a constant backoff draws nothing");
    }

    /// A producer with 100-byte batches.
    fn small_batches() -> Producer {
        let config = ProducerConfig {
            batch_size: 100,
            ..ProducerConfig::default()
        };
        Producer::new("p".into(), config, None)
    }

    #[test]
    fn records_fill_a_batch_up_to_batch_size() {
        let mut rng = Pcg32::seed_from_u64(1);
        let mut producer = small_batches();
        for _ in 0..5 {
            let r = record(&mut producer, PartitionChoice::Explicit, 30);
            producer.enqueue("t", PartitionId(0), r, &[true], &mut rng);
        }
        let sizes: Vec<usize> = producer.queues[&"t".to_owned()][&PartitionId(0)]
            .iter()
            .map(Batch::len)
            .collect();
        assert_eq!(sizes, [3, 2], "30-byte records, 100-byte batches");
        assert_eq!(producer.buffered_records(), 5);
    }

    #[test]
    fn sticky_partition_holds_until_batch_size_then_moves() {
        let mut rng = Pcg32::seed_from_u64(7);
        let mut producer = small_batches();
        let available = [true, true, true];
        let mut partitions = Vec::new();
        for _ in 0..12 {
            let (p, choice) = producer.choose_partition("t", None, None, &available, &mut rng);
            assert!(matches!(choice, PartitionChoice::Sticky { partitions: 3 }));
            partitions.push(p);
            let r = record(&mut producer, choice, 25);
            producer.enqueue("t", p, r, &available, &mut rng);
        }
        // 25-byte records: four fill a 100-byte batch, so the partition changes every four.
        for run in partitions.chunks(4) {
            assert!(run.iter().all(|p| *p == run[0]), "{partitions:?}");
        }
    }

    #[test]
    fn round_robin_skips_unavailable_partitions() {
        let mut rng = Pcg32::seed_from_u64(1);
        let config = ProducerConfig {
            partitioner: PartitionerMode::RoundRobin,
            ..ProducerConfig::default()
        };
        let mut producer = Producer::new("p".into(), config, None);
        let available = [true, false, true];
        let got: Vec<u32> = (0..4)
            .map(|_| {
                producer
                    .choose_partition("t", None, Some("k"), &available, &mut rng)
                    .0
                    .0
            })
            .collect();
        assert_eq!(got, [0, 2, 0, 2]);
    }

    #[test]
    fn retried_batches_go_back_in_record_order() {
        let mut producer = Producer::new("p".into(), ProducerConfig::default(), None);
        let batch = |producer: &mut Producer| {
            let r = record(producer, PartitionChoice::Explicit, 10);
            Batch {
                records: vec![r],
                bytes: 10,
                created_ms: 0,
                attempts: 1,
                retry_at_ms: 0,
                base_sequence: None,
                producer_epoch: ProducerEpoch(0),
                sealed: true,
                transactional: false,
            }
        };
        let first = batch(&mut producer);
        let second = batch(&mut producer);
        let third = batch(&mut producer);
        producer.requeue("t", PartitionId(0), third);
        producer.requeue("t", PartitionId(0), first);
        producer.requeue("t", PartitionId(0), second);
        let order: Vec<u64> = producer.queues[&"t".to_owned()][&PartitionId(0)]
            .iter()
            .map(Batch::first_seq)
            .collect();
        assert_eq!(order, [1, 2, 3]);
    }
}
