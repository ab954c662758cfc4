/**
 * Diffs between two views, leaf by leaf. Paths are interned (one index per distinct path) so that a
 * long trace's diffs stay small; leaves are rendered as JSON text, empty containers as "[]" or "{}".
 */
import type { Op } from "./data.ts"

const SEP = "\u0000"
const NODES = `${SEP}nodes${SEP}`

export class PathTable {
  readonly paths: Array<ReadonlyArray<string>> = []
  private readonly index = new Map<string, number>()

  /** The index of a path (its keys joined by NUL), adding it on first sight. */
  of(key: string): number {
    let i = this.index.get(key)
    if (i === undefined) {
      i = this.paths.length
      this.paths.push(key === "" ? [] : key.slice(1).split(SEP))
      this.index.set(key, i)
    }
    return i
  }
}

const isContainer = (x: unknown): x is object => x !== null && typeof x === "object"
const leaf = (x: unknown): string =>
  isContainer(x) ? (Array.isArray(x) ? "[]" : "{}") : typeof x === "bigint" ? `${x}n` : (JSON.stringify(x) ?? "undefined")
const entries = (x: object): Array<readonly [string, unknown]> => (Array.isArray(x) ? x.map((y, i) => [String(i), y] as const) : Object.entries(x))
const isEmpty = (x: unknown) => isContainer(x) && entries(x).length === 0

/** Every leaf of `x` under `key`, as added (side "after") or removed ("before"). */
const all = (x: unknown, key: string, side: "before" | "after", table: PathTable, ops: Op[]) => {
  if (isContainer(x) && !isEmpty(x)) for (const [k, y] of entries(x)) all(y, key + SEP + k, side, table, ops)
  else ops.push(side === "after" ? [table.of(key), null, leaf(x)] : [table.of(key), leaf(x), null])
}

// Consecutive views share most of their node records (depth 2: nodes.<address>) by value. When the
// system cannot say which stayed the same, their JSON, cached per object (a view is diffed once as
// the later and once as the earlier), finds them.
const jsonOf = new WeakMap<object, string>()
const json = (x: unknown): string => {
  if (!isContainer(x)) return leaf(x)
  let s = jsonOf.get(x)
  if (s === undefined) jsonOf.set(x, (s = JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))))
  return s
}

/**
 * The leaf changes from view `a` to view `b` (`a` undefined: everything in `b` is new); `same` names
 * the nodes known unchanged, when the system can tell.
 */
export const diffViews = (a: unknown, b: unknown, table: PathTable, same?: ReadonlySet<string>): Op[] => {
  const ops: Op[] = []
  const walk = (x: unknown, y: unknown, key: string, depth = 0) => {
    if (depth === 2 && (same ? key.startsWith(NODES) && same.has(key.slice(NODES.length)) : isContainer(x) && isContainer(y) && json(x) === json(y))) return
    if (isContainer(x) && isContainer(y) && !isEmpty(x) && !isEmpty(y)) {
      const ys = new Map(entries(y))
      for (const [k, xv] of entries(x)) {
        if (ys.has(k)) walk(xv, ys.get(k), key + SEP + k, depth + 1)
        else all(xv, key + SEP + k, "before", table, ops)
      }
      const xs = new Set(entries(x).map(([k]) => k))
      for (const [k, yv] of ys) if (!xs.has(k)) all(yv, key + SEP + k, "after", table, ops)
    } else if (isContainer(x) && !isEmpty(x)) {
      all(x, key, "before", table, ops)
      ops.push([table.of(key), null, leaf(y)])
    } else if (isContainer(y) && !isEmpty(y)) {
      ops.push([table.of(key), leaf(x), null])
      all(y, key, "after", table, ops)
    } else if (leaf(x) !== leaf(y)) ops.push([table.of(key), leaf(x), leaf(y)])
  }
  if (a === undefined) all(b, "", "after", table, ops)
  else walk(a, b, "")
  return ops
}
