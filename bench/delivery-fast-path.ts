/**
 * What declaring the properties of the delivered message costs and saves (session 14): one raft named
 * test searched by BFS three ways, side by side in one process, twice: without the four properties that
 * read the delivered envelope (TERM_RULE_APPLIED, ACKS_CHECKED, RECEIVER_RULES, PROPOSED_IN_TERM:
 * raft/receiver-rules.ts), with them declared (core/step-reads.ts `onDelivery`, as shipped), and with
 * the same checks undeclared (BFS's fast path off, as an undeclared step property did before).
 *
 * Session 15: a primary-backup test too, given as primarybackup/TEST: with FORWARD_RESENT and
 * REQUEST_TAKEN (primarybackup/prompt-steps.ts, declared the same way) absent, declared, undeclared.
 *
 *   node --import tsx bench/delivery-fast-path.ts [[MODEL/]TEST] [MAX_STATES]   (default: raft's exhaustive-replication, its whole space)
 */
import { explore } from "../src/checker/explore.ts"
import { type StepProperty, type TransitionSystem, withProperties } from "../src/checker/transition-system.ts"
import type { Event, ProtocolState } from "../src/core/compile.ts"
import type { Model } from "../src/checker/model.ts"
import { raftModel } from "../src/protocols/raft/model.ts"
import { primaryBackupModel } from "../src/protocols/primarybackup/model.ts"

const DELIVERY = new Set(["TERM_RULE_APPLIED", "ACKS_CHECKED", "RECEIVER_RULES", "PROPOSED_IN_TERM", "FORWARD_RESENT", "REQUEST_TAKEN"])
const [modelName, name] = (process.argv[2] ?? "exhaustive-replication").includes("/") ? process.argv[2]!.split("/") as [string, string] : ["raft", process.argv[2] ?? "exhaustive-replication"]
const model: Model = modelName === "primarybackup" ? primaryBackupModel : raftModel
const max = Number(process.argv[3] ?? "2000000")
const params = Object.fromEntries(Object.entries(model.params).map(([k, s]) => [k, s.default]))
const rows: unknown[] = []
for (let rep = 0; rep < 2; rep++)
  for (const mode of ["absent", "declared", "undeclared"] as const) {
    const sys = model.tests[name]!.build(params, 1) as unknown as TransitionSystem<ProtocolState, Event>
    const steps: Array<StepProperty<ProtocolState, Event>> = (sys.stepProperties ?? [])
      .filter((p) => mode !== "absent" || !DELIVERY.has(p.name))
      .map((p) => (mode === "undeclared" && DELIVERY.has(p.name) ? { name: p.name, check: p.check } : p))
    const c0 = process.cpuUsage()
    const r = explore(withProperties(sys, sys.properties, steps), { strategy: "bfs", maxStates: max })
    const c = process.cpuUsage(c0)
    rows.push({ test: `${model.name}/${name}`, mode, steps: steps.filter((p) => DELIVERY.has(p.name)).map((p) => p.name), cpuSeconds: Number(((c.user + c.system) / 1e6).toFixed(2)), verdict: r.verdict, distinct: r.distinct, generated: r.generated })
  }
console.log(JSON.stringify(rows, null, 1))
