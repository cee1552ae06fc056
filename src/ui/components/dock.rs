//! The dock at the bottom: the Console, the Events and the Charts, as tabs. It can be collapsed
//! to its tab strip and made taller or shorter by dragging its edge; on a phone it comes last.
//! The charts are drawn only while their tab is shown (their samples are taken all along).

use crate::ui::components::{
    charts::Charts, console_panel::ConsolePanel, event_log::EventLog, resizer::Resizer,
};
use crate::ui::layout::DockTab;
use crate::ui::playground::use_playground;
use leptos::prelude::*;

#[component]
pub fn Dock(tabs: Vec<DockTab>) -> impl IntoView {
    let pg = use_playground();
    if tabs.is_empty() {
        return ().into_any();
    }
    let layout = pg.layout;
    let first = tabs[0];
    if !tabs.contains(&layout.with_untracked(|l| l.dock_tab)) {
        layout.update(|l| l.dock_tab = first);
    }
    let shown = move |tab: DockTab| layout.with(|l| l.dock_open && l.dock_tab == tab);
    // A chart measures its canvas when it appears.
    Effect::new(move |_| {
        if shown(DockTab::Charts) {
            pg.restyle.notify();
        }
    });
    let buttons = tabs
        .iter()
        .map(|&tab| {
            view! {
                <button
                    role="tab"
                    id=format!("tab-{}", tab.name())
                    data-testid=format!("tab-{}", tab.name())
                    aria-controls=format!("panel-{}", tab.name())
                    aria-selected=move || shown(tab).to_string()
                    on:click=move |_| layout.update(|l| l.show_dock(tab))
                >
                    {tab.label()}
                </button>
            }
        })
        .collect_view();
    let panel = move |tab: DockTab, body: AnyView| {
        view! {
            <div
                role="tabpanel"
                class="tab-body"
                id=format!("panel-{}", tab.name())
                aria-labelledby=format!("tab-{}", tab.name())
                hidden=move || !shown(tab)
            >
                {body}
            </div>
        }
    };
    let has = |tab: DockTab| tabs.contains(&tab);
    view! {
        <section class="dock" data-testid="dock" aria-label="Console, events and charts">
            <Resizer vertical=false />
            <div class="tabs" role="tablist" aria-label="Dock">
                {buttons}
                <button
                    class="collapse"
                    data-testid="dock-toggle"
                    aria-expanded=move || layout.with(|l| l.dock_open).to_string()
                    title="Show or hide the dock"
                    on:click=move |_| layout.update(|l| l.dock_open = !l.dock_open)
                >
                    {move || if layout.with(|l| l.dock_open) { "Hide ▾" } else { "Show ▴" }}
                </button>
            </div>
            {has(DockTab::Console).then(|| panel(DockTab::Console, view! { <ConsolePanel /> }.into_any()))}
            {has(DockTab::Events).then(|| panel(DockTab::Events, view! { <EventLog /> }.into_any()))}
            {has(DockTab::Charts).then(|| {
                panel(
                    DockTab::Charts,
                    view! { <Show when=move || shown(DockTab::Charts)><Charts /></Show> }.into_any(),
                )
            })}
        </section>
    }
    .into_any()
}
