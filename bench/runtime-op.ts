/**
 * `node --import tsx bench/runtime-op.ts [--ops N]`
 *
 * Where one client's put goes on the Raft runtime, piece by piece, in one process (no sockets, no
 * cluster): the CPU of each step of the operation's path (the leader's step on the Request, a
 * follower's on the AppendEntries, the leader's on the reply, as the runtime's driver runs them), of
 * each frame's encoding and decoding (schema checks included), of the storage record (diff and
 * checksum), of the KV state copy in core/kv.ts (a put copies the map), and the disk: an fdatasync of
 * a record appended to a file, and of one written into zeroes written ahead (the runtime's log). Prints
 * one JSON object, microseconds. The operation's latency is about
 *   hops + leader step + max(leader fdatasync, hop + follower step + follower fdatasync + hop) + reply step,
 * since the leader's write overlaps its replication.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { parseArgs } from "node:util"
import { kvStore, Put } from "../src/core/kv.ts"
import type { Tagged } from "../src/core/node.ts"
import * as raft from "../src/protocols/raft/server.ts"
import { runInit, runMessage, type NodeEnv, type StepOutput } from "../src/runtime/driver.ts"
import { frame, FrameReader } from "../src/runtime/frames.ts"
import { diff } from "../src/runtime/patch.ts"
import { SERVICES } from "../src/runtime/services.ts"
import { frameRecord } from "../src/runtime/storage.ts"
import { decodeEnvelope, encodeEnvelope } from "../src/runtime/wire.ts"

const us = (ms: number, n: number) => Number(((ms * 1000) / n).toFixed(2))

const time = (n: number, f: (i: number) => void): number => {
  for (let i = 0; i < Math.min(n, 200); i++) f(i) // warm-up
  const t0 = performance.now()
  for (let i = 0; i < n; i++) f(i + n)
  return us(performance.now() - t0, n)
}

export const profileOp = (ops = 2000) => {
  const service = SERVICES["raft"]!
  const registry = service.registry
  const ids = ["n1", "n2", "n3"]
  const def = raft.raftServer(ids, kvStore, { snapshotThreshold: 2000, lazyCommitIndex: true, bootstrapLeader: true }).def
  const env = (self: string): NodeEnv => ({ def, self, peers: ids, chooser: { choose: () => 0 } })
  const leader = env("n1")
  const follower = env("n2")
  const request = (i: number) => decodeEnvelope(encodeEnvelope("n1", { _tag: "Request", command: { _tag: "AMOCommand", command: { _tag: "Put", key: `k${i % 1000}`, value: "v".repeat(128) + i }, client: "c1", seq: i + 1 } } as unknown as Tagged, "c1"), registry, true).msg

  // The handler steps of one put, threaded through the states as the runtime threads them.
  let l = runInit(leader)
  let f = runInit(follower)
  const steps = { leaderRequest: 0, followerAppend: 0, leaderReply: 0 }
  const t = (k: keyof typeof steps, run: () => StepOutput): StepOutput => {
    const t0 = performance.now()
    const out = run()
    steps[k] += performance.now() - t0
    return out
  }
  for (let i = 0; i < ops; i++) {
    l = t("leaderRequest", () => runMessage(leader, l.state, l.timers, "n1", request(i), "c1"))
    const ae = l.sends.find((s) => s.to === "n2/log")
    if (!ae) throw new Error("the leader sent no AppendEntries")
    f = t("followerAppend", () => runMessage(follower, f.state, f.timers, ae.to, ae.msg, ae.from))
    const reply = f.sends.find((s) => s.to === "n1/log")!
    l = t("leaderReply", () => runMessage(leader, l.state, l.timers, reply.to, reply.msg, reply.from))
    if (!l.sends.some((s) => s.msg._tag === "Reply")) throw new Error(`op ${i}: no Reply to the client`)
  }
  const stepUs = Object.fromEntries(Object.entries(steps).map(([k, ms]) => [k, us(ms, ops)]))

  // Frames: encoding, framing, reassembly and decoding with the schema checks (fresh values: no decode cache hits).
  const ae = l.sends.find((s) => s.to === "n2/log")
  const wire = (make: (i: number) => { to: string; msg: Tagged; from: string }, tags?: ReadonlySet<string>) =>
    time(ops, (i) => {
      const m = make(i)
      const reader = new FrameReader()
      const [payload] = reader.push(frame(encodeEnvelope(m.to, m.msg, m.from)))
      decodeEnvelope(payload!, registry, true, tags)
    })
  const lastAe = runMessage(leader, l.state, l.timers, "n1", request(ops), "c1").sends.find((s) => s.to === "n2/log")!
  const aeText = encodeEnvelope(lastAe.to, lastAe.msg, lastAe.from)
  const frameUs = {
    request: wire((i) => ({ to: "n1", msg: request(i), from: "c1" }), service.clientTags),
    appendEntries1: wire((i) => ({ to: "n2/log", msg: decodeEnvelope(aeText.replace(/"v{128}\d+"/, `"${"w".repeat(128)}${i}"`), registry, true).msg, from: "n1/log" })),
    appendEntriesReply: wire(() => ({ to: "n1/log", msg: f.sends.find((s) => s.to === "n1/log")!.msg, from: "n2/log" })),
  }
  void ae

  // Storage: the record of one appended entry (diff against the last written value, JSON, checksum).
  const durables: unknown[] = []
  {
    let s = runInit(leader)
    for (let i = 0; i < 1200; i++) {
      s = runMessage(leader, s.state, s.timers, "n1", request(i), "c1")
      durables.push(s.durable)
    }
  }
  const recordUs = time(1000, (i) => {
    const k = 100 + (i % 1000)
    frameRecord(JSON.stringify(diff(durables[k - 1], durables[k])))
  })

  // The KV state copy of a put (core/kv.ts copies the map), at 1,000 and 10,000 keys.
  const kvCopy = (keys: number) => {
    const state = new Map(Array.from({ length: keys }, (_, i) => [`k${i}`, "v".repeat(128)]))
    return time(keys > 1000 ? 200 : 2000, (i) => void kvStore.execute(state, new Put({ key: `k${i % keys}`, value: "x" })))
  }

  // The disk: fdatasync of 300-byte records, appended vs written into zeroes written ahead.
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-op-"))
  const disk = (prealloc: boolean) => {
    const fd = openSync(join(dir, prealloc ? "pre" : "app"), "w+")
    const rec = Buffer.alloc(300, 1)
    if (prealloc) {
      writeSync(fd, Buffer.alloc(1 << 20), 0, 1 << 20, 0)
      fdatasyncSync(fd)
    }
    const n = 200
    const t0 = performance.now()
    for (let i = 0; i < n; i++) {
      writeSync(fd, rec, 0, rec.length, i * rec.length)
      fdatasyncSync(fd)
    }
    const r = us(performance.now() - t0, n)
    closeSync(fd)
    return r
  }
  const fdatasyncUs = { append: disk(false), intoZeroes: disk(true) }
  rmSync(dir, { recursive: true, force: true })

  return { ops, stepUs, frameUs, recordUs, kvPutCopyUs: { keys1000: kvCopy(1000), keys10000: kvCopy(10000) }, fdatasyncUs }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { ops: { type: "string" } } })
  console.log(JSON.stringify({ loadavg: (await import("node:fs")).readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number), ...profileOp(Number(values.ops ?? 2000)) }, null, 1))
}
