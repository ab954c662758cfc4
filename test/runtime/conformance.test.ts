/**
 * Checker/runtime conformance: a model's configuration runs on real sockets, disk and timers, every
 * real step is matched to a checker step, and `tla-ts replay` accepts the recorded trace. A server
 * changed behind the checker's back is caught as a divergence.
 */
import test from "ava"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { writeTraceFile } from "../../src/checker/trace-file.ts"
import { main } from "../../src/cli/main.ts"
import type { Ctx, NodeDef, Tagged } from "../../src/core/node.ts"
import { runConformance } from "../../src/runtime/conformance.ts"

const replay = async (file: string) => {
  const lines: string[] = []
  const log = console.log
  console.log = (s: string) => lines.push(s)
  try {
    const code = await main(["replay", file, "--json", "--quiet"])
    return { code, out: JSON.parse(lines[lines.length - 1]!) as { steps: number; reproduced: boolean } }
  } finally {
    console.log = log
  }
}

const conform = (model: string, testName: string, basePort: number, params = {}) => async (t: any) => {
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-conformance-"))
  const r = await runConformance({ model, test: testName, params, seed: 3, dir, basePort, timeoutMs: 8000 })
  t.is(r.divergence, undefined)
  t.true(r.finished, "every client finished its workload")
  t.true(r.trace.steps.length > 5)
  const file = join(dir, "run.trace.json")
  writeTraceFile(file, r.trace)
  const { code, out } = await replay(file)
  t.is(code, 0)
  t.is(out.steps, r.trace.steps.length)
  t.true(out.reproduced)
}

test.serial("paxos: a real run of bounded-two-clients is a behaviour the checker explores; replay accepts its trace", conform("paxos", "bounded-two-clients", 19500))

test.serial("raft: a real run of exhaustive-replication is a behaviour the checker explores; replay accepts its trace", conform("raft", "exhaustive-replication", 19600, { maxTerm: "4" }))

test.serial("planted divergence: a server that runs its election timer twice is caught at the first foreign step", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-conformance-"))
  const twice = (def: NodeDef<any, any, any>): NodeDef<any, any, any> => {
    const h = (def.onTimer as Record<string, (s: unknown, tm: Tagged, c: Ctx) => Effect.Effect<unknown>>).ElectionTimer!
    return { ...def, onTimer: { ...def.onTimer, ElectionTimer: (s: unknown, tm: Tagged, c: Ctx) => Effect.flatMap(h(s, tm, c), (s2) => h(s2, tm, c)) } }
  }
  const r = await runConformance({ model: "raft", test: "exhaustive-replication", params: { maxTerm: "4" }, seed: 3, dir, basePort: 19700, timeoutMs: 3000, serverDef: (_i, d) => twice(d) })
  t.regex(r.divergence ?? "", /is not a step the checker offers/)
  writeFileSync(join(dir, "divergence.txt"), r.divergence ?? "")
})
