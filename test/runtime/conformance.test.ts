/**
 * Checker/runtime conformance: a model's configuration runs on real sockets, disk and timers, every
 * real step is matched to a checker step, and `tla-ts replay` accepts the recorded trace. A server
 * changed behind the checker's back is caught as a divergence.
 */
import test from "ava"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { writeTraceFile } from "../../src/checker/trace-file.ts"
import { replay } from "./replay.ts"
import { AMOCommand } from "../../src/core/application.ts"
import { Put } from "../../src/core/kv.ts"
import type { Ctx, NodeDef } from "../../src/core/node.ts"
import { runConformance } from "../../src/runtime/conformance.ts"
import { loadModel } from "../../src/registry/index.ts"

const conform = (model: string, testName: string, basePort: number, params = {}) => async (t: any) => {
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-conformance-"))
  const r = await runConformance({ model: await loadModel(model), test: testName, params, seed: 3, dir, basePort, timeoutMs: 8000 })
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

test.serial("planted divergence: a server that sends one message the model never sends is caught at its delivery", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-conformance-"))
  const chatty = (def: NodeDef<any, any, any>): NodeDef<any, any, any> => ({
    ...def,
    init: (ctx: Ctx) => {
      ctx.send(ctx.self, new AMOCommand({ command: new Put({ key: "x", value: "y" }), client: "nobody", seq: 1 }))
      return def.init(ctx)
    },
  })
  const r = await runConformance({ model: await loadModel("raft"), test: "exhaustive-replication", params: { maxTerm: "4" }, seed: 3, dir, basePort: 19700, timeoutMs: 3000, serverDef: (i, d) => (i === 0 ? chatty(d) : d) })
  t.regex(r.divergence ?? "", /^real step \d+ \((\w+) -> \1: AMOCommand.*\) is not a step the checker offers/)
})
