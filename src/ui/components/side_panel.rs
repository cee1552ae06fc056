//! The side panel: Lessons, Actions (the forms) and the Inspector (a record clicked in a log), as
//! tabs. It can be collapsed to a strip (the s key toggles it) and made wider or narrower by
//! dragging its edge; on a phone it comes after the playground.

use crate::ui::components::{
    actions_panel::ActionsPanel, lessons_panel::LessonsPanel, record_inspector::RecordInspector,
    resizer::Resizer,
};
use crate::ui::layout::SideTab;
use crate::ui::playground::use_playground;
use leptos::prelude::*;

#[component]
pub fn SidePanel(tabs: Vec<SideTab>) -> impl IntoView {
    let pg = use_playground();
    if tabs.is_empty() {
        return ().into_any();
    }
    let layout = pg.layout;
    // A learner who clicks a record wants to see it.
    Effect::new(move |was: Option<bool>| {
        let selected = pg.selected.with(Option::is_some);
        if selected && was == Some(false) {
            layout.update(|l| l.show_side(SideTab::Inspector));
        }
        selected
    });
    // A lesson caption pointing at the forms makes the Actions tab stand out.
    let spot_actions = Memo::new(move |_| {
        pg.lesson.with(|l| {
            l.as_ref()
                .and_then(|a| a.lesson.steps.get(a.step))
                .is_some_and(|s| s.point.as_deref() == Some("forms"))
        })
    });
    let shown = move |tab: SideTab| layout.with(|l| l.side_open && l.side_tab == tab);
    let first = tabs[0];
    // The tab shown must be one this page has.
    if !tabs.contains(&layout.with_untracked(|l| l.side_tab)) {
        layout.update(|l| l.side_tab = first);
    }
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
                    class:spot=move || tab == SideTab::Actions && spot_actions.get()
                    on:click=move |_| layout.update(|l| l.show_side(tab))
                >
                    {tab.label()}
                </button>
            }
        })
        .collect_view();
    let panel = move |tab: SideTab, body: AnyView| {
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
    let has = |tab: SideTab| tabs.contains(&tab);
    view! {
        <aside class="side" data-testid="side-panel" aria-label="Lessons, actions and the inspector">
            <Resizer vertical=true />
            <div class="tabs" role="tablist" aria-label="Side panel">
                {buttons}
                <button
                    class="collapse"
                    data-testid="side-toggle"
                    aria-expanded=move || layout.with(|l| l.side_open).to_string()
                    title="Show or hide the side panel (s)"
                    on:click=move |_| layout.update(|l| l.side_open = !l.side_open)
                >
                    {move || if layout.with(|l| l.side_open) { "Hide ›" } else { "‹ Show" }}
                </button>
            </div>
            {has(SideTab::Lessons).then(|| panel(SideTab::Lessons, view! { <LessonsPanel /> }.into_any()))}
            {has(SideTab::Actions).then(|| panel(SideTab::Actions, view! { <ActionsPanel /> }.into_any()))}
            {has(SideTab::Inspector).then(|| panel(SideTab::Inspector, view! { <RecordInspector /> }.into_any()))}
        </aside>
    }
    .into_any()
}
