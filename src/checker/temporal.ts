/**
 * Liveness properties and fairness, declared on a transition system (`withLiveness`) and checked by
 * liveness.ts on the explored state graph, after a complete bfs (explore's bfs and parallel BFS do both,
 * the graph in one thread; the sampled strategies check safety only).
 *
 * Behaviours are TLA+ behaviours: a state may stutter forever unless fairness forbids it. Fairness
 * is per class of steps: `classOf(label)` names the class of a step (for example "deliver m" per
 * message, or one name for every step, which is WF_vars(Next)), and each distinct class is fair on
 * its own. A step that does not change the state (same fingerprint) neither counts as taking its
 * class nor as enabling it, as <<A>>_vars in TLA+.
 * - weak: a class enabled continuously from some point on is eventually taken;
 * - strong: a class enabled infinitely often is eventually taken.
 */
import type { TransitionSystem } from "./transition-system.ts"

export type Temporal<S> =
  /** <>P: every fair behaviour reaches a state where P holds. */
  | { readonly kind: "eventually"; readonly name: string; readonly p: (s: S) => boolean }
  /** []<>P: P holds again and again on every fair behaviour. */
  | { readonly kind: "always-eventually"; readonly name: string; readonly p: (s: S) => boolean }
  /** P ~> Q: whenever P holds, Q holds then or later. */
  | { readonly kind: "leads-to"; readonly name: string; readonly p: (s: S) => boolean; readonly q: (s: S) => boolean }

export const eventually = <S>(name: string, p: (s: S) => boolean): Temporal<S> => ({ kind: "eventually", name, p })
export const alwaysEventually = <S>(name: string, p: (s: S) => boolean): Temporal<S> => ({ kind: "always-eventually", name, p })
export const leadsTo = <S>(name: string, p: (s: S) => boolean, q: (s: S) => boolean): Temporal<S> => ({ kind: "leads-to", name, p, q })

export interface Fairness<L> {
  readonly kind: "weak" | "strong"
  /** The class of a step, each class fair on its own; undefined: the step is not under this constraint. */
  readonly classOf: (label: L) => string | undefined
}

export const weakFairness = <L>(classOf: (label: L) => string | undefined): Fairness<L> => ({ kind: "weak", classOf })
export const strongFairness = <L>(classOf: (label: L) => string | undefined): Fairness<L> => ({ kind: "strong", classOf })
/** WF_vars(Next): some step is taken whenever one is possible (only a deadlocked state stutters forever). */
export const weakNext = <L>(): Fairness<L> => weakFairness(() => "Next")

export interface Liveness<S, L> {
  readonly properties: ReadonlyArray<Temporal<S>>
  readonly fairness: ReadonlyArray<Fairness<L>>
}

/** The same system with liveness properties to check under the given fairness. */
export const withLiveness = <S, L>(
  system: TransitionSystem<S, L>,
  properties: ReadonlyArray<Temporal<S>>,
  fairness: ReadonlyArray<Fairness<L>>
): TransitionSystem<S, L> => {
  const out = Object.create(system) as TransitionSystem<S, L>
  Object.defineProperty(out, "liveness", { value: { properties, fairness } satisfies Liveness<S, L> })
  return out
}
