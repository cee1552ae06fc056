//! A playground as data, to share or keep: the starting scenario, every command since with the
//! virtual time it was applied, and the moment shown. Replaying it rebuilds the same state,
//! hash for hash (the engine is deterministic).
//!
//! Two spellings: a link fragment (`kp1.` and the postcard encoding in base64url) and a JSON
//! file that carries the same link beside a few fields for people (the page reads it with the
//! browser's JSON parser, so no JSON parser is in its bundle). Both are read as untrusted input:
//! anything malformed, oversized, from another version, or that the engine refuses on replay is
//! an error that names what is wrong, and the caller keeps its playground as it was.
//!
//! The console lines among the commands travel with them (`typed`), so that an export writes
//! what was typed; a lesson the playground was following travels too, a teacher's own lesson
//! file with its whole text.

use crate::console::Console;
use crate::sim::command::Command;
use crate::sim::engine::SimConfig;
use crate::sim::error::cut;
use crate::sim::scenario::Scenario;
use crate::sim::timeline::{Timeline, TypedLine};
use crate::sim::types::{Acks, PartitionerMode, ProducerConfig};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::Cell;

/// What a link fragment starts with: the format and its version.
const LINK_PREFIX: &str = "kp1.";
/// The `format` field of an exported JSON file and of a link's contents.
const FILE_FORMAT: &str = "kafka-playground/3";
/// The format before the controller quorum: cluster settings without `controllers`. Links and
/// files in it still open, with the default quorum of three controllers (which behaves as the
/// controller that never failed did, as long as no controller crashes).
const FORMAT_2: &str = "kafka-playground/2";
/// The format before issue 18: producer configs without `retry.backoff.max.ms` and
/// `transaction.timeout.ms` (and cluster settings as FORMAT_2). Links and files in it still
/// open (guides embed them), without their typed lines; a command today's engine refuses (a
/// `segment.bytes` below Kafka 4's minimum, say) is reported as for any link.
const FORMAT_1: &str = "kafka-playground/1";
/// Replaying is bounded, so a hostile link cannot freeze the page: at most this much virtual
/// time (warm-up included) ...
const MAX_REPLAY_MS: u64 = 3_600_000;
/// ... in at most this many ticks ...
const MAX_REPLAY_TICKS: u64 = 36_000;
/// ... with at most this many commands (the scenario's included) ...
const MAX_COMMANDS: usize = 10_000;
/// ... and generators offering at most this many records in all.
const MAX_GENERATED_RECORDS: u64 = 5_000_000;
/// A link or file longer than this is refused before it is decoded (10,000 commands of a few
/// dozen bytes each fit well within it).
pub const MAX_LINK_BYTES: usize = 1 << 20;
/// A lesson file's text, in a link or opened from disk, is at most this long.
pub const MAX_LESSON_BYTES: usize = 64 * 1024;
/// A typed line is at most this long: the console's own bound on what it keeps of a line.
const MAX_TYPED_BYTES: usize = 64 * 1024;

/// The lesson a shared playground was following: which one, the step it showed
/// (`step_index`, counted from 0, where the address and the embed API count steps from 1) and
/// which steps' lines were run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedLesson {
    pub source: LessonSource,
    pub step_index: u32,
    pub done: Vec<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LessonSource {
    /// One of the playground's lessons (`lessons/ID.lesson`).
    Builtin { id: String },
    /// A teacher's own lesson file: its name and whole text.
    Custom { name: String, text: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    /// `kafka-playground/3` (FILE_FORMAT) once read.
    pub format: String,
    pub scenario: Scenario,
    /// `(virtual ms, command)`, oldest first.
    pub commands: Vec<(u64, Command)>,
    /// The virtual time shown.
    pub now_ms: u64,
    /// The console lines among `commands`: the index of a line's first command, how many
    /// it made, and the line.
    pub typed: Vec<(usize, usize, TypedLine)>,
    pub lesson: Option<SharedLesson>,
}

/// The fields of the JSON file that a reader needs: the rest is for people.
#[derive(Deserialize)]
struct FileFields {
    format: Option<String>,
    link: Option<String>,
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
            typed: timeline
                .typed_lines()
                .map(|(first, count, line)| (first, count, line.clone()))
                .collect(),
            lesson: None,
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
        self.check_typed()?;
        if let Some(SharedLesson {
            source: LessonSource::Custom { text, .. },
            ..
        }) = &self.lesson
            && text.len() > MAX_LESSON_BYTES
        {
            return Err(format!(
                "lesson: its text is {} bytes, more than the {MAX_LESSON_BYTES} a lesson may have",
                text.len()
            ));
        }
        let sim = self
            .scenario
            .build()
            .map_err(|e| format!("scenario: it does not start: {e}"))?;
        let mut timeline = Timeline::new(sim);
        let mut last = timeline.sim().now_ms();
        // A typed line is run by a console, as it was typed: it must make exactly the commands
        // it is shared with (a link cannot claim that a line made other commands than it does).
        let mut console = Console::new();
        let mut typed = self.typed.iter().enumerate().peekable();
        let mut n = 0;
        while let Some((at_ms, command)) = self.commands.get(n) {
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
            match typed.next_if(|(_, (first, _, _))| *first == n) {
                Some((number, (first, count, line))) => {
                    let expected = &self.commands[*first..first + count];
                    let logged = timeline.command_log().count();
                    let prompt = if console.prompt() == ">" { '>' } else { '$' };
                    console.enter(&line.line, &mut timeline);
                    let made: Vec<(u64, &Command)> = timeline.command_log().skip(logged).collect();
                    let same = prompt == line.prompt
                        && made.len() == expected.len()
                        && made
                            .iter()
                            .zip(expected)
                            .all(|((at, c), (at_expected, expected))| {
                                at == at_expected && *c == expected
                            });
                    if !same {
                        return Err(format!(
                            "typed: line {} ({:?}) does not make the commands it is shared with",
                            number + 1,
                            cut(&line.line)
                        ));
                    }
                    n += count;
                    last = expected.last().map_or(last, |(at, _)| *at);
                }
                None => {
                    timeline.apply(command.clone()).map_err(|e| {
                        format!("commands: command {} at {at_ms} ms was refused: {e}", n + 1)
                    })?;
                    n += 1;
                    last = *at_ms;
                }
            }
        }
        while timeline.sim().now_ms() < self.now_ms {
            timeline.tick();
        }
        timeline.drain_events();
        Ok(timeline)
    }

    /// Whether the typed lines name commands that exist, in order, without overlapping, and
    /// are of a length the console keeps.
    fn check_typed(&self) -> Result<(), String> {
        let mut next = 0;
        for (n, (first, count, line)) in self.typed.iter().enumerate() {
            let end = first.checked_add(*count);
            if *first < next || *count == 0 || end.is_none_or(|end| end > self.commands.len()) {
                return Err(format!(
                    "typed: line {} names commands {} to {} of {}, out of order or beyond them",
                    n + 1,
                    first.saturating_add(1),
                    first.saturating_add(*count),
                    self.commands.len()
                ));
            }
            if line.line.len() > MAX_TYPED_BYTES
                || line.line.contains(['\n', '\r'])
                || !matches!(line.prompt, '$' | '>')
            {
                return Err(format!(
                    "typed: line {} is longer than {MAX_TYPED_BYTES} bytes, holds a line break or has a prompt other than $ and >",
                    n + 1
                ));
            }
            next = first + count;
        }
        Ok(())
    }

    /// The link fragment: `kp1.` and the postcard bytes in base64url.
    pub fn to_link(&self) -> String {
        let bytes = postcard::to_allocvec(self).unwrap_or_default();
        format!("{LINK_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Reads a link fragment (with or without a leading `#`).
    pub fn from_link(link: &str) -> Result<Shared, String> {
        if link.len() > MAX_LINK_BYTES {
            return Err(format!(
                "link: {} bytes long, more than the {MAX_LINK_BYTES} a playground link may be",
                link.len()
            ));
        }
        let body = link
            .trim()
            .trim_start_matches('#')
            .strip_prefix(LINK_PREFIX)
            .ok_or("link: not a Kafka Playground link (it does not start with kp1.)")?;
        let bytes = URL_SAFE_NO_PAD.decode(body).map_err(|_| {
            "link: damaged (not base64url); was it cut short when copied?".to_owned()
        })?;
        // The format leads the contents and reads the same in both spellings, so it tells
        // which spelling the rest is in (postcard reads fields by position).
        let read = || postcard::from_bytes::<Shared>(&bytes).ok();
        read()
            .filter(Shared::is_ours)
            .or_else(|| {
                reading_format(2, read)
                    .filter(|shared| shared.format == FORMAT_2)
                    .map(|shared| Shared {
                        format: FILE_FORMAT.to_owned(),
                        ..shared
                    })
            })
            .or_else(|| {
                // Its commands replay as they were; its typed lines do not: today's console
                // tools make other commands from them (ConsoleProducer's own defaults, a
                // random group without --group), so they travel on as the clicks they made.
                reading_format(1, read)
                    .filter(|shared| shared.format == FORMAT_1)
                    .map(|shared| Shared {
                        format: FILE_FORMAT.to_owned(),
                        typed: Vec::new(),
                        ..shared
                    })
            })
            .ok_or_else(|| "link: damaged (its contents do not read as a playground)".to_owned())
    }

    /// Whether it says it is this playground's format (anything read says so, or is refused).
    fn is_ours(&self) -> bool {
        self.format == FILE_FORMAT
    }

    /// The JSON file: the link, and for people the scenario's seed, the moment and how many
    /// commands it holds. Written without a JSON library: every value is a number or text
    /// JSON needs no escape for (the format name, base64url and the time's digits).
    pub fn to_json(&self) -> String {
        format!(
            "{{\n  \"format\": \"{FILE_FORMAT}\",\n  \"seed\": {},\n  \"time\": \"{}\",\n  \"commands\": {},\n  \"link\": \"{}\"\n}}\n",
            self.scenario.seed,
            crate::format::virtual_time(self.now_ms),
            self.commands.len(),
            self.to_link()
        )
    }

    /// Reads an imported file's bytes: UTF-8 JSON.
    pub fn from_file(bytes: &[u8]) -> Result<Shared, String> {
        if bytes.len() > MAX_LINK_BYTES {
            return Err(format!(
                "file: {} bytes, more than the {MAX_LINK_BYTES} a Kafka Playground file may be",
                bytes.len()
            ));
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| "file: not a Kafka Playground file (it is not UTF-8 text)".to_owned())?;
        Shared::from_json(text)
    }

    /// Reads a JSON file.
    pub fn from_json(text: &str) -> Result<Shared, String> {
        let fields: FileFields = serde_json::from_str(text)
            .map_err(|e| format!("file: not a Kafka Playground file ({e})"))?;
        Shared::from_file_fields(fields.format.as_deref(), fields.link.as_deref())
    }

    /// Reads a file's `format` and `link` fields, however its JSON was parsed (natively by
    /// serde_json, in the page by the browser).
    pub fn from_file_fields(format: Option<&str>, link: Option<&str>) -> Result<Shared, String> {
        match format {
            Some(FILE_FORMAT | FORMAT_2 | FORMAT_1) => {}
            Some(other) => {
                return Err(format!(
                    "file: its format is {:?}, not {FILE_FORMAT:?}, a file this playground wrote",
                    cut(other)
                ));
            }
            None => {
                return Err(format!(
                    "file: not a Kafka Playground file (it has no \"format\": \"{FILE_FORMAT}\")"
                ));
            }
        }
        let link = link.ok_or("file: it has no \"link\" to the playground it holds")?;
        Shared::from_link(link).map_err(|e| format!("file: {e}"))
    }
}

thread_local! {
    /// The older format a link is being read in (`reading_format`), 0 for the current one.
    static READING_FORMAT: Cell<u8> = const { Cell::new(0) };
}

/// Runs `read` with the settings read in older format `version`'s spelling; the flag is
/// cleared however `read` ends.
fn reading_format<T>(version: u8, read: impl FnOnce() -> T) -> T {
    struct Clear;
    impl Drop for Clear {
        fn drop(&mut self) {
            READING_FORMAT.with(|flag| flag.set(0));
        }
    }
    READING_FORMAT.with(|flag| flag.set(version));
    let _clear = Clear;
    read()
}

/// Whether a link of FORMAT_1 or FORMAT_2 is being read.
fn reading_before_3() -> bool {
    READING_FORMAT.with(Cell::get) != 0
}

impl Serialize for ProducerConfig {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ProducerConfig::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for ProducerConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if READING_FORMAT.with(Cell::get) == 1 {
            Format1ProducerConfig::deserialize(deserializer).map(ProducerConfig::from)
        } else {
            ProducerConfig::deserialize(deserializer)
        }
    }
}

impl Serialize for SimConfig {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SimConfig::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for SimConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if reading_before_3() {
            Format2SimConfig::deserialize(deserializer).map(SimConfig::from)
        } else {
            SimConfig::deserialize(deserializer)
        }
    }
}

/// Cluster settings as FORMAT_1 and FORMAT_2 spelled them, field by field in their order.
#[derive(Deserialize)]
struct Format2SimConfig {
    brokers: u32,
    tick_ms: u64,
    replica_lag_time_max_ms: u64,
    broker_session_timeout_ms: u64,
    replica_fetch_max_bytes: u64,
    log_retention_check_interval_ms: u64,
}

impl From<Format2SimConfig> for SimConfig {
    /// The quorum those formats did not name: the default three controllers.
    fn from(old: Format2SimConfig) -> SimConfig {
        SimConfig {
            brokers: old.brokers,
            tick_ms: old.tick_ms,
            replica_lag_time_max_ms: old.replica_lag_time_max_ms,
            broker_session_timeout_ms: old.broker_session_timeout_ms,
            replica_fetch_max_bytes: old.replica_fetch_max_bytes,
            log_retention_check_interval_ms: old.log_retention_check_interval_ms,
            ..SimConfig::default()
        }
    }
}

/// A producer config as FORMAT_1 spelled it, field by field in its order.
#[derive(Deserialize)]
struct Format1ProducerConfig {
    acks: Acks,
    retries: u32,
    linger_ms: u64,
    batch_size: u64,
    enable_idempotence: bool,
    max_in_flight: u32,
    delivery_timeout_ms: u64,
    request_timeout_ms: u64,
    retry_backoff_ms: u64,
    buffer_memory: u64,
    partitioner: PartitionerMode,
    transactional_id: Option<String>,
}

impl From<Format1ProducerConfig> for ProducerConfig {
    /// The two settings FORMAT_1 lacked take their defaults.
    fn from(old: Format1ProducerConfig) -> ProducerConfig {
        ProducerConfig {
            acks: old.acks,
            retries: old.retries,
            linger_ms: old.linger_ms,
            batch_size: old.batch_size,
            enable_idempotence: old.enable_idempotence,
            max_in_flight: old.max_in_flight,
            delivery_timeout_ms: old.delivery_timeout_ms,
            request_timeout_ms: old.request_timeout_ms,
            retry_backoff_ms: old.retry_backoff_ms,
            buffer_memory: old.buffer_memory,
            partitioner: old.partitioner,
            transactional_id: old.transactional_id,
            ..ProducerConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::PartitionId;
    use crate::sim::SimConfig;
    use crate::sim::types::KeySet;

    /// The starter scenario with some history: records, a crash, a config change, time travel.
    fn lived() -> (Scenario, Timeline) {
        let scenario = Scenario::quiet();
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
        let shared = Shared {
            lesson: Some(SharedLesson {
                source: LessonSource::Custom {
                    name: "mine.lesson".into(),
                    text: "title: Mine\n".into(),
                },
                step_index: 2,
                done: vec![true],
            }),
            ..Shared::of(&scenario, &timeline)
        };
        assert_eq!(shared.commands.len(), 6, "{:?}", shared.commands);
        assert_eq!(
            shared.typed.len(),
            6,
            "each command came from a console line: {:?}",
            shared.typed
        );
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
            let read = read.expect("reads back");
            assert_eq!(read.lesson, shared.lesson);
            let replayed = read.replay().expect("replays");
            assert_eq!(replayed.sim().now_ms(), timeline.sim().now_ms());
            assert_eq!(replayed.sim().state_hash(), timeline.sim().state_hash());
            assert_eq!(Shared::of(&scenario, &replayed).typed, shared.typed);
        }
    }

    /// While rewound, a line that makes no command claims none of the recorded future; a moment
    /// in the middle of a console consumer's run shares and exports without its line.
    #[test]
    fn lines_typed_while_rewound_and_moments_inside_a_line_share_and_export() {
        let (scenario, mut timeline) = lived();
        let mut console = Console::new();
        let consumer = "kafka-console-consumer.sh --bootstrap-server b:9092 --topic orders --group audit --from-beginning --timeout-ms 3000";
        assert!(!console.enter(consumer, &mut timeline).failed);
        let ran_until = timeline.sim().now_ms();
        timeline.seek(ran_until - 8_000);
        for line in [
            "kafka-topics.sh --bootstrap-server b:9092 --list",
            "help",
            "kafka-topics.sh --bootstrap-server b:9092 --delete --topic nope",
        ] {
            console.enter(line, &mut timeline);
        }
        let shared = Shared::of(&scenario, &timeline);
        assert_eq!(
            shared.typed.len(),
            shared.commands.len(),
            "{:?}",
            shared.typed
        );
        let replayed = shared.replay().expect("replays");
        assert_eq!(replayed.sim().state_hash(), timeline.sim().state_hash());
        // Into the consumer's run: it started (AddConsumer) and has not stopped yet.
        timeline.seek(ran_until - 1_000);
        let inside = Shared::of(&scenario, &timeline);
        assert_eq!(
            inside.commands.len(),
            inside.typed.len() + 1,
            "its start stands alone"
        );
        let _ = crate::export::bundle(&inside);
        let replayed = inside.replay().expect("replays");
        assert_eq!(replayed.sim().state_hash(), timeline.sim().state_hash());
    }

    /// A link cannot claim that a line made commands it does not make: the export would write
    /// the line, and a reader would believe it.
    #[test]
    fn a_typed_line_that_does_not_make_its_commands_is_refused() {
        let (scenario, timeline) = lived();
        let good = Shared::of(&scenario, &timeline);
        let mut forged = good.clone();
        forged.typed[0].2.line = "kafka-x; touch PWNED; #".into();
        assert_eq!(
            forged.replay().map(|_| ()).unwrap_err(),
            "typed: line 1 (\"kafka-x; touch PWNED; #\") does not make the commands it is shared with"
        );
        let mut record = good.clone();
        record.typed[0].2.prompt = '>';
        assert!(record.replay().is_err(), "a command shared as a record");
        let mut broken = good;
        broken.typed[0].2.line.push('\n');
        assert!(broken.replay().unwrap_err().contains("holds a line break"));
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
        let scenario = Scenario::quiet();
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

    /// A link written before topics could be placed by hand still opens: the commands for
    /// that came last in `Command` (postcard numbers variants by position), and the older
    /// ones kept their fields.
    /// A format 1 link with console lines (a console producer, a console consumer without
    /// --group; written by c55926b): today's tools would make other commands from the lines
    /// (ConsoleProducer's defaults, a random group), so the link opens without its typed lines
    /// and replays the commands it holds, to its moment.
    #[test]
    fn a_format_1_link_with_typed_lines_opens_with_its_commands() {
        const LINK: &str = "kp1.EmthZmthLXBsYXlncm91bmQvMQNksOoBqEaAgEDgpxIDAAAHAAQGb3JkZXJzBAYAAAoSY29uc29sZS1wcm9kdWNlci0xAv____8H6AeAgAEBBcCpB7DqAWSAgIAQAAAACxJjb25zb2xlLXByb2R1Y2VyLTEGb3JkZXJzAAABA29uZQALEmNvbnNvbGUtcHJvZHVjZXItMQZvcmRlcnMAAAEDdHdvAAwSY29uc29sZS1wcm9kdWNlci0x6AcSEmNvbnNvbGUtY29uc3VtZXItMQABBm9yZGVycxJjb25zb2xlLWNvbnN1bWVyLTEAAPQDAYgnAADI3wK4F-CnEgDMIRcSY29uc29sZS1jb25zdW1lci0xnDEGAAEBJGdrYWZrYS10b3BpY3Muc2ggLS1ib290c3RyYXAtc2VydmVyIGI6OTA5MiAtLWNyZWF0ZSAtLXRvcGljIG9yZGVycyAtLXBhcnRpdGlvbnMgMiAtLXJlcGxpY2F0aW9uLWZhY3RvciAzAQEBJEJrYWZrYS1jb25zb2xlLXByb2R1Y2VyLnNoIC0tYm9vdHN0cmFwLXNlcnZlciBiOjkwOTIgLS10b3BpYyBvcmRlcnMCAQE-A29uZQMBAT4DdHdvBAEBPgJeRAUCASRka2Fma2EtY29uc29sZS1jb25zdW1lci5zaCAtLWJvb3RzdHJhcC1zZXJ2ZXIgYjo5MDkyIC0tdG9waWMgb3JkZXJzIC0tZnJvbS1iZWdpbm5pbmcgLS1tYXgtbWVzc2FnZXMgMgA";
        let shared = Shared::from_link(LINK).expect("a format 1 link reads");
        assert_eq!((shared.commands.len(), shared.typed.len()), (7, 0));
        let timeline = shared.replay().expect("its commands replay");
        assert_eq!(timeline.sim().now_ms(), 6300);
        assert_eq!(
            timeline.sim().records("orders", PartitionId(0)).len()
                + timeline.sim().records("orders", PartitionId(1)).len(),
            2
        );
        assert!(!reading_before_3(), "the flag is cleared");
    }

    /// A link written before issue 18 (FORMAT_1: producer configs without retry.backoff.max.ms
    /// and transaction.timeout.ms; this one is the starter at 3 s, written by c55926b) still
    /// opens and replays; its producer keeps its settings and gets the new ones' defaults, and
    /// shared again it is written in the current format.
    #[test]
    fn a_link_in_format_1_opens_with_its_producer_settings() {
        const LINK: &str = "kp1.EmthZmthLXBsYXlncm91bmQvMQNksOoBqEaAgEDgpxIqBAQGb3JkZXJzBgYACgpwcm9kdWNlci0xAv____8HBYCAAQEFwKkHsOoBZICAgBAAABIKY29uc3VtZXItMQABBm9yZGVycwdncm91cC0xAAD0AwGIJwAAyN8CuBfgpxIADRFwcm9kdWNlci0xOm9yZGVycwpwcm9kdWNlci0xBm9yZGVycwIBBgZ1c2VyLTEGdXNlci0zBnVzZXItNAZ1c2VyLTUGdXNlci04B3VzZXItMTIAALgXAAA";
        let shared = Shared::from_link(LINK).expect("a format 1 link reads");
        assert_eq!(shared.format, FILE_FORMAT);
        let config = shared
            .scenario
            .commands
            .iter()
            .find_map(|c| match c {
                Command::AddProducer { config, .. } => Some(config.clone()),
                _ => None,
            })
            .expect("the starter's producer");
        assert_eq!(
            config,
            ProducerConfig {
                linger_ms: 5,
                ..ProducerConfig::default()
            }
        );
        let timeline = shared.replay().expect("replays");
        assert_eq!(timeline.sim().now_ms(), 3000);
        let again = Shared::from_link(&shared.to_link()).expect("reads back");
        assert_eq!(again, shared);
        assert_eq!(
            Shared::from_file_fields(Some(FORMAT_1), Some(LINK)).map(|s| s.format),
            Ok(FILE_FORMAT.to_owned())
        );
    }

    /// A link written before the controller quorum (FORMAT_2: cluster settings without
    /// `controllers`, made here by leaving that one byte out of a link of today) opens with
    /// three controllers, replays to the same state, and is written in the current format.
    #[test]
    fn a_link_in_format_2_opens_with_three_controllers() {
        let (scenario, timeline) = lived();
        let shared = Shared {
            format: FORMAT_2.to_owned(),
            ..Shared::of(&scenario, &timeline)
        };
        let bytes = postcard::to_allocvec(&shared).expect("encodes");
        let prefix = postcard::to_allocvec(&(&shared.format, &shared.scenario.config))
            .expect("encodes")
            .len();
        assert_eq!(
            bytes[prefix - 1],
            3,
            "the controllers' count ends the settings"
        );
        let old = [&bytes[..prefix - 1], &bytes[prefix..]].concat();
        let link = format!("{LINK_PREFIX}{}", URL_SAFE_NO_PAD.encode(old));
        let read = Shared::from_link(&link).expect("a format 2 link reads");
        assert_eq!(read.format, FILE_FORMAT);
        assert_eq!(read.scenario.config.controllers, 3);
        assert_eq!(read.typed, shared.typed, "its typed lines still replay");
        let replayed = read.replay().expect("replays");
        assert_eq!(replayed.sim().state_hash(), timeline.sim().state_hash());
        assert!(!reading_before_3(), "the flag is cleared");
    }

    #[test]
    fn a_link_from_before_manual_placement_reads_and_replays() {
        const LINK: &str = "kp1.EmthZmthLXBsYXlncm91bmQvMQNksOoBqEaAgEDgpxIHAQQGb3JkZXJzBgYAAAMABgZvcmRlcnMIZAQFYXVkaXQEBAEOY2xlYW51cC5wb2xpY3kHY29tcGFjdMgBAKwCAAA";
        let shared = Shared::from_link(LINK).expect("reads back");
        assert_eq!(
            shared.scenario.commands,
            [Command::create_topic("orders", 3, 3)]
        );
        assert_eq!(
            shared.commands,
            [
                (
                    0,
                    Command::AddPartitions {
                        topic: "orders".into(),
                        partitions: 4
                    }
                ),
                (
                    100,
                    Command::CreateTopic {
                        name: "audit".into(),
                        partitions: 2,
                        replication_factor: 2,
                        configs: crate::sim::ordered::map_of([(
                            "cleanup.policy".to_owned(),
                            "compact".to_owned()
                        )]),
                    }
                ),
                (200, Command::AddBroker),
            ]
        );
        let replayed = shared.replay().expect("replays");
        assert_eq!(replayed.sim().topic_partitions("audit"), Some(2));
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
                typed: Vec::new(),
                ..good.clone()
            },
            Shared {
                scenario: Scenario {
                    config: crate::sim::SimConfig {
                        tick_ms: 1,
                        ..SimConfig::default()
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
                        keys: KeySet::NoKey,
                    },
                )],
                typed: Vec::new(),
                ..good.clone()
            },
            Shared {
                commands: vec![(
                    0,
                    Command::DeleteTopic {
                        topic: "nope".into(),
                    },
                )],
                typed: Vec::new(),
                ..good.clone()
            },
            Shared {
                typed: vec![(
                    4,
                    9,
                    TypedLine {
                        prompt: '$',
                        line: "add-broker".into(),
                    },
                )],
                ..good.clone()
            },
            Shared {
                lesson: Some(SharedLesson {
                    source: LessonSource::Custom {
                        name: "big.lesson".into(),
                        text: "#".repeat(MAX_LESSON_BYTES + 1),
                    },
                    step_index: 0,
                    done: vec![true],
                }),
                ..good.clone()
            },
        ];
        let messages: Vec<String> = refusals.iter().map(|s| s.replay().unwrap_err()).collect();
        assert_eq!(
            messages,
            [
                "format: \"other/9\" is not \"kafka-playground/3\", a file this playground wrote",
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
                "typed: line 1 names commands 5 to 13 of 6, out of order or beyond them",
                "lesson: its text is 65537 bytes, more than the 65536 a lesson may have",
            ]
        );
        let long = format!("kp1.{}", "A".repeat(MAX_LINK_BYTES));
        assert_eq!(
            Shared::from_link(&long).unwrap_err(),
            "link: 1048580 bytes long, more than the 1048576 a playground link may be"
        );
        assert_eq!(
            Shared::from_file(long.as_bytes()).unwrap_err(),
            "file: 1048580 bytes, more than the 1048576 a Kafka Playground file may be"
        );
        assert_eq!(
            Shared::from_json("{\"format\": \"kafka-playground/2\"}").unwrap_err(),
            "file: it has no \"link\" to the playground it holds"
        );
        assert_eq!(
            Shared::from_json("{\"link\": \"kp1.AA\"}").unwrap_err(),
            "file: not a Kafka Playground file (it has no \"format\": \"kafka-playground/3\")"
        );
        assert_eq!(
            Shared::from_file_fields(Some("kafka-playground/2"), Some("kp1.@")).unwrap_err(),
            "file: link: damaged (not base64url); was it cut short when copied?"
        );
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn small() -> Shared {
        let scenario = Scenario::quiet();
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
