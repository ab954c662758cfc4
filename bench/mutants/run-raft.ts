/**
 * The mutant catalogues (Raft, primary-backup, cross-shard transactions, exactly-once client/server,
 * ping-pong) against the named tests. Each mutant is applied to a
 * copy of the tree in /tmp; a worker (hunt-worker.ts) runs the protocol's named tests there with one
 * seed, each under a time limit, and the unmutated protocol must pass them all. A mutant is caught by a
 * test whose verdict is not the one it expects (a violation, a goal not reached, an exception).
 *
 *   node --import tsx bench/mutants/run-raft.ts [--protocol raft|primarybackup|shardkv|shardtxn|shardmaster|clientserver|pingpong] [--only m1,m2]
 *     [--tests t1,t2] [--all] [--seed N] [--timeout SECONDS] [--from DIR] [--out FILE]
 *
 * Without --all the tests of a mutant stop at the first that catches it with a trace (targeted searches are tried first; a catch without a trace, such as a staged search that cannot reach its stage, goes on to look for one). Prints (or writes) the JSON:
 * per protocol, the unmutated run and each mutant's catching test, property, trace length and seconds.
 */
import { spawn } from "node:child_process"
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { applyEdits, type FileMutant, type Mutant as EditsMutant } from "./mutant.ts"
import { RAFT_MUTANTS } from "./raft/catalogue.ts"
import { PRIMARYBACKUP_MUTANTS } from "./primarybackup/catalogue.ts"
import { SHARDKV_MUTANTS } from "./shardkv/catalogue.ts"
import { SHARDTXN_MUTANTS } from "./shardtxn/catalogue.ts"
import { SHARDMASTER_MUTANTS } from "./shardmaster/catalogue.ts"
import { CLIENTSERVER_MUTANTS, PINGPONG_MUTANTS } from "./clientserver/catalogue.ts"

/** A catalogue entry: one edit of one file (FileMutant) or several edits (Mutant). */
type Mutant = FileMutant | EditsMutant
const editsOf = (m: Mutant) => ("edits" in m ? m.edits : [m])

const ROOT = new URL("../../", import.meta.url).pathname
const CATALOGUES: Record<string, ReadonlyArray<Mutant>> = {
  raft: RAFT_MUTANTS,
  primarybackup: PRIMARYBACKUP_MUTANTS,
  shardkv: SHARDKV_MUTANTS,
  shardtxn: SHARDTXN_MUTANTS,
  shardmaster: SHARDMASTER_MUTANTS,
  clientserver: CLIENTSERVER_MUTANTS,
  pingpong: PINGPONG_MUTANTS,
}
/** Models whose tests a protocol's catalogue also runs, as "model:test" (the sharded store runs on the shard master). */
const ALSO: Record<string, ReadonlyArray<string>> = { shardkv: ["shardmaster"] }

interface TestLine {
  readonly test: string
  readonly verdict: string
  readonly expect?: string
  readonly property?: string
  readonly trace?: number
  readonly seconds: number
  readonly detail?: string
}

const args = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const list = (name: string) => flag(name)?.split(",").filter((x) => x !== "")
const protocols = list("--protocol") ?? Object.keys(CATALOGUES)
const only = list("--only")
const seed = Number(flag("--seed") ?? "1")
const timeout = Number(flag("--timeout") ?? "120")
const all = args.includes("--all")

/** The tree as it was when the run started (sources and this folder), so that edits made meanwhile do not leak in. */
const PRISTINE = mkdtempSync(join(tmpdir(), "tla-pristine-"))
/** `--from DIR`: the protocol sources of another checkout (an earlier commit, to measure "before"); this folder still from here. */
const FROM = flag("--from") ?? ROOT
for (const d of ["src", "spec", "proofs"]) cpSync(join(FROM, d), join(PRISTINE, d), { recursive: true })
cpSync(join(ROOT, "bench/mutants"), join(PRISTINE, "bench/mutants"), { recursive: true })
for (const f of ["package.json", "tsconfig.json"]) cpSync(join(FROM, f), join(PRISTINE, f))
symlinkSync(join(ROOT, "node_modules"), join(PRISTINE, "node_modules"))

/** A copy of the pristine tree (node_modules linked) with `mutant` applied. */
const mutatedTree = (mutant: Mutant | undefined): string => {
  const dir = mkdtempSync(join(tmpdir(), "tla-mutant-"))
  cpSync(PRISTINE, dir, { recursive: true, filter: (src) => src !== join(PRISTINE, "node_modules") })
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"))
  if (mutant) {
    let files: Map<string, string>
    try {
      files = applyEdits(editsOf(mutant), (f) => readFileSync(join(dir, f), "utf8"))
    } catch (e) {
      throw new Error(`mutant ${mutant.name}: ${(e as Error).message}`)
    }
    for (const [file, text] of files) writeFileSync(join(dir, file), text)
  }
  return dir
}

/** Runs `tests` in the worker of tree `dir`, restarting it after a test that overran the time limit. */
const runTests = async (dir: string, model: string, tests: ReadonlyArray<string>, first: boolean): Promise<TestLine[]> => {
  const out: TestLine[] = []
  let rest = [...tests]
  while (rest.length > 0) {
    const child = spawn(process.execPath, ["--import", "tsx", join(dir, "bench/mutants/hunt-worker.ts"), model, String(seed), rest.join(","), first ? "first" : "all"], {
      cwd: dir,
      stdio: ["ignore", "pipe", "inherit"],
    })
    let current: string | undefined
    let timer: NodeJS.Timeout | undefined
    let overran = false
    const lines = createInterface({ input: child.stdout })
    lines.on("line", (text) => {
      if (!text.startsWith("{")) return
      const msg = JSON.parse(text) as { start?: string } & TestLine
      clearTimeout(timer)
      if (msg.start !== undefined) {
        current = msg.start
        timer = setTimeout(() => {
          overran = true
          child.kill("SIGKILL")
        }, timeout * 1000)
      } else {
        out.push(msg)
        rest = rest.filter((t) => t !== msg.test)
        current = undefined
      }
    })
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve))
    clearTimeout(timer)
    if (current !== undefined) {
      out.push({ test: current, verdict: overran ? "timeout" : `exit ${code}`, seconds: overran ? timeout : 0 })
      rest = rest.filter((t) => t !== current)
      if (first && !overran && out.some((l) => caught(l) && l.trace !== undefined)) break
    } else break
    if (first && out.some((l) => caught(l) && l.trace !== undefined)) break
  }
  return out
}

/**
 * The named tests of `protocol` in the pristine tree (and of the models in ALSO, as "model:test"): the
 * targeted searches first (staged-*, primary-backup's stale-*, exhaustive-*, groups-*, search-*, app-*,
 * and shardtxn's walks-*, phases-*: short traces), then the hunts (hunt-*), then the rest.
 */
const testNames = async (protocol: string): Promise<string[]> => {
  const of = async (name: string) => {
    const file = join(PRISTINE, `src/protocols/${name}/model.ts`)
    const mod = (await import(file)) as Record<string, { tests?: Record<string, unknown> }>
    const model = Object.values(mod).find((v) => typeof v === "object" && v !== null && "tests" in v && "params" in v)
    if (!model?.tests) throw new Error(`no model in ${file}`)
    return Object.keys(model.tests)
  }
  const names = [...(await of(protocol)), ...(await Promise.all((ALSO[protocol] ?? []).map(async (m) => (await of(m)).map((t) => `${m}:${t}`)))).flat()]
  const rank = (n: string) => (/^(\w+:)?(staged|stale|exhaustive|groups|search|app|walks|phases)-/.test(n) ? 0 : n.startsWith("hunt-") ? 1 : 2)
  return [...names].sort((a, b) => rank(a) - rank(b))
}

const caught = (l: TestLine) => l.verdict !== "timeout" && l.verdict !== l.expect

const main = async () => {
  const report: Record<string, unknown> = { command: `node --import tsx bench/mutants/run-raft.ts ${args.join(" ")}`, seed, timeoutSeconds: timeout }
  for (const protocol of protocols) {
    const catalogue = CATALOGUES[protocol]
    if (!catalogue) throw new Error(`no mutant catalogue for ${protocol}`)
    const tests = list("--tests") ?? (await testNames(protocol))
    const started = performance.now()
    const base = mutatedTree(undefined)
    const unmutated = await runTests(base, protocol, tests, false)
    rmSync(base, { recursive: true, force: true })
    const failing = unmutated.filter((l) => l.verdict !== l.expect)
    console.error(`${protocol} unmutated: ${failing.length === 0 ? "every test passes" : `FAILS ${failing.map((l) => `${l.test}=${l.verdict}`).join(", ")}`}`)
    const mutants: Record<string, unknown> = {}
    for (const m of catalogue.filter((m) => !only || only.includes(m.name))) {
      const dir = mutatedTree(m)
      const t0 = performance.now()
      const lines = await runTests(dir, protocol, tests, !all)
      rmSync(dir, { recursive: true, force: true })
      const hits = lines.filter(caught)
      const best = hits.reduce<TestLine | undefined>((a, l) => (a === undefined || (l.trace ?? Infinity) < (a.trace ?? Infinity) ? l : a), undefined)
      mutants[m.name] = {
        caught: hits.length > 0,
        ...(m.equivalent ? { equivalent: m.equivalent } : {}),
        ...(best ? { by: best.test, verdict: best.verdict, property: best.property ?? best.detail, trace: best.trace, testSeconds: best.seconds } : {}),
        ...(all ? { caughtBy: hits.map((l) => l.test) } : {}),
        seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
      }
      if (flag("--out")) writeFileSync(flag("--out")!, JSON.stringify({ ...report, [protocol]: { partial: true, mutants } }, null, 1) + "\n")
      console.error(`${protocol} ${m.name}: ${best ? `caught by ${best.test} (${best.verdict} ${best.property ?? best.detail ?? ""}, trace ${best.trace ?? "-"})` : "NOT caught"}`)
    }
    const rows = Object.values(mutants) as Array<{ caught: boolean; trace?: number; equivalent?: string }>
    report[protocol] = {
      unmutatedPasses: failing.length === 0,
      ...(failing.length ? { unmutatedFailures: failing } : {}),
      unmutatedSeconds: Object.fromEntries(unmutated.map((l) => [l.test, l.seconds])),
      caught: `${rows.filter((r) => r.caught).length}/${rows.length}`,
      equivalent: rows.filter((r) => r.equivalent !== undefined).length,
      medianTrace: median(rows.flatMap((r) => (r.caught && r.trace !== undefined ? [r.trace] : []))),
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      mutants,
    }
  }
  rmSync(PRISTINE, { recursive: true, force: true })
  const text = JSON.stringify(report, null, 1)
  const file = flag("--out")
  if (file) writeFileSync(file, text + "\n")
  else console.log(text)
}

const median = (xs: number[]) => (xs.length ? xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] : null)

await main()
