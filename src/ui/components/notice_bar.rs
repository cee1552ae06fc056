//! A message for the whole page above the playground: what could not be opened (a link, a file,
//! an address value) and why, or news such as a lesson file opened. Dismissed by the learner.

use crate::ui::playground::use_playground;
use leptos::prelude::*;

#[component]
pub fn NoticeBar() -> impl IntoView {
    let pg = use_playground();
    view! {
        <Show when=move || pg.notice.with(Option::is_some)>
            <div
                class="notice"
                class:notice-refused=move || pg.notice.with(|n| n.as_ref().is_some_and(|n| n.refused))
                role="alert"
                data-testid="page-error"
            >
                <span data-testid="notice-text">{move || pg.notice.with(|n| n.as_ref().map(|n| n.text.clone()))}</span>
                <button class="close" data-testid="notice-close" aria-label="Dismiss" on:click=move |_| pg.notice.set(None)>
                    "×"
                </button>
            </div>
        </Show>
    }
}
