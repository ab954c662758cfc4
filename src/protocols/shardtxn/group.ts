/**
 * A transactional shard group's application: the shard group's (shardkv/group.ts), unchanged, inside
 * two-phase commit with two-phase locking. Every command below is applied through the group's log, so
 * a leader's crash loses none of it.
 *
 * Coordinator (the group of the transaction's smallest key, chosen by the client):
 * - TxnRequest: records the client's newest attempt with its participants (the owners of its keys in
 *   the coordinator's configuration) as pending; an older or equal id changes nothing (exactly once),
 *   and so does a newer one while a participant has not acknowledged the previous decision.
 * - Vote: recorded while pending; a no aborts, all yes commits: the reads and writes are computed from
 *   the voted values (spec/kv-txn's kvTxnApply), so a Swap's writes come from its reads.
 * - AbortTxn (proposed by a new leader for what is still pending, or by the leader once a transaction has
 *   waited ABORT_TIMEOUT_TICKS of its HandoffTimers for its votes): aborts unless decided, so a
 *   participant cut off does not hold the others' locks; the abort is resent to it until acknowledged.
 * - DecisionAck: the participant applied the decision.
 * The decision is state of the log, so it is logged before any leader sends it.
 *
 * Participant:
 * - Prepare: votes yes and locks every key when it serves their shards and no other transaction holds
 *   any of them (abort on conflict: no waiting, so no deadlock; the client retries); votes no otherwise.
 * - Decide: applies the writes on commit, then releases the locks (a participant that voted yes holds
 *   them until here). A decision for an id it never prepared is remembered, so a late Prepare is refused.
 *
 * Around the shard group: a single-key request on a locked key waits (NotReady), and no configuration
 * is applied while the group holds locks, so a shard never moves under an undecided transaction.
 */
import { kvTxnApply } from "../../../spec/kv-txn.ts"
import type { Tagged } from "../../core/node.ts"
import { shardGroup, type ShardGroupOptions } from "../shardkv/group.ts"
import { keyShard } from "../shardkv/keys.ts"
import { Ignored, NotReady, Serving, ShardData, ShardGroupState, type ShardKvCommand } from "../shardkv/messages.ts"
import type { Send } from "../shardkv/server.ts"
import {
  AbortTxn,
  compareIds,
  Coordinated,
  showId,
  Decide,
  DecisionAck,
  kvTxnOf,
  Outcome,
  Participant,
  Prepare,
  Prepared,
  Txn,
  TxnGroupState,
  TxnReply,
  TXN_COMMANDS,
  Vote,
  type TxnCommand,
  type TxnId,
  type TxnRequest,
  type TxnStep,
} from "./messages.ts"

export interface TxnBugs {
  /** A participant releases its locks as soon as it has voted yes. */
  readonly releaseBeforeDecision?: boolean
  /** The coordinator commits once the votes in are all yes, without waiting for every participant. */
  readonly commitOnPartialVotes?: boolean
  /** The coordinator's leader sends Commit as soon as it has the last yes vote, and logs the vote only at its next HandoffTimer. */
  readonly sendCommitBeforeLogging?: boolean
  /** Reads skip the locks: a Get of a locked key is served, and keys a transaction only reads are neither checked nor locked. */
  readonly readsSkipLocks?: boolean
  /** The coordinator waits for every vote forever (no abort timeout): a participant cut off holds the others' locks. */
  readonly noAbortTimeout?: boolean
}

/** HandoffTimers (30 ms each) a coordinator's leader waits for a transaction's votes before it aborts it. */
export const ABORT_TIMEOUT_TICKS = 10

export interface TxnGroupOptions extends ShardGroupOptions {
  readonly bugs?: TxnBugs
}

/** The keys a transaction's steps touch, each once, sorted; and those it may change. */
export const keysOf = (steps: ReadonlyArray<TxnStep>): string[] => [...new Set(steps.flatMap((s) => (s._tag === "TxnSwap" ? [s.key, s.with] : [s.key])))].sort()
export const writtenKeys = (steps: ReadonlyArray<TxnStep>): string[] => [...new Set(steps.flatMap((s) => (s._tag === "TxnRead" ? [] : s._tag === "TxnSwap" ? [s.key, s.with] : [s.key])))].sort()

const EMPTY = new Map<string, never>()

/** A coordinated transaction run on its voted values (a key no vote gave counts as absent). */
const run = (c: Coordinated) => {
  const store: Record<string, string> = {}
  for (const v of c.votes.values()) for (const [k, x] of v ?? []) if (x !== null) store[k] = x
  return kvTxnApply(store, kvTxnOf(new Txn({ steps: c.steps })))
}

/** A committed transaction's writes (from the voted values), of `keys` only. */
export const writesOf = (c: Coordinated, keys: ReadonlyArray<string>): Map<string, string | null> => {
  const { next } = run(c)
  const written = writtenKeys(c.steps)
  return new Map(keys.filter((k) => written.includes(k)).map((k) => [k, next[k] ?? null]))
}

export const txnGroup = (options: TxnGroupOptions) => {
  const base = shardGroup(options)
  const bugs = options.bugs ?? {}
  const { group, shards } = options

  const init = () => new TxnGroupState({ base: base.init(), locks: EMPTY, prepared: EMPTY, seen: EMPTY, outcomes: EMPTY, draining: false, coordinating: EMPTY })
  const withState = (s: TxnGroupState, patch: Partial<TxnGroupState>) => new TxnGroupState({ ...s, ...patch })
  const servers = (s: TxnGroupState, g: number) => s.base.config?.groups.find((x) => x.id === g)?.servers ?? []

  /** The shard-group commands, with locks respected. */
  const shardCommand = (s: TxnGroupState, c: ShardKvCommand): readonly [Tagged, TxnGroupState] => {
    if (c._tag === "ClientRequest" && s.locks.has(c.op.key) && !(bugs.readsSkipLocks && c.op._tag === "Get")) return [new NotReady({ shard: keyShard(c.op.key, shards) }), s]
    if (c._tag === "ApplyConfig" && s.prepared.size > 0 && c.config.num === (s.base.config?.num ?? 0) + 1) return [new Ignored({ reason: "migration-in-progress" }), s.draining ? s : withState(s, { draining: true })]
    const [result, next] = base.execute(s.base, c)
    return [result, next === s.base ? s : withState(s, { base: next, draining: c._tag === "ApplyConfig" ? false : s.draining })]
  }

  // The coordinator.
  const coordinated = (s: TxnGroupState, id: TxnId) => {
    const c = s.coordinating.get(id.client)
    return c !== undefined && compareIds(c.id, id) === 0 ? c : undefined
  }
  const setRecord = (s: TxnGroupState, c: Coordinated) => withState(s, { coordinating: new Map(s.coordinating).set(c.id.client, c) })

  const begin = (s: TxnGroupState, r: TxnRequest): TxnGroupState => {
    const old = s.coordinating.get(r.id.client)
    if (old !== undefined && compareIds(old.id, r.id) >= 0) return s
    // The previous transaction's decision still owed to a participant: it stays recorded (and resent) until acknowledged.
    if (old !== undefined && old.participants.some((p) => !old.acked.includes(p.group))) return s
    const byGroup = new Map<number, string[]>()
    // A coordinator no longer in its configuration has no address for the votes: it aborts at once too.
    let placed = s.base.config !== null && servers(s, group).length > 0
    for (const key of keysOf(r.steps)) {
      const owner = s.base.config?.shards[keyShard(key, shards)] ?? null
      if (owner === null) placed = false
      else byGroup.set(owner, [...(byGroup.get(owner) ?? []), key])
    }
    const participants = [...byGroup].sort(([a], [b]) => a - b).map(([g, keys]) => new Participant({ group: g, servers: servers(s, g), keys }))
    // Keys no group owns yet: abort at once (the client asks the master and retries).
    return setRecord(s, new Coordinated({ id: r.id, steps: r.steps, participants, votes: new Map(), decision: placed ? "pending" : "abort", reads: [], acked: [] }))
  }

  /** All (or with the planted bug, the) votes in and yes: commit with reads and writes from the voted values. */
  const decide = (c: Coordinated): Coordinated => {
    const votes = [...c.votes.values()]
    if (votes.some((v) => v === null)) return new Coordinated({ ...c, decision: "abort" })
    const complete = c.participants.every((p) => c.votes.has(p.group))
    if (!complete && !(bugs.commitOnPartialVotes && votes.length > 0)) return c
    return new Coordinated({ ...c, decision: "commit", reads: [...run(c).output.reads] })
  }

  const vote = (s: TxnGroupState, v: Vote): TxnGroupState => {
    const c = coordinated(s, v.id)
    if (c === undefined || c.decision !== "pending" || c.votes.has(v.group) || !c.participants.some((p) => p.group === v.group)) return s
    return setRecord(s, decide(new Coordinated({ ...c, votes: new Map(c.votes).set(v.group, v.yes ? v.values : null) })))
  }

  const abort = (s: TxnGroupState, a: AbortTxn): TxnGroupState => {
    const c = coordinated(s, a.id)
    return c === undefined || c.decision !== "pending" ? s : setRecord(s, new Coordinated({ ...c, decision: "abort" }))
  }

  const acked = (s: TxnGroupState, a: DecisionAck): TxnGroupState => {
    const c = coordinated(s, a.id)
    return c === undefined || c.decision === "pending" || c.acked.includes(a.group) ? s : setRecord(s, new Coordinated({ ...c, acked: [...c.acked, a.group].sort() }))
  }

  // The participant.
  const serving = (s: TxnGroupState, key: string) => base.route(s.base, key) === "serve"
  const prepare = (s: TxnGroupState, p: Prepare): TxnGroupState => {
    const seen = s.seen.get(p.id.client)
    if (seen !== undefined && compareIds(seen, p.id) >= 0) return s
    const mark = new Map(s.seen).set(p.id.client, p.id)
    const locked = bugs.readsSkipLocks ? p.written : p.keys
    // One transaction of a client prepared at a time (an aborted attempt's Decide may still be on its way).
    const free = !s.draining && !s.prepared.has(p.id.client) && p.keys.every((k) => serving(s, k)) && locked.every((k) => !s.locks.has(k))
    if (!free) return withState(s, { seen: mark })
    const owner = p.id.client
    const locks = bugs.releaseBeforeDecision ? s.locks : new Map([...s.locks, ...locked.map((k) => [k, owner] as const)])
    return withState(s, { seen: mark, locks, prepared: new Map(s.prepared).set(owner, new Prepared({ id: p.id, keys: locked })) })
  }

  const apply = (s: TxnGroupState, d: Decide): TxnGroupState => {
    const prepared = s.prepared.get(d.id.client)
    const seen = s.seen.get(d.id.client)
    const outcomes = new Map(s.outcomes).set(d.id.client, new Outcome({ id: d.id, commit: d.commit }))
    if (prepared === undefined || compareIds(prepared.id, d.id) !== 0) {
      if (seen !== undefined && compareIds(seen, d.id) >= 0) return s
      return withState(s, { seen: new Map(s.seen).set(d.id.client, d.id), outcomes })
    }
    let shardState = s.base
    if (d.commit) {
      const byShard = new Map<number, Map<string, string>>()
      for (const [key, value] of d.writes) {
        const shard = keyShard(key, shards)
        const held = shardState.shards.get(shard)
        if (held?._tag !== "Serving") continue // cannot happen: a locked shard does not move
        const kv = byShard.get(shard) ?? new Map(held.data.kv)
        if (value === null) kv.delete(key)
        else kv.set(key, value)
        byShard.set(shard, kv)
      }
      const all = new Map(shardState.shards)
      for (const [shard, kv] of byShard) all.set(shard, new Serving({ data: new ShardData({ kv, replies: (all.get(shard) as Serving).data.replies }) }))
      shardState = new ShardGroupState({ ...shardState, shards: all })
    }
    const locks = new Map([...s.locks].filter(([, owner]) => owner !== d.id.client))
    const rest = new Map(s.prepared)
    rest.delete(d.id.client)
    return withState(s, { base: shardState, locks, prepared: rest, outcomes })
  }

  const txnCommand = (s: TxnGroupState, c: TxnCommand): TxnGroupState => {
    switch (c._tag) {
      case "TxnRequest":
        return begin(s, c)
      case "Vote":
        return vote(s, c)
      case "AbortTxn":
        return abort(s, c)
      case "DecisionAck":
        return acked(s, c)
      case "Prepare":
        return prepare(s, c)
      case "Decide":
        return apply(s, c)
    }
  }

  const execute = (s: TxnGroupState, c: ShardKvCommand | TxnCommand): readonly [Tagged, TxnGroupState] => {
    if (c._tag === "ClientRequest" || c._tag === "ApplyConfig" || c._tag === "ShardHandoff" || c._tag === "HandoffAck") return shardCommand(s, c)
    const next = txnCommand(s, c)
    return [c, next]
  }

  // What the leader sends.
  const myServers = (s: TxnGroupState) => servers(s, group)
  const decisionFor = (c: Coordinated, p: Participant, coordinator: ReadonlyArray<string>): Send => ({
    to: p.servers,
    message: new Decide({ id: c.id, commit: c.decision === "commit", writes: c.decision === "commit" ? writesOf(c, p.keys) : new Map(), coordinator }),
  })
  /** A coordinator record's messages: prepares still unanswered, or the decision to those that have not acknowledged it, and the client's reply. */
  const coordinatorSends = (s: TxnGroupState, c: Coordinated, toClient: boolean): Send[] => {
    const me = myServers(s)
    if (c.decision === "pending") {
      const written = writtenKeys(c.steps)
      return c.participants
        .filter((p) => !c.votes.has(p.group))
        .map((p) => ({ to: p.servers, message: new Prepare({ id: c.id, keys: p.keys, written: p.keys.filter((k) => written.includes(k)), coordinator: me }) }))
    }
    const sends = c.participants.filter((p) => !c.acked.includes(p.group)).map((p) => decisionFor(c, p, me))
    return toClient ? [...sends, { to: [c.id.client], message: new TxnReply({ id: c.id, committed: c.decision === "commit", reads: c.reads }) }] : sends
  }

  const answers = (command: TxnCommand, s: TxnGroupState): Send[] => {
    switch (command._tag) {
      case "TxnRequest":
      case "Vote":
      case "AbortTxn": {
        const c = coordinated(s, command.id)
        return c === undefined ? [] : coordinatorSends(s, c, true)
      }
      case "DecisionAck":
        return []
      case "Prepare": {
        const p = s.prepared.get(command.id.client)
        const yes = p !== undefined && compareIds(p.id, command.id) === 0
        const values = new Map(yes ? command.keys.map((k) => [k, valueOf(s, k)] as const) : [])
        return [{ to: command.coordinator, message: new Vote({ id: command.id, group, yes, values }) }]
      }
      case "Decide":
        return [{ to: command.coordinator, message: new DecisionAck({ id: command.id, group }) }]
    }
  }

  const valueOf = (s: TxnGroupState, key: string): string | null => {
    const held = s.base.shards.get(keyShard(key, shards))
    return held?._tag === "Serving" ? (held.data.kv.get(key) ?? null) : null
  }

  /** Planted bug: the leader sends Commit from the state the vote would give, and puts the vote in its log only later. */
  const beforeProposing = (command: TxnCommand, next: TxnGroupState) => {
    const c = bugs.sendCommitBeforeLogging && command._tag === "Vote" ? coordinated(next, command.id) : undefined
    if (c?.decision !== "commit") return { send: [], defer: false }
    return { send: c.participants.map((p) => decisionFor(c, p, myServers(next))), defer: true }
  }

  const resend = (s: TxnGroupState): Send[] => [...s.coordinating.values()].flatMap((c) => coordinatorSends(s, c, false))
  /** A new leader aborts what its group still coordinates undecided (its predecessor's votes may be lost). */
  const onLeadership = (s: TxnGroupState): TxnCommand[] => [...s.coordinating.values()].filter((c) => c.decision === "pending").map((c) => new AbortTxn({ id: c.id }))
  /** The abort timeout: a transaction still pending after ABORT_TIMEOUT_TICKS of the leader's HandoffTimers is aborted (through the log, then sent). */
  const waiting = (s: TxnGroupState) => [...s.coordinating.values()].filter((c) => c.decision === "pending").map((c) => ({ key: showId(c.id), command: new AbortTxn({ id: c.id }) }))

  return {
    init,
    execute,
    outbox: (s: TxnGroupState) => base.outbox(s.base),
    configNum: (s: TxnGroupState) => s.base.config?.num ?? 0,
    extension: { commands: TXN_COMMANDS, answers, resend, onLeadership, beforeProposing, ...(bugs.noAbortTimeout ? {} : { timeout: { ticks: ABORT_TIMEOUT_TICKS, waiting } }) },
  }
}

export type TxnGroup = ReturnType<typeof txnGroup>
