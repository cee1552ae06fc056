//! The colour theme: the system's (the default), or light or dark as the learner picks. The
//! page sets `data-theme` on the root element to the theme in force; the CSS does the rest.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeChoice {
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    /// The next choice for the toggle: system → light → dark → system.
    pub fn next(self) -> ThemeChoice {
        match self {
            ThemeChoice::System => ThemeChoice::Light,
            ThemeChoice::Light => ThemeChoice::Dark,
            ThemeChoice::Dark => ThemeChoice::System,
        }
    }

    /// The button's name, for its tooltip and screen readers (it shows an icon).
    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::System => "Theme: system",
            ThemeChoice::Light => "Theme: light",
            ThemeChoice::Dark => "Theme: dark",
        }
    }

    /// The button's icon.
    pub fn icon(self) -> &'static str {
        match self {
            ThemeChoice::System => "◐",
            ThemeChoice::Light => "☀",
            ThemeChoice::Dark => "☾",
        }
    }

    /// The `data-theme` value in force, given whether the system prefers dark.
    pub fn resolve(self, system_prefers_dark: bool) -> &'static str {
        match self {
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
            ThemeChoice::System if system_prefers_dark => "dark",
            ThemeChoice::System => "light",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_toggle_cycles_and_system_follows_the_preference() {
        let mut choice = ThemeChoice::System;
        let mut seen = Vec::new();
        for _ in 0..3 {
            seen.push((choice.label(), choice.resolve(true), choice.resolve(false)));
            choice = choice.next();
        }
        assert_eq!(choice, ThemeChoice::System);
        assert_eq!(
            seen,
            [
                ("Theme: system", "dark", "light"),
                ("Theme: light", "light", "light"),
                ("Theme: dark", "dark", "dark"),
            ]
        );
    }
}
