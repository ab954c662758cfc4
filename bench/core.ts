/**
 * Core figures: per-step overhead of the Effect handler style (a real handler of the exactly-once
 * server, run with Effect.runSync, against the same logic as a plain function), and distinct states/s
 * of exhaustive search on a client/server configuration.
 */
import { Effect } from "effect"
import { bfs } from "../src/checker/explore.ts"
import { AMOCommand, amo } from "../src/core/application.ts"
import { append, kvStore } from "../src/core/kv.ts"
import type { Ctx } from "../src/core/node.ts"
import { clientServerModel } from "../src/protocols/clientserver/model.ts"
import { Request, server } from "../src/protocols/clientserver/protocol.ts"

const perSecond = (n: number, f: () => void) => {
  const t = performance.now()
  f()
  return Math.round(n / ((performance.now() - t) / 1000))
}

export const benchCore = async () => {
  const def = server(kvStore)
  const handler = def.onMessage.Request!
  const plain = amo(kvStore)
  const ctx: Ctx = { self: "server", peers: [], send() {}, broadcast() {}, setTimer() {}, cancelTimer() {}, persist() {}, choose: () => 0, complete() {}, emit() {} }
  const msgs = Array.from({ length: 1000 }, (_, i) => new Request({ command: new AMOCommand({ command: append("k", "x"), client: `c${i % 10}`, seq: i }) }))
  const N = 300_000
  let s = def.init(ctx)
  const effectRate = perSecond(N, () => {
    for (let i = 0; i < N; i++) s = Effect.runSync(handler(i % 1000 === 0 ? def.init(ctx) : s, msgs[i % 1000]!, "c", ctx))
  })
  let p = plain.init()
  const plainRate = perSecond(N, () => {
    for (let i = 0; i < N; i++) {
      const [r, next] = plain.execute(i % 1000 === 0 ? plain.init() : p, msgs[i % 1000]!.command)
      if (r) ctx.send("c", r)
      p = next
    }
  })
  const system = clientServerModel.tests["exhaustive-appends"]!.build({ clients: "3", ops: "3" }, 1)
  const r = bfs(system)
  return {
    handler: {
      effectHandlerCallsPerSecond: effectRate,
      plainFunctionCallsPerSecond: plainRate,
      effectOverheadMicrosPerStep: Number((1e6 / effectRate - 1e6 / plainRate).toFixed(3)),
    },
    clientserverBfs: {
      config: "exhaustive-appends, 3 clients x 3 appends, duplicating network",
      distinct: r.distinct,
      generated: r.generated,
      depth: r.depth,
      seconds: Number(r.seconds.toFixed(2)),
      distinctPerSecond: Math.round(r.distinct / r.seconds),
      generatedPerSecond: Math.round(r.generated / r.seconds),
    },
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchCore(), null, 1))
