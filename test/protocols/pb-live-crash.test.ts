/**
 * Primary-backup liveness across crashes and of the view service (issue 14 item 5, session 6b): the
 * correct protocol passes (primarybackup.test.ts runs the named tests), and a planted bug of each kind
 * comes back as a short lasso that checkLasso re-checks. Planted as wrappers of the view service's
 * handlers, so server.ts stays as it is.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { checkLasso } from "../../src/checker/liveness.ts"
import type { Config } from "../../src/core/config.ts"
import type { Address, Ctx } from "../../src/core/node.ts"
import { failoverLive } from "../../src/protocols/primarybackup/liveness-failover.ts"
import { viewsLive } from "../../src/protocols/primarybackup/liveness-views.ts"
import { Ping, PingCheckTimer, type ViewServerState, VIEW_SERVICE } from "../../src/protocols/primarybackup/server.ts"

/** The configuration with the view service's handlers rewritten by `f`. */
const viewService = (f: (def: any) => any) => (c: Config): Config => ({ ...c, servers: c.servers.map((s) => (s.address === VIEW_SERVICE ? { ...s, def: f(s.def) } : s)) })

/** Planted: the ping check adds the servers that pinged to those live before: a server once live never dies. */
const liveForever = viewService((def) => ({
  ...def,
  onTimer: { PingCheckTimer: (s: ViewServerState, t: PingCheckTimer, ctx: Ctx) => def.onTimer.PingCheckTimer({ ...s, pinged: new Set([...s.live, ...s.pinged]) }, t, ctx) },
}))

/** Planted: the view service reads every ping's number as -1, so no view is ever acknowledged. */
const neverAcked = viewService((def) => ({
  ...def,
  onMessage: { ...def.onMessage, Ping: (s: ViewServerState, _m: Ping, from: Address, ctx: Ctx) => def.onMessage.Ping(s, new Ping({ num: -1 }), from, ctx) },
}))

const lasso = (system: any, property: string, most: number) => (t: any) => {
  const r = explore(system, { strategy: "bfs" })
  t.is(r.verdict, "violation")
  t.is(r.property, property)
  t.true(r.path!.steps.length <= most, `${r.path!.steps.length} steps`)
  const hit = checkLasso(system, r.path!)
  t.is(typeof hit === "string" ? hit : hit.property, property)
}

test("planted live-forever, primary crashed: the client waits forever at the dead primary (a short lasso)", (t) =>
  lasso(failoverLive(false, "primary", liveForever), "ClientsDone", 30)(t))

test("planted live-forever, backup crashed: the primary waits forever for the dead backup's ack (a short lasso)", (t) =>
  lasso(failoverLive(false, "backup", liveForever), "ClientsDone", 30)(t))

test("planted never-acknowledged view service: a lasso of pings in view 1", (t) => lasso(viewsLive(neverAcked), "ViewAcknowledged", 20)(t))
