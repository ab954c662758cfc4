/**
 * The operation in flight waits for the backup (session 12): a primary's `inflight` is the operation
 * it forwarded and has not executed; it executes it on the backup's ack and clears it in that step,
 * then forwards the next queued one. INFLIGHT_UNEXECUTED: no up primary has an operation in flight that
 * its exactly-once table shows executed. A primary that executes and answers on the ack but keeps the
 * operation in flight (the blind mutant inflight-not-cleared-on-ack) never forwards its queue again;
 * before, only a staged search whose goal then was never reached saw it, with no trace.
 */
import { invariant } from "../../checker/transition-system.ts"
import { amo } from "../../core/application.ts"
import type { ProtocolState } from "../../core/compile.ts"
import { kvStore } from "../../core/kv.ts"
import type { World } from "../../core/world.ts"
import { serverRole } from "./properties.ts"

const { alreadyExecuted } = amo(kvStore)

/** Over servers `server1`..`server<n>`. */
export const inflightUnexecuted = (n: number) => {
  const check = (w: World): string | undefined => {
    for (let i = 0; i < n; i++) {
      const s = serverRole(i).state(w)
      const c = s?.inflight
      if (!s || !c || s.view.primary !== `server${i + 1}`) continue
      if (alreadyExecuted(s.state, c)) return `primary server${i + 1} (view ${s.view.num}) has ${c.client}.${c.seq} in flight, which it has executed`
    }
    return undefined
  }
  return invariant<ProtocolState>("INFLIGHT_UNEXECUTED", (w) => check(w) === undefined, check)
}
