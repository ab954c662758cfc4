/**
 * Transactional workloads: MultiPut, MultiGet and Swap (and single-key Gets and Puts) over keys
 * chosen on given groups, with the results a client running alone gets (spec/kv-txn's kvTxnApply).
 */
import { kvTxnApply } from "../../../spec/kv-txn.ts"
import type { Workload } from "../../core/config.ts"
import { GetResult, KeyNotFound, PutOk, type KVCommand } from "../../core/kv.ts"
import type { Tagged } from "../../core/node.ts"
import { keyShard } from "../shardkv/keys.ts"
import { configurationsOf } from "../shardkv/system.ts"
import type { ShardMasterCommand } from "../shardmaster/messages.ts"
import { kvTxnOf, multiGetTxn, multiPutTxn, swapTxn, Txn, TxnCommitted } from "./messages.ts"

export type TxnWorkloadCommand = Txn | KVCommand

/** `n` keys k0, k1, ... whose shards group `group` owns in the script's last configuration. */
export const keysOn = (shards: number, script: ReadonlyArray<ShardMasterCommand>, group: number, n: number): string[] => {
  const last = configurationsOf(shards, script).at(-1)!
  return Array.from({ length: 1000 }, (_, i) => `k${i}`)
    .filter((k) => last.shards[keyShard(k, shards)] === group)
    .slice(0, n)
}

/** The results of running `commands` alone, in order, on an empty store. */
export const expectedResults = (commands: ReadonlyArray<TxnWorkloadCommand>): Tagged[] => {
  let store: Readonly<Record<string, string>> = {}
  return commands.map((c) => {
    const txn = c._tag === "Txn" ? kvTxnOf(c) : c._tag === "Get" ? { steps: [{ op: "read" as const, key: c.key }] } : c._tag === "Put" ? { steps: [{ op: "write" as const, key: c.key, value: c.value }] } : undefined
    if (txn === undefined) throw new Error(`no transaction form for ${c._tag}`)
    const { output, next } = kvTxnApply(store, txn)
    store = next as Record<string, string>
    if (c._tag === "Get") return output.reads[0] === null ? new KeyNotFound() : new GetResult({ value: output.reads[0]! })
    return c._tag === "Put" ? new PutOk() : new TxnCommitted({ reads: [...output.reads] })
  })
}

/** `n` transactions cycling MultiPut of two keys, MultiGet of all, Swap of two, MultiGet of two, over `keys`. */
export const mixedTxns = (client: string, n: number, keys: ReadonlyArray<string>): Txn[] =>
  Array.from({ length: n }, (_, i) => {
    const [a, b] = [keys[i % keys.length]!, keys[(i + 1) % keys.length]!]
    switch (i % 4) {
      case 0:
        return multiPutTxn([[a, `${client}.${i}`], [b, `${client}.${i}'`]])
      case 1:
        return multiGetTxn(keys)
      case 2:
        return swapTxn(a, b)
      default:
        return multiGetTxn([a, b])
    }
  })

/** A client alone on its keys: its results are known in advance. */
export const soloWorkload = (commands: ReadonlyArray<TxnWorkloadCommand>): Workload => ({ commands, expected: expectedResults(commands) })

/** `n` MultiPuts writing one value to every key of `keys` (value i on the i-th). */
export const uniformPuts = (client: string, n: number, keys: ReadonlyArray<string>): Workload => ({
  commands: Array.from({ length: n }, (_, i) => multiPutTxn(keys.map((k) => [k, `${client}.${i}`] as const))),
})

/** `n` MultiGets of `keys`. */
export const multiGets = (n: number, keys: ReadonlyArray<string>): Workload => ({ commands: Array.from({ length: n }, () => multiGetTxn(keys)) })
