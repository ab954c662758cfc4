/**
 * Swarm simulation: many timed simulations (timed.ts) of one configuration, run `i` built from its own
 * seed with its own mix of faults drawn from that seed (loss, duplication, latency, partitions,
 * crashes: swarm testing), so one run may lose nothing and crash often while the next partitions
 * constantly. One notion, `swarm`, with two options:
 *
 * - lockstep: every run's initial state is an initial state of one system (`simSwarm`); a simulation
 *   has one successor per state, so BFS runs them all in lockstep and the first violation it meets is
 *   the earliest over all runs (fewest events). Without lockstep the runs go one after the other and
 *   the hunt stops at the first run that breaks an invariant (`huntBySimulation`).
 * - explain: the interleaving model of the same configuration. A violating run's events are lifted to
 *   it (a delivery stays a delivery, a crash a crash; losses, partitions and heals are messages never
 *   delivered), minimised there by delta debugging, and handed back as a system that takes exactly that
 *   path, whose labels replay on the interleaving model: timed traces run to hundreds of events
 *   (timers, heartbeats), the lifted ones keep only the steps the bug needs. Without a violation the
 *   result is the model's initial state with no step (a search of it is "ok").
 *
 * Run `i` draws from `Rng.forSample(seed, i)` (its simulation seeded by that generator's first draw),
 * so every run is reproducible from the test's seed alone. The fault mixes: `drawFaults` (each kind on
 * or off, its rate drawn) and `swarmSimOptions` (moving partitions and crashes hitting the leader).
 */
import { explore } from "../checker/explore.ts"
import { deriveSeed, fmix32 } from "../checker/hash.ts"
import { minimisePath } from "../checker/minimise.ts"
import { pathSystem } from "../checker/staged.ts"
import { Rng } from "../checker/random.ts"
import type { CheckOptions, Path, TraceStep } from "../checker/result.ts"
import { type Fingerprint, newFingerprint, type TransitionSystem } from "../checker/transition-system.ts"
import type { Address } from "./node.ts"
import type { Fault, SimOptions, Target, TimedEvent, TimedState } from "./timed.ts"
import type { World } from "./world.ts"

type Timed = TransitionSystem<TimedState, TimedEvent>

// ---- one swarm -----------------------------------------------------------------------------------

export interface Swarm<S, L> {
  /** Simulated runs (default 200). */
  readonly runs?: number
  readonly seed: number
  /**
   * Run `run`'s timed system: the configuration with a fault mix drawn from `rng` (`Rng.forSample(seed,
   * run)`), simulated with seed `runSeed` (that generator's first draw).
   */
  readonly simulate: (rng: Rng, runSeed: number, run: number) => Timed
  /** All runs at once, as one system searched by BFS (the earliest violation over all runs); default one after the other. */
  readonly lockstep?: boolean
  /** The interleaving model of the same configuration, to lift and minimise a violation in (crashes allowed wherever the simulation crashes). */
  readonly explain?: TransitionSystem<S, L>
}

const runOf = <S, L>(swarm: Swarm<S, L>, run: number): Timed => {
  const rng = Rng.forSample(swarm.seed, run)
  return swarm.simulate(rng, rng.nextU32(), run)
}

/**
 * The swarm as a system to search. Lockstep without `explain`: the runs as one system (`simSwarm`).
 * Otherwise the earliest violation, lifted and minimised in `explain` (a violation the model cannot
 * show, one about time, keeps its timed path in lockstep; one after the other, the next run is tried);
 * without a violation, `explain`'s initial state alone.
 */
export const swarm = <S, L>(spec: Swarm<S, L>): TransitionSystem<any, any> => {
  const runs = spec.runs ?? 200
  if (spec.lockstep) {
    const all = simSwarm(Array.from({ length: runs }, (_, i) => runOf(spec, i)))
    if (!spec.explain) return all
    const r = explore(all, { strategy: "bfs", minimise: false })
    if (r.verdict !== "violation" || !r.path || r.property === undefined) return nothingFound(spec.explain)
    const short = liftAndMinimise(spec.explain, r.path, r.property)
    return short ? pathSystem(spec.explain, short) : pathSystem(all, r.path)
  }
  if (!spec.explain) throw new Error("swarm: runs one after the other need an interleaving model to explain a violation in")
  const { found } = huntBySimulation({ ...spec, interleaved: spec.explain })
  return found ? pathSystem(spec.explain, found.path) : nothingFound(spec.explain)
}

const nothingFound = <S, L>(model: TransitionSystem<S, L>) => pathSystem(model, { initialIndex: 0, initial: model.initial()[0]!, steps: [] })

/** A swarm run one after the other, explained in `interleaved` (the Raft and primary-backup hunts' shape). */
export type SimHunt<S, L> = Omit<Swarm<S, L>, "explain" | "lockstep"> & { readonly interleaved: TransitionSystem<S, L> }

export interface SimHuntResult<S, L> {
  /** The lifted, minimised counterexample and the run that found it, if any. */
  readonly found?: { readonly run: number; readonly property: string; readonly timedLength: number; readonly path: Path<S, L> }
  readonly runs: number
}

/** Runs the swarm one run after the other until one violates an invariant that its lifted trace violates too. */
export const huntBySimulation = <S, L>(spec: SimHunt<S, L>): SimHuntResult<S, L> => {
  const runs = spec.runs ?? 200
  for (let run = 0; run < runs; run++) {
    const rng = Rng.forSample(spec.seed, run)
    const runSeed = rng.nextU32()
    const r = explore(spec.simulate(rng, runSeed, run), { strategy: "random", samples: 1, maxDepth: 10_000_000, minimise: false, checkDeterminism: false, seed: runSeed })
    if (r.verdict !== "violation" || !r.path || r.property === undefined) continue
    const path = liftAndMinimise(spec.interleaved, r.path, r.property)
    if (!path) continue // the lifted run does not break the invariant (it needed timing): try the next
    return { found: { run, property: r.property, timedLength: r.path.steps.length, path }, runs: run + 1 }
  }
  return { runs }
}

/** The hunt of the Raft and primary-backup models: runs one after the other, the first violation explained in `interleaved`. */
export const simHuntSystem = <S, L>(hunt: SimHunt<S, L>): TransitionSystem<S, L> => swarm({ ...hunt, explain: hunt.interleaved })

/**
 * Of `runs` simulations, each from its own seed (`seed`, then seeds derived from it), the first that
 * breaks a property explored with `options`, or the last. A simulation has one successor per state, so
 * the random strategy's samples of one build all follow the same run: a lab whose planted bug one run
 * misses under some seeds takes several (so does a planted bug's swarm hunt, whose every build is one
 * run here). The test searches the system again (runs are deterministic).
 */
export const firstBreakingRun = <S, L>(runs: number, seed: number, options: CheckOptions, run: (seed: number) => TransitionSystem<S, L>): TransitionSystem<S, L> => {
  for (let i = 0; i < runs - 1; i++) {
    const system = run(i === 0 ? seed : deriveSeed(seed, i))
    if (explore(system, { ...options, checkDeterminism: false, seed }).verdict === "violation") return system
  }
  return run(runs > 1 ? deriveSeed(seed, runs - 1) : seed)
}

// ---- lockstep --------------------------------------------------------------------------------------

/**
 * Runs as one transition system: their initial states together are its initial states, a trace
 * replays on it by its initial index. The runs must share their configuration and properties (only
 * seeds and fault options differ): labels are formatted and properties checked by the first run's
 * system. Which run a state belongs to is remembered beside it (a WeakMap keyed by state object), so
 * the system runs on one thread.
 */
export const simSwarm = <S extends object, L>(runs: ReadonlyArray<TransitionSystem<S, L>>): TransitionSystem<S, L> => {
  const first = runs[0]
  if (!first) throw new Error("simSwarm: no runs")
  const owner = new WeakMap<S, number>()
  const ownerOf = (s: S) => runs[owner.get(s) ?? 0]!
  const out = Object.create(first) as TransitionSystem<S, L>
  Object.defineProperties(out, {
    initial: {
      value: () =>
        runs.flatMap((r, i) =>
          r.initial().map((s) => {
            owner.set(s, i)
            return s
          })
        ),
    },
    successors: {
      value: (s: S, emit: (label: L, next: S) => void) => {
        const i = owner.get(s) ?? 0
        runs[i]!.successors(s, (l, n) => {
          owner.set(n, i)
          emit(l, n)
        })
      },
    },
    fingerprint: {
      value: (s: S, fp: Fingerprint) => {
        const i = owner.get(s) ?? 0
        runs[i]!.fingerprint(s, fp)
        fp.hi = fmix32(fp.hi ^ Math.imul(i + 1, 0x9e3779b1))
      },
    },
    view: { value: (s: S) => ownerOf(s).view(s) },
    ...(first.report ? { report: { value: (s: S) => ownerOf(s).report?.(s) ?? {} } } : {}),
  })
  return out
}

// ---- explaining: lift, minimise, hand back as a path ------------------------------------------------

/** A timed event's label as the interleaving model writes it, or undefined for a loss, partition or heal. */
export const liftLabel = (text: string): string | undefined => {
  const m = /^@\S+ (.*)$/.exec(text)
  const rest = m ? m[1]! : text
  if (/^(deliver|timer) /.test(rest)) return rest
  const fault = /^(crash|restart) (\S+)$/.exec(rest)
  return fault ? `${fault[1]} ${fault[2]}` : undefined
}

/**
 * `path` with every cycle cut out: when a state's fingerprint is one the path had before, the steps
 * between the two visits go (a timer that re-sent what was in flight, a stale message ignored). The
 * rest replays alike, since it leaves from the same state.
 */
export const withoutCycles = <S, L>(system: TransitionSystem<S, L>, path: Path<S, L>): Path<S, L> => {
  const key = (s: S) => {
    const fp = newFingerprint()
    system.fingerprint(s, fp)
    return `${fp.hi}:${fp.lo}`
  }
  const seen = new Map<string, number>([[key(path.initial), 0]])
  const kept: Array<TraceStep<S, L>> = []
  for (const step of path.steps) {
    const k = key(step.state)
    const at = seen.get(k)
    if (at === undefined) {
      kept.push(step)
      seen.set(k, kept.length)
      continue
    }
    // Back at the state after kept step `at`: drop what came since (and forget those states).
    for (const dropped of kept.splice(at)) seen.delete(key(dropped.state))
    seen.set(k, at)
  }
  return kept.length === path.steps.length ? path : { ...path, steps: kept }
}

/** Replays the minimisation may spend on one counterexample (each replays up to the whole lifted run). */
export const MAX_REPLAYS = 400
/** The steps all replays of one minimisation may take together (roughly), so a long lifted run stays within seconds. */
export const REPLAY_STEPS = 60_000

/** The steps of a timed run's path, lifted to the interleaving model and minimised there, if they still break `property`. */
export const liftAndMinimise = <S, L>(interleaved: TransitionSystem<S, L>, timedPath: Path<unknown, unknown>, property: string, maxReplays = MAX_REPLAYS): Path<S, L> | undefined => {
  const texts = timedPath.steps.flatMap((s) => liftLabel(s.text) ?? [])
  const initial = interleaved.initial()[0]!
  // minimisePath replays texts only; the states of this stand-in path are never read.
  const lifted: Path<S, L> = { initialIndex: 0, initial, steps: texts.map((text) => ({ text, label: undefined as L, state: initial })) }
  const hit = { kind: "violation", property } as const
  // One replay (no minimisation yet) cuts the run at the violation; cutting its cycles shortens it before delta debugging.
  const replayed = minimisePath(interleaved, lifted, hit, 0)
  if (replayed === lifted) return undefined
  const start = withoutCycles(interleaved, replayed)
  // Each replay costs up to the whole run: a long run gets fewer replays (about REPLAY_STEPS steps in all).
  const budget = Math.max(20, Math.min(maxReplays, Math.ceil(REPLAY_STEPS / Math.max(1, start.steps.length))))
  return withoutCycles(interleaved, minimisePath(interleaved, start, hit, budget))
}

/**
 * One seeded timed run, explained: when it breaks an invariant that the interleaving model of the
 * same configuration has too, the run's steps are lifted and minimised there and the result is that
 * short path (as a system); otherwise the run's own path (as a system: no handler runs again), or the
 * timed system itself when the run ended without a path (a goal never reached).
 */
export const explainedRun = <S, L>(timed: Timed, seed: number, interleaved: () => TransitionSystem<S, L>, maxReplays = MAX_REPLAYS): TransitionSystem<any, any> => {
  const r = explore(timed, { strategy: "random", samples: 1, maxDepth: 10_000_000, minimise: false, checkDeterminism: false, seed })
  if (!r.path) return timed
  if (r.verdict === "violation" && r.property !== undefined) {
    const sys = interleaved()
    const short = liftAndMinimise(sys, r.path, r.property, maxReplays)
    if (short) return pathSystem(sys, short)
  }
  return pathSystem(timed, r.path)
}

// ---- fault mixes -----------------------------------------------------------------------------------

/** The fault mix of one swarm run: each kind of fault is on or off, and its rate drawn, from `rng` (random crashes and restarts unless `crashes` is false). */
export const drawFaults = (rng: Rng, horizon: number, kinds: { readonly crashes?: boolean } = {}): SimOptions => {
  const on = () => rng.next() < 0.6
  return {
    maxTime: horizon,
    latency: [1, rng.range(5, 80)],
    ...(on() ? { loss: rng.range(1, 20) / 100 } : {}),
    ...(on() ? { duplicate: rng.range(1, 15) / 100 } : {}),
    ...(on() && kinds.crashes !== false ? { randomCrashes: { every: rng.range(100, 500), downFor: rng.range(30, 300), until: horizon } } : {}),
    ...(on() ? { randomPartitions: { every: rng.range(100, 500), until: horizon } } : {}),
  }
}

/** What a leader-aware swarm run draws its faults over. */
export interface SwarmMix {
  /** Longest fault-free stretch at the end, for the run to finish: faults stop at `until`. */
  readonly until: number
  /** Servers that may crash (and restart) and be partitioned: the first servers of the configuration, in order. */
  readonly servers: ReadonlyArray<string>
  readonly clients: ReadonlyArray<string>
  /** The leader of the moment, if the protocol has one: half of the crashes then hit it (and the restart the server that is down). */
  readonly leader?: (w: World) => Address | undefined
}

/**
 * The simulator options of swarm run `i`: each kind of fault switched off with probability 1/3, and
 * otherwise given a rate drawn from the run's seed; partitions long or moving, crashes hitting the leader half of the time.
 */
export const swarmSimOptions = (seed: number, i: number, mix: SwarmMix): SimOptions => {
  const rng = Rng.forSample(seed, i)
  const on = () => rng.next() >= 1 / 3
  const loss = on() ? rng.next() * 0.2 : 0
  const duplicate = on() ? rng.next() * 0.3 : 0
  const latency: readonly [number, number] = [1, 2 + rng.int(on() ? 60 : 10)]
  const faults: Fault[] = []
  const clientsSplit = (major: string[], minor: string[]) => {
    for (const c of mix.clients) (rng.next() < 0.5 ? major : minor).push(c)
    return [major, minor]
  }
  if (rng.next() < 0.5) {
    // One long partition: a server (the first, the initial leader, half of the time) cut off with some clients.
    const cut = rng.next() < 0.5 ? mix.servers[0]! : mix.servers[rng.int(mix.servers.length)]!
    const at = 10 + rng.int(300)
    faults.push({ at, k: "partition", groups: clientsSplit(mix.servers.filter((s) => s !== cut), [cut]) })
    faults.push({ at: Math.min(mix.until, at + 200 + rng.int(800)), k: "heal" })
  } else if (on()) {
    // Partitions that move: every stretch a random minority is cut off, or the network heals.
    const every = 40 + rng.int(300)
    for (let t = 10 + rng.int(every); t < mix.until; t += every) {
      if (rng.next() < 0.3) faults.push({ at: t, k: "heal" })
      else {
        const cut = rng.shuffle([...mix.servers]).slice(0, Math.max(1, Math.floor((mix.servers.length - 1) / 2)))
        faults.push({ at: t, k: "partition", groups: clientsSplit(mix.servers.filter((s) => !cut.includes(s)), [...cut]) })
      }
    }
    faults.push({ at: mix.until, k: "heal" })
  }
  if (on()) {
    const every = 30 + rng.int(300)
    for (let t = 10 + rng.int(every); t < mix.until; t += every) {
      const node: Target = mix.leader && rng.next() < 0.5 ? mix.leader : mix.servers[rng.int(mix.servers.length)]!
      const down: Target = typeof node === "string" ? node : (w) => mix.servers.find((_, i) => !w.nodes[i]!.up)
      faults.push({ at: t, k: "crash", node })
      faults.push({ at: Math.min(mix.until, t + 5 + rng.int(every)), k: "restart", node: down })
    }
  }
  faults.sort((a, b) => a.at - b.at)
  return { loss, duplicate, latency, faults }
}
