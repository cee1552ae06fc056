//! Keyboard shortcuts: space plays or pauses, → steps forward, ← steps back, n runs to the next
//! event, p goes back to the previous important one; c goes to the console, s shows or hides the side panel.

/// What the virtual clock does, from a key or a button.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockAction {
    PlayPause,
    StepForward,
    StepBack,
    NextEvent,
    PreviousEvent,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    Clock(ClockAction),
    FocusConsole,
    ToggleSide,
}

/// The shortcut a key press means, if any. Keys typed into a field or pressed with a modifier
/// (browser and screen-reader shortcuts) are left alone, and so is space on a button, which
/// presses the button.
pub fn shortcut(key: &str, target_tag: &str, with_modifier: bool) -> Option<Shortcut> {
    let tag = target_tag.to_ascii_uppercase();
    if with_modifier || matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT") {
        return None;
    }
    match key {
        " " if tag != "BUTTON" => Some(Shortcut::Clock(ClockAction::PlayPause)),
        "ArrowRight" => Some(Shortcut::Clock(ClockAction::StepForward)),
        "ArrowLeft" => Some(Shortcut::Clock(ClockAction::StepBack)),
        "n" => Some(Shortcut::Clock(ClockAction::NextEvent)),
        "p" => Some(Shortcut::Clock(ClockAction::PreviousEvent)),
        "c" => Some(Shortcut::FocusConsole),
        "s" => Some(Shortcut::ToggleSide),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_on_the_page_are_shortcuts() {
        assert_eq!(
            shortcut(" ", "BODY", false),
            Some(Shortcut::Clock(ClockAction::PlayPause))
        );
        assert_eq!(
            shortcut("ArrowRight", "body", false),
            Some(Shortcut::Clock(ClockAction::StepForward))
        );
        assert_eq!(
            shortcut("ArrowLeft", "BUTTON", false),
            Some(Shortcut::Clock(ClockAction::StepBack))
        );
        assert_eq!(
            shortcut("n", "BODY", false),
            Some(Shortcut::Clock(ClockAction::NextEvent))
        );
        assert_eq!(
            shortcut("p", "BODY", false),
            Some(Shortcut::Clock(ClockAction::PreviousEvent))
        );
        assert_eq!(shortcut("c", "BUTTON", false), Some(Shortcut::FocusConsole));
        assert_eq!(shortcut("s", "BODY", false), Some(Shortcut::ToggleSide));
        assert_eq!(shortcut("c", "INPUT", false), None, "typing a c");
        assert_eq!(
            shortcut("n", "INPUT", false),
            None,
            "typing an n into a field"
        );
        assert_eq!(shortcut("a", "BODY", false), None);
    }

    #[test]
    fn typing_buttons_and_modifiers_are_left_alone() {
        assert_eq!(shortcut(" ", "INPUT", false), None);
        assert_eq!(shortcut("ArrowLeft", "input", false), None);
        assert_eq!(shortcut("ArrowRight", "SELECT", false), None);
        assert_eq!(shortcut(" ", "BUTTON", false), None);
        assert_eq!(shortcut("ArrowLeft", "BODY", true), None);
    }
}
