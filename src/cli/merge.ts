/**
 * `tla-ts merge FILE...`: one verdict from the JSON results of the shards of a split search (each
 * file holds the output of `tla-ts check ... --shard I/N --json`). The shards must be of one search
 * (model, test, parameters, strategy, seed) and complete it: every shard 1..N exactly once.
 */
import { readFileSync } from "node:fs"
import { parse, UsageError } from "./usage.ts"

interface ShardResult {
  readonly model: string
  readonly test?: string
  readonly params: Record<string, string>
  readonly strategy: string
  readonly seed: number
  readonly shard: string
  readonly result: string
  readonly property?: string
  readonly detail?: string
  readonly distinct: number
  readonly generated: number
  readonly seconds: number
  readonly traceFile?: string
  readonly traceLength?: number
  readonly expected?: string
}

const readShard = (file: string): ShardResult => {
  let text: string
  try {
    text = readFileSync(file, "utf8")
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  }
  const last = text.trim().split("\n").at(-1) ?? ""
  let r: Partial<ShardResult>
  try {
    r = JSON.parse(last)
  } catch {
    throw new UsageError(`${file}: the last line is not the JSON of tla-ts check --json`)
  }
  for (const k of ["model", "strategy", "shard", "result"] as const) if (typeof r[k] !== "string") throw new UsageError(`${file}: no "${k}" (not a sharded tla-ts check --json result)`)
  for (const k of ["seed", "distinct", "generated", "seconds"] as const) if (typeof r[k] !== "number") throw new UsageError(`${file}: "${k}" must be a number`)
  return r as ShardResult
}

/** Worst first: the merged verdict is the first of these any shard gave. */
const ORDER = ["violation", "goal-found", "budget-exhausted", "ok", "goal-not-found"]

export const mergeShards = (files: ReadonlyArray<string>) => {
  const shards = files.map((f) => ({ file: f, r: readShard(f) }))
  const first = shards[0]!.r
  const key = (r: ShardResult) => JSON.stringify([r.model, r.test ?? null, r.params, r.strategy, r.seed])
  for (const { file, r } of shards)
    if (key(r) !== key(first)) throw new UsageError(`${file} is a shard of another search (${key(r)}, not ${key(first)})`)
  const count = Number(first.shard.split("/")[1])
  const seen = new Map<number, string>()
  for (const { file, r } of shards) {
    const [i, n] = r.shard.split("/").map(Number) as [number, number]
    if (n !== count) throw new UsageError(`${file} is shard ${r.shard}, but ${shards[0]!.file} is of ${count} shards`)
    if (seen.has(i)) throw new UsageError(`shard ${i}/${n} given twice (${seen.get(i)} and ${file})`)
    seen.set(i, file)
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i))
  if (missing.length) throw new UsageError(`missing shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${count}`).join(", ")}`)
  const byShard = [...shards].sort((a, b) => Number(a.r.shard.split("/")[0]) - Number(b.r.shard.split("/")[0]))
  const result = ORDER.find((v) => byShard.some((s) => s.r.result === v)) ?? first.result
  const deciding = byShard.find((s) => s.r.result === result)!.r
  return {
    model: first.model,
    ...(first.test ? { test: first.test } : {}),
    params: first.params,
    strategy: first.strategy,
    seed: first.seed,
    shards: count,
    result,
    ...(deciding.property ? { property: deciding.property } : {}),
    ...(deciding.detail ? { detail: deciding.detail } : {}),
    ...(deciding.traceFile ? { traceFile: deciding.traceFile, traceLength: deciding.traceLength, fromShard: deciding.shard } : {}),
    generated: byShard.reduce((a, s) => a + s.r.generated, 0),
    /** Distinct states summed over shards (states two shards both saw count twice). */
    distinctSum: byShard.reduce((a, s) => a + s.r.distinct, 0),
    seconds: Number(byShard.reduce((a, s) => a + s.r.seconds, 0).toFixed(3)),
    ...(first.expected ? { expected: first.expected, asExpected: first.expected === result } : {}),
    perShard: byShard.map((s) => ({ shard: s.r.shard, result: s.r.result, generated: s.r.generated, seconds: s.r.seconds })),
  }
}

export const runMerge = async (args: string[]): Promise<number> => {
  const { values, positionals } = parse({ args, allowPositionals: true, options: { json: { type: "boolean" } } })
  if (positionals.length === 0) throw new UsageError("merge takes the shards' result files: tla-ts merge FILE... [--json]")
  const m = mergeShards(positionals)
  if (values.json) console.log(JSON.stringify(m))
  else {
    console.log(`${m.model}${m.test ? ` --test ${m.test}` : ""}: ${m.shards} shards of strategy ${m.strategy}, seed ${m.seed}`)
    console.log(`${m.result}${m.property ? ` of ${m.property}` : ""}${m.fromShard ? ` (shard ${m.fromShard}, trace ${m.traceFile}, ${m.traceLength} steps)` : ""}`)
    console.log(`${m.generated.toLocaleString("en")} steps in all, ${m.seconds} s of shard time`)
    if (m.expected) console.log(`expected ${m.expected}: ${m.asExpected ? "as expected" : "NOT AS EXPECTED"}`)
  }
  return m.result === "violation" || m.result === "goal-not-found" ? 1 : 0
}
