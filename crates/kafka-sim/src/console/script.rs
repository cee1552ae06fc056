//! Console lines run headless: each line echoed after its prompt, what it printed, and the
//! events it caused in the event log's words. The runner binary, lessons and the tests use it.

use super::Console;
use crate::format::virtual_time;
use crate::sim::event::TimedEvent;
use crate::sim::timeline::Timeline;

/// What a script printed, and how many of its lines failed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transcript {
    pub lines: Vec<String>,
    pub failures: usize,
}

/// A console with its transcript and every event its lines caused, kept for checking goals.
#[derive(Debug, Default)]
pub struct Session {
    console: Console,
    pub transcript: Transcript,
    pub events: Vec<TimedEvent>,
}

impl Session {
    /// Runs one line: echoed with its prompt, its output (failures marked `!`), then the
    /// events it caused.
    pub fn run_line(&mut self, line: &str, timeline: &mut Timeline) {
        let t = &mut self.transcript;
        t.lines.push(format!("{} {line}", self.console.prompt()));
        let reply = self.console.enter(line, timeline);
        let mark = if reply.failed { "! " } else { "" };
        t.failures += usize::from(reply.failed);
        t.lines
            .extend(reply.lines.iter().map(|l| format!("{mark}{l}")));
        self.note(timeline.drain_events());
    }

    /// Prints `events` in the transcript and keeps them.
    pub fn note(&mut self, events: Vec<TimedEvent>) {
        for event in &events {
            self.transcript.lines.push(format!(
                "  [{}] {}",
                virtual_time(event.at_ms),
                event.event
            ));
        }
        self.events.extend(events);
    }

    /// Adds a line of its own to the transcript.
    pub fn say(&mut self, line: String) {
        self.transcript.lines.push(line);
    }
}

/// Runs `script` line by line. At the `$` prompt, blank lines and lines starting with `#` are
/// comments; at a console producer's `>` prompt every line is a record. Failed lines are
/// marked `!` and the script goes on, as a shell script without `set -e` would.
pub fn run_script(script: &str, timeline: &mut Timeline) -> Transcript {
    let mut session = Session::default();
    for line in script.lines() {
        let comment = line.trim().is_empty() || line.trim_start().starts_with('#');
        if session.console.prompt() == "$" && comment {
            continue;
        }
        session.run_line(line, timeline);
    }
    session.transcript
}
