//! The Actions tab: the forms that send records, add producers, start generators and consumers,
//! create and alter topics. Each click can also show the Kafka command it equals (the console's "show as
//! CLI").

use crate::ui::components::{
    consumer_form::ConsumerForm, generator_form::GeneratorForm, produce_form::ProduceForm,
    producer_form::ProducerForm, topic_config_form::TopicConfigForm, topic_form::TopicForm,
};
use leptos::prelude::*;

#[component]
pub fn ActionsPanel() -> impl IntoView {
    view! {
        <div class="forms" aria-label="Create topics and produce records">
            <ProduceForm />
            <GeneratorForm />
            <ProducerForm />
            <ConsumerForm />
            <TopicForm />
            <TopicConfigForm />
        </div>
    }
}
