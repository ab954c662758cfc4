/**
 * The acceptor's storage contract (Paxos Made Simple: "an acceptor must remember this information even
 * if it fails and then restarts"): when a persisting replica's step ends, and so before any reply of
 * that step leaves, its storage holds its promise and every value it accepted. A search checks it at
 * every state, so a write that is skipped is caught where it is skipped, not only after the badly
 * timed crash that would lose it.
 */
import { invariant, type StateProperty, type StepProperty } from "../../checker/transition-system.ts"
import { rootOf } from "../../core/execute.ts"
import type { Tagged } from "../../core/node.ts"
import { sentMessagesCheck } from "../../core/step-verdicts.ts"
import type { World } from "../../core/world.ts"
import { cmpBallot, commandKey } from "./properties.ts"
import type { PaxosDurable, PaxosState } from "./server.ts"

/** A persisting replica: its live log state (undefined while down) and what it last wrote (undefined before its first write). */
export interface DurableReplica {
  readonly name: string
  readonly live: (w: World) => PaxosState | undefined
  readonly stored: (w: World) => PaxosDurable | undefined
}

/**
 * ACCEPTOR_DURABLE: every live replica has stored a promise at least as high as the one it holds, and
 * each value it holds accepted (not chosen) at the same ballot, or a slot it stored as cleared or chosen
 * with that command. A replica that never wrote recovers the initial promise `(0, first)` and an empty log.
 */
export const acceptorDurable = <W extends World>(group: ReadonlyArray<DurableReplica>, first: string): StateProperty<W> => {
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const s = r.live(w)
      if (!s) continue
      const d = r.stored(w)
      const round = d?.round ?? 0
      const leader = d?.leader ?? first
      if (cmpBallot(round, leader, s.round, s.leader) < 0) return `${r.name} promised (${s.round}, ${s.leader}) but stored only (${round}, ${leader})`
      for (const [slot, e] of s.log) {
        if (e.chosen || slot < (d?.cleared ?? 0)) continue
        const k = d?.log.get(slot)
        const same = k !== undefined && commandKey(k.command) === commandKey(e.command) && (k.chosen || (k.round === e.round && k.leader === e.leader))
        if (!same) return `${r.name} accepted slot ${slot} at (${e.round}, ${e.leader}) as ${commandKey(e.command)} but stored ${k ? `${commandKey(k.command)} at (${k.round}, ${k.leader})` : "nothing"} there`
      }
    }
    return undefined
  }
  return invariant<W>("ACCEPTOR_DURABLE", (w) => check(w) === undefined, check)
}

/** The first slot a recovery from `d` does not rebuild: after the snapshot, through the stored chosen slots. */
const replayedTo = (d: PaxosDurable): number => {
  let slot = d.snapSlot + 1
  while (d.log.get(slot)?.chosen) slot++
  return slot
}

/**
 * STORAGE_REPLAYABLE: what every persisting replica stored rebuilds it past its compaction point.
 * Recovery (server.ts `recover`) restores the stored snapshot and replays the chosen slots after it in
 * order; slots below the stored compaction point are gone from every log, so a replay that stops below
 * it leaves the replica short of slots no one can send it again. Checked on storage at every state, so
 * a write that breaks it is caught where it is made, before any crash.
 */
export const storageReplayable = <W extends World>(group: ReadonlyArray<DurableReplica>): StateProperty<W> => {
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const d = r.stored(w)
      if (!d) continue
      const slot = replayedTo(d)
      if (slot < d.cleared) return `${r.name} stored a snapshot through slot ${d.snapSlot} and cleared below ${d.cleared}: its recovery replays only to slot ${slot}`
    }
    return undefined
  }
  return invariant<W>("STORAGE_REPLAYABLE", (w) => check(w) === undefined, check)
}

/**
 * REPORTS_STORED (a step property; server.ts: "a replica reports as executed only what its storage
 * holds"): every heartbeat reply a persisting server sends reports as executed no slot beyond what its
 * storage, after the step, rebuilds. The leader clears below what every server reported, so a report
 * beyond storage lets it clear slots that a crash then takes from the reporter for good. The servers are
 * the first nodes of the world, `group[i]` at node `i`.
 */
export const reportsStored = <L>(group: ReadonlyArray<DurableReplica>): StepProperty<World, L> => {
  const violation = (src: number, msg: Tagged, to: World): string | undefined => {
    if (msg._tag !== "HeartbeatReply") return undefined
    const executed = (msg as unknown as { readonly executed: number }).executed
    const d = group[src]!.stored(to)
    const stored = d ? replayedTo(d) : 0
    return executed > stored ? `${group[src]!.name} reported slots below ${executed} executed, but its storage rebuilds only those below ${stored}` : undefined
  }
  return sentMessagesCheck<L>("REPORTS_STORED", group.length, violation)
}

/**
 * RECOVERS_STORED (a step property): a replica restarted from storage holds, right after its recovery,
 * a promise at least as high as the one it stored, its stored compaction point, and every slot it
 * stored above that point with the same command, chosen where it was stored chosen and otherwise at the
 * stored ballot or chosen. ACCEPTOR_DURABLE checks the writes; this checks the reading back, at the
 * restart step, before the recovered replica's next write can hide what it dropped. The servers are the
 * first nodes of the world, `group[i]` at node `i`.
 */
export const recoversStored = <L>(group: ReadonlyArray<DurableReplica>): StepProperty<World, L> => ({
  name: "RECOVERS_STORED",
  check: (from, label, to) => {
    const l = label as { readonly k?: string; readonly node?: number }
    if (l.k !== "restart" || l.node === undefined) return undefined
    const r = group[l.node]
    const d = r?.stored(from)
    const s = r?.live(to)
    if (!r || !d || !s) return undefined
    if (cmpBallot(s.round, s.leader, d.round, d.leader) < 0) return `${r.name} stored the promise (${d.round}, ${d.leader}) but recovered (${s.round}, ${s.leader})`
    if (s.cleared !== d.cleared) return `${r.name} stored compaction point ${d.cleared} but recovered ${s.cleared}`
    for (const [slot, k] of d.log) {
      if (slot < d.cleared) continue
      const e = s.log.get(slot)
      const same = e !== undefined && commandKey(e.command) === commandKey(k.command) && (e.chosen || (!k.chosen && e.round === k.round && e.leader === k.leader))
      if (!same) return `${r.name} stored slot ${slot} as ${commandKey(k.command)}${k.chosen ? " chosen" : ` at (${k.round}, ${k.leader})`} but recovered ${e ? `${commandKey(e.command)}${e.chosen ? " chosen" : ` at (${e.round}, ${e.leader})`}` : "nothing"} there`
    }
    return undefined
  },
})

/**
 * EXECUTED_STORED: a persisting replica counts itself as having executed (its own entry of `executed`,
 * which holds its compaction point back) only the slots its storage rebuilds: REPORTS_STORED's rule for
 * the leader's own entry, which no heartbeat reply carries. With lazy learning (the runtime's setting)
 * a slot executed but not yet written would otherwise let a leader clear what a crash takes from it.
 * Likewise its `saved` slot (what its heartbeat replies report; server.ts: the first slot its storage
 * cannot rebuild), checked in the state so that a wrong one is caught where it is set (a recovery, a
 * write), not only in the rare reply that carries it before the next write corrects it.
 */
export const executedStored = <W extends World>(group: ReadonlyArray<DurableReplica>): StateProperty<W> => {
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const s = r.live(w)
      if (!s) continue
      let own = 0
      for (const [a, slot] of s.executed) if (rootOf(a) === r.name) own = Math.max(own, slot)
      const d = r.stored(w)
      const stored = d ? replayedTo(d) : 0
      if (own > stored) return `${r.name} counts itself as having executed the slots below ${own}, but its storage rebuilds only those below ${stored}`
      if (s.saved > stored) return `${r.name} counts the slots below ${s.saved} as saved (what it reports executed), but its storage rebuilds only those below ${stored}`
    }
    return undefined
  }
  return invariant<W>("EXECUTED_STORED", (w) => check(w) === undefined, check)
}
