/**
 * `node --import tsx bench/runtime-snapshot-stall.ts [--keys 200000] [--writers 8] [--rounds 2]
 *   [--after-ms 300] [--headroom 65536] [--against DIR]`
 *
 * How long a compaction stalls a node (issue 11): a store of `--keys` keys (128-byte values, in a
 * persistent map, as the KV service keeps it) is persisted as the log's first record, the compaction
 * threshold `--headroom` bytes above that record's size, so that the log crosses it after a few hundred
 * puts of the load: `--writers` closed-loop writers each persist the store with one key changed and
 * wait for it to be durable. Measured from the load's start until `--after-ms` after the compaction's log line:
 * the event loop's longest block and p99 (perf_hooks monitorEventLoopDelay, 1 ms resolution), the
 * compaction's duration, and the puts' count, p50, p99 and max latency. With `--against DIR` (another
 * checkout with node_modules, e.g. `git archive` of main with a node_modules link), its Storage runs
 * side by side with this one, alternating in each round. Prints one JSON object.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { monitorEventLoopDelay } from "node:perf_hooks"
import { pathToFileURL } from "node:url"
import { parseArgs } from "node:util"

interface Impl {
  readonly name: string
  readonly Storage: typeof import("../src/runtime/storage.ts").Storage
  readonly Registry: typeof import("../src/runtime/codec.ts").Registry
  readonly PersistentMap: typeof import("../src/core/persistent-map.ts").PersistentMap
  readonly readRecords: typeof import("../src/runtime/storage.ts").readRecords
}

const load = async (name: string, root: string): Promise<Impl> => {
  const at = (f: string) => pathToFileURL(join(root, f)).href
  return {
    name,
    ...(({ Storage, readRecords }) => ({ Storage, readRecords }))(await import(at("src/runtime/storage.ts"))),
    Registry: (await import(at("src/runtime/codec.ts"))).Registry,
    PersistentMap: (await import(at("src/core/persistent-map.ts"))).PersistentMap,
  }
}

const { values } = parseArgs({ options: { keys: { type: "string" }, writers: { type: "string" }, rounds: { type: "string" }, "after-ms": { type: "string" }, against: { type: "string" }, headroom: { type: "string" } } })
const keys = Number(values.keys ?? 200_000)
const writers = Number(values.writers ?? 8)
const rounds = Number(values.rounds ?? 2)
const afterMs = Number(values["after-ms"] ?? 300)
const headroom = Number(values.headroom ?? 65_536)
for (const [flag, v] of [["keys", keys], ["writers", writers], ["rounds", rounds], ["after-ms", afterMs], ["headroom", headroom]] as const)
  if (!Number.isInteger(v) || v <= 0) {
    console.error(`runtime-snapshot-stall: --${flag} must be a positive integer`)
    process.exit(2)
  }

const meta = { protocol: "raft", id: "n1" }
const ms = (x: number) => Number(x.toFixed(2))
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0

const round = async (impl: Impl) => {
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-snapshot-stall-"))
  try {
    const registry = new impl.Registry([])
    let app = impl.PersistentMap.from<string, string>(Array.from({ length: keys }, (_, i) => [`key${i}`, "v".repeat(128)]))
    // The first record holds the whole store; the compaction threshold sits --headroom bytes above it,
    // so the log crosses it after a few hundred puts of the load, as a running node's log does.
    const probe = join(dir, "probe")
    const p = impl.Storage.open(probe, meta, registry, { compactBytes: 2 ** 31 })
    const q = p.persist({ app, n: 0 })
    while (p.durableSeq < q) await new Promise((r) => setTimeout(r, 5))
    await p.close()
    const storeRecord = impl.readRecords(readFileSync(join(probe, "wal-0")), "wal-0").valid
    rmSync(probe, { recursive: true })
    let compactedAt = 0
    const s = impl.Storage.open(join(dir, "n1"), meta, registry, { compactBytes: storeRecord + headroom, log: (l) => void (/^snapshot:/.test(l) && (compactedAt = performance.now())) })
    const seq = s.persist({ app, n: 0 })
    while (s.durableSeq < seq) await new Promise((r) => setTimeout(r, 5))
    const waiting = new Map<number, () => void>()
    s.onDurable((synced) => {
      for (const [q, f] of waiting)
        if (q <= synced) {
          waiting.delete(q)
          f()
        }
    })
    const latencies: number[] = []
    const delay = monitorEventLoopDelay({ resolution: 1 })
    let n = 0
    const t0 = performance.now()
    delay.enable()
    const done = () => compactedAt > 0 && performance.now() - compactedAt > afterMs
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (!done() && performance.now() - t0 < 120_000) {
          n++
          app = app.with(`key${n % keys}`, `new${n}`)
          const start = performance.now()
          const q = s.persist({ app, n })
          await new Promise<void>((r) => waiting.set(q, r))
          latencies.push(performance.now() - start)
        }
      })
    )
    delay.disable()
    await s.close()
    latencies.sort((a, b) => a - b)
    return {
      impl: impl.name,
      compactionMs: compactedAt > 0 ? ms(compactedAt - t0) : null,
      loopMaxMs: ms(delay.max / 1e6),
      loopP99Ms: ms(delay.percentile(99) / 1e6),
      puts: latencies.length,
      putP50Ms: ms(pct(latencies, 0.5)),
      putP99Ms: ms(pct(latencies, 0.99)),
      putMaxMs: ms(latencies[latencies.length - 1] ?? 0),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const impls = [await load("this", resolve(import.meta.dirname, ".."))]
if (values.against) impls.push(await load(`against ${values.against}`, resolve(values.against)))
const results: Array<Awaited<ReturnType<typeof round>>> = []
for (let r = 0; r < rounds; r++) for (const impl of r % 2 === 0 ? impls : [...impls].reverse()) results.push(await round(impl))
const median = (name: string, f: (x: (typeof results)[number]) => number) => {
  const xs = results.filter((x) => x.impl === name).map(f).sort((a, b) => a - b)
  return xs[xs.length >> 1]!
}
const ratios =
  impls.length === 2
    ? Object.fromEntries((["loopMaxMs", "putP99Ms", "putMaxMs"] as const).map((k) => [k, ms(median(impls[0]!.name, (x) => x[k]) / median(impls[1]!.name, (x) => x[k]))]))
    : undefined
console.log(JSON.stringify({ keys, writers, afterMs, rounds: results, ...(ratios ? { thisOverAgainst: ratios } : {}) }, null, 1))
