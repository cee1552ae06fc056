//! `kafka-consumer-groups.sh --reset-offsets --execute` for one group: Kafka allows it only
//! while the group has no active members, and the engine says so otherwise.

use crate::ui::components::form_error::{FormError, invalid};
use crate::ui::forms::{FieldError, ResetOffsetsForm as ResetFields};
use crate::ui::playground::use_playground;
use leptos::prelude::*;

#[component]
pub fn ResetOffsetsForm(group: String) -> impl IntoView {
    let pg = use_playground();
    let spec = RwSignal::new("to-earliest".to_owned());
    let value = RwSignal::new("0".to_owned());
    let error = RwSignal::new(None::<FieldError>);
    let needs_value = move || spec.with(|s| !matches!(s.as_str(), "to-earliest" | "to-latest"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fields = ResetFields {
            group: group.clone(),
            topic: String::new(),
            spec: spec.get_untracked(),
            value: value.get_untracked(),
        };
        pg.submit(fields.to_command(), error);
    };
    view! {
        <form class="form reset-offsets" data-testid="reset-offsets-form" on:submit=submit>
            <label>
                "--reset-offsets"
                <select data-testid="reset-spec" on:change=move |ev| spec.set(event_target_value(&ev))>
                    <option value="to-earliest" selected=true>"--to-earliest"</option>
                    <option value="to-latest">"--to-latest"</option>
                    <option value="to-offset">"--to-offset N"</option>
                    <option value="shift-by">"--shift-by N"</option>
                    <option value="to-datetime">"--to-datetime (virtual ms)"</option>
                </select>
            </label>
            <label hidden=move || !needs_value()>
                "N"
                <input data-testid="reset-value" inputmode="numeric" aria-invalid=invalid(error, "offset") bind:value=value />
            </label>
            <button type="submit" data-testid="reset-offsets" title="Only while the group has no active members, as in Kafka">
                "Reset offsets"
            </button>
            <FormError error testid="reset-offsets-error" />
        </form>
    }
}
