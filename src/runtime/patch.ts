/**
 * Incremental storage of a node's durable value. Handlers persist whole immutable values, which share
 * unchanged parts by reference with the previous one; `diff` walks both by reference and emits only
 * what changed (set, delete, array tail), so a write-ahead record stays the size of the change.
 * Tagged class instances and Sets are replaced whole; plain objects, Maps and arrays are descended.
 */
import { ABSENT, PersistentMap } from "../core/persistent-map.ts"
import { isTaggedInstance, toJson } from "./codec.ts"

type Key = string | number
export type Op = readonly ["s", ReadonlyArray<Key>, unknown] | readonly ["d", ReadonlyArray<Key>] | readonly ["t", ReadonlyArray<Key>, number, ReadonlyArray<unknown>]

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set) && !isTaggedInstance(v)

/** Operations (values already in JSON form) that turn `a` into `b`. */
export const diff = (a: unknown, b: unknown, path: Key[] = [], ops: Op[] = []): Op[] => {
  if (a === b) return ops
  if (isPlain(a) && isPlain(b)) {
    for (const k of Object.keys(b)) if (a[k] !== b[k]) k in a && b[k] !== undefined ? diff(a[k], b[k], [...path, k], ops) : ops.push(["s", [...path, k], toJson(b[k])])
    for (const k of Object.keys(a)) if (!(k in b)) ops.push(["d", [...path, k]])
    return ops
  }
  if (a instanceof PersistentMap && b instanceof PersistentMap) {
    // Versions of one persistent map: only the subtrees they do not share are walked.
    b.changesSince(a, (k: Key, v, old) => {
      if (v === ABSENT) ops.push(["d", [...path, k]])
      else if (old === ABSENT) ops.push(["s", [...path, k], toJson(v)])
      else diff(old, v, [...path, k], ops)
    })
    return ops
  }
  if (a instanceof Map && b instanceof Map && lockstep(a, b, path, ops)) return ops
  if (a instanceof Map && b instanceof Map && keysSimple(b) && sameOrder(a, b)) {
    for (const [k, v] of b) {
      const old = a.get(k)
      if (old === v) continue
      if (old === undefined && !a.has(k)) ops.push(["s", [...path, k], toJson(v)])
      else diff(old, v, [...path, k], ops)
    }
    for (const k of a.keys()) if (!b.has(k)) ops.push(["d", [...path, k]])
    return ops
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    let p = 0
    const n = Math.min(a.length, b.length)
    while (p < n && a[p] === b[p]) p++
    ops.push(["t", path, p, b.slice(p).map(toJson)])
    return ops
  }
  ops.push(["s", path, toJson(b)])
  return ops
}

/**
 * The common case of a Map diff in one pass and no lookups: b has a's keys in a's order, less some
 * at the end or more at the end (an immutable update: set of a present or a new key, or delete of the
 * last). Walks both in step; emits the operations and returns true, or returns false having emitted
 * none when the keys part ways (then the general diff runs). What it emits is what the general diff would.
 */
const lockstep = (a: Map<unknown, unknown>, b: Map<unknown, unknown>, path: Key[], ops: Op[]): boolean => {
  const mark = ops.length
  const keys = a.keys()
  const values = a.values()
  let apart = false
  let seen = 0
  b.forEach((v, k) => {
    if (apart) return
    if (typeof k !== "string" && typeof k !== "number") return void (apart = true)
    if (seen++ < a.size) {
      const ka = keys.next().value
      const old = values.next().value
      if (ka !== k) return void (apart = true)
      if (old !== v) diff(old, v, [...path, k], ops)
    } else ops.push(["s", [...path, k], toJson(v)])
  })
  if (apart) {
    ops.length = mark
    return false
  }
  for (let r = keys.next(); !r.done; r = keys.next()) ops.push(["d", [...path, r.value as Key]])
  return true
}

/** Whether setting b's new keys and deleting a's removed ones on a gives b's key order. */
const sameOrder = (a: Map<unknown, unknown>, b: Map<unknown, unknown>): boolean => {
  const bk = b.keys()
  for (const k of a.keys()) if (b.has(k) && bk.next().value !== k) return false
  for (let r = bk.next(); !r.done; r = bk.next()) if (a.has(r.value)) return false
  return true
}

const keysSimple = (m: Map<unknown, unknown>): boolean => {
  for (const k of m.keys()) if (typeof k !== "string" && typeof k !== "number") return false
  return true
}

export class PatchError extends Error {}

/**
 * Applies decoded operations to `root` (freshly decoded, so mutated in place); returns the new root.
 * `revive` turns an operation's JSON value into a value.
 */
export const applyOps = (root: unknown, ops: ReadonlyArray<Op>, revive: (j: unknown) => unknown): unknown => {
  for (const op of ops) {
    const path = op[1]
    if (path.length === 0) {
      if (op[0] === "s") root = revive(op[2])
      else if (op[0] === "t") root = truncPush(root, op[2], op[3], revive)
      else throw new PatchError("cannot delete the root")
      continue
    }
    let parent = root
    for (let i = 0; i < path.length - 1; i++) parent = child(parent, path[i]!)
    const k = path[path.length - 1]!
    if (op[0] === "s") put(parent, k, revive(op[2]))
    else if (op[0] === "d") {
      if (parent instanceof Map) parent.delete(k)
      else if (isPlain(parent)) delete parent[k]
      else throw new PatchError(`cannot delete ${String(k)}`)
    } else put(parent, k, truncPush(child(parent, k), op[2], op[3], revive))
  }
  return root
}

const child = (v: unknown, k: Key): unknown => {
  if (v instanceof Map) return v.get(k)
  if (isPlain(v)) return v[k]
  throw new PatchError(`path goes through a ${v === null ? "null" : typeof v} at ${String(k)}`)
}

const put = (v: unknown, k: Key, x: unknown): void => {
  if (v instanceof Map) v.set(k, x)
  else if (isPlain(v)) v[k] = x
  else throw new PatchError(`cannot set ${String(k)} in a ${typeof v}`)
}

const truncPush = (arr: unknown, len: number, items: ReadonlyArray<unknown>, revive: (j: unknown) => unknown): unknown[] => {
  if (!Array.isArray(arr) || !(len <= arr.length)) throw new PatchError("array patch does not fit")
  return [...arr.slice(0, len), ...items.map(revive)]
}

/** Validates the shape of decoded operations (they come from disk). */
export const isOps = (j: unknown): j is Op[] =>
  Array.isArray(j) &&
  j.every(
    (op) =>
      Array.isArray(op) &&
      Array.isArray(op[1]) &&
      (op[1] as unknown[]).every((k) => typeof k === "string" || typeof k === "number") &&
      ((op[0] === "s" && op.length === 3) || (op[0] === "d" && op.length === 2) || (op[0] === "t" && op.length === 4 && Number.isInteger(op[2]) && Array.isArray(op[3])))
  )
