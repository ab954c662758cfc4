/**
 * Raft's safety properties (Figure 3 of the paper), checked over the global state of a configuration
 * whose first `n` nodes are the Raft servers (typed roles reaching into each server's `log`
 * component), plus the refinement of the applied KV store to spec/kv.
 */
import { sameValue } from "../../checker/hash.ts"
import { invariant, type StateProperty, type StepProperty } from "../../checker/transition-system.ts"
import { amo, type AMOCommand, type AMOState } from "../../core/application.ts"
import type { World } from "../../core/world.ts"
import { kvStore, type KVState } from "../../core/kv.ts"
import { type Role, role } from "../../core/roles.ts"
import { sameCommand } from "../../core/replicated-log.ts"
import { readsNodes } from "../../core/step-reads.ts"
import { leaderRules } from "./leader-rules.ts"
import { entryAt, type Entry, lastIndex, type RaftDurable, type RaftServerState, type RaftState, termAt } from "./server.ts"

type S = RaftState
type Svc = RaftServerState<KVState>

const roleCache = new Map<number, ReadonlyArray<Role<Svc>>>()
/** Typed handles on the first `n` nodes, the Raft servers `s1`..`sn`. */
export const raftServers = (n: number): ReadonlyArray<Role<Svc>> => {
  let r = roleCache.get(n)
  if (!r) roleCache.set(n, (r = Array.from({ length: n }, (_, i) => role<Svc>(i, `s${i + 1}`))))
  return r
}

/** Up servers' service states (null for a crashed server). */
export const serviceStates = (w: World, n: number): Array<Svc | null> => raftServers(n).map((r) => r.state(w) ?? null)

/** Up servers' Raft logs (null for a crashed server). */
export const serverStates = (w: World, n: number): Array<S | null> => raftServers(n).map((r) => r.state(w)?.log ?? null)

/**
 * One Raft replica of a group: its name and, while it is up, its log component's state and the state
 * machine it applied. Its functions read the world's node records only (COMMIT_INDEX_MONOTONE
 * declares so: core/step-reads.ts).
 */
export interface RaftReplica {
  readonly name: string
  readonly log: (w: World) => RaftState | undefined
  readonly app: (w: World) => unknown
  /** Its log's durable storage (read while it is down). */
  readonly stored?: (w: World) => RaftDurable | undefined
  /**
   * Immutable objects (or undefined) that together hold everything `log`, `app` and `stored` read
   * (for the raft model: the node's state while it is up, and its storage): the same ones give the
   * same verdicts, so the group's invariants cache them by these keys.
   */
  readonly keys?: ReadonlyArray<(w: World) => object | undefined>
  /** The node whose record alone holds everything the keys read, when one does: the same record, the same keys. */
  readonly index?: number
}

/** "Holds", in a verdict cache (undefined there means "not yet checked"). */
const HOLDS = 0
/** The key of an absent input (a crashed node's state, storage never written). */
const NONE = {}

/**
 * The verdicts of a group's invariants, cached per tuple of its replicas' keys (a node's state and
 * storage recur across many states: the step memo hands back the same objects). Each invariant takes
 * a slot; a state's tuple is looked up once for all of them. Without keys it checks afresh.
 */
export class GroupVerdicts {
  private readonly keys: ReadonlyArray<(w: World) => object | undefined> | undefined
  private readonly root = new WeakMap<object, WeakMap<object, unknown>>()
  private slots = 0
  private lastW: World | undefined
  private lastCell: Array<string | typeof HOLDS | undefined> = []

  constructor(group: ReadonlyArray<{ readonly keys?: ReadonlyArray<(w: World) => object | undefined> | undefined }>) {
    this.keys = group.length > 0 && group.every((r) => r.keys && r.keys.length > 0) ? group.flatMap((r) => r.keys!) : undefined
  }

  /** An invariant whose explanation `check` is cached per tuple of keys. */
  invariant(name: string, check: (w: World) => string | undefined): StateProperty<World> {
    if (!this.keys) return invariant<World>(name, (w) => check(w) === undefined, check)
    const k = this.slots++
    const verdict = (w: World): string | undefined => {
      const cell = this.cell(w)
      const v = cell[k]
      if (v === undefined) {
        const why = check(w)
        cell[k] = why ?? HOLDS
        return why
      }
      return v === HOLDS ? undefined : v
    }
    return invariant<World>(name, (w) => verdict(w) === undefined, verdict)
  }

  private cell(w: World): Array<string | typeof HOLDS | undefined> {
    if (w === this.lastW) return this.lastCell
    const keys = this.keys!
    let level: WeakMap<object, unknown> = this.root as WeakMap<object, unknown>
    const last = keys.length - 1
    for (let i = 0; i < last; i++) {
      const key = keys[i]!(w) ?? NONE
      let next = level.get(key) as WeakMap<object, unknown> | undefined
      if (!next) level.set(key, (next = new WeakMap()))
      level = next
    }
    const key = keys[last]!(w) ?? NONE
    let cell = level.get(key) as Array<string | typeof HOLDS | undefined> | undefined
    if (!cell) level.set(key, (cell = []))
    this.lastW = w
    this.lastCell = cell
    return cell
  }
}

/** The Raft servers `s1`..`sn` of the raft model, as replicas. */
export const raftReplicas = (n: number, names: ReadonlyArray<string>): RaftReplica[] =>
  raftServers(n).map((r, i) => ({
    name: names[i]!,
    log: (w) => r.state(w)?.log,
    app: (w) => r.state(w)?.app,
    stored: (w) => r.stored(w, "log") as RaftDurable | undefined,
    keys: [(w) => (w.nodes[i]!.up ? (w.nodes[i]!.state as object) : undefined), (w) => w.nodes[i]!.durable],
    index: i,
  }))

/** An invariant over every pair of up replicas of `group`: `bad(a, b)` describes the violation of that pair, if any. */
const pairwise = (
  name: string,
  group: ReadonlyArray<RaftReplica>,
  bad: (a: RaftState, b: RaftState, x: RaftReplica, y: RaftReplica, w: World) => string | undefined,
  verdicts = new GroupVerdicts(group)
) => {
  const check = (w: World): string | undefined => {
    const s = group.map((r) => r.log(w))
    for (let i = 0; i < s.length; i++)
      for (let j = i + 1; j < s.length; j++) {
        const a = s[i]
        const b = s[j]
        const why = a && b ? bad(a, b, group[i]!, group[j]!, w) : undefined
        if (why) return why
      }
    return undefined
  }
  return verdicts.invariant(name, check)
}

const sameEntry = (a: Entry, b: Entry) => a === b || (a.term === b.term && sameCommand(a.command, b.command))

/** At most one leader per term (a stale leader of an older term may linger). */
export const electionSafety = (group: ReadonlyArray<RaftReplica>, verdicts?: GroupVerdicts) =>
  pairwise("ELECTION_SAFETY", group, (a, b, x, y) =>
    a.role === "leader" && b.role === "leader" && a.term === b.term ? `${x.name} and ${y.name} both lead term ${a.term}` : undefined,
    verdicts
  )

/** If two logs hold an entry with the same index and term, they are identical up to that index. */
export const logMatching = (group: ReadonlyArray<RaftReplica>, verdicts?: GroupVerdicts) =>
  pairwise("LOG_MATCHING", group, (a, b, x, y) => {
    const lo = Math.max(a.snapIndex, b.snapIndex) + 1
    let top = Math.min(lastIndex(a), lastIndex(b))
    while (top >= lo && termAt(a, top) !== termAt(b, top)) top--
    for (let k = top; k >= lo; k--)
      if (!sameEntry(entryAt(a, k)!, entryAt(b, k)!)) return `${x.name} and ${y.name} agree on the term at index ${top} but differ at index ${k}`
    return undefined
  }, verdicts)

/**
 * A leader holds every entry committed by a server whose term is not newer than the leader's (an
 * entry committed in term T is in the log of every leader of a term after T; a server that knows
 * it committed has a term of at least T), the entries it compacted into its snapshot too.
 */
export const leaderCompleteness = (group: ReadonlyArray<RaftReplica>, verdicts = new GroupVerdicts(group)) => {
  const check = (w: World): string | undefined => {
    const s = group.map((r) => r.log(w))
    for (let l = 0; l < s.length; l++) {
      const L = s[l]
      if (!L || L.role !== "leader") continue
      for (let i = 0; i < s.length; i++) {
        const N = s[i]
        if (!N || i === l || N.term > L.term) continue
        // N's snapshot holds committed entries too: the leader has the one at its index (and, by log matching, those before).
        if (N.snapIndex > L.snapIndex && termAt(L, N.snapIndex) !== N.snapTerm)
          return `leader ${group[l]!.name} (term ${L.term}) lacks the entry at index ${N.snapIndex} (term ${N.snapTerm}) that ${group[i]!.name} committed into its snapshot`
        for (let k = Math.max(N.snapIndex, L.snapIndex) + 1; k <= N.commitIndex; k++) {
          const e = entryAt(N, k)!
          const le = entryAt(L, k)
          if (!le || !sameEntry(e, le))
            return `leader ${group[l]!.name} (term ${L.term}) lacks the entry at index ${k} (term ${e.term}) that ${group[i]!.name} committed`
        }
      }
    }
    return undefined
  }
  return verdicts.invariant("LEADER_COMPLETENESS", check)
}


/** No two servers apply different commands at one index; servers at one commit index have one state. */
export const stateMachineSafety = (group: ReadonlyArray<RaftReplica>, verdicts?: GroupVerdicts) =>
  pairwise("STATE_MACHINE_SAFETY", group, (a, b, x, y, w) => {
    const hi = Math.min(a.commitIndex, b.commitIndex)
    for (let k = Math.max(a.snapIndex, b.snapIndex) + 1; k <= hi; k++)
      if (!sameEntry(entryAt(a, k)!, entryAt(b, k)!)) return `${x.name} and ${y.name} applied different commands at index ${k}`
    if (a.commitIndex !== b.commitIndex) return undefined
    const p = x.app(w)
    const q = y.app(w)
    if (p !== q && !sameValue(p, q)) return `${x.name} and ${y.name} have different state machines at index ${a.commitIndex}`
    return undefined
  }, verdicts)

/**
 * A log's terms never decrease, from the snapshot's last term through its last entry, and none is
 * newer than the server's current term (entries are appended by a leader of their term, and a
 * follower takes a leader's whole suffix after the point where they agree).
 */
export const logTermsMonotone = (group: ReadonlyArray<RaftReplica>, verdicts = new GroupVerdicts(group)) => {
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const s = r.log(w)
      if (!s) continue
      let t = s.snapTerm
      for (let k = 0; k < s.log.length; k++) {
        const e = s.log[k]!.term
        if (e < t) return `${r.name}'s entry at index ${s.snapIndex + k + 1} has term ${e}, after term ${t}`
        t = e
      }
      if (t > s.term) return `${r.name} (term ${s.term}) holds an entry or snapshot of term ${t}`
    }
    return undefined
  }
  return verdicts.invariant("LOG_TERMS_MONOTONE", check)
}

/**
 * A snapshot's last term is the term of the committed entry at its index: every server that has
 * committed that index, as an entry or in its own snapshot, has it with that term.
 */
export const snapshotMatching = (group: ReadonlyArray<RaftReplica>, verdicts?: GroupVerdicts) =>
  pairwise("SNAPSHOT_MATCHING", group, (a, b, x, y) => {
    for (const [p, q, u, v] of [[a, b, x, y], [b, a, y, x]] as const) {
      if (p.snapIndex === 0 || q.commitIndex < p.snapIndex) continue
      const t = termAt(q, p.snapIndex)
      if (t !== -1 && t !== p.snapTerm) return `${u.name}'s snapshot through index ${p.snapIndex} has last term ${p.snapTerm}, but ${v.name} committed that index in term ${t}`
    }
    return undefined
  }, verdicts)

type LogView = Pick<RaftDurable, "log" | "snapIndex" | "snapTerm" | "commitIndex">

/** A replica's log: its state while it is up, its durable storage while it is down (undefined when neither is known). */
const logOf = (r: RaftReplica, w: World): LogView | undefined => r.log(w) ?? r.stored?.(w)

/**
 * CommittedOnQuorum (the Raft TLA+ spec's quorum argument behind Leader Completeness): every entry
 * a server has committed is stored on a majority of the group, in its log with that term or below
 * its snapshot; crashed servers count by their durable log.
 */
export const committedOnQuorum = (group: ReadonlyArray<RaftReplica>, verdicts = new GroupVerdicts(group)) => {
  const majority = Math.floor(group.length / 2) + 1
  const check = (w: World): string | undefined => {
    const s = group.map((r) => logOf(r, w))
    let checked = 0
    for (let i = 0; i < s.length; i++) {
      const x = s[i]
      if (!x) continue
      for (let k = Math.max(x.snapIndex, checked) + 1; k <= x.commitIndex; k++) {
        const t = entryAt(x, k)!.term
        let count = 0
        for (const y of s) if (y && (y.snapIndex >= k || termAt(y, k) === t)) count++
        if (count < majority) return `${group[i]!.name} committed index ${k} (term ${t}), stored on ${count} of ${group.length} servers`
      }
      // Log Matching makes the entries below one server's commit index the same everywhere: check each index once.
      checked = Math.max(checked, x.commitIndex)
    }
    return undefined
  }
  return verdicts.invariant("COMMITTED_ON_QUORUM", check)
}

/**
 * A leader's matchIndex is true: a follower it counts as matched through index m is in the leader's
 * term (matchIndex is set only from replies of that term) and holds the leader's entries through m
 * (m is within both logs, and their terms agree above both snapshots). A follower of a newer term is
 * skipped: the leader is stale and the follower's log may have been rewritten since.
 */
export const matchIndexTrue = (group: ReadonlyArray<RaftReplica>, verdicts = new GroupVerdicts(group)) => {
  const check = (w: World): string | undefined => {
    const s = group.map((r) => r.log(w))
    for (let l = 0; l < s.length; l++) {
      const L = s[l]
      if (!L || L.role !== "leader" || !L.match) continue
      for (let f = 0; f < s.length; f++) {
        const F = s[f]
        const m = L.match.get(group[f]!.name) ?? L.match.get(`${group[f]!.name}/log`) ?? 0
        if (f === l || !F || m === 0 || F.term > L.term) continue
        const who = `leader ${group[l]!.name} (term ${L.term}) has matchIndex ${m} for ${group[f]!.name}`
        if (F.term < L.term) return `${who}, which is still in term ${F.term}`
        if (m > lastIndex(L) || m > lastIndex(F)) return `${who}, past ${m > lastIndex(L) ? "its own" : "that follower's"} last index`
        for (let k = Math.max(L.snapIndex, F.snapIndex) + 1; k <= m; k++)
          if (termAt(L, k) !== termAt(F, k)) return `${who}, but they differ at index ${k}`
      }
    }
    return undefined
  }
  return verdicts.invariant("MATCH_INDEX_TRUE", check)
}

/** Figure 3's invariants over one group of Raft replicas (a service's servers whose log component is Raft), the quorum behind commitment, and the log's shape. */
export const raftGroupInvariants = (group: ReadonlyArray<RaftReplica>, verdicts = new GroupVerdicts(group)): Array<StateProperty<World>> => [
  electionSafety(group, verdicts),
  logMatching(group, verdicts),
  leaderCompleteness(group, verdicts),
  stateMachineSafety(group, verdicts),
  logTermsMonotone(group, verdicts),
  snapshotMatching(group, verdicts),
  committedOnQuorum(group, verdicts),
  matchIndexTrue(group, verdicts),
]

/** Whether a replica's keys are the same objects in `a` and `b` (so is everything it reads). */
const sameKeys = (r: RaftReplica, a: World, b: World): boolean => {
  // A step leaves most records as they were (the very objects): no key need be read then.
  if (r.index !== undefined && a.nodes[r.index] === b.nodes[r.index]) return true
  if (!r.keys) return false
  for (const k of r.keys) if (k(a) !== k(b)) return false
  return true
}

/**
 * A server's commit index never decreases while it stays up (the Raft TLA+ spec's commitIndex only
 * grows; a restart may go back to the durable one, which --lazy-commit writes late).
 */
export const commitIndexMonotone = <L>(group: ReadonlyArray<RaftReplica>): StepProperty<World, L> =>
  readsNodes({
  name: "COMMIT_INDEX_MONOTONE",
  check: (from, _label, to) => {
    for (const r of group) {
      if (sameKeys(r, from, to)) continue // an unchanged node keeps its commit index
      const a = r.log(from)
      const b = r.log(to)
      if (a && b && b.commitIndex < a.commitIndex) return `${r.name}'s commit index went from ${a.commitIndex} back to ${b.commitIndex}`
    }
    return undefined
  },
  })

/**
 * Figure 2's persistence rule, as this implementation keeps it (every step that changes term, vote,
 * log or snapshot writes them before its messages leave): an up server's storage holds its current
 * term, vote, log, snapshot point and snapshot state. (The commit index is left out: it may be written lazily.)
 */
export const storageCurrent = (n: number, names: ReadonlyArray<string>, verdicts = new GroupVerdicts(raftReplicas(n, names))) => {
  const check = (w: World): string | undefined => {
    for (let i = 0; i < n; i++) {
      const r = raftServers(n)[i]!
      const s = r.state(w)?.log
      if (!s) continue
      const d = (r.stored(w, "log") as RaftDurable | undefined) ?? { term: 0, votedFor: null, log: [], snapIndex: 0, snapTerm: 0, snap: undefined }
      const what =
        d.term !== s.term
          ? `term ${s.term}, stored ${d.term}`
          : d.votedFor !== s.votedFor
            ? `vote ${s.votedFor}, stored ${d.votedFor}`
            : d.snapIndex !== s.snapIndex || d.snapTerm !== s.snapTerm
              ? `snapshot through ${s.snapIndex}/${s.snapTerm}, stored ${d.snapIndex}/${d.snapTerm}`
              : d.snap !== s.snap && !sameValue(d.snap, s.snap)
                ? `a snapshot through ${s.snapIndex} whose stored state differs`
                : d.log.length !== s.log.length || d.log.some((e, k) => !sameEntry(e, s.log[k]!))
                ? `a log of ${s.log.length} entries, stored another of ${d.log.length}`
                : undefined
      if (what) return `${names[i]} has ${what}`
    }
    return undefined
  }
  return verdicts.invariant("STORAGE_CURRENT", check)
}

/**
 * A vote, once cast, stands for the rest of its term (Figure 2: votedFor is reset only with a new
 * term): in no step does an up server keep its term and change a vote it had.
 */
export const voteKept = <L>(n: number, names: ReadonlyArray<string>): StepProperty<World, L> => {
  const servers = raftServers(n)
  return readsNodes({
    name: "VOTE_KEPT",
    check: (from, _label, to) => {
      for (let i = 0; i < n; i++) {
        if (from.nodes[i] === to.nodes[i]) continue // an unchanged node keeps its vote
        const r = servers[i]!
        const a = r.state(from)?.log
        const b = r.state(to)?.log ?? (r.stored(to, "log") as RaftDurable | undefined)
        if (!a || !b || a.votedFor === null || a.term !== b.term || a.votedFor === b.votedFor) continue
        return `${names[i]} voted for ${a.votedFor} in term ${a.term}, then ${b.votedFor === null ? "forgot it" : `for ${b.votedFor}`}`
      }
      return undefined
    },
  })
}

/**
 * A vote is for a server of the voter's term (session 11): in a step where an up server's term grows
 * and it holds a vote, the vote is its own or for a server whose term (by its record, or its storage
 * while it is down) has reached the new term, as the RequestVote of that term it granted shows. A
 * server that keeps its vote of an older term (votedFor not reset with the term: the mutant
 * vote-kept-in-new-term, bench/mutants/raft/catalogue.ts) breaks it in the step it adopts the newer
 * one; before, only the re-election simulation saw it, as no leader after 88-93 steps.
 */
export const voteOfTerm = <L>(n: number, names: ReadonlyArray<string>): StepProperty<World, L> => {
  const servers = raftServers(n)
  const group = raftReplicas(n, names)
  const termOf = (w: World, j: number) => (group[j]!.log(w) ?? group[j]!.stored?.(w))?.term ?? 0
  const logOf = (w: World, i: number) => servers[i]!.state(w)?.log
  return readsNodes(
    {
      name: "VOTE_OF_TERM",
      check: (from, _label, to) => {
        for (let i = 0; i < n; i++) {
          if (from.nodes[i] === to.nodes[i]) continue
          const a = logOf(from, i)
          const b = logOf(to, i)
          if (!a || !b || b.term <= a.term || b.votedFor === null) continue
          const j = names.indexOf(b.votedFor.split("/")[0]!)
          if (j === i || j < 0 || termOf(to, j) >= b.term) continue
          return `${names[i]} adopted term ${b.term} keeping a vote for ${b.votedFor}, which is in term ${termOf(to, j)}`
        }
        return undefined
      },
    },
    // Quiet on a step that leaves a server's term as it was (and on a client's step).
    (from, to, i) => i >= n || logOf(from, i)?.term === logOf(to, i)?.term
  )
}

/** A verdict cache keyed on the raft model's servers' states (see GroupVerdicts). */
export const raftVerdicts = (n: number, names: ReadonlyArray<string>): GroupVerdicts => new GroupVerdicts(raftReplicas(n, names))

/**
 * The raft model's servers `s1`..`sn` (named `names`): the group's invariants, STORAGE_CURRENT and
 * Figure 2's rules for leaders (leader-rules.ts); `verdicts`, the group's verdict cache (one for every
 * invariant over the same node states, so one lookup per state serves them all).
 */
export const raftInvariants = (n: number, names: ReadonlyArray<string>, verdicts = raftVerdicts(n, names)): Array<StateProperty<World>> => {
  const group = raftReplicas(n, names)
  // STORAGE_CURRENT reads the same node states and storage as the group's invariants: one verdict cache for all.
  return [...raftGroupInvariants(group, verdicts), storageCurrent(n, names, verdicts), ...leaderRules(group, verdicts)]
}

const wrapped = amo(kvStore)

/** The state machine after the entries of a persisted log up to its commit index, from its snapshot. */
// Storage is immutable: one replay per stored record (a crashed server's record recurs in many states).
type Replayable = Pick<RaftDurable, "snap" | "snapIndex" | "log" | "commitIndex">
const replayed = new WeakMap<Replayable, AMOState<KVState>>()
const replayDurable = (d: Replayable): AMOState<KVState> => {
  let sm = replayed.get(d)
  if (sm === undefined) replayed.set(d, (sm = replayFrom(d)))
  return sm
}
/** The state machine of a log (durable or a replica's state): its snapshot with the committed entries after it applied (one replay per object). */
export const replayLog = replayDurable
const replayFrom = (d: Replayable): AMOState<KVState> => {
  let sm = (d.snap as AMOState<KVState> | undefined) ?? wrapped.init()
  for (let i = d.snapIndex + 1; i <= d.commitIndex; i++) sm = wrapped.execute(sm, entryAt(d, i)!.command as AMOCommand)[1]
  return sm
}

/** A server's applied state machine and commit index, from its state or, when it is down, its log's durable storage. */
export const appliedOf = (w: World, i: number, n: number): { readonly commitIndex: number; readonly sm: AMOState<KVState> } => {
  const r = raftServers(n)[i]!
  const s = r.state(w)
  if (s) return { commitIndex: s.log.commitIndex, sm: s.app }
  const d = r.stored(w, "log") as RaftDurable | undefined
  if (d === undefined) return { commitIndex: 0, sm: wrapped.init() }
  return { commitIndex: d.commitIndex, sm: replayDurable(d) }
}

/** The server with the highest commit index (from its state, or its storage while it is down); the first of equals. */
const mostCommitted = (w: World, servers: ReadonlyArray<Role<Svc>>): number => {
  // Read for every explored step (REFINES_KV): a down server's state machine is replayed (once per
  // storage record) only when it is the most advanced, and the per-server reads allocate nothing.
  let best = -1
  let at = 0
  for (let i = 0; i < servers.length; i++) {
    const r = servers[i]!
    const s = r.state(w)
    const c = s ? s.log.commitIndex : ((r.stored(w, "log") as RaftDurable | undefined)?.commitIndex ?? 0)
    if (c > best) {
      best = c
      at = i
    }
  }
  return at
}

/** The most advanced applied state machine of the cluster (committed state only ever grows). */
export const committedState = (w: World, n: number): { readonly commitIndex: number; readonly sm: AMOState<KVState> } => appliedOf(w, mostCommitted(w, raftServers(n)), n)

const INITIAL = wrapped.init()

/** The store of `committedState`, without building its result (REFINES_KV reads it for every explored step). */
export const committedStore = (w: World, n: number): KVState => {
  const servers = raftServers(n)
  const r = servers[mostCommitted(w, servers)]!
  const s = r.state(w)
  if (s) return s.app.app
  const d = r.stored(w, "log") as RaftDurable | undefined
  return d === undefined ? INITIAL.app : replayDurable(d).app
}

/** The persisted state of every server stays under `max` entries of log. */
export const persistBounded = (n: number, names: ReadonlyArray<string>, maxLog: number, maxBytes: number) => {
  const size = (d: RaftDurable) => JSON.stringify(d, (_k, v) => (v instanceof Map ? [...v] : v)).length
  const check = (w: World): string | undefined => {
    for (let i = 0; i < n; i++) {
      const d = raftServers(n)[i]!.stored(w, "log") as RaftDurable | undefined
      if (!d) continue
      if (d.log.length > maxLog) return `${names[i]} persisted ${d.log.length} log entries (bound ${maxLog})`
      const b = size(d)
      if (b > maxBytes) return `${names[i]} persisted ${b} bytes (bound ${maxBytes})`
    }
    return undefined
  }
  return invariant<World>("PERSIST_BOUNDED", (w) => check(w) === undefined, check)
}
