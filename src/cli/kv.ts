/**
 * `tla-ts kv --cluster HOST:PORT,... [--timeout S] get KEY | put KEY VALUE | append KEY VALUE`
 * `tla-ts kv bench --cluster HOST:PORT,... --clients N --seconds S [--value-size B] [--keys K]
 *    [--workload put|get|mixed|append|jepsen] [--seed N] [--history-out FILE] [--json]`
 *
 * The client side of the runtime, with the protocol's exactly-once client (retries across leader
 * changes). Exit codes: 0 done, 1 key not found or no answer in time, 2 bad arguments or no node
 * reachable.
 */
import { writeFileSync } from "node:fs"
import { formatJsonHistory } from "../linearizability/parse-json.ts"
import { ClusterClient, ClusterError, OperationTimeout } from "../runtime/client.ts"
import { toCommand, toOutput } from "../runtime/kv-ops.ts"
import { preload, runLoad, type Workload, WORKLOADS } from "../runtime/load.ts"
import { clusterFlag } from "../runtime/options.ts"
import { AddressError } from "../runtime/transport.ts"
import { intFlag, numberFlag, parse, UsageError } from "./usage.ts"

export const KV_USAGE =
  "tla-ts kv --cluster HOST:PORT,... [--timeout S] get KEY | put KEY VALUE | append KEY VALUE, or tla-ts kv bench --cluster HOST:PORT,... --clients N --seconds S [--value-size B] [--keys K] [--workload put|get|mixed|append|jepsen] [--seed N] [--history-out FILE] [--json]"

const options = {
  cluster: { type: "string" },
  timeout: { type: "string" },
  clients: { type: "string" },
  seconds: { type: "string" },
  "value-size": { type: "string" },
  keys: { type: "string" },
  workload: { type: "string" },
  seed: { type: "string" },
  "history-out": { type: "string" },
  json: { type: "boolean" },
} as const

const connect = async (cluster: string | undefined, timeoutMs: number, seed?: number) => {
  try {
    return await ClusterClient.connect(clusterFlag(cluster), { connectTimeout: timeoutMs, ...(seed !== undefined ? { seed } : {}) })
  } catch (e) {
    if (e instanceof AddressError || e instanceof ClusterError) throw new UsageError(e.message)
    throw e
  }
}

export const runKv = async (args: string[]): Promise<number> => {
  const { values, positionals } = parse({ args, options, allowPositionals: true })
  const [verb, ...rest] = positionals
  const timeout = numberFlag("timeout", values.timeout) ?? 10
  if (!(timeout > 0 && timeout <= 3600)) throw new UsageError(`--timeout must be in (0, 3600] seconds, got ${values.timeout}`)
  if (verb === "bench") return bench(values, rest, timeout)
  const arity: Record<string, number> = { get: 1, put: 2, append: 2 }
  if (verb === undefined || !(verb in arity)) throw new UsageError(`expected get, put, append or bench (${KV_USAGE})`)
  if (rest.length !== arity[verb]) throw new UsageError(`${verb} takes ${arity[verb] === 1 ? "KEY" : "KEY VALUE"}, got ${rest.length} argument(s)`)
  for (const flag of ["clients", "seconds", "value-size", "keys", "workload", "history-out", "json"] as const)
    if (values[flag] !== undefined) throw new UsageError(`--${flag} is for kv bench`)
  const input = verb === "get" ? { op: "get" as const, key: rest[0]! } : { op: verb as "put" | "append", key: rest[0]!, value: rest[1]! }
  const client = await connect(values.cluster, timeout * 1000)
  try {
    const result = await client.session().execute(toCommand(input), timeout * 1000)
    const out = toOutput(input, result)
    if (out === undefined) throw new Error(`${verb} answered with ${result._tag}`)
    if (input.op === "put") console.log("OK")
    else if (out.value === null) {
      console.error(`tla-ts: key "${input.key}" not found`)
      return 1
    } else console.log(out.value)
    return 0
  } catch (e) {
    if (!(e instanceof OperationTimeout)) throw e
    console.error(`tla-ts: ${verb} ${input.key}: ${e.message} (is a majority of the nodes up?)`)
    return 1
  } finally {
    client.close()
  }
}

const bench = async (values: ReturnType<typeof parse<{ args: string[]; options: typeof options }>>["values"], rest: string[], timeout: number): Promise<number> => {
  if (rest.length) throw new UsageError(`kv bench takes no positional arguments, got "${rest[0]}"`)
  const clients = intFlag("clients", values.clients) ?? 1
  const seconds = numberFlag("seconds", values.seconds) ?? 5
  const valueSize = intFlag("value-size", values["value-size"]) ?? 128
  const keys = intFlag("keys", values.keys) ?? 1000
  const workload = (values.workload ?? "put") as Workload
  const seed = intFlag("seed", values.seed) ?? Date.now() % 2 ** 31
  if (!(clients >= 1 && clients <= 1024)) throw new UsageError(`--clients must be in 1..1024, got ${clients}`)
  if (!(seconds > 0 && seconds <= 600)) throw new UsageError(`--seconds must be in (0, 600], got ${seconds}`)
  if (!(valueSize <= 1 << 20)) throw new UsageError(`--value-size must be at most 1048576, got ${valueSize}`)
  if (!(keys >= 1 && keys <= 1_000_000)) throw new UsageError(`--keys must be in 1..1000000, got ${keys}`)
  if (!WORKLOADS.includes(workload)) throw new UsageError(`--workload must be one of ${WORKLOADS.join(", ")}, got "${workload}"`)
  const client = await connect(values.cluster, Math.min(timeout, 5) * 1000, seed)
  try {
    if (workload === "get") await preload(client, keys, valueSize, timeout * 1000)
    const history = values["history-out"] !== undefined
    const r = await runLoad(client, { clients, seconds, valueSize, keys, workload, seed, opTimeoutMs: timeout * 1000, history })
    if (values["history-out"]) writeFileSync(values["history-out"], formatJsonHistory("kv", r.history!))
    const { history: _h, fresh: _f, ...report } = r
    const summary = { protocol: client.service.name, workload, clients, valueSize, keys, seed, ...report }
    if (values.json) console.log(JSON.stringify(summary))
    else
      console.log(
        `${summary.protocol} ${workload}: ${r.ops} ops in ${r.seconds} s = ${r.throughput}/s, p50 ${r.p50ms} ms, p99 ${r.p99ms} ms, errors ${r.errors} (seed ${seed})`
      )
    return 0
  } catch (e) {
    if (e instanceof OperationTimeout) {
      console.error(`tla-ts: kv bench: ${e.message}`)
      return 1
    }
    throw e
  } finally {
    client.close()
  }
}
