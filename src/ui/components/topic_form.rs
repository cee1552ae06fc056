//! Create a topic (`kafka-topics.sh --create`).

use crate::ui::components::form_error::{FormError, invalid};
use crate::ui::forms::{CreateTopicForm, FieldError};
use crate::ui::playground::use_playground;
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
            <label>
                "Topic name"
                <input
                    data-testid="topic-name"
                    placeholder="payments"
                    autocomplete="off"
                    aria-invalid=invalid(error, "topic name")
                    bind:value=name
                />
            </label>
            <label>
                "Partitions (1–64)"
                <input
                    data-testid="topic-partitions"
                    inputmode="numeric"
                    aria-invalid=invalid(error, "partitions")
                    bind:value=partitions
                />
            </label>
            <label>
                "Replication factor"
                <input
                    data-testid="topic-replication-factor"
                    inputmode="numeric"
                    aria-invalid=invalid(error, "replication factor")
                    bind:value=replication_factor
                />
            </label>
            <button type="submit" data-testid="create-topic">
                "Create topic"
            </button>
            <FormError error testid="topic-error" />
        </form>
    }
}
