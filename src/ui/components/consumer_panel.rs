//! A consumer group in detail (the Inspector's): its state, generation, protocol and coordinator,
//! its members with the partitions they hold, and per partition its owner, committed offset and
//! lag; under it the group's consumers with their positions and buttons to poll, commit, close
//! and crash. The stage's group nodes show its member list too.

use crate::ui::components::form_error::FormError;
use crate::ui::components::keyed_list::KeyedList;
use crate::ui::components::reset_offsets_form::ResetOffsetsForm;
use crate::ui::moves::Chip;
use crate::ui::playground::{Playground, use_playground};
use crate::ui::reactive::memo;
use kafka_sim::format::{maybe_offset, seconds as seconds_text};
use kafka_sim::forms::FieldError;
use kafka_sim::sim::Command;
use kafka_sim::sim::view::{ConsumerView, GroupView};
use leptos::either::Either;
use leptos::prelude::*;

/// Partition chips, comma-separated, each styled by what just happened to it.
fn chip_list(chips: Vec<(String, Chip)>) -> impl IntoView {
    chips
        .into_iter()
        .enumerate()
        .map(|(i, (partition, chip))| {
            let (class, words) = chip.describe();
            view! {
                {(i > 0).then_some(", ")}
                <span class=format!("chip {class}") data-testid="chip" data-chip=class title=words>{partition}</span>
            }
        })
        .collect_view()
}

/// The hand-overs in words, for screen readers ("orders-0 newly assigned; orders-1 revoked").
fn chips_told(holding: &[(String, Chip)], gave_up: &[(String, Chip)]) -> String {
    holding
        .iter()
        .chain(gave_up)
        .filter(|(_, chip)| *chip != Chip::Kept)
        .map(|(partition, chip)| format!("{partition} {}", chip.describe().1))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A group's members, each with the partitions it holds drawn by what the last rebalance did to
/// them (`ui/moves.rs`), and a crashed consumer's member with the time until the coordinator
/// gives up on it.
pub fn member_list(group: Memo<Option<GroupView>>) -> impl IntoView {
    let pg = use_playground();
    // Hand-overs fade: the members are drawn again each virtual second.
    let seconds = memo(move || pg.view.with(|v| v.now_ms / 1000));
    view! {
        <ul class="members" aria-label="Members">
            {move || {
                seconds.track();
                let (now, running): (u64, Vec<String>) = pg
                    .view
                    .with_untracked(|v| (v.now_ms, v.consumers.iter().map(|c| c.id.clone()).collect()));
                group.with(|g| {
                    g.iter()
                        .flat_map(|g| g.members.iter().cloned())
                        .enumerate()
                        .map(|(i, m)| {
                            let held: Vec<String> = m.assigned.iter().map(ToString::to_string).collect();
                            let chips = pg.moves.with(|moves| moves.chips(&m.id, &held, now));
                            let (holding, gave_up): (Vec<_>, Vec<_>) =
                                chips.into_iter().partition(|(_, chip)| !matches!(chip, Chip::Revoked | Chip::Lost));
                            let told = chips_told(&holding, &gave_up);
                            let none_given_up = gave_up.is_empty();
                            let crashed = (!running.contains(&m.client)).then(|| {
                                let left = seconds_text(m.session_expires_at_ms.saturating_sub(now));
                                match &m.instance_id {
                                    Some(instance) => format!(
                                        "{} is away: as static member {instance} it keeps its partitions; back within {left} (session.timeout.ms) with that group.instance.id, it gets them again without a rebalance",
                                        m.client
                                    ),
                                    None => format!(
                                        "{} crashed: no heartbeats; the coordinator removes it in {left} (session.timeout.ms), then rebalances",
                                        m.client
                                    ),
                                }
                            });
                            let instance = m.instance_id.clone().map(|i| format!(" (static: {i})"));
                            let reconciliation = m.reconciliation_text();
                            let is_crashed = crashed.is_some();
                            view! {
                                <li class=format!("member member-{}", i % 8) class:member-crashed=is_crashed data-testid="member" data-client=m.client.clone()>
                                    <strong>{m.id.clone()}</strong>
                                    {instance.map(|i| view! { <small data-testid="member-instance">{i}</small> })}
                                    " holds "
                                    <span data-testid="member-partitions">
                                        {if holding.is_empty() { Either::Left("nothing") } else { Either::Right(chip_list(holding)) }}
                                    </span>
                                    <span class="gave-up" data-testid="member-gave-up" hidden=none_given_up>
                                        " · gave up " {chip_list(gave_up)}
                                    </span>
                                    {reconciliation.map(|text| view! { <small class="member-state" data-testid="member-state" title="member epoch and state as the coordinator tracks them (KIP-848)">{text}</small> })}
                                    {crashed.map(|text| view! { <small class="caption caption-alert" data-testid="member-crashed">{text}</small> })}
                                    <span class="visually-hidden" data-testid="member-moves">{told}</span>
                                </li>
                            }
                        })
                        .collect_view()
                })
            }}
        </ul>
    }
}

/// The group `id` as the view shows it, while it exists.
pub fn group_of(pg: Playground, id: String) -> Memo<Option<GroupView>> {
    memo(move || {
        pg.view
            .with(|v| v.groups.iter().find(|g| g.id == id).cloned())
    })
}

/// A group in the Inspector: its state, generation, protocol and coordinator, its members, per
/// partition its owner, committed offset and lag (`kafka-consumer-groups.sh --describe`), the
/// reset of its offsets, and its consumers with their buttons.
#[component]
pub fn GroupCard(id: String) -> impl IntoView {
    let pg = use_playground();
    let group = group_of(pg, id.clone());
    let consumers = {
        let id = id.clone();
        memo(move || {
            pg.view.with(|v| {
                v.consumers
                    .iter()
                    .filter(|c| c.group == id)
                    .map(|c| c.id.clone())
                    .collect::<Vec<_>>()
            })
        })
    };
    let text = move |f: fn(&GroupView) -> String| move || group.with(|g| g.as_ref().map(f));
    view! {
        <article class="group" data-testid="group-detail" data-group=id.clone()>
            <h3>
                "group " <code>{id.clone()}</code> " "
                <span class="tag" data-testid="group-state">{text(|g| g.state.to_string())}</span>
            </h3>
            <p class="facts">
                <span data-testid="generation">{text(GroupView::epoch_text)}</span>
                <span>{text(|g| format!("protocol {}", g.protocol))}</span>
                <span>{text(|g| g.strategy.clone().map_or_else(String::new, |s| format!("assignor {s}")))}</span>
                <span>
                    {text(|g| {
                        let partition = g.offsets_partition;
                        g.coordinator.map_or_else(
                            || format!("no coordinator: __consumer_offsets-{partition} has no leader"),
                            |b| format!("coordinator broker {b} (leader of __consumer_offsets-{partition})"),
                        )
                    })}
                </span>
            </p>
            {member_list(group)}
            <p class="explain" data-testid="group-lag-explained">
                "As " <code>"kafka-consumer-groups.sh --describe"</code> " prints it: CURRENT-OFFSET is the group's committed offset (where it resumes), "
                "LOG-END-OFFSET the partition's high watermark, LAG = LOG-END-OFFSET − CURRENT-OFFSET."
            </p>
            <table class="offsets">
                <thead>
                    <tr>
                        <th scope="col">"PARTITION"</th>
                        <th scope="col">"CONSUMER-ID"</th>
                        <th scope="col">"CURRENT-OFFSET"</th>
                        <th scope="col">"LOG-END-OFFSET"</th>
                        <th scope="col">"LAG"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        group.with(|g| {
                            g.iter()
                                .flat_map(|g| g.partitions.iter().cloned())
                                .map(|p| {
                                    view! {
                                        <tr data-testid="group-row" data-partition=format!("{}-{}", p.topic, p.partition)>
                                            <td>{format!("{}-{}", p.topic, p.partition)}</td>
                                            <td>{p.owner.clone().unwrap_or_else(|| "–".to_owned())}</td>
                                            <td data-testid="committed">{maybe_offset(p.committed.map(|o| o.0))}</td>
                                            <td>{p.end.0}</td>
                                            <td data-testid="lag">{maybe_offset(p.lag)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        })
                    }}
                </tbody>
            </table>
            <p class="lag-total" data-testid="group-lag">
                {text(|g| format!("total LAG: {}", g.lag))}
            </p>
            <ResetOffsetsForm group=id.clone() />
            <KeyedList each=move || consumers.get() key=|c| c.clone() let(c)>
                <ConsumerCard id=c />
            </KeyedList>
        </article>
    }
}

#[component]
fn ConsumerCard(id: String) -> impl IntoView {
    let pg = use_playground();
    let error = RwSignal::new(None::<FieldError>);
    let consumer = {
        let id = id.clone();
        memo(move || {
            pg.view
                .with(|v| v.consumers.iter().find(|c| c.id == id).cloned())
        })
    };
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
    view! {
        <div class="consumer" data-testid="consumer" data-consumer=id.clone()>
            <h4>
                {id.clone()} " "
                <small>{field(|c| c.member_id.clone().map_or_else(|| "not a member yet".to_owned(), |m| format!("member {m}")))}</small>
                " "
                <span class="tag" data-testid="consumer-membership" title="its membership as the client sees it (KIP-848 MemberState)" hidden=move || consumer.with(|c| c.as_ref().is_none_or(|c| c.membership.is_none()))>
                    {field(|c| c.membership.map(|m| m.to_string()).unwrap_or_default())}
                </span>
                <span class="tag" hidden=move || consumer.with(|c| c.as_ref().is_none_or(|c| !c.busy))>"processing"</span>
            </h4>
            <p class="settings">
                <code>{field(|c| c.subscription.clone())}</code>
                " "
                <code>{field(|c| format!("partition.assignment.strategy={}", c.strategy))}</code>
                <span hidden=move || consumer.with(|c| c.as_ref().is_none_or(|c| c.instance_id.is_none()))>
                    " " <code data-testid="consumer-instance">{field(|c| format!("group.instance.id={}", c.instance_id.clone().unwrap_or_default()))}</code>
                </span>
                " "
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
                " "
                <code>{field(|c| format!("isolation.level={}", c.isolation_level))}</code>
                " "
                <code>{field(|c| format!("processing: {} ms/record", c.processing_ms_per_record))}</code>
            </p>
            <p class="explain">
                "position: the next offset this consumer reads. records-lag (the consumer's own metric) = high watermark − position: "
                "what it has still to read. The group's LAG counts from the committed offset instead, so it is larger until the consumer commits."
            </p>
            <table class="offsets">
                <thead>
                    <tr>
                        <th scope="col">"partition"</th>
                        <th scope="col">"position"</th>
                        <th scope="col">"committed"</th>
                        <th scope="col">"records-lag"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        consumer.with(|c| {
                            c.iter()
                                .flat_map(|c| c.partitions.iter().cloned())
                                .map(|row| {
                                    view! {
                                        <tr data-testid="consumer-row" data-topic=row.topic.clone() data-partition=row.partition>
                                            <td>{format!("{}-{}", row.topic, row.partition)}</td>
                                            <td data-testid="position">{maybe_offset(row.position.map(|o| o.0))}</td>
                                            <td data-testid="committed">{maybe_offset(row.committed.map(|o| o.0))}</td>
                                            <td data-testid="lag">{maybe_offset(row.lag)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        })
                    }}
                </tbody>
            </table>
            <div class="buttons">
                <button data-testid="poll" on:click=send(|consumer| Command::Poll { consumer })>"Poll"</button>
                <button data-testid="commit" on:click=send(|consumer| Command::Commit { consumer })>"Commit"</button>
                <button data-testid="close-consumer" title="close(): commit, leave the group (a static member keeps its place), stop" on:click=send(|consumer| Command::CloseConsumer { consumer })>
                    "Close"
                </button>
                <button data-testid="restart-consumer" title="The process restarts: close(), then the same consumer starts again (a static member keeps its partitions, no rebalance)" on:click=send(|consumer| Command::RestartConsumer { consumer })>
                    "Restart"
                </button>
                <button data-testid="crash-consumer" title="The process dies: no commit, no goodbye" on:click=send(|consumer| Command::CrashConsumer { consumer })>
                    "Crash"
                </button>
            </div>
            <p class="form-error" role="alert" hidden=move || consumer.with(|c| c.as_ref().is_none_or(|c| c.failed.is_none()))>
                {field(|c| c.failed.clone().unwrap_or_default())}
            </p>
            <FormError error testid="consumer-error" />
        </div>
    }
}
