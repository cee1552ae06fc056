//! The lesson being followed: its steps one at a time (the caption, the panel it points at made
//! to stand out, "Do it" to run the step's console lines in the console, what to try), then its
//! exercises, each checked live on the simulation: ✓ appears the moment its goal holds. Hints
//! come one at a time; the solution on request.

use crate::lesson::attempt::Attempt;
use crate::ui::layout::DockTab;
use crate::ui::playground::use_playground;
use crate::ui::session::{do_step, note_progress};
use leptos::prelude::*;

#[component]
pub fn LessonView() -> impl IntoView {
    let pg = use_playground();
    let attempt = pg.lesson;
    let read = move |f: fn(&Attempt) -> String| {
        move || attempt.with(|a| a.as_ref().map(f).unwrap_or_default())
    };
    let steps = move || attempt.with(|a| a.as_ref().map_or(0, |a| a.lesson.steps.len()));
    let at = move || attempt.with(|a| a.as_ref().map_or(0, |a| a.step));
    let go = move |step: usize| {
        attempt.update(|a| {
            if let Some(a) = a {
                a.go_to(step);
            }
        });
        let (id, shown) = attempt.with_untracked(|a| {
            a.as_ref()
                .map(|a| (a.lesson.id.clone(), a.step as u32 + 1))
                .unwrap_or_default()
        });
        note_progress(pg, |p| p.saw_step(&id, shown));
        // A caption about the charts or the events shows them.
        let point = attempt.with_untracked(|a| {
            a.as_ref()
                .and_then(|a| a.lesson.steps.get(a.step))
                .and_then(|s| s.point.clone())
        });
        match point.as_deref() {
            Some("charts") => pg.layout.update(|l| l.show_dock(DockTab::Charts)),
            Some("events") => pg.layout.update(|l| l.show_dock(DockTab::Events)),
            Some(panel) => scroll_to(panel),
            None => {}
        }
    };
    let custom = move || attempt.with(|a| a.as_ref().is_some_and(|a| a.file.is_some()));
    view! {
        <article class="lesson" data-testid="lesson">
            <div class="lesson-head">
                <div>
                    <small>{move || if custom() { "Your lesson file".to_owned() } else { read(|a| a.lesson.guide.clone())() }}</small>
                    <h2 data-testid="lesson-title">{read(|a| a.lesson.title.clone())}</h2>
                </div>
                <button
                    class="small"
                    data-testid="lesson-leave"
                    title="Back to the list of lessons; the playground stays as it is"
                    on:click=move |_| attempt.set(None)
                >
                    "All lessons"
                </button>
            </div>
            <ol class="step-dots" aria-label="Steps">
                {move || {
                    (0..=steps())
                        .map(|n| {
                            let label = if n == steps() { "Exercises".to_owned() } else { format!("Step {}", n + 1) };
                            view! {
                                <li>
                                    <button
                                        class="dot"
                                        aria-current=move || (at() == n).then_some("step")
                                        aria-label=label.clone()
                                        title=label
                                        data-testid=format!("step-dot-{}", n + 1)
                                        on:click=move |_| go(n)
                                    >
                                        {if n == steps() { "✎".to_owned() } else { (n + 1).to_string() }}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            {move || {
                if attempt.with(|a| a.as_ref().is_some_and(Attempt::at_exercises)) {
                    view! { <Exercises /> }.into_any()
                } else {
                    view! { <StepCard go /> }.into_any()
                }
            }}
        </article>
    }
}

/// Brings a panel of the playground into view.
fn scroll_to(panel: &str) {
    if let Ok(Some(element)) = document().query_selector(&format!(".stage .{panel}")) {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        element.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

#[component]
fn StepCard(go: impl Fn(usize) + Copy + Send + Sync + 'static) -> impl IntoView {
    let pg = use_playground();
    let attempt = pg.lesson;
    let step = Memo::new(move |_| {
        attempt.with(|a| {
            a.as_ref().and_then(|a| {
                a.lesson
                    .steps
                    .get(a.step)
                    .cloned()
                    .map(|s| (a.step, a.lesson.steps.len(), s))
            })
        })
    });
    move || {
        step.get().map(|(n, total, step)| {
            let actions = step.actions.clone();
            let has_actions = !actions.is_empty();
            let point = step.point.clone().map(|p| match p.as_str() {
                "forms" => "the Actions tab".to_owned(),
                "charts" | "events" => format!("the {p} in the dock"),
                other => format!("the {other}"),
            });
            view! {
                <section class="step" data-testid="lesson-step" data-step=n + 1>
                    <h3>{format!("Step {} of {total}", n + 1)}</h3>
                    <p class="caption" data-testid="step-caption">{step.caption.clone()}</p>
                    {point.map(|p| view! { <p class="hint">"Look at " {p} "."</p> })}
                    {has_actions.then(|| {
                        let lines = actions.join("\n");
                        view! {
                            <details class="step-lines">
                                <summary>"What “Do it” types in the console"</summary>
                                <pre>{lines}</pre>
                            </details>
                        }
                    })}
                    {step.ask.clone().map(|ask| view! { <p class="ask" data-testid="step-ask"><strong>"Your turn: "</strong>{ask}</p> })}
                    <div class="buttons">
                        <button class="small" data-testid="step-prev" disabled=n == 0 on:click=move |_| go(n.saturating_sub(1))>
                            "← Back"
                        </button>
                        {has_actions.then(|| {
                            let actions = actions.clone();
                            view! {
                                <button class="small primary" data-testid="do-it" title="Run this step's commands in the console" on:click=move |_| do_step(pg, &actions)>
                                    "Do it"
                                </button>
                            }
                        })}
                        <button class="small" data-testid="step-next" on:click=move |_| go(n + 1)>
                            {if n + 1 == total { "Exercises →" } else { "Next →" }}
                        </button>
                    </div>
                </section>
            }
        })
    }
}

#[component]
fn Exercises() -> impl IntoView {
    let pg = use_playground();
    let attempt = pg.lesson;
    let count = attempt.with_untracked(|a| a.as_ref().map_or(0, |a| a.lesson.exercises.len()));
    view! {
        <section class="exercises" data-testid="exercises">
            <h3>"Exercises"</h3>
            <p class="hint">"Do them with the forms, the console or both: the playground checks each goal as the cluster runs."</p>
            {(0..count).map(|n| view! { <ExerciseCard n /> }).collect_view()}
        </section>
    }
}

#[component]
fn ExerciseCard(n: usize) -> impl IntoView {
    let pg = use_playground();
    let attempt = pg.lesson;
    let read = move |f: fn(&Attempt, usize) -> String| {
        move || attempt.with(|a| a.as_ref().map(|a| f(a, n)).unwrap_or_default())
    };
    let solved =
        move || attempt.with(|a| a.as_ref().is_some_and(|a| a.solved.get(n) == Some(&true)));
    let hints = Memo::new(move |_| {
        attempt.with(|a| {
            a.as_ref()
                .and_then(|a| {
                    let e = a.lesson.exercises.get(n)?;
                    Some((e.hints[..a.hints_shown[n]].to_vec(), e.hints.len()))
                })
                .unwrap_or_default()
        })
    });
    let solution = Memo::new(move |_| {
        attempt.with(|a| {
            a.as_ref()
                .filter(|a| a.solution_shown.get(n) == Some(&true))
                .and_then(|a| a.lesson.exercises.get(n))
                .map(|e| e.solution.clone())
        })
    });
    let more_hints = move || hints.with(|(shown, total)| shown.len() < *total);
    view! {
        <div class="exercise" class:solved=solved data-testid=format!("exercise-{}", n + 1) data-solved=move || solved().to_string()>
            <p class="task">
                <span class="status" data-testid=format!("exercise-status-{}", n + 1) aria-live="polite">
                    {move || if solved() { "✓ Solved" } else { "○ Not yet" }}
                </span>
                " "
                {read(|a, n| a.lesson.exercises[n].task.clone())}
            </p>
            <ol class="hints">
                {move || hints.with(|(shown, _)| shown.iter().map(|h| view! { <li data-testid="hint">{h.clone()}</li> }).collect_view())}
            </ol>
            <div class="buttons">
                <button
                    class="small"
                    data-testid=format!("hint-{}", n + 1)
                    disabled=move || !more_hints()
                    on:click=move |_| attempt.update(|a| if let Some(a) = a { a.next_hint(n) })
                >
                    {move || if hints.with(|(shown, _)| shown.is_empty()) { "A hint" } else { "Another hint" }}
                </button>
                <button
                    class="small"
                    data-testid=format!("solution-{}", n + 1)
                    disabled=move || solution.with(Option::is_some)
                    on:click=move |_| attempt.update(|a| if let Some(a) = a { a.show_solution(n) })
                >
                    "Show the solution"
                </button>
            </div>
            {move || solution.get().map(|lines| {
                let text = lines.join("\n");
                view! {
                    <div class="solution" data-testid=format!("solution-lines-{}", n + 1)>
                        <pre>{text}</pre>
                        <button class="small" data-testid=format!("run-solution-{}", n + 1) on:click=move |_| do_step(pg, &lines)>
                            "Run it in the console"
                        </button>
                    </div>
                }
            })}
        </div>
    }
}
