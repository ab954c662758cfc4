/**
 * Fault runs against a real local cluster (child processes on 127.0.0.1): nodes dial each other
 * through LinkProxy instances so the run can partition a node; faults (kill -9 of the leader or of a
 * follower, restart, partition of the leader, heal, crash of every node) fire on a schedule while
 * clients run the jepsen workload. Afterwards every acknowledged put of a fresh key is read back (a
 * mismatch is a lost write) and the whole history, read-backs included, goes to the linearizability
 * checker. Bounded: every wait has a deadline, every process is killed at the end.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { mkdirSync, rmSync } from "node:fs"
import { join } from "node:path"
import type { KvInput, KvOutput } from "../../spec/kv.ts"
import { fromPackageRoot } from "../package-root.ts"
import { kvModel } from "../linearizability/models.ts"
import { checkHistory } from "../linearizability/check.ts"
import type { Operation } from "../linearizability/history.ts"
import { ClusterClient, OperationTimeout } from "./client.ts"
import { toCommand, toOutput } from "./kv-ops.ts"
import { runLoad } from "./load.ts"
import { LinkProxy } from "./proxy.ts"

/** crash-all-wipe is a planted bug: the nodes restart with empty disks, as if storage had lied. */
export type FaultAction = "kill-leader" | "kill-follower" | "restart" | "partition-leader" | "heal" | "crash-all" | "crash-all-wipe"

/**
 * A fault fires `at` seconds after the load starts, and not before an operation invoked after the fault
 * before it (or after the start) was acknowledged: the cluster served with that fault in place (a
 * partitioned leader's majority elected and served, a killed follower's two went on). On a loaded
 * machine a schedule of seconds alone piled the faults onto a cluster that could not serve: node
 * processes that load seconds apart, a follower killed while the third was still loading, a leader
 * partitioned while the restarted follower was (the Paxos run of faults.test.ts twice ended with 0
 * operations). So the load starts once every node is up, a partition of the leader waits for every
 * node to be up, and the load goes on past its seconds until the schedule is done and an operation invoked after
 * its last fault was acknowledged (bounded: PROGRESS_WAIT_MS a fault, LEADER_WAIT_MS for nodes to be up).
 */
export interface FaultStep {
  /** Seconds after the load starts, at the earliest. */
  readonly at: number
  readonly action: FaultAction
}

export interface JepsenOptions {
  readonly protocol: string
  readonly dir: string
  readonly basePort: number
  readonly nodes?: number
  readonly seconds: number
  readonly clients: number
  readonly keys?: number
  readonly seed: number
  readonly faults: ReadonlyArray<FaultStep>
  /** Kill -9 every node after the load and restart them from disk before reading back. */
  readonly crashAllAtEnd?: boolean
  /** More arguments for every node (fault injection such as --disk-delay). */
  readonly nodeArgs?: ReadonlyArray<string>
  readonly log?: (line: string) => void
}

export interface JepsenReport {
  readonly protocol: string
  readonly seed: number
  readonly ops: number
  readonly throughput: number
  readonly timeouts: number
  readonly acknowledgedWrites: number
  readonly freshPutsReadBack: number
  readonly lostWrites: number
  readonly lostExamples: ReadonlyArray<string>
  readonly lincheck: string
  readonly faults: ReadonlyArray<string>
}

const BIN = fromPackageRoot("bin", "tla-ts.js")
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** How long a (re)started cluster may take to elect a leader: node processes load slowly on a busy machine (more so from sources through tsx). */
const LEADER_WAIT_MS = 60_000

const outliving = new Set<ChildProcess>()
let hooked = false

/**
 * `proc` (started in a session of its own: the terminal's Ctrl-C does not reach it) is killed when this
 * process exits, and Ctrl-C or SIGTERM make this process exit where nothing else handles them: a
 * bench stopped by hand leaves no node or busy loop behind.
 */
export const killedWithThisProcess = (proc: ChildProcess): void => {
  if (!hooked) {
    hooked = true
    process.once("exit", () => {
      for (const p of outliving) p.kill("SIGKILL")
    })
    for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) if (process.listenerCount(signal) === 0) process.once(signal, () => process.exit(code))
  }
  outliving.add(proc)
  proc.once("exit", () => outliving.delete(proc))
}

/** How long a fault waits for an operation acknowledged since the one before it (then it fires anyway, and says so). */
const PROGRESS_WAIT_MS = 60_000

interface Member {
  readonly id: string
  readonly clientPort: number
  readonly args: string[]
  proc: ChildProcess | undefined
  status: string
  statusAt: number
}

export class LocalCluster {
  readonly members: Member[]
  private readonly proxies = new Map<string, LinkProxy>()
  private lines = 0
  /** Flags for node itself, before the program (e.g. `--cpu-prof`, which NODE_OPTIONS does not allow). */
  readonly nodeFlags: string[] = []
  /** The `tla-ts` entry the nodes run (another checkout's, to measure it side by side with this one). */
  bin = BIN
  /**
   * Each node in a session of its own (setsid), as etcd's members are started for the benches
   * (kvload's cluster.sh): with the kernel's autogroup scheduling a session's processes share one
   * group's CPU share, so nodes left in the bench's session would get one share among them and the
   * client while each etcd member gets a share of its own.
   */
  ownSessions = false

  constructor(
    readonly protocol: string,
    readonly dir: string,
    readonly basePort: number,
    nodes: number,
    private readonly log: (line: string) => void,
    /** Peers dial each other through proxies (so that the run can partition them). */
    proxied = true,
    timeUnit?: number,
    /** More arguments for every node. */
    extraArgs: ReadonlyArray<string> = []
  ) {
    const ids = Array.from({ length: nodes }, (_, i) => `n${i + 1}`)
    const peerPort = (i: number) => basePort + 100 + i
    const proxyPort = (from: number, to: number) => basePort + 200 + from * 10 + to
    this.members = ids.map((id, i) => {
      const peers = ids.map((p, j) => `${p}=127.0.0.1:${i === j || !proxied ? peerPort(j) : proxyPort(i, j)}`).join(",")
      if (proxied) for (let j = 0; j < nodes; j++) if (j !== i) this.proxies.set(`${i}>${j}`, new LinkProxy(proxyPort(i, j), peerPort(j)))
      return {
        id,
        clientPort: basePort + i,
        args: ["node", "--protocol", protocol, "--id", id, "--peers", peers, "--data", join(dir, id), "--client-port", String(basePort + i), "--seed", String(i + 1), ...(timeUnit ? ["--time-unit", String(timeUnit)] : []), ...extraArgs],
        proc: undefined,
        status: "",
        statusAt: 0,
      }
    })
  }

  get endpoints() {
    return this.members.map((m) => ({ host: "127.0.0.1", port: m.clientPort }))
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true })
    await Promise.all([...this.proxies.values()].map((p) => p.start()))
    for (let i = 0; i < this.members.length; i++) this.spawn(i)
  }

  spawn(i: number): void {
    const m = this.members[i]!
    const proc = spawn(process.execPath, [...this.nodeFlags, this.bin, ...m.args], { stdio: ["ignore", "pipe", "pipe"], detached: this.ownSessions })
    if (this.ownSessions) killedWithThisProcess(proc)
    m.proc = proc
    m.status = ""
    let buf = ""
    proc.stdout!.on("data", (d: Buffer) => {
      buf += d.toString()
      let nl
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl)
        buf = buf.slice(nl + 1)
        const text = line.split(" ").slice(2).join(" ")
        if (/^(leader|following|no leader)/.test(text)) {
          m.status = text
          m.statusAt = ++this.lines
        }
        if (/dropped|failed|refused|recovered|snapshot/.test(text)) this.log(`  ${m.id}: ${text}`)
      }
    })
    proc.stderr!.on("data", (d: Buffer) => this.log(`  ${m.id} stderr: ${d.toString().trim()}`))
    proc.on("exit", () => {
      if (m.proc === proc) m.proc = undefined
    })
  }

  /** The live node that most recently announced it leads (undefined while there is none). */
  leader(): number | undefined {
    let best: number | undefined
    this.members.forEach((m, i) => {
      if (m.proc && m.status.startsWith("leader") && (best === undefined || m.statusAt > this.members[best]!.statusAt)) best = i
    })
    return best
  }

  async waitLeader(timeoutMs: number): Promise<number> {
    const end = performance.now() + timeoutMs
    for (;;) {
      const l = this.leader()
      if (l !== undefined) return l
      if (performance.now() > end) throw new Error(`no leader within ${timeoutMs / 1000} s`)
      await sleep(50)
    }
  }

  /** Whether every running member has taken its first step (said whom it follows). */
  allUp(): boolean {
    return this.members.every((m) => !m.proc || m.status !== "")
  }

  /** Waits until allUp, as waitLeader does for a leader. */
  async waitUp(timeoutMs: number): Promise<void> {
    const end = performance.now() + timeoutMs
    while (!this.allUp()) {
      if (performance.now() > end) throw new Error(`not every node up within ${timeoutMs / 1000} s`)
      await sleep(20)
    }
  }

  kill9(i: number): Promise<void> {
    const p = this.members[i]!.proc
    if (!p) return Promise.resolve()
    return new Promise((r) => {
      p.once("exit", () => r())
      p.kill("SIGKILL")
    })
  }

  partition(i: number, cut: boolean): void {
    for (const [k, p] of this.proxies) {
      const [a, b] = k.split(">").map(Number)
      if (a === i || b === i) p.setCut(cut)
    }
  }

  healAll(): void {
    for (const p of this.proxies.values()) p.setCut(false)
  }

  /** SIGTERMs every running member and waits for it to exit (a node under --cpu-prof or --timing writes its files as it exits). */
  async terminate(): Promise<void> {
    await Promise.all(
      this.members.map(async (m) => {
        if (!m.proc || m.proc.exitCode !== null) return
        const exited = once(m.proc, "exit")
        m.proc.kill("SIGTERM")
        await exited
      })
    )
  }

  async stop(): Promise<void> {
    await Promise.all(this.members.map((_, i) => this.kill9(i)))
    await Promise.all([...this.proxies.values()].map((p) => p.stop()))
  }
}

/** Reads back every acknowledged fresh put; returns the reads (as history operations) and the losses. */
const readBack = async (client: ClusterClient, fresh: ReadonlyMap<string, string>, t0: number, firstClient: number) => {
  const keys = [...fresh.keys()]
  const ops: Array<Operation<KvInput, KvOutput>> = []
  const lost: string[] = []
  let next = 0
  let c = firstClient
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      let me = c++
      let s = client.session()
      while (next < keys.length) {
        const key = keys[next++]!
        const input: KvInput = { op: "get", key }
        const call = performance.now() - t0
        for (let attempt = 0; ; attempt++) {
          try {
            const out = toOutput(input, await s.execute(toCommand(input), 5000))!
            ops.push({ client: me, call, return: performance.now() - t0, input, output: out })
            if (out.value !== fresh.get(key)) lost.push(`${key}: wrote ${fresh.get(key)!.slice(0, 20)}, read ${String(out.value).slice(0, 20)}`)
            break
          } catch (e) {
            if (!(e instanceof OperationTimeout) || attempt >= 3) throw e
            ops.push({ client: me, call, return: null, input, output: null })
            client.forget(s)
            s = client.session()
            me = c++
          }
        }
      }
      client.forget(s)
    })
  )
  return { ops, lost }
}

export const runJepsen = async (o: JepsenOptions): Promise<JepsenReport> => {
  const log = o.log ?? (() => {})
  const cluster = new LocalCluster(o.protocol, o.dir, o.basePort, o.nodes ?? 3, log, true, undefined, o.nodeArgs)
  const done: string[] = []
  let client: ClusterClient | undefined
  try {
    await cluster.start()
    // Every node, not only a leader: on a loaded machine a node process can take seconds longer than the
    // others to load, and a follower killed while the third is still loading leaves no majority.
    await cluster.waitLeader(LEADER_WAIT_MS)
    await cluster.waitUp(LEADER_WAIT_MS)
    client = await ClusterClient.connect(cluster.endpoints, { connectTimeout: 10_000, seed: o.seed })
    const t0 = performance.now()
    const killed = new Set<number>()
    const note = (s: string) => {
      const line = `${((performance.now() - t0) / 1000).toFixed(1)} s: ${s}`
      done.push(line)
      log(line)
    }
    /** Operations invoked after the last fault fired (or the load started) and acknowledged: the cluster served with that fault in place. */
    let servedSince = 0
    let lastFault = t0
    let faultsDone = false
    const waitFor = async (cond: () => boolean, ms: number) => {
      const end = performance.now() + ms
      while (!cond() && performance.now() < end) await sleep(10)
      return cond()
    }
    const faults = (async () => {
      for (const f of o.faults) {
        await sleep(Math.max(0, f.at * 1000 - (performance.now() - t0)))
        if (!(await waitFor(() => servedSince > 0, PROGRESS_WAIT_MS))) note(`no operation acknowledged within ${PROGRESS_WAIT_MS / 1000} s; ${f.action} fires anyway`)
        const leader = cluster.leader()
        switch (f.action) {
          case "kill-leader":
          case "kill-follower": {
            const i = f.action === "kill-leader" ? leader : cluster.members.findIndex((_, k) => k !== leader && !killed.has(k))
            if (i === undefined || i < 0) {
              note(`${f.action}: no such node now`)
              break
            }
            await cluster.kill9(i)
            killed.add(i)
            note(`kill -9 ${cluster.members[i]!.id} (${f.action === "kill-leader" ? "leader" : "follower"})`)
            break
          }
          case "restart":
            for (const i of killed) cluster.spawn(i)
            note(`restart ${[...killed].map((i) => cluster.members[i]!.id).join(", ") || "nothing"}`)
            killed.clear()
            break
          case "partition-leader":
            // A majority without the leader: every node restarted before must be up (a node process loads for seconds on a busy machine).
            if (!(await waitFor(() => cluster.allUp(), LEADER_WAIT_MS))) note(`not every node up within ${LEADER_WAIT_MS / 1000} s`)
            {
              const l = cluster.leader()
              if (l === undefined) note("partition-leader: no leader now")
              else {
                cluster.partition(l, true)
                note(`partition ${cluster.members[l]!.id} (leader) from the others`)
              }
            }
            break
          case "heal":
            cluster.healAll()
            note("heal every link")
            break
          case "crash-all":
          case "crash-all-wipe":
            await Promise.all(cluster.members.map((_, i) => cluster.kill9(i)))
            if (f.action === "crash-all-wipe") for (const m of cluster.members) rmSync(join(o.dir, m.id), { recursive: true, force: true })
            cluster.members.forEach((_, i) => cluster.spawn(i))
            note(`kill -9 every node and restart them ${f.action === "crash-all" ? "from disk" : "with empty disks (planted bug)"}`)
            break
        }
        servedSince = 0
        lastFault = performance.now()
      }
      faultsDone = true
    })()
    const load = await runLoad(
      client,
      {
        clients: o.clients,
        seconds: o.seconds,
        valueSize: 32,
        keys: o.keys ?? 5,
        workload: "jepsen",
        seed: o.seed,
        opTimeoutMs: 3000,
        history: true,
        onDone: (call) => {
          if (call >= lastFault) servedSince++
        },
        more: () => !faultsDone || servedSince === 0,
        graceSeconds: (PROGRESS_WAIT_MS + LEADER_WAIT_MS) / 1000,
      },
      t0
    )
    await faults
    cluster.healAll()
    for (let i = 0; i < cluster.members.length; i++) if (!cluster.members[i]!.proc) cluster.spawn(i)
    if (o.crashAllAtEnd) {
      await Promise.all(cluster.members.map((_, i) => cluster.kill9(i)))
      cluster.members.forEach((_, i) => cluster.spawn(i))
      note("kill -9 every node and restart them from disk")
    }
    await cluster.waitLeader(LEADER_WAIT_MS)
    const firstClient = Math.max(0, ...load.history!.map((op) => op.client)) + 1
    const back = await readBack(client, load.fresh, t0, firstClient)
    const history = [...load.history!, ...back.ops]
    const r = checkHistory(kvModel, history, { timeoutSeconds: 60 })
    return {
      protocol: o.protocol,
      seed: o.seed,
      ops: load.ops,
      throughput: load.throughput,
      timeouts: load.timeouts,
      acknowledgedWrites: load.acked,
      freshPutsReadBack: load.fresh.size,
      lostWrites: back.lost.length,
      lostExamples: back.lost.slice(0, 5),
      lincheck: r.verdict,
      faults: done,
    }
  } finally {
    client?.close()
    await cluster.stop()
  }
}
