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
 * (it may report more: such a step is then built and checked whole). test/core/step-reads.test.ts
 * holds the shipped declarations to it on random transitions.
 */
import type { StepProperty } from "../checker/transition-system.ts"
import type { HashedSend } from "./execute.ts"
import type { World } from "./world.ts"

/**
 * How far a declared property reaches in a step of one node i (its record from `before` to `after`,
 * every other record as it was), beyond what it reads (optional):
 *
 * - "node": its verdict on such a step is a function of i, the contents of `before` and `after` and
 *   the step's sends, and it holds when `after` is `before`. The step memo hands back the same node
 *   step (record, event -> outcome) in very many worlds: core judges such a property once per
 *   outcome (compile.ts `unseenSuccessors`), not once per world.
 * - a function `quiet(from, to, i)` of such a step (`to`'s records are the successor's, the rest
 *   `from`'s) whose answer is a function of i and the contents of node i's records before and after
 *   alone (it may read the others: they are the same in both): true when the property holds on the
 *   step, whatever the rest of the world; false says nothing (the property is judged on the world).
 *   Kept per outcome too.
 */
export type StepScope = "node" | ((from: World, to: World, node: number) => boolean)

export type StepReads<W extends World> =
  | { readonly reads: "nodes"; readonly scope?: StepScope }
  | {
      readonly reads: "sends"
      readonly scope?: StepScope
      /**
       * Node `node`'s step from `from` to `to` (whose records and send counter are the successor's;
       * its network and history are `from`'s) with `sends` (the step's sends that cross the
       * partition, in order, including those already in flight).
       */
      readonly sendsCheck: (from: W, to: W, node: number, sends: ReadonlyArray<HashedSend>) => string | undefined
    }

/** A step property with what it reads declared. */
export type DeclaredStepProperty<W extends World, L> = StepProperty<W, L> & { readonly declared?: StepReads<W> }

/** `p`, declared to read the node records of a step only (and to reach no further in a node's step than `scope`, see `StepScope`). */
export const readsNodes = <W extends World, L>(p: StepProperty<W, L>, scope?: StepScope): StepProperty<W, L> =>
  ({ ...p, declared: scope === undefined ? { reads: "nodes" } : { reads: "nodes", scope } }) as DeclaredStepProperty<W, L>

/** `p`, declared to read a node step's records and sends, through `sendsCheck` (see `StepReads`; `scope`, see `StepScope`). */
export const readsSends = <W extends World, L>(p: StepProperty<W, L>, sendsCheck: (from: W, to: W, node: number, sends: ReadonlyArray<HashedSend>) => string | undefined, scope?: StepScope): StepProperty<W, L> =>
  ({ ...p, declared: scope === undefined ? { reads: "sends", sendsCheck } : { reads: "sends", sendsCheck, scope } }) as DeclaredStepProperty<W, L>

/** The declaration of `p`, if it has one. */
export const declaredReads = <W extends World, L>(p: StepProperty<W, L>): StepReads<W> | undefined => (p as DeclaredStepProperty<W, L>).declared
