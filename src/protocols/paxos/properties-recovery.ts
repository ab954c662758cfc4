/**
 * RECOVERY_REBUILDS (session 11, issue 14 wave 8): what a persisting server stored, recovered now by
 * the server's own `recover`, gives the state it had. The searches crash a server rarely, and a bug in
 * recovery (a replay that meets a hole's no-op, a snapshot restored wrong, an accepted slot replayed as
 * chosen) shows only after a crash at the right moment; checked on storage at every state, it is caught
 * at the write that makes the storage unrecoverable, before any crash. The recovered state's applied
 * state machine must equal that of every live server that executed the same prefix of the log (a
 * recovery that rebuilds less than was executed is judged against the servers that executed as much),
 * and its log must keep LOG_WINDOW's rules (session 12).
 */
import { fingerprintValue } from "../../checker/hash.ts"
import { invariant, newFingerprint, type StateProperty } from "../../checker/transition-system.ts"
import type { Config } from "../../core/config.ts"
import { runNodeEvent } from "../../core/dispatch.ts"
import type { Durable } from "../../core/outbox.ts"
import type { World } from "../../core/world.ts"
import { windowViolation } from "./properties-learned.ts"
import type { PaxosServerState } from "./server.ts"

type Rebuilt = { readonly slotOut: number; readonly hi: number; readonly lo: number } | string

export const recoveryRebuilds = <W extends World>(config: Config): StateProperty<W> => {
  const addresses = [...config.servers.map((s) => s.address), ...config.clients.map((c) => c.address)]
  const fp = newFingerprint()
  // One recovery per stored record (a record recurs across many states).
  const byStorage = new WeakMap<object, Rebuilt>()
  const rebuild = (i: number, durable: Durable): Rebuilt => {
    let out = byStorage.get(durable as object)
    if (out !== undefined) return out
    const { address, def } = config.servers[i]!
    try {
      const s = runNodeEvent({ def, self: address, peers: addresses, state: undefined, timers: [], durable }, { k: "recover" }).state as PaxosServerState<unknown>
      // The recovered log must be well formed too (LOG_WINDOW's rules): a compaction point lost in recovery leaves cleared slots looking empty.
      const malformed = windowViolation(`${address} recovered from its storage`, s.log)
      if (malformed) out = malformed
      else {
        fingerprintValue(s.app, fp)
        out = { slotOut: s.log.slotOut, hi: fp.hi, lo: fp.lo }
      }
    } catch (e) {
      out = `recovery from ${address}'s storage fails: ${e instanceof Error ? e.message : String(e)}`
    }
    byStorage.set(durable as object, out)
    return out
  }
  // A live server's applied state, fingerprinted once per object (checked at every state, it recurs across many).
  const prints = new WeakMap<object, readonly [number, number]>()
  const printOf = (app: unknown): readonly [number, number] => {
    if (typeof app !== "object" || app === null) return (fingerprintValue(app, fp), [fp.hi, fp.lo])
    let p = prints.get(app)
    if (p === undefined) {
      fingerprintValue(app, fp)
      prints.set(app, (p = [fp.hi, fp.lo]))
    }
    return p
  }
  const check = (w: World): string | undefined => {
    for (let i = 0; i < config.servers.length; i++) {
      const durable = w.nodes[i]!.durable
      if (durable === undefined) continue
      const r = rebuild(i, durable)
      if (typeof r === "string") return r
      for (let j = 0; j < config.servers.length; j++) {
        const n = w.nodes[j]!
        if (!n.up) continue
        const s = n.state as PaxosServerState<unknown>
        if (s.log.slotOut !== r.slotOut) continue
        const [hi, lo] = printOf(s.app)
        if (hi !== r.hi || lo !== r.lo)
          return `${config.servers[i]!.address}'s storage recovers a server that executed slots below ${r.slotOut}, but its state differs from ${config.servers[j]!.address}'s, which executed as many`
      }
    }
    return undefined
  }
  return invariant<W>("RECOVERY_REBUILDS", (w) => check(w) === undefined, check)
}
