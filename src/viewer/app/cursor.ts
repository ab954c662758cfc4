/**
 * A trace's state at any step, rebuilt in the browser from the diffs: moving forwards applies a
 * step's changes, moving backwards undoes them with their old values.
 */
import type { Op, TraceData, ViewerMessage } from "../data.ts"
import { ownerOf } from "../data.ts"

export class Cursor {
  /** Leaf text by path index. */
  readonly leaves = new Map<number, string>()
  step = 0

  constructor(readonly data: TraceData) {
    this.apply(data.initial, true)
  }

  private apply(ops: ReadonlyArray<Op>, forward: boolean) {
    // Forwards, removals first (a container becoming a leaf); backwards, the reverse.
    const list = forward ? ops : [...ops].reverse()
    for (const [path, before, after] of list) {
      const v = forward ? after : before
      if (v === null) this.leaves.delete(path)
      else this.leaves.set(path, v)
    }
  }

  moveTo(step: number) {
    const target = Math.max(0, Math.min(this.data.steps.length, step))
    while (this.step < target) this.apply(this.data.steps[this.step++]!.ops, true)
    while (this.step > target) this.apply(this.data.steps[--this.step]!.ops, false)
  }
}

export interface TreeNode {
  readonly key: string
  /** Leaf text, for leaves. */
  value?: string
  /** Path index of a leaf, for highlighting. */
  path?: number
  children?: TreeNode[]
}

/** Paths worth showing: the view's own list of messages in flight is drawn as arrows and listed apart. */
export const shown = (data: TraceData, p: number): boolean => !(data.messages.length > 0 && data.paths[p]![0] === "network")

const owners = new WeakMap<TraceData, ReadonlyArray<string>>()
/** The owner of every path, by index (computed once per trace). */
export const ownerTable = (data: TraceData): ReadonlyArray<string> => {
  let t = owners.get(data)
  if (!t) owners.set(data, (t = data.paths.map(ownerOf)))
  return t
}

/** The current leaves of one owner (a node's address, or "" for the rest of the view) as a tree. */
export const treeOf = (data: TraceData, leaves: ReadonlyMap<number, string>, owner: string): TreeNode => {
  const root: TreeNode = { key: owner || "state", children: [] }
  const skip = owner === "" ? 0 : 2
  const table = ownerTable(data)
  const sorted = [...leaves.keys()].filter((p) => table[p] === owner && shown(data, p)).sort((a, b) => a - b)
  for (const p of sorted) {
    const keys = data.paths[p]!.slice(skip)
    let node = root
    for (const k of keys) {
      node.children ??= []
      let child = node.children.find((c) => c.key === k)
      if (!child) node.children.push((child = { key: k }))
      node = child
    }
    node.value = leaves.get(p)!
    node.path = p
  }
  return root
}

const ownerLists = new WeakMap<TraceData, ReadonlyArray<string>>()
/** The owners that have state in the view: every node, then the rest ("") if anything is left. */
export const ownersOf = (data: TraceData): ReadonlyArray<string> => {
  let list = ownerLists.get(data)
  if (!list) {
    const table = ownerTable(data)
    const seen = new Set(table.filter((_, p) => shown(data, p)))
    list = [...data.nodes.filter((n) => seen.has(n)), ...[...seen].filter((o) => o !== "" && !data.nodes.includes(o)), ...(seen.has("") ? [""] : [])]
    ownerLists.set(data, list)
  }
  return list
}

/** Messages in the network after `step`. */
export const inFlightAt = (data: TraceData, step: number): ViewerMessage[] =>
  data.messages.filter((m) => m.sent <= step && (m.end === undefined || m.end > step))

/** A path without its `nodes.<address>` prefix, for display. */
export const shortPath = (data: TraceData, p: number): string => {
  const path = data.paths[p]!
  return (ownerOf(path) === "" ? path : path.slice(2)).join(".") || "(value)"
}
