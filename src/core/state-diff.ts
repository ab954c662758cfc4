/**
 * Diffs of plain data for golden interaction files: a value is flattened into `path: value` lines
 * (containers of containers opened by field, key or index) and two flattenings are
 * compared line by line; a multiset diff compares bags of rendered items, never positions.
 */
import { show } from "./show.ts"

/** Containers a flattening opens: plain objects, arrays and maps (tagged data stays whole, like a message). */
const openable = (v: unknown): boolean =>
  v !== null && typeof v === "object" && !(v instanceof Set) && (Array.isArray(v) || v instanceof Map || typeof (v as { _tag?: unknown })._tag !== "string")

const children = (v: object): Array<readonly [string, unknown]> => {
  if (Array.isArray(v)) return v.map((x, i) => [`[${i}]`, x] as const)
  if (v instanceof Map) return [...v].map(([k, x]) => [show(k), x] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const o = v as Record<string, unknown>
  return Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => [k, o[k]] as const)
}

/**
 * `path -> rendered value` for the leaves of `v`, in a stable order. The shape depends on types, never
 * on lengths: a container holding only scalars and tagged data is one leaf (`{k1:a1}`, a log entry), a
 * container holding containers is opened by field, key or index (`log[2]`); `open` opens the top too.
 */
export const flatten = (v: unknown, path = "", out = new Map<string, string>(), open = false): Map<string, string> => {
  const kids = openable(v) ? children(v as object) : []
  if (kids.length === 0 || (!open && !kids.some(([, x]) => openable(x)))) {
    out.set(path, show(v))
    return out
  }
  for (const [k, x] of kids) flatten(x, path === "" ? k : k.startsWith("[") ? `${path}${k}` : `${path}.${k}`, out)
  return out
}

/** Whether `p` has a descendant among `keys` (an empty container that became a filled one, or back). */
const opened = (p: string, keys: ReadonlyMap<string, string>): boolean => {
  for (const k of keys.keys()) if (k !== p && (p === "" || (k.startsWith(p) && (k[p.length] === "." || k[p.length] === "[")))) return true
  return false
}

/** `path: old -> new`, `path: + new`, `path: - old` for every leaf that changed, prefixed by `prefix`. */
export const diffFlat = (prefix: string, before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] => {
  const lines: string[] = []
  const at = (p: string) => (p === "" ? prefix : p.startsWith("[") ? `${prefix}${p}` : `${prefix}.${p}`)
  for (const p of new Set([...after.keys(), ...before.keys()])) {
    const a = before.get(p)
    const b = after.get(p)
    if (a === b) continue
    if (a === undefined) {
      if (!opened(p, before)) lines.push(`${at(p)}: + ${b}`)
    } else if (b === undefined) {
      if (!opened(p, after)) lines.push(`${at(p)}: - ${a}`)
    } else lines.push(`${at(p)}: ${a} -> ${b}`)
  }
  return lines
}

/** `- item` for each copy that left the bag and `+ item` for each that joined it, sorted by item. */
export const diffBag = (before: ReadonlyArray<string>, after: ReadonlyArray<string>): string[] => {
  const count = new Map<string, number>()
  for (const x of before) count.set(x, (count.get(x) ?? 0) - 1)
  for (const x of after) count.set(x, (count.get(x) ?? 0) + 1)
  const lines: string[] = []
  for (const [x, n] of [...count].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (let k = 0; k < -n; k++) lines.push(`- ${x}`)
    for (let k = 0; k < n; k++) lines.push(`+ ${x}`)
  }
  return lines
}
