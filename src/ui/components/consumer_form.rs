//! Start a consumer in a group: it joins at its first poll and the group rebalances.

use crate::ui::components::form_error::FormError;
use crate::ui::components::select_field::{SelectField, named_options};
use crate::ui::components::text_field::TextField;
use crate::ui::playground::use_playground;
use kafka_sim::forms::{
    AssignmentChoice, ConsumerForm as ConsumerFields, FieldError, assignment_choices, next_name,
};
use kafka_sim::sim::names::Named;
use kafka_sim::sim::types::Strategy;
use kafka_sim::sim::{AutoOffsetReset, IsolationLevel};
use leptos::prelude::*;

#[component]
pub fn ConsumerForm() -> impl IntoView {
    let pg = use_playground();
    let name = RwSignal::new("consumer-2".to_owned());
    let group = RwSignal::new("group-1".to_owned());
    let topics = RwSignal::new("orders".to_owned());
    let strategy = RwSignal::new(Strategy::Range.name().to_owned());
    let processing = RwSignal::new("0".to_owned());
    let auto_commit = RwSignal::new("true".to_owned());
    let offset_reset = RwSignal::new(AutoOffsetReset::Earliest.name().to_owned());
    let isolation = RwSignal::new(IsolationLevel::ReadUncommitted.name().to_owned());
    let max_poll_records = RwSignal::new(String::new());
    let instance = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FieldError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fields = ConsumerFields {
            name: name.get_untracked(),
            group: group.get_untracked(),
            topics: topics.get_untracked(),
            strategy: strategy.get_untracked(),
            processing_ms: processing.get_untracked(),
            auto_commit: auto_commit.get_untracked(),
            offset_reset: offset_reset.get_untracked(),
            isolation: isolation.get_untracked(),
            max_poll_records: max_poll_records.get_untracked(),
            group_instance_id: instance.get_untracked(),
        };
        if pg.submit(fields.to_command(), error)
            && let Some(next) = next_name(&name.get_untracked())
        {
            name.set(next);
        }
    };
    view! {
        <form class="form" data-testid="consumer-form" on:submit=submit>
            <h3>"Start a consumer"</h3>
            <TextField label="Name" testid="consumer-name" value=name error field="consumer" />
            <TextField label="group.id" testid="consumer-group" value=group error field="group.id" />
            <TextField label="Topics" hint="(comma-separated)" testid="consumer-topics" value=topics error field="topic" />
            <SelectField
                label="partition.assignment.strategy"
                testid="consumer-strategy"
                value=strategy
                error
                field="partition.assignment.strategy"
                options=assignment_choices()
                    .map(|(name, choice)| {
                        let text = match choice {
                            AssignmentChoice::Classic(Strategy::Range) => "range (eager)",
                            AssignmentChoice::Classic(Strategy::RoundRobin) => "roundrobin (eager)",
                            AssignmentChoice::Classic(Strategy::Sticky) => "sticky (eager)",
                            AssignmentChoice::Classic(Strategy::CooperativeSticky) => "cooperative-sticky",
                            AssignmentChoice::Protocol(_) => "group.protocol=consumer (KIP-848, uniform)",
                        };
                        (name, text)
                    })
                    .collect()
            />
            <TextField
                label="Processing time per record (ms)"
                hint="(your application's work)"
                testid="consumer-processing"
                value=processing
                error
                field="processing time"
                numeric=true
            />
            <SelectField
                label="enable.auto.commit"
                testid="consumer-auto-commit"
                value=auto_commit
                error
                options=vec![
                    ("true", "true: commit the last poll every auto.commit.interval.ms (5 s)"),
                    ("false", "false: only the Commit button commits"),
                ]
            />
            <SelectField
                label="auto.offset.reset"
                hint="(no committed offset, or it left the log)"
                testid="consumer-offset-reset"
                value=offset_reset
                error
                options=named_options(|reset| match reset {
                    AutoOffsetReset::Earliest => "earliest: the log start offset (preset here; Kafka's default is latest)",
                    AutoOffsetReset::Latest => "latest: only records written from now (Kafka's default)",
                    AutoOffsetReset::None => "none: fail the poll",
                })
            />
            <SelectField
                label="isolation.level"
                testid="consumer-isolation"
                value=isolation
                error
                options=named_options(|level| match level {
                    IsolationLevel::ReadUncommitted => "read_uncommitted: up to the high watermark",
                    IsolationLevel::ReadCommitted => "read_committed: up to the last stable offset, no aborted records",
                })
            />
            <TextField
                label="max.poll.records"
                hint="(empty: 500)"
                testid="consumer-max-poll"
                value=max_poll_records
                error
                field="max.poll.records"
                numeric=true
                placeholder="500"
            />
            <TextField
                label="group.instance.id"
                hint="(empty: dynamic; set: a static member keeps its partitions while it restarts)"
                testid="consumer-instance-id"
                value=instance
                error
                field="group.instance.id"
            />
            <button type="submit" data-testid="start-consumer">"Start consumer"</button>
            <FormError error testid="consumer-form-error" />
        </form>
    }
}
