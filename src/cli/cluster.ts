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
import { mkdirSync } from "node:fs"
import { writeTraceFile } from "../checker/trace-file.ts"
import { ClusterClient } from "../runtime/client.ts"
import { ConformanceError, mergeTrace, type ModelConfig, modelConfig, readRecordedSteps, runWorkloads } from "../runtime/conformance.ts"
import { serviceFlag } from "../runtime/options.ts"
import { type RecordedStep, recordOf } from "../runtime/trace-merge.ts"
import { loadModel } from "../registry/index.ts"
import { AddressError } from "../runtime/transport.ts"
import { intFlag, paramsFlag, parse, UsageError, CLUSTER_USAGE } from "./usage.ts"

export interface NodePlan {
  readonly id: string
  readonly clientPort: number
  readonly peerPort: number
  readonly args: ReadonlyArray<string>
}

/** The command-line arguments of each node of a local cluster (ids n1..nN unless given; `extra(id)`: more arguments for a node). */
export const planCluster = (protocol: string, nodes: number, data: string, basePort: number, timeUnit?: string, given?: ReadonlyArray<string>, extra: (id: string) => string[] = () => []): NodePlan[] => {
  const ids = given ?? Array.from({ length: nodes }, (_, i) => `n${i + 1}`)
  const peers = ids.map((id, i) => `${id}=127.0.0.1:${basePort + 100 + i}`).join(",")
  return ids.map((id, i) => ({
    id,
    clientPort: basePort + i,
    peerPort: basePort + 100 + i,
    args: ["node", "--protocol", protocol, "--id", id, "--peers", peers, "--data", join(data, id), "--client-port", String(basePort + i), ...(timeUnit ? ["--time-unit", timeUnit] : []), ...extra(id)],
  }))
}

/** How to run this same `tla-ts` binary again (node, its flags, the entry script). */
export const selfCommand = (): string[] => [process.execPath, ...process.execArgv, process.argv[1]!]

export const runCluster = async (args: string[]): Promise<number> => {
  const { values, positionals } = parse({
    args,
    options: { protocol: { type: "string" }, nodes: { type: "string" }, data: { type: "string" }, "base-port": { type: "string" }, "time-unit": { type: "string" }, "trace-dir": { type: "string" }, test: { type: "string" }, param: { type: "string", multiple: true } },
    allowPositionals: true,
  })
  if (positionals.length) throw new UsageError(`cluster takes no positional arguments, got "${positionals[0]}" (${CLUSTER_USAGE})`)
  let service
  try {
    service = serviceFlag(values.protocol)
  } catch (e) {
    throw new UsageError((e as AddressError).message)
  }
  const traceDir = values["trace-dir"] === undefined ? undefined : resolve(values["trace-dir"])
  if (!traceDir && (values.test !== undefined || values.param !== undefined)) throw new UsageError("--test and --param choose the model configuration of --trace-dir; give --trace-dir DIR")
  const params = paramsFlag(values.param)
  let traced: ModelConfig | undefined
  try {
    traced = traceDir ? modelConfig(await loadModel(service.name), values.test, params, 1) : undefined
  } catch (e) {
    if (e instanceof ConformanceError) throw new UsageError(e.message)
    throw e
  }
  const nodes = intFlag("nodes", values.nodes) ?? traced?.servers.length ?? 3
  if (traced && nodes !== traced.servers.length) throw new UsageError(`--nodes ${nodes}: ${service.name}${values.test ? ` --test ${values.test}` : ""} has ${traced.servers.length} servers`)
  if (!(nodes >= 1 && nodes <= 9)) throw new UsageError(`--nodes must be in 1..9, got ${nodes}`)
  if (!values.data) throw new UsageError(`--data DIR is required (${CLUSTER_USAGE})`)
  const base = intFlag("base-port", values["base-port"]) ?? 7001
  if (!(base >= 1024 && base + 100 + nodes <= 65535)) throw new UsageError(`--base-port must be in 1024..${65435 - nodes}, got ${base}`)
  const data = resolve(values.data)
  const timeUnit = values["time-unit"]
  if (timeUnit !== undefined && !(Number(timeUnit) >= 0.1 && Number(timeUnit) <= 1000)) throw new UsageError(`--time-unit must be in 0.1..1000 ms, got ${timeUnit}`)
  if (traceDir) mkdirSync(traceDir, { recursive: true })
  const traceFile = (id: string) => join(traceDir!, `${id}.jsonl`)
  const plan = planCluster(
    service.name,
    nodes,
    data,
    base,
    timeUnit,
    traced?.servers.map((s) => s.address),
    traced ? (id) => ["--trace-out", traceFile(id), ...(values.test ? ["--test", values.test] : []), ...(values.param ?? []).flatMap((p) => ["--param", p])] : undefined
  )
  const [cmd, ...pre] = selfCommand()
  const children = new Map<string, ChildProcess>()
  let stopping = false
  let clientsRun: Promise<Awaited<ReturnType<typeof runClients>> | Error> | undefined
  const views = new Map<string, string>()
  const code = await new Promise<number>((done) => {
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
      const child = spawn(cmd!, [...pre, ...p.args], { stdio: ["ignore", "pipe", "inherit"] })
      children.set(p.id, child)
      // Each node's log goes through; its latest view of the leadership is kept (a trace run waits for one leader).
      let buf = ""
      child.stdout!.on("data", (d: Buffer) => {
        process.stdout.write(d)
        buf += d.toString()
        for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
          const text = buf.slice(0, nl).split(" ").slice(2).join(" ")
          buf = buf.slice(nl + 1)
          if (/^(leader|following|no leader)/.test(text)) views.set(p.id, text)
        }
      })
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
    if (!traced) {
      console.log(`cluster: ${service.name}, ${nodes} node(s); talk to it with: tla-ts kv --cluster ${plan.map((p) => `127.0.0.1:${p.clientPort}`).join(",")} ...`)
      return
    }
    // A trace run: the configuration's clients run their workloads, then the nodes stop.
    console.log(`cluster: ${service.name}${values.test ? ` --test ${values.test}` : ""}, ${nodes} node(s) recording their steps in ${traceDir}; running the configuration's clients`)
    clientsRun = runClients(traced, plan, views).then(
      (r) => (stopAll("the clients are done"), r),
      (e: Error) => (stopAll("the clients could not run"), e)
    )
  })
  if (!traced || !clientsRun) return code
  const run = await clientsRun
  if (run instanceof Error) {
    console.error(`tla-ts: trace run: ${run.message}`)
    return 1
  }
  return mergeRun(traced, traceDir!, traceFile, run.clientSteps, run.finished)
}

/** How long the configuration's clients may take in a trace run. */
const TRACE_RUN_MS = 60_000

/**
 * The configuration's clients, once every node follows one leader (a request lost to an election is
 * not retried in configurations without client timers), against the cluster; their steps.
 */
const runClients = async (c: ModelConfig, plan: ReadonlyArray<NodePlan>, views: ReadonlyMap<string, string>) => {
  const settled = () => [...views.values()].filter((v) => v.startsWith("leader")).length === 1 && plan.every((p) => /^(leader|following)/.test(views.get(p.id) ?? ""))
  for (const end = Date.now() + 30_000; !settled(); await new Promise((r) => setTimeout(r, 20)))
    if (Date.now() > end) throw new Error("no leader known to every node within 30 s")
  const client = await ClusterClient.connect(
    plan.map((p) => ({ host: "127.0.0.1", port: p.clientPort })),
    { connectTimeout: 30_000, seed: 1, all: true }
  )
  const clientSteps = new Map<number, RecordedStep[]>(c.clients.map((cl) => [cl.i, []]))
  try {
    const finished = await runWorkloads(c, client, TRACE_RUN_MS, (node, ev) => {
      const r = recordOf(ev)
      if (r !== undefined) clientSteps.get(node)!.push(r)
    })
    return { finished, clientSteps }
  } finally {
    client.close()
  }
}

/** Merges the nodes' trace files and the clients' steps into DIR/trace.json; 0 when the run is one the checker explores. */
const mergeRun = (c: ModelConfig, dir: string, traceFile: (id: string) => string, clientSteps: ReadonlyMap<number, ReadonlyArray<RecordedStep>>, finished: boolean): number => {
  if (!finished) console.log(`cluster: the clients did not finish their workloads within ${TRACE_RUN_MS / 1000} s; merging what ran`)
  const steps = new Map<number, ReadonlyArray<RecordedStep>>([...c.servers.map((s) => [s.i, readRecordedSteps(traceFile(s.address))] as const), ...clientSteps])
  const { trace, divergence } = mergeTrace(c, steps)
  const out = join(dir, "trace.json")
  writeTraceFile(out, trace)
  if (divergence !== undefined) {
    console.log(`cluster: the run is not one the checker explores: ${divergence} (the ${trace.steps.length} steps before it are in ${out})`)
    return 1
  }
  console.log(`cluster: trace of ${trace.steps.length} steps in ${out}; check it with: tla-ts replay ${out}`)
  return finished ? 0 : 1
}
