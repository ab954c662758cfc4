/**
 * Two checks that turn a transaction or configuration stuck for good into a short trace, where a
 * search would only miss its goal (a client that never finishes):
 *
 * - DECISIONS_RESENT_UNTIL_ACKNOWLEDGED (a step property): after a HandoffTimer of a coordinator
 *   group's leader, every participant owed a decision (decided, not acknowledged) has a Decide of that
 *   attempt on its way. A participant that never hears the decision (its first Decide lost, or never
 *   sent it because its vote had not arrived) keeps the transaction's locks for good.
 * - DRAINING_ONLY_BEHIND_THE_MASTER: a group replica refusing Prepares to let a configuration in
 *   (draining) is behind the master's latest configuration. Once it has applied the latest, nothing is
 *   waiting, and a replica still draining refuses every transaction from then on. Judged while every
 *   master replica is up: a crashed one may be the only one that applied the configuration a group
 *   was answered with, and a restarted one applies again what its storage says is committed (its
 *   commit index goes to storage with every change), so with all up the latest is never behind.
 * - NO_PREPARE_WHILE_DRAINING (a step property): a draining replica prepares nothing new, or a steady
 *   stream of transactions holds the configuration back for good.
 */
import { invariant, type StateProperty, type StepProperty } from "../../checker/transition-system.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import type { AMOState } from "../../core/application.ts"
import type { Role } from "../../core/roles.ts"
import type { World } from "../../core/world.ts"
import type { GroupServerState } from "../shardkv/server.ts"
import type { ShardMasterState } from "../shardmaster/messages.ts"
import { compareIds, showId, type Decide, type TxnGroupState } from "./messages.ts"

type Server = Role<GroupServerState<unknown, TxnGroupState>>

export const decisionsResentUntilAcknowledged = (servers: ReadonlyArray<Server>): StepProperty<ProtocolState, Event> => ({
  name: "DECISIONS_RESENT_UNTIL_ACKNOWLEDGED",
  check: (_from, label, to) => {
    if (label.k !== "timer" || label.timer.timer._tag !== "HandoffTimer") return undefined
    const server = servers.find((r) => r.index === label.node)
    const s = server?.state(to)
    if (s === undefined || s.led !== true) return undefined
    for (const c of s.app.coordinating.values()) {
      if (c.decision === "pending") continue
      for (const p of c.participants) {
        if (c.acked.includes(p.group)) continue
        const onItsWay = to.net.some((e) => e.msg._tag === "Decide" && p.servers.includes(e.to) && compareIds((e.msg as Decide).id, c.id) === 0)
        if (!onItsWay) return `${server!.address} leads the coordinator of ${showId(c.id)} (decided ${c.decision}), but no Decide is on its way to group ${p.group}, which has not acknowledged it`
      }
    }
    return undefined
  },
})

/** The master's latest configuration number, over its replicas (-1: one of them is down). */
const latest = (w: World, masters: ReadonlyArray<Role<{ readonly app: AMOState<ShardMasterState> }>>) =>
  masters.some((m) => !m.up(w)) ? -1 : masters.reduce((n, m) => Math.max(n, m.state(w)?.app.app.configs.length ?? -1), -1)

const drainingAhead = (w: World, servers: ReadonlyArray<Server>, masters: ReadonlyArray<Role<{ readonly app: AMOState<ShardMasterState> }>>) => {
  const last = latest(w, masters)
  for (const r of servers) {
    const s = r.state(w)?.app
    if (s?.draining && last >= 0 && (s.base.config?.num ?? 0) >= last) return `${r.address} is draining (refusing Prepares) at configuration ${s.base.config?.num ?? 0}, the master's latest`
  }
  return undefined
}

export const drainingOnlyBehindTheMaster = <W extends World>(servers: ReadonlyArray<Server>, masters: ReadonlyArray<Role<{ readonly app: AMOState<ShardMasterState> }>>): StateProperty<W> =>
  invariant<W>("DRAINING_ONLY_BEHIND_THE_MASTER", (w) => drainingAhead(w, servers, masters) === undefined, (w) => drainingAhead(w, servers, masters))

export const noPrepareWhileDraining = (servers: ReadonlyArray<Server>): StepProperty<ProtocolState, Event> => ({
  name: "NO_PREPARE_WHILE_DRAINING",
  check: (from, _label, to) => {
    for (const r of servers) {
      const [before, after] = [r.state(from)?.app, r.state(to)?.app]
      if (before === undefined || after === undefined || before === after || !before.draining) continue
      for (const [client, p] of after.prepared) {
        const had = before.prepared.get(client)
        if (had === undefined || compareIds(had.id, p.id) !== 0) return `${r.address} prepares ${showId(p.id)} while draining (a configuration waits for its prepared transactions)`
      }
    }
    return undefined
  },
})
