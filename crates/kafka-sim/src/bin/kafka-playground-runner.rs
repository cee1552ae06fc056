//! `kafka-playground-runner`: runs console scripts against a simulated cluster without a
//! browser and prints what each line printed and the event log, so scripts (and, later,
//! lessons) can be checked from a terminal or a test.
//!
//! Usage: `kafka-playground-runner [--seed N | --scenario starter|busy|large] SCRIPT...`
//! (`-` reads standard input). Without `--scenario` the cluster is three empty brokers, seeded
//! with N (1); a scenario brings its own seed. The scripts run one after the other on the same
//! cluster. Exits with 1 when a line failed, 2 on bad arguments or an unreadable script.
//!
//! `--export DIR` also writes what the scripts did as `DIR/compose.yaml` (Apache Kafka in
//! Docker) and `DIR/replay.sh` (the same steps as real Kafka CLI commands).
//!
//! `kafka-playground-runner --lesson ID [--solve]` walks a lesson (`lessons/ID.lesson`): its
//! steps and their actions, then each exercise's goal; with `--solve` it runs each exercise's
//! solution first. Exits with 1 unless every goal was reached.

use kafka_sim::console::script::run_script;
use kafka_sim::export::export;
use kafka_sim::lesson::{LESSON_FILES, Lesson};
use kafka_sim::share::Shared;
use kafka_sim::sim::scenario::{SCENARIO_NAMES, Scenario};
use kafka_sim::sim::timeline::Timeline;
use std::io::Read;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("kafka-playground-runner: {message}");
            ExitCode::from(2)
        }
    }
}

/// Runs the scripts the arguments name; whether every line succeeded.
fn run(args: Vec<String>) -> Result<bool, String> {
    let mut seed = None;
    let mut scenario = None;
    let mut scripts = Vec::new();
    let (mut lesson, mut solve, mut export_to) = (None, false, None);
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--lesson" => lesson = Some(args.next().unwrap_or_default()),
            "--solve" => solve = true,
            "--export" => export_to = Some(args.next().unwrap_or_default()),
            "--seed" => {
                let value = args.next().unwrap_or_default();
                seed = Some(
                    value
                        .parse()
                        .map_err(|_| format!("--seed: {value:?} is not a whole number"))?,
                );
            }
            "--scenario" => {
                let name = args.next().unwrap_or_default();
                scenario = Some(Scenario::named(&name).ok_or_else(|| {
                    format!(
                        "--scenario: {name:?} is not one of {}",
                        SCENARIO_NAMES.join(", ")
                    )
                })?);
            }
            _ => scripts.push(arg),
        }
    }
    if let Some(id) = lesson {
        return walk(&id, solve);
    }
    if scripts.is_empty() {
        return Err("usage: kafka-playground-runner [--seed N | --scenario NAME] [--export DIR] SCRIPT... | --lesson ID [--solve]".into());
    }
    let scenario = match (scenario, seed) {
        (Some(_), Some(_)) => {
            return Err("--seed and --scenario: a scenario brings its own seed".into());
        }
        (Some(scenario), None) => scenario,
        (None, seed) => Scenario::empty(seed.unwrap_or(1)),
    };
    let mut timeline = Timeline::new(scenario.build().map_err(|e| e.to_string())?);
    let mut all_succeeded = true;
    for path in scripts {
        let script = read(&path)?;
        let transcript = run_script(&script, &mut timeline);
        for line in &transcript.lines {
            println!("{line}");
        }
        all_succeeded &= transcript.failures == 0;
    }
    if let Some(dir) = export_to {
        let (compose, script) = export(&Shared::of(&scenario, &timeline));
        let dir = std::path::Path::new(&dir);
        let write = |name: &str, text: &str| {
            std::fs::write(dir.join(name), text)
                .map_err(|e| format!("--export {}: {e}", dir.display()))
        };
        std::fs::create_dir_all(dir).map_err(|e| format!("--export {}: {e}", dir.display()))?;
        write("compose.yaml", &compose)?;
        write("replay.sh", &script)?;
        eprintln!("wrote {0}/compose.yaml and {0}/replay.sh", dir.display());
    }
    Ok(all_succeeded)
}

/// Walks the lesson `id`; whether every exercise's goal was reached.
fn walk(id: &str, solve: bool) -> Result<bool, String> {
    let (_, text) = LESSON_FILES
        .iter()
        .find(|(name, _)| *name == id)
        .ok_or_else(|| {
            let ids: Vec<&str> = LESSON_FILES.iter().map(|(name, _)| *name).collect();
            format!("--lesson: {id:?} is not one of {}", ids.join(", "))
        })?;
    let walk = Lesson::parse(id, text)?.walk(solve)?;
    for line in &walk.transcript.lines {
        println!("{line}");
    }
    Ok(walk.done_after.iter().all(|done| *done))
}

fn read(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut script = String::new();
        std::io::stdin()
            .read_to_string(&mut script)
            .map_err(|e| format!("standard input: {e}"))?;
        return Ok(script);
    }
    std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}
