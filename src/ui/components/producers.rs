//! A producer in detail (the Inspector's): its settings, the records waiting in its batches per
//! partition, requests in flight, what became of what it sent, its generators and its
//! transaction, with its buttons.

use crate::ui::components::form_error::FormError;
use crate::ui::components::keyed_list::KeyedList;
use crate::ui::playground::use_playground;
use crate::ui::reactive::memo;
use kafka_sim::forms::FieldError;
use kafka_sim::sim::Command;
use kafka_sim::sim::view::ProducerView;
use leptos::prelude::*;

/// One producer. The card stays while the producer does and only its numbers change, so a
/// button is never replaced under the pointer.
#[component]
pub fn ProducerCard(id: String) -> impl IntoView {
    let pg = use_playground();
    // A refused button (say, Commit with no open transaction) explains itself here.
    let error = RwSignal::new(None::<FieldError>);
    let producer = {
        let id = id.clone();
        memo(move || {
            pg.view
                .with(|v| v.producers.iter().find(|p| p.id == id).cloned())
        })
    };
    let field = move |f: fn(&ProducerView) -> String| {
        move || producer.with(|p| p.as_ref().map(f).unwrap_or_default())
    };
    let send = move |command: Command| error.set(pg.apply(command).err().map(FieldError::from));
    let generators = memo(move || {
        producer.with(|p| p.as_ref().map(|p| p.generators.clone()).unwrap_or_default())
    });
    let transactional =
        producer.with_untracked(|p| p.as_ref().and_then(|p| p.transactional_id.clone()));
    let flush = {
        let producer = id.clone();
        move |_| {
            send(Command::Flush {
                producer: producer.clone(),
            })
        }
    };
    let transaction_buttons = {
        let id = id.clone();
        transactional.map(|tx| {
            let command = move |make: fn(String) -> Command| {
                let producer = id.clone();
                move |_| send(make(producer.clone()))
            };
            view! {
                <span class="transaction" data-testid="transaction-state" title=format!("transactional.id={tx}")>
                    {field(|p| p.transaction.to_owned())}
                </span>
                <button data-testid="begin-transaction" on:click=command(|producer| Command::BeginTransaction { producer })>"Begin"</button>
                <button data-testid="commit-transaction" on:click=command(|producer| Command::CommitTransaction { producer })>"Commit"</button>
                <button data-testid="abort-transaction" on:click=command(|producer| Command::AbortTransaction { producer })>"Abort"</button>
            }
        })
    };
    view! {
        <article class="producer" data-testid="producer" data-producer=id.clone()>
            <h3>{id.clone()}</h3>
            <p class="settings">
                <code>{field(|p| format!("acks={}", p.acks))}</code>
                " "
                <code>{field(|p| format!("linger.ms={}", p.linger_ms))}</code>
                " "
                <code>{field(|p| format!("batch.size={}", p.batch_size))}</code>
                " "
                <code>{field(|p| format!("enable.idempotence={}", p.enable_idempotence))}</code>
                " "
                <code>{field(|p| format!("partitioner: {}", p.partitioner))}</code>
                " "
                <code data-testid="producer-epoch">{field(|p| p.producer_id.clone().unwrap_or_default())}</code>
            </p>
            <p class="buffered" data-testid="buffered">
                {field(|p| {
                    let waiting = if p.buffered.is_empty() {
                        "No records waiting in batches.".to_owned()
                    } else {
                        let waiting: Vec<String> = p
                            .buffered
                            .iter()
                            .map(|(partition, n)| format!("{partition}: {n}"))
                            .collect();
                        format!("Waiting in batches: {}", waiting.join(", "))
                    };
                    format!("{waiting} · requests in flight: {}", p.in_flight_requests)
                })}
            </p>
            <dl class="stats">
                <div><dt>"sent"</dt><dd data-testid="sent">{field(|p| p.stats.sent.to_string())}</dd></div>
                <div><dt>"acknowledged"</dt><dd data-testid="acknowledged">{field(|p| p.stats.acknowledged.to_string())}</dd></div>
                <div><dt>"retries"</dt><dd>{field(|p| p.stats.retries.to_string())}</dd></div>
                <div><dt>"failed"</dt><dd data-testid="failed">{field(|p| p.stats.failed.to_string())}</dd></div>
                <div><dt>"duplicates avoided"</dt><dd>{field(|p| p.stats.duplicates_avoided.to_string())}</dd></div>
                <div><dt>"lost (acks=0)"</dt><dd>{field(|p| p.stats.lost_unacknowledged.to_string())}</dd></div>
            </dl>
            <ul class="generators" aria-label="Generators">
                <KeyedList each=move || generators.get() key=|g| g.clone() let(g)>
                    <li data-testid="generator" data-generator=g.id.clone()>
                        {format!("sending {}/s to {} ({})", g.rate_per_sec, g.topic, g.keys)}
                        " "
                        <button data-testid="stop-generator" on:click={
                            let generator = g.id.clone();
                            move |_| send(Command::StopGenerator { generator: generator.clone() })
                        }>
                            "Stop"
                        </button>
                    </li>
                </KeyedList>
            </ul>
            <div class="buttons">
                <button data-testid="flush" title="producer.flush(): send every batch now, whatever linger.ms says" on:click=flush>
                    "Flush"
                </button>
                {transaction_buttons}
            </div>
            <FormError error testid="producers-error" />
        </article>
    }
}
