//! The event log's plain words: each [`Event`] as one line (its `Display`) that says what
//! happened in Kafka's terms and what it means for the learner (what was lost, who may read
//! what). The page's event log, console transcripts and the golden log print these. Kept apart
//! from `event.rs` so the variants and their documentation read as one list.
use crate::sim::event::{ElectionKind, Event, PositionSource};
use crate::sim::ids::{BrokerId, Offset};
use crate::sim::log::Control;
use crate::sim::network::Isolation;
use crate::sim::types::{Acks, TopicPartition};
use std::fmt;

/// "offset 4" or "offsets 4–9" for the records `from..to`.
fn offsets(from: Offset, to: Offset) -> String {
    let last = to.0.saturating_sub(1);
    if last <= from.0 {
        format!("offset {from}")
    } else {
        format!("offsets {from}–{last}")
    }
}

/// "orders-0, orders-2", or "nothing".
fn partition_list(partitions: &[TopicPartition]) -> String {
    if partitions.is_empty() {
        return "nothing".to_owned();
    }
    let names: Vec<String> = partitions.iter().map(TopicPartition::to_string).collect();
    names.join(", ")
}

/// "[1, 2, 3]": a list of brokers as the event texts (and the stage's captions) write it.
pub fn brokers(list: &[BrokerId]) -> String {
    let names: Vec<String> = list.iter().map(ToString::to_string).collect();
    format!("[{}]", names.join(", "))
}

/// "broker 2", or "none" for no leader.
fn leader(broker: Option<BrokerId>) -> String {
    broker.map_or_else(|| "none".to_owned(), |b| format!("broker {b}"))
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::BrokerAdded { broker } => write!(f, "broker {broker} joined the cluster"),
            Event::BrokerCrashed {
                broker,
                session_timeout_ms,
            } => write!(
                f,
                "broker {broker} crashed; the controller will notice after broker.session.timeout.ms ({} s) without heartbeats",
                session_timeout_ms / 1000
            ),
            Event::BrokerFenced { broker } => write!(
                f,
                "the controller fenced broker {broker}: it leaves every ISR and leads nothing"
            ),
            Event::BrokerRestarted { broker } => write!(
                f,
                "broker {broker} restarted; its replicas catch up from their leaders, truncating what diverges first"
            ),
            Event::BrokerDecommissioned { broker } => {
                write!(f, "broker {broker} left the cluster for good")
            }
            Event::TopicCreated { topic, assignment } => {
                write!(
                    f,
                    "created topic {topic}: {} partition(s), replication factor {}; replicas (leader first):",
                    assignment.len(),
                    assignment.first().map_or(0, Vec::len)
                )?;
                for (p, replicas) in assignment.iter().enumerate() {
                    let sep = if p == 0 { " " } else { ", " };
                    write!(f, "{sep}{topic}-{p} {}", brokers(replicas))?;
                }
                Ok(())
            }
            Event::TopicDeleted { topic } => {
                write!(
                    f,
                    "deleted topic {topic} with its records and committed offsets"
                )
            }
            Event::PartitionsAdded {
                topic,
                assignment,
                from,
            } => write!(
                f,
                "{topic} grew to {} partitions; keys now hash modulo the new count, so some keys move",
                *from as usize + assignment.len()
            ),
            Event::TopicConfigChanged { topic, key, value } => {
                write!(f, "{topic}: {key} = {value}")
            }
            Event::LeaderElected {
                topic,
                partition,
                from,
                to,
                epoch,
                kind,
            } => {
                let how = match kind {
                    ElectionKind::Clean => "",
                    ElectionKind::Preferred => " (preferred leader election)",
                    ElectionKind::AutoLeaderRebalance => {
                        " (auto leader rebalance: back to the preferred replica)"
                    }
                    ElectionKind::Unclean => {
                        " (UNCLEAN: no in-sync replica was alive, so an out-of-sync one leads)"
                    }
                    ElectionKind::Eligible => {
                        " (from the eligible leader replicas: the ISR was empty, and this replica has every committed record; it is now the ISR)"
                    }
                    ElectionKind::LastKnownLeader => {
                        " (the last known leader is back: no in-sync or eligible replica was left; Kafka counts this as unclean)"
                    }
                };
                match to {
                    Some(_) => write!(
                        f,
                        "{topic}-{partition} leader {} → {}, leader epoch {epoch}{how}",
                        leader(*from),
                        leader(*to)
                    ),
                    None => write!(
                        f,
                        "{topic}-{partition} is OFFLINE: no live in-sync replica to lead (was {}); it waits for one to return",
                        leader(*from)
                    ),
                }
            }
            Event::RecordsLost {
                topic,
                partition,
                broker,
                from,
                to,
                committed,
            } => write!(
                f,
                "{topic}-{partition} LOST {} record(s) ({}) that broker {broker} had but the new leader does not; {committed} of them were below the high watermark, so acks=all producers had been told they were safe (acks=1 producers may have been told about more)",
                to.0 - from.0,
                offsets(*from, *to)
            ),
            Event::IsrShrunk {
                topic,
                partition,
                broker,
                isr,
                reason,
            } => write!(
                f,
                "{topic}-{partition} ISR shrank to {}: broker {broker} {reason}",
                brokers(isr)
            ),
            Event::IsrExpanded {
                topic,
                partition,
                broker,
                isr,
            } => write!(
                f,
                "{topic}-{partition} ISR grew to {}: broker {broker} caught up",
                brokers(isr)
            ),
            Event::RecordsAppended {
                topic,
                partition,
                leader,
                from,
                to,
                producer,
                choice,
            } => {
                write!(
                    f,
                    "{producer} wrote {} record(s) to {topic}-{partition} at {} on leader broker {leader}",
                    to.0 - from.0,
                    offsets(*from, *to)
                )?;
                match choice {
                    Some(choice) => write!(f, " ({choice})"),
                    None => Ok(()),
                }
            }
            Event::ReplicaFetched {
                topic,
                partition,
                broker,
                from,
                to,
            } => write!(
                f,
                "broker {broker} copied {topic}-{partition} {} from the leader",
                offsets(*from, *to)
            ),
            Event::RecordsTruncated {
                topic,
                partition,
                broker,
                from,
                records,
            } => write!(
                f,
                "broker {broker} truncated {topic}-{partition} at offset {from}, removing {records} record(s) the leader does not have"
            ),
            Event::HighWatermarkAdvanced {
                topic,
                partition,
                high_watermark,
            } => write!(
                f,
                "{topic}-{partition} high watermark → {high_watermark}: every in-sync replica has the records below it, so consumers may read them"
            ),
            Event::ProduceAcked {
                producer,
                topic,
                partition,
                from,
                to,
                acks,
            } => match acks {
                Acks::None => write!(
                    f,
                    "{producer} sent {} record(s) to {topic}-{partition} with acks=0 and does not wait for an answer",
                    to.0 - from.0
                ),
                Acks::Leader => write!(
                    f,
                    "{producer}: acks=1 acknowledged {topic}-{partition} {} as soon as the leader wrote them",
                    offsets(*from, *to)
                ),
                Acks::All => write!(
                    f,
                    "{producer}: acks=all acknowledged {topic}-{partition} {}: every in-sync replica has them",
                    offsets(*from, *to)
                ),
            },
            Event::ProduceRetrying {
                producer,
                topic,
                partition,
                records,
                attempt,
                backoff_ms,
                error,
            } => write!(
                f,
                "{producer} will retry {records} record(s) for {topic}-{partition} in {backoff_ms} ms (attempt {attempt}; the wait doubles each retry up to retry.backoff.max.ms): {error}"
            ),
            Event::ProduceFailed {
                producer,
                topic,
                partition,
                records,
                error,
            } => write!(
                f,
                "{producer} FAILED to send {records} record(s) to {topic}-{partition}: {error}"
            ),
            Event::RecordsDropped {
                producer,
                topic,
                partition,
                records,
                error,
            } => write!(
                f,
                "{records} acks=0 record(s) from {producer} for {topic}-{partition} were LOST and the producer will never know: {error}"
            ),
            Event::DuplicateIgnored {
                producer,
                topic,
                partition,
                from,
                to,
            } => write!(
                f,
                "{topic}-{partition} already had this retried batch from {producer} at {} (idempotence): not written twice",
                offsets(*from, *to)
            ),
            Event::ReassignmentStarted {
                topic,
                partition,
                target,
            } => write!(
                f,
                "reassigning {topic}-{partition} to {}: new replicas copy the log first",
                brokers(target)
            ),
            Event::ReassignmentCompleted {
                topic,
                partition,
                replicas,
            } => write!(f, "{topic}-{partition} now lives on {}", brokers(replicas)),
            Event::GeneratorStopped { generator, reason } => {
                write!(f, "generator {generator} stopped: {reason}")
            }
            Event::ConsumerStarted {
                consumer,
                group,
                subscription,
            } => write!(
                f,
                "{consumer} (group {group}) started, reading {subscription}"
            ),
            Event::ConsumerSubscribed {
                consumer,
                subscription,
            } => write!(f, "{consumer} now reads {subscription}"),
            Event::ConsumerStopped { consumer, crashed } => {
                if *crashed {
                    write!(
                        f,
                        "{consumer} CRASHED: no commit, no LeaveGroup; its group notices when its heartbeats stop for session.timeout.ms"
                    )
                } else {
                    // What it did with its group is told just before (MemberLeft, or
                    // StaticMemberAway for a static member, which stays).
                    write!(f, "{consumer} closed")
                }
            }
            Event::RebalanceStarted { group, reason } => {
                write!(f, "group {group} rebalances: {reason}")
            }
            Event::GroupStateChanged {
                group,
                from,
                to,
                generation,
            } => write!(f, "group {group}: {from} → {to} (generation {generation})"),
            Event::MemberJoined { group, member } => write!(f, "{member} joined group {group}"),
            Event::MemberLeft {
                group,
                member,
                reason,
            } => write!(f, "{member} left group {group}: {reason}"),
            Event::PartitionsAssigned {
                group,
                member,
                partitions,
                generation,
            } => write!(
                f,
                "group {group} gave {member} {} (generation {generation})",
                partition_list(partitions)
            ),
            Event::PartitionsRevoked {
                group,
                member,
                partitions,
            } => write!(
                f,
                "{member} gave up {} (group {group})",
                partition_list(partitions)
            ),
            Event::PartitionsLost {
                group,
                member,
                partitions,
            } => write!(
                f,
                "{member} LOST {} without committing: group {group} had dropped it",
                partition_list(partitions)
            ),
            Event::TargetAssignment {
                group,
                epoch,
                assignment,
            } => {
                write!(
                    f,
                    "group {group} epoch {epoch}: the coordinator's target assignment is"
                )?;
                for (member, partitions) in assignment {
                    write!(f, " {member} → {};", partition_list(partitions))?;
                }
                Ok(())
            }
            Event::CommitFailed { consumer, error } => {
                write!(f, "{consumer}'s auto-commit failed: {error}")
            }
            Event::OffsetReset {
                group,
                topic,
                partition,
                from,
                to,
            } => write!(
                f,
                "group {group}'s offset for {topic}-{partition} reset from {} to {to}",
                from.map_or_else(|| "none".to_owned(), |o| o.to_string())
            ),
            Event::TransactionBegun { producer } => write!(f, "{producer} began a transaction"),
            Event::TransactionEnded {
                producer,
                outcome,
                partitions,
            } => {
                let ended = match outcome {
                    Control::Commit => "COMMITTED",
                    Control::Abort => "ABORTED",
                };
                if partitions.is_empty() {
                    write!(
                        f,
                        "{producer}'s transaction {ended}; no partition needed a marker from it"
                    )
                } else {
                    let marker = match outcome {
                        Control::Commit => "a commit",
                        Control::Abort => "an abort",
                    };
                    write!(
                        f,
                        "{producer}'s transaction {ended}: {marker} marker went to {}",
                        partitions.join(", ")
                    )
                }
            }
            Event::SegmentsDeleted {
                topic,
                partition,
                records,
                log_start,
                reason,
            } => write!(
                f,
                "retention DELETED {records} record(s) of {topic}-{partition} ({reason}); the log now starts at offset {log_start}"
            ),
            Event::LogCompacted {
                topic,
                partition,
                removed,
                tombstones,
            } => write!(
                f,
                "the log cleaner compacted {topic}-{partition}: REMOVED {removed} record(s) superseded by newer values of their keys and {tombstones} expired tombstone(s); offsets are kept, with gaps"
            ),
            Event::PositionReset {
                consumer,
                topic,
                partition,
                offset,
                source,
                out_of_range,
            } => {
                if let Some(old) = out_of_range {
                    write!(
                        f,
                        "{consumer}'s offset {old} in {topic}-{partition} is out of range (OFFSET_OUT_OF_RANGE); "
                    )?;
                }
                let why = match source {
                    PositionSource::Committed => "the group's committed offset",
                    PositionSource::Earliest => "auto.offset.reset=earliest: the log start offset",
                    PositionSource::Latest => "auto.offset.reset=latest: the high watermark",
                };
                write!(
                    f,
                    "{consumer} starts {topic}-{partition} at offset {offset} ({why})"
                )
            }
            Event::Fetched {
                consumer,
                topic,
                partition,
                from,
                to,
            } => write!(
                f,
                "{consumer} polled {topic}-{partition} {}; position → {to}",
                offsets(*from, *to)
            ),
            Event::Skipped {
                consumer,
                topic,
                partition,
                from,
                to,
            } => write!(
                f,
                "{consumer} skipped {topic}-{partition} {} (transaction markers or aborted records); position → {to}",
                offsets(*from, *to)
            ),
            Event::OffsetCommitted {
                group,
                consumer,
                topic,
                partition,
                offset,
            } => write!(
                f,
                "{consumer} committed offset {offset} for {topic}-{partition} in group {group} (the next record to read)"
            ),
            Event::PollFailed { consumer, error } => {
                write!(f, "{consumer} stopped polling: {error}")
            }
            Event::TruncationDetected {
                consumer,
                topic,
                partition,
                offset,
                epoch,
                diverged_at,
                committed,
            } => {
                let whose = if *committed {
                    "the group's committed offset"
                } else {
                    "its position"
                };
                write!(
                    f,
                    "{consumer}: Truncation detected for partition {topic}-{partition} at offset {offset} ({whose}, read in leader epoch {epoch}): "
                )?;
                match diverged_at {
                    Some(at) => write!(
                        f,
                        "the leader's log diverges at offset {at}, so it resets its position to {at} (KIP-320)"
                    ),
                    None => write!(
                        f,
                        "the leader knows no end for that epoch, so auto.offset.reset decides"
                    ),
                }
            }
            Event::CoordinatorMoved {
                group,
                partition,
                from,
                to,
            } => match to {
                Some(to) => write!(
                    f,
                    "group {group}'s coordinator {} → broker {to}, the new leader of __consumer_offsets-{partition}",
                    leader(*from)
                ),
                None => write!(
                    f,
                    "group {group} has no coordinator (was {}): __consumer_offsets-{partition} has no live in-sync replica to lead (COORDINATOR_NOT_AVAILABLE)",
                    leader(*from)
                ),
            },
            Event::StaticMemberReplaced {
                group,
                instance,
                from,
                to,
            } => write!(
                f,
                "{to} took {from}'s place in group {group} with group.instance.id {instance}: same partitions, no rebalance"
            ),
            Event::StaticMemberAway {
                group,
                member,
                instance,
                session_timeout_ms,
            } => write!(
                f,
                "{member} (group.instance.id {instance}) stopped without leaving group {group}: its partitions wait for it; a consumer with that instance id back within session.timeout.ms ({} s) gets them again without a rebalance",
                session_timeout_ms / 1000
            ),
            Event::TransactionTimedOut {
                producer,
                timeout_ms,
                partitions,
            } => write!(
                f,
                "the transaction coordinator ABORTED {producer}'s transaction: it was open longer than transaction.timeout.ms ({timeout_ms} ms). An abort marker went to {}, so read_committed consumers skip its records and move on; its later batches fail (INVALID_PRODUCER_EPOCH) and a commit is refused until {producer} calls abortTransaction()",
                if partitions.is_empty() {
                    "no partition (its topics are gone)".to_owned()
                } else {
                    partitions.join(", ")
                }
            ),
            Event::BrokerShutDown { broker } => write!(
                f,
                "broker {broker} shut down gracefully (controlled shutdown): the controller moved its leaderships to other in-sync replicas and took it out of every ISR first; it will restart clean"
            ),
            Event::ElrChanged {
                topic,
                partition,
                elr,
                reason,
            } => write!(
                f,
                "{topic}-{partition} eligible leader replicas (ELR) now {}: {reason}",
                brokers(elr)
            ),
            Event::ReassignmentCancelled {
                topic,
                partition,
                replicas,
            } => write!(
                f,
                "reassignment of {topic}-{partition} cancelled: the replicas it was adding are deleted; it stays on {}",
                brokers(replicas)
            ),
            Event::BrokerSlowed { broker } => write!(
                f,
                "broker {broker} is SLOW (a slow disk or a saturated link): its replica fetchers bring one batch a second. Under load its followers fall behind, and a leader drops a follower that has not caught up for replica.lag.time.max.ms"
            ),
            Event::BrokerIsolated {
                broker,
                from: Isolation::Controller,
            } => write!(
                f,
                "broker {broker} is CUT OFF from the controller: its heartbeats stop arriving, so it will be fenced after broker.session.timeout.ms and its partitions will get new leaders. It never hears of that: it goes on leading what it led (a zombie leader) for the clients that still send to it, and cannot change an ISR (its AlterPartition requests cannot reach the controller)"
            ),
            Event::BrokerIsolated {
                broker,
                from: Isolation::Clients,
            } => write!(
                f,
                "broker {broker} is CUT OFF from the clients: producers' and consumers' requests to it time out (request.timeout.ms) and nothing new is sent to the partitions it leads; the controller still sees it, so it keeps leading them"
            ),
            Event::BrokerHealed { broker, unfenced } => {
                write!(
                    f,
                    "broker {broker} is healed: it reaches the controller and the clients and fetches at full speed again"
                )?;
                if *unfenced {
                    write!(
                        f,
                        "; the controller unfences it, and it learns where its partitions' leaders are now: it follows them, truncating what it wrote as a zombie"
                    )?;
                }
                Ok(())
            }
            Event::ZombieAppended {
                topic,
                partition,
                broker,
                epoch,
                leader: current,
                from,
                to,
                producer,
                acks,
            } => {
                write!(
                    f,
                    "ZOMBIE: {producer} wrote {} record(s) to {topic}-{partition} at {} on broker {broker}, which is cut off from the controller and still believes it leads in epoch {epoch}; the leader is really {}. ",
                    to.0 - from.0,
                    offsets(*from, *to),
                    leader(*current)
                )?;
                match acks {
                    Acks::Leader => write!(
                        f,
                        "acks=1: acknowledged at once, and lost when broker {broker} rejoins and truncates"
                    ),
                    Acks::All => write!(
                        f,
                        "acks=all: no follower fetches from it and it cannot shrink its ISR, so its high watermark stays put and the producer is never told they are safe"
                    ),
                    Acks::None => write!(
                        f,
                        "acks=0: nobody is told anything, and they go when broker {broker} rejoins"
                    ),
                }
            }
            Event::AcknowledgedRecordsLost {
                topic,
                partition,
                broker,
                records,
                from,
                to,
            } => write!(
                f,
                "{topic}-{partition} LOST {records} ACKNOWLEDGED record(s) ({}): broker {broker} truncated them, and their producers had been told they were written (acks=1 answered when only the leader had them, or an unclean election undid an acks=all high watermark)",
                offsets(*from, *to)
            ),
            Event::ProducerFenced {
                producer,
                by,
                transactional_id,
                epoch,
                partitions,
            } => {
                write!(
                    f,
                    "{producer} is FENCED: {by} started with the same transactional.id '{transactional_id}' and got epoch {epoch}. "
                )?;
                if !partitions.is_empty() {
                    write!(
                        f,
                        "{producer}'s open transaction was aborted (abort markers to {}), so read_committed consumers never see it. ",
                        partitions.join(", ")
                    )?;
                }
                write!(
                    f,
                    "The leaders refuse {producer}'s late batches (INVALID_PRODUCER_EPOCH) and its next call fails with ProducerFencedException, a fatal error: it must be closed"
                )
            }
            Event::ControllerCrashed { controller } => {
                write!(f, "controller {controller} crashed")
            }
            Event::ControllerRestarted { controller } => write!(
                f,
                "controller {controller} restarted; it catches up on the metadata log from the active controller"
            ),
            Event::ControllerElected { controller, epoch } => write!(
                f,
                "controller {controller} was elected active controller (epoch {epoch}): a majority voted for it"
            ),
            Event::ControllerLost {
                controller,
                epoch,
                reason,
            } => write!(
                f,
                "controller {controller} is no longer the active controller (epoch {epoch}): {reason}; until another is elected nothing is fenced, elected or created"
            ),
            Event::QuorumLost { running, voters } => write!(
                f,
                "quorum lost: only {running} of {voters} controllers run, fewer than a majority ({}); no controller can be elected, so the metadata is frozen: brokers keep serving what they lead, but nothing is fenced, elected or created",
                voters / 2 + 1
            ),
            Event::QuorumRegained { running, voters } => write!(
                f,
                "quorum regained: {running} of {voters} controllers run, a majority; they can elect an active controller again"
            ),
        }
    }
}
