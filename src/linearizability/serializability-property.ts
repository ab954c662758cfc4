/**
 * Strict serializability inside model checking: an invariant over any state from which the clients'
 * transactions can be read (a protocol's world, a test's record). Running out of search budget is
 * not a violation; a violation is always real.
 */
import { invariant, type StateProperty } from "../checker/transition-system.ts"
import { checkStrictSerializability, type SerializabilityResult, type Transaction } from "./serializability.ts"

export interface SerializableOptions {
  /** Search budget per check (default 5 s). */
  readonly timeoutSeconds?: number
}

/** STRICTLY_SERIALIZABLE; `transactionsOf` gives undefined for a state not to check (e.g. clients still running). */
export const strictlySerializable = <S extends object>(transactionsOf: (state: S) => ReadonlyArray<Transaction> | undefined, options: SerializableOptions = {}): StateProperty<S> => {
  const verdicts = new WeakMap<S, SerializabilityResult | null>()
  const failure = (state: S): SerializabilityResult | null => {
    let v = verdicts.get(state)
    if (v === undefined) {
      const txns = transactionsOf(state)
      const r = txns === undefined ? null : checkStrictSerializability(txns, { timeoutSeconds: options.timeoutSeconds ?? 5 })
      v = r?.verdict === "not-strictly-serializable" ? r : null
      verdicts.set(state, v)
    }
    return v
  }
  return invariant<S>(
    "STRICTLY_SERIALIZABLE",
    (state) => failure(state) === null,
    (state) => {
      const r = failure(state)
      if (r === null) return undefined
      const set = r.failure?.subHistory?.origin
      return `${r.transactions} transactions are not strictly serializable (keys ${JSON.stringify(r.failure?.partition)}${set ? `; failing set: transactions ${set.join(", ")}` : ""})`
    }
  )
}
