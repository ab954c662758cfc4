/**
 * Protocol BFS throughput: distinct states per second (wall and CPU) on the exhaustive configurations
 * of clientserver, Paxos, Raft and primary-backup (whole spaces, or a state budget where the space is large).
 *
 * - `node --import tsx bench/protocols-bfs.ts [case...]`: this checkout. Arguments keep only the cases
 *   whose name contains one of them (`... bench/protocols-bfs.ts paxos/bounded`), or, given a case's
 *   whole name, that case alone; `--no-memo` runs every node step afresh (no step memo), for the
 *   memo's share. Cases labelled "steady-state" rerun a tiny case's test on a larger parameter, so
 *   that start-up and JIT warm-up do not decide the rate.
 * - `node --import tsx bench/protocols-bfs.ts --against DIR [--rounds N] [case...]`: this checkout
 *   against another one (a `git archive` of an older commit with its node_modules, e.g. ebd42f2 in
 *   /tmp/base10), side by side in one run: each case runs in a fresh process per side, the sides
 *   alternating for N rounds (default 2), and the best CPU figure of each side gives the ratio. Prints
 *   JSON with both figures and `ratio` (this / other) per case. The other checkout needs the same
 *   model paths; the modules are loaded from there by this script.
 *
 * Each fresh process runs under its checkout's V8 flags, as `tla-ts check` runs there: this checkout's
 * src/checker/assets/v8-flags.json (TLA_TS_V8_FLAGS=off: none), and the other checkout's own file, or
 * node's defaults where it has none (ebd42f2 has none: its users ran with V8's defaults). The search's
 * CPU counts every thread of the process (V8's compiler and GC helper threads too); the model's loading
 * and the system's build are outside it. bench/protocols-cold.ts splits a search's CPU between JIT, GC
 * and the search, cold and warm.
 */
import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { resolve } from "node:path"
import { fileURLToPath } from "node:url"
import type { CheckResult } from "../src/checker/result.ts"
import type { Model, Params } from "../src/checker/model.ts"
import type { TransitionSystem } from "../src/checker/transition-system.ts"
import { flagsInFile, v8Flags } from "../src/checker/v8-flags.ts"

export type Case = readonly [model: string, test: string, params: Params, maxStates: number | undefined, label?: string]

export const CASES: ReadonlyArray<Case> = [
  ["clientserver", "exhaustive-appends", { clients: "5" }, undefined],
  // The two small cases (a few thousand states, a fraction of a CPU second) mostly measure start-up
  // and JIT warm-up; the same tests on a larger parameter, labelled, give the steady-state rate.
  ["clientserver", "exhaustive-appends", { clients: "6" }, undefined, "steady-state, clients 6"],
  ["paxos", "exhaustive-stable-leader", { clients: "2" }, undefined],
  ["paxos", "exhaustive-stable-leader", { clients: "3" }, undefined, "steady-state, clients 3"],
  ["paxos", "bounded-two-clients", {}, 40_000],
  ["raft", "exhaustive-crash", { maxTerm: "1" }, undefined],
  ["raft", "exhaustive-replication", { maxTerm: "1" }, 40_000],
  ["primarybackup", "exhaustive-small", {}, undefined],
]

/** A case's name in the output and on the command line: model/test, and its label if any. */
export const caseKey = ([name, test, , , label]: Case): string => (label ? `${name}/${test} (${label})` : `${name}/${test}`)
const KEYS = new Set(CASES.map(caseKey))
/** Whether `only` (command-line arguments) keeps a case: an exact key keeps that case alone, other text every case containing it. */
export const kept = (only: ReadonlyArray<string>, key: string): boolean => only.length === 0 || only.some((o) => o === key || (!KEYS.has(o) && key.includes(o)))

export const HERE = resolve(fileURLToPath(import.meta.url), "../..")

const EXPORTS: Record<string, string> = {
  clientserver: "clientServerModel",
  paxos: "paxosModel",
  raft: "raftModel",
  primarybackup: "primaryBackupModel",
}

/** A case's system, built afresh in the checkout at `root`, and its BFS, to be run (and timed) by the caller. */
export async function prepareCase(c: Case, root = HERE, memo = true): Promise<{ system: TransitionSystem<unknown, unknown>; search: () => CheckResult<unknown, unknown> }> {
  const [name, test, params, maxStates] = c
  const { explore } = (await import(`${root}/src/checker/explore.ts`)) as typeof import("../src/checker/explore.ts")
  const model = (await import(`${root}/src/protocols/${name}/model.ts`))[EXPORTS[name]!] as Model
  const t = model.tests[test]!
  const p = Object.fromEntries(Object.entries(model.params).map(([k, s]) => [k, params[k] ?? s.default]))
  const system = t.build(p, 1)
  return { system, search: () => explore(system, { ...t.options, strategy: "bfs", ...(maxStates ? { maxStates } : {}), ...(memo ? {} : { memo: false }) }) }
}

/** CPU seconds (every thread of the process) that `f` takes, and its result. */
export const cpuTimed = <A>(f: () => A): { result: A; cpuSeconds: number } => {
  const cpu0 = process.cpuUsage()
  const result = f()
  const cpu = process.cpuUsage(cpu0)
  return { result, cpuSeconds: (cpu.user + cpu.system) / 1e6 }
}

/** Runs the cases in the checkout at `root` (this one by default), in this process. */
export async function benchProtocolsBfs(only: ReadonlyArray<string> = [], root = HERE, memo = true): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {}
  for (const c of CASES) {
    const key = caseKey(c)
    if (!kept(only, key)) continue
    const { system, search } = await prepareCase(c, root, memo)
    const { result: r, cpuSeconds } = cpuTimed(search)
    out[key] = {
      params: c[2],
      verdict: r.verdict,
      distinct: r.distinct,
      generated: r.generated,
      seconds: +r.seconds.toFixed(2),
      distinctStatesPerSecond: Math.round(r.distinct / r.seconds),
      // On a shared machine wall time mostly measures the neighbours: CPU time is the steadier figure.
      cpuSeconds: +cpuSeconds.toFixed(2),
      distinctStatesPerCpuSecond: Math.round(r.distinct / cpuSeconds),
      // The step memo's hit rate (checkouts that have one).
      ...(system.memo ? { memo: memoFigures(system.memo.stats()) } : {}),
    }
  }
  return out
}

const memoFigures = (m: { hits: number; misses: number; entries: number; clears: number; tableBytes: number }) => ({
  hitRate: +(m.hits / Math.max(1, m.hits + m.misses)).toFixed(3),
  hits: m.hits,
  misses: m.misses,
  entries: m.entries,
  clears: m.clears,
})

/**
 * The V8 flags `tla-ts check` runs under in the checkout at `root`: this checkout's (v8-flags.ts, so
 * TLA_TS_V8_FLAGS=off gives none), another's from its own v8-flags.json, none where it has none.
 */
export const checkoutV8Flags = (root: string): ReadonlyArray<string> => {
  if (resolve(root) === HERE) return v8Flags()
  const file = `${root}/src/checker/assets/v8-flags.json`
  return process.env.TLA_TS_V8_FLAGS !== "off" && existsSync(file) ? flagsInFile(file) : []
}

/** One case in a fresh process, from the checkout at `root`, under that checkout's V8 flags. */
const runApart = (root: string, name: string): Record<string, unknown> => {
  const text = execFileSync(process.execPath, [...checkoutV8Flags(root), "--import", "tsx", fileURLToPath(import.meta.url), "--root", root, name], { encoding: "utf8", maxBuffer: 1 << 24 })
  const r = JSON.parse(text) as Record<string, Record<string, unknown>>
  return r[name]!
}

/** This checkout against `other`, side by side (see the file header). */
export async function compareProtocolsBfs(other: string, rounds: number, only: ReadonlyArray<string>): Promise<object> {
  const out: Record<string, object> = {}
  for (const c of CASES) {
    const key = caseKey(c)
    if (!kept(only, key)) continue
    let mine: Record<string, unknown> | undefined
    let theirs: Record<string, unknown> | undefined
    const best = (a: Record<string, unknown> | undefined, b: Record<string, unknown>) =>
      a === undefined || (b.distinctStatesPerCpuSecond as number) > (a.distinctStatesPerCpuSecond as number) ? b : a
    for (let i = 0; i < rounds; i++) {
      // Alternate which side goes first, so neither always meets the same neighbours.
      if (i % 2 === 0) {
        mine = best(mine, runApart(HERE, key))
        theirs = best(theirs, runApart(other, key))
      } else {
        theirs = best(theirs, runApart(other, key))
        mine = best(mine, runApart(HERE, key))
      }
    }
    const m = mine!.distinctStatesPerCpuSecond as number
    const t = theirs!.distinctStatesPerCpuSecond as number
    out[key] = {
      distinct: mine!.distinct,
      otherDistinct: theirs!.distinct,
      distinctStatesPerCpuSecond: m,
      otherDistinctStatesPerCpuSecond: t,
      ratio: +(m / t).toFixed(2),
      ...(mine!.memo ? { memo: mine!.memo } : {}),
    }
  }
  return { other, rounds, flags: checkoutV8Flags(HERE), otherFlags: checkoutV8Flags(other), cases: out }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2)
  const flag = (f: string): string | undefined => {
    const i = args.indexOf(f)
    if (i < 0) return undefined
    const v = args[i + 1]
    if (v === undefined) {
      console.error(`protocols-bfs: ${f} needs a value`)
      process.exit(2)
    }
    args.splice(i, 2)
    return v
  }
  const noMemo = args.indexOf("--no-memo")
  if (noMemo >= 0) args.splice(noMemo, 1)
  const root = flag("--root")
  const against = flag("--against")
  const rounds = Number(flag("--rounds") ?? "2")
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error("protocols-bfs: --rounds takes a positive integer")
    process.exit(2)
  }
  const result = against !== undefined ? await compareProtocolsBfs(resolve(against), rounds, args) : await benchProtocolsBfs(args, root === undefined ? HERE : resolve(root), noMemo < 0)
  console.log(JSON.stringify(result, null, 1))
}
