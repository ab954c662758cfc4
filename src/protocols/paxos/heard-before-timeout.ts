/**
 * A schedule of prompt heartbeats, for the interleaving model (issue 14 item 5): there a timer may fire
 * at any moment, so a follower's election timer can fire twice between two heartbeats of a live leader,
 * and "a follower that hears its leader never stands" cannot be checked. Real time forbids that
 * schedule: heartbeats every 25 units that arrive within 125 reach every follower between two firings
 * of its election timer (150-300). `heardBeforeTimeout` keeps only such schedules: node i's timer of
 * tag `timer` fires only if a message of tag `message` was delivered to node i since that timer last
 * fired (or since the start, or its restart). On that system a correct leader-based protocol with a live
 * leader has no election at all, which an invariant (STABLE_LEADER) then checks by BFS, with the
 * shortest trace: a follower that stands although it heard the leader is caught in 3 steps.
 *
 * The monitor (one bit per node: heard since its timer last fired) lives beside the states through
 * core/bounds.ts's withMonitor, as the step budgets do, and is mixed into the fingerprint, so BFS tells
 * apart a follower that heard from one that did not. Steps are offered as the wrapped system's, so a trace replays on it.
 */
import type { TransitionSystem } from "../../checker/transition-system.ts"
import { withMonitor } from "../../core/bounds.ts"
import type { Event } from "../../core/compile.ts"

export interface PromptTimer {
  /** The tag of the timer that waits for news (a follower's election timer). */
  readonly timer: string
  /** The tag of the message that is news (the leader's heartbeat). */
  readonly message: string
}

/** The nodes (a bit each) that heard a `message` since their `timer` last fired, after `label` from a state with `heard`. */
const heardAfter = (heard: number, label: Event, { timer, message }: PromptTimer): number => {
  switch (label.k) {
    case "deliver":
      return label.env.msg._tag === message ? heard | (1 << label.env.dst) : heard
    case "timer":
      return label.timer.timer._tag === timer ? heard & ~(1 << label.node) : heard
    case "crash":
    case "restart":
      return heard & ~(1 << label.node)
    default:
      return heard
  }
}

/** `system` in which a node's `timer` fires only after a `message` reached it since the timer last fired. */
export const heardBeforeTimeout = <S extends object>(system: TransitionSystem<S, Event>, prompt: PromptTimer): TransitionSystem<S, Event> =>
  // Every step, stutters too: a step the wrapped system calls a stutter may tell a node news.
  withMonitor(
    system,
    (heard, label) => (label.k === "timer" && label.timer.timer._tag === prompt.timer && (heard & (1 << label.node)) === 0 ? undefined : heardAfter(heard, label, prompt)),
    `${system.name} (${prompt.timer} only after a ${prompt.message})`
  )
