//! What the page's address asks for: `?scenario=busy` starts that scenario. The address is
//! the visitor's text: anything else is reported, never run.

use crate::sim::error::cut;
use crate::sim::scenario::{SCENARIO_NAMES, Scenario};

/// The scenario `query` (the address's `?...` part) names, or the starter with a message
/// saying why when it names none we know.
pub fn scenario_from_query(query: &str) -> (Scenario, Option<String>) {
    let requested = query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "scenario")
        .map(|(_, value)| value);
    match requested {
        None => (Scenario::starter(), None),
        Some(name) => match Scenario::named(name) {
            Some(scenario) => (scenario, None),
            None => (
                Scenario::starter(),
                Some(format!(
                    "scenario: {:?} is not one of {}; showing the starter scenario",
                    cut(name),
                    SCENARIO_NAMES.join(", ")
                )),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_picks_a_scenario() {
        assert_eq!(scenario_from_query(""), (Scenario::starter(), None));
        assert_eq!(
            scenario_from_query("?scenario=busy"),
            (Scenario::busy(), None)
        );
        assert_eq!(
            scenario_from_query("?x=1&scenario=large"),
            (Scenario::large(), None)
        );
    }

    #[test]
    fn an_unknown_scenario_is_reported_and_the_starter_shown() {
        let (scenario, message) = scenario_from_query("?scenario=<b>x</b>");
        assert_eq!(scenario, Scenario::starter());
        assert_eq!(
            message.as_deref(),
            Some(
                "scenario: \"<b>x</b>\" is not one of starter, busy, large; showing the starter scenario"
            )
        );
    }

    #[test]
    fn a_huge_scenario_name_is_cut_short_in_the_message() {
        let query = format!("?scenario={}", "x".repeat(1 << 20));
        let (scenario, message) = scenario_from_query(&query);
        assert_eq!(scenario, Scenario::starter());
        let message = message.expect("a message");
        assert!(message.contains("… (1048576 bytes)"), "{message:.100}");
        assert!(message.len() < 200, "{message:.100}");
    }
}
