/**
 * A server recovered from what it stored, by its own `recover` handler, judged once per stored record
 * (a record recurs across many states): the RECOVERY_REBUILDS checks of Paxos and Raft, run on storage
 * at every state, so that a write that makes the storage recover wrong fails before any crash.
 */
import type { Config } from "./config.ts"
import { runNodeEvent } from "./dispatch.ts"
import type { Durable } from "./outbox.ts"

/** `judge(i, state)` of server i's state recovered from `durable`, or the recovery's failure as a message. */
export const judgeRecovered = <T>(config: Config, judge: (i: number, recovered: unknown) => T): ((i: number, durable: Durable) => T | string) => {
  const addresses = [...config.servers.map((s) => s.address), ...config.clients.map((c) => c.address)]
  const byStorage = new WeakMap<object, T | string>()
  return (i, durable) => {
    let out = byStorage.get(durable as object)
    if (out !== undefined) return out
    const { address, def } = config.servers[i]!
    try {
      out = judge(i, runNodeEvent({ def, self: address, peers: addresses, state: undefined, timers: [], durable }, { k: "recover" }).state)
    } catch (e) {
      out = `recovery from ${address}'s storage fails: ${e instanceof Error ? e.message : String(e)}`
    }
    byStorage.set(durable as object, out)
    return out
  }
}
