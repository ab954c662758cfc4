/**
 * Step-property verdicts of a protocol's servers, cached per node step (issue 14 item 1; written for
 * Raft's Figure-2 checks, used by Paxos's too). BFS checks the
 * step properties on every transition, also into seen states (compile.ts `unseenSuccessors`): millions
 * of calls, where the step memo hands back the same few thousand node steps (the same record objects,
 * the same send arrays) again and again. A verdict that depends on one node's step alone is worked
 * out once per such step.
 */
import type { StepProperty } from "../checker/transition-system.ts"
import type { HashedSend } from "./execute.ts"
import type { Tagged } from "./node.ts"
import { readsNodes, readsSends } from "./step-reads.ts"
import type { NodeRec, World } from "./world.ts"

/** "Holds", in a verdict cell (undefined there means "not yet checked"). */
const HOLDS = 0
type Cell = Array<string | typeof HOLDS | undefined>
/** The cell of a step that changes no record: every property holds then (each skips the nodes left as they were). */
const UNCHANGED: Cell = []

/** A node step's sends, the sender and its record after the step, and the verdicts on them, a slot per property. */
interface SendsCell {
  readonly sends: ReadonlyArray<HashedSend>
  readonly node: number
  readonly rec: NodeRec
  readonly verdicts: Cell
  /**
   * The cells of the same sends from other records: a step that leaves its record as it was meets
   * equal records that are other objects (reached by other paths), and the memo's sends for each.
   */
  others?: WeakMap<NodeRec, SendsCell>
}

/**
 * One cache for the servers' step properties that judge one node's step:
 *
 * - records-only properties each of whose verdicts on a step that changes one node's record is a
 *   function of that node's index and its records before and after (they skip the nodes a step
 *   leaves as they were): a cell of verdicts per (node, record before, record after), a slot per
 *   property. A step that changes no record passes them all; one that changes several is checked afresh.
 * - checks of a node step's sends that read the sender's record after the step alone: a cell per
 *   send array (a memoised step's sends are one array each time it recurs) and that record.
 *
 * The properties are checked one after another on the same step: its cell is found once.
 */
export class StepVerdicts {
  private readonly byNode: Array<WeakMap<NodeRec, WeakMap<NodeRec, Cell>>> = []
  private nodeSlots = 0
  private lastFrom: World | undefined
  private lastTo: World | undefined
  private lastCell: Cell | undefined
  private readonly bySends = new WeakMap<ReadonlyArray<HashedSend>, SendsCell>()
  private sendSlots = 0
  private lastSends: SendsCell | undefined

  /** `p`, its verdicts cached per node step; declared to read the node records only, of the node a step changes ("node" scope, core/step-reads.ts). */
  property<L>(p: StepProperty<World, L>): StepProperty<World, L> {
    const k = this.nodeSlots++
    return readsNodes<World, L>({
      name: p.name,
      check: (from, label, to) => {
        const cell = this.cell(from, to)
        if (cell === UNCHANGED) return undefined
        if (cell === undefined) return p.check(from, label, to)
        const v = cell[k]
        if (v !== undefined) return v === HOLDS ? undefined : v
        const why = p.check(from, label, to)
        cell[k] = why ?? HOLDS
        return why
      },
    }, "node")
  }

  /**
   * The first violation `violation` finds among a node's sends in a step (judged against the world
   * `to` after it, of which `violation` reads the sender's record alone), cached.
   */
  sendsCheck(violation: (src: number, msg: Tagged, to: World) => string | undefined): (to: World, node: number, sends: ReadonlyArray<HashedSend>) => string | undefined {
    const k = this.sendSlots++
    return (to, node, sends) => {
      if (sends.length === 0) return undefined
      const rec = to.nodes[node]!
      let c = this.lastSends
      if (c === undefined || c.sends !== sends || c.node !== node || c.rec !== rec) {
        c = this.sendsCell(sends, node, rec)
        this.lastSends = c
      }
      const v = c.verdicts[k]
      if (v !== undefined) return v === HOLDS ? undefined : v
      let why: string | undefined
      for (const e of sends) {
        const found = violation(node, e.msg, to)
        if (found) {
          why = found
          break
        }
      }
      c.verdicts[k] = why ?? HOLDS
      return why
    }
  }

  /** The cell of `sends` from node `node` of record `rec` after the step. */
  private sendsCell(sends: ReadonlyArray<HashedSend>, node: number, rec: NodeRec): SendsCell {
    const first = this.bySends.get(sends)
    if (first === undefined) {
      const c: SendsCell = { sends, node, rec, verdicts: [] }
      this.bySends.set(sends, c)
      return c
    }
    if (first.rec === rec && first.node === node) return first
    let c = first.others?.get(rec)
    if (c === undefined || c.node !== node) (first.others ??= new WeakMap()).set(rec, (c = { sends, node, rec, verdicts: [] }))
    return c
  }

  /** The cell of the step from `from` to `to` when it changes exactly one node's record; UNCHANGED when it changes none. */
  private cell(from: World, to: World): Cell | undefined {
    if (from === this.lastFrom && to === this.lastTo) return this.lastCell
    const a = from.nodes
    const b = to.nodes
    let changed = -1
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) continue
      if (changed >= 0) {
        changed = -2
        break
      }
      changed = i
    }
    let cell: Cell | undefined = changed === -1 ? UNCHANGED : undefined
    if (changed >= 0) {
      const node = (this.byNode[changed] ??= new WeakMap())
      let after = node.get(a[changed]!)
      if (!after) node.set(a[changed]!, (after = new WeakMap()))
      cell = after.get(b[changed]!)
      if (!cell) after.set(b[changed]!, (cell = []))
    }
    this.lastFrom = from
    this.lastTo = to
    this.lastCell = cell
    return cell
  }
}

/**
 * A step property that holds when `violation` finds nothing wrong with any message a step of one of
 * the first `n` nodes (a protocol's servers) sent, judged against the world after the step; declared as
 * reading the step's sends, of "node" scope (core/step-reads.ts). `violation` reads the sender's record of `to` alone:
 * a node step's verdict is cached in `verdicts`.
 */
export const sentMessagesCheck = <L>(name: string, n: number, violation: (src: number, msg: Tagged, to: World) => string | undefined, verdicts = new StepVerdicts()): StepProperty<World, L> => {
  const sendsCheck = verdicts.sendsCheck(violation)
  return readsSends<World, L>(
    {
      name,
      check: (from, _label, to) => {
        if (to.sendSeq === from.sendSeq) return undefined
        for (const e of to.net) {
          if (e.seq < from.sendSeq || e.src >= n) continue
          const v = violation(e.src, e.msg, to)
          if (v) return v
        }
        return undefined
      },
    },
    // A node's step: its sends (those already in flight too, which the whole form does not see again).
    (_from, to, node, sends) => (node >= n ? undefined : sendsCheck(to, node, sends)),
    // ... judged against the sender's record after the step alone.
    "node"
  )
}
