//! The producer-side commands: adding producers, `send()`, `flush()`, and the rate generators
//! that send on the clock.
use crate::sim::command::Outcome;
use crate::sim::engine::{Sim, unknown_topic};
use crate::sim::error::{SimError, check_protocol_string};
use crate::sim::event::Event;
use crate::sim::generator::Generator;
use crate::sim::ids::{PartitionId, ProducerEpoch, ProducerId};
use crate::sim::log::record_size;
use crate::sim::producer::{PendingRecord, Producer};
use crate::sim::types::{KeySet, MAX_REQUEST_SIZE, ProducerConfig};
use std::sync::Arc;

/// Kafka's upper bound of a record's serialized size, which `send()` checks against
/// max.request.size (`DefaultRecordBatch.estimateBatchSizeUpperBound`): a batch's 61 bytes, a
/// record's at most 21, the key and the value each with its length as a varint (1 byte when
/// null), and 1 byte for no headers.
fn serialized_size_upper_bound(key: Option<&str>, value: Option<&str>) -> u64 {
    let field = |bytes: Option<&str>| {
        bytes.map_or(1, |b| {
            // ByteUtils.sizeOfVarint: 7 bits a byte of the zig-zag encoded length.
            let zigzag = (b.len() as u64) << 1;
            u64::from((64 - zigzag.leading_zeros()).max(1).div_ceil(7)) + b.len() as u64
        })
    };
    61 + 21 + field(key) + field(value) + 1
}

impl Sim {
    pub(crate) fn add_producer(
        &mut self,
        id: String,
        config: ProducerConfig,
    ) -> Result<Outcome, SimError> {
        if id.is_empty() {
            return Err(SimError::EmptyProducerName);
        }
        check_protocol_string("producer", &id)?;
        check_protocol_string(
            "transactional.id",
            config.transactional_id.as_deref().unwrap_or_default(),
        )?;
        if self.producers.contains_key(&id) {
            return Err(SimError::ProducerExists { producer: id });
        }
        config.validate()?;
        // Idempotent producers get a producer id from the cluster (InitProducerId); with a
        // transactional.id, the transaction coordinator's, which may fence an older producer.
        let (producer_id, epoch) = match config.transactional_id.clone() {
            Some(transactional_id) => {
                let (producer_id, epoch) = self.init_producer_id(&id, &transactional_id)?;
                (Some(producer_id), epoch)
            }
            None => (
                config.enable_idempotence.then(|| self.new_producer_id()),
                ProducerEpoch::default(),
            ),
        };
        let mut producer = Producer::new(id.clone(), config, producer_id);
        producer.epoch = epoch;
        producer.metadata_refreshed_ms = self.now_ms;
        self.producers.insert(id, producer);
        Ok(Outcome::Done)
    }

    /// A producer id no producer had (Kafka's `ProducerIdManager.generateProducerId`).
    pub(crate) fn new_producer_id(&mut self) -> ProducerId {
        self.next_producer_id += 1;
        ProducerId(self.next_producer_id)
    }

    fn producer_mut(&mut self, id: &str) -> Result<&mut Producer, SimError> {
        self.producers
            .get_mut(id)
            .ok_or_else(|| SimError::UnknownProducer {
                producer: id.to_owned(),
            })
    }

    /// Which partitions of a topic have a leader, as a producer's metadata shows them.
    fn available_partitions(&self, topic: &str) -> Result<Vec<bool>, SimError> {
        Ok(self
            .topic_ref(topic)?
            .partitions
            .iter()
            .map(|p| p.leader.is_some())
            .collect())
    }

    pub(crate) fn produce(
        &mut self,
        producer: &str,
        topic: &str,
        partition: Option<i64>,
        key: Option<String>,
        value: Option<String>,
    ) -> Result<Outcome, SimError> {
        let client = self
            .producers
            .get(producer)
            .ok_or_else(|| SimError::UnknownProducer {
                producer: producer.to_owned(),
            })?;
        let available = self.available_partitions(topic)?;
        let count = available.len() as u32;
        let explicit = partition
            .map(|requested| {
                u32::try_from(requested)
                    .ok()
                    .filter(|&p| p < count)
                    .ok_or_else(|| SimError::PartitionOutOfRange {
                        topic: topic.to_owned(),
                        requested,
                        partitions: count,
                    })
            })
            .transpose()?;
        // Kafka's send() checks the record's size once it has the topic's metadata and the
        // partition (KafkaProducer.doSend, ensureValidRecordSize).
        let bytes = serialized_size_upper_bound(key.as_deref(), value.as_deref());
        if bytes > MAX_REQUEST_SIZE {
            return Err(SimError::RecordTooLarge { bytes });
        }
        // Then, in Kafka's order, the transaction's state and room in the accumulator.
        if let Some(fenced) = client.fenced_error() {
            return Err(fenced);
        }
        if client.config.transactional_id.is_some() && !client.transaction.takes_records() {
            return Err(SimError::TransactionState {
                producer: producer.to_owned(),
                reason: "a transactional producer sends only inside a transaction: call beginTransaction() first".to_owned(),
            });
        }
        if client.buffer_full() {
            return Err(SimError::BufferFull {
                producer: producer.to_owned(),
                bytes: client.config.buffer_memory,
            });
        }
        let (partition, record) = self.send(
            producer,
            topic,
            explicit,
            key.map(Arc::from),
            value.map(Arc::from),
            &available,
        )?;
        Ok(Outcome::Queued { partition, record })
    }

    /// `send()`: partitions the record and puts it in the accumulator.
    fn send(
        &mut self,
        producer: &str,
        topic: &str,
        explicit: Option<u32>,
        key: Option<Arc<str>>,
        value: Option<Arc<str>>,
        available: &[bool],
    ) -> Result<(PartitionId, u64), SimError> {
        let now = self.now_ms;
        let rng = &mut self.rng;
        let client = self
            .producers
            .get_mut(producer)
            .ok_or_else(|| SimError::UnknownProducer {
                producer: producer.to_owned(),
            })?;
        let (partition, choice) =
            client.choose_partition(topic, explicit, key.as_deref(), available, rng);
        let number = client.next_record_number();
        let record = PendingRecord {
            size: record_size(key.as_deref(), value.as_deref()),
            key,
            value,
            producer_seq: number,
            created_ms: now,
            choice,
        };
        client.enqueue(topic, partition, record, available, rng);
        self.add_to_transaction(producer, topic, partition);
        Ok((partition, number))
    }

    pub(crate) fn flush(&mut self, producer: &str) -> Result<Outcome, SimError> {
        self.producer_mut(producer)?.flushing = true;
        Ok(Outcome::Done)
    }

    pub(crate) fn start_generator(
        &mut self,
        id: String,
        producer: String,
        topic: String,
        rate_per_sec: u64,
        keys: KeySet,
    ) -> Result<Outcome, SimError> {
        if self.generators.contains_key(&id) {
            return Err(SimError::GeneratorExists { generator: id });
        }
        match self.producers.get(&producer) {
            None => return Err(SimError::UnknownProducer { producer }),
            Some(p) if p.config.transactional_id.is_some() => {
                return Err(SimError::TransactionState {
                    producer,
                    reason: "generators send outside transactions; use a producer without transactional.id".to_owned(),
                });
            }
            Some(_) => {}
        }
        if !self.topics.contains_key(&topic) {
            return Err(unknown_topic(&topic));
        }
        let generator = Generator::new(id.clone(), producer, topic, rate_per_sec, keys)?;
        self.generators.insert(id, generator);
        Ok(Outcome::Done)
    }

    pub(crate) fn stop_generator(&mut self, id: &str) -> Result<Outcome, SimError> {
        self.generators
            .remove(id)
            .ok_or_else(|| SimError::UnknownGenerator {
                generator: id.to_owned(),
            })?;
        self.emit(Event::GeneratorStopped {
            generator: id.to_owned(),
            reason: "stopped".to_owned(),
        });
        Ok(Outcome::Done)
    }

    /// Each generator sends the records due in this tick.
    pub(crate) fn run_generators(&mut self) {
        let ids: Vec<String> = self.generators.keys().cloned().collect();
        for id in ids {
            let Some(mut generator) = self.generators.remove(&id) else {
                continue;
            };
            let due = generator.due(self.config.tick_ms);
            let mut stopped = None;
            // A full buffer blocks the sending thread: this tick's records are not made.
            let blocked = self
                .producers
                .get(&generator.producer)
                .is_some_and(|p| p.buffer_full());
            let due = if blocked { 0 } else { due };
            let mut scratch = String::new();
            match self.available_partitions(&generator.topic) {
                Ok(available) => {
                    for _ in 0..due {
                        let key = generator.next_key(&mut self.rng, &mut scratch);
                        let value = generator.next_value(&mut scratch);
                        if let Err(error) = self.send(
                            &generator.producer,
                            &generator.topic,
                            None,
                            key,
                            Some(value),
                            &available,
                        ) {
                            stopped = Some(error.to_string());
                            break;
                        }
                    }
                }
                Err(error) => stopped = Some(error.to_string()),
            }
            match stopped {
                Some(reason) => self.emit(Event::GeneratorStopped {
                    generator: id,
                    reason,
                }),
                None => {
                    self.generators.insert(id, generator);
                }
            }
        }
    }
}
