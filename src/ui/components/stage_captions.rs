//! The captions drawn at one place on the stage: what the engine reported there in the last
//! few seconds of virtual time, in plain words (see `captions`).

use crate::ui::playground::{Inspected, use_playground};
use crate::ui::reactive::memo;
use leptos::prelude::*;

#[component]
pub fn StageCaptions(place: Inspected) -> impl IntoView {
    let pg = use_playground();
    let shown = memo(move || {
        let now = pg.view.with(|v| v.now_ms);
        pg.captions.with(|c| c.at(&place, now))
    });
    view! {
        <ul class="stage-captions" data-testid="stage-captions" hidden=move || shown.with(Vec::is_empty)>
            {move || {
                shown
                    .get()
                    .into_iter()
                    .map(|c| view! { <li class:caption-alert=c.alert>{c.text}</li> })
                    .collect_view()
            }}
        </ul>
    }
}
