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

export type StepReads<W extends World> =
  | { readonly reads: "nodes" }
  | {
      readonly reads: "sends"
      /**
       * Node `node`'s step from `from` to `to` (whose records and send counter are the successor's;
       * its network and history are `from`'s) with `sends` (the step's sends that cross the
       * partition, in order, including those already in flight).
       */
      readonly sendsCheck: (from: W, to: W, node: number, sends: ReadonlyArray<HashedSend>) => string | undefined
    }

/** A step property with what it reads declared. */
export type DeclaredStepProperty<W extends World, L> = StepProperty<W, L> & { readonly declared?: StepReads<W> }

/** `p`, declared to read the node records of a step only. */
export const readsNodes = <W extends World, L>(p: StepProperty<W, L>): StepProperty<W, L> => ({ ...p, declared: { reads: "nodes" } }) as DeclaredStepProperty<W, L>

/** `p`, declared to read a node step's records and sends, through `sendsCheck` (see `StepReads`). */
export const readsSends = <W extends World, L>(p: StepProperty<W, L>, sendsCheck: (from: W, to: W, node: number, sends: ReadonlyArray<HashedSend>) => string | undefined): StepProperty<W, L> =>
  ({ ...p, declared: { reads: "sends", sendsCheck } }) as DeclaredStepProperty<W, L>

/** The declaration of `p`, if it has one. */
export const declaredReads = <W extends World, L>(p: StepProperty<W, L>): StepReads<W> | undefined => (p as DeclaredStepProperty<W, L>).declared
