/** Raft's refinement: the committed KV store of the service over the Raft log refines spec/kv. */
import { refinesKv } from "../../core/kv-refinement.ts"
import { readsNodes } from "../../core/step-reads.ts"
import type { NodeRec, World } from "../../core/world.ts"
import { committedStore } from "./properties.ts"
import type { RaftServerState } from "./server.ts"

/**
 * Whether a step from record `a` to `b` of a server leaves what `committedStore` reads of it as it
 * was: the same record, or up in both with the same commit index and the very same store.
 */
const sameCommitted = (a: NodeRec, b: NodeRec): boolean => {
  if (a === b) return true
  if (!a.up || !b.up) return false
  const s = a.state as RaftServerState<unknown>
  const t = b.state as RaftServerState<unknown>
  return s.log.commitIndex === t.log.commitIndex && s.app.app === t.app.app
}

/**
 * The committed KV store refines spec/kv: each protocol step changes it by one KV operation or not at
 * all (single-client configurations: see core/kv-refinement.ts). It reads the servers' records only.
 * Checked on every transition BFS explores: a step that leaves every server's commit index and store
 * as they were leaves the committed store the very same object, a stutter, without reading it: its
 * declared scope (core/step-reads.ts) says so of one node's step.
 */
export const kvRefinement = (n: number) => {
  const refinement = refinesKv<World>((w) => committedStore(w, n))
  return readsNodes<World, unknown>({
    name: refinement.name,
    check: (from, label, to) => {
      for (let i = 0; i < n; i++) if (!sameCommitted(from.nodes[i]!, to.nodes[i]!)) return refinement.check(from, label, to)
      return undefined
    },
  }, (from, to, i) => i >= n || sameCommitted(from.nodes[i]!, to.nodes[i]!))
}
