//! `kafka-consumer-groups.sh --reset-offsets --execute` for one group: Kafka allows it only
//! while the group has no active members, and the engine says so otherwise.

use crate::ui::components::form_error::FormError;
use crate::ui::components::select_field::{SelectField, named_options};
use crate::ui::components::text_field::TextField;
use crate::ui::playground::use_playground;
use kafka_sim::forms::{FieldError, ResetOffsetsForm as ResetFields};
use kafka_sim::sim::names::Named;
use kafka_sim::sim::types::ResetSpec;
use leptos::prelude::*;

#[component]
pub fn ResetOffsetsForm(group: String) -> impl IntoView {
    let pg = use_playground();
    let spec = RwSignal::new(ResetSpec::Earliest.name().to_owned());
    let value = RwSignal::new("0".to_owned());
    let error = RwSignal::new(None::<FieldError>);
    let needs_value = move || {
        spec.with(|s| {
            !matches!(
                ResetSpec::from_name(s),
                Some(ResetSpec::Earliest | ResetSpec::Latest)
            )
        })
    };
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
                options=named_options(|spec| match spec {
                    ResetSpec::Earliest => "--to-earliest",
                    ResetSpec::Latest => "--to-latest",
                    ResetSpec::ToOffset(_) => "--to-offset N",
                    ResetSpec::ShiftBy(_) => "--shift-by N",
                    ResetSpec::ToDatetime(_) => "--to-datetime (virtual ms)",
                })
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
