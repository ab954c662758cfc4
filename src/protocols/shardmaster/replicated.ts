/**
 * The replicated shard master's configurations and properties: servers on a chosen log, clients
 * running the lab scenarios (scenarios.ts), typed handles on every server's application state.
 */
import { invariant, type StateProperty } from "../../checker/transition-system.ts"
import { compile, type Event, type ProtocolState } from "../../core/compile.ts"
import { workload, type Config } from "../../core/config.ts"
import { exactlyOnceClient } from "../../core/exactly-once.ts"
import type { Address } from "../../core/node.ts"
import { clientsDone, resultsOk } from "../../core/properties.ts"
import { roles } from "../../core/roles.ts"
import { simDone, timed, type SimOptions, type TimedState } from "../../core/timed.ts"
import { historyOf, type World } from "../../core/world.ts"
import { checkHistory } from "../../linearizability/check.ts"
import type { ShardMasterCommand, ShardMasterResult, ShardMasterState } from "./messages.ts"
import { shardMasterLinearizability } from "./linearizability.ts"
import { configurationsProblem, placementProblem, replicasDisagree } from "./properties.ts"
import { expectedResults, SHARDS, type MasterScenario } from "./scenarios.ts"
import { logChecks } from "../replicated-kv/log-checks.ts"
import { logFor, type LogKind } from "./logs.ts"
import { shardMasterServer } from "./server.ts"

export const masterNames = (n: number): Address[] => Array.from({ length: n }, (_, i) => `master${i + 1}`)

export interface MasterSetup {
  readonly log: LogKind
  readonly servers: number
  readonly scenario: MasterScenario
  readonly bugLeaveUnassigned?: boolean
}

/** The configuration, with typed handles on its servers. */
export const masterCluster = (setup: MasterSetup) => {
  const names = masterNames(setup.servers)
  const service = shardMasterServer(logFor(setup.log, names), { shards: SHARDS, bugLeaveUnassigned: setup.bugLeaveUnassigned ?? false })
  const lone = setup.scenario.clients.length === 1
  const config: Config = {
    servers: names.map((address) => ({ address, def: service.def })),
    clients: setup.scenario.clients.map((commands, i) => {
      const expected = lone ? expectedResults(commands) : []
      return { address: `client${i + 1}`, def: exactlyOnceClient(names), workload: workload(commands.map((c, k) => [c, expected[k]] as const)) }
    }),
  }
  const servers = roles(names, service.def)
  /** Every live server's application state, with its real type. */
  const apps = (w: World): ShardMasterState[] => servers.flatMap((r) => r.state(w)?.app.app ?? [])
  return { config, service, servers, apps }
}

/** The clients' history against the application as the sequential model (as core's LINEARIZABLE does for KV). */
export const linearizabilityProblem = (w: World): string | undefined => {
  const clients = new Map<string, number>()
  const history = historyOf(w).map((op) => {
    if (!clients.has(op.client)) clients.set(op.client, clients.size)
    return { client: clients.get(op.client)!, call: op.call, return: op.ret ?? null, input: op.command as ShardMasterCommand, output: (op.result as ShardMasterResult | undefined) ?? null }
  })
  const r = checkHistory(shardMasterLinearizability(SHARDS), history, { minimise: false })
  return r.verdict === "not-linearizable" ? "the clients' history is not linearizable" : undefined
}

export const masterProperties = <W extends World>(cluster: ReturnType<typeof masterCluster>, log: LogKind): Array<StateProperty<W>> => [
  ...logChecks<W, unknown>(log, [cluster.servers]).properties,
  resultsOk(cluster.config),
  invariant("ConfigurationsWellFormed", (w) => cluster.apps(w).every((s) => configurationsProblem(s, SHARDS) === undefined), (w) => cluster.apps(w).map((s) => configurationsProblem(s, SHARDS)).find((p) => p !== undefined)),
  invariant("ReplicasAgree", (w) => replicasDisagree(cluster.apps(w)) === undefined, (w) => replicasDisagree(cluster.apps(w))),
  invariant("PlacementsBalanced", (w) => cluster.apps(w).every((s) => placementProblem(s) === undefined), (w) => cluster.apps(w).map(placementProblem).find((p) => p !== undefined)),
]

/** A seeded simulated run; at its end (all clients done) the history must be linearizable. */
export const simulatedMaster = (setup: MasterSetup, sim: SimOptions, seed: number) => {
  const cluster = masterCluster(setup)
  const linearizable = invariant<TimedState>("HistoryLinearizable", (w) => !clientsDone<TimedState>().holds(w) || linearizabilityProblem(w) === undefined, linearizabilityProblem)
  return timed(cluster.config, sim, seed, { name: `shardmaster on ${setup.log}`, properties: [...masterProperties<TimedState>(cluster, setup.log), linearizable, simDone()] })
}

/** The interleaving checker over the same configuration (spec-backed log: small spaces). */
export const checkedMaster = (setup: MasterSetup) => {
  const cluster = masterCluster(setup)
  return compile(cluster.config, {
    name: `shardmaster on ${setup.log}`,
    properties: [...masterProperties<ProtocolState>(cluster, setup.log), clientsDone()],
    stepProperties: logChecks<ProtocolState, Event>(setup.log, [cluster.servers]).steps,
  })
}
