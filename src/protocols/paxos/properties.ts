/**
 * Multi-Paxos's invariants, over one log group: each replica is a typed handle reaching into the
 * `log` component of its server, so a system with several groups instantiates them once per group.
 */
import { fingerprintValue } from "../../checker/hash.ts"
import { goal, invariant, newFingerprint, type StateProperty } from "../../checker/transition-system.ts"
import type { AMOState } from "../../core/application.ts"
import { show } from "../../core/show.ts"
import type { World } from "../../core/world.ts"
import { type PaxosState, slotStatus } from "./server.ts"

/** One replica of a Paxos group: its log in a world (live, or what it persisted while down). */
export interface Replica {
  readonly name: string
  readonly log: (w: World) => PaxosState | undefined
}

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
  const check = (w: World): string | undefined => {
    const seen = new Map<number, { by: string; text: string }>()
    for (const r of group) {
      const s = r.log(w)
      if (!s) continue
      for (const slot of s.log.keys()) {
        const st = slotStatus(s, slot)
        if (st.status !== "chosen") continue
        const text = commandKey(st.command)
        const other = seen.get(slot)
        if (other && other.text !== text) return `slot ${slot}: ${other.by} chose ${other.text}, ${r.name} chose ${text}`
        if (!other) seen.set(slot, { by: r.name, text })
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
