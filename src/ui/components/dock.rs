//! The dock at the bottom: the Console, the Events, the Charts and the Metrics, as tabs. It can be collapsed
//! to its tab strip and made taller or shorter by dragging its edge; on a phone it comes last.
//! The charts are drawn only while their tab is shown (their samples are taken all along).

use crate::ui::components::{
    charts::Charts,
    console_panel::ConsolePanel,
    event_log::EventLog,
    metrics_panel::MetricsPanel,
    resizer::Resizer,
    tabs::{collapse_button, tab_button, tab_panel},
};
use crate::ui::layout::DockTab;
use crate::ui::playground::use_playground;
use crate::ui::reactive::effect;
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
    effect(move || {
        if shown(DockTab::Charts) {
            pg.restyle.notify();
        }
    });
    let buttons = tabs
        .iter()
        .map(|&tab| {
            tab_button(
                tab.name(),
                tab.label(),
                move || shown(tab),
                || false,
                move || layout.update(|l| l.show_dock(tab)),
            )
        })
        .collect_view();
    let panel = move |tab: DockTab, body: AnyView| tab_panel(tab.name(), move || shown(tab), body);
    let has = |tab: DockTab| tabs.contains(&tab);
    view! {
        <section class="dock" data-testid="dock" aria-label="Console, events, charts and metrics">
            <Resizer vertical=false />
            <div class="tabs" role="tablist" aria-label="Dock">
                {buttons}
                {collapse_button(
                    "dock-toggle",
                    "Show or hide the dock",
                    ("Hide ▾", "Show ▴"),
                    move || layout.with(|l| l.dock_open),
                    move || layout.update(|l| l.dock_open = !l.dock_open),
                )}
            </div>
            {has(DockTab::Console).then(|| panel(DockTab::Console, view! { <ConsolePanel /> }.into_any()))}
            {has(DockTab::Events).then(|| panel(DockTab::Events, view! { <EventLog /> }.into_any()))}
            {has(DockTab::Charts).then(|| {
                panel(
                    DockTab::Charts,
                    view! { <Show when=move || shown(DockTab::Charts)><Charts /></Show> }.into_any(),
                )
            })}
            {has(DockTab::Metrics).then(|| {
                panel(
                    DockTab::Metrics,
                    view! { <Show when=move || shown(DockTab::Metrics)><MetricsPanel /></Show> }.into_any(),
                )
            })}
        </section>
    }
    .into_any()
}
