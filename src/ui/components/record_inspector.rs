//! A record in the Inspector: click a record in a partition log (or its token on its way) to see
//! its key, value, timestamp, producer, replication and transaction state, and why it is in its
//! partition.

use crate::ui::inspect::rows;
use crate::ui::playground::{RecordRef, use_playground};
use crate::ui::reactive::memo;
use leptos::prelude::*;

#[component]
pub fn RecordInspector(record: RecordRef) -> impl IntoView {
    let pg = use_playground();
    let title = format!(
        "Record {}-{} @ offset {}",
        record.topic, record.partition, record.offset
    );
    // Re-read on every change of the cluster: the record may get replicated, aborted or removed.
    let detail = memo(move || {
        pg.view.track();
        pg.timeline.with_untracked(|t| {
            t.sim()
                .record_detail(&record.topic, record.partition, record.offset)
        })
    });
    view! {
        <article class="inspector" data-testid="inspector" aria-label="Record inspector" aria-live="polite">
            <h2>{title}</h2>
            {move || {
                detail.with(|d| match d {
                    Some(detail) => {
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
                    None => {
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
    }
}
