/**
 * Protocol + configuration -> transition system, with every interleaving: any message in flight may
 * be delivered (consumed or not, per the delivery semantics), any timer may fire under DSLabs' rule,
 * and, within the fault budget, messages may be dropped and nodes may crash and restart. A handler
 * that calls `ctx.choose` branches into one step per option.
 */
import { type Fingerprint, invariant, newFingerprint, type StateProperty, type StepProperty, type TransitionSystem } from "../checker/transition-system.ts"
import type { Config } from "./config.ts"
import { Cluster, HandlerFailure, type HashedSend, type NodeStep, ScriptChooser } from "./execute.ts"
import { RecordInterner } from "./record-interner.ts"
import { StepMemo } from "./step-memo.ts"
import { declaredReads } from "./step-reads.ts"
import { toPlain } from "./show.ts"
import { checkedEventProblem, encodeEvent } from "./trace-events.ts"
import type { Durable } from "./outbox.ts"
import { worldSymmetry } from "./symmetry.ts"
import { actorOf, crashKey, deliverKey, dropKey, eventKey, faultStep, restartKey, timerKey } from "./independence.ts"
import { auxAfter, type Envelope, fingerprintWorld, type NodeRec, resultsOf, type TimerRec, type World } from "./world.ts"

export type Event =
  | { readonly k: "deliver"; readonly env: Envelope; readonly choices: ReadonlyArray<number> }
  | { readonly k: "timer"; readonly node: number; readonly t: number; readonly timer: TimerRec; readonly choices: ReadonlyArray<number> }
  | { readonly k: "drop"; readonly env: Envelope }
  | { readonly k: "crash"; readonly node: number }
  | { readonly k: "restart"; readonly node: number; readonly choices: ReadonlyArray<number> }

/**
 * One way a node's step went (one choice script): what it did, or how its handler failed; and the
 * verdict of a search's scoped step properties on it (`unseenSuccessors`: `judged`, for `judgedBy`).
 */
type Outcome = ({ readonly choices: ReadonlyArray<number>; readonly step: NodeStep; readonly failure?: undefined } | { readonly choices: ReadonlyArray<number>; readonly step?: undefined; readonly failure: string }) & {
  judgedBy: object | undefined
  judged: number
}

/** A BFS's seen set and the check of its step properties on a step, for `unseenSuccessors`. */
interface Unseen {
  readonly seen: (hi: number, lo: number) => boolean
  /** On a drop from `w` (no record changes, nothing is sent). */
  readonly dropPass: (w: World) => boolean
  /** On node i's step `o` (`step`, its NodeStep) from `w`, delivering `env` (undefined: a timer, a restart, a crash). */
  readonly passStep: (w: World, i: number, o: Outcome, step: NodeStep, env: Envelope | undefined) => boolean
  /** `passStep` on a stutter (all its sends in flight): the unscoped records-only properties checked once per world. */
  readonly stutterPass: (w: World, i: number, o: Outcome, step: NodeStep, env: Envelope | undefined) => boolean
  /**
   * Whether every step property holds on node i's step `o` by the outcome's kept verdict alone (no
   * world to judge): an unseen successor so judged is emitted with `holds`, and the search does not
   * check its step properties again on the built world (the others are checked there, as before).
   */
  readonly passes: (w: World, i: number, o: Outcome, step: NodeStep, env: Envelope | undefined) => boolean
}

const NO_SENDS: ReadonlyArray<HashedSend> = []

/** `nodes` with node i's record `rec`. */
const withRecord = (nodes: World["nodes"], i: number, rec: NodeRec): World["nodes"] => {
  const copy = nodes.slice()
  copy[i] = rec
  return copy
}

/** The step properties a left-out stutter must satisfy (`TransitionSystem.successors`'s `omitStutters`). */
type StutterChecks = ReadonlyArray<StepProperty<ProtocolState, Event>>

/** Whether every one of `checks` holds on the stutter `label` from `w` to `w` itself. */
const stutterHolds = (checks: StutterChecks, w: ProtocolState, label: Event): boolean => {
  for (let k = 0; k < checks.length; k++) if (checks[k]!.check(w, label, w) !== undefined) return false
  return true
}

/** The kinds of event in a step-memo key. */
const DELIVER = 0
const TIMER = 1
const RESTART = 2

/** Verdicts of scoped step properties on a node step outcome (`unseenSuccessors`). */
const PASS = 0
const FAIL = 1
const WORLD = 2

/** The print of a successor not yet built (`unseenSuccessors`). */
const print = newFingerprint()

/** A world in which a handler failed: the failure is a violation of HANDLERS_SUCCEED. */
export interface ProtocolState extends World {
  readonly failure?: string
}

export interface Checks {
  readonly name?: string
  readonly properties?: ReadonlyArray<StateProperty<ProtocolState>>
  readonly stepProperties?: ReadonlyArray<StepProperty<ProtocolState, Event>>
}

/** DSLabs' timer rule: timer t may fire unless an earlier-set timer's max is at most t's min. */
export const timerEnabled = (timers: ReadonlyArray<{ readonly min: number; readonly max: number }>, t: number): boolean => {
  const min = timers[t]!.min
  for (let k = 0; k < t; k++) if (timers[k]!.max <= min) return false
  return true
}

/** Storage for traces: the node's own value as before when no component persisted, else by path. */
const durableView = (d: Durable): unknown => {
  const keys = Object.keys(d)
  return keys.length === 1 && keys[0] === "" ? toPlain(d[""]) : toPlain(d)
}

export const HANDLERS_SUCCEED = invariant<ProtocolState>(
  "HANDLERS_SUCCEED",
  (w) => w.failure === undefined,
  (w) => w.failure
)

export const compile = (config: Config, checks: Checks = {}): TransitionSystem<ProtocolState, Event> & { readonly cluster: Cluster } => {
  const cluster = new Cluster(config)
  const delivery = config.network?.delivery ?? "duplicating"
  const consume = delivery !== "duplicating"
  const drops = consume && (config.network?.drops ?? false)
  const maxCrashed = config.faults?.maxCrashed ?? 0
  const crashable = new Set((config.faults?.crashable ?? config.servers.map((s) => s.address)).map((a) => cluster.index.get(a)!))
  const restarts = config.faults?.restarts ?? true
  const timersOn = config.timers ?? true

  /** Node steps by record and event (step-memo.ts): the outcomes of one step under every choice script. */
  const memo = new StepMemo<ReadonlyArray<Outcome>>()

  /**
   * A crash of node i of record `rec` as a node step's outcome (one per node and record: its scoped
   * verdicts are kept as a memoised step's, and a scoped verdict may depend on the node's index, so
   * two nodes that share an interned record do not share it).
   */
  const crashOutcomes = new WeakMap<NodeRec, Array<Outcome & { readonly step: NodeStep }>>()
  const crashOutcome = (rec: NodeRec, i: number): Outcome & { readonly step: NodeStep } => {
    let byNode = crashOutcomes.get(rec)
    if (byNode === undefined) crashOutcomes.set(rec, (byNode = []))
    let o = byNode[i]
    if (o === undefined) {
      const step: NodeStep = { node: cluster.crashed(rec), unchanged: false, sends: NO_SENDS, sendCount: 0, completed: undefined, command: undefined }
      byNode[i] = o = { choices: [], step, judgedBy: undefined, judged: 0 }
    }
    return o
  }

  /** Runs a node's step under every choice script; a failing handler's outcome is its failure. */
  const outcomes = (run: (c: ScriptChooser) => NodeStep): ReadonlyArray<Outcome> => {
    const out: Outcome[] = []
    let script: number[] | undefined
    do {
      const chooser = new ScriptChooser(script)
      let step: NodeStep | undefined
      let failure: string | undefined
      try {
        step = run(chooser)
      } catch (e) {
        if (!(e instanceof HandlerFailure)) throw e
        failure = e.message
      }
      const choices = chooser.taken.length > 0 || script === undefined ? chooser.taken : script
      out.push(step !== undefined ? { choices, step, judgedBy: undefined, judged: 0 } : { choices, failure: failure!, judgedBy: undefined, judged: 0 })
      script = chooser.next()
    } while (script)
    return out
  }

  /** Node i's step from `rec` on the event of kind `kind` (a message `env`, a timer `t`, a restart). */
  const runStep = (rec: NodeRec, i: number, kind: number, env: Envelope | undefined, t: number, c: ScriptChooser): NodeStep =>
    kind === DELIVER ? cluster.deliverStep(rec, env!, c) : kind === TIMER ? cluster.timerStep(rec, i, t, c) : cluster.restartStep(rec, i, c)

  /**
   * The outcomes of node i's step from `rec` on the event of kind `kind` (memo key (a, b): the
   * message's hash, the timer's index): memoised, or run now.
   */
  const stepOutcomes = (rec: NodeRec, i: number, kind: number, a: number, b: number, env: Envelope | undefined, t: number): ReadonlyArray<Outcome> => {
    if (!memo.on) return memo.recomputed(rec.hi, rec.lo, a, b, i * 4 + kind) ?? runNow(rec, i, kind, env, t)
    let outs = memo.lookup(rec.hi, rec.lo, a, b, i * 4 + kind)
    if (outs === undefined) {
      outs = runNow(rec, i, kind, env, t)
      memo.store(outs)
    }
    return outs
  }
  // Apart from stepOutcomes: a closure there would have V8 copy the arguments it captures into a
  // context allocated on every call, hits too (a quarter of a Raft search's allocation was).
  const runNow = (rec: NodeRec, i: number, kind: number, env: Envelope | undefined, t: number): ReadonlyArray<Outcome> => outcomes((c) => runStep(rec, i, kind, env, t, c))

  /** The label of node i's step of kind `kind` (on message `env`, on timer `t` of record `rec`) under `choices`. */
  const labelOf = (kind: number, i: number, env: Envelope | undefined, rec: NodeRec, t: number, choices: ReadonlyArray<number>): Event =>
    kind === DELIVER ? { k: "deliver", env: env!, choices } : kind === TIMER ? { k: "timer", node: i, t, timer: rec.timers[t]!, choices } : { k: "restart", node: i, choices }

  /**
   * Emits the worlds after node i's step outcomes from `w` (`removed`: the envelope delivery takes
   * out of the network, when it consumes); with `stutters`, not those equal to `w` (a record left
   * as it was, no result, every send already in flight on a network that keeps what it delivers) on
   * which every one of those step properties holds (checked as the step from `w` to `w`; with
   * `unseen`, by its declared check; a violated one is emitted, for the caller to report);
   * with `unseen`, not those whose print it has seen and whose step properties pass, unbuilt (the
   * others are emitted with their print).
   */
  const applied = (w: World, i: number, outs: ReadonlyArray<Outcome>, removed: Envelope | undefined, kind: number, env: Envelope | undefined, t: number, emit: (e: Event, next: ProtocolState, print?: Fingerprint, holds?: boolean) => void, stutters: StutterChecks | undefined, unseen: Unseen | undefined): number => {
    let omitted = 0
    const rec = w.nodes[i]!
    for (const o of outs) {
      const step = o.step
      if (step === undefined) emit(labelOf(kind, i, env, rec, t, o.choices), { ...w, failure: o.failure })
      else if (
        stutters !== undefined &&
        removed === undefined &&
        step.unchanged &&
        step.completed === undefined &&
        cluster.inFlight(w, step.sends) &&
        (stutters.length === 0 || (unseen !== undefined ? unseen.stutterPass(w, i, o, step, env) : stutterHolds(stutters, w, labelOf(kind, i, env, rec, t, o.choices))))
      )
        omitted++
      else if (unseen === undefined || !cluster.printAfter(w, i, step.node, step.sends, removed, print)) emit(labelOf(kind, i, env, rec, t, o.choices), cluster.applyNodeStep(w, i, step, removed))
      else if (unseen.seen(print.hi, print.lo) && unseen.passStep(w, i, o, step, env)) omitted++
      else emit(labelOf(kind, i, env, rec, t, o.choices), cluster.applyNodeStep(w, i, step, removed), print, unseen.passes(w, i, o, step, env))
    }
    return omitted
  }

  /** Every enabled step, or with `asleep` (partial-order reduction) those whose key it does not hold, their handlers not run. */
  const successors = (w: ProtocolState, emit: (e: Event, next: ProtocolState, print?: Fingerprint, holds?: boolean) => void, asleep?: (key: string) => boolean, stutters?: StutterChecks, unseen?: Unseen): number => {
    if (w.failure !== undefined) return 0
    let omitted = 0
    const net = w.net
    const nodes = w.nodes
    for (let m = 0; m < net.length; m++) {
      const env = net[m]!
      // FIFO: only the head of each link is deliverable.
      if (cluster.fifo && m > 0 && net[m - 1]!.from === env.from && net[m - 1]!.to === env.to) continue
      if (!nodes[env.dst]!.up) continue
      if (asleep === undefined || !asleep(deliverKey(env))) {
        const i = env.dst
        const rec = nodes[i]!
        const outs = stepOutcomes(rec, i, DELIVER, env.hi, env.lo, env, 0)
        omitted += applied(w, i, outs, consume ? env : undefined, DELIVER, env, 0, emit, stutters, unseen)
      }
      if (drops && (asleep === undefined || !asleep(dropKey(env)))) {
        if (unseen !== undefined && cluster.printAfter(w, -1, undefined, NO_SENDS, env, print) && unseen.seen(print.hi, print.lo) && unseen.dropPass(w)) {
          omitted++
          continue
        }
        const rest = cluster.netWithout(net, env)
        emit({ k: "drop", env }, { nodes: w.nodes, net: rest, sendSeq: w.sendSeq, aux: auxAfter(w.aux, w.aux.step + 1, w.aux.history, w.aux.messagesSent) })
      }
    }
    if (timersOn)
      for (let i = 0; i < nodes.length; i++) {
        const rec = nodes[i]!
        const timers = rec.timers
        if (!rec.up) continue
        for (let t = 0; t < timers.length; t++) {
          if (!timerEnabled(timers, t) || (asleep !== undefined && asleep(timerKey(i, t)))) continue
          const outs = stepOutcomes(rec, i, TIMER, t, 0, undefined, t)
          omitted += applied(w, i, outs, undefined, TIMER, undefined, t, emit, stutters, unseen)
        }
      }
    if (maxCrashed > 0) {
      let down = 0
      for (const n of nodes) if (!n.up) down++
      for (let i = 0; i < nodes.length; i++) {
        if (!crashable.has(i)) continue
        if (nodes[i]!.up && down < maxCrashed) {
          if (asleep !== undefined && asleep(crashKey(i))) continue
          let holds = false
          if (unseen !== undefined) {
            const o = crashOutcome(nodes[i]!, i)
            if (cluster.printAfter(w, i, o.step.node, NO_SENDS, undefined, print) && unseen.seen(print.hi, print.lo) && unseen.passStep(w, i, o, o.step, undefined)) {
              omitted++
              continue
            }
            holds = unseen.passes(w, i, o, o.step, undefined)
          }
          emit({ k: "crash", node: i }, cluster.crash(w, i), undefined, holds)
        } else if (!nodes[i]!.up && restarts && (asleep === undefined || !asleep(restartKey(i)))) {
          const rec = nodes[i]!
          const outs = stepOutcomes(rec, i, RESTART, 0, 0, undefined, 0)
          omitted += applied(w, i, outs, undefined, RESTART, undefined, 0, emit, stutters, unseen)
        }
      }
    }
    return omitted
  }

  const choiceText = (choices: ReadonlyArray<number>) => (choices.length > 0 ? ` [choose ${choices.join(",")}]` : "")
  const formatLabel = (e: Event): string => {
    switch (e.k) {
      case "deliver":
        return `deliver ${e.env.from} -> ${e.env.to}: ${cluster.show(e.env.msg)}${choiceText(e.choices)}`
      case "drop":
        return `drop ${e.env.from} -> ${e.env.to}: ${cluster.show(e.env.msg)}`
      case "timer":
        return `timer ${cluster.addresses[e.node]}: ${(e.timer.sub ? `${e.timer.sub}: ` : "") + cluster.show(e.timer.timer)}${choiceText(e.choices)}`
      case "crash":
        return `crash ${cluster.addresses[e.node]}`
      case "restart":
        return `restart ${cluster.addresses[e.node]}${choiceText(e.choices)}`
    }
  }
  const view = (w: ProtocolState) => ({
    nodes: Object.fromEntries(
      w.nodes.map((n, i) => [
        cluster.addresses[i],
        {
          up: n.up,
          state: toPlain(n.state),
          timers: n.timers.map((t) => (t.sub ? `${t.sub}: ` : "") + cluster.show(t.timer)),
          ...(n.durable !== undefined ? { durable: durableView(n.durable) } : {}),
          ...(n.client ? { client: { next: n.client.next, pending: n.client.pending, results: resultsOf(n.client).map(cluster.show) } } : {}),
        },
      ])
    ),
    network: w.net.map((e) => `${e.from} -> ${e.to}: ${cluster.show(e.msg)}`),
    ...(w.failure ? { failure: w.failure } : {}),
  })

  const allSuccessors = (w: ProtocolState, emit: (e: Event, next: ProtocolState) => void, omitStutters?: StutterChecks): number => successors(w, emit, undefined, omitStutters)

  // A failed world differs from its parent only by `failure`: mark it, or the visited set drops it unchecked.
  const fingerprint = (w: ProtocolState, out: Fingerprint): void => {
    fingerprintWorld(w, cluster.fifo, out)
    if (w.failure !== undefined) out.lo = (out.lo ^ 0x9e3779b9) >>> 0
  }

  /**
   * For BFS (`TransitionSystem.unseenSuccessors`): successors that leave out a node's step into a
   * world of a print `seen` holds when every step property, each declared (step-reads.ts), passes on
   * a world of the step's records (those of declared scope judged once per memoised node step);
   * served for this system's own successors and print (not a wrapper's), off FIFO networks.
   */
  const unseenSuccessors = (system: TransitionSystem<ProtocolState, Event>, steps: ReadonlyArray<StepProperty<ProtocolState, Event>>, seen: (hi: number, lo: number) => boolean) => {
    if (system.fingerprint !== fingerprint || system.successors !== allSuccessors || cluster.fifo) return undefined
    const declared = steps.map((p) => declaredReads(p))
    if (declared.some((d) => d === undefined)) return undefined
    /** The world after a step of `sends` to `nodes`, as far as declared checks read it. */
    const after = (w: World, nodes: World["nodes"], sends: ReadonlyArray<HashedSend>): ProtocolState => ({ nodes, net: w.net, sendSeq: w.sendSeq + sends.length, aux: w.aux })
    /**
     * Whether the properties `ps` (declared `ds`) hold on node i's step from `w` to `to` with `sends`,
     * delivering `env`: the records-only ones when `nodes`, the others (sends, delivery) when `sent`.
     */
    const hold = (ps: typeof steps, ds: typeof declared, w: World, to: World, i: number, sends: ReadonlyArray<HashedSend>, env: Envelope | undefined, nodes: boolean, sent: boolean): boolean => {
      for (let k = 0; k < ps.length; k++) {
        const d = ds[k]!
        if (d.reads === "nodes" ? nodes && ps[k]!.check(w, undefined as unknown as Event, to) !== undefined : sent && d.check(w, to, i, env, sends) !== undefined) return false
      }
      return true
    }
    const dropPass = (w: World): boolean => hold(steps, declared, w, after(w, w.nodes, NO_SENDS), -1, NO_SENDS, undefined, true, true)
    /**
     * Scoped properties (step-reads.ts `StepScope`) judged once per node step outcome: the memo hands
     * the same outcome back in every world where the same record meets the same event (a delivered
     * envelope of the same hash), and their verdict on it is the same in each. PASS: the scoped ones hold and every other is quiet; FAIL: a
     * scoped one fails; WORLD: the scoped ones hold, the others are to be judged on the world.
     */
    const judgedBy = {}
    const scoped = declared.map((d) => d!.scope === "node")
    const quiet = declared.map((d) => (typeof d!.scope === "function" ? d!.scope : undefined))
    const rest = steps.filter((_, k) => !scoped[k])
    const restDeclared = declared.filter((_, k) => !scoped[k])
    const judge = (w: World, i: number, o: Outcome, step: NodeStep, env: Envelope | undefined): number => {
      if (o.judgedBy === judgedBy) return o.judged
      const before = w.nodes[i]!
      // A record left as it was leaves the world's records (applyNodeStep).
      const changed = !step.unchanged && step.node !== before
      const to = after(w, changed ? withRecord(w.nodes, i, step.node) : w.nodes, step.sends)
      let v = PASS
      for (let k = 0; k < steps.length; k++) {
        const d = declared[k]!
        if (scoped[k]) {
          if (d.reads === "nodes" ? changed && steps[k]!.check(w, undefined as unknown as Event, to) !== undefined : d.check(w, to, i, env, step.sends) !== undefined) {
            v = FAIL
            break
          }
        } else if (v === PASS && quiet[k]?.(w, to, i) !== true) v = WORLD
      }
      o.judgedBy = judgedBy
      o.judged = v
      return v
    }
    const passStep = (w: World, i: number, o: Outcome, step: NodeStep, env: Envelope | undefined): boolean => {
      const v = judge(w, i, o, step, env)
      if (v !== WORLD) return v === PASS
      const nodes = step.unchanged || step.node === w.nodes[i] ? w.nodes : withRecord(w.nodes, i, step.node)
      return hold(rest, restDeclared, w, after(w, nodes, step.sends), i, step.sends, env, true, true)
    }
    // A stutter leaves the records as they were: a records-only property's verdict on it is the world's own, whatever the step.
    let nodesFor: World | undefined
    let nodesOk = true
    const stutterPass = (w: World, i: number, o: Outcome, step: NodeStep, env: Envelope | undefined): boolean => {
      const v = judge(w, i, o, step, env)
      if (v !== WORLD) return v === PASS
      if (w !== nodesFor) {
        nodesFor = w
        nodesOk = hold(rest, restDeclared, w, w, i, NO_SENDS, undefined, true, false)
      }
      return nodesOk && hold(rest, restDeclared, w, after(w, w.nodes, step.sends), i, step.sends, env, false, true)
    }
    const passes = (w: World, i: number, o: Outcome, step: NodeStep, env: Envelope | undefined): boolean => judge(w, i, o, step, env) === PASS
    const unseen: Unseen = { seen, dropPass, passStep, stutterPass, passes }
    return (w: ProtocolState, emit: (e: Event, next: ProtocolState, print?: Fingerprint, holds?: boolean) => void): number => successors(w, emit, undefined, steps, unseen)
  }

  return {
    name: checks.name ?? "protocol",
    cluster,
    initial: () => {
      const inits: ProtocolState[] = []
      let script: number[] | undefined = []
      while (script) {
        const chooser = new ScriptChooser(script)
        inits.push(cluster.initialWorld(chooser))
        script = chooser.next()
      }
      return inits
    },
    successors: allSuccessors,
    independence: { actor: actorOf, shared: faultStep, key: eventKey, successorsAwake: (w, asleep, emit) => successors(w, emit, asleep) },
    unseenSuccessors,
    fingerprint,
    formatLabel,
    encodeLabel: (e) => encodeEvent(cluster.addresses, e),
    eventProblem: checkedEventProblem,
    view,
    properties: [HANDLERS_SUCCEED, ...(checks.properties ?? [])],
    stepProperties: checks.stepProperties ?? [],
    causality: (e) =>
      e.k === "deliver"
        ? { actor: cluster.addresses[e.env.dst]!, receives: e.env.from, sent: e.env.seq }
        : e.k === "drop"
          ? { actor: cluster.addresses[e.env.dst]!, receives: e.env.from }
          : { actor: cluster.addresses[e.node]! },
    sendCount: (w) => w.sendSeq,
    memo,
    interner: () => new RecordInterner(),
    ...(config.symmetry ? { symmetry: worldSymmetry<ProtocolState>(cluster, config, config.symmetry, checks.name ?? "protocol") } : {}),
  }
}
