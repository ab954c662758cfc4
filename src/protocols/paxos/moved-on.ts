/**
 * A client's old command chosen again after the client moved on, staged as targeted.ts's searches are
 * (session 12, issue 14). The exactly-once layer must drop a command whose client has since had a
 * later one executed, not only a retry of the last one: a new leader re-proposes whatever its quorum
 * accepted, so a command a deposed leader alone accepted can be chosen again, in a later slot, after
 * the same command and the client's next one ran. For that orphan to survive the middle leader, it
 * must sit two slots above what that leader's quorum knows: the deposed leader holds two other
 * clients' commands below it.
 */
import type { ProtocolState } from "../../core/compile.ts"
import type { Address } from "../../core/node.ts"
import { staged } from "../../checker/staged.ts"
import { goal } from "../../checker/transition-system.ts"
import type { CheckOptions } from "../../checker/result.ts"
import { commandKey, type Replica } from "./properties.ts"
import { executedInTwoSlots, leads, type StageSystem } from "./targeted.ts"

/** The lowest slot where replica `i` alone holds `key` accepted (no other replica has anything there), or undefined. */
const aloneAt = (group: ReadonlyArray<Replica>, i: number, key: string, w: ProtocolState): number | undefined => {
  const s = group[i]!.log(w)
  let out: number | undefined
  for (const [slot, e] of s?.log ?? []) {
    if (e.chosen || commandKey(e.command) !== key || (out !== undefined && out < slot)) continue
    if (group.every((r, j) => j === i || !r.log(w)?.log.has(slot))) out = slot
  }
  return out
}

/**
 * Staged on 3 servers (s1-s3) and three clients appending (c1 twice, c2 and c3 once): (1) cut off with
 * the clients, s1 (the ballot-0 leader) accepts c2's and c3's commands and then c1's first, alone, in
 * slot 2 or later; (2) s1 cut off with c2 and c3, s2 wins ballot 1 with s3; (3) c1's first command and
 * then its second are chosen there, below s1's slot; (4) s2 cut off with the clients, s3 wins ballot 2
 * with s1, whose promise reports the orphan; (5) the full network, only s3 campaigning, until a replica
 * executed c1's first command in two slots (EXECUTED_ONCE: it runs once, though its client's second
 * command ran between).
 */
export const movedOn = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) => {
  const [s1, s2, s3] = group.map((r) => r.name) as [Address, Address, Address]
  const first = "client1#1"
  const orphan = goal<ProtocolState>("S1_ALONE_HOLDS_CLIENT1_FIRST_ABOVE_SLOT_1", (w) => (aloneAt(group, 0, first, w) ?? -1) >= 2)
  const movedOnBelow = goal<ProtocolState>("CLIENT1_SECOND_CHOSEN_BELOW_ORPHAN", (w) => {
    const at = aloneAt(group, 0, first, w)
    if (at === undefined) return false
    return group.some((r) => [...(r.log(w)?.log ?? [])].some(([slot, e]) => e.chosen && slot < at && commandKey(e.command) === "client1#2"))
  })
  const clients = ["client1", "client2", "client3"]
  return staged(
    [
      { system: sys([], [[s1, ...clients], [s2, s3]]), goal: orphan },
      { system: sys([1], [[s1, "client2", "client3"], [s2, s3, "client1"]]), goal: leads(group, 1) },
      { system: sys([1], [[s1, "client2", "client3"], [s2, s3, "client1"]]), goal: movedOnBelow },
      { system: sys([2], [[s1, s3], [s2, ...clients]]), goal: leads(group, 2, 2) },
    ],
    { system: sys([2]), goal: executedInTwoSlots(group) },
    budget
  )
}
