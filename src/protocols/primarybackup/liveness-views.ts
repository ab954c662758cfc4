/**
 * Liveness of the view service (issue 14 item 5, session 6b): with two servers up and fair delivery,
 * the view service's current view is acknowledged by its primary again and again ([]<>: no view stays
 * unacknowledged forever). A view service that never sees an acknowledgement (a primary that pings
 * with the wrong number) never moves past view 1: a lasso of pings. Not "a backup is eventually
 * appointed": timers are untimed here, so the view service may run two ping checks between any two
 * pings and take every server for dead forever, a fair behaviour that only timing rules out. Designed after the
 * fact: written after the blind mutant primary-never-acks was caught only as a staged search that could
 * not reach its stage (no trace).
 *
 * Bounded: the view service, 2 servers, no clients, no crash, a network that delivers in any order and
 * loses nothing, at most 3 messages in flight, views up to 2.
 */
import { compile, type ProtocolState } from "../../core/compile.ts"
import { alwaysEventually } from "../../checker/temporal.ts"
import { inFlightAtMost, underFairDelivery } from "../../core/fair.ts"
import { onePrimaryPerView, viewsUpTo, vsState } from "./properties.ts"
import { primaryBackupConfig } from "./model.ts"
import type { Config } from "../../core/config.ts"

/** []<> the view service's current view is one its primary acknowledged. */
export const viewAcknowledged = alwaysEventually<ProtocolState>("ViewAcknowledged", (w) => vsState(w).acked)

/** The bounded configuration under fair delivery; `plant` rewrites the configuration (a planted bug, for tests). */
export const viewsLive = (plant: (c: Config) => Config = (c) => c) => {
  const config = plant(primaryBackupConfig({ servers: 2, workloads: [], network: { delivery: "multiset" }, faults: { maxCrashed: 0 } }))
  const system = compile(config, { name: "primarybackup", properties: [onePrimaryPerView(2), viewsUpTo(2), inFlightAtMost(3)] })
  return underFairDelivery(system, [viewAcknowledged])
}
