//! Create a topic (`kafka-topics.sh --create`).

use crate::ui::components::form_error::FormError;
use crate::ui::components::text_field::TextField;
use crate::ui::playground::use_playground;
use kafka_sim::forms::{CreateTopicForm, FieldError};
use leptos::prelude::*;

#[component]
pub fn TopicForm() -> impl IntoView {
    let pg = use_playground();
    let name = RwSignal::new(String::new());
    let partitions = RwSignal::new("3".to_owned());
    let replication_factor = RwSignal::new("3".to_owned());
    let error = RwSignal::new(None::<FieldError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = CreateTopicForm {
            name: name.get_untracked(),
            partitions: partitions.get_untracked(),
            replication_factor: replication_factor.get_untracked(),
        };
        if pg.submit(form.to_command(), error) {
            name.set(String::new());
        }
    };
    view! {
        <form class="form" data-testid="topic-form" on:submit=submit>
            <h2>"Create a topic"</h2>
            <TextField label="Topic name" testid="topic-name" value=name error field="topic name" placeholder="payments" />
            <TextField label="Partitions (1–64)" testid="topic-partitions" value=partitions error field="partitions" numeric=true />
            <TextField
                label="Replication factor"
                testid="topic-replication-factor"
                value=replication_factor
                error
                field="replication factor"
                numeric=true
            />
            <button type="submit" data-testid="create-topic">
                "Create topic"
            </button>
            <FormError error testid="topic-error" />
        </form>
    }
}
