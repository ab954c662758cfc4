/**
 * Wing and Gong's search for a linearisation, with Lowe's memoisation, over one partition.
 *
 * As in Porcupine, calls and returns are sorted into one doubly linked event list. The search walks
 * the list from its head: at a call it tries to linearise that operation now (the model accepts its
 * output, and no visited node (linearised set, state) covers the new one), then lifts the call and
 * its return out of the list and starts again from the head; at a return, the operation returning
 * there was not linearised in time, so it backtracks. Everything lives in typed arrays; the set of
 * linearised operations is a bitset with an incremental Zobrist hash, model states are interned to
 * small integers and transitions memoised, so a step allocates nothing but new model states.
 *
 * The search is resumable: `run` takes a step budget, so partitions can be searched in turns.
 *
 * Operations that never returned ("optional") have their return at +infinity and an unknown result,
 * so they can always go last: once every operation that did return is linearised, the search stops.
 * And a node (linearised set L, state s) is covered by a visited node (L', s) where L' is L less some
 * optional operations: a path that succeeds from the first succeeds from the second, which has the
 * same state and more operations left to use. Pruning covered nodes is sound even when the covering
 * node is still on the search path (induction on the length of a succeeding path), and it collapses
 * the subsets of optional operations that made Jepsen histories with many timeouts expensive.
 *
 * A model may also offer forward checking (`lookahead`): told which operations are placed, it
 * rejects a state that no order of the remaining ones can use (e.g. a read is left whose value
 * nothing left can write), so a wrong early choice fails at once instead of deep in the search.
 */
import { fmix32 } from "../checker/hash.ts"
import { VisitedSet } from "./cache.ts"
import type { History } from "./history.ts"
import type { AnyModel, Lookahead, ModelState } from "./model.ts"

export type SearchStatus = "running" | "linearizable" | "not-linearizable" | "timeout"

/** The deepest point a failed search reached. Operations are indices into the history. */
export interface DeadEnd {
  /** The longest linearisable prefix found, in order. */
  readonly prefix: ReadonlyArray<number>
  /** The model state after it. */
  readonly state: ModelState
  /** The operation whose return came before it could be placed. */
  readonly blocking: number
  /** The operations that could have gone next (the blocking one included): each fails or leads to a dead end. */
  readonly candidates: ReadonlyArray<number>
}

const HEAD = 0

export class PartitionSearch {
  status: SearchStatus = "running"
  steps = 0

  private readonly ops: ReadonlyArray<number>
  private readonly inputs: unknown[]
  private readonly outputs: unknown[]
  private readonly returned: Uint8Array
  private readonly entryOp: Int32Array
  private readonly match: Int32Array
  private readonly next: Int32Array
  private readonly prev: Int32Array
  private readonly zobristHi: Int32Array
  private readonly zobristLo: Int32Array
  private readonly bits: Uint32Array
  private readonly visited: VisitedSet
  private readonly ahead: Lookahead | undefined
  private readonly stackEntry: Int32Array
  private readonly stackState: Int32Array
  private readonly stateValues: ModelState[] = []
  private readonly stateIds = new Map<ModelState, number>()
  private readonly stepState: Int32Array
  private readonly stepOp: Int32Array
  private readonly stepNext: Int32Array

  private entry: number
  private depth = 0
  private state: number
  private hashHi = 0
  private hashLo = 0
  /** Operations that returned and are not linearised yet. */
  private pending = 0

  private deepest = 0
  private deepestPrefix: Int32Array
  private deepestState = 0
  private blockingEntry = -1
  /** The window of `bits` (VisitedSet's): its leading all-ones words, and one past its last nonzero word. */
  private fullWords = 0
  private usedWords = 0
  /** deepestPrefix agrees with the search stack up to here: recording the deepest node copies only the rest. */
  private deepestValid = 0

  constructor(private readonly model: AnyModel, history: History<unknown, unknown>, ops: ReadonlyArray<number>) {
    const n = ops.length
    this.ops = ops
    this.inputs = ops.map((i) => history[i]!.input)
    this.outputs = ops.map((i) => history[i]!.output)
    this.returned = Uint8Array.from(ops, (i) => (history[i]!.return === null ? 0 : 1))
    for (const r of this.returned) this.pending += r

    // Event 2k is the call of op k, 2k+1 its return; at equal times calls go first (concurrent).
    const time = (ev: number) => {
      const op = history[ops[ev >> 1]!]!
      return ev & 1 ? (op.return ?? Infinity) : op.call
    }
    const events = Array.from({ length: 2 * n }, (_, ev) => ev).sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b)
    // Entries 1..2n in time order between a head (0) and a tail (2n+1) sentinel.
    this.entryOp = new Int32Array(2 * n + 2)
    this.match = new Int32Array(2 * n + 2).fill(-1)
    this.next = new Int32Array(2 * n + 2)
    this.prev = new Int32Array(2 * n + 2)
    const position = new Int32Array(2 * n)
    events.forEach((ev, p) => (position[ev] = p + 1))
    events.forEach((ev, p) => {
      const e = p + 1
      this.entryOp[e] = ev >> 1
      if (!(ev & 1)) this.match[e] = position[ev + 1]!
    })
    for (let e = 0; e <= 2 * n; e++) {
      this.next[e] = e + 1
      this.prev[e + 1] = e
    }

    // Zobrist keys from a fixed sequence: deterministic runs. Optional operations are left out of
    // the hash, so that the nodes that may cover each other meet in the memo.
    const zobrist = (k: number, lane: number) => (this.returned[k] ? fmix32(2 * k + lane + 0x5bd1e995) : 0)
    this.zobristHi = Int32Array.from({ length: n }, (_, k) => zobrist(k, 0))
    this.zobristLo = Int32Array.from({ length: n }, (_, k) => zobrist(k, 1))
    this.bits = new Uint32Array((n + 31) >>> 5)
    const optional = new Uint32Array(this.bits.length)
    this.returned.forEach((r, k) => (optional[k >>> 5]! |= r ? 0 : 1 << (k & 31)))
    this.visited = new VisitedSet(optional)
    this.ahead = model.lookahead?.(ops.map((i) => history[i]!))
    const steps = Math.min(1 << 16, 1 << Math.ceil(Math.log2(64 * n + 1)))
    this.stepState = new Int32Array(steps)
    this.stepOp = new Int32Array(steps).fill(-1)
    this.stepNext = new Int32Array(steps)
    this.stackEntry = new Int32Array(n)
    this.stackState = new Int32Array(n)
    this.deepestPrefix = new Int32Array(n)
    this.entry = this.next[HEAD]!
    this.state = this.intern(model.init())
    this.deepestState = this.state
    if (this.pending === 0) this.status = "linearizable"
  }

  private intern(value: ModelState): number {
    let id = this.stateIds.get(value)
    if (id === undefined) {
      id = this.stateValues.length
      this.stateValues.push(value)
      this.stateIds.set(value, id)
    }
    return id
  }

  /** Searches for at most `budget` steps, or until `deadline` (performance.now() milliseconds). */
  run(budget: number, deadline: number): void {
    if (this.status !== "running") return
    if (performance.now() > deadline) {
      this.status = "timeout"
      return
    }
    const { model, ahead, inputs, outputs, returned, entryOp, match, next, prev, zobristHi, zobristLo, bits, visited, stackEntry, stackState, stateValues, stepState, stepOp, stepNext } = this
    const stepMask = stepOp.length - 1
    let { entry, depth, state, hashHi, hashLo, pending } = this

    let steps = 0
    for (;;) {
      if (pending === 0) {
        this.status = "linearizable"
        break
      }
      if (steps >= budget) break
      if ((++steps & 1023) === 0 && performance.now() > deadline) {
        this.status = "timeout"
        break
      }
      const ret = match[entry]!
      if (ret >= 0) {
        // A call: try to linearise its operation here.
        const op = entryOp[entry]!
        // Transitions are memoised (lossily): the same (state, operation) comes up at many nodes.
        const slot = (Math.imul(state, 0x9e3779b1) + op) & stepMask
        let id: number
        if (stepState[slot] === state && stepOp[slot] === op) id = stepNext[slot]!
        else {
          const before = stateValues[state]!
          const after = model.step(before, inputs[op], outputs[op])
          id = after === undefined ? -1 : after === before ? state : this.intern(after)
          stepState[slot] = state
          stepOp[slot] = op
          stepNext[slot] = id
        }
        // Forward checking: a state that no order of the operations left can use is a dead end now.
        if (id >= 0 && ahead !== undefined) {
          ahead.place(op)
          if (!ahead.viable(stateValues[id]!, op)) {
            ahead.unplace(op)
            id = -1
          }
        }
        if (id >= 0) {
          const hi = hashHi ^ zobristHi[op]!
          const lo = hashLo ^ zobristLo[op]!
          const w = op >>> 5
          const bit = 1 << (op & 31)
          bits[w] |= bit
          this.wordSet(w)
          if (visited.add(hi ^ Math.imul(id + 1, 0x85ebca6b), lo ^ Math.imul(id + 1, 0xc2b2ae35), id, bits, this.fullWords, this.usedWords)) {
            stackEntry[depth] = entry
            stackState[depth] = state
            depth++
            state = id
            hashHi = hi
            hashLo = lo
            pending -= returned[op]!
            // Lift the call and its return out of the list.
            next[prev[entry]!] = next[entry]!
            prev[next[entry]!] = prev[entry]!
            next[prev[ret]!] = next[ret]!
            prev[next[ret]!] = prev[ret]!
            if (depth > this.deepest) this.recordDeepest(depth, state)
            entry = next[HEAD]!
            continue
          }
          bits[w] &= ~bit
          this.wordCleared(w)
          ahead?.unplace(op)
        }
        entry = next[entry]!
      } else {
        // A return of an operation not linearised yet: undo the last choice.
        if (depth === this.deepest && this.blockingEntry < 0) this.blockingEntry = entry
        if (depth === 0) {
          this.status = "not-linearizable"
          break
        }
        depth--
        if (depth < this.deepestValid) this.deepestValid = depth
        const call = stackEntry[depth]!
        state = stackState[depth]!
        const op = entryOp[call]!
        bits[op >>> 5] &= ~(1 << (op & 31))
        this.wordCleared(op >>> 5)
        ahead?.unplace(op)
        hashHi ^= zobristHi[op]!
        hashLo ^= zobristLo[op]!
        pending += returned[op]!
        const r = match[call]!
        next[prev[r]!] = r
        prev[next[r]!] = r
        next[prev[call]!] = call
        prev[next[call]!] = call
        entry = next[call]!
      }
    }
    this.steps += steps
    this.entry = entry
    this.depth = depth
    this.state = state
    this.hashHi = hashHi
    this.hashLo = hashLo
    this.pending = pending
  }

  /** A bit of word `w` was set: the window's ends move (amortised O(1) along a path). */
  private wordSet(w: number): void {
    const bits = this.bits
    if (w === this.fullWords) while (this.fullWords < bits.length && bits[this.fullWords] === 0xffffffff) this.fullWords++
    if (w >= this.usedWords) this.usedWords = w + 1
  }

  /** A bit of word `w` was cleared. */
  private wordCleared(w: number): void {
    const bits = this.bits
    if (w < this.fullWords) this.fullWords = w
    if (w === this.usedWords - 1) while (this.usedWords > 0 && bits[this.usedWords - 1] === 0) this.usedWords--
  }

  private recordDeepest(depth: number, state: number): void {
    this.deepest = depth
    this.deepestState = state
    this.blockingEntry = -1
    // Amortised O(1): along one path the prefix grows one operation at a time.
    for (let i = this.deepestValid; i < depth; i++) this.deepestPrefix[i] = this.entryOp[this.stackEntry[i]!]!
    this.deepestValid = depth
  }

  /** A linearisation, as indices into the history: the search path, then the operations that never returned. */
  witness(): number[] {
    const order = Array.from(this.stackEntry.subarray(0, this.depth), (e) => this.entryOp[e]!)
    // What is left in the list are the operations not linearised, calls in time order.
    for (let e = this.next[HEAD]!; e !== this.next.length - 1; e = this.next[e]!) if (this.match[e]! >= 0) order.push(this.entryOp[e]!)
    return order.map((k) => this.ops[k]!)
  }

  /** Where a failed search got stuck (only after status "not-linearizable"). */
  deadEnd(): DeadEnd {
    const prefix = Array.from(this.deepestPrefix.subarray(0, this.deepest))
    const blocking = this.entryOp[this.blockingEntry]!
    // At that node the list held, before the blocking return, the calls of the operations not in the prefix.
    const done = new Set(prefix)
    const candidates: number[] = []
    for (let e = 1; e < this.next.length - 1; e++) {
      const op = this.entryOp[e]!
      if (done.has(op)) continue
      if (e === this.blockingEntry) break
      if (this.match[e]! >= 0) candidates.push(op)
    }
    return {
      prefix: prefix.map((k) => this.ops[k]!),
      state: this.stateValues[this.deepestState]!,
      blocking: this.ops[blocking]!,
      candidates: candidates.map((k) => this.ops[k]!),
    }
  }
}
