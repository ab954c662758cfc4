/**
 * Leader-confirmed reads (core/read-index.ts): Gets answered by a leader that confirmed its leadership
 * with a majority in its term or ballot, after applying through its read point, take no log slot; the
 * named tests of the replicated KV service and the sharded store stay linearizable on Paxos and Raft;
 * a leader that serves reads without confirmation is caught with a short trace (a deposed leader,
 * partitioned away, answers a stale read).
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import type { Path } from "../../src/checker/result.ts"
import type { TimedEvent, TimedState } from "../../src/core/timed.ts"
import { TESTS as KV_TESTS, simulated } from "../../src/protocols/replicated-kv/model.ts"
import { privateKeyWorkload } from "../../src/core/workloads.ts"
import { shardKvModel } from "../../src/protocols/shardkv/model.ts"

/** Messages that carry log entries between replicas: a Get inside one took (or was offered) a log slot. */
const LOG_MESSAGES = new Set(["P2a", "AppendEntries", "Chosen"])

const hasGet = (v: unknown): boolean => {
  if (typeof v !== "object" || v === null) return false
  if ((v as { _tag?: unknown })._tag === "Get") return true
  if (Array.isArray(v)) return v.some(hasGet)
  if (v instanceof Map) return [...v.values()].some(hasGet)
  return Object.values(v).some(hasGet)
}

/** Along a simulated run: deliveries of log messages carrying a Get, and read probes delivered. */
const readTraffic = (path: Path<TimedState, TimedEvent> | undefined) => {
  let getsInLog = 0
  let probes = 0
  for (const step of path?.steps ?? []) {
    const e = step.label
    if (e.k !== "deliver") continue
    const tag = e.env.msg._tag
    if (tag === "ReadProbe") probes++
    if (LOG_MESSAGES.has(tag) && hasGet(e.env.msg)) getsInLog++
  }
  return { getsInLog, probes }
}

const RANDOM = { strategy: "random", samples: 1, maxDepth: 1_000_000, minimise: false } as const

for (const log of ["paxos", "raft"] as const) {
  test(`replicated KV on ${log}: Gets by leader-confirmed reads take no log slot (through the log they do); the history is linearizable`, (t) => {
    const workloads = Array.from({ length: 2 }, (_, i) => privateKeyWorkload(`client${i + 1}`, 9))
    const on = explore(simulated({ log, servers: 3, workloads, reads: {} }, 1), { ...RANDOM, seed: 1 })
    const off = explore(simulated({ log, servers: 3, workloads }, 1), { ...RANDOM, seed: 1 })
    t.is(on.verdict, "goal-found", on.property)
    t.is(off.verdict, "goal-found", off.property)
    const a = readTraffic(on.path as Path<TimedState, TimedEvent>)
    const b = readTraffic(off.path as Path<TimedState, TimedEvent>)
    t.log(log, "reads on", a, "off", b)
    t.is(a.getsInLog, 0)
    t.true(a.probes > 0)
    t.true(b.getsInLog > 0)
    t.is(b.probes, 0)
  })

  test(`${log}: a deposed leader partitioned away with a reader serves nothing unconfirmed (linearizable); with the planted bug it answers a stale read, caught with a short trace`, (t) => {
    for (const seed of [1]) {
      const ok = KV_TESTS["deposed-leader-reads"]
      const good = explore(ok.build({ log }, seed), { ...ok.options, seed })
      t.is(good.verdict, "goal-found", `seed ${seed}: ${good.property} ${good.detail ?? ""}`)
      const bug = KV_TESTS["bug-read-without-confirmation"]
      const bad = explore(bug.build({ log }, seed), { ...bug.options, seed })
      t.is(bad.verdict, "violation")
      t.is(bad.property, "LINEARIZABLE")
      // Lifted to the interleaving model and minimised: tens of steps, no timed events.
      t.true(bad.path!.steps.length <= 150, `${bad.path!.steps.length} steps`)
      t.false(bad.path!.steps.some((x) => x.text.startsWith("@")))
      // The stale answer comes from a Get that took no slot and was not confirmed.
      t.regex(bad.path!.steps.at(-1)!.text, /GetResult/)
    }
  })
}

for (const log of ["paxos", "raft"] as const) {
  test(`shard store on ${log}: Gets by leader-confirmed reads take no log slot; single-group-basic and concurrent clients stay linearizable`, (t) => {
    for (const name of log === "raft" ? ["single-group-basic", "master-moves-shards"] : ["single-group-basic"]) {
      const named = shardKvModel.tests[name]!
      const on = explore(named.build({ log }, 1), { ...named.options, seed: 1 })
      t.is(on.verdict, "goal-found", `${name}: ${on.property} ${on.detail ?? ""}`)
      const a = readTraffic(on.path as Path<TimedState, TimedEvent>)
      t.log(log, name, a)
      t.is(a.getsInLog, 0)
      t.true(a.probes > 0)
    }
    const named = shardKvModel.tests["single-group-basic"]!
    const off = explore(named.build({ log, reads: "log" }, 1), { ...named.options, seed: 1 })
    t.is(off.verdict, "goal-found")
    t.true(readTraffic(off.path as Path<TimedState, TimedEvent>).getsInLog > 0)
  })
}
