/**
 * The transactional sharded store, replicated: the shard store's cluster (a shard master, replica
 * groups on the chosen log, an administrator's script) with transactional group servers and clients,
 * as a seeded simulation or (on the spec-backed log) for the interleaving checker.
 */
import { invariant, startingFrom, type StateProperty } from "../../checker/transition-system.ts"
import { compile, type Event, type ProtocolState } from "../../core/compile.ts"
import type { FaultOptions, NetworkOptions } from "../../core/config.ts"
import { clientsDone, resultsOk } from "../../core/properties.ts"
import { simDone, timed, type SimOptions, type TimedState } from "../../core/timed.ts"
import { stageStart, stageStarts } from "../shardkv/staged.ts"
import type { World } from "../../core/world.ts"
import { logChecks } from "../replicated-kv/log-checks.ts"
import { storeClusterOf, twoServers, type StoreSetup } from "../shardkv/replicated.ts"
import type { TxnBugs } from "./group.ts"
import { txnClient } from "./client.ts"
import { ackedNotPreparedAgain } from "./acked-not-prepared.ts"
import { clientRetriesWithNewAttempt, clientTakesOnlyItsAttemptsReply } from "./client-retry.ts"
import { plantTxnClientBugs, type TxnClientBugs } from "./planted.ts"
import type { TxnGroupState } from "./messages.ts"
import { decisionFinal, historySerializable, txnInvariants } from "./properties.ts"
import { refinesKvTxn } from "./refinement.ts"
import { txnServer } from "./server.ts"
import { decisionsResentUntilAcknowledged, drainingOnlyBehindTheMaster, noPrepareWhileDraining } from "./owed.ts"
import type { AMOState } from "../../core/application.ts"
import type { Role } from "../../core/roles.ts"
import type { ShardMasterState } from "../shardmaster/messages.ts"
import { decisionAckedOnceApplied, yesVoteHeldPrepared } from "./votes-prepared.ts"
import { lockedValuesUnchanged } from "./locked-values.ts"
import { groupTimersArmed, txnRetryArmed } from "../shardkv/timers-armed.ts"
import { yesCountedForItsAttempt } from "./votes-counted.ts"

export interface TxnSetup extends Omit<StoreSetup, "bugs"> {
  readonly bugs?: TxnBugs
  /** A planted bug of the clients (planted.ts). */
  readonly txnClientBugs?: TxnClientBugs
}

export const txnCluster = (setup: TxnSetup) => {
  const { bugs, txnClientBugs, ...store } = setup
  return storeClusterOf<TxnGroupState>(store, {
    server: (log, options) => txnServer(log, { ...options, ...(bugs ? { bugs } : {}) }),
    client: (shards, masters) => (txnClientBugs ? plantTxnClientBugs(txnClient(shards, masters), txnClientBugs) : txnClient(shards, masters)),
  })
}

const storeProperties = <W extends World>(setup: TxnSetup, cluster: ReturnType<typeof txnCluster>): Array<StateProperty<W>> => [
  ...logChecks<W, unknown>(setup.log, cluster.logGroups).properties,
  invariant<W>("OneGroupServesEachShardPerConfiguration", (w) => twoServers(cluster.replicas(w).map((r) => r.base)) === undefined, (w) => twoServers(cluster.replicas(w).map((r) => r.base))),
  ...txnInvariants<W>(cluster.replicas),
  groupTimersArmed<W>(cluster.groupServers),
  drainingOnlyBehindTheMaster<W>(cluster.groupServers, cluster.logGroups[0] as ReadonlyArray<Role<{ readonly app: AMOState<ShardMasterState> }>>),
]

/** How a simulated run ends: every client done (the history strictly serializable), or a goal of its own. */
export type Ending = { readonly k: "all-done" } | { readonly k: "goal"; readonly goal: StateProperty<TimedState> }

export const simulatedTxnStore = (setup: TxnSetup, sim: SimOptions, seed: number, name: string, ending: Ending = { k: "all-done" }, extra: ReadonlyArray<StateProperty<TimedState>> = []) => {
  const cluster = txnCluster(setup)
  const properties: Array<StateProperty<TimedState>> = [
    resultsOk(cluster.config),
    ...storeProperties<TimedState>(setup, cluster),
    historySerializable<TimedState>(),
    ...extra,
    ...(ending.k === "all-done" ? [simDone()] : [ending.goal]),
  ]
  return timed(cluster.config, sim, seed, { name, properties })
}

/** What the interleaving checker's searches allow: the network's semantics and crashes. */
export interface Interleaving {
  readonly network?: NetworkOptions
  readonly faults?: FaultOptions
  /** Check REFINES_KV_TXN (refinement.ts: transactional workloads, one server a group, no crashes). */
  readonly refinement?: boolean
}

/** The interleaving checker over the same cluster (use the spec-backed log, or Raft with one server a group: small spaces). */
export const checkedTxnStore = (setup: TxnSetup, { network = {}, faults, refinement }: Interleaving = {}, cluster = txnCluster(setup), extra: ReadonlyArray<StateProperty<ProtocolState>> = []) =>
  compile(
    { ...cluster.config, network, ...(faults ? { faults } : {}) },
    {
      name: `shardtxn on ${setup.log}`,
      properties: [
        resultsOk(cluster.config),
        ...storeProperties<ProtocolState>(setup, cluster),
        historySerializable<ProtocolState>(),
        ...extra,
        clientsDone(),
      ],
      stepProperties: [
        ...logChecks<ProtocolState, Event>(setup.log, cluster.logGroups).steps,
        decisionFinal<ProtocolState, Event>(cluster.replicas),
        yesVoteHeldPrepared<ProtocolState, Event>(cluster.replicas),
        decisionAckedOnceApplied<ProtocolState, Event>(cluster.replicas),
        clientRetriesWithNewAttempt(),
        clientTakesOnlyItsAttemptsReply(),
        txnRetryArmed(cluster.config.servers.length),
        decisionsResentUntilAcknowledged(cluster.groupServers),
        noPrepareWhileDraining(cluster.groupServers),
        lockedValuesUnchanged<ProtocolState, Event>(cluster.groupServers, setup.shards),
        ...(refinement ? [refinesKvTxn<ProtocolState, Event>(cluster.replicas, setup.shards)] : []),
      ],
    }
  )

/**
 * Where the first stage of a staged search stops: by default once every group has applied the
 * script's last configuration and finished its migrations, the clients cut off (their transactions
 * all still to run); or, with `until`, at the first state where it holds, the clients running.
 */
export interface FirstStage {
  readonly until?: (w: World, replicas: ReadonlyArray<TxnGroupState>) => boolean
  /**
   * How many first stages (default 1), each a simulation from its own stage seed: the run's seed, then
   * seeds derived from it (a stage seed whose simulation never gets there is skipped, at most five
   * more tried). The search starts from all of their ends (random walks pick one per walk), so what a
   * catch needs is less often missing from the one situation a seed gives.
   */
  readonly starts?: number
  /** How many stage seeds to try in all before giving up (default `starts` + 5): more where the first stage's end is a rare timing. */
  readonly tries?: number
}

/**
 * A staged search, as DSLabs searches lab 4: a seeded simulation of the cluster (no faults) runs to
 * the first stage's end (FirstStage); the interleaving checker then searches every order of messages
 * and timers (and the crashes `interleaving.faults` allows) from that state on. History stamps go on
 * from past the simulated clock, so real-time order is kept across the stages.
 */
export const stagedTxnSearch = (setup: TxnSetup, interleaving: Interleaving, seed: number, extra: ReadonlyArray<StateProperty<ProtocolState>> = [], first: FirstStage = {}) => {
  const cluster = txnCluster(setup)
  const configs = setup.script(setup.servers).length
  const settled = (w: World) => {
    const rs = cluster.replicas(w)
    if (first.until) return first.until(w, rs)
    return rs.length > 0 && rs.every((r) => r.base.config?.num === configs && [...r.base.shards.values()].every((x) => x._tag === "Serving"))
  }
  // By default the clients are cut off meanwhile (what they send is lost; they retry later), so every step of every transaction is in the trace.
  const starts = stageStarts(seed, first.starts ?? 1, first.tries, (stage) => stageStart(cluster.config, settled, stage, !first.until, first.until ? "the first stage" : "the first stage (settling the groups)"))
  const oneServer = setup.servers === 1 ? [ackedNotPreparedAgain<ProtocolState>(cluster.replicas), yesCountedForItsAttempt<ProtocolState>(cluster.replicas)] : []
  return startingFrom(checkedTxnStore(setup, interleaving, cluster, [...extra, ...oneServer]), starts)
}
