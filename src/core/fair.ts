/**
 * Liveness of a compiled protocol under fair delivery, the one definition the protocols' named
 * liveness tests share:
 * - strong fairness of each delivery (per label: a message sent again and again is delivered at some
 *   point, so retries get through a lossy network; drops are never forced);
 * - weak fairness of each timer (an armed timer fires);
 * - the property: every client's every request completes (`ClientsDone`: a closed-loop workload is
 *   finished only when each of its requests got its answer).
 * Crashes and restarts get no fairness: a fault is never forced to happen.
 *
 * Such a system is finite only under a bound (a prune on messages in flight, on ballots or terms);
 * a behaviour that fairness would force past a prune is not a behaviour of the bounded system, so
 * the verdict is "every fair behaviour that stays within the bound completes every request".
 */
import { eventually, strongFairness, type Temporal, weakFairness, withLiveness } from "../checker/temporal.ts"
import { prune, type StateProperty, type TransitionSystem } from "../checker/transition-system.ts"
import type { Event, ProtocolState } from "./compile.ts"
import { allClientsDone } from "./properties.ts"

/** <>ClientsDone: every client's every request is eventually answered. */
export const requestsComplete = eventually<ProtocolState>("ClientsDone", allClientsDone)

/** The system with `properties` (default: ClientsDone) under fair delivery and fair timers. */
export const underFairDelivery = <S extends ProtocolState>(
  system: TransitionSystem<S, Event>,
  properties: ReadonlyArray<Temporal<S>> = [requestsComplete as Temporal<S>]
): TransitionSystem<S, Event> =>
  withLiveness(system, properties, [
    strongFairness<Event>((e) => (e.k === "deliver" ? system.formatLabel(e) : undefined)),
    weakFairness<Event>((e) => (e.k === "timer" ? system.formatLabel(e) : undefined)),
  ])

/** Prune: more than `n` messages in flight (a lossy network with retries is otherwise unbounded). */
export const inFlightAtMost = (n: number): StateProperty<ProtocolState> => prune(`IN_FLIGHT_AT_MOST_${n}`, (w) => w.net.length > n)
