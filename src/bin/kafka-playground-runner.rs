//! `kafka-playground-runner`: runs console scripts against a simulated cluster without a
//! browser and prints what each line printed and the event log, so scripts (and, later,
//! lessons) can be checked from a terminal or a test.
//!
//! Usage: `kafka-playground-runner [--seed N | --scenario starter|busy|large] SCRIPT...`
//! (`-` reads standard input). Without `--scenario` the cluster is three empty brokers, seeded
//! with N (1); a scenario brings its own seed. The scripts run one after the other on the same
//! cluster. Exits with 1 when a line failed, 2 on bad arguments or an unreadable script.

use kafka_playground::console::script::run_script;
use kafka_playground::sim::scenario::{SCENARIO_NAMES, Scenario};
use kafka_playground::sim::timeline::Timeline;
use kafka_playground::sim::{Sim, SimConfig};
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
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
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
    if scripts.is_empty() {
        return Err("usage: kafka-playground-runner [--seed N] [--scenario NAME] SCRIPT...".into());
    }
    let sim = match (scenario, seed) {
        (Some(_), Some(_)) => {
            return Err("--seed and --scenario: a scenario brings its own seed".into());
        }
        (Some(scenario), None) => scenario.build(),
        (None, seed) => Sim::new(SimConfig::default(), seed.unwrap_or(1)),
    }
    .map_err(|e| e.to_string())?;
    let mut timeline = Timeline::new(sim);
    let mut all_succeeded = true;
    for path in scripts {
        let script = read(&path)?;
        let transcript = run_script(&script, &mut timeline);
        for line in &transcript.lines {
            println!("{line}");
        }
        all_succeeded &= transcript.failures == 0;
    }
    Ok(all_succeeded)
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
