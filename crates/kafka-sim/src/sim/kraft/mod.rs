//! The KRaft controller quorum: 1, 3 or 5 dedicated controllers (`SimConfig::controllers`)
//! that elect the active controller with Raft and replicate the metadata log, as
//! `KafkaRaftClient` drives `QuorumState` (`voter.rs`): epochs, one vote per epoch, a
//! candidate's log at least as up to date as the voter's, KIP-996 pre-votes (a prospective
//! controller asks first and bumps the epoch only if it would win), election timeouts drawn at
//! random from the seed (`controller.quorum.election.timeout.ms` 1000 plus up to as much
//! again), followers that start an election after `controller.quorum.fetch.timeout.ms` (2000)
//! without a successful fetch, a leader that resigns when no majority fetched from it for 1.5
//! fetch timeouts (check quorum), and fetch-based replication whose high watermark is what a
//! majority of the voters (the leader counts) has fetched (`LeaderState`).
//!
//! The engine asks `has_majority()` before the controller decides anything: only an active
//! controller that a majority follows can commit what it writes. Each metadata change is then
//! one record appended to its log; the active controller also writes a NoOpRecord every
//! `metadata.max.idle.interval.ms` (500), and the brokers fetch the log as observers.
//!
//! Simplifications: requests and their answers arrive within the tick they are sent (no
//! network delay, no lost messages; crashes are the only faults); the records carry no content
//! (`metadata_log.rs`); the quorum starts formatted and settled, controller 3000 leading
//! epoch 1; the voter set is static (`controller.quorum.voters`, no KIP-853 reconfiguration).

pub mod metadata_log;
pub mod voter;

use crate::sim::ids::{BrokerId, ControllerId};
use crate::sim::kraft::voter::{LeaderState, ReplicaProgress, Role, Tally, Voter};
use crate::sim::ordered::{Map, ValuesMut};
use crate::sim::placement::Draw;
use metadata_log::MetadataLog;
use serde::{Deserialize, Serialize};

/// The first controller's node id; the others follow (3000, 3001, ...), as in the export.
pub const FIRST_CONTROLLER_ID: u32 = 3000;
/// `controller.quorum.election.timeout.ms` (1000), Kafka's default.
pub const ELECTION_TIMEOUT_MS: u64 = 1_000;
/// `controller.quorum.fetch.timeout.ms` (2000), Kafka's default.
pub const FETCH_TIMEOUT_MS: u64 = 2_000;
/// `LeaderState.CHECK_QUORUM_TIMEOUT_FACTOR` (1.5) fetch timeouts.
pub const CHECK_QUORUM_TIMEOUT_MS: u64 = FETCH_TIMEOUT_MS * 3 / 2;
/// `metadata.max.idle.interval.ms` (500): how often the active controller writes a NoOpRecord.
pub const NO_OP_INTERVAL_MS: u64 = 500;
/// `LeaderState.OBSERVER_SESSION_TIMEOUT_MS`: an observer that stopped fetching this long ago
/// is forgotten.
pub const OBSERVER_SESSION_TIMEOUT_MS: u64 = 300_000;
/// The quorum sizes a cluster may have: an odd number, so that a majority survives the loss of
/// the rest (one of 3, two of 5).
pub const VOTER_COUNTS: [u32; 3] = [1, 3, 5];
/// The cluster id, as the export formats its nodes with (a base64 UUID, as
/// `kafka-storage.sh random-uuid` prints one).
pub const CLUSTER_ID: &str = "MkU3OEVBNTcwNTJENDM2Qk";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quorum {
    voters: Map<ControllerId, Voter>,
    /// Where each broker's copy of the metadata log ends (brokers fetch it as observers).
    observer_ends: Map<BrokerId, u64>,
}

impl Quorum {
    /// A formatted and started quorum of `count` voters: the first leads epoch 1, whose first
    /// record every voter has and which is committed.
    pub fn new(count: u32) -> Quorum {
        let ids = voter_ids(count);
        let mut log = MetadataLog::default();
        log.append(1, 1);
        let leader = ids[0];
        let mut voters = Map::new();
        for id in &ids {
            let role = if *id == leader {
                let mut state = LeaderState::new(leader, &ids, 0, 0);
                for progress in state.voters.values_mut() {
                    progress.end = Some(log.end_offset());
                }
                state.acknowledged = ids.clone();
                Role::Leader(state)
            } else {
                Role::Follower {
                    fetch_deadline_ms: FETCH_TIMEOUT_MS,
                    fetched: true,
                }
            };
            voters.insert(
                *id,
                Voter {
                    id: *id,
                    epoch: 1,
                    leader: Some(leader),
                    voted: None,
                    log: log.clone(),
                    high_watermark: Some(log.end_offset()),
                    role,
                },
            );
        }
        Quorum {
            voters,
            observer_ends: Map::new(),
        }
    }

    pub fn voter(&self, id: ControllerId) -> Option<&Voter> {
        self.voters.get(&id)
    }

    pub fn voters(&self) -> impl Iterator<Item = &Voter> {
        self.voters.values()
    }

    /// How many voters make a majority.
    pub fn majority(&self) -> usize {
        self.voters.len() / 2 + 1
    }

    /// How many controllers' processes run.
    pub fn running(&self) -> usize {
        self.voters.values().filter(|v| v.is_running()).count()
    }

    /// The active controller: the running leader (of the latest epoch, should an old one not
    /// have learned of it yet).
    pub fn active(&self) -> Option<&Voter> {
        self.voters
            .values()
            .filter(|v| v.is_leader())
            .max_by_key(|v| v.epoch)
    }

    pub fn active_controller(&self) -> Option<ControllerId> {
        self.active().map(|v| v.id)
    }

    /// Whether a majority (the active controller included) follows the active controller in
    /// its epoch, so that what it writes commits: the engine's condition for any metadata
    /// change.
    pub fn has_majority(&self) -> bool {
        self.active().is_some_and(|leader| {
            let following = self
                .voters
                .values()
                .filter(|v| {
                    v.id != leader.id
                        && v.epoch == leader.epoch
                        && v.leader == Some(leader.id)
                        && matches!(v.role, Role::Follower { .. })
                })
                .count();
            following + 1 >= self.majority()
        })
    }

    /// Since when the active controller with a majority has led: brokers' sessions count
    /// from then at the latest (`BrokerHeartbeatManager` starts afresh on a new controller).
    pub fn writable_since_ms(&self) -> Option<u64> {
        match &self.active()?.role {
            Role::Leader(state) if self.has_majority() => Some(state.since_ms),
            _ => None,
        }
    }

    /// The committed end of the metadata log, as the active controller knows it.
    pub fn high_watermark(&self) -> Option<u64> {
        self.active()?.high_watermark
    }

    /// The active controller's record of its voters' and observers' fetches.
    pub fn leader_state(&self) -> Option<&LeaderState> {
        match &self.active()?.role {
            Role::Leader(state) => Some(state),
            _ => None,
        }
    }

    /// The active controller appends `records` metadata records.
    pub fn append(&mut self, records: u64) {
        if let Some(id) = self.active_controller() {
            self.append_on(id, records);
        }
    }

    fn append_on(&mut self, id: ControllerId, records: u64) {
        let Some(voter) = self.voters.get_mut(&id) else {
            return;
        };
        voter.log.append(voter.epoch, records);
        let end = voter.log.end_offset();
        if let Role::Leader(state) = &mut voter.role {
            if let Some(own) = state.voters.get_mut(&id) {
                own.end = Some(end);
            }
            voter.high_watermark = state.high_watermark(voter.high_watermark);
        }
    }

    /// The controller's process dies; its epoch, vote and log stay on disk.
    pub fn crash(&mut self, id: ControllerId) {
        if let Some(voter) = self.voters.get_mut(&id) {
            voter.role = Role::Crashed;
            voter.high_watermark = None;
        }
    }

    /// The controller's process starts again from what is on disk.
    pub fn restart(&mut self, id: ControllerId, now_ms: u64, rng: &mut impl Draw) {
        if let Some(voter) = self.voters.get_mut(&id) {
            voter.restart(now_ms, rng);
        }
    }

    /// One tick of every running controller, in id order: timers (elections, fetch timeouts,
    /// check quorum, NoOpRecords), elections, the leader's BeginQuorumEpoch to the voters that
    /// have not acknowledged it, the followers' fetches, then the brokers' (`brokers`, the
    /// running ones) as observers.
    pub fn tick(&mut self, now_ms: u64, rng: &mut impl Draw, brokers: &[BrokerId]) {
        let ids: Vec<ControllerId> = self.voters.keys().copied().collect();
        for id in &ids {
            self.run_timers(*id, now_ms, rng);
        }
        for id in &ids {
            self.run_election(*id, &ids, now_ms, rng);
        }
        if let Some(leader) = self.active_controller() {
            self.begin_quorum_epoch(leader, now_ms);
        }
        for id in &ids {
            self.fetch(*id, now_ms, rng);
        }
        self.observers_fetch(brokers, now_ms);
    }

    fn run_timers(&mut self, id: ControllerId, now_ms: u64, rng: &mut impl Draw) {
        let Some(voter) = self.voters.get_mut(&id) else {
            return;
        };
        match &voter.role {
            Role::Crashed => {}
            Role::Leader(state) => {
                if state.lost_quorum(now_ms) {
                    voter.resign(now_ms, rng);
                } else if now_ms >= state.next_no_op_ms {
                    if let Role::Leader(state) = &mut voter.role {
                        state.next_no_op_ms = now_ms + NO_OP_INTERVAL_MS;
                    }
                    self.append_on(id, 1);
                }
            }
            Role::Unattached { election_at_ms } | Role::Candidate { election_at_ms, .. } => {
                if now_ms >= *election_at_ms {
                    voter.become_prospective(now_ms, rng);
                }
            }
            Role::Follower {
                fetch_deadline_ms, ..
            } => {
                if now_ms >= *fetch_deadline_ms {
                    voter.become_prospective(now_ms, rng);
                }
            }
            Role::Prospective { election_at_ms, .. } => {
                if now_ms >= *election_at_ms {
                    voter.after_lost_pre_vote(now_ms, rng);
                }
            }
            Role::Resigned { election_at_ms } => {
                if now_ms >= *election_at_ms {
                    let next = voter.epoch + 1;
                    voter.become_unattached(next, now_ms, rng);
                }
            }
        }
    }

    /// A prospective or candidate controller asks the running voters that have not answered
    /// yet; a prospective one that wins its pre-vote goes on as candidate at once.
    fn run_election(
        &mut self,
        nominee: ControllerId,
        ids: &[ControllerId],
        now_ms: u64,
        rng: &mut impl Draw,
    ) {
        for _ in 0..2 {
            let Some(voter) = self.voters.get(&nominee) else {
                return;
            };
            let Some((request, answered)) = voter.vote_request() else {
                return;
            };
            let mut tally = voter.tally(ids.len());
            let asked: Vec<ControllerId> = ids
                .iter()
                .copied()
                .filter(|id| {
                    *id != nominee
                        && !answered.contains(id)
                        && self.voters.get(id).is_some_and(Voter::is_running)
                })
                .collect();
            for other in asked {
                if tally != Tally::Open {
                    break;
                }
                let Some(response) = self
                    .voters
                    .get_mut(&other)
                    .map(|v| v.handle_vote_request(&request, now_ms, rng))
                else {
                    continue;
                };
                let Some(voter) = self.voters.get_mut(&nominee) else {
                    return;
                };
                tally = voter.handle_vote_response(other, response, ids.len(), now_ms, rng);
            }
            let Some(voter) = self.voters.get_mut(&nominee) else {
                return;
            };
            match (tally, request.pre_vote) {
                (Tally::Won, true) => voter.become_candidate(now_ms, rng),
                (Tally::Won, false) => {
                    voter.become_leader(ids, now_ms);
                    self.begin_quorum_epoch(nominee, now_ms);
                    return;
                }
                (Tally::Lost, true) => {
                    voter.after_lost_pre_vote(now_ms, rng);
                    return;
                }
                // A candidate that lost waits out its election timeout.
                _ => return,
            }
        }
    }

    /// The leader's BeginQuorumEpoch to the running voters that have not acknowledged it.
    fn begin_quorum_epoch(&mut self, leader: ControllerId, now_ms: u64) {
        let Some((epoch, acknowledged)) = self.voters.get(&leader).and_then(|v| match &v.role {
            Role::Leader(state) => Some((v.epoch, state.acknowledged.clone())),
            _ => None,
        }) else {
            return;
        };
        let mut accepted = Vec::new();
        for voter in self.voters.values_mut() {
            if voter.is_running()
                && !acknowledged.contains(&voter.id)
                && voter.handle_begin_quorum_epoch(epoch, leader, now_ms)
            {
                accepted.push(voter.id);
            }
        }
        if let Some(Role::Leader(state)) = self.voters.get_mut(&leader).map(|v| &mut v.role) {
            state.acknowledged.extend(accepted);
        }
    }

    /// A follower's Fetch from its leader (`KafkaRaftClient.handleFetchRequest` and
    /// `handleFetchResponse`): a newer epoch in the answer moves it there; a leader of its
    /// epoch either tells it where their logs diverge (it truncates) or sends what it lacks
    /// with the high watermark, and counts the fetch offset as the follower's log end.
    fn fetch(&mut self, id: ControllerId, now_ms: u64, rng: &mut impl Draw) {
        let Some(follower) = self.voters.get(&id) else {
            return;
        };
        let (Role::Follower { .. }, Some(leader_id)) = (&follower.role, follower.leader) else {
            return;
        };
        let Some(leader) = self.voters.get(&leader_id).filter(|l| l.is_running()) else {
            return;
        };
        if leader.epoch > follower.epoch {
            // FENCED_LEADER_EPOCH or NOT_LEADER_OR_FOLLOWER, with the epoch and leader it knows.
            let (epoch, known) = (leader.epoch, leader.leader.filter(|l| *l != id));
            if let Some(follower) = self.voters.get_mut(&id) {
                match known {
                    Some(known) => follower.become_follower(epoch, known, now_ms),
                    None => follower.become_unattached(epoch, now_ms, rng),
                }
            }
            return;
        }
        if leader.epoch < follower.epoch || !leader.is_leader() {
            // UNKNOWN_LEADER_EPOCH or NOT_LEADER_OR_FOLLOWER: no answer that counts.
            return;
        }
        let fetch_offset = follower.log.end_offset();
        let last_epoch = follower.log.last_epoch();
        let (epoch, epoch_end) = leader.log.end_offset_for_epoch(last_epoch);
        let diverging = epoch != last_epoch || epoch_end < fetch_offset;
        let leader_log = leader.log.clone();
        let leader_end = leader_log.end_offset();
        if !diverging
            && let Some(leader) = self.voters.get_mut(&leader_id)
            && let Role::Leader(state) = &mut leader.role
        {
            state.record_voter_fetch(id, fetch_offset, leader_end, now_ms);
            leader.high_watermark = state.high_watermark(leader.high_watermark);
        }
        let leader_hw = self.voters.get(&leader_id).and_then(|l| l.high_watermark);
        let Some(follower) = self.voters.get_mut(&id) else {
            return;
        };
        if diverging {
            let own_end = follower.log.end_offset_for_epoch(epoch).1;
            follower.log.truncate_to(epoch_end.min(own_end));
        } else {
            follower.log.copy_from(&leader_log);
            let end = follower.log.end_offset();
            follower.high_watermark = leader_hw.map(|hw| hw.min(end)).or(follower.high_watermark);
        }
        follower.role = Role::Follower {
            fetch_deadline_ms: now_ms + FETCH_TIMEOUT_MS,
            fetched: true,
        };
    }

    /// The running brokers fetch the metadata log from the active controller; observers it
    /// has not heard from for `OBSERVER_SESSION_TIMEOUT_MS` are forgotten.
    fn observers_fetch(&mut self, brokers: &[BrokerId], now_ms: u64) {
        let Some(leader_id) = self.active_controller() else {
            return;
        };
        let Some(Voter {
            log,
            role: Role::Leader(state),
            ..
        }) = self.voters.get_mut(&leader_id)
        else {
            return;
        };
        let leader_end = log.end_offset();
        for broker in brokers {
            let end = self.observer_ends.entry(*broker).or_default();
            *end = (*end).min(leader_end);
            state.record_observer_fetch(*broker, *end, leader_end, now_ms);
            *end = leader_end;
        }
        state.observers.retain(|_, p: &ReplicaProgress| {
            p.last_fetch_ms
                .is_some_and(|at| now_ms.saturating_sub(at) < OBSERVER_SESSION_TIMEOUT_MS)
        });
    }
}

/// Controller `id`'s host name, as the export names its container.
pub fn controller_host(id: ControllerId) -> String {
    format!("controller-{id}")
}

/// Controller `id`'s CONTROLLER listener (`RaftVoterEndpoint`'s spelling).
pub fn controller_endpoint(id: ControllerId) -> String {
    format!("CONTROLLER://{}:9093", controller_host(id))
}

/// The node ids of a quorum of `count` controllers.
pub fn voter_ids(count: u32) -> Vec<ControllerId> {
    (0..count)
        .map(|n| ControllerId(FIRST_CONTROLLER_ID + n))
        .collect()
}

#[cfg(test)]
mod tests;
