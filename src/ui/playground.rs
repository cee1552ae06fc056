//! The reactive handle every component shares: the simulation in a signal, the event log and
//! the play state. Components send commands through `apply` and read through `view`.

use crate::sim::scenario::Scenario;
use crate::sim::{Command, Outcome, Sim, SimError, SimView, TimedEvent};
use crate::ui::forms::FieldError;
use leptos::prelude::*;

/// How many event-log lines the page keeps.
const LOG_LINES: usize = 300;

#[derive(Clone, Copy)]
pub struct Playground {
    pub sim: RwSignal<Sim>,
    /// The summary every panel renders from; changes only when the summary does.
    pub view: Memo<SimView>,
    /// Newest last.
    pub log: RwSignal<Vec<LogLine>>,
    pub playing: RwSignal<bool>,
    /// Virtual seconds per real second, in quarters (see `clock`).
    pub speed: RwSignal<u32>,
}

impl Playground {
    /// A playground running `scenario`.
    pub fn new(scenario: &Scenario) -> Result<Playground, SimError> {
        let mut sim = scenario.build()?;
        let log = LogLine::numbered(0, sim.drain_events());
        let sim = RwSignal::new(sim);
        Ok(Playground {
            sim,
            view: Memo::new(move |_| sim.with(Sim::view)),
            log: RwSignal::new(log),
            // The cluster is live from the start; a learner can pause it.
            playing: RwSignal::new(true),
            speed: RwSignal::new(crate::ui::clock::NORMAL_SPEED),
        })
    }

    /// Sends a command; on `Err` the simulation is untouched and nothing re-renders.
    pub fn apply(&self, command: Command) -> Result<Outcome, SimError> {
        let result = self.sim.update_untracked(|sim| sim.apply(command));
        if result.is_ok() {
            self.sim.notify();
            self.take_events();
        }
        result
    }

    /// Sends what a form produced, turning either kind of refusal into a message for the form.
    pub fn submit(&self, form: Result<Command, FieldError>) -> Result<Outcome, FieldError> {
        Ok(self.apply(form?)?)
    }

    /// `ticks` ticks of virtual time, drawn once.
    pub fn tick(&self, ticks: u32) {
        self.sim.update(|sim| {
            for _ in 0..ticks {
                sim.tick();
            }
        });
        self.take_events();
    }

    fn take_events(&self) {
        let events = self.sim.update_untracked(Sim::drain_events);
        if events.is_empty() {
            return;
        }
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
    fn numbered(first: u64, events: Vec<TimedEvent>) -> Vec<LogLine> {
        events
            .into_iter()
            .zip(first..)
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
