/**
 * Step properties that declare what they read. A step property sees every transition, also those
 * into a state the search has seen already; most of a protocol BFS's successors are such, and
 * building their worlds (the network copied with the step's sends, the history) only to check a
 * step property is most of their cost. A property that declares it reads the node records alone
 * can be checked on a world of which only the records are the successor's, so BFS asks the
 * compiled system (compile.ts `unseenSuccessors`) to leave out seen successors whose declared
 * properties pass, without building them.
 *
 * A declaration is a promise: `nodes` that `check(from, label, to)` reads nothing of the step but
 * the records `from.nodes` and `to.nodes` (not the label, the network, the send counter or the
 * history); `sends` that `sendsCheck` reports a violation whenever `check` does on a node's step
 * (it may report more: such a step is then built and checked whole); `delivery` the same of
 * `deliveryCheck`, which is also given the envelope the step delivers (Figure 2's receiver rules
 * judge a reply by the message it answers), and that `check` reads nothing else of the label (it
 * holds on a step that delivers nothing, or says so through `deliveryCheck`). test/core/step-reads.test.ts
 * holds the shipped declarations to it on random transitions.
 */
import type { StepProperty } from "../checker/transition-system.ts"
import type { Event } from "./compile.ts"
import type { HashedSend } from "./execute.ts"
import { type Envelope, sentInStep, type World } from "./world.ts"

/**
 * How far a declared property reaches in a step of one node i (its record from `before` to `after`,
 * every other record as it was), beyond what it reads (optional):
 *
 * - "node": its verdict on such a step is a function of i, the contents of `before` and `after`, the
 *   step's sends and (`delivery`) the delivered envelope's addresses and message (not its `seq`,
 *   which the memo's key leaves out), and a records-only one holds when `after` is `before`. The step memo hands back the same node
 *   step (record, event -> outcome) in very many worlds: core judges such a property once per
 *   outcome (compile.ts `unseenSuccessors`), not once per world.
 * - a function `quiet(from, to, i)` of such a step (`to`'s records are the successor's, the rest
 *   `from`'s) whose answer is a function of i and the contents of node i's records before and after
 *   alone (it may read the others: they are the same in both): true when the property holds on the
 *   step, whatever the rest of the world; false says nothing (the property is judged on the world).
 *   Kept per outcome too.
 */
export type StepScope = "node" | ((from: World, to: World, node: number) => boolean)

/**
 * The check of a declaration that reads more than the records: node `node`'s step from `from` to `to`
 * (whose records and send counter are the successor's; its network and history are `from`'s) with
 * `sends` (the step's sends that cross the partition, in order, including those already in flight),
 * delivering `delivered` (undefined on a timer, a restart, a crash or a drop, `node` -1 on a drop; the
 * records tell the others apart: a crash leaves the node down, a restart finds it down, a timer finds
 * and leaves it up).
 */
export type StepCheck<W extends World> = (from: W, to: W, node: number, delivered: Envelope | undefined, sends: ReadonlyArray<HashedSend>) => string | undefined

export type StepReads<W extends World> =
  | { readonly reads: "nodes"; readonly scope?: StepScope }
  | {
      /** "sends": `check` reads the step's records and sends alone; "delivery": the delivered envelope too. */
      readonly reads: "sends" | "delivery"
      readonly scope?: StepScope
      readonly check: StepCheck<W>
    }

/** A step property with what it reads declared. */
export type DeclaredStepProperty<W extends World, L> = StepProperty<W, L> & { readonly declared?: StepReads<W> }

/** `p` with the declaration `reads` (`check` for those that read more than the records; `scope`, see `StepScope`). */
const declare = <W extends World, L>(p: StepProperty<W, L>, reads: StepReads<W>["reads"], check?: StepCheck<W>, scope?: StepScope): StepProperty<W, L> =>
  ({ ...p, declared: { reads, ...(check !== undefined ? { check } : {}), ...(scope !== undefined ? { scope } : {}) } }) as DeclaredStepProperty<W, L>

/** `p`, declared to read the node records of a step only (and to reach no further in a node's step than `scope`, see `StepScope`). */
export const readsNodes = <W extends World, L>(p: StepProperty<W, L>, scope?: StepScope): StepProperty<W, L> => declare(p, "nodes", undefined, scope)

/** `p`, declared to read a node step's records and sends, through `sendsCheck` (see `StepReads`; `scope`, see `StepScope`). */
export const readsSends = <W extends World, L>(p: StepProperty<W, L>, sendsCheck: (from: W, to: W, node: number, sends: ReadonlyArray<HashedSend>) => string | undefined, scope?: StepScope): StepProperty<W, L> =>
  declare(p, "sends", (from, to, node, _delivered, sends) => sendsCheck(from, to, node, sends), scope)

/** `p`, declared to read a node step's records, sends and the envelope it delivers, through `deliveryCheck` (see `StepReads`; `scope`, see `StepScope`). */
export const readsDelivery = <W extends World, L>(p: StepProperty<W, L>, deliveryCheck: StepCheck<W>, scope?: StepScope): StepProperty<W, L> => declare(p, "delivery", deliveryCheck, scope)

/**
 * A step property of protocol steps named `name` whose verdict is `deliveryCheck`'s (`readsDelivery`,
 * of `scope`): its whole form hands `deliveryCheck` the step's node (-1 on a drop), the envelope it
 * delivers and its sends that the world after it holds (a send already in flight is not among them,
 * as in the fast form it is: a check that finds a violation among sends reports no more on the whole form).
 */
export const onDelivery = <W extends World>(name: string, deliveryCheck: StepCheck<W>, scope?: StepScope): StepProperty<W, Event> =>
  readsDelivery<W, Event>(
    {
      name,
      check: (from, label, to) => {
        const node = label.k === "drop" ? -1 : label.k === "deliver" ? label.env.dst : label.node
        const sends = node < 0 ? NO_SENDS : sentInStep(from, to)
        return deliveryCheck(from, to, node, label.k === "deliver" ? label.env : undefined, sends)
      },
    },
    deliveryCheck,
    scope
  )

const NO_SENDS: ReadonlyArray<HashedSend> = []

/** The declaration of `p`, if it has one. */
export const declaredReads = <W extends World, L>(p: StepProperty<W, L>): StepReads<W> | undefined => (p as DeclaredStepProperty<W, L>).declared
