//! The inline message under a form: empty until a command is refused.

use kafka_sim::forms::FieldError;
use leptos::prelude::*;

#[component]
pub fn FormError(error: RwSignal<Option<FieldError>>, testid: &'static str) -> impl IntoView {
    view! {
        <p class="form-error" role="alert" data-testid=testid hidden=move || error.with(Option::is_none)>
            {move || error.with(|e| e.as_ref().map(ToString::to_string))}
        </p>
    }
}

/// Whether `error` is about `field`, for the input's `aria-invalid`.
pub fn invalid(
    error: RwSignal<Option<FieldError>>,
    field: &'static str,
) -> impl Fn() -> &'static str {
    move || {
        if error.with(|e| e.as_ref().is_some_and(|e| e.field == field)) {
            "true"
        } else {
            "false"
        }
    }
}
