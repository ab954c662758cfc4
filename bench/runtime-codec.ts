/**
 * `node --import tsx bench/runtime-codec.ts [--iterations N] [--baseline DIR]`
 *
 * CPU microseconds to decode and to encode each frame a Raft put makes (the client's Request, the
 * leader's AppendEntries carrying one 128-byte Put, a follower's AppendEntriesReply, the leader's
 * Reply), through the runtime's own wire functions; and the CPU of the storage diff of a durable value
 * holding a 2000-entry Map after one immutable set (what a Paxos or KV step persists). With `--baseline DIR` (another checkout, e.g. a
 * `git worktree` of an older commit) the same frames go through that checkout's wire functions too,
 * alternating, so a change to the codec is measured before/after in one run. Prints one JSON object.
 */
import { resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { parseArgs } from "node:util"

type Wire = typeof import("../src/runtime/wire.ts")
type Services = typeof import("../src/runtime/services.ts")
type Patch = typeof import("../src/runtime/patch.ts")

const value = "v".repeat(128)
let seq = 0
/** Fresh payloads every time (a new sequence number): no cache hit a real put would not get. */
const frames = () => {
  seq++
  const put = `{"_tag":"AMOCommand","command":{"_tag":"Put","key":"k${seq % 1000}","value":"${value}"},"client":"c1","seq":${seq}}`
  return {
    Request: { payload: `{"f":"c1","t":"n1","m":{"_tag":"Request","command":${put}}}`, withFrom: true },
    AppendEntries: {
      payload: `{"f":"n1","t":"n2","m":{"_tag":"AppendEntries","term":3,"prevLogIndex":${seq},"prevLogTerm":3,"entries":[{"term":3,"command":${put}}],"leaderCommit":${seq}}}`,
      withFrom: true,
    },
    AppendEntriesReply: {
      payload: `{"f":"n2","t":"n1","m":{"_tag":"AppendEntriesReply","term":3,"success":true,"matchIndex":${seq + 1},"conflictTerm":0,"conflictIndex":0}}`,
      withFrom: true,
    },
    Reply: {
      payload: `{"f":"n1","t":"c1","m":{"_tag":"Reply","result":{"_tag":"AMOResult","result":{"_tag":"PutOk"},"client":"c1","seq":${seq}}}}`,
      withFrom: true,
    },
  }
}

const cpuUs = () => {
  const u = process.cpuUsage()
  return u.user + u.system
}

const MAP = new Map(Array.from({ length: 2000 }, (_, i) => [i, { slot: i, value: "v".repeat(16) }] as const))
const measureDiff = (patch: Patch, iterations: number): number => {
  let a = { term: 1, slots: MAP as Map<number, unknown> }
  const t0 = cpuUs()
  for (let i = 0; i < iterations; i++) {
    const b = { term: 1, slots: new Map(a.slots).set(i % 2000, { slot: i, value: "w" }) }
    patch.diff(a, b)
    a = b
  }
  return cpuUs() - t0
}

const measure = (wire: Wire, services: Services, patch: Patch, iterations: number) => {
  const registry = services.SERVICES.raft!.registry
  const out: Record<string, Record<string, number>> = {}
  for (const name of Object.keys(frames()) as Array<keyof ReturnType<typeof frames>>) {
    const batch = Array.from({ length: iterations }, () => frames()[name])
    const t0 = cpuUs()
    const envs = batch.map((f) => wire.decodeEnvelope(f.payload, registry, f.withFrom))
    const t1 = cpuUs()
    for (const e of envs) wire.encodeEnvelope(e.to, e.msg, e.from)
    const t2 = cpuUs()
    out[name] = { decodeUs: Number(((t1 - t0) / iterations).toFixed(2)), encodeUs: Number(((t2 - t1) / iterations).toFixed(2)) }
  }
  // A diff after an immutable set, less the Map copy that makes the new value (measured alone).
  const n = Math.max(1, Math.floor(iterations / 10))
  const noDiff = { diff: () => [] } as unknown as Patch
  out["diff 2000-entry Map"] = { diffUs: Number(((measureDiff(patch, n) - measureDiff(noDiff, n)) / n).toFixed(2)) }
  return out
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { iterations: { type: "string" }, baseline: { type: "string" } } })
  const iterations = Number(values.iterations ?? 20_000)
  const load = async (root: string) =>
    [
      (await import(pathToFileURL(resolve(root, "src/runtime/wire.ts")).href)) as Wire,
      (await import(pathToFileURL(resolve(root, "src/runtime/services.ts")).href)) as Services,
      (await import(pathToFileURL(resolve(root, "src/runtime/patch.ts")).href)) as Patch,
    ] as const
  const sides: Record<string, readonly [Wire, Services, Patch]> = { current: await load(".") }
  if (values.baseline !== undefined) sides.baseline = await load(values.baseline)
  // Warm up every side, then alternate: three rounds each, the best (least disturbed) kept.
  for (const s of Object.values(sides)) measure(...s, 2000)
  const best: Record<string, Record<string, Record<string, number>>> = {}
  for (let round = 0; round < 3; round++)
    for (const [name, s] of Object.entries(sides)) {
      const r = measure(...s, iterations)
      const b = (best[name] ??= r)
      for (const k of Object.keys(r)) for (const f of Object.keys(r[k]!)) b[k]![f] = Math.min(b[k]![f]!, r[k]![f]!)
    }
  console.log(JSON.stringify({ iterations, ...best }, null, 1))
}
