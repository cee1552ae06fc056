//! Add a producer with the settings that change what a learner sees: acks, linger.ms,
//! batch.size, enable.idempotence, the partitioner and transactional.id. The others keep
//! Kafka's defaults.

use crate::ui::components::form_error::{FormError, invalid};
use crate::ui::forms::{FieldError, ProducerForm as ProducerFields, next_name};
use crate::ui::playground::use_playground;
use leptos::prelude::*;

#[component]
pub fn ProducerForm() -> impl IntoView {
    let pg = use_playground();
    let defaults = ProducerFields::default();
    let name = RwSignal::new(defaults.name);
    let acks = RwSignal::new(defaults.acks);
    let linger_ms = RwSignal::new(defaults.linger_ms);
    let batch_size = RwSignal::new(defaults.batch_size);
    let idempotence = RwSignal::new(defaults.enable_idempotence);
    let partitioner = RwSignal::new(defaults.partitioner);
    let transactional_id = RwSignal::new(defaults.transactional_id);
    let error = RwSignal::new(None::<FieldError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fields = ProducerFields {
            name: name.get_untracked(),
            acks: acks.get_untracked(),
            linger_ms: linger_ms.get_untracked(),
            batch_size: batch_size.get_untracked(),
            enable_idempotence: idempotence.get_untracked(),
            partitioner: partitioner.get_untracked(),
            transactional_id: transactional_id.get_untracked(),
        };
        if pg.submit(fields.to_command(), error)
            && let Some(next) = next_name(&name.get_untracked())
        {
            name.set(next);
        }
    };
    view! {
        <form class="form" data-testid="producer-form" on:submit=submit>
            <h2>"Add a producer"</h2>
            <label>
                "client.id"
                <input data-testid="producer-name" autocomplete="off" aria-invalid=invalid(error, "producer") bind:value=name />
            </label>
            <label>
                "acks"
                <select data-testid="producer-acks" aria-invalid=invalid(error, "acks") on:change=move |ev| acks.set(event_target_value(&ev))>
                    <option value="all" selected=true>"all: every in-sync replica has it"</option>
                    <option value="1">"1: the leader has it"</option>
                    <option value="0">"0: no answer (fire and forget)"</option>
                </select>
            </label>
            <label>
                "linger.ms"
                <input data-testid="producer-linger" inputmode="numeric" aria-invalid=invalid(error, "linger.ms") bind:value=linger_ms />
            </label>
            <label>
                "batch.size " <small>"(bytes)"</small>
                <input data-testid="producer-batch-size" inputmode="numeric" aria-invalid=invalid(error, "batch.size") bind:value=batch_size />
            </label>
            <label class="check">
                <input type="checkbox" data-testid="producer-idempotence" bind:checked=idempotence />
                "enable.idempotence " <small>"(needs acks=all)"</small>
            </label>
            <label>
                "partitioner"
                <select data-testid="producer-partitioner" on:change=move |ev| partitioner.set(event_target_value(&ev))>
                    <option value="default" selected=true>"default: key hash, else sticky"</option>
                    <option value="roundrobin">"RoundRobinPartitioner"</option>
                    <option value="guide">"the guide's key % partitions (not Kafka's)"</option>
                </select>
            </label>
            <label>
                "transactional.id " <small>"(empty: no transactions)"</small>
                <input data-testid="producer-transactional-id" autocomplete="off" aria-invalid=invalid(error, "transactional.id") bind:value=transactional_id />
            </label>
            <button type="submit" data-testid="add-producer">"Add producer"</button>
            <FormError error testid="producer-form-error" />
        </form>
    }
}
