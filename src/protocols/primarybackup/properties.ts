/** Primary-backup's invariants and goals, reading the view service and the servers through typed roles. */
import { goal, invariant, prune } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import type { Config } from "../../core/config.ts"
import { amo, type Application } from "../../core/application.ts"
import type { KVState } from "../../core/kv.ts"
import { allClientsDone, sameData } from "../../core/properties.ts"
import { role, type Role } from "../../core/roles.ts"
import type { World } from "../../core/world.ts"
import { VIEW_SERVICE } from "./messages.ts"
import type { ServerState, View, ViewServerState } from "./server.ts"

type SS = ServerState<KVState>
export const viewService = role<ViewServerState>(0, VIEW_SERVICE)
/** The view service never crashes. */
export const vsState = (w: World) => viewService.state(w)!
const serverRoles: Array<Role<SS>> = []
/** Server i (0-based), typed; it follows the view service in every configuration. */
export const serverRole = (i: number): Role<SS> => (serverRoles[i] ??= role<SS>(i + 1, `server${i + 1}`))
const serverState = (w: World, i: number) => serverRole(i).state(w)

// ---- properties ----------------------------------------------------------------------------------

/** At most one primary per view: every view any node holds agrees with every other of that number. */
export const onePrimaryPerView = (servers: number) => {
  const check = (w: World): string | undefined => {
    const views = new Map<number, { who: string; view: View }>()
    const add = (who: string, v: View): string | undefined => {
      const other = views.get(v.num)
      if (!other) return void views.set(v.num, { who, view: v })
      if (other.view.primary !== v.primary) return `view ${v.num}: ${other.who} has primary ${other.view.primary}, ${who} has primary ${v.primary}`
      return undefined
    }
    const why = add(VIEW_SERVICE, vsState(w).view)
    if (why) return why
    for (let i = 0; i < servers; i++) {
      const s = serverState(w, i)
      const r = s && add(`server${i + 1}`, s.view)
      if (r) return r
    }
    return undefined
  }
  return invariant<ProtocolState>("ONE_PRIMARY_PER_VIEW", (w) => check(w) === undefined, check)
}

/**
 * No acknowledged write lost: once the view service's current view is acknowledged, its primary and
 * its backup (when up) have executed every operation a client got an answer for.
 */
export const ackedOpsReplicated = (config: Config) => {
  const offset = config.servers.length
  const index = new Map(config.servers.map((s, i) => [s.address, i]))
  const check = (w: World): string | undefined => {
    const vs = vsState(w)
    if (!vs.acked) return undefined
    for (const who of [vs.view.primary, vs.view.backup]) {
      if (who === null) continue
      const s = serverRole(index.get(who)! - 1).state(w)
      if (!s) continue
      for (let c = 0; c < config.clients.length; c++) {
        const done = w.nodes[offset + c]!.client!.next
        const name = config.clients[c]!.address
        const have = s.state.last.get(name)?.seq ?? 0
        if (have < done) return `${name} got answers to ${done} operations, but ${who} (${who === vs.view.primary ? "primary" : "backup"} of acknowledged view ${vs.view.num}) executed only ${have}`
      }
    }
    return undefined
  }
  return invariant<ProtocolState>("ACKED_OPS_REPLICATED", (w) => check(w) === undefined, check)
}

/**
 * The backup mirrors the primary: when a primary and its backup both hold the state of the same view,
 * the backup's state (application and dedup table) is the primary's, or the primary's with the
 * operation in flight executed. The backup executes only what its primary forwards in that view, one
 * operation at a time, so a stale message of an older view executed or installed, or a transfer
 * taken as done when it was not, shows here at once, before any client could tell.
 */
export const backupMirrors = (servers: number, app: Application<KVState, any, any>) => {
  const wrapped = amo(app)
  // Server states are immutable and recur across states (the step memo hands back the same ones):
  // the verdict is cached per (primary, backup) pair of server states, and equality is by fingerprint
  // (equal canonical encodings, equal prints: checker/hash.ts hashes the form core/encode.ts writes).
  const mirrors = new WeakMap<SS, WeakMap<SS, boolean>>()
  const mirrored = (p: SS, b: SS): boolean => {
    let byBackup = mirrors.get(p)
    if (!byBackup) mirrors.set(p, (byBackup = new WeakMap()))
    let ok = byBackup.get(b)
    if (ok === undefined) {
      ok = b.state === p.state || sameData(b.state, p.state) || (p.inflight !== null && sameData(b.state, wrapped.execute(p.state, p.inflight)[1]))
      byBackup.set(b, ok)
    }
    return ok
  }
  const check = (w: World): string | undefined => {
    for (let i = 0; i < servers; i++) {
      const p = serverState(w, i)
      const self = `server${i + 1}`
      if (!p || !p.ready || p.view.primary !== self || p.view.backup === null) continue
      const j = Number(p.view.backup.slice("server".length)) - 1
      const b = serverState(w, j)
      if (!b || !b.ready || b.view.num !== p.view.num) continue
      if (mirrored(p, b)) continue
      return `view ${p.view.num}: backup ${p.view.backup}'s state is neither primary ${self}'s nor that with its operation in flight executed`
    }
    return undefined
  }
  return invariant<ProtocolState>("BACKUP_MIRRORS_PRIMARY", (w) => check(w) === undefined, check)
}

/** Goal: a primary and then a backup were appointed, and the primary acknowledged that view. */
export const backupAppointed = () =>
  goal<ProtocolState>("BACKUP_APPOINTED", (w) => {
    const vs = vsState(w)
    return vs.view.num === 2 && vs.view.primary !== null && vs.view.backup !== null && vs.acked
  })

/** A failover happened: a server that was the backup became primary. */
const failedOver = (w: World, servers: number): boolean => {
  for (let i = 0; i < servers; i++) if (serverState(w, i)?.promoted) return true
  return false
}

/** Goal: every client finished, after a failover (a backup was promoted and a server is down). */
export const doneAfterFailover = (servers: number) =>
  goal<ProtocolState>("CLIENTS_DONE_AFTER_FAILOVER", (w) => allClientsDone(w) && failedOver(w, servers) && w.nodes.some((n) => !n.up))

/** Prune: clients that finished before any failover cannot show one serving them. */
export const doneBeforeFailover = (servers: number) =>
  prune<ProtocolState>("CLIENTS_DONE_BEFORE_FAILOVER", (w) => allClientsDone(w) && !failedOver(w, servers))

/** Prune: stop exploring past view `max` (view numbers grow without bound as servers come and go). */
export const viewsUpTo = (max: number) => prune<ProtocolState>(`VIEW_ABOVE_${max}`, (w) => vsState(w).view.num > max)
