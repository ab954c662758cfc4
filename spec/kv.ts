/**
 * KV: the abstract key-value store every KV protocol refines. The state maps keys to string values
 * (a missing key is absent). Five operations, each with its result:
 *
 *   Get(k)           -> the value of k, null when absent
 *   Put(k, v)        sets k to v
 *   Append(k, v)     -> the new value, (value of k or "") ++ v
 *   Delete(k)        makes k absent
 *   CAS(k, e, v)     -> true and sets k to v when the value of k equals e (null: absent), else false
 *
 * Every operation touches one key, so one key's value is the state the linearizability checker
 * needs (its `kvModel`, partitioned by key, is built from `kvStep`); `kvSpec` is the whole store as a
 * transition system over finite domains, and `kvStepOf` answers "is before -> after one KV step?"
 * for refinement.
 */
import { fingerprintValue } from "../src/checker/hash.ts"
import type { TransitionSystem } from "../src/checker/transition-system.ts"

export type KvInput =
  | { readonly op: "get"; readonly key: string }
  | { readonly op: "put"; readonly key: string; readonly value: string }
  | { readonly op: "append"; readonly key: string; readonly value: string }
  | { readonly op: "delete"; readonly key: string }
  | { readonly op: "cas"; readonly key: string; readonly expected: string | null; readonly value: string }

/**
 * get: { value }; append: { value } (the new value; a history may leave it out when it was not
 * recorded); cas: { ok }; put and delete: {}.
 */
export interface KvOutput {
  readonly value?: string | null
  readonly ok?: boolean
}

/** One key's value; null when absent. */
export type KeyValue = string | null

/** The result a sequential store gives. */
export const kvResult = (value: KeyValue, input: KvInput): KvOutput => {
  switch (input.op) {
    case "get":
      return { value }
    case "append":
      return { value: (value ?? "") + input.value }
    case "cas":
      return { ok: value === input.expected }
    default:
      return {}
  }
}

/** The key's next value when `input` may give `output` (null: unknown) on `value`; undefined when it cannot. */
export const kvStep = (value: KeyValue, input: KvInput, output: KvOutput | null): KeyValue | undefined => {
  switch (input.op) {
    case "get":
      return output === null || output.value === value ? value : undefined
    case "put":
      return input.value
    case "append": {
      const next = (value ?? "") + input.value
      return output === null || output.value === undefined || output.value === next ? next : undefined
    }
    case "delete":
      return null
    case "cas": {
      const swap = value === input.expected
      if (output !== null && output.ok !== swap) return undefined
      return swap ? input.value : value
    }
  }
}

const show = (v: KeyValue | undefined) => (v === undefined ? "?" : JSON.stringify(v))

/** `Put(k1,"x")`, `Get(k1) -> "x"`, `CAS(k1,null,"x") -> true`; `?` marks an unknown result. */
export const describeKv = (input: KvInput, output: KvOutput | null): string => {
  const result = (text: string | undefined) => ` -> ${output === null || text === undefined ? "?" : text}`
  switch (input.op) {
    case "get":
      return `Get(${input.key})${result(output === null ? undefined : show(output.value))}`
    case "put":
      return `Put(${input.key},${show(input.value)})`
    case "append":
      return `Append(${input.key},${show(input.value)})${output?.value === undefined ? "" : result(show(output.value))}`
    case "delete":
      return `Delete(${input.key})`
    case "cas":
      return `CAS(${input.key},${show(input.expected)},${show(input.value)})${result(output?.ok === undefined ? undefined : String(output.ok))}`
  }
}

/** The whole store: keys in sorted order, absent keys left out (so equal stores are equal data). */
export type KvState = Readonly<Record<string, string>>

export interface KvLabel {
  readonly input: KvInput
  readonly output: KvOutput
}

/** The store with the given keys set (null: made absent), still canonical. */
export const withValues = (state: KvState, updates: ReadonlyMap<string, KeyValue>): KvState => {
  const entries = Object.entries(state).filter(([k]) => !updates.has(k))
  for (const [key, value] of updates) if (value !== null) entries.push([key, value])
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

const withKey = (state: KvState, key: string, value: KeyValue): KvState => withValues(state, new Map([[key, value]]))

/** One operation applied to the whole store. */
export const kvApply = (state: KvState, input: KvInput): { readonly output: KvOutput; readonly next: KvState } => {
  const value = state[input.key] ?? null
  return { output: kvResult(value, input), next: withKey(state, input.key, kvStep(value, input, null) ?? null) }
}

export interface KvSpecOptions {
  readonly keys: ReadonlyArray<string>
  readonly values: ReadonlyArray<string>
  /** Appends are enabled while the result is at most this long (default: twice the longest value). */
  readonly maxLength?: number
}

/** The store as a transition system: every operation with arguments from the finite domains. */
export const kvSpec = ({ keys, values, maxLength = 2 * Math.max(0, ...values.map((v) => v.length)) }: KvSpecOptions): TransitionSystem<KvState, KvLabel> => {
  const inputs = (state: KvState): KvInput[] =>
    keys.flatMap((key): KvInput[] => [
      { op: "get", key },
      ...values.map((value): KvInput => ({ op: "put", key, value })),
      ...values.filter((value) => (state[key] ?? "").length + value.length <= maxLength).map((value): KvInput => ({ op: "append", key, value })),
      { op: "delete", key },
      ...[null, ...values].flatMap((expected) => values.map((value): KvInput => ({ op: "cas", key, expected, value }))),
    ])
  return {
    name: `KV(keys=${keys.join(",")})`,
    initial: () => [{}],
    successors: (state, emit) => {
      for (const input of inputs(state)) {
        const { output, next } = kvApply(state, input)
        emit({ input, output }, next)
      }
    },
    fingerprint: (state, out) => void fingerprintValue(state, out),
    formatLabel: ({ input, output }) => describeKv(input, output),
    view: (state) => state,
    properties: [],
  }
}

/**
 * For refinement: "stutter" when the stores are equal, the label of one operation that takes
 * `before` to `after` when they differ on exactly one key, otherwise undefined.
 */
export const kvStepOf = (before: KvState, after: KvState): string | undefined => {
  const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k])
  if (changed.length === 0) return "stutter"
  if (changed.length > 1) return undefined
  const key = changed[0]!
  const [was, now] = [before[key], after[key]]
  if (now === undefined) return describeKv({ op: "delete", key }, {})
  if (now.startsWith(was ?? "") && now !== "") return describeKv({ op: "append", key, value: now.slice((was ?? "").length) }, { value: now })
  return describeKv({ op: "put", key, value: now }, {})
}
