//! The bar on top: the playground's name, the clock's controls, the page's buttons (share, save,
//! open, export, embed) and the theme. An embedded page shows as much of it as the guide asked
//! for (`controls=`), and a link to open the playground on its own page.

use crate::ui::components::controls::{Controls, run_the_clock};
use crate::ui::components::page_menu::PageMenu;
use crate::ui::components::theme_toggle::ThemeToggle;
use crate::ui::components::timeline::Timeline;
use crate::ui::page_query::{Controls as Shown, PageOptions};
use crate::ui::playground::use_playground;
use leptos::prelude::*;

#[component]
pub fn ClockBar(options: StoredValue<PageOptions>) -> impl IntoView {
    let pg = use_playground();
    run_the_clock(pg);
    let (embed, shown, theme) = options.with_value(|o| (o.embed, o.controls, o.theme));
    view! {
        <header class="app-header" hidden=shown == Shown::None>
            <h1 hidden=embed>"Kafka Playground"</h1>
            <Controls minimal=shown == Shown::Minimal />
            <div class="page-buttons">
                <PageMenu embed />
                <ThemeToggle initial=theme />
            </div>
            {(shown == Shown::Full).then(|| view! { <Timeline /> })}
        </header>
    }
}
