//! Lessons that follow the guide: a starting cluster, steps with captions that point at a panel
//! and console lines the playground runs, and exercises whose goals are checked on the
//! simulation. Each lesson is a text file under `lessons/`, compiled in (`LESSON_FILES`) and
//! read by `Lesson::parse`; the tests load every one and solve its exercises.
//!
//! The format, one `key: value` per line (`#` starts a comment):
//!
//! ```text
//! title: Topics            guide: Kafka Topic          scenario: empty | starter | busy
//! setup: <console line>    (run before the first step, in order)
//! step: <caption>          then for that step: point: <panel>, do: <console line>, ask: <text>
//! exercise: <task>         then: goal: <goal words>, hint: <text>, solution: <console line>
//! ```

pub mod attempt;
pub mod goal;
pub mod progress;

use crate::console::Console;
use crate::console::script::{Session, Transcript};
use crate::sim::error::cut;
use crate::sim::event::TimedEvent;
use crate::sim::scenario::Scenario;
use crate::sim::timeline::Timeline;
use goal::Goal;

/// The lesson files, in the guide's order: (id, text).
pub const LESSON_FILES: [(&str, &str); 9] = [
    ("topic", include_str!("../../lessons/topic.lesson")),
    ("partition", include_str!("../../lessons/partition.lesson")),
    ("broker", include_str!("../../lessons/broker.lesson")),
    ("producer", include_str!("../../lessons/producer.lesson")),
    ("consumer", include_str!("../../lessons/consumer.lesson")),
    (
        "consumer-group",
        include_str!("../../lessons/consumer-group.lesson"),
    ),
    ("offsets", include_str!("../../lessons/offsets.lesson")),
    (
        "replication",
        include_str!("../../lessons/replication.lesson"),
    ),
    ("retention", include_str!("../../lessons/retention.lesson")),
];

/// The guide's sections, in its order: a lesson follows one of them (`guide:`), or goes beyond.
pub const GUIDE_SECTIONS: [&str; 7] = [
    "Kafka Topic",
    "Kafka Partition",
    "Kafka Broker",
    "Kafka Producer",
    "Kafka Consumer",
    "Kafka Consumer Group",
    "Kafka Offsets",
];

/// The panels a step can point at.
pub const PANELS: [&str; 7] = [
    "cluster",
    "topics",
    "producers",
    "consumers",
    "charts",
    "events",
    "forms",
];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    /// The guide section it follows.
    pub guide: String,
    /// `empty` (three brokers, nothing else) or a named scenario.
    pub scenario: String,
    pub setup: Vec<String>,
    pub steps: Vec<Step>,
    pub exercises: Vec<Exercise>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Step {
    pub caption: String,
    /// The panel the caption talks about.
    pub point: Option<String>,
    /// Console lines the playground runs when the step is shown.
    pub actions: Vec<String>,
    /// What the learner is asked to do, if anything.
    pub ask: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exercise {
    pub task: String,
    pub goal: Goal,
    /// The goal as the lesson file writes it.
    pub goal_words: String,
    pub hints: Vec<String>,
    /// Console lines that reach the goal (for the runner and the tests; not shown).
    pub solution: Vec<String>,
}

/// The keys a lesson file may use.
pub const KEYS: &str =
    "title, guide, scenario, setup, step, point, do, ask, exercise, goal, hint, solution";

/// The scenarios a lesson may start from.
pub const LESSON_SCENARIOS: [&str; 5] = ["empty", "starter", "quiet", "busy", "large"];

/// The id a teacher's own lesson file gets.
pub const CUSTOM_ID: &str = "custom";

impl Lesson {
    /// Reads one of the playground's lesson files; an error names the line and what is wrong.
    pub fn parse(id: &str, text: &str) -> Result<Lesson, String> {
        Lesson::read(id, &format!("lessons/{id}.lesson"), text)
    }

    /// Reads a teacher's own lesson file called `name`: as `parse`, with the file's name in
    /// every message and at most `MAX_LESSON_BYTES` of text.
    pub fn from_file(name: &str, text: &str) -> Result<Lesson, String> {
        let max = crate::share::MAX_LESSON_BYTES;
        if text.len() > max {
            return Err(format!(
                "{}: {} bytes, more than the {max} a lesson file may have",
                cut(name),
                text.len()
            ));
        }
        Lesson::read(CUSTOM_ID, &cut(name), text)
    }

    fn read(id: &str, file: &str, text: &str) -> Result<Lesson, String> {
        let mut lesson = Lesson {
            id: id.to_owned(),
            ..Lesson::default()
        };
        let mut pending: Option<Pending> = None;
        for (number, line) in text.lines().enumerate() {
            let at = |message: String| format!("{file} line {}: {message}", number + 1);
            let line = line.trim_end();
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once(':') else {
                return Err(at(format!(
                    "{:?} is not key: value (the keys are {KEYS}; # starts a comment)",
                    cut(line)
                )));
            };
            let value = value.trim().to_owned();
            let in_step = pending.is_none() && !lesson.steps.is_empty();
            match key.trim() {
                "title" => lesson.title = value,
                "guide" => lesson.guide = value,
                "scenario" if !LESSON_SCENARIOS.contains(&value.as_str()) => {
                    return Err(at(format!(
                        "scenario: {:?} is not one of {}",
                        cut(&value),
                        LESSON_SCENARIOS.join(", ")
                    )));
                }
                "scenario" => lesson.scenario = value,
                "setup" if lesson.steps.is_empty() => lesson.setup.push(value),
                "step" if pending.is_none() => lesson.steps.push(Step {
                    caption: value,
                    ..Step::default()
                }),
                "point" | "do" | "ask" => {
                    let step = lesson
                        .steps
                        .last_mut()
                        .filter(|_| in_step)
                        .ok_or_else(|| at(format!("{}: comes after a step:", key.trim())))?;
                    match key.trim() {
                        "point" if !PANELS.contains(&value.as_str()) => {
                            return Err(at(format!(
                                "point: {value:?} is not one of {}",
                                PANELS.join(", ")
                            )));
                        }
                        "point" => step.point = Some(value),
                        "do" => step.actions.push(value),
                        _ => step.ask = Some(value),
                    }
                }
                "exercise" => {
                    lesson.exercises.extend(finish(pending.take()).map_err(at)?);
                    pending = Some(Pending {
                        task: value,
                        ..Pending::default()
                    });
                }
                "goal" | "hint" | "solution" => {
                    let exercise = pending
                        .as_mut()
                        .ok_or_else(|| at(format!("{} comes after an exercise:", key.trim())))?;
                    match key.trim() {
                        "goal" => exercise.goal = Some((Goal::parse(&value).map_err(at)?, value)),
                        "hint" => exercise.hints.push(value),
                        _ => exercise.solution.push(value),
                    }
                }
                "setup" => {
                    return Err(at(
                        "setup: comes before the first step: (it sets the cluster up)".to_owned(),
                    ));
                }
                "step" => {
                    return Err(at(
                        "step: comes before the first exercise: (steps first, then exercises)"
                            .to_owned(),
                    ));
                }
                other => {
                    return Err(at(format!(
                        "{:?} is not a key (the keys are {KEYS})",
                        cut(other)
                    )));
                }
            }
        }
        lesson
            .exercises
            .extend(finish(pending).map_err(|e| format!("{file}: {e}"))?);
        let missing = [
            ("title", lesson.title.is_empty()),
            ("guide", lesson.guide.is_empty()),
            ("scenario", lesson.scenario.is_empty()),
            ("a step", lesson.steps.is_empty()),
            ("an exercise", lesson.exercises.is_empty()),
        ];
        if let Some((what, _)) = missing.iter().find(|(_, is_missing)| *is_missing) {
            return Err(format!("{file} has no {what}"));
        }
        Ok(lesson)
    }

    /// Every lesson, parsed.
    pub fn all() -> Result<Vec<Lesson>, String> {
        LESSON_FILES
            .iter()
            .map(|(id, text)| Lesson::parse(id, text))
            .collect()
    }

    /// The scenario the lesson starts from (before its setup).
    pub fn scenario(&self) -> Result<Scenario, String> {
        match self.scenario.as_str() {
            "empty" => Ok(Scenario::empty(1)),
            name => Scenario::named(name)
                .ok_or_else(|| format!("lesson {}: no scenario named {name:?}", self.id)),
        }
    }

    /// The lesson's starting cluster with its setup run, and the events of both.
    pub fn start(&self) -> Result<(Timeline, Vec<TimedEvent>), String> {
        let sim = self.scenario()?.build().map_err(|e| e.to_string())?;
        let mut timeline = Timeline::new(sim);
        let mut console = Console::new();
        for line in &self.setup {
            let reply = console.enter(line, &mut timeline);
            if reply.failed {
                return Err(format!(
                    "lesson {} setup {line:?}: {}",
                    self.id,
                    reply.lines.join(" ")
                ));
            }
        }
        let events = timeline.drain_events();
        Ok((timeline, events))
    }
}

/// A lesson walked through headless, as the runner prints it.
#[derive(Debug)]
pub struct Walk {
    pub transcript: Transcript,
    /// Whether each exercise's goal held when the exercise was reached.
    pub done_before: Vec<bool>,
    /// Whether it held after its solution ran (with `solve`), else the same as before.
    pub done_after: Vec<bool>,
    /// The state the walk ended in (`Sim::state_hash`).
    pub state_hash: u64,
    /// The walk's history, to export or share.
    pub timeline: Timeline,
}

impl Lesson {
    /// Starts the lesson, shows each step (running its actions), then each exercise: its goal
    /// checked, and with `solve` its solution run and the goal checked again.
    pub fn walk(&self, solve: bool) -> Result<Walk, String> {
        let (mut timeline, events) = self.start()?;
        let mut session = Session::default();
        session.events = events;
        session.say(format!("# {} ({})", self.title, self.guide));
        for (n, step) in self.steps.iter().enumerate() {
            let panel = step
                .point
                .as_deref()
                .map(|p| format!(" [{p}]"))
                .unwrap_or_default();
            session.say(format!("## step {}{panel}: {}", n + 1, step.caption));
            for action in &step.actions {
                session.run_line(action, &mut timeline);
            }
            if let Some(ask) = &step.ask {
                session.say(format!("## your turn: {ask}"));
            }
        }
        let (mut before, mut after) = (Vec::new(), Vec::new());
        for exercise in &self.exercises {
            session.say(format!("## exercise: {}", exercise.task));
            let held = exercise.goal.holds(timeline.sim(), &session.events);
            before.push(held);
            if solve {
                for line in &exercise.solution {
                    session.run_line(line, &mut timeline);
                }
            }
            let done = exercise.goal.holds(timeline.sim(), &session.events);
            session.say(format!(
                "## goal {}: {}",
                if done { "reached" } else { "not reached" },
                exercise.goal_words
            ));
            after.push(done);
        }
        Ok(Walk {
            transcript: session.transcript,
            done_before: before,
            done_after: after,
            state_hash: timeline.sim().state_hash(),
            timeline,
        })
    }
}

/// An exercise being read.
#[derive(Default)]
struct Pending {
    task: String,
    goal: Option<(Goal, String)>,
    hints: Vec<String>,
    solution: Vec<String>,
}

/// The exercise read so far, complete once it has a goal and a hint.
fn finish(pending: Option<Pending>) -> Result<Option<Exercise>, String> {
    let Some(Pending {
        task,
        goal,
        hints,
        solution,
    }) = pending
    else {
        return Ok(None);
    };
    let (goal, goal_words) = goal.ok_or_else(|| format!("the exercise {task:?} has no goal:"))?;
    if hints.is_empty() {
        return Err(format!("the exercise {task:?} has no hint:"));
    }
    Ok(Some(Exercise {
        task,
        goal,
        goal_words,
        hints,
        solution,
    }))
}

#[cfg(test)]
mod tests;
