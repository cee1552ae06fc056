//! Drop a file anywhere on the page: a teacher's `.lesson` file starts that lesson, a saved
//! playground (`.json`) opens it. While a file is dragged over the page, it says so.

use crate::ui::components::page_menu::open_chosen_file;
use crate::ui::playground::use_playground;
use leptos::ev;
use leptos::prelude::*;

#[component]
pub fn FileDrop() -> impl IntoView {
    let pg = use_playground();
    let over = RwSignal::new(false);
    let carries_files = |ev: &web_sys::DragEvent| {
        ev.data_transfer()
            .is_some_and(|d| d.types().includes(&"Files".into(), 0))
    };
    let enter = window_event_listener(ev::dragover, move |ev| {
        if carries_files(&ev) {
            ev.prevent_default();
            over.set(true);
        }
    });
    let leave = window_event_listener(ev::dragleave, move |ev| {
        // Leaving the window, not moving between elements.
        if ev.related_target().is_none() {
            over.set(false);
        }
    });
    let drop = window_event_listener(ev::drop, move |ev| {
        over.set(false);
        let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        else {
            return;
        };
        ev.prevent_default();
        open_chosen_file(pg, file);
    });
    on_cleanup(move || {
        enter.remove();
        leave.remove();
        drop.remove();
    });
    view! {
        <div class="drop-zone" hidden=move || !over.get() data-testid="drop-zone" aria-hidden="true">
            <p>"Drop a lesson file (.lesson) or a saved playground (.json) to open it"</p>
        </div>
    }
}
