//! The controller's work: brokers joining, crashing, being fenced and coming back (after a
//! crash, an unclean shutdown; a controlled shutdown is in `shutdown.rs`); leader
//! elections and preferred-leader elections, which each partition decides
//! (`Partition::elect_leader`, `Partition::elect_preferred_leader`) with the running brokers
//! and its topic's unclean.leader.election.enable, and the controller reports; and the
//! controller's two periodic checks (`ControllerChecks`): the automatic leader rebalance and
//! the unclean election of offline partitions.
//!
//! The controller here is the active controller of the KRaft quorum (`kraft/`): all of this
//! happens only while one is active with a majority behind it (`Quorum::has_majority`);
//! without, the metadata freezes: brokers keep serving what they lead, but no crashed broker is
//! fenced, no leader elected, no check run, and commands that need the controller are refused
//! (`engine/quorum.rs`). A newly active controller gives every broker a fresh session, so a
//! broker that crashed meanwhile is fenced `broker.session.timeout.ms` after it took over.
use crate::sim::broker::{Broker, BrokerStatus, validate_rack};
use crate::sim::command::{ElectionAnswer, ElectionType, Outcome};
use crate::sim::engine::shutdown::Leaving;
use crate::sim::engine::{Sim, unknown_topic};
use crate::sim::error::SimError;
use crate::sim::event::{ElectionKind, Event};
use crate::sim::ids::{BrokerId, PartitionId};
use crate::sim::offsets_topic::OFFSETS_TOPIC;
use crate::sim::ordered::ValuesMut;
use crate::sim::partition::Election;
use crate::sim::types::{MAX_BROKERS, TopicPartition};
use serde::{Deserialize, Serialize};

/// `leader.imbalance.check.interval.seconds` (300 s) with `auto.leader.rebalance.enable=true`:
/// Kafka's defaults, which the playground keeps (no setting changes them, so the export's
/// cluster behaves the same).
pub const LEADER_IMBALANCE_CHECK_INTERVAL_MS: u64 = 300_000;

/// `unclean.leader.election.interval.ms` (5 minutes), Kafka's default.
pub const UNCLEAN_LEADER_ELECTION_INTERVAL_MS: u64 = 300_000;

/// When the controller's periodic checks run next, as `QuorumController` schedules its deferred
/// `maybeBalancePartitionLeaders` and `maybeElectUncleanLeaders` events: after every
/// controller write, a check that has work (a partition not led by its preferred replica; a
/// partition without a leader) and is not scheduled yet is scheduled one interval later; when
/// it has run, the same rule schedules it again if work is left.
///
/// Kafka's controller writes at least every few seconds (brokers' heartbeats, its no-op
/// records), so the playground schedules at each tick. Simplification: Kafka elects at most
/// 1,000 partitions per run and runs again 10 ms later if it hit that cap; the playground
/// elects them all in one run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControllerChecks {
    /// The next leader balance check (`maybeBalancePartitionLeaders`).
    pub leader_balance_at_ms: Option<u64>,
    /// The next unclean election check (`maybeElectUncleanLeaders`).
    pub unclean_election_at_ms: Option<u64>,
}

impl Sim {
    /// A new broker with the next free id, on `rack` if given.
    pub(crate) fn add_broker(&mut self, rack: Option<String>) -> Result<Outcome, SimError> {
        if let Some(rack) = &rack {
            validate_rack(rack)?;
        }
        if self.brokers.len() >= MAX_BROKERS as usize {
            return Err(SimError::TooManyBrokers);
        }
        let id = BrokerId(self.brokers.last().map_or(1, |(b, _)| b.0 + 1));
        self.brokers.insert(id, Broker::new(id, rack));
        self.events
            .push(self.now_ms, Event::BrokerAdded { broker: id });
        Ok(Outcome::BrokerAdded { broker: id })
    }

    pub(crate) fn broker_in(
        &self,
        id: BrokerId,
        wanted: &[&str],
        action: &str,
    ) -> Result<&Broker, SimError> {
        let broker = self
            .brokers
            .get(&id)
            .ok_or(SimError::UnknownBroker { broker: id })?;
        let state = match broker.status {
            BrokerStatus::Running => "running",
            BrokerStatus::Crashed { .. } => "crashed",
            BrokerStatus::Fenced => "fenced",
            BrokerStatus::Stopped => "stopped",
            BrokerStatus::FencedRunning => "cut off",
        };
        if wanted.contains(&state) {
            Ok(broker)
        } else {
            Err(SimError::BrokerState {
                broker: id,
                state: state.to_owned(),
                needed: wanted.join(" or "),
                action: action.to_owned(),
            })
        }
    }

    /// A broker cut off from the controller crashes as the controller sees it: fenced
    /// already, or fenced `broker.session.timeout.ms` after its last heartbeat, at the cut.
    pub(crate) fn crash_broker(&mut self, id: BrokerId) -> Result<Outcome, SimError> {
        self.broker_in(id, &["running", "cut off"], "crashed")?;
        let now = self.now_ms;
        if let Some(broker) = self.brokers.get_mut(&id) {
            broker.status = match broker.status {
                BrokerStatus::FencedRunning => BrokerStatus::Fenced,
                _ => BrokerStatus::Crashed {
                    at_ms: broker.faults.cut_from_controller_at_ms.unwrap_or(now),
                },
            };
        }
        self.emit(Event::BrokerCrashed {
            broker: id,
            session_timeout_ms: self.config.broker_session_timeout_ms,
        });
        Ok(Outcome::Done)
    }

    /// A restart registers a new incarnation: the controller fences a crashed one's old
    /// incarnation first, and since a crash left no clean shutdown behind
    /// (`ClusterControlManager.registerBroker` compares the broker epochs), takes it out of the
    /// ELRs (`ReplicationControlManager.handleBrokerShutdown`). A broker stopped gracefully
    /// keeps its places.
    pub(crate) fn restart_broker(&mut self, id: BrokerId) -> Result<Outcome, SimError> {
        let broker = self.broker_in(id, &["crashed", "fenced", "stopped"], "restarted")?;
        if broker.faults.cut_from_controller_at_ms.is_some() {
            return Err(SimError::BrokerFault {
                broker: id,
                reason:
                    "is cut off from the controller, so it could not register again; heal it first"
                        .to_owned(),
            });
        }
        let status = broker.status;
        // A restart registers a new incarnation: the controller fences the old one first.
        if matches!(status, BrokerStatus::Crashed { .. }) {
            self.fence(id);
        }
        if status != BrokerStatus::Stopped {
            self.leave_partitions(id, Leaving::UncleanShutdown);
        }
        if let Some(broker) = self.brokers.get_mut(&id) {
            broker.status = BrokerStatus::Running;
        }
        self.events
            .push(self.now_ms, Event::BrokerRestarted { broker: id });
        self.elect_where_waiting(id);
        Ok(Outcome::Done)
    }

    /// `id` is back (restarted, or unfenced once healed): the offline partitions it holds,
    /// `__consumer_offsets`' too, may have a leader again.
    pub(crate) fn elect_where_waiting(&mut self, id: BrokerId) {
        for TopicPartition {
            topic,
            partition: p,
        } in self.partitions_on(id)
        {
            if self.leader_of(&topic, p).is_none() {
                self.elect_leader(&topic, p);
            }
        }
        let offline: Vec<PartitionId> = self
            .offsets_topic
            .iter()
            .flat_map(|t| &t.partitions)
            .filter(|p| p.leader.is_none() && p.replica(id).is_some())
            .map(|p| p.id)
            .collect();
        for partition in offline {
            self.elect_offsets_leader(partition);
        }
    }

    pub(crate) fn decommission_broker(&mut self, id: BrokerId) -> Result<Outcome, SimError> {
        self.broker_in(
            id,
            &["running", "crashed", "fenced", "stopped", "cut off"],
            "decommissioned",
        )?;
        let holding = self.partitions_on(id);
        if !holding.is_empty() {
            let names: Vec<String> = holding.iter().map(TopicPartition::to_string).collect();
            return Err(SimError::BrokerHoldsReplicas {
                broker: id,
                partitions: names.join(", "),
            });
        }
        self.brokers.remove(&id);
        self.events
            .push(self.now_ms, Event::BrokerDecommissioned { broker: id });
        // Its `__consumer_offsets` replicas stay assigned to it, as Kafka leaves them until
        // they are reassigned.
        self.leave_offsets_topic(id, false);
        Ok(Outcome::Done)
    }

    /// Every partition with a replica on `broker`.
    pub(crate) fn partitions_on(&self, broker: BrokerId) -> Vec<TopicPartition> {
        self.topics
            .values()
            .flat_map(|t| {
                t.partitions
                    .iter()
                    .filter(move |p| p.replicas.iter().any(|r| r.broker == broker))
                    .map(move |p| TopicPartition::new(&t.name, p.id))
            })
            .collect()
    }

    /// When the active controller fences `broker`, crashed (or cut off from it) and unnoticed:
    /// its session times out `broker.session.timeout.ms` after its crash (or the cut), or after
    /// the controller took over
    /// (`BrokerHeartbeatManager` starts afresh); `None` while no controller has a majority.
    pub(crate) fn fenced_at_ms(&self, broker: &Broker) -> Option<u64> {
        let at_ms = match broker.status {
            BrokerStatus::Crashed { at_ms } => at_ms,
            BrokerStatus::Running => broker.faults.cut_from_controller_at_ms?,
            BrokerStatus::Fenced | BrokerStatus::FencedRunning | BrokerStatus::Stopped => {
                return None;
            }
        };
        let since = self.quorum.writable_since_ms()?;
        Some(at_ms.max(since) + self.config.broker_session_timeout_ms)
    }

    fn leader_of(&self, topic: &str, p: PartitionId) -> Option<BrokerId> {
        self.topics.get(topic)?.partition(p)?.leader
    }

    /// The controller fences brokers whose heartbeats stopped broker.session.timeout.ms ago:
    /// crashed ones, and running ones cut off from it (`BrokerHeartbeatManager`).
    pub(crate) fn fence_silent_brokers(&mut self) {
        let silent: Vec<BrokerId> = self
            .brokers
            .values()
            .filter(|b| self.fenced_at_ms(b).is_some_and(|at| self.now_ms >= at))
            .map(|b| b.id)
            .collect();
        // All of them are fenced before any of their partitions elects, so that no leadership
        // goes to a broker whose session has also expired (a broker cut off from the
        // controller would never hear of it, yet its log would start the new epoch).
        for id in &silent {
            self.mark_fenced(*id);
        }
        for id in silent {
            self.fence(id);
        }
    }

    fn mark_fenced(&mut self, id: BrokerId) {
        if let Some(broker) = self.brokers.get_mut(&id) {
            broker.status = if broker.is_up() {
                BrokerStatus::FencedRunning
            } else {
                BrokerStatus::Fenced
            };
        }
    }

    /// Fences a broker: it leaves every ISR, the last member too (ELR on), and its partitions
    /// elect new leaders. A broker whose process runs (cut off from the controller) does not
    /// hear of it.
    fn fence(&mut self, id: BrokerId) {
        self.mark_fenced(id);
        self.events
            .push(self.now_ms, Event::BrokerFenced { broker: id });
        self.leave_partitions(id, Leaving::Fenced);
    }

    /// `broker` is fenced, stopping or gone: it leaves the ISRs of `__consumer_offsets` (and
    /// its ELRs after an unclean shutdown; its min.insync.replicas is 1) and the partitions it
    /// led elect new leaders, moving their groups' coordinators.
    pub(crate) fn leave_offsets_topic(&mut self, broker: BrokerId, unclean_shutdown: bool) {
        let Some(topic) = self.offsets_topic.as_mut() else {
            return;
        };
        let mut led = Vec::new();
        for partition in &mut topic.partitions {
            partition.remove_from_isr(broker, 1, unclean_shutdown);
            if partition.leader == Some(broker) {
                led.push(partition.id);
            }
        }
        for partition in led {
            self.elect_offsets_leader(partition);
        }
    }

    /// Elects a leader for `__consumer_offsets` partition `partition` if it needs one (unclean
    /// elections are off for it), reporting the coordinators that moved.
    fn elect_offsets_leader(&mut self, partition: PartitionId) {
        let running = self.eligible_brokers();
        let now = self.now_ms;
        let election = self
            .offsets_topic
            .as_mut()
            .and_then(|t| t.partitions.get_mut(partition.0 as usize))
            .and_then(|p| p.elect_leader(&|b| running.contains(&b), false, now));
        if let Some(election) = election {
            self.coordinators_moved(partition, &election);
        }
    }

    /// Chooses a leader for a partition whose leader is gone (or that is offline), as Kafka's
    /// controller does, and reports it.
    pub(crate) fn elect_leader(&mut self, topic_name: &str, partition: PartitionId) {
        let Some(unclean_allowed) = self
            .topics
            .get(topic_name)
            .map(|t| t.config.unclean_leader_election_enable)
        else {
            return;
        };
        self.elect_leader_allowing(topic_name, partition, unclean_allowed);
    }

    /// `elect_leader` with unclean elections allowed or not whatever the topic says (an
    /// admin's unclean election); the election, if there was one.
    fn elect_leader_allowing(
        &mut self,
        topic_name: &str,
        partition: PartitionId,
        unclean_allowed: bool,
    ) -> Option<Election> {
        let running = self.eligible_brokers();
        let now = self.now_ms;
        let p = self.topics.get_mut(topic_name)?.partition_mut(partition)?;
        let elr_before = p.elr.clone();
        let election = p.elect_leader(&|b| running.contains(&b), unclean_allowed, now)?;
        let elr = (p.elr != elr_before).then(|| p.elr.clone());
        self.events
            .push(now, leader_elected(topic_name, partition, &election));
        if let (Some(elr), Some(leader)) = (elr, election.to) {
            let reason = match election.kind {
                ElectionKind::Eligible => {
                    format!("broker {leader} was elected from them and is now the ISR")
                }
                _ => format!(
                    "broker {leader} was elected from outside them and is now the whole ISR, which clears them"
                ),
            };
            self.report_elr(topic_name, partition, elr, reason);
        }
        if let Some(lost) = election.lost {
            self.emit(Event::RecordsLost {
                topic: topic_name.to_owned(),
                partition,
                broker: lost.holder,
                from: lost.from,
                to: lost.to,
                committed: lost.committed,
            });
        }
        self.advance_high_watermark(topic_name, partition);
        Some(election)
    }

    /// `ReplicationControlManager.electLeaders`: each partition asked for (every partition with
    /// `None`, `__consumer_offsets` too, answering only for those that needed an election)
    /// gets a preferred or unclean election and its own answer (`electLeader`). An admin's
    /// unclean election does not need `unclean.leader.election.enable`: it is how an operator
    /// chooses availability over the records only the lost replicas had.
    pub(crate) fn elect_leaders(
        &mut self,
        election: ElectionType,
        partitions: Option<Vec<TopicPartition>>,
    ) -> Outcome {
        let asked = partitions.is_some();
        let partitions = partitions.unwrap_or_else(|| {
            let offsets = self
                .offsets_topic
                .iter()
                .flat_map(|t| &t.partitions)
                .map(|p| TopicPartition::new(OFFSETS_TOPIC, p.id));
            self.topics
                .values()
                .flat_map(|t| {
                    t.partitions
                        .iter()
                        .map(|p| TopicPartition::new(t.name.clone(), p.id))
                })
                .chain(offsets)
                .collect()
        });
        let mut answers = Vec::new();
        for partition in partitions {
            let answer = self.elect_one_leader(election, &partition);
            if asked || answer != ElectionAnswer::NotNeeded {
                answers.push((partition, answer));
            }
        }
        Outcome::LeadersElected { answers }
    }

    /// `ReplicationControlManager.electLeader` for one partition.
    fn elect_one_leader(
        &mut self,
        election: ElectionType,
        TopicPartition { topic, partition }: &TopicPartition,
    ) -> ElectionAnswer {
        let running = self.eligible_brokers();
        let now = self.now_ms;
        let internal = topic == OFFSETS_TOPIC;
        let found = if internal {
            self.offsets_topic
                .as_mut()
                .and_then(|t| t.partitions.get_mut(partition.0 as usize))
        } else {
            self.topics
                .get_mut(topic)
                .and_then(|t| t.partition_mut(*partition))
        };
        let Some(found) = found else {
            return ElectionAnswer::UnknownTopicOrPartition;
        };
        let needed = match election {
            ElectionType::Preferred => !found.has_preferred_leader(),
            ElectionType::Unclean => found.leader.is_none(),
        };
        if !needed {
            return ElectionAnswer::NotNeeded;
        }
        let elected = match (election, internal) {
            (ElectionType::Preferred, _) => {
                found.elect_preferred_leader(&|b| running.contains(&b), now)
            }
            (ElectionType::Unclean, true) => {
                found.elect_leader(&|b| running.contains(&b), true, now)
            }
            (ElectionType::Unclean, false) => self.elect_leader_allowing(topic, *partition, true),
        };
        match (elected, election) {
            (Some(elected), _) if elected.to.is_some() => {
                if internal {
                    self.coordinators_moved(*partition, &elected);
                } else if election == ElectionType::Preferred {
                    self.events
                        .push(now, leader_elected(topic, *partition, &elected));
                }
                ElectionAnswer::Elected
            }
            (_, ElectionType::Preferred) => ElectionAnswer::PreferredLeaderNotAvailable,
            (_, ElectionType::Unclean) => ElectionAnswer::EligibleLeadersNotAvailable,
        }
    }

    /// `kafka-leader-election.sh --election-type PREFERRED`: moves leadership back to each
    /// partition's preferred (first assigned) replica where it is alive and in sync.
    pub(crate) fn elect_preferred_leaders(
        &mut self,
        topic: Option<&str>,
    ) -> Result<Outcome, SimError> {
        if let Some(topic) = topic
            && !self.topics.contains_key(topic)
        {
            return Err(unknown_topic(topic));
        }
        self.move_to_preferred_leaders(topic, ElectionKind::Preferred);
        Ok(Outcome::Done)
    }

    /// Preferred leader elections in `topic` (every topic with `None`, `__consumer_offsets`
    /// too), reported as `kind`.
    fn move_to_preferred_leaders(&mut self, topic: Option<&str>, kind: ElectionKind) {
        let running = self.eligible_brokers();
        let now = self.now_ms;
        for t in self
            .topics
            .values_mut()
            .filter(|t| topic.is_none_or(|name| name == t.name))
        {
            for partition in &mut t.partitions {
                if let Some(election) =
                    partition.elect_preferred_leader(&|b| running.contains(&b), now)
                {
                    let election = Election { kind, ..election };
                    self.events
                        .push(now, leader_elected(&t.name, partition.id, &election));
                }
            }
        }
        if topic.is_some() {
            return;
        }
        let moved: Vec<(PartitionId, Election)> = self
            .offsets_topic
            .iter_mut()
            .flat_map(|t| &mut t.partitions)
            .filter_map(|p| {
                let election = p.elect_preferred_leader(&|b| running.contains(&b), now)?;
                Some((p.id, election))
            })
            .collect();
        for (partition, election) in moved {
            self.coordinators_moved(partition, &election);
        }
    }

    /// The controller's periodic checks, each tick: a check that is due runs, then each is
    /// scheduled if it has work and is not scheduled yet (`ControllerChecks`).
    pub(crate) fn run_controller_checks(&mut self) {
        if !self.quorum.has_majority() {
            return;
        }
        let now = self.now_ms;
        let due = |at: Option<u64>| at.is_some_and(|at| at <= now);
        if due(self.controller_checks.leader_balance_at_ms) {
            self.controller_checks.leader_balance_at_ms = None;
            self.move_to_preferred_leaders(None, ElectionKind::AutoLeaderRebalance);
        }
        if due(self.controller_checks.unclean_election_at_ms) {
            self.controller_checks.unclean_election_at_ms = None;
            self.elect_unclean_leaders();
        }
        let partitions = || {
            let offsets = self.offsets_topic.iter().flat_map(|t| &t.partitions);
            self.topics
                .values()
                .flat_map(|t| t.partitions.iter())
                .chain(offsets)
        };
        // Each tick looks at the partitions only for a check not yet scheduled.
        let checks = &self.controller_checks;
        let schedule_balance = checks.leader_balance_at_ms.is_none()
            && partitions().any(|p| !p.has_preferred_leader());
        let schedule_unclean =
            checks.unclean_election_at_ms.is_none() && partitions().any(|p| p.leader.is_none());
        let checks = &mut self.controller_checks;
        if schedule_balance {
            checks.leader_balance_at_ms = Some(now + LEADER_IMBALANCE_CHECK_INTERVAL_MS);
        }
        if schedule_unclean {
            checks.unclean_election_at_ms = Some(now + UNCLEAN_LEADER_ELECTION_INTERVAL_MS);
        }
    }

    /// `ReplicationControlManager.maybeElectUncleanLeaders`: each offline partition of a topic
    /// that allows unclean elections gets a leader if one of its replicas' brokers runs (an
    /// out-of-sync one, since no in-sync one does).
    fn elect_unclean_leaders(&mut self) {
        let offline: Vec<(String, PartitionId)> = self
            .topics
            .values()
            .filter(|t| t.config.unclean_leader_election_enable)
            .flat_map(|t| {
                t.partitions
                    .iter()
                    .filter(|p| p.leader.is_none())
                    .map(|p| (t.name.clone(), p.id))
            })
            .collect();
        for (topic, partition) in offline {
            self.elect_leader(&topic, partition);
        }
    }
}

/// The event that reports `election`.
fn leader_elected(topic: &str, partition: PartitionId, election: &Election) -> Event {
    Event::LeaderElected {
        topic: topic.to_owned(),
        partition,
        from: election.from,
        to: election.to,
        epoch: election.epoch,
        kind: election.kind,
    }
}
