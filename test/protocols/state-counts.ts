/**
 * The exact distinct-state count of every exhaustive protocol configuration (a named test run with
 * its default parameters: whole spaces, and clientserver's lossy space to depth 12), pinned: a change to a protocol, the DSL or the
 * fingerprint that changes a state space shows up here. The counts match ebd42f2, before components.
 */
import type { ExecutionContext } from "ava"
import type { CheckResult } from "../../src/checker/result.ts"

export const PINNED_STATES: Readonly<Record<string, number>> = {
  "pingpong/exhaustive": 81,
  "pingpong/exhaustive-lossy": 115,
  "clientserver/exhaustive-one-client": 7,
  "clientserver/exhaustive-appends": 13,
  "clientserver/exhaustive-lossy": 773,
  "primarybackup/exhaustive-small": 61_398,
  "paxos/exhaustive-stable-leader": 1_529,
  "raft/exhaustive-election": 1_887,
  "raft/exhaustive-crash": 26_015,
  "replicated-kv/spec/exhaustive-one-client": 169,
  "replicated-kv/spec/exhaustive-appends": 145,
  "replicated-kv/paxos/exhaustive-one-client": 4_397,
  "replicated-kv/paxos/exhaustive-appends": 1_529,
  "replicated-kv/raft/exhaustive-one-client": 1_283,
  "replicated-kv/raft/exhaustive-appends": 1_561,
  // Session 6 (not in ebd42f2): complete searches of staged and liveness tests.
  "raft/staged-shorter-log-campaigns": 1_882,
  "raft/live-retry-new-leader": 11_382,
  "primarybackup/live-failover": 259_004,
  "primarybackup/live-primary-crash": 9_755,
  "primarybackup/live-backup-crash": 4_383,
  "primarybackup/live-views": 49_908,
  "paxos/hunt-prompt-heartbeats": 2_679,
  "raft/staged-retry-new-leader": 303,
  "raft/staged-stale-snapshot-two-clients": 383,
  "primarybackup/staged-second-client-queued": 1_022,
  // Session 9: the blind wave's searches (complete, or BFS to their goal).
  "raft/staged-snapshot-next-leader": 2_044,
  "raft/staged-overwritten-entry": 27_650,
  "primarybackup/staged-view-after-crash": 3_776,
  "primarybackup/live-lossy-view": 19_802,
  // Session 10: the blind wave's searches (BFS to their goal).
  "raft/staged-append-over-snapshot": 17_811,
  "raft/staged-shorter-log-campaigns-compacted": 1_864,
  "raft/staged-next-leader-appends": 22_232,
  "primarybackup/staged-stale-ack": 48_176,
  // Session 11: seed-free searches for catches that only the swarm hunts made.
  "raft/staged-older-log-campaigns": 83,
  "primarybackup/exhaustive-one-server": 170,
  // Session 14: a leader-mode client across the leader's crash (messages to the crashed server forgotten).
  "paxos/live-client-finds-leader": 101_001,
  // Session 14: blind wave 9's searches (BFS to their goal; complete).
  "raft/search-heartbeat-commit": 150,
  "primarybackup/stale-read-after-swap": 6_139,
  // Session 14 (wave 12): a leader-confirmed read on a lossy network, at most 2 probes.
  "paxos/live-reads-complete": 63_480,
  // Session 16: a refusal delivered again after the acknowledgement it preceded (BFS to its goal).
  "raft/staged-late-refusal": 15_394,
}

/** Asserts the pinned count of `key` when it has one (a depth-bounded search is pinned too: BFS to a depth is deterministic). */
export const checkPinned = (t: ExecutionContext, key: string, r: CheckResult<unknown, unknown>): void => {
  const want = PINNED_STATES[key]
  if (want === undefined) return
  t.is(r.distinct, want, `${key}: ${r.distinct} distinct states, pinned ${want}`)
}
