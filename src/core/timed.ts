/**
 * The timed simulator: the same handlers on a simulated clock, with message latency (hence
 * reordering), loss, duplication, partitions and crashes, all drawn from one seeded generator.
 * It is a transition system with exactly one successor per state (the next event), so every checker
 * strategy, trace, replay and property works on it unchanged; `simulate` with one sample runs it.
 */
import { Rng } from "../checker/random.ts"
import type { StateProperty, TransitionSystem } from "../checker/transition-system.ts"
import { fingerprintValue } from "../checker/hash.ts"
import { HANDLERS_SUCCEED, type ProtocolState } from "./compile.ts"
import type { Config } from "./config.ts"
import { Cluster, type Chooser, HandlerFailure } from "./execute.ts"
import type { Address } from "./node.ts"
import { allClientsDone, clientsDone } from "./properties.ts"
import { toPlain } from "./show.ts"
import { encodeTimedEvent, timedEventProblem } from "./trace-events.ts"
import { type Envelope, fingerprintWorld, historyOf, type TimerRec, type World } from "./world.ts"

export type Fault =
  | { readonly at: number; readonly k: "partition"; readonly groups: ReadonlyArray<ReadonlyArray<Address>> }
  | { readonly at: number; readonly k: "heal" }
  | { readonly at: number; readonly k: "crash"; readonly node: Target }
  | { readonly at: number; readonly k: "restart"; readonly node: Target }

/**
 * A fault's node: an address, or a role resolved when the fault strikes (e.g. "the primary of the
 * moment"), so that a scenario hits the role whatever the seed made of the early runs.
 */
export type Target = Address | ((w: World) => Address | undefined)

/** A fault as it struck: its target resolved (undefined when the role was vacant). */
export type Struck = Exclude<Fault, { k: "crash" | "restart" }> | { readonly at: number; readonly k: "crash" | "restart"; readonly node: Address | undefined }

export interface SimOptions {
  /** Probability that a message is lost. */
  readonly loss?: number
  /** Probability that a delivered message is delivered again later. */
  readonly duplicate?: number
  /** Latency of each message, uniform in [min, max] (default 1 to 10): reordering comes from here. */
  readonly latency?: readonly [number, number]
  /** Latency of a duplicate's re-delivery (default `latency`): a long one delivers stale copies after views or ballots moved on. */
  readonly duplicateLatency?: readonly [number, number]
  /** Faults at fixed times. */
  readonly faults?: ReadonlyArray<Fault>
  /**
   * Every `every` time units, a random partition: the servers split into a majority and a minority,
   * each client on a random side; or, one time in four, healed. Healed for good at `until`.
   */
  readonly randomPartitions?: { readonly every: number; readonly until?: number }
  /** Every `every` time units, a random server crashes and restarts `downFor` later (at most one down). */
  readonly randomCrashes?: { readonly every: number; readonly downFor: number; readonly until?: number }
  /** Stop after this simulated time. */
  readonly maxTime?: number
  /** Stop once every client has finished (default true). */
  readonly stopWhenDone?: boolean
}

export interface TimedState extends ProtocolState {
  readonly now: number
  readonly rng: readonly [number, number, number, number]
  /** When each in-flight message arrives and each timer fires. */
  readonly due: ReadonlyMap<Envelope | TimerRec, number>
  readonly groups: ReadonlyMap<Address, number> | undefined
  /** Index of the next fault of the schedule. */
  readonly nextFault: number
  readonly stats: SimStats
}

export interface SimStats {
  readonly delivered: number
  readonly dropped: number
  readonly duplicated: number
  /** Messages delivered from one server to another. */
  readonly serverMessages: number
  readonly timersFired: number
}

export type TimedEvent =
  | { readonly k: "deliver"; readonly env: Envelope; readonly at: number }
  | { readonly k: "lost"; readonly env: Envelope; readonly at: number; readonly why: string }
  | { readonly k: "timer"; readonly node: number; readonly timer: TimerRec; readonly at: number }
  | { readonly k: "fault"; readonly fault: Struck }

/** A fault schedule: the fixed faults plus the random ones, drawn from the run's seed. */
const schedule = (servers: ReadonlyArray<Address>, clients: ReadonlyArray<Address>, options: SimOptions, rng: Rng): Fault[] => {
  const faults: Fault[] = [...(options.faults ?? [])]
  const end = options.maxTime ?? 1_000_000
  const rp = options.randomPartitions
  if (rp) {
    for (let t = rp.every; t < (rp.until ?? end); t += rp.every) {
      if (rng.next() < 0.25) {
        faults.push({ at: t, k: "heal" })
        continue
      }
      const shuffled = rng.shuffle([...servers])
      const cut = Math.floor(servers.length / 2)
      const majority = shuffled.slice(cut)
      const minority = shuffled.slice(0, cut)
      // Each client lands on one side, so clients are partitioned along with the servers they reach.
      for (const c of clients) (rng.next() < 0.5 ? majority : minority).push(c)
      faults.push({ at: t, k: "partition", groups: [majority, minority] })
    }
    if (rp.until !== undefined) faults.push({ at: rp.until, k: "heal" })
  }
  const rc = options.randomCrashes
  if (rc)
    for (let t = rc.every; t + rc.downFor < (rc.until ?? end); t += rc.every + rc.downFor) {
      const node = servers[rng.int(servers.length)]!
      faults.push({ at: t, k: "crash", node }, { at: t + rc.downFor, k: "restart", node })
    }
  return faults.sort((a, b) => a.at - b.at)
}

export type Injected = { readonly k: "partition"; readonly groups: ReadonlyArray<ReadonlyArray<Address>> } | { readonly k: "heal" } | { readonly k: "crash" | "restart"; readonly node: Address }

export type TimedSystem = TransitionSystem<TimedState, TimedEvent> & {
  readonly cluster: Cluster
  /** The state after `fault` strikes now (scenarios inject faults as the story goes, not on a schedule). */
  readonly inject: (s: TimedState, fault: Injected) => TimedState
}

export const timed = (
  config: Config,
  options: SimOptions,
  seed: number,
  checks: {
    readonly name?: string
    readonly properties?: ReadonlyArray<StateProperty<TimedState>>
    /** Scores of a finished run, given its events when known (default `simReport`). */
    readonly report?: (s: TimedState, events?: ReadonlyArray<TimedEvent>) => Readonly<Record<string, unknown>>
  } = {}
): TimedSystem => {
  // The simulator consumes messages on delivery; duplication is its own fault.
  const cluster = new Cluster({ ...config, network: { ...config.network, delivery: "multiset" } })
  const loss = options.loss ?? 0
  const dup = options.duplicate ?? 0
  const [latMin, latMax] = options.latency ?? [1, 10]
  const [dupMin, dupMax] = options.duplicateLatency ?? [latMin, latMax]
  const maxTime = options.maxTime ?? 10_000_000
  const stopWhenDone = options.stopWhenDone ?? true
  const scheduleRng = Rng.forSample(seed, 1)
  const faults = schedule(
    config.servers.map((s) => s.address),
    config.clients.map((c) => c.address),
    options,
    scheduleRng
  )
  const rngChooser = (rng: Rng): Chooser => ({ choose: (n) => rng.int(n) })

  /** Gives new messages an arrival time (or loses them) and new timers a firing time. */
  const stamp = (before: World, w: World, due: Map<Envelope | TimerRec, number>, rng: Rng, now: number, stats: { dropped: number }): World => {
    let net = w.net
    // In send order, so that runs do not depend on the network's (hash) order.
    const sent = w.net.filter((env) => env.seq >= before.sendSeq).sort((a, b) => a.seq - b.seq)
    for (const env of sent) {
      if (rng.next() < loss) {
        net = net.filter((e) => e !== env)
        stats.dropped++
      } else due.set(env, now + rng.range(latMin, latMax))
    }
    for (const n of w.nodes) for (const t of n.timers) if (!due.has(t)) due.set(t, now + rng.range(t.min, t.max))
    return net === w.net ? w : { ...w, net }
  }

  const nextEvent = (s: TimedState): TimedEvent | undefined => {
    let best: TimedEvent | undefined
    let bestAt = Infinity
    const fault = faults[s.nextFault]
    if (fault) {
      best = { k: "fault", fault: fault.k === "crash" || fault.k === "restart" ? { ...fault, node: typeof fault.node === "function" ? fault.node(s) : fault.node } : fault }
      bestAt = fault.at
    }
    let bestSeq = Infinity
    for (const env of s.net) {
      const at = s.due.get(env)!
      // Ties go to the message sent first, whatever the network's order.
      if (at < bestAt || (at === bestAt && best?.k !== "fault" && env.seq < bestSeq)) {
        bestAt = at
        bestSeq = env.seq
        const up = s.nodes[env.dst]!.up
        const reachable = up && (!s.groups || s.groups.get(cluster.addresses[env.src]!) === s.groups.get(cluster.addresses[env.dst]!))
        best = reachable ? { k: "deliver", env, at } : { k: "lost", env, at, why: up ? "partitioned" : "receiver down" }
      }
    }
    s.nodes.forEach((n, i) => {
      if (!n.up) return
      for (const timer of n.timers) {
        const at = s.due.get(timer)!
        if (at < bestAt) {
          bestAt = at
          best = { k: "timer", node: i, timer, at }
        }
      }
    })
    return bestAt <= maxTime ? best : undefined
  }

  /** Applies `e`; an injected fault (a scenario's) strikes now and is not the schedule's next. */
  const apply = (s: TimedState, e: TimedEvent, injected = false): TimedState => {
    const rng = Rng.restore(s.rng)
    const now = e.k === "fault" ? e.fault.at : e.at
    const due = new Map(s.due)
    const stats = { ...s.stats }
    let groups = s.groups
    let nextFault = s.nextFault
    let w: World = { ...s, aux: { ...s.aux, clock: now } }
    const before = w
    switch (e.k) {
      case "deliver": {
        const again = rng.next() < dup
        w = cluster.deliver(w, e.env, !again, rngChooser(rng))
        if (again) {
          due.set(e.env, now + rng.range(dupMin, dupMax))
          stats.duplicated++
        } else due.delete(e.env)
        stats.delivered++
        if (!cluster.isClient(e.env.src) && !cluster.isClient(e.env.dst)) stats.serverMessages++
        break
      }
      case "lost":
        w = { ...w, net: w.net.filter((x) => x !== e.env) }
        due.delete(e.env)
        stats.dropped++
        break
      case "timer": {
        const t = s.nodes[e.node]!.timers.indexOf(e.timer)
        w = cluster.fireTimer(w, e.node, t, rngChooser(rng))
        due.delete(e.timer)
        stats.timersFired++
        break
      }
      case "fault": {
        if (!injected) nextFault++
        const f = e.fault
        if (f.k === "partition") groups = new Map(f.groups.flatMap((g, i) => g.map((a) => [a, i] as const)))
        else if (f.k === "heal") groups = undefined
        else if (f.node !== undefined) {
          const i = cluster.index.get(f.node)
          if (i === undefined) throw new Error(`fault names unknown node ${f.node}`)
          if (f.k === "crash" && w.nodes[i]!.up) w = cluster.crash(w, i)
          if (f.k === "restart" && !w.nodes[i]!.up) w = cluster.restart(w, i, rngChooser(rng))
        }
        break
      }
    }
    w = stamp(before, w, due, rng, now, stats)
    // Forget firing times of timers that were cancelled or fired.
    const live = new Set<TimerRec>(w.nodes.flatMap((n) => n.timers))
    for (const k of due.keys()) if (!("seq" in k) && !live.has(k)) due.delete(k)
    return { ...w, now, rng: rng.save(), due, groups, nextFault, stats }
  }

  const initial = (): TimedState[] => {
    const rng = Rng.forSample(seed, 0)
    const due = new Map<Envelope | TimerRec, number>()
    const stats = { delivered: 0, dropped: 0, duplicated: 0, serverMessages: 0, timersFired: 0 }
    const w0 = cluster.initialWorld(rngChooser(rng))
    const empty: World = { ...w0, net: [], sendSeq: 0 }
    const w = stamp(empty, w0, due, rng, 0, stats)
    return [{ ...w, now: 0, rng: rng.save(), due, groups: undefined, nextFault: 0, stats }]
  }

  const show = (env: Envelope) => `${env.from} -> ${env.to}: ${cluster.show(env.msg)}`
  return {
    name: checks.name ?? "timed simulation",
    cluster,
    initial,
    inject: (s, fault) => apply(s, { k: "fault", fault: { ...fault, at: s.now } }, true),
    successors: (s, emit) => {
      if (s.failure !== undefined || (stopWhenDone && allClientsDone(s))) return
      const e = nextEvent(s)
      if (!e) return
      let next: TimedState
      try {
        next = apply(s, e)
      } catch (err) {
        if (!(err instanceof HandlerFailure)) throw err
        next = { ...s, failure: err.message }
      }
      emit(e, next)
    },
    fingerprint: (s, out) => {
      fingerprintWorld(s, false, out)
      fingerprintValue([out.hi, out.lo, s.now, s.rng, s.nextFault, s.failure], out)
    },
    formatLabel: (e) => {
      switch (e.k) {
        case "deliver":
          return `@${e.at} deliver ${show(e.env)}`
        case "lost":
          return `@${e.at} lost (${e.why}) ${show(e.env)}`
        case "timer":
          return `@${e.at} timer ${cluster.addresses[e.node]}: ${(e.timer.sub ? `${e.timer.sub}: ` : "") + cluster.show(e.timer.timer)}`
        case "fault": {
          const f = e.fault
          return `@${f.at} ${f.k}${f.k === "partition" ? ` ${f.groups.map((g) => `{${g.join(",")}}`).join(" ")}` : f.k === "heal" ? "" : ` ${f.node ?? "(nobody: role vacant)"}`}`
        }
      }
    },
    encodeLabel: (e) => encodeTimedEvent(cluster.addresses, e),
    eventProblem: timedEventProblem,
    view: (s) => ({
      now: s.now,
      nodes: Object.fromEntries(s.nodes.map((n, i) => [cluster.addresses[i], { up: n.up, state: toPlain(n.state), timers: n.timers.length }])),
      inFlight: s.net.length,
      stats: s.stats,
      ...(s.failure ? { failure: s.failure } : {}),
    }),
    properties: [HANDLERS_SUCCEED as StateProperty<TimedState>, ...(checks.properties ?? [])],
    report: checks.report ?? simReport,
    causality: (e) =>
      e.k === "deliver"
        ? { actor: cluster.addresses[e.env.dst]!, receives: e.env.from, sent: e.env.seq }
        : e.k === "lost"
          ? { actor: cluster.addresses[e.env.dst]!, receives: e.env.from }
          : e.k === "timer"
            ? { actor: cluster.addresses[e.node]! }
            : { actor: "network" },
    sendCount: (s) => s.sendSeq,
  }
}

/** Goal: every client finished its workload (CLIENTS_DONE of properties.ts, over simulated worlds). */
export const simDone = (): StateProperty<TimedState> => clientsDone<TimedState>()

/** Scoring like a course simulator: traffic, failures and latency of a finished run. */
export const simReport = (s: TimedState) => {
  const ops = historyOf(s)
  const done = ops.filter((o) => o.ret !== undefined)
  const lat = done.map((o) => o.ret! - o.call).sort((a, b) => a - b)
  const pct = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]! : null)
  return {
    simulatedTime: s.now,
    operations: ops.length,
    completed: done.length,
    unanswered: ops.length - done.length,
    messagesSent: s.aux.messagesSent,
    serverMessages: s.stats.serverMessages,
    delivered: s.stats.delivered,
    dropped: s.stats.dropped,
    duplicated: s.stats.duplicated,
    timersFired: s.stats.timersFired,
    medianLatency: pct(0.5),
    p99Latency: pct(0.99),
    maxLatency: lat.length ? lat[lat.length - 1]! : null,
  }
}
