//! The page: header with the controls, then the cluster, the forms, the topics, the producers,
//! the consumers, the charts and the event log; the record inspector floats above.

use crate::ui::components::{
    charts::Charts, cluster::Cluster, consumer_panel::ConsumerPanel, controls::Controls,
    event_log::EventLog, generator_form::GeneratorForm, produce_form::ProduceForm,
    producer_form::ProducerForm, producers::Producers, record_inspector::RecordInspector,
    theme_toggle::ThemeToggle, topic_config_form::TopicConfigForm, topic_form::TopicForm,
    topic_view::Topics,
};
use crate::ui::page_query::page_options;
use crate::ui::playground::Playground;
use leptos::prelude::*;

/// The performance mark set once the page has first rendered.
pub const RENDERED_MARK: &str = "kafka-playground-rendered";

#[component]
pub fn App() -> impl IntoView {
    let query = window().location().search().unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&query).ok();
    let options = page_options(|name| params.as_ref().and_then(|p| p.get(name)));
    let scenario = options.scenario.clone();
    let query_error = options.problems.first().cloned();
    let playground = match Playground::new(&scenario) {
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
    // After the first render: the frame-time script reads how long the page took.
    Effect::new(|_| {
        if let Some(performance) = window().performance() {
            let _ = performance.mark(RENDERED_MARK);
        }
    });
    view! {
        {query_error.map(|message| view! { <p class="page-error" role="alert" data-testid="page-error">{message}</p> })}
        <header class="app-header">
            <h1>"Kafka Playground"</h1>
            <Controls />
            <ThemeToggle />
        </header>
        <main class="layout">
            <Cluster />
            <section class="panel forms" aria-label="Create topics and produce records">
                <ProduceForm />
                <GeneratorForm />
                <ProducerForm />
                <TopicForm />
                <TopicConfigForm />
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
