//! The controller quorum on the clock and in the commands: controllers crashed and restarted,
//! the quorum's tick (`kraft::Quorum::tick`), what changed reported as events, the metadata
//! changes appended to the active controller's log, and the check that refuses a command
//! needing the controller while none with a majority is active.
//!
//! Simplification: a decision takes effect when the controller makes it (Kafka's brokers see it
//! once the record commits, a round of fetches later); the engine only lets the controller
//! decide while a majority follows it, so what it writes commits.
use crate::sim::command::{Command, Outcome};
use crate::sim::engine::Sim;
use crate::sim::error::SimError;
use crate::sim::event::Event;
use crate::sim::ids::{BrokerId, ControllerId};
use crate::sim::kraft::voter::Role;

/// The active controller and whether a majority of controllers runs, compared before and
/// after a change to report what it did.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct QuorumSummary {
    active: Option<(ControllerId, u32)>,
    majority_running: bool,
}

impl Sim {
    pub(crate) fn crash_controller(&mut self, id: ControllerId) -> Result<Outcome, SimError> {
        self.controller_in(id, true, "crashed")?;
        let before = self.quorum_summary();
        self.quorum.crash(id);
        self.emit(Event::ControllerCrashed { controller: id });
        self.report_quorum(before);
        Ok(Outcome::Done)
    }

    pub(crate) fn restart_controller(&mut self, id: ControllerId) -> Result<Outcome, SimError> {
        self.controller_in(id, false, "restarted")?;
        let before = self.quorum_summary();
        self.quorum.restart(id, self.now_ms, &mut self.rng);
        self.emit(Event::ControllerRestarted { controller: id });
        self.report_quorum(before);
        Ok(Outcome::Done)
    }

    fn controller_in(&self, id: ControllerId, running: bool, action: &str) -> Result<(), SimError> {
        let voter = self
            .quorum
            .voter(id)
            .ok_or_else(|| SimError::UnknownController {
                controller: id,
                known: self
                    .quorum
                    .voters()
                    .map(|v| v.id.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        if voter.is_running() == running {
            return Ok(());
        }
        let state = |up: bool| if up { "running" } else { "crashed" };
        Err(SimError::ControllerState {
            controller: id,
            state: state(voter.is_running()).to_owned(),
            needed: state(running).to_owned(),
            action: action.to_owned(),
        })
    }

    /// The quorum's tick, with the running brokers fetching the metadata log as observers.
    pub(crate) fn run_quorum(&mut self) {
        let before = self.quorum_summary();
        let brokers: Vec<BrokerId> = self.eligible_brokers().into_iter().collect();
        self.quorum.tick(self.now_ms, &mut self.rng, &brokers);
        self.report_quorum(before);
    }

    fn quorum_summary(&self) -> QuorumSummary {
        QuorumSummary {
            active: self.quorum.active().map(|v| (v.id, v.epoch)),
            majority_running: self.quorum.running() >= self.quorum.majority(),
        }
    }

    /// Reports how the quorum changed since `before`.
    fn report_quorum(&mut self, before: QuorumSummary) {
        let after = self.quorum_summary();
        if before.active != after.active {
            if let Some((controller, epoch)) = before.active {
                let reason = match self.quorum.voter(controller).map(|v| &v.role) {
                    Some(Role::Crashed) => "it crashed".to_owned(),
                    Some(Role::Resigned { .. }) => format!(
                        "it resigned, as no majority of the controllers fetched from it for {} s (check quorum)",
                        crate::sim::kraft::CHECK_QUORUM_TIMEOUT_MS / 1000
                    ),
                    _ => "it learned of a newer epoch".to_owned(),
                };
                self.emit(Event::ControllerLost {
                    controller,
                    epoch,
                    reason,
                });
            }
            if let Some((controller, epoch)) = after.active {
                self.emit(Event::ControllerElected { controller, epoch });
            }
        }
        let (running, voters) = (
            self.quorum.running() as u32,
            self.quorum.voters().count() as u32,
        );
        match (before.majority_running, after.majority_running) {
            (true, false) => self.emit(Event::QuorumLost { running, voters }),
            (false, true) => self.emit(Event::QuorumRegained { running, voters }),
            _ => {}
        }
    }

    /// Refuses `command` if it needs the controller and no active controller with a majority
    /// can take it.
    pub(crate) fn check_controller_for(&self, command: &Command) -> Result<(), SimError> {
        match controller_action(command) {
            Some(action) => self.need_controller(action),
            None => Ok(()),
        }
    }

    /// Refuses `action` (in words) while no controller with a majority is active.
    pub(crate) fn need_controller(&self, action: &str) -> Result<(), SimError> {
        if self.quorum.has_majority() {
            return Ok(());
        }
        Err(SimError::NoActiveController {
            action: action.to_owned(),
            reason: self.frozen_reason(),
        })
    }

    /// Why no controller can decide now, in words (the page's notice and the refusals').
    pub fn frozen_reason(&self) -> String {
        let (running, voters, majority) = (
            self.quorum.running(),
            self.quorum.voters().count(),
            self.quorum.majority(),
        );
        if running < majority {
            format!(
                "metadata frozen: only {running} of {voters} controllers run and electing an active controller takes a majority ({majority}); restart a controller"
            )
        } else if let Some(active) = self.quorum.active() {
            format!(
                "metadata frozen: controller {} leads epoch {} but fewer than {majority} controllers follow it yet, so nothing it writes would commit",
                active.id, active.epoch
            )
        } else {
            format!(
                "metadata frozen: no active controller while {running} of {voters} controllers elect one (a few seconds: election timeout {} ms plus a random part)",
                crate::sim::kraft::ELECTION_TIMEOUT_MS
            )
        }
    }

    /// Appends a record to the active controller's metadata log for each metadata change
    /// among the events from `first` on (Kafka writes a record per change: a broker's
    /// registration or fencing, a partition's leader or ISR, a topic or its config).
    pub(crate) fn record_metadata(&mut self, first: usize) {
        let changes = self
            .events
            .waiting()
            .iter()
            .skip(first)
            .filter(|e| is_metadata_change(&e.event))
            .count() as u64;
        if changes > 0 {
            self.quorum.append(changes);
        }
    }
}

/// What `command` asks of the controller, in words, if it needs it.
fn controller_action(command: &Command) -> Option<&'static str> {
    Some(match command {
        Command::AddBroker | Command::AddBrokerOnRack { .. } => "register a new broker",
        Command::RestartBroker { .. } => "register the restarted broker",
        Command::DecommissionBroker { .. } => "unregister the broker",
        Command::CreateTopic { .. } | Command::CreateTopicWithAssignment { .. } => {
            "create the topic"
        }
        Command::DeleteTopic { .. } => "delete the topic",
        Command::AddPartitions { .. } | Command::AddPartitionsWithAssignment { .. } => {
            "add the partitions"
        }
        Command::AlterTopicConfig { .. } => "change the topic config",
        Command::ReassignPartition { .. } => "reassign the partition",
        Command::ElectPreferredLeaders { .. } | Command::ElectLeaders { .. } => "elect the leaders",
        Command::CancelReassignment { .. } => "cancel the reassignment",
        Command::ShutDownBroker { .. } => {
            "move the broker's leaderships away first (a controlled shutdown)"
        }
        _ => return None,
    })
}

/// Whether `event` is a change the controller writes to the metadata log.
fn is_metadata_change(event: &Event) -> bool {
    matches!(
        event,
        Event::BrokerAdded { .. }
            | Event::BrokerFenced { .. }
            | Event::BrokerRestarted { .. }
            | Event::BrokerDecommissioned { .. }
            | Event::TopicCreated { .. }
            | Event::TopicDeleted { .. }
            | Event::PartitionsAdded { .. }
            | Event::TopicConfigChanged { .. }
            | Event::LeaderElected { .. }
            | Event::IsrShrunk { .. }
            | Event::IsrExpanded { .. }
            | Event::ReassignmentStarted { .. }
            | Event::ReassignmentCompleted { .. }
    )
}
