//! The engine's side of `sender.rs`: the `Sim` methods that route commands and the clock to it.
use crate::sim::engine::Sim;
use crate::sim::engine::network::refreshes_metadata;
use crate::sim::event::Event;
use crate::sim::ids::{BrokerId, LeaderEpoch, Offset, PartitionId};
use crate::sim::ordered::Map;
use crate::sim::partition::{LeaderProduce, Produced};
use crate::sim::producer::Batch;
use crate::sim::sender::{PartState, ProduceRequest, RequestPart};
use crate::sim::types::{Acks, ProduceError, TopicPartition};

impl Sim {
    /// Every producer sends what is ready, and batches older than delivery.timeout.ms expire.
    pub(crate) fn run_senders(&mut self) {
        self.refresh_stale_metadata();
        let ids: Vec<String> = self.producers.keys().cloned().collect();
        for id in ids {
            self.expire_batches(&id);
            self.send_ready(&id);
        }
    }

    fn expire_batches(&mut self, id: &str) {
        let now = self.now_ms;
        let Some(producer) = self.producers.get_mut(id) else {
            return;
        };
        let timeout = producer.config.delivery_timeout_ms;
        let mut expired = Vec::new();
        for (topic, queues) in &mut producer.queues {
            for (&partition, queue) in queues {
                while queue
                    .front()
                    .is_some_and(|b| now.saturating_sub(b.created_ms) >= timeout)
                {
                    if let Some(batch) = queue.pop_front() {
                        expired.push((topic.clone(), partition, batch.len()));
                    }
                }
            }
        }
        for (topic, partition, records) in expired {
            producer.stats.failed += records as u64;
            self.events.push(
                now,
                Event::ProduceFailed {
                    producer: id.to_owned(),
                    topic,
                    partition,
                    records,
                    error: ProduceError::DeliveryTimeout { ms: timeout },
                },
            );
        }
    }

    /// Sends requests until nothing more is ready or every connection has
    /// max.in.flight.requests.per.connection requests waiting.
    fn send_ready(&mut self, id: &str) {
        while self.send_round(id) {}
        if let Some(producer) = self.producers.get_mut(id)
            && producer.buffered_records() == 0
        {
            producer.flushing = false;
        }
    }

    /// One round of the sender: one request per leader holding the first ready batch of each
    /// partition. Returns whether it sent anything.
    fn send_round(&mut self, id: &str) -> bool {
        let now = self.now_ms;
        let Some(producer) = self.producers.get(id) else {
            return false;
        };
        let config = producer.config.clone();
        let mut in_flight: Map<BrokerId, u32> = Default::default();
        for request in self.in_flight.iter().filter(|r| r.producer == id) {
            *in_flight.entry(request.broker).or_default() += 1;
        }
        let mut requests: Map<BrokerId, Vec<TopicPartition>> = Default::default();
        for (topic, queues) in &producer.queues {
            for (&partition, queue) in queues {
                let Some(batch) = queue.front() else {
                    continue;
                };
                let ready = batch.retry_at_ms <= now
                    && (queue.len() > 1
                        || batch.bytes >= config.batch_bytes()
                        || now.saturating_sub(batch.created_ms) >= config.linger_ms
                        || batch.attempts > 0
                        || producer.flushing);
                let leader = self
                    .topics
                    .get(topic)
                    .and_then(|t| t.partition(partition))
                    .and_then(|p| self.producer_leader(producer, p))
                    .filter(|l| self.reachable_by_clients(*l));
                if let (true, Some(leader)) = (ready, leader)
                    && in_flight.get(&leader).copied().unwrap_or(0) < config.max_in_flight
                {
                    requests
                        .entry(leader)
                        .or_default()
                        .push(TopicPartition::new(topic, partition));
                }
            }
        }
        let sent = !requests.is_empty();
        for (broker, partitions) in requests {
            let mut parts = Vec::with_capacity(partitions.len());
            for TopicPartition { topic, partition } in partitions {
                let Some(producer) = self.producers.get_mut(id) else {
                    return false;
                };
                let Some(mut batch) = producer
                    .queues
                    .get_mut(&topic)
                    .and_then(|q| q.get_mut(&partition))
                    .and_then(|q| q.pop_front())
                else {
                    continue;
                };
                batch.attempts += 1;
                batch.sealed = true;
                if producer.producer_id.is_some() && batch.base_sequence.is_none() {
                    batch.base_sequence =
                        Some(producer.reserve_sequence(&topic, partition, batch.len() as u32));
                }
                if batch.attempts == 1 {
                    batch.producer_epoch = producer.epoch;
                }
                let state = self.handle_produce(id, broker, &topic, partition, &batch, config.acks);
                if let PartState::Done(Err(error)) = &state {
                    self.meters.produce_failed(broker, error);
                }
                parts.push(RequestPart {
                    topic,
                    partition,
                    batch,
                    state,
                });
            }
            self.in_flight.push(ProduceRequest {
                producer: id.to_owned(),
                broker,
                deadline_ms: now.saturating_add(config.request_timeout_ms),
                parts,
            });
        }
        self.complete_requests();
        sent
    }

    /// The leader's side of a produce request for one batch: the topic's checks here, the
    /// partition's in `Partition::produce`, then the events and the sender's part state.
    fn handle_produce(
        &mut self,
        producer_name: &str,
        broker: BrokerId,
        topic_name: &str,
        partition: PartitionId,
        batch: &Batch,
        acks: Acks,
    ) -> PartState {
        let now = self.now_ms;
        let client = self.producers.get(producer_name);
        let producer_id = client.and_then(|p| p.producer_id);
        let unverified = self.verify_transaction(producer_name, topic_name, partition, batch);
        let earlier_pending = batch
            .base_sequence
            .is_some_and(|base| self.has_earlier_batch(producer_name, topic_name, partition, base));
        let settings = self.replication_settings(topic_name);
        let eligible = self.eligible_brokers();
        let cut_at = self.cut_from_controller_at(broker);
        let Some(topic) = self.topics.get_mut(topic_name) else {
            return PartState::Done(Err(ProduceError::UnknownTopicOrPartition));
        };
        if topic.config.cleanup_policy.compact && batch.records.iter().any(|r| r.key.is_none()) {
            return PartState::Done(Err(ProduceError::CompactedTopicWithoutKey));
        }
        let Some(p) = topic.partition_mut(partition) else {
            return PartState::Done(Err(ProduceError::UnknownTopicOrPartition));
        };
        if p.leader == Some(broker)
            && let Some(error) = unverified
        {
            return PartState::Done(Err(error));
        }
        let zombie_epoch = p.zombie_leadership(broker, cut_at).map(|led| led.epoch);
        let epoch = zombie_epoch.unwrap_or(p.leader_epoch);
        let controller_leader = p.leader;
        let request = LeaderProduce {
            broker,
            producer: producer_name,
            producer_id,
            batch,
            acks,
            earlier_pending,
            now_ms: now,
        };
        let produced = match zombie_epoch {
            Some(_) => p.produce_as_zombie(request, &settings),
            None => p.produce(request, &settings, &|b| eligible.contains(&b)),
        };
        if produced.is_ok()
            && batch.transactional
            && let Some(client) = self.producers.get_mut(producer_name)
        {
            client.transaction.partition_added(now);
        }
        let (from, to) = match produced {
            Err(error) => return PartState::Done(Err(error)),
            Ok(Produced::Duplicate { from, to }) => {
                if let Some(producer) = self.producers.get_mut(producer_name) {
                    producer.stats.duplicates_avoided += batch.len() as u64;
                }
                self.emit(Event::DuplicateIgnored {
                    producer: producer_name.to_owned(),
                    topic: topic_name.to_owned(),
                    partition,
                    from,
                    to,
                });
                (from, to)
            }
            Ok(Produced::Appended { from, to, .. }) if zombie_epoch.is_some() => {
                self.emit(Event::ZombieAppended {
                    topic: topic_name.to_owned(),
                    partition,
                    broker,
                    epoch,
                    leader: controller_leader,
                    from,
                    to,
                    producer: producer_name.to_owned(),
                    acks,
                });
                (from, to)
            }
            Ok(Produced::Appended {
                from,
                to,
                high_watermark,
            }) => {
                let choice = (batch.len() == 1).then(|| batch.records[0].choice.clone());
                self.emit(Event::RecordsAppended {
                    topic: topic_name.to_owned(),
                    partition,
                    leader: broker,
                    from,
                    to,
                    producer: producer_name.to_owned(),
                    choice,
                });
                if let Some(high_watermark) = high_watermark {
                    self.emit(Event::HighWatermarkAdvanced {
                        topic: topic_name.to_owned(),
                        partition,
                        high_watermark,
                    });
                }
                (from, to)
            }
        };
        match acks {
            Acks::All => PartState::AwaitingReplicas { epoch, from, to },
            Acks::None | Acks::Leader => PartState::Done(Ok((from, to))),
        }
    }

    /// Whether the producer still holds a batch for this partition that comes before `base`.
    fn has_earlier_batch(
        &self,
        producer: &str,
        topic: &str,
        partition: PartitionId,
        base: u32,
    ) -> bool {
        let earlier = |b: &Batch| b.base_sequence.is_some_and(|s| s < base);
        let queued = self
            .producers
            .get(producer)
            .and_then(|p| p.queues.get(topic))
            .and_then(|q| q.get(&partition))
            .is_some_and(|q| q.iter().any(earlier));
        let sent = self
            .in_flight
            .iter()
            .filter(|r| r.producer == producer)
            .any(|r| {
                r.parts.iter().any(|part| {
                    part.topic == topic && part.partition == partition && earlier(&part.batch)
                })
            });
        queued || sent
    }

    /// Settles what the cluster can now answer: acks=all batches whose high watermark arrived
    /// or whose leader changed, requests past request.timeout.ms, and requests to a broker that
    /// crashed. A request is answered once every batch in it is settled.
    pub(crate) fn complete_requests(&mut self) {
        let now = self.now_ms;
        let mut index = 0;
        while index < self.in_flight.len() {
            let broker = self.in_flight[index].broker;
            let timed_out = now >= self.in_flight[index].deadline_ms;
            let disconnected = !self.brokers.get(&broker).is_some_and(|b| b.is_up());
            // Cut off from the clients, the broker's answer never arrives.
            let unanswered = !disconnected && !self.reachable_by_clients(broker);
            let mut parts = std::mem::take(&mut self.in_flight[index].parts);
            for part in &mut parts {
                if let PartState::AwaitingReplicas { epoch, from, to } = part.state {
                    part.state = if disconnected {
                        PartState::Done(Err(ProduceError::NetworkException { broker }))
                    } else if unanswered {
                        if timed_out {
                            PartState::Done(Err(ProduceError::RequestTimedOut))
                        } else {
                            part.state.clone()
                        }
                    } else {
                        self.settle_awaiting(
                            &part.topic,
                            part.partition,
                            broker,
                            epoch,
                            from,
                            to,
                            timed_out,
                        )
                    };
                }
            }
            let settled = parts.iter().all(|p| matches!(p.state, PartState::Done(_)));
            self.in_flight[index].parts = parts;
            if settled {
                let request = self.in_flight.remove(index);
                self.answer(request);
            } else {
                index += 1;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn settle_awaiting(
        &self,
        topic: &str,
        partition: PartitionId,
        broker: BrokerId,
        epoch: LeaderEpoch,
        from: Offset,
        to: Offset,
        timed_out: bool,
    ) -> PartState {
        let Some((p, min_isr)) = self.topics.get(topic).and_then(|t| {
            t.partition(partition)
                .map(|p| (p, t.config.min_insync_replicas))
        }) else {
            return PartState::Done(Err(ProduceError::UnknownTopicOrPartition));
        };
        // A zombie leader answers by its own high watermark, which it moves only as the whole
        // ISR it believes in (`Partition::produce_as_zombie`).
        if let Some(led) = p.zombie_leadership(broker, self.cut_from_controller_at(broker))
            && led.epoch == epoch
        {
            let high_watermark = p.replica(broker).map(|r| r.high_watermark);
            return if high_watermark.is_some_and(|hw| hw >= to) {
                PartState::Done(Ok((from, to)))
            } else if timed_out {
                PartState::Done(Err(ProduceError::RequestTimedOut))
            } else {
                PartState::AwaitingReplicas { epoch, from, to }
            };
        }
        if p.leader != Some(broker) || p.leader_epoch != epoch {
            return PartState::Done(Err(ProduceError::NotLeaderOrFollower { broker }));
        }
        if p.high_watermark() >= to {
            return PartState::Done(if p.is_under_min_isr(min_isr) {
                Err(ProduceError::NotEnoughReplicasAfterAppend {
                    isr: p.isr.len() as u32,
                    min_insync_replicas: min_isr,
                })
            } else {
                Ok((from, to))
            });
        }
        if timed_out {
            return PartState::Done(Err(ProduceError::RequestTimedOut));
        }
        PartState::AwaitingReplicas { epoch, from, to }
    }

    /// The producer gets the answer to a request: acknowledgements, retries and failures.
    fn answer(&mut self, request: ProduceRequest) {
        let now = self.now_ms;
        let Some(producer) = self.producers.get_mut(&request.producer) else {
            return;
        };
        let config = producer.config.clone();
        for part in request.parts {
            let partition = part.partition;
            let records = part.batch.len();
            let PartState::Done(result) = part.state else {
                continue;
            };
            if let Err(error) = &result
                && refreshes_metadata(error)
            {
                producer.metadata_refreshed_ms = now;
            }
            match result {
                Ok((from, to)) => {
                    producer.stats.acknowledged += records as u64;
                    self.events.push(
                        now,
                        Event::ProduceAcked {
                            producer: request.producer.clone(),
                            topic: part.topic,
                            partition,
                            from,
                            to,
                            acks: config.acks,
                        },
                    );
                }
                Err(error) if config.acks == Acks::None => {
                    producer.stats.lost_unacknowledged += records as u64;
                    self.events.push(
                        now,
                        Event::RecordsDropped {
                            producer: request.producer.clone(),
                            topic: part.topic,
                            partition,
                            records,
                            error,
                        },
                    );
                }
                Err(error) => {
                    let expired =
                        now.saturating_sub(part.batch.created_ms) >= config.delivery_timeout_ms;
                    let exhausted = part.batch.attempts > config.retries;
                    if !error.retriable() || expired || exhausted {
                        let error = if expired {
                            ProduceError::DeliveryTimeout {
                                ms: config.delivery_timeout_ms,
                            }
                        } else {
                            error
                        };
                        producer.stats.failed += records as u64;
                        self.events.push(
                            now,
                            Event::ProduceFailed {
                                producer: request.producer.clone(),
                                topic: part.topic,
                                partition,
                                records,
                                error,
                            },
                        );
                    } else {
                        producer.stats.retries += 1;
                        // Time must pass between attempts even with retry.backoff.ms=0.
                        let backoff_ms = config
                            .retry_backoff(part.batch.attempts, &mut self.rng)
                            .max(1);
                        self.events.push(
                            now,
                            Event::ProduceRetrying {
                                producer: request.producer.clone(),
                                topic: part.topic.clone(),
                                partition,
                                records,
                                attempt: part.batch.attempts + 1,
                                backoff_ms,
                                error,
                            },
                        );
                        let mut batch = part.batch;
                        batch.retry_at_ms = now.saturating_add(backoff_ms);
                        producer.requeue(&part.topic, part.partition, batch);
                    }
                }
            }
        }
    }
}
