/**
 * checkHistory: is a history linearizable with respect to a sequential model?
 *
 * The history is split into partitions (per key for the KV model); each gets its own resumable
 * search. Partitions are searched in turns, smallest first, with a step budget that doubles every
 * round, so a hard key cannot hide a quick failure on another. The first failing partition decides
 * "not-linearizable"; running out of time or steps before every partition is decided gives
 * "unknown", never a guess.
 */
import { type History, type Verdict, validateHistory } from "./history.ts"
import { minimiseFailure, type SubHistory } from "./minimise.ts"
import type { AnyModel, Model, ModelState } from "./model.ts"
import { type Partition, partitionHistory } from "./partition.ts"
import { type DeadEnd, PartitionSearch } from "./search.ts"

export interface CheckOptions {
  /** Wall-clock budget for the search (default: none). */
  readonly timeoutSeconds?: number
  /** Budget in search steps over all partitions (default: none); reproducible on any machine. */
  readonly maxSteps?: number
  /** Look for a small failing sub-history (default true). */
  readonly minimise?: boolean
  /** Budget for that, in seconds (default 2). */
  readonly minimiseSeconds?: number
  /** performance.now() milliseconds the time budget counts from (default: the call), e.g. before parsing. */
  readonly startedAt?: number
}

export interface Failure extends DeadEnd {
  /** The key of the failing partition ("" when the model does not partition). */
  readonly partition: string
  /** Its operations (indices into the history). */
  readonly operations: ReadonlyArray<number>
  /** The state after the prefix, as text. */
  readonly stateText: string
  readonly subHistory?: SubHistory
}

export interface LinearizabilityResult {
  readonly verdict: Verdict
  readonly operations: number
  readonly partitions: number
  /** Search steps over all partitions. */
  readonly steps: number
  /** Search time, minimisation excluded. */
  readonly seconds: number
  /** When linearizable: an order per partition (indices into the history). */
  readonly witness?: ReadonlyArray<{ readonly partition: string; readonly order: ReadonlyArray<number> }>
  readonly failure?: Failure
  /** When unknown: which budget ran out. */
  readonly reason?: string
}

const FIRST_ROUND_STEPS = 4096

export const checkHistory = <I, O, S extends ModelState>(model: Model<I, O, S>, history: History<I, O>, options: CheckOptions = {}): LinearizabilityResult => {
  const startedAt = options.startedAt ?? performance.now()
  validateHistory(history)
  return checkPartitions(model as AnyModel, history, partitionHistory(model as AnyModel, history), { ...options, startedAt })
}

/**
 * The search behind checkHistory, over partitions given by the caller (e.g. transactions grouped by
 * key-connectivity).
 */
export const checkPartitions = (
  anyModel: AnyModel,
  history: History<unknown, unknown>,
  partitions: ReadonlyArray<Partition>,
  options: CheckOptions = {}
): LinearizabilityResult => {
  const start = options.startedAt ?? performance.now()
  const deadline = start + (options.timeoutSeconds ?? Infinity) * 1000
  const maxSteps = options.maxSteps ?? Infinity
  const searches = [...partitions]
    .sort((a, b) => a.ops.length - b.ops.length)
    .map((partition) => ({ partition, search: new PartitionSearch(partition.model ?? anyModel, history, partition.ops) }))

  let steps = 0
  let failed: (typeof searches)[number] | undefined
  let reason: string | undefined
  let running = searches.filter((s) => s.search.status === "running")
  for (let budget = FIRST_ROUND_STEPS; running.length > 0 && !failed && !reason; budget *= 2) {
    for (const s of running) {
      const before = s.search.steps
      s.search.run(Math.min(budget, maxSteps - steps), deadline)
      steps += s.search.steps - before
      if (s.search.status === "not-linearizable") {
        failed = s
        break
      }
      if (s.search.status === "timeout") reason = `time budget of ${options.timeoutSeconds} s spent`
      else if (steps >= maxSteps && s.search.status === "running") reason = `step budget of ${maxSteps} spent`
      if (reason) break
    }
    running = running.filter((s) => s.search.status === "running")
  }
  const seconds = (performance.now() - start) / 1000
  const common = { operations: history.length, partitions: searches.length, steps, seconds }

  if (failed) {
    const deadEnd = failed.search.deadEnd()
    const { key, ops } = failed.partition
    const model = failed.partition.model ?? anyModel
    const subHistory =
      options.minimise === false
        ? undefined
        : minimiseFailure(model, history, ops, deadEnd, {
            stepsPerCheck: Math.max(100_000, 2 * failed.search.steps),
            deadline: Math.min(deadline, performance.now() + (options.minimiseSeconds ?? 2) * 1000),
          })
    const stateText = model.describeState?.(deadEnd.state) ?? JSON.stringify(deadEnd.state)
    return { verdict: "not-linearizable", ...common, failure: { ...deadEnd, stateText, partition: key, operations: ops, ...(subHistory ? { subHistory } : {}) } }
  }
  if (reason) return { verdict: "unknown", ...common, reason }
  return { verdict: "linearizable", ...common, witness: searches.map((s) => ({ partition: s.partition.key, order: s.search.witness() })) }
}
