import test from "ava"
import { Effect, Schema } from "effect"
import { explore } from "../../src/checker/explore.ts"
import { Rng } from "../../src/checker/random.ts"
import { goal, newFingerprint, type StepProperty, type TransitionSystem, withProperties } from "../../src/checker/transition-system.ts"
import { compile, type Event, type ProtocolState } from "../../src/core/compile.ts"
import type { Ctx, NodeDef } from "../../src/core/node.ts"
import type { HashedSend } from "../../src/core/execute.ts"
import { declaredReads, onDelivery, readsNodes, readsSends } from "../../src/core/step-reads.ts"
import { clientServerModel } from "../../src/protocols/clientserver/model.ts"
import { paxosModel } from "../../src/protocols/paxos/model.ts"
import { raftModel } from "../../src/protocols/raft/model.ts"
import { primaryBackupConfig, primaryBackupModel } from "../../src/protocols/primarybackup/model.ts"
import { forwardResent, requestTaken, transferResent } from "../../src/protocols/primarybackup/prompt-steps.ts"
import { serverRole, viewsUpTo } from "../../src/protocols/primarybackup/properties.ts"
import { workload } from "../../src/core/config.ts"
import { append, appendResult } from "../../src/core/kv.ts"
import { lastState } from "../../src/checker/path.ts"
import { inFlightAtMost } from "../../src/core/fair.ts"
import type { Model } from "../../src/checker/model.ts"

type Sys = TransitionSystem<ProtocolState, Event>

const build = (model: Model, name: string, params: Record<string, string> = {}): Sys => {
  const p = Object.fromEntries(Object.entries(model.params).map(([k, s]) => [k, params[k] ?? s.default]))
  return model.tests[name]!.build(p, 1) as unknown as Sys
}

/** The same system with successors of its own: BFS cannot leave out seen successors (the whole form of every check). */
const plain = (s: Sys): Sys => {
  const out = Object.create(s) as Sys
  Object.defineProperty(out, "successors", { value: (w: ProtocolState, emit: (e: Event, n: ProtocolState) => void, o?: ReadonlyArray<StepProperty<ProtocolState, Event>>) => s.successors(w, emit, o) })
  return out
}

const SEED = 20261206

/**
 * On a seeded random walk, every step of every state on it: a declared property's fast form (the
 * successor's records, the parent's network and history) passes only where the whole form passes,
 * and `nodes` forms agree with the whole form exactly.
 */
const agreeOnRandomSteps = (t: { true: (b: boolean, m?: string) => void; is: (a: unknown, b: unknown, m?: string) => void }, sys: Sys, walks: number, length: number) => {
  const steps = sys.stepProperties ?? []
  t.true(steps.length > 0 && steps.every((p) => declaredReads(p) !== undefined), `${sys.name}: every step property declared`)
  const rng = new Rng(SEED)
  let checked = 0
  let quiet = 0
  for (let k = 0; k < walks; k++) {
    let w = sys.initial()[0]!
    for (let d = 0; d < length; d++) {
      const next: Array<{ e: Event; n: ProtocolState }> = []
      sys.successors(w, (e, n) => next.push({ e, n }))
      if (next.length === 0) break
      for (const { e, n } of next) {
        const node = e.k === "crash" || e.k === "timer" || e.k === "restart" ? e.node : e.env.dst
        // The step's sends that the network holds after it (a node's step; a drop sends nothing).
        const sends: HashedSend[] = e.k === "drop" || e.k === "crash" ? [] : n.net.filter((env) => env.seq >= w.sendSeq)
        const to: ProtocolState = { nodes: n.nodes, net: w.net, sendSeq: n.sendSeq, aux: w.aux }
        for (const p of steps) {
          const whole = p.check(w, e, n)
          const d = declaredReads(p)!
          if (d.reads === "nodes") t.is(p.check(w, undefined as unknown as Event, to), whole, `${p.name} on ${sys.formatLabel(e)}`)
          else if (d.check(w, to, e.k === "drop" ? -1 : node, e.k === "deliver" ? e.env : undefined, sends) === undefined) t.is(whole, undefined, `${p.name} on ${sys.formatLabel(e)}`)
          // A quiet scope answers true only where the whole form holds (a step of one node; a drop changes no record).
          if (typeof d.scope === "function" && d.scope(w, to, e.k === "drop" ? 0 : node)) {
            t.is(whole, undefined, `${p.name}'s scope on ${sys.formatLabel(e)}`)
            quiet++
          }
          checked++
        }
      }
      w = next[rng.int(next.length)]!.n
    }
  }
  t.true(checked > 500, `${checked} checks`)
  return quiet
}

test("declared step properties agree with their whole form on random transitions (Raft with crashes and a client, Paxos, clientserver)", (t) => {
  let quiet = agreeOnRandomSteps(t, build(raftModel, "exhaustive-crash", { maxTerm: "2" }), 3, 40)
  quiet += agreeOnRandomSteps(t, build(raftModel, "exhaustive-replication", { maxTerm: "2" }), 3, 40)
  quiet += agreeOnRandomSteps(t, build(paxosModel, "bounded-two-clients"), 3, 40)
  quiet += agreeOnRandomSteps(t, build(paxosModel, "exhaustive-stable-leader"), 3, 40)
  quiet += agreeOnRandomSteps(t, build(clientServerModel, "exhaustive-appends", { clients: "3" }), 3, 30)
  t.true(quiet > 500, `${quiet} steps quiet by a declared scope`)
  // Primary-backup with REQUEST_TAKEN, declared as reading the delivered request, and FORWARD_RESENT and TRANSFER_RESENT, as reading a timer's sends (prompt-steps.ts).
  const pb = build(primaryBackupModel, "exhaustive-small")
  agreeOnRandomSteps(t, withProperties(pb, pb.properties, [...(pb.stepProperties ?? []), requestTaken(2), forwardResent(2), transferResent(2)]), 3, 40)
})

test("a successor's print known before it is built is the print of the world built", (t) => {
  const sys = build(raftModel, "exhaustive-replication")
  const fp = newFingerprint()
  let handed = 0
  const fast = sys.unseenSuccessors!(sys, sys.stepProperties ?? [], () => false)!
  const rng = new Rng(SEED)
  let w = sys.initial()[0]!
  for (let d = 0; d < 100; d++) {
    const next: ProtocolState[] = []
    fast(w, (_e, n, print) => {
      next.push(n)
      if (print === undefined) return
      handed++
      const { hi, lo } = print
      sys.fingerprint(n, fp)
      t.deepEqual([hi, lo], [fp.hi, fp.lo])
    })
    if (next.length === 0) break
    w = next[rng.int(next.length)]!
  }
  t.true(handed > 100, `${handed} prints handed over`)
})

test("BFS leaving seen successors unbuilt: the same counts and verdicts as building every one", (t) => {
  for (const [sys, max] of [
    [build(raftModel, "exhaustive-crash"), undefined],
    [build(paxosModel, "bounded-two-clients"), 8000],
    [build(clientServerModel, "exhaustive-appends", { clients: "3" }), undefined],
  ] as const) {
    t.truthy(sys.unseenSuccessors?.(sys, sys.stepProperties ?? [], () => false), `${sys.name} offers the fast path`)
    t.is(plain(sys).unseenSuccessors?.(plain(sys), sys.stepProperties ?? [], () => false), undefined, "not to a wrapper with other successors")
    const opts = { strategy: "bfs" as const, ...(max ? { maxStates: max } : {}) }
    const a = explore(sys, opts)
    const b = explore(plain(sys), opts)
    t.deepEqual([a.verdict, a.distinct, a.generated], [b.verdict, b.distinct, b.generated], sys.name)
  }
})

/** A planted step property: no crashed server restarts (the shipped protocols do restart them). */
const noRestart = (n: number): StepProperty<ProtocolState, Event> => ({
  name: "NO_RESTART",
  check: (from, _l, to) => {
    for (let i = 0; i < n; i++) if (!from.nodes[i]!.up && to.nodes[i]!.up) return `server ${i} restarted`
    return undefined
  },
})

/** A planted step property on sends: no server sends a message while another is down. */
const noSendWhileDown = (n: number): StepProperty<ProtocolState, Event> => {
  const bad = (w: ProtocolState) => w.nodes.slice(0, n).some((r) => !r.up)
  return readsSends(
    { name: "NO_SEND_WHILE_DOWN", check: (from, _l, to) => (to.sendSeq > from.sendSeq && bad(to) ? "a send while a server is down" : undefined) },
    (_from, to, _node, sends) => (sends.length > 0 && bad(to) ? "a send while a server is down" : undefined)
  )
}

/** Whether node `i`'s record differs in contents from `from` to `to`. */
const recordChanged = (from: ProtocolState, to: ProtocolState, i: number) => from.nodes[i]!.hi !== to.nodes[i]!.hi || from.nodes[i]!.lo !== to.nodes[i]!.lo

/** A planted property of the delivered message: no message changes its receiver's record (false of many deliveries in every protocol). */
const deliveriesIgnored = onDelivery<ProtocolState>(
  "DELIVERIES_IGNORED",
  (from, to, node, delivered) => (delivered !== undefined && recordChanged(from, to, node) ? `a message from node ${delivered.src} changed node ${node}` : undefined),
  "node"
)

/** The same check declared too narrowly, as reading the records alone: its fast form is given no label. */
const deliveriesIgnoredNarrow = readsNodes<ProtocolState, Event>(
  { name: "DELIVERIES_IGNORED", check: (from, label, to) => (label !== undefined && label.k === "deliver" && recordChanged(from, to, label.env.dst) ? `a message from node ${label.env.src} changed node ${label.env.dst}` : undefined) },
  "node"
)

test("a property of the delivered message declared as such agrees with its whole form on random transitions; declared as reading the records alone, the same check fails it", (t) => {
  const sys = build(raftModel, "exhaustive-crash", { maxTerm: "2" })
  const failures = (p: StepProperty<ProtocolState, Event>): string[] => {
    const out: string[] = []
    const probe = { true: (b: boolean, m?: string) => void (b || out.push(m ?? "")), is: (a: unknown, b: unknown, m?: string) => void (a === b || out.push(m ?? "")) }
    agreeOnRandomSteps(probe, withProperties(sys, sys.properties, [p]), 3, 40)
    return out
  }
  t.deepEqual(failures(deliveriesIgnored), [])
  const narrow = failures(deliveriesIgnoredNarrow)
  t.true(narrow.length > 10 && narrow.every((m) => m.startsWith("DELIVERIES_IGNORED on deliver")), `${narrow.length} disagreements: ${narrow.slice(0, 3).join("; ")}`)
})

test("every raft search checks the properties of the delivered message (Figure 2's receiver rules) with the fast path on", (t) => {
  for (const name of ["exhaustive-crash", "search-snapshot-acks", "search-term-rule"]) {
    const sys = build(raftModel, name)
    const steps = sys.stepProperties ?? []
    for (const p of ["TERM_RULE_APPLIED", "ACKS_CHECKED", "RECEIVER_RULES", "PROPOSED_IN_TERM"])
      t.is(steps.find((s) => s.name === p) && declaredReads(steps.find((s) => s.name === p)!)?.reads, "delivery", `${name}: ${p}`)
    t.truthy(sys.unseenSuccessors?.(sys, steps, () => false), `${name} offers the fast path`)
  }
})

test("a planted violation of a declared step property is caught, with the trace of its whole form", (t) => {
  const sys = build(raftModel, "exhaustive-crash")
  for (const planted of [noRestart(3), noSendWhileDown(3), deliveriesIgnored]) {
    const declared = planted.name === "NO_RESTART" ? readsNodes(planted) : planted
    const fast = withProperties(sys, sys.properties, [...(sys.stepProperties ?? []), declared])
    const slow = plain(withProperties(sys, sys.properties, [...(sys.stepProperties ?? []), planted]))
    t.truthy(fast.unseenSuccessors?.(fast, fast.stepProperties!, () => false), "the fast path serves it")
    const a = explore(fast, { strategy: "bfs" })
    const b = explore(slow, { strategy: "bfs" })
    t.is(a.verdict, "violation")
    t.is(a.property, planted.name)
    t.is(b.property, planted.name)
    t.deepEqual(
      a.path?.steps.map((s) => s.label),
      b.path?.steps.map((s) => s.label)
    )
    t.is(a.generated, b.generated)
  }
})

/** A planted "node"-scoped property: no node's step adds a pending timer (false of many steps of every protocol). */
const noTimerAdded = readsNodes<ProtocolState, Event>(
  {
    name: "NO_TIMER_ADDED",
    check: (from, _l, to) => {
      for (let i = 0; i < to.nodes.length; i++) if (from.nodes[i] !== to.nodes[i] && to.nodes[i]!.timers.length > from.nodes[i]!.timers.length) return `node ${i} set a timer`
      return undefined
    },
  },
  "node"
)

/** A planted "node"-scoped property: no client makes progress (a next command); of the records' contents, as the scope asks. */
const noClientProgress = readsNodes<ProtocolState, Event>(
  {
    name: "NO_CLIENT_PROGRESS",
    check: (from, _l, to) => {
      for (let i = 0; i < to.nodes.length; i++) if (from.nodes[i]!.client?.next !== to.nodes[i]!.client?.next) return `client ${i} made progress`
      return undefined
    },
  },
  "node"
)

/** A planted "node"-scoped property: no node crashes from a record of odd hash (false of about half the crashes, by the record's contents). */
const noOddCrash = readsNodes<ProtocolState, Event>(
  {
    name: "NO_ODD_CRASH",
    check: (from, _l, to) => {
      for (let i = 0; i < to.nodes.length; i++) if (from.nodes[i]!.up && !to.nodes[i]!.up && (from.nodes[i]!.lo & 1) === 1) return `node ${i} crashed`
      return undefined
    },
  },
  "node"
)

/** A planted "node"-scoped property on sends: no step sends two messages or more. */
const oneSendAStep = readsSends<ProtocolState, Event>(
  { name: "ONE_SEND_A_STEP", check: (from, _l, to) => (to.sendSeq - from.sendSeq > 1 ? "two sends in a step" : undefined) },
  (_from, _to, _node, sends) => (sends.length > 1 ? "two sends in a step" : undefined),
  "node"
)

/**
 * With every print taken as seen, the fast path emits exactly the successors on which a step property
 * fails (its whole form, on the built world): scoped verdicts kept per memoised node step are those of
 * the properties asked for in this search, in each world the step recurs in. One search after another
 * on the same system (the same memo, the same outcome objects) with other properties.
 */
/**
 * With every print taken as seen, on two seeded random walks of 30 steps: the successors the fast path
 * emits are exactly those on which one of `steps` fails (its whole form, on the built world); returns
 * how many failed.
 */
const emitsExactlyFailing = (t: { deepEqual: (a: unknown, b: unknown, m?: string) => void }, sys: Sys, steps: ReadonlyArray<StepProperty<ProtocolState, Event>>, start = sys.initial()[0]!): number => {
  const fast = sys.unseenSuccessors!(sys, steps, () => true)!
  const rng = new Rng(SEED)
  let failing = 0
  for (let k = 0; k < 2; k++) {
    let w = start
    for (let d = 0; d < 30; d++) {
      const next: ProtocolState[] = []
      const fails: string[] = []
      sys.successors(w, (e, n) => {
        next.push(n)
        if (steps.some((p) => p.check(w, e, n) !== undefined)) fails.push(sys.formatLabel(e))
      })
      const emitted: string[] = []
      fast(w, (e) => emitted.push(sys.formatLabel(e)))
      t.deepEqual(emitted.sort(), fails.sort(), `${sys.name}, depth ${d}`)
      failing += fails.length
      if (next.length === 0) break
      w = next[rng.int(next.length)]!
    }
  }
  return failing
}

test("scoped step properties judged once per node step: the fast path emits exactly the failing successors, search after search", (t) => {
  for (const sys of [build(raftModel, "exhaustive-crash"), build(paxosModel, "bounded-two-clients"), build(paxosModel, "exhaustive-stable-leader"), build(clientServerModel, "exhaustive-appends", { clients: "3" })]) {
    const shipped = sys.stepProperties ?? []
    for (const steps of [shipped, [...shipped, noTimerAdded, noClientProgress, oneSendAStep], shipped, [oneSendAStep, noOddCrash, noClientProgress, ...shipped], [deliveriesIgnored, ...shipped]]) {
      const failing = emitsExactlyFailing(t, sys, steps)
      if (steps !== shipped) t.true(failing > 20, `${sys.name}: ${failing} failing steps`)
    }
  }
})

/**
 * FORWARD_RESENT (primarybackup/prompt-steps.ts) from an operation forwarded in view 2, the primary
 * waiting for its backup's ack: its fast form sees the timer's re-sent Forward among the step's sends,
 * where a duplicating network does not add it again (the whole form cannot see it); on a network that
 * consumes (with drops) both see it. Walks from the first such state BFS finds (views up to 2, at most
 * 4 messages in flight on the lossy network: about 70,000 states).
 */
test("FORWARD_RESENT, declared: the fast path emits exactly the failing successors on a duplicating network and on a lossy one", (t) => {
  const forwarded = goal<ProtocolState>("FORWARDED", (w) => (serverRole(0).state(w) as { inflight: unknown; ready: boolean } | undefined)?.inflight != null)
  for (const network of [undefined, { delivery: "multiset", drops: true } as const]) {
    const config = primaryBackupConfig({ servers: 2, workloads: [workload([[append("foo", "x"), appendResult("x")]])], ...(network ? { network } : {}) })
    const sys = compile(config, { stepProperties: [forwardResent(2)] })
    const found = explore(withProperties(sys, [...(network ? [inFlightAtMost(4)] : []), viewsUpTo(2), forwarded]), { strategy: "bfs", maxStates: 100_000 })
    t.is(found.verdict, "goal-found")
    const failing = emitsExactlyFailing(t, sys, sys.stepProperties!, lastState(found.path!))
    t.is(failing, 0, `${network ? "lossy" : "duplicating"}: the shipped server re-sends`)
  }
})

class Flip extends Schema.TaggedClass<Flip>()("Flip", {}) {}
/** A node whose timer chooses its state, 0 or 1, and fires again: one memoised step, two outcomes. */
const flipper: NodeDef<number, never, Flip> = {
  init: (ctx) => (ctx.setTimer(new Flip(), 1), 0),
  onMessage: {},
  onTimer: {
    Flip: Effect.fnUntraced(function* (_s: number, _t: Flip, ctx: Ctx) {
      ctx.setTimer(new Flip(), 1)
      return ctx.choose(2)
    }),
  },
}

test("a scoped verdict is kept per outcome of a node step, not per step: each choice is judged", (t) => {
  const sys = compile({ servers: [{ address: "a", def: flipper }, { address: "b", def: flipper }], clients: [] })
  const noOne = readsNodes<ProtocolState, Event>({ name: "NO_ONE", check: (from, _l, to) => (to.nodes.some((r, i) => r !== from.nodes[i] && r.state === 1) ? "a node chose 1" : undefined) }, "node")
  const fast = sys.unseenSuccessors!(sys, [noOne], () => true)!
  let w: ProtocolState = sys.initial()[0]!
  for (let d = 0; d < 6; d++) {
    const emitted: string[] = []
    fast(w, (e) => emitted.push(sys.formatLabel(e)))
    t.deepEqual(emitted, ["timer a: Flip() [choose 1]", "timer b: Flip() [choose 1]"], `depth ${d}`)
    const next: ProtocolState[] = []
    sys.successors(w, (_e, n) => next.push(n))
    w = next[d % next.length]!
  }
})
