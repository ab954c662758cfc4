/**
 * Scripted fault schedules for Multi-Paxos hunts: the badly timed faults that the bugs of a second
 * leader change or a crash need, each a template whose times (and the network's latency and loss) are
 * drawn from the run's seed, so a sweep over seeds tries many timings of the same story. Servers are
 * `mix.servers` in order (the first leads ballot 0); clients land on random sides of a partition.
 */
import { Rng } from "../../checker/random.ts"
import type { SwarmMix } from "../../core/swarm.ts"
import type { Fault, SimOptions } from "../../core/timed.ts"

type Schedule = (rng: Rng, mix: SwarmMix) => Fault[]

const side = (rng: Rng, mix: SwarmMix, a: string[], b: string[]): string[][] => {
  for (const c of mix.clients) (rng.next() < 0.5 ? a : b).push(c)
  return [a, b]
}

/** The schedules, in the order runs cycle through them. */
export const SCHEDULES: ReadonlyArray<readonly [string, Schedule]> = [
  [
    // The leader accepts values alone while the others elect and choose; then it wins a later ballot
    // with one of them, and must merge the promises' values right (highest ballot, chosen first).
    "leader cut off, then rejoins with another server",
    (rng, mix) => {
      const [s1, s2, s3] = mix.servers as [string, string, string]
      const t1 = 300 + rng.int(400)
      const t2 = t1 + 300 + rng.int(500)
      return [
        { at: 0, k: "partition", groups: side(rng, mix, [s1], [s2, s3]) },
        { at: t1, k: "partition", groups: side(rng, mix, [s1, s3], [s2]) },
        { at: t2, k: "heal" },
      ]
    },
  ],
  [
    // Cut off amid its first proposals: a later slot may reach a majority while an earlier one does
    // not, so the next leader sees a gap it must fill.
    "leader cut off amid its proposals",
    (rng, mix) => {
      const [s1, s2, s3] = mix.servers as [string, string, string]
      const t1 = 1 + rng.int(80)
      return [
        { at: t1, k: "partition", groups: side(rng, mix, [s1], [s2, s3]) },
        { at: t1 + 400 + rng.int(600), k: "heal" },
      ]
    },
  ],
  [
    // A follower crashes just after accepting (before it learns the slot chosen) and restarts; then
    // the leader that knew the slot chosen is cut off: the others must still hold the value.
    "follower crashes early and restarts, then the leader is cut off",
    (rng, mix) => {
      const [s1, s2, s3] = mix.servers as [string, string, string]
      const f = rng.next() < 0.5 ? s2 : s3
      const t1 = 1 + rng.int(120)
      const t2 = t1 + 5 + rng.int(150)
      const t3 = t2 + rng.int(60)
      return [
        { at: t1, k: "crash", node: f },
        { at: t2, k: "restart", node: f },
        { at: t3, k: "partition", groups: side(rng, mix, [s1], [s2, s3]) },
        { at: t3 + 400 + rng.int(600), k: "heal" },
      ]
    },
  ],
  [
    // The leader is cut off; a server that promised the new ballot crashes soon after and restarts;
    // then it rejoins the old leader alone, which still proposes at its old ballot.
    "server crashes after a ballot change, then rejoins the old leader",
    (rng, mix) => {
      const [s1, s2, s3] = mix.servers as [string, string, string]
      const f = rng.next() < 0.5 ? s2 : s3
      const other = f === s2 ? s3 : s2
      const t1 = 150 + rng.int(400)
      const t2 = t1 + 5 + rng.int(100)
      return [
        { at: 0, k: "partition", groups: side(rng, mix, [s1], [s2, s3]) },
        { at: t1, k: "crash", node: f },
        { at: t2, k: "restart", node: f },
        { at: t2 + rng.int(30), k: "partition", groups: side(rng, mix, [s1, f], [other]) },
        { at: t2 + 400 + rng.int(600), k: "heal" },
      ]
    },
  ],
  [
    // The old leader rejoins one of the others and runs a new ballot; that server crashes just after
    // promising it (before accepting anything of it) and restarts; then the network heals and the
    // leader of the middle ballot still proposes: the promise must have survived the crash.
    "a server crashes just after promising the old leader's new ballot",
    (rng, mix) => {
      const [s1, s2, s3] = mix.servers as [string, string, string]
      const t1 = 300 + rng.int(400)
      const t2 = t1 + 5 + rng.int(200)
      const t3 = t2 + 1 + rng.int(60)
      return [
        { at: 0, k: "partition", groups: side(rng, mix, [s1], [s2, s3]) },
        { at: t1, k: "partition", groups: side(rng, mix, [s1, s3], [s2]) },
        { at: t2, k: "crash", node: s3 },
        { at: t3, k: "restart", node: s3 },
        { at: t3 + rng.int(40), k: "heal" },
      ]
    },
  ],
]

/**
 * Which schedule each run of a cycle plays: every schedule once, and the follower's early crash twice
 * (a follower that missed slots while down is what leaves the next leader a gap).
 */
const CYCLE = [0, 1, 2, 3, 4, 2] as const

/** Run `i`'s simulator options: schedule `CYCLE[i mod 6]`, times from the seed, wide latency, sometimes loss. */
export const scriptedFaults = (seed: number, i: number, mix: SwarmMix): SimOptions => {
  const rng = Rng.forSample(seed, i)
  const which = CYCLE[i % CYCLE.length]!
  const [, schedule] = SCHEDULES[which]!
  const latency: readonly [number, number] = [1, 30 + rng.int(60)]
  // Loss now and then; heavy loss half the time when the leader is cut off amid its proposals, so a
  // later slot may reach the others while an earlier one (and its reproposals) does not.
  const lossy = which === 1 ? 0.5 : 0.3
  const loss = rng.next() < lossy ? rng.next() * (which === 1 ? 0.4 : 0.1) : 0
  // Every fault by `until` (the network healed then for good), in time order.
  const faults = [...schedule(rng, mix).map((f) => ({ ...f, at: Math.min(f.at, mix.until) })), { at: mix.until, k: "heal" } as const]
  faults.sort((a, b) => a.at - b.at)
  return { loss, latency, faults }
}
