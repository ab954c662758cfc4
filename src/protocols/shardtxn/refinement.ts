/**
 * The transactional store refines spec/kv-txn. abs() is the store the groups hold (the union of their
 * shards' authoritative copies, shardkv/refinement.ts) overlaid with the writes of every transaction
 * whose commit is in its coordinator's log but not yet applied at a participant: the coordinator's
 * logged decision is the transaction's linearization point. Beside the store, abs() keeps each
 * client's newest transaction recorded committed at a coordinator (id, steps, the reads the client gets).
 *
 * REFINES_KV_TXN: every step either leaves the store alone (a stutter: participants applying what the
 * overlay already held, votes, acknowledgements) or commits exactly one transaction, and then the
 * store changes by exactly that transaction run on the store before it (spec/kv-txn's kvTxnApply),
 * whose reads are those the client is answered with. A participant dropping a committed write, a
 * commit on partial votes, or reads that do not match the store at the decision all break it.
 *
 * Checked on transactional workloads, one server a group, no crashes (the searches): a single-key
 * request changes the store outside any transaction, and a crashed server's store is not read.
 */
import { kvTxnApply, type KvTxn } from "../../../spec/kv-txn.ts"
import type { KeyValue, KvState } from "../../../spec/kv.ts"
import type { StepProperty } from "../../checker/transition-system.ts"
import { refines } from "../../refinement/refinement.ts"
import { absKv } from "../shardkv/refinement.ts"
import { writesOf } from "./group.ts"
import { compareIds, kvTxnOf, showId, Txn, type TxnGroupState, type TxnId } from "./messages.ts"

/** A transaction recorded committed at its coordinator. */
export interface AbstractCommit {
  readonly id: string
  readonly txn: KvTxn
  readonly reads: ReadonlyArray<KeyValue>
}

export interface TxnAbstraction {
  readonly store: KvState
  /** Client -> its newest transaction recorded committed (a coordinator keeps one record a client; consecutive transactions may have different coordinators). */
  readonly committed: Readonly<Record<string, AbstractCommit>>
}

const sorted = (entries: Iterable<readonly [string, string]>): KvState => Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

export const absTxn = (replicas: ReadonlyArray<TxnGroupState>, shards: number): TxnAbstraction => {
  // One replica a group (the first live one).
  const byGroup = new Map<number, TxnGroupState>()
  for (const r of replicas) if (!byGroup.has(r.base.group)) byGroup.set(r.base.group, r)
  const groups = [...byGroup.values()]
  const store = new Map(Object.entries(absKv({ groups: groups.map((r) => r.base) }, shards)))
  const committed: Record<string, AbstractCommit> = {}
  // A client's consecutive transactions may have different coordinators: its newest commit counts.
  const newest = new Map<string, TxnId>()
  for (const coordinator of groups)
    for (const c of coordinator.coordinating.values()) {
      if (c.decision !== "commit") continue
      const kept = newest.get(c.id.client)
      if (kept === undefined || compareIds(kept, c.id) < 0) {
        newest.set(c.id.client, c.id)
        committed[c.id.client] = { id: showId(c.id), txn: kvTxnOf(new Txn({ steps: c.steps })), reads: c.reads }
      }
      for (const p of c.participants) {
        // Not applied yet: the participant still holds it prepared (its outcome for the client may already
        // be a later transaction's abort, decided by another coordinator before this commit reached it).
        const r = byGroup.get(p.group)
        const held = r?.prepared.get(c.id.client)
        if (r !== undefined && (held === undefined || compareIds(held.id, c.id) !== 0)) continue
        for (const [k, v] of writesOf(c, p.keys)) {
          if (v === null) store.delete(k)
          else store.set(k, v)
        }
      }
    }
  return { store: sorted(store), committed: Object.fromEntries(Object.entries(committed).sort(([a], [b]) => (a < b ? -1 : 1))) }
}

const sameStore = (a: KvState, b: KvState) => {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k])
}

/** The spec's step relation on abstractions (undefined: a step; else why not). */
export const txnStepProblem = (a: TxnAbstraction, b: TxnAbstraction): string | undefined => {
  const fresh = Object.entries(b.committed).filter(([client, c]) => a.committed[client]?.id !== c.id)
  if (fresh.length > 1) return `${fresh.length} transactions commit in one step`
  if (fresh.length === 0) return sameStore(a.store, b.store) ? undefined : "the store changes with no transaction committing"
  const [, c] = fresh[0]!
  const { output, next } = kvTxnApply(a.store, c.txn)
  if (!sameStore(next, b.store)) return `${c.id} commits, but the store does not change by its writes alone`
  if (JSON.stringify(output.reads) !== JSON.stringify(c.reads)) return `${c.id} commits reading ${JSON.stringify(c.reads)}; the store gives ${JSON.stringify(output.reads)}`
  return undefined
}

export const refinesKvTxn = <W, L>(replicas: (w: W) => ReadonlyArray<TxnGroupState>, shards: number): StepProperty<W, L> => {
  const abs = (w: W) => absTxn(replicas(w), shards)
  const inner = refines<W, L, TxnAbstraction>({ name: "REFINES_KV_TXN", abs, spec: { isStep: (a, b) => txnStepProblem(a, b) === undefined } })
  return { name: inner.name, check: (from, label, to) => inner.check(from, label, to) && `${txnStepProblem(abs(from), abs(to))}; ${inner.check(from, label, to)}` }
}
