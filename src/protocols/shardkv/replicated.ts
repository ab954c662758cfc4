/**
 * The sharded store, replicated: a shard master of `servers` servers, `groups` replica groups of
 * `servers` servers each (all on the chosen log), an administrator running a script of master
 * commands, and shard store clients. Typed handles read every group replica's application state.
 */
import { goal, invariant, type StateProperty } from "../../checker/transition-system.ts"
import type { Config, Workload } from "../../core/config.ts"
import { historyLinearizable } from "../../core/linearizable.ts"
import type { Address, ClientDef, NodeDef } from "../../core/node.ts"
import type { ReadIndexOptions } from "../../core/read-index.ts"
import type { ReplicatedLog } from "../../core/replicated-log.ts"
import { resultsOk } from "../../core/properties.ts"
import { type Role, roles } from "../../core/roles.ts"
import { simDone, timed, type SimOptions, type TimedState } from "../../core/timed.ts"
import type { World } from "../../core/world.ts"
import { admin } from "../shardmaster/admin.ts"
import { logChecks } from "../replicated-kv/log-checks.ts"
import { logFor, type LogKind } from "../shardmaster/logs.ts"
import { join, type ShardMasterCommand } from "../shardmaster/messages.ts"
import { masterNames } from "../shardmaster/replicated.ts"
import { shardMasterServer } from "../shardmaster/server.ts"
import { shardKvClient } from "./client.ts"
import { persistedSizeBounded } from "./persisted-size.ts"
import { appliedNotBehindSnapshot } from "./restored.ts"
import { snapshotIsAppliedState } from "./snapshot-current.ts"
import { groupTimersArmed } from "./timers-armed.ts"
import { shardKvReport } from "./report.ts"
import { shardGroup, type ShardGroupOptions } from "./group.ts"
import { plantClientBugs, plantServerBugs, type ClientBugs, type ServerBugs } from "./planted.ts"
import type { HandoffAck, ShardGroupState } from "./messages.ts"
import { groupServer, type GroupServerOptions, type GroupServerState } from "./server.ts"

export const groupNames = (group: number, servers: number): Address[] => Array.from({ length: servers }, (_, i) => `g${group}s${i + 1}`)

export type GroupBugs = Pick<ShardGroupOptions, "bugServeBeforeData" | "bugDropDedupOnHandoff" | "bugApplyOutOfOrder" | "bugKeepHandedOff">

export interface StoreSetup {
  readonly log: LogKind
  readonly shards: number
  /** Replica groups 1..groups. */
  readonly groups: number
  /** Servers of the master and of each group. */
  readonly servers: number
  /** The administrator's master commands (see `joinGroup`), `pace` apart. */
  readonly script: (servers: number) => ReadonlyArray<ShardMasterCommand>
  readonly pace: number
  readonly workloads: ReadonlyArray<Workload>
  readonly bugs?: GroupBugs
  /** Planted bugs of the group servers and of the clients (planted.ts). */
  readonly serverBugs?: ServerBugs
  readonly clientBugs?: ClientBugs
  /** Gets served by leader-confirmed reads in the groups (core/read-index.ts), with its options; default: through the log. */
  readonly reads?: ReadIndexOptions
}

/** Join(group) with the group's server addresses. */
export const joinGroup = (group: number, servers: number) => join(group, groupNames(group, servers))

/** The group servers and clients a store is made of: the shard store's, or ones built around them (shardtxn). */
export interface StoreParts<A> {
  readonly server: (log: ReplicatedLog<unknown>, options: GroupServerOptions) => { readonly def: NodeDef<GroupServerState<unknown, A>, any, any, any> }
  readonly client: (shards: number, masters: ReadonlyArray<Address>) => ClientDef<any, any, any, any, any>
}

export const storeClusterOf = <A>(setup: StoreSetup, parts: StoreParts<A>) => {
  const masters = masterNames(setup.servers)
  const master = shardMasterServer(logFor(setup.log, masters), { shards: setup.shards })
  const groups = Array.from({ length: setup.groups }, (_, i) => {
    const names = groupNames(i + 1, setup.servers)
    const server = parts.server(logFor(setup.log, names, { persist: true, ...(setup.reads ? { reads: setup.reads } : {}) }), { group: i + 1, shards: setup.shards, masters, ...setup.bugs })
    return { names, server, replicas: roles(names, server.def, masters.length + i * setup.servers) }
  })
  const config: Config = {
    servers: [
      ...masters.map((address) => ({ address, def: master.def })),
      ...groups.flatMap((g) => g.names.map((address) => ({ address, def: g.server.def }))),
      { address: "admin", def: admin(masters, setup.script(setup.servers), setup.pace) },
    ],
    clients: setup.workloads.map((workload, i) => ({ address: `client${i + 1}`, def: parts.client(setup.shards, masters), workload })),
  }
  /** Every live group replica's application state, with its real type. */
  const replicas = (w: World): A[] => groups.flatMap((g) => g.replicas.flatMap((r) => r.state(w)?.app ?? []))
  /** Every server of the master and of each group, by group (the log's invariants hold per group). */
  const logGroups = [roles(masters, master.def), ...groups.map((g) => g.replicas)]
  /** Every group server, as a role (its persisted records). */
  const groupServers = groups.flatMap((g) => g.replicas)
  return { config, replicas, logGroups, groupServers }
}

export const storeCluster = (setup: StoreSetup) =>
  storeClusterOf<ShardGroupState>(setup, {
    server: (log, options) => {
      const server = groupServer(log, options)
      return setup.serverBugs ? { def: plantServerBugs(server.def, options.group, () => shardGroup(options).init(), setup.serverBugs) } : server
    },
    client: (shards, masters) => (setup.clientBugs ? plantClientBugs(shardKvClient(shards, masters), setup.clientBugs) : shardKvClient(shards, masters)),
  })

/** Two groups serving one shard in the same configuration, if any. */
export const twoServers = (replicas: ReadonlyArray<ShardGroupState>): string | undefined => {
  const serving = new Map<string, number>()
  for (const r of replicas)
    for (const [shard, x] of r.shards) {
      if (x._tag !== "Serving") continue
      const key = `${r.config?.num ?? 0}:${shard}`
      const other = serving.get(key)
      if (other !== undefined && other !== r.group) return `groups ${other} and ${r.group} both serve shard ${shard} in configuration ${r.config?.num ?? 0}`
      serving.set(key, r.group)
    }
  return undefined
}

/**
 * A HandoffAck in flight from a live group server that has not applied that handoff, if any. An
 * acknowledgement promises the sender may delete the shard: the receiving group must hold its data
 * for good, so a replica acknowledges only a handoff its applied (committed) state has, the way
 * install answers a retry (at the handoff's configuration with the shard, or past it).
 */
export const unappliedAck = (w: World, servers: ReadonlyArray<Role<GroupServerState<unknown, ShardGroupState>>>): string | undefined => {
  for (const env of w.net) {
    if (env.msg._tag !== "HandoffAck") continue
    const server = servers.find((r) => r.index === env.src)
    const s = server?.state(w)?.app
    if (s === undefined) continue
    const { shard, num } = env.msg as HandoffAck
    const at = s.config?.num ?? 0
    if (at > num || (at === num && s.shards.get(shard)?._tag === "Serving")) continue
    return `${env.from} acknowledges shard ${shard} of configuration ${num} to ${env.to}, but has applied ${at === num ? "its configuration without the shard's data" : `only configuration ${at}`}`
  }
  return undefined
}

/**
 * A seeded simulation. By default it ends when every client is done; with `live`, when exactly the
 * clients listed (by index) are done and the others still wait (a group down strands its shards' clients).
 * With `persistedSize`, every group server's persisted record stays under its bound (persisted-size.ts).
 */
/** The store's invariants over its cluster: the logs' own, one group serving each shard per configuration, acknowledgements only of applied handoffs. */
export const storeInvariants = <W extends World>(setup: StoreSetup, cluster: ReturnType<typeof storeCluster>): Array<StateProperty<W>> => [
  ...logChecks<W, unknown>(setup.log, cluster.logGroups).properties,
  invariant<W>("OneGroupServesEachShardPerConfiguration", (w) => twoServers(cluster.replicas(w)) === undefined, (w) => twoServers(cluster.replicas(w))),
  invariant<W>("HandoffAckedOnlyOnceApplied", (w) => unappliedAck(w, cluster.groupServers) === undefined, (w) => unappliedAck(w, cluster.groupServers)),
  appliedNotBehindSnapshot<W>(cluster.groupServers),
  snapshotIsAppliedState<W>(cluster.groupServers),
  groupTimersArmed<W>(cluster.groupServers),
]

export const simulatedStore = (setup: StoreSetup, sim: SimOptions, seed: number, name: string, live?: ReadonlyArray<number>, checks: { readonly persistedSize?: boolean } = {}) => {
  const cluster = storeCluster(setup)
  const offset = cluster.config.servers.length
  const done = (w: World, c: number) => !w.nodes[offset + c]!.client!.pending
  const properties: Array<StateProperty<TimedState>> = [
    resultsOk(cluster.config),
    ...storeInvariants<TimedState>(setup, cluster),
    ...(checks.persistedSize ? [persistedSizeBounded<TimedState>(cluster.groupServers as ReadonlyArray<Role<unknown>>, setup.shards, setup.workloads)] : []),
    ...(live
      ? [goal<TimedState>("LIVE_CLIENTS_DONE", (w) => setup.workloads.every((_, c) => done(w, c) === live.includes(c)))]
      : [historyLinearizable<TimedState>(), simDone()]),
  ]
  return timed(cluster.config, sim, seed, { name, properties, report: shardKvReport })
}
