/**
 * Liveness across a view change (issue 14 item 5, session 6): every client request completes under fair
 * delivery while the view service moves the primary role on. The client's retry must find the new primary: a client
 * that keeps retrying at the primary it knows (never asking the view service again) waits forever
 * at a server that no longer serves, a lasso no safety property sees. Designed after the fact: written after seeing
 * client-retry-no-getview caught only as a simulation that ran out of time (bench/mutants/primarybackup).
 *
 * Bounded: the view service, 2 servers, one client's append, a network that delivers in any order and
 * loses nothing, at most 3 messages in flight, views up to 3. No crash is needed: timers are untimed
 * in the interleaving model, so the view service may miss two of a live primary's pings and promote the
 * backup (a crash of the primary there gives the same view change, in twice the states: 490,897
 * against 259,004).
 */
import { compile } from "../../core/compile.ts"
import { goal, type StepProperty, type TransitionSystem, withProperties } from "../../checker/transition-system.ts"
import { explore } from "../../checker/explore.ts"
import { afterPath } from "../../checker/staged.ts"
import { findStep } from "../../checker/path.ts"
import { weakFairness, withLiveness } from "../../checker/temporal.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import { type Config, workload } from "../../core/config.ts"
import { append, appendResult, kvStore } from "../../core/kv.ts"
import type { ClientDef, Ctx } from "../../core/node.ts"
import { inFlightAtMost, underFairDelivery } from "../../core/fair.ts"
import { resultsOk } from "../../core/properties.ts"
import { GetView } from "./messages.ts"
import { ackedOpsReplicated, backupMirrors, onePrimaryPerView, viewsUpTo, vsState } from "./properties.ts"
import type { ClientState } from "./client.ts"
import { primaryBackupConfig } from "./model.ts"
import { forwardResent, transferResent } from "./prompt-steps.ts"

/** At most this many messages in flight (the bound that keeps the space finite). */
const IN_FLIGHT = 3

/**
 * The system with messages to a crashed server removed as they are sent: servers do not restart here,
 * so such a message can never be delivered, and no behaviour changes. Without it a client that retries
 * at a dead server fills the in-flight bound, and every behaviour that never leaves it is cut, which
 * would hide exactly the lassos the crash tests look for (the search would end vacuous).
 */
const withoutDeadLetters = (system: TransitionSystem<ProtocolState, Event>): TransitionSystem<ProtocolState, Event> => {
  const clean = (w: ProtocolState): ProtocolState => (w.net.every((e) => w.nodes[e.dst]!.up) ? w : { ...w, net: w.net.filter((e) => w.nodes[e.dst]!.up) })
  const out = Object.create(system) as TransitionSystem<ProtocolState, Event>
  Object.defineProperty(out, "successors", {
    value: (w: ProtocolState, emit: (e: Event, n: ProtocolState) => void, omitStutters?: ReadonlyArray<StepProperty<ProtocolState, Event>>) => system.successors(w, (e, n) => emit(e, clean(n)), omitStutters),
  })
  // Partial-order reduction would step past the wrapper: none here.
  Object.defineProperty(out, "independence", { value: undefined })
  return out
}

/**
 * Planted bug (a wrapper: the client has no such option): the retry timer re-sends to the primary the
 * client knows and does not ask the view service whether the view changed.
 */
const noViewRefresh = <D extends ClientDef<ClientState, any, any, any>>(def: D): D => {
  const timer = def.onTimer!.ClientTimer!
  return {
    ...def,
    onTimer: {
      ...def.onTimer,
      ClientTimer: (s: ClientState, t: any, ctx: Ctx) => {
        if (s.primary === null) return timer(s, t, ctx)
        const quiet = new Proxy(ctx, {
          get: (target, key) =>
            key === "send"
              ? (to: string, m: { _tag: string }) => (m instanceof GetView ? undefined : target.send(to, m as any))
              : typeof (target as any)[key] === "function"
                ? (target as any)[key].bind(target)
                : (target as any)[key],
        })
        return timer(s, t, quiet)
      },
    },
  }
}

/**
 * Stage one's goal: view 2 acknowledged (server1 primary, server2 ready backup), the client waiting on
 * an append it sent to server1. The crash is left to the search from there: on the path only the
 * path's step is enabled, and a crash, which no fairness forces, would let a behaviour stop before it.
 */
export const clientWaitsOnPrimary = goal<ProtocolState>("VIEW_2_ACKED_CLIENT_WAITING_ON_SERVER1", (w) => {
  const vs = vsState(w)
  const c = w.nodes[3]!.state as ClientState | undefined
  return vs.acked && vs.view.num === 2 && vs.view.primary === "server1" && c?.pending != null && c.primary === "server1"
})

/**
 * The bounded failover configuration under fair delivery, staged: BFS to the first state where view 2
 * is acknowledged and the client's append went to its primary; from there, every behaviour
 * (the trace of a lasso starts at the initial state). `bugNoViewRefresh` plants the client above.
 * `crash` (session 6b): the server of that role in view 2 crashes right there (one crash, no restart,
 * no other), so the view service must replace it (a dead primary by its backup, a dead backup by none)
 * and the request still completes; designed after the fact, after the blind mutants dead-backup-kept
 * and live-forever were caught only as a staged search that could not reach its stage (no trace).
 * `plant` rewrites the configuration (a planted bug, for tests).
 */
export const failoverLive = (bugNoViewRefresh = false, crash?: "primary" | "backup", plant: (c: Config) => Config = (c) => c) => {
  const plain = plant(primaryBackupConfig({
    servers: 2,
    workloads: [workload([[append("foo", "x"), appendResult("x")]])],
    network: { delivery: "multiset" },
    ...(crash ? { faults: { maxCrashed: 1 } } : {}),
  }))
  const config = bugNoViewRefresh ? { ...plain, clients: plain.clients.map((c) => ({ ...c, def: noViewRefresh(c.def as ClientDef<ClientState, any, any, any>) })) } : plain
  const compiled = compile(config, {
    name: "primarybackup",
    properties: [resultsOk(config), onePrimaryPerView(2), ackedOpsReplicated(config), backupMirrors(2, kvStore), viewsUpTo(3), inFlightAtMost(IN_FLIGHT)],
    // Delivery consumes here: a primary that waits for its backup's ack must re-send its Forward (session
    // 15) or its state transfer (session 16).
    stepProperties: [forwardResent(2), transferResent(2)],
  })
  const base = crash ? withoutDeadLetters(compiled) : compiled
  const stage = explore(withProperties(base, [...base.properties, clientWaitsOnPrimary]), { strategy: "bfs", maxStates: 200_000, minimise: false, checkDeterminism: false })
  // A stage one that breaks a property keeps its path, as staged() does: the search meets the violation on it.
  if (stage.verdict === "violation" && stage.path) return underFairDelivery(afterPath(base, stage.path))
  if (stage.verdict !== "goal-found" || !stage.path) throw new Error(`live-failover, stage one (${clientWaitsOnPrimary.name}): ${stage.verdict}`)
  if (!crash) return underFairDelivery(afterPath(base, stage.path))
  const at = stage.path.steps.at(-1)?.state ?? stage.path.initial
  const victim = vsState(at).view[crash]!
  const step = findStep(base, at, `crash ${victim}`)
  if (!step) throw new Error(`live-failover: cannot crash ${victim}`)
  const text = `crash ${victim}`
  const path = { ...stage.path, steps: [...stage.path.steps, { label: step.label, text, state: step.next }] }
  // The path's state before the crash has that one step; no fairness forces a crash, so without this a
  // behaviour could stop there. Weak fairness of that one crash (enabled there only: one crash in all).
  const fair = underFairDelivery(afterPath(base, path))
  const liveness = fair.liveness!
  return withLiveness(fair, liveness.properties, [...liveness.fairness, weakFairness<Event>((e) => (base.formatLabel(e) === text ? text : undefined))])
}
