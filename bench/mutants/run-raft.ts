/**
 * The mutant catalogues (Raft, primary-backup, cross-shard transactions, exactly-once client/server,
 * ping-pong) against the named tests. Each mutant is applied to a
 * copy of the tree in /tmp; a worker (hunt-worker.ts) runs the protocol's named tests there with one
 * seed, each under a time limit, and the unmutated protocol must pass them all. A mutant is caught by a
 * test whose verdict is not the one it expects (a violation, a goal not reached, an exception).
 *
 *   node --import tsx bench/mutants/run-raft.ts [--protocol raft|primarybackup|shardkv|shardtxn|shardmaster|clientserver|pingpong] [--only m1,m2]
 *     [--tests t1,t2] [--all] [--seed N | --seeds N1,N2,...] [--timeout SECONDS] [--from DIR] [--out FILE] [--skip-unmutated]
 *
 * `--skip-unmutated` leaves out the run of the unmutated protocol (its whole suite under every seed: for
 * the sharded store, longer than the mutants' runs); the report says "not run" instead of a verdict.
 *
 * `--seeds` runs every mutant under each seed (the suite catches it under a seed when any of its tests
 * does) and reports per mutant the seeds that catch it and the catch rate. A test whose verdict cannot
 * depend on the seed (a bfs or dfs search whose build ignores the seed: `seedFree`) runs once per
 * mutant, its line reused for every seed, and goes first. With one seed the run and its JSON are as `--seed N`'s.
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
const seeds = (list("--seeds") ?? [flag("--seed") ?? "1"]).map((s) => {
  const n = Number(s)
  if (!Number.isSafeInteger(n)) throw new Error(`bad seed ${JSON.stringify(s)}`)
  return n
})
const timeout = Number(flag("--timeout") ?? "120")
const all = args.includes("--all")
const skipUnmutated = args.includes("--skip-unmutated")

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
const runTests = async (dir: string, model: string, tests: ReadonlyArray<string>, first: boolean, seed: number): Promise<TestLine[]> => {
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

interface NamedTests {
  /** In the order they are tried. */
  readonly names: string[]
  /** Those whose verdict does not depend on the run's seed. */
  readonly seedFree: ReadonlySet<string>
}

/**
 * A test is seed-free when it searches by bfs or dfs and its build ignores the seed (takes fewer than
 * two parameters): nothing else in a run reads the seed. Staged searches whose first stage is a seeded
 * simulation take the seed in their build, so they count as seeded.
 */
const isSeedFree = (t: { build: (...a: never[]) => unknown; options?: { strategy?: string } }) =>
  ["bfs", "dfs"].includes(t.options?.strategy ?? "bfs") && t.build.length < 2

/**
 * The named tests of `protocol` in the pristine tree (and of the models in ALSO, as "model:test"): the
 * targeted searches first (staged-*, primary-backup's stale-*, exhaustive-*, groups-*, search-*, app-*,
 * and shardtxn's walks-*, phases-*: short traces), then the hunts (hunt-*), then the rest.
 */
const testNames = async (protocol: string): Promise<NamedTests> => {
  const seedFree = new Set<string>()
  const of = async (name: string, prefix: string) => {
    const file = join(PRISTINE, `src/protocols/${name}/model.ts`)
    type Tests = Record<string, Parameters<typeof isSeedFree>[0]>
    const mod = (await import(file)) as Record<string, { tests?: Tests }>
    const model = Object.values(mod).find((v) => typeof v === "object" && v !== null && "tests" in v && "params" in v)
    if (!model?.tests) throw new Error(`no model in ${file}`)
    for (const [t, def] of Object.entries(model.tests)) if (isSeedFree(def)) seedFree.add(prefix + t)
    return Object.keys(model.tests).map((t) => prefix + t)
  }
  const names = [...(await of(protocol, "")), ...(await Promise.all((ALSO[protocol] ?? []).map((m) => of(m, `${m}:`)))).flat()]
  const rank = (n: string) => (/^(\w+:)?(staged|stale|exhaustive|groups|search|app|walks|phases)-/.test(n) ? 0 : n.startsWith("hunt-") ? 1 : 2)
  return { names: [...names].sort((a, b) => rank(a) - rank(b)), seedFree }
}

const caught = (l: TestLine) => l.verdict !== "timeout" && l.verdict !== l.expect

/**
 * Runs `tests` in tree `dir` under every seed of the run. A seed-free test runs under the first seed
 * only and its line stands for the others; in `first` mode a seed whose reused lines already hold a
 * catch with a trace runs nothing.
 */
const runSeeds = async (dir: string, model: string, tests: ReadonlyArray<string>, first: boolean, seedFree: ReadonlySet<string>) => {
  const reusable = new Map<string, TestLine>()
  const bySeed = new Map<number, TestLine[]>()
  for (const seed of seeds) {
    const reused = tests.flatMap((t) => reusable.get(t) ?? [])
    const done = first && reused.some((l) => caught(l) && l.trace !== undefined)
    const fresh = done ? [] : await runTests(dir, model, tests.filter((t) => !reusable.has(t)), first, seed)
    for (const l of fresh) if (seedFree.has(l.test)) reusable.set(l.test, l)
    bySeed.set(seed, [...reused, ...fresh])
  }
  return bySeed
}

/** What a mutant's run under one seed found: the catching test with the shortest trace. */
const verdictOf = (lines: ReadonlyArray<TestLine>) => {
  const hits = lines.filter(caught)
  const best = hits.reduce<TestLine | undefined>((a, l) => (a === undefined || (l.trace ?? Infinity) < (a.trace ?? Infinity) ? l : a), undefined)
  return {
    caught: hits.length > 0,
    ...(best ? { by: best.test, verdict: best.verdict, property: best.property ?? best.detail, trace: best.trace, testSeconds: best.seconds } : {}),
    ...(all ? { caughtBy: hits.map((l) => l.test) } : {}),
  }
}
const describe = (v: ReturnType<typeof verdictOf>) =>
  v.caught ? `caught by ${v.by} (${v.verdict} ${v.property ?? ""}, trace ${v.trace ?? "-"})` : "NOT caught"

const main = async () => {
  const report: Record<string, unknown> = {
    command: `node --import tsx bench/mutants/run-raft.ts ${args.join(" ")}`,
    ...(seeds.length === 1 ? { seed: seeds[0] } : { seeds }),
    timeoutSeconds: timeout,
  }
  for (const protocol of protocols) {
    const catalogue = CATALOGUES[protocol]
    if (!catalogue) throw new Error(`no mutant catalogue for ${protocol}`)
    const named = await testNames(protocol)
    const given = list("--tests") ?? named.names
    // Under several seeds the seed-free tests go first: a mutant one of them catches is caught under every seed in one run.
    const tests = seeds.length > 1 ? [...given.filter((t) => named.seedFree.has(t)), ...given.filter((t) => !named.seedFree.has(t))] : given
    const started = performance.now()
    // --skip-unmutated: the unmutated run (every test, every seed) is left out and reported as not measured.
    const base = skipUnmutated ? undefined : mutatedTree(undefined)
    const unmutatedBySeed = base ? await runSeeds(base, protocol, tests, false, named.seedFree) : new Map(seeds.map((s) => [s, [] as TestLine[]]))
    if (base) rmSync(base, { recursive: true, force: true })
    const unmutated = unmutatedBySeed.get(seeds[0]!)!
    const failing = [...unmutatedBySeed].flatMap(([s, lines]) => lines.filter((l) => l.verdict !== l.expect).map((l) => (seeds.length > 1 ? { ...l, seed: s } : l)))
    if (skipUnmutated) console.error(`${protocol} unmutated: not run (--skip-unmutated)`)
    else console.error(`${protocol} unmutated: ${failing.length === 0 ? "every test passes" : `FAILS ${failing.map((l) => `${l.test}=${l.verdict}`).join(", ")}`}`)
    const mutants: Record<string, unknown> = {}
    for (const m of catalogue.filter((m) => !only || only.includes(m.name))) {
      const dir = mutatedTree(m)
      const t0 = performance.now()
      const bySeed = await runSeeds(dir, protocol, tests, !all, named.seedFree)
      rmSync(dir, { recursive: true, force: true })
      const perSeed = new Map([...bySeed].map(([s, lines]) => [s, verdictOf(lines)]))
      const seconds = Number(((performance.now() - t0) / 1000).toFixed(1))
      const equivalent = m.equivalent ? { equivalent: m.equivalent } : {}
      if (seeds.length === 1) {
        const v = perSeed.get(seeds[0]!)!
        const { caught: isCaught, ...found } = v
        mutants[m.name] = { caught: isCaught, ...equivalent, ...found, seconds }
        console.error(`${protocol} ${m.name}: ${describe(v)}`)
      } else {
        const seedsCaught = seeds.filter((s) => perSeed.get(s)!.caught)
        mutants[m.name] = {
          caught: seedsCaught.length > 0,
          ...equivalent,
          catchRate: `${seedsCaught.length}/${seeds.length}`,
          seedsMissed: seeds.filter((s) => !perSeed.get(s)!.caught),
          perSeed: Object.fromEntries([...perSeed].map(([s, v]) => [s, v.by !== undefined && named.seedFree.has(v.by) ? { ...v, seedFree: true } : v])),
          seconds,
        }
        console.error(`${protocol} ${m.name}: ${seedsCaught.length}/${seeds.length} seeds; ${seeds.map((s) => `${s}: ${describe(perSeed.get(s)!)}`).join("; ")}`)
      }
      if (flag("--out")) writeFileSync(flag("--out")!, JSON.stringify({ ...report, [protocol]: { partial: true, mutants } }, null, 1) + "\n")
    }
    const rows = Object.values(mutants) as Array<{ caught: boolean; trace?: number; equivalent?: string; catchRate?: string }>
    const everySeed = rows.filter((r) => r.catchRate === undefined || r.catchRate.split("/")[0] === String(seeds.length))
    report[protocol] = {
      unmutatedPasses: skipUnmutated ? "not run" : failing.length === 0,
      ...(failing.length ? { unmutatedFailures: failing } : {}),
      unmutatedSeconds: Object.fromEntries(unmutated.map((l) => [l.test, l.seconds])),
      caught: `${rows.filter((r) => r.caught).length}/${rows.length}`,
      ...(seeds.length > 1 ? { caughtUnderEverySeed: `${everySeed.filter((r) => r.caught).length}/${rows.length}` } : {}),
      equivalent: rows.filter((r) => r.equivalent !== undefined).length,
      ...(seeds.length === 1 ? { medianTrace: median(rows.flatMap((r) => (r.caught && r.trace !== undefined ? [r.trace] : []))) } : {}),
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
