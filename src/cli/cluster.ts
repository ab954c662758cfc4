/**
 * `tla-ts cluster --protocol paxos|raft --nodes N --data DIR [--base-port P]`
 *
 * Starts N nodes (n1..nN) on 127.0.0.1 as child processes: node i takes client port P+i-1 and peer
 * port P+100+i-1, and data directory DIR/ni. Prints each node's id, pid and client address, and the
 * `--cluster` argument for `tla-ts kv`. A node that dies is reported with the command that restarts
 * it; Ctrl-C or SIGTERM stops them all.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { join, resolve } from "node:path"
import { serviceFlag } from "../runtime/options.ts"
import { AddressError } from "../runtime/transport.ts"
import { intFlag, parse, UsageError, CLUSTER_USAGE } from "./usage.ts"

export interface NodePlan {
  readonly id: string
  readonly clientPort: number
  readonly peerPort: number
  readonly args: ReadonlyArray<string>
}

/** The command-line arguments of each node of a local cluster. */
export const planCluster = (protocol: string, nodes: number, data: string, basePort: number, timeUnit?: string): NodePlan[] => {
  const ids = Array.from({ length: nodes }, (_, i) => `n${i + 1}`)
  const peers = ids.map((id, i) => `${id}=127.0.0.1:${basePort + 100 + i}`).join(",")
  return ids.map((id, i) => ({
    id,
    clientPort: basePort + i,
    peerPort: basePort + 100 + i,
    args: ["node", "--protocol", protocol, "--id", id, "--peers", peers, "--data", join(data, id), "--client-port", String(basePort + i), ...(timeUnit ? ["--time-unit", timeUnit] : [])],
  }))
}

/** How to run this same `tla-ts` binary again (node, its flags, the entry script). */
export const selfCommand = (): string[] => [process.execPath, ...process.execArgv, process.argv[1]!]

export const runCluster = async (args: string[]): Promise<number> => {
  const { values, positionals } = parse({
    args,
    options: { protocol: { type: "string" }, nodes: { type: "string" }, data: { type: "string" }, "base-port": { type: "string" }, "time-unit": { type: "string" } },
    allowPositionals: true,
  })
  if (positionals.length) throw new UsageError(`cluster takes no positional arguments, got "${positionals[0]}" (${CLUSTER_USAGE})`)
  let service
  try {
    service = serviceFlag(values.protocol)
  } catch (e) {
    throw new UsageError((e as AddressError).message)
  }
  const nodes = intFlag("nodes", values.nodes) ?? 3
  if (!(nodes >= 1 && nodes <= 9)) throw new UsageError(`--nodes must be in 1..9, got ${nodes}`)
  if (!values.data) throw new UsageError(`--data DIR is required (${CLUSTER_USAGE})`)
  const base = intFlag("base-port", values["base-port"]) ?? 7001
  if (!(base >= 1024 && base + 100 + nodes <= 65535)) throw new UsageError(`--base-port must be in 1024..${65435 - nodes}, got ${base}`)
  const data = resolve(values.data)
  const timeUnit = values["time-unit"]
  if (timeUnit !== undefined && !(Number(timeUnit) >= 0.1 && Number(timeUnit) <= 1000)) throw new UsageError(`--time-unit must be in 0.1..1000 ms, got ${timeUnit}`)
  const plan = planCluster(service.name, nodes, data, base, timeUnit)
  const [cmd, ...pre] = selfCommand()
  const children = new Map<string, ChildProcess>()
  let stopping = false
  return await new Promise<number>((done) => {
    const stopAll = (sig: string) => {
      if (stopping) return
      stopping = true
      console.log(`cluster: ${sig}, stopping ${children.size} node(s)`)
      for (const c of children.values()) c.kill("SIGTERM")
      const force = setTimeout(() => {
        for (const c of children.values()) c.kill("SIGKILL")
      }, 5000)
      const check = setInterval(() => {
        if (children.size === 0) {
          clearInterval(check)
          clearTimeout(force)
          done(0)
        }
      }, 50)
    }
    process.once("SIGINT", () => stopAll("SIGINT"))
    process.once("SIGTERM", () => stopAll("SIGTERM"))
    for (const p of plan) {
      const child = spawn(cmd!, [...pre, ...p.args], { stdio: ["ignore", "inherit", "inherit"] })
      children.set(p.id, child)
      console.log(`cluster: ${p.id} pid ${child.pid} client 127.0.0.1:${p.clientPort} (peers on ${p.peerPort}, data ${join(data, p.id)})`)
      child.on("exit", (code, signal) => {
        children.delete(p.id)
        if (stopping) return
        console.log(`cluster: ${p.id} (pid ${child.pid}) exited ${signal ?? `with code ${code}`}; restart it with: tla-ts ${p.args.join(" ")}`)
        if (children.size === 0) {
          console.log("cluster: every node has exited")
          done(1)
        }
      })
    }
    console.log(`cluster: ${service.name}, ${nodes} node(s); talk to it with: tla-ts kv --cluster ${plan.map((p) => `127.0.0.1:${p.clientPort}`).join(",")} ...`)
  })
}
