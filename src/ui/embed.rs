//! The postMessage API of an embedded playground (`?embed=1`), as plain data: the requests a
//! guide page may send in and how they are read, and the messages sent out. The page turns a
//! message's JavaScript object into `Field`s and back; everything about what is allowed is
//! here, tested natively.
//!
//! In: `{type: "load", scenario: "busy"}` or `{type: "load", link: "kp1.…"}`,
//! `{type: "lesson", id: "partition", step: 3}`, `{type: "run", line: "kafka-topics.sh …"}`,
//! `{type: "play"}`, `{type: "pause"}`, `{type: "step", ticks: 1}`, `{type: "seek", ms: 5000}`,
//! `{type: "speed", speed: 2}`, `{type: "state"}`. Out, each with `source: "kafka-playground"`:
//! `ready`, `events` (each engine event in plain words), `output` (a console line's answer),
//! `state` (the virtual time, the state hash, the lesson), `exercise-solved`, `height`,
//! `refused` (a request from the framing page that could not be read, and why).
//! A message from another window or origin is ignored and counted, never answered.

use crate::ui::clock::{SPEEDS, speed_label};
use kafka_sim::lesson::LESSON_FILES;
use kafka_sim::share::MAX_LINK_BYTES;
use kafka_sim::sim::error::cut;
use kafka_sim::sim::scenario::SCENARIO_NAMES;

/// What a request's key holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Field {
    Missing,
    Text(String),
    Number(f64),
    /// Anything else (an object, a boolean, null, ...).
    Other,
}

/// A request a guide page sent in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    LoadScenario(&'static str),
    LoadLink(String),
    Lesson {
        id: String,
        step: Option<u32>,
    },
    Run(String),
    Play,
    Pause,
    Step(u32),
    Seek(u64),
    /// In quarters.
    Speed(u32),
    /// Where the playground is: answered with a `state` message.
    State,
}

/// A console line sent in is at most this long.
pub const MAX_LINE_BYTES: usize = 64 * 1024;
/// `step` runs at most this many ticks (a minute of virtual time).
pub const MAX_STEP_TICKS: u32 = 600;

/// Reads a request from its fields (`get` gives a key's value).
pub fn read_request(get: impl Fn(&str) -> Field) -> Result<Request, String> {
    let text = |key: &str, max: usize| match get(key) {
        Field::Text(text) if text.len() <= max => Ok(text),
        Field::Text(text) => Err(format!(
            "{key}: {} bytes, more than the {max} allowed",
            text.len()
        )),
        Field::Missing => Err(format!("{key}: missing")),
        _ => Err(format!("{key}: not text")),
    };
    let whole = |key: &str, max: u64| match get(key) {
        Field::Number(n) if n.fract() == 0.0 && (0.0..=max as f64).contains(&n) => Ok(n as u64),
        Field::Missing => Err(format!("{key}: missing")),
        _ => Err(format!("{key}: not a whole number from 0 to {max}")),
    };
    let kind = match get("type") {
        Field::Text(kind) => kind,
        Field::Missing => {
            return Err(
                "type: missing (load, lesson, run, play, pause, step, seek, speed or state)"
                    .to_owned(),
            );
        }
        _ => return Err("type: not text".to_owned()),
    };
    Ok(match kind.as_str() {
        "load" => match (get("scenario"), get("link")) {
            (Field::Missing, Field::Missing) => {
                return Err("load: give a scenario or a link".to_owned());
            }
            (Field::Missing, _) => Request::LoadLink(text("link", MAX_LINK_BYTES)?),
            _ => {
                let name = text("scenario", 100)?;
                let known = SCENARIO_NAMES.iter().find(|n| **n == name).ok_or_else(|| {
                    format!(
                        "scenario: {:?} is not one of {}",
                        cut(&name),
                        SCENARIO_NAMES.join(", ")
                    )
                })?;
                Request::LoadScenario(known)
            }
        },
        "lesson" => {
            let id = text("id", 100)?;
            if !LESSON_FILES.iter().any(|(known, _)| *known == id) {
                let ids: Vec<&str> = LESSON_FILES.iter().map(|(id, _)| *id).collect();
                return Err(format!(
                    "id: {:?} is not one of {}",
                    cut(&id),
                    ids.join(", ")
                ));
            }
            let step = match get("step") {
                Field::Missing => None,
                _ => Some(
                    Some(whole("step", 1_000)? as u32)
                        .filter(|s| *s >= 1)
                        .ok_or("step: counted from 1")?,
                ),
            };
            Request::Lesson { id, step }
        }
        "run" => Request::Run(text("line", MAX_LINE_BYTES)?),
        "play" => Request::Play,
        "pause" => Request::Pause,
        "state" => Request::State,
        "step" => match get("ticks") {
            Field::Missing => Request::Step(1),
            _ => Request::Step(whole("ticks", u64::from(MAX_STEP_TICKS))?.max(1) as u32),
        },
        "seek" => Request::Seek(whole("ms", 3_600_000)?),
        "speed" => {
            let Field::Number(speed) = get("speed") else {
                return Err("speed: not a number".to_owned());
            };
            let quarters = speed * 4.0;
            let allowed: Vec<String> = SPEEDS
                .iter()
                .map(|&q| speed_label(q).trim_end_matches('×').to_owned())
                .collect();
            Request::Speed(
                SPEEDS
                    .iter()
                    .copied()
                    .find(|&q| f64::from(q) == quarters)
                    .ok_or_else(|| format!("speed: not one of {}", allowed.join(", ")))?,
            )
        }
        other => {
            return Err(format!(
                "type: {:?} is not load, lesson, run, play, pause, step, seek, speed or state",
                cut(other)
            ));
        }
    })
}

/// Whether a message from `origin` may drive the playground: any origin when the address set
/// none (only the framing page's messages are read at all), else one it lists or `*`.
pub fn origin_allowed(allowed: &[String], origin: &str) -> bool {
    allowed.is_empty() || allowed.iter().any(|a| a == "*" || a == origin)
}

/// A value in a message sent out.
#[derive(Clone, Debug, PartialEq)]
pub enum Out {
    Text(String),
    Number(f64),
    Bool(bool),
    List(Vec<Message>),
}

/// A message sent out: its keys and values (`source` and `type` first).
pub type Message = Vec<(&'static str, Out)>;

/// A message to the guide: `source: "kafka-playground"`, its `type` and `fields`.
pub fn message(kind: &str, fields: Message) -> Message {
    let mut message = vec![
        ("source", Out::Text("kafka-playground".to_owned())),
        ("type", Out::Text(kind.to_owned())),
    ];
    message.extend(fields);
    message
}

/// At most this many events go out in one `events` message; the rest are counted in `more`.
pub const MAX_EVENTS_OUT: usize = 200;

/// The `events` message for events in plain words, `(virtual ms, text)`, oldest first.
pub fn events_message(events: &[(u64, String)]) -> Message {
    let sent = events.len().min(MAX_EVENTS_OUT);
    let list = events[events.len() - sent..]
        .iter()
        .map(|(at_ms, text)| {
            vec![
                ("at_ms", Out::Number(*at_ms as f64)),
                ("text", Out::Text(text.clone())),
            ]
        })
        .collect();
    message(
        "events",
        vec![
            ("events", Out::List(list)),
            ("more", Out::Number((events.len() - sent) as f64)),
        ],
    )
}

/// What an embed snippet shows: a lesson, a scenario, or the playground as it is now (a link).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Embedded {
    Lesson(String),
    Scenario(String),
    Link(String),
}

/// The `<iframe>` a guide page pastes to embed the playground at `base` (the page's address
/// without query or fragment). Every value is escaped for an HTML attribute.
pub fn snippet(base: &str, what: &Embedded) -> String {
    let src = match what {
        Embedded::Lesson(id) => format!("{base}?embed=1&lesson={id}&panels=lessons,console"),
        Embedded::Scenario(name) => format!("{base}?embed=1&scenario={name}&panels=events"),
        Embedded::Link(link) => format!("{base}?embed=1&panels=events#{link}"),
    };
    format!(
        "<iframe src=\"{}\" title=\"Kafka Playground\" width=\"100%\" height=\"640\" style=\"border:0\" loading=\"lazy\" allow=\"clipboard-write\"></iframe>",
        escape_attribute(&src)
    )
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(fields: &[(&str, Field)]) -> Result<Request, String> {
        read_request(|key| {
            fields
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(Field::Missing, |(_, v)| v.clone())
        })
    }

    fn text(s: &str) -> Field {
        Field::Text(s.to_owned())
    }

    #[test]
    fn requests_a_guide_can_send() {
        assert_eq!(
            read(&[("type", text("load")), ("scenario", text("busy"))]),
            Ok(Request::LoadScenario("busy"))
        );
        assert_eq!(
            read(&[("type", text("load")), ("link", text("kp1.AA"))]),
            Ok(Request::LoadLink("kp1.AA".into()))
        );
        assert_eq!(
            read(&[
                ("type", text("lesson")),
                ("id", text("partition")),
                ("step", Field::Number(3.0))
            ]),
            Ok(Request::Lesson {
                id: "partition".into(),
                step: Some(3)
            })
        );
        assert_eq!(
            read(&[("type", text("run")), ("line", text("help"))]),
            Ok(Request::Run("help".into()))
        );
        assert_eq!(read(&[("type", text("play"))]), Ok(Request::Play));
        assert_eq!(read(&[("type", text("pause"))]), Ok(Request::Pause));
        assert_eq!(read(&[("type", text("state"))]), Ok(Request::State));
        assert_eq!(read(&[("type", text("step"))]), Ok(Request::Step(1)));
        assert_eq!(
            read(&[("type", text("step")), ("ticks", Field::Number(10.0))]),
            Ok(Request::Step(10))
        );
        assert_eq!(
            read(&[("type", text("seek")), ("ms", Field::Number(5_000.0))]),
            Ok(Request::Seek(5_000))
        );
        assert_eq!(
            read(&[("type", text("speed")), ("speed", Field::Number(0.25))]),
            Ok(Request::Speed(1))
        );
        assert_eq!(
            read(&[
                ("type", text("lesson")),
                ("id", text("topic")),
                ("step", Field::Number(0.0))
            ]),
            Err("step: counted from 1".into())
        );
    }

    #[test]
    fn malformed_requests_say_what_is_wrong() {
        let cases: Vec<(Vec<(&str, Field)>, &str)> = vec![
            (
                vec![],
                "type: missing (load, lesson, run, play, pause, step, seek, speed or state)",
            ),
            (vec![("type", Field::Number(1.0))], "type: not text"),
            (
                vec![("type", text("<img src=x onerror=alert(1)>"))],
                "type: \"<img src=x onerror=alert(1)>\" is not load, lesson, run, play, pause, step, seek, speed or state",
            ),
            (
                vec![("type", text("load"))],
                "load: give a scenario or a link",
            ),
            (
                vec![("type", text("load")), ("scenario", text("moon"))],
                "scenario: \"moon\" is not one of starter, quiet, busy, large",
            ),
            (
                vec![("type", text("load")), ("link", Field::Other)],
                "link: not text",
            ),
            (
                vec![("type", text("lesson")), ("id", text("x"))],
                "id: \"x\" is not one of topic, partition, broker, producer, consumer, consumer-group, offsets, replication, retention",
            ),
            (
                vec![
                    ("type", text("run")),
                    ("line", text(&"x".repeat(MAX_LINE_BYTES + 1))),
                ],
                "line: 65537 bytes, more than the 65536 allowed",
            ),
            (
                vec![("type", text("step")), ("ticks", Field::Number(1e9))],
                "ticks: not a whole number from 0 to 600",
            ),
            (
                vec![("type", text("seek")), ("ms", Field::Number(-1.0))],
                "ms: not a whole number from 0 to 3600000",
            ),
            (
                vec![("type", text("seek")), ("ms", Field::Number(f64::NAN))],
                "ms: not a whole number from 0 to 3600000",
            ),
            (
                vec![("type", text("speed")), ("speed", Field::Number(3.0))],
                "speed: not one of 0.25, 0.5, 1, 2, 4, 8, 16",
            ),
        ];
        for (fields, expected) in cases {
            assert_eq!(read(&fields), Err(expected.to_owned()), "{fields:?}");
        }
    }

    #[test]
    fn snippets_for_a_lesson_a_scenario_and_a_moment() {
        let base = "https://play.example/kafka/";
        assert_eq!(
            snippet(base, &Embedded::Lesson("partition".into())),
            "<iframe src=\"https://play.example/kafka/?embed=1&amp;lesson=partition&amp;panels=lessons,console\" title=\"Kafka Playground\" width=\"100%\" height=\"640\" style=\"border:0\" loading=\"lazy\" allow=\"clipboard-write\"></iframe>"
        );
        assert!(
            snippet(base, &Embedded::Link("kp1.AbC-_".into())).contains(
                "src=\"https://play.example/kafka/?embed=1&amp;panels=events#kp1.AbC-_\""
            )
        );
        assert!(
            snippet(
                "https://x.example/\"><script>",
                &Embedded::Scenario("busy".into())
            )
            .starts_with("<iframe src=\"https://x.example/&quot;&gt;&lt;script&gt;?embed=1")
        );
    }

    #[test]
    fn origins_and_events_out() {
        assert!(origin_allowed(&[], "https://any.example"));
        let list = vec!["https://guide.example".to_owned()];
        assert!(origin_allowed(&list, "https://guide.example"));
        assert!(!origin_allowed(&list, "https://evil.example"));
        assert!(origin_allowed(&["*".to_owned()], "null"));
        let events: Vec<(u64, String)> = (0..MAX_EVENTS_OUT as u64 + 5)
            .map(|n| (n, format!("event {n}")))
            .collect();
        let out = events_message(&events);
        assert_eq!(out[1], ("type", Out::Text("events".into())));
        let Out::List(list) = &out[2].1 else {
            panic!("a list")
        };
        assert_eq!(list.len(), MAX_EVENTS_OUT);
        assert_eq!(list[0][1], ("text", Out::Text("event 5".into())));
        assert_eq!(out[3], ("more", Out::Number(5.0)));
    }
}
