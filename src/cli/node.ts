/**
 * `tla-ts node --protocol paxos|raft --id ID --peers ID=HOST:PORT,... --data DIR [--client-port P] [--seed N] [--time-unit MS] [--no-overlap]`
 *
 * Runs one server in the foreground; one log line per notable event; SIGTERM or Ctrl-C stops it
 * cleanly (pending writes flushed). --no-overlap: hold even the messages the protocol lets overlap the
 * step's own write (the leader's AppendEntries), to measure what the overlap buys. Fault injection for the tests: --disk-delay MS (each
 * log record reaches the file MS ms late, so a kill -9 loses it as a power cut would) and
 * --unsafe-no-wait (a planted bug: messages leave before what their step persisted is durable). --time-unit: milliseconds per unit of the protocol's timers (1). Bad arguments, a busy port or a corrupt data directory: one line
 * on stderr, exit code 2.
 */
import { AddressError, parseEndpoint, showEndpoint } from "../runtime/transport.ts"
import { isValidId, peersFlag, serviceFlag } from "../runtime/options.ts"
import { RuntimeServer } from "../runtime/server.ts"
import { StorageError } from "../runtime/storage.ts"
import { intFlag, numberFlag, parse, UsageError, NODE_USAGE } from "./usage.ts"

export const runNode = async (args: string[]): Promise<number> => {
  const { values, positionals } = parse({
    args,
    options: { protocol: { type: "string" }, id: { type: "string" }, peers: { type: "string" }, data: { type: "string" }, "client-port": { type: "string" }, seed: { type: "string" }, "time-unit": { type: "string" }, "no-overlap": { type: "boolean" }, "disk-delay": { type: "string" }, "unsafe-no-wait": { type: "boolean" } },
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
    const log = (line: string) => console.log(`${new Date().toISOString()} ${id} ${line}`)
    log(`starting ${service.name} node (seed ${seed}), peers ${[...peers].map(([p, e]) => `${p}=${showEndpoint(e)}`).join(",")}`)
    const server = new RuntimeServer({ service, id, peers, ...(clientPort ? { clientPort } : {}), dataDir: values.data, seed, timeUnit, log, noOverlap: values["no-overlap"] === true, diskDelayMs, unsafeNoWait: values["unsafe-no-wait"] === true })
    await server.start()
    return await new Promise<number>((resolve) => {
      const stop = (sig: string) => {
        log(`${sig}: stopping`)
        server.stop().then(
          () => {
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
    if (e instanceof StorageError || e instanceof AddressError) throw new UsageError(e.message)
    throw e
  }
}
