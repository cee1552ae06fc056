//! What the page's address asks for: the scenario or lesson to start with, and for a guide that
//! embeds the playground (`?embed=1`) which panels and controls to show, whether to play at once,
//! how fast, in which theme, and which origins may drive it by postMessage. The address is the
//! visitor's text: a value we do not know is reported (cut short) and its default used, never run.

use crate::ui::clock::{NORMAL_SPEED, SPEEDS, speed_label};
use crate::ui::layout::{DockTab, SideTab};
use crate::ui::theme::ThemeChoice;
use kafka_sim::lesson::LESSON_FILES;
use kafka_sim::sim::error::cut;
use kafka_sim::sim::scenario::{SCENARIO_NAMES, Scenario};

/// How much of the clock bar a page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Controls {
    /// Every clock control, the timeline, and (outside embeds) the page's buttons.
    Full,
    /// Play or pause, step and speed.
    Minimal,
    /// No clock bar: the guide drives the playground (autoplay or postMessage).
    None,
}

/// The panels a page shows: the side panel's tabs and the dock's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Panels {
    pub side: Vec<SideTab>,
    pub dock: Vec<DockTab>,
}

impl Panels {
    pub fn all() -> Panels {
        Panels {
            side: SideTab::ALL.to_vec(),
            dock: DockTab::ALL.to_vec(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageOptions {
    /// The scenario to start with, and its name.
    pub scenario: Scenario,
    pub scenario_name: &'static str,
    /// A lesson to open (`?lesson=partition`), at a step counted from 1 (`&step=3`).
    pub lesson: Option<(String, Option<u32>)>,
    /// `?embed=1`: minimal chrome for a guide's iframe.
    pub embed: bool,
    pub panels: Panels,
    pub controls: Controls,
    /// Whether the clock runs from the start.
    pub autoplay: bool,
    /// In quarters (see `clock`).
    pub speed: u32,
    /// A theme the address sets; otherwise the learner's choice or the system's.
    pub theme: Option<ThemeChoice>,
    /// Origins allowed to drive an embedded playground by postMessage (`*`: any); empty: the
    /// framing page, whatever its origin.
    pub origins: Vec<String>,
    /// What was wrong with the address, one message per value.
    pub problems: Vec<String>,
}

/// The options `get` (the address's query parameter by name, decoded) asks for.
pub fn page_options(get: impl Fn(&str) -> Option<String>) -> PageOptions {
    let mut problems = Vec::new();
    let flag = |name: &str, default: bool, problems: &mut Vec<String>| match get(name).as_deref() {
        None => default,
        Some("1" | "true" | "yes" | "on") => true,
        Some("0" | "false" | "no" | "off") => false,
        Some(other) => {
            problems.push(format!("{name}: {:?} is not 1 or 0", cut(other)));
            default
        }
    };
    let embed = flag("embed", false, &mut problems);
    let (scenario, scenario_name) = match get("scenario") {
        None => (Scenario::starter(), "starter"),
        Some(name) => match SCENARIO_NAMES.iter().find(|n| **n == name) {
            Some(known) => (
                Scenario::named(known).unwrap_or_else(Scenario::starter),
                *known,
            ),
            None => {
                problems.push(format!(
                    "scenario: {:?} is not one of {}; showing the starter scenario",
                    cut(&name),
                    SCENARIO_NAMES.join(", ")
                ));
                (Scenario::starter(), "starter")
            }
        },
    };
    let lesson = get("lesson").and_then(|id| {
        if LESSON_FILES.iter().any(|(known, _)| *known == id) {
            let step = get("step").and_then(|step| match step.parse::<u32>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    problems.push(format!(
                        "step: {:?} is not a step number (1, 2, ...)",
                        cut(&step)
                    ));
                    None
                }
            });
            Some((id, step))
        } else {
            let ids: Vec<&str> = LESSON_FILES.iter().map(|(id, _)| *id).collect();
            problems.push(format!(
                "lesson: {:?} is not one of {}",
                cut(&id),
                ids.join(", ")
            ));
            None
        }
    });
    let panels = match get("panels") {
        None if embed => Panels {
            side: if lesson.is_some() {
                vec![SideTab::Lessons]
            } else {
                Vec::new()
            },
            dock: Vec::new(),
        },
        None => Panels::all(),
        Some(list) => read_panels(&list, &mut problems),
    };
    let controls = match get("controls").as_deref() {
        None | Some("full" | "1") => Controls::Full,
        Some("minimal") => Controls::Minimal,
        Some("none" | "0") => Controls::None,
        Some(other) => {
            problems.push(format!(
                "controls: {:?} is not full, minimal or none",
                cut(other)
            ));
            Controls::Full
        }
    };
    let autoplay = flag("autoplay", true, &mut problems);
    let speed = get("speed").map_or(NORMAL_SPEED, |text| {
        let number = text.trim_end_matches(['x', '×']);
        SPEEDS
            .iter()
            .copied()
            .find(|&q| speed_label(q).trim_end_matches('×') == number)
            .unwrap_or_else(|| {
                let allowed: Vec<String> = SPEEDS
                    .iter()
                    .map(|&q| speed_label(q).trim_end_matches('×').to_owned())
                    .collect();
                problems.push(format!(
                    "speed: {:?} is not one of {}",
                    cut(&text),
                    allowed.join(", ")
                ));
                NORMAL_SPEED
            })
    });
    let theme = get("theme").and_then(|name| match name.as_str() {
        "light" => Some(ThemeChoice::Light),
        "dark" => Some(ThemeChoice::Dark),
        "system" => Some(ThemeChoice::System),
        other => {
            problems.push(format!(
                "theme: {:?} is not light, dark or system",
                cut(other)
            ));
            None
        }
    });
    let origins = get("origins").map_or_else(Vec::new, |list| {
        list.split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .filter_map(|origin| {
                if origin == "*" || is_origin(origin) {
                    Some(origin.to_owned())
                } else {
                    problems.push(format!(
                        "origins: {:?} is not an origin as a browser writes it, such as https://guide.example (scheme, lowercase host, a port only if not the default, nothing after) or *",
                        cut(origin)
                    ));
                    None
                }
            })
            .collect()
    });
    PageOptions {
        scenario,
        scenario_name,
        lesson,
        embed,
        panels,
        controls,
        autoplay,
        speed,
        theme,
        origins,
        problems,
    }
}

/// `lessons,console`: the tabs named, in the page's order; `none` for none.
fn read_panels(list: &str, problems: &mut Vec<String>) -> Panels {
    let names: Vec<&str> = list.split(',').map(str::trim).collect();
    for name in names.iter().filter(|n| !n.is_empty() && **n != "none") {
        let known = SideTab::ALL.iter().any(|t| t.name() == *name)
            || DockTab::ALL.iter().any(|t| t.name() == *name);
        if !known {
            let names: Vec<&str> = SideTab::ALL
                .iter()
                .map(|t| t.name())
                .chain(DockTab::ALL.iter().map(|t| t.name()))
                .collect();
            problems.push(format!(
                "panels: {:?} is not one of {}, none",
                cut(name),
                names.join(", ")
            ));
        }
    }
    // In the page's order, each once.
    Panels {
        side: SideTab::ALL
            .into_iter()
            .filter(|t| names.contains(&t.name()))
            .collect(),
        dock: DockTab::ALL
            .into_iter()
            .filter(|t| names.contains(&t.name()))
            .collect(),
    }
}

/// Whether `text` is an origin as the browser writes one (and so can equal a message's
/// origin): `http` or `https`, `://`, a host of lowercase letters, digits, dots and dashes (or a
/// bracketed IPv6 address), a port only when it is not the scheme's default, and nothing after.
fn is_origin(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    // A colon inside brackets belongs to an IPv6 address, not to a port.
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) if host.ends_with(']') || !host.contains(':') => (host, Some(port)),
        _ => (rest, None),
    };
    let host_ok = if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !v6.is_empty() && v6.chars().all(|c| c.is_ascii_hexdigit() || c == ':')
    } else {
        !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
    };
    let default_port = if scheme == "https" { "443" } else { "80" };
    matches!(scheme, "http" | "https")
        && host_ok
        && port.is_none_or(|p| {
            !p.is_empty() && p.len() <= 5 && p.parse::<u16>().is_ok() && p != default_port
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(query: &[(&str, &str)]) -> PageOptions {
        page_options(|name| {
            query
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn the_address_picks_a_scenario() {
        assert_eq!(options(&[]).scenario, Scenario::starter());
        assert_eq!(options(&[("scenario", "busy")]).scenario, Scenario::busy());
        assert_eq!(
            options(&[("x", "1"), ("scenario", "large")]).scenario,
            Scenario::large()
        );
        assert!(options(&[("scenario", "busy")]).problems.is_empty());
    }

    #[test]
    fn an_unknown_scenario_is_reported_and_the_starter_shown() {
        let page = options(&[("scenario", "<b>x</b>")]);
        assert_eq!(page.scenario, Scenario::starter());
        assert_eq!(
            page.problems,
            [
                "scenario: \"<b>x</b>\" is not one of starter, quiet, busy, large; showing the starter scenario"
            ]
        );
    }

    #[test]
    fn a_huge_value_is_cut_short_in_the_message() {
        let huge = "x".repeat(1 << 20);
        let page = options(&[("scenario", &huge), ("lesson", &huge), ("origins", &huge)]);
        assert_eq!(page.problems.len(), 3);
        for message in &page.problems {
            assert!(message.contains("… (1048576 bytes)"), "{message:.100}");
            assert!(message.len() < 300, "{message:.100}");
        }
    }

    #[test]
    fn a_lesson_at_a_step() {
        let page = options(&[("lesson", "partition"), ("step", "3")]);
        assert_eq!(page.lesson, Some(("partition".to_owned(), Some(3))));
        assert!(page.problems.is_empty());
        let page = options(&[("lesson", "nope"), ("step", "0")]);
        assert_eq!(page.lesson, None);
        assert!(page.problems[0].starts_with("lesson: \"nope\" is not one of topic, partition"));
        let page = options(&[("lesson", "topic"), ("step", "zero")]);
        assert_eq!(page.lesson, Some(("topic".to_owned(), None)));
        assert_eq!(
            page.problems,
            ["step: \"zero\" is not a step number (1, 2, ...)"]
        );
    }

    #[test]
    fn a_full_page_shows_everything_and_an_embed_only_what_it_asks_for() {
        let full = options(&[]);
        assert!(!full.embed);
        assert_eq!(full.panels, Panels::all());
        assert_eq!(full.controls, Controls::Full);
        assert!(full.autoplay);
        assert_eq!(full.speed, NORMAL_SPEED);

        let bare = options(&[("embed", "1")]);
        assert!(bare.embed);
        assert_eq!(bare.panels.side, []);
        assert_eq!(bare.panels.dock, []);
        let with_lesson = options(&[("embed", "1"), ("lesson", "topic")]);
        assert_eq!(with_lesson.panels.side, [SideTab::Lessons]);

        let guide = options(&[
            ("embed", "1"),
            ("panels", "console,lessons,events,console"),
            ("controls", "minimal"),
            ("autoplay", "0"),
            ("speed", "0.25"),
            ("theme", "dark"),
            ("origins", "https://guide.example, http://localhost:3000,*"),
        ]);
        assert_eq!(guide.panels.side, [SideTab::Lessons]);
        assert_eq!(guide.panels.dock, [DockTab::Console, DockTab::Events]);
        assert_eq!(guide.controls, Controls::Minimal);
        assert!(!guide.autoplay);
        assert_eq!(guide.speed, 1);
        assert_eq!(guide.theme, Some(ThemeChoice::Dark));
        assert_eq!(
            guide.origins,
            ["https://guide.example", "http://localhost:3000", "*"]
        );
        assert!(guide.problems.is_empty(), "{:?}", guide.problems);
        assert_eq!(options(&[("speed", "16x")]).speed, 64);
        assert_eq!(options(&[("panels", "none")]).panels.dock, []);
    }

    #[test]
    fn bad_embed_values_are_reported_and_their_defaults_used() {
        let page = options(&[
            ("embed", "maybe"),
            ("panels", "console,<script>"),
            ("controls", "some"),
            ("autoplay", "2"),
            ("speed", "3"),
            ("theme", "neon"),
            (
                "origins",
                "https://ok.example,javascript:alert(1),https://a.example/path,ftp://x.example,https://x.example:99999",
            ),
        ]);
        assert!(!page.embed && page.autoplay);
        assert_eq!(page.controls, Controls::Full);
        assert_eq!(page.speed, NORMAL_SPEED);
        assert_eq!(page.theme, None);
        assert_eq!(page.panels.dock, [DockTab::Console]);
        assert_eq!(page.origins, ["https://ok.example"]);
        assert_eq!(
            page.problems,
            [
                "embed: \"maybe\" is not 1 or 0",
                "panels: \"<script>\" is not one of lessons, actions, inspector, console, events, charts, metrics, none",
                "controls: \"some\" is not full, minimal or none",
                "autoplay: \"2\" is not 1 or 0",
                "speed: \"3\" is not one of 0.25, 0.5, 1, 2, 4, 8, 16",
                "theme: \"neon\" is not light, dark or system",
                "origins: \"javascript:alert(1)\" is not an origin as a browser writes it, such as https://guide.example (scheme, lowercase host, a port only if not the default, nothing after) or *",
                "origins: \"https://a.example/path\" is not an origin as a browser writes it, such as https://guide.example (scheme, lowercase host, a port only if not the default, nothing after) or *",
                "origins: \"ftp://x.example\" is not an origin as a browser writes it, such as https://guide.example (scheme, lowercase host, a port only if not the default, nothing after) or *",
                "origins: \"https://x.example:99999\" is not an origin as a browser writes it, such as https://guide.example (scheme, lowercase host, a port only if not the default, nothing after) or *",
            ]
        );
        assert!(
            !is_origin("https://Guide.example"),
            "the browser writes hosts lowercase"
        );
        assert!(
            !is_origin("https://guide.example:443"),
            "and leaves default ports out"
        );
        assert!(is_origin("http://[::1]:8080"));
        assert!(is_origin("http://127.0.0.1:4000"));
    }
}
