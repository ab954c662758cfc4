/**
 * What a replica says and keeps about chosen slots (issue 14, session 9; designed after wave 6's first
 * pass, for bugs that showed only as a liveness lasso or a crash much later):
 * - a replica announces a slot as chosen (a Decisions message: on choosing it, or catching a follower
 *   up) only when it holds that slot chosen with that command itself: a leader whose own log refuses to
 *   learn what it announces, or a catch-up that sends an open proposal as a decision, is caught at the
 *   step that sends it;
 * - a replica's log is the window its compaction point and executed slot say: nothing below the one,
 *   every executed slot above it chosen; compaction that deletes an executed slot is caught where it
 *   deletes it, not when a lagging follower later asks for it.
 */
import { invariant, type StateProperty, type StepProperty } from "../../checker/transition-system.ts"
import type { Tagged } from "../../core/node.ts"
import type { World } from "../../core/world.ts"
import { sentMessagesCheck } from "../../core/step-verdicts.ts"
import { cmpBallot, commandKey } from "./properties.ts"
import type { TimedReplica } from "./properties-timers.ts"
import type { PaxosState } from "./server.ts"

/**
 * DECISIONS_HELD (a step property): every Decisions message a server's step sends lists only slots
 * that the server, after the step, has cleared or holds chosen with the listed command. The servers
 * are the first nodes of the world, `group[i]` at node `i`.
 */
export const decisionsHeld = <L>(group: ReadonlyArray<TimedReplica>): StepProperty<World, L> => {
  const violation = (src: number, msg: Tagged, to: World): string | undefined => {
    if (msg._tag !== "Decisions") return undefined
    const r = group[src]!
    const s = r.live(to)
    if (!s) return undefined
    for (const [slot, command] of (msg as unknown as { readonly entries: ReadonlyArray<readonly [number, Tagged]> }).entries) {
      if (slot < s.cleared) continue
      const e = s.log.get(slot)
      if (!e?.chosen || commandKey(e.command) !== commandKey(command))
        return `${r.name} announced slot ${slot} chosen as ${commandKey(command)} but holds it ${e ? `${e.chosen ? "chosen" : "accepted"} as ${commandKey(e.command)}` : "empty"}`
    }
    return undefined
  }
  return sentMessagesCheck<L>("DECISIONS_HELD", group.length, violation)
}

/**
 * LOG_WINDOW (server.ts's PaxosState: the log holds "slots at and above `cleared`"): every live replica
 * holds nothing below its compaction point, each slot from there up to its first unexecuted one
 * chosen, and that one not chosen (session 12: chosen slots are handed to the parent in order as they
 * are learned, so a replica that learns a slot and leaves it unexecuted is caught at that step).
 */
export const logWindow = <W extends World>(group: ReadonlyArray<TimedReplica>): StateProperty<W> => {
  // Checked on every state of a hunt, whose replica states recur across many worlds: a verdict per (replica, state object).
  const verdicts = group.map(() => new WeakMap<PaxosState, string | null>())
  const check = (w: World): string | undefined => {
    for (let i = 0; i < group.length; i++) {
      const s = group[i]!.live(w)
      if (!s) continue
      let v = verdicts[i]!.get(s)
      if (v === undefined) verdicts[i]!.set(s, (v = windowViolation(group[i]!.name, s) ?? null))
      if (v !== null) return v
    }
    return undefined
  }
  return invariant<W>("LOG_WINDOW", (w) => check(w) === undefined, check)
}

/** What LOG_WINDOW finds wrong with one replica's state (also judged on what a replica's storage recovers: properties-recovery.ts). */
export const windowViolation = (name: string, s: PaxosState): string | undefined => {
  for (const slot of s.log.keys()) if (slot < s.cleared) return `${name} cleared below slot ${s.cleared} but holds slot ${slot}`
  for (let slot = s.cleared; slot < s.slotOut; slot++)
    if (!s.log.get(slot)?.chosen) return `${name} executed below slot ${s.slotOut} and cleared below ${s.cleared}, but holds slot ${slot} ${s.log.has(slot) ? "unchosen" : "empty"}`
  // Executing is part of learning: a chosen slot right after the executed prefix is applied in the step that learns it.
  if (s.log.get(s.slotOut)?.chosen) return `${name} holds slot ${s.slotOut} chosen, every slot before it executed, and has not executed it`
  return undefined
}

/**
 * ACCEPTED_KEPT (a step property; Paxos Made Simple's acceptor keeps what it accepted): a step leaves
 * every replica that was up and is still up holding each slot it held at or above its new compaction
 * point: chosen with the same command where it was chosen, otherwise chosen or accepted at a ballot at
 * least as high. Compaction drops slots below the point only; an open proposal or an accepted value
 * lost above it is caught at the step that loses it, not when a later leader misses it.
 */
export const acceptedKept = <W extends World, L>(group: ReadonlyArray<TimedReplica>): StepProperty<W, L> => ({
  name: "ACCEPTED_KEPT",
  check: (from, _label, to) => {
    for (const r of group) {
      const a = r.live(from)
      const b = a && r.live(to)
      if (!b || a.log === b.log) continue
      for (const [slot, e] of a.log) {
        if (slot < b.cleared) continue
        const f = b.log.get(slot)
        const kept = f !== undefined && (e.chosen ? f.chosen && commandKey(f.command) === commandKey(e.command) : f.chosen || cmpBallot(f.round, f.leader, e.round, e.leader) >= 0)
        if (!kept)
          return `${r.name} held slot ${slot} ${e.chosen ? "chosen" : `accepted at (${e.round}, ${e.leader})`} as ${commandKey(e.command)}, above its compaction point ${b.cleared}, and now holds ${f ? `${f.chosen ? "chosen" : `(${f.round}, ${f.leader})`} ${commandKey(f.command)}` : "nothing"} there`
      }
    }
    return undefined
  },
})

/**
 * DECISIONS_LEARNED (a step property; session 12, issue 14: the receiving side of DECISIONS_HELD): a
 * step that delivers a Decisions message to a live replica leaves it holding every listed slot at or
 * above its compaction point chosen with the listed command. A replica that drops part of what it is
 * told (a decision for a slot it missed the phase-2 message of, the rest of a catch-up after a slot it
 * already knew) is caught at that delivery, not as a follower that never catches up (a liveness lasso)
 * or a compaction that waits for ever. Reads the step's label: not a records-only property.
 */
export const decisionsLearned = <W extends World>(group: ReadonlyArray<TimedReplica>): StepProperty<W, { readonly k: string; readonly env?: { readonly dst: number; readonly msg: Tagged } }> => ({
  name: "DECISIONS_LEARNED",
  check: (_from, label, to) => {
    if (label.k !== "deliver" || label.env!.msg._tag !== "Decisions") return undefined
    const r = group.find((g) => g.index === label.env!.dst)
    const s = r?.live(to)
    if (!s) return undefined
    for (const [slot, command] of (label.env!.msg as unknown as { readonly entries: ReadonlyArray<readonly [number, Tagged]> }).entries) {
      if (slot < s.cleared) continue
      const e = s.log.get(slot)
      if (!e?.chosen || commandKey(e.command) !== commandKey(command))
        return `${r!.name} was told slot ${slot} is chosen as ${commandKey(command)} but holds it ${e ? `${e.chosen ? "chosen" : "accepted"} as ${commandKey(e.command)}` : "empty"}`
    }
    return undefined
  },
})

/**
 * CATCH_UP_ANSWERED (a step property; session 13, issue 14: server.ts's catch-up, "a follower that lost
 * a decision gets it again in the catch-up answering its heartbeat reply"): a step that delivers a
 * HeartbeatReply to a replica that leads before and after it, reporting the sender's first unexecuted
 * slot below the leader's, leaves a Decisions message from the leader to that sender in flight listing
 * every slot from the reported one (or the leader's compaction point) up to the leader's first
 * unexecuted one (sent in the step, or the same message still in flight, which a duplicating network
 * does not add twice). A catch-up that skips a follower one slot behind, or starts a slot late, is
 * caught at the reply it leaves unanswered, not as a liveness lasso of a follower that never catches up.
 * Reads the step's label: not a records-only property.
 */
export const catchUpAnswered = <W extends World>(group: ReadonlyArray<TimedReplica>): StepProperty<W, { readonly k: string; readonly env?: { readonly src: number; readonly dst: number; readonly msg: Tagged } }> => ({
  name: "CATCH_UP_ANSWERED",
  check: (from, label, to) => {
    if (label.k !== "deliver" || label.env!.msg._tag !== "HeartbeatReply") return undefined
    const r = group.find((g) => g.index === label.env!.dst)
    const a = r?.live(from)
    const b = a?.active ? r!.live(to) : undefined
    if (!b?.active || b.round !== a!.round || b.leader !== a!.leader) return undefined
    const reported = (label.env!.msg as unknown as { readonly executed: number }).executed
    const start = Math.max(reported, b.cleared)
    if (start >= a!.slotOut) return undefined
    const follower = label.env!.src
    const covers = (m: Tagged): boolean => {
      if (m._tag !== "Decisions") return false
      const listed = new Set((m as unknown as { readonly entries: ReadonlyArray<readonly [number, Tagged]> }).entries.map(([slot]) => slot))
      for (let slot = start; slot < a!.slotOut; slot++) if (!listed.has(slot)) return false
      return true
    }
    if (to.net.some((e) => e.src === r!.index && e.dst === follower && covers(e.msg))) return undefined
    return `${r!.name} leads (${b.round}, ${b.leader}) with slots below ${a!.slotOut} executed; a heartbeat reply reports slot ${reported} unexecuted, and no Decisions from slot ${start} goes back`
  },
})
