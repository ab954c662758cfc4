/**
 * A failover onto a third server (session 13). The backup of an acknowledged view that becomes the
 * primary (its primary down) gets a new backup, the idle third server, in the same view change: as
 * a primary it is ready only once that backup took its state. With two servers a promoted backup never
 * has a new backup in the view that promotes it (none is left), so no search met this: the blind
 * mutant promoted-backup-keeps-ready (the backup's ready flag kept as the primary's, so it
 * acknowledged the view before the transfer) was caught only by the swarm hunt, in 25-31 steps.
 *
 * staged-failover-third: 3 servers, no clients, server1 alone may crash, views up to 3: BFS until
 * server1 knows view 1, then until view 2 (server1, server2) is acknowledged (one search to there
 * runs out of budget: three servers' pings interleave), then until server1 is down; then BFS on until
 * view 3 (server2, server3) is acknowledged with server3 holding it. ACKED_VIEW_HELD fails on an
 * acknowledgement before the transfer.
 */
import type { NamedTest } from "../../checker/model.ts"
import { goal } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import { serverRole, viewsUpTo, vsState } from "./properties.ts"
import { stagedSearch } from "./model.ts"

const VIEW_1 = goal<ProtocolState>("VIEW_1_SERVER1", (w) => serverRole(0).state(w)?.view.num === 1)
const VIEW_2_ACKED = goal<ProtocolState>("VIEW_2_SERVER1_SERVER2_ACKED", (w) => {
  const vs = vsState(w)
  return vs.acked && vs.view.num === 2 && vs.view.primary === "server1" && vs.view.backup === "server2"
})
const SERVER1_DOWN = goal<ProtocolState>("SERVER1_DOWN", (w) => serverRole(0).state(w) === undefined)
const FAILED_OVER = goal<ProtocolState>("VIEW_3_SERVER2_SERVER3_ACKED_HELD", (w) => {
  const vs = vsState(w)
  const s3 = serverRole(2).state(w)
  return vs.acked && vs.view.num === 3 && vs.view.primary === "server2" && vs.view.backup === "server3" && s3?.view.num === 3 && s3.ready
})

export const FAILOVER_THIRD_TESTS = {
  "staged-failover-third": {
    description:
      "staged search: 3 servers, no clients, server1 alone may crash, views up to 3; BFS until view 2 (server1, server2) is acknowledged, then until server1 is down; BFS on until view 3 (server2, server3) is acknowledged with server3 holding the state: the promoted backup acknowledges only after its new backup took the transfer (ACKED_VIEW_HELD)",
    build: () => stagedSearch({ servers: 3, workloads: [], faults: { crashable: ["server1"], maxCrashed: 1 }, extra: [viewsUpTo(3), FAILED_OVER] }, [VIEW_1, VIEW_2_ACKED, SERVER1_DOWN]),
    options: { strategy: "bfs", maxStates: 100_000 },
    expect: "goal-found",
  },
} satisfies Record<string, NamedTest>
