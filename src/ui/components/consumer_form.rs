//! Start a consumer in a group: it joins at its first poll and the group rebalances.

use crate::ui::components::form_error::{FormError, invalid};
use crate::ui::forms::{ConsumerForm as ConsumerFields, FieldError, next_name};
use crate::ui::playground::use_playground;
use leptos::prelude::*;

#[component]
pub fn ConsumerForm() -> impl IntoView {
    let pg = use_playground();
    let name = RwSignal::new("consumer-2".to_owned());
    let group = RwSignal::new("group-1".to_owned());
    let topics = RwSignal::new("orders".to_owned());
    let strategy = RwSignal::new("range".to_owned());
    let processing = RwSignal::new("0".to_owned());
    let error = RwSignal::new(None::<FieldError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fields = ConsumerFields {
            name: name.get_untracked(),
            group: group.get_untracked(),
            topics: topics.get_untracked(),
            strategy: strategy.get_untracked(),
            processing_ms: processing.get_untracked(),
        };
        if pg.submit(fields.to_command(), error)
            && let Some(next) = next_name(&name.get_untracked())
        {
            name.set(next);
        }
    };
    view! {
        <form class="form" data-testid="consumer-form" on:submit=submit>
            <h3>"Start a consumer"</h3>
            <label>
                "Name"
                <input data-testid="consumer-name" autocomplete="off" aria-invalid=invalid(error, "consumer") bind:value=name />
            </label>
            <label>
                "group.id"
                <input data-testid="consumer-group" autocomplete="off" aria-invalid=invalid(error, "group.id") bind:value=group />
            </label>
            <label>
                "Topics " <small>"(comma-separated)"</small>
                <input data-testid="consumer-topics" autocomplete="off" aria-invalid=invalid(error, "topic") bind:value=topics />
            </label>
            <label>
                "partition.assignment.strategy"
                <select data-testid="consumer-strategy" on:change=move |ev| strategy.set(event_target_value(&ev))>
                    <option value="range" selected=true>"range (eager)"</option>
                    <option value="roundrobin">"roundrobin (eager)"</option>
                    <option value="sticky">"sticky (eager)"</option>
                    <option value="cooperative-sticky">"cooperative-sticky"</option>
                    <option value="consumer">"group.protocol=consumer (KIP-848, uniform)"</option>
                </select>
            </label>
            <label>
                "Processing time per record (ms) " <small>"(your application's work)"</small>
                <input data-testid="consumer-processing" inputmode="numeric" aria-invalid=invalid(error, "processing time") bind:value=processing />
            </label>
            <button type="submit" data-testid="start-consumer">"Start consumer"</button>
            <FormError error testid="consumer-form-error" />
        </form>
    }
}
