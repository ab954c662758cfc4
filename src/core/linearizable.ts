/**
 * Linearizability inside model checking: a configuration's clients record every call and return (in
 * the world's history), and this property checks that history against spec/kv's sequential model.
 * Histories are carried along a path but not fingerprinted, so with BFS/DFS a state's history is the
 * one of the first path that reached it: a reported violation is always real, but a search cannot
 * promise to have tried every history of a state.
 */
import { invariant, type StateProperty } from "../checker/transition-system.ts"
import { checkHistory } from "../linearizability/check.ts"
import type { History } from "../linearizability/history.ts"
import { kvModel } from "../linearizability/models.ts"
import type { KvInput, KvOutput } from "../../spec/kv.ts"
import type { ProtocolState } from "./compile.ts"
import type { Tagged } from "./node.ts"
import { allClientsDone } from "./properties.ts"
import { historyOf, type World } from "./world.ts"

type Field = Tagged & { readonly key?: string; readonly value?: string }

/** Whether a client command is one of spec/kv's (Get, Put, Append), so a KV history can hold it. */
export const isKvCommand = (c: Tagged): boolean => c._tag === "Get" || c._tag === "Put" || c._tag === "Append"

const input = (c: Field): KvInput => {
  switch (c._tag) {
    case "Get":
      return { op: "get", key: c.key! }
    case "Put":
      return { op: "put", key: c.key!, value: c.value! }
    case "Append":
      return { op: "append", key: c.key!, value: c.value! }
    default:
      throw new Error(`not a KV command: ${c._tag}`)
  }
}

const output = (r: Field): KvOutput => {
  switch (r._tag) {
    case "GetResult":
      return { value: r.value! }
    case "KeyNotFound":
      return { value: null }
    case "AppendResult":
      return { value: r.value! }
    default:
      return {}
  }
}

/** The world's client history as a KV history; operations still in flight have unknown outcome. */
export const kvHistory = (w: World): History<KvInput, KvOutput> => {
  const clients = new Map<string, number>()
  return historyOf(w).map((op) => {
    if (!clients.has(op.client)) clients.set(op.client, clients.size)
    return {
      client: clients.get(op.client)!,
      call: op.call,
      return: op.ret ?? null,
      input: input(op.command as Field),
      output: op.result ? output(op.result as Field) : null,
    }
  })
}

export interface LinearizableOptions {
  /** "done": check once every client has finished (cheap); "always": in every state. */
  readonly when?: "done" | "always"
  /** Search budget per check; running out is not a violation. */
  readonly timeoutSeconds?: number
}

/** LINEARIZABLE: the clients' history is linearizable against spec/kv. */
export const historyLinearizable = <S extends ProtocolState>(options: LinearizableOptions = {}): StateProperty<S> => {
  const when = options.when ?? "done"
  const verdict = (w: S) => {
    if (when === "done" && !allClientsDone(w)) return undefined
    const r = checkHistory(kvModel, kvHistory(w), { timeoutSeconds: options.timeoutSeconds ?? 5, minimise: false })
    return r.verdict === "not-linearizable" ? r : undefined
  }
  return invariant<S>(
    "LINEARIZABLE",
    (w) => verdict(w) === undefined,
    (w) => {
      const f = verdict(w)?.failure
      return f ? `history of ${kvHistory(w).length} operations is not linearizable (key ${JSON.stringify(f.partition)})` : undefined
    }
  )
}
