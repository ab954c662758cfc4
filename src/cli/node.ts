/**
 * `tla-ts node --protocol paxos|raft --id ID --peers ID=HOST:PORT,... --data DIR [--client-port P] [--seed N] [--time-unit MS] [--no-overlap]`
 *
 * Runs one server in the foreground; one log line per notable event; SIGTERM or Ctrl-C stops it
 * cleanly (pending writes flushed). --no-overlap: hold even the messages the protocol lets overlap the
 * step's own write (the leader's AppendEntries), to measure what the overlap buys. Fault injection for the tests: --disk-delay MS (each
 * log record reaches the file MS ms late, so a kill -9 loses it as a power cut would) and
 * --unsafe-no-wait (a planted bug: messages leave before what their step persisted is durable).
 * --max-clients N: client connections open at once, at most (128); one more is closed with a log line.
 * --lazy-ms MS: how long a lazy record (Paxos's re-learnable writes) waits for another write to carry it (10).
 * --timing FILE: mark each frame decoded, step, write and send, and the process's GC pauses and event-loop stalls, written to FILE on stop (bench/runtime-latency.ts).
 * --trace-out FILE [--test NAME] [--param K=V]: run the model configuration's server and record its steps. --time-unit: milliseconds per unit of the protocol's timers (1). Bad arguments, a busy port or a corrupt data directory: one line
 * on stderr, exit code 2.
 */
import { AddressError, parseEndpoint, showEndpoint } from "../runtime/transport.ts"
import { isValidId, peersFlag, serviceFlag } from "../runtime/options.ts"
import { RuntimeServer } from "../runtime/server.ts"
import { Timing } from "../runtime/timing.ts"
import { StorageError } from "../runtime/storage.ts"
import { appendFileSync, writeFileSync } from "node:fs"
import type { Params } from "../checker/model.ts"
import { ConformanceError, modelConfig } from "../runtime/conformance.ts"
import { recordOf } from "../runtime/trace-merge.ts"
import { loadModel } from "../registry/index.ts"
import { intFlag, numberFlag, paramsFlag, parse, UsageError, NODE_USAGE } from "./usage.ts"

/**
 * --trace-out FILE: the node runs server `id` of the protocol model's configuration (--test, --param)
 * instead of the service's, and appends each step it takes to FILE, one JSON line (see trace-merge.ts);
 * `tla-ts cluster --trace-dir` merges the files into one trace for `tla-ts replay`.
 */
const tracedNode = async (protocol: string, id: string, file: string, test: string | undefined, params: Params, seed: number) => {
  const c = modelConfig(await loadModel(protocol), test, params, seed)
  const server = c.servers.find((s) => s.address === id)
  if (!server) throw new UsageError(`--trace-out: ${id} is not a server of ${protocol}${test ? ` --test ${test}` : ""} (its servers: ${c.servers.map((s) => s.address).join(", ")})`)
  try {
    writeFileSync(file, "")
  } catch (e) {
    throw new UsageError(`--trace-out: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
  return {
    def: c.cluster.defs[server.i]!,
    record: (ev: Parameters<typeof recordOf>[0]) => {
      const r = recordOf(ev)
      if (r !== undefined) appendFileSync(file, `${JSON.stringify(r)}\n`)
    },
  }
}

export const runNode = async (args: string[]): Promise<number> => {
  const { values, positionals } = parse({
    args,
    options: { protocol: { type: "string" }, id: { type: "string" }, peers: { type: "string" }, data: { type: "string" }, "client-port": { type: "string" }, seed: { type: "string" }, "time-unit": { type: "string" }, "no-overlap": { type: "boolean" }, "disk-delay": { type: "string" }, "lazy-ms": { type: "string" }, "max-clients": { type: "string" }, "unsafe-no-wait": { type: "boolean" }, "trace-out": { type: "string" }, timing: { type: "string" }, test: { type: "string" }, param: { type: "string", multiple: true } },
    allowPositionals: true,
  })
  try {
    if (positionals.length) throw new UsageError(`node takes no positional arguments, got "${positionals[0]}" (${NODE_USAGE})`)
    const service = serviceFlag(values.protocol)
    const peers = peersFlag(values.peers)
    const id = values.id
    if (!id || !isValidId(id)) throw new UsageError(`--id is required and must be a valid id (${NODE_USAGE})`)
    const self = peers.get(id)
    if (!self) throw new UsageError(`--id ${id} is not among --peers (${[...peers.keys()].join(", ")})`)
    if (!values.data) throw new UsageError(`--data DIR is required (${NODE_USAGE})`)
    const clientPort = values["client-port"] === undefined ? undefined : parseEndpoint(`${self.host}:${values["client-port"]}`, "--client-port")
    if (clientPort && clientPort.port === self.port) throw new UsageError(`--client-port ${clientPort.port} is this node's peer port`)
    const seed = intFlag("seed", values.seed) ?? Date.now() % 2 ** 31
    const timeUnit = numberFlag("time-unit", values["time-unit"]) ?? 1
    if (!(timeUnit >= 0.1 && timeUnit <= 1000)) throw new UsageError(`--time-unit must be in 0.1..1000 ms, got ${values["time-unit"]}`)
    const diskDelayMs = numberFlag("disk-delay", values["disk-delay"]) ?? 0
    if (!(diskDelayMs >= 0 && diskDelayMs <= 10_000)) throw new UsageError(`--disk-delay must be in 0..10000 ms, got ${values["disk-delay"]}`)
    const lazyMs = numberFlag("lazy-ms", values["lazy-ms"])
    if (lazyMs !== undefined && !(lazyMs >= 0 && lazyMs <= 10_000)) throw new UsageError(`--lazy-ms must be in 0..10000 ms, got ${values["lazy-ms"]}`)
    const maxClients = intFlag("max-clients", values["max-clients"])
    if (maxClients !== undefined && !(maxClients >= 1 && maxClients <= 65536)) throw new UsageError(`--max-clients must be in 1..65536, got ${values["max-clients"]}`)
    const log = (line: string) => console.log(`${new Date().toISOString()} ${id} ${line}`)
    log(`starting ${service.name} node (seed ${seed}), peers ${[...peers].map(([p, e]) => `${p}=${showEndpoint(e)}`).join(",")}`)
    const traced = values["trace-out"] === undefined ? undefined : await tracedNode(service.name, id, values["trace-out"], values.test, paramsFlag(values.param), seed)
    if (!traced && (values.test !== undefined || values.param !== undefined)) throw new UsageError("--test and --param choose the model configuration of --trace-out; give --trace-out FILE")
    const timing = values.timing === undefined ? undefined : new Timing()
    timing?.observePauses()
    const server = new RuntimeServer({
      service,
      id,
      peers,
      ...(clientPort ? { clientPort } : {}),
      dataDir: values.data,
      seed,
      timeUnit,
      log,
      noOverlap: values["no-overlap"] === true,
      diskDelayMs,
      ...(lazyMs !== undefined ? { lazyMs } : {}),
      ...(maxClients !== undefined ? { maxClientConnections: maxClients } : {}),
      unsafeNoWait: values["unsafe-no-wait"] === true,
      ...(timing ? { timing } : {}),
      ...(traced ?? {}),
    })
    await server.start()
    return await new Promise<number>((resolve) => {
      const stop = (sig: string) => {
        log(`${sig}: stopping`)
        server.stop().then(
          () => {
            if (timing) timing.write(values.timing!)
            log("stopped")
            resolve(0)
          },
          (e) => {
            console.error(`tla-ts: stopping failed: ${(e as Error).message}`)
            resolve(1)
          }
        )
      }
      process.once("SIGTERM", () => stop("SIGTERM"))
      process.once("SIGINT", () => stop("SIGINT"))
    })
  } catch (e) {
    if (e instanceof StorageError || e instanceof AddressError || e instanceof ConformanceError) throw new UsageError(e.message)
    throw e
  }
}
