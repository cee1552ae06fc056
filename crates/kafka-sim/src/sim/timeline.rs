//! Time travel: a run that can go back to any earlier moment and forward again, the same every
//! time. The timeline records every step of the run (a tick or an accepted command) and keeps a
//! snapshot of the simulation every `snapshot_every_ticks` ticks; the state at an earlier time
//! is the nearest snapshot before it with the recorded steps replayed, which the engine's
//! determinism makes exact (the state hash is the same as when the moment was first lived).
//!
//! Going forward from an earlier moment replays the recorded future (its commands included);
//! a new command there starts a new future and the old one is dropped, like typing after an
//! undo. History older than `max_snapshots` snapshots is forgotten, and so is history that
//! would keep more than `MAX_HISTORY_RECORDS` records alive: a snapshot holds its records
//! (shared with the live state while they last), so at 1,000 records/s 21 minutes of history
//! held 1.2 million records the live state had long deleted, and the page's memory grew by
//! 23 MB a minute. At least two snapshots are kept.
//!
//! A snapshot is a copy of the `Sim` that shares what did not change: the logs keep their
//! records in chunks that copies share (`records.rs`), so a snapshot of the busy scenario
//! costs about 0.1 MB of wasm memory and restoring one takes a fraction of a millisecond
//! (a copy of every record pointer cost 3.7 MB and milliseconds when they were plain vectors).
use crate::sim::command::{Command, Outcome};
use crate::sim::engine::Sim;
use crate::sim::error::SimError;
use crate::sim::event::TimedEvent;
use serde::{Deserialize, Serialize};

/// A tick every 100 ms of virtual time: a snapshot every 10 s.
pub const SNAPSHOT_EVERY_TICKS: u32 = 100;
/// 128 snapshots of 10 s: about 21 minutes of virtual time to go back through ...
pub const MAX_SNAPSHOTS: usize = 128;
/// ... unless more than this many records were written since the oldest snapshot: the busy
/// scenario's 1,000 records/s keep about 100 s of history, and its wasm memory levels off
/// (at 79 MB with retention, BENCHMARKS.md) instead of growing by 23 MB a minute.
pub const MAX_HISTORY_RECORDS: u64 = 100_000;

/// A console line that made commands, kept beside them so that an export can write the line
/// itself (which the console turns into the same commands again) instead of each command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypedLine {
    /// The prompt it was typed at: `$` for a command, `>` for a console producer's record.
    pub prompt: char,
    pub line: String,
}

#[derive(Clone, Debug)]
enum Action {
    Tick,
    Command(Command),
}

/// One recorded step and the virtual time it started at.
#[derive(Clone, Debug)]
struct Step {
    at_ms: u64,
    action: Action,
}

/// The state after `steps[..step]`, and how many records had been written by then.
#[derive(Clone, Debug)]
struct Snapshot {
    step: usize,
    sim: Sim,
    written: u64,
}

/// A recorded future set aside by a command given while rewound, so that the learner can bring
/// it back: the state just before that command, and what came after it.
#[derive(Clone, Debug)]
struct SetAside {
    sim: Sim,
    cursor: usize,
    steps: Vec<Step>,
    snapshots: Vec<Snapshot>,
    commands: Vec<(usize, u64, Command)>,
    typed: Vec<(usize, usize, TypedLine)>,
    end_ms: u64,
    written: u64,
    written_seen: u64,
}

#[derive(Clone, Debug)]
pub struct Timeline {
    /// The current state: `steps[..cursor]` applied to the first snapshot.
    sim: Sim,
    steps: Vec<Step>,
    cursor: usize,
    /// `(n, state after steps[..n])`, ascending by `n`; never empty, the first is where the
    /// remembered history starts.
    snapshots: Vec<Snapshot>,
    ticks_since_snapshot: u32,
    snapshot_every_ticks: u32,
    max_snapshots: usize,
    /// Every accepted command since the timeline started, with the virtual time it was applied
    /// and its step's number counted from the start (steps forgotten with old snapshots
    /// included): what a shared link or an export replays. Never forgotten with old history.
    commands: Vec<(usize, u64, Command)>,
    /// The console lines among those commands: the step number of a line's first command, how
    /// many it made, and the line. Forgotten with a replaced future, like the commands.
    typed: Vec<(usize, usize, TypedLine)>,
    /// Commands accepted since the start, counted only up.
    accepted: u64,
    /// Steps dropped from the front of `steps` with old snapshots.
    steps_forgotten: usize,
    /// Records written since the timeline started, counted only up (deleted topics and
    /// truncations do not take back what snapshots may hold), and the live state's
    /// `records_written` when it was last counted.
    written: u64,
    written_seen: u64,
    /// The future the last command given while rewound replaced, until it is brought back,
    /// kept (another command while rewound) or out of the remembered history.
    set_aside: Option<Box<SetAside>>,
}

impl Timeline {
    /// A timeline that starts at `sim` as it is now.
    pub fn new(sim: Sim) -> Timeline {
        Timeline::with_limits(sim, SNAPSHOT_EVERY_TICKS, MAX_SNAPSHOTS)
    }

    /// As `new`, with a snapshot every `snapshot_every_ticks` ticks (at least 1) and at most
    /// `max_snapshots` (at least 1) remembered.
    pub fn with_limits(sim: Sim, snapshot_every_ticks: u32, max_snapshots: usize) -> Timeline {
        let mut start = sim.clone();
        // A snapshot is state only; the events the live sim still holds are not history.
        start.drain_events();
        Timeline {
            sim,
            steps: Vec::new(),
            cursor: 0,
            written_seen: start.records_written(),
            snapshots: vec![Snapshot {
                step: 0,
                sim: start,
                written: 0,
            }],
            ticks_since_snapshot: 0,
            snapshot_every_ticks: snapshot_every_ticks.max(1),
            max_snapshots: max_snapshots.max(1),
            commands: Vec::new(),
            typed: Vec::new(),
            accepted: 0,
            steps_forgotten: 0,
            written: 0,
            set_aside: None,
        }
    }

    /// The commands that made the current moment, each with the virtual time it was applied,
    /// oldest first, from the timeline's start (also where old history was forgotten).
    pub fn command_log(&self) -> impl Iterator<Item = (u64, &Command)> {
        let now = self.steps_forgotten + self.cursor;
        self.commands
            .iter()
            .take_while(move |(step, _, _)| *step < now)
            .map(|(_, at_ms, command)| (*at_ms, command))
    }

    /// The console lines among the commands of `command_log`: for each, the index in that log
    /// of its first command, how many commands it made, and the line. A line whose later
    /// commands are not part of the current moment (rewound into the middle of a console
    /// consumer's run) is left out: its first commands stand alone.
    pub fn typed_lines(&self) -> impl Iterator<Item = (usize, usize, &TypedLine)> {
        let logged = self.command_log().count();
        self.typed
            .iter()
            .map(|(step, count, line)| {
                let index = self.commands.partition_point(|(s, _, _)| s < step);
                (index, *count, line)
            })
            .take_while(move |(index, count, _)| index + count <= logged)
    }

    /// How many commands the timeline has accepted since it started: a count that only goes
    /// up (a replaced future does not take it back). `note_typed` takes it.
    pub fn accepted(&self) -> u64 {
        self.accepted
    }

    /// Notes that the commands accepted since the count was `before` (an `accepted`) came from
    /// `line`. A line that made no command is not kept: it changed nothing to replay.
    pub fn note_typed(&mut self, before: u64, line: TypedLine) {
        let made = usize::try_from(self.accepted - before).unwrap_or(usize::MAX);
        if made > 0 && made <= self.commands.len() {
            let first = self.commands[self.commands.len() - made].0;
            self.typed.push((first, made, line));
        }
    }

    /// The simulation at the current moment.
    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    /// The events of the steps applied since the last call.
    pub fn drain_events(&mut self) -> Vec<TimedEvent> {
        self.sim.drain_events()
    }

    /// The earliest moment the timeline can go back to.
    pub fn start_ms(&self) -> u64 {
        self.snapshots[0].sim.now_ms()
    }

    /// The latest moment recorded (later than now while rewound).
    pub fn end_ms(&self) -> u64 {
        self.steps
            .last()
            .map_or(self.sim.now_ms(), |step| self.end_of(step))
    }

    /// True while the current moment is earlier than the latest recorded one.
    pub fn is_rewound(&self) -> bool {
        self.cursor < self.steps.len()
    }

    /// Applies a command now. Accepted, it becomes part of the history, and a recorded future
    /// after this moment is set aside (see `restore_future`); refused, nothing changes.
    pub fn apply(&mut self, command: Command) -> Result<Outcome, SimError> {
        let before = self.is_rewound().then(|| {
            let mut sim = self.sim.clone();
            sim.drain_events();
            sim
        });
        let outcome = self.sim.apply(command.clone())?;
        if let Some(before) = before {
            self.set_future_aside(before);
        }
        let number = self.steps_forgotten + self.steps.len();
        self.commands
            .push((number, self.sim.now_ms(), command.clone()));
        self.accepted += 1;
        self.record(Action::Command(command));
        Ok(outcome)
    }

    /// One tick forward: the recorded next tick (and the commands of that moment) while
    /// rewound, a new tick otherwise.
    pub fn tick(&mut self) {
        if self.is_rewound() {
            let target = self.sim.now_ms() + self.sim.config().tick_ms;
            self.replay_until(target);
        } else {
            self.sim.tick();
            self.record(Action::Tick);
        }
    }

    /// Ticks until something happens: until an event waits to be drained, or `max_ticks` ticks
    /// passed. Events already waiting are the caller's to drain first. Returns the ticks taken.
    pub fn tick_to_event(&mut self, max_ticks: u32) -> u32 {
        let mut ticks = 0;
        while ticks < max_ticks {
            self.tick();
            ticks += 1;
            if self.sim.has_events() {
                break;
            }
        }
        ticks
    }

    /// Moves to virtual time `t_ms`, clamped to the remembered history: rebuilt from the latest
    /// snapshot at or before it (when that is closer than the current state), then replayed.
    /// Events of the moments passed over are dropped when going back and delivered when going
    /// forward.
    pub fn seek(&mut self, t_ms: u64) {
        self.seek_within(t_ms, usize::MAX);
    }

    /// As `seek`, replaying at most `max_steps` recorded steps: a page can show the moment a
    /// snapshot gives at once and replay the rest in slices (calling it again with the same
    /// `t_ms` goes on from where it stopped). True once the state is the one at `t_ms`.
    pub fn seek_within(&mut self, t_ms: u64, max_steps: usize) -> bool {
        let target = t_ms.clamp(self.start_ms(), self.end_ms());
        let position = self.position_at(target);
        let snapshot = self
            .snapshots
            .iter()
            .rev()
            .find(|s| s.step <= position)
            .unwrap_or(&self.snapshots[0]);
        if self.cursor > position || snapshot.step > self.cursor {
            self.sim = snapshot.sim.clone();
            self.cursor = snapshot.step;
        }
        self.replay_to(position, max_steps)
    }

    /// Back one tick (to the moment before the last tick), if the history reaches that far.
    pub fn step_back(&mut self) {
        let tick_ms = self.sim.config().tick_ms;
        self.seek(self.sim.now_ms().saturating_sub(tick_ms));
    }

    /// Applies recorded steps until the state is the one at `t_ms` (all steps that end by then).
    fn replay_until(&mut self, t_ms: u64) {
        self.replay_to(self.position_at(t_ms), usize::MAX);
    }

    /// Applies at most `max_steps` recorded steps towards `steps[..position]`; true once there.
    fn replay_to(&mut self, position: usize, max_steps: usize) -> bool {
        let stop = position.min(self.cursor.saturating_add(max_steps));
        while self.cursor < stop {
            let step = self.steps[self.cursor].clone();
            match step.action {
                Action::Tick => self.sim.tick(),
                // Accepted when recorded, so accepted again: the engine is deterministic.
                Action::Command(command) => {
                    let _ = self.sim.apply(command);
                }
            }
            self.cursor += 1;
        }
        self.cursor == position
    }

    /// How many steps make up the state at `t_ms`: those ending at or before it (a command
    /// ends when it starts; a tick one tick after).
    fn position_at(&self, t_ms: u64) -> usize {
        self.steps.partition_point(|step| self.end_of(step) <= t_ms)
    }

    fn end_of(&self, step: &Step) -> u64 {
        match step.action {
            Action::Tick => step.at_ms + self.sim.config().tick_ms,
            Action::Command(_) => step.at_ms,
        }
    }

    /// The recorded future after this moment moves aside; `before` is the state now, before
    /// the command that replaces that future.
    fn set_future_aside(&mut self, before: Sim) {
        let now = self.steps_forgotten + self.cursor;
        let cursor = self.cursor;
        let end_ms = self.end_ms();
        let (commands, kept) = self
            .commands
            .drain(..)
            .partition(|(step, _, _)| *step >= now);
        self.commands = kept;
        let (typed, kept) = self.typed.drain(..).partition(|(step, _, _)| *step >= now);
        self.typed = kept;
        let (snapshots, kept) = self.snapshots.drain(..).partition(|s| s.step > cursor);
        self.snapshots = kept;
        self.set_aside = Some(Box::new(SetAside {
            sim: before,
            cursor,
            steps: self.steps.split_off(cursor),
            snapshots,
            commands,
            typed,
            end_ms,
            written: self.written,
            written_seen: self.written_seen,
        }));
        self.ticks_since_snapshot = self.ticks_since_last_snapshot();
    }

    /// The future set aside by the last command given while rewound, as (from, to) in virtual
    /// ms, while it can still be brought back.
    pub fn set_aside(&self) -> Option<(u64, u64)> {
        self.set_aside
            .as_ref()
            .map(|aside| (aside.sim.now_ms(), aside.end_ms))
    }

    /// Brings the set-aside future back: the moment before the command that replaced it, with
    /// everything recorded after it then; what was done since is dropped. False if there is
    /// none.
    pub fn restore_future(&mut self) -> bool {
        let Some(aside) = self.set_aside.take() else {
            return false;
        };
        let SetAside {
            sim,
            cursor,
            steps,
            snapshots,
            commands,
            typed,
            written,
            written_seen,
            ..
        } = *aside;
        let now = self.steps_forgotten + cursor;
        self.commands.retain(|(step, _, _)| *step < now);
        self.commands.extend(commands);
        self.typed.retain(|(step, _, _)| *step < now);
        self.typed.extend(typed);
        self.steps.truncate(cursor);
        self.steps.extend(steps);
        self.snapshots.retain(|s| s.step <= cursor);
        self.snapshots.extend(snapshots);
        self.sim = sim;
        self.cursor = cursor;
        self.written = self.written.max(written);
        self.written_seen = written_seen;
        self.ticks_since_snapshot = self.ticks_since_last_snapshot();
        true
    }

    /// Keeps the new future: the set-aside one is dropped for good.
    pub fn keep_new_future(&mut self) {
        self.set_aside = None;
    }

    fn ticks_since_last_snapshot(&self) -> u32 {
        let last = self.snapshots.last().map_or(0, |s| s.step);
        let ticks = self.steps[last..]
            .iter()
            .filter(|step| matches!(step.action, Action::Tick))
            .count();
        u32::try_from(ticks).unwrap_or(u32::MAX)
    }

    /// Appends a step just applied to the live state, taking a snapshot when one is due.
    fn record(&mut self, action: Action) {
        let is_tick = matches!(action, Action::Tick);
        let at_ms = if is_tick {
            self.sim.now_ms() - self.sim.config().tick_ms
        } else {
            self.sim.now_ms()
        };
        self.steps.push(Step { at_ms, action });
        self.cursor = self.steps.len();
        if !is_tick {
            return;
        }
        self.ticks_since_snapshot += 1;
        if self.ticks_since_snapshot >= self.snapshot_every_ticks {
            self.ticks_since_snapshot = 0;
            let mut sim = self.sim.clone();
            sim.drain_events();
            let now_written = self.sim.records_written();
            self.written += now_written.saturating_sub(self.written_seen);
            self.written_seen = now_written;
            self.snapshots.push(Snapshot {
                step: self.cursor,
                sim,
                written: self.written,
            });
            while self.snapshots.len() > self.max_snapshots
                || (self.snapshots.len() > 2
                    && self.written - self.snapshots[0].written > MAX_HISTORY_RECORDS)
            {
                self.forget_oldest();
            }
        }
    }

    /// Drops the oldest snapshot and the steps before the next one, which becomes the start.
    fn forget_oldest(&mut self) {
        // Its step numbers count from the start being forgotten.
        self.set_aside = None;
        self.snapshots.remove(0);
        let first = self.snapshots[0].step;
        self.steps.drain(..first);
        self.steps_forgotten += first;
        self.cursor -= first;
        for snapshot in &mut self.snapshots {
            snapshot.step -= first;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;
    use crate::sim::ids::BrokerId;
    use crate::sim::scenario::Scenario;
    use crate::sim::types::KeySet;

    fn busy() -> Timeline {
        busy_with(7, 4)
    }

    /// The quiet scenario with a generator, snapshots every `every` ticks, at most `max`.
    fn busy_with(every: u32, max: usize) -> Timeline {
        let mut sim = Scenario::quiet().build().expect("starter builds");
        sim.apply(Command::StartGenerator {
            generator: "gen-1".into(),
            producer: "producer-1".into(),
            topic: "orders".into(),
            rate_per_sec: 50,
            keys: KeySet::Uniform { count: 20 },
        })
        .expect("generator starts");
        Timeline::with_limits(sim, every, max)
    }

    fn run(timeline: &mut Timeline, ticks: u32) -> Vec<u64> {
        (0..ticks)
            .map(|_| {
                timeline.tick();
                timeline.sim().state_hash()
            })
            .collect()
    }

    #[test]
    fn ticking_to_the_next_event_stops_when_something_happens() {
        let mut quiet = Timeline::new(Sim::new(SimConfig::default(), 1).expect("valid"));
        quiet.drain_events();
        assert_eq!(
            quiet.tick_to_event(30),
            30,
            "nothing happens in an empty cluster"
        );
        assert!(!quiet.sim().has_events());

        let mut timeline = Timeline::new(Scenario::quiet().build().expect("starter builds"));
        timeline
            .apply(Command::produce("producer-1", "orders", Some("k"), "v"))
            .expect("accepted");
        timeline.drain_events();
        let ticks = timeline.tick_to_event(600);
        assert!((1..600).contains(&ticks), "{ticks} ticks to the append");
        let events = timeline.drain_events();
        assert!(!events.is_empty());
        assert!(events.iter().all(|e| e.at_ms == timeline.sim().now_ms()));
    }

    #[test]
    fn going_back_and_forward_again_reproduces_every_state() {
        let mut timeline = busy();
        let first = run(&mut timeline, 20);
        for back in [1, 5, 13, 20] {
            for _ in 0..back {
                timeline.step_back();
            }
            assert!(timeline.is_rewound());
            let again = run(&mut timeline, back);
            assert_eq!(again, first[first.len() - back as usize..]);
            assert!(!timeline.is_rewound());
        }
    }

    #[test]
    fn seek_lands_on_the_state_lived_at_that_time() {
        let mut timeline = busy();
        let hashes = run(&mut timeline, 25);
        let tick = timeline.sim().config().tick_ms;
        let start = timeline.start_ms();
        for n in [3_u64, 17, 0, 24, 9] {
            timeline.seek(start + (n + 1) * tick);
            assert_eq!(timeline.sim().state_hash(), hashes[n as usize]);
        }
        timeline.seek(u64::MAX);
        assert_eq!(timeline.sim().now_ms(), timeline.end_ms());
        assert_eq!(timeline.sim().state_hash(), hashes[24]);
    }

    #[test]
    fn commands_are_replayed_and_a_new_command_drops_the_old_future() {
        let mut timeline = busy();
        run(&mut timeline, 3);
        timeline
            .apply(Command::AddBroker)
            .expect("a broker can always join");
        let with_broker = run(&mut timeline, 3);
        let before_broker = timeline.sim().now_ms() - 3 * timeline.sim().config().tick_ms;
        timeline.seek(before_broker - 1);
        assert_eq!(timeline.sim().view().brokers.len(), 3);
        assert_eq!(run(&mut timeline, 4)[1..], with_broker[..]);

        timeline.seek(before_broker - 1);
        let end = timeline.end_ms();
        timeline
            .apply(Command::CrashBroker {
                broker: BrokerId(2),
            })
            .expect("broker 2 runs");
        assert!(!timeline.is_rewound());
        assert!(timeline.end_ms() < end);
        run(&mut timeline, 2);
        assert_eq!(timeline.sim().view().brokers.len(), 3);
    }

    #[test]
    fn a_seek_in_slices_reaches_the_same_state_as_one_seek() {
        // A snapshot every 10 s, as the page takes them.
        let mut timeline = busy_with(100, 20);
        run(&mut timeline, 250);
        let end = timeline.end_ms();
        let at = |timeline: &mut Timeline, t_ms| {
            timeline.seek(t_ms);
            timeline.sim().state_hash()
        };
        let (middle, late) = (at(&mut timeline, 12_300), at(&mut timeline, 23_400));
        for (from, to, expected) in [
            (end, 12_300, middle),
            (0, 23_400, late),
            (12_300, 23_400, late),
        ] {
            timeline.seek(from);
            let mut slices = 0;
            while !timeline.seek_within(to, 7) {
                slices += 1;
            }
            assert!(slices > 0, "{from} → {to} took more than one slice");
            assert_eq!(timeline.sim().now_ms(), to);
            assert_eq!(timeline.sim().state_hash(), expected, "{from} → {to}");
        }
        // Forward over a snapshot: restored from it rather than replayed from far back.
        timeline.seek(0);
        assert!(!timeline.seek_within(23_400, 0));
        assert_eq!(
            timeline.sim().now_ms(),
            20_000,
            "the snapshot before 23.4 s"
        );
    }

    #[test]
    fn a_future_set_aside_by_a_command_comes_back_whole() {
        let mut timeline = busy();
        timeline
            .apply(Command::AddBroker)
            .expect("a broker can always join");
        run(&mut timeline, 6);
        let (end, view, commands) = (
            timeline.end_ms(),
            timeline.sim().view(),
            timeline.command_log().count(),
        );
        timeline.seek(timeline.start_ms());
        let rewound_at = timeline.sim().now_ms();
        assert_eq!(timeline.set_aside(), None);
        timeline
            .apply(Command::CrashBroker {
                broker: BrokerId(2),
            })
            .expect("broker 2 runs");
        assert_eq!(timeline.set_aside(), Some((rewound_at, end)));
        run(&mut timeline, 2);
        assert!(timeline.restore_future());
        assert_eq!(timeline.sim().now_ms(), rewound_at);
        assert_eq!(timeline.end_ms(), end);
        assert_eq!(timeline.command_log().count(), commands);
        timeline.seek(end);
        assert_eq!(timeline.sim().view(), view, "the same future, replayed");
        assert!(!timeline.restore_future(), "only once");

        timeline.seek(rewound_at);
        timeline
            .apply(Command::CrashBroker {
                broker: BrokerId(2),
            })
            .expect("broker 2 runs");
        timeline.keep_new_future();
        assert_eq!(timeline.set_aside(), None);
        assert!(!timeline.restore_future());
    }

    #[test]
    fn a_refused_command_changes_nothing() {
        let mut timeline = busy();
        run(&mut timeline, 5);
        timeline.seek(0);
        let (hash, end) = (timeline.sim().state_hash(), timeline.end_ms());
        let refused = timeline.apply(Command::CrashBroker {
            broker: BrokerId(99),
        });
        assert!(refused.is_err());
        assert_eq!(
            (timeline.sim().state_hash(), timeline.end_ms()),
            (hash, end)
        );
        assert!(timeline.is_rewound());
    }

    #[test]
    fn history_keeps_at_most_the_records_bound_alive() {
        let mut sim = Scenario::quiet().build().expect("starter builds");
        sim.apply(Command::StartGenerator {
            generator: "fast".into(),
            producer: "producer-1".into(),
            topic: "orders".into(),
            rate_per_sec: 2_000,
            keys: KeySet::NoKey,
        })
        .expect("generator starts");
        let mut timeline = Timeline::new(sim);
        // 120 s at 2,000 records/s: 240,000 records, 12 snapshots (the count limit is 128).
        for _ in 0..1_200 {
            timeline.tick();
            timeline.drain_events();
        }
        let kept_ms = timeline.sim().now_ms() - timeline.start_ms();
        assert!(
            (50_000..=70_000).contains(&kept_ms),
            "about 100,000 records of history, 50 s: kept {kept_ms} ms"
        );
        // Deleting the topic takes nothing back: the records written to a new one count on top
        // of those, so the history still moves on.
        for command in [
            Command::DeleteTopic {
                topic: "orders".into(),
            },
            Command::create_topic("audit", 1, 3),
            Command::StartGenerator {
                generator: "audit".into(),
                producer: "producer-1".into(),
                topic: "audit".into(),
                rate_per_sec: 2_000,
                keys: KeySet::NoKey,
            },
        ] {
            timeline.apply(command).expect("accepted");
        }
        for _ in 0..900 {
            timeline.tick();
            timeline.drain_events();
        }
        let kept_ms = timeline.sim().now_ms() - timeline.start_ms();
        assert!(kept_ms <= 70_000, "kept {kept_ms} ms");
    }

    #[test]
    fn old_history_is_forgotten_beyond_the_snapshot_limit() {
        let mut timeline = busy();
        let hashes = run(&mut timeline, 40);
        // Snapshots after ticks 7, 14, .., 35 with 4 kept: the history starts after tick 14.
        let tick = timeline.sim().config().tick_ms;
        assert_eq!(timeline.start_ms(), 14 * tick);
        timeline.seek(0);
        assert_eq!(timeline.sim().now_ms(), 14 * tick);
        assert_eq!(timeline.sim().state_hash(), hashes[13]);
        run(&mut timeline, 26);
        assert_eq!(timeline.sim().state_hash(), hashes[39]);
    }
}
