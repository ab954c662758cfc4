/**
 * TwoPhase RM=7 three ways, side by side in one run: the packed spec (spec/twophase.ts), the
 * plain-object spec a user would write (spec/twophase-plain.ts, plainFingerprint), and TLC on
 * TwoPhase.tla (when `java` is on the PATH). Each runs in its own child process, twice, and the better
 * run counts (other processes on a shared machine inflate wall-clock times); ours also report the CPU
 * seconds of the search itself. `plainSpecOnly` is the plain spec's own successor generation over
 * every reachable state, with no checker around it: the floor of any plain search, against the whole
 * packed search. `plainBreakdown` splits the plain search's CPU seconds into that spec share, the
 * fingerprints (plainFingerprint on every successor, in BFS order, so its per-position memo sees what
 * it sees in the search) and the rest (visited set, queue, invariant, the garbage collection of the
 * states the queue keeps alive).
 * `node --import tsx bench/plain-twophase.ts [RM]` prints the JSON.
 */
import { execFileSync } from "node:child_process"
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { bfs } from "../src/checker/explore.ts"
import { invariant, newFingerprint, type TransitionSystem } from "../src/checker/transition-system.ts"
import { twoPhasePlain } from "../spec/twophase-plain.ts"
import { twoPhase } from "../spec/twophase.ts"

const SPECS = { packed: twoPhase, plain: twoPhasePlain } as const
type Spec = keyof typeof SPECS
const TLC_DIR = fileURLToPath(new URL("../../shared/tools/tlc/", import.meta.url))
const self = fileURLToPath(import.meta.url)
const round = (x: number) => Number(x.toFixed(2))

const cpuNow = () => {
  const { userCPUTime, systemCPUTime } = process.resourceUsage()
  return (userCPUTime + systemCPUTime) / 1e6
}

const runOne = (spec: Spec, rm: number) => {
  const cpu = cpuNow
  const c0 = cpu()
  const r = bfs(SPECS[spec]({ rm }) as Parameters<typeof bfs>[0])
  const cpuSeconds = round(cpu() - c0)
  return { distinct: r.distinct, generated: r.generated, depth: r.depth, seconds: r.seconds, cpuSeconds, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }
}

/**
 * The spec's own share: CPU seconds of generating the successors of every reachable state once, with
 * nothing done with them (no fingerprint, no visited set, no queue) -- what a search of this spec
 * costs at the least, whatever the checker does. The states are gathered first, by a bfs that keeps them.
 */
const specOnly = (spec: Spec, rm: number) => {
  const system = SPECS[spec]({ rm }) as TransitionSystem<unknown, unknown>
  const states: unknown[] = []
  bfs({ ...system, properties: [...system.properties, invariant("kept", (s) => (states.push(s), true))] })
  let n = 0
  const count = () => void n++
  let c0 = cpuNow()
  for (const s of states) system.successors(s, count)
  const specCpuSeconds = round(cpuNow() - c0)
  const fp = newFingerprint()
  const print = (_: unknown, next: unknown) => system.fingerprint(next, fp)
  c0 = cpuNow()
  for (const s of states) system.successors(s, print)
  return { specCpuSeconds, specAndFingerprintCpuSeconds: round(cpuNow() - c0), successors: n }
}

const inChild = (spec: Spec, rm: number): ReturnType<typeof runOne> =>
  JSON.parse(execFileSync(process.execPath, ["--import", "tsx", self, "--one", spec, String(rm)], { encoding: "utf8" }))

/** CPU seconds of this process's children that have ended (Linux: /proc/self/stat's cutime and cstime), or NaN elsewhere. */
const childrenCpu = (): number => {
  try {
    // The fields after the command name, which ends at the last ")": cutime and cstime are fields 16 and 17 of the line.
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ")
    return (Number(fields[13]) + Number(fields[14])) / 100 // clock ticks; USER_HZ is 100 on Linux
  } catch {
    return NaN
  }
}

/** TLC's wall-clock and CPU seconds (the JVM's every thread) and distinct count, from a copy of the spec folder. */
const tlc = (rm: number): { seconds: number; cpuSeconds: number; distinct: number } | { skipped: string } => {
  const dir = mkdtempSync(join(tmpdir(), "tlc-"))
  try {
    cpSync(join(TLC_DIR, "twophase"), dir, { recursive: true })
    const t = performance.now()
    const c0 = childrenCpu()
    const out = execFileSync("java", ["-XX:+UseParallelGC", "-cp", join(TLC_DIR, "tla2tools.jar"), "tlc2.TLC", "-workers", "1", "-deadlock", "-config", `MC${rm}.cfg`, "MCTwoPhase.tla"], {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 1 << 24,
    })
    // The last count is the final one (progress lines come before it).
    const distinct = [...out.matchAll(/(\d[\d,]*) distinct states found/g)].at(-1)
    return { seconds: round((performance.now() - t) / 1000), cpuSeconds: round(childrenCpu() - c0), distinct: Number(distinct?.[1]?.replaceAll(",", "") ?? NaN) }
  } catch (e) {
    return { skipped: `TLC did not run: ${(e as Error).message.split("\n")[0]}` }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function benchPlainTwoPhase(rm = 7): Promise<object> {
  const out: Record<string, unknown> = { rm, loadAverageBefore: round(loadavg()[0]!) }
  const best = (spec: Spec) => [inChild(spec, rm), inChild(spec, rm)].sort((a, b) => a.seconds - b.seconds)[0]!
  const packed = best("packed")
  const plain = best("plain")
  const t = tlc(rm)
  out.packed = { ...packed, seconds: round(packed.seconds) }
  out.plain = { ...plain, seconds: round(plain.seconds) }
  out.tlc = t
  out.plainOverPacked = round(plain.seconds / packed.seconds)
  // CPU time is less disturbed than wall-clock time by other processes on a shared machine.
  out.plainOverPackedCpu = round(plain.cpuSeconds / packed.cpuSeconds)
  out.sameDistinct = plain.distinct === packed.distinct && (!("distinct" in t) || t.distinct === plain.distinct)
  if ("seconds" in t) {
    out.tlcOverPlain = round(t.seconds / plain.seconds)
    out.tlcOverPlainCpu = round(t.cpuSeconds / plain.cpuSeconds)
  }
  // The plain spec's own successor generation against the whole packed search: past 2, no checker can bring the plain search within 2x.
  const own = JSON.parse(execFileSync(process.execPath, ["--import", "tsx", self, "--spec-only", "plain", String(rm)], { encoding: "utf8" })) as ReturnType<typeof specOnly>
  const { specAndFingerprintCpuSeconds, ...generation } = own
  out.plainSpecOnly = { ...generation, overPackedSearchCpu: round(own.specCpuSeconds / packed.cpuSeconds), shareOfPlainSearchCpu: round(own.specCpuSeconds / plain.cpuSeconds) }
  // Where the plain search's CPU goes, in seconds (each part measured alone, so they need not add up exactly).
  const fingerprint = round(specAndFingerprintCpuSeconds - own.specCpuSeconds)
  out.plainBreakdown = { spec: own.specCpuSeconds, fingerprint, rest: round(plain.cpuSeconds - specAndFingerprintCpuSeconds), fingerprintNsPerSuccessor: Math.round((fingerprint / own.successors) * 1e9) }
  out.loadAverageAfter = round(loadavg()[0]!)
  return out
}

if (process.argv[1] === self) {
  const i = process.argv.indexOf("--one")
  const j = process.argv.indexOf("--spec-only")
  if (i >= 0) console.log(JSON.stringify(runOne(process.argv[i + 1] as Spec, Number(process.argv[i + 2]))))
  else if (j >= 0) console.log(JSON.stringify(specOnly(process.argv[j + 1] as Spec, Number(process.argv[j + 2]))))
  else console.log(JSON.stringify(await benchPlainTwoPhase(Number(process.argv[2] ?? 7)), null, 1))
}
