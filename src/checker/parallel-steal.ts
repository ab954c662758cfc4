/**
 * The work-request protocol of parallel BFS's searching threads (parallel-search.ts), on the shared
 * control words of parallel-protocol.ts. Per thread: ASK, its state as a giver; GOT, its answer as a
 * thief; LEFT, how much it has (a hint). A giver's ASK goes
 *
 *   0 (open) --thief asks--> thief + 1 --giver claims--> SERVING --giver answers--> 0
 *            <--thief withdraws--      (only before the claim)
 *   0 <--> CLOSED while the thread is not searching (no thief can ask; a pending request is answered first)
 *
 * and the thief's GOT goes 0 --> the number of states handed over, or REFUSED. The claim is what makes
 * withdrawing safe: a thief that must return (a stop, the end of the coordinator's time slice) takes
 * its request back only while the giver has not started on it; once claimed, the states are on their
 * way and the thief waits for them.
 */
import { ASK, CLOSED, GOT, LEFT, REFUSED, SERVING, threadWord } from "./parallel-protocol.ts"

/** Asks `giver` for work on behalf of `thief`; false when the giver is closed or busy with another thief. */
export const ask = (control: Int32Array, thief: number, giver: number): boolean => {
  Atomics.store(control, threadWord(thief, GOT), 0)
  return Atomics.compareExchange(control, threadWord(giver, ASK), 0, thief + 1) === 0
}

/** Takes a request back; false when the giver has already claimed it (the answer is then on its way). */
export const withdraw = (control: Int32Array, thief: number, giver: number): boolean =>
  Atomics.compareExchange(control, threadWord(giver, ASK), thief + 1, 0) === thief + 1

/** The giver claims the request made of it, if any: the thief's index, or -1. */
export const claim = (control: Int32Array, giver: number): number => {
  const word = threadWord(giver, ASK)
  const asked = Atomics.load(control, word)
  return asked > 0 && Atomics.compareExchange(control, word, asked, SERVING) === asked ? asked - 1 : -1
}

/** The giver answers a claimed request: `count` states handed over (0: refused). */
export const answer = (control: Int32Array, giver: number, thief: number, count: number): void => {
  Atomics.store(control, threadWord(giver, ASK), 0)
  const got = threadWord(thief, GOT)
  Atomics.store(control, got, count > 0 ? count : REFUSED)
  Atomics.notify(control, got)
}

/** The thief's answer so far: 0 while waiting, else states handed over or REFUSED. */
export const answered = (control: Int32Array, thief: number): number => Atomics.load(control, threadWord(thief, GOT))

/** Sleeps until the thief's answer arrives or `ms` pass. */
export const awaitAnswer = (control: Int32Array, thief: number, ms: number): void => void Atomics.wait(control, threadWord(thief, GOT), 0, ms)

/** Opens a thread to thieves with `left` states. */
export const open = (control: Int32Array, thread: number, left: number): void => {
  control[threadWord(thread, LEFT)] = left
  Atomics.store(control, threadWord(thread, ASK), 0)
}

/** Closes a thread to thieves; false when a request is pending (answer it, then close again). */
export const close = (control: Int32Array, thread: number): boolean => {
  const was = Atomics.compareExchange(control, threadWord(thread, ASK), 0, CLOSED)
  return was === 0 || was === CLOSED
}

/** True when a thief has asked this thread for work: a look before each state, so a plain read (V8 does not inline Atomics.load); `claim` then takes the request atomically. */
export const asked = (control: Int32Array, thread: number): boolean => control[threadWord(thread, ASK)]! > 0
