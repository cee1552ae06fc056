//! Kafka Playground's page: a Leptos UI (`ui`) over the pure simulation core, the `kafka-sim`
//! crate (crates/kafka-sim), which it drives by commands and draws from snapshots.

pub mod ui;
