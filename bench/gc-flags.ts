/**
 * V8 heap flags against the protocol searches: each job (a search, in a fresh child process) under each
 * variant (a set of node flags), the variants alternating in order round by round so that a change in
 * the machine's load falls on all of them. Reports per job and variant the median CPU seconds (all
 * threads, GC helpers included), wall seconds and peak RSS, and each variant's ratios against `none`
 * (no flags: V8's defaults); for the two-worker jobs, two workers over one thread under the same variant
 * -- in wall-clock time, in CPU, and (`quietSpeedup`) in the wall-clock time that each run's CPU by
 * thread implies on a quiet two-core machine (two-threads.ts threadFigures), which the load does not decide.
 *
 *   node --import tsx bench/gc-flags.ts [--rounds N] [--variants a,b] [--jobs x,y]
 *
 * Jobs: `raft12-1t` / `raft12-2w` (bench/parallel-protocol.ts's Raft search, 1,134,057 states, one
 * thread / two workers), `twophase8-1t` / `twophase8-2w` (bench/twophase.ts RM=8), `twophase9-1t` /
 * `twophase9-2w` (RM=9: peak memory), and `bfs:<case>` for a case of bench/protocols-bfs.ts (a
 * substring of its name, e.g. `bfs:paxos/bounded`). Variant `shipped` is what bin/tla-ts.js runs
 * (src/checker/assets/v8-flags.json). Run `npm run build` first (worker threads start from a fresh build).
 */
import { execFileSync } from "node:child_process"
import { loadavg } from "node:os"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { v8Flags } from "../src/checker/v8-flags.ts"
import { round, twoThreadGain } from "./two-threads.ts"

const VARIANTS: Record<string, ReadonlyArray<string>> = {
  none: [],
  shipped: v8Flags({}),
  semi16: ["--max-semi-space-size=16"],
  semi32: ["--max-semi-space-size=32"],
  semi64: ["--max-semi-space-size=64"],
  semi128: ["--max-semi-space-size=128"],
  "semi64-min64": ["--min-semi-space-size=64", "--max-semi-space-size=64"],
  single: ["--single-threaded-gc"],
  "semi64-single": ["--max-semi-space-size=64", "--single-threaded-gc"],
}

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url))

interface Figures {
  readonly distinct: number
  readonly cpuSeconds: number
  readonly seconds: number
  readonly peakRssMiB?: number
  /** Jobs of parallel-protocol.ts and twophase.ts: CPU by thread (two-threads.ts threadFigures). */
  readonly threadCpu?: { readonly helperCpuSeconds: number; readonly quietSeconds: number }
}

/** A job's command (after node's flags) and how to read its figures from its output. */
const job = (name: string): { args: string[]; read: (out: string) => Figures } => {
  const last = (out: string) => JSON.parse(out.trimEnd().split("\n").at(-1)!) as Figures
  const m = /^(raft12|twophase8|twophase9)-(1t|2w)$/.exec(name)
  if (m) {
    const mode = m[2] === "1t" ? "1-thread" : "2-workers"
    return m[1] === "raft12"
      ? { args: [here("./parallel-protocol.ts"), "--one", mode, "12"], read: last }
      : { args: [here("./twophase.ts"), "--one", m[1]!.slice(-1), mode], read: last }
  }
  if (name.startsWith("bfs:"))
    return {
      args: [here("./protocols-bfs.ts"), name.slice(4)],
      read: (out) => {
        const cases = Object.values(JSON.parse(out) as Record<string, Figures>)
        if (cases.length !== 1) throw new Error(`gc-flags: ${name} names ${cases.length} cases of protocols-bfs, not one`)
        return cases[0]!
      },
    }
  throw new Error(`gc-flags: no job ${name}`)
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

export async function benchGcFlags(rounds: number, variants: ReadonlyArray<string>, jobs: ReadonlyArray<string>): Promise<object> {
  const out: Record<string, unknown> = { loadAverageBefore: round(loadavg()[0]!), machineTwoThreadGain: await twoThreadGain(), variants: Object.fromEntries(variants.map((v) => [v, VARIANTS[v]])) }
  const runs = new Map<string, Figures[]>()
  for (let i = 0; i < rounds; i++)
    for (const j of jobs) {
      const { args, read } = job(j)
      const order = i % 2 === 0 ? variants : [...variants].reverse()
      for (const v of order) {
        // Every variant states its flags on node's command line; TLA_TS_V8_FLAGS=off keeps the shipped ones (v8-flags.ts) from worker threads' limits.
        const env = { ...process.env, TLA_TS_V8_FLAGS: "off" }
        const f = read(execFileSync(process.execPath, [...VARIANTS[v]!, "--import", "tsx", ...args], { encoding: "utf8", maxBuffer: 1 << 26, env }))
        const key = `${j} ${v}`
        console.error(JSON.stringify({ round: i, job: j, variant: v, ...f }))
        runs.set(key, [...(runs.get(key) ?? []), f])
      }
    }
  const cell = (j: string, v: string) => {
    const rs = runs.get(`${j} ${v}`)!
    const distinct = new Set(rs.map((r) => r.distinct))
    if (distinct.size !== 1) throw new Error(`gc-flags: ${j} under ${v} found ${[...distinct].join(" and ")} states`)
    return {
      distinct: rs[0]!.distinct,
      cpuSeconds: round(median(rs.map((r) => r.cpuSeconds))),
      seconds: round(median(rs.map((r) => r.seconds))),
      ...(rs[0]!.peakRssMiB !== undefined ? { peakRssMiB: Math.max(...rs.map((r) => r.peakRssMiB!)) } : {}),
      // The wall-clock time on a quiet two-core machine that the threads' CPU implies, and V8's helpers' share of the CPU.
      ...(rs[0]!.threadCpu
        ? { quietSeconds: round(median(rs.map((r) => r.threadCpu!.quietSeconds))), helperCpuSeconds: round(median(rs.map((r) => r.threadCpu!.helperCpuSeconds))) }
        : {}),
      distinctPerCpuSecond: Math.round(rs[0]!.distinct / median(rs.map((r) => r.cpuSeconds))),
      distinctPerSecond: Math.round(rs[0]!.distinct / median(rs.map((r) => r.seconds))),
    }
  }
  out.jobs = Object.fromEntries(
    jobs.map((j) => {
      const cells = Object.fromEntries(variants.map((v) => [v, cell(j, v)]))
      const base = cells.none
      if (base) for (const v of variants) Object.assign(cells[v]!, { cpuOverNone: round(cells[v]!.cpuSeconds / base.cpuSeconds), wallOverNone: round(cells[v]!.seconds / base.seconds) })
      const distinct = new Set(Object.values(cells).map((c) => c.distinct))
      if (distinct.size !== 1) throw new Error(`gc-flags: ${j}: the variants disagree on the count`)
      return [j, cells]
    })
  )
  // Two workers over one thread, per variant, where both jobs ran.
  const pairs: Record<string, object> = {}
  for (const j of jobs.filter((j) => j.endsWith("-2w") && jobs.includes(j.replace(/-2w$/, "-1t"))))
    pairs[j.replace(/-2w$/, "")] = Object.fromEntries(
      variants.map((v) => {
        const [one, two] = [cell(j.replace(/-2w$/, "-1t"), v), cell(j, v)]
        const quiet = one.quietSeconds !== undefined && two.quietSeconds !== undefined ? { quietSpeedup: round(one.quietSeconds / two.quietSeconds) } : {}
        return [v, { speedup: round(one.seconds / two.seconds), cpuRatio: round(two.cpuSeconds / one.cpuSeconds), ...quiet }]
      })
    )
  out.twoWorkersOverOne = pairs
  out.loadAverageAfter = round(loadavg()[0]!)
  return out
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { rounds: { type: "string" }, variants: { type: "string" }, jobs: { type: "string" } } })
  const rounds = Number(values.rounds ?? 2)
  const variants = (values.variants ?? "none,shipped").split(",")
  const jobs = (values.jobs ?? "raft12-1t,raft12-2w,twophase8-1t,twophase8-2w").split(",")
  const bad = variants.find((v) => !(v in VARIANTS)) ?? jobs.find((j) => { try { job(j); return false } catch { return true } })
  if (!Number.isSafeInteger(rounds) || rounds < 1 || bad !== undefined) {
    console.error(`usage: node --import tsx bench/gc-flags.ts [--rounds N] [--variants ${Object.keys(VARIANTS).join(",")}] [--jobs raft12-1t,raft12-2w,twophase8-1t,twophase8-2w,twophase9-1t,twophase9-2w,bfs:CASE]${bad ? ` (not known: ${bad})` : ""}`)
    process.exit(2)
  }
  console.log(JSON.stringify(await benchGcFlags(rounds, variants, jobs), null, 1))
}
