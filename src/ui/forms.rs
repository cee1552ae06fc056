//! The text a learner types into a form, turned into an engine command. Plain Rust (no Leptos)
//! so every rule is tested natively; the engine checks ranges, these check that numbers are
//! numbers.

use crate::sim::assignor::Strategy;
use crate::sim::group::{GroupProtocol, ServerAssignor};
use crate::sim::{Command, ConsumerConfig, SimError, Subscription};
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
    text.parse()
        .map(Some)
        .map_err(|_| FieldError::new(field, format!("{text:?} is not a whole number; {allowed}")))
}

/// A whole number that must be given.
fn number(field: &str, text: &str, allowed: &str) -> Result<i64, FieldError> {
    match optional_number(field, text, allowed)? {
        Some(number) => Ok(number),
        None => Err(FieldError::new(field, format!("enter a number; {allowed}"))),
    }
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
            "1 up to the number of running brokers",
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

/// The Add consumer form: a name, a group, the topics to subscribe to (comma-separated), the
/// assignment strategy, the group protocol and the application's processing time per record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsumerForm {
    pub name: String,
    pub group: String,
    pub topics: String,
    /// "range", "roundrobin", "sticky", "cooperative-sticky", or "consumer" for KIP-848's
    /// protocol (uniform server assignor).
    pub strategy: String,
    pub processing_ms: String,
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
        match self.strategy.as_str() {
            "range" => config.strategy = Strategy::Range,
            "roundrobin" => config.strategy = Strategy::RoundRobin,
            "sticky" => config.strategy = Strategy::Sticky,
            "cooperative-sticky" => config.strategy = Strategy::CooperativeSticky,
            "consumer" => {
                config.group_protocol = GroupProtocol::Consumer {
                    assignor: ServerAssignor::Uniform,
                }
            }
            other => {
                return Err(FieldError::new(
                    "partition.assignment.strategy",
                    format!(
                        "{other:?} is not one of range, roundrobin, sticky, cooperative-sticky, consumer"
                    ),
                ));
            }
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
        Ok(Command::AddConsumer {
            consumer: self.name.trim().to_owned(),
            subscription: Subscription::Topics(topics),
            config,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            form("fast", "").to_command().unwrap_err().field,
            "partition.assignment.strategy"
        );
        assert_eq!(
            form("range", "-5").to_command().unwrap_err().field,
            "processing time"
        );
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
}
