/**
 * Two searching threads against one on a protocol search of about a million distinct states: Raft's
 * `exhaustive-election` with terms up to 2 (3 servers, no clients, a duplicating network), BFS to
 * depth 12 -- 1,134,057 distinct states, every level whole, so both modes must find the same count
 * and verdict (asserted). `1-thread` is `tla-ts check raft --test exhaustive-election --param
 * maxTerm=2 --max-depth 12`, `2-workers` the same with `--workers 2` (the coordinating thread and one
 * worker thread, which joins once it has started).
 *
 * Each run is its own child process (CPU and peak RSS are its own), the modes alternating for
 * `--rounds` rounds (default 1). On a machine that other sessions load, wall-clock ratios say little:
 * `cpuRatio` (CPU of all threads of the 2-worker run over the 1-thread run's; 1.0 means the second
 * thread duplicates nothing and costs nothing to coordinate) is the figure to compare, beside
 * `machineTwoThreadGain` (bench/two-threads.ts: what two threads of pure arithmetic gain at that
 * moment). The 2-worker run also reports each thread's share: states it took from the other (work
 * stealing), the bytes handed over per distinct state, and the seconds it waited for a hand-off or had
 * no work at all (`bothBusyShare`: the share of the run's wall-clock time that no thread spent so).
 *
 *   node --import tsx bench/parallel-protocol.ts [--rounds N] [--depth D]
 *
 * (`--depth 10`: 269,435 states, for a quicker look.) Run `npm run build` first: worker threads start
 * from the build when it is fresh (worker-boot.ts), or their start-up includes tsx's.
 */
import { execFileSync } from "node:child_process"
import { loadavg } from "node:os"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { bfs } from "../src/checker/explore.ts"
import { parallelBfs, type ThreadShare } from "../src/checker/parallel-bfs.ts"
import { buildSystem } from "../src/checker/parallel-protocol.ts"
import { REGISTRY_URL } from "../src/registry/index.ts"
import { processUsage, round, twoThreadGain } from "./two-threads.ts"

const MODES = ["1-thread", "2-workers"] as const
type Mode = (typeof MODES)[number]

const REF = { loader: REGISTRY_URL, model: "raft", test: "exhaustive-election", params: { maxTerm: "2" } } as const
const DEPTH = 12
/** Distinct states of REF to depth 12 (bfs, ebd42f2's fingerprints). */
const EXPECTED_DISTINCT = 1_134_057

interface Run {
  readonly verdict: string
  readonly distinct: number
  readonly generated: number
  readonly seconds: number
  readonly cpuSeconds: number
  readonly peakRssMiB: number
  readonly threads?: ReadonlyArray<ThreadShare>
}

const runOne = async (mode: Mode, maxDepth: number): Promise<Run> => {
  const r =
    mode === "1-thread" ? bfs(await buildSystem(REF), { maxDepth }) : await parallelBfs(REF, { workers: 2, maxDepth })
  const { verdict, distinct, generated, seconds } = r
  return { verdict, distinct, generated, seconds, ...processUsage(), ...("threads" in r ? { threads: r.threads as ReadonlyArray<ThreadShare> } : {}) }
}

const self = fileURLToPath(import.meta.url)

const inChild = (mode: Mode, depth: number): Run =>
  JSON.parse(execFileSync(process.execPath, ["--import", "tsx", self, "--one", mode, String(depth)], { encoding: "utf8", maxBuffer: 1 << 20 })) as Run

/** The figures of one run, and for a parallel run what its threads exchanged and how long they had nothing to do. */
const figures = (r: Run) => {
  const threads = r.threads
  const noWork = threads?.reduce((a, t) => a + t.waitedSeconds + t.idleSeconds, 0)
  return {
    seconds: round(r.seconds),
    cpuSeconds: round(r.cpuSeconds),
    distinctPerSecond: Math.round(r.distinct / r.seconds),
    distinctPerCpuSecond: Math.round(r.distinct / r.cpuSeconds),
    peakRssMiB: r.peakRssMiB,
    ...(threads
      ? {
          generatedShare: threads.map((t) => round(t.generated / (r.generated - 1), 3)),
          stolenShare: round(threads.reduce((a, t) => a + t.stolen, 0) / r.distinct, 4),
          handOffs: threads.reduce((a, t) => a + t.steals, 0),
          handedBytesPerState: round(threads.reduce((a, t) => a + t.handedBytes, 0) / r.distinct, 1),
          waitedSeconds: threads.map((t) => round(t.waitedSeconds)),
          idleSeconds: threads.map((t) => round(t.idleSeconds)),
          bothBusyShare: round(1 - noWork! / r.seconds, 3),
        }
      : {}),
  }
}

export async function benchParallelProtocol(rounds = 1, depth = DEPTH): Promise<object> {
  const out: Record<string, unknown> = {
    config: `raft --test exhaustive-election --param maxTerm=2 --max-depth ${depth}`,
    loadAverageBefore: round(loadavg()[0]!),
    machineTwoThreadGain: await twoThreadGain(),
  }
  const perRound: object[] = []
  for (let i = 0; i < rounds; i++) {
    // Alternate which mode goes first, so that a change in the machine's load falls on both.
    const order = i % 2 === 0 ? MODES : ([...MODES].reverse() as unknown as typeof MODES)
    const runs = Object.fromEntries(order.map((m) => [m, inChild(m, depth)])) as Record<Mode, Run>
    const [one, two] = [runs["1-thread"], runs["2-workers"]]
    if (one.verdict !== two.verdict || one.distinct !== two.distinct || one.generated !== two.generated)
      throw new Error(`parallel-protocol: the modes disagree: ${JSON.stringify({ one, two })}`)
    if (depth === DEPTH && one.distinct !== EXPECTED_DISTINCT) throw new Error(`parallel-protocol: ${one.distinct} distinct states, expected ${EXPECTED_DISTINCT}`)
    perRound.push({
      verdict: one.verdict,
      distinct: one.distinct,
      generated: one.generated,
      // Above 1: two threads finish sooner (wall) / the second thread costs that much more CPU in all.
      twoWorkersOverOne: { speedup: round(one.seconds / two.seconds), cpuRatio: round(two.cpuSeconds / one.cpuSeconds) },
      "1-thread": figures(one),
      "2-workers": figures(two),
    })
  }
  out.rounds = perRound
  out.loadAverageAfter = round(loadavg()[0]!)
  return out
}

if (process.argv[1] === self) {
  const i = process.argv.indexOf("--one")
  if (i >= 0) console.log(JSON.stringify(await runOne(process.argv[i + 1] as Mode, Number(process.argv[i + 2]))))
  else {
    const { values } = parseArgs({ options: { rounds: { type: "string" }, depth: { type: "string" } } })
    const rounds = Number(values.rounds ?? 1)
    const depth = Number(values.depth ?? DEPTH)
    if (!Number.isSafeInteger(rounds) || rounds < 1 || !Number.isSafeInteger(depth) || depth < 1 || depth > DEPTH) {
      console.error(`usage: node --import tsx bench/parallel-protocol.ts [--rounds N (at least 1)] [--depth D (1 to ${DEPTH})]`)
      process.exit(2)
    }
    console.log(JSON.stringify(await benchParallelProtocol(rounds, depth), null, 1))
  }
}
