//! What the page does with whole playgrounds: open a shared link or file, start a lesson (one of
//! ours or a teacher's file), and keep the learner's work in the tab's session storage so that a
//! reload, also the error screen's, comes back to it. Whatever cannot be opened leaves the
//! playground as it was and says why.

use crate::ui::browser::{self, Store};
use crate::ui::layout::{DockTab, SideTab};
use crate::ui::playground::{LineKind, Notice, Playground};
use crate::ui::reactive::effect;
use kafka_sim::lesson::attempt::Attempt;
use kafka_sim::lesson::{LESSON_FILES, Lesson};
use kafka_sim::share::{LessonSource, MAX_LINK_BYTES, Shared};
use kafka_sim::sim::Sim;
use kafka_sim::sim::scenario::Scenario;
use kafka_sim::sim::timeline::Timeline;
use leptos::prelude::*;

/// Where the tab keeps the learner's work, per page address (`?scenario=busy` and `?lesson=topic`
/// keep theirs apart). The error screen's "Start over" forgets every key with this prefix.
const WORK_KEY: &str = "kafka-playground:work:";

/// How long one slice of a scenario's warm-up may run, in real ms: between slices the page
/// draws and answers.
const WARM_UP_SLICE_MS: f64 = 12.0;

/// Ticks of warm-up between two looks at the time.
const WARM_UP_TICKS_PER_LOOK: u32 = 5;
/// Where the learner's lesson progress is kept.
pub const PROGRESS_KEY: &str = "kafka-playground:progress";
/// Where the page's layout is kept.
pub const LAYOUT_KEY: &str = "kafka-playground:layout";

/// One of the playground's lessons by id.
pub fn builtin_lesson(id: &str) -> Result<Lesson, String> {
    let (_, text) = LESSON_FILES
        .iter()
        .find(|(known, _)| *known == id)
        .ok_or_else(|| {
            format!(
                "lesson: no lesson called {:?}",
                kafka_sim::sim::error::cut(id)
            )
        })?;
    Lesson::parse(id, text)
}

/// Replays `shared` and shows it, with its lesson; `what` says in the console where it came
/// from. On an error nothing changes.
pub fn open_shared(pg: Playground, shared: Shared, what: &str) -> Result<(), String> {
    let attempt = match &shared.lesson {
        None => None,
        Some(lesson) => Some(match &lesson.source {
            LessonSource::Builtin { id } => Attempt::resumed(builtin_lesson(id)?, None, lesson),
            LessonSource::Custom { name, text } => Attempt::resumed(
                Lesson::from_file(name, text)?,
                Some((name.clone(), text.clone())),
                lesson,
            ),
        }),
    };
    let timeline = shared.replay()?;
    // The moment it was shared, held still until the learner plays on.
    pg.playing.set(false);
    pg.load(shared.scenario.clone(), timeline, what);
    if attempt.is_some() {
        pg.layout.update(|l| l.show_side(SideTab::Lessons));
    }
    pg.lesson.set(attempt);
    Ok(())
}

/// Starts the scenario called `name` (one of `SCENARIO_NAMES`) afresh, leaving any lesson;
/// `why` is what the console says about it.
pub fn open_scenario(pg: Playground, name: &str, why: &str) -> Result<(), String> {
    let scenario = Scenario::named(name).ok_or("scenario: unknown")?;
    let sim = scenario.build().map_err(|e| e.to_string())?;
    pg.lesson.set(None);
    pg.load(scenario, Timeline::new(sim), why);
    Ok(())
}

/// Simulates `scenario`'s warm-up after the page has drawn its setup (what the page shows
/// first, so that a large scenario appears at once), a slice per timer task, then shows the
/// warmed-up cluster and plays if `then_play`, unless the learner moved on meanwhile (played,
/// acted, opened a link or a lesson): then the warm-up is dropped.
pub fn warm_up(pg: Playground, scenario: Scenario, then_play: bool) {
    // The setup the page shows, built already.
    let sim = pg.timeline.with_untracked(|t| t.sim().clone());
    pg.playing.set(false);
    pg.notice.set(Some(Notice {
        text: format!(
            "Simulating the scenario's first {} virtual seconds…",
            scenario.warm_up_ms / 1000
        ),
        refused: false,
    }));
    warm_up_slice(pg, scenario, sim, then_play);
}

fn warm_up_slice(pg: Playground, scenario: Scenario, mut sim: Sim, then_play: bool) {
    let started = browser::now_ms();
    while !scenario.warm_up(&mut sim, WARM_UP_TICKS_PER_LOOK) {
        if browser::now_ms() - started > WARM_UP_SLICE_MS {
            gloo_timers::callback::Timeout::new(0, move || {
                warm_up_slice(pg, scenario, sim, then_play)
            })
            .forget();
            return;
        }
    }
    let untouched = pg
        .timeline
        .with_untracked(|t| t.sim().now_ms() == 0 && t.command_log().next().is_none())
        && pg.lesson.with_untracked(Option::is_none)
        && pg.scenario.with_untracked(|s| *s == scenario);
    if untouched {
        let seconds = scenario.warm_up_ms / 1000;
        pg.load(
            scenario,
            Timeline::new(sim),
            &format!("The scenario's first {seconds} virtual seconds, simulated"),
        );
        pg.playing.set(then_play);
    } else if pg
        .notice
        .with_untracked(|n| n.as_ref().is_some_and(|n| !n.refused))
    {
        pg.notice.set(None);
    }
}

/// Opens a `kp1.` link (with or without `#`).
pub fn open_link(pg: Playground, link: &str) -> Result<(), String> {
    open_shared(pg, Shared::from_link(link)?, "Opened a shared playground")
}

/// Opens a file's text: a saved playground (`.json`) or a lesson file (`.lesson`).
pub fn open_file(pg: Playground, name: &str, text: &str) -> Result<(), String> {
    // By the file's name first; a file named otherwise is JSON if it looks like JSON.
    let json =
        name.ends_with(".json") || !name.ends_with(".lesson") && text.trim_start().starts_with('{');
    if json {
        let (format, link) = browser::json_fields(text)?;
        let shared = Shared::from_file_fields(format.as_deref(), link.as_deref())?;
        return open_shared(
            pg,
            shared,
            &format!("Opened {}", kafka_sim::sim::error::cut(name)),
        );
    }
    let lesson = Lesson::from_file(name, text)?;
    start_lesson(pg, lesson, Some((name.to_owned(), text.to_owned())), None)
}

/// Starts `lesson` from its scenario, its setup run in the console, at step `step` (from 1; the
/// steps before it are done, in the console, so the playground is where that step expects).
pub fn start_lesson(
    pg: Playground,
    lesson: Lesson,
    file: Option<(String, String)>,
    step: Option<u32>,
) -> Result<(), String> {
    let scenario = lesson.scenario()?;
    let sim = scenario.build().map_err(|e| e.to_string())?;
    pg.load(
        scenario,
        Timeline::new(sim),
        &format!("Lesson: {}", lesson.title),
    );
    for line in &lesson.setup {
        pg.run_console(line);
    }
    if file.is_some() {
        pg.lesson_file.set(file.clone());
    }
    let mut attempt = Attempt::new(lesson, file);
    attempt.go_to(step.map_or(0, |s| s.saturating_sub(1) as usize));
    let before = attempt.step;
    let id = attempt.lesson.id.clone();
    pg.lesson.set(Some(attempt));
    for earlier in 0..before {
        do_step(pg, earlier);
    }
    note_progress(pg, |p| p.saw_step(&id, before as u32 + 1));
    pg.layout.update(|l| l.show_side(SideTab::Lessons));
    point_at_step(pg);
    Ok(())
}

/// Makes the panel the step shown points at stand out (the stage marks it from the lesson) and
/// brings it into view on a wide screen; a caption about the charts or the events opens them.
/// On a phone the page is one long column, and scrolling to the panel would take the learner
/// away from the lesson.
pub fn point_at_step(pg: Playground) {
    let point = pg.lesson.with_untracked(|a| {
        a.as_ref()
            .and_then(|a| a.lesson.steps.get(a.step))
            .and_then(|s| s.point.clone())
    });
    match point.as_deref() {
        Some("charts") => pg.layout.update(|l| l.show_dock(DockTab::Charts)),
        Some("events") => pg.layout.update(|l| l.show_dock(DockTab::Events)),
        Some(panel) if window().inner_width().ok().and_then(|w| w.as_f64()) > Some(760.0) => {
            let part = match panel {
                "cluster" => "brokers-strip",
                "producers" => "producer-nodes",
                "consumers" => "group-nodes",
                other => other,
            };
            let selector = format!(".stage .{part}");
            request_animation_frame(move || {
                if let Ok(Some(element)) = document().query_selector(&selector) {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    element.scroll_into_view_with_scroll_into_view_options(&options);
                }
            });
        }
        _ => {}
    }
}

/// Reset: the lesson being followed from its start, or the playground's scenario.
pub fn reset(pg: Playground) {
    let attempt = pg.lesson.get_untracked();
    let restarted = match attempt {
        Some(attempt) => start_lesson(pg, attempt.lesson, attempt.file, None),
        None => pg.reset().map_err(|e| e.to_string()),
    };
    if let Err(message) = restarted {
        refused(pg, &message);
    }
}

/// "Do it": runs the lines of step `step` (from 0) that were not run yet, visibly, in the
/// console.
pub fn do_step(pg: Playground, step: usize) {
    let lines = pg
        .lesson
        .try_update(|a| a.as_mut().map(|a| a.lines_to_do(step)))
        .flatten()
        .unwrap_or_default();
    run_lines(pg, &lines);
}

/// Runs console lines (a step's, a solution's), visibly, in the console.
pub fn run_lines(pg: Playground, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    pg.layout.update(|l| l.show_dock(DockTab::Console));
    for line in lines {
        pg.run_console(line);
    }
}

/// Changes the learner's progress and keeps it (not for a teacher's own lesson).
pub fn note_progress(
    pg: Playground,
    change: impl FnOnce(&mut kafka_sim::lesson::progress::Progress),
) {
    let custom = pg
        .lesson
        .with_untracked(|l| l.as_ref().is_some_and(|a| a.file.is_some()));
    if custom {
        return;
    }
    pg.progress.update(change);
    browser::save(
        Store::Local,
        PROGRESS_KEY,
        &pg.progress.with_untracked(|p| p.to_text()),
    );
}

/// The key the work of the page at `query` (the address's `?...`) is kept under.
pub fn work_key(query: &str) -> String {
    format!("{WORK_KEY}{query}")
}

/// What the kept work depends on, cheap to compare: the moment, the commands accepted and in
/// the log, and the lesson's step and done steps. The link is made only when it changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkMark {
    now_ms: u64,
    accepted: u64,
    logged: usize,
    lesson: Option<(usize, Vec<bool>)>,
}

/// Keeps the playground in the tab's session storage, if it changed since `last`. Returns the
/// mark of what is kept.
pub fn keep_work(pg: Playground, key: &str, last: Option<WorkMark>) -> Option<WorkMark> {
    // Once the error screen is up the state may be half-changed: the work kept a moment before
    // stays (and "Start over" may have just forgotten it).
    if document().query_selector(".crash").ok().flatten().is_some() {
        return last;
    }
    let mark = WorkMark {
        now_ms: pg.timeline.with_untracked(|t| t.sim().now_ms()),
        accepted: pg.timeline.with_untracked(|t| t.accepted()),
        logged: pg.timeline.with_untracked(|t| t.command_log().count()),
        lesson: pg
            .lesson
            .with_untracked(|l| l.as_ref().map(|a| (a.step, a.done.clone()))),
    };
    if last.as_ref() == Some(&mark) {
        return last;
    }
    let link = pg.shared().to_link();
    if link.len() <= MAX_LINK_BYTES {
        browser::save(Store::Session, key, &link);
    }
    Some(mark)
}

/// Shows a message above the playground.
pub fn tell(pg: Playground, text: impl Into<String>, refused: bool) {
    pg.notice.set(Some(Notice {
        text: text.into(),
        refused,
    }));
}

/// Says on the page and in the console that an attempt to open something failed.
pub fn refused(pg: Playground, message: &str) {
    let stop = if message.ends_with(['.', '?', '!']) {
        ""
    } else {
        "."
    };
    tell(
        pg,
        format!("{message}{stop} The playground is as it was."),
        true,
    );
    pg.console
        .print([(LineKind::Note, format!("# not opened: {message}"))]);
}

/// Checks the open exercises of the lesson being followed as the simulation runs: goals about
/// events on each batch of events, goals about the state whenever the state changes. A solved
/// exercise is noted in the progress and said in the console.
pub fn check_exercises(pg: Playground) {
    let solved = move |newly: Vec<usize>| {
        if newly.is_empty() {
            return;
        }
        pg.lesson.notify();
        let (id, tasks) = pg.lesson.with_untracked(|l| {
            l.as_ref().map_or_else(Default::default, |a| {
                let tasks: Vec<String> = newly
                    .iter()
                    .map(|n| a.lesson.exercises[*n].task.clone())
                    .collect();
                (a.lesson.id.clone(), tasks)
            })
        });
        for (n, task) in newly.iter().zip(tasks) {
            note_progress(pg, |p| p.solved(&id, *n as u32 + 1));
            pg.console
                .print([(LineKind::Note, format!("# ✓ exercise solved: {task}"))]);
        }
    };
    pg.on_events(move |events| {
        let newly = pg
            .lesson
            .try_update_untracked(|l| l.as_mut().map(|a| a.check_events(events)))
            .flatten()
            .unwrap_or_default();
        solved(newly);
    });
    effect(move || {
        pg.view.with(|view| {
            let open = pg
                .lesson
                .with_untracked(|l| l.as_ref().is_some_and(|a| a.solved.contains(&false)));
            if !open {
                return;
            }
            let newly = pg.timeline.with_untracked(|t| {
                pg.lesson
                    .try_update_untracked(|l| l.as_mut().map(|a| a.check_state(t.sim(), view)))
                    .flatten()
                    .unwrap_or_default()
            });
            solved(newly);
        });
    });
}
