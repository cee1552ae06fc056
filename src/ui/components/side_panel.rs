//! The side panel: Lessons, Actions (the forms) and the Inspector (whatever was clicked on the
//! stage, or a record), as tabs. It can be collapsed to a strip (the s key toggles it) and made wider or narrower by
//! dragging its edge; on a phone it comes after the playground.

use crate::ui::components::{
    actions_panel::ActionsPanel,
    inspector::Inspector,
    lessons_panel::LessonsPanel,
    resizer::Resizer,
    tabs::{collapse_button, tab_button, tab_panel},
};
use crate::ui::layout::SideTab;
use crate::ui::playground::use_playground;
use crate::ui::reactive::{effect, memo};
use leptos::prelude::*;

#[component]
pub fn SidePanel(tabs: Vec<SideTab>) -> impl IntoView {
    let pg = use_playground();
    if tabs.is_empty() {
        return ().into_any();
    }
    let layout = pg.layout;
    // A learner who clicks a record or a part of the stage wants to see it, even what the
    // Inspector showed before they went to another tab (not on the first run: the page opens
    // on its own tab).
    let mut first_run = true;
    effect(move || {
        let selected = pg.selected.with(Option::is_some);
        if selected && !first_run {
            layout.update(|l| l.show_side(SideTab::Inspector));
        }
        first_run = false;
    });
    // A lesson caption pointing at the forms makes the Actions tab stand out.
    let spot_actions = memo(move || {
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
            tab_button(
                tab.name(),
                tab.label(),
                move || shown(tab),
                move || tab == SideTab::Actions && spot_actions.get(),
                move || layout.update(|l| l.show_side(tab)),
            )
        })
        .collect_view();
    let panel = move |tab: SideTab, body: AnyView| tab_panel(tab.name(), move || shown(tab), body);
    let has = |tab: SideTab| tabs.contains(&tab);
    view! {
        <aside class="side" data-testid="side-panel" aria-label="Lessons, actions and the inspector">
            <Resizer vertical=true />
            <div class="tabs" role="tablist" aria-label="Side panel">
                {buttons}
                {collapse_button(
                    "side-toggle",
                    "Show or hide the side panel (s)",
                    ("Hide ›", "‹ Show"),
                    move || layout.with(|l| l.side_open),
                    move || layout.update(|l| l.side_open = !l.side_open),
                )}
            </div>
            {has(SideTab::Lessons).then(|| panel(SideTab::Lessons, view! { <LessonsPanel /> }.into_any()))}
            {has(SideTab::Actions).then(|| panel(SideTab::Actions, view! { <ActionsPanel /> }.into_any()))}
            {has(SideTab::Inspector).then(|| panel(SideTab::Inspector, view! { <Inspector /> }.into_any()))}
        </aside>
    }
    .into_any()
}
