//! The console's history of lines, walked with ↑ and ↓ as a shell does: ↑ goes back from the
//! newest line, ↓ forward again and at the end back to what was being typed.

/// At most this many lines are kept.
const KEPT: usize = 500;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    lines: Vec<String>,
    /// The line shown while walking (an index into `lines`), `None` while typing.
    at: Option<usize>,
    /// What was being typed when the walk began.
    draft: String,
}

impl History {
    /// Keeps `line` (not a blank one, nor the newest again) and ends any walk.
    pub fn push(&mut self, line: &str) {
        self.at = None;
        self.draft.clear();
        if line.trim().is_empty() || self.lines.last().is_some_and(|last| last == line) {
            return;
        }
        self.lines.push(line.to_owned());
        let excess = self.lines.len().saturating_sub(KEPT);
        self.lines.drain(..excess);
    }

    /// ↑: the line before the one shown, `typing` being what the input holds now.
    pub fn up(&mut self, typing: &str) -> Option<String> {
        let at = match self.at {
            None if self.lines.is_empty() => return None,
            None => {
                self.draft = typing.to_owned();
                self.lines.len() - 1
            }
            Some(0) => 0,
            Some(at) => at - 1,
        };
        self.at = Some(at);
        self.lines.get(at).cloned()
    }

    /// ↓: the line after the one shown, or what was being typed after the newest.
    pub fn down(&mut self) -> Option<String> {
        let at = self.at?;
        if at + 1 < self.lines.len() {
            self.at = Some(at + 1);
            self.lines.get(at + 1).cloned()
        } else {
            self.at = None;
            Some(std::mem::take(&mut self.draft))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_and_down_walk_the_lines_and_come_back_to_the_draft() {
        let mut history = History::default();
        assert_eq!(history.up("x"), None);
        for line in ["one", "two", "two", " ", "three"] {
            history.push(line);
        }
        assert_eq!(history.up("dra").as_deref(), Some("three"));
        assert_eq!(history.up("three").as_deref(), Some("two"));
        assert_eq!(history.up("two").as_deref(), Some("one"));
        assert_eq!(
            history.up("one").as_deref(),
            Some("one"),
            "stays at the oldest"
        );
        assert_eq!(history.down().as_deref(), Some("two"));
        assert_eq!(history.down().as_deref(), Some("three"));
        assert_eq!(history.down().as_deref(), Some("dra"));
        assert_eq!(history.down(), None, "nothing below the draft");
        history.push("four");
        assert_eq!(history.up("").as_deref(), Some("four"));
    }

    #[test]
    fn only_the_newest_lines_are_kept() {
        let mut history = History::default();
        for n in 0..KEPT + 10 {
            history.push(&n.to_string());
        }
        let mut oldest = None;
        while let Some(line) = history.up("") {
            if oldest.as_ref() == Some(&line) {
                break;
            }
            oldest = Some(line);
        }
        assert_eq!(oldest.as_deref(), Some("10"));
    }
}
