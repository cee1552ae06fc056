//! The page's buttons: Share (a `kp1.` link in the address's fragment, which no server sees,
//! copied to the clipboard), Save and Open (the JSON file; Open also takes a `.lesson` file),
//! Export (one script that writes a compose file and the replay script for a real cluster) and
//! Embed (the `<iframe>` for a guide page). An embedded page shows only a way to open the
//! playground on its own page.

use crate::ui::browser;
use crate::ui::embed::{Embedded, snippet};
use crate::ui::playground::{Playground, use_playground};
use crate::ui::session;
use kafka_sim::format::virtual_time;
use kafka_sim::share::MAX_LINK_BYTES;
use kafka_sim::sim::scenario::{SCENARIO_NAMES, Scenario};
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The box open under the buttons, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Open {
    /// The link, and whether it reached the clipboard.
    Share {
        url: String,
        copied: bool,
    },
    Embed,
}

#[component]
pub fn PageMenu(embed: bool) -> impl IntoView {
    let pg = use_playground();
    let open = RwSignal::new(None::<Open>);
    let file = NodeRef::<Input>::new();
    if embed {
        return view! {
            <button
                data-testid="open-full"
                title="Open this playground, as it is now, on its own page"
                on:click=move |_| {
                    let url = format!("{}#{}", browser::page_base(), pg.shared().to_link());
                    let _ = window().open_with_url_and_target_and_features(&url, "_blank", "noopener");
                }
            >
                "Open in Kafka Playground ↗"
            </button>
        }
        .into_any();
    }
    let share = move |_| {
        let link = pg.shared().to_link();
        if link.len() > MAX_LINK_BYTES {
            session::refused(
                pg,
                "Share: this playground's history is too long for a link; use Save",
            );
            return;
        }
        let url = format!("{}#{link}", browser::page_base());
        open.set(Some(Open::Share {
            url: url.clone(),
            copied: false,
        }));
        spawn_local(async move {
            let copied = browser::copy(&url).await;
            open.update(|o| {
                if let Some(Open::Share { copied: c, url: u }) = o
                    && *u == url
                {
                    *c = copied;
                }
            });
        });
    };
    let save = move |_| {
        let shared = pg.shared();
        let name = format!(
            "kafka-playground-{}.json",
            virtual_time(shared.now_ms).replace([' ', ':', '='], "")
        );
        if let Err(message) = browser::download(&name, "application/json", &shared.to_json()) {
            session::refused(pg, &format!("Save: {message}"));
        }
    };
    let export = move |_| {
        let script = kafka_sim::export::bundle(&pg.shared());
        if let Err(message) =
            browser::download("kafka-playground-export.sh", "text/x-shellscript", &script)
        {
            session::refused(pg, &format!("Export: {message}"));
        }
    };
    let chosen = move |_| {
        let Some(input) = file.get_untracked() else {
            return;
        };
        let Some(chosen) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        open_chosen_file(pg, chosen);
    };
    view! {
        <div class="page-menu" role="group" aria-label="Share, save and export">
            <button data-testid="share" title="Copy a link that opens this playground at this moment" on:click=share>
                "Share"
            </button>
            <button data-testid="save" title="Save this playground as a file (JSON)" on:click=save>
                "Save"
            </button>
            <button
                data-testid="open"
                title="Open a saved playground (.json) or a lesson file (.lesson); you can also drop one on the page"
                on:click=move |_| {
                    if let Some(input) = file.get_untracked() {
                        input.click();
                    }
                }
            >
                "Open…"
            </button>
            <input
                type="file"
                class="visually-hidden"
                accept=".json,.lesson,application/json,text/plain"
                data-testid="open-file"
                tabindex="-1"
                aria-hidden="true"
                node_ref=file
                on:change=chosen
            />
            <button
                data-testid="export"
                title="Download a script that writes a Docker Compose file (Apache Kafka) and this playground's history as real Kafka commands"
                on:click=export
            >
                "Export"
            </button>
            <button
                data-testid="embed"
                title="The HTML to embed this playground in a web page"
                on:click=move |_| open.update(|o| *o = if *o == Some(Open::Embed) { None } else { Some(Open::Embed) })
            >
                "Embed"
            </button>
            {move || open.get().map(|shown| view! { <MenuBox shown open /> })}
        </div>
    }
    .into_any()
}

/// Opens a file the learner chose: a saved playground or a lesson file.
pub fn open_chosen_file(pg: Playground, chosen: web_sys::File) {
    let name = chosen.name();
    spawn_local(async move {
        let opened = browser::read_file(&chosen, MAX_LINK_BYTES)
            .await
            .and_then(|text| session::open_file(pg, &name, &text));
        if let Err(message) = opened {
            session::refused(pg, &message);
        }
    });
}

/// The box under the buttons: the link to share, or the snippet to embed.
#[component]
fn MenuBox(shown: Open, open: RwSignal<Option<Open>>) -> impl IntoView {
    let pg = use_playground();
    let close = move |_| open.set(None);
    let body = match shown {
        Open::Share { url, copied } => {
            let hash = pg
                .timeline
                .with_untracked(|t| format!("{:016x}", t.sim().state_hash()));
            view! {
            <h2>"Share this playground"</h2>
            <p>
                {if copied {
                    "The link is copied. It opens this playground at this moment, as it is now: nothing is sent to a server (it is all in the part after #)."
                } else {
                    "Copy the link below (select it, then Ctrl+C or ⌘C). It opens this playground at this moment, as it is now: nothing is sent to a server (it is all in the part after #)."
                }}
            </p>
            <input
                class="copy-field"
                data-testid="share-link"
                readonly=true
                prop:value=url.clone()
                on:focus=move |ev| {
                    event_target::<web_sys::HtmlInputElement>(&ev).select();
                }
            />
            <p class="hint" data-testid="share-status">
                {if copied { "Copied to the clipboard." } else { "Not copied yet." }}
                {format!(" {} characters; it replays to state hash ", url.len())}
                <code data-testid="share-hash">{hash}</code>
                "."
            </p>
            }
            .into_any()
        }
        Open::Embed => {
            let with_moment = RwSignal::new(false);
            // One of our lessons or scenarios by name; a teacher's own lesson, or a playground
            // that is none of those, only as it is now (a link).
            let named = move || {
                if let Some(lesson) = pg.lesson.with(|l| {
                    l.as_ref()
                        .map(|a| a.file.is_none().then(|| a.lesson.id.clone()))
                }) {
                    return lesson.map(Embedded::Lesson);
                }
                pg.scenario.with(|current| {
                    SCENARIO_NAMES
                        .iter()
                        .find(|name| Scenario::named(name).as_ref() == Some(current))
                        .map(|name| Embedded::Scenario((*name).to_owned()))
                })
            };
            let code = move || {
                let what = match named() {
                    Some(what) if !with_moment.get() => what,
                    _ => Embedded::Link(pg.shared().to_link()),
                };
                snippet(&browser::page_base(), &what)
            };
            let copied = RwSignal::new(false);
            let copy = move |_| {
                let text = code();
                spawn_local(async move { copied.set(browser::copy(&text).await) });
            };
            view! {
                <h2>"Embed in a web page"</h2>
                <p>
                    "Paste this into the page. Options in its address: scenario, lesson, step, panels (lessons, actions, inspector, console, events, charts, metrics or none), controls (full, minimal, none), autoplay (1 or 0), speed (0.25 to 16), theme (light, dark, system) and origins."
                </p>
                <label class="check">
                    <input type="checkbox" data-testid="embed-moment" on:change=move |ev| with_moment.set(event_target_checked(&ev)) />
                    " Start from this playground as it is now"
                </label>
                <textarea class="copy-field" data-testid="embed-snippet" readonly=true rows="4" prop:value=code></textarea>
                <div class="buttons">
                    <button class="small" data-testid="embed-copy" on:click=copy>"Copy"</button>
                    <span class="hint" hidden=move || !copied.get()>"Copied to the clipboard."</span>
                </div>
                <details>
                    <summary>"Driving it from the page (postMessage)"</summary>
                    <p>
                        "Post objects to the frame: " <code>"{type: 'play'}"</code> ", " <code>"'pause'"</code> ", "
                        <code>"{type: 'step', ticks: 5}"</code> ", " <code>"{type: 'seek', ms: 5000}"</code> ", "
                        <code>"{type: 'speed', speed: 2}"</code> ", " <code>"{type: 'run', line: 'kafka-topics.sh …'}"</code> ", "
                        <code>"{type: 'load', scenario: 'busy'}"</code> ", " <code>"{type: 'lesson', id: 'partition', step: 3}"</code> ", "
                        <code>"{type: 'state'}"</code> ". It answers each with a " <code>"state"</code>
                        " message and sends " <code>"ready"</code> ", " <code>"events"</code> ", " <code>"output"</code> ", "
                        <code>"exercise-solved"</code> ", " <code>"height"</code> " and " <code>"refused"</code>
                        ", each with " <code>"source: 'kafka-playground'"</code>
                        ". Add origins=https://your.site to the address to accept requests only from your site."
                    </p>
                </details>
            }
            .into_any()
        }
    };
    view! {
        <div
            class="menu-box panel"
            data-testid="menu-box"
            role="dialog"
            aria-label="Share or embed"
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    open.set(None);
                }
            }
        >
            <button class="close" data-testid="menu-box-close" aria-label="Close" on:click=close>
                "×"
            </button>
            {body}
        </div>
    }
}
