//! `kafka-consumer-groups.sh --reset-offsets --execute` for one group: Kafka allows it only
//! while the group has no active members, and the engine says so otherwise.

use crate::ui::components::form_error::FormError;
use crate::ui::components::select_field::SelectField;
use crate::ui::components::text_field::TextField;
use crate::ui::playground::use_playground;
use kafka_sim::forms::{FieldError, ResetOffsetsForm as ResetFields};
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
            <SelectField
                label="--reset-offsets"
                testid="reset-spec"
                value=spec
                error
                options=&[
                    ("to-earliest", "--to-earliest"),
                    ("to-latest", "--to-latest"),
                    ("to-offset", "--to-offset N"),
                    ("shift-by", "--shift-by N"),
                    ("to-datetime", "--to-datetime (virtual ms)"),
                ]
            />
            <TextField
                label="N"
                testid="reset-value"
                value
                error
                field="offset"
                numeric=true
                hidden=Signal::derive(move || !needs_value())
            />
            <button type="submit" data-testid="reset-offsets" title="Only while the group has no active members, as in Kafka">
                "Reset offsets"
            </button>
            <FormError error testid="reset-offsets-error" />
        </form>
    }
}
