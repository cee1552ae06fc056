//! What the stage says to a newcomer: each scenario in a few words with what to try first, and
//! a short glossary of the words the stage uses.

/// A scenario as the picker shows it.
pub struct ScenarioIntro {
    pub name: &'static str,
    pub label: &'static str,
    pub try_first: &'static str,
}

pub const SCENARIO_INTROS: [ScenarioIntro; 4] = [
    ScenarioIntro {
        name: "starter",
        label: "Starter: 3 brokers, orders with 3 partitions, a producer running, one consumer",
        try_first: "producer-1 writes 2 records a second to orders and consumer-1 reads them. Try first: Crash the broker that leads orders-0 and watch the leader badge move; or click a record to see why its key chose its partition.",
    },
    ScenarioIntro {
        name: "quiet",
        label: "Quiet: the starter's cluster with nothing running",
        try_first: "Nothing moves until you act. Try first: produce a record with key user-1 (Actions tab), then Step → to follow it into its partition.",
    },
    ScenarioIntro {
        name: "busy",
        label: "Busy: 1,000 records/s into 24 partitions, two groups of four consumers",
        try_first: "Try first: crash a broker and watch the ISRs shrink and the leaders move; slow the clock to 0.25× to follow it.",
    },
    ScenarioIntro {
        name: "large",
        label: "Large: 12 brokers, 64 partitions",
        try_first: "Try first: crash a broker and see how many partitions get a new leader; a click on a partition shows its numbers in the Inspector.",
    },
];

/// The intro of the scenario called `name`.
pub fn scenario_intro(name: &str) -> Option<&'static ScenarioIntro> {
    SCENARIO_INTROS.iter().find(|s| s.name == name)
}

/// The stage's words, as Kafka's documentation and tools use them.
pub const GLOSSARY: [(&str, &str); 8] = [
    (
        "Offset",
        "A record's number in its partition: 0, 1, 2, … Each partition counts on its own.",
    ),
    (
        "LEO (log end offset)",
        "The offset the next record written to a replica will get: one past its newest record.",
    ),
    (
        "HW (high watermark)",
        "Records below it are on every in-sync replica; consumers read only those.",
    ),
    (
        "Log start offset",
        "The oldest offset still in the log; retention moves it up when it deletes segments.",
    ),
    (
        "ISR (in-sync replicas)",
        "The replicas that have caught up with the leader. acks=all waits for all of them; min.insync.replicas says how few are enough.",
    ),
    (
        "Leader epoch",
        "Goes up by one every time a partition gets a new leader, so that replicas can tell old leaders' records from new ones.",
    ),
    (
        "Position vs committed offset",
        "A consumer's position is the next offset it will read; its group's committed offset is where a consumer resumes after a restart or rebalance.",
    ),
    (
        "LAG",
        "kafka-consumer-groups.sh's LAG: LOG-END-OFFSET − CURRENT-OFFSET (the committed offset). A consumer's records-lag is the log end minus its position.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_sim::sim::scenario::SCENARIO_NAMES;

    #[test]
    fn every_scenario_a_page_can_start_with_is_introduced() {
        for name in SCENARIO_NAMES {
            let intro = scenario_intro(name).expect(name);
            assert!(intro.try_first.contains("Try first"), "{name}");
        }
        assert_eq!(SCENARIO_INTROS.len(), SCENARIO_NAMES.len());
    }
}
