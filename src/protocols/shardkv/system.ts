/**
 * The shard store with every group as one atomic state machine (as if each ran on a spec-backed
 * log): a transition system for checking the groups' pure logic before any consensus is involved.
 *
 * The shard master's configurations come from running its application on a script of commands and
 * are released one at a time. Steps: the master releases the next configuration; a group applies
 * the one it polls; a group's pending handoff is delivered to its receiver (which acknowledges it);
 * an acknowledgement is delivered back (handoffs and acks stay deliverable: a duplicating network;
 * with `staleHandoffs` every handoff ever sent stays deliverable too, also once its sender has deleted
 * the shard, so an old configuration's copy can reach a group that awaits the shard again);
 * a client sends its current operation to any group, and with `lostReplies` its reply may be lost,
 * so the client retries, possibly at another group after the shard moved.
 *
 * A ghost abstract store (spec/kv's state) follows the operations in the order they take effect;
 * the invariants in properties.ts compare the groups against it, and the union of the groups'
 * stores must refine spec/kv (refinement.ts).
 */
import { fingerprintValue } from "../../checker/hash.ts"
import type { TransitionSystem } from "../../checker/transition-system.ts"
import { kvStore, showKV, type KVCommand, type KVResult } from "../../core/kv.ts"
import { toPlain } from "../../core/show.ts"
import { shardMaster } from "../shardmaster/config.ts"
import type { Configuration, GroupId, ShardMasterCommand } from "../shardmaster/messages.ts"
import { answerProblem } from "./follows-config.ts"
import { shardGroup, type ShardGroup } from "./group.ts"
import { keyShard } from "./keys.ts"
import { ApplyConfig, ClientRequest, type HandoffAck, type ShardGroupState, type ShardHandoff, type ShardKvResult } from "./messages.ts"
import { shardStoreInvariants } from "./properties.ts"
import { installedHandoffsAcknowledged, stuckOnlyWhenFinished, unfinished } from "./progress.ts"
import { refinesKv } from "./refinement.ts"

export interface ShardStoreBugs {
  readonly serveBeforeData?: boolean
  readonly dropDedupOnHandoff?: boolean
  readonly applyOutOfOrder?: boolean
  readonly installOldHandoff?: boolean
  readonly ackAnyConfiguration?: boolean
  /** The shard master's planted Leave bug. */
  readonly leaveUnassigned?: boolean
}

export interface ShardStoreOptions {
  readonly shards: number
  readonly groups: ReadonlyArray<GroupId>
  /** The shard master's commands, in order; each that succeeds makes the next configuration. */
  readonly master: ReadonlyArray<ShardMasterCommand>
  /** Each client's operations, issued one at a time. */
  readonly clients: ReadonlyArray<ReadonlyArray<KVCommand>>
  readonly lostReplies?: boolean
  /** The network keeps every handoff sent: a copy of an older configuration's may arrive at any later time. */
  readonly staleHandoffs?: boolean
  readonly bugs?: ShardStoreBugs
  /** For tests: each group's application, built from the shipped one (a planted bug). */
  readonly plant?: (app: ShardGroup) => ShardGroup
}

export interface ShardStoreWorld {
  /** How many configurations the master has released. */
  readonly released: number
  readonly groups: ReadonlyArray<ShardGroupState>
  /** Acknowledgements in flight, keyed by "to:shard:num". */
  readonly acks: ReadonlyMap<string, { readonly to: GroupId; readonly ack: HandoffAck }>
  /** With `staleHandoffs`: every handoff delivered so far, keyed by "from:shard:num" (each may arrive again). */
  readonly sent?: ReadonlyMap<string, { readonly from: GroupId; readonly to: GroupId; readonly handoff: ShardHandoff }>
  /** Per client, the index of its current operation (its sequence number is index + 1). */
  readonly clients: ReadonlyArray<number>
  /** The abstract store, after the operations that took effect. */
  readonly ghost: ReadonlyMap<string, string>
  /** "client:seq" -> the result of the one execution of that operation. */
  readonly done: ReadonlyMap<string, KVResult>
  /** The first result that disagreed with the abstract store. */
  readonly error: string | null
  /** The first answer from a group that does not own and serve the key's shard (the key is absent until then). */
  readonly misserved?: string
}

export const clientName = (c: number) => `c${c + 1}`

/** The configurations a master script produces (with the master's planted bug when asked). */
export const configurationsOf = (shards: number, script: ReadonlyArray<ShardMasterCommand>, leaveUnassigned = false): ReadonlyArray<Configuration> => {
  const master = shardMaster({ shards, bugLeaveUnassigned: leaveUnassigned })
  return script.reduce((s, c) => master.execute(s, c)[1], master.init()).configs
}

const isKvResult = (r: ShardKvResult): r is KVResult => r._tag === "GetResult" || r._tag === "KeyNotFound" || r._tag === "PutOk" || r._tag === "AppendResult"

export const shardStoreSystem = (options: ShardStoreOptions): TransitionSystem<ShardStoreWorld, string> => {
  const bugs = options.bugs ?? {}
  const configs = configurationsOf(options.shards, options.master, bugs.leaveUnassigned)
  const apps = options.groups.map((group) =>
    (options.plant ?? ((app: ShardGroup) => app))(shardGroup({
      group,
      shards: options.shards,
      bugServeBeforeData: bugs.serveBeforeData ?? false,
      bugDropDedupOnHandoff: bugs.dropDedupOnHandoff ?? false,
      bugApplyOutOfOrder: bugs.applyOutOfOrder ?? false,
      bugInstallOldHandoff: bugs.installOldHandoff ?? false,
      bugAckAnyConfiguration: bugs.ackAnyConfiguration ?? false,
    }))
  )
  const indexOf = new Map(options.groups.map((g, i) => [g, i]))
  const clientKeys = options.clients.map((ops) => ops.map((op) => op.key))
  const withGroup = (w: ShardStoreWorld, i: number, g: ShardGroupState): ShardStoreWorld => ({ ...w, groups: w.groups.map((x, k) => (k === i ? g : x)) })

  /** Client c's operation executed at group i; the reply reaches the client unless `lost`. */
  const clientStep = (w: ShardStoreWorld, c: number, i: number, lost: boolean): readonly [string, ShardStoreWorld] | undefined => {
    const op = options.clients[c]![w.clients[c]!]!
    const seq = w.clients[c]! + 1
    const [result, g] = apps[i]!.execute(w.groups[i]!, new ClientRequest({ client: clientName(c), seq, op }))
    if (!isKvResult(result)) return undefined // WrongGroup or NotReady: nothing changes, the client tries elsewhere
    let next = withGroup(w, i, g)
    const misserved = w.misserved ?? answerProblem(w.groups[i]!, keyShard(op.key, options.shards))
    if (misserved !== undefined) next = { ...next, misserved }
    const key = `${clientName(c)}:${seq}`
    const once = w.done.get(key)
    if (once === undefined) {
      const [expected, ghost] = kvStore.execute(w.ghost, op)
      const error = w.error ?? (JSON.stringify(expected) === JSON.stringify(result) ? null : `${key} ${showKV(op)} returned ${showKV(result)}, the store gives ${showKV(expected)}`)
      next = { ...next, ghost, done: new Map(w.done).set(key, expected), error }
    } else if (w.error === null && JSON.stringify(once) !== JSON.stringify(result)) {
      next = { ...next, error: `${key} ${showKV(op)} retried returned ${showKV(result)}, first ${showKV(once)}` }
    }
    if (!lost) next = { ...next, clients: next.clients.map((n, k) => (k === c ? n + 1 : n)) }
    return [`${clientName(c)} @ g${options.groups[i]}: ${showKV(op)} -> ${showKV(result)}${lost ? " (reply lost)" : ""}`, next]
  }

  /** Group `from`'s handoff delivered to group `to`, which acknowledges it; `old`: a copy of one no longer pending. */
  const deliver = (w: ShardStoreWorld, from: GroupId, to: GroupId, handoff: ShardHandoff, old: boolean, emit: (label: string, next: ShardStoreWorld) => void) => {
    const j = indexOf.get(to)
    if (j === undefined) return
    const [result, next] = apps[j]!.execute(w.groups[j]!, handoff)
    if (result._tag !== "HandoffAck") return
    const key = `${from}:${handoff.shard}:${handoff.num}`
    // Keyed by what the receiver answers (the shipped one acknowledges the handoff's own shard and configuration), so an answer that differs is a new acknowledgement.
    const ackKey = `${from}:${result.shard}:${result.num}`
    if (next === w.groups[j] && w.acks.has(ackKey)) return // a duplicate delivery changes nothing
    emit(`g${from} hands shard ${handoff.shard} of configuration ${handoff.num} to g${to}${old ? " (an old copy)" : ""}`, {
      ...withGroup(w, j, next),
      acks: new Map(w.acks).set(ackKey, { to: from, ack: result }),
      ...(w.sent ? { sent: new Map(w.sent).set(key, { from, to, handoff }) } : {}),
    })
  }

  const successors = (w: ShardStoreWorld, emit: (label: string, next: ShardStoreWorld) => void) => {
    const pending = new Set<string>()
    if (w.released < configs.length) emit(`Master releases configuration ${w.released + 1}`, { ...w, released: w.released + 1 })
    w.groups.forEach((g, i) => {
      const id = options.groups[i]
      // Poll: the next configuration (with the out-of-order bug, any later released one).
      for (let num = (g.config?.num ?? 0) + 1; num <= w.released; num++) {
        const [result, next] = apps[i]!.execute(g, new ApplyConfig({ config: configs[num - 1]! }))
        if (result._tag === "ConfigApplied") emit(`g${id} applies configuration ${num}`, withGroup(w, i, next))
        if (!bugs.applyOutOfOrder) break
      }
      for (const { to, handoff } of apps[i]!.outbox(g)) {
        pending.add(`${id}:${handoff.shard}:${handoff.num}`)
        deliver(w, id!, to, handoff, false, emit)
      }
    })
    for (const [key, { from, to, handoff }] of w.sent ?? []) if (!pending.has(key)) deliver(w, from, to, handoff, true, emit)
    for (const { to, ack } of w.acks.values()) {
      const i = indexOf.get(to)!
      const [result, next] = apps[i]!.execute(w.groups[i]!, ack)
      if (result._tag === "ShardDeleted") emit(`g${to} deletes shard ${ack.shard} (g${ack.from} has configuration ${ack.num}'s data)`, withGroup(w, i, next))
    }
    w.clients.forEach((n, c) => {
      if (n >= options.clients[c]!.length) return
      for (let i = 0; i < apps.length; i++)
        for (const lost of options.lostReplies ? [false, true] : [false]) {
          const step = clientStep(w, c, i, lost)
          if (step) emit(...step)
        }
    })
  }

  return {
    name: `shardkv-groups(${options.groups.length} groups, ${options.shards} shards)`,
    initial: () => [
      {
        released: 0,
        groups: apps.map((a) => a.init()),
        acks: new Map(),
        ...(options.staleHandoffs ? { sent: new Map() } : {}),
        clients: options.clients.map(() => 0),
        ghost: new Map(),
        done: new Map(),
        error: null,
      },
    ],
    successors,
    fingerprint: (w, out) => void fingerprintValue(w, out),
    formatLabel: (l) => l,
    view: toPlain,
    properties: [
      ...shardStoreInvariants(options.shards, configs),
      installedHandoffsAcknowledged(options.groups, apps),
      stuckOnlyWhenFinished(successors, (w) => unfinished(w, configs, apps, clientKeys, options.shards)),
    ],
    stepProperties: [refinesKv(options.shards)],
  }
}
