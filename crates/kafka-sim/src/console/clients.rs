//! `kafka-console-producer.sh` and `kafka-console-consumer.sh`, as simulated clients.

use super::kafka_message;
use super::options::{Options, ToolOptions, pair};
use crate::forms::next_name;
use crate::sim::command::Command;
use crate::sim::error::SimError;
use crate::sim::event::Event;
use crate::sim::ids::{Offset, PartitionId};
use crate::sim::log::Record;
use crate::sim::names::{Named, either};
use crate::sim::ordered::Map;
use crate::sim::timeline::Timeline;
use crate::sim::types::{
    Acks, AutoOffsetReset, ConsumerConfig, ProducerConfig, Subscription, TopicPartition,
};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg32;

pub(super) const PRODUCER_OPTIONS: ToolOptions = ToolOptions {
    switches: &[],
    valued: &[
        "bootstrap-server",
        "topic",
        "property",
        "producer-property",
        "request-required-acks",
        "timeout",
        "request-timeout-ms",
        "message-send-max-retries",
        "retry-backoff-ms",
        "batch-size",
        "max-partition-memory-bytes",
        "max-memory-bytes",
    ],
};

/// The console producer's options that set a producer config: option, config, the option's
/// default (`ConsoleProducer.ConsoleProducerOptions`). `producerProps()` merges them in this
/// order with `CommandLineUtils.maybeMergeOptions`: an option given wins over
/// `--producer-property`; an option not given puts its default in unless `--producer-property`
/// set that config. So the console producer gives up after 3 retries 100 ms apart, 1.5 s per
/// request, where the Java producer retries until delivery.timeout.ms.
const CONFIG_OPTIONS: [(&str, &str, &str); 8] = [
    ("timeout", "linger.ms", "1000"),
    ("request-required-acks", "acks", "-1"),
    ("request-timeout-ms", "request.timeout.ms", "1500"),
    ("message-send-max-retries", "retries", "3"),
    ("retry-backoff-ms", "retry.backoff.ms", "100"),
    ("max-memory-bytes", "buffer.memory", "33554432"),
    // Two options set batch.size; given both, the one merged last wins.
    ("batch-size", "batch.size", "16384"),
    ("max-partition-memory-bytes", "batch.size", "16384"),
];

/// The producer configs `--producer-property` may set in the playground.
pub(super) const PRODUCER_PROPERTIES: [&str; 9] = [
    "acks",
    "batch.size",
    "buffer.memory",
    "delivery.timeout.ms",
    "enable.idempotence",
    "linger.ms",
    "request.timeout.ms",
    "retries",
    "retry.backoff.ms",
];

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
        "consumer-property",
    ],
};

/// The consumer configs `--consumer-property` may set in the playground.
pub(super) const CONSUMER_PROPERTIES: [&str; 1] = ["group.instance.id"];

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
    /// `null.marker`: a key or value that equals it is sent as null (a null value is a
    /// tombstone), as Kafka's `LineMessageReader` does.
    null_marker: Option<String>,
    lines_read: u64,
}

/// The first of `stem-1`, `stem-2`, ... that `taken` does not hold.
fn free_name(stem: &str, taken: impl Fn(&str) -> bool) -> String {
    std::iter::successors(Some(format!("{stem}-1")), |name| next_name(name))
        .find(|name| !taken(name))
        .unwrap_or_else(|| stem.to_owned())
}

/// The `key=value` settings of `--option` (`--property`, `--consumer-property`), refusing any
/// key but `allowed`.
fn properties(
    option: &str,
    options: &Options,
    tool: &str,
    allowed: &[&str],
) -> Result<Map<String, String>, String> {
    let mut read = Map::new();
    for item in options.values(option) {
        let (key, value) = pair(item)?;
        if !allowed.contains(&key.as_str()) {
            return Err(format!(
                "Unknown {option} {key}: the playground's {tool} reads {}",
                allowed.join(" and ")
            ));
        }
        read.insert(key, value);
    }
    Ok(read)
}

/// The producer's config as the console producer builds it: `--producer-property` settings,
/// the options merged over them (`CONFIG_OPTIONS`), each value read and checked as Kafka's
/// `ProducerConfig` reads it, with its `ConfigException` messages.
fn producer_config(options: &Options) -> Result<ProducerConfig, String> {
    let mut props: Map<String, String> = Map::new();
    for item in options.values("producer-property") {
        let (key, value) = pair(item)?;
        props.insert(key, value);
    }
    let idempotence_set = props.contains_key("enable.idempotence");
    let delivery_timeout_set = props.contains_key("delivery.timeout.ms");
    for (option, key, default) in CONFIG_OPTIONS {
        if options.has(option) || !props.contains_key(key) {
            let value = match options.value(option) {
                // The options but --request-required-acks take numbers, which joptsimple reads
                // before the producer sees them.
                Some(_) if option != "request-required-acks" => {
                    options.number(option)?.unwrap_or_default().to_string()
                }
                given => given.unwrap_or(default).to_owned(),
            };
            props.insert(key.to_owned(), value);
        }
    }
    let mut config = ProducerConfig::default();
    for (key, value) in &props {
        let invalid = |reason: &str| {
            format!(
                "org.apache.kafka.common.config.ConfigException: Invalid value {value} for configuration {key}: {reason}"
            )
        };
        // Kafka's INT and LONG configs here all take 0 or more.
        let number = |long: bool| -> Result<u64, String> {
            let parsed = if long {
                value.trim().parse::<i64>().ok()
            } else {
                value.trim().parse::<i32>().ok().map(i64::from)
            };
            let n = parsed.ok_or_else(|| {
                invalid(&format!(
                    "Not a number of type {}",
                    if long { "LONG" } else { "INT" }
                ))
            })?;
            u64::try_from(n).map_err(|_| invalid("Value must be at least 0"))
        };
        match key.as_str() {
            "acks" => {
                config.acks = Acks::from_name(value.trim())
                    .ok_or_else(|| invalid("String must be one of: all, -1, 0, 1"))?
            }
            "enable.idempotence" => {
                config.enable_idempotence = match value.trim().to_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(invalid("Expected value to be either true or false")),
                }
            }
            "batch.size" => config.batch_size = number(false)?,
            "buffer.memory" => config.buffer_memory = number(true)?,
            "delivery.timeout.ms" => config.delivery_timeout_ms = number(false)?,
            "linger.ms" => config.linger_ms = number(true)?,
            "request.timeout.ms" => config.request_timeout_ms = number(false)?,
            "retry.backoff.ms" => config.retry_backoff_ms = number(true)?,
            "retries" => config.retries = u32::try_from(number(false)?).unwrap_or(u32::MAX),
            // ConsoleProducer never calls initTransactions(), so send() fails in Kafka.
            "transactional.id" => {
                return Err(
                    "transactional.id: Kafka's console producer never calls initTransactions(), so its first send() fails (IllegalStateException); add a transactional producer with the Actions panel's producer form"
                        .to_owned(),
                );
            }
            _ => {
                return Err(format!(
                    "Unknown producer property {key}: the playground's console producer takes {}",
                    either(PRODUCER_PROPERTIES)
                ));
            }
        }
    }
    // Kafka's producer turns idempotence off by itself when acks is not all or retries is 0,
    // unless it was asked for explicitly (`ProducerConfig.postProcessAndValidateIdempotenceConfigs`).
    if !idempotence_set && (config.acks != Acks::All || config.retries == 0) {
        config.enable_idempotence = false;
    }
    // Unset, delivery.timeout.ms grows to linger.ms + request.timeout.ms
    // (`KafkaProducer.configureDeliveryTimeout`).
    let linger_and_request = config
        .linger_ms
        .saturating_add(config.request_timeout_ms)
        .min(i32::MAX as u64);
    if !delivery_timeout_set {
        config.delivery_timeout_ms = config.delivery_timeout_ms.max(linger_and_request);
    }
    Ok(config)
}

impl Producing {
    /// Starts a producer with the console producer's settings (`producer_config`).
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
            "property",
            &options,
            "console producer",
            &["parse.key", "key.separator", "null.marker"],
        )?;
        let parse_key = read.get("parse.key").is_some_and(|v| v == "true");
        let separator = read
            .get("key.separator")
            .map_or("\t", String::as_str)
            .to_owned();
        let null_marker = read.get("null.marker").cloned();
        // LineMessageReader.configure: the marker may equal none of the separators (the
        // headers' ones at their defaults; the playground reads no headers).
        for (name, text) in [
            ("key.separator", separator.as_str()),
            ("headers.separator", ","),
            ("headers.delimiter", "\t"),
            ("headers.key.separator", ":"),
        ] {
            if null_marker.as_deref() == Some(text) {
                return Err(format!(
                    "org.apache.kafka.common.KafkaException: null.marker and {name} may not be equal"
                ));
            }
        }
        let config = producer_config(&options)?;
        let producer = free_name("console-producer", |n| timeline.sim().producer(n).is_some());
        timeline
            .apply(Command::AddProducer {
                producer: producer.clone(),
                config,
            })
            .map_err(|e| match e {
                SimError::InvalidProducerConfig { .. } => {
                    format!("org.apache.kafka.common.config.ConfigException: {e}")
                }
                e => kafka_message(&e),
            })?;
        Ok(Producing {
            producer,
            topic,
            separator: parse_key.then_some(separator),
            null_marker,
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
        let unless_null = |text: String| (self.null_marker.as_ref() != Some(&text)).then_some(text);
        timeline
            .apply(Command::Produce {
                producer: self.producer.clone(),
                topic: self.topic.clone(),
                partition: None,
                key: key.and_then(unless_null),
                value: unless_null(value),
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

/// `console-consumer-` and a random number below 100000, the group Kafka's console consumer
/// joins without `--group` (`ConsoleConsumerOptions.buildConsumerProps`). Drawn from the Sim's
/// seed and the number of commands in the timeline's history, so the same seed and the same
/// commands give the same name; a name some group has is drawn again.
fn random_group(timeline: &Timeline) -> Result<String, String> {
    let sim = timeline.sim();
    let history = timeline.command_log().count() as u64;
    let mut rng = Pcg32::seed_from_u64(sim.seed() ^ history.rotate_left(32));
    std::iter::repeat_with(|| format!("console-consumer-{}", rng.random_range(0..100_000)))
        .take(100_000)
        .find(|name| sim.group(name).is_none())
        .ok_or_else(|| {
            "No free console-consumer-N group name is left; name one with --group".to_owned()
        })
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
        "property",
        &options,
        "console consumer",
        &[
            "print.timestamp",
            "print.partition",
            "print.offset",
            "print.key",
        ],
    )?;
    let mut consumer_props = properties(
        "consumer-property",
        &options,
        "console consumer",
        &CONSUMER_PROPERTIES,
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
    let consumer = free_name("console-consumer", |n| timeline.sim().consumer(n).is_some());
    let mut config = match options.value("group") {
        Some(group) => ConsumerConfig::new(group.to_owned()),
        None => {
            // Kafka's group for this run alone: its offsets are not meant to be used again, so
            // the consumer commits none (`ConsoleConsumerOptions.buildConsumerProps`).
            let mut config = ConsumerConfig::new(random_group(timeline)?);
            config.enable_auto_commit = false;
            config
        }
    };
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
    let start = match consumer_props.remove("group.instance.id") {
        Some(group_instance_id) => Command::AddStaticConsumer {
            consumer: consumer.clone(),
            subscription,
            config,
            group_instance_id,
        },
        None => Command::AddConsumer {
            consumer: consumer.clone(),
            subscription,
            config,
        },
    };
    timeline.apply(start).map_err(|e| kafka_message(&e))?;
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
            for record in timeline.sim().records(&topic, partition).between(from, to) {
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
