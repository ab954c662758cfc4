/** Command-line errors: one line on stderr, exit code 2, never a stack trace. */
import { parseArgs, type ParseArgsConfig } from "node:util"

import { UsageError } from "../errors.ts"

export { UsageError }

export const EXIT_BAD_INPUT = 2

export const CHECK_USAGE =
  "tla-ts check <model> [--param k=v]... [--test NAME] [--strategy bfs|dfs|random|pbt|swarm|pct|coverage] [--max-states N] [--max-depth N] [--max-seconds S] [--samples N] [--seed N] [--workers N] [--memory MIB] [--checkpoint DIR] [--resume DIR] [--shard I/N] [--checks] [--symmetry] [--por] [--trace-out FILE] [--history-out FILE] [--quiet] [--json]"

/** Usage lines of the commands, here so that `tla-ts --help` loads none of them. */
export const VIEW_USAGE = "tla-ts view TRACE [--out FILE.html] [--open]"
export const EXPLORE_USAGE = "tla-ts explore MODEL [--test NAME] [--param k=v]... [--seed N] [--port P] [--open]"
export const NODE_USAGE = "tla-ts node --protocol paxos|raft --id ID --peers ID=HOST:PORT,... --data DIR [--client-port P] [--max-clients N] [--seed N] [--time-unit MS] [--no-overlap] [--trace-out FILE [--test NAME] [--param K=V]]"
export const CLUSTER_USAGE = "tla-ts cluster --protocol paxos|raft --nodes N --data DIR [--base-port P] [--time-unit MS] [--trace-dir DIR [--test NAME] [--param K=V]]"

export const TEST_USAGE =
  "tla-ts test [MODEL|FILE ...] [--test NAME] [--search | --no-search] [--strategy bfs|dfs|random|pbt|swarm|pct|coverage] [--seed N] [--workers N] [--junit FILE] [--trace-dir DIR] [--json]"

/**
 * A value-taking option followed by a negative number (`--seconds -1`, `-n -3`) takes it as its value,
 * so that the option's own range check names what is wrong: parseArgs would call the value
 * "ambiguous" (it looks like an option), which says nothing of the range.
 */
const negativeValuesJoined = (config: ParseArgsConfig): string[] | undefined => {
  if (config.args === undefined) return undefined
  const options = config.options ?? {}
  const takesValue = (a: string): boolean => {
    const long = /^--([^=]+)$/.exec(a)
    if (long) return options[long[1]!]?.type === "string"
    const short = /^-([^-])$/.exec(a)
    return short !== null && Object.values(options).some((o) => o.short === short[1] && o.type === "string")
  }
  const out: string[] = []
  for (let i = 0; i < config.args.length; i++) {
    const a = config.args[i]!
    const next = config.args[i + 1]
    if (next !== undefined && /^-\.?\d/.test(next) && takesValue(a)) {
      out.push(a.startsWith("--") ? `${a}=${next}` : a + next)
      i++
    } else out.push(a)
  }
  return out
}

/** node:util parseArgs with its errors turned into one-line usage errors. */
export const parse = <T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T & { strict: true }>> => {
  try {
    const args = negativeValuesJoined(config)
    return parseArgs({ ...config, ...(args ? { args } : {}), strict: true } as T & { strict: true })
  } catch (e) {
    const msg = (e as Error).message.split("\n")[0]!.replace(/\. To specify a positional argument.*$/, "")
    throw new UsageError(msg)
  }
}

/** Parses a non-negative integer flag. */
export const intFlag = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a non-negative whole number, got "${v}"`)
  const n = Number(v)
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${name} is too large: ${v}`)
  return n
}

export const numberFlag = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined
  const n = Number(v)
  if (v.trim() === "" || !Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a non-negative number, got "${v}"`)
  return n
}

/** `--param k=v` repeated, into an object. */
export const paramsFlag = (values: ReadonlyArray<string> | undefined): Record<string, string> => {
  // No prototype: "__proto__", "constructor" or "toString" are plain keys here, rejected by the model.
  const out: Record<string, string> = Object.create(null)
  for (const kv of values ?? []) {
    const m = /^([A-Za-z_][\w-]*)=(.*)$/.exec(kv)
    if (!m) throw new UsageError(`--param must look like key=value, got "${kv}"`)
    if (Object.hasOwn(out, m[1]!)) throw new UsageError(`--param ${m[1]} given twice`)
    out[m[1]!] = m[2]!
  }
  return out
}
