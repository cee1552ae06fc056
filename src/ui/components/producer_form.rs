//! Add a producer with the settings that change what a learner sees: acks, linger.ms,
//! batch.size, enable.idempotence, the partitioner and transactional.id. The others keep
//! Kafka's defaults.

use crate::ui::components::form_error::FormError;
use crate::ui::components::select_field::{SelectField, named_options};
use crate::ui::components::text_field::TextField;
use crate::ui::playground::use_playground;
use kafka_sim::forms::{FieldError, ProducerForm as ProducerFields, next_name};
use kafka_sim::sim::Acks;
use kafka_sim::sim::types::PartitionerMode;
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
            <TextField label="client.id" testid="producer-name" value=name error field="producer" />
            <SelectField
                label="acks"
                testid="producer-acks"
                value=acks
                error
                field="acks"
                options=named_options(|acks| match acks {
                    Acks::All => "all: every in-sync replica has it",
                    Acks::Leader => "1: the leader has it",
                    Acks::None => "0: no answer (fire and forget)",
                })
            />
            <TextField label="linger.ms" testid="producer-linger" value=linger_ms error field="linger.ms" numeric=true />
            <TextField label="batch.size" hint="(bytes)" testid="producer-batch-size" value=batch_size error field="batch.size" numeric=true />
            <label class="check">
                <input type="checkbox" data-testid="producer-idempotence" bind:checked=idempotence />
                "enable.idempotence " <small>"(needs acks=all)"</small>
            </label>
            <SelectField
                label="partitioner"
                testid="producer-partitioner"
                value=partitioner
                error
                options=named_options(|mode| match mode {
                    PartitionerMode::Default => "default: key hash, else sticky",
                    PartitionerMode::RoundRobin => "RoundRobinPartitioner",
                    PartitionerMode::Guide => "the guide's key % partitions (not Kafka's)",
                })
            />
            <TextField
                label="transactional.id"
                hint="(empty: no transactions)"
                testid="producer-transactional-id"
                value=transactional_id
                error
                field="transactional.id"
            />
            <button type="submit" data-testid="add-producer">"Add producer"</button>
            <FormError error testid="producer-form-error" />
        </form>
    }
}
