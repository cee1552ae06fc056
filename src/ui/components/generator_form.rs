//! Start a generator: application code calling `send()` on a producer at a steady rate, with
//! keys spread uniformly, skewed towards a few hot keys, or no keys.

use crate::ui::components::choice::{Choice, chosen};
use crate::ui::components::form_error::FormError;
use crate::ui::components::select_field::{SelectField, named_options};
use crate::ui::components::text_field::TextField;
use crate::ui::playground::use_playground;
use kafka_sim::forms::{FieldError, GeneratorForm as GeneratorFields};
use kafka_sim::sim::names::Named;
use kafka_sim::sim::types::KeySet;
use leptos::prelude::*;

#[component]
pub fn GeneratorForm() -> impl IntoView {
    let pg = use_playground();
    let producer = RwSignal::new(String::new());
    let topic = RwSignal::new(String::new());
    let rate = RwSignal::new("20".to_owned());
    let keys = RwSignal::new(KeySet::Uniform { count: 10 }.name().to_owned());
    let key_count = RwSignal::new("10".to_owned());
    let error = RwSignal::new(None::<FieldError>);
    let producers = pg.producer_names;
    let topics = pg.topic_names;
    let chosen_producer = chosen(producers, producer);
    let chosen_topic = chosen(topics, topic);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fields = GeneratorFields {
            producer: untrack(chosen_producer),
            topic: untrack(chosen_topic),
            rate_per_sec: rate.get_untracked(),
            keys: keys.get_untracked(),
            key_count: key_count.get_untracked(),
        };
        pg.submit(fields.to_command(), error);
    };
    view! {
        <form class="form" data-testid="generator-form" on:submit=submit>
            <h2>"Send at a steady rate"</h2>
            <label>
                "Producer"
                <Choice names=producers picked=producer testid="generator-producer" />
            </label>
            <label>
                "Topic"
                <Choice names=topics picked=topic testid="generator-topic" />
            </label>
            <TextField label="Records per second" testid="generator-rate" value=rate error field="records/s" numeric=true />
            <SelectField
                label="Keys"
                testid="generator-keys"
                value=keys
                error
                options=named_options(|keys| match keys {
                    KeySet::Uniform { .. } => "uniform over N keys",
                    KeySet::Skewed { .. } => "skewed: 80% on a fifth of N keys",
                    KeySet::NoKey | KeySet::Fixed(_) => "no keys (the partitioner spreads them)",
                })
            />
            <TextField
                label="N"
                hint="(different keys)"
                testid="generator-key-count"
                value=key_count
                error
                field="keys"
                numeric=true
                hidden=Signal::derive(move || keys.with(|k| KeySet::from_name(k) == Some(KeySet::NoKey)))
            />
            <button type="submit" data-testid="start-generator">"Start sending"</button>
            <FormError error testid="generator-form-error" />
        </form>
    }
}
