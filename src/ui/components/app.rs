//! The page: the clock bar on top, the playground in the middle, the side panel (Lessons,
//! Actions, Inspector) and the bottom dock (Console, Events, Charts). What it starts with comes
//! from the address: a shared link in the fragment, else the work this tab kept, else a lesson,
//! else a scenario.

use crate::ui::browser::{self, Store};
use crate::ui::components::{
    clock_bar::ClockBar, dock::Dock, embed_bridge::EmbedBridge, file_drop::FileDrop,
    notice_bar::NoticeBar, side_panel::SidePanel, stage::Stage,
};
use crate::ui::layout::Layout;
use crate::ui::page_query::{PageOptions, page_options};
use crate::ui::playground::Playground;
use crate::ui::reactive::effect;
use crate::ui::session::{
    LAYOUT_KEY, PROGRESS_KEY, builtin_lesson, keep_work, open_shared, start_lesson, tell, work_key,
};
use crate::ui::shortcuts::{Shortcut, shortcut};
use gloo_timers::callback::Interval;
use kafka_sim::lesson::progress::Progress;
use kafka_sim::share::Shared;
use kafka_sim::sim::timeline::Timeline;
use leptos::ev;
use leptos::prelude::*;
use leptos::wasm_bindgen::{JsCast, JsValue};

/// The performance mark set once the page has first rendered.
pub const RENDERED_MARK: &str = "kafka-playground-rendered";

/// How often the tab's copy of the learner's work is brought up to date.
const KEEP_WORK_EVERY_MS: u32 = 1_000;

#[component]
pub fn App() -> impl IntoView {
    let location = window().location();
    let query = location.search().unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&query).ok();
    let options = page_options(|name| params.as_ref().and_then(|p| p.get(name)));
    // A scenario with a warm-up is drawn at its setup first, then warmed up (below).
    let sim = match options.scenario.build_setup() {
        Ok(sim) => sim,
        Err(error) => {
            return view! {
                <p class="fatal" role="alert">
                    "The starting scenario was refused: " {error.to_string()}
                </p>
            }
            .into_any();
        }
    };
    let pg = Playground::new(options.scenario.clone(), Timeline::new(sim));
    provide_context(pg);
    let options = StoredValue::new(options);
    pg.playing.set(options.with_value(|o| o.autoplay));
    pg.speed.set(options.with_value(|o| o.speed));
    // A first visit opens on the lessons: where a newcomer should start.
    pg.layout
        .set(browser::load(Store::Local, LAYOUT_KEY).map_or_else(
            || Layout {
                side_tab: crate::ui::layout::SideTab::Lessons,
                ..Layout::default()
            },
            |text| Layout::from_text(&text),
        ));
    pg.progress.set(
        browser::load(Store::Local, PROGRESS_KEY)
            .map(|text| Progress::from_text(&text))
            .unwrap_or_default(),
    );
    crate::ui::session::check_exercises(pg);
    let key = work_key(&query);
    start(pg, &options.get_value(), &location, &key);
    let (scenario, autoplay) = options.with_value(|o| (o.scenario.clone(), o.autoplay));
    let at_setup = pg.timeline.with_untracked(|t| t.sim().now_ms() == 0);
    if scenario.warm_up_ms > 0 && at_setup && pg.scenario.with_untracked(|s| *s == scenario) {
        crate::ui::session::warm_up(pg, scenario, autoplay);
    }
    keep_work_in_the_tab(pg, key);
    // A link pasted into the address bar of an open page arrives as a new fragment.
    let hash_change = window_event_listener(ev::hashchange, move |_| {
        let hash = window().location().hash().unwrap_or_default();
        if hash.starts_with("#kp1.") {
            match crate::ui::session::open_link(pg, &hash) {
                Ok(()) => forget_fragment(),
                Err(message) => crate::ui::session::refused(pg, &format!("This link: {message}")),
            }
        }
    });
    on_cleanup(move || hash_change.remove());
    let keys = window_event_listener(ev::keydown, move |ev| {
        let target = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok());
        let tag = target.as_ref().map_or_else(String::new, |e| e.tag_name());
        let modifier = ev.ctrl_key() || ev.alt_key() || ev.meta_key();
        if let Some(action) = shortcut(&ev.key(), &tag, modifier) {
            ev.prevent_default();
            act(pg, action);
        }
    });
    on_cleanup(move || keys.remove());
    effect(move || {
        let text = pg.layout.with(Layout::to_text);
        browser::save(Store::Local, LAYOUT_KEY, &text);
    });
    // After the first render: the page's own "loading" line goes, and the frame-time script
    // reads how long the page took.
    effect(|| {
        if let Some(loading) = document().get_element_by_id("loading") {
            loading.remove();
        }
        if let Some(performance) = window().performance() {
            let _ = performance.mark(RENDERED_MARK);
        }
    });
    let embed = options.with_value(|o| o.embed);
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-mode", if embed { "embed" } else { "page" });
    }
    let layout = pg.layout;
    view! {
        <NoticeBar />
        <ClockBar options />
        <div
            class="workspace"
            class:side-closed=move || !layout.with(|l| l.side_open)
            class:dock-closed=move || !layout.with(|l| l.dock_open)
            class:no-side=move || options.with_value(|o| o.panels.side.is_empty())
            class:no-dock=move || options.with_value(|o| o.panels.dock.is_empty())
            style=move || {
                layout.with(|l| format!("--side-width:{}px;--dock-height:{}px", l.side_width, l.dock_height))
            }
        >
            <Stage />
            <SidePanel tabs=options.with_value(|o| o.panels.side.clone()) />
            <Dock tabs=options.with_value(|o| o.panels.dock.clone()) />
        </div>
        <FileDrop />
        {embed.then(|| view! { <EmbedBridge options /> })}
    }
    .into_any()
}

/// A clock or layout action from a key.
fn act(pg: Playground, action: Shortcut) {
    match action {
        Shortcut::FocusConsole => {
            pg.layout
                .update(|l| l.show_dock(crate::ui::layout::DockTab::Console));
            // The input can take the focus once its tab is drawn shown, in the next frame.
            request_animation_frame(|| {
                if let Some(input) = document()
                    .get_element_by_id("console-input")
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = input.focus();
                }
            });
        }
        Shortcut::ToggleSide => pg.layout.update(|l| l.side_open = !l.side_open),
        Shortcut::Clock(action) => crate::ui::components::controls::run(pg, action),
    }
}

/// What the page opens with: a link in the fragment, the work this tab kept for this address,
/// a lesson the address names, or the address's scenario (already showing). A link or kept work
/// that cannot be opened is reported and the next source used.
fn start(pg: Playground, options: &PageOptions, location: &web_sys::Location, key: &str) {
    let mut problems = options.problems.clone();
    let hash = location.hash().unwrap_or_default();
    let opened = if hash.starts_with("#kp1.") {
        let opened = Shared::from_link(&hash)
            .and_then(|shared| open_shared(pg, shared, "Opened a shared playground"));
        match &opened {
            // From now on the tab keeps the work: a reload comes back to it, not to the link.
            Ok(()) => forget_fragment(),
            Err(message) => problems.push(format!(
                "This link could not be opened: {message}; showing the page's own start instead"
            )),
        }
        opened.is_ok()
    } else if let Some(kept) = browser::load(Store::Session, key) {
        let opened = Shared::from_link(&kept)
            .and_then(|shared| open_shared(pg, shared, "Your work in this tab, as you left it"));
        if let Err(message) = &opened {
            browser::forget(Store::Session, key);
            problems.push(format!(
                "Your earlier work in this tab could not be restored: {message}"
            ));
        }
        opened.is_ok()
    } else {
        false
    };
    if !opened
        && let Some((id, step)) = &options.lesson
        && let Err(message) =
            builtin_lesson(id).and_then(|lesson| start_lesson(pg, lesson, None, *step))
    {
        problems.push(message);
    }
    if !problems.is_empty() {
        tell(pg, problems.join(" · "), true);
    }
}

/// Takes the `#kp1.` link out of the address once it is open (the tab keeps the work now).
fn forget_fragment() {
    let location = window().location();
    let address = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&address));
    }
}

/// Keeps the learner's work in the tab (session storage) once a second while it changes and
/// when the page is hidden or left, so that a reload comes back to it.
fn keep_work_in_the_tab(pg: Playground, key: String) {
    let key = StoredValue::new(key);
    let last = StoredValue::new(None::<crate::ui::session::WorkMark>);
    let keep = move || {
        let kept = key.with_value(|key| keep_work(pg, key, last.get_value()));
        last.set_value(kept);
    };
    let timer = StoredValue::new_local(Some(Interval::new(KEEP_WORK_EVERY_MS, keep)));
    let hidden = window_event_listener(ev::pagehide, move |_| keep());
    on_cleanup(move || {
        hidden.remove();
        timer.set_value(None);
    });
}
