//! The reactive handle every component shares: the simulation's timeline in a signal, the event
//! log and the play state. Components send commands through `apply` and read through `view`.

use crate::sim::scenario::Scenario;
use crate::sim::timeline::Timeline;
use crate::sim::{Command, Offset, Outcome, PartitionId, SimError, SimView, TimedEvent};
use crate::ui::forms::FieldError;
use crate::ui::moves::Moves;
use leptos::prelude::*;

/// How many event-log lines the page keeps.
const LOG_LINES: usize = 300;

/// "Next event" gives up after a minute of virtual time with nothing happening.
const NEXT_EVENT_MAX_MS: u64 = 60_000;

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
    /// Recent partition hand-overs, for drawing rebalances.
    pub moves: RwSignal<Moves>,
    pub playing: RwSignal<bool>,
    /// Virtual seconds per real second, in quarters (see `clock`).
    pub speed: RwSignal<u32>,
    /// The record open in the inspector.
    pub selected: RwSignal<Option<RecordRef>>,
    /// Notified when the page's size or theme changes: the charts measure their canvas again.
    pub restyle: Trigger,
    /// What the page started with, for Reset.
    scenario: StoredValue<Scenario>,
}

/// A record by its place in the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordRef {
    pub topic: String,
    pub partition: PartitionId,
    pub offset: Offset,
}

impl Playground {
    /// A playground running `scenario`.
    pub fn new(scenario: &Scenario) -> Result<Playground, SimError> {
        let mut sim = scenario.build()?;
        let log = LogLine::numbered(0, sim.drain_events());
        let timeline = RwSignal::new(Timeline::new(sim));
        let view = Memo::new(move |_| timeline.with(|t| t.sim().view()));
        Ok(Playground {
            timeline,
            view,
            topic_names: Memo::new(move |_| {
                view.with(|v| v.topics.iter().map(|t| t.name.clone()).collect())
            }),
            producer_names: Memo::new(move |_| {
                view.with(|v| v.producers.iter().map(|p| p.id.clone()).collect())
            }),
            log: RwSignal::new(log),
            moves: RwSignal::new(Moves::default()),
            // The cluster is live from the start; a learner can pause it.
            playing: RwSignal::new(true),
            speed: RwSignal::new(crate::ui::clock::NORMAL_SPEED),
            selected: RwSignal::new(None),
            restyle: Trigger::new(),
            scenario: StoredValue::new(scenario.clone()),
        })
    }

    /// Sends a command; on `Err` the simulation is untouched and nothing re-renders.
    pub fn apply(&self, command: Command) -> Result<Outcome, SimError> {
        let result = self.timeline.update_untracked(|t| t.apply(command));
        if result.is_ok() {
            self.timeline.notify();
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

    /// `ticks` ticks of virtual time, drawn once.
    pub fn tick(&self, ticks: u32) {
        self.timeline.update(|t| {
            for _ in 0..ticks {
                t.tick();
            }
        });
        self.take_events();
    }

    /// Runs until the next event, at most `NEXT_EVENT_MAX_MS` of virtual time, drawn once.
    pub fn tick_to_event(&self) {
        self.take_events();
        self.timeline.update(|t| {
            let max_ticks = NEXT_EVENT_MAX_MS / t.sim().config().tick_ms.max(1);
            t.tick_to_event(u32::try_from(max_ticks).unwrap_or(u32::MAX));
        });
        self.take_events();
    }

    /// Starts over from the page's scenario: a new history, an empty event log.
    pub fn reset(&self) -> Result<(), SimError> {
        let mut sim = self.scenario.with_value(Scenario::build)?;
        let log = LogLine::numbered(0, sim.drain_events());
        self.selected.set(None);
        self.timeline.set(Timeline::new(sim));
        self.log.set(log);
        self.moves.set(Moves::default());
        Ok(())
    }

    /// Back one tick, as it was then.
    pub fn step_back(&self) {
        self.timeline.update(Timeline::step_back);
        self.forget_later_lines();
    }

    /// To virtual time `t_ms` within the remembered history.
    pub fn seek(&self, t_ms: u64) {
        let back = self.timeline.with_untracked(|t| t_ms < t.sim().now_ms());
        self.timeline.update(|t| t.seek(t_ms));
        if back {
            self.forget_later_lines();
        } else {
            self.take_events();
        }
    }

    /// Going back drops the log lines of moments that have not happened (again) yet, and the
    /// events of the replay that rebuilt the moment, which the log already shows.
    fn forget_later_lines(&self) {
        let now = self.timeline.with_untracked(|t| t.sim().now_ms());
        self.timeline.update_untracked(|t| t.drain_events());
        self.log.update(|log| log.retain(|line| line.at_ms <= now));
        self.moves.update(|moves| moves.forget_after(now));
    }

    fn take_events(&self) {
        let events = self.timeline.update_untracked(Timeline::drain_events);
        if events.is_empty() {
            return;
        }
        self.moves.maybe_update(|moves| moves.note(&events));
        self.log.update(|log| {
            let next = log.last().map_or(0, |line| line.seq + 1);
            log.extend(LogLine::numbered(next, events));
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
            })
            .collect()
    }
}

/// The playground provided by the app.
pub fn use_playground() -> Playground {
    expect_context::<Playground>()
}
