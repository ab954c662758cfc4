/**
 * Small systems with planted bugs that plain random walks almost never reach, one per guided strategy
 * (src/checker/schedules.ts): read by test/checker/deep-search.test.ts and bench/planted-searches.ts.
 */
import { plainFingerprint } from "../src/checker/plain.ts"
import { invariant, type TransitionSystem } from "../src/checker/transition-system.ts"

const spec = <S extends object>(
  name: string,
  init: S,
  actions: ReadonlyArray<readonly [string, (s: S) => S | undefined]>,
  bad: (s: S) => boolean,
  actor?: (label: string) => string
): TransitionSystem<S, string> => ({
  name,
  initial: () => [init],
  successors: (s, emit) => {
    for (const [label, f] of actions) {
      const next = f(s)
      if (next) emit(label, next)
    }
  },
  fingerprint: plainFingerprint,
  formatLabel: (l) => l,
  view: (s) => s,
  properties: [invariant("NoBug", (s) => !bad(s))],
  ...(actor ? { causality: (l: string) => ({ actor: actor(l) }) } : {}),
})

/** Swarm's target: 20 increments with no reset in between, among four kinds of noise. */
export const counter = spec<{ n: number; noise: number }>(
  "counter",
  { n: 0, noise: 0 },
  [
    ["inc", (s) => ({ n: s.n + 1, noise: s.noise })],
    ["reset", (s) => ({ n: 0, noise: s.noise })],
    ...[1, 2, 3, 4].map((i) => [`noise${i}`, (s: { n: number; noise: number }) => ({ n: s.n, noise: (s.noise + i) % 7 })] as const),
  ],
  (s) => s.n >= 20
)

/** PCT's target: process p1 takes all its 10 steps before p2 and p3 take any. */
export const racers = spec<{ pc: readonly number[] }>(
  "racers",
  { pc: [0, 0, 0] },
  [0, 1, 2].map((p) => [`step(p${p + 1})`, (s) => (s.pc[p]! < 10 ? { pc: s.pc.map((x, i) => (i === p ? x + 1 : x)) } : undefined)] as const),
  (s) => s.pc[0] === 10 && s.pc[1] === 0 && s.pc[2] === 0,
  (l) => /\((\w+)\)/.exec(l)![1]!
)

/** Coverage's target: a combination lock of 8 digits; a wrong digit starts over. */
export const CODE = [3, 1, 4, 1, 0, 2, 3, 4]
export const lock = spec<{ pos: number; last: number }>(
  "lock",
  { pos: 0, last: -1 },
  [0, 1, 2, 3, 4].map((d) => [`press(${d})`, (s) => ({ pos: CODE[s.pos] === d ? s.pos + 1 : 0, last: d })] as const),
  (s) => s.pos === CODE.length
)
