//! The text a learner types into a form, turned into an engine command. Plain Rust (no Leptos)
//! so every rule is tested natively; the engine checks ranges, these check that numbers are
//! numbers.
use crate::sim::error::cut;
use crate::sim::names::Named;
use crate::sim::types::{GroupProtocol, KeySet, ResetSpec, Strategy};
use crate::sim::{Command, ConsumerConfig, ProducerConfig, SimError, Subscription};
use std::fmt;

/// What the learner is told about one form field: the field's name (to mark its input) and the
/// whole message, which starts with that name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub text: String,
}

impl FieldError {
    fn new(field: &str, detail: String) -> FieldError {
        FieldError {
            field: field.to_owned(),
            text: format!("{field}: {detail}"),
        }
    }
}

impl From<SimError> for FieldError {
    fn from(error: SimError) -> FieldError {
        FieldError {
            field: error.field(),
            text: error.to_string(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Parses an optional whole number: empty (after trimming spaces) means none.
fn optional_number(field: &str, text: &str, allowed: &str) -> Result<Option<i64>, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| {
        FieldError::new(
            field,
            format!("{:?} is not a whole number; {allowed}", cut(text)),
        )
    })
}

/// A whole number that must be given.
fn number(field: &str, text: &str, allowed: &str) -> Result<i64, FieldError> {
    match optional_number(field, text, allowed)? {
        Some(number) => Ok(number),
        None => Err(FieldError::new(field, format!("enter a number; {allowed}"))),
    }
}

/// The refusal of `text` for `field`, which takes one of `names`.
fn not_one_of<'a>(field: &str, text: &str, names: impl Iterator<Item = &'a str>) -> FieldError {
    let names: Vec<&str> = names.collect();
    FieldError::new(
        field,
        format!("{:?} is not one of {}", cut(text), names.join(", ")),
    )
}

/// The value of `T` that `text` names, or a refusal that lists `T`'s names.
fn named<T: Named>(field: &str, text: &str) -> Result<T, FieldError> {
    T::from_name(text).ok_or_else(|| not_one_of(field, text, T::names()))
}

/// The Create topic form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateTopicForm {
    pub name: String,
    pub partitions: String,
    pub replication_factor: String,
}

impl CreateTopicForm {
    pub fn to_command(&self) -> Result<Command, FieldError> {
        let partitions = number(
            "partitions",
            &self.partitions,
            "a topic needs 1 to 64 partitions",
        )?;
        let replication_factor = number(
            "replication factor",
            &self.replication_factor,
            "1 up to the number of registered brokers (fenced ones count)",
        )?;
        Ok(Command::create_topic(
            &self.name,
            partitions,
            replication_factor,
        ))
    }
}

/// The Produce form. An empty key field sends a record without a key (a null key); an empty
/// partition field lets the partitioner choose.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProduceForm {
    pub producer: String,
    pub topic: String,
    pub key: String,
    pub value: String,
    pub partition: String,
}

impl ProduceForm {
    pub fn to_command(&self) -> Result<Command, FieldError> {
        let partition = optional_number(
            "partition",
            &self.partition,
            "leave it empty to let the producer choose",
        )?;
        Ok(Command::Produce {
            producer: self.producer.clone(),
            topic: self.topic.clone(),
            partition,
            key: (!self.key.is_empty()).then(|| self.key.clone()),
            value: Some(self.value.clone()),
        })
    }
}

/// The Add producer form: a producer's name and the settings a learner plays with; the rest
/// keep Kafka's defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProducerForm {
    pub name: String,
    /// An [`Acks`](crate::sim::Acks) name.
    pub acks: String,
    pub linger_ms: String,
    pub batch_size: String,
    pub enable_idempotence: bool,
    /// A [`PartitionerMode`](crate::sim::types::PartitionerMode) name.
    pub partitioner: String,
    /// Empty: not transactional.
    pub transactional_id: String,
}

impl Default for ProducerForm {
    /// Kafka's defaults.
    fn default() -> ProducerForm {
        let kafka = ProducerConfig::default();
        ProducerForm {
            name: "producer-2".to_owned(),
            acks: kafka.acks.name().to_owned(),
            linger_ms: kafka.linger_ms.to_string(),
            batch_size: kafka.batch_size.to_string(),
            enable_idempotence: kafka.enable_idempotence,
            partitioner: kafka.partitioner.name().to_owned(),
            transactional_id: String::new(),
        }
    }
}

impl ProducerForm {
    pub fn to_command(&self) -> Result<Command, FieldError> {
        let mut config = ProducerConfig {
            enable_idempotence: self.enable_idempotence,
            ..ProducerConfig::default()
        };
        config.acks = named("acks", self.acks.trim())?;
        config.linger_ms = whole("linger.ms", &self.linger_ms, "0 or more ms")?;
        config.batch_size = whole("batch.size", &self.batch_size, "0 or more bytes")?;
        config.partitioner = named("partitioner.class", &self.partitioner)?;
        let transactional_id = self.transactional_id.trim();
        config.transactional_id =
            (!transactional_id.is_empty()).then(|| transactional_id.to_owned());
        Ok(Command::AddProducer {
            producer: self.name.trim().to_owned(),
            config,
        })
    }
}

/// The Start a generator form: a producer sending records at a steady rate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratorForm {
    pub producer: String,
    pub topic: String,
    pub rate_per_sec: String,
    /// A [`KeySet`] name: uniform and skewed take `key_count` keys.
    pub keys: String,
    pub key_count: String,
}

impl GeneratorForm {
    /// The generator is named after its producer and topic, one per pair.
    pub fn to_command(&self) -> Result<Command, FieldError> {
        let rate_per_sec = whole("records/s", &self.rate_per_sec, "1 to 10,000,000")?;
        let count = || -> Result<u32, FieldError> {
            let count = whole(
                "keys",
                &self.key_count,
                "how many different keys, 1 or more",
            )?;
            u32::try_from(count).map_err(|_| {
                FieldError::new("keys", format!("{count} is too many; at most {}", u32::MAX))
            })
        };
        let keys = match named("keys", &self.keys)? {
            KeySet::Uniform { .. } => KeySet::Uniform { count: count()? },
            KeySet::Skewed { .. } => KeySet::Skewed { count: count()? },
            no_count => no_count,
        };
        Ok(Command::StartGenerator {
            generator: format!("{}:{}", self.producer, self.topic),
            producer: self.producer.clone(),
            topic: self.topic.clone(),
            rate_per_sec,
            keys,
        })
    }
}

/// The Alter topic form: a config (`kafka-configs.sh --alter`, an empty value deletes it back
/// to the default) or `partitions` (`kafka-topics.sh --alter --partitions`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AlterTopicForm {
    pub topic: String,
    /// A topic config key, or "partitions".
    pub key: String,
    pub value: String,
}

impl AlterTopicForm {
    pub fn to_command(&self) -> Result<Command, FieldError> {
        let value = self.value.trim();
        if self.key == "partitions" {
            return Ok(Command::AddPartitions {
                topic: self.topic.clone(),
                partitions: number("partitions", value, "the new, larger partition count")?,
            });
        }
        Ok(Command::AlterTopicConfig {
            topic: self.topic.clone(),
            key: self.key.clone(),
            value: (!value.is_empty()).then(|| value.to_owned()),
        })
    }
}

/// The Reset offsets form (`kafka-consumer-groups.sh --reset-offsets`), for one group.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResetOffsetsForm {
    pub group: String,
    /// Empty: every topic the group has offsets for.
    pub topic: String,
    /// A [`ResetSpec`] name.
    pub spec: String,
    /// The number for to-offset, shift-by and to-datetime (virtual ms).
    pub value: String,
}

impl ResetOffsetsForm {
    pub fn to_command(&self) -> Result<Command, FieldError> {
        let value = |allowed| number("offset", &self.value, allowed);
        let non_negative = |allowed| {
            let n = value(allowed)?;
            u64::try_from(n)
                .map_err(|_| FieldError::new("offset", format!("{n} is negative; {allowed}")))
        };
        let spec = match named("reset", &self.spec)? {
            ResetSpec::ToOffset(_) => ResetSpec::ToOffset(non_negative("an offset, 0 or more")?),
            ResetSpec::ShiftBy(_) => {
                ResetSpec::ShiftBy(value("a whole number of records, negative to go back")?)
            }
            ResetSpec::ToDatetime(_) => {
                ResetSpec::ToDatetime(non_negative("a virtual time in ms, 0 or more")?)
            }
            end @ (ResetSpec::Earliest | ResetSpec::Latest) => end,
        };
        let topic = self.topic.trim();
        Ok(Command::ResetOffsets {
            group: self.group.clone(),
            topic: (!topic.is_empty()).then(|| topic.to_owned()),
            spec,
        })
    }
}

/// The name to suggest after `name` was taken: `consumer-2` → `consumer-3`.
pub fn next_name(name: &str) -> Option<String> {
    let (stem, n) = name.rsplit_once('-')?;
    let n = n.parse::<u32>().ok()?.checked_add(1)?;
    Some(format!("{stem}-{n}"))
}

/// A whole number of 0 or more that must be given.
fn whole(field: &str, text: &str, allowed: &str) -> Result<u64, FieldError> {
    let value = number(field, text, allowed)?;
    u64::try_from(value)
        .map_err(|_| FieldError::new(field, format!("{value} is negative; {allowed}")))
}

/// What the consumer form's `partition.assignment.strategy` select picks: a classic group's
/// client-side strategy, or a group protocol whose broker assigns (KIP-848).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignmentChoice {
    Classic(Strategy),
    Protocol(GroupProtocol),
}

/// The select's choices by name: the strategies, then the consumer protocol (classic is the
/// protocol the strategies run on).
pub fn assignment_choices() -> impl Iterator<Item = (&'static str, AssignmentChoice)> {
    let strategies = Strategy::NAMES
        .iter()
        .map(|&(name, strategy)| (name, AssignmentChoice::Classic(strategy)));
    let protocols = GroupProtocol::NAMES
        .iter()
        .filter(|(_, protocol)| *protocol != GroupProtocol::Classic)
        .map(|&(name, protocol)| (name, AssignmentChoice::Protocol(protocol)));
    strategies.chain(protocols)
}

/// The Add consumer form: a name, a group, the topics to subscribe to (comma-separated), the
/// assignment strategy, the group protocol and the application's processing time per record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsumerForm {
    pub name: String,
    pub group: String,
    pub topics: String,
    /// The name of one of [`assignment_choices`].
    pub strategy: String,
    pub processing_ms: String,
    /// `enable.auto.commit`: "true" or "false".
    pub auto_commit: String,
    /// `auto.offset.reset`: an [`AutoOffsetReset`](crate::sim::AutoOffsetReset) name.
    pub offset_reset: String,
    /// `isolation.level`: an [`IsolationLevel`](crate::sim::IsolationLevel) name.
    pub isolation: String,
    /// `max.poll.records`; empty for Kafka's 500.
    pub max_poll_records: String,
    /// `group.instance.id`; empty for a dynamic member.
    pub group_instance_id: String,
}

impl ConsumerForm {
    pub fn to_command(&self) -> Result<Command, FieldError> {
        let topics: Vec<String> = self
            .topics
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        let mut config = ConsumerConfig::new(self.group.trim());
        let field = "partition.assignment.strategy";
        let choice = assignment_choices()
            .find(|(name, _)| *name == self.strategy)
            .ok_or_else(|| {
                not_one_of(
                    field,
                    &self.strategy,
                    assignment_choices().map(|(name, _)| name),
                )
            })?;
        match choice.1 {
            AssignmentChoice::Classic(strategy) => config.strategy = strategy,
            AssignmentChoice::Protocol(protocol) => config.group_protocol = protocol,
        }
        let processing = optional_number(
            "processing time",
            &self.processing_ms,
            "ms per record, 0 or more",
        )?
        .unwrap_or(0);
        config.processing_ms_per_record = u64::try_from(processing).map_err(|_| {
            FieldError::new(
                "processing time",
                format!("{processing} is negative; use 0 or more ms per record"),
            )
        })?;
        config.enable_auto_commit = self.auto_commit.parse().map_err(|_| {
            not_one_of(
                "enable.auto.commit",
                &self.auto_commit,
                ["true", "false"].into_iter(),
            )
        })?;
        config.auto_offset_reset = named("auto.offset.reset", &self.offset_reset)?;
        config.isolation_level = named("isolation.level", &self.isolation)?;
        let allowed = "1 to 2147483647 records per poll";
        if let Some(records) = optional_number("max.poll.records", &self.max_poll_records, allowed)?
        {
            config.max_poll_records = u32::try_from(records)
                .ok()
                .filter(|r| (1..=i32::MAX as u32).contains(r))
                .ok_or_else(|| {
                    FieldError::new(
                        "max.poll.records",
                        format!("{records} is out of range; {allowed}"),
                    )
                })?;
        }
        let consumer = self.name.trim().to_owned();
        let subscription = Subscription::Topics(topics);
        Ok(match self.group_instance_id.trim() {
            "" => Command::AddConsumer {
                consumer,
                subscription,
                config,
            },
            instance => Command::AddStaticConsumer {
                consumer,
                subscription,
                config,
                group_instance_id: instance.to_owned(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::types::PartitionerMode;
    use crate::sim::{Acks, AutoOffsetReset, IsolationLevel};

    fn produce(key: &str, partition: &str) -> Result<Command, FieldError> {
        ProduceForm {
            producer: "producer-1".into(),
            topic: "orders".into(),
            key: key.into(),
            value: "v".into(),
            partition: partition.into(),
        }
        .to_command()
    }

    #[test]
    fn empty_key_and_partition_mean_none() {
        assert_eq!(
            produce("", " "),
            Ok(Command::Produce {
                producer: "producer-1".into(),
                topic: "orders".into(),
                partition: None,
                key: None,
                value: Some("v".into())
            })
        );
    }

    #[test]
    fn key_is_kept_exactly_and_partition_parsed() {
        assert_eq!(
            produce(" user 7 ", " 2 "),
            Ok(Command::Produce {
                producer: "producer-1".into(),
                topic: "orders".into(),
                partition: Some(2),
                key: Some(" user 7 ".into()),
                value: Some("v".into())
            })
        );
        // Range is the engine's business: negative numbers pass through to be refused there.
        assert!(matches!(
            produce("k", "-1"),
            Ok(Command::Produce {
                partition: Some(-1),
                ..
            })
        ));
    }

    #[test]
    fn a_partition_that_is_not_a_number_names_the_field() {
        let error = produce("k", "two").unwrap_err();
        assert_eq!(
            error.to_string(),
            "partition: \"two\" is not a whole number; leave it empty to let the producer choose"
        );
    }

    #[test]
    fn consumer_form() {
        let form = |strategy: &str, processing: &str| ConsumerForm {
            name: " c2 ".into(),
            group: "billing".into(),
            topics: "orders, payments,".into(),
            strategy: strategy.into(),
            processing_ms: processing.into(),
            auto_commit: "false".into(),
            offset_reset: "latest".into(),
            isolation: "read_committed".into(),
            max_poll_records: " 10 ".into(),
            group_instance_id: String::new(),
        };
        let Ok(Command::AddConsumer {
            consumer,
            subscription,
            config,
        }) = form("cooperative-sticky", "20").to_command()
        else {
            panic!("a consumer");
        };
        assert_eq!(consumer, "c2");
        assert_eq!(
            subscription,
            Subscription::Topics(vec!["orders".into(), "payments".into()])
        );
        assert_eq!(config.strategy, Strategy::CooperativeSticky);
        assert_eq!(config.processing_ms_per_record, 20);
        assert!(!config.enable_auto_commit);
        assert_eq!(config.auto_offset_reset, AutoOffsetReset::Latest);
        assert_eq!(config.isolation_level, IsolationLevel::ReadCommitted);
        assert_eq!(config.max_poll_records, 10);
        let with = |change: fn(&mut ConsumerForm)| {
            let mut fields = form("range", "0");
            change(&mut fields);
            fields.to_command().map(|_| ()).map_err(|e| e.to_string())
        };
        assert_eq!(
            with(|f| f.max_poll_records = String::new()),
            Ok(()),
            "empty max.poll.records is Kafka's default"
        );
        assert_eq!(
            with(|f| f.max_poll_records = "0".into()),
            Err("max.poll.records: 0 is out of range; 1 to 2147483647 records per poll".into())
        );
        assert_eq!(
            with(|f| f.max_poll_records = "99999999999".into()),
            Err(
                "max.poll.records: 99999999999 is out of range; 1 to 2147483647 records per poll"
                    .into()
            )
        );
        assert_eq!(
            with(|f| f.offset_reset = "smallest".into()),
            Err("auto.offset.reset: \"smallest\" is not one of earliest, latest, none".into())
        );
        assert!(with(|f| f.auto_commit = "yes".into()).is_err());
        assert!(with(|f| f.isolation = "serializable".into()).is_err());
        assert_eq!(
            form("fast", "").to_command().unwrap_err().field,
            "partition.assignment.strategy"
        );
        assert_eq!(
            form("range", "-5").to_command().unwrap_err().field,
            "processing time"
        );
        let static_member = ConsumerForm {
            group_instance_id: " host-1 ".into(),
            ..form("range", "0")
        };
        assert!(matches!(
            static_member.to_command(),
            Ok(Command::AddStaticConsumer { group_instance_id, .. }) if group_instance_id == "host-1"
        ));
    }

    #[test]
    fn topic_form_needs_numbers() {
        let form = |partitions: &str, rf: &str| CreateTopicForm {
            name: "t".into(),
            partitions: partitions.into(),
            replication_factor: rf.into(),
        };
        assert_eq!(
            form("", "3").to_command().unwrap_err().to_string(),
            "partitions: enter a number; a topic needs 1 to 64 partitions"
        );
        assert_eq!(
            form("1.5", "3").to_command().unwrap_err().field,
            "partitions"
        );
        assert_eq!(
            form("2", "three").to_command().unwrap_err().field,
            "replication factor"
        );
        assert_eq!(
            form("0", "3").to_command(),
            Ok(Command::create_topic("t", 0, 3))
        );
    }

    #[test]
    fn the_producer_form_starts_at_kafkas_defaults() {
        let Ok(Command::AddProducer { producer, config }) = ProducerForm::default().to_command()
        else {
            panic!("the defaults make a producer");
        };
        assert_eq!(producer, "producer-2");
        assert_eq!(config, ProducerConfig::default());
    }

    #[test]
    fn producer_settings_are_parsed_and_bad_ones_named() {
        let form = ProducerForm {
            acks: "1".into(),
            linger_ms: " 20 ".into(),
            enable_idempotence: false,
            partitioner: "guide".into(),
            transactional_id: " tx-1 ".into(),
            ..ProducerForm::default()
        };
        let Ok(Command::AddProducer { config, .. }) = form.to_command() else {
            panic!("a valid form");
        };
        assert_eq!(config.acks, Acks::Leader);
        assert_eq!(config.linger_ms, 20);
        assert_eq!(config.partitioner, PartitionerMode::Guide);
        assert_eq!(config.transactional_id.as_deref(), Some("tx-1"));
        let bad = |form: ProducerForm| form.to_command().unwrap_err().to_string();
        assert_eq!(
            bad(ProducerForm {
                acks: "2".into(),
                ..ProducerForm::default()
            }),
            "acks: \"2\" is not one of all, 1, 0"
        );
        let all = ProducerForm {
            acks: " -1 ".into(),
            ..ProducerForm::default()
        };
        assert!(
            matches!(all.to_command(), Ok(Command::AddProducer { config, .. }) if config.acks == Acks::All),
            "-1 is acks=all"
        );
        assert_eq!(
            bad(ProducerForm {
                linger_ms: "-5".into(),
                ..ProducerForm::default()
            }),
            "linger.ms: -5 is negative; 0 or more ms"
        );
        assert_eq!(
            bad(ProducerForm {
                batch_size: "big".into(),
                ..ProducerForm::default()
            }),
            "batch.size: \"big\" is not a whole number; 0 or more bytes"
        );
    }

    #[test]
    fn the_generator_form_names_the_generator_after_producer_and_topic() {
        let form = GeneratorForm {
            producer: "producer-1".into(),
            topic: "orders".into(),
            rate_per_sec: "50".into(),
            keys: "skewed".into(),
            key_count: "10".into(),
        };
        assert_eq!(
            form.to_command(),
            Ok(Command::StartGenerator {
                generator: "producer-1:orders".into(),
                producer: "producer-1".into(),
                topic: "orders".into(),
                rate_per_sec: 50,
                keys: KeySet::Skewed { count: 10 },
            })
        );
        let no_keys = GeneratorForm {
            keys: "none".into(),
            key_count: "x".into(),
            ..form.clone()
        };
        assert!(matches!(
            no_keys.to_command(),
            Ok(Command::StartGenerator {
                keys: KeySet::NoKey,
                ..
            })
        ));
        let error = GeneratorForm {
            rate_per_sec: "".into(),
            ..form
        }
        .to_command()
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "records/s: enter a number; 1 to 10,000,000"
        );
    }

    #[test]
    fn the_next_name_counts_up() {
        assert_eq!(next_name("consumer-2").as_deref(), Some("consumer-3"));
        assert_eq!(next_name("my-app-9").as_deref(), Some("my-app-10"));
        assert_eq!(next_name("orders"), None);
        assert_eq!(next_name("x-4294967295"), None);
    }

    #[test]
    fn alter_topic_turns_into_a_config_change_or_more_partitions() {
        let form = |key: &str, value: &str| AlterTopicForm {
            topic: "orders".into(),
            key: key.into(),
            value: value.into(),
        };
        assert_eq!(
            form("retention.ms", " 5000 ").to_command(),
            Ok(Command::AlterTopicConfig {
                topic: "orders".into(),
                key: "retention.ms".into(),
                value: Some("5000".into())
            })
        );
        assert!(matches!(
            form("cleanup.policy", "").to_command(),
            Ok(Command::AlterTopicConfig { value: None, .. })
        ));
        assert!(matches!(
            form("partitions", "6").to_command(),
            Ok(Command::AddPartitions { partitions: 6, .. })
        ));
        assert_eq!(
            form("partitions", "six")
                .to_command()
                .unwrap_err()
                .to_string(),
            "partitions: \"six\" is not a whole number; the new, larger partition count"
        );
    }

    #[test]
    fn reset_offsets_reads_the_spec_and_its_number() {
        let form = |spec: &str, value: &str| ResetOffsetsForm {
            group: "group-1".into(),
            topic: String::new(),
            spec: spec.into(),
            value: value.into(),
        };
        assert_eq!(
            form("shift-by", "-2").to_command(),
            Ok(Command::ResetOffsets {
                group: "group-1".into(),
                topic: None,
                spec: ResetSpec::ShiftBy(-2)
            })
        );
        assert!(matches!(
            form("to-earliest", "ignored").to_command(),
            Ok(Command::ResetOffsets {
                spec: ResetSpec::Earliest,
                ..
            })
        ));
        assert_eq!(
            form("to-offset", "-1")
                .to_command()
                .unwrap_err()
                .to_string(),
            "offset: -1 is negative; an offset, 0 or more"
        );
    }
}
