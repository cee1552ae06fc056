//! The page: header with the controls, then the cluster, the forms, the topics, the consumers,
//! a chart and the event log.

use crate::sim::scenario::Scenario;
use crate::ui::components::{
    charts::Charts, cluster::Cluster, consumer_panel::ConsumerPanel, controls::Controls,
    event_log::EventLog, generator_form::GeneratorForm, produce_form::ProduceForm,
    producer_form::ProducerForm, producers::Producers, record_inspector::RecordInspector,
    topic_form::TopicForm, topic_view::Topics,
};
use crate::ui::playground::Playground;
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let playground = match Playground::new(&Scenario::starter()) {
        Ok(playground) => playground,
        Err(error) => {
            return view! {
                <p class="fatal" role="alert">
                    "The starting scenario was refused: " {error.to_string()}
                </p>
            }
            .into_any();
        }
    };
    provide_context(playground);
    view! {
        <header class="app-header">
            <h1>"Kafka Playground"</h1>
            <Controls />
        </header>
        <main class="layout">
            <Cluster />
            <section class="panel forms" aria-label="Create topics and produce records">
                <ProduceForm />
                <GeneratorForm />
                <ProducerForm />
                <TopicForm />
            </section>
            <Producers />
            <Topics />
            <ConsumerPanel />
            <Charts />
            <EventLog />
        </main>
        <RecordInspector />
    }
    .into_any()
}
