//! Produce a record: topic, optional key, value and optional partition.

use crate::ui::components::choice::{Choice, chosen};
use crate::ui::components::form_error::FormError;
use crate::ui::components::text_field::TextField;
use crate::ui::playground::use_playground;
use kafka_sim::forms::{FieldError, ProduceForm as ProduceFields};
use leptos::prelude::*;

#[component]
pub fn ProduceForm() -> impl IntoView {
    let pg = use_playground();
    let topic = RwSignal::new(String::new());
    let producer = RwSignal::new(String::new());
    let key = RwSignal::new("user-7".to_owned());
    let value = RwSignal::new("order placed".to_owned());
    let partition = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FieldError>);
    let topics = pg.topic_names;
    let producers = pg.producer_names;
    let chosen_topic = chosen(topics, topic);
    let chosen_producer = chosen(producers, producer);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fields = ProduceFields {
            producer: untrack(chosen_producer),
            topic: untrack(chosen_topic),
            key: key.get_untracked(),
            value: value.get_untracked(),
            partition: partition.get_untracked(),
        };
        pg.submit(fields.to_command(), error);
    };
    view! {
        <form class="form" data-testid="produce-form" on:submit=submit>
            <h2>"Produce a record"</h2>
            <label>
                "Topic"
                <Choice names=topics picked=topic testid="produce-topic" />
            </label>
            <label hidden=move || producers.with(|p| p.len() < 2)>
                "Producer"
                <Choice names=producers picked=producer testid="produce-producer" />
            </label>
            <TextField label="Key" hint="(empty: no key)" testid="produce-key" value=key error />
            <TextField label="Value" testid="produce-value" value=value error />
            <TextField
                label="Partition"
                hint="(empty: the producer chooses)"
                testid="produce-partition"
                value=partition
                error
                field="partition"
                numeric=true
            />
            <button type="submit" data-testid="produce">
                "Produce"
            </button>
            <FormError error testid="produce-error" />
            <p class="hint">
                "The record waits in the producer's batch for up to linger.ms, then goes to the partition's leader. "
                "With a key it goes to toPositive(murmur2(key)) % partitions; without one, Kafka's sticky "
                "partitioner fills one partition's batch before moving on (the guide's round robin is a producer option)."
            </p>
        </form>
    }
}
