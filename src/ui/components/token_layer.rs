//! Records travelling on the stage as tokens, coloured by key as the log's cells are: from the
//! producer to the partition's log end, from the leader's replica to each follower's, from the
//! log to the consumer that polled them (`ui/tokens.rs` picks them). Each token glides from one
//! place to the other (a CSS transition, at the clock's speed) and goes. A click on one opens
//! its record in the Inspector. With reduced motion there are no tokens: the numbers move, and
//! a line for screen readers says what travelled.

use crate::ui::browser::now_ms;
use crate::ui::palette::key_class;
use crate::ui::playground::{Inspected, Playground, RecordRef, use_playground};
use crate::ui::tokens::{MAX_IN_FLIGHT, Trip, told, travel_ms, trips};
use gloo_timers::callback::Timeout;
use kafka_sim::sim::{Offset, PartitionId};
use leptos::html::Div;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

/// Screen readers hear what travelled at most this often (real ms), not every tick.
const TOLD_EVERY_MS: f64 = 2_000.0;

#[component]
pub fn TokenLayer() -> impl IntoView {
    let pg = use_playground();
    let layer = NodeRef::<Div>::new();
    let said = RwSignal::new(String::new());
    let said_at = StoredValue::new(f64::MIN);
    let in_flight = StoredValue::new(0_usize);
    let reduced = window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches());
    pg.on_events(move |events| {
        let trips = trips(events);
        if trips.is_empty() {
            return;
        }
        let now = now_ms();
        if now - said_at.get_value() >= TOLD_EVERY_MS {
            said_at.set_value(now);
            said.set(told(&trips));
        }
        if reduced {
            return;
        }
        let Some(layer) = layer.get_untracked() else {
            return;
        };
        let travel = travel_ms(pg.speed.get_untracked());
        // Positions are read in the next frame, when the page lays itself out anyway (and the
        // log shows the new records); all of them before any token is added: one layout.
        request_animation_frame(move || {
            let room = MAX_IN_FLIGHT.saturating_sub(in_flight.get_value());
            let journeys: Vec<_> = trips
                .iter()
                .take(room)
                .filter_map(|trip| plan(&layer, trip))
                .collect();
            for (trip, from, to) in journeys {
                in_flight.update_value(|n| *n += 1);
                send(pg, &layer, trip, from, to, travel, move || {
                    in_flight.update_value(|n| *n = n.saturating_sub(1))
                });
            }
        });
    });
    let open = move |ev: leptos::ev::MouseEvent| {
        let token = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest(".token").ok().flatten());
        let attr = |name: &str| token.as_ref().and_then(|t| t.get_attribute(name));
        if let (Some(topic), Some(partition), Some(offset)) = (
            attr("data-topic"),
            attr("data-partition").and_then(|p| p.parse().ok()),
            attr("data-offset").and_then(|o| o.parse().ok()),
        ) {
            pg.selected.set(Some(Inspected::Record(RecordRef {
                topic,
                partition: PartitionId(partition),
                offset: Offset(offset),
            })));
        }
    };
    view! {
        <div class="token-layer" node_ref=layer on:click=open aria-hidden="true"></div>
        <p class="visually-hidden" aria-live="polite" data-testid="stage-told">{said}</p>
    }
}

/// A point in the stage's scrolled coordinates.
type Point = (f64, f64);

/// Where a token for `trip` starts and ends, if both ends are on the stage.
fn plan<'t>(layer: &web_sys::HtmlDivElement, trip: &'t Trip) -> Option<(&'t Trip, Point, Point)> {
    let stage = layer.parent_element()?;
    let partition_css = |topic: &str, partition: u32| {
        find(
            &stage,
            "[data-testid=partition],[data-testid=partition-tile]",
            &[
                ("data-topic", topic),
                ("data-partition", &partition.to_string()),
            ],
        )
    };
    let (from, to) = match trip {
        Trip::Produce {
            producer,
            topic,
            partition,
            ..
        } => (
            find(
                &stage,
                "[data-testid=producer-node]",
                &[("data-producer", producer)],
            ),
            // A log's next cell, or a large topic's tile.
            partition_css(topic, *partition)
                .map(|p| p.query_selector(".cell-next").ok().flatten().unwrap_or(p)),
        ),
        Trip::Replicate {
            topic,
            partition,
            follower,
            ..
        } => {
            let row = partition_css(topic, *partition);
            let chip = |role: &str, broker: Option<String>| {
                row.as_ref().and_then(|row| {
                    let mut wanted = vec![("data-role", role.to_owned())];
                    if let Some(broker) = broker {
                        wanted = vec![("data-broker", broker)];
                    }
                    let wanted: Vec<(&str, &str)> =
                        wanted.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    find(row, "[data-testid=replica]", &wanted)
                })
            };
            (chip("leader", None), chip("", Some(follower.0.to_string())))
        }
        Trip::Consume {
            consumer,
            topic,
            partition,
            ..
        } => (
            partition_css(topic, *partition)
                .map(|p| p.query_selector(".track").ok().flatten().unwrap_or(p)),
            find(&stage, "[data-testid=member]", &[("data-client", consumer)]),
        ),
    };
    Some((trip, centre(&stage, &from?), centre(&stage, &to?)))
}

/// Sends one token on its trip from `(x0, y0)` to `(x1, y1)`.
fn send(
    pg: Playground,
    layer: &web_sys::HtmlDivElement,
    trip: &Trip,
    (x0, y0): Point,
    (x1, y1): Point,
    travel: u32,
    arrived: impl FnOnce() + 'static,
) {
    let record = match trip {
        Trip::Produce {
            topic,
            partition,
            first,
            ..
        }
        | Trip::Consume {
            topic,
            partition,
            first,
            ..
        } => Some((topic, *partition, *first)),
        Trip::Replicate { .. } => None,
    };
    let Ok(token) = document().create_element("span") else {
        return;
    };
    let key = record.and_then(|(topic, partition, offset)| {
        pg.timeline.with_untracked(|t| {
            let records = t.sim().records(topic, PartitionId(partition));
            let at = records.partition_point(|r| r.offset.0 < offset);
            records.get(at).map(|r| key_class(r.key.as_deref()))
        })
    });
    let kind = match trip {
        Trip::Replicate { .. } => "token token-copy",
        _ => "token",
    };
    token.set_class_name(&format!(
        "{kind} {}",
        key.unwrap_or_else(|| "key-none".to_owned())
    ));
    if let Some((topic, partition, offset)) = record {
        let _ = token.set_attribute("data-topic", topic);
        let _ = token.set_attribute("data-partition", &partition.to_string());
        let _ = token.set_attribute("data-offset", &offset.to_string());
        let _ = token.set_attribute(
            "title",
            &format!("{topic}-{partition} offset {offset}: click to inspect"),
        );
    }
    if trip.count() > 1 && !matches!(trip, Trip::Replicate { .. }) {
        token.set_text_content(Some(&format!("×{}", trip.count())));
    }
    // Whole pixels: formatting an f64 would bring the float printer into the wasm (13 KB).
    let style = move |x: f64, y: f64| {
        format!(
            "--travel:{travel}ms;transform:translate({}px,{}px)",
            x as i32, y as i32
        )
    };
    let _ = token.set_attribute("style", &style(x0, y0));
    let _ = layer.append_child(&token);
    // Where it goes is set once it is drawn where it starts, so that it travels.
    let moving = token.clone();
    request_animation_frame(move || {
        let _ = moving.set_attribute("style", &style(x1, y1));
    });
    Timeout::new(travel + 120, move || {
        token.remove();
        arrived();
    })
    .forget();
}

/// The first element matching `css` inside `within` whose attributes have the values wanted
/// (compared as text: names may hold any character, so they are not put into the selector).
fn find(within: &web_sys::Element, css: &str, wanted: &[(&str, &str)]) -> Option<web_sys::Element> {
    let all = within.query_selector_all(css).ok()?;
    (0..all.length())
        .filter_map(|i| all.item(i)?.dyn_into::<web_sys::Element>().ok())
        .find(|e| {
            wanted
                .iter()
                .all(|(name, value)| e.get_attribute(name).as_deref() == Some(*value))
        })
}

/// The middle of `element` in the stage's scrolled coordinates.
fn centre(stage: &web_sys::Element, element: &web_sys::Element) -> Point {
    let s = stage.get_bounding_client_rect();
    let r = element.get_bounding_client_rect();
    (
        r.left() + r.width() / 2.0 - s.left() + f64::from(stage.scroll_left()),
        r.top() + r.height() / 2.0 - s.top() + f64::from(stage.scroll_top()),
    )
}
