//! The tabs of the page's regions (the side panel and the dock): a button per tab, marked when
//! its panel is shown, and the panel, hidden when it is not. The ids tie each to the other for
//! screen readers (`tab-NAME`, `panel-NAME`).

use leptos::prelude::*;

/// A tab's button: `selected` when its panel shows, `spot` when a lesson step points at it.
pub fn tab_button(
    name: &'static str,
    label: &'static str,
    selected: impl Fn() -> bool + Send + Sync + 'static,
    spot: impl Fn() -> bool + Send + Sync + 'static,
    select: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <button
            role="tab"
            id=format!("tab-{name}")
            data-testid=format!("tab-{name}")
            aria-controls=format!("panel-{name}")
            aria-selected=move || selected().to_string()
            class:spot=spot
            on:click=move |_| select()
        >
            {label}
        </button>
    }
}

/// A tab's panel, drawn once and hidden while another tab (or none) shows.
pub fn tab_panel(
    name: &'static str,
    shown: impl Fn() -> bool + Send + Sync + 'static,
    body: AnyView,
) -> impl IntoView {
    view! {
        <div
            role="tabpanel"
            class="tab-body"
            id=format!("panel-{name}")
            aria-labelledby=format!("tab-{name}")
            hidden=move || !shown()
        >
            {body}
        </div>
    }
}

/// The button at the end of a region's tab strip that collapses the region or brings it back;
/// `open` reads whether it is open, `toggle` turns it.
pub fn collapse_button(
    testid: &'static str,
    title: &'static str,
    (hide, show): (&'static str, &'static str),
    open: impl Fn() -> bool + Copy + Send + Sync + 'static,
    toggle: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <button
            class="collapse"
            data-testid=testid
            aria-expanded=move || open().to_string()
            title=title
            on:click=move |_| toggle()
        >
            {move || if open() { hide } else { show }}
        </button>
    }
}
