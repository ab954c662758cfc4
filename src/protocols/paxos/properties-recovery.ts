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
import { judgeRecovered } from "../../core/recovered-storage.ts"
import type { World } from "../../core/world.ts"
import { windowViolation } from "./properties-learned.ts"
import type { PaxosServerState } from "./server.ts"

type Rebuilt = { readonly slotOut: number; readonly hi: number; readonly lo: number } | string

export const recoveryRebuilds = <W extends World>(config: Config): StateProperty<W> => {
  const fp = newFingerprint()
  const rebuild = judgeRecovered<Rebuilt>(config, (i, recovered) => {
    const s = recovered as PaxosServerState<unknown>
    // The recovered log must be well formed too (LOG_WINDOW's rules): a compaction point lost in recovery leaves cleared slots looking empty.
    const malformed = windowViolation(`${config.servers[i]!.address} recovered from its storage`, s.log)
    if (malformed) return malformed
    fingerprintValue(s.app, fp)
    return { slotOut: s.log.slotOut, hi: fp.hi, lo: fp.lo }
  })
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
