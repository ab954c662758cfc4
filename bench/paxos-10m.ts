/**
 * A Paxos search of 10 M distinct states on this machine, bounded by memory rather than by the JS
 * heap: Multi-Paxos, 3 servers, two clients appending to one key (the `bounded-two-clients`
 * configuration, every invariant and the refinement to consensus checked), BFS with its queue off the
 * heap in segments that spill to disk past `--memory` MiB (spill-queue.ts). Run by hand, not by
 * `npm run bench` or `npm test` (it takes tens of minutes):
 *
 *   node --import tsx bench/paxos-10m.ts [--states N] [--memory MIB] [--checkpoint DIR] [--resume] [--seconds S]
 *
 * With --checkpoint the run is saved there every 5 minutes (and when it stops), and --resume continues
 * it from there: a long run may be split over several sittings (--seconds ends one; add up their times).
 * A progress line goes to stderr every 30 s; the JSON figures (time, CPU, peak RSS, states/s) to
 * stdout. The same search from the command line:
 * `tla-ts check paxos --test bounded-two-clients --max-states 10000000 --memory 1024`.
 */
import { parseArgs } from "node:util"
import { appendWorkload } from "../src/core/workloads.ts"
import { explore } from "../src/checker/explore.ts"
import { checked } from "../src/protocols/paxos/model.ts"

const { values } = parseArgs({ options: { states: { type: "string" }, memory: { type: "string" }, checkpoint: { type: "string" }, resume: { type: "boolean" }, seconds: { type: "string" } } })
const states = Number(values.states ?? 10_000_000)
const memoryMiB = Number(values.memory ?? 1024)
const maxSeconds = values.seconds === undefined ? undefined : Number(values.seconds)
if (!Number.isSafeInteger(states) || states < 1 || !Number.isSafeInteger(memoryMiB) || memoryMiB < 16 || (values.resume && !values.checkpoint) || (maxSeconds !== undefined && !(maxSeconds > 0))) {
  console.error("usage: node --import tsx bench/paxos-10m.ts [--states N] [--memory MIB (at least 16)] [--checkpoint DIR [--resume]] [--seconds S]")
  process.exit(2)
}

const cpuSeconds = () => {
  const { userCPUTime, systemCPUTime } = process.resourceUsage()
  return (userCPUTime + systemCPUTime) / 1e6
}
const mib = (bytes: number) => Math.round(bytes / 2 ** 20)

const system = checked({ servers: 3, workloads: [appendWorkload("client1", 1), appendWorkload("client2", 1)] })
let lastReport = 0
let peakHeapMiB = 0
const c0 = cpuSeconds()
const r = explore(system, {
  strategy: "bfs",
  maxStates: states,
  memoryMiB,
  ...(maxSeconds !== undefined ? { maxSeconds } : {}),
  ...(values.checkpoint ? { checkpoint: values.checkpoint, checkpointEverySeconds: 300, ...(values.resume ? { resume: values.checkpoint } : {}) } : {}),
  onProgress: (p) => {
    peakHeapMiB = Math.max(peakHeapMiB, mib(process.memoryUsage().heapUsed))
    if (p.seconds - lastReport < 30) return
    lastReport = p.seconds
    console.error(
      `${Math.round(p.seconds)} s: ${p.distinct} distinct, queue ${p.queue}, depth ${p.depth}, ${Math.round(p.statesPerSecond)} distinct/s, rss ${mib(process.memoryUsage().rss)} MiB`
    )
  },
})
console.log(
  JSON.stringify(
    {
      config: "paxos, 3 servers, 2 clients appending (bounded-two-clients), bfs",
      memoryMiB,
      resumed: values.resume ?? false,
      verdict: r.verdict,
      distinct: r.distinct,
      generated: r.generated,
      depth: r.depth,
      seconds: Math.round(r.seconds),
      cpuSeconds: Math.round(cpuSeconds() - c0),
      distinctPerSecond: Math.round(r.distinct / r.seconds),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      peakHeapMiB,
    },
    null,
    1
  )
)
