/** P-compositionality: a history is linearizable iff each of its partitions (e.g. per key) is. */
import type { History } from "./history.ts"
import type { AnyModel } from "./model.ts"

export interface Partition {
  /** The partition key ("" when the model does not partition). */
  readonly key: string
  /** Indices into the history, in history order. */
  readonly ops: ReadonlyArray<number>
  /** The model for this partition when it has its own (default: the history's). */
  readonly model?: AnyModel
}

export const partitionHistory = (model: AnyModel, history: History<unknown, unknown>): Partition[] => {
  if (model.partition === undefined) return [{ key: "", ops: history.map((_, i) => i) }]
  const groups = new Map<string, number[]>()
  history.forEach((op, i) => {
    const key = model.partition!(op.input)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [i])
    else group.push(i)
  })
  return Array.from(groups, ([key, ops]) => ({ key, ops }))
}
