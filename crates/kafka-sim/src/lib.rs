//! The pure core of Kafka Playground: a Kafka cluster simulated on a virtual clock (`sim`), and
//! what is plain Rust over it: Kafka's command-line tools (`console`), lessons and their checked
//! exercises (`lesson`), links and files (`share`), a real cluster's replay script (`export`),
//! plotters drawings generic over the backend (`charts`, fed by `history`), and the forms' and
//! the console's shared parsing and formatting (`forms`, `format`). No browser crate is a
//! dependency, so nothing here can reach the page, the wall clock or unseeded randomness.

pub mod charts;
pub mod console;
pub mod export;
pub mod format;
pub mod forms;
pub mod history;
pub mod lesson;
pub mod share;
pub mod sim;
