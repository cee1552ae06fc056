//! A select over names that come and go (topics, producers): it shows the learner's pick while
//! that still exists, else the first name.

use crate::ui::components::keyed_list::KeyedList;
use leptos::prelude::*;

/// The names to choose from, and the picked one (empty until the learner picks).
#[component]
pub fn Choice(
    names: Memo<Vec<String>>,
    picked: RwSignal<String>,
    testid: &'static str,
) -> impl IntoView {
    let chosen = chosen(names, picked);
    view! {
        <select data-testid=testid on:change=move |ev| picked.set(event_target_value(&ev))>
            <KeyedList each=move || names.get() key=|name| name.clone() let(name)>
                <option value=name.clone() selected=move || chosen() == name>
                    {name.clone()}
                </option>
            </KeyedList>
        </select>
    }
}

/// The name a `Choice` shows: the pick while it exists, else the first name.
pub fn chosen(
    names: Memo<Vec<String>>,
    picked: RwSignal<String>,
) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    move || {
        let picked = picked.get();
        names.with(|names| {
            if names.contains(&picked) {
                picked
            } else {
                names.first().cloned().unwrap_or_default()
            }
        })
    }
}
