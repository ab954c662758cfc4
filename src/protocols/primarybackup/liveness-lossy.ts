/**
 * Liveness of a stable view on a lossy network (issue 14, session 9): with view 2 acknowledged
 * (server1 primary, server2 its backup) and the client's append sent to server1, every fair behaviour
 * that keeps the view completes the append, whatever messages are lost. The primary waits for the
 * backup's ForwardAck with the append in flight and takes the client's retries for duplicates, so
 * only its own timer, re-sending the Forward, gets past a lost Forward or ack. live-requests-complete
 * has one server (nothing forwarded) and the failover searches lose nothing, so the blind mutant
 * forward-not-resent (bench/mutants/primarybackup/catalogue.ts), whose timer re-sends only the state
 * transfer, passed every test. The timer step that should have re-sent it breaks FORWARD_RESENT
 * (prompt-steps.ts) right there, before the lasso closes.
 *
 * Bounded: view service, 2 servers, one client's append, delivery in any order, drops, at most 3
 * messages in flight, views above 2 pruned (a behaviour that changes the view is not one of a stable view).
 */
import { explore } from "../../checker/explore.ts"
import { afterPath } from "../../checker/staged.ts"
import { withProperties } from "../../checker/transition-system.ts"
import { compile } from "../../core/compile.ts"
import { workload } from "../../core/config.ts"
import { inFlightAtMost, underFairDelivery } from "../../core/fair.ts"
import { append, appendResult, kvStore } from "../../core/kv.ts"
import { resultsOk } from "../../core/properties.ts"
import { clientWaitsOnPrimary } from "./liveness-failover.ts"
import { primaryBackupConfig } from "./model.ts"
import { forwardResent } from "./prompt-steps.ts"
import { backupMirrors, onePrimaryPerView, viewsUpTo } from "./properties.ts"

const IN_FLIGHT = 3

/** Staged at live-failover's first stage (view 2 acknowledged, the client waiting on server1), then every fair behaviour. */
export const stableViewLossyLive = () => {
  const config = primaryBackupConfig({ servers: 2, workloads: [workload([[append("foo", "x"), appendResult("x")]])], network: { delivery: "multiset", drops: true } })
  const compiled = compile(config, { name: "primarybackup", properties: [resultsOk(config), onePrimaryPerView(2), backupMirrors(2, kvStore), viewsUpTo(2), inFlightAtMost(IN_FLIGHT)] })
  const base = withProperties(compiled, compiled.properties, [...(compiled.stepProperties ?? []), forwardResent(2)])
  const stage = explore(withProperties(base, [...base.properties, clientWaitsOnPrimary]), { strategy: "bfs", maxStates: 200_000, minimise: false, checkDeterminism: false })
  if (stage.verdict !== "goal-found" || !stage.path) throw new Error(`live-lossy-view, stage one (${clientWaitsOnPrimary.name}): ${stage.verdict}`)
  return underFairDelivery(afterPath(base, stage.path))
}
