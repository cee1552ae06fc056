//! A console script run headless: each line echoed after its prompt, what it printed, and the
//! events it caused in the event log's words. The runner binary and the tests use it.

use super::Console;
use crate::sim::timeline::Timeline;
use crate::ui::format::virtual_time;

/// What a script printed, and how many of its lines failed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transcript {
    pub lines: Vec<String>,
    pub failures: usize,
}

/// Runs `script` line by line. At the `$` prompt, blank lines and lines starting with `#` are
/// comments; at a console producer's `>` prompt every line is a record. Failed lines are
/// marked `!` and the script goes on, as a shell script without `set -e` would.
pub fn run_script(script: &str, timeline: &mut Timeline) -> Transcript {
    let mut console = Console::new();
    let mut transcript = Transcript::default();
    for line in script.lines() {
        let prompt = console.prompt();
        if prompt == "$" && (line.trim().is_empty() || line.trim_start().starts_with('#')) {
            continue;
        }
        transcript.lines.push(format!("{prompt} {line}"));
        let reply = console.enter(line, timeline);
        let mark = if reply.failed { "! " } else { "" };
        transcript.failures += usize::from(reply.failed);
        transcript
            .lines
            .extend(reply.lines.iter().map(|l| format!("{mark}{l}")));
        for event in timeline.drain_events() {
            transcript
                .lines
                .push(format!("  [{}] {}", virtual_time(event.at_ms), event.event));
        }
    }
    transcript
}
