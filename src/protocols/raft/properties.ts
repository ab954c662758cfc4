/**
 * Raft's safety properties (Figure 3 of the paper), checked over the global state of a configuration
 * whose first `n` nodes are the Raft servers, plus the refinement of the applied KV store to spec/kv.
 */
import { fingerprintValue } from "../../checker/hash.ts"
import { invariant, newFingerprint, type StateProperty } from "../../checker/transition-system.ts"
import { amo, type AMOState } from "../../core/application.ts"
import { storedAt } from "../../core/outbox.ts"
import type { World } from "../../core/world.ts"
import { kvStore, type KVState } from "../../core/kv.ts"
import { refinesKv } from "../../core/kv-refinement.ts"
import { applyUpTo, entryAt, type Entry, lastIndex, type RaftDurable, type RaftState, termAt } from "./protocol.ts"

type S = RaftState<KVState>

/** Up servers' states (null for a crashed server). */
export const serverStates = (w: World, n: number): Array<S | null> => {
  const out: Array<S | null> = []
  for (let i = 0; i < n; i++) {
    const r = w.nodes[i]!
    out.push(r.up ? (r.state as S) : null)
  }
  return out
}

/**
 * An invariant over every pair of up servers: `bad(a, b, i, j)` describes the violation of that
 * pair, if any.
 */
const pairwise = (name: string, n: number, bad: (a: S, b: S, i: number, j: number) => string | undefined) => {
  const check = (w: World): string | undefined => {
    const s = serverStates(w, n)
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const a = s[i]
        const b = s[j]
        const why = a && b ? bad(a, b, i, j) : undefined
        if (why) return why
      }
    return undefined
  }
  return invariant<World>(name, (w) => check(w) === undefined, check)
}

const sameEntry = (a: Entry, b: Entry) => a === b || (a.term === b.term && a.command.client === b.command.client && a.command.seq === b.command.seq)

/** At most one leader per term (a stale leader of an older term may linger). */
export const electionSafety = (n: number, names: ReadonlyArray<string>) =>
  pairwise("ELECTION_SAFETY", n, (a, b, i, j) =>
    a.role === "leader" && b.role === "leader" && a.term === b.term ? `${names[i]} and ${names[j]} both lead term ${a.term}` : undefined
  )

/** If two logs hold an entry with the same index and term, they are identical up to that index. */
export const logMatching = (n: number, names: ReadonlyArray<string>) =>
  pairwise("LOG_MATCHING", n, (a, b, i, j) => {
    const lo = Math.max(a.snapIndex, b.snapIndex) + 1
    let top = Math.min(lastIndex(a), lastIndex(b))
    while (top >= lo && termAt(a, top) !== termAt(b, top)) top--
    for (let k = top; k >= lo; k--)
      if (!sameEntry(entryAt(a, k)!, entryAt(b, k)!)) return `${names[i]} and ${names[j]} agree on the term at index ${top} but differ at index ${k}`
    return undefined
  })

/**
 * A leader holds every entry committed by a server whose term is not newer than the leader's (an
 * entry committed in term T is in the log of every leader of a term after T; a server that knows
 * it committed has a term of at least T).
 */
export const leaderCompleteness = (n: number, names: ReadonlyArray<string>) => {
  const check = (w: World): string | undefined => {
    const s = serverStates(w, n)
    for (let l = 0; l < n; l++) {
      const L = s[l]
      if (!L || L.role !== "leader") continue
      for (let i = 0; i < n; i++) {
        const N = s[i]
        if (!N || i === l || N.term > L.term) continue
        for (let k = Math.max(N.snapIndex, L.snapIndex) + 1; k <= N.commitIndex; k++) {
          const e = entryAt(N, k)!
          const le = entryAt(L, k)
          if (!le || !sameEntry(e, le))
            return `leader ${names[l]} (term ${L.term}) lacks the entry at index ${k} (term ${e.term}) that ${names[i]} committed`
        }
      }
    }
    return undefined
  }
  return invariant<World>("LEADER_COMPLETENESS", (w) => check(w) === undefined, check)
}

const fa = newFingerprint()
const fb = newFingerprint()

/** No two servers apply different commands at one index; servers at one commit index have one state. */
export const stateMachineSafety = (n: number, names: ReadonlyArray<string>) =>
  pairwise("STATE_MACHINE_SAFETY", n, (a, b, i, j) => {
    const hi = Math.min(a.commitIndex, b.commitIndex)
    for (let k = Math.max(a.snapIndex, b.snapIndex) + 1; k <= hi; k++)
      if (!sameEntry(entryAt(a, k)!, entryAt(b, k)!)) return `${names[i]} and ${names[j]} applied different commands at index ${k}`
    if (a.commitIndex === b.commitIndex && a.sm !== b.sm) {
      fingerprintValue(a.sm, fa)
      fingerprintValue(b.sm, fb)
      if (fa.hi !== fb.hi || fa.lo !== fb.lo) return `${names[i]} and ${names[j]} have different state machines at index ${a.commitIndex}`
    }
    return undefined
  })

export const raftInvariants = (n: number, names: ReadonlyArray<string>): Array<StateProperty<World>> => [
  electionSafety(n, names),
  logMatching(n, names),
  leaderCompleteness(n, names),
  stateMachineSafety(n, names),
]

const wrapped = amo(kvStore)

/** A server's applied state machine and commit index, from its state or, when it is down, its durable storage. */
export const appliedOf = (w: World, i: number): { readonly commitIndex: number; readonly sm: AMOState<KVState> } => {
  const r = w.nodes[i]!
  if (r.up) {
    const s = r.state as S
    return { commitIndex: s.commitIndex, sm: s.sm }
  }
  const d = storedAt(r.durable) as RaftDurable<KVState> | undefined
  if (d === undefined) return { commitIndex: 0, sm: wrapped.init() }
  return { commitIndex: d.commitIndex, sm: applyUpTo(wrapped, d, d.snap, d.snapIndex, d.commitIndex) }
}

/** The most advanced applied state machine of the cluster (committed state only ever grows). */
export const committedState = (w: World, n: number): { readonly commitIndex: number; readonly sm: AMOState<KVState> } => {
  let best = appliedOf(w, 0)
  for (let i = 1; i < n; i++) {
    const x = appliedOf(w, i)
    if (x.commitIndex > best.commitIndex) best = x
  }
  return best
}

/**
 * The committed KV store refines spec/kv: each protocol step changes it by one KV operation or not at
 * all (single-client configurations: see core/kv-refinement.ts).
 */
export const kvRefinement = (n: number) => refinesKv<World>((w) => committedState(w, n).sm.app)

/** The persisted state of every server stays under `max` entries of log. */
export const persistBounded = (n: number, names: ReadonlyArray<string>, maxLog: number, maxBytes: number) => {
  const size = (d: RaftDurable<KVState>) => JSON.stringify(d, (_k, v) => (v instanceof Map ? [...v] : v)).length
  const check = (w: World): string | undefined => {
    for (let i = 0; i < n; i++) {
      const d = storedAt(w.nodes[i]!.durable) as RaftDurable<KVState> | undefined
      if (!d) continue
      if (d.log.length > maxLog) return `${names[i]} persisted ${d.log.length} log entries (bound ${maxLog})`
      const b = size(d)
      if (b > maxBytes) return `${names[i]} persisted ${b} bytes (bound ${maxBytes})`
    }
    return undefined
  }
  return invariant<World>("PERSIST_BOUNDED", (w) => check(w) === undefined, check)
}
