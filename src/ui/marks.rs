//! The timeline's marks: the important events (crashes, elections, rebalances, lost records)
//! at their virtual time, so that a learner sees where things happened in the remembered
//! history and can go back to them. Going back keeps the marks of the recorded future (it
//! can be replayed); replaying it does not mark the same events twice; a command given while
//! rewound sets the future's marks aside with the future itself.

use crate::ui::captions::is_important;
use kafka_sim::sim::TimedEvent;

/// How many marks are kept, the newest.
const MAX_MARKS: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub at_ms: u64,
    pub text: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    marks: Vec<Mark>,
    /// The set-aside future's marks, and how many marks came before them.
    aside: Vec<Mark>,
    kept: usize,
    /// While replaying the recorded future: the end of what was marked already.
    replaying_until: Option<u64>,
}

impl Marks {
    /// Marks the important ones of `events`, unless they are a replay of marked ones. True if
    /// any mark was added.
    pub fn note(&mut self, events: &[TimedEvent]) -> bool {
        let before = self.marks.len();
        for timed in events {
            if self
                .replaying_until
                .is_some_and(|until| timed.at_ms <= until)
            {
                continue;
            }
            if is_important(&timed.event) {
                self.marks.push(Mark {
                    at_ms: timed.at_ms,
                    text: timed.event.to_string(),
                });
            }
        }
        if let (Some(until), Some(last)) = (self.replaying_until, events.last())
            && last.at_ms > until
        {
            self.replaying_until = None;
        }
        let excess = self.marks.len().saturating_sub(MAX_MARKS);
        self.marks.drain(..excess);
        self.kept = self.kept.saturating_sub(excess);
        self.marks.len() != before || excess > 0
    }

    /// Went back in time from a history recorded up to `end_ms`.
    pub fn rewound(&mut self, end_ms: u64) {
        self.replaying_until = Some(self.replaying_until.map_or(end_ms, |u| u.max(end_ms)));
    }

    /// A command at `now_ms` while rewound replaced the recorded future.
    pub fn set_aside(&mut self, now_ms: u64) {
        let first_later = self.marks.partition_point(|m| m.at_ms <= now_ms);
        self.aside = self.marks.split_off(first_later);
        self.kept = first_later;
        self.replaying_until = None;
    }

    /// The set-aside future came back, recorded until `end_ms`: what was marked since it was
    /// set aside goes.
    pub fn restored(&mut self, end_ms: u64) {
        self.marks.truncate(self.kept);
        self.marks.append(&mut self.aside);
        self.replaying_until = Some(end_ms);
    }

    /// The new future is kept: the old one's marks go.
    pub fn keep_new_future(&mut self) {
        self.aside.clear();
    }

    /// The latest mark before `now_ms`, if any.
    pub fn previous(&self, now_ms: u64) -> Option<u64> {
        let before = self.marks.partition_point(|m| m.at_ms < now_ms);
        before.checked_sub(1).map(|i| self.marks[i].at_ms)
    }

    pub fn all(&self) -> &[Mark] {
        &self.marks
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_sim::sim::{BrokerId, Event};

    fn crash(at_ms: u64, broker: u32) -> TimedEvent {
        TimedEvent {
            at_ms,
            event: Event::BrokerCrashed {
                broker: BrokerId(broker),
                session_timeout_ms: 9_000,
            },
        }
    }

    fn times(marks: &Marks) -> Vec<u64> {
        marks.all().iter().map(|m| m.at_ms).collect()
    }

    #[test]
    fn important_events_are_marked_once_even_when_replayed() {
        let mut marks = Marks::default();
        let routine = TimedEvent {
            at_ms: 50,
            event: Event::HighWatermarkAdvanced {
                topic: "t".to_owned(),
                partition: kafka_sim::sim::PartitionId(0),
                high_watermark: kafka_sim::sim::Offset(1),
            },
        };
        assert!(!marks.note(&[routine]));
        assert!(marks.note(&[crash(100, 1)]));
        assert!(marks.note(&[crash(300, 2)]));
        assert_eq!(marks.previous(300), Some(100));
        assert_eq!(marks.previous(100), None);
        marks.rewound(400);
        assert_eq!(
            times(&marks),
            [100, 300],
            "the recorded future keeps its marks"
        );
        assert!(
            !marks.note(&[crash(300, 2)]),
            "a replay marks nothing twice"
        );
        marks.note(&[crash(500, 3)]);
        assert_eq!(times(&marks), [100, 300, 500]);
    }

    #[test]
    fn a_new_future_sets_the_old_marks_aside_and_they_come_back_with_it() {
        let mut marks = Marks::default();
        marks.note(&[crash(100, 1), crash(300, 2)]);
        marks.rewound(400);
        marks.set_aside(200);
        marks.note(&[crash(200, 3), crash(250, 1)]);
        assert_eq!(times(&marks), [100, 200, 250]);
        marks.restored(400);
        assert_eq!(times(&marks), [100, 300]);
        assert!(!marks.note(&[crash(300, 2)]));
        marks.set_aside(100);
        marks.keep_new_future();
        marks.restored(400);
        assert_eq!(times(&marks), [100], "kept: nothing to bring back");
    }
}
