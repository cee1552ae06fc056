//! Light, dark or the system's theme (read when the page opens and at each toggle).

use crate::ui::playground::use_playground;
use crate::ui::theme::ThemeChoice;
use leptos::prelude::*;

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let pg = use_playground();
    let choice = RwSignal::new(ThemeChoice::System);
    Effect::new(move |_| {
        let system_dark = window()
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .is_some_and(|query| query.matches());
        let theme = choice.get().resolve(system_dark);
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", theme);
        }
        pg.restyle.notify();
    });
    view! {
        <button
            data-testid="theme-toggle"
            title="Switch between the system's theme, light and dark"
            on:click=move |_| choice.update(|c| *c = c.next())
        >
            {move || choice.get().label()}
        </button>
    }
}
