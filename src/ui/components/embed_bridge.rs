//! The postMessage API of an embedded playground (`?embed=1`; the requests and messages are in
//! `ui::embed`): requests from the framing page are read and applied; each batch of engine
//! events, each solved exercise, each console answer and the page's height go out to it. A
//! message from another window, from an origin the address does not allow, or that cannot be
//! read is ignored and counted (`data-ignored-messages` on the root element), never applied;
//! the framing page is told why its own malformed requests were refused.

use crate::ui::embed::{
    Field, Message, Out, Request, events_message, message, origin_allowed, read_request,
};
use crate::ui::page_query::PageOptions;
use crate::ui::playground::{Playground, use_playground};
use crate::ui::reactive::effect;
use crate::ui::session;
use leptos::ev;
use leptos::prelude::*;
use leptos::wasm_bindgen::closure::Closure;
use leptos::wasm_bindgen::{JsCast, JsValue};

#[component]
pub fn EmbedBridge(options: StoredValue<PageOptions>) -> impl IntoView {
    let pg = use_playground();
    let origins = options.with_value(|o| o.origins.clone());
    let parent = window().parent().ok().flatten();
    let framed = parent
        .as_ref()
        .is_some_and(|p| !js_sys::Object::is(p, &window()));
    let out = StoredValue::new_local(Outbox {
        parent: parent.filter(|_| framed),
        origins: origins.clone(),
    });
    let ignored = StoredValue::new(0u32);
    let ignore = move || {
        ignored.update_value(|n| *n += 1);
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-ignored-messages", &ignored.get_value().to_string());
        }
    };
    let listener = window_event_listener(ev::message, move |ev| {
        let from_parent = out.with_value(|o| {
            o.parent
                .as_ref()
                .zip(ev.source())
                .is_some_and(|(parent, source)| js_sys::Object::is(parent, &source))
        });
        if !from_parent || !origin_allowed(&origins, &ev.origin()) {
            ignore();
            return;
        }
        let data = ev.data();
        let request = if data.is_object() {
            read_request(|key| field(&data, key))
        } else {
            Err("a request is an object such as {type: \"play\"}".to_owned())
        };
        match request.and_then(|request| apply(pg, request, out)) {
            // Every request applied is answered with where the playground is now.
            Ok(()) => out.with_value(|o| o.post(state_message(pg))),
            Err(reason) => {
                ignore();
                out.with_value(|o| o.post(message("refused", vec![("reason", Out::Text(reason))])));
            }
        }
    });
    on_cleanup(move || listener.remove());

    pg.on_events(move |events| {
        let told: Vec<(u64, String)> = events
            .iter()
            .map(|e| (e.at_ms, e.event.to_string()))
            .collect();
        out.with_value(|o| o.post(events_message(&told)));
    });
    // Each exercise the moment it is solved.
    let mut before = Vec::new();
    effect(move || {
        let (id, solved, tasks) = pg.lesson.with(|l| {
            l.as_ref().map_or_else(Default::default, |a| {
                (
                    a.lesson.id.clone(),
                    a.solved.clone(),
                    a.lesson
                        .exercises
                        .iter()
                        .map(|e| e.task.clone())
                        .collect::<Vec<_>>(),
                )
            })
        });
        for (n, now) in solved.iter().enumerate() {
            if *now && before.get(n) == Some(&false) {
                out.with_value(|o| {
                    o.post(message(
                        "exercise-solved",
                        vec![
                            ("lesson", Out::Text(id.clone())),
                            ("exercise", Out::Number((n + 1) as f64)),
                            ("task", Out::Text(tasks[n].clone())),
                        ],
                    ))
                });
            }
        }
        before = solved;
    });
    watch_height(out);
    // A lesson brings its own scenario.
    let (scenario, lesson) = pg.lesson.with_untracked(|a| match a {
        Some(a) => (a.lesson.scenario.clone(), a.lesson.id.clone()),
        None => (
            options.with_value(|o| o.scenario_name.to_owned()),
            String::new(),
        ),
    });
    out.with_value(|o| {
        o.post(message(
            "ready",
            vec![
                ("version", Out::Number(1.0)),
                ("scenario", Out::Text(scenario)),
                ("lesson", Out::Text(lesson)),
            ],
        ))
    });
}

/// Where messages go: the framing page, to each allowed origin (the browser delivers a message
/// only to a page of the origin it names; `*` when any may have them).
struct Outbox {
    parent: Option<web_sys::Window>,
    origins: Vec<String>,
}

impl Outbox {
    fn post(&self, message: Message) {
        let Some(parent) = &self.parent else {
            return;
        };
        let value = to_js(&message);
        if self.origins.is_empty() || self.origins.iter().any(|o| o == "*") {
            let _ = parent.post_message(&value, "*");
        } else {
            for origin in &self.origins {
                let _ = parent.post_message(&value, origin);
            }
        }
    }
}

/// Applies a request read from the framing page.
fn apply(
    pg: Playground,
    request: Request,
    out: StoredValue<Outbox, LocalStorage>,
) -> Result<(), String> {
    match request {
        Request::LoadScenario(name) => {
            session::open_scenario(pg, name, &format!("Scenario {name}, as the page asked"))?
        }
        Request::LoadLink(link) => session::open_link(pg, &link)?,
        Request::Lesson { id, step } => {
            session::start_lesson(pg, session::builtin_lesson(&id)?, None, step)?
        }
        Request::Run(line) => {
            let reply = pg.run_console(&line);
            out.with_value(|o| {
                o.post(message(
                    "output",
                    vec![
                        ("line", Out::Text(line)),
                        ("failed", Out::Bool(reply.failed)),
                        (
                            "lines",
                            Out::List(
                                reply
                                    .lines
                                    .into_iter()
                                    .map(|l| vec![("text", Out::Text(l))])
                                    .collect(),
                            ),
                        ),
                    ],
                ))
            });
        }
        Request::Play => pg.playing.set(true),
        Request::Pause => pg.playing.set(false),
        Request::Step(ticks) => {
            pg.playing.set(false);
            pg.tick(ticks);
        }
        Request::Seek(ms) => {
            pg.playing.set(false);
            pg.seek(ms);
        }
        Request::Speed(quarters) => pg.speed.set(quarters),
        Request::State => {}
    }
    Ok(())
}

/// Where the playground is: its virtual time, state hash, clock and lesson.
fn state_message(pg: Playground) -> Message {
    let (now_ms, hash) = pg
        .timeline
        .with_untracked(|t| (t.sim().now_ms(), t.sim().state_hash()));
    let (lesson, step) = pg.lesson.with_untracked(|l| {
        l.as_ref()
            .map(|a| (a.lesson.id.clone(), a.step as f64 + 1.0))
            .unwrap_or_default()
    });
    message(
        "state",
        vec![
            ("now_ms", Out::Number(now_ms as f64)),
            ("hash", Out::Text(format!("{hash:016x}"))),
            ("playing", Out::Bool(pg.playing.get_untracked())),
            ("lesson", Out::Text(lesson)),
            ("step", Out::Number(step)),
        ],
    )
}

/// A request's key as a `Field`.
fn field(data: &JsValue, key: &str) -> Field {
    match js_sys::Reflect::get(data, &JsValue::from_str(key)) {
        Ok(value) if value.is_undefined() => Field::Missing,
        Ok(value) => value
            .as_string()
            .map(Field::Text)
            .or_else(|| value.as_f64().map(Field::Number))
            .unwrap_or(Field::Other),
        Err(_) => Field::Other,
    }
}

fn to_js(message: &Message) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in message {
        let value = match value {
            Out::Text(text) => JsValue::from_str(text),
            Out::Number(n) => JsValue::from_f64(*n),
            Out::Bool(b) => JsValue::from_bool(*b),
            Out::List(items) => items.iter().map(to_js).collect::<js_sys::Array>().into(),
        };
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &value);
    }
    object.into()
}

/// Tells the framing page the page's height whenever it changes, so the frame can fit it.
fn watch_height(out: StoredValue<Outbox, LocalStorage>) {
    let last = StoredValue::new(0i32);
    let tell = Closure::<dyn FnMut()>::new(move || {
        let height = document()
            .document_element()
            .map_or(0, |root| root.scroll_height());
        if height != last.get_value() {
            last.set_value(height);
            out.with_value(|o| {
                o.post(message(
                    "height",
                    vec![("px", Out::Number(f64::from(height)))],
                ))
            });
        }
    });
    if let (Ok(observer), Some(root)) = (
        web_sys::ResizeObserver::new(tell.as_ref().unchecked_ref()),
        document().document_element(),
    ) {
        observer.observe(&root);
        if let Some(body) = document().body() {
            observer.observe(&body);
        }
        // The observer lives as long as the page.
        std::mem::forget(observer);
    }
    tell.forget();
}
