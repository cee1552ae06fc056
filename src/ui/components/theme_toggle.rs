//! Light, dark or the system's theme (read when the page opens and at each toggle). The address
//! may set the first choice (`theme=dark`, for a guide in a dark theme).

use crate::ui::playground::use_playground;
use crate::ui::reactive::effect;
use crate::ui::theme::ThemeChoice;
use leptos::prelude::*;

#[component]
pub fn ThemeToggle(initial: Option<ThemeChoice>) -> impl IntoView {
    let pg = use_playground();
    let choice = RwSignal::new(initial.unwrap_or(ThemeChoice::System));
    effect(move || {
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
            class="icon"
            title=move || format!("{} (click for the next: system, light, dark)", choice.get().label())
            aria-label=move || choice.get().label()
            on:click=move |_| choice.update(|c| *c = c.next())
        >
            {move || choice.get().icon()}
        </button>
    }
}
