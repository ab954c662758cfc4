/**
 * Linearizability checker speed on Porcupine's histories, beside Porcupine's own figures on this
 * kind of machine (check time only, parsing excluded, one thread): 103 etcd files 0.39 s (sum of
 * best), 6 kv files 0.31 s (sum of medians). Also a generated sequential history of 100,000 operations
 * (parse and check; it took about 30 s of search before the search's path copy was made incremental).
 *
 * Run alone: node --import tsx bench/lincheck.ts
 */
import { readFileSync } from "node:fs"
import { fileURLToPath, pathToFileURL } from "node:url"
import { checkHistory } from "../src/linearizability/check.ts"
import { loadHistory } from "../src/linearizability/formats.ts"
import { sequentialKvHistory } from "../src/linearizability/sequential.ts"

const DATA = fileURLToPath(new URL("../../shared/data/porcupine/", import.meta.url))
const ROUNDS = 7
const REFERENCE = { etcd: 0.39, kv: 0.31 }

const seconds = (f: () => void): number => {
  const start = performance.now()
  f()
  return (performance.now() - start) / 1000
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
const round = (x: number) => Math.round(x * 10_000) / 10_000

/** Parse and check time of a generated sequential history of `n` operations (best of three). */
const sequentialFigure = (n: number) => {
  const text = sequentialKvHistory(n)
  const runs = Array.from({ length: 3 }, () => {
    let loaded: ReturnType<typeof loadHistory> | undefined
    const parse = seconds(() => void (loaded = loadHistory(text)))
    let verdict = ""
    const check = seconds(() => void (verdict = checkHistory(loaded!.model, loaded!.history, { minimise: false }).verdict))
    if (verdict !== "linearizable") throw new Error(`sequential history of ${n}: ${verdict}`)
    return { parse, check }
  })
  return {
    operations: n,
    parseSeconds: round(Math.min(...runs.map((r) => r.parse))),
    checkSeconds: round(Math.min(...runs.map((r) => r.check))),
    targetSeconds: 5,
  }
}

export async function benchLincheck(): Promise<object> {
  const rows = readFileSync(DATA + "EXPECTED.tsv", "utf8").trim().split("\n").slice(1).map((l) => l.split("\t") as [string, "etcd" | "kv", string])
  const files = rows.map(([file, kind, expected]) => ({ file, kind, expected, ...loadHistory(readFileSync(DATA + file, "utf8"), kind) }))
  const check = (f: (typeof files)[number], minimise = false) => checkHistory(f.model, f.history, { minimise })

  // The first pass runs on a cold JIT; it also checks the verdicts.
  const cold = files.map((f) => {
    let verdict = ""
    const s = seconds(() => void (verdict = check(f).verdict))
    if (verdict !== f.expected) throw new Error(`${f.file}: ${verdict}, expected ${f.expected}`)
    return s
  })
  const times = files.map(() => [] as number[])
  for (let r = 0; r < ROUNDS; r++) files.forEach((f, i) => times[i]!.push(seconds(() => check(f))))

  const group = (kind: "etcd" | "kv") => {
    const idx = files.flatMap((f, i) => (f.kind === kind ? [i] : []))
    const sum = (g: (i: number) => number) => round(idx.reduce((s, i) => s + g(i), 0))
    return {
      files: idx.length,
      sumOfBestSeconds: sum((i) => Math.min(...times[i]!)),
      sumOfMediansSeconds: sum((i) => median(times[i]!)),
      coldPassSeconds: sum((i) => cold[i]!),
      porcupineSeconds: REFERENCE[kind],
    }
  }
  const bad = files.find((f) => f.file === "kv/c50-bad.txt")!
  const badIndex = files.indexOf(bad)
  return {
    node: process.version,
    rounds: ROUNDS,
    etcd: group("etcd"),
    kv: group("kv"),
    kvC50BadNotLinearizable: {
      coldSeconds: round(cold[badIndex]!),
      bestSeconds: round(Math.min(...times[badIndex]!)),
      withMinimisationSeconds: round(seconds(() => check(bad, true))),
      targetSeconds: 1,
    },
    sequential100k: sequentialFigure(100_000),
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchLincheck(), null, 2))
}
