/**
 * The transactional sharded store, replicated: the shard store's cluster (a shard master, replica
 * groups on the chosen log, an administrator's script) with transactional group servers and clients,
 * as a seeded simulation or (on the spec-backed log) for the interleaving checker.
 */
import { invariant, type StateProperty } from "../../checker/transition-system.ts"
import { compile, type Event, type ProtocolState } from "../../core/compile.ts"
import type { NetworkOptions } from "../../core/config.ts"
import { clientsDone, resultsOk } from "../../core/properties.ts"
import { simDone, timed, type SimOptions, type TimedState } from "../../core/timed.ts"
import type { World } from "../../core/world.ts"
import { logChecks } from "../replicated-kv/log-checks.ts"
import { storeClusterOf, twoServers, type StoreSetup } from "../shardkv/replicated.ts"
import type { TxnBugs } from "./group.ts"
import { txnClient } from "./client.ts"
import type { TxnGroupState } from "./messages.ts"
import { historySerializable, txnInvariants } from "./properties.ts"
import { txnServer } from "./server.ts"

export interface TxnSetup extends Omit<StoreSetup, "bugs"> {
  readonly bugs?: TxnBugs
}

export const txnCluster = (setup: TxnSetup) => {
  const { bugs, ...store } = setup
  return storeClusterOf<TxnGroupState>(store, { server: (log, options) => txnServer(log, { ...options, ...(bugs ? { bugs } : {}) }), client: txnClient })
}

const storeProperties = <W extends World>(setup: TxnSetup, cluster: ReturnType<typeof txnCluster>): Array<StateProperty<W>> => [
  ...logChecks<W, unknown>(setup.log, cluster.logGroups).properties,
  invariant<W>("OneGroupServesEachShardPerConfiguration", (w) => twoServers(cluster.replicas(w).map((r) => r.base)) === undefined, (w) => twoServers(cluster.replicas(w).map((r) => r.base))),
  ...txnInvariants<W>(cluster.replicas),
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

/** The interleaving checker over the same cluster (use the spec-backed log: small spaces). */
export const checkedTxnStore = (setup: TxnSetup, network: NetworkOptions = {}) => {
  const cluster = txnCluster(setup)
  return compile(
    { ...cluster.config, network },
    {
      name: `shardtxn on ${setup.log}`,
      properties: [resultsOk(cluster.config), ...storeProperties<ProtocolState>(setup, cluster), historySerializable<ProtocolState>(), clientsDone()],
      stepProperties: logChecks<ProtocolState, Event>(setup.log, cluster.logGroups).steps,
    }
  )
}
