//! Each consumer: its group, topic and settings, and per partition its position, its group's
//! committed offset and its lag; buttons to poll and commit.

use crate::sim::Command;
use crate::sim::view::ConsumerView;
use crate::ui::components::form_error::FormError;
use crate::ui::format::maybe_offset;
use crate::ui::forms::FieldError;
use crate::ui::playground::use_playground;
use leptos::prelude::*;

#[component]
pub fn ConsumerPanel() -> impl IntoView {
    let pg = use_playground();
    let ids = Memo::new(move |_| {
        pg.view
            .with(|v| v.consumers.iter().map(|c| c.id.clone()).collect::<Vec<_>>())
    });
    view! {
        <section class="panel consumers" aria-label="Consumers">
            <h2>"Consumers"</h2>
            <For each=move || ids.get() key=|id| id.clone() let(id)>
                <ConsumerCard id />
            </For>
        </section>
    }
}

/// One row of the partition table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Row {
    partition: u32,
    position: Option<u64>,
    committed: Option<u64>,
    /// High watermark − position, the consumer's own lag metric.
    lag: Option<u64>,
}

#[component]
fn ConsumerCard(id: String) -> impl IntoView {
    let pg = use_playground();
    let error = RwSignal::new(None::<FieldError>);
    let consumer = {
        let id = id.clone();
        Memo::new(move |_| {
            pg.view
                .with(|v| v.consumers.iter().find(|c| c.id == id).cloned())
        })
    };
    let topics = Memo::new(move |_| {
        pg.view
            .with(|v| v.topics.iter().map(|t| t.name.clone()).collect::<Vec<_>>())
    });
    let rows = Memo::new(move |_| {
        let Some(c) = consumer.get() else {
            return Vec::new();
        };
        pg.view.with(|v| {
            v.topic(&c.topic)
                .map(|t| {
                    t.partitions
                        .iter()
                        .map(|p| {
                            let position = c.positions.get(&p.id).map(|o| o.0);
                            Row {
                                partition: p.id.0,
                                position,
                                committed: c.committed.get(&p.id).map(|o| o.0),
                                lag: position.map(|pos| p.high_watermark.0.saturating_sub(pos)),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    let field = move |f: fn(&ConsumerView) -> String| move || consumer.with(|c| c.as_ref().map(f));
    let send = {
        let id = id.clone();
        move |command: fn(String) -> Command| {
            let id = id.clone();
            move |_| match pg.apply(command(id.clone())) {
                Ok(_) => error.set(None),
                Err(e) => error.set(Some(e.into())),
            }
        }
    };
    let subscribe = {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            let command = Command::Subscribe {
                consumer: id.clone(),
                topic: event_target_value(&ev),
            };
            match pg.apply(command) {
                Ok(_) => error.set(None),
                Err(e) => error.set(Some(e.into())),
            }
        }
    };
    view! {
        <article class="consumer" data-testid="consumer" data-consumer=id.clone()>
            <h3>
                {id.clone()} " " <small>"group " {field(|c| c.group.clone())}</small>
            </h3>
            <label>
                "Reads topic "
                <select data-testid="consumer-topic" on:change=subscribe>
                    <For each=move || topics.get() key=|name| name.clone() let(name)>
                        <option
                            value=name.clone()
                            selected=move || consumer.with(|c| c.as_ref().is_some_and(|c| c.topic == name))
                        >
                            {name.clone()}
                        </option>
                    </For>
                </select>
            </label>
            <p class="settings">
                <code>{field(|c| format!("max.poll.records={}", c.max_poll_records))}</code>
                " "
                <code>
                    {field(|c| format!(
                        "enable.auto.commit={} (every {} ms)",
                        c.enable_auto_commit, c.auto_commit_interval_ms
                    ))}
                </code>
                " "
                <code>{field(|c| format!("auto.offset.reset={}", c.auto_offset_reset))}</code>
                <small>" (Kafka's default is latest; here it starts at earliest so you see every record)"</small>
            </p>
            <table class="offsets">
                <thead>
                    <tr>
                        <th scope="col">"Partition"</th>
                        <th scope="col" title="The next offset this consumer will read">"Position"</th>
                        <th scope="col" title="The group's committed offset: where a restarted consumer resumes">"Committed"</th>
                        <th scope="col" title="High watermark − position">"Lag"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=|row| row.clone() let(row)>
                        <tr data-testid="consumer-row" data-partition=row.partition>
                            <td>{row.partition}</td>
                            <td data-testid="position">{maybe_offset(row.position)}</td>
                            <td data-testid="committed">{maybe_offset(row.committed)}</td>
                            <td data-testid="lag">{maybe_offset(row.lag)}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
            <div class="buttons">
                <button data-testid="poll" on:click=send(|consumer| Command::Poll { consumer })>
                    "Poll"
                </button>
                <button data-testid="commit" on:click=send(|consumer| Command::Commit { consumer })>
                    "Commit"
                </button>
            </div>
            <p class="hint">
                "Poll reads up to max.poll.records records below each partition's high watermark; "
                "Commit stores the positions as the group's committed offsets (commitSync). "
                "While playing, the consumer polls every tick and auto-commits."
            </p>
            <p class="form-error" role="alert" hidden=move || consumer.with(|c| c.as_ref().is_none_or(|c| c.failed.is_none()))>
                {field(|c| c.failed.clone().unwrap_or_default())}
            </p>
            <FormError error testid="consumer-error" />
        </article>
    }
}
