/**
 * A lock server and its clients, as a transition system: a client sends Acquire, the server grants
 * the lock to one client at a time, the holder enters its critical section, leaves it and sends
 * Release. Messages travel through an unordered network (a multiset: any pending message may be
 * delivered next). The checker explores every interleaving.
 */
import { fingerprintValue, invariant, type TransitionSystem } from "tla-ts"

type Msg =
  | { readonly kind: "Acquire"; readonly from: number }
  | { readonly kind: "Grant"; readonly to: number }
  | { readonly kind: "Release"; readonly from: number }

type Client = "idle" | "waiting" | "critical" | "done"

export interface State {
  /** Who holds the lock, as the server sees it. */
  readonly holder: number | null
  /** Acquires that arrived while the lock was held, in arrival order. */
  readonly queue: ReadonlyArray<number>
  readonly clients: ReadonlyArray<Client>
  /** Messages in flight, kept sorted so that equal networks are equal data. */
  readonly network: ReadonlyArray<Msg>
}

export interface LockOptions {
  readonly clients: number
  /** A planted bug: the server grants every Acquire, held or not. */
  readonly bugGrantWhileHeld?: boolean
}

const show = (m: Msg) => (m.kind === "Grant" ? `Grant(c${m.to})` : `${m.kind}(c${m.from})`)
const send = (net: ReadonlyArray<Msg>, m: Msg) => [...net, m].sort((a, b) => show(a).localeCompare(show(b)))
const without = (net: ReadonlyArray<Msg>, i: number) => net.filter((_, k) => k !== i)
const setClient = (cs: ReadonlyArray<Client>, i: number, c: Client) => cs.map((x, k) => (k === i ? c : x))

/** The server's handler: what it does with one message. */
const serve = (s: State, m: Msg, net: ReadonlyArray<Msg>, opts: LockOptions): State => {
  if (m.kind === "Acquire") {
    if (s.holder === null || opts.bugGrantWhileHeld) return { ...s, holder: m.from, network: send(net, { kind: "Grant", to: m.from }) }
    return { ...s, queue: [...s.queue, m.from], network: net }
  }
  if (m.kind === "Release") {
    const [next, ...rest] = s.queue
    if (next === undefined) return { ...s, holder: null, network: net }
    return { ...s, holder: next, queue: rest, network: send(net, { kind: "Grant", to: next }) }
  }
  // A Grant reaches its client.
  return { ...s, clients: setClient(s.clients, m.to, "critical"), network: net }
}

export const lockSystem = (opts: LockOptions): TransitionSystem<State, string> => ({
  name: `lock(clients=${opts.clients})`,
  initial: () => [{ holder: null, queue: [], clients: Array.from({ length: opts.clients }, () => "idle" as const), network: [] }],
  successors: (s, emit) => {
    s.clients.forEach((c, i) => {
      if (c === "idle") emit(`c${i} requests`, { ...s, clients: setClient(s.clients, i, "waiting"), network: send(s.network, { kind: "Acquire", from: i }) })
      if (c === "critical") emit(`c${i} leaves`, { ...s, clients: setClient(s.clients, i, "done"), network: send(s.network, { kind: "Release", from: i }) })
    })
    s.network.forEach((m, i) => emit(`deliver ${show(m)}`, serve(s, m, without(s.network, i), opts)))
  },
  fingerprint: (s, out) => void fingerprintValue(s, out),
  formatLabel: (l) => l,
  view: (s) => ({ holder: s.holder, queue: s.queue, clients: s.clients, network: s.network.map(show) }),
  properties: [
    invariant(
      "MUTUAL_EXCLUSION",
      (s) => s.clients.filter((c) => c === "critical").length <= 1,
      (s) => `clients ${s.clients.flatMap((c, i) => (c === "critical" ? [`c${i}`] : [])).join(" and ")} are both in their critical section`
    ),
  ],
})
