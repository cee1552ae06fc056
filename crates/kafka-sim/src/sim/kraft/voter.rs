//! One controller of the quorum: its Raft state as `QuorumState` keeps it (the epoch, the
//! leader it knows, the one vote it gave in that epoch, its metadata log) and the state it is
//! in, with the transitions and the vote-granting rules of `QuorumState`, `UnattachedState`,
//! `ProspectiveState` (KIP-996 pre-vote), `CandidateState`, `FollowerState`, `LeaderState` and
//! `ResignedState`.
use crate::sim::ids::{BrokerId, ControllerId};
use crate::sim::kraft::metadata_log::MetadataLog;
use crate::sim::kraft::{
    CHECK_QUORUM_TIMEOUT_MS, ELECTION_TIMEOUT_MS, FETCH_TIMEOUT_MS, NO_OP_INTERVAL_MS,
};
use crate::sim::ordered::Map;
use crate::sim::placement::Draw;
use serde::{Deserialize, Serialize};

/// `QuorumState.randomElectionTimeoutMs`: the election timeout plus a random part below it, so
/// that voters rarely time out together.
pub fn random_election_timeout_ms(rng: &mut impl Draw) -> u64 {
    ELECTION_TIMEOUT_MS + rng.below(ELECTION_TIMEOUT_MS as usize) as u64
}

/// What a leader knows of one replica's fetches (`LeaderState.ReplicaState`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicaProgress {
    /// The offset it last fetched from: its log end then. `None` until it fetched.
    pub end: Option<u64>,
    pub last_fetch_ms: Option<u64>,
    pub last_caught_up_ms: Option<u64>,
    /// The leader's log end at its previous fetch.
    last_fetch_leader_end: u64,
}

impl ReplicaProgress {
    /// `ReplicaState.updateFollowerState`: caught up when it fetched from the leader's end, or
    /// from the end the leader had at its previous fetch (caught up then).
    fn record_fetch(&mut self, fetch_offset: u64, leader_end: u64, now_ms: u64) {
        if fetch_offset >= leader_end {
            self.last_caught_up_ms = Some(now_ms);
        } else if self.last_fetch_leader_end > 0 && fetch_offset >= self.last_fetch_leader_end {
            self.last_caught_up_ms = self.last_fetch_ms.max(self.last_caught_up_ms);
        }
        self.last_fetch_leader_end = leader_end;
        self.last_fetch_ms = Some(now_ms);
        self.end = Some(fetch_offset);
    }
}

/// The active controller's view of its epoch (`LeaderState`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderState {
    /// When it became leader: brokers' sessions count from here (a new active controller
    /// starts every broker's heartbeat timer afresh).
    pub since_ms: u64,
    /// Its log end when it became leader: the high watermark moves only past it.
    pub epoch_start: u64,
    /// The voters' fetches (itself included, with its own log end).
    pub voters: Map<ControllerId, ReplicaProgress>,
    /// The brokers' fetches of the metadata log.
    pub observers: Map<BrokerId, ReplicaProgress>,
    /// `checkQuorumTimer`: it resigns if a majority has not fetched by then.
    check_quorum_at_ms: u64,
    /// Voters that fetched since the check-quorum timer was last reset.
    fetched_voters: Vec<ControllerId>,
    /// Voters that answered its BeginQuorumEpoch.
    pub acknowledged: Vec<ControllerId>,
    /// When the controller writes its next NoOpRecord.
    pub(crate) next_no_op_ms: u64,
}

impl LeaderState {
    pub(crate) fn new(
        id: ControllerId,
        ids: &[ControllerId],
        log_end: u64,
        now_ms: u64,
    ) -> LeaderState {
        let mut voters = Map::new();
        for voter in ids {
            voters.insert(*voter, ReplicaProgress::default());
        }
        LeaderState {
            since_ms: now_ms,
            epoch_start: log_end,
            voters,
            observers: Map::new(),
            check_quorum_at_ms: now_ms + CHECK_QUORUM_TIMEOUT_MS,
            fetched_voters: Vec::new(),
            acknowledged: vec![id],
            next_no_op_ms: now_ms + NO_OP_INTERVAL_MS,
        }
    }

    /// A voter's fetch from `fetch_offset`: its progress, and `updateCheckQuorumForFollowingVoter`
    /// (once a majority besides the leader fetched, the check-quorum timer starts again).
    pub(crate) fn record_voter_fetch(
        &mut self,
        voter: ControllerId,
        fetch_offset: u64,
        leader_end: u64,
        now_ms: u64,
    ) {
        if let Some(progress) = self.voters.get_mut(&voter) {
            progress.record_fetch(fetch_offset, leader_end, now_ms);
        }
        if !self.fetched_voters.contains(&voter) {
            self.fetched_voters.push(voter);
        }
        let others_needed = self.voters.len() / 2;
        if self.fetched_voters.len() >= others_needed {
            self.fetched_voters.clear();
            self.check_quorum_at_ms = now_ms + CHECK_QUORUM_TIMEOUT_MS;
        }
    }

    pub(crate) fn record_observer_fetch(
        &mut self,
        broker: BrokerId,
        fetch_offset: u64,
        leader_end: u64,
        now_ms: u64,
    ) {
        self.observers
            .entry(broker)
            .or_default()
            .record_fetch(fetch_offset, leader_end, now_ms);
    }

    /// `LeaderState.maybeUpdateHighWatermark`: the offset a majority of voters (the leader
    /// counts) has fetched up to, once it is past the epoch's start (a leader commits a record
    /// of its own epoch before it exposes older ones); never backwards.
    pub(crate) fn high_watermark(&self, current: Option<u64>) -> Option<u64> {
        let mut ends: Vec<u64> = self.voters.values().filter_map(|p| p.end).collect();
        ends.sort_unstable_by(|a, b| b.cmp(a));
        let candidate = *ends.get(self.voters.len() / 2)?;
        (candidate > self.epoch_start && current.is_none_or(|hw| candidate > hw))
            .then_some(candidate)
            .or(current)
    }

    /// Whether the check-quorum timer ran out: a quorum of several voters where no majority
    /// fetched for 1.5 fetch timeouts.
    pub(crate) fn lost_quorum(&self, now_ms: u64) -> bool {
        self.voters.len() > 1 && now_ms >= self.check_quorum_at_ms
    }
}

/// The states of `QuorumState` (and a crashed process, which has none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// The process is down; its epoch, vote and log are on disk.
    Crashed,
    /// No leader known in its epoch: when the election timeout runs out it becomes
    /// prospective.
    Unattached { election_at_ms: u64 },
    /// KIP-996: asks the others whether they would vote for it (a pre-vote) before it bumps
    /// the epoch; the voters that granted and refused so far.
    Prospective {
        election_at_ms: u64,
        granted: Vec<ControllerId>,
        rejected: Vec<ControllerId>,
    },
    /// Bumped the epoch, voted for itself and asks for votes.
    Candidate {
        election_at_ms: u64,
        granted: Vec<ControllerId>,
        rejected: Vec<ControllerId>,
    },
    /// Fetches from the leader; becomes prospective when no fetch succeeded for the fetch
    /// timeout. `fetched`: it fetched from this leader at least once (`hasFetchedFromLeader`),
    /// after which it refuses pre-votes.
    Follower {
        fetch_deadline_ms: u64,
        fetched: bool,
    },
    /// The active controller.
    Leader(LeaderState),
    /// A leader that gave up (check quorum) or restarted: it votes for no one in its epoch and
    /// waits out an election timeout before it moves on to the next epoch.
    Resigned { election_at_ms: u64 },
}

/// A Vote request: a pre-vote (`pre_vote`, the epoch not bumped) or a vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VoteRequest {
    pub candidate: ControllerId,
    pub epoch: u32,
    pub last_epoch: u32,
    pub log_end: u64,
    pub pre_vote: bool,
}

/// The answer to a Vote request: the voter's epoch and leader, and whether it granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VoteResponse {
    pub epoch: u32,
    pub leader: Option<ControllerId>,
    pub granted: bool,
}

/// Where a nominee's election stands after an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tally {
    Open,
    /// A majority granted (`EpochElection.isVoteGranted`).
    Won,
    /// Too few are left to grant (`EpochElection.isVoteRejected`).
    Lost,
    /// The answer carried a higher epoch: it is no longer a nominee.
    SteppedDown,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voter {
    pub id: ControllerId,
    pub epoch: u32,
    /// The leader it knows in `epoch` (itself while it leads or has resigned).
    pub leader: Option<ControllerId>,
    /// The candidate it voted for in `epoch`: one vote per epoch.
    pub voted: Option<ControllerId>,
    pub log: MetadataLog,
    /// The committed end of the metadata log as it last learned it (`None` for a new leader
    /// until it commits a record of its epoch).
    pub high_watermark: Option<u64>,
    pub role: Role,
}

impl Voter {
    pub fn is_running(&self) -> bool {
        self.role != Role::Crashed
    }

    pub fn is_leader(&self) -> bool {
        matches!(self.role, Role::Leader(_))
    }

    /// The state's name, as `QuorumState` logs it.
    pub fn state_name(&self) -> &'static str {
        match self.role {
            Role::Crashed => "crashed",
            Role::Unattached { .. } => "unattached",
            Role::Prospective { .. } => "prospective",
            Role::Candidate { .. } => "candidate",
            Role::Follower { .. } => "follower",
            Role::Leader(_) => "leader",
            Role::Resigned { .. } => "resigned",
        }
    }

    /// `EpochState.canGrantVote` of its state: may it grant `candidate` a vote (or a pre-vote),
    /// the candidate's log being at least as up to date as its own or not?
    pub fn can_grant_vote(
        &self,
        candidate: ControllerId,
        log_up_to_date: bool,
        pre_vote: bool,
    ) -> bool {
        match &self.role {
            Role::Crashed | Role::Leader(_) | Role::Resigned { .. } => false,
            // A follower that heard from its leader refuses to help unseat it.
            Role::Follower { fetched, .. } => pre_vote && !fetched && log_up_to_date,
            Role::Candidate { .. } => pre_vote && log_up_to_date,
            // `QuorumState.unattachedOrProspectiveCanGrantVote`.
            Role::Unattached { .. } | Role::Prospective { .. } => {
                if pre_vote {
                    log_up_to_date
                } else if let Some(voted) = self.voted {
                    voted == candidate
                } else {
                    self.leader.is_none() && log_up_to_date
                }
            }
        }
    }

    /// `KafkaRaftClient.handleVoteRequest`: an older epoch is refused; a newer one moves this
    /// voter to it (unattached) first, pre-vote or not; a granted vote (not a pre-vote) is
    /// this voter's one vote in the epoch.
    pub fn handle_vote_request(
        &mut self,
        request: &VoteRequest,
        now_ms: u64,
        rng: &mut impl Draw,
    ) -> VoteResponse {
        let response = |voter: &Voter, granted| VoteResponse {
            epoch: voter.epoch,
            leader: voter.leader,
            granted,
        };
        if request.epoch < self.epoch {
            return response(self, false);
        }
        if request.epoch > self.epoch {
            self.become_unattached(request.epoch, now_ms, rng);
        }
        let up_to_date = self
            .log
            .is_behind_or_equal(request.last_epoch, request.log_end);
        let granted = self.can_grant_vote(request.candidate, up_to_date, request.pre_vote);
        if granted && !request.pre_vote && self.voted.is_none() {
            // `unattachedAddVotedState` / `prospectiveAddVotedState`: the vote is durable and the
            // election timer starts again (the candidate is as likely to win as this voter).
            self.voted = Some(request.candidate);
            let election_at_ms = now_ms + random_election_timeout_ms(rng);
            match &mut self.role {
                Role::Unattached { election_at_ms: at }
                | Role::Prospective {
                    election_at_ms: at, ..
                } => {
                    *at = election_at_ms;
                }
                _ => {}
            }
        }
        response(self, granted)
    }

    /// Records a nominee's answer from `from` (`handleVoteResponse`), among `voters` voters.
    pub fn handle_vote_response(
        &mut self,
        from: ControllerId,
        response: VoteResponse,
        voters: usize,
        now_ms: u64,
        rng: &mut impl Draw,
    ) -> Tally {
        // `maybeHandleCommonResponse`: a higher epoch ends the nomination.
        if response.epoch > self.epoch {
            match response.leader.filter(|l| *l != self.id) {
                Some(leader) => self.become_follower(response.epoch, leader, now_ms),
                None => self.become_unattached(response.epoch, now_ms, rng),
            }
            return Tally::SteppedDown;
        }
        if let Role::Prospective {
            granted, rejected, ..
        }
        | Role::Candidate {
            granted, rejected, ..
        } = &mut self.role
        {
            let list = if response.granted { granted } else { rejected };
            if !list.contains(&from) {
                list.push(from);
            }
        }
        self.tally(voters)
    }

    /// Where its election stands among `voters` voters (`EpochElection`); `Open` when it is
    /// not a nominee.
    pub fn tally(&self, voters: usize) -> Tally {
        let majority = voters / 2 + 1;
        match &self.role {
            Role::Prospective {
                granted, rejected, ..
            }
            | Role::Candidate {
                granted, rejected, ..
            } => {
                if granted.len() >= majority {
                    Tally::Won
                } else if voters - rejected.len() < majority {
                    Tally::Lost
                } else {
                    Tally::Open
                }
            }
            _ => Tally::Open,
        }
    }

    /// `KafkaRaftClient.handleBeginQuorumEpochRequest`: a leader of an older epoch is refused;
    /// one of a newer epoch, or of its own epoch while it knows none, becomes its leader.
    /// Whether it now follows `leader` (the acknowledgement).
    pub fn handle_begin_quorum_epoch(
        &mut self,
        epoch: u32,
        leader: ControllerId,
        now_ms: u64,
    ) -> bool {
        if epoch < self.epoch {
            return false;
        }
        if epoch > self.epoch || self.leader.is_none() {
            self.become_follower(epoch, leader, now_ms);
        }
        self.leader == Some(leader)
    }

    /// The Vote request it sends while a nominee, to the voters that have not answered yet.
    pub fn vote_request(&self) -> Option<(VoteRequest, Vec<ControllerId>)> {
        let (pre_vote, granted, rejected) = match &self.role {
            Role::Prospective {
                granted, rejected, ..
            } => (true, granted, rejected),
            Role::Candidate {
                granted, rejected, ..
            } => (false, granted, rejected),
            _ => return None,
        };
        let answered = granted.iter().chain(rejected).copied().collect();
        Some((
            VoteRequest {
                candidate: self.id,
                epoch: self.epoch,
                last_epoch: self.log.last_epoch(),
                log_end: self.log.end_offset(),
                pre_vote,
            },
            answered,
        ))
    }

    /// `QuorumState.transitionToUnattached`: a higher epoch with no leader known; the vote goes
    /// with the old epoch, and a running election timer keeps running.
    pub fn become_unattached(&mut self, epoch: u32, now_ms: u64, rng: &mut impl Draw) {
        let election_at_ms = match &self.role {
            Role::Unattached { election_at_ms }
            | Role::Candidate { election_at_ms, .. }
            | Role::Prospective { election_at_ms, .. }
            | Role::Resigned { election_at_ms } => *election_at_ms,
            _ => now_ms + random_election_timeout_ms(rng),
        };
        if epoch > self.epoch {
            self.voted = None;
        }
        self.epoch = epoch;
        self.leader = None;
        self.role = Role::Unattached { election_at_ms };
    }

    /// `QuorumState.transitionToFollower`: `leader` leads `epoch`; the vote stays within the
    /// same epoch.
    pub fn become_follower(&mut self, epoch: u32, leader: ControllerId, now_ms: u64) {
        if epoch > self.epoch {
            self.voted = None;
        }
        self.epoch = epoch;
        self.leader = Some(leader);
        self.role = Role::Follower {
            fetch_deadline_ms: now_ms + FETCH_TIMEOUT_MS,
            fetched: false,
        };
    }

    /// `QuorumState.transitionToProspective`: same epoch, leader and vote; it counts itself.
    pub fn become_prospective(&mut self, now_ms: u64, rng: &mut impl Draw) {
        self.role = Role::Prospective {
            election_at_ms: now_ms + random_election_timeout_ms(rng),
            granted: vec![self.id],
            rejected: Vec::new(),
        };
    }

    /// `QuorumState.transitionToCandidate`: the epoch goes up by one and it votes for itself.
    pub fn become_candidate(&mut self, now_ms: u64, rng: &mut impl Draw) {
        self.epoch += 1;
        self.leader = None;
        self.voted = Some(self.id);
        self.role = Role::Candidate {
            election_at_ms: now_ms + random_election_timeout_ms(rng),
            granted: vec![self.id],
            rejected: Vec::new(),
        };
    }

    /// `prospectiveTransitionAfterElectionLoss`: back to following the leader it knew, or
    /// unattached in the same epoch (its vote kept).
    pub fn after_lost_pre_vote(&mut self, now_ms: u64, rng: &mut impl Draw) {
        match self.leader.filter(|l| *l != self.id) {
            Some(leader) => self.become_follower(self.epoch, leader, now_ms),
            None => {
                self.role = Role::Unattached {
                    election_at_ms: now_ms + random_election_timeout_ms(rng),
                };
            }
        }
    }

    /// `KafkaRaftClient.onBecomeLeader`: leads its epoch from its log end, and writes the
    /// epoch's first record at once (a LeaderChangeMessage), so the high watermark can move.
    pub fn become_leader(&mut self, voters: &[ControllerId], now_ms: u64) {
        self.leader = Some(self.id);
        self.high_watermark = None;
        let mut state = LeaderState::new(self.id, voters, self.log.end_offset(), now_ms);
        self.log.append(self.epoch, 1);
        if let Some(own) = state.voters.get_mut(&self.id) {
            own.end = Some(self.log.end_offset());
        }
        self.high_watermark = state.high_watermark(None);
        self.role = Role::Leader(state);
    }

    /// `QuorumState.transitionToResigned`: it stays leader of its epoch on paper and votes for
    /// no one in it; after an election timeout it moves to the next epoch.
    pub fn resign(&mut self, now_ms: u64, rng: &mut impl Draw) {
        self.role = Role::Resigned {
            election_at_ms: now_ms + random_election_timeout_ms(rng),
        };
    }

    /// `QuorumState.initialize` after a restart, from the election state on disk: a former
    /// leader starts resigned, a voter that voted for itself as candidate, one that knew a
    /// leader as its follower, any other unattached.
    pub fn restart(&mut self, now_ms: u64, rng: &mut impl Draw) {
        self.high_watermark = None;
        let election_at_ms = now_ms + random_election_timeout_ms(rng);
        self.role = if self.leader == Some(self.id) {
            Role::Resigned { election_at_ms }
        } else if self.voted == Some(self.id) {
            Role::Candidate {
                election_at_ms,
                granted: vec![self.id],
                rejected: Vec::new(),
            }
        } else if self.leader.is_some() {
            Role::Follower {
                fetch_deadline_ms: now_ms + FETCH_TIMEOUT_MS,
                fetched: false,
            }
        } else {
            Role::Unattached { election_at_ms }
        };
    }
}
