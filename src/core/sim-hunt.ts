/**
 * A bug hunt that simulates, then explains with a short trace: a swarm of timed simulations (each run
 * draws its own mix of crashes, partitions, loss, duplication and latency from its seed, as swarm
 * testing does) finds a violation of an invariant; its events are lifted to the interleaving model of
 * the same configuration (a delivery stays a delivery, a crash a crash; losses, partitions and heals
 * are just messages never delivered), minimised there by delta debugging, and handed back as the
 * interleaving system restricted to the steps of the minimised trace, so that a breadth-first search
 * reports the shortest interleaving of those steps that breaks the invariant. Timed traces run to
 * hundreds of events (timers, heartbeats); the lifted ones keep only the steps the bug needs.
 *
 * Without a violation the hunt hands back the interleaving system restricted to no step: a search of
 * it is "ok". Every run is seeded with hash(seed, run).
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

/** `system` taking only steps whose labels are among `texts` (as many times as they are enabled). */
export const restrictedTo = <S, L>(system: TransitionSystem<S, L>, texts: ReadonlyArray<string>): TransitionSystem<S, L> => {
  const allowed = new Set(texts)
  const out = Object.create(system) as TransitionSystem<S, L>
  Object.defineProperty(out, "successors", {
    value: (s: S, emit: (l: L, next: S) => void) =>
      system.successors(s, (l, next) => {
        if (allowed.has(system.formatLabel(l))) emit(l, next)
      }),
  })
  return out
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
    const texts = r.path.steps.flatMap((s) => liftLabel(s.text) ?? [])
    const initial = hunt.interleaved.initial()[0]!
    // minimisePath replays texts only; the states of this stand-in path are never read.
    const lifted = { initialIndex: 0, initial, steps: texts.map((text) => ({ text, label: undefined as L, state: initial })) }
    const path = minimisePath(hunt.interleaved, lifted, { kind: "violation", property: r.property }, 3000)
    if (path === lifted) continue // the lifted run does not break the invariant (it needed timing): try the next
    return { found: { run, property: r.property, timedLength: r.path.steps.length, path }, runs: run + 1 }
  }
  return { runs }
}

/** The hunt as a system to search: the interleaving model restricted to the steps of the minimised trace (none when nothing was found). */
export const simHuntSystem = <S, L>(hunt: SimHunt<S, L>): TransitionSystem<S, L> => {
  const { found } = huntBySimulation(hunt)
  return restrictedTo(hunt.interleaved, found ? found.path.steps.map((s) => s.text) : [])
}
