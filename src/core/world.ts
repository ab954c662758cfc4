/**
 * The global state of a running configuration, shared by the checker (compile.ts) and the timed
 * simulator (timed.ts): node records, messages in flight, client progress, and auxiliary data
 * (the operation history) that is carried along a path but is not part of the fingerprint.
 *
 * Hashes are incremental: each node record and each envelope carries its own 64-bit hash, computed
 * once when it is created; the network is combined order-independently.
 */
import { Hasher, hashValue } from "../checker/hash.ts"
import type { Fingerprint } from "../checker/transition-system.ts"
import type { Address, Tagged } from "./node.ts"
import type { Durable, TimerRec } from "./outbox.ts"

export type { Durable, TimerRec }

export interface ClientProgress {
  /** Index of the command in flight, or of the next one when none is. */
  readonly next: number
  readonly pending: boolean
  /** Results received, newest first; `rh`/`rl` hash the whole list incrementally. */
  readonly results: Cons<Tagged> | undefined
  readonly rh: number
  readonly rl: number
}

/** A client's results, oldest first. */
export const resultsOf = (c: ClientProgress): Tagged[] => {
  const out: Tagged[] = []
  for (let r = c.results; r; r = r.tail) out.push(r.head)
  return out.reverse()
}

/** Progress after one more result: the list and its hash extended in O(1). */
export const addResult = (c: ClientProgress, result: Tagged, next: number, pending: boolean): ClientProgress => {
  hasher.reset()
  hasher.int(c.rh).int(c.rl)
  hashValue(hasher, result)
  hasher.finish(scratch)
  return { next, pending, results: { head: result, tail: c.results }, rh: scratch.hi, rl: scratch.lo }
}

export interface NodeRec {
  readonly state: unknown
  readonly timers: ReadonlyArray<TimerRec>
  readonly up: boolean
  /** Durable storage by component path ("" for the node itself); see `storedAt`. */
  readonly durable: Durable | undefined
  readonly client: ClientProgress | undefined
  readonly hi: number
  readonly lo: number
  /** The hashes of `state` and of `durable` alone (kept for the next step that leaves them unchanged). */
  readonly sh: number
  readonly sl: number
  readonly dh: number
  readonly dl: number
}

export interface Envelope {
  readonly from: Address
  readonly to: Address
  /** Indices of the sending and the receiving node (the roots of `from` and `to`), resolved once at send. */
  readonly src: number
  readonly dst: number
  readonly msg: Tagged
  /** Send order, for FIFO links; not hashed. */
  readonly seq: number
  readonly hi: number
  readonly lo: number
}

/** A call or a return of a client operation, stamped with the step it happened at. */
export interface HistoryEvent {
  readonly client: Address
  readonly step: number
  readonly command?: Tagged
  readonly result?: Tagged
}

/** One operation of a client, for linearizability checking. `ret` is undefined while pending. */
export interface HistoryOp {
  readonly client: Address
  readonly command: Tagged
  readonly call: number
  readonly ret?: number
  readonly result?: Tagged
}

/** An immutable list, newest first: O(1) to extend along a path. */
export interface Cons<T> {
  readonly head: T
  readonly tail: Cons<T> | undefined
}

export interface Aux {
  /** Steps taken so far (the logical clock of the history). */
  readonly step: number
  /** Simulated time, when a timed simulator drives the world; history stamps use it over `step`. */
  readonly clock?: number
  readonly history: Cons<HistoryEvent> | undefined
  readonly messagesSent: number
}

/**
 * The aux data after a step, built field by field: an object spread that overrides fields takes
 * V8's slow path, and this runs for every successor.
 */
export const auxAfter = (aux: Aux, step: number, history: Cons<HistoryEvent> | undefined, messagesSent: number): Aux =>
  aux.clock === undefined ? { step, history, messagesSent } : { step, clock: aux.clock, history, messagesSent }

export interface World {
  readonly nodes: ReadonlyArray<NodeRec>
  readonly net: ReadonlyArray<Envelope>
  readonly sendSeq: number
  readonly aux: Aux
}

const hasher = new Hasher()
const scratch: Fingerprint = { hi: 0, lo: 0 }

/** The hash of one value, or the one `prev` kept when it is the same (immutable) value. */
const valueHash = (v: unknown, same: boolean, ph: number, pl: number, out: Fingerprint): void => {
  if (same) {
    out.hi = ph
    out.lo = pl
    return
  }
  hasher.reset()
  hashValue(hasher, v)
  hasher.finish(out)
}
const sHash: Fingerprint = { hi: 0, lo: 0 }
const dHash: Fingerprint = { hi: 0, lo: 0 }

/**
 * A node record and its hash. Node states and storage are immutable: when they are the very values
 * of `prev` (the node's record before the step: a handler that returned its state unchanged, storage
 * not written) their hashes are taken from it instead of re-hashing, and when everything is, `prev`
 * is the record.
 */
export const makeNode = (state: unknown, timers: ReadonlyArray<TimerRec>, up: boolean, durable: Durable | undefined, client: ClientProgress | undefined, prev?: NodeRec): NodeRec => {
  // A step that changed nothing of the node (a message it ignores, one it answers again): the record itself.
  if (prev !== undefined && prev.state === state && prev.timers === timers && prev.up === up && prev.durable === durable && prev.client === client) return prev
  valueHash(state, prev !== undefined && prev.state === state, prev?.sh ?? 0, prev?.sl ?? 0, sHash)
  valueHash(durable, prev !== undefined && prev.durable === durable, prev?.dh ?? 0, prev?.dl ?? 0, dHash)
  const sh = sHash.hi
  const sl = sHash.lo
  const dh = dHash.hi
  const dl = dHash.lo
  hasher.reset()
  hasher.int(sh).int(sl)
  hasher.int(up ? 1 : 0)
  hasher.int(timers.length)
  for (const t of timers) hasher.int(t.hi).int(t.lo)
  hasher.int(dh).int(dl)
  if (client) {
    hasher.int(client.next).int(client.pending ? 1 : 0).int(client.rh).int(client.rl)
  }
  hasher.finish(scratch)
  return { state, timers, up, durable, client, hi: scratch.hi, lo: scratch.lo, sh, sl, dh, dl }
}

/** Hash of a message alone, reused by every envelope of a broadcast. */
export const hashMessage = (msg: Tagged, out: Fingerprint): Fingerprint => {
  hasher.reset()
  hashValue(hasher, msg)
  return hasher.finish(out)
}

/** The hash an envelope carries: its message's and its link's. */
export const envelopeHash = (from: Address, to: Address, msgHash: Fingerprint, out: Fingerprint): Fingerprint => {
  hasher.reset()
  hasher.int(msgHash.hi).int(msgHash.lo).str(from).str(to)
  return hasher.finish(out)
}

export const makeEnvelope = (from: Address, to: Address, src: number, dst: number, msg: Tagged, msgHash: Fingerprint, seq: number): Envelope => {
  envelopeHash(from, to, msgHash, scratch)
  return { from, to, src, dst, msg, seq, hi: scratch.hi, lo: scratch.lo }
}

/** Canonical order of the network: by hash, or for FIFO by link then send order. */
export const compareEnvelopes = (fifo: boolean) =>
  fifo
    ? (a: Envelope, b: Envelope) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : a.seq - b.seq)
    : (a: Envelope, b: Envelope) => a.hi - b.hi || a.lo - b.lo

export const fingerprintWorld = (w: World, fifo: boolean, out: Fingerprint): void => {
  const net = w.net
  if (!fifo) {
    const c = netSum(net)
    return fingerprintParts(w.nodes, -1, undefined, net.length, c[0], c[1], out)
  }
  hasher.reset()
  const nodes = w.nodes
  for (let i = 0; i < nodes.length; i++) hasher.int(nodes[i]!.hi).int(nodes[i]!.lo)
  hasher.int(net.length)
  // Per-link order matters, absolute sequence numbers do not.
  for (let i = 0; i < net.length; i++) hasher.int(net[i]!.hi).int(net[i]!.lo)
  hasher.finish(out)
}

/**
 * The fingerprint `fingerprintWorld` gives a world on a network that is not FIFO, from its parts:
 * the records `nodes` with record `i` replaced by `rec` (none when `i` is -1), and a network of
 * `netLength` envelopes whose hashes sum to (`sh`, `sl`). So the print of a successor is known
 * before it is built (execute.ts `printAfter`).
 */
export const fingerprintParts = (nodes: ReadonlyArray<NodeRec>, i: number, rec: NodeRec | undefined, netLength: number, sh: number, sl: number, out: Fingerprint): void => {
  hasher.reset()
  for (let k = 0; k < nodes.length; k++) {
    const n = k === i ? rec! : nodes[k]!
    hasher.int(n.hi).int(n.lo)
  }
  hasher.int(netLength).int(sh).int(sl)
  hasher.finish(out)
}

/**
 * A network array may carry its envelopes' hashes summed lane by lane (`sh`, `sl`): set once by
 * `summedNet` on an array built from its parent's (execute.ts: one envelope removed, sends added),
 * never changed after, so a world's fingerprint costs O(nodes), not O(messages in flight).
 */
interface Summed {
  sh?: number
  sl?: number
}

/** The order-independent sum of a network's envelope hashes (two 32-bit lanes, so a duplicate counts twice). */
export const netSum = (net: ReadonlyArray<Envelope>): readonly [number, number] => {
  const known = net as Summed
  if (known.sh !== undefined) {
    sum[0] = known.sh
    sum[1] = known.sl!
    return sum
  }
  let a = 0
  let b = 0
  for (let i = 0; i < net.length; i++) {
    a = (a + net[i]!.hi) | 0
    b = (b + net[i]!.lo) | 0
  }
  sum[0] = a
  sum[1] = b
  return sum
}
const sum: [number, number] = [0, 0]

/** Marks a freshly built network array with its sum (it must not change after). */
export const summedNet = (net: Envelope[], sh: number, sl: number): Envelope[] => {
  ;(net as Summed).sh = sh
  ;(net as Summed).sl = sl
  return net
}

const NONE: ReadonlyArray<Envelope> = []

/**
 * The envelopes a step from `from` to `to` added to the network: those numbered from `from`'s send
 * counter on (a send already in flight on a duplicating network adds none; what stayed keeps its lower number).
 */
export const sentInStep = (from: World, to: World): ReadonlyArray<Envelope> => {
  if (to.sendSeq === from.sendSeq) return NONE
  // Counted, then copied into an array of that length: `filter` grows its result's store to 17 slots
  // or more (a step property that reads the sends calls this on every step it checks).
  const seq = from.sendSeq
  const net = to.net
  let count = 0
  for (let i = 0; i < net.length; i++) if (net[i]!.seq >= seq) count++
  if (count === 0) return NONE
  const out: Envelope[] = new Array(count)
  for (let i = 0, k = 0; k < count; i++) if (net[i]!.seq >= seq) out[k++] = net[i]!
  return out
}

/** The operations of a world's history, calls paired with their returns, in call order. */
export const historyOf = (w: World): HistoryOp[] => {
  const events: HistoryEvent[] = []
  for (let c = w.aux.history; c; c = c.tail) events.push(c.head)
  events.reverse()
  const ops: HistoryOp[] = []
  const open = new Map<Address, number>()
  for (const e of events) {
    if (e.command) {
      open.set(e.client, ops.length)
      ops.push({ client: e.client, command: e.command, call: e.step })
    } else {
      const i = open.get(e.client)
      if (i === undefined) continue
      ops[i] = { ...ops[i]!, ret: e.step, ...(e.result ? { result: e.result } : {}) }
      open.delete(e.client)
    }
  }
  return ops
}
