/**
 * Staged searches of the replicated sharded store, as DSLabs searches lab 4: a seeded simulation of
 * the cluster (no faults) runs to the first stage's end, a situation exhaustive search from the start
 * would reach only past its budget (a handoff pending, the shards placed); the interleaving checker
 * then searches every order of messages and timers, and the crashes and restarts the interleaving
 * allows, from that state on, so the shortest violation from there comes out. History stamps go on
 * from past the simulated clock, so real-time order is kept across the stages.
 */
import { deriveSeed } from "../../checker/hash.ts"
import { startingFrom, type StateProperty, type StepProperty } from "../../checker/transition-system.ts"
import { compile, type Event, type ProtocolState } from "../../core/compile.ts"
import type { Config, FaultOptions, NetworkOptions } from "../../core/config.ts"
import { historyLinearizable } from "../../core/linearizable.ts"
import { clientsDone, resultsOk } from "../../core/properties.ts"
import { timed, type TimedState } from "../../core/timed.ts"
import type { Address } from "../../core/node.ts"
import type { World } from "../../core/world.ts"
import { logChecks } from "../replicated-kv/log-checks.ts"
import type { AMOState } from "../../core/application.ts"
import type { Role } from "../../core/roles.ts"
import type { ShardGroupState } from "./messages.ts"
import { pollsAnsweredWithTheNextConfiguration } from "./poll-answer.ts"
import { queriesUseFreshSequenceNumbers } from "./poll-seq.ts"
import { storeCluster, storeInvariants, type StoreSetup } from "./replicated.ts"
import { clientRetryArmed } from "./timers-armed.ts"

/** What the interleaving checker's searches allow: the network's semantics and crashes. */
export interface Interleaving {
  readonly network?: NetworkOptions
  readonly faults?: FaultOptions
  /**
   * Check the logs' step properties (default true). Paxos's REFINES_CONSENSUS reads a crashed
   * replica's chosen log from its storage (paxos/properties.ts persistedReplica), so a persisting
   * group's crashes keep it on; a replica that persists nothing would look as if it forgot its slots.
   */
  readonly logSteps?: boolean
}

/**
 * The first stage's last state: a simulation of `config` from `seed` run until `until` holds (at most
 * 5,000 simulated ms); with `cutOff` the clients are cut off meanwhile (what they send is lost, they
 * retry later), so every step of their operations is in the later stage's trace; the nodes `isolated`
 * are cut off from the rest meanwhile (a group kept behind, lagging the others' configurations).
 */
export const stageStart = (config: Config, until: (w: World) => boolean, seed: number, cutOff: boolean, what = "the first stage", isolated: ReadonlyArray<Address> = [], isolatedFrom = 0): ProtocolState => {
  const servers = [config.servers.map((s) => s.address)]
  const partition = cutOff ? servers : isolated.length > 0 ? [isolated] : undefined
  const sim = timed(config, { stopWhenDone: false, maxTime: 5_000, faults: partition ? [{ at: cutOff ? 0 : isolatedFrom, k: "partition", groups: partition }] : [] }, seed, { properties: [] })
  let w: TimedState = sim.initial()[0]!
  while (!until(w)) {
    let next: TimedState | undefined
    sim.successors(w, (_, n) => (next = n))
    if (next === undefined) throw new Error(`${what} never reached its end (its simulation ran 5,000 ms)`)
    w = next
  }
  const { nodes, net, sendSeq, aux } = w
  return { nodes, net, sendSeq, aux: { step: Math.max(aux.step, Math.ceil(aux.clock ?? 0)) + 1, history: aux.history, messagesSent: aux.messagesSent } }
}

/**
 * `start(stage)` for stage seeds derived from `seed` (the seed itself first) until `n` have reached
 * their end, at most `tries` (default `n` + 5) tried (a stage seed whose simulation never gets there is
 * skipped). A search from several first stages' ends depends less on the one situation a seed gives.
 */
export const stageStarts = <T>(seed: number, n: number, tries: number | undefined, start: (stage: number) => T): T[] => {
  const out: T[] = []
  let failed: unknown
  for (let i = 0; i < (tries ?? n + 5) && out.length < n; i++) {
    try {
      out.push(start(i === 0 ? seed : deriveSeed(seed, i)))
    } catch (e) {
      failed = e
    }
  }
  if (out.length === 0) throw failed
  return out
}

/** The interleaving checker over the store's cluster: results, the store's invariants, the logs' checks, a linearizable history. */
export const checkedStore = (
  setup: StoreSetup,
  { network = {}, faults, logSteps = true }: Interleaving = {},
  cluster = storeCluster(setup),
  extra: ReadonlyArray<StateProperty<ProtocolState>> = [],
  steps: ReadonlyArray<StepProperty<ProtocolState, Event>> = []
) =>
  compile(
    { ...cluster.config, network, ...(faults ? { faults } : {}) },
    {
      name: `shardkv on ${setup.log}`,
      properties: [resultsOk(cluster.config), ...storeInvariants<ProtocolState>(setup, cluster), historyLinearizable<ProtocolState>(), ...extra, clientsDone()],
      stepProperties: [
        ...(logSteps ? logChecks<ProtocolState, Event>(setup.log, cluster.logGroups).steps : []),
        queriesUseFreshSequenceNumbers(cluster.logGroups[0] as ReadonlyArray<Role<{ readonly app: AMOState<unknown> }>>, cluster.groupServers.map((r) => r.address)),
        pollsAnsweredWithTheNextConfiguration(cluster.logGroups[0]!.map((r) => r.address), cluster.logGroups.slice(1) as ReadonlyArray<ReadonlyArray<Role<{ readonly app: ShardGroupState }>>>, (a) => a.config?.num ?? 0),
        ...steps,
        clientRetryArmed(cluster.config.servers.length),
      ],
    }
  )

/** Where a first stage ends: of the state and the group replicas' applied states. */
export type StageEnd = (w: World, replicas: ReadonlyArray<ShardGroupState>) => boolean

/**
 * A staged search: a simulation (clients running, the nodes `isolated` cut off from `isolatedFrom` on) until `until` holds of
 * the state and the group replicas' applied states, then every interleaving `interleaving` allows from
 * there; with `starts`, from the ends of that many first stages (stageStarts). With several `until`s,
 * from the ends of `starts` first stages for each (a later situation beside an earlier one).
 */
export const stagedStoreSearch = (
  setup: StoreSetup,
  interleaving: Interleaving,
  seed: number,
  until: StageEnd | ReadonlyArray<StageEnd>,
  extra: ReadonlyArray<StateProperty<ProtocolState>> = [],
  steps: ReadonlyArray<StepProperty<ProtocolState, Event>> = [],
  isolated: ReadonlyArray<Address> = [],
  starts = 1,
  isolatedFrom = 0
) => {
  const cluster = storeCluster(setup)
  const ends = (typeof until === "function" ? [until] : until).flatMap((end) =>
    stageStarts(seed, starts, undefined, (stage) => stageStart(cluster.config, (w) => end(w, cluster.replicas(w)), stage, false, undefined, isolated, isolatedFrom))
  )
  return startingFrom(checkedStore(setup, interleaving, cluster, extra, steps), ends)
}
