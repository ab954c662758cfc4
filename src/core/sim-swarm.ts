/**
 * Swarm simulation as one transition system. Each run is a timed simulation (timed.ts) of the same
 * configuration built from its own seed, with its own mix of faults drawn from that seed (loss,
 * duplication, latency, partitions, crashes: swarm testing), so one run may lose nothing and crash
 * often while the next partitions constantly. Their initial states together are the initial states
 * of this system; a simulation has one successor per state, so BFS runs them all in lockstep and
 * the first violation it meets is the earliest over all runs (fewest events), with a trace that
 * replays on this system by its initial index.
 *
 * The runs must share their configuration and properties (only seeds and fault options differ):
 * labels are formatted and properties checked by the first run's system. Which run a state belongs
 * to is remembered beside it (a WeakMap keyed by state object), so the system runs on one thread.
 */
import { fmix32 } from "../checker/hash.ts"
import { Rng } from "../checker/random.ts"
import type { Fingerprint, TransitionSystem } from "../checker/transition-system.ts"
import type { Address } from "./node.ts"
import type { Fault, SimOptions, Target } from "./timed.ts"
import type { World } from "./world.ts"

export const simSwarm = <S extends object, L>(runs: ReadonlyArray<TransitionSystem<S, L>>): TransitionSystem<S, L> => {
  const first = runs[0]
  if (!first) throw new Error("simSwarm: no runs")
  const owner = new WeakMap<S, number>()
  const runOf = (s: S) => runs[owner.get(s) ?? 0]!
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
    view: { value: (s: S) => runOf(s).view(s) },
    ...(first.report ? { report: { value: (s: S) => runOf(s).report?.(s) ?? {} } } : {}),
  })
  return out
}

/** What a swarm run draws from its seed: the mix of faults of one simulation. */
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
 * otherwise given a rate drawn from the run's seed.
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
