//! A labelled choice among fixed options, bound to a signal. Every form's fixed choices are this
//! one component, so the bundle carries its rendering code once.

use crate::ui::components::form_error::invalid;
use kafka_sim::forms::FieldError;
use kafka_sim::sim::names::Named;
use leptos::prelude::*;

/// The options for `T`'s values: its names, in its table's order, each shown as `text` says.
pub fn named_options<T: Named>(text: fn(&T) -> &'static str) -> Vec<(&'static str, &'static str)> {
    T::NAMES
        .iter()
        .map(|(name, value)| (*name, text(value)))
        .collect()
}

#[component]
pub fn SelectField(
    label: &'static str,
    testid: &'static str,
    value: RwSignal<String>,
    /// `(value, text)` pairs; the one equal to `value` at first is selected.
    options: Vec<(&'static str, &'static str)>,
    /// The form's refusal; the select is marked invalid while it names `field`.
    error: RwSignal<Option<FieldError>>,
    #[prop(optional)] field: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let first = value.get_untracked();
    view! {
        <label>
            {label}
            {hint.map(|hint| view! { " " <small>{hint}</small> })}
            <select
                data-testid=testid
                aria-invalid=invalid(error, field)
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {options
                    .into_iter()
                    .map(|(option, text)| view! { <option value=option selected=option == first>{text}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}
