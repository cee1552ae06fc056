//! A learner working through a lesson in the page: the step shown, the exercises solved (each
//! checked on the simulation as it runs, so that ✓ appears the moment its goal holds and not
//! before), and the hints and solutions asked for. Plain data: the page draws it and feeds it the
//! simulation's state and events.

use super::Lesson;
use crate::share::{LessonSource, SharedLesson};
use crate::sim::Sim;
use crate::sim::event::TimedEvent;
use crate::sim::view::SimView;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    pub lesson: Lesson,
    /// A teacher's own lesson: its file's name and text (to share it); `None` for one of ours.
    pub file: Option<(String, String)>,
    /// The step shown, from 0; `lesson.steps.len()` shows the exercises.
    pub step: usize,
    /// Whether each step's lines were run ("Do it"): the steps after it expect them.
    pub done: Vec<bool>,
    pub solved: Vec<bool>,
    /// How many of each exercise's hints are shown.
    pub hints_shown: Vec<usize>,
    pub solution_shown: Vec<bool>,
}

impl Attempt {
    pub fn new(lesson: Lesson, file: Option<(String, String)>) -> Attempt {
        let exercises = lesson.exercises.len();
        Attempt {
            done: lesson.steps.iter().map(|s| s.actions.is_empty()).collect(),
            lesson,
            file,
            step: 0,
            solved: vec![false; exercises],
            hints_shown: vec![0; exercises],
            solution_shown: vec![false; exercises],
        }
    }

    /// How the lesson travels in a shared link.
    pub fn shared(&self) -> SharedLesson {
        SharedLesson {
            source: match &self.file {
                Some((name, text)) => LessonSource::Custom {
                    name: name.clone(),
                    text: text.clone(),
                },
                None => LessonSource::Builtin {
                    id: self.lesson.id.clone(),
                },
            },
            step_index: self.step as u32,
            done: self.done.clone(),
        }
    }

    /// The attempt a shared link describes, of `lesson` (read from the link's source).
    pub fn resumed(
        lesson: Lesson,
        file: Option<(String, String)>,
        shared: &SharedLesson,
    ) -> Attempt {
        let mut attempt = Attempt::new(lesson, file);
        attempt.go_to(shared.step_index as usize);
        for (done, shared_done) in attempt.done.iter_mut().zip(&shared.done) {
            *done |= *shared_done;
        }
        attempt
    }

    /// Whether the exercises are shown (after the last step).
    pub fn at_exercises(&self) -> bool {
        self.step >= self.lesson.steps.len()
    }

    /// Shows step `step` (from 0; the steps' count shows the exercises).
    pub fn go_to(&mut self, step: usize) {
        self.step = step.min(self.lesson.steps.len());
    }

    /// The lines of step `step` that were not run yet, which "Do it" runs (and marks done).
    pub fn lines_to_do(&mut self, step: usize) -> Vec<String> {
        match (self.done.get_mut(step), self.lesson.steps.get(step)) {
            (Some(done), Some(s)) if !*done => {
                *done = true;
                s.actions.clone()
            }
            _ => Vec::new(),
        }
    }

    /// Shows the next hint of `exercise`, if it has one more.
    pub fn next_hint(&mut self, exercise: usize) {
        if let (Some(shown), Some(e)) = (
            self.hints_shown.get_mut(exercise),
            self.lesson.exercises.get(exercise),
        ) {
            *shown = (*shown + 1).min(e.hints.len());
        }
    }

    pub fn show_solution(&mut self, exercise: usize) {
        if let Some(shown) = self.solution_shown.get_mut(exercise) {
            *shown = true;
        }
    }

    /// Checks the open exercises whose goals are about events against `events`; returns the
    /// ones this solved.
    pub fn check_events(&mut self, events: &[TimedEvent]) -> Vec<usize> {
        self.check(|goal| goal.is_about_events() && events.iter().any(|e| goal.seen_in(&e.event)))
    }

    /// Checks the open exercises whose goals are about the cluster's state on `sim` (whose
    /// summary is `view`); returns the ones that now hold.
    pub fn check_state(&mut self, sim: &Sim, view: &SimView) -> Vec<usize> {
        self.check(|goal| !goal.is_about_events() && goal.holds_on(sim, view))
    }

    fn check(&mut self, holds: impl Fn(&super::goal::Goal) -> bool) -> Vec<usize> {
        let mut newly = Vec::new();
        for (n, exercise) in self.lesson.exercises.iter().enumerate() {
            if !self.solved[n] && holds(&exercise.goal) {
                self.solved[n] = true;
                newly.push(n);
            }
        }
        newly
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Console;

    /// The partition lesson walked as the page does: steps shown, then the exercise typed line
    /// by line, its goal checked after each line: solved only once the fifth record is in.
    #[test]
    fn an_exercise_is_solved_the_moment_its_goal_holds() {
        let lesson = Lesson::all()
            .expect("lessons")
            .into_iter()
            .find(|l| l.id == "partition")
            .expect("the partition lesson");
        let (mut timeline, events) = lesson.start().expect("starts");
        let mut attempt = Attempt::new(lesson.clone(), None);
        let mut console = Console::new();
        assert!(attempt.check_events(&events).is_empty());
        for step in &lesson.steps {
            for line in &step.actions {
                console.enter(line, &mut timeline);
            }
            attempt.go_to(attempt.step + 1);
            let view = timeline.sim().view();
            assert!(attempt.check_state(timeline.sim(), &view).is_empty());
        }
        assert!(attempt.at_exercises());
        let solution = &lesson.exercises[0].solution;
        let mut solved_after = None;
        for (n, line) in solution.iter().enumerate() {
            console.enter(line, &mut timeline);
            let events = timeline.drain_events();
            let view = timeline.sim().view();
            let mut newly = attempt.check_events(&events);
            newly.extend(attempt.check_state(timeline.sim(), &view));
            if !newly.is_empty() {
                assert_eq!(newly, [0]);
                solved_after = Some(n);
            }
        }
        // Five records sent (lines 1-5 after the producer starts), then ^D and sleep 2 make
        // them written: solved at the sleep, not before.
        assert_eq!(solved_after, Some(solution.len() - 1), "{solution:?}");
        assert_eq!(attempt.solved, [true]);
    }

    #[test]
    fn hints_come_one_at_a_time_and_stop_at_the_last() {
        let lesson = Lesson::all().expect("lessons").remove(0);
        let hints = lesson.exercises[0].hints.len();
        let mut attempt = Attempt::new(lesson, None);
        for n in 1..=hints + 2 {
            attempt.next_hint(0);
            assert_eq!(attempt.hints_shown[0], n.min(hints));
        }
        attempt.next_hint(99);
        attempt.show_solution(0);
        assert!(attempt.solution_shown[0]);
        attempt.go_to(1_000);
        assert_eq!(attempt.step, attempt.lesson.steps.len());
        let shared = attempt.shared();
        assert_eq!(shared.source, LessonSource::Builtin { id: "topic".into() });
        assert_eq!(shared.step_index as usize, attempt.step);
        let lines = attempt.lines_to_do(1);
        assert!(!lines.is_empty(), "step 2 has lines to run");
        assert!(attempt.lines_to_do(1).is_empty(), "once");
        let resumed = Attempt::resumed(attempt.lesson.clone(), None, &attempt.shared());
        assert_eq!((resumed.step, &resumed.done), (attempt.step, &attempt.done));
    }
}
