//! Alter a topic: one of its configs (`kafka-configs.sh --alter`, empty = back to the
//! default) or its partition count (`kafka-topics.sh --alter --partitions`).

use crate::ui::components::choice::{Choice, chosen};
use crate::ui::components::form_error::FormError;
use crate::ui::playground::use_playground;
use kafka_sim::forms::{AlterTopicForm, FieldError};
use kafka_sim::sim::types::TOPIC_CONFIG_KEYS;
use leptos::prelude::*;

#[component]
pub fn TopicConfigForm() -> impl IntoView {
    let pg = use_playground();
    let topic = RwSignal::new(String::new());
    let key = RwSignal::new("retention.ms".to_owned());
    let value = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FieldError>);
    let topics = pg.topic_names;
    let chosen_topic = chosen(topics, topic);
    // The value in force now, shown as the field's placeholder.
    let current = move || {
        let (topic, key) = (chosen_topic(), key.get());
        if key == "partitions" {
            return pg
                .view
                .with(|v| v.topic(&topic).map(|t| t.partitions.len().to_string()));
        }
        pg.view.track();
        pg.timeline
            .with_untracked(|t| t.sim().topic_config(&topic).and_then(|c| c.get(&key)))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fields = AlterTopicForm {
            topic: untrack(chosen_topic),
            key: key.get_untracked(),
            value: value.get_untracked(),
        };
        if pg.submit(fields.to_command(), error) {
            value.set(String::new());
        }
    };
    view! {
        <form class="form" data-testid="topic-config-form" on:submit=submit>
            <h2>"Alter a topic"</h2>
            <label>
                "Topic"
                <Choice names=topics picked=topic testid="config-topic" />
            </label>
            <label>
                "Config"
                <select data-testid="config-key" on:change=move |ev| key.set(event_target_value(&ev))>
                    <option value="partitions">"partitions (grow only)"</option>
                    {TOPIC_CONFIG_KEYS
                        .iter()
                        .map(|&k| view! { <option value=k selected=move || key.get() == k>{k}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                "Value " <small>"(empty: back to the default)"</small>
                <input
                    data-testid="config-value"
                    autocomplete="off"
                    placeholder=move || current().map(|v| format!("now {v}"))
                    aria-invalid=move || {
                        let k = key.get();
                        error.with(|e| e.as_ref().is_some_and(|e| e.field == k)).to_string()
                    }
                    bind:value=value
                />
            </label>
            <button type="submit" data-testid="alter-topic">"Alter topic"</button>
            <FormError error testid="topic-config-error" />
        </form>
    }
}
