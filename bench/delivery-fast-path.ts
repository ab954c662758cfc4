/**
 * What declaring the properties of the delivered message costs and saves (session 14): one raft named
 * test searched by BFS three ways, side by side in one process, twice: without the four properties that
 * read the delivered envelope (TERM_RULE_APPLIED, ACKS_CHECKED, RECEIVER_RULES, PROPOSED_IN_TERM:
 * raft/receiver-rules.ts), with them declared (core/step-reads.ts `onDelivery`, as shipped), and with
 * the same checks undeclared (BFS's fast path off, as an undeclared step property did before).
 *
 *   node --import tsx bench/delivery-fast-path.ts [TEST] [MAX_STATES]   (default: exhaustive-replication, its whole space)
 */
import { explore } from "../src/checker/explore.ts"
import { type StepProperty, type TransitionSystem, withProperties } from "../src/checker/transition-system.ts"
import type { Event, ProtocolState } from "../src/core/compile.ts"
import { raftModel } from "../src/protocols/raft/model.ts"

const DELIVERY = new Set(["TERM_RULE_APPLIED", "ACKS_CHECKED", "RECEIVER_RULES", "PROPOSED_IN_TERM"])
const name = process.argv[2] ?? "exhaustive-replication"
const max = Number(process.argv[3] ?? "2000000")
const params = Object.fromEntries(Object.entries(raftModel.params).map(([k, s]) => [k, s.default]))
const rows: unknown[] = []
for (let rep = 0; rep < 2; rep++)
  for (const mode of ["absent", "declared", "undeclared"] as const) {
    const sys = raftModel.tests[name]!.build(params, 1) as unknown as TransitionSystem<ProtocolState, Event>
    const steps: Array<StepProperty<ProtocolState, Event>> = (sys.stepProperties ?? [])
      .filter((p) => mode !== "absent" || !DELIVERY.has(p.name))
      .map((p) => (mode === "undeclared" && DELIVERY.has(p.name) ? { name: p.name, check: p.check } : p))
    const c0 = process.cpuUsage()
    const r = explore(withProperties(sys, sys.properties, steps), { strategy: "bfs", maxStates: max })
    const c = process.cpuUsage(c0)
    rows.push({ test: name, mode, cpuSeconds: Number(((c.user + c.system) / 1e6).toFixed(2)), verdict: r.verdict, distinct: r.distinct, generated: r.generated })
  }
console.log(JSON.stringify(rows, null, 1))
