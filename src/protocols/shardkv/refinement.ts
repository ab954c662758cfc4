/**
 * The shard store refines spec/kv: abs() is the union of the shards' authoritative copies (the
 * serving one, or while a shard is in transit its sender's), and every step is one KV operation on
 * one key or a stutter (reconfigurations and handoffs move data without changing the union).
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import { refines } from "../../refinement/refinement.ts"
import { kvStepOf, type KvState } from "../../../spec/kv.ts"
import type { ShardStoreWorld } from "./system.ts"

export const absKv = (w: Pick<ShardStoreWorld, "groups">, shards: number): KvState => {
  const entries: Array<[string, string]> = []
  for (let shard = 0; shard < shards; shard++) {
    let copy: ReadonlyMap<string, string> | undefined
    let num = -1
    for (const g of w.groups) {
      const x = g.shards.get(shard)
      if (x?._tag === "Serving") copy = x.data.kv
      if (x?._tag === "Serving") break
      if (x?._tag === "Sending" && x.num > num) [copy, num] = [x.data.kv, x.num]
    }
    if (copy) entries.push(...copy)
  }
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

export const refinesKv = <L>(shards: number): StepProperty<ShardStoreWorld, L> =>
  refines({ name: "RefinesKv", abs: (w: ShardStoreWorld) => absKv(w, shards), spec: { isStep: (a: KvState, b: KvState) => kvStepOf(a, b) !== undefined } })
