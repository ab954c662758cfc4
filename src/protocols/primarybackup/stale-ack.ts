/**
 * A stale ForwardAck meets a retry (issue 14, session 10). A primary that forwarded an operation to
 * the backup of view n, and forwards its client's retry to the new backup of view n + 1, must not take
 * the old backup's late acknowledgement for the new one's: the new backup has not executed it, and a
 * failover would lose it. With two servers the old backup has to leave and come back (views 1 to 4,
 * stale-after-rejoin: 23 steps to the blind mutant forward-ack-any-view); with three, the third server
 * takes its place in view 3.
 *
 * staged-stale-ack: three servers, one client's append, one crash, views up to 3: BFS until server1
 * knows view 1, then until view 2 (server1, server2) is acknowledged (one search to there runs out of
 * 200,000 states: three servers' pings interleave), then until server2's ForwardAck of the append is in flight; then until
 * server2 has crashed and server1 knows view 3 (server1, server3); then BFS on, every invariant
 * (ACKED_OPS_REPLICATED sees an operation answered that the backup does not hold).
 */
import type { NamedTest } from "../../checker/model.ts"
import { goal } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import { append, appendResult } from "../../core/kv.ts"
import { workload } from "../../core/config.ts"
import { ForwardAck } from "./messages.ts"
import { serverRole, viewsUpTo } from "./properties.ts"
import { stagedSearch } from "./model.ts"

/** server1 knows view 1, where it is the primary. */
const view1 = goal<ProtocolState>("VIEW_1_SERVER1", (w) => serverRole(0).state(w)?.view.num === 1)

/** server1 knows view 2 (server1, server2) and its backup holds the state. */
const view2 = goal<ProtocolState>("VIEW_2_SERVER1_SERVER2_READY", (w) => {
  const s1 = serverRole(0).state(w)
  return s1 != null && s1.ready && s1.view.num === 2 && s1.view.backup === "server2"
})

/** Then server1's append forwarded and server2's ForwardAck of it sent (the view service need not have the view acknowledged yet). */
const ackedInView2 = goal<ProtocolState>("FORWARD_ACKED_IN_VIEW_2", (w) => {
  const s1 = serverRole(0).state(w)
  return s1 != null && s1.view.num === 2 && s1.inflight != null && w.net.some((e) => e.msg instanceof ForwardAck && e.msg.num === 2)
})

/** server1 knows view 3, with server3 its backup (server2 missed two ping checks). */
const view3WithServer3 = goal<ProtocolState>("VIEW_3_SERVER1_SERVER3", (w) => {
  const v = serverRole(0).state(w)?.view
  return v !== undefined && v.num === 3 && v.backup === "server3"
})

export const STALE_ACK_TESTS = {
  "staged-stale-ack": {
    description:
      "staged search: 3 servers, one client's append, one crash, views up to 3; BFS until view 2 (server1, server2) is acknowledged with server2's ForwardAck of the append in flight, then until server2 is down and server1 knows view 3 (server1, server3); then BFS on with the old ack still deliverable: the primary must not answer the retry it forwarded to server3 on server2's ack (ACKED_OPS_REPLICATED)",
    build: () =>
      stagedSearch({ servers: 3, workloads: [workload([[append("foo", "x"), appendResult("x")]])], extra: [viewsUpTo(3)] }, [view1, view2, ackedInView2, view3WithServer3]),
    options: { maxStates: 100_000 },
    expect: "ok",
  },
} satisfies Record<string, NamedTest>
