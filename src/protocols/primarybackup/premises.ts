/**
 * The premise of a mutant judged equivalent, as an invariant a search can check (issue 14 item 5,
 * session 6). forward-before-ready (bench/mutants/primarybackup/catalogue.ts) lets a backup execute a
 * Forward of its view before its state transfer. That changes nothing while no Forward of a view can
 * reach that view's backup before it holds the state: the primary forwards only once ready, which it
 * becomes on the backup's StateTransferAck of that view, sent as the backup installs the transfer; a
 * backup leaves `ready` only for a later view (servers do not restart).
 */
import { invariant } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import { Forward } from "./server.ts"
import { serverRole } from "./properties.ts"
import type { ClientState } from "./client.ts"

/** A Forward in flight to a server in the Forward's view is to one that holds the state of that view. */
export const forwardOnlyToReady = () => {
  const check = (w: ProtocolState): string | undefined => {
    for (const e of w.net) {
      const m = e.msg
      if (!(m instanceof Forward) || !e.to.startsWith("server")) continue
      const b = serverRole(Number(e.to.slice("server".length)) - 1).state(w)
      if (b && b.view.num === m.num && !b.ready) return `${e.from}'s Forward of view ${m.num} is in flight to ${e.to}, which is in that view without the state`
    }
    return undefined
  }
  return invariant<ProtocolState>("FORWARD_ONLY_TO_READY", (w) => check(w) === undefined, check)
}

/**
 * The premise of new-primary-keeps-inflight judged benign (session 6b): a server that stays primary
 * into a new view keeps the operation in flight and the queue of the view before. That adds no
 * behaviour while every operation a primary holds is either executed in its state already (forwarded
 * again, it is answered from the exactly-once table and changes nothing) or still pending at its
 * client, which re-sends it on its timer: the correct primary then takes the same operation in flight
 * (or queues it) on the retry, so the mutant only runs ahead of a retry. Nothing is forwarded in the
 * new view before its backup holds the state (FORWARD_ONLY_TO_READY) and a ForwardAck counts only in
 * its own view, so the kept operation reaches the new backup after the transfer like any other.
 */
export const heldOpsPendingOrExecuted = (servers: number) => {
  const check = (w: ProtocolState): string | undefined => {
    for (let i = 0; i < servers; i++) {
      const s = serverRole(i).state(w)
      if (!s || s.view.primary !== `server${i + 1}`) continue
      for (const c of [...(s.inflight ? [s.inflight] : []), ...s.queue]) {
        const last = s.state.last.get(c.client)
        if (last !== undefined && last.seq >= c.seq) continue
        const k = Number(c.client.slice("client".length))
        const client = w.nodes[servers + k]?.state as ClientState | undefined
        if (client?.pending?.seq === c.seq) continue
        return `server${i + 1} holds ${c.client}'s operation ${c.seq}, neither executed in its state nor pending at the client`
      }
    }
    return undefined
  }
  return invariant<ProtocolState>("HELD_OPS_PENDING_OR_EXECUTED", (w) => check(w) === undefined, check)
}
