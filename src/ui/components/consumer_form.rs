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
    let auto_commit = RwSignal::new("true".to_owned());
    let offset_reset = RwSignal::new("earliest".to_owned());
    let isolation = RwSignal::new("read_uncommitted".to_owned());
    let max_poll_records = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FieldError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fields = ConsumerFields {
            name: name.get_untracked(),
            group: group.get_untracked(),
            topics: topics.get_untracked(),
            strategy: strategy.get_untracked(),
            processing_ms: processing.get_untracked(),
            auto_commit: auto_commit.get_untracked(),
            offset_reset: offset_reset.get_untracked(),
            isolation: isolation.get_untracked(),
            max_poll_records: max_poll_records.get_untracked(),
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
            <label>
                "enable.auto.commit"
                <select data-testid="consumer-auto-commit" on:change=move |ev| auto_commit.set(event_target_value(&ev))>
                    <option value="true" selected=true>"true: commit the last poll every auto.commit.interval.ms (5 s)"</option>
                    <option value="false">"false: only the Commit button commits"</option>
                </select>
            </label>
            <label>
                "auto.offset.reset " <small>"(no committed offset, or it left the log)"</small>
                <select data-testid="consumer-offset-reset" on:change=move |ev| offset_reset.set(event_target_value(&ev))>
                    <option value="earliest" selected=true>"earliest: the log start offset"</option>
                    <option value="latest">"latest: only records written from now (Kafka's default)"</option>
                    <option value="none">"none: fail the poll"</option>
                </select>
            </label>
            <label>
                "isolation.level"
                <select data-testid="consumer-isolation" on:change=move |ev| isolation.set(event_target_value(&ev))>
                    <option value="read_uncommitted" selected=true>"read_uncommitted: up to the high watermark"</option>
                    <option value="read_committed">"read_committed: up to the last stable offset, no aborted records"</option>
                </select>
            </label>
            <label>
                "max.poll.records " <small>"(empty: 500)"</small>
                <input data-testid="consumer-max-poll" inputmode="numeric" placeholder="500" aria-invalid=invalid(error, "max.poll.records") bind:value=max_poll_records />
            </label>
            <button type="submit" data-testid="start-consumer">"Start consumer"</button>
            <FormError error testid="consumer-form-error" />
        </form>
    }
}
