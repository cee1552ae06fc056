//! The lesson being followed: its steps one at a time (the caption, the panel it points at made
//! to stand out, "Do it" to run the step's console lines in the console, what to try), then its
//! exercises, each checked live on the simulation: ✓ appears the moment its goal holds. Hints
//! come one at a time; the solution on request.
//!
//! Each part reads only the part of the attempt it shows (memos), so that a hint or a solved
//! exercise redraws that part alone and the button just clicked keeps the focus.

use crate::ui::playground::use_playground;
use crate::ui::reactive::memo;
use crate::ui::session::{do_step, note_progress, point_at_step, run_lines};
use leptos::prelude::*;

#[component]
pub fn LessonView() -> impl IntoView {
    let pg = use_playground();
    let attempt = pg.lesson;
    let title = memo(move || {
        attempt.with(|a| {
            a.as_ref().map(|a| {
                let source = if a.file.is_some() {
                    "Your lesson file".to_owned()
                } else {
                    a.lesson.guide.clone()
                };
                (source, a.lesson.title.clone())
            })
        })
    });
    let steps = memo(move || attempt.with(|a| a.as_ref().map_or(0, |a| a.lesson.steps.len())));
    let at = memo(move || attempt.with(|a| a.as_ref().map_or(0, |a| a.step)));
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
        point_at_step(pg);
    };
    let at_exercises = memo(move || at.get() >= steps.get());
    view! {
        <article class="lesson" data-testid="lesson">
            <div class="lesson-head">
                <div>
                    <small>{move || title.with(|t| t.as_ref().map(|t| t.0.clone()))}</small>
                    <h2 data-testid="lesson-title">{move || title.with(|t| t.as_ref().map(|t| t.1.clone()))}</h2>
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
                    let total = steps.get();
                    (0..=total)
                        .map(|n| {
                            let label = if n == total { "Exercises".to_owned() } else { format!("Step {}", n + 1) };
                            view! {
                                <li>
                                    <button
                                        class="dot"
                                        aria-current=move || (at.get() == n).then_some("step")
                                        aria-label=label.clone()
                                        title=label
                                        data-testid=format!("step-dot-{}", n + 1)
                                        on:click=move |_| go(n)
                                    >
                                        {if n == total { "✎".to_owned() } else { (n + 1).to_string() }}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            {move || {
                if at_exercises.get() {
                    view! { <Exercises /> }.into_any()
                } else {
                    view! { <StepCard go /> }.into_any()
                }
            }}
        </article>
    }
}

#[component]
fn StepCard(go: impl Fn(usize) + Copy + Send + Sync + 'static) -> impl IntoView {
    let pg = use_playground();
    let attempt = pg.lesson;
    let step = memo(move || {
        attempt.with(|a| {
            a.as_ref().and_then(|a| {
                let s = a.lesson.steps.get(a.step)?;
                Some((a.step, a.lesson.steps.len(), s.clone()))
            })
        })
    });
    let done = memo(move || {
        attempt.with(|a| {
            a.as_ref()
                .is_none_or(|a| a.done.get(a.step) != Some(&false))
        })
    });
    move || {
        step.get().map(|(n, total, step)| {
            let has_lines = !step.actions.is_empty();
            let point = step.point.clone().map(|p| match p.as_str() {
                "forms" => "the Actions tab".to_owned(),
                "charts" | "events" => format!("the {p} in the dock"),
                other => format!("the {other}"),
            });
            // Moving on runs the step's lines first if they were not: the next steps expect
            // what they did.
            let next = move |_| {
                do_step(pg, n);
                go(n + 1);
            };
            view! {
                <section class="step" data-testid="lesson-step" data-step=n + 1>
                    <h3>{format!("Step {} of {total}", n + 1)}</h3>
                    <p class="step-caption" data-testid="step-caption">{step.caption.clone()}</p>
                    {point.map(|p| view! { <p class="hint">"Look at " {p} "."</p> })}
                    {has_lines.then(|| {
                        let lines = step.actions.join("\n");
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
                        {has_lines.then(|| view! {
                            <button
                                class="small primary"
                                data-testid="do-it"
                                title="Run this step's commands in the console"
                                disabled=move || done.get()
                                on:click=move |_| do_step(pg, n)
                            >
                                {move || if done.get() { "✓ Done" } else { "Do it" }}
                            </button>
                        })}
                        <button class="small" data-testid="step-next" on:click=next>
                            {move || {
                                let last = n + 1 == total;
                                match (done.get(), last) {
                                    (true, false) => "Next →",
                                    (true, true) => "Exercises →",
                                    (false, false) => "Do it, then next →",
                                    (false, true) => "Do it, then the exercises →",
                                }
                            }}
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
    let count = pg
        .lesson
        .with_untracked(|a| a.as_ref().map_or(0, |a| a.lesson.exercises.len()));
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
    let task = memo(move || {
        attempt.with(|a| {
            a.as_ref()
                .and_then(|a| a.lesson.exercises.get(n))
                .map(|e| e.task.clone())
                .unwrap_or_default()
        })
    });
    let solved =
        memo(move || attempt.with(|a| a.as_ref().is_some_and(|a| a.solved.get(n) == Some(&true))));
    let hints = memo(move || {
        attempt.with(|a| {
            a.as_ref()
                .and_then(|a| {
                    let e = a.lesson.exercises.get(n)?;
                    let shown = a.hints_shown.get(n).copied().unwrap_or(0);
                    Some((e.hints[..shown.min(e.hints.len())].to_vec(), e.hints.len()))
                })
                .unwrap_or_default()
        })
    });
    let solution = memo(move || {
        attempt.with(|a| {
            a.as_ref()
                .filter(|a| a.solution_shown.get(n) == Some(&true))
                .and_then(|a| a.lesson.exercises.get(n))
                .map(|e| e.solution.clone())
        })
    });
    let more_hints = move || hints.with(|(shown, total)| shown.len() < *total);
    view! {
        <div class="exercise" class:solved=solved data-testid=format!("exercise-{}", n + 1) data-solved=move || solved.get().to_string()>
            <p class="status" data-testid=format!("exercise-status-{}", n + 1) aria-live="polite">
                {move || if solved.get() { "✓ Solved" } else { "○ Not yet" }}
            </p>
            <p class="task">{task}</p>
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
                        <button class="small" data-testid=format!("run-solution-{}", n + 1) on:click=move |_| run_lines(pg, &lines)>
                            "Run it in the console"
                        </button>
                    </div>
                }
            })}
        </div>
    }
}
