/**
 * Figure 2's "currentTerm ... increases monotonically", as a step property (issue 14 item 5, session
 * 7): no step takes an up server's term back, and a restarted server resumes at least the term it
 * had stored. A handler that adopts the term of a message without first rejecting an older one (a
 * stale leader's InstallSnapshot or AppendEntries reaching a candidate of a newer term) takes the
 * server back to an older term, where it may vote a second time in the newer term once it sees it again.
 * Designed after the blind mutant install-snapshot-term-unchecked (bench/mutants/raft/catalogue.ts)
 * passed every test: no invariant looked at the term itself.
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import { readsNodes } from "../../core/step-reads.ts"
import type { World } from "../../core/world.ts"
import { raftServers } from "./properties.ts"
import type { RaftDurable } from "./server.ts"

/** The servers are the first `n` nodes, named `names`. */
/** It reads the node records only (declared: core/step-reads.ts), so BFS may leave seen successors unbuilt. */
export const termMonotone = <L>(n: number, names: ReadonlyArray<string>): StepProperty<World, L> => {
  const servers = raftServers(n)
  return readsNodes({
    name: "TERM_MONOTONE",
    check: (from, _label, to) => {
      for (let i = 0; i < n; i++) {
        if (from.nodes[i] === to.nodes[i]) continue // an unchanged node keeps its term
        const r = servers[i]!
        const a = r.state(from)?.log?.term ?? (r.stored(from, "log") as RaftDurable | undefined)?.term
        const b = r.state(to)?.log?.term ?? (r.stored(to, "log") as RaftDurable | undefined)?.term
        if (a !== undefined && b !== undefined && b < a) return `${names[i]}'s term went from ${a} back to ${b}`
      }
      return undefined
    },
  })
}
