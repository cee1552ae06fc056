//! A learner's progress through the lessons, kept in the browser's localStorage between visits:
//! the furthest step reached and the exercises solved, per lesson. One line per lesson:
//! `partition 4 1 3` (id, furthest step counted from 1, the numbers of the exercises solved).
use crate::sim::ordered::Map;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LessonProgress {
    /// The furthest step seen, counted from 1 (0: not started).
    pub step: u32,
    /// The exercises solved, counted from 1, ascending.
    pub solved: Vec<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    lessons: Map<String, LessonProgress>,
}

/// Ids and counts beyond these are not kept (the text comes from storage anything on the page's
/// origin may have written).
const MAX_LESSONS: usize = 100;
const MAX_NUMBER: u32 = 1_000;

impl Progress {
    pub fn of(&self, lesson: &str) -> LessonProgress {
        self.lessons.get(lesson).cloned().unwrap_or_default()
    }

    /// Notes that step `step` (from 1) of `lesson` was shown.
    pub fn saw_step(&mut self, lesson: &str, step: u32) {
        let entry = self.entry(lesson);
        entry.step = entry.step.max(step.min(MAX_NUMBER));
    }

    /// Notes that exercise `exercise` (from 1) of `lesson` was solved.
    pub fn solved(&mut self, lesson: &str, exercise: u32) {
        let entry = self.entry(lesson);
        if let Err(at) = entry.solved.binary_search(&exercise) {
            entry.solved.insert(at, exercise.min(MAX_NUMBER));
        }
    }

    fn entry(&mut self, lesson: &str) -> &mut LessonProgress {
        if self.lessons.get(lesson).is_none() {
            self.lessons
                .insert(lesson.to_owned(), LessonProgress::default());
        }
        self.lessons
            .get_mut(lesson)
            .expect("the entry was just made")
    }

    pub fn to_text(&self) -> String {
        self.lessons
            .iter()
            .map(|(id, p)| {
                let mut line = format!("{id} {}", p.step);
                for n in &p.solved {
                    line.push_str(&format!(" {n}"));
                }
                line
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Reads `to_text`'s lines; a line it cannot read is skipped.
    pub fn from_text(text: &str) -> Progress {
        let mut progress = Progress::default();
        for line in text.lines().take(MAX_LESSONS) {
            let mut words = line.split(' ');
            let (Some(id), Some(step)) = (words.next(), words.next()) else {
                continue;
            };
            let valid_id = !id.is_empty()
                && id.len() <= 64
                && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            let Ok(step) = step.parse::<u32>() else {
                continue;
            };
            if !valid_id {
                continue;
            }
            progress.saw_step(id, step);
            for n in words.filter_map(|w| w.parse::<u32>().ok()).take(64) {
                progress.solved(id, n);
            }
        }
        progress
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_survives_as_text() {
        let mut progress = Progress::default();
        progress.saw_step("partition", 2);
        progress.saw_step("partition", 4);
        progress.saw_step("partition", 3);
        progress.solved("partition", 1);
        progress.solved("partition", 1);
        progress.saw_step("topic", 1);
        let text = progress.to_text();
        assert_eq!(text, "partition 4 1\ntopic 1");
        assert_eq!(Progress::from_text(&text), progress);
        assert_eq!(
            progress.of("partition"),
            LessonProgress {
                step: 4,
                solved: vec![1]
            }
        );
        assert_eq!(progress.of("offsets"), LessonProgress::default());
    }

    #[test]
    fn text_from_elsewhere_is_read_as_far_as_it_makes_sense() {
        let read = Progress::from_text(
            "<img src=x onerror=alert(1)> 3\ntopic x 1\npartition 99999 2 x 1\n\n",
        );
        assert_eq!(read.to_text(), "partition 1000 1 2");
    }
}
