/**
 * `node --import tsx bench/runtime-codec.ts [--iterations N] [--baseline DIR]`
 *
 * CPU microseconds to decode and to encode each frame a Raft put makes (the client's Request, the
 * leader's AppendEntries carrying one 128-byte Put, a follower's AppendEntriesReply, the leader's
 * Reply), through the runtime's own wire functions. With `--baseline DIR` (another checkout, e.g. a
 * `git worktree` of an older commit) the same frames go through that checkout's wire functions too,
 * alternating, so a change to the codec is measured before/after in one run. Prints one JSON object.
 */
import { resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { parseArgs } from "node:util"

type Wire = typeof import("../src/runtime/wire.ts")
type Services = typeof import("../src/runtime/services.ts")

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

const measure = (wire: Wire, services: Services, iterations: number) => {
  const registry = services.SERVICES.raft!.registry
  const out: Record<string, { decodeUs: number; encodeUs: number }> = {}
  for (const name of Object.keys(frames()) as Array<keyof ReturnType<typeof frames>>) {
    const batch = Array.from({ length: iterations }, () => frames()[name])
    const t0 = cpuUs()
    const envs = batch.map((f) => wire.decodeEnvelope(f.payload, registry, f.withFrom))
    const t1 = cpuUs()
    for (const e of envs) wire.encodeEnvelope(e.to, e.msg, e.from)
    const t2 = cpuUs()
    out[name] = { decodeUs: Number(((t1 - t0) / iterations).toFixed(2)), encodeUs: Number(((t2 - t1) / iterations).toFixed(2)) }
  }
  return out
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { iterations: { type: "string" }, baseline: { type: "string" } } })
  const iterations = Number(values.iterations ?? 20_000)
  const load = async (root: string) =>
    [(await import(pathToFileURL(resolve(root, "src/runtime/wire.ts")).href)) as Wire, (await import(pathToFileURL(resolve(root, "src/runtime/services.ts")).href)) as Services] as const
  const sides: Record<string, readonly [Wire, Services]> = { current: await load(".") }
  if (values.baseline !== undefined) sides.baseline = await load(values.baseline)
  // Warm up every side, then alternate: three rounds each, the best (least disturbed) kept.
  for (const s of Object.values(sides)) measure(...s, 2000)
  const best: Record<string, Record<string, { decodeUs: number; encodeUs: number }>> = {}
  for (let round = 0; round < 3; round++)
    for (const [name, s] of Object.entries(sides)) {
      const r = measure(...s, iterations)
      const b = (best[name] ??= r)
      for (const k of Object.keys(r)) {
        b[k]!.decodeUs = Math.min(b[k]!.decodeUs, r[k]!.decodeUs)
        b[k]!.encodeUs = Math.min(b[k]!.encodeUs, r[k]!.encodeUs)
      }
    }
  console.log(JSON.stringify({ iterations, ...best }, null, 1))
}
