/**
 * The view service names only live servers (issue 14, session 9): a view it moves to has a primary,
 * and a backup if any, among the servers it counts as alive in that step (those that pinged since the
 * last ping check or by it). A view whose primary is dead waits for an acknowledgement that never
 * comes, so every client stalls; the liveness searches saw that only as a lasso of 30 steps (the blind
 * mutant promote-dead-backup, bench/mutants/primarybackup/catalogue.ts, which promotes the backup
 * without asking whether it is alive). VIEWS_OF_LIVE_SERVERS fails on the step that makes such a view.
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import { onDelivery, readsNodes } from "../../core/step-reads.ts"
import type { World } from "../../core/world.ts"
import { serverRole, vsState } from "./properties.ts"

/** It reads the view service's record only (declared: core/step-reads.ts). */
export const viewsOfLiveServers = <L>(): StepProperty<World, L> =>
  readsNodes({
    name: "VIEWS_OF_LIVE_SERVERS",
    check: (from, _label, to) => {
      const a = vsState(from)
      const b = vsState(to)
      if (a.view.num === b.view.num) return undefined
      const alive = (x: string | null) => x === null || b.live.has(x) || b.pinged.has(x)
      const v = b.view
      if (!alive(v.primary) || !alive(v.backup)) return `view ${v.num} (primary ${v.primary}, backup ${v.backup}) names a server that has not pinged since the last ping check`
      return undefined
    },
  })

/** Quiet on a server's or client's step, and on a step of the view service that keeps its view. */
const viewKept = (from: World, to: World, i: number) => i !== 0 || vsState(from).view.num === vsState(to).view.num

/**
 * The view service leaves a view only once its primary acknowledged it (session 11): in a step that
 * moves the view from n >= 1 to a later one, the primary of view n knows view n (its record's view is
 * n or later), which it must to have pinged with n. A view service that does not wait for the ack
 * (the mutant view-change-without-ack, bench/mutants/primarybackup/catalogue.ts) moves on while its
 * primary still knows no view: appointing a backup in view 2 while server1 has not heard of view 1.
 * The swarm hunt caught that only through a later failover that lost an acknowledged write (23 to 45
 * steps, depending on the seed). A crashed primary keeps its record, so it still counts.
 */
export const viewChangeAcked = <L>(): StepProperty<World, L> =>
  readsNodes(
    {
      name: "VIEW_CHANGE_ACKED",
      check: (from, _label, to) => {
        const v = vsState(from).view
        if (v.num === 0 || v.primary === null || vsState(to).view.num === v.num) return undefined
        const known = serverRole(Number(v.primary.slice("server".length)) - 1).state(from)?.view.num
        if (known === undefined || known >= v.num) return undefined
        return `the view service moved from view ${v.num} to ${vsState(to).view.num} while its primary ${v.primary} knew only view ${known}`
      },
    },
    viewKept
  )

/**
 * The view service drops a server from the view only once it counts it dead (session 11): in a step
 * that moves the view, a primary or backup of the old view that is in neither role of the new one has
 * not pinged since the last ping check nor by it. A view service that judges liveness by the current
 * period's pings alone (the blind mutant alive-only-this-period) replaces a live primary whenever its
 * backup's ping arrives first after a check: a needless failover, which no invariant over the data sees.
 */
export const liveServersKept = <L>(): StepProperty<World, L> =>
  readsNodes(
    {
      name: "LIVE_SERVERS_KEPT",
      check: (from, _label, to) => {
        const v = vsState(from).view
        const b = vsState(to)
        if (b.view.num === v.num) return undefined
        for (const x of [v.primary, v.backup])
          if (x !== null && x !== b.view.primary && x !== b.view.backup && (b.live.has(x) || b.pinged.has(x)))
            return `view ${b.view.num} (primary ${b.view.primary}, backup ${b.view.backup}) drops ${x}, which the view service counts alive`
        return undefined
      },
    },
    viewKept
  )

/**
 * View numbers name views (session 15, DSLabs lab 2: each view's number is one more than the one
 * before): in a step that changes the view service's view (its primary, its backup or its number),
 * the number rises by one. Servers take a view whose number they know for the one they hold, so a view
 * service that replaces a server under the same number (the blind mutant backup-change-keeps-view-number)
 * is never heard; every other view-change rule here judges a step by its number and passed it, and only
 * ACKED_VIEW_HELD saw it, after 16 steps. It reads the view service's record only, "node" scope.
 */
export const viewNumbered = <L>(): StepProperty<World, L> =>
  readsNodes(
    {
      name: "VIEW_NUMBERED",
      check: (from, _label, to) => {
        const a = vsState(from).view
        const b = vsState(to).view
        if (a === b || (a.num === b.num && a.primary === b.primary && a.backup === b.backup) || b.num === a.num + 1) return undefined
        return `the view service moved from view ${a.num} (primary ${a.primary}, backup ${a.backup}) to view ${b.num} (primary ${b.primary}, backup ${b.backup})`
      },
    },
    "node"
  )

/**
 * VIEW_REPLY_CURRENT (session 16): every ViewReply the view service sends in a step carries the view it
 * holds after that step, so the server whose ping changed the view learns of it in the reply (the
 * blind mutant viewreply-before-advance answered with the view it was leaving: the new primary learnt
 * of its view a ping period late). It reads the delivered message's receiver's records and sends,
 * declared so (core/step-reads.ts `onDelivery`, "node" scope); on a duplicating network a reply
 * already in flight is not sent again, and such a step judges nothing.
 */
export const viewReplyCurrent = (): StepProperty<ProtocolState, Event> =>
  onDelivery<ProtocolState>(
    "VIEW_REPLY_CURRENT",
    (_from, to, node, delivered, sends) => {
      if (delivered === undefined || node !== 0) return undefined
      const v = vsState(to).view
      for (const e of sends)
        if (e.msg._tag === "ViewReply") {
          const sent = (e.msg as unknown as { readonly view: { readonly num: number } }).view.num
          if (sent !== v.num) return `the view service answered ${e.to} with view ${sent} and holds view ${v.num}`
        }
      return undefined
    },
    "node"
  )
