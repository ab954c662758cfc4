/**
 * Raft as a model: named tests after the MIT 6.824 suites (2A elections, 2B agreement, 2C persistence,
 * 2D snapshots, 3A/3B KV), mostly seeded timed simulations with fault schedules and every invariant
 * checked in every state, plus bounded exhaustive searches and a planted bug.
 *
 * Time is in simulated milliseconds: election timeouts 150-300, heartbeats every 50, client retries
 * after 100. Fault schedules that must hit the leader find it by running the same seed up to the
 * fault time (the run is identical up to then), so each test is one reproducible run per seed.
 */
import { intParam } from "../../../spec/packed.ts"
import type { Model, NamedTest, Params } from "../../checker/model.ts"
import type { CheckOptions } from "../../checker/result.ts"
import { goal, type StateProperty, withProperties } from "../../checker/transition-system.ts"
import { workload, type Workload } from "../../core/config.ts"
import { append, appendResult, get, getResult, put, putOk } from "../../core/kv.ts"
import { allClientsDone } from "../../core/properties.ts"
import type { Fault, SimOptions, TimedState } from "../../core/timed.ts"
import { appendWorkload, privateKeyWorkload } from "../../core/workloads.ts"
import type { AMOCommand } from "../../core/application.ts"
import { entryAt } from "./server.ts"
import { persistBounded, serverStates } from "./properties.ts"
import { TARGETED_TESTS } from "./targeted.ts"
import { STAGED_ELECTION_TESTS } from "./staged-elections.ts"
import { BEHIND_SNAPSHOT_TESTS } from "./behind-snapshot.ts"
import { FIVE_SERVER_TESTS } from "./five-servers.ts"
import { FIGURE_EIGHT_TESTS } from "./figure-eight.ts"
import { LATE_REFUSAL_TESTS } from "./late-refusal.ts"
import { CRASH_RESTART_TESTS } from "./crash-restart.ts"
import { RETRY_IN_TERM_TESTS } from "./retry-in-term.ts"
import { STALE_SNAPSHOT_SHORT_TESTS } from "./stale-snapshot-short.ts"
import { TERM_RULE_TESTS } from "./term-rule.ts"
import { ACKS_CHECKED_TESTS } from "./acks-checked.ts"
import { HEARTBEAT_COMMIT_TESTS } from "./heartbeat-commit.ts"
import { SNAPSHOT_ARGS_TESTS } from "./snapshot-args.ts"
import { OVERWRITTEN_ENTRY_TESTS } from "./overwritten-entry.ts"
import { FIVE_TERMS_TESTS } from "./five-terms.ts"
import { COMPACTION_SEARCH_TESTS } from "./compaction-searches.ts"
import { prune } from "../../checker/transition-system.ts"
import type { ClientOptions } from "../../core/exactly-once.ts"
import { inFlightAtMost, underFairDelivery } from "../../core/fair.ts"
import type { ProtocolState } from "../../core/compile.ts"
import { drawFaults, explainedRun, simHuntSystem } from "../../core/swarm.ts"
import {
  agreedLeader,
  allCaughtUp,
  checkedSystem,
  clientsDone,
  committedDurably,
  cutOff,
  goalAfter,
  interleavedOf,
  leaderBefore,
  messagesBounded,
  newLeaderBy,
  noCompletionBetween,
  noNewLeader,
  type RaftSetup,
  scatter,
  serverNames,
  type SimSetup,
  type SimSystem,
  simulated,
  termBounded,
} from "./scenarios.ts"

/** One seeded run of the timed simulator, as in the course testers. */
export const SIM: CheckOptions = { strategy: "random", samples: 1, maxDepth: 10_000_000, minimise: false }
/** When the first leader is surely elected in the runs below, and faults aimed at it start. */
const T0 = 600

const basicWorkload = workload([
  [put("k", "a"), putOk()],
  [append("k", "b"), appendResult("ab")],
  [get("k"), getResult("ab")],
])

const privateKeys = (clients: number, ops: number): Workload[] => Array.from({ length: clients }, (_, i) => privateKeyWorkload(`client${i + 1}`, ops))
const appends = (clients: number, ops: number): Workload[] => Array.from({ length: clients }, (_, i) => appendWorkload(`client${i + 1}`, ops))

/**
 * A simulated test: one seeded run; a run that breaks an invariant is lifted to the interleaving model
 * and minimised there (core/swarm.ts), so its trace is the few steps the bug needs.
 */
const sim = (description: string, build: (p: Params, seed: number) => SimSystem, expect: NamedTest["expect"] = "goal-found"): NamedTest => ({
  description,
  build: (p, seed) => {
    const sys = build(p, seed)
    return explainedRun(sys, seed, () => interleavedOf(sys.setup))
  },
  options: SIM,
  expect,
})

/** A simulated test whose faults depend on the leader at T0: `faults(leader, term)`. */
const aimed = (setup: SimSetup, faults: (leader: number, term: number) => { readonly faults: ReadonlyArray<Fault>; readonly properties: ReadonlyArray<StateProperty<TimedState>> }) => (_p: Params, seed: number) => {
  const { index, term } = leaderBefore(setup, seed, T0)
  const f = faults(index, term)
  return simulated({ ...setup, sim: { ...setup.sim, faults: [...(setup.sim.faults ?? []), ...f.faults] }, properties: [...(setup.properties ?? []), ...f.properties] }, seed)
}

const idle = (maxTime: number): SimOptions => ({ stopWhenDone: false, maxTime })

// ---------------------------------------------------------------------------------------------------
// 2A: elections

const elections = {
  "election-initial": sim("3 servers elect one leader that all follow, and without faults no further elections happen", (_p, seed) =>
    simulated({ servers: 3, sim: idle(3000), properties: [termBounded(3, 3), goalAfter(2000, "STABLE_LEADER", (s) => agreedLeader(s, 3))] }, seed)
  ),
  "election-reelection": sim(
    "the leader is cut off: the other two elect a new leader of a later term; when it rejoins, one leader remains",
    aimed({ servers: 3, sim: idle(4000) }, (l, term) => ({
      faults: [cutOff(T0, { servers: 3 }, [l]), { at: 1600, k: "heal" }],
      properties: [newLeaderBy(3, 1100, 1600, l, term), goalAfter(2400, "ONE_LEADER_AFTER_REJOIN", (s) => agreedLeader(s, 3))],
    }))
  ),
  "election-no-majority": sim(
    "every server cut off from the others: no new leader without a majority; once healed, one leader",
    aimed({ servers: 3, sim: idle(4000) }, (l, term) => ({
      faults: [scatter(T0, { servers: 3 }, l), { at: 1600, k: "heal" }],
      properties: [noNewLeader(3, T0, 1600, term), goalAfter(2600, "ONE_LEADER_AFTER_HEAL", (s) => agreedLeader(s, 3))],
    }))
  ),
  "election-many-7": sim("7 servers, 3 of them cut off at random every 400 ms: leaders stay unique per term; healed, one leader", (_p, seed) =>
    simulated({ servers: 7, sim: { ...idle(6000), randomPartitions: { every: 400, until: 4000 } }, properties: [goalAfter(4000, "ONE_LEADER_AFTER_CHURN", (s) => agreedLeader(s, 7))] }, seed)
  ),
} satisfies Record<string, NamedTest>

// ---------------------------------------------------------------------------------------------------
// 2B: agreement

/** Entries 1, 2, 3 of every server are client1's commands 1, 2, 3, all committed. */
const indices123 = goal<TimedState>(
  "AGREED_AT_1_2_3",
  (s) =>
    allClientsDone(s) &&
    allCaughtUp(s, 3, 3) &&
    serverStates(s, 3).every((x) => x !== null && [1, 2, 3].every((i) => (entryAt(x, i)?.command as AMOCommand | undefined)?.seq === i))
)

const thinking = { thinkTime: 50 }

const agreement = {
  "agree-basic": sim("one client's put, append, get are agreed at indices 1, 2, 3 on every server; the KV store refines spec/kv", (_p, seed) =>
    simulated({ servers: 3, workloads: [basicWorkload], sim: idle(2000), refinement: true, properties: [indices123] }, seed)
  ),
  "agree-follower-failure": sim(
    "a follower is cut off while a client runs: the other two keep agreeing",
    aimed({ servers: 3, workloads: privateKeys(1, 12), client: thinking, sim: {}, properties: [clientsDone()] }, (l) => ({
      faults: [cutOff(T0, { servers: 3, workloads: privateKeys(1, 12) }, [(l + 1) % 3])],
      properties: [],
    }))
  ),
  "agree-leader-failure": sim(
    "the leader is cut off while a client runs: a new leader takes over and the client finishes",
    aimed({ servers: 3, workloads: privateKeys(1, 12), client: thinking, sim: {}, properties: [clientsDone()] }, (l) => ({
      faults: [cutOff(T0, { servers: 3, workloads: privateKeys(1, 12) }, [l])],
      properties: [],
    }))
  ),
  "agree-follower-catches-up": sim(
    "a follower cut off during 12 operations rejoins and catches up with the whole log",
    aimed({ servers: 3, workloads: privateKeys(1, 12), client: thinking, sim: idle(4000) }, (l) => ({
      faults: [cutOff(T0, { servers: 3, workloads: privateKeys(1, 12) }, [(l + 1) % 3]), { at: 2500, k: "heal" }],
      properties: [goalAfter(2500, "ALL_CAUGHT_UP", (s) => allClientsDone(s) && allCaughtUp(s, 3, 12))],
    }))
  ),
  "agree-no-majority": sim(
    "5 servers; the leader, one follower and the client are cut off from the other 3: nothing commits until the network heals",
    aimed({ servers: 5, workloads: privateKeys(1, 10), client: { thinkTime: 100 }, sim: {}, properties: [clientsDone()] }, (l) => ({
      faults: [cutOff(T0, { servers: 5, workloads: privateKeys(1, 10) }, [l, (l + 1) % 5], true), { at: 2000, k: "heal" }],
      properties: [noCompletionBetween(T0 + 50, 2000)],
    }))
  ),
  "agree-concurrent": sim("5 clients append to one key concurrently: all finish, appends linearizable", (_p, seed) =>
    simulated({ servers: 3, workloads: appends(5, 10), sim: {}, properties: [clientsDone()] }, seed)
  ),
  "agree-old-leader-rejoins": sim(
    "the leader is cut off with the client, which makes it append entries it cannot commit; the rest elect a new leader; on rejoining its uncommitted entries are overwritten",
    aimed({ servers: 3, workloads: privateKeys(1, 10), client: thinking, sim: idle(5000) }, (l) => {
      const setup = { servers: 3, workloads: privateKeys(1, 10) }
      const s = serverNames(3)
      return {
        faults: [cutOff(T0, setup, [l], true), { at: 900, k: "partition", groups: [[s[l]!], [...s.filter((_, i) => i !== l), "client1"]] }, { at: 2500, k: "heal" }],
        properties: [goalAfter(2500, "LOGS_CONVERGE", (x) => allClientsDone(x) && allCaughtUp(x, 3, 10))],
      }
    })
  ),
  "agree-backup": sim(
    "5 servers; a cut-off leader and follower take 30 entries they cannot commit while the majority commits 30 others; healed, the divergent logs are repaired in few round trips",
    aimed({ servers: 5, workloads: privateKeys(30, 2), sim: idle(5000) }, (l) => {
      const setup = { servers: 5, workloads: privateKeys(30, 2) }
      const s = serverNames(5)
      const old = [s[l]!, s[(l + 1) % 5]!]
      const clients = Array.from({ length: 30 }, (_, i) => `client${i + 1}`)
      return {
        faults: [
          cutOff(T0, setup, [l, (l + 1) % 5], true),
          { at: 900, k: "partition", groups: [old, [...s.filter((x) => !old.includes(x)), ...clients]] },
          { at: 2500, k: "heal" },
        ],
        properties: [goalAfter(2500, "LOGS_CONVERGE", (x) => allClientsDone(x) && allCaughtUp(x, 5, 60))],
      }
    })
  ),
  "agree-message-count": sim(
    "an election, 11 commands and an idle second cost a bounded number of messages between servers",
    (_p, seed) =>
      simulated(
        { servers: 3, workloads: privateKeys(1, 11), sim: idle(3000), properties: [messagesBounded(40, 8, 100), goalAfter(2500, "IDLE_SECOND_DONE", allClientsDone)] },
        seed
      )
  ),
} satisfies Record<string, NamedTest>

// ---------------------------------------------------------------------------------------------------
// 2C: persistence

const crashAll = (at: number, back: number, n: number): Fault[] =>
  serverNames(n).flatMap((node) => [
    { at, k: "crash", node },
    { at: back, k: "restart", node },
  ])

const persistence = {
  "persist-restart-all": sim("every server crashes and restarts twice while a client runs: all it saw committed survives", (_p, seed) =>
    simulated(
      { servers: 3, workloads: privateKeys(1, 12), client: thinking, sim: { faults: [...crashAll(T0, 700, 3), ...crashAll(1200, 1300, 3)] }, properties: [committedDurably(3)] },
      seed
    )
  ),
  "persist-restart-leader": sim(
    "the leader crashes and restarts while a client runs",
    aimed({ servers: 3, workloads: privateKeys(1, 12), client: thinking, sim: {}, properties: [committedDurably(3)] }, (l) => ({
      faults: [
        { at: T0, k: "crash", node: serverNames(3)[l]! },
        { at: 1000, k: "restart", node: serverNames(3)[l]! },
      ],
      properties: [],
    }))
  ),
  "persist-restart-follower": sim(
    "a follower crashes and restarts while a client runs",
    aimed({ servers: 3, workloads: privateKeys(1, 12), client: thinking, sim: {}, properties: [committedDurably(3)] }, (l) => ({
      faults: [
        { at: T0, k: "crash", node: serverNames(3)[(l + 1) % 3]! },
        { at: 1000, k: "restart", node: serverNames(3)[(l + 1) % 3]! },
      ],
      properties: [],
    }))
  ),
  "persist-figure8": sim("Figure 8: 5 servers, a random server crashes every 200 ms for 150 ms while 3 clients run; the invariants hold throughout", (_p, seed) =>
    simulated(
      { servers: 5, workloads: privateKeys(3, 30), client: { thinkTime: 100 }, sim: { randomCrashes: { every: 200, downFor: 150, until: 5000 } }, properties: [committedDurably(5)] },
      seed
    )
  ),
  "persist-unreliable": sim("10% loss and 10% duplication, 5 clients appending to one key", (_p, seed) =>
    simulated({ servers: 3, workloads: appends(5, 10), sim: { loss: 0.1, duplicate: 0.1 }, properties: [committedDurably(3)] }, seed)
  ),
  "persist-figure8-unreliable": sim("Figure 8 with long reordering: latency 1-100 ms, 10% loss, random crashes", (_p, seed) =>
    simulated(
      {
        servers: 5,
        workloads: privateKeys(3, 20),
        client: { thinkTime: 100 },
        sim: { latency: [1, 100], loss: 0.1, randomCrashes: { every: 300, downFor: 200, until: 6000 } },
        properties: [committedDurably(5)],
      },
      seed
    )
  ),
  "persist-churn": sim("churn: random crashes and partitions while 5 clients run; every value a client saw committed is in the final state", (_p, seed) => {
    const setup: RaftSetup = { servers: 5, workloads: privateKeys(5, 20), client: { thinkTime: 100 } }
    return simulated(
      { ...setup, sim: { randomCrashes: { every: 300, downFor: 200, until: 5000 }, randomPartitions: { every: 350, until: 5000 } }, properties: [committedDurably(5)] },
      seed
    )
  }),
  "persist-churn-unreliable": sim("churn on an unreliable network (10% loss, 5% duplication)", (_p, seed) => {
    const setup: RaftSetup = { servers: 5, workloads: privateKeys(5, 20), client: { thinkTime: 100 } }
    return simulated(
      {
        ...setup,
        sim: { loss: 0.1, duplicate: 0.05, randomCrashes: { every: 300, downFor: 200, until: 5000 }, randomPartitions: { every: 350, until: 5000 } },
        properties: [committedDurably(5)],
      },
      seed
    )
  }),
} satisfies Record<string, NamedTest>

// ---------------------------------------------------------------------------------------------------
// 2D: snapshots

export const SNAPSHOT_THRESHOLD = 10

const snap = { snapshotThreshold: SNAPSHOT_THRESHOLD }

const snapshots = {
  "snap-bounded": sim("log compaction keeps every server's persisted state under a bound while 3 clients run 60 operations each", (_p, seed) =>
    simulated(
      {
        servers: 3,
        workloads: privateKeys(3, 60),
        server: snap,
        sim: {},
        properties: [persistBounded(3, serverNames(3), 2 * SNAPSHOT_THRESHOLD + 3, 8000), committedDurably(3)],
      },
      seed
    )
  ),
  "snap-install-cut": sim(
    "a follower cut off while the log is compacted is brought up by InstallSnapshot",
    aimed({ servers: 3, workloads: privateKeys(1, 30), server: { snapshotThreshold: 5 }, client: { thinkTime: 10 }, sim: idle(5000) }, (l) => ({
      faults: [cutOff(T0, { servers: 3, workloads: privateKeys(1, 30) }, [(l + 1) % 3]), { at: 2500, k: "heal" }],
      properties: [goalAfter(2500, "ALL_CAUGHT_UP", (s) => allClientsDone(s) && allCaughtUp(s, 3, 30))],
    }))
  ),
  "snap-install-crash": sim(
    "a follower crashed while the log is compacted restarts and is brought up by InstallSnapshot",
    aimed({ servers: 3, workloads: privateKeys(1, 30), server: { snapshotThreshold: 5 }, client: { thinkTime: 10 }, sim: idle(5000) }, (l) => ({
      faults: [
        { at: T0, k: "crash", node: serverNames(3)[(l + 1) % 3]! },
        { at: 2500, k: "restart", node: serverNames(3)[(l + 1) % 3]! },
      ],
      properties: [goalAfter(2500, "ALL_CAUGHT_UP", (s) => allClientsDone(s) && allCaughtUp(s, 3, 30))],
    }))
  ),
  "snap-install-unreliable": sim("snapshots on an unreliable network with random partitions (10% loss)", (_p, seed) => {
    const setup: RaftSetup = { servers: 3, workloads: privateKeys(3, 20), server: { snapshotThreshold: 5 } }
    return simulated({ ...setup, sim: { loss: 0.1, randomPartitions: { every: 300, until: 3000 } }, properties: [committedDurably(3)] }, seed)
  }),
  "snap-all-crash": sim("all servers crash twice and restart from snapshot plus log", (_p, seed) =>
    simulated(
      {
        servers: 3,
        workloads: privateKeys(1, 30),
        server: { snapshotThreshold: 5 },
        client: { thinkTime: 20 },
        sim: { faults: [...crashAll(700, 800, 3), ...crashAll(1400, 1500, 3)] },
        properties: [committedDurably(3)],
      },
      seed
    )
  ),
} satisfies Record<string, NamedTest>

// ---------------------------------------------------------------------------------------------------
// 3A/3B: the KV service

const kv = {
  "kv-basic": sim("one client: put, append, get with the expected results; the committed store refines spec/kv", (_p, seed) =>
    simulated({ servers: 3, workloads: [basicWorkload], sim: {}, refinement: true, properties: [clientsDone()] }, seed)
  ),
  "kv-concurrent": sim("5 clients, 20 operations each on their own keys, results as a sequential store gives", (_p, seed) =>
    simulated({ servers: 5, workloads: privateKeys(5, 20), sim: {}, properties: [committedDurably(5)] }, seed)
  ),
  "kv-unreliable": sim("20% loss, 10% duplication, 5 clients appending to one key: appends linearizable", (_p, seed) =>
    simulated({ servers: 5, workloads: appends(5, 10), sim: { loss: 0.2, duplicate: 0.1 }, properties: [committedDurably(5)] }, seed)
  ),
  "kv-partition": sim(
    "the leader and the clients in a minority partition: no operation completes there; healed, all finish",
    aimed({ servers: 5, workloads: appends(3, 8), client: { thinkTime: 100 }, sim: {}, properties: [committedDurably(5)] }, (l) => ({
      faults: [cutOff(T0, { servers: 5, workloads: appends(3, 8) }, [l, (l + 1) % 5], true), { at: 2000, k: "heal" }],
      properties: [noCompletionBetween(T0 + 50, 2000)],
    }))
  ),
  "kv-many-partitions": sim("random partitions every 300 ms (clients on random sides) while 5 clients append to one key", (_p, seed) => {
    const setup: RaftSetup = { servers: 5, workloads: appends(5, 10) }
    return simulated({ ...setup, sim: { randomPartitions: { every: 300, until: 4000 } }, properties: [committedDurably(5)] }, seed)
  }),
  "kv-restarts": sim("random crashes and restarts while 5 clients run, with snapshots", (_p, seed) =>
    simulated(
      { servers: 5, workloads: privateKeys(5, 15), server: snap, client: thinking, sim: { randomCrashes: { every: 300, downFor: 100, until: 4000 } }, properties: [committedDurably(5)] },
      seed
    )
  ),
} satisfies Record<string, NamedTest>

// ---------------------------------------------------------------------------------------------------
// Exhaustive search and planted bugs

const maxTerm = (p: Params) => intParam(p, "maxTerm", 1, 1, 5)

/** A budget for the replication search that keeps the test suite quick; `tla-ts prove` lifts it. */
export const REPLICATION_BUDGET = 40_000

export const bugSetup = (p: Params): RaftSetup => ({
  servers: 3,
  workloads: [workload([[put("k", "a"), putOk()]])],
  server: { bugVoteWithoutUpToDateCheck: true, maxTerm: Math.max(2, maxTerm(p)) },
})

const exhaustive = {
  "exhaustive-election": {
    description: "3 servers, no clients, terms up to maxTerm, duplicating network: the whole space; the invariants hold in every state",
    build: (p) => checkedSystem({ servers: 3, server: { maxTerm: maxTerm(p) }, symmetricServers: true }, [], "raft exhaustive election"),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "exhaustive-crash": {
    description: "3 servers, no clients, one term, one server at a time may crash and restart from its storage: the whole space",
    build: (p) => checkedSystem({ servers: 3, server: { maxTerm: maxTerm(p) }, faults: { maxCrashed: 1 }, symmetricServers: true }, [], "raft exhaustive crash"),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "exhaustive-replication": {
    description: `3 servers, one client's Put, one term, duplicating network; BFS to ${REPLICATION_BUDGET} states (the whole space is about 252,000 states: \`tla-ts prove\` runs it all): invariants, RESULTS_OK, REFINES_KV`,
    build: (p) =>
      checkedSystem({ servers: 3, workloads: [workload([[put("k", "a"), putOk()]])], server: { maxTerm: maxTerm(p) }, client: { retry: false } }, [], "raft exhaustive replication"),
    options: { strategy: "bfs", maxStates: REPLICATION_BUDGET },
    expect: "budget-exhausted",
  },
  "bug-vote-without-up-to-date": {
    description: "planted bug: voters skip the up-to-date check, so a server without a committed entry can win; LEADER_COMPLETENESS must fail (random walks, then minimised)",
    // Without RECEIVER_RULES, whose RequestVote rule flags the vote itself: this planted bug shows the invariant.
    build: (p) => {
      const sys = checkedSystem(bugSetup(p), [], "raft bug: vote without up-to-date check")
      return withProperties(sys, sys.properties, (sys.stepProperties ?? []).filter((s) => s.name !== "RECEIVER_RULES"))
    },
    options: { strategy: "random", samples: 3000, maxDepth: 40, seed: 1 },
    expect: "violation",
  },
} satisfies Record<string, NamedTest>

/**
 * Liveness under fair delivery with a stable leader: 3 servers, one client's Put, a network that
 * reorders and drops; server1 is the only server that campaigns (another candidate is pruned), terms
 * stop at 1 (a lost term-1 election is pruned too) and at most `inFlight` messages are in flight.
 */
const stableLeaderLive = (client: ClientOptions, inFlight: number) =>
  underFairDelivery(
    checkedSystem(
      { servers: 3, workloads: [workload([[put("k", "a"), putOk()]])], server: { maxTerm: 1 }, network: { delivery: "multiset", drops: true }, client },
      [
        prune<ProtocolState>("ANOTHER_CANDIDATE", (w) => serverStates(w, 3).some((s, i) => i > 0 && s !== null && s.role !== "follower")),
        // server1 lost its term-1 election and, at maxTerm, will not campaign again: no leader ever, the bound's doing.
        prune<ProtocolState>("ELECTION_GAVE_UP", (w) => serverStates(w, 3)[0]?.role === "candidate" && !w.nodes[0]!.timers.some((t) => t.timer._tag === "ElectionTimer")),
        inFlightAtMost(inFlight),
      ],
      "raft liveness, stable leader"
    )
  )

const liveness = {
  "live-requests-complete": {
    description: "liveness: every client request completes under fair delivery with a stable leader (lossy network, client retries; at most 2 in flight)",
    build: () => stableLeaderLive({}, 2),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "bug-live-no-client-retry": {
    description: "planted liveness bug: the client never re-sends after a loss; a lasso where its request is dropped and the leader heartbeats forever",
    build: () => stableLeaderLive({ retry: false }, 2),
    options: { strategy: "bfs" },
    expect: "violation",
  },
} satisfies Record<string, NamedTest>

// ---------------------------------------------------------------------------------------------------
// Bug hunts (issue 14 item 5): swarms of timed simulations whose violations are lifted to the
// interleaving model and minimised (core/swarm.ts), so the trace printed is a short interleaving.

/** A hunt: `runs` simulated runs of `setup` over `horizon` ms, each with its own fault mix; crashes of up to every server. */
const simHunt = (setup: RaftSetup, horizon: number) => (p: Params, seed: number) =>
  simHuntSystem({
    runs: intParam(p, "runs", HUNT_RUNS, 1, 100_000),
    seed,
    simulate: (rng, runSeed) => simulated({ ...setup, sim: drawFaults(rng, horizon) }, runSeed, "raft hunt"),
    interleaved: interleavedOf({ ...setup, sim: {} }),
  })

/** Simulated runs per hunt (the `runs` parameter). */
export const HUNT_RUNS = 150

const hunt = (description: string, build: NamedTest["build"]): NamedTest => ({
  description,
  build,
  options: { strategy: "bfs", seed: 1, maxStates: 200_000 },
  expect: "ok",
})

const hunts = {
  "hunt-swarm-3": hunt(
    "bug hunt: 3 servers, one client's 6 operations, snapshots every 3 entries; simulated runs each with its own mix of crashes and restarts, partitions, loss, duplication and latency; a violation is lifted to the interleaving model and minimised",
    simHunt({ servers: 3, workloads: privateKeys(1, 6), server: { snapshotThreshold: 3 }, client: thinking }, 2500)
  ),
  "hunt-swarm-5": hunt(
    "bug hunt: 5 servers, 2 clients appending to one key, snapshots every 4 entries; simulated swarm runs with their own fault mixes; a violation is lifted to the interleaving model and minimised",
    simHunt({ servers: 5, workloads: appends(2, 5), server: { snapshotThreshold: 4 }, client: thinking }, 2500)
  ),
} satisfies Record<string, NamedTest>

/** The named tests, keyed by name (proofs refer to them by these keys, checked by the type checker). */
export const RAFT_TESTS = { ...hunts, ...TARGETED_TESTS, ...elections, ...agreement, ...persistence, ...snapshots, ...kv, ...exhaustive, ...liveness, ...STAGED_ELECTION_TESTS, ...BEHIND_SNAPSHOT_TESTS, ...FIVE_SERVER_TESTS, ...LATE_REFUSAL_TESTS, ...FIGURE_EIGHT_TESTS, ...CRASH_RESTART_TESTS, ...RETRY_IN_TERM_TESTS, ...STALE_SNAPSHOT_SHORT_TESTS, ...TERM_RULE_TESTS, ...ACKS_CHECKED_TESTS, ...HEARTBEAT_COMMIT_TESTS, ...SNAPSHOT_ARGS_TESTS, ...OVERWRITTEN_ENTRY_TESTS, ...FIVE_TERMS_TESTS, ...COMPACTION_SEARCH_TESTS }

export const raftModel: Model = {
  name: "raft",
  description: "Raft replicated KV: elections, replication, persistence, snapshots, exactly-once clients (after MIT 6.824 2A-2D, 3A-3B)",
  params: {
    maxTerm: { default: "1", int: { min: 1, max: 5 }, description: "exhaustive tests: servers do not start elections past this term" },
    runs: { default: String(HUNT_RUNS), int: { min: 1, max: 100_000 }, description: "bug hunts: simulated runs" },
  },
  build: (p) => checkedSystem({ servers: 3, server: { maxTerm: maxTerm(p) } }),
  tests: RAFT_TESTS,
}
