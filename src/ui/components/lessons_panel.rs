//! The Lessons tab: every lesson by the guide's section with the learner's progress, or the
//! lesson being followed (its steps and exercises, `lesson_view`). A teacher's own `.lesson`
//! file opens from here or by dropping it on the page.

use crate::ui::browser::{self, Store};
use crate::ui::components::lesson_view::LessonView;
use crate::ui::components::page_menu::open_chosen_file;
use crate::ui::playground::use_playground;
use crate::ui::reactive::memo;
use crate::ui::session::{self, PROGRESS_KEY};
use kafka_sim::lesson::goal::GOAL_FORMS;
use kafka_sim::lesson::{GUIDE_SECTIONS, LESSON_FILES, LESSON_SCENARIOS, Lesson, PANELS};
use leptos::html::Input;
use leptos::prelude::*;

#[component]
pub fn LessonsPanel() -> impl IntoView {
    let pg = use_playground();
    // Only a lesson started or left redraws the tab, not every change to the attempt.
    let following = memo(move || pg.lesson.with(Option::is_some));
    view! {
        {move || {
            if following.get() {
                view! { <LessonView /> }.into_any()
            } else {
                view! { <LessonList /> }.into_any()
            }
        }}
    }
}

#[component]
fn LessonList() -> impl IntoView {
    let pg = use_playground();
    let file = NodeRef::<Input>::new();
    // Parsed once: the lesson files are compiled in and tested.
    let lessons: Vec<Lesson> = LESSON_FILES
        .iter()
        .filter_map(|(id, text)| Lesson::parse(id, text).ok())
        .collect();
    let section_of = |lesson: &Lesson| {
        GUIDE_SECTIONS
            .iter()
            .position(|s| *s == lesson.guide)
            .unwrap_or(GUIDE_SECTIONS.len())
    };
    // In the guide's order, then the lessons beyond it (a filter per section, not a sort).
    let rows = (0..=GUIDE_SECTIONS.len())
        .flat_map(|section| lessons.iter().filter(move |l| section_of(l) == section))
        .map(|lesson| {
            let id = lesson.id.clone();
            let steps = lesson.steps.len();
            let exercises = lesson.exercises.len();
            let progress = {
                let id = id.clone();
                move || pg.progress.with(|p| p.of(&id))
            };
            let status = {
                let progress = progress.clone();
                move || {
                    let p = progress();
                    format!(
                        "{} of {} seen · {} of {} solved",
                        (p.step as usize).min(steps),
                        counted(steps, "step"),
                        p.solved.len().min(exercises),
                        counted(exercises, "exercise")
                    )
                }
            };
            let started = {
                let progress = progress.clone();
                move || progress().step > 0
            };
            let done = move || progress().solved.len() >= exercises;
            let beyond = section_of(lesson) == GUIDE_SECTIONS.len();
            let start = {
                let lesson = lesson.clone();
                move |_| {
                    if let Err(message) = session::start_lesson(pg, lesson.clone(), None, None) {
                        session::refused(pg, &message);
                    }
                }
            };
            view! {
                <li class="lesson-row" data-testid=format!("lesson-{id}")>
                    <div>
                        <small>{if beyond { "Beyond the basics".to_owned() } else { lesson.guide.clone() }}</small>
                        <h3>{lesson.title.clone()}</h3>
                        <p class="hint" data-testid=format!("lesson-progress-{id}")>
                            <span class="done" hidden=move || !done()>"✓ "</span>
                            {status}
                        </p>
                    </div>
                    <button data-testid=format!("lesson-start-{id}") on:click=start>
                        {move || if started() { "Start again" } else { "Start" }}
                    </button>
                </li>
            }
        })
        .collect_view();
    let reset_progress = move |_| {
        let sure = window()
            .confirm_with_message("Forget which steps you saw and which exercises you solved?")
            .unwrap_or(false);
        if sure {
            pg.progress.set(Default::default());
            browser::forget(Store::Local, PROGRESS_KEY);
        }
    };
    view! {
        <div class="lessons">
            <p class="hint">
                "Lessons follow the guide, section by section. Each starts a playground of its own, walks you through it, and ends with exercises the playground checks by itself."
            </p>
            {move || {
                pg.lesson_file.get().map(|(name, text)| {
                    let title = Lesson::from_file(&name, &text).map(|l| l.title).unwrap_or_default();
                    let again = move |_| {
                        let opened = Lesson::from_file(&name, &text).and_then(|lesson| {
                            session::start_lesson(pg, lesson, Some((name.clone(), text.clone())), None)
                        });
                        if let Err(message) = opened {
                            session::refused(pg, &message);
                        }
                    };
                    view! {
                        <div class="lesson-row" data-testid="lesson-own">
                            <div>
                                <small>"Your lesson file"</small>
                                <h3>{title}</h3>
                            </div>
                            <button data-testid="lesson-start-own" on:click=again>"Start again"</button>
                        </div>
                    }
                })
            }}
            <ol class="lesson-list">{rows}</ol>
            <div class="buttons">
                <button
                    data-testid="lesson-open-file"
                    title="A lesson file of your own (.lesson): the same format as the lessons here"
                    on:click=move |_| {
                        if let Some(input) = file.get_untracked() {
                            input.click();
                        }
                    }
                >
                    "Open a lesson file…"
                </button>
                <button data-testid="progress-reset" title="Forget which steps you saw and which exercises you solved" on:click=reset_progress>
                    "Reset progress"
                </button>
            </div>
            <input
                type="file"
                class="visually-hidden"
                accept=".lesson,text/plain"
                data-testid="lesson-file"
                tabindex="-1"
                aria-hidden="true"
                node_ref=file
                on:change=move |_| {
                    let Some(input) = file.get_untracked() else { return };
                    if let Some(chosen) = input.files().and_then(|f| f.get(0)) {
                        input.set_value("");
                        open_chosen_file(pg, chosen);
                    }
                }
            />
            <p class="hint">"You can also drop a .lesson file (or a saved playground) anywhere on the page."</p>
            <details class="lesson-format">
                <summary>"Writing a lesson file"</summary>
                <p>
                    "Plain text, one " <code>"key: value"</code> " a line (" <code>"#"</code>
                    " starts a comment): " <code>"title"</code> ", " <code>"guide"</code> ", "
                    <code>"scenario"</code> " (" {LESSON_SCENARIOS.join(", ")} "), "
                    <code>"setup"</code> " lines, then steps (" <code>"step"</code> " with its "
                    <code>"point"</code> " (" {PANELS.join(", ")} "), " <code>"do"</code> " lines and "
                    <code>"ask"</code> "), then exercises (" <code>"exercise"</code> " with its "
                    <code>"goal"</code> ", " <code>"hint"</code> " lines and " <code>"solution"</code>
                    " lines). " <code>"do"</code> ", " <code>"setup"</code> " and " <code>"solution"</code>
                    " lines are console lines."
                </p>
                <p>"Goals: " {GOAL_FORMS}</p>
                <pre>{LESSON_FILES[0].1}</pre>
            </details>
        </div>
    }
}

/// "1 step", "4 steps".
fn counted(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}
