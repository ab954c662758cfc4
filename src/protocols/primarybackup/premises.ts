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
