/**
 * A deposed leader cut off with a client, searched in three phases of random walks (issue 14 item 5),
 * for any replicated service: from a state where `cut` (the leader of the moment and a client, by node
 * index) stops exchanging messages with everyone else (timers fire on both sides as they may), the
 * other side elects a leader of its own (`elected`), then makes progress there (`progressed`, say
 * another client's write done), and then walks on the cut side only, until a violation: a deposed
 * leader that answers the cut-off client from its own state answers a stale value.
 */
import type { CheckOptions } from "../../checker/result.ts"
import { searchInPhases, type PhasedResult } from "../../checker/phases.ts"
import { pathSystem } from "../../checker/staged.ts"
import { type StateProperty, type TransitionSystem, withProperties } from "../../checker/transition-system.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"

export interface CutOff {
  /** Node indexes cut off together (the leader and a client). */
  readonly cut: ReadonlySet<number>
  readonly elected: StateProperty<ProtocolState>
  readonly progressed: StateProperty<ProtocolState>
  readonly seed: number
  /** How the cut side is searched (default: the walks of the first two phases). */
  readonly cutSide?: CheckOptions
}

export const cutOffLeaderWalks = (system: TransitionSystem<ProtocolState, Event>, { cut, elected, progressed, seed, cutSide }: CutOff): PhasedResult<ProtocolState, Event> => {
  const walks = { strategy: "random", samples: 400, maxDepth: 100, stopAtGoal: false, checkDeterminism: false, seed } as const
  const side = (inCut: boolean) => (e: Event) => (e.k === "deliver" || e.k === "drop" ? cut.has(e.env.src) === inCut && cut.has(e.env.dst) === inCut : e.k === "timer" && cut.has(e.node) === inCut)
  return searchInPhases(system, [
    { goal: elected, options: walks, allows: side(false) },
    { goal: progressed, options: walks, allows: side(false) },
    { options: cutSide ?? walks, allows: side(true) },
  ])
}

/**
 * The walks' outcome as the test's system: the violating path found (`found`), with the invariants only;
 * none found, the start alone (ok).
 */
export const alongWalks = (system: TransitionSystem<ProtocolState, Event>, start: ProtocolState, found: PhasedResult<ProtocolState, Event>["found"]) => {
  const along = pathSystem(system, found?.path ?? { initialIndex: 0, initial: start, steps: [] })
  return withProperties(along, along.properties.filter((p) => p.kind !== "goal"))
}
