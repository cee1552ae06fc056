use super::*;
use crate::sim::ordered::Map;
use rand::SeedableRng;
use rand_pcg::Pcg32;

const TICK_MS: u64 = 100;

/// Ticks `quorum` from `*now` for `ms`, with running brokers 1 to 3.
fn run(quorum: &mut Quorum, now: &mut u64, rng: &mut Pcg32, ms: u64) {
    let end = *now + ms;
    while *now < end {
        *now += TICK_MS;
        quorum.tick(*now, rng, &[BrokerId(1), BrokerId(2), BrokerId(3)]);
    }
}

fn id(n: u32) -> ControllerId {
    ControllerId(FIRST_CONTROLLER_ID + n)
}

fn epochs(quorum: &Quorum) -> Vec<u32> {
    quorum.voters().map(|v| v.epoch).collect()
}

/// KIP-996 (`ProspectiveState`, `FollowerState.canGrantVote`): a follower whose fetch timer ran
/// out asks for pre-votes without bumping the epoch; the leader and a follower that fetched from
/// it refuse, so it returns to following the leader and the epoch stays 1 everywhere.
#[test]
fn a_refused_pre_vote_does_not_bump_the_epoch() {
    let mut rng = Pcg32::seed_from_u64(1);
    let mut quorum = Quorum::new(3);
    let mut now = 0;
    run(&mut quorum, &mut now, &mut rng, 1_000);
    if let Some(voter) = quorum.voters.get_mut(&id(2)) {
        voter.role = Role::Follower {
            fetch_deadline_ms: now + TICK_MS,
            fetched: true,
        };
    }
    now += TICK_MS;
    quorum.run_timers(id(2), now, &mut rng);
    assert_eq!(
        quorum.voter(id(2)).map(Voter::state_name),
        Some("prospective")
    );
    let ids = voter_ids(3);
    quorum.run_election(id(2), &ids, now, &mut rng);
    assert_eq!(epochs(&quorum), [1, 1, 1]);
    assert_eq!(quorum.voter(id(2)).map(Voter::state_name), Some("follower"));
    assert_eq!(quorum.active_controller(), Some(id(0)));
}

/// `KafkaRaftClient.handleVoteRequest` and `QuorumState.unattachedOrProspectiveCanGrantVote`:
/// a voter grants its vote only to a candidate whose log is at least as up to date (last epoch,
/// then end offset), and only once per epoch.
#[test]
fn a_voter_grants_one_vote_per_epoch_and_none_to_a_stale_log() {
    let mut rng = Pcg32::seed_from_u64(2);
    let mut voter = Quorum::new(3).voters.remove(&id(1)).expect("voter 3001");
    voter.log.append(1, 4);
    voter.become_unattached(2, 0, &mut rng);
    let request = |candidate: u32, last_epoch, log_end| VoteRequestFields {
        candidate: id(candidate),
        epoch: 2,
        last_epoch,
        log_end,
    };
    let stale = request(0, 1, 3).vote(false);
    assert!(!voter.handle_vote_request(&stale, 0, &mut rng).granted);
    assert_eq!(voter.voted, None, "a refused vote is not a vote");
    let current = request(2, 1, 5).vote(false);
    assert!(voter.handle_vote_request(&current, 0, &mut rng).granted);
    assert_eq!(voter.voted, Some(id(2)));
    let other = request(0, 1, 5);
    assert!(
        !voter
            .handle_vote_request(&other.vote(false), 0, &mut rng)
            .granted,
        "its one vote in epoch 2 went to 3002"
    );
    assert!(
        voter
            .handle_vote_request(&other.vote(true), 0, &mut rng)
            .granted,
        "a pre-vote binds no one: an up-to-date log is enough"
    );
}

/// The fields of a Vote request, to write tests' requests short.
struct VoteRequestFields {
    candidate: ControllerId,
    epoch: u32,
    last_epoch: u32,
    log_end: u64,
}

impl VoteRequestFields {
    fn vote(&self, pre_vote: bool) -> voter::VoteRequest {
        voter::VoteRequest {
            candidate: self.candidate,
            epoch: self.epoch,
            last_epoch: self.last_epoch,
            log_end: self.log_end,
            pre_vote,
        }
    }
}

/// Raft's election restriction (`handleVoteRequest`'s up-to-date check): with the leader gone,
/// a controller that missed records cannot win; the one that has them does, in epoch 2.
#[test]
fn a_candidate_with_a_stale_log_loses() {
    let mut rng = Pcg32::seed_from_u64(3);
    let mut quorum = Quorum::new(3);
    let mut now = 0;
    quorum.crash(id(1));
    run(&mut quorum, &mut now, &mut rng, 2_000);
    let stale_end = quorum.voter(id(1)).map(|v| v.log.end_offset());
    let current_end = quorum.voter(id(2)).map(|v| v.log.end_offset());
    assert!(stale_end < current_end, "3001 missed the NoOpRecords");
    quorum.crash(id(0));
    quorum.restart(id(1), now, &mut rng);
    run(&mut quorum, &mut now, &mut rng, 10_000);
    let leader = quorum.active().expect("a leader");
    assert_eq!((leader.id, leader.epoch), (id(2), 2));
    assert!(quorum.has_majority());
}

/// The Raft invariants over random crashes and restarts of 3 and 5 controllers
/// (`QuorumState`, `LeaderState.maybeUpdateHighWatermark`): at most one leader per epoch, the
/// committed offset never goes back, and it never passes what a majority of logs hold.
#[test]
fn random_crashes_keep_one_leader_per_epoch_and_a_majority_high_watermark() {
    for seed in 0..40u64 {
        let mut rng = Pcg32::seed_from_u64(seed);
        let mut faults = Pcg32::seed_from_u64(seed + 1_000);
        let count = if seed % 2 == 0 { 3 } else { 5 };
        let mut quorum = Quorum::new(count);
        let mut now = 0;
        let mut leaders: Map<u32, ControllerId> = Map::new();
        let mut committed = 0;
        for _ in 0..1_500 {
            if faults.below(20) == 0 {
                let target = id(faults.below(count as usize) as u32);
                if quorum.voter(target).is_some_and(Voter::is_running) {
                    quorum.crash(target);
                } else {
                    quorum.restart(target, now, &mut rng);
                }
            }
            run(&mut quorum, &mut now, &mut rng, TICK_MS);
            for leader in quorum.voters().filter(|v| v.is_leader()) {
                let first = *leaders.entry(leader.epoch).or_insert(leader.id);
                assert_eq!(
                    first, leader.id,
                    "seed {seed}: two leaders in epoch {}",
                    leader.epoch
                );
            }
            if let Some(hw) = quorum.high_watermark() {
                assert!(hw >= committed, "seed {seed}: the high watermark went back");
                committed = hw;
                let mut ends: Vec<u64> = quorum.voters().map(|v| v.log.end_offset()).collect();
                ends.sort_unstable_by(|a, b| b.cmp(a));
                assert!(
                    hw <= ends[quorum.majority() - 1],
                    "seed {seed}: high watermark {hw} beyond a majority's logs {ends:?}"
                );
            }
        }
        assert!(leaders.len() > 1, "seed {seed}: some election happened");
    }
}

/// `LeaderState.maybeUpdateHighWatermark`: a new leader exposes no high watermark until a
/// majority has its epoch's first record; a single controller commits what it writes at once.
#[test]
fn a_new_leader_commits_its_own_epoch_first() {
    let mut rng = Pcg32::seed_from_u64(4);
    let mut voter = Quorum::new(3).voters.remove(&id(1)).expect("voter 3001");
    voter.become_prospective(0, &mut rng);
    voter.become_candidate(0, &mut rng);
    voter.become_leader(&voter_ids(3), 0);
    assert_eq!(voter.high_watermark, None);
    let mut single = Quorum::new(1);
    let before = single.high_watermark();
    single.append(2);
    assert_eq!(single.high_watermark(), before.map(|hw| hw + 2));
}
