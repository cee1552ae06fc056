//! Each producer: its settings, the records waiting in its batches per partition, requests in
//! flight, and what became of what it sent.

use crate::ui::playground::use_playground;
use leptos::prelude::*;

#[component]
pub fn Producers() -> impl IntoView {
    let pg = use_playground();
    let producers = Memo::new(move |_| pg.view.with(|v| v.producers.clone()));
    view! {
        <section class="panel producers" aria-label="Producers">
            <h2>"Producers"</h2>
            <For each=move || producers.get() key=|p| p.clone() let(p)>
                <article class="producer" data-testid="producer" data-producer=p.id.clone()>
                    <h3>{p.id.clone()}</h3>
                    <p class="settings">
                        <code>{format!("acks={}", p.acks)}</code>
                        " "
                        <code>{format!("linger.ms={}", p.linger_ms)}</code>
                        " "
                        <code>{format!("batch.size={}", p.batch_size)}</code>
                        " "
                        <code>{format!("enable.idempotence={}", p.enable_idempotence)}</code>
                        " "
                        <code>{format!("partitioner: {}", p.partitioner)}</code>
                    </p>
                    <p class="buffered" data-testid="buffered">
                        {if p.buffered.is_empty() {
                            "No records waiting in batches.".to_owned()
                        } else {
                            let waiting: Vec<String> = p
                                .buffered
                                .iter()
                                .map(|(partition, n)| format!("{partition}: {n}"))
                                .collect();
                            format!("Waiting in batches: {}", waiting.join(", "))
                        }}
                        {format!(" · requests in flight: {}", p.in_flight_requests)}
                    </p>
                    <dl class="stats">
                        <div><dt>"sent"</dt><dd data-testid="sent">{p.stats.sent}</dd></div>
                        <div><dt>"acknowledged"</dt><dd data-testid="acknowledged">{p.stats.acknowledged}</dd></div>
                        <div><dt>"retries"</dt><dd>{p.stats.retries}</dd></div>
                        <div><dt>"failed"</dt><dd data-testid="failed">{p.stats.failed}</dd></div>
                        <div><dt>"duplicates avoided"</dt><dd>{p.stats.duplicates_avoided}</dd></div>
                        <div><dt>"lost (acks=0)"</dt><dd>{p.stats.lost_unacknowledged}</dd></div>
                    </dl>
                </article>
            </For>
        </section>
    }
}
