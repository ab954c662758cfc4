/**
 * Open time of a large Raft data directory (issue 11): writes one Raft record whose snapshot holds
 * --keys keys with the real Storage, then times, side by side in one run, Storage.open with the Raft
 * service's record check (shape-check.ts, one pass), the same open without a check, and Effect's own
 * Schema check of the recovered record (what checkRecord ran before); and the decode of an
 * InstallSnapshot frame carrying the same store; and the first put after recovery (setIn on the
 * recovered store) with the open as a node does it (check and Service.adopt) and without adopt. Each
 * figure is wall ms and, as `...Cpu`, the process's CPU ms (a shared machine's wall times are noisy).
 * Prints one JSON line.
 *   node --import tsx bench/runtime-open.ts [--keys 200000]
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Schema } from "effect"
import { amoSchemas, amoStateSchema } from "../src/core/application.ts"
import { KVCommand, KVResult, KVState, PutOk } from "../src/core/kv.ts"
import { raftMessages } from "../src/protocols/raft/messages.ts"
import { encode } from "../src/runtime/codec.ts"
import { setIn } from "../src/core/persistent-map.ts"
import { SERVICES } from "../src/runtime/services.ts"
import { Storage } from "../src/runtime/storage.ts"
import { decodeEnvelope, encodeEnvelope } from "../src/runtime/wire.ts"

const arg = process.argv.indexOf("--keys")
const keys = arg > 0 ? Number(process.argv[arg + 1]) : 200_000
if (!Number.isInteger(keys) || keys <= 0) {
  console.error("runtime-open: --keys must be a positive integer")
  process.exit(2)
}
const raft = SERVICES["raft"]!
const AMOResult = raft.registry.get("AMOResult")!
const app = new Map(Array.from({ length: keys }, (_, i) => [`key${i}`, "v".repeat(128)] as const))
const snap = { app, last: new Map([["c1", new AMOResult({ result: new PutOk(), client: "c1", seq: 1 })]]) }
const record = { log: { term: 1, votedFor: null, log: [], snapIndex: keys, snapTerm: 1, snap, commitIndex: keys } }
const meta = { protocol: "raft", id: "n1" }
const dir = mkdtempSync(join(tmpdir(), "tla-ts-open-"))
const cpuMs: Record<string, number> = {}
let timed = 0
const ms = (f: () => void, name = `t${timed++}`): number => {
  const c = process.cpuUsage()
  const t0 = performance.now()
  f()
  const d = process.cpuUsage(c)
  cpuMs[`${name}Cpu`] = Math.round((d.user + d.system) / 1000)
  return Math.round(performance.now() - t0)
}
type Recovered = { readonly log: { readonly snap: { readonly app: ReadonlyMap<string, string> } } }
const firstPut = (v: unknown) => void setIn((v as Recovered).log.snap.app, "key7", "new")
try {
  const s = Storage.open(dir, meta, raft.registry)
  const seq = s.persist(record)
  while (s.durableSeq < seq) await new Promise((r) => setTimeout(r, 5))
  await s.close()
  let opened: Storage | undefined
  const openUnchecked = ms(() => void (opened = Storage.open(dir, meta, raft.registry)), "openUnchecked")
  const recovered = opened!.value
  await opened!.close()
  const openChecked = ms(() => void (opened = Storage.open(dir, meta, raft.registry, { check: raft.checkRecord })), "openChecked")
  const firstPutUnadopted = ms(() => firstPut(opened!.value), "firstPutUnadopted")
  await opened!.close()
  const openAsNode = ms(() => void (opened = Storage.open(dir, meta, raft.registry, { check: raft.checkRecord, adopt: raft.adopt! })), "openAsNode")
  const firstPutAdopted = ms(() => firstPut(opened!.value), "firstPutAdopted")
  await opened!.close()
  const amo = amoSchemas(KVCommand, KVResult)
  const effect = Schema.is(Schema.toType(raftMessages(amo.AMOCommand, amoStateSchema(KVState, amo.AMOResult)).Durable)) as (v: unknown) => boolean
  const effectCheck = ms(() => void effect((recovered as { log: unknown }).log), "effectCheck")
  const frame = encodeEnvelope("n2/log", new (raft.registry.get("InstallSnapshot")!)({ term: 1, lastIncludedIndex: keys, lastIncludedTerm: 1, data: snap }), "n1/log")
  const decodeSnapshot = ms(() => void decodeEnvelope(frame, raft.registry, true), "decodeInstallSnapshot")
  console.log(JSON.stringify({ keys, recordBytes: encode(record).length, openUncheckedMs: openUnchecked, openCheckedMs: openChecked, firstPutUnadoptedMs: firstPutUnadopted, openAsNodeMs: openAsNode, firstPutAdoptedMs: firstPutAdopted, effectCheckMs: effectCheck, decodeInstallSnapshotMs: decodeSnapshot, cpuMs, loadavg: (await import("node:os")).loadavg().map((x) => Math.round(x * 10) / 10) }))
} finally {
  rmSync(dir, { recursive: true, force: true })
}
