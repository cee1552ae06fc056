//! Kafka Playground: a Kafka cluster simulated in Rust (`sim`), drawn by a Leptos UI (`ui`) and
//! plotters charts (`charts`).

pub mod charts;
pub mod console;
pub mod export;
pub mod lesson;
pub mod share;
pub mod sim;
pub mod ui;
