/**
 * Promptness of primary-backup as step properties (issue 14 item 5, session 8), where the simulated
 * tests see a slow path only as a missed deadline (prompt-service, no trace):
 *
 * - REQUEST_TAKEN: a ready primary that receives a request it has not executed takes it in that
 *   step: executes it (no backup), forwards it (it is then in flight), or queues it behind the
 *   operation in flight (server.ts: "one operation at a time ... queue it"). A request it drops is
 *   served only after the client's retry timer.
 * - CLIENT_FOLLOWS_PRIMARY: a client with a request pending that learns of a new primary sends the
 *   request to it in that step (client.ts: the client sends its requests to the primary it believes
 *   in); one that waits for its retry timer loses a retry period at every view change.
 *
 * staged-second-client-queued (model.ts) reaches an operation forwarded in view 2 (server1 primary,
 * server2 backup) with a second client's request on the way, and searches on until both clients finish.
 * Designed after queue-drops-ops and client-waits-for-timer (bench/mutants/primarybackup/catalogue.ts)
 * were caught only by prompt-service's deadline.
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import { amo, type AMOCommand } from "../../core/application.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import { Request } from "../../core/exactly-once.ts"
import { type KVState, kvStore } from "../../core/kv.ts"
import { role } from "../../core/roles.ts"
import { onDelivery, readsSends } from "../../core/step-reads.ts"
import type { HashedSend } from "../../core/execute.ts"
import type { World } from "../../core/world.ts"
import type { ClientState } from "./client.ts"
import { serverRole } from "./properties.ts"
import type { ServerState } from "./server.ts"

const { alreadyExecuted } = amo(kvStore)

/** Whether `s` has taken command `c` (or a later one of its client): executed, in flight or queued. */
const taken = (s: ServerState<KVState>, c: AMOCommand): boolean =>
  alreadyExecuted(s.state, c) ||
  (s.inflight !== null && s.inflight.client === c.client && s.inflight.seq >= c.seq) ||
  s.queue.some((q) => q.client === c.client && q.seq >= c.seq)

/**
 * REQUEST_TAKEN over servers `server1`..`server<n>` (nodes 1..n). It reads the delivered request and
 * the receiver's records, declared so (core/step-reads.ts `onDelivery`): BFS keeps its fast path.
 */
export const requestTaken = (n: number): StepProperty<ProtocolState, Event> =>
  onDelivery<ProtocolState>(
    "REQUEST_TAKEN",
    (from, to, node, delivered) => {
      if (delivered === undefined || !(delivered.msg instanceof Request)) return undefined
      const i = node - 1
      if (i < 0 || i >= n) return undefined
      const a = serverRole(i).state(from) as ServerState<KVState> | undefined
      const b = serverRole(i).state(to) as ServerState<KVState> | undefined
      const self = `server${i + 1}`
      const c = delivered.msg.command as AMOCommand
      if (!a || !b || a.view.primary !== self || !a.ready || b.view.num !== a.view.num || !b.ready || alreadyExecuted(a.state, c)) return undefined
      return taken(b, c) ? undefined : `primary ${self} (view ${a.view.num}) received ${c.client}.${c.seq} and neither executed, forwarded nor queued it`
    },
    "node"
  )

/**
 * CLIENT_FOLLOWS_PRIMARY over the clients, nodes `first`.. of the world: in a client's step that keeps
 * its pending request and changes the primary it believes in to another server, a Request for it to
 * that server is in flight after the step. It reads the client's records and sends (core/step-reads.ts).
 */
export const clientFollowsPrimary = <L>(first: number): StepProperty<World, L> => {
  const clientAt = (i: number) => role<ClientState>(i, `node ${i}`)
  const moved = (from: World, to: World, i: number): { readonly c: AMOCommand; readonly to: string; readonly name: string } | undefined => {
    const a = clientAt(i).state(from)
    const b = clientAt(i).state(to)
    if (!a || !b || a.pending === null || b.pending !== a.pending || b.primary === null || b.primary === a.primary) return undefined
    return { c: a.pending, to: b.primary, name: a.pending.client }
  }
  const isRequest = (msg: unknown, to: string, dest: string, c: AMOCommand) => to === dest && msg instanceof Request && msg.command.client === c.client && msg.command.seq === c.seq
  const why = (m: { readonly c: AMOCommand; readonly to: string; readonly name: string }) => `${m.name} learned that ${m.to} is primary and sent it no request for ${m.c.client}.${m.c.seq}`
  return readsSends<World, L>(
    {
      name: "CLIENT_FOLLOWS_PRIMARY",
      check: (from, _label, to) => {
        for (let i = first; i < to.nodes.length; i++) {
          if (from.nodes[i] === to.nodes[i]) continue
          const m = moved(from, to, i)
          if (m && !to.net.some((e) => isRequest(e.msg, e.to, m.to, m.c))) return why(m)
        }
        return undefined
      },
    },
    (from, to, node, sends: ReadonlyArray<HashedSend>) => {
      if (node < first) return undefined
      const m = moved(from, to, node)
      if (!m) return undefined
      return sends.some((e) => isRequest(e.msg, e.to, m.to, m.c)) || from.net.some((e) => isRequest(e.msg, e.to, m.to, m.c)) ? undefined : why(m)
    }
  )
}

/**
 * FORWARD_RESENT over servers `server1`..`server<n>` (nodes 1..n), session 9: a timer step of a ready
 * primary that still waits for its backup's ack of operation `c` sends the Forward of `c` to the
 * backup again (server.ts `resend`): the client's retries are taken for duplicates while `c` is in
 * flight, so on a lossy network only this re-send gets past a lost Forward or ForwardAck. Designed
 * after the blind mutant forward-not-resent (bench/mutants/primarybackup/catalogue.ts) passed every test.
 *
 * Session 15 put it in every search where a delivery consumes a message (live-lossy-view, the
 * live-failover family); see timerResends for what it reads.
 */
export const forwardResent = (n: number): StepProperty<ProtocolState, Event> =>
  timerResends("FORWARD_RESENT", n, (a, b) => {
    const c = a.inflight
    // By contents, not identity: the verdict is kept per memoised node step, met again from equal records.
    if (!c || !a.ready || b.inflight?.client !== c.client || b.inflight.seq !== c.seq) return undefined
    return {
      what: `waits for ${a.view.backup}'s ack of ${c.client}.${c.seq}`,
      resent: (msg) => {
        if (msg._tag !== "Forward") return false
        const f = msg as unknown as { readonly num: number; readonly command: AMOCommand }
        return f.num === a.view.num && f.command.client === c.client && f.command.seq === c.seq
      },
    }
  })

/**
 * TRANSFER_RESENT over servers `server1`..`server<n>` (session 16), FORWARD_RESENT's twin: a timer step
 * of a primary whose backup has not acknowledged the state transfer (the primary not ready, and still
 * not after the step) sends the StateTransfer of its view again (server.ts `resend`): the primary
 * neither serves nor acknowledges the view until it has the ack, so on a lossy network only this
 * re-send gets past a lost StateTransfer or StateTransferAck. Designed after the blind mutant
 * transfer-not-resent (bench/mutants/primarybackup/catalogue.ts) passed every test. Checked where
 * FORWARD_RESENT is (the same declared reads; on a duplicating network it judges nothing).
 */
export const transferResent = (n: number): StepProperty<ProtocolState, Event> =>
  timerResends("TRANSFER_RESENT", n, (a, b) =>
    a.ready || b.ready
      ? undefined
      : {
          what: `waits for ${a.view.backup}'s ack of the state transfer`,
          resent: (msg) => msg._tag === "StateTransfer" && (msg as unknown as { readonly view: { readonly num: number } }).view.num === a.view.num,
        }
  )

/**
 * A rule on a timer step of a primary with a backup that stays primary of the same view: `waits(a, b)`
 * on its state before and after says what it waits for and which message to its backup re-sends it;
 * the step must send one. It reads the step's records and sends, and that the step is a timer's (one
 * that delivers nothing and finds and leaves the node up), declared so (core/step-reads.ts
 * `onDelivery`, "node" scope). On a duplicating network a message in flight is not added again, so
 * the world after the step does not show a re-send of it: there (the step's sends fewer than its send
 * count) it judges nothing.
 */
const timerResends = (
  name: string,
  n: number,
  waits: (a: ServerState<KVState>, b: ServerState<KVState>) => { readonly what: string; readonly resent: (msg: { readonly _tag: string }) => boolean } | undefined
): StepProperty<ProtocolState, Event> =>
  onDelivery<ProtocolState>(
    name,
    (from, to, node, delivered, sends) => {
      if (delivered !== undefined || node < 1 || node > n || !from.nodes[node]!.up || !to.nodes[node]!.up) return undefined
      if (sends.length !== to.sendSeq - from.sendSeq) return undefined
      const i = node - 1
      const a = serverRole(i).state(from) as ServerState<KVState> | undefined
      const b = serverRole(i).state(to) as ServerState<KVState> | undefined
      const self = `server${i + 1}`
      if (!a || !b || a.view.primary !== self || a.view.backup === null || b.view.num !== a.view.num) return undefined
      const w = waits(a, b)
      if (!w) return undefined
      const backup = a.view.backup
      return sends.some((e) => e.to === backup && w.resent(e.msg)) ? undefined : `primary ${self} (view ${a.view.num}) ${w.what} and its timer did not send it again`
    },
    "node"
  )
