//! A labelled text input bound to a signal. Every form's inputs are this one component, so the
//! bundle carries its rendering code once rather than once per form.

use crate::ui::components::form_error::invalid;
use kafka_sim::forms::FieldError;
use leptos::prelude::*;

#[component]
pub fn TextField(
    label: &'static str,
    testid: &'static str,
    value: RwSignal<String>,
    /// The form's refusal; the input is marked invalid while it names `field`.
    error: RwSignal<Option<FieldError>>,
    /// The field name refusals use for this input (empty: never marked).
    #[prop(optional)]
    field: &'static str,
    /// Shown small after the label, e.g. "(empty: no key)".
    #[prop(optional)]
    hint: Option<&'static str>,
    /// Whole numbers: a numeric keyboard on phones.
    #[prop(optional)]
    numeric: bool,
    #[prop(optional)] placeholder: Option<&'static str>,
    /// Hides the field while it does not apply.
    #[prop(optional, into)]
    hidden: Option<Signal<bool>>,
) -> impl IntoView {
    view! {
        <label hidden=move || hidden.is_some_and(|h| h.get())>
            {label}
            {hint.map(|hint| view! { " " <small>{hint}</small> })}
            <input
                data-testid=testid
                inputmode=if numeric { "numeric" } else { "text" }
                autocomplete="off"
                placeholder=placeholder
                aria-invalid=invalid(error, field)
                bind:value=value
            />
        </label>
    }
}
