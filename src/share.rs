//! A playground as data, to share or keep: the starting scenario, every command since with the
//! virtual time it was applied, and the moment shown. Replaying it rebuilds the same state,
//! hash for hash (the engine is deterministic).
//!
//! Two spellings: a link fragment (`kp1.` and the postcard encoding in base64url; the page
//! compresses it further) and a JSON file. Both are read as untrusted input: anything malformed,
//! from another version, or that the engine refuses on replay is an error that names what is
//! wrong, and the caller keeps its playground as it was.

use crate::sim::command::Command;
use crate::sim::scenario::Scenario;
use crate::sim::timeline::Timeline;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

/// What a link fragment starts with: the format and its version.
const LINK_PREFIX: &str = "kp1.";
/// The `format` field of an exported JSON file.
const FILE_FORMAT: &str = "kafka-playground/1";
/// Replaying is bounded, so a hostile link cannot freeze the page: at most this much virtual
/// time (warm-up included) ...
const MAX_REPLAY_MS: u64 = 3_600_000;
/// ... in at most this many ticks ...
const MAX_REPLAY_TICKS: u64 = 36_000;
/// ... with at most this many commands (the scenario's included) ...
const MAX_COMMANDS: usize = 10_000;
/// ... and generators offering at most this many records in all.
const MAX_GENERATED_RECORDS: u64 = 5_000_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    /// `kafka-playground/1` in a file.
    pub format: String,
    pub scenario: Scenario,
    /// `(virtual ms, command)`, oldest first.
    pub commands: Vec<(u64, Command)>,
    /// The virtual time shown.
    pub now_ms: u64,
}

impl Shared {
    /// The playground that `timeline` shows, started from `scenario`.
    pub fn of(scenario: &Scenario, timeline: &Timeline) -> Shared {
        Shared {
            format: FILE_FORMAT.to_owned(),
            scenario: scenario.clone(),
            commands: timeline
                .command_log()
                .map(|(at_ms, command)| (at_ms, command.clone()))
                .collect(),
            now_ms: timeline.sim().now_ms(),
        }
    }

    /// Rebuilds the playground: the scenario, each command at its time, then on to `now_ms`.
    pub fn replay(&self) -> Result<Timeline, String> {
        if self.format != FILE_FORMAT {
            return Err(format!(
                "format: {:?} is not {FILE_FORMAT:?}, a file this playground wrote",
                self.format
            ));
        }
        let commands = self.scenario.commands.len() + self.commands.len();
        if commands > MAX_COMMANDS {
            return Err(format!(
                "commands: {commands} is more than the {MAX_COMMANDS} a shared playground may hold"
            ));
        }
        let span_ms = self.scenario.warm_up_ms.saturating_add(self.now_ms);
        let ticks = span_ms / self.scenario.config.tick_ms.max(1);
        if span_ms > MAX_REPLAY_MS || ticks > MAX_REPLAY_TICKS {
            return Err(format!(
                "time: a shared playground may cover at most an hour of virtual time in {MAX_REPLAY_TICKS} ticks"
            ));
        }
        let at_start = self.scenario.commands.iter().map(|c| (0, c));
        let generated: u64 = at_start
            .chain(self.commands.iter().map(|(at, c)| (*at, c)))
            .map(|(at_ms, command)| match command {
                Command::StartGenerator { rate_per_sec, .. } => {
                    rate_per_sec.saturating_mul(span_ms.saturating_sub(at_ms) / 1000)
                }
                _ => 0,
            })
            .fold(0, u64::saturating_add);
        if generated > MAX_GENERATED_RECORDS {
            return Err(format!(
                "generators: they would offer {generated} records, more than the {MAX_GENERATED_RECORDS} a shared playground may"
            ));
        }
        let sim = self
            .scenario
            .build()
            .map_err(|e| format!("scenario: it does not start: {e}"))?;
        let mut timeline = Timeline::new(sim);
        let mut last = timeline.sim().now_ms();
        for (n, (at_ms, command)) in self.commands.iter().enumerate() {
            if *at_ms < last || *at_ms > self.now_ms {
                return Err(format!(
                    "commands: command {} is at {at_ms} ms, out of order (after {last} ms, by {} ms)",
                    n + 1,
                    self.now_ms
                ));
            }
            while timeline.sim().now_ms() < *at_ms {
                timeline.tick();
            }
            timeline.apply(command.clone()).map_err(|e| {
                format!("commands: command {} at {at_ms} ms was refused: {e}", n + 1)
            })?;
            last = *at_ms;
        }
        while timeline.sim().now_ms() < self.now_ms {
            timeline.tick();
        }
        timeline.drain_events();
        Ok(timeline)
    }

    /// The link fragment: `kp1.` and the postcard bytes in base64url.
    pub fn to_link(&self) -> String {
        let bytes = postcard::to_allocvec(self).unwrap_or_default();
        format!("{LINK_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Reads a link fragment (with or without a leading `#`).
    pub fn from_link(link: &str) -> Result<Shared, String> {
        let body = link
            .trim()
            .trim_start_matches('#')
            .strip_prefix(LINK_PREFIX)
            .ok_or("link: not a Kafka Playground link (it does not start with kp1.)")?;
        let bytes = URL_SAFE_NO_PAD.decode(body).map_err(|_| {
            "link: damaged (not base64url); was it cut short when copied?".to_owned()
        })?;
        postcard::from_bytes::<Shared>(&bytes)
            .ok()
            .filter(Shared::is_ours)
            .ok_or_else(|| "link: damaged (its contents do not read as a playground)".to_owned())
    }

    /// Whether it says it is this playground's format (anything read says so, or is refused).
    fn is_ours(&self) -> bool {
        self.format == FILE_FORMAT
    }

    /// The JSON file.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads an imported file's bytes: UTF-8 JSON.
    pub fn from_file(bytes: &[u8]) -> Result<Shared, String> {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| "file: not a Kafka Playground file (it is not UTF-8 text)".to_owned())?;
        Shared::from_json(text)
    }

    /// Reads a JSON file.
    pub fn from_json(text: &str) -> Result<Shared, String> {
        let shared: Shared = serde_json::from_str(text)
            .map_err(|e| format!("file: not a Kafka Playground file ({e})"))?;
        if !shared.is_ours() {
            return Err(format!(
                "file: its format is {:?}, not {FILE_FORMAT:?}, a file this playground wrote",
                shared.format
            ));
        }
        Ok(shared)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Console;

    /// The starter scenario with some history: records, a crash, a config change, time travel.
    fn lived() -> (Scenario, Timeline) {
        let scenario = Scenario::starter();
        let mut timeline = Timeline::new(scenario.build().expect("starter"));
        let mut console = Console::new();
        for line in [
            "kafka-console-producer.sh --bootstrap-server b:9092 --topic orders --property parse.key=true --property key.separator=:",
            "user-1:a",
            "user-2:b",
            "^D",
            "sleep 3",
            "crash-broker 2",
            "sleep 12",
            "kafka-configs.sh --bootstrap-server b:9092 --topic orders --alter --add-config retention.ms=60000",
            "sleep 4",
        ] {
            assert!(!console.enter(line, &mut timeline).failed, "{line}");
        }
        timeline.seek(timeline.sim().now_ms() - 2_000);
        (scenario, timeline)
    }

    #[test]
    fn a_link_and_a_file_replay_to_the_same_state_hash() {
        let (scenario, timeline) = lived();
        let shared = Shared::of(&scenario, &timeline);
        assert_eq!(shared.commands.len(), 6, "{:?}", shared.commands);
        let link = shared.to_link();
        assert!(
            link.starts_with("kp1.") && link.len() < 2_000,
            "{} chars",
            link.len()
        );
        for read in [
            Shared::from_link(&format!("#{link}")),
            Shared::from_json(&shared.to_json()),
        ] {
            let replayed = read.expect("reads back").replay().expect("replays");
            assert_eq!(replayed.sim().now_ms(), timeline.sim().now_ms());
            assert_eq!(replayed.sim().state_hash(), timeline.sim().state_hash());
        }
    }

    #[test]
    fn the_log_drops_a_future_that_a_new_command_replaced() {
        let (scenario, mut timeline) = lived();
        // Rewound 2 s, to 17 s: the config change at 15 s is in; back to 12 s, it is not.
        assert_eq!(Shared::of(&scenario, &timeline).commands.len(), 6);
        timeline.seek(timeline.sim().now_ms() - 5_000);
        assert_eq!(
            Shared::of(&scenario, &timeline).commands.len(),
            5,
            "before the config change"
        );
        timeline.apply(Command::AddBroker).expect("a new future");
        let shared = Shared::of(&scenario, &timeline);
        assert_eq!(
            shared.commands.last().map(|(_, c)| c),
            Some(&Command::AddBroker)
        );
        assert_eq!(shared.commands.len(), 6);
        let replayed = shared.replay().expect("replays");
        assert_eq!(replayed.sim().state_hash(), timeline.sim().state_hash());
    }

    #[test]
    fn commands_older_than_the_remembered_history_are_still_shared() {
        let scenario = Scenario::starter();
        // A snapshot every 5 ticks, 2 kept: history older than about a second is forgotten.
        let mut timeline = Timeline::with_limits(scenario.build().expect("starter"), 5, 2);
        timeline
            .apply(Command::produce("producer-1", "orders", Some("k"), "early"))
            .expect("produce");
        for _ in 0..60 {
            timeline.tick();
        }
        assert!(
            timeline.start_ms() > 0,
            "the start of the history was forgotten"
        );
        let shared = Shared::of(&scenario, &timeline);
        assert_eq!(shared.commands.len(), 1);
        let replayed = shared.replay().expect("replays");
        assert_eq!(replayed.sim().state_hash(), timeline.sim().state_hash());
    }

    #[test]
    fn malformed_and_foreign_input_is_refused_with_a_reason() {
        let (scenario, timeline) = lived();
        let good = Shared::of(&scenario, &timeline);
        let link = good.to_link();
        let cases = [
            (
                Shared::from_link("https://example.com/#x"),
                "link: not a Kafka Playground link (it does not start with kp1.)",
            ),
            (
                Shared::from_link("kp1.@@@"),
                "link: damaged (not base64url); was it cut short when copied?",
            ),
            (
                // Cut at a whole number of base64 groups: only the contents are short.
                Shared::from_link(&link[..4 + (link.len() - 4) / 8 * 4]),
                "link: damaged (its contents do not read as a playground)",
            ),
        ];
        for (result, expected) in cases {
            assert_eq!(result.unwrap_err(), expected);
        }
        assert!(
            Shared::from_json("{\"format\": 1}")
                .unwrap_err()
                .starts_with("file: not a Kafka Playground file")
        );
        assert!(Shared::from_json("<img src=x onerror=alert(1)>").is_err());
        let refusals = [
            Shared {
                format: "other/9".into(),
                ..good.clone()
            },
            Shared {
                now_ms: 7_200_000,
                ..good.clone()
            },
            Shared {
                commands: vec![(5_000, Command::AddBroker), (1_000, Command::AddBroker)],
                ..good.clone()
            },
            Shared {
                scenario: Scenario {
                    config: crate::sim::SimConfig {
                        tick_ms: 1,
                        ..crate::sim::SimConfig::default()
                    },
                    ..good.scenario.clone()
                },
                now_ms: 40_000,
                ..good.clone()
            },
            Shared {
                commands: vec![(
                    0,
                    Command::StartGenerator {
                        generator: "flood".into(),
                        producer: "producer-1".into(),
                        topic: "orders".into(),
                        rate_per_sec: 10_000_000,
                        keys: crate::sim::generator::KeySet::NoKey,
                    },
                )],
                ..good.clone()
            },
            Shared {
                commands: vec![(
                    0,
                    Command::DeleteTopic {
                        topic: "nope".into(),
                    },
                )],
                ..good.clone()
            },
        ];
        let messages: Vec<String> = refusals.iter().map(|s| s.replay().unwrap_err()).collect();
        assert_eq!(
            messages,
            [
                "format: \"other/9\" is not \"kafka-playground/1\", a file this playground wrote",
                "time: a shared playground may cover at most an hour of virtual time in 36000 ticks",
                &format!(
                    "commands: command 2 is at 1000 ms, out of order (after 5000 ms, by {} ms)",
                    good.now_ms
                ),
                "time: a shared playground may cover at most an hour of virtual time in 36000 ticks",
                &format!(
                    "generators: they would offer {} records, more than the 5000000 a shared playground may",
                    10_000_000 * (good.now_ms / 1000)
                ),
                "commands: command 1 at 0 ms was refused: topic: there is no topic named 'nope'; create it first",
            ]
        );
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn small() -> Shared {
        let scenario = Scenario::starter();
        let mut timeline = Timeline::new(scenario.build().expect("starter"));
        timeline
            .apply(Command::produce("producer-1", "orders", Some("k"), "v"))
            .expect("produce");
        for _ in 0..5 {
            timeline.tick();
        }
        Shared::of(&scenario, &timeline)
    }

    proptest! {
        /// Links and files from anywhere: text, damaged encodings, damaged contents. Reading
        /// never panics; whatever reads back either replays or says why not.
        #[test]
        fn fuzz_links_and_files_never_panic(
            text in "\\PC{0,200}",
            bytes in proptest::collection::vec(any::<u8>(), 0..300),
            flips in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..6),
        ) {
            let _ = Shared::from_link(&text);
            let _ = Shared::from_json(&text);
            let _ = Shared::from_link(&format!("kp1.{text}"));
            let _ = Shared::from_link(&format!("kp1.{}", URL_SAFE_NO_PAD.encode(&bytes)));
            let mut damaged = postcard::to_allocvec(&small()).expect("encodes");
            for (at, byte) in flips {
                let i = at.index(damaged.len());
                damaged[i] ^= byte | 1;
            }
            if let Ok(shared) = Shared::from_link(&format!("kp1.{}", URL_SAFE_NO_PAD.encode(&damaged))) {
                // Bounded: a damaged time may ask for up to an hour of replay, so only short ones run.
                if shared.now_ms <= 60_000 && shared.scenario.warm_up_ms <= 60_000 {
                    let _ = shared.replay();
                }
            }
        }
    }
}
