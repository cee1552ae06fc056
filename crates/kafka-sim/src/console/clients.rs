//! `kafka-console-producer.sh` and `kafka-console-consumer.sh`, as simulated clients.

use super::kafka_message;
use super::options::{Options, ToolOptions, pair};
use crate::forms::{ProducerForm, next_name};
use crate::sim::command::Command;
use crate::sim::event::Event;
use crate::sim::ids::{Offset, PartitionId};
use crate::sim::log::Record;
use crate::sim::names::Named;
use crate::sim::ordered::Map;
use crate::sim::timeline::Timeline;
use crate::sim::types::{Acks, AutoOffsetReset, ConsumerConfig, Subscription, TopicPartition};

pub(super) const PRODUCER_OPTIONS: ToolOptions = ToolOptions {
    switches: &[],
    valued: &[
        "bootstrap-server",
        "topic",
        "property",
        "producer-property",
        "request-required-acks",
        "timeout",
    ],
};

pub(super) const CONSUMER_OPTIONS: ToolOptions = ToolOptions {
    switches: &["from-beginning"],
    valued: &[
        "bootstrap-server",
        "topic",
        "group",
        "max-messages",
        "timeout-ms",
        "partition",
        "offset",
        "property",
    ],
};

/// The console consumer's `--offset` words (besides a number): it starts where
/// `auto.offset.reset` of that name would.
pub(super) const OFFSET_WORDS: [AutoOffsetReset; 2] =
    [AutoOffsetReset::Earliest, AutoOffsetReset::Latest];

/// A console producer reading records, one per line.
#[derive(Debug)]
pub struct Producing {
    producer: String,
    topic: String,
    /// `key.separator` when `parse.key=true`.
    separator: Option<String>,
    lines_read: u64,
}

/// The first of `stem-1`, `stem-2`, ... that `taken` does not hold.
fn free_name(stem: &str, taken: impl Fn(&str) -> bool) -> String {
    std::iter::successors(Some(format!("{stem}-1")), |name| next_name(name))
        .find(|name| !taken(name))
        .unwrap_or_else(|| stem.to_owned())
}

/// The `--property key=value` settings, refusing any key but `allowed`.
fn properties(
    options: &Options,
    tool: &str,
    allowed: &[&str],
) -> Result<Map<String, String>, String> {
    let mut read = Map::new();
    for item in options.values("property") {
        let (key, value) = pair(item)?;
        if !allowed.contains(&key.as_str()) {
            return Err(format!(
                "Unknown property {key}: the playground's {tool} reads {}",
                allowed.join(" and ")
            ));
        }
        read.insert(key, value);
    }
    Ok(read)
}

impl Producing {
    /// Starts a producer with the console producer's settings: Kafka's producer defaults
    /// (acks=all, idempotent), its `--timeout` default of 1000 ms as linger.ms,
    /// `--request-required-acks` and `--producer-property` for acks, linger.ms, batch.size and
    /// enable.idempotence.
    pub fn start(args: &[String], timeline: &mut Timeline) -> Result<Producing, String> {
        let options = PRODUCER_OPTIONS.parse(args)?;
        options.required("bootstrap-server")?;
        let topic = options.required("topic")?.to_owned();
        if timeline.sim().topic_config(&topic).is_none() {
            // Kafka's producer would wait max.block.ms for the topic's metadata, then fail.
            return Err(format!(
                "[Producer clientId=console-producer] Error while fetching metadata: {{{topic}=UNKNOWN_TOPIC_OR_PARTITION}}\n(the topic does not exist; create it with kafka-topics.sh --create)"
            ));
        }
        let read = properties(
            &options,
            "console producer",
            &["parse.key", "key.separator"],
        )?;
        let parse_key = read.get("parse.key").is_some_and(|v| v == "true");
        let separator = read
            .get("key.separator")
            .map_or("\t", String::as_str)
            .to_owned();
        let producer = free_name("console-producer", |n| timeline.sim().producer(n).is_some());
        let mut form = ProducerForm {
            name: producer.clone(),
            linger_ms: options.value("timeout").unwrap_or("1000").to_owned(),
            ..ProducerForm::default()
        };
        if let Some(acks) = options.value("request-required-acks") {
            form.acks = acks.to_owned();
        }
        let mut idempotence_set = false;
        for item in options.values("producer-property") {
            match pair(item)? {
                (key, value) if key == "acks" => form.acks = value,
                (key, value) if key == "linger.ms" => form.linger_ms = value,
                (key, value) if key == "batch.size" => form.batch_size = value,
                (key, value) if key == "enable.idempotence" => {
                    idempotence_set = true;
                    form.enable_idempotence = match value.as_str() {
                        "true" => true,
                        "false" => false,
                        _ => {
                            return Err(format!(
                                "Invalid value {value} for configuration enable.idempotence: Expected value to be either true or false"
                            ));
                        }
                    }
                }
                (key, _) => {
                    return Err(format!(
                        "Unknown producer property {key}: the playground's console producer sets acks, linger.ms, batch.size and enable.idempotence"
                    ));
                }
            }
        }
        let mut command = form
            .to_command()
            .map_err(|e| format!("org.apache.kafka.common.config.ConfigException: {}", e.text))?;
        // Kafka (3.2+) turns idempotence off by itself when acks is not all, unless it was asked
        // for explicitly.
        if let Command::AddProducer { config, .. } = &mut command
            && !idempotence_set
            && config.acks != Acks::All
        {
            config.enable_idempotence = false;
        }
        timeline.apply(command).map_err(|e| kafka_message(&e))?;
        Ok(Producing {
            producer,
            topic,
            separator: parse_key.then_some(separator),
            lines_read: 0,
        })
    }

    /// Sends what waits in the producer's batches now (`close()` at the end of input).
    pub fn flush(&self, timeline: &mut Timeline) -> Result<Vec<String>, String> {
        timeline
            .apply(Command::Flush {
                producer: self.producer.clone(),
            })
            .map(|_| Vec::new())
            .map_err(|e| kafka_message(&e))
    }

    /// Sends one line as a record: its value, or with `parse.key=true` a key and a value split
    /// at the first `key.separator`.
    pub fn send(&mut self, line: &str, timeline: &mut Timeline) -> Result<Vec<String>, String> {
        self.lines_read += 1;
        let (key, value) = match &self.separator {
            Some(separator) => match line.split_once(separator.as_str()) {
                Some((key, value)) => (Some(key.to_owned()), value.to_owned()),
                None => {
                    return Err(format!(
                        "org.apache.kafka.common.KafkaException: No key separator found on line number {}: '{line}'",
                        self.lines_read
                    ));
                }
            },
            None => (None, line.to_owned()),
        };
        timeline
            .apply(Command::Produce {
                producer: self.producer.clone(),
                topic: self.topic.clone(),
                partition: None,
                key,
                value: Some(value),
            })
            .map_err(|e| {
                format!(
                    "org.apache.kafka.common.KafkaException: {}",
                    kafka_message(&e)
                )
            })?;
        Ok(Vec::new())
    }
}

/// What a console consumer prints of each record, as Kafka's `DefaultMessageFormatter` does:
/// `CreateTime:…`, `Partition:…`, `Offset:…` and the key when asked for, each followed by a tab,
/// then the value (`null` for a missing key or value).
struct RecordFormat {
    timestamp: bool,
    partition: bool,
    offset: bool,
    key: bool,
}

impl RecordFormat {
    fn line(&self, partition: PartitionId, record: &Record) -> String {
        let mut line = String::new();
        if self.timestamp {
            line.push_str(&format!("CreateTime:{}\t", record.timestamp_ms));
        }
        if self.partition {
            line.push_str(&format!("Partition:{}\t", partition.0));
        }
        if self.offset {
            line.push_str(&format!("Offset:{}\t", record.offset.0));
        }
        if self.key {
            line.push_str(record.key.as_deref().unwrap_or("null"));
            line.push('\t');
        }
        line.push_str(record.value.as_deref().unwrap_or("null"));
        line
    }
}

/// Runs a console consumer until it has printed `--max-messages` records or `--timeout-ms` of
/// virtual time passed without one, then closes it (committing, with a group).
pub fn consume(args: &[String], timeline: &mut Timeline) -> Result<Vec<String>, String> {
    let options = CONSUMER_OPTIONS.parse(args)?;
    options.required("bootstrap-server")?;
    let topic = options.required("topic")?.to_owned();
    let Some(partitions) = timeline.sim().topic_partitions(&topic) else {
        return Err(format!(
            "[Consumer clientId=console-consumer] Error while fetching metadata: {{{topic}=UNKNOWN_TOPIC_OR_PARTITION}}\n(the topic does not exist; create it with kafka-topics.sh --create)"
        ));
    };
    let positive = |name: &str| -> Result<Option<u64>, String> {
        options
            .number(name)?
            .map(|n| {
                u64::try_from(n)
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or(format!("--{name} must be 1 or more"))
            })
            .transpose()
    };
    let max_messages = positive("max-messages")?;
    // At most an hour, like sleep: the console waits for the consumer in virtual time.
    let timeout_ms = positive("timeout-ms")?.unwrap_or(10_000).min(3_600_000);
    let printed_fields = properties(
        &options,
        "console consumer",
        &[
            "print.timestamp",
            "print.partition",
            "print.offset",
            "print.key",
        ],
    )?;
    let print = |name: &str| printed_fields.get(name).is_some_and(|v| v == "true");
    let format = RecordFormat {
        timestamp: print("print.timestamp"),
        partition: print("print.partition"),
        offset: print("print.offset"),
        key: print("print.key"),
    };
    let partition = options
        .number("partition")?
        .map(|p| {
            u32::try_from(p)
                .ok()
                .filter(|p| (*p as usize) < partitions)
                .ok_or(format!(
                    "--partition: {topic} has partitions 0 to {}",
                    partitions - 1
                ))
        })
        .transpose()?;
    if partition.is_some() && options.has("group") {
        return Err("Options group and partition cannot be specified together.".to_owned());
    }
    if options.has("offset") && partition.is_none() {
        return Err("The partition is required when offset is specified.".to_owned());
    }
    // Kafka names the group console-consumer-<random number>; here the first name that is
    // neither a consumer nor a group yet, so a new console consumer never inherits offsets.
    let sim = timeline.sim();
    let consumer = free_name("console-consumer", |n| {
        sim.consumer(n).is_some() || sim.group(n).is_some()
    });
    let group = options
        .value("group")
        .map_or_else(|| consumer.clone(), str::to_owned);
    let mut config = ConsumerConfig::new(group);
    let offset_word = options
        .value("offset")
        .and_then(|offset| OFFSET_WORDS.into_iter().find(|word| word.name() == offset));
    // The console consumer starts at the end unless --from-beginning (Kafka's default).
    config.auto_offset_reset =
        if options.has("from-beginning") || offset_word == Some(AutoOffsetReset::Earliest) {
            AutoOffsetReset::Earliest
        } else {
            AutoOffsetReset::Latest
        };
    let subscription = match partition {
        Some(p) => {
            Subscription::Partitions(vec![TopicPartition::new(topic.clone(), PartitionId(p))])
        }
        None => Subscription::Topics(vec![topic.clone()]),
    };
    // Checked before anything is started, so a refusal leaves nothing behind.
    let seek_to = match (partition, options.value("offset")) {
        (Some(p), Some(offset)) if offset_word.is_none() => Some((
            p,
            offset.parse::<u64>().map_err(|_| {
                let words = OFFSET_WORDS.map(|word| word.name()).join(", ");
                format!("The offset {offset} is not {words} or a number 0 or more")
            })?,
        )),
        _ => None,
    };
    timeline
        .apply(Command::AddConsumer {
            consumer: consumer.clone(),
            subscription,
            config,
        })
        .map_err(|e| kafka_message(&e))?;
    if let Some((p, offset)) = seek_to {
        // The partition is assigned at once (assign()), and a seek takes any offset.
        timeline
            .apply(Command::Seek {
                consumer: consumer.clone(),
                topic: topic.clone(),
                partition: PartitionId(p),
                offset,
            })
            .map_err(|e| kafka_message(&e))?;
    }
    let mut lines = Vec::new();
    let mut printed = 0u64;
    let mut last_record_ms = timeline.sim().now_ms();
    // The consumer polls by itself at every tick (the engine runs each consumer's poll loop);
    // the console prints what its polls fetched, read from the events, which it leaves for the
    // event log.
    let mut seen = timeline.sim().waiting_events().len();
    while max_messages.is_none_or(|max| printed < max)
        && timeline.sim().now_ms().saturating_sub(last_record_ms) < timeout_ms
    {
        timeline.tick();
        let events = timeline.sim().waiting_events();
        let fetched: Vec<(PartitionId, Offset, Offset)> = events[seen.min(events.len())..]
            .iter()
            .filter_map(|e| match &e.event {
                Event::Fetched {
                    consumer: c,
                    partition,
                    from,
                    to,
                    ..
                } if *c == consumer => Some((*partition, *from, *to)),
                _ => None,
            })
            .collect();
        seen = events.len();
        if fetched.is_empty() {
            continue;
        }
        last_record_ms = timeline.sim().now_ms();
        for (partition, from, to) in fetched {
            let records = timeline.sim().records(&topic, partition);
            let start = records.partition_point(|r| r.offset < from);
            for record in records[start..].iter().take_while(|r| r.offset < to) {
                if record.control.is_some() || max_messages.is_some_and(|max| printed >= max) {
                    continue;
                }
                lines.push(format.line(partition, record));
                printed += 1;
            }
        }
    }
    let _ = timeline.apply(Command::CloseConsumer { consumer });
    lines.push(format!("Processed a total of {printed} messages"));
    Ok(lines)
}
