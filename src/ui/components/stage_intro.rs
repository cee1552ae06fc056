//! The top of the stage: which scenario runs (a picker to start another), what to try first in
//! it, and a glossary of the stage's words that opens by touch as well as by mouse.

use crate::ui::intro::{GLOSSARY, SCENARIO_INTROS, scenario_intro};
use crate::ui::playground::use_playground;
use crate::ui::reactive::memo;
use crate::ui::session;
use kafka_sim::sim::scenario::Scenario;
use leptos::prelude::*;

#[component]
pub fn StageIntro() -> impl IntoView {
    let pg = use_playground();
    // The scenario's name, if the playground started from one of the named ones unchanged.
    let current = memo(move || {
        pg.scenario.with(|s| {
            SCENARIO_INTROS
                .iter()
                .find(|intro| Scenario::named(intro.name).as_ref() == Some(s))
                .map(|intro| intro.name)
        })
    });
    let in_lesson = move || pg.lesson.with(Option::is_some);
    view! {
        <section class="stage-intro" aria-label="Scenario">
            <label class="scenario-picker">
                "Scenario "
                <select
                    data-testid="scenario-picker"
                    on:change=move |ev| {
                        let name = event_target_value(&ev);
                        if let Err(message) = session::open_scenario(pg, &name, &format!("Scenario {name}, from the picker")) {
                            session::refused(pg, &message);
                        }
                    }
                >
                    <option value="" disabled=true selected=move || current.get().is_none()>
                        {move || if in_lesson() { "a lesson's cluster" } else { "your own (a link or a file)" }}
                    </option>
                    {SCENARIO_INTROS
                        .iter()
                        .map(|intro| {
                            view! {
                                <option value=intro.name selected=move || current.get() == Some(intro.name)>
                                    {intro.label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <p class="try-first" data-testid="try-first" hidden=move || current.get().is_none() || in_lesson()>
                {move || current.get().and_then(scenario_intro).map(|intro| intro.try_first)}
            </p>
            <details class="glossary" data-testid="glossary">
                <summary>"Words on the stage"</summary>
                <dl>
                    {GLOSSARY
                        .iter()
                        .map(|(term, meaning)| view! { <dt>{*term}</dt><dd>{*meaning}</dd> })
                        .collect_view()}
                </dl>
            </details>
        </section>
    }
}
