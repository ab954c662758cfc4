/**
 * An acknowledged view is held (session 12): once the view service's current view is acknowledged,
 * its primary and its backup, while up, are in that view and ready: the primary acknowledges a view
 * only after its backup took the state transfer of it (or when it has none), and that is what lets
 * the view service promote the backup next. A backup that acknowledged a transfer it did not install,
 * or a primary that acknowledged without transferring, breaks this on the step that acknowledges,
 * before any client operation (ACKED_OPS_REPLICATED sees it only once a client got an answer the
 * backup lacks). Designed after the blind mutants transfer-of-known-view-ignored and
 * primary-stays-ready-on-new-backup (bench/mutants/primarybackup/catalogue.ts). Servers never restart
 * (primaryBackupConfig), so an up server has not lost what it held.
 */
import { invariant } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import type { World } from "../../core/world.ts"
import { serverRole, vsState } from "./properties.ts"

export const ackedViewHeld = () => {
  const check = (w: World): string | undefined => {
    const vs = vsState(w)
    if (!vs.acked) return undefined
    for (const who of [vs.view.primary, vs.view.backup]) {
      if (who === null) continue
      const s = serverRole(Number(who.slice("server".length)) - 1).state(w)
      if (!s) continue
      if (s.view.num !== vs.view.num || !s.ready)
        return `view ${vs.view.num} is acknowledged, but its ${who === vs.view.primary ? "primary" : "backup"} ${who} is ${s.ready ? "ready" : "not ready"} in view ${s.view.num}`
    }
    return undefined
  }
  return invariant<ProtocolState>("ACKED_VIEW_HELD", (w) => check(w) === undefined, check)
}
