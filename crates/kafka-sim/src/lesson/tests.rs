use super::*;
use crate::sim::scenario::SCENARIO_NAMES;

#[test]
fn every_lesson_loads_and_follows_a_guide_section() {
    let lessons = Lesson::all().expect("every lesson parses");
    let guide: Vec<&str> = lessons.iter().map(|l| l.guide.as_str()).collect();
    for section in GUIDE_SECTIONS {
        assert!(guide.contains(&section), "a lesson follows {section}");
    }
    for lesson in &lessons {
        assert!(
            lesson.steps.iter().all(|s| !s.caption.is_empty()),
            "{}",
            lesson.id
        );
        assert!(
            lesson.steps.iter().any(|s| s.point.is_some()),
            "{}: a caption points at something on screen",
            lesson.id
        );
        assert!(
            lesson.exercises.iter().all(|e| !e.solution.is_empty()),
            "{}: every exercise has a solution the tests run",
            lesson.id
        );
    }
}

/// The runner's walk: a goal does not hold when its exercise is reached, and holds after the
/// exercise's solution ran.
#[test]
fn every_exercise_is_open_until_its_solution_reaches_the_goal() {
    for lesson in Lesson::all().expect("lessons") {
        let walk = lesson.walk(true).expect("the lesson runs");
        let failed: Vec<&String> = walk
            .transcript
            .lines
            .iter()
            .filter(|l| l.starts_with("! "))
            .collect();
        assert!(failed.is_empty(), "{}: lines failed: {failed:?}", lesson.id);
        for (i, exercise) in lesson.exercises.iter().enumerate() {
            assert!(
                !walk.done_before[i],
                "{}: {:?} was done before it was tried",
                lesson.id, exercise.task
            );
            assert!(
                walk.done_after[i],
                "{}: {:?} not reached by its solution:\n{}",
                lesson.id,
                exercise.task,
                walk.transcript.lines.join("\n")
            );
        }
    }
}

#[test]
fn a_bad_lesson_file_is_refused_with_its_line() {
    let cases = [
        (
            "title: t\nguide: g\nscenario: empty\nstep: s\n",
            "lessons/bad.lesson has no an exercise",
        ),
        (
            "title t\n",
            "lessons/bad.lesson line 1: \"title t\" is not key: value (the keys are title, guide, scenario, setup, step, point, do, ask, exercise, goal, hint, solution; # starts a comment)",
        ),
        (
            "point: topics\n",
            "lessons/bad.lesson line 1: point: comes after a step:",
        ),
        (
            "step: s\npoint: kitchen\n",
            "lessons/bad.lesson line 2: point: \"kitchen\" is not one of cluster, topics, producers, consumers, charts, events, forms",
        ),
        (
            "goal: records t 1\n",
            "lessons/bad.lesson line 1: goal comes after an exercise:",
        ),
        (
            "exercise: e\ngoal: fly\n",
            &format!(
                "lessons/bad.lesson line 2: goal \"fly\" is not one the playground can check (the goals: {})",
                goal::GOAL_FORMS
            ),
        ),
        (
            "exercise: e\ngoal: records t many\n",
            "lessons/bad.lesson line 2: goal \"records t many\": \"many\" is not a whole number",
        ),
        (
            "exercise: e\nhint: h\n",
            "lessons/bad.lesson: the exercise \"e\" has no goal:",
        ),
        (
            "colour: red\n",
            "lessons/bad.lesson line 1: \"colour\" is not a key (the keys are title, guide, scenario, setup, step, point, do, ask, exercise, goal, hint, solution)",
        ),
        (
            "title: t\nscenario: moon\n",
            "lessons/bad.lesson line 2: scenario: \"moon\" is not one of empty, starter, quiet, busy, large",
        ),
        (
            "step: s\nsetup: add-broker\n",
            "lessons/bad.lesson line 2: setup: comes before the first step: (it sets the cluster up)",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(
            Lesson::parse("bad", text).unwrap_err(),
            expected,
            "{text:?}"
        );
    }
}

#[test]
fn a_teachers_file_is_named_in_its_messages_and_bounded() {
    assert_eq!(
        Lesson::from_file("my <b>lesson</b>.lesson", "title t\n").unwrap_err(),
        "my <b>lesson</b>.lesson line 1: \"title t\" is not key: value (the keys are title, guide, scenario, setup, step, point, do, ask, exercise, goal, hint, solution; # starts a comment)"
    );
    let big = "# x\n".repeat(20_000);
    assert_eq!(
        Lesson::from_file("big.lesson", &big).unwrap_err(),
        "big.lesson: 80000 bytes, more than the 65536 a lesson file may have"
    );
    let own = Lesson::from_file("mine.lesson", LESSON_FILES[0].1).expect("a good file");
    assert_eq!(own.id, CUSTOM_ID);
    assert_eq!(own.title, Lesson::all().expect("lessons")[0].title);
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Lesson files of any shape parse or say which line is wrong; none panics.
        #[test]
        fn fuzz_lesson_files_never_panic(
            lines in proptest::collection::vec(
                (prop_oneof![Just("title".to_owned()), Just("step".to_owned()), Just("point".to_owned()), Just("do".to_owned()), Just("ask".to_owned()), Just("exercise".to_owned()), Just("goal".to_owned()), Just("hint".to_owned()), Just("solution".to_owned()), Just("setup".to_owned()), Just("scenario".to_owned()), Just("guide".to_owned()), "\\PC{0,8}"], "\\PC{0,40}"),
                0..30,
            ),
        ) {
            let text: String = lines.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
            if let Ok(lesson) = Lesson::parse("fuzz", &text) {
                prop_assert!(!lesson.steps.is_empty() && !lesson.exercises.is_empty());
            }
        }
    }
}

#[test]
fn a_lesson_may_start_from_each_scenario_the_page_has_or_from_three_empty_brokers() {
    assert_eq!(LESSON_SCENARIOS[0], "empty");
    assert_eq!(LESSON_SCENARIOS[1..], SCENARIO_NAMES[..]);
    for name in LESSON_SCENARIOS {
        let lesson = Lesson {
            scenario: name.to_owned(),
            ..Lesson::default()
        };
        assert!(lesson.scenario().is_ok(), "{name}");
    }
}
