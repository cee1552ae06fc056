//! The reactive handle every component shares: the simulation's timeline in a signal, the event
//! log, the play state, the console, the lesson being followed and the page's layout.
//! Components send commands through `apply` (clicks) or `run_console` (typed lines) and read
//! through `view`.

use crate::ui::browser::now_ms;
use crate::ui::captions::{Captions, Category, category, is_important};
use crate::ui::layout::Layout;
use crate::ui::marks::Marks;
use crate::ui::moves::Moves;
use crate::ui::reactive::{effect, memo};
use kafka_sim::console::equivalent::{Equivalent, equivalent, line};
use kafka_sim::console::{Console, Reply};
use kafka_sim::forms::FieldError;
use kafka_sim::history::History;
use kafka_sim::lesson::attempt::Attempt;
use kafka_sim::lesson::progress::Progress;
use kafka_sim::share::Shared;
use kafka_sim::sim::metrics::MetricsWindow;
use kafka_sim::sim::scenario::Scenario;
use kafka_sim::sim::timeline::Timeline;
use kafka_sim::sim::{
    BrokerId, Command, Offset, Outcome, PartitionId, SimError, SimView, TimedEvent,
};
use leptos::prelude::*;
use std::rc::Rc;

/// How many event-log lines the page keeps.
const LOG_LINES: usize = 300;

/// How many important lines stay pinned above the event log.
const PINNED_LINES: usize = 8;

/// How many console lines the page keeps.
const CONSOLE_LINES: usize = 2_000;

/// A seek replays recorded steps for at most this long (real ms) before the page draws the
/// moment reached; the rest follows in slices as long (a drag answers at once).
const SEEK_SLICE_MS: f64 = 10.0;

/// Steps replayed between two looks at the time while seeking.
const SEEK_STEPS_PER_LOOK: usize = 4;

/// "Next event" gives up after a minute of virtual time with nothing happening.
const NEXT_EVENT_MAX_MS: u64 = 60_000;

/// Told of every batch of events the simulation reports, as it reports them.
type EventListener = Rc<dyn Fn(&[TimedEvent])>;

#[derive(Clone, Copy)]
pub struct Playground {
    /// The simulation now, and the history to go back through.
    pub timeline: RwSignal<Timeline>,
    /// The summary every panel renders from; changes only when the summary does.
    pub view: Memo<SimView>,
    /// The topics' names, for the forms' choices.
    pub topic_names: Memo<Vec<String>>,
    /// The producers' names.
    pub producer_names: Memo<Vec<String>>,
    /// Newest last.
    pub log: RwSignal<Vec<LogLine>>,
    /// The newest important lines (crashes, elections, lost records, rebalances), kept apart
    /// so that routine traffic does not scroll them away.
    pub pinned: RwSignal<Vec<LogLine>>,
    /// What the engine reported lately, as captions drawn where it happened.
    pub captions: RwSignal<Captions>,
    /// The important events on the timeline.
    pub marks: RwSignal<Marks>,
    /// Recent partition hand-overs, for drawing rebalances.
    pub moves: RwSignal<Moves>,
    pub playing: RwSignal<bool>,
    /// Virtual seconds per real second, in quarters (see `clock`).
    pub speed: RwSignal<u32>,
    /// What the Inspector shows.
    pub selected: RwSignal<Option<Inspected>>,
    /// Notified when the page's size or theme changes: the charts measure their canvas again.
    pub restyle: Trigger,
    /// What the playground started from: for Reset, sharing and the export.
    pub scenario: RwSignal<Scenario>,
    /// The charts' samples, taken whether or not the charts are on screen.
    pub history: RwSignal<History>,
    /// The Metrics tab's readings of the last two windows, taken likewise.
    pub metrics: RwSignal<MetricsWindow>,
    pub console: ConsoleState,
    /// The lesson being followed, if any.
    pub lesson: RwSignal<Option<Attempt>>,
    /// The teacher's lesson file opened last in this page (its name and text), listed with the
    /// lessons so that it can be started again.
    pub lesson_file: RwSignal<Option<(String, String)>>,
    /// The learner's progress through the lessons (kept in localStorage by the page).
    pub progress: RwSignal<Progress>,
    pub layout: RwSignal<Layout>,
    /// Whether each click also prints the Kafka CLI line it equals in the console.
    pub show_cli: RwSignal<bool>,
    /// A message for the whole page: a link or file that could not be opened, and so on.
    pub notice: RwSignal<Option<Notice>>,
    /// Where an unfinished seek is going, for the timeline's thumb.
    pub seeking_to: RwSignal<Option<u64>>,
    /// The rest of an unfinished seek, replayed in slices.
    seeking: StoredValue<Option<gloo_timers::callback::Timeout>, LocalStorage>,
    listeners: StoredValue<Vec<EventListener>, LocalStorage>,
}

/// What the Inspector shows: a record, or a part of the cluster clicked on the stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inspected {
    Record(RecordRef),
    Broker(BrokerId),
    Partition {
        topic: String,
        partition: PartitionId,
    },
    Producer(String),
    Group(String),
}

/// A record by its place in the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordRef {
    pub topic: String,
    pub partition: PartitionId,
    pub offset: Offset,
}

/// A message shown above the playground until dismissed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    /// A refusal (drawn as an error) rather than news.
    pub refused: bool,
}

/// The console panel's state: what it printed, the lines typed before, and the session itself
/// (a shell prompt, or a console producer reading records).
#[derive(Clone, Copy)]
pub struct ConsoleState {
    pub lines: RwSignal<Vec<ConsoleLine>>,
    pub prompt: RwSignal<&'static str>,
    pub history: StoredValue<kafka_sim::console::history::History>,
    session: StoredValue<Console>,
}

/// What a console line shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// A line typed (or run by a lesson or a guide) at this prompt.
    Typed(&'static str),
    Output,
    Failure,
    /// A click's CLI equivalent ("show as CLI").
    Click,
    /// The page's own remark (a new playground, an interrupted producer).
    Note,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleLine {
    pub seq: u64,
    pub kind: LineKind,
    pub text: String,
}

impl ConsoleState {
    fn new() -> ConsoleState {
        ConsoleState {
            lines: RwSignal::new(Vec::new()),
            prompt: RwSignal::new("$"),
            history: StoredValue::new(Default::default()),
            session: StoredValue::new(Console::new()),
        }
    }

    /// Adds lines to the output, keeping the newest `CONSOLE_LINES`.
    pub fn print(&self, lines: impl IntoIterator<Item = (LineKind, String)>) {
        self.lines.update(|shown| {
            let first = shown.last().map_or(0, |l| l.seq + 1);
            for (seq, (kind, text)) in (first..).zip(lines) {
                shown.push(ConsoleLine { seq, kind, text });
            }
            let excess = shown.len().saturating_sub(CONSOLE_LINES);
            shown.drain(..excess);
        });
    }

    /// Ends any console producer: a new playground has none of the old one's clients.
    fn restart(&self) {
        self.session.set_value(Console::new());
        self.prompt.set("$");
    }
}

impl Playground {
    /// A playground showing `timeline`, which started from `scenario`.
    pub fn new(scenario: Scenario, mut timeline: Timeline) -> Playground {
        let log = LogLine::numbered(0, timeline.drain_events());
        let pinned = pinned_of(&log, Vec::new());
        let timeline = RwSignal::new(timeline);
        let view = memo(move || timeline.with(|t| t.sim().view()));
        let history = RwSignal::new(History::default());
        // The charts' samples follow the cluster whether or not the charts are shown.
        effect(move || view.with(|v| history.maybe_update(|h| h.record(v))));
        let metrics = RwSignal::new(MetricsWindow::default());
        effect(move || view.with(|v| metrics.maybe_update(|m| m.record(&v.metrics))));
        Playground {
            timeline,
            view,
            topic_names: memo(move || {
                view.with(|v| v.topics.iter().map(|t| t.name.clone()).collect())
            }),
            producer_names: memo(move || {
                view.with(|v| v.producers.iter().map(|p| p.id.clone()).collect())
            }),
            log: RwSignal::new(log),
            pinned: RwSignal::new(pinned),
            captions: RwSignal::new(Captions::default()),
            marks: RwSignal::new(Marks::default()),
            moves: RwSignal::new(Moves::default()),
            // The cluster is live from the start; a learner can pause it.
            playing: RwSignal::new(true),
            speed: RwSignal::new(crate::ui::clock::NORMAL_SPEED),
            selected: RwSignal::new(None),
            restyle: Trigger::new(),
            scenario: RwSignal::new(scenario),
            history,
            metrics,
            console: ConsoleState::new(),
            lesson: RwSignal::new(None),
            lesson_file: RwSignal::new(None),
            progress: RwSignal::new(Progress::default()),
            layout: RwSignal::new(Layout::default()),
            show_cli: RwSignal::new(false),
            notice: RwSignal::new(None),
            seeking_to: RwSignal::new(None),
            seeking: StoredValue::new_local(None),
            listeners: StoredValue::new_local(Vec::new()),
        }
    }

    /// Calls `listener` with every batch of events from now on (lesson checks, a guide's
    /// events, the screen reader's summary).
    pub fn on_events(&self, listener: impl Fn(&[TimedEvent]) + 'static) {
        self.listeners
            .update_value(|listeners| listeners.push(Rc::new(listener)));
    }

    /// Sends a click's command; on `Err` the simulation is untouched and nothing re-renders.
    /// With "show as CLI" on, the console prints the Kafka command the click equals.
    pub fn apply(&self, command: Command) -> Result<Outcome, SimError> {
        self.stop_seeking();
        let echo = self.show_cli.get_untracked().then(|| equivalent(&command));
        let rewound_at = self.rewound_at();
        let result = self.timeline.update_untracked(|t| t.apply(command));
        if result.is_ok() {
            self.timeline.notify();
            self.note_future_set_aside(rewound_at);
            if let Some(echo) = echo {
                self.console.print([match echo {
                    Equivalent::Line(words) => (LineKind::Click, line(&words)),
                    Equivalent::ClientCall(call) => (
                        LineKind::Click,
                        format!("# {call} (no Kafka tool does this: a client application's call)"),
                    ),
                }]);
            }
            self.take_events();
        }
        result
    }

    /// Sends what a form produced; either kind of refusal becomes the form's `error`, an
    /// acceptance clears it. True when accepted.
    pub fn submit(
        &self,
        form: Result<Command, FieldError>,
        error: RwSignal<Option<FieldError>>,
    ) -> bool {
        let refusal = form.and_then(|command| Ok(self.apply(command)?)).err();
        let accepted = refusal.is_none();
        error.set(refusal);
        accepted
    }

    /// Runs a console line (typed, or from a lesson's "Do it" or a guide) and prints it with
    /// its answer. Its commands go on the timeline like clicks do.
    pub fn run_console(&self, text: &str) -> Reply {
        self.stop_seeking();
        let prompt = self.console.prompt.get_untracked();
        let rewound_at = self.rewound_at();
        let reply = self.timeline.update_untracked(|timeline| {
            self.console
                .session
                .try_update_value(|console| console.enter(text, timeline))
        });
        let reply = reply.unwrap_or(Reply {
            lines: Vec::new(),
            failed: false,
        });
        self.timeline.notify();
        self.note_future_set_aside(rewound_at);
        let prompt_after = self.console.session.with_value(|c| c.prompt());
        self.console.prompt.set(prompt_after);
        let kind = if reply.failed {
            LineKind::Failure
        } else {
            LineKind::Output
        };
        self.console.print(
            std::iter::once((LineKind::Typed(prompt), text.to_owned()))
                .chain(reply.lines.iter().map(|l| (kind, l.clone()))),
        );
        self.take_events();
        reply
    }

    /// Ctrl+C: a console producer is closed (sending what waits in its batches, as Kafka's
    /// shutdown hook does); at the shell prompt the line is dropped.
    pub fn interrupt_console(&self, typed: &str) {
        if self.console.prompt.get_untracked() == ">" {
            self.console
                .print([(LineKind::Typed(">"), format!("{typed}^C"))]);
            self.run_quietly("^D");
        } else {
            self.console
                .print([(LineKind::Typed("$"), format!("{typed}^C"))]);
        }
    }

    /// Runs `text` without printing it (the end of a console producer on Ctrl+C).
    fn run_quietly(&self, text: &str) {
        self.timeline.update_untracked(|timeline| {
            self.console
                .session
                .update_value(|console| drop(console.enter(text, timeline)))
        });
        self.timeline.notify();
        self.console
            .prompt
            .set(self.console.session.with_value(|c| c.prompt()));
        self.take_events();
    }

    /// `ticks` ticks of virtual time, drawn once.
    pub fn tick(&self, ticks: u32) {
        self.stop_seeking();
        self.timeline.update(|t| {
            for _ in 0..ticks {
                t.tick();
            }
        });
        self.take_events();
    }

    /// Runs until the next event, at most `NEXT_EVENT_MAX_MS` of virtual time, drawn once.
    pub fn tick_to_event(&self) {
        self.stop_seeking();
        self.take_events();
        self.timeline.update(|t| {
            let max_ticks = NEXT_EVENT_MAX_MS / t.sim().config().tick_ms.max(1);
            t.tick_to_event(u32::try_from(max_ticks).unwrap_or(u32::MAX));
        });
        self.take_events();
    }

    /// Shows another playground: `timeline`, started from `scenario`. The event log, the
    /// charts, the inspector and the console's producer start afresh; the console says why.
    pub fn load(&self, scenario: Scenario, mut timeline: Timeline, what: &str) {
        self.stop_seeking();
        let log = LogLine::numbered(0, timeline.drain_events());
        self.selected.set(None);
        self.scenario.set(scenario);
        self.timeline.set(timeline);
        self.pinned.set(pinned_of(&log, Vec::new()));
        self.log.set(log);
        self.captions.set(Captions::default());
        self.marks.set(Marks::default());
        self.moves.set(Moves::default());
        self.history.set(History::default());
        self.metrics.set(MetricsWindow::default());
        self.console.restart();
        self.console.print([(LineKind::Note, format!("# {what}"))]);
        // What was said about the playground before is about the old one.
        self.notice.set(None);
    }

    /// Starts over from the page's scenario: a new history, an empty event log.
    pub fn reset(&self) -> Result<(), SimError> {
        let sim = self.scenario.with_untracked(Scenario::build)?;
        let scenario = self.scenario.get_untracked();
        self.load(
            scenario,
            Timeline::new(sim),
            "Reset: the scenario from its start",
        );
        Ok(())
    }

    /// The playground as a shared link or file holds it, with the lesson being followed.
    pub fn shared(&self) -> Shared {
        let mut shared = self
            .scenario
            .with_untracked(|s| self.timeline.with_untracked(|t| Shared::of(s, t)));
        shared.lesson = self
            .lesson
            .with_untracked(|l| l.as_ref().map(Attempt::shared));
        shared
    }

    /// The moment the playground is rewound to, if it is.
    fn rewound_at(&self) -> Option<u64> {
        self.timeline
            .with_untracked(|t| t.is_rewound().then(|| t.sim().now_ms()))
    }

    /// After commands given at `rewound_at` while rewound: if they replaced the recorded
    /// future, its marks go aside with it (and the lines after the moment are forgotten).
    fn note_future_set_aside(&self, rewound_at: Option<u64>) {
        if let Some(at) = rewound_at
            && !self.timeline.with_untracked(Timeline::is_rewound)
        {
            self.marks.update(|m| m.set_aside(at));
        }
    }

    /// Brings back the future a command given while rewound replaced (see
    /// `Timeline::restore_future`): the playground goes to the moment before that command.
    pub fn restore_future(&self) {
        self.stop_seeking();
        if self.timeline.try_update(Timeline::restore_future) == Some(true) {
            let (now, end) = self
                .timeline
                .with_untracked(|t| (t.sim().now_ms(), t.end_ms()));
            self.marks.update(|m| m.restored(end));
            self.forget_after(now);
        }
    }

    /// Keeps the new future: the set-aside one is dropped for good.
    pub fn keep_new_future(&self) {
        self.timeline.update(Timeline::keep_new_future);
        self.marks.update(Marks::keep_new_future);
    }

    /// Back to the latest important event before now, or to the start of the history.
    pub fn previous_event(&self) {
        let (now, start) = self
            .timeline
            .with_untracked(|t| (t.sim().now_ms(), t.start_ms()));
        let to = self
            .marks
            .with_untracked(|m| m.previous(now))
            .unwrap_or(start);
        self.seek(to.max(start));
    }

    /// Back one tick, as it was then.
    pub fn step_back(&self) {
        self.stop_seeking();
        self.timeline.update(Timeline::step_back);
        let now = self.timeline.with_untracked(|t| t.sim().now_ms());
        self.forget_after(now);
    }

    /// To virtual time `t_ms` within the remembered history: the page draws what a slice of
    /// replay reaches (the nearest snapshot, at least), and replays the rest in slices after.
    pub fn seek(&self, t_ms: u64) {
        self.stop_seeking();
        let back = self.timeline.with_untracked(|t| t_ms < t.sim().now_ms());
        self.seek_slice(t_ms, back);
    }

    fn seek_slice(&self, t_ms: u64, back: bool) {
        let started = now_ms();
        let there = loop {
            let there = self
                .timeline
                .try_update_untracked(|t| t.seek_within(t_ms, SEEK_STEPS_PER_LOOK))
                .unwrap_or(true);
            if there || now_ms() - started > SEEK_SLICE_MS {
                break there;
            }
        };
        self.timeline.notify();
        // Going back, the moments replayed are in the log already; going forward, they are new.
        if back {
            self.forget_after(t_ms);
        } else {
            self.take_events();
        }
        if there {
            self.seeking_to.set(None);
        } else {
            let pg = *self;
            self.seeking_to.set(Some(t_ms));
            let rest = gloo_timers::callback::Timeout::new(0, move || pg.seek_slice(t_ms, back));
            self.seeking.set_value(Some(rest));
        }
    }

    /// An unfinished seek stops where it is (a tick, a command or another seek comes first).
    fn stop_seeking(&self) {
        self.seeking.set_value(None);
        if self.seeking_to.get_untracked().is_some() {
            self.seeking_to.set(None);
        }
    }

    /// Going back to `t_ms` drops the log lines of later moments, which have not happened (again)
    /// yet, and the events of the replay that rebuilt the moment, which the log already shows.
    fn forget_after(&self, t_ms: u64) {
        let end = self.timeline.with_untracked(Timeline::end_ms);
        self.timeline.update_untracked(|t| t.drain_events());
        self.marks.update(|m| m.rewound(end));
        self.log.update(|log| log.retain(|line| line.at_ms <= t_ms));
        self.pinned
            .update(|pinned| pinned.retain(|line| line.at_ms <= t_ms));
        self.captions.update(|captions| captions.forget_after(t_ms));
        self.moves.update(|moves| moves.forget_after(t_ms));
    }

    fn take_events(&self) {
        let events = self.timeline.update_untracked(Timeline::drain_events);
        if events.is_empty() {
            return;
        }
        let listeners = self.listeners.with_value(Clone::clone);
        for listener in listeners {
            listener(&events);
        }
        self.moves.maybe_update(|moves| moves.note(&events));
        self.captions
            .maybe_update(|captions| captions.note(&events));
        self.marks.maybe_update(|marks| marks.note(&events));
        let next = self
            .log
            .with_untracked(|log| log.last().map_or(0, |line| line.seq + 1));
        let lines = LogLine::numbered(next, events);
        if lines.iter().any(|line| line.important) {
            self.pinned
                .update(|pinned| *pinned = pinned_of(&lines, std::mem::take(pinned)));
        }
        self.log.update(|log| {
            log.extend(lines);
            let excess = log.len().saturating_sub(LOG_LINES);
            log.drain(..excess);
        });
    }
}

/// One event-log line, numbered so the list can be keyed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub seq: u64,
    pub at_ms: u64,
    pub text: String,
    pub category: Category,
    /// Pinned above the log (see `captions::is_important`).
    pub important: bool,
}

/// `pinned` with the important ones of `lines` added, the newest `PINNED_LINES` kept.
fn pinned_of(lines: &[LogLine], mut pinned: Vec<LogLine>) -> Vec<LogLine> {
    pinned.extend(lines.iter().filter(|line| line.important).cloned());
    let excess = pinned.len().saturating_sub(PINNED_LINES);
    pinned.drain(..excess);
    pinned
}

impl LogLine {
    /// Lines for `events` numbered from `first`; only the last `LOG_LINES` are kept, so a
    /// burst of events costs no more than a page of text.
    fn numbered(first: u64, events: Vec<TimedEvent>) -> Vec<LogLine> {
        let skipped = events.len().saturating_sub(LOG_LINES);
        events
            .into_iter()
            .zip(first..)
            .skip(skipped)
            .map(|(e, seq)| LogLine {
                seq,
                at_ms: e.at_ms,
                text: e.event.to_string(),
                category: category(&e.event),
                important: is_important(&e.event),
            })
            .collect()
    }
}

/// The playground provided by the app.
pub fn use_playground() -> Playground {
    expect_context::<Playground>()
}
