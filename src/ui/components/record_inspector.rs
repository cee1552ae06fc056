//! The record inspector, the side panel's Inspector tab: click a record in a partition log to
//! see its key, value, timestamp, producer, replication and transaction state, and why it is in
//! its partition.

use crate::ui::inspect::rows;
use crate::ui::playground::use_playground;
use leptos::prelude::*;

#[component]
pub fn RecordInspector() -> impl IntoView {
    let pg = use_playground();
    // Re-read on every change of the cluster: the record may get replicated, aborted or removed.
    let detail = Memo::new(move |_| {
        let selected = pg.selected.get()?;
        pg.view.track();
        let detail = pg.timeline.with_untracked(|t| {
            t.sim()
                .record_detail(&selected.topic, selected.partition, selected.offset)
        });
        Some((selected, detail))
    });
    let close = move |_| pg.selected.set(None);
    view! {
        <p class="hint" hidden=move || detail.with(Option::is_some) data-testid="inspector-empty">
            "Click a record in a partition's log (or focus it and press Enter) to see its key, value, where it was written and why it went to its partition."
        </p>
        <Show when=move || detail.with(Option::is_some)>
            <article class="inspector" data-testid="inspector" aria-label="Record inspector" aria-live="polite">
                <div class="inspector-head">
                    <h2>
                        "Record "
                        {move || {
                            detail.with(|d| {
                                d.as_ref().map(|(r, _)| format!("{}-{} @ offset {}", r.topic, r.partition, r.offset))
                            })
                        }}
                    </h2>
                    <button data-testid="inspector-close" aria-label="Close the record inspector" on:click=close>
                        "×"
                    </button>
                </div>
                {move || {
                    detail.with(|d| match d {
                        Some((_, Some(detail))) => {
                            view! {
                                <dl class="inspector-rows">
                                    {rows(detail)
                                        .into_iter()
                                        .map(|(label, text)| {
                                            view! {
                                                <dt>{label}</dt>
                                                <dd data-testid=format!("inspect-{}", label.replace(' ', "-"))>{text}</dd>
                                            }
                                        })
                                        .collect_view()}
                                </dl>
                            }
                                .into_any()
                        }
                        _ => {
                            view! {
                                <p data-testid="inspect-gone">
                                    "No record has this offset at this moment: it is not written yet (after a step back), or retention deleted its segment, the log cleaner compacted it away or an election truncated it (the event log says which)."
                                </p>
                            }
                                .into_any()
                        }
                    })
                }}
            </article>
        </Show>
    }
}
