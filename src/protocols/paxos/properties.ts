/**
 * Multi-Paxos's invariants, over one log group: each replica is a typed handle reaching into the
 * `log` component of its server, so a system with several groups instantiates them once per group.
 */
import { fingerprintValue } from "../../checker/hash.ts"
import { goal, invariant, newFingerprint, type StateProperty } from "../../checker/transition-system.ts"
import type { AMOState } from "../../core/application.ts"
import type { Config } from "../../core/config.ts"
import type { KVState } from "../../core/kv.ts"
import { show } from "../../core/show.ts"
import type { World } from "../../core/world.ts"
import { type PaxosState, slotStatus } from "./server.ts"

/** One replica of a Paxos group: its log in a world (live, or what it persisted while down). */
export interface Replica {
  readonly name: string
  /** Reads the replica's node record only (REFINES_CONSENSUS declares so: core/step-reads.ts). */
  readonly log: (w: World) => PaxosState | undefined
}

/**
 * A replica read live, or from what it persisted while down (its `log` record: the promise, the
 * accepted and chosen slots, the compaction point). REFINES_CONSENSUS must read a crashed replica's
 * storage: a slot that only it learned is still chosen (a persisting learner writes what it learns),
 * and read from live replicas alone the chosen log would shrink at its crash (a false alarm).
 */
export const persistedReplica = (name: string, live: (w: World) => PaxosState | undefined, stored: (w: World) => unknown): Replica => ({
  name,
  log: (w: World) => live(w) ?? (stored(w) as PaxosState | undefined),
})

/** A command's identity: a client command is named by its client and sequence number, a no-op by its slot. */
export const commandKey = (c: { readonly _tag: string } | undefined): string => {
  if (!c) return "?"
  if (c._tag === "AMOCommand") {
    const a = c as unknown as { readonly client: string; readonly seq: number }
    return `${a.client}#${a.seq}`
  }
  return c._tag === "Noop" ? "noop" : show(c)
}

/** LOGS_CONSISTENT: no two replicas have different chosen commands for one slot. */
export const logsConsistent = <W extends World>(group: ReadonlyArray<Replica>): StateProperty<W> => {
  // A log's chosen slots and their commands' keys, in the log's order, once per log (logs are
  // immutable and recur across states); the cleared ones are skipped as each state's replica has them.
  const chosenIn = new WeakMap<PaxosState["log"], ReadonlyArray<readonly [number, string]>>()
  const chosenOf = (log: PaxosState["log"]): ReadonlyArray<readonly [number, string]> => {
    let chosen = chosenIn.get(log)
    if (chosen === undefined) {
      const list: Array<readonly [number, string]> = []
      for (const [slot, e] of log) if (e.chosen) list.push([slot, commandKey(e.command)])
      chosenIn.set(log, (chosen = list))
    }
    return chosen
  }
  // Checked in every state: each replica's slots against the first earlier replica holding the slot,
  // by scanning the (short) chosen lists, with no map built per state.
  const logs: Array<PaxosState | undefined> = []
  const check = (w: World): string | undefined => {
    for (let j = 0; j < group.length; j++) {
      const s = (logs[j] = group[j]!.log(w))
      if (!s) continue
      const mine = chosenOf(s.log)
      for (let m = 0; m < mine.length; m++) {
        const [slot, text] = mine[m]!
        if (slot < s.cleared) continue
        for (let q = 0; q < j; q++) {
          const o = logs[q]
          if (!o || slot < o.cleared) continue
          const theirs = chosenOf(o.log)
          let k = 0
          while (k < theirs.length && theirs[k]![0] !== slot) k++
          if (k === theirs.length) continue
          const other = theirs[k]![1]
          if (other !== text) return `slot ${slot}: ${group[q]!.name} chose ${other}, ${group[j]!.name} chose ${text}`
          break
        }
      }
    }
    return undefined
  }
  return invariant<W>("LOGS_CONSISTENT", (w) => check(w) === undefined, check)
}

/** LOG_BOUNDED: compaction keeps every replica's log at most `max` slots long. */
export const logBounded = <W extends World>(group: ReadonlyArray<Replica>, max: number): StateProperty<W> => {
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const s = r.log(w)
      if (s && s.log.size > max) return `${r.name} holds ${s.log.size} log slots (cleared below ${s.cleared}, executed ${s.slotOut})`
    }
    return undefined
  }
  return invariant<W>("LOG_BOUNDED", (w) => check(w) === undefined, check)
}

/** Client commands a replica has applied (each client's commands run once, in sequence order). */
export const commandsExecuted = (app: AMOState<unknown>): number => {
  let n = 0
  for (const r of app.last.values()) n += r.seq
  return n
}

/** Goal: one server alone has applied `k` commands; every other server has applied fewer. */
export const oneServerExecuted = <W extends World>(apps: ReadonlyArray<(w: World) => AMOState<unknown> | undefined>, k: number): StateProperty<W> =>
  goal<W>(`ONE_SERVER_EXECUTED_${k}`, (w) => {
    let ahead = 0
    for (const app of apps) {
      const a = app(w)
      if (a && commandsExecuted(a) >= k) ahead++
    }
    return ahead === 1
  })

/**
 * CATCH_UP_POSSIBLE: no replica has cleared a slot that another replica has not executed. Paxos here
 * has no snapshot transfer, so a slot cleared everywhere before some replica executed it can never
 * reach that replica (compaction must wait for the slowest server).
 */
export const catchUpPossible = <W extends World>(group: ReadonlyArray<Replica>): StateProperty<W> => {
  const check = (w: World): string | undefined => {
    let cleared: { by: string; at: number } | undefined
    let behind: { by: string; at: number } | undefined
    for (const r of group) {
      const s = r.log(w)
      if (!s) continue
      if (!cleared || s.cleared > cleared.at) cleared = { by: r.name, at: s.cleared }
      if (!behind || s.slotOut < behind.at) behind = { by: r.name, at: s.slotOut }
    }
    return cleared && behind && cleared.at > behind.at ? `${cleared.by} cleared below slot ${cleared.at}, but ${behind.by} executed only below ${behind.at}` : undefined
  }
  return invariant<W>("CATCH_UP_POSSIBLE", (w) => check(w) === undefined, check)
}

/** A server's applied KV store (undefined while it is down). */
export interface Store {
  readonly name: string
  readonly store: (w: World) => KVState | undefined
}

/**
 * EXECUTED_ONCE, the exactly-once property read from the applied state: no replica's store holds one
 * client command's append twice. It reads the workloads' appends whose values are `;`-terminated
 * tokens (appendWorkload's `client1.0;` is client1's command 1): each is unique, so a token that
 * occurs twice in a store is one command executed twice (a command chosen in two slots must run once).
 */
export const executedOnce = <W extends World>(config: Config, stores: ReadonlyArray<Store>): StateProperty<W> => {
  const commands = new Map<string, string>()
  for (const c of config.clients)
    c.workload.commands.forEach((cmd, i) => {
      const v = (cmd as { readonly _tag: string; readonly value?: unknown }).value
      if (cmd._tag === "Append" && typeof v === "string" && v.indexOf(";") === v.length - 1) commands.set(v.slice(0, -1), `${c.address}#${i + 1}`)
    })
  const check = (w: World): string | undefined => {
    if (commands.size === 0) return undefined
    for (const r of stores) {
      const store = r.store(w)
      if (!store) continue
      for (const [key, value] of store) {
        if (value.indexOf(";") < 0) continue
        const seen = new Set<string>()
        for (const token of value.split(";")) {
          if (!commands.has(token)) continue
          if (seen.has(token)) return `${r.name} executed ${commands.get(token)} twice: ${key} = ${value}`
          seen.add(token)
        }
      }
    }
    return undefined
  }
  return invariant<W>("EXECUTED_ONCE", (w) => check(w) === undefined, check)
}

/** A replica's executed prefix and what it applied: `slotOut` and a fingerprint-ready view of its state machine. */
export interface Applied {
  readonly name: string
  readonly applied: (w: World) => { readonly slotOut: number; readonly app: unknown } | undefined
}

/** APPLIED_CONSISTENT: two live replicas that executed the same prefix of the log hold the same state machine. */
export const appliedConsistent = <W extends World>(replicas: ReadonlyArray<Applied>): StateProperty<W> => {
  const fp = newFingerprint()
  const check = (w: World): string | undefined => {
    const seen = new Map<number, { by: string; hi: number; lo: number }>()
    for (const r of replicas) {
      const a = r.applied(w)
      if (!a) continue
      fingerprintValue(a.app, fp)
      const other = seen.get(a.slotOut)
      if (!other) seen.set(a.slotOut, { by: r.name, hi: fp.hi, lo: fp.lo })
      else if (other.hi !== fp.hi || other.lo !== fp.lo) return `${other.by} and ${r.name} both executed slots below ${a.slotOut} but hold different states: ${show(a.app)}`
    }
    return undefined
  }
  return invariant<W>("APPLIED_CONSISTENT", (w) => check(w) === undefined, check)
}

/** A live server's log and the exactly-once state its executed slots built (for DEDUP_COMPLETE). */
export interface Deduped {
  readonly name: string
  readonly state: (w: World) => { readonly log: PaxosState; readonly app: AMOState<unknown> } | undefined
}

/**
 * DEDUP_COMPLETE: every client command a replica executed and still holds (a chosen slot from its
 * compaction point up to its executed point) is in its exactly-once table: that client's entry has the
 * command's sequence number or a later one. A command missing there runs again when its retry, or a
 * new leader's re-proposal of it, comes back; this says so at the execution that lost it, not once a
 * retry has run twice.
 */
export const dedupComplete = <W extends World>(servers: ReadonlyArray<Deduped>): StateProperty<W> => {
  const check = (w: World): string | undefined => {
    for (const r of servers) {
      const s = r.state(w)
      if (!s) continue
      for (let slot = s.log.cleared; slot < s.log.slotOut; slot++) {
        const c = s.log.log.get(slot)?.command
        if (c?._tag !== "AMOCommand") continue
        const { client, seq } = c as unknown as { readonly client: string; readonly seq: number }
        const last = s.app.last.get(client)
        if (!last || last.seq < seq) return `${r.name} executed ${client}#${seq} in slot ${slot} but its exactly-once table holds ${last ? `${client}#${last.seq}` : `nothing for ${client}`}`
      }
    }
    return undefined
  }
  return invariant<W>("DEDUP_COMPLETE", (w) => check(w) === undefined, check)
}

/** Ballots (round, leader) in order: negative, zero or positive. */
export const cmpBallot = (r1: number, l1: string, r2: number, l2: string): number => (r1 !== r2 ? r1 - r2 : l1 < l2 ? -1 : l1 > l2 ? 1 : 0)

/**
 * ACCEPTED_WITHIN_PROMISE (Paxos TLA+ spec: an acceptor votes only at its promised ballot, raising the
 * promise first): no replica holds an accepted, unchosen entry of a ballot above the one it promised.
 */
export const acceptedWithinPromise = <W extends World>(group: ReadonlyArray<Replica>): StateProperty<W> => {
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const s = r.log(w)
      if (!s) continue
      for (const [slot, e] of s.log)
        if (!e.chosen && cmpBallot(e.round, e.leader, s.round, s.leader) > 0)
          return `${r.name} accepted slot ${slot} at ballot (${e.round}, ${e.leader}) but promised only (${s.round}, ${s.leader})`
    }
    return undefined
  }
  return invariant<W>("ACCEPTED_WITHIN_PROMISE", (w) => check(w) === undefined, check)
}

/**
 * LEADER_PROMISED: an active leader's ballot is promised by a majority (each has promised it or a higher
 * one; promises only grow, and persist across crashes where crashes happen). Ballot 0 is the initial
 * promise of every server.
 */
export const leaderPromised = <W extends World>(group: ReadonlyArray<Replica>): StateProperty<W> => {
  const majority = Math.floor(group.length / 2) + 1
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const s = r.log(w)
      if (!s?.active) continue
      let promised = 0
      for (const o of group) {
        const t = o.log(w)
        if (t && cmpBallot(t.round, t.leader, s.round, s.leader) >= 0) promised++
      }
      if (promised < majority) return `${r.name} leads ballot (${s.round}, ${s.leader}) but only ${promised} of ${group.length} servers promised it`
    }
    return undefined
  }
  return invariant<W>("LEADER_PROMISED", (w) => check(w) === undefined, check)
}

/**
 * CHOSEN_BY_MAJORITY: a slot any replica holds as chosen is held with the same command (accepted or
 * chosen) by a majority, or cleared by them: a value is chosen only once a majority accepted it, and
 * every later ballot proposes that same value for the slot.
 */
export const chosenByMajority = <W extends World>(group: ReadonlyArray<Replica>): StateProperty<W> => {
  const majority = Math.floor(group.length / 2) + 1
  const check = (w: World): string | undefined => {
    const logs = group.map((r) => r.log(w))
    const done = new Set<number>()
    for (let i = 0; i < group.length; i++) {
      const s = logs[i]
      if (!s) continue
      for (const [slot, e] of s.log) {
        if (!e.chosen || done.has(slot)) continue
        done.add(slot)
        const key = commandKey(e.command)
        let holders = 0
        for (const t of logs) {
          if (!t) continue
          const st = slotStatus(t, slot)
          if (st.status === "cleared" || (st.command !== undefined && commandKey(st.command) === key)) holders++
        }
        if (holders < majority) return `${group[i]!.name} holds slot ${slot} chosen as ${key}, but only ${holders} of ${group.length} servers hold it`
      }
    }
    return undefined
  }
  return invariant<W>("CHOSEN_BY_MAJORITY", (w) => check(w) === undefined, check)
}

/**
 * The invariants of Paxos's safety argument (acceptor promises, leader quorums, chosen values held by a
 * majority), for searches without lossy crashes.
 */
export const paxosSpecInvariants = <W extends World>(group: ReadonlyArray<Replica>): ReadonlyArray<StateProperty<W>> => [
  acceptedWithinPromise<W>(group),
  leaderPromised<W>(group),
  chosenByMajority<W>(group),
]

/**
 * STABLE_LEADER: no replica ever moves past the initial ballot (0, first server). A timing property:
 * it holds only where the first leader never fails and its heartbeats always arrive within an
 * election timeout (a reliable network, no crash); there a change of leader is needless churn.
 */
export const stableLeader = <W extends World>(group: ReadonlyArray<Replica>): StateProperty<W> => {
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const s = r.log(w)
      if (s && s.round > 0) return `${r.name} moved to ballot (${s.round}, ${s.leader}) although the first leader never failed`
    }
    return undefined
  }
  return invariant<W>("STABLE_LEADER", (w) => check(w) === undefined, check)
}

/**
 * FOLLOWERS_CURRENT_k: no replica has executed more than `k` slots fewer than the active leader. A
 * timing property, for a reliable network with one sequential client: the leader tells the others each
 * decision at once (they need not wait for a heartbeat to catch up).
 */
export const followersCurrent = <W extends World>(group: ReadonlyArray<Replica>, k: number): StateProperty<W> => {
  const check = (w: World): string | undefined => {
    const logs = group.map((r) => r.log(w))
    const leader = logs.findIndex((s) => s?.active)
    if (leader < 0) return undefined
    const top = logs[leader]!.slotOut
    for (let i = 0; i < group.length; i++) {
      const s = logs[i]
      if (s && s.slotOut < top - k) return `${group[i]!.name} executed below slot ${s.slotOut}, the leader ${group[leader]!.name} below ${top}`
    }
    return undefined
  }
  return invariant<W>(`FOLLOWERS_CURRENT_${k}`, (w) => check(w) === undefined, check)
}
