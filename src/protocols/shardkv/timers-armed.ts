/**
 * GROUP_TIMERS_ARMED: every live group server has its PollTimer and HandoffTimer set (init and recover
 * set both, and each handler sets its own again). A server without them, once it leads, never polls
 * the master for a configuration nor resends a handoff (nor, in shardtxn, a Prepare or a decision): its
 * group stalls for good, which a simulation shows only as clients that never finish and a bounded
 * search not at all. Caught at the step that leaves a timer unset (a restart, say). Reads the node
 * records only (a server's own timers, not its log's).
 */
import { invariant, type StateProperty, type StepProperty } from "../../checker/transition-system.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import type { Role } from "../../core/roles.ts"
import type { World } from "../../core/world.ts"

export const groupTimersArmed = <W extends World>(servers: ReadonlyArray<Role<unknown>>): StateProperty<W> => {
  const check = (w: W): string | undefined => {
    for (const r of servers) {
      const n = w.nodes[r.index]!
      if (!n.up) continue
      let poll = false
      let handoff = false
      for (const t of n.timers) {
        if (t.sub !== "") continue
        if (t.timer._tag === "PollTimer") poll = true
        else if (t.timer._tag === "HandoffTimer") handoff = true
      }
      if (!poll || !handoff) return `${r.address} is up with no ${poll ? "HandoffTimer" : "PollTimer"} set: it would never ${poll ? "resend a handoff" : "poll the master"} when it leads`
    }
    return undefined
  }
  return invariant<W>("GROUP_TIMERS_ARMED", (w) => check(w) === undefined, check)
}

/**
 * CLIENT_RETRY_ARMED (a step property, session 14): a step does not leave a store client with an
 * operation pending and no RetryTimer set for that operation's sequence number, when it had one (or
 * none pending) before (sendCommand sets it, each firing sets it again, the completing reply cancels
 * it). Without it, a lost request or a NotReady answer leaves the client waiting for good: a simulation
 * shows that only as a client that never finishes, a bounded search not at all. A step property, not an
 * invariant, so that a staged search whose first stage already lost the timer reports the step that
 * loses it from another start, not a trace of no steps. The clients are the nodes from index `first` on.
 */
export const clientRetryArmed = (first: number): StepProperty<ProtocolState, Event> =>
  retryArmed("CLIENT_RETRY_ARMED", first, (n) => {
    const s = n.state as { readonly client?: string; readonly seq?: number; readonly pending?: unknown } | undefined
    if (s === undefined || s.pending === null || s.pending === undefined) return undefined
    const armed = n.timers.some((t) => t.sub === "" && t.timer._tag === "RetryTimer" && (t.timer as { readonly seq?: number }).seq === s.seq)
    return armed ? undefined : `${s.client ?? "a client"} has operation ${s.seq} pending with no RetryTimer set for it: a lost request is never sent again`
  })

/**
 * TXN_RETRY_ARMED (a step property, session 15): the same for shardtxn's clients and their
 * transactions: a step does not leave a client with a transaction pending and no TxnRetryTimer set for
 * its current attempt, when it had one before (sendCommand sets it, each firing sets it again, an abort
 * sets it for the next attempt, a commit cancels it). Without it, an attempt whose request or reply is
 * lost, or the next attempt after an abort when no newer configuration arrives, is never sent again.
 */
export const txnRetryArmed = (first: number): StepProperty<ProtocolState, Event> =>
  retryArmed("TXN_RETRY_ARMED", first, (n) => {
    const s = n.state as { readonly client?: string; readonly seq?: number; readonly attempt?: number; readonly txn?: unknown } | undefined
    if (s === undefined || s.txn === null || s.txn === undefined) return undefined
    const armed = n.timers.some((t) => t.sub === "" && t.timer._tag === "TxnRetryTimer" && (t.timer as { readonly seq?: number; readonly attempt?: number }).seq === s.seq && (t.timer as { readonly attempt?: number }).attempt === s.attempt)
    return armed ? undefined : `${s.client ?? "a client"} has attempt ${s.attempt} of transaction ${s.seq} pending with no TxnRetryTimer set for it: it is never sent again`
  })

/** A step property: no step leaves a client (a node from index `first` on) `unarmed` when it was not before. */
const retryArmed = (name: string, first: number, unarmed: (n: World["nodes"][number]) => string | undefined): StepProperty<ProtocolState, Event> => {
  const why = (n: World["nodes"][number] | undefined) => (n === undefined ? undefined : unarmed(n))
  return {
    name,
    check: (from, _label, to) => {
      for (let i = first; i < to.nodes.length; i++) {
        if (from.nodes[i] === to.nodes[i]) continue
        const now = why(to.nodes[i])
        if (now !== undefined && why(from.nodes[i]) === undefined) return now
      }
      return undefined
    },
  }
}
