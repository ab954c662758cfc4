/**
 * `node --import tsx bench/runtime-merge.ts [--puts N] [--batch B] [--rounds R]`
 *
 * What Service.merges saves a Paxos follower, in one process and without the machine's load in the
 * figure as much: the follower's steps for N puts (a P2a per slot, a heartbeat every 40 slots as the
 * leader's compaction point moves) with the decisions delivered one Decisions per slot (as the leader
 * sends them) or merged B to a message (as a tick's decisions to one follower travel with merges), run
 * through the runtime's driver on the service's own server definition. The two modes alternate R
 * times; prints the CPU microseconds per put of each run and the median, as JSON.
 */
import { parseArgs } from "node:util"
import { AMOCommand } from "../src/core/application.ts"
import { put } from "../src/core/kv.ts"
import { Decisions, Heartbeat, P2a } from "../src/protocols/paxos/server.ts"
import { type NodeEnv, runInit, runMessage, type StepOutput } from "../src/runtime/driver.ts"
import { SERVICES } from "../src/runtime/services.ts"

const { values } = parseArgs({ options: { puts: { type: "string" }, batch: { type: "string" }, rounds: { type: "string" } } })
const puts = Number(values.puts ?? 20000)
const batch = Number(values.batch ?? 30)
const rounds = Number(values.rounds ?? 3)
const servers = ["n1", "n2", "n3"]
const paxos = SERVICES.paxos!
const value = "v".repeat(128)
const commands = Array.from({ length: puts }, (_, i) => new AMOCommand({ command: put(`k${i % 1000}`, value), client: `c${i % 64}`, seq: Math.floor(i / 64) + 1 }))

/** CPU microseconds per put of one follower's run; decisions `per` to a message. */
const run = (per: number): number => {
  let durable: unknown
  const env: NodeEnv = { def: paxos.server(servers), self: "n2", peers: servers, chooser: { choose: () => 0 }, durable: () => durable }
  let out: StepOutput = runInit(env)
  const deliver = (msg: Parameters<typeof runMessage>[4]) => {
    out = runMessage(env, out.state, out.timers, "n2/log", msg, "n1/log")
    if (out.persisted) durable = out.durable
  }
  const t0 = process.cpuUsage()
  let decided = 0
  for (let slot = 0; slot < puts; slot++) {
    deliver(new P2a({ round: 0, leader: "n1/log", slot, command: commands[slot]! }))
    // The decisions trail the proposals by a batch, as under load.
    if (slot + 1 - decided >= batch || slot === puts - 1) {
      const entries = Array.from({ length: slot + 1 - decided }, (_, k) => [decided + k, commands[decided + k]!] as const)
      for (let k = 0; k < entries.length; k += per) deliver(new Decisions({ entries: entries.slice(k, k + per) }))
      decided = slot + 1
    }
    if (slot % 40 === 39) deliver(new Heartbeat({ round: 0, leader: "n1/log", clear: decided - batch }))
  }
  const cpu = process.cpuUsage(t0)
  const app = (out.state as { app: { app: ReadonlyMap<string, string> } }).app.app
  if (app.size !== Math.min(puts, 1000)) throw new Error(`the follower applied ${app.size} keys`)
  return (cpu.user + cpu.system) / puts
}

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!
const r = (x: number) => Number(x.toFixed(1))
run(1) // warm up
run(batch)
const perSlot: number[] = []
const merged: number[] = []
for (let i = 0; i < rounds; i++) {
  perSlot.push(run(1))
  merged.push(run(batch))
}
console.log(JSON.stringify({ puts, batch, usPerPut: { decisionPerSlot: perSlot.map(r), merged: merged.map(r) }, median: { decisionPerSlot: r(median(perSlot)), merged: r(median(merged)) } }))
