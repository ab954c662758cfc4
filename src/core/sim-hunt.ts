/**
 * A bug hunt that simulates, then explains with a short trace: a swarm of timed simulations (each run
 * draws its own mix of crashes, partitions, loss, duplication and latency from its seed, as swarm
 * testing does) finds a violation of an invariant; its events are lifted to the interleaving model of
 * the same configuration (a delivery stays a delivery, a crash a crash; losses, partitions and heals
 * are just messages never delivered), minimised there by delta debugging, and handed back as a system
 * that takes exactly that path, whose labels replay on the interleaving model. Timed traces run to
 * hundreds of events (timers, heartbeats); the lifted ones keep only the steps the bug needs.
 *
 * Without a violation the hunt hands back the interleaving model's initial state with no step: a
 * search of it is "ok". Every run is seeded with hash(seed, run). `explainedRun` does the same for
 * one seeded run of a simulated test.
 */
import { explore } from "../checker/explore.ts"
import { minimisePath } from "../checker/minimise.ts"
import { Rng } from "../checker/random.ts"
import type { Path } from "../checker/result.ts"
import type { TransitionSystem } from "../checker/transition-system.ts"
import type { SimOptions, TimedEvent, TimedState } from "./timed.ts"

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

/** A timed event's label as the interleaving model writes it, or undefined for a loss, partition or heal. */
export const liftLabel = (text: string): string | undefined => {
  const m = /^@\S+ (.*)$/.exec(text)
  const rest = m ? m[1]! : text
  if (/^(deliver|timer) /.test(rest)) return rest
  const fault = /^(crash|restart) (\S+)$/.exec(rest)
  return fault ? `${fault[1]} ${fault[2]}` : undefined
}

/** `system` along one path only: from each state of `path` the one step the path takes (the same labels and states). */
export const pathSystem = <S, L>(system: TransitionSystem<S, L>, path: Path<S, L>): TransitionSystem<S, L> => {
  const next = new Map<S, { readonly label: L; readonly state: S }>()
  let at = path.initial
  for (const step of path.steps) {
    next.set(at, { label: step.label, state: step.state })
    at = step.state
  }
  const out = Object.create(system) as TransitionSystem<S, L>
  Object.defineProperty(out, "initial", { value: () => [path.initial] })
  Object.defineProperty(out, "successors", {
    value: (s: S, emit: (l: L, n: S) => void) => {
      const step = next.get(s)
      if (step) emit(step.label, step.state)
    },
  })
  return out
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
  // Each replay costs up to the whole lifted run: a long run gets fewer replays (about REPLAY_STEPS steps in all).
  const path = minimisePath(interleaved, lifted, { kind: "violation", property }, Math.max(20, Math.min(maxReplays, Math.ceil(REPLAY_STEPS / Math.max(1, texts.length)))))
  return path === lifted ? undefined : path
}

/**
 * One seeded timed run, explained: when it breaks an invariant that the interleaving model of the
 * same configuration has too, the run's steps are lifted and minimised there and the result is that
 * short path (as a system); otherwise the run's own path (as a system: no handler runs again), or the
 * timed system itself when the run ended without a path (a goal never reached).
 */
export const explainedRun = <S, L>(timed: TransitionSystem<TimedState, TimedEvent>, seed: number, interleaved: () => TransitionSystem<S, L>, maxReplays = MAX_REPLAYS): TransitionSystem<any, any> => {
  const r = explore(timed, { strategy: "random", samples: 1, maxDepth: 10_000_000, minimise: false, checkDeterminism: false, seed })
  if (!r.path) return timed
  if (r.verdict === "violation" && r.property !== undefined) {
    const sys = interleaved()
    const short = liftAndMinimise(sys, r.path, r.property, maxReplays)
    if (short) return pathSystem(sys, short)
  }
  return pathSystem(timed, r.path)
}

export interface SimHunt<S, L> {
  /** Simulated runs (default 200). */
  readonly runs?: number
  readonly seed: number
  /** Run `run`'s timed system: its configuration with the fault mix drawn from `rng`, seeded `runSeed`. */
  readonly simulate: (rng: Rng, runSeed: number) => TransitionSystem<TimedState, TimedEvent>
  /** The interleaving model of the same configuration (crashes allowed wherever the simulation crashes). */
  readonly interleaved: TransitionSystem<S, L>
}

export interface SimHuntResult<S, L> {
  /** The lifted, minimised counterexample and the run that found it, if any. */
  readonly found?: { readonly run: number; readonly property: string; readonly timedLength: number; readonly path: Path<S, L> }
  readonly runs: number
}

/** Runs the swarm until a run violates an invariant that its lifted trace violates too. */
export const huntBySimulation = <S, L>(hunt: SimHunt<S, L>): SimHuntResult<S, L> => {
  const runs = hunt.runs ?? 200
  for (let run = 0; run < runs; run++) {
    const rng = Rng.forSample(hunt.seed, run)
    const runSeed = rng.nextU32()
    const timed = hunt.simulate(rng, runSeed)
    const r = explore(timed, { strategy: "random", samples: 1, maxDepth: 10_000_000, minimise: false, checkDeterminism: false, seed: runSeed })
    if (r.verdict !== "violation" || !r.path || r.property === undefined) continue
    const path = liftAndMinimise(hunt.interleaved, r.path, r.property)
    if (!path) continue // the lifted run does not break the invariant (it needed timing): try the next
    return { found: { run, property: r.property, timedLength: r.path.steps.length, path }, runs: run + 1 }
  }
  return { runs }
}

/** The hunt as a system to search: the minimised counterexample as a path system, or the interleaving model's initial states alone when nothing was found. */
export const simHuntSystem = <S, L>(hunt: SimHunt<S, L>): TransitionSystem<S, L> => {
  const { found } = huntBySimulation(hunt)
  return pathSystem(hunt.interleaved, found ? found.path : { initialIndex: 0, initial: hunt.interleaved.initial()[0]!, steps: [] })
}
