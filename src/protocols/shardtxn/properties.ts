/**
 * The transactional store's properties, over every live group replica's applied state and the
 * clients' history:
 *
 * - STRICTLY_SERIALIZABLE: the clients' transactions (single-key Gets and Puts as one-step ones) are
 *   strictly serializable against spec/kv-txn (src/linearizability's check), once every client is done.
 * - LocksHeldUntilDecision: a participant replica that applied its yes vote for a transaction and not
 *   yet its decision holds the locks of the keys the transaction writes there.
 * - AtomicCommit: a participant replica that applied a decision applied the coordinator's.
 * - LocksHeldByPrepared: every lock a replica holds belongs to a transaction prepared there that
 *   names the key (a decision, commit or abort, releases every lock of its transaction).
 * - DecidedNotPreparedAgain: no replica holds prepared a transaction whose decision it has applied
 *   (a Prepare resent after the decision must not lock the keys again: no decision would come).
 * - ReportedCommitFinal: no replica holds aborted the attempt a client was answered committed.
 * - DecisionFinal (a step property): a replica does not replace a decision that a replica of its group
 *   held before the step by the other one (2PC's decisions are final; every replica of a group
 *   applies the same log, so none of them ever holds the other decision).
 * LocksHeldByPrepared and DecidedNotPreparedAgain are local to a replica, so a lock that would never be released is caught at the step
 * that leaks it, not as a client that never finishes.
 */
import type { KeyValue } from "../../../spec/kv.ts"
import { goal, invariant, type StateProperty, type StepProperty } from "../../checker/transition-system.ts"
import type { Tagged } from "../../core/node.ts"
import { allClientsDone } from "../../core/properties.ts"
import { historyOf, type World } from "../../core/world.ts"
import { strictlySerializable } from "../../linearizability/serializability-property.ts"
import type { Transaction } from "../../linearizability/serializability.ts"
import type { TxnClientState } from "./client.ts"
import { keysOf, writtenKeys } from "./group.ts"
import { lockedKeysServed } from "./locks-served.ts"
import { commitOnlyOnYes } from "./commit-on-yes.ts"
import { compareIds, kvTxnOf, showId, type Txn, type TxnCommitted, type TxnGroupState, type TxnRead } from "./messages.ts"

type Field = Tagged & { readonly key?: string; readonly value?: string; readonly reads?: ReadonlyArray<KeyValue> }

/** A client command as a transaction (Append has no transaction form: histories with one are not checked). */
const asTxn = (c: Field): Transaction["txn"] | undefined => {
  if (c._tag === "Txn") return kvTxnOf(c as unknown as Txn)
  if (c._tag === "Get") return { steps: [{ op: "read", key: c.key! }] }
  if (c._tag === "Put") return { steps: [{ op: "write", key: c.key!, value: c.value! }] }
  return undefined
}

const readsOf = (r: Field): ReadonlyArray<KeyValue> => (r._tag === "TxnCommitted" ? (r as unknown as TxnCommitted).reads : r._tag === "GetResult" ? [r.value!] : r._tag === "KeyNotFound" ? [null] : [])

/** The world's client history as transactions; those still in flight have an unknown outcome. */
export const transactionsOf = (w: World): Transaction[] | undefined => {
  const clients = new Map<string, number>()
  const out: Transaction[] = []
  for (const op of historyOf(w)) {
    const txn = asTxn(op.command as Field)
    if (txn === undefined) return undefined
    if (!clients.has(op.client)) clients.set(op.client, clients.size)
    const done = op.ret !== undefined && op.result !== undefined
    out.push({ client: clients.get(op.client)!, call: op.call, return: done ? op.ret! : null, status: done ? "committed" : "unknown", txn, reads: done ? readsOf(op.result as Field) : null })
  }
  return out
}

export const historySerializable = <W extends World>(): StateProperty<W> => strictlySerializable<W>((w) => (allClientsDone(w) ? transactionsOf(w) : undefined))

const lockProblem = (replicas: ReadonlyArray<TxnGroupState>): string | undefined => {
  for (const coordinator of replicas)
    for (const c of coordinator.coordinating.values())
      for (const p of c.participants) {
        if (!c.votes.get(p.group)) continue
        const written = writtenKeys(c.steps).filter((k) => p.keys.includes(k))
        for (const r of replicas) {
          if (r.base.group !== p.group) continue
          const seen = r.seen.get(c.id.client)
          const decided = r.outcomes.get(c.id.client)
          if (seen === undefined || compareIds(seen, c.id) !== 0 || (decided !== undefined && compareIds(decided.id, c.id) === 0)) continue
          const free = written.find((k) => r.locks.get(k) !== c.id.client)
          if (free !== undefined) return `group ${p.group} voted yes for ${showId(c.id)} and has not applied its decision, but ${free} is not locked for it`
        }
      }
  return undefined
}

const atomicityProblem = (replicas: ReadonlyArray<TxnGroupState>): string | undefined => {
  for (const coordinator of replicas)
    for (const c of coordinator.coordinating.values()) {
      if (c.decision === "pending") continue
      for (const r of replicas) {
        const o = r.outcomes.get(c.id.client)
        if (o !== undefined && compareIds(o.id, c.id) === 0 && o.commit !== (c.decision === "commit"))
          return `${showId(c.id)}: coordinator group ${coordinator.base.group} decided ${c.decision}, group ${r.base.group} applied ${o.commit ? "commit" : "abort"}`
      }
    }
  return undefined
}

/** A client whose last transaction was answered committed, with the id of that attempt. */
const reportedCommits = (w: World): Array<{ readonly client: string; readonly seq: number; readonly attempt: number }> => {
  const last = new Map<string, Tagged | undefined>()
  for (const op of historyOf(w)) last.set(op.client, op.result as Tagged | undefined)
  return w.nodes.flatMap((n) => {
    const c = n.up && n.client !== undefined ? (n.state as Partial<TxnClientState>) : undefined
    return c?.client !== undefined && c.txn === null && c.attempt !== undefined && last.get(c.client)?._tag === "TxnCommitted" ? [{ client: c.client, seq: c.seq!, attempt: c.attempt }] : []
  })
}

const reportedAborted = (w: World, replicas: ReadonlyArray<TxnGroupState>): string | undefined => {
  for (const r of reportedCommits(w))
    for (const g of replicas) {
      const c = g.coordinating.get(r.client)
      if (c?.decision === "abort" && c.id.seq === r.seq && c.id.attempt === r.attempt) return `${showId(c.id)} was answered committed to its client, and group ${g.base.group} holds it aborted`
    }
  return undefined
}

const leakedLock = (replicas: ReadonlyArray<TxnGroupState>): string | undefined => {
  for (const r of replicas)
    for (const [key, owner] of r.locks) {
      const p = r.prepared.get(owner)
      if (p === undefined || !p.keys.includes(key)) return `group ${r.base.group} holds ${key} locked for ${owner}, which has no transaction prepared there on it`
    }
  return undefined
}

const preparedAgain = (replicas: ReadonlyArray<TxnGroupState>): string | undefined => {
  for (const r of replicas)
    for (const [client, p] of r.prepared) {
      const o = r.outcomes.get(client)
      if (o !== undefined && compareIds(o.id, p.id) === 0) return `group ${r.base.group} applied the ${o.commit ? "commit" : "abort"} of ${showId(p.id)} and holds it prepared again`
    }
  return undefined
}

/**
 * ParticipantsCoverKeys (session 14): a transaction its coordinator has not aborted at once has every
 * key it touches, read or written, among its participants' keys (each key's owner votes on it: locks
 * it, gives its value). A key left out is neither locked nor read, so the transaction's reads of it come
 * out absent, and one with no participant at all is never decided.
 */
const uncoveredKey = (replicas: ReadonlyArray<TxnGroupState>): string | undefined => {
  for (const r of replicas)
    for (const c of r.coordinating.values()) {
      if (c.decision === "abort" && c.votes.size === 0) continue
      const covered = new Set(c.participants.flatMap((p) => p.keys))
      const missing = keysOf(c.steps).find((k) => !covered.has(k))
      if (missing !== undefined) return `group ${r.base.group} coordinates ${showId(c.id)} (${c.decision}) with no participant for ${missing}`
    }
  return undefined
}

export const txnInvariants = <W extends World>(replicas: (w: W) => ReadonlyArray<TxnGroupState>): Array<StateProperty<W>> => [
  invariant<W>("ParticipantsCoverKeys", (w) => uncoveredKey(replicas(w)) === undefined, (w) => uncoveredKey(replicas(w))),
  invariant<W>("LocksHeldUntilDecision", (w) => lockProblem(replicas(w)) === undefined, (w) => lockProblem(replicas(w))),
  invariant<W>("AtomicCommit", (w) => atomicityProblem(replicas(w)) === undefined, (w) => atomicityProblem(replicas(w))),
  invariant<W>("ReportedCommitFinal", (w) => reportedAborted(w, replicas(w)) === undefined, (w) => reportedAborted(w, replicas(w))),
  invariant<W>("LocksHeldByPrepared", (w) => leakedLock(replicas(w)) === undefined, (w) => leakedLock(replicas(w))),
  invariant<W>("DecidedNotPreparedAgain", (w) => preparedAgain(replicas(w)) === undefined, (w) => preparedAgain(replicas(w))),
  lockedKeysServed<W>(replicas),
  commitOnlyOnYes<W>(replicas),
]

const decisionChanged = (from: ReadonlyArray<TxnGroupState>, to: ReadonlyArray<TxnGroupState>): string | undefined => {
  for (const r of to)
    for (const c of r.coordinating.values()) {
      if (c.decision === "pending") continue
      for (const p of from) {
        const before = p.base.group === r.base.group ? p.coordinating.get(c.id.client) : undefined
        if (before !== undefined && compareIds(before.id, c.id) === 0 && before.decision !== "pending" && before.decision !== c.decision)
          return `${showId(c.id)}: group ${r.base.group} had decided ${before.decision}, a replica of it now holds ${c.decision}`
      }
    }
  return undefined
}

export const decisionFinal = <W, L>(replicas: (w: W) => ReadonlyArray<TxnGroupState>): StepProperty<W, L> => ({
  name: "DecisionFinal",
  check: (from, _label, to) => decisionChanged(replicas(from), replicas(to)),
})

const appliedUndecided = (replicas: ReadonlyArray<TxnGroupState>): boolean =>
  replicas.some((coordinator) =>
    [...coordinator.coordinating.values()].some((c) => c.decision === "pending" && replicas.some((r) => r.outcomes.get(c.id.client)?.commit === true && compareIds(r.outcomes.get(c.id.client)!.id, c.id) === 0))
  )

/**
 * A goal, for staged searches: a participant has applied the commit of a transaction whose decision
 * is not in its coordinator's log (a correct coordinator sends no decision before logging it).
 */
export const commitAppliedUnlogged = <W extends World>(replicas: (w: W) => ReadonlyArray<TxnGroupState>): StateProperty<W> =>
  goal<W>("COMMIT_APPLIED_UNLOGGED", (w) => appliedUndecided(replicas(w)))

/**
 * Whether some MultiPut of the history (answered or not) wrote exactly `reads` to `keys`, in order: a
 * MultiGet of those keys that read it saw that MultiPut whole.
 */
const readOneMultiPut = (ops: ReturnType<typeof historyOf>, keys: ReadonlyArray<string>, reads: ReadonlyArray<string | null>): boolean =>
  ops.some((op) => {
    if (op.command._tag !== "Txn") return false
    const written = new Map<string, string | null>()
    for (const step of (op.command as unknown as Txn).steps) if (step._tag === "TxnWrite") written.set(step.key, step.value)
    return keys.every((k, i) => written.has(k) && written.get(k) === reads[i])
  })

/**
 * MultiGetsReadOneMultiPut: for workloads whose MultiPuts each write every key a MultiGet names, every
 * committed MultiGet read one value for all of its keys, or the values one MultiPut wrote to them (no
 * MultiPut seen in part). The second clause is for MultiPuts of different values to their keys
 * (walks-shard-moves' a=1, b=2): without it, reading that MultiPut whole was reported (seed 1499155823).
 */
export const uniformReads = <W extends World>(): StateProperty<W> => {
  const problem = (w: W): string | undefined => {
    const ops = historyOf(w)
    for (const op of ops) {
      if (op.command._tag !== "Txn" || op.result?._tag !== "TxnCommitted") continue
      const reads = (op.result as unknown as TxnCommitted).reads
      if (reads.every((v) => v === reads[0])) continue
      const steps = (op.command as unknown as Txn).steps
      const keys = steps.every((s) => s._tag === "TxnRead") ? steps.map((s) => (s as TxnRead).key) : undefined
      if (keys === undefined || keys.length !== reads.length || !readOneMultiPut(ops, keys, reads)) return `${op.client}'s MultiGet read ${JSON.stringify(reads)}`
    }
    return undefined
  }
  return invariant<W>("MultiGetsReadOneMultiPut", (w) => problem(w) === undefined, problem)
}
