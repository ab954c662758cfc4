/** What a check run reports; shared by every strategy, the CLI and the benchmarks. */

import type { Shard } from "./shard.ts"

export type Strategy = "bfs" | "dfs" | "random" | "pbt" | "swarm" | "pct" | "coverage"
export const STRATEGIES: ReadonlyArray<Strategy> = ["bfs", "dfs", "random", "pbt", "swarm", "pct", "coverage"]

export type Verdict = "ok" | "violation" | "goal-found" | "goal-not-found" | "budget-exhausted"

export interface Budget {
  /** Stop after this many distinct states (bfs, dfs) or steps in all (random, pbt). */
  readonly maxStates?: number
  /** Do not expand beyond this depth (bfs, dfs) / run length (random, pbt). */
  readonly maxDepth?: number
  /** Wall-clock limit; states and depth come first because they are reproducible on any machine. */
  readonly maxSeconds?: number
}

export interface Progress {
  readonly generated: number
  readonly distinct: number
  readonly queue: number
  readonly depth: number
  readonly seconds: number
  readonly statesPerSecond: number
}

export interface CheckOptions extends Budget {
  readonly strategy?: Strategy
  readonly seed?: number
  /** random / pbt: how many runs. */
  readonly samples?: number
  /** Stop at the first goal state found (default true). */
  readonly stopAtGoal?: boolean
  /** Called about once a second on long runs. */
  readonly onProgress?: (p: Progress) => void
  /** Let the system serve steps from its cache of them (`TransitionSystem.memo`; default true). False runs every step afresh. */
  readonly memo?: boolean
  /** Re-run successors of sampled states and compare (default true). */
  readonly checkDeterminism?: boolean
  /** bfs: also re-deliver, in sampled states, the messages the system claims duplicate tolerance for (`--checks`). */
  readonly checks?: boolean
  /** Minimise counterexamples found by dfs / random / swarm / pct / coverage (default true). */
  readonly minimise?: boolean
  /** Sampled strategies: run only this shard's range of sample indices (shard.ts). */
  readonly shard?: Shard
  /** pct: the bug depth d (d - 1 priority change points per run; default 3). */
  readonly pctDepth?: number
  /** bfs: cap on the memory of the fingerprint table and the queue (MiB); the queue spills to disk beyond it. */
  readonly memoryMiB?: number
  /** bfs: directory for checkpoints (every `checkpointEverySeconds`, default 60, and when a budget stops the run). */
  readonly checkpoint?: string
  readonly checkpointEverySeconds?: number
  /** bfs: continue the run checkpointed in this directory. */
  readonly resume?: string
  /** Keep one state per orbit of the system's declared symmetry (symmetry.ts; bfs, dfs, parallel bfs). */
  readonly symmetry?: boolean
  /** Partial-order reduction: sleep sets over steps of different nodes (por.ts; single-threaded bfs). */
  readonly por?: boolean
  /** coverage: the abstraction of a state whose new values steer the search (default: the state's view). */
  readonly abstraction?: (state: any) => unknown
}

/** One step of a trace. */
export interface TraceStep<S, L> {
  readonly label: L
  readonly text: string
  readonly state: S
}

/** A path from an initial state: the counterexample or the witness of a goal. */
export interface Path<S, L> {
  readonly initialIndex: number
  readonly initial: S
  readonly steps: ReadonlyArray<TraceStep<S, L>>
  /**
   * A lasso (liveness counterexample): the last state is the state at this index (0: the initial
   * state, i: after step i), so the steps after it repeat forever; equal to steps.length when the
   * behaviour stutters in its last state forever.
   */
  readonly loop?: number
}

export interface CheckResult<S, L> {
  readonly verdict: Verdict
  readonly strategy: Strategy
  /** The violated invariant / step property, or the goal reached. */
  readonly property?: string
  readonly detail?: string
  readonly path?: Path<S, L>
  readonly distinct: number
  readonly generated: number
  /** Greatest depth reached (bfs: the last complete level). */
  readonly depth: number
  readonly seconds: number
  /** True when the whole reachable space (within maxDepth) was explored. */
  readonly complete: boolean
  readonly seed?: number
}
